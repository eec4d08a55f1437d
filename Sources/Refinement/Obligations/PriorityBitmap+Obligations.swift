// Obligations about the ready queues' priority bitmap (KernelABI `PriorityBitmap`): the code the
// executable spec and the kernel run to find the highest non-empty priority.
//
// The bitmap's meaning is its bits: priority p is present when `contains(p)`, and a bitmap is
// well formed when L1's bit for a group is set exactly when the group's L2 word is not zero. The
// operations under proof come from a `PriorityBitmapCode`, the kernel's by default and broken
// variants in the tests that show each obligation can fail.

import Bitwise
public import KernelABI
public import SMT

/// The bitmap operations under proof, on symbolic words.
public struct PriorityBitmapCode: Sendable {
  public typealias Bitmap = PriorityBitmap<SymbolicWord>
  public var addToBitmap: @Sendable (Bitmap, SymbolicWord) -> Bitmap
  public var removeFromBitmap: @Sendable (Bitmap, SymbolicWord) -> Bitmap
  public var getHighestPrio: @Sendable (Bitmap) -> SymbolicWord
  public var isHighestPrio: @Sendable (Bitmap, SymbolicWord) -> SymbolicBool

  public init(
    addToBitmap: @escaping @Sendable (Bitmap, SymbolicWord) -> Bitmap,
    removeFromBitmap: @escaping @Sendable (Bitmap, SymbolicWord) -> Bitmap,
    getHighestPrio: @escaping @Sendable (Bitmap) -> SymbolicWord,
    isHighestPrio: @escaping @Sendable (Bitmap, SymbolicWord) -> SymbolicBool
  ) {
    self.addToBitmap = addToBitmap
    self.removeFromBitmap = removeFromBitmap
    self.getHighestPrio = getHighestPrio
    self.isHighestPrio = isHighestPrio
  }

  /// The code the executable spec and the kernel run.
  public static let kernel = PriorityBitmapCode(
    addToBitmap: { bitmap, prio in
      var bitmap = bitmap
      bitmap.addToBitmap(prio)
      return bitmap
    },
    removeFromBitmap: { bitmap, prio in
      var bitmap = bitmap
      bitmap.removeFromBitmap(prio)
      return bitmap
    },
    getHighestPrio: { $0.getHighestPrio() },
    isHighestPrio: { $0.isHighestPrio($1) })
}

extension Obligation {
  /// The priority-bitmap obligations for `code`.
  public static func priorityBitmap(_ code: PriorityBitmapCode = .kernel) -> [Obligation] {
    typealias Bitmap = PriorityBitmapCode.Bitmap
    let maxPriority = KernelConstants.maxPriority
    /// A well-formed bitmap of symbolic words.
    @Sendable func bitmap(_ s: ProofScope) -> Bitmap {
      let b = Bitmap(l1: s.word("l1"), l2: (s.word("l2_0"), s.word("l2_1"), s.word("l2_2"), s.word("l2_3")))
      s.assume(b.wellFormed)
      return b
    }
    /// The same two bitmaps, word for word.
    @Sendable func same(_ a: Bitmap, _ b: Bitmap) -> SymbolicBool {
      (a.l1 .== b.l1) .&& (a.l2.0 .== b.l2.0) .&& (a.l2.1 .== b.l2.1) .&& (a.l2.2 .== b.l2.2)
        .&& (a.l2.3 .== b.l2.3)
    }
    return [
      Obligation(
        "priorityBitmap.getHighestPrio.present",
        "getHighestPrio of a non-empty well-formed bitmap is a priority (0...255) whose bit is set"
      ) { s in
        let b = bitmap(s)
        s.assume(.!b.isEmpty)
        let highest = code.getHighestPrio(b)
        return b.contains(highest) .&& (highest .<= .known(maxPriority))
      },
      Obligation(
        "priorityBitmap.getHighestPrio.greatest",
        "no priority whose bit is set in a well-formed bitmap is above getHighestPrio"
      ) { s in
        let b = bitmap(s)
        let q = s.word("q", atMost: maxPriority)
        s.assume(b.contains(q))
        return q .<= code.getHighestPrio(b)
      },
      Obligation(
        "priorityBitmap.isHighestPrio.sound",
        "when isHighestPrio(p) holds, no priority above p has its bit set"
      ) { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        let q = s.word("q", atMost: maxPriority)
        s.assume(code.isHighestPrio(b, p) .&& b.contains(q))
        return q .<= p
      },
      Obligation(
        "priorityBitmap.isHighestPrio.complete",
        "when isHighestPrio(p) fails, a priority above p has its bit set: getHighestPrio"
      ) { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        s.assume(.!code.isHighestPrio(b, p))
        let highest = code.getHighestPrio(b)
        return .!b.isEmpty .&& (highest .> p) .&& b.contains(highest)
      },
      Obligation(
        "priorityBitmap.addToBitmap.contents",
        "after addToBitmap(p), a priority's bit is set exactly when it is p or was set before"
      ) { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        let q = s.word("q", atMost: maxPriority)
        return code.addToBitmap(b, p).contains(q) .== ((q .== p) .|| b.contains(q))
      },
      Obligation("priorityBitmap.addToBitmap.wellFormed", "addToBitmap keeps a bitmap well formed") { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        return code.addToBitmap(b, p).wellFormed
      },
      Obligation(
        "priorityBitmap.removeFromBitmap.contents",
        "after removeFromBitmap(p), a priority's bit is set exactly when it is not p and was set before"
      ) { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        let q = s.word("q", atMost: maxPriority)
        return code.removeFromBitmap(b, p).contains(q) .== ((q .!= p) .&& b.contains(q))
      },
      Obligation("priorityBitmap.removeFromBitmap.wellFormed", "removeFromBitmap keeps a bitmap well formed") { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        return code.removeFromBitmap(b, p).wellFormed
      },
      Obligation(
        "priorityBitmap.addThenRemove.restores",
        "adding a priority whose bit is clear and removing it again gives back the same words"
      ) { s in
        let b = bitmap(s)
        let p = s.word("p", atMost: maxPriority)
        s.assume(.!b.contains(p))
        return same(code.removeFromBitmap(code.addToBitmap(b, p), p), b)
      },
    ]
  }
}

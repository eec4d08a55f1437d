// Obligations about the concrete kernel's own code: the packed layouts of capability, MDB and
// thread-state words, pointer and free-index encodings, the guard/radix arithmetic of one CSpace
// level, and retype placement. Each is built by running the kernel's generic functions (or its
// `BitLayout` declarations, which its encoders use) on symbolic words.

public import Bitwise
import Kernel
import KernelABI
public import SMT

extension Obligation {
  /// "Writing every field of `layout` in turn and then reading any field gives the value written,
  /// truncated to the field's width; bits no field claims are left as they were": fields are
  /// disjoint, independent and round-trip.
  public static func layoutRoundTrip(_ name: String, _ layout: BitLayout) -> Obligation {
    Obligation(
      "kernel.layout.\(name)",
      "\(layout.name): every field round-trips and no two fields share a bit"
    ) { s in
      let original = s.word("word", layout: layout)
      var values: [SymbolicWord] = []
      var word = original
      for field in layout.fields {
        let value = s.word(field.name)
        values.append(value)
        word = field.set(word, to: value)
      }
      var holds = (word & .known(layout.unusedMask)) .== (original & .known(layout.unusedMask))
      for (field, value) in zip(layout.fields, values) {
        // swift-format-ignore: NoAssignmentInExpressions
        holds = holds .&& (field.get(word) .== (value & .known(field.valueMask)))
      }
      return holds
    }
  }

  /// Every packed kernel word layout with at least one field.
  static var kernelLayouts: [(String, BitLayout)] {
    var result: [(String, BitLayout)] = []
    for tag in CapTag.allCases {
      let (w0, w1) = CapWordLayout.layouts(for: tag)
      for (i, layout) in [w0, w1].enumerated() where !layout.fields.isEmpty {
        result.append(("cap.\(tag).word\(i)", layout))
      }
    }
    result.append(("mdbNode.word0", ObjectLayout.mdbNode.0))
    result.append(("mdbNode.word1", ObjectLayout.mdbNode.1))
    result.append(("threadState", ObjectLayout.threadState))
    result.append(("seL4Fault.word1", ObjectLayout.faultWord1))
    result.append(("lookupFault.word1", ObjectLayout.lookupFaultWord1))
    return result
  }

  /// Obligations over the kernel's word encodings.
  // The code under proof is one capital letter, as in the statements it appears in.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public static func kernelEncodings(_ L: KernelEncodingCode = .kernel) -> [Obligation] {
    let pointerLimit: UInt64 = 1 << 48
    return kernelLayouts.map { layoutRoundTrip($0.0, $0.1) } + [
      Obligation(
        "kernel.encoding.capTagsDistinct",
        "the five-bit capType field holds every cap tag exactly (tags < 32, distinct)"
      ) { s in
        let w = s.word("word")
        var holds = SymbolicBool.known(true)
        for tag in CapTag.allCases {
          // swift-format-ignore: NoAssignmentInExpressions
          holds = holds .&& (L.capType.get(L.capType.set(w, to: .known(tag.rawValue))) .== .known(tag.rawValue))
        }
        return holds
      },
      Obligation(
        "kernel.encoding.objectPointerRoundTrip",
        "an object address below 2^48 survives capPtr: stored and read back unchanged"
      ) { s in
        let ptr = s.word("pointer", atMost: pointerLimit - 1)
        let w = s.word("word")
        return L.capPtr.get(L.capPtr.set(w, to: ptr)) .== ptr
      },
      Obligation(
        "kernel.encoding.cnodePointerRoundTrip",
        "a CNode address below 2^48 (even) survives being stored shifted right by one"
      ) { s in
        let ptr = s.word("pointer", atMost: pointerLimit - 1)
        s.assume((ptr & 1) .== 0)
        let w = s.word("word")
        return (L.capCNodePtr.get(L.capCNodePtr.set(w, to: ptr >> 1)) << 1) .== ptr
      },
      Obligation(
        "kernel.encoding.mdbNextRoundTrip", "a CTE address below 2^48 (32-byte aligned) survives mdbNext's bits 47..2"
      ) { s in
        let cte = s.word("cte", atMost: pointerLimit - 1)
        s.assume((cte & 31) .== 0)
        let w = s.word("word", layout: ObjectLayout.mdbNode.1)
        return (L.mdbNext.get(L.mdbNext.set(w, to: cte >> 2)) << 2) .== cte
      },
      Obligation(
        "kernel.encoding.freeIndexRoundTrip",
        "a 16-byte-aligned free index up to 2^47 survives the 16-byte-unit encoding"
      ) { s in
        let bytes = s.word("freeIndexBytes", atMost: 1 << 47)
        s.assume((bytes & 15) .== 0)
        return L.freeIndexToBytes(L.capFreeIndex.get(L.capFreeIndex.set(0, to: L.freeIndexToUnits(bytes)))) .== bytes
      },
      Obligation(
        "kernel.encoding.freeIndexNeverBelowWatermark",
        "encoding any free index up to 2^47 rounds it up, never down: no used byte is handed out again"
      ) { s in
        let bytes = s.word("freeIndexBytes", atMost: 1 << 47)
        let stored = L.freeIndexToBytes(L.freeIndexToUnits(bytes))
        return (stored .>= bytes) .&& ((stored &- bytes) .< 16)
      },
    ]
  }

  /// Obligations over one level of CSpace address resolution (`CSpaceArithmetic`).
  // The code under proof is one capital letter, as in the statements it appears in.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public static func kernelCSpace(_ A: CSpaceCode = .kernel) -> [Obligation] {
    @Sendable func level(_ s: ProofScope) -> (
      cptr: SymbolicWord, bitsLeft: SymbolicWord, guardSize: SymbolicWord, radix: SymbolicWord
    ) {
      let cptr = s.word("cptr")
      let bitsLeft = s.word("bitsLeft", atMost: 64)
      let guardSize = s.word("guardSize", atMost: 63)
      let radix = s.word("radix", atMost: 63)
      s.assume((guardSize &+ radix) .<= bitsLeft)
      s.assume((guardSize &+ radix) .>= 1)
      return (cptr, bitsLeft, guardSize, radix)
    }
    return [
      Obligation(
        "kernel.cspace.guardBitsMaskedShiftIsExact",
        "masking the guard shift to 6 bits (as C does) reads the same guard bits as the unmasked shift"
      ) { s in
        let cptr = s.word("cptr")
        let bitsLeft = s.word("bitsLeft", atMost: 64)
        let guardSize = s.word("guardSize", atMost: 63)
        s.assume(guardSize .<= bitsLeft)
        let unmasked = (cptr >> (bitsLeft &- guardSize)) & SymbolicWord.mask(bits: guardSize)
        return A.guardBits(cptr, bitsLeft, guardSize) .== unmasked
      },
      Obligation("kernel.cspace.indexWithinRadix", "the slot index a level selects is below 2^radix") { s in
        let (cptr, bitsLeft, guardSize, radix) = level(s)
        return A.slotIndex(cptr, bitsLeft, guardSize &+ radix, radix) .< (1 << radix)
      },
      Obligation(
        "kernel.cspace.slotInsideCNode",
        "slot i of a CNode of 2^radix slots lies inside the CNode, 32-byte aligned, without overflow"
      ) { s in
        let radix = s.word("radix", atMost: 42)
        let cnode = s.word("cnode", atMost: (1 << 48) - 1)
        let sizeBits = radix &+ .known(KernelConstants.slotBits)
        s.assume(SymbolicWord.isAligned(cnode, bits: sizeBits))
        s.assume(.!SymbolicWord.additionOverflows(cnode, 1 << sizeBits))
        let index = s.word("index")
        s.assume(index .< (1 << radix))
        let slot = A.slotAddress(cnode, index)
        return (slot .>= cnode) .&& ((slot &+ 32) .<= (cnode &+ (1 << sizeBits)))
          .&& SymbolicWord.isAligned(slot, bits: 5)
      },
      Obligation("kernel.cspace.slotsDistinct", "different indexes of one CNode give different slot addresses") { s in
        let radix = s.word("radix", atMost: 42)
        let cnode = s.word("cnode", atMost: (1 << 48) - 1)
        let i = s.word("i")
        let j = s.word("j")
        s.assume(i .< (1 << radix))
        s.assume(j .< (1 << radix))
        s.assume(i .!= j)
        return A.slotAddress(cnode, i) .!= A.slotAddress(cnode, j)
      },
      Obligation(
        "kernel.cspace.guardCheckMeansMatch",
        "when the guard check passes, the guard bits of the address equal the cap's guard"
      ) { s in
        let (cptr, bitsLeft, guardSize, _) = level(s)
        let capGuard = s.word("guard")
        s.assume(.!A.guardMismatch(cptr, bitsLeft, guardSize, capGuard))
        return ((cptr >> (bitsLeft &- guardSize)) & SymbolicWord.mask(bits: guardSize)) .== capGuard
      },
    ]
  }

  /// Obligations over retype placement (`RetypeArithmetic`), under the checks retype makes first.
  // The code under proof is one capital letter, as in the statements it appears in.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public static func kernelRetype(_ R: RetypeCode = .kernel) -> [Obligation] {
    struct Placement {
      let base, blockBits, freeOffset, objectBits, count, start: SymbolicWord
    }
    /// An untyped block of 2^blockBits bytes at an aligned base below 2^48, a watermark inside it,
    /// an object size the block can hold, a fan-out within the limit, and retype's memory check.
    @Sendable func placement(_ s: ProofScope, enough: Bool = true) -> Placement {
      let blockBits = s.word("blockBits", atMost: KernelConstants.maxUntypedBits)
      let base = s.word("base", atMost: (1 << 48) - 1)
      s.assume(SymbolicWord.isAligned(base, bits: blockBits))
      let freeOffset = s.word("freeOffset")
      s.assume(freeOffset .<= (1 << blockBits))
      let objectBits = s.word("objectBits", atMost: KernelConstants.maxUntypedBits)
      let count = s.word("count")
      s.assume((count .>= 1) .&& (count .<= .known(KernelConstants.retypeFanOutLimit)))
      if enough {
        s.assume(R.enoughMemory(R.freeBytes(blockBits, freeOffset), objectBits, count))
      }
      let start = R.start(base, freeOffset, objectBits)
      return Placement(
        base: base, blockBits: blockBits, freeOffset: freeOffset, objectBits: objectBits, count: count, start: start)
    }
    return [
      Obligation("kernel.retype.startAligned", "the first new object is aligned to its size") { s in
        let p = placement(s)
        return SymbolicWord.isAligned(p.start, bits: p.objectBits)
      },
      Obligation(
        "kernel.retype.aboveWatermark", "new objects start at or above the free watermark: nothing below it is reused"
      ) { s in
        let p = placement(s)
        return p.start .>= (p.base &+ p.freeOffset)
      },
      Obligation(
        "kernel.retype.insideUntyped", "the last new object ends inside the untyped block, with no overflow on the way"
      ) { s in
        let p = placement(s)
        let end = R.objectAddress(p.start, p.count, p.objectBits)
        return (end .<= (p.base &+ (1 << p.blockBits))) .&& (end .> p.start)
      },
      Obligation("kernel.retype.objectsDisjoint", "object i ends at or before object j starts, for i < j < count") {
        s in
        let p = placement(s)
        let i = s.word("i")
        let j = s.word("j")
        s.assume((i .< j) .&& (j .< p.count))
        let a = R.objectAddress(p.start, i, p.objectBits)
        let b = R.objectAddress(p.start, j, p.objectBits)
        return (a &+ (1 << p.objectBits)) .<= b
      },
      Obligation("kernel.retype.newWatermark", "the new free offset covers every new object and stays within the block")
      { s in
        let p = placement(s)
        let offset = R.newFreeOffset(p.base, p.start, p.count, p.objectBits)
        let end = R.objectAddress(p.start, p.count, p.objectBits)
        return (offset .<= (1 << p.blockBits)) .&& (offset .>= p.freeOffset) .&& ((p.base &+ offset) .== end)
      },
      Obligation(
        "kernel.retype.memoryCheckIsExact",
        "retype refuses exactly the requests whose aligned placement would not fit (no alignment slack is needed)"
      ) { s in
        let p = placement(s, enough: false)
        s.assume(p.objectBits .<= p.blockBits)
        let fits = R.enoughMemory(R.freeBytes(p.blockBits, p.freeOffset), p.objectBits, p.count)
        let end = R.objectAddress(p.start, p.count, p.objectBits)
        return fits .== (end .<= (p.base &+ (1 << p.blockBits)))
      },
      Obligation(
        "kernel.retype.freeBytesNoUnderflow",
        "the free byte count never exceeds the block (the watermark never passes its end)"
      ) { s in
        let blockBits = s.word("blockBits", atMost: KernelConstants.maxUntypedBits)
        let freeOffset = s.word("freeOffset")
        s.assume(freeOffset .<= (1 << blockBits))
        return R.freeBytes(blockBits, freeOffset) .<= (1 << blockBits)
      },
      Obligation(
        "kernel.retype.objectSizeBounded",
        "every object type's size for an accepted size_bits stays at most MaxUntypedBits or is refused"
      ) { s in
        let type = s.word("type", atMost: UInt64(ObjectType.allCases.count - 1))
        let userSize = s.word("sizeBits", atMost: 63)
        let bits = R.objectSizeBits(type, userSize)
        // Fixed-size objects never exceed it; variable-size ones grow monotonically with size_bits.
        return (bits .<= 47) .|| (userSize .>= 42)
      },
    ]
  }
}

// MARK: - The kernel code under proof, replaceable by mutants in tests

/// The kernel's word-encoding pieces the encoding obligations are about.
public struct KernelEncodingCode: Sendable {
  public var capType, capPtr, capCNodePtr, capFreeIndex, mdbNext: BitField
  public var freeIndexToUnits: @Sendable (SymbolicWord) -> SymbolicWord
  public var freeIndexToBytes: @Sendable (SymbolicWord) -> SymbolicWord

  public init(
    capType: BitField, capPtr: BitField, capCNodePtr: BitField, capFreeIndex: BitField, mdbNext: BitField,
    freeIndexToUnits: @escaping @Sendable (SymbolicWord) -> SymbolicWord,
    freeIndexToBytes: @escaping @Sendable (SymbolicWord) -> SymbolicWord
  ) {
    self.capType = capType
    self.capPtr = capPtr
    self.capCNodePtr = capCNodePtr
    self.capFreeIndex = capFreeIndex
    self.mdbNext = mdbNext
    self.freeIndexToUnits = freeIndexToUnits
    self.freeIndexToBytes = freeIndexToBytes
  }

  public static let kernel = KernelEncodingCode(
    capType: CapWordLayout.capType, capPtr: CapWordLayout.capPtr, capCNodePtr: CapWordLayout.capCNodePtr,
    capFreeIndex: CapWordLayout.capFreeIndex, mdbNext: ObjectLayout.mdbNext,
    freeIndexToUnits: { CapWordLayout.freeIndexToUnits($0) }, freeIndexToBytes: { CapWordLayout.freeIndexToBytes($0) })
}

/// The kernel's CSpace arithmetic (`CSpaceArithmetic`).
public struct CSpaceCode: Sendable {
  public var guardBits:
    @Sendable (_ cptr: SymbolicWord, _ bitsLeft: SymbolicWord, _ guardSize: SymbolicWord) -> SymbolicWord
  public var guardMismatch:
    @Sendable (_ cptr: SymbolicWord, _ bitsLeft: SymbolicWord, _ guardSize: SymbolicWord, _ guard: SymbolicWord) ->
      SymbolicBool
  public var slotIndex:
    @Sendable (_ cptr: SymbolicWord, _ bitsLeft: SymbolicWord, _ levelBits: SymbolicWord, _ radix: SymbolicWord) ->
      SymbolicWord
  public var slotAddress: @Sendable (_ cnode: SymbolicWord, _ index: SymbolicWord) -> SymbolicWord

  public init(
    guardBits: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    guardMismatch: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicBool,
    slotIndex: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    slotAddress: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord
  ) {
    self.guardBits = guardBits
    self.guardMismatch = guardMismatch
    self.slotIndex = slotIndex
    self.slotAddress = slotAddress
  }

  public static let kernel = CSpaceCode(
    guardBits: { CSpaceArithmetic.guardBits(cptr: $0, bitsLeft: $1, guardSize: $2) },
    guardMismatch: { CSpaceArithmetic.guardMismatch(cptr: $0, bitsLeft: $1, guardSize: $2, guard: $3) },
    slotIndex: { CSpaceArithmetic.slotIndex(cptr: $0, bitsLeft: $1, levelBits: $2, radix: $3) },
    slotAddress: { CSpaceArithmetic.slotAddress(cnode: $0, index: $1) })
}

/// The kernel's retype arithmetic (`RetypeArithmetic`, `ObjectType.objectSizeBits`).
public struct RetypeCode: Sendable {
  public var freeBytes: @Sendable (_ blockBits: SymbolicWord, _ freeOffset: SymbolicWord) -> SymbolicWord
  public var enoughMemory:
    @Sendable (_ freeBytes: SymbolicWord, _ objectBits: SymbolicWord, _ count: SymbolicWord) -> SymbolicBool
  public var start:
    @Sendable (_ base: SymbolicWord, _ freeOffset: SymbolicWord, _ objectBits: SymbolicWord) -> SymbolicWord
  public var objectAddress:
    @Sendable (_ start: SymbolicWord, _ index: SymbolicWord, _ objectBits: SymbolicWord) -> SymbolicWord
  public var newFreeOffset:
    @Sendable (_ base: SymbolicWord, _ start: SymbolicWord, _ count: SymbolicWord, _ objectBits: SymbolicWord) ->
      SymbolicWord
  public var objectSizeBits: @Sendable (_ type: SymbolicWord, _ userSize: SymbolicWord) -> SymbolicWord

  public init(
    freeBytes: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord,
    enoughMemory: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicBool,
    start: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    objectAddress: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    newFreeOffset: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    objectSizeBits: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord
  ) {
    self.freeBytes = freeBytes
    self.enoughMemory = enoughMemory
    self.start = start
    self.objectAddress = objectAddress
    self.newFreeOffset = newFreeOffset
    self.objectSizeBits = objectSizeBits
  }

  public static let kernel = RetypeCode(
    freeBytes: { RetypeArithmetic.freeBytes(blockBits: $0, freeOffset: $1) },
    enoughMemory: { RetypeArithmetic.enoughMemory(freeBytes: $0, objectBits: $1, count: $2) },
    start: { RetypeArithmetic.start(base: $0, freeOffset: $1, objectBits: $2) },
    objectAddress: { RetypeArithmetic.objectAddress(start: $0, index: $1, objectBits: $2) },
    newFreeOffset: { RetypeArithmetic.newFreeOffset(base: $0, start: $1, count: $2, objectBits: $3) },
    objectSizeBits: { ObjectType.objectSizeBits(type: $0, userSizeBits: $1) })
}

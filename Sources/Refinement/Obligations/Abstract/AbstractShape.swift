// The bounded shape the abstract-invariant obligations quantify over: which objects exist, at
// fixed addresses, with every field of every one of them a symbolic word.

public import KernelABI

/// The objects a symbolic twin state has (slice 1: CNodes of slots; threads, notifications,
/// endpoints, untyped regions and scheduling contexts join in later slices).
public struct AbstractShape: Hashable, Sendable, Codable, CustomStringConvertible {
  public var cnodes: Int
  public var slotsPerCNode: Int

  public init(cnodes: Int, slotsPerCNode: Int) {
    self.cnodes = cnodes
    self.slotsPerCNode = slotsPerCNode
  }

  /// The shape `refine-check prove` uses and `proofs/` records: 1 CNode × 4 slots.
  public static let `default` = AbstractShape(cnodes: 1, slotsPerCNode: 4)

  /// The most CNodes a shape may have (`refine-check prove --shape`).
  public static let maxCNodes = 4
  /// The slot counts a CNode of a shape may have: 2^radix for radix 1 to 4. seL4 refuses a CNode of
  /// radix 0 (`decodeUntypedInvocation`, `seL4:src/object/untyped.c`: "Requested CapTable size too
  /// small"), and a CNode of 2^radix slots must have them all in the shape, or a walk could end in
  /// a slot the symbolic state lacks (`cnodeCapsNameTheShape`).
  public static let slotCounts = [2, 4, 8, 16]
  /// The most slots a shape may have in all (every slot is seven symbolic words, and every symbolic
  /// slot id reads through a chain of that many selects).
  public static let maxSlots = 16

  /// The slots, in id order: CNode `c` at `0x10000 * (c + 1)`, its slots 0 ..< `slotsPerCNode`.
  public var slotRefs: [SlotRef] {
    (0..<cnodes).flatMap { c in
      (0..<slotsPerCNode).map { SlotRef(0x10000 &* UInt64(c + 1), UInt64($0)) }
    }
  }

  /// The radix of the shape's CNodes (`slotsPerCNode` is 2^radix).
  public var radix: Int { slotsPerCNode.trailingZeroBitCount }

  public var description: String {
    "shape (\(cnodes) CNode\(cnodes == 1 ? "" : "s") × \(slotsPerCNode) slots)"
  }

  /// How `refine-check prove --shape` writes it: `CNODESxSLOTS`, e.g. `1x4`.
  public var argument: String { "\(cnodes)x\(slotsPerCNode)" }

  /// Why a `--shape` argument is refused.
  public struct ParseError: Error, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String {
      "--shape '\(text)': \(reason); write CNODESxSLOTS: 1 to \(AbstractShape.maxCNodes) CNodes of \(AbstractShape.slotCounts.map(String.init).joined(separator: ", ")) slots each (a CNode has 2^radix slots, radix at least 1), at most \(AbstractShape.maxSlots) slots in all, e.g. 1x4 (the default) or 1x2"
    }
  }

  /// The shape `text` writes (`CNODESxSLOTS`, e.g. `1x4` or `2x2`; `default` is `1x4`).
  /// - Throws: `ParseError` for anything else, or a shape outside the bounds.
  public init(parsing text: String) throws(ParseError) {
    if text == "default" {
      self = .default
      return
    }
    let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
    guard parts.count == 2, let cnodes = Int(parts[0]), let slots = Int(parts[1]) else {
      throw ParseError(text: text, reason: "not of the form CNODESxSLOTS")
    }
    guard (1...Self.maxCNodes).contains(cnodes) else {
      throw ParseError(text: text, reason: "\(cnodes) CNodes")
    }
    guard Self.slotCounts.contains(slots) else {
      throw ParseError(text: text, reason: "\(slots) slots per CNode")
    }
    guard cnodes * slots <= Self.maxSlots else {
      throw ParseError(text: text, reason: "\(cnodes * slots) slots in all")
    }
    self.init(cnodes: cnodes, slotsPerCNode: slots)
  }
}

extension AbstractShape {
  /// "its CNode", or "one of its CNodes": what the obligations' statements say a CNode cap names.
  public var itsCNodes: String { cnodes == 1 ? "its CNode" : "one of its CNodes" }
}

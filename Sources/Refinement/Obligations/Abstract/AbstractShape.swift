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

  /// The shape `refine-check prove` uses: 1 CNode × 4 slots.
  public static let `default` = AbstractShape(cnodes: 1, slotsPerCNode: 4)

  /// The slots, in id order: CNode `c` at `0x10000 * (c + 1)`, its slots 0 ..< `slotsPerCNode`.
  public var slotRefs: [SlotRef] {
    (0..<cnodes).flatMap { c in
      (0..<slotsPerCNode).map { SlotRef(0x10000 &* UInt64(c + 1), UInt64($0)) }
    }
  }

  public var description: String {
    "shape (\(cnodes) CNode\(cnodes == 1 ? "" : "s") × \(slotsPerCNode) slots)"
  }
}

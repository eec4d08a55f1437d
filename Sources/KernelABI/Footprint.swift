// What an incremental invariant check reads, and the index of caps it asks about the state around
// a change.
//
// A spec layer's incremental check (`Invariants+Incremental.swift` in ExecutableSpec and
// AbstractSpec) runs each conjunct at *sites*: the slots (or objects) where the conjunct can have
// changed. Each conjunct declares what its check at a site reads besides the site itself
// (`FootprintRead`); the check is re-run at a site exactly when something it reads changed in the
// step. For each kind of read the layer knows the inverse: which sites read a changed thing (the
// slots whose tree parent's cap changed are the children of a changed slot, and so on). Leaving a
// read out of a declaration makes the incremental verdict differ from the full check on some
// states; `FootprintTests` shows that for every declared read.

/// One kind of thing a conjunct's check at a slot (or object) reads.
public enum FootprintRead: String, Sendable, CaseIterable, Codable {
  /// The cap in the slot, every field of it.
  case cap
  /// Only the region of the cap (an untyped's base and size, an object cap's object): what a pair
  /// of an untyped and a cap inside it reads of the untyped. A change of free index alone is not a
  /// change of region.
  case region
  /// The slot's original flag (abstract `is_original_cap`) or MDB flags (executable
  /// `mdbRevocable`, `mdbFirstBadged`).
  case flags
  /// The slot's MDB links (executable spec) or tree parent edge (abstract spec).
  case links
  /// The cap and flags of the slot's neighbours: MDB `prev` and `next` (executable spec), the tree
  /// parent (abstract spec).
  case neighbours
  /// The chain of derivation ancestors: whether the cap descends from another.
  case ancestry
  /// The object the cap names: its kind and size.
  case namedObject
  /// The other caps naming the same address.
  case sameAddress
  /// Every cap whose region lies inside this cap's region (an untyped's contents).
  case contents
}

/// One conjunct of a spec layer's incremental check: its l4v name and what its check reads.
public struct FootprintConjunct: Hashable, Sendable {
  /// The invariant and the conjunct, as `InvariantViolation` names them.
  public var invariant: String
  public var conjunct: String
  /// What the check at a site reads.
  public var reads: Set<FootprintRead>

  public init(_ invariant: String, conjunct: String? = nil, reads: Set<FootprintRead>) {
    self.invariant = invariant
    self.conjunct = conjunct ?? invariant
    self.reads = reads
  }
}

/// Where the caps of a layer's state point, kept by the lockstep checker from step to step, for
/// finding the sites of a change without a scan of every cap.
public protocol CapIndex {
  /// Call `body` with the slot of every cap whose memory range overlaps `[base, base + 2^sizeBits)`.
  func forEachCap(overlapping base: UInt64, sizeBits: UInt64, _ body: (SlotRef) -> Void)
  /// The same, for untyped caps only.
  func forEachUntyped(overlapping base: UInt64, sizeBits: UInt64, _ body: (SlotRef) -> Void)
  /// The first slot (in no particular order) of a cap whose range starts at `address` that
  /// `accept` accepts, stopping there.
  func firstCap(at address: UInt64, where accept: (SlotRef) -> Bool) -> SlotRef?
  /// The slots of every IRQControl and IRQHandler cap.
  var irqCaps: Set<SlotRef> { get }
}

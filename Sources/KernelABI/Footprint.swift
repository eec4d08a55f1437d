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
  public var reads: Set<FootprintRead> {
    didSet { readMask = FootprintConjunct.mask(reads) }
  }
  /// `reads` as `SiteReads` bits, for the check's inner loop (a `Set` is hashed at every lookup).
  public private(set) var readMask: UInt16

  public init(_ invariant: String, conjunct: String? = nil, reads: Set<FootprintRead>) {
    self.invariant = invariant
    self.conjunct = conjunct ?? invariant
    self.reads = reads
    self.readMask = FootprintConjunct.mask(reads)
  }

  private static func mask(_ reads: Set<FootprintRead>) -> UInt16 {
    reads.reduce(0) { $0 | $1.bit }
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

extension FootprintRead {
  /// This read's bit in a `SiteReads` mask.
  public var bit: UInt16 {
    switch self {
    case .cap: 1 << 0
    case .region: 1 << 1
    case .flags: 1 << 2
    case .links: 1 << 3
    case .neighbours: 1 << 4
    case .ancestry: 1 << 5
    case .namedObject: 1 << 6
    case .sameAddress: 1 << 7
    case .contents: 1 << 8
    }
  }
}

/// The sites (slots) of a step, each with the kinds of read that changed there: what an incremental check
/// builds once per step (the inverse of each `FootprintRead`), and then asks which sites a
/// conjunct must be re-run at. One small dictionary of bit masks, so that a conjunct's sites are a
/// filter, not a union of sets.
public struct SiteReads {
  @usableFromInline var masks: [SlotRef: UInt16] = [:]

  public init() {}

  /// Note that `read` changed for the check at `site`.
  public mutating func mark(_ site: SlotRef, _ read: FootprintRead) {
    masks[site, default: 0] |= read.bit
  }

  /// Note that `read` changed at each of `sites`.
  @inlinable
  public mutating func mark(_ sites: some Sequence<SlotRef>, _ read: FootprintRead) {
    for site in sites { masks[site, default: 0] |= read.bit }
  }

  /// The sites of the entries of `conjuncts` named in `names` (those that read `contents`, or
  /// those that do not): every site where one of an entry's reads changed.
  public func sites(_ conjuncts: [FootprintConjunct], _ names: [String], contents: Bool = false) -> [SlotRef] {
    sites(FootprintMasks(conjuncts), names, contents: contents)
  }

  /// The same, from a table's masks worked out beforehand (`FootprintMasks`).
  public func sites(_ masks: FootprintMasks, _ names: [String], contents: Bool = false) -> [SlotRef] {
    sites(mask: masks.mask(names, contents: contents))
  }

  /// The sites where one of the reads of `mask` changed.
  public func sites(mask: UInt16) -> [SlotRef] {
    guard mask != 0 else { return [] }
    return masks.compactMap { $0.value & mask != 0 ? $0.key : nil }
  }

  /// The marked sites with their masks in one array, for asking many conjuncts' sites: each is
  /// then a filter of the array, walked as it is asked for (no hash table walked, no array made,
  /// per conjunct). The sites come in the order `sites(mask:)` gives them.
  public var list: SiteList { SiteList(entries: masks.map { ($0.key, $0.value) }) }
}

/// The sites of a step with the kinds of read that changed at each (`SiteReads.list`).
public struct SiteList {
  @usableFromInline let entries: [(site: SlotRef, mask: UInt16)]

  @usableFromInline init(entries: [(site: SlotRef, mask: UInt16)]) { self.entries = entries }

  /// The sites where one of the reads of `mask` changed (those of `SiteReads.sites(mask:)`, in the
  /// same order).
  @inlinable
  public func sites(mask: UInt16) -> Sites { Sites(entries: mask == 0 ? [] : entries, mask: mask) }

  /// The sites of one mask: a filter of the list, walked when iterated.
  public struct Sites: Sequence {
    @usableFromInline let entries: [(site: SlotRef, mask: UInt16)]
    @usableFromInline let mask: UInt16

    @usableFromInline init(entries: [(site: SlotRef, mask: UInt16)], mask: UInt16) {
      self.entries = entries
      self.mask = mask
    }

    @inlinable
    public func makeIterator() -> Iterator { Iterator(entries: entries, mask: mask) }

    public struct Iterator: IteratorProtocol {
      @usableFromInline let entries: [(site: SlotRef, mask: UInt16)]
      @usableFromInline let mask: UInt16
      @usableFromInline var position = 0

      @usableFromInline init(entries: [(site: SlotRef, mask: UInt16)], mask: UInt16) {
        self.entries = entries
        self.mask = mask
      }

      @inlinable
      public mutating func next() -> SlotRef? {
        while position < entries.count {
          let entry = entries[position]
          position &+= 1
          if entry.mask & mask != 0 { return entry.site }
        }
        return nil
      }
    }
  }
}

/// A footprint table's reads by conjunct name, as `SiteReads` masks: those of the entries checked
/// at a cap, and those of the entries checked at an untyped against its contents. Worked out once
/// per table (a spec layer keeps its declared table's), so that finding a conjunct's sites is one
/// lookup rather than a pass over the table comparing names.
public struct FootprintMasks: Sendable {
  @usableFromInline var plain: [String: UInt16] = [:]
  @usableFromInline var contents: [String: UInt16] = [:]

  public init(_ conjuncts: [FootprintConjunct]) {
    for conjunct in conjuncts {
      if conjunct.readMask & FootprintRead.contents.bit != 0 {
        contents[conjunct.conjunct, default: 0] |= conjunct.readMask
      } else {
        plain[conjunct.conjunct, default: 0] |= conjunct.readMask
      }
    }
  }

  /// The union of the reads of the entries named in `names` (those that read `contents`, or those
  /// that do not).
  public func mask(_ names: [String], contents: Bool = false) -> UInt16 {
    let table = contents ? self.contents : plain
    var mask: UInt16 = 0
    for name in names { mask |= table[name] ?? 0 }
    return mask
  }

  /// `FootprintMasks(conjuncts)`, or `declared` when `conjuncts` is the table it was made from
  /// (`declaredTable`): the same masks, without building them again. (Two arrays sharing their
  /// storage compare equal at once, so this is cheap when they are one table.)
  public static func of(
    _ conjuncts: [FootprintConjunct], declared: FootprintMasks, declaredTable: [FootprintConjunct]
  ) -> FootprintMasks {
    conjuncts == declaredTable ? declared : FootprintMasks(conjuncts)
  }
}

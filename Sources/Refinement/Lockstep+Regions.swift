// Which caps a step's change can involve, for the incremental check of the whole-state conjuncts.
//
// Several invariants relate caps that may sit anywhere: the untyped conjuncts (`caps_contained'`,
// `untyped_mdb'`, `untyped_inc'` and their abstract twins), `mdb_chunked`, `descendants_inc`,
// `no_cap_to_obj_with_diff_ref`, `irq_control`. Every tuple such a conjunct looks at is made of
// caps that are *related*: their memory ranges overlap (an untyped and what lies in it, two caps
// to one object), or both are IRQ caps, or both SchedControl caps, or both Domain caps; and the
// structure they read (descendants, MDB lists) lies in one MDB list or one derivation tree.
//
// So after a step that held everything before, a broken tuple has a member whose cap or list
// (tree) changed. `affectedSlots` collects: D, the whole lists (trees) through the changed slots;
// R, every slot related to a slot of D (`CapRegionIndex` finds them by range and class); and
// the whole lists (trees) through D ∪ R. Every tuple with a member in D lies inside that set with
// the structure it reads, so each conjunct checked on that set alone gives its verdict on the
// whole state; tuples outside it held before and are unchanged. A state of 10,000 caps whose step
// touches 20 looks at about 20 (docs/incremental-check.md).

import AbstractSpec
import ExecutableSpec
import HashTreeCollections
import KernelABI

/// The caps of one layer's state by where they point: memory ranges (`RangeIndex`); IRQ,
/// SchedControl and Domain caps by class. Kept up to date by the checker from the slots each step
/// changes.
struct CapRegionIndex: Sendable {
  enum Key: Hashable, Sendable {
    case range(base: UInt64, sizeBits: UInt64)
    case irq, schedControl, domain
  }

  /// A trie, so that a trace's copy of the campaign's first index shares it (`TraceStart`).
  private var keyOf: TreeDictionary<SlotRef, Key> = [:]
  private var ranges = RangeIndex<SlotRef>()
  private var byClass: [Key: Set<SlotRef>] = [:]

  init() {}

  /// An index of every cap of `caps` (slot and cap).
  init(_ caps: some Sequence<(slot: SlotRef, cap: Capability)>) {
    var ranged: [(base: UInt64, sizeBits: UInt64, payload: SlotRef)] = []
    for (slot, cap) in caps {
      guard let key = CapRegionIndex.key(cap) else { continue }
      keyOf[slot] = key
      switch key {
      case .range(let base, let sizeBits): ranged.append((base, sizeBits, slot))
      case .irq, .schedControl, .domain: byClass[key, default: []].insert(slot)
      }
    }
    ranges = RangeIndex(ranged)
  }

  /// What the index files `cap` under. Ranges are the executable spec's `capRange`, which the
  /// abstract spec's `memoryRange` equals for every cap (`RegionIndexTests` checks).
  static func key(_ cap: Capability) -> Key? {
    if let range = cap.capRange { return .range(base: range.base, sizeBits: range.sizeBits) }
    switch cap {
    case .irqControl, .irqHandler: return .irq
    case .schedControl: return .schedControl
    case .domain: return .domain
    default: return nil
    }
  }

  /// Record that `slot` now holds `cap` (null: nothing).
  mutating func set(_ slot: SlotRef, _ cap: Capability) {
    let key = CapRegionIndex.key(cap)
    let old = keyOf[slot]
    if old == key { return }
    switch old {
    case .range(let base, let sizeBits)?: ranges.remove(base: base, sizeBits: sizeBits, slot)
    case let old?: byClass[old]?.remove(slot)
    case nil: break
    }
    keyOf[slot] = key
    switch key {
    case .range(let base, let sizeBits)?: ranges.insert(base: base, sizeBits: sizeBits, slot)
    case let key?: byClass[key, default: []].insert(slot)
    case nil: break
    }
  }

  /// Add to `found` every slot whose cap's range overlaps `[base, base + 2^sizeBits)`.
  func addOverlapping(base: UInt64, sizeBits: UInt64, to found: inout Set<SlotRef>) {
    ranges.forEachOverlapping(base, RangeIndex<SlotRef>.last(base, sizeBits)) { _, _, slot in found.insert(slot) }
  }

  /// Add to `found` every slot related to a cap of `caps` (overlapping its range, or of its
  /// class), asking once per distinct key: caps to one object (or of one class) have the same
  /// related slots, and a list of n copies of one cap would otherwise add the same n slots n times.
  func addRelated(toEach caps: some Sequence<Capability>, to found: inout Set<SlotRef>) {
    var done: Set<Key> = []
    for cap in caps {
      if let key = CapRegionIndex.key(cap), done.insert(key).inserted { addRelated(to: key, to: &found) }
    }
  }

  private func addRelated(to key: Key, to found: inout Set<SlotRef>) {
    switch key {
    case .range(let base, let sizeBits): addOverlapping(base: base, sizeBits: sizeBits, to: &found)
    case .irq, .schedControl, .domain: found.formUnion(byClass[key] ?? [])
    }
  }

  /// The slots of caps whose range starts at `address` (caps naming the object there, among others).
  func slots(at address: UInt64) -> [SlotRef] {
    var found: [SlotRef] = []
    ranges.forEachStarting(at: address) { _, slot in found.append(slot) }
    return found
  }
}

extension ExecState {
  /// A region index of every cap in this state.
  func regionIndex() -> CapRegionIndex {
    var caps: [(slot: SlotRef, cap: Capability)] = []
    for (address, object) in ksPSpace {
      for (slotIndex, entry) in object.execSlots where !entry.cap.isNull {
        caps.append((SlotRef(address, slotIndex), entry.cap))
      }
    }
    return CapRegionIndex(caps)
  }

  /// The slots of the MDB lists through `seeds` (the seeds included, even when empty). Nil when a
  /// walk goes round (a loop: the caller decides by the full check).
  func wholeLists(through seeds: some Sequence<SlotRef>) -> Set<SlotRef>? {
    var found: Set<SlotRef> = []
    for seed in seeds where !found.contains(seed) {
      found.insert(seed)
      for forward in [true, false] {
        var walked: Set<SlotRef> = [seed]
        var at = seed
        while let entry = cte(at: at), let next = forward ? entry.mdb.next : entry.mdb.prev {
          guard walked.insert(next).inserted else { return nil }
          found.insert(next)
          at = next
        }
      }
    }
    return found
  }

  /// `affectedSlots` (the top of this file) for the executable spec: the lists through `changed`,
  /// the slots related to them, and the lists through those. Nil when undecided.
  func affectedSlots(changed: some Sequence<SlotRef>, index: CapRegionIndex) -> Set<SlotRef>? {
    guard let lists = wholeLists(through: changed) else { return nil }
    var related = lists
    index.addRelated(toEach: lists.lazy.compactMap { cte(at: $0)?.cap }, to: &related)
    return related.count == lists.count ? lists : wholeLists(through: related)
  }
}

extension AbstractState {
  /// A region index of every cap in this state, and the tree's children by parent.
  func regionIndex() -> (index: CapRegionIndex, children: [SlotRef: Set<SlotRef>]) {
    let index = CapRegionIndex(capsOfState)
    var children: [SlotRef: Set<SlotRef>] = [:]
    for (child, parent) in cdt { children[parent, default: []].insert(child) }
    return (index, children)
  }

  /// The slots of the derivation trees through `seeds` (every slot linked to a seed by parent and
  /// child edges, the seeds included). Nil when an upward walk goes round.
  func wholeTrees(through seeds: some Sequence<SlotRef>, children: [SlotRef: Set<SlotRef>]) -> Set<SlotRef>? {
    var found: Set<SlotRef> = []
    for seed in seeds where !found.contains(seed) {
      // Up to the root, then everything below it.
      var root = seed
      var walked: Set<SlotRef> = [seed]
      while let parent = cdt[root] {
        guard walked.insert(parent).inserted else { return nil }
        root = parent
      }
      var frontier = [root]
      found.insert(root)
      while let slot = frontier.popLast() {
        for child in children[slot] ?? [] where found.insert(child).inserted { frontier.append(child) }
      }
      found.insert(seed)
    }
    return found
  }

  /// `affectedSlots` (the top of this file) for the abstract spec: the trees through `changed`, the
  /// slots related to them, and the trees through those. Nil when undecided.
  func affectedSlots(
    changed: some Sequence<SlotRef>, index: CapRegionIndex, children: [SlotRef: Set<SlotRef>]
  ) -> Set<SlotRef>? {
    guard let trees = wholeTrees(through: changed, children: children) else { return nil }
    var related = trees
    index.addRelated(toEach: trees.lazy.map { getCap($0) }, to: &related)
    return related.count == trees.count ? trees : wholeTrees(through: related, children: children)
  }
}

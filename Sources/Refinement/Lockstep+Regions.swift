// The index of where each layer's caps point, which the incremental check asks for the sites of a
// change (KernelABI `CapIndex`): the untypeds around a cap, the caps inside an untyped, the caps
// naming an address, the IRQ caps. Kept up to date by the checker from the slots each step
// changes, so a step asks about what it touched without a scan of every cap
// (docs/incremental-check.md).

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
  /// The untyped caps among `ranges`: a cap has few untypeds around it (their nesting), and many
  /// caps may share its range.
  private var untypedRanges = RangeIndex<SlotRef>()
  private var byClass: [Key: Set<SlotRef>] = [:]

  init() {}

  /// An index of every cap of `caps` (slot and cap).
  init(_ caps: some Sequence<(slot: SlotRef, cap: Capability)>) {
    var ranged: [(base: UInt64, sizeBits: UInt64, payload: SlotRef)] = []
    var untyped: [(base: UInt64, sizeBits: UInt64, payload: SlotRef)] = []
    for (slot, cap) in caps {
      guard let key = CapRegionIndex.key(cap) else { continue }
      keyOf[slot] = key
      switch key {
      case .range(let base, let sizeBits):
        ranged.append((base, sizeBits, slot))
        if cap.isUntyped { untyped.append((base, sizeBits, slot)) }
      case .irq, .schedControl, .domain: byClass[key, default: []].insert(slot)
      }
    }
    ranges = RangeIndex(ranged)
    untypedRanges = RangeIndex(untyped)
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

  /// Record that `slot` now holds `cap` (null: nothing), where it held `old` before.
  mutating func set(_ slot: SlotRef, _ cap: Capability, was old: Capability) {
    let (before, after) = (old.untypedRegion, cap.untypedRegion)
    if before?.base != after?.base || before?.sizeBits != after?.sizeBits {
      if let before { untypedRanges.remove(base: before.base, sizeBits: before.sizeBits, slot) }
      if let after { untypedRanges.insert(base: after.base, sizeBits: after.sizeBits, slot) }
    }
    let key = CapRegionIndex.key(cap)
    let oldKey = keyOf[slot]
    if oldKey == key { return }
    switch oldKey {
    case .range(let base, let sizeBits)?: ranges.remove(base: base, sizeBits: sizeBits, slot)
    case let oldKey?: byClass[oldKey]?.remove(slot)
    case nil: break
    }
    keyOf[slot] = key
    switch key {
    case .range(let base, let sizeBits)?: ranges.insert(base: base, sizeBits: sizeBits, slot)
    case let key?: byClass[key, default: []].insert(slot)
    case nil: break
    }
  }
}

extension CapRegionIndex: CapIndex {
  func forEachCap(overlapping base: UInt64, sizeBits: UInt64, _ body: (SlotRef) -> Void) {
    ranges.forEachOverlapping(base, RangeIndex<SlotRef>.last(base, sizeBits)) { _, _, slot in body(slot) }
  }

  func forEachUntyped(overlapping base: UInt64, sizeBits: UInt64, _ body: (SlotRef) -> Void) {
    untypedRanges.forEachOverlapping(base, RangeIndex<SlotRef>.last(base, sizeBits)) { _, _, slot in body(slot) }
  }

  func firstCap(at address: UInt64, where accept: (SlotRef) -> Bool) -> SlotRef? {
    ranges.firstStarting(at: address, where: accept)
  }

  var irqCaps: Set<SlotRef> { byClass[.irq] ?? [] }
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

  /// How many caps of each region (`RegionKey`) this state has.
  func regionCounts() -> [RegionKey: Int] {
    var counts: [RegionKey: Int] = [:]
    for (_, object) in ksPSpace {
      for (_, entry) in object.execSlots {
        let key = RegionKey(entry.cap)
        if key != .none { counts[key, default: 0] += 1 }
      }
    }
    return counts
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
}

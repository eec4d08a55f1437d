// The invariants re-checked after a step from what the step changed, for the lockstep checker.
//
// `invariantsHold(after:changed:)` answers what `invariantViolations().isEmpty` answers, given a
// state `before` in which every invariant held and the objects that differ between the two. It is
// cheaper because most conjuncts are about one slot, or a slot and the slots its links name:
// - per slot (`valid_cap'`, `valid_nullcaps`, `ut_revocable'`) and per link (`no_0`,
//   `valid_dlist`, `class_links`, `valid_badges`): a broken link has a changed end, and an unchanged
//   end of a link to a changed slot was that slot's neighbour before (the list was a valid doubly
//   linked list), so the changed slots and their old and new neighbours are all that need a look;
// - `mdb_chain_0`: a loop in the new list passes through a changed slot (else it was there before),
//   so walks from the changed slots find it;
// - `irq_control`: only a step that changes a slot holding an IRQControl cap can break it;
// - the layout (`pspace_*`): only when objects were added or removed, or one changed its size;
// - `valid_cap'` of unchanged caps: only when an object was removed (a cap may name it);
// - `valid_objs'` of a changed object, and `cur_tcb'`, directly;
// - the conjuncts about untyped memory and `mdb_chunked` relate caps anywhere, through whole
//   lists: they are checked on the slots `affected` names for the changed slots (the checker's
//   `affectedSlots`: the lists through them, every slot related to those, and their lists), and
//   only when some slot changed or an object was removed: they read nothing but the slots.
// A false answer means "broken or undecided": the caller then runs the full check.

public import KernelABI

extension ExecState {
  /// True iff every invariant holds in this state, given that every invariant held in `before`,
  /// that `changed` lists every object whose value differs from `before`'s (added ones included)
  /// and `removed` every object of `before` missing here; `spans` says where every object lies. `affected` gives, for slots whose cap or
  /// links changed, a set of slots closed under MDB lists that holds every slot related to them
  /// (and every cap naming a removed object), or nil when it cannot tell.
  public func invariantsHold(
    after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>, spans: ObjectSpans,
    affected: (Set<SlotRef>) -> Set<SlotRef>?
  ) -> Bool {
    guard curTCBViolations().isEmpty else { return false }
    var changedSlots: [SlotRef] = []
    var placed: [ObjectRef] = []
    for address in changed {
      guard let object = ksPSpace[address] else { return false }
      let old = before.ksPSpace[address]
      if old == nil || old?.sizeBits != object.sizeBits { placed.append(address) }
      // Same address, other kind of object: caps elsewhere may now name the wrong kind.
      if let old, !ExecState.sameKind(old, object) { return false }
      guard objectProblem(address, object) == nil else { return false }
      for index in object.changedSlotIndices(from: old) { changedSlots.append(SlotRef(address, index)) }
    }
    // The layout: only an object added (or resized) can break it, and only where it lies.
    for address in placed where !layoutHolds(at: address, spans: spans) { return false }

    // The changed slots and their old and new neighbours; a removed object's slots' old neighbours.
    var look: Set<SlotRef> = Set(minimumCapacity: 16)
    var irqTouched = false
    for address in removed {
      for (_, entry) in before.ksPSpace[address]?.execSlots ?? [] {
        if entry.cap == .irqControl { irqTouched = true }
        for link in [entry.mdb.prev, entry.mdb.next] {
          if let link, !removed.contains(link.container) { look.insert(link) }
        }
      }
    }
    for slot in changedSlots {
      look.insert(slot)
      if let entry = cte(at: slot) {
        if let prev = entry.mdb.prev { look.insert(prev) }
        if let next = entry.mdb.next { look.insert(next) }
        if entry.cap == .irqControl { irqTouched = true }
      }
      if let old = before.cte(at: slot) {
        // An old neighbour in a removed object is gone; the links that named it changed.
        for link in [old.mdb.prev, old.mdb.next] {
          if let link, !removed.contains(link.container) { look.insert(link) }
        }
        if old.cap == .irqControl { irqTouched = true }
      }
    }
    for slot in look {
      // A slot that no longer exists is named by a link: `no_0` fails.
      guard let entry = cte(at: slot) else { return false }
      guard slotHolds(slot, entry) else { return false }
    }
    guard chainsEnd(from: changedSlots) else { return false }
    // The whole-list conjuncts below read only the slots (caps and links). With no slot changed
    // and no object removed, every slot holds what it held in `before`, where they held.
    if changedSlots.isEmpty && removed.isEmpty { return true }

    // Whole-list conjuncts, on the occupied slots among those the change can involve.
    look.formUnion(changedSlots)
    guard let around = affected(look) else { return false }
    var entries: [SlotRef: CTE] = Dictionary(minimumCapacity: around.count)
    var occupied: [SlotRef] = []
    occupied.reserveCapacity(around.count)
    for slot in around.sorted() {
      guard let entry = cte(at: slot), !entry.cap.isNull else { continue }
      occupied.append(slot)
      entries[slot] = entry
    }
    // A removed object: the caps naming it are among `around`.
    if !removed.isEmpty {
      for slot in occupied {
        if let entry = entries[slot], capProblem(entry.cap) != nil { return false }
      }
    }
    // Every IRQ cap is related to every other, so all of them are among `around` when one changed.
    if irqTouched {
      let irqControls = occupied.filter { entries[$0]?.cap == .irqControl }
      if irqControls.count > 1 || irqControls.contains(where: { entries[$0]?.mdb.revocable == false }) { return false }
    }
    guard untypedViolations(entries, occupied).isEmpty else { return false }
    return !chunkBroken(entries, occupied)
  }

  /// `pspace_aligned'`, `pspace_in_kernel_mappings'` and `pspace_distinct'` for the object at
  /// `address` alone, against the other objects of `spans`.
  func layoutHolds(at address: ObjectRef, spans: ObjectSpans) -> Bool {
    guard let object = ksPSpace[address] else { return true }
    let range = (base: address, sizeBits: object.sizeBits)
    guard address & lowMask(range.sizeBits) == 0, range.sizeBits < 64,
      rangeContains(outer: (memoryBase, memorySizeBits), inner: range)
    else { return false }
    return !spans.overlapsAnother(address, sizeBits: range.sizeBits)
  }

  /// The slot-local and link conjuncts at `slot`: `valid_cap'`, `valid_nullcaps`, `ut_revocable'`,
  /// `no_0` and `valid_dlist` of both links, `class_links` and `valid_badges` with the next slot.
  func slotHolds(_ slot: SlotRef, _ entry: CTE) -> Bool {
    if entry.cap.isNull { return entry.mdb == .null }
    if capProblem(entry.cap) != nil { return false }
    if entry.cap.isUntyped && !entry.mdb.revocable { return false }
    if let prev = entry.mdb.prev {
      guard let target = cte(at: prev), target.mdb.next == slot else { return false }
    }
    if let next = entry.mdb.next {
      guard let nextEntry = cte(at: next), nextEntry.mdb.prev == slot else { return false }
      if entry.cap.capClass != nextEntry.cap.capClass { return false }
      if let badge = entry.cap.badge, let nextBadge = nextEntry.cap.badge, entry.cap.sameRegionAs(nextEntry.cap),
        badge != nextBadge, nextBadge != 0, !nextEntry.mdb.firstBadged
      {
        return false
      }
    }
    return true
  }

  /// `mdb_chain_0` for lists through `starts`: following `next` from each ends. A walk that meets
  /// a slot seen before in the same walk has found a loop; one that meets a slot an earlier walk
  /// reached stops there (that walk ended).
  func chainsEnd(from starts: [SlotRef]) -> Bool {
    var ended: Set<SlotRef> = []
    for start in starts {
      var path: Set<SlotRef> = []
      var at: SlotRef? = start
      while let slot = at, !ended.contains(slot) {
        guard path.insert(slot).inserted else { return false }
        at = cte(at: slot)?.mdb.next
      }
      ended.formUnion(path)
    }
    return true
  }

  /// What is wrong with the object itself (`valid_objs'` without its caps), if anything.
  func objectProblem(_ address: ObjectRef, _ object: KernelObject) -> String? {
    switch object {
    case .cnode(let node):
      return node.radix >= 64 || UInt64(node.ctes.count) != UInt64(1) << node.radix ? "slot count" : nil
    case .tcb(let tcb):
      if UInt64(tcb.ctes.count) != TCBSlot.count { return "slot count" }
      return tcb.priority > KernelConstants.maxPriority || tcb.maxControlledPriority > KernelConstants.maxPriority
        ? "priority" : nil
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      return nil
    }
  }

  /// Whether two objects are of one kind and size (what a cap naming them can tell).
  static func sameKind(_ a: KernelObject, _ b: KernelObject) -> Bool {
    switch (a, b) {
    case (.cnode(let x), .cnode(let y)): x.radix == y.radix
    case (.tcb, .tcb): true
    case (.endpoint, .endpoint), (.notification, .notification), (.reply, .reply): true
    case (.schedContext(let x), .schedContext(let y)): x == y
    case (.opaque(let k, let x), .opaque(let l, let y)): k == l && x == y
    default: false
    }
  }
}

extension KernelObject {
  /// The object's stored capability slots with their indices, ascending: every slot of a TCB, the
  /// non-empty slots of a CNode (the others hold `CTE.null`); empty for objects without slots.
  public var execSlots: [(index: UInt64, entry: CTE)] {
    switch self {
    case .cnode(let node): node.ctes.occupied
    case .tcb(let tcb): tcb.ctes.enumerated().map { (UInt64($0.offset), $0.element) }
    case .endpoint, .notification, .reply, .schedContext, .opaque: []
    }
  }

  /// The indices of the slots whose entries differ from `old`'s (every stored slot when `old` is
  /// nil or has no slots), in no particular order.
  public func changedSlotIndices(from old: KernelObject?) -> [UInt64] {
    switch (self, old) {
    case (.cnode(let node), .cnode(let before)?) where node.ctes.count == before.ctes.count:
      return Array(node.ctes.changedIndices(from: before.ctes))
    case (.tcb(let tcb), .tcb(let before)?) where tcb.ctes.count == before.ctes.count:
      return tcb.ctes.indices.filter { tcb.ctes[$0] != before.ctes[$0] }.map { UInt64($0) }
    default:
      var indices = Set(execSlots.map(\.index))
      for (index, _) in old?.execSlots ?? [] { indices.insert(index) }
      return Array(indices)
    }
  }
}

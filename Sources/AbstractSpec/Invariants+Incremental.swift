// The abstract invariants re-checked after a step from what the step changed, for the lockstep
// checker (`invariantsHold(after:step:index:)`, below).
//
// As in the executable spec (`ExecutableSpec/Invariants+Incremental.swift`), each conjunct is
// checked at sites (slots) and declares what its check at a site reads (its entry in the table of
// `Invariants.swift`, gathered in `incrementalConjuncts`); a site is re-checked exactly when
// something it reads changed:
// - the slot's cap or original flag: the slots the step changed;
// - its tree edge (the parent): the children whose parent changed;
// - its parent's cap (`neighbours`): the children of a slot whose cap changed;
// - its ancestry: the children whose parent changed and their subtrees before the step (a slot
//   whose ancestors changed has a nearest one whose own parent changed, and was below it);
// - the object its cap names: the caps naming an object that was removed or changed kind or size;
// - the other caps to its address: checked against one unchanged cap there and the changed ones;
// - an untyped's region: the caps inside a changed untyped region.
// Conjuncts over caps anywhere are split into checks at one site: `untyped_mdb` at a cap against
// the untypeds around it (found through `CapIndex`) and at a changed untyped against its contents;
// `untyped_inc` at an untyped against the untypeds it overlaps; `no_mloop` by walking up from the
// changed edges (a new loop passes through one); `no_cap_to_obj_with_diff_ref` against one
// unchanged cap to the same address (agreement is an equivalence: if all agreed before, a changed
// cap that agrees with one agrees with all). `if_unsafe_then_cap` asks `isNamed`.

public import KernelABI

extension AbstractState {
  /// The conjuncts the incremental check runs at slots, with what each reads: the declarations
  /// of `invariants`, entry by entry.
  public static let incrementalConjuncts: [FootprintConjunct] = invariants.footprint
  /// `incrementalConjuncts`' reads by name, worked out once.
  static let incrementalMasks = FootprintMasks(incrementalConjuncts)

  /// The `SiteReads` masks `invariantsHold` finds its sites with, one for each conjunct it checks
  /// at slots (with `FootprintMasks`), whether the table has `if_live_then_nonz_cap` and whether
  /// `no_cap_to_obj_with_diff_ref` reads `sameAddress`: worked out once for the declared table
  /// (`declared`), not by hashing the conjuncts' names at each step; a test's table gets its own.
  struct SiteMasks {
    var checksLive, sameAddressRead: Bool
    var validCaps, validIOC, mdbCteAt, noMloop, descendantsInc, utRevocable, irqRevocable: UInt16
    var untypedMdb, untypedMdbContents, untypedInc, ifUnsafeThenCap, live, noCapToObjWithDiffRef: UInt16

    init(_ conjuncts: [FootprintConjunct]) {
      let masks = FootprintMasks.of(
        conjuncts, declared: AbstractState.incrementalMasks, declaredTable: AbstractState.incrementalConjuncts)
      checksLive = conjuncts.contains { $0.invariant == "if_live_then_nonz_cap" }
      sameAddressRead =
        (masks.mask(["no_cap_to_obj_with_diff_ref"]) | masks.mask(["no_cap_to_obj_with_diff_ref"], contents: true))
        & FootprintRead.sameAddress.bit != 0
      validCaps = masks.mask(["valid_caps"])
      validIOC = masks.mask(["valid_ioc"])
      mdbCteAt = masks.mask(["mdb_cte_at"])
      noMloop = masks.mask(["no_mloop"])
      descendantsInc = masks.mask(["descendants_inc"])
      utRevocable = masks.mask(["ut_revocable"])
      irqRevocable = masks.mask(["irq_revocable"])
      untypedMdb = masks.mask(["untyped_mdb"])
      untypedMdbContents = masks.mask(["untyped_mdb"], contents: true)
      untypedInc = masks.mask(["untyped_inc"])
      ifUnsafeThenCap = masks.mask(["if_unsafe_then_cap"])
      live = masks.mask(["if_live_then_nonz_cap"])
      noCapToObjWithDiffRef = masks.mask(["no_cap_to_obj_with_diff_ref"])
    }

    static let declared = SiteMasks(AbstractState.incrementalConjuncts)

    /// `declared` when `conjuncts` is the declared table (two arrays sharing storage compare
    /// equal at once), else the masks of `conjuncts`.
    static func of(_ conjuncts: [FootprintConjunct]) -> SiteMasks {
      conjuncts == AbstractState.incrementalConjuncts ? declared : SiteMasks(conjuncts)
    }
  }

  /// True only if every invariant holds in this state, given that every invariant held in
  /// `before` and that the logs of `kheap`, `cdt` and `isOriginalCap` hold every write since it
  /// (`changed` and `removed`: the objects that differ; `spans`: where every object lies).
  /// `oldChildren` gives a slot's children in `before`; `isNamed` whether some CNode or thread cap
  /// names an object now (`if_unsafe_then_cap`). False means "broken or undecided".
  /// `checksObjects`: false leaves out the checks that run whatever the table (`cur_tcb`, the
  /// scheduler's,
  /// `valid_objs` of a changed object, the layout), so that a test can compare one conjunct's
  /// verdict with the full check's.
  public func invariantsHold(
    after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>, spans: ObjectSpans,
    index: some CapIndex, oldChildren: (SlotRef) -> Set<SlotRef>,
    conjuncts: [FootprintConjunct] = AbstractState.incrementalConjuncts, checksObjects: Bool = true,
    changedSlots known: [SlotRef: Capability]? = nil,
    isNamed: (ObjectRef) -> Bool
  ) -> Bool {
    guard cdt.log.isComplete, isOriginalCap.log.isComplete, memoryBase == before.memoryBase,
      memorySizeBits == before.memorySizeBits,
      !checksObjects
        || (curTCB().isEmpty
          && (schedulerMayHaveChanged(after: before, changed: changed, removed: removed)
            ? schedInvariantViolations().isEmpty : timeInvariantViolations().isEmpty)
          && (!notificationsMayHaveChanged(after: before, changed: changed, removed: removed)
            || symRefsNotifications().isEmpty)
          && (!endpointsMayHaveChanged(after: before, changed: changed, removed: removed)
            || symRefsEndpoints().isEmpty)
          && (!callStacksMayHaveChanged(after: before, changed: changed, removed: removed)
            || (symRefsSCReplies().isEmpty && activeReplySCs().isEmpty))
          && (!scLinksMayHaveChanged(after: before, changed: changed, removed: removed)
            || symRefsSCLinks().isEmpty)
          && (!ipcQueueOrderMayHaveChanged(after: before, changed: changed, removed: removed)
            || sortedIPCQueues().isEmpty)
          && (!repliesMayHaveChanged(after: before, changed: changed, removed: removed)
            || (symRefsReplies().isEmpty && validReplies().isEmpty))
          && idleInvariantsHold(changed: changed, removed: removed))
    else { return false }

    // Objects: `valid_objs` of a changed one, the layout of one added or resized; the caps naming
    // one that was removed or changed kind or size read it.
    var reads = SiteReads()
    func namedBy(_ address: ObjectRef, sizeBits: UInt64) {
      index.forEachCap(overlapping: address, sizeBits: sizeBits) { reads.mark($0, .namedObject) }
    }
    for address in changed {
      guard let object = kheap[address] else { return false }
      let old = before.kheap[address]
      // A CNode of the same radix: only its changed slots can be beyond the radix (below).
      let sameCNode: Bool =
        if case .cnode? = old, let old { AbstractState.sameKind(old, object) } else { false }
      guard !checksObjects || sameCNode || objectHolds(address, object) else { return false }
      if checksObjects && old?.sizeBits != object.sizeBits {
        guard layoutHolds(at: address, spans: spans) else { return false }
      }
      if let old, !AbstractState.sameKind(old, object) {
        namedBy(address, sizeBits: max(old.sizeBits, object.sizeBits))
      }
    }
    for address in removed {
      guard let old = before.kheap[address] else { continue }
      namedBy(address, sizeBits: old.sizeBits)
    }
    let capChanged = known ?? changedSlots(after: before, changed: changed, removed: removed)
    guard !checksObjects || irqInvariantsHold(after: before, changed: changed, changedSlots: capChanged.keys)
    else { return false }
    for (slot, _) in capChanged where checksObjects {
      if case .cnode(let cnode)? = kheap[slot.container], slot.index >= bit(cnode.radix), !getCap(slot).isNull {
        return false
      }
    }

    // What changed, by kind of read: the inverse of each `FootprintRead`.
    reads.mark(capChanged.keys, .cap)
    // (Loops over the two states' fields, not `filter` with a closure: a closure that names
    // `self` or `before` copies the whole state for every key.)
    let (flagsNow, flagsBefore) = (isOriginalCap, before.isOriginalCap)
    for slot in flagsNow.log.keys where flagsNow.contains(slot) != flagsBefore.contains(slot) {
      reads.mark(slot, .flags)
    }
    let (cdtNow, cdtBefore) = (cdt, before.cdt)
    var edges: Set<SlotRef> = []
    for slot in cdtNow.log.keys where cdtNow[slot] != cdtBefore[slot] { edges.insert(slot) }
    reads.mark(edges, .links)
    var parentsChanged: Set<SlotRef> = []
    for (slot, _) in capChanged {
      parentsChanged.formUnion(oldChildren(slot))
    }
    for child in edges { if let parent = cdt[child], capChanged[parent] != nil { parentsChanged.insert(child) } }
    reads.mark(parentsChanged, .neighbours)
    var below = edges
    var frontier = Array(edges)
    while let slot = frontier.popLast() {
      for child in oldChildren(slot) where below.insert(child).inserted { frontier.append(child) }
    }
    reads.mark(below, .ancestry)
    for (slot, old) in capChanged {
      let (now, was) = (getCap(slot).untypedRegion, old.untypedRegion)
      if now?.base != was?.base || now?.sizeBits != was?.sizeBits { reads.mark(slot, .region) }
    }
    // `sameAddress` marks no site: it is read through `index` at the sites of the other reads.
    // The sites of a conjunct's entries (its mask in `SiteMasks`): those checked at a cap, or (the
    // `...Contents` masks) the entry checked at an untyped against what lies inside it.
    let siteMasks = SiteMasks.of(conjuncts)
    // (The marked sites are put in one array once, and each conjunct's are a filter of it.)
    let siteList = reads.list
    func sites(_ mask: UInt16) -> SiteList.Sites { siteList.sites(mask: mask) }

    for slot in sites(siteMasks.validCaps) where capProblem(getCap(slot)) != nil { return false }
    for slot in sites(siteMasks.validIOC) where isOriginalCap.contains(slot) && getCap(slot).isNull { return false }
    for slot in sites(siteMasks.mdbCteAt) {
      if let parent = cdt[slot], getCap(slot).isNull || getCap(parent).isNull { return false }
    }
    for start in sites(siteMasks.noMloop) {
      var at = start
      for _ in 0..<cdt.count {
        guard let parent = cdt[at] else { break }
        if parent == start { return false }
        at = parent
      }
    }
    for slot in sites(siteMasks.descendantsInc) {
      guard let parent = cdt[slot] else { continue }
      let (c, p) = (getCap(slot), getCap(parent))
      guard AbstractState.capClass(c) == AbstractState.capClass(p), AbstractState.rangeInside(c, p) else {
        return false
      }
    }
    for slot in sites(siteMasks.utRevocable)
    where AbstractState.isUntyped(getCap(slot)) && !isOriginalCap.contains(slot) {
      return false
    }
    for slot in sites(siteMasks.irqRevocable) where getCap(slot) == .irqControl && !isOriginalCap.contains(slot) {
      return false
    }

    // Untyped memory.
    for slot in sites(siteMasks.untypedMdb) {
      let cap = getCap(slot)
      guard !AbstractState.isUntyped(cap), let object = cap.objectRef else { continue }
      var holds = true
      index.forEachUntyped(overlapping: object, sizeBits: 0) { untyped in
        if holds && !insideHolds(slot, object, untyped: untyped) { holds = false }
      }
      guard holds else { return false }
    }
    for untyped in sites(siteMasks.untypedMdbContents) {
      guard let region = getCap(untyped).untypedRegion else { continue }
      var holds = true
      index.forEachCap(overlapping: region.base, sizeBits: region.sizeBits) { slot in
        let cap = getCap(slot)
        guard holds, !AbstractState.isUntyped(cap), let object = cap.objectRef else { return }
        if !insideHolds(slot, object, untyped: untyped) { holds = false }
      }
      guard holds else { return false }
    }
    for slot in sites(siteMasks.untypedInc) {
      guard let region = getCap(slot).untypedRegion else { continue }
      var holds = true
      index.forEachUntyped(overlapping: region.base, sizeBits: region.sizeBits) { other in
        if holds && other != slot && !untypedPairHolds(slot, other) { holds = false }
      }
      guard holds else { return false }
    }

    // `if_unsafe_then_cap`: a filled changed slot sits in a named object; an object that lost a
    // cap naming it still is named, if it holds anything.
    // An IRQ node slot is named by its line's handler caps instead (a full scan, at the rare steps
    // that fill a node slot or drop a handler cap).
    for slot in sites(siteMasks.ifUnsafeThenCap) {
      if !getCap(slot).isNull {
        if slot.container == IRQConstants.irqNodePtr {
          if !hasIRQHandlerCap(slot.index) { return false }
        } else if !isNamed(slot.container) {
          return false
        }
      }
      switch capChanged[slot] {
      case .cnode(let r, _, _, _)?, .thread(let r)?:
        if AbstractState.holdsCaps(kheap[r]) && !isNamed(r) { return false }
      case .irqHandler(let irq)?:
        if !getCap(irqNodeSlot(irq)).isNull && !hasIRQHandlerCap(irq) { return false }
      default: break
      }
    }

    // `if_live_then_nonz_cap` (`Invariants+Live.swift`): the objects the step changed, and those
    // the old caps of the sites named.
    if siteMasks.checksLive {
      let lost = sites(siteMasks.live).lazy.map { capChanged[$0] ?? .null }
      guard ifLiveThenNonzCapHolds(after: before, changed: changed, lostCaps: lost, index: index) else { return false }
    }

    // `no_cap_to_obj_with_diff_ref`: each changed cap against the changed caps to its address and
    // one unchanged one.
    let sameAddressRead = siteMasks.sameAddressRead
    var byAddress: [UInt64: Capability] = [:]
    for slot in sites(siteMasks.noCapToObjWithDiffRef) {
      let cap = getCap(slot)
      guard case .some = cap.objectRef, !AbstractState.isUntyped(cap), let range = cap.memoryRange else { continue }
      if let seen = byAddress[range.base] {
        guard AbstractState.agree(seen, cap) else { return false }
        continue
      }
      byAddress[range.base] = cap
      guard sameAddressRead else { continue }
      let other = index.firstCap(at: range.base) { other in
        capChanged[other] == nil && AbstractState.namesObjectAt(getCap(other), range.base)
      }
      if let other, !AbstractState.agree(getCap(other), cap) { return false }
    }
    return true
  }

  /// Whether two caps to one address agree on the object there (`no_cap_to_obj_with_diff_ref`).
  static func agree(_ a: Capability, _ b: Capability) -> Bool {
    guard let ra = a.memoryRange, let rb = b.memoryRange else { return true }
    return a.sameObjectAs(b) && ra.sizeBits == rb.sizeBits
  }

  /// Whether `cap` is one `no_cap_to_obj_with_diff_ref` compares at `address`.
  static func namesObjectAt(_ cap: Capability, _ address: UInt64) -> Bool {
    guard case .some = cap.objectRef, !isUntyped(cap), let range = cap.memoryRange else { return false }
    return range.base == address
  }

  /// Whether `slot` descends from `ancestor` (walking up the tree; a walk that goes round does not).
  public func descends(_ slot: SlotRef, from ancestor: SlotRef) -> Bool {
    var at = slot
    for _ in 0...cdt.count {
      guard let parent = cdt[at] else { return false }
      if parent == ancestor { return true }
      at = parent
    }
    return false
  }

  /// `untyped_mdb` for the cap at `slot` (not an untyped) naming `object`, against the untyped at
  /// `untyped`: inside its region, it descends from it.
  func insideHolds(_ slot: SlotRef, _ object: ObjectRef, untyped: SlotRef) -> Bool {
    guard let region = getCap(untyped).untypedRegion else { return true }
    guard object >= region.base && object <= region.base &+ mask(region.sizeBits) else { return true }
    return descends(slot, from: untyped)
  }

  /// `untyped_inc` for two untypeds, both ways round (`untypedInc` in `Invariants+MDB.swift`).
  func untypedPairHolds(_ x: SlotRef, _ y: SlotRef) -> Bool {
    func untyped(_ slot: SlotRef) -> UntypedExtent? {
      guard case .untyped(let base, let sizeBits, _, let freeIndex) = getCap(slot) else { return nil }
      return UntypedExtent(slot: slot, base: base, sizeBits: sizeBits, freeIndex: freeIndex)
    }
    guard let ux = untyped(x), let uy = untyped(y) else { return true }
    for (a, b) in [(ux, uy), (uy, ux)] {
      let aInB = b.base <= a.base && a.top <= b.top
      let bInA = a.base <= b.base && b.top <= a.top
      let disjoint = a.top < b.base || b.top < a.base
      if !aInB && !bInA && !disjoint { return false }
      if bInA && !aInB {
        if !descends(b.slot, from: a.slot) && a.freeMemoryReaches(b.top) { return false }
        if descends(a.slot, from: b.slot) { return false }
      }
      if aInB && bInA && a.slot < b.slot {
        let aAbove = descends(b.slot, from: a.slot) && a.isFull
        let bAbove = descends(a.slot, from: b.slot) && b.isFull
        if !aAbove && !bAbove { return false }
      }
    }
    return true
  }

  /// `valid_objs` of one object.
  func objectHolds(_ address: ObjectRef, _ object: KernelObject) -> Bool {
    validObjs(of: [(address, object)]).isEmpty
  }

  /// Whether two versions of an object are of one kind and size (what a cap naming it reads).
  static func sameKind(_ a: KernelObject, _ b: KernelObject) -> Bool {
    switch (a, b) {
    case (.cnode(let x), .cnode(let y)): x.radix == y.radix
    case (.tcb, .tcb), (.endpoint, .endpoint), (.notification, .notification), (.reply, .reply): true
    case (.schedContext(let x), .schedContext(let y)): x.sizeBits == y.sizeBits
    case (.opaque(let k, let x), .opaque(let l, let y)): k == l && x == y
    default: false
    }
  }

  /// `pspace_aligned` and `pspace_distinct` for the object at `address` alone: aligned, inside
  /// memory, overlapping no other object of `spans`.
  func layoutHolds(at address: ObjectRef, spans: ObjectSpans) -> Bool {
    guard let object = kheap[address] else { return true }
    let top = address &+ mask(object.sizeBits)
    let memoryEnd = memoryBase &+ mask(memorySizeBits)
    guard address & mask(object.sizeBits) == 0, address >= memoryBase, top <= memoryEnd, top >= address else {
      return false
    }
    return !spans.overlapsAnother(address, sizeBits: object.sizeBits)
  }

  /// The slots whose caps differ from `before`'s, with the caps `before` had there, given the
  /// objects that differ (`changed`, added ones included) and those removed. For an object that
  /// only `setCap` wrote (not in `kheap.replaced`), the slots it logged; for any other, every slot.
  public func changedSlots(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>)
    -> [SlotRef: Capability]
  {
    var result: [SlotRef: Capability] = [:]
    let trustLog = slotLog.isComplete && kheap.replaced.isComplete
    var logged: [ObjectRef: [UInt64]] = [:]
    if trustLog {
      for slot in slotLog.keys { logged[slot.container, default: []].append(slot.index) }
    }
    for address in changed {
      let (now, old) = (kheap[address], before.kheap[address])
      let indices: any Sequence<UInt64> =
        trustLog && old != nil && !kheap.replaced.contains(address)
        ? logged[address] ?? [] : AbstractState.changedSlotIndices(now, old)
      for index in indices {
        let slot = SlotRef(address, index)
        let was = before.getCap(slot)
        if getCap(slot) != was { result[slot] = was }
      }
    }
    for address in removed {
      for index in AbstractState.changedSlotIndices(nil, before.kheap[address]) {
        result[SlotRef(address, index)] = before.getCap(SlotRef(address, index))
      }
    }
    return result
  }

  /// The indices of the slots whose caps differ between two versions of an object.
  public static func changedSlotIndices(_ new: KernelObject?, _ old: KernelObject?) -> Set<UInt64> {
    func slots(_ object: KernelObject?) -> CapSlots {
      switch object {
      case .cnode(let cnode)?: cnode.slots
      case .tcb(let tcb)?: tcb.slots
      default: [:]
      }
    }
    let (a, b) = (slots(new), slots(old))
    if a == b { return [] }
    var indices: Set<UInt64> = []
    for (index, cap) in a where b[index] != cap { indices.insert(index) }
    for (index, cap) in b where a[index] != cap { indices.insert(index) }
    return indices
  }

  /// Whether an object holds any cap.
  static func holdsCaps(_ object: KernelObject?) -> Bool {
    switch object {
    case .cnode(let cnode)?: !cnode.slots.isEmpty
    case .tcb(let tcb)?: !tcb.slots.isEmpty
    default: false
    }
  }
}

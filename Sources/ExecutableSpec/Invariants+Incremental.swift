// The invariants re-checked after a step from what the step changed, for the lockstep checker.
//
// `invariantsHold(after:...)` answers what `invariantViolations().isEmpty` answers, given a state
// `before` in which every invariant held and what differs between the two. Each conjunct is checked
// at *sites* (slots), and declares what its check at a site reads (its entry in the table of
// `Invariants.swift`, gathered in `incrementalConjuncts`, with KernelABI's `FootprintRead`); a site
// is re-checked exactly when something it reads changed:
// - the slot's own cap, flags or links: the slots the step changed;
// - its MDB neighbours (`prev`, `next`): the old and new neighbours of a changed slot (a broken
//   link has a changed end, and an unchanged end of a link to a changed slot was its neighbour);
// - the object its cap names: the caps naming a removed object (an object that changes kind
//   sends the step to the full check);
// - its derivation ancestry: the slots whose ancestors may have changed (the checker's
//   `DerivedParents.affected`);
// - an untyped's region: the caps inside a changed untyped region (its contents).
// The conjuncts over caps anywhere are split into such checks at one site: `mdb_chunked` for caps
// of one object (or IRQ, SchedControl, Domain cap) is "one run in one list", which counts the
// run starts of each region (a slot whose `prev` is of another region), so a step adds or removes
// run starts only at the sites around its changes; for an untyped and the caps inside it,
// `mdb_chunked`, `caps_contained'` and `untyped_mdb'` together say that each cap inside descends
// from the untyped (its descendants are the run of caps inside right after it), which is checked
// at the cap (against the untypeds around it, found through `CapIndex`) and at a changed untyped
// (against its contents); `untyped_inc'` is checked at a changed untyped against the untypeds it
// overlaps. `irq_control` and the IRQ caps' `mdb_chunked` look at the few IRQ caps whenever a
// changed slot held or holds one.
// A false answer means "broken or undecided": the caller then runs the full check.

public import KernelABI

extension ExecState {
  /// The conjuncts the incremental check runs at slots, with what each reads: the declarations
  /// of `invariants`, entry by entry. `invariantsHold` finds each one's sites from its reads alone;
  /// `FootprintTests` drops one read at a time and sees the incremental verdict part from the full
  /// check's.
  public static let incrementalConjuncts: [FootprintConjunct] = invariants.footprint
  /// `incrementalConjuncts`' reads by name, worked out once.
  static let incrementalMasks = FootprintMasks(incrementalConjuncts)

  /// The `SiteReads` masks `invariantsHold` finds its sites with, one for each conjunct it checks
  /// at slots (with `FootprintMasks`), and whether the table has `if_live_then_nonz_cap'`: worked
  /// out once for the declared table (`declared`), not by hashing the conjuncts' names at each
  /// step; a test's table gets its own.
  struct SiteMasks {
    var checksLive: Bool
    var live, validCap, validNullcaps, utRevocable, no0, validDlist, mdbChain0, classLinks, validBadges: UInt16
    var irqControl, mdbChunked, untypedCaps, untypedContents, untypedInc: UInt16

    init(_ conjuncts: [FootprintConjunct]) {
      let masks = FootprintMasks.of(
        conjuncts, declared: ExecState.incrementalMasks, declaredTable: ExecState.incrementalConjuncts)
      checksLive = conjuncts.contains { $0.invariant == "if_live_then_nonz_cap'" }
      live = masks.mask(["if_live_then_nonz_cap'"])
      validCap = masks.mask(["valid_cap'"])
      validNullcaps = masks.mask(["valid_nullcaps"])
      utRevocable = masks.mask(["ut_revocable'"])
      no0 = masks.mask(["no_0"])
      validDlist = masks.mask(["valid_dlist"])
      mdbChain0 = masks.mask(["mdb_chain_0"])
      classLinks = masks.mask(["class_links"])
      validBadges = masks.mask(["valid_badges"])
      irqControl = masks.mask(["irq_control"])
      mdbChunked = masks.mask(["mdb_chunked"])
      untypedCaps = masks.mask(["untyped_mdb'", "caps_contained'"])
      untypedContents = masks.mask(["untyped_mdb'"], contents: true)
      untypedInc = masks.mask(["untyped_inc'"])
    }

    static let declared = SiteMasks(ExecState.incrementalConjuncts)

    /// `declared` when `conjuncts` is the declared table (two arrays sharing storage compare
    /// equal at once), else the masks of `conjuncts`.
    static func of(_ conjuncts: [FootprintConjunct]) -> SiteMasks {
      conjuncts == ExecState.incrementalConjuncts ? declared : SiteMasks(conjuncts)
    }
  }

  /// What the incremental check is told about the step, besides the two states.
  public struct StepFootprint {
    /// The objects whose value differs from `before`'s (added ones included), and those removed.
    public var changed: [ObjectRef]
    public var removed: Set<ObjectRef>
    /// Where every object lies now.
    public var spans: ObjectSpans
    /// The slots whose derivation ancestry may have changed (every slot whose cap or flags
    /// changed among them), and whether one slot descends from another now (nil: undecided).
    public var ancestryChanged: Set<SlotRef>
    public var descends: (SlotRef, SlotRef) -> Bool?
    /// How many caps of each region (`RegionKey`) `before` had.
    public var regionCounts: [RegionKey: Int]
    /// `changedSlots(after:changed:removed:)`, when the caller has worked it out already.
    public var changedSlots: [SlotRef]?

    public init(
      changed: [ObjectRef], removed: Set<ObjectRef>, spans: ObjectSpans, ancestryChanged: Set<SlotRef>,
      descends: @escaping (SlotRef, SlotRef) -> Bool?, regionCounts: [RegionKey: Int], changedSlots: [SlotRef]? = nil
    ) {
      self.changed = changed
      self.removed = removed
      self.spans = spans
      self.ancestryChanged = ancestryChanged
      self.descends = descends
      self.regionCounts = regionCounts
      self.changedSlots = changedSlots
    }
  }

  /// The slots whose entries differ between `before` and this state: those of changed objects
  /// and of removed ones. Nil when an object changed kind (the full check decides).
  public func changedSlots(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> [SlotRef]? {
    var slots: [SlotRef] = []
    for address in changed {
      guard let object = ksPSpace[address] else { return nil }
      let old = before.ksPSpace[address]
      if let old, !ExecState.sameKind(old, object) { return nil }
      for index in object.changedSlotIndices(from: old) { slots.append(SlotRef(address, index)) }
    }
    for address in removed {
      for (index, _) in before.ksPSpace[address]?.execSlots ?? [] { slots.append(SlotRef(address, index)) }
    }
    return slots
  }

  /// True iff every invariant holds in this state, given that every invariant held in `before`
  /// and what `step` says (see the top of this file). `conjuncts`: the footprint table to use
  /// (a test passes one with a read left out, or one conjunct alone). `checksObjects`: false
  /// leaves out the checks that run whatever the table (`cur_tcb'`, the scheduler's, `valid_objs'` of a changed
  /// object, the layout), so that a test can compare one conjunct's verdict with the full check's.
  public func invariantsHold(
    after before: ExecState, step: StepFootprint, index: some CapIndex,
    conjuncts: [FootprintConjunct] = ExecState.incrementalConjuncts, checksObjects: Bool = true
  ) -> Bool {
    guard
      !checksObjects
        || (curTCBViolations().isEmpty
          && (schedulerMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            ? schedInvariantViolations().isEmpty : timeInvariantViolations().isEmpty)
          && (!notificationsMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || symRefsNotifications().isEmpty)
          && (!endpointsMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || symRefsEndpoints().isEmpty)
          && (!callStacksMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || (symRefsSCReplies().isEmpty && activeReplySCs().isEmpty))
          && (!scLinksMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || symRefsSCLinks().isEmpty)
          && (!ipcQueueOrderMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || sortedIPCQueues().isEmpty)
          && (!repliesMayHaveChanged(after: before, changed: step.changed, removed: step.removed)
            || (symRefsReplies().isEmpty && validReplies().isEmpty))
          && idleInvariantsHold(changed: step.changed, removed: step.removed))
    else { return false }
    for address in step.changed where checksObjects {
      guard let object = ksPSpace[address] else { return false }
      let old = before.ksPSpace[address]
      guard objectProblem(address, object) == nil else { return false }
      // The layout: only an object added (or resized) can break it, and only where it lies.
      if old == nil || old?.sizeBits != object.sizeBits {
        guard layoutHolds(at: address, spans: step.spans) else { return false }
      }
    }
    guard
      let changedSlots = step.changedSlots ?? changedSlots(after: before, changed: step.changed, removed: step.removed)
    else { return false }
    guard !checksObjects || irqInvariantsHold(after: before, changed: step.changed, changedSlots: changedSlots)
    else { return false }
    // `if_live_then_nonz_cap'` (`Invariants+Live.swift`) at the objects the step changed, which
    // may have become live; at the objects that lost a cap, below.
    let siteMasks = SiteMasks.of(conjuncts)
    let checksLive = siteMasks.checksLive
    if checksLive {
      guard ifLiveThenNonzCapHolds(after: before, changed: step.changed, lostCaps: [], index: index) else {
        return false
      }
    }
    if changedSlots.isEmpty && step.removed.isEmpty { return true }

    // What changed, by kind of read: the inverse of each `FootprintRead`.
    var reads = SiteReads()
    for slot in changedSlots {
      let (now, old) = (cte(at: slot) ?? .null, before.cte(at: slot) ?? .null)
      if now.cap != old.cap { reads.mark(slot, .cap) }
      if now.mdb.revocable != old.mdb.revocable || now.mdb.firstBadged != old.mdb.firstBadged {
        reads.mark(slot, .flags)
      }
      if now.mdb.prev != old.mdb.prev || now.mdb.next != old.mdb.next { reads.mark(slot, .links) }
      for link in [now.mdb.prev, now.mdb.next, old.mdb.prev, old.mdb.next] {
        if let link, cte(at: link) != nil || before.cte(at: link) != nil { reads.mark(link, .neighbours) }
      }
      let (nowRegion, oldRegion) = (now.cap.untypedRegion, old.cap.untypedRegion)
      if nowRegion?.base != oldRegion?.base || nowRegion?.sizeBits != oldRegion?.sizeBits {
        reads.mark(slot, .region)
      }
    }
    reads.mark(step.ancestryChanged, .ancestry)
    for address in step.removed {
      guard let old = before.ksPSpace[address] else { continue }
      index.forEachCap(overlapping: address, sizeBits: old.sizeBits) { reads.mark($0, .namedObject) }
    }
    // The sites of a conjunct's entries (its mask in `SiteMasks`): those checked at a cap, or (the
    // `...Contents` masks) the entry checked at an untyped against what lies inside it.
    // (The marked sites are put in one array once, and each conjunct's are a filter of it.)
    let siteList = reads.list
    func sites(_ mask: UInt16) -> SiteList.Sites { siteList.sites(mask: mask) }

    // `if_live_then_nonz_cap'` at the objects the old caps of its sites named.
    if checksLive {
      let lost = sites(siteMasks.live).lazy.map { before.cte(at: $0)?.cap ?? .null }
      guard ifLiveThenNonzCapHolds(after: before, changed: [], lostCaps: lost, index: index) else { return false }
    }

    // Slot-local and link conjuncts.
    for slot in sites(siteMasks.validCap) {
      if let entry = cte(at: slot), !entry.cap.isNull, capProblem(entry.cap) != nil { return false }
    }
    for slot in sites(siteMasks.validNullcaps) {
      if let entry = cte(at: slot), entry.cap.isNull, entry.mdb != .null { return false }
    }
    for slot in sites(siteMasks.utRevocable) {
      if let entry = cte(at: slot), entry.cap.isUntyped, !entry.mdb.revocable { return false }
    }
    for slot in sites(siteMasks.no0) {
      guard let entry = cte(at: slot) else { continue }
      for link in [entry.mdb.prev, entry.mdb.next] { if let link, cte(at: link) == nil { return false } }
    }
    for slot in sites(siteMasks.validDlist) {
      guard let entry = cte(at: slot) else { continue }
      if let prev = entry.mdb.prev, cte(at: prev)?.mdb.next != slot { return false }
      if let next = entry.mdb.next, cte(at: next)?.mdb.prev != slot { return false }
    }
    guard chainsEnd(from: sites(siteMasks.mdbChain0)) else { return false }
    for slot in sites(siteMasks.classLinks) {
      guard let entry = cte(at: slot), !entry.cap.isNull, let next = entry.mdb.next, let nextEntry = cte(at: next)
      else { continue }
      if entry.cap.capClass != nextEntry.cap.capClass { return false }
    }
    for slot in sites(siteMasks.validBadges) {
      guard let entry = cte(at: slot), !entry.cap.isNull, let next = entry.mdb.next, let nextEntry = cte(at: next)
      else { continue }
      if let badge = entry.cap.badge, let nextBadge = nextEntry.cap.badge, entry.cap.sameRegionAs(nextEntry.cap),
        badge != nextBadge, nextBadge != 0, !nextEntry.mdb.firstBadged
      {
        return false
      }
    }

    // `irq_control` and the IRQ caps' chunks: all IRQ caps, when a site held or holds one.
    let irqSites = sites(siteMasks.irqControl)
    func isIRQ(_ entry: CTE?) -> Bool { entry.map { RegionKey($0.cap).isIRQ } ?? false }
    if irqSites.contains(where: { isIRQ(cte(at: $0)) || isIRQ(before.cte(at: $0)) }) {
      guard irqCapsHold(index.irqCaps.union(irqSites)) else { return false }
    }

    // `mdb_chunked` for the caps of one region: at most one run start per region.
    var runStarts: [RegionKey: Int] = [:]
    for slot in sites(siteMasks.mdbChunked) {
      if let key = runStart(slot) { runStarts[key, default: 0] += 1 }
      if let key = before.runStart(slot) { runStarts[key, default: 0] -= 1 }
    }
    for (key, delta) in runStarts where delta > 0 {
      let before = (step.regionCounts[key] ?? 0) > 0 ? 1 : 0
      if before + delta > 1 { return false }
    }

    // Untyped memory: a cap against the untypeds around it, an untyped against its contents and
    // the untypeds it overlaps.
    for slot in sites(siteMasks.untypedCaps) {
      guard let cap = cte(at: slot)?.cap, !cap.isUntyped, let range = cap.capRange else { continue }
      var holds = true
      index.forEachUntyped(overlapping: range.base, sizeBits: range.sizeBits) { untyped in
        if holds && !insideHolds(slot, range, untyped: untyped, step.descends) { holds = false }
      }
      guard holds else { return false }
    }
    for untyped in sites(siteMasks.untypedContents) {
      guard let region = cte(at: untyped)?.cap.untypedRegion else { continue }
      var holds = true
      index.forEachCap(overlapping: region.base, sizeBits: region.sizeBits) { slot in
        guard holds, let cap = cte(at: slot)?.cap, !cap.isUntyped, let range = cap.capRange else { return }
        if !insideHolds(slot, range, untyped: untyped, step.descends) { holds = false }
      }
      guard holds else { return false }
    }
    for slot in sites(siteMasks.untypedInc) {
      guard let region = cte(at: slot)?.cap.untypedRegion else { continue }
      var holds = true
      index.forEachUntyped(overlapping: region.base, sizeBits: region.sizeBits) { other in
        if holds && other != slot && !untypedPairHolds(slot, other, step.descends) { holds = false }
      }
      guard holds else { return false }
    }
    return true
  }

  /// The region whose run starts at `slot`: its cap is of a region other than an untyped's or an
  /// IRQ cap's, and its `prev` (if any) is of another region.
  func runStart(_ slot: SlotRef) -> RegionKey? {
    guard let entry = cte(at: slot) else { return nil }
    let key = RegionKey(entry.cap)
    guard key != .none, !key.isIRQ else { return nil }
    if let prev = entry.mdb.prev, let prevEntry = cte(at: prev), RegionKey(prevEntry.cap) == key { return nil }
    return key
  }

  /// `caps_contained'`, `untyped_mdb'` and `mdb_chunked` for a cap (not an untyped) overlapping
  /// the untyped at `untyped`: it lies inside, and descends from it.
  func insideHolds(
    _ slot: SlotRef, _ range: (base: UInt64, sizeBits: UInt64), untyped: SlotRef,
    _ descends: (SlotRef, SlotRef) -> Bool?
  ) -> Bool {
    guard let region = cte(at: untyped)?.cap.untypedRegion else { return true }
    guard rangeContains(outer: region, inner: range) else { return false }
    return descends(slot, untyped) == true
  }

  /// `untyped_inc'` (and `mdb_chunked`) for two untypeds: nested or disjoint; a nested one
  /// descends from the outer and lies outside its free part; two of one region: one descends from
  /// the other, which is full.
  func untypedPairHolds(_ a: SlotRef, _ b: SlotRef, _ descends: (SlotRef, SlotRef) -> Bool?) -> Bool {
    guard case .untyped(let aBase, let aBits, _, let aFree) = cte(at: a)?.cap,
      case .untyped(let bBase, let bBits, _, let bFree) = cte(at: b)?.cap
    else { return true }
    let (ra, rb) = ((base: aBase, sizeBits: aBits), (base: bBase, sizeBits: bBits))
    let aInB = rangeContains(outer: rb, inner: ra)
    let bInA = rangeContains(outer: ra, inner: rb)
    func empty(_ free: UInt64, _ bits: UInt64) -> Bool { free >= UInt64(1) << bits }
    if !aInB && !bInA { return !rangesOverlap(ra, rb) }
    if aInB && bInA {
      return (descends(a, b) == true && empty(bFree, bBits)) || (descends(b, a) == true && empty(aFree, aBits))
    }
    let (inner, outer, innerRange, outerRange, outerFree) = aInB ? (a, b, ra, rb, bFree) : (b, a, rb, ra, aFree)
    guard descends(inner, outer) == true else { return false }
    let hitsUsable = !empty(outerFree, outerRange.sizeBits) && rangeLast(innerRange) >= outerRange.base &+ outerFree
    return !hitsUsable
  }

  /// `irq_control` and `mdb_chunked` among the IRQ caps at `slots` (every one of this state, and
  /// maybe some that no longer hold one): at most one IRQControl, revocable, and the IRQ caps'
  /// lists chunked.
  func irqCapsHold(_ slots: Set<SlotRef>) -> Bool {
    var entries: [SlotRef: CTE] = [:]
    var frontier = Array(slots)
    while let slot = frontier.popLast() {
      guard entries[slot] == nil, let entry = cte(at: slot), !entry.cap.isNull else { continue }
      entries[slot] = entry
      for link in [entry.mdb.prev, entry.mdb.next] { if let link { frontier.append(link) } }
      if entries.count > 1 << 16 { return false }
    }
    let occupied = entries.keys.sorted()
    let irqControls = occupied.filter { entries[$0]?.cap == .irqControl }
    if irqControls.count > 1 || irqControls.contains(where: { entries[$0]?.mdb.revocable == false }) { return false }
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

  /// `mdb_chain_0` at `starts`: no loop passes through them. From each, one step forward (`next`)
  /// and one back (`prev`) at a time: a walk that ends shows there is no loop through the start,
  /// and one that comes back to a slot it passed has found one. In a list, the nearer end stops the
  /// walk, so a cap inserted near the head of a long list costs a few steps. (A `prev` that
  /// disagrees with a `next` could hide a loop from the walk back; `valid_dlist` at the same changed
  /// slots and neighbours fails then.) Each walk finds its repeats by Brent's method (it compares
  /// its slot with one it saved at the last power of two steps), so it keeps no set of the slots
  /// it passed: a walk that loops is caught within twice its loop's length and lead-in.
  func chainsEnd(from starts: some Sequence<SlotRef>) -> Bool {
    for start in starts {
      guard let entry = cte(at: start) else { continue }
      var forward = ChainWalk(start: start, at: entry.mdb.next)
      var backward = ChainWalk(start: start, at: entry.mdb.prev)
      while forward.at != nil && backward.at != nil {
        guard forward.step(self, forward: true), backward.step(self, forward: false) else { return false }
      }
    }
    return true
  }

  /// One walk of `chainsEnd`: the slot it is at, the slot it saved and the steps since, and the
  /// object of the last slot it read (a list's neighbours are often slots of one CNode).
  struct ChainWalk {
    let start: SlotRef
    var at: SlotRef?
    var saved: SlotRef
    var power = 1
    var length = 0
    var object: (address: ObjectRef, value: KernelObject)? = nil

    init(start: SlotRef, at: SlotRef?) {
      self.start = start
      self.at = at
      saved = start
    }

    /// Move one link on from `at` (not nil); false when `at` is a slot the walk passed before.
    mutating func step(_ state: ExecState, forward: Bool) -> Bool {
      guard let slot = at else { return true }
      if slot == start || slot == saved { return false }
      length += 1
      if length == power {
        saved = slot
        power &*= 2
        length = 0
      }
      if object?.address != slot.container {
        object = state.ksPSpace[slot.container].map { (slot.container, $0) }
      }
      let mdb = object?.value.cte(at: slot.index)?.mdb
      at = forward ? mdb?.next : mdb?.prev
      return true
    }
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
    case .notification(let ntfn):
      return validNtfn(address, ntfn).first
    case .endpoint(let ep):
      return validEp(address, ep).first
    case .reply, .schedContext, .opaque:
      return nil
    }
  }

  /// Whether two objects are of one kind and size (what a cap naming them can tell).
  public static func sameKind(_ a: KernelObject, _ b: KernelObject) -> Bool {
    switch (a, b) {
    case (.cnode(let x), .cnode(let y)): x.radix == y.radix
    case (.tcb, .tcb): true
    case (.endpoint, .endpoint), (.notification, .notification), (.reply, .reply): true
    case (.schedContext(let x), .schedContext(let y)): x.sizeBits == y.sizeBits
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
      // Slots in the same storage are the same slots (a step that wrote only a thread's other
      // fields shares them); otherwise each is compared.
      let shared = tcb.ctes.withUnsafeBufferPointer { now in
        before.ctes.withUnsafeBufferPointer { old in now.baseAddress == old.baseAddress }
      }
      if shared { return [] }
      return tcb.ctes.indices.filter { tcb.ctes[$0] != before.ctes[$0] }.map { UInt64($0) }
    default:
      var indices = Set(execSlots.map(\.index))
      for (index, _) in old?.execSlots ?? [] { indices.insert(index) }
      return Array(indices)
    }
  }
}

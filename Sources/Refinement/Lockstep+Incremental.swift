// The incremental lockstep check: after a step, look only at what the step touched, and give
// exactly the verdict the full check (`checkFull`) would give. docs/incremental-check.md explains
// it at more length.
//
// It compares the current states with the states of the last step that passed every check
// (`VerifiedStates`), and works out what changed:
// - Kernel: every memory write goes through `Memory.store` or `Memory.zero`, which log it
//   (`KernelState.writeLog`); a written word belongs to the objects whose range holds it, or to
//   the globals frame (`GlobalsLayout`), a zeroed range to every object it overlaps; added and
//   removed objects come from comparing `objects`, and an object that changed kind in place sends
//   the step to the full check.
// - ExecutableSpec and AbstractSpec: the logged keys of the object heaps, tree and original flags
//   (`Logged.swift`) are compared with the verified state's; within a changed CNode, the slots the
//   executable spec's slot table changed, and those the abstract spec's `setCap` logged.
//
// Then R1 and R2 are checked on the changed objects only (on their changed slots, for objects both
// sides had before): an unchanged object lifts (abstracts) to what it lifted to before, which was
// equal to the other side's unchanged object. That rests on facts each checked here: the object's
// words (fields) are unchanged; the CTEs its MDB links name are still live (the verified kernel
// state had `no_0` and `valid_nullcaps`, and the CTEs linked to a removed object's CTEs are
// re-lifted); no object was added over it (`pspace_distinct'` is re-checked whenever objects are
// added). `cdt_relation` is checked at the slots whose derived parent may have changed
// (`DerivedParents`, `Relations/CDT+Relation.swift`), original flags where either side changed one.
//
// Invariants are re-checked per layer only when that layer's state changed (an unchanged state
// satisfies what it satisfied before): the Kernel's at the CTEs it wrote and their old neighbours, the
// spec layers' conjunct by conjunct at the sites their declared footprints select
// (`Invariants+Incremental.swift` in each, KernelABI `FootprintRead`), with the indices kept here
// (`CapIndex`, `Lockstep+Regions.swift`).
//
// Whenever the incremental check cannot conclude that everything holds (something is broken, or
// the kernel's write log overflowed, or there is no verified state), it runs `checkFull`, so a
// failure is reported exactly as the full check reports it. What it assumes: that every change to
// kernel memory goes through the kernel's own write paths, so the log sees it (the spec layers
// are compared, not logged). `IncrementalCheckTests` changes kernel memory behind the log's back
// to show that only the full check notices that.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

/// The states of the last step that passed every relation and invariant.
struct VerifiedStates: Sendable {
  var exec: ExecState
  var abstract: AbstractState
  var kernelObjects: LoggedDictionary<ObjectRef, KernelObjectKind>
  /// The distinct sizes (log2 bytes) of the kernel's objects, ascending, and the widths of its
  /// CNodes and TCBs (`CTELocator`); either may keep a size no object has any more.
  var kernelWidths: [UInt64]
  var cteWidths: [UInt64]
  /// Where each layer's objects lie.
  var kernelSpans: ObjectSpans
  var execSpans: ObjectSpans
  var abstractSpans: ObjectSpans
  /// Where the caps of `exec` and of `abstract` point (`Lockstep+Regions.swift`), and the
  /// abstract derivation tree's children by parent; kept up to date step by step.
  var execRegions: CapRegionIndex
  var abstractRegions: CapRegionIndex
  var abstractChildren: [SlotRef: Set<SlotRef>]
  /// How many caps of each region (`ExecState.RegionKey`) the executable spec has, for the run
  /// starts of `mdb_chunked`.
  var execRegionCounts: [ExecState.RegionKey: Int]
}

extension LockstepChecker {
  /// `checkFull` of the current states; when everything holds, they become the states later steps
  /// are checked against incrementally (without this, the first step is checked in full).
  public mutating func verify() -> LockstepFailure? {
    defer { clearLogs() }
    let failure = checkFull()
    if failure == nil && checksInvariants && mode == .incremental {
      recordVerified()
    } else {
      verified = nil
    }
    return failure
  }

  /// The incremental check (see the top of this file); its verdict is `checkFull`'s.
  mutating func checkIncremental(event: Event?) -> LockstepFailure? {
    defer { clearLogs() }
    // Taken out (moved, not copied) while it is brought up to date, so that its indices are
    // changed in place.
    if checksInvariants, var last = verified.take() {
      if incrementalCheckHolds(&last) {
        last.kernelObjects = kernel.objects
        // The verified heaps catch up with the logged keys in their own tries rather than
        // sharing the current states' (see `LoggedDictionary.catchUp(with:)`).
        last.exec.catchUp(with: exec)
        last.abstract.catchUp(with: abstract)
        verified = last
        return nil
      }
    }
    fullChecks += 1
    let failure = checkFull(event: event)
    if failure == nil && checksInvariants { recordVerified() } else { verified = nil }
    return failure
  }

  /// Forget what the layers logged as written: the check has looked at it.
  mutating func clearLogs() {
    kernel.clearWriteLog()
    exec.clearLogs()
    abstract.clearLogs()
  }

  /// Make the current states (which passed the full check) the verified ones.
  private mutating func recordVerified() {
    let (abstractRegions, abstractChildren) = abstract.regionIndex()
    verified = VerifiedStates(
      exec: exec, abstract: abstract, kernelObjects: kernel.objects,
      kernelWidths: Set(kernel.objects.values.map(\.sizeBits)).filter { $0 < 64 }.sorted(),
      cteWidths: KernelState.CTELocator.widths(of: kernel.objects.values),
      kernelSpans: ObjectSpans(objects: kernel.objects.lazy.map { ($0.key, $0.value.sizeBits) }),
      execSpans: ObjectSpans(objects: exec.ksPSpace.lazy.map { ($0.key, $0.value.sizeBits) }),
      abstractSpans: ObjectSpans(objects: abstract.kheap.lazy.map { ($0.key, $0.value.sizeBits) }),
      execRegions: exec.regionIndex(), abstractRegions: abstractRegions, abstractChildren: abstractChildren,
      execRegionCounts: exec.regionCounts())
  }

  /// True only if every relation and invariant holds; false when something is broken or when
  /// this check cannot tell (the full check then decides). Brings `verified`'s indices up to
  /// date with the current states (when it answers true). Tests only: with `checksInvariants`
  /// false it checks the relations alone, with `checksRelations` false the invariants alone, and
  /// each relation and kernel check where `checkFootprints` says.
  func incrementalCheckHolds(_ verified: inout VerifiedStates) -> Bool {
    let log = kernel.writeLog
    guard log.isComplete else { return false }

    // What changed in each layer: the kernel's objects compared, the spec layers' logs read.
    guard let kernelChanges = loggedChanges(kernel.objects, verified.kernelObjects),
      // An object replaced by another kind of object: caps elsewhere may now name the wrong kind.
      kernelChanges.changed.count == kernelChanges.added.count,
      let execChanged = loggedChanges(exec.ksPSpace, verified.exec.ksPSpace),
      let abstractChanged = loggedChanges(abstract.kheap, verified.abstract.kheap),
      let cdtChanged = loggedChanges(abstract.cdt, verified.abstract.cdt),
      abstract.isOriginalCap.log.isComplete
    else { return false }
    // (A loop over the two flag sets, not `filter` with a closure: a closure that names
    // `abstract` copies the whole state for every key.)
    var originalsChanged: [SlotRef] = []
    do {
      let (flagsNow, flagsBefore) = (abstract.isOriginalCap, verified.abstract.isOriginalCap)
      for slot in flagsNow.log.keys where flagsNow.contains(slot) != flagsBefore.contains(slot) {
        originalsChanged.append(slot)
      }
    }
    let (kernelAdded, kernelRemoved) = (kernelChanges.added, kernelChanges.removed)
    let kernelObjectsChanged = !kernelAdded.isEmpty || !kernelRemoved.isEmpty
    // Where the kernel's objects lie, and the sizes to try when placing a word in one.
    for address in kernelRemoved {
      if let kind = verified.kernelObjects[address] {
        verified.kernelSpans.remove(base: address, sizeBits: kind.sizeBits, address)
      }
    }
    // (Loops here and below rather than closures that name `kernel`, `exec` or `abstract`: such
    // a closure copies the whole checker, three states, each time it is made.)
    var addedKinds: [KernelObjectKind] = []
    for address in kernelAdded {
      if let kind = kernel.objects[address] { addedKinds.append(kind) }
    }
    for (address, kind) in zip(kernelAdded, addedKinds) {
      verified.kernelSpans.insert(base: address, sizeBits: kind.sizeBits, address)
    }
    if !addedKinds.isEmpty {
      verified.kernelWidths = Set(verified.kernelWidths + addedKinds.map(\.sizeBits)).filter { $0 < 64 }.sorted()
      verified.cteWidths = Set(verified.cteWidths + KernelState.CTELocator.widths(of: addedKinds)).sorted()
    }
    // The kernel's globals are words of its globals frame: a change to one is a logged write.
    let kernelChanged = kernelObjectsChanged || !log.isEmpty
    let globalsWritten = log.words.contains { GlobalsLayout.contains($0) }
    let execGlobalsChanged = !exec.sameSchedulerGlobals(as: verified.exec)
    let execChangedAtAll = !execChanged.changed.isEmpty || !execChanged.removed.isEmpty || execGlobalsChanged
    let cdtSame = cdtChanged.changed.isEmpty && cdtChanged.removed.isEmpty
    let abstractChangedAtAll =
      !abstractChanged.changed.isEmpty || !abstractChanged.removed.isEmpty || !originalsChanged.isEmpty || !cdtSame
      || abstract.currentThread != verified.abstract.currentThread
      || abstract.readyQueues != verified.abstract.readyQueues
      || abstract.releaseQueue != verified.abstract.releaseQueue
      || abstract.schedulerAction != verified.abstract.schedulerAction
      || abstract.curDomain != verified.abstract.curDomain
      || abstract.domainTime != verified.abstract.domainTime || abstract.domainIndex != verified.abstract.domainIndex
      || abstract.domainStart != verified.abstract.domainStart || abstract.domainList != verified.abstract.domainList
      || abstract.curTime != verified.abstract.curTime || abstract.consumedTime != verified.abstract.consumedTime
      || abstract.curSC != verified.abstract.curSC || abstract.reprogramTimer != verified.abstract.reprogramTimer
      || abstract.clock != verified.abstract.clock || abstract.deadline != verified.abstract.deadline
      || abstract.interruptStates != verified.abstract.interruptStates
      || abstract.irqMasks != verified.abstract.irqMasks

    // The executable spec's changed slots (cap or links), with the removed objects' slots; an
    // object that changed kind goes to the full check (caps elsewhere may name the wrong kind).
    guard
      let execSlots = exec.changedSlots(
        after: verified.exec, changed: execChanged.changed, removed: execChanged.removed)
    else { return false }
    let execSlotsOf = Dictionary(grouping: execSlots, by: \.container)

    // R1: lift(kernel) == exec, on the globals if either side changed them, and on the objects
    // either side changed. (Invariants alone, tests only: the layers may differ in their objects
    // and current thread.) Each check looks where the changes its footprint reads happened
    // (`checkFootprints`, `Lockstep+Footprints.swift`).
    let footprints = checkFootprints
    guard !checksRelations || (kernelAdded == execChanged.added && kernelRemoved == execChanged.removed) else {
      return false
    }
    // The slots that were linked to a slot of a removed object: their links now name no CTE.
    var neighboursOfRemoved: [SlotRef] = []
    for address in execChanged.removed {
      for (_, entry) in verified.exec.ksPSpace[address]?.execSlots ?? [] {
        for link in [entry.mdb.prev, entry.mdb.next] {
          if let link, exec.ksPSpace[link.container] != nil { neighboursOfRemoved.append(link) }
        }
      }
    }
    let locator = KernelState.CTELocator(kernel.objects, widths: verified.cteWidths)
    // What the kernel wrote: the objects and CTEs (by address) of logged words, and the objects
    // in zeroed ranges and those added, with their CTEs in backed memory (the rest read as zero
    // words, the null cap unlinked, and no link of a verified slot names them: it would have
    // named a CTE of no object, or of the old object whose slots are re-lifted through
    // `execChanged`).
    var loggedObjects: Set<ObjectRef> = []
    var loggedCTEs: Set<UInt64> = []
    var zeroedObjects: Set<ObjectRef> = []
    if !log.isEmpty {
      // Runs of words in one object (a reply's message registers) are looked up once: a second
      // object holding a word of the first would overlap it, which the layout check of the
      // object added since refuses (the verified objects were disjoint).
      var lastContainer: (base: UInt64, bits: UInt64)? = nil
      var lastCTE: UInt64? = nil
      // (A word of the idle TCB or scheduling context, in the frame, is a word of that object.)
      for word in log.words where !GlobalsLayout.holdsGlobal(word) {
        let cte = word & ~((UInt64(1) << KernelConstants.slotBits) &- 1)
        if cte != lastCTE {
          loggedCTEs.insert(cte)
          lastCTE = cte
        }
        if let last = lastContainer, last.bits < 64, word >= last.base, word &- last.base < UInt64(1) << last.bits {
          continue
        }
        lastContainer = kernel.addContainers(of: word, widths: verified.kernelWidths, to: &loggedObjects)
      }
      for range in log.zeroedRanges {
        let first = range.address
        verified.kernelSpans.forEachOverlapping(first, RangeIndex<ObjectRef>.last(first, range.bits)) { _, _, base in
          zeroedObjects.insert(base)
        }
      }
    }
    // A zeroed object's CTEs: those in backed memory now, and those that held caps before (a
    // page wholly zeroed is dropped, and the old neighbours of its CTEs need a look).
    var zeroedCTEs: Set<UInt64> = []
    for object in zeroedObjects {
      zeroedCTEs.formUnion(kernel.backedCTEs(of: object))
      for (index, _) in verified.exec.ksPSpace[object]?.execSlots ?? [] {
        if let cte = kernel.cteAddress(of: SlotRef(object, index)) { zeroedCTEs.insert(cte) }
      }
    }
    // R1 of the globals, with the ready queues' lists: where the frame was written, where the
    // executable spec's globals changed, where the kernel wrote a thread's link words (they make
    // the lists), or where an object was removed (a list may run through it).
    var liftsGlobals =
      checksRelations
      && ((globalsWritten && footprints.reads(.liftGlobals, .globalsFrame))
        || (execGlobalsChanged && footprints.reads(.liftGlobals, .execGlobals))
        || (footprints.reads(.liftGlobals, .removedObjects) && !execChanged.removed.isEmpty))
    if checksRelations && !liftsGlobals && footprints.reads(.liftGlobals, .kernelWords) {
      liftsGlobals = kernel.wroteThreadLink(
        log.words, of: loggedObjects, next: ObjectLayout.tcbSchedNext, prev: ObjectLayout.tcbSchedPrev)
    }
    if liftsGlobals {
      // The domain schedule's words (`DomainConfig.domScheduleLength` of them) change only by
      // DomainSet ScheduleConfigure: they are read where the kernel wrote or zeroed one of them
      // or the executable spec's schedule changed. Otherwise both sides hold what they held at
      // the verified step, where they lifted to the same schedule. (The executable spec's
      // arrays are compared by `==`, which is quick while they share storage.)
      let scheduleChanged =
        exec.ksDomSchedule != verified.exec.ksDomSchedule
        || log.words.contains { GlobalsLayout.holdsDomSchedule($0) }
        || log.zeroedRanges.contains { range in
          range.bits >= 64
            || GlobalsLayout.overlapsDomSchedule(range.address, byteCount: UInt64(1) << range.bits)
        }
      guard kernel.globalsLift(to: exec, domainSchedule: scheduleChanged) else { return false }
    }
    var addedCTEs: [UInt64] = []
    for address in kernelAdded { addedCTEs += kernel.backedCTEs(of: address) }
    /// The CTEs `check` reads as written.
    func writtenCTEs(_ check: StepCheck) -> Set<UInt64> {
      var ctes: Set<UInt64> = footprints.reads(check, .kernelWords) ? loggedCTEs : []
      if !zeroedCTEs.isEmpty && footprints.reads(check, .zeroedRanges) { ctes.formUnion(zeroedCTEs) }
      if !addedCTEs.isEmpty && footprints.reads(check, .addedObjects) { ctes.formUnion(addedCTEs) }
      return ctes
    }
    if checksRelations && (kernelChanged || execChangedAtAll) {
      let written = writtenCTEs(.lift)
      var touched: Set<ObjectRef> = footprints.reads(.lift, .execObjects) ? Set(execChanged.changed) : []
      if footprints.reads(.lift, .kernelWords) { touched.formUnion(loggedObjects) }
      // A notification's or endpoint's queue lifts through the waiting threads'
      // `tcbEPNext`/`tcbEPPrev` words: where the kernel wrote one, every notification and
      // endpoint is re-lifted (they are few). (Loops, not
      // `contains(where:)` with a closure that names `kernel`, which copied the whole checker.)
      if footprints.reads(.lift, .kernelWords)
        && kernel.wroteThreadLink(
          log.words, of: loggedObjects, next: ObjectLayout.tcbEPNext, prev: ObjectLayout.tcbEPPrev)
      {
        for (address, kind) in kernel.objects where kind == .notification || kind == .endpoint {
          touched.insert(address)
        }
      }
      let alsoSlots = footprints.reads(.lift, .removedLinks) ? neighboursOfRemoved : []
      for slot in alsoSlots { touched.insert(slot.container) }
      // The objects lifted whole.
      var wholly: Set<ObjectRef> = footprints.reads(.lift, .zeroedRanges) ? zeroedObjects : []
      if footprints.reads(.lift, .addedObjects) { wholly.formUnion(kernelAdded) }
      touched.formUnion(wholly)
      let readsExecSlots = footprints.reads(.lift, .execSlots)
      var problems: [String] = []
      for address in touched {
        guard let kind = kernel.objects[address], let object = exec.ksPSpace[address] else { return false }
        // An object both sides had before: only its slots that either side changed, and its
        // other fields (unchanged slots lift as before, to what the exec object still holds).
        if !wholly.contains(address), let before = verified.exec.ksPSpace[address] {
          guard
            kernel.liftsTo(
              object, at: address, kind, before: before,
              changedSlots: readsExecSlots ? execSlotsOf[address] ?? [] : [], writtenCTEs: written,
              alsoSlots: alsoSlots, locator: locator)
          else { return false }
          continue
        }
        let lifted = kernel.liftObject(at: address, kind, locator: locator, problems: &problems)
        guard problems.isEmpty, lifted == object else { return false }
      }
    }

    // The executable spec's derivation parents after the step, from those before it.
    var derived: DerivedParents? = nil
    if !execSlots.isEmpty || !cdtSame {
      derived = DerivedParents(
        exec: exec, before: verified.exec, oldParents: verified.abstract.cdt, oldChildren: verified.abstractChildren,
        changedSlots: execSlots)
      guard derived != nil else { return false }
    }

    // The abstract spec's changed slots, with the caps they held.
    let abstractSlots = abstract.changedSlots(
      after: verified.abstract, changed: abstractChanged.changed, removed: abstractChanged.removed)

    // R2: abstraction(exec) == abstract, on the objects either side changed. An original flag
    // that either side changed is compared; the others were equal and are unchanged.
    guard
      !checksRelations
        || (abstract.currentThread == exec.ksCurThread && exec.schedulerGlobalsAbstract(to: abstract)
          && abstractChanged.added == execChanged.added
          && abstractChanged.removed == execChanged.removed)
    else { return false }
    if checksRelations && (execChangedAtAll || abstractChangedAtAll) {
      var touched: Set<ObjectRef> = footprints.reads(.abstraction, .execObjects) ? Set(execChanged.changed) : []
      if footprints.reads(.abstraction, .abstractObjects) { touched.formUnion(abstractChanged.changed) }
      if footprints.reads(.abstraction, .removedObjects) { touched.formUnion(execChanged.removed) }
      // A scheduling context's abstract call stack (`sc_replies`) is read off its replies'
      // links: a changed reply touches the scheduling context its chain leads to, now and before.
      if footprints.reads(.abstraction, .execObjects) {
        for address in execChanged.changed where exec.reply(at: address) != nil {
          if let sc = exec.callStackSchedContext(of: address) { touched.insert(sc) }
          if let sc = verified.exec.callStackSchedContext(of: address) { touched.insert(sc) }
        }
      }
      var flagged: [ObjectRef: [SlotRef]] = [:]
      if footprints.reads(.abstraction, .originalFlags) {
        for slot in originalsChanged {
          touched.insert(slot.container)
          flagged[slot.container, default: []].append(slot)
        }
      }
      var abstractSlotsOf: [ObjectRef: [UInt64]] = [:]
      if footprints.reads(.abstraction, .abstractSlots) {
        for (slot, _) in abstractSlots { abstractSlotsOf[slot.container, default: []].append(slot.index) }
      }
      let execSlotsCompared = footprints.reads(.abstraction, .execSlots) ? execSlotsOf : [:]
      for address in touched {
        // The original flags to compare: the exec object's now (of the slots compared), those of
        // the slots it changed (a flag that went is a changed slot), and those the abstract spec
        // changed.
        var originals: Set<SlotRef> = []
        if let object = exec.ksPSpace[address] {
          // (An object that changed kind sent the step to the full check: see `execSlots`.)
          if verified.exec.ksPSpace[address] != nil, verified.abstract.kheap[address] != nil {
            // Both had it and agreed: the slots either side changed, and the rest of the object.
            var indices = Set((execSlotsCompared[address] ?? []).map(\.index)).union(abstractSlotsOf[address] ?? [])
            for slot in flagged[address] ?? [] { indices.insert(slot.index) }
            guard
              exec.abstractsTo(abstract.kheap[address], at: address, object, indices: indices, originals: &originals)
            else { return false }
          } else {
            guard
              exec.abstractObject(at: address, object, originals: &originals).withGhosts(of: abstract.kheap[address])
                == abstract.kheap[address]
            else {
              return false
            }
          }
        } else {
          // A removed object: gone from the abstract heap too.
          guard abstract.kheap[address] == nil else { return false }
        }
        for slot in originals.union(execSlotsCompared[address] ?? []).union(flagged[address] ?? [])
        where abstract.isOriginalCap.contains(slot) != originals.contains(slot) {
          return false
        }
      }
      // The derivation tree, at the slots whose derived parent may have changed and those whose
      // abstract parent did (`DerivedParents`).
      if let derived {
        if footprints.reads(.cdtRelation, .derivedParents) {
          for slot in derived.affected where derived.parent(of: slot) != abstract.cdt[slot] { return false }
        }
        if footprints.reads(.cdtRelation, .treeEdges) {
          for slot in cdtChanged.changed + Array(cdtChanged.removed)
          where derived.parent(of: slot) != abstract.cdt[slot] {
            return false
          }
        }
      }
    }

    // Invariants, for each layer whose state changed; the kernel's from what it wrote, the spec
    // layers' from what changed and the slots related to it (`Lockstep+Regions.swift`).
    if kernelChanged && checksInvariants {
      let written = writtenCTEs(.kernelCTE)
      var removedKinds: [KernelObjectKind?] = []
      for address in kernelRemoved { removedKinds.append(verified.kernelObjects[address]) }
      let schedulerWords = kernelSchedulerChanged(
        log: log, globalsWritten: globalsWritten, touched: loggedObjects.union(zeroedObjects), zeroed: zeroedObjects,
        added: kernelAdded, removedKinds: removedKinds)
      var oldNeighbours: [UInt64] = []
      if footprints.reads(.kernelCTE, .removedLinks) {
        for slot in neighboursOfRemoved {
          if let address = kernel.cteAddress(of: slot) { oldNeighbours.append(address) }
        }
      }
      if footprints.reads(.kernelCTE, .oldNeighbours) {
        for cte in written {
          guard let slot = locator.slotRef(ofCTE: cte), let old = verified.exec.cte(at: slot) else { continue }
          // (Two tests, not a loop over a two-element array: this runs for every written CTE.)
          if let prev = old.mdb.prev, let address = kernel.cteAddress(of: prev) { oldNeighbours.append(address) }
          if let next = old.mdb.next, let address = kernel.cteAddress(of: next) { oldNeighbours.append(address) }
        }
      }
      guard
        kernel.invariantsHold(
          written: written, oldNeighbours: oldNeighbours,
          added: footprints.reads(.kernelLayout, .addedObjects) ? kernelAdded : [], spans: verified.kernelSpans,
          locator: locator, schedulerChanged: schedulerWords.scheduler,
          notificationsChanged: schedulerWords.notifications,
          // R1 held (above): the kernel's `if_live_then_nonz_cap'` is the executable spec's,
          // checked below (`Kernel/Invariants+Live.swift`).
          checksLiveness: !checksRelations,
          irqWritten: log.words.contains { GlobalsLayout.holdsInterruptState($0) })
      else { return false }
    }
    for slot in Set(execSlots) {
      let (now, old) = (exec.cte(at: slot)?.cap ?? .null, verified.exec.cte(at: slot)?.cap ?? .null)
      verified.execRegions.set(slot, now, was: old)
    }
    verified.execSpans.update(
      exec.ksPSpace, from: verified.exec.ksPSpace, changed: execChanged.changed, removed: execChanged.removed
    ) { $0.sizeBits }
    if execChangedAtAll {
      let (derivedNow, abstractBefore) = (derived, verified.abstract)
      let step = ExecState.StepFootprint(
        changed: execChanged.changed, removed: execChanged.removed, spans: verified.execSpans,
        ancestryChanged: derived?.affected ?? [],
        descends: { slot, ancestor in
          // With no slot changed, the parents are those of the verified tree.
          derivedNow?.descends(slot, from: ancestor) ?? abstractBefore.descends(slot, from: ancestor)
        },
        regionCounts: verified.execRegionCounts, changedSlots: execSlots)
      guard
        !checksInvariants
          || exec.invariantsHold(
            after: verified.exec, step: step, index: verified.execRegions, conjuncts: execConjuncts,
            checksObjects: checksObjectInvariants)
      else { return false }
      for slot in Set(execSlots) {
        let (now, old) = (exec.cte(at: slot)?.cap ?? .null, verified.exec.cte(at: slot)?.cap ?? .null)
        if now == old { continue }
        let (nowKey, oldKey) = (ExecState.RegionKey(now), ExecState.RegionKey(old))
        if nowKey != oldKey {
          if oldKey != .none { verified.execRegionCounts[oldKey, default: 0] -= 1 }
          if nowKey != .none { verified.execRegionCounts[nowKey, default: 0] += 1 }
        }
      }
    }
    if abstractChangedAtAll {
      for (slot, old) in abstractSlots { verified.abstractRegions.set(slot, abstract.getCap(slot), was: old) }
      verified.abstractSpans.update(
        abstract.kheap, from: verified.abstract.kheap, changed: abstractChanged.changed,
        removed: abstractChanged.removed
      ) { $0.sizeBits }
      let (regions, children, abstractNow) = (verified.abstractRegions, verified.abstractChildren, abstract)
      let holds =
        !checksInvariants
        || abstract.invariantsHold(
          after: verified.abstract, changed: abstractChanged.changed, removed: abstractChanged.removed,
          spans: verified.abstractSpans, index: regions, oldChildren: { children[$0] ?? [] },
          conjuncts: abstractConjuncts, checksObjects: checksObjectInvariants, changedSlots: abstractSlots,
          isNamed: { object in
            let naming = regions.firstCap(at: object) { slot in
              switch abstractNow.getCap(slot) {
              case .cnode(let r, _, _, _), .thread(let r): r == object
              default: false
              }
            }
            return naming != nil
          })
      guard holds else { return false }
    }
    // The tree's children by parent, for the next step. `derived` shares them: let go of it first,
    // or the first insert copies the set of every child of a parent (thousands of copies of a cap).
    derived = nil
    for child in cdtChanged.changed + Array(cdtChanged.removed) {
      if let parent = verified.abstract.cdt[child] { verified.abstractChildren[parent]?.remove(child) }
      if let parent = abstract.cdt[child] { verified.abstractChildren[parent, default: []].insert(child) }
    }
    return true
  }
}

extension ExecState {
  /// Become `newer` (this state as it was when `newer`'s logs were last cleared, stepped on): every
  /// field is `newer`'s, and the object heap is this state's own, caught up with the keys `newer`
  /// logged, so that the two states do not share the heap's trie (which made each step copy the
  /// path to every object it wrote, and free the old path when the verified state was replaced).
  mutating func catchUp(with newer: ExecState) {
    var heap = ExecState.noObjects
    swap(&heap, &ksPSpace)
    self = newer
    heap.catchUp(with: newer.ksPSpace)
    ksPSpace = heap
  }

  /// A placeholder for the heap while it is taken out (cheaper than building an empty one).
  private static let noObjects = LoggedDictionary<ObjectRef, ExecutableSpec.KernelObject>()
}

extension AbstractState {
  /// Become `newer`, keeping this state's own heap, tree and original flags caught up with what
  /// `newer` logged (as `ExecState.catchUp(with:)`).
  mutating func catchUp(with newer: AbstractState) {
    var (heap, tree, originals) = (AbstractState.noObjects, AbstractState.noEdges, AbstractState.noFlags)
    swap(&heap, &kheap)
    swap(&tree, &cdt)
    swap(&originals, &isOriginalCap)
    self = newer
    heap.catchUp(with: newer.kheap)
    tree.catchUp(with: newer.cdt)
    originals.catchUp(with: newer.isOriginalCap)
    kheap = heap
    cdt = tree
    isOriginalCap = originals
  }

  /// Placeholders for the heap, tree and flags while they are taken out.
  private static let noObjects = LoggedDictionary<ObjectRef, AbstractSpec.KernelObject>()
  private static let noEdges = LoggedDictionary<SlotRef, SlotRef>()
  private static let noFlags = LoggedSet<SlotRef>()
}

/// The keys written since `old` (by `new`'s log) whose values differ, those added among them,
/// and those removed; nil when the log gave up (the caller compares everything).
func loggedChanges<Key: WordHashable, Value: Equatable & Sendable>(
  _ new: LoggedDictionary<Key, Value>, _ old: LoggedDictionary<Key, Value>
) -> (changed: [Key], added: Set<Key>, removed: Set<Key>)? {
  guard new.log.isComplete else { return nil }
  var changed: [Key] = []
  var added: Set<Key> = []
  var removed: Set<Key> = []
  for key in new.log.keys {
    switch (new[key], old[key]) {
    case (nil, nil): continue
    case (nil, _?): removed.insert(key)
    case (_?, nil):
      changed.append(key)
      added.insert(key)
    case (let now?, let before?): if now != before { changed.append(key) }
    }
  }
  return (changed, added, removed)
}

extension RangeIndex where Payload == ObjectRef {
  /// Follow a heap's step: drop the removed objects and those whose size changed, add the new
  /// and resized ones.
  mutating func update<Value>(
    _ heap: LoggedDictionary<ObjectRef, Value>, from old: LoggedDictionary<ObjectRef, Value>, changed: [ObjectRef],
    removed: Set<ObjectRef>, sizeBits: (Value) -> UInt64
  ) {
    for address in removed {
      if let before = old[address] { remove(base: address, sizeBits: sizeBits(before), address) }
    }
    for address in changed {
      guard let now = heap[address] else { continue }
      if let before = old[address] {
        if sizeBits(before) == sizeBits(now) { continue }
        remove(base: address, sizeBits: sizeBits(before), address)
      }
      insert(base: address, sizeBits: sizeBits(now), address)
    }
  }
}

extension KernelState {
  /// Add to `set` every object whose range holds the word at `address`, trying objects of each of
  /// `widths` (log2 sizes); returns the last one found.
  func addContainers(of address: UInt64, widths: [UInt64], to set: inout Set<ObjectRef>) -> (
    base: UInt64, bits: UInt64
  )? {
    var found: (base: UInt64, bits: UInt64)? = nil
    for bits in widths {
      let base = address & ~((UInt64(1) << bits) &- 1)
      if let kind = objects[base], kind.sizeBits == bits {
        set.insert(base)
        found = (base, bits)
      }
    }
    return found
  }
}

extension LockstepChecker {
  /// Whether the kernel wrote a word the scheduler's invariants read (`Kernel/Invariants+Sched.swift`),
  /// and whether it wrote one the notifications' and endpoints' invariants read
  /// (`Kernel/Invariants+Notification.swift`, `Kernel/Invariants+Endpoint.swift`).
  /// The scheduler's: the globals frame; a thread's state, priority, domain, scheduling context,
  /// ready-queue links or `tcbYieldTo`; any word of a scheduling context but `scReply`. The notifications': a thread's
  /// state, queue links, blocking object, bound notification, priority or blocking reply object; any
  /// word of a notification, endpoint or reply object. Both: a thread, scheduling context,
  /// notification, endpoint or reply object zeroed (those of its kind), added or removed. `touched`: the objects holding logged or zeroed words.
  func kernelSchedulerChanged(
    log: WriteLog, globalsWritten: Bool, touched: Set<ObjectRef>, zeroed: Set<ObjectRef>, added: Set<ObjectRef>,
    removedKinds: [KernelObjectKind?]
  ) -> (scheduler: Bool, notifications: Bool) {
    if !log.isComplete { return (true, true) }
    func isSchedulerObject(_ kind: KernelObjectKind?) -> Bool {
      switch kind {
      case .tcb?, .schedContext?, .notification?, .endpoint?, .reply?: true
      default: false
      }
    }
    for address in added where isSchedulerObject(kernel.objects[address]) { return (true, true) }
    for kind in removedKinds where kind == nil || isSchedulerObject(kind) { return (true, true) }
    var (scheduler, notifications) = (globalsWritten, false)
    // (The logged words are scanned for each touched thread or scheduling context, not hashed
    // into a set first: a step touches a few objects and logs a few dozen words.)
    let words = log.words
    for address in touched {
      if scheduler && notifications { break }
      switch kernel.objects[address] {
      case .tcb?:
        if zeroed.contains(address) { return (true, true) }
        for word in words {
          let offset = word &- address
          if !scheduler && LockstepChecker.tcbSchedulerWords.contains(offset) { scheduler = true }
          if !notifications && LockstepChecker.tcbNotificationWords.contains(offset) { notifications = true }
          if scheduler && notifications { break }
        }
      // Every word of a notification, endpoint or reply object is one their invariants read (a
      // reply's: `sc_replies'`, run with the notifications').
      case .notification?, .endpoint?, .reply?:
        notifications = true
      case .schedContext(let sizeBits)?:
        if zeroed.contains(address) {
          scheduler = true
          notifications = true
          continue
        }
        let replyWord = address &+ ObjectLayout.scReply
        if !notifications && words.contains(replyWord) { notifications = true }
        if scheduler { continue }
        // Every other word of it, header and refills alike, is one the scheduler's invariants may
        // read (`scTcb`; `valid_sched_context'` and `active_sc_valid_refills'` read the refill
        // header words, `scPeriod` and the slots).
        let size: UInt64 = sizeBits < 64 ? 1 << sizeBits : .max
        for word in words where word &- address < size && word != replyWord {
          scheduler = true
          break
        }
      default:
        continue
      }
    }
    return (scheduler, notifications)
  }

  /// The words of a thread the scheduler's invariants read (its state word holds `tcbQueued`).
  static let tcbSchedulerWords = [
    ObjectLayout.tcbState, ObjectLayout.tcbPriority, ObjectLayout.tcbDomain, ObjectLayout.tcbSchedContext,
    ObjectLayout.tcbSchedNext, ObjectLayout.tcbSchedPrev, ObjectLayout.tcbYieldTo,
  ]
  /// The words of a thread the notifications', endpoints' and reply objects' invariants read (the
  /// priority: `sorted_ipc_queues'`; the reply object: `reply_tcb'`, `valid_replies'`).
  static let tcbNotificationWords = [
    ObjectLayout.tcbState, ObjectLayout.tcbEPNext, ObjectLayout.tcbEPPrev, ObjectLayout.tcbBlockingObject,
    ObjectLayout.tcbBoundNotification, ObjectLayout.tcbPriority, ObjectLayout.tcbBlockingReplyObject,
  ]
}

extension KernelState {
  /// Whether `words` (a step's logged writes) hold the `next` or `prev` link word of a thread among
  /// `objects`: a list through those links (a ready queue, a notification's queue) may have
  /// changed. (A method of the kernel state, not a closure that names `kernel`, which copied the
  /// whole checker.)
  func wroteThreadLink(_ words: [UInt64], of objects: Set<ObjectRef>, next: UInt64, prev: UInt64) -> Bool {
    for thread in objects where self.objects[thread] == .tcb {
      for word in words where word == thread &+ next || word == thread &+ prev { return true }
    }
    return false
  }
}

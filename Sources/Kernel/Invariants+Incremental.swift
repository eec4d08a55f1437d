// The kernel's invariants re-checked after a step from the CTEs the step wrote, for the lockstep
// checker.
//
// Every conjunct but the layout ones is about one CTE and the CTEs its links name, checked both
// ways (a CTE's `next` must name a CTE whose `prev` names it, and so must its `prev`). A broken
// link has a written end, whose check sees it; or an unwritten end whose other end was written,
// and that end was its neighbour before (the lists were valid doubly linked lists). So the
// written CTEs and their old neighbours (which the caller knows from the state before) are all
// that need a look; the CTEs a written CTE links to now need none of their own (the lockstep
// checker's `CheckFootprintTests` finds no state where they do). The
// layout (`pspace_*`) changes only when objects are added; `cur_tcb'` is checked directly, from
// the current thread's word in the globals frame and the kind of the object it names. The
// invariants themselves, by name, are the table in `Invariants.swift`.

public import KernelABI

extension KernelState {
  /// True iff every invariant holds in this state, given that every invariant held in a state
  /// before it whose objects that are still live have the same kind, that the CTEs at `written`
  /// (addresses) are all whose words memory writes since then may have changed (a CTE that was
  /// empty and unlinked and reads as zero words may be left out), and that `oldNeighbours` holds the
  /// live CTE addresses that the MDB links of those CTEs, and of the removed objects' CTEs, named
  /// before. `added`: the objects added since then (removing one cannot break the layout);
  /// `spans`: where every object lies; `locator`: a `CTELocator` of this state.
  /// `schedulerChanged`: false when no word the scheduler's invariants read (a thread's state,
  /// priority, domain, scheduling context and ready-queue links, a scheduling context's thread and
  /// refills, the globals frame) was written and no thread, scheduling context or notification was
  /// added or removed; they held before, so they are not re-checked (but for the ones that read
  /// time, `timeInvariantViolations`, run after every step). `notificationsChanged`: the
  /// same for the notifications' invariants and `sc_replies'` (a thread's state, notification-queue
  /// links, blocking object and bound notification, any word of a notification, endpoint or reply
  /// object, a scheduling context's `scReply`). `checksLiveness`: false when the
  /// caller knows that this state lifts to an executable state satisfying
  /// `if_live_then_nonz_cap'`, which this state then satisfies too (`Invariants+Live.swift`); true
  /// runs its full check.
  public func invariantsHold(
    written: Set<UInt64>, oldNeighbours: some Sequence<UInt64>, added: some Sequence<ObjectRef>,
    spans: ObjectSpans, locator: CTELocator, schedulerChanged: Bool = true, notificationsChanged: Bool = true,
    checksLiveness: Bool = true, irqWritten: Bool = true
  ) -> Bool {
    if objects[ksCurThread] != .tcb { return false }
    if checksLiveness && !ifLiveThenNonzCapViolations().isEmpty { return false }
    let schedObjects = schedulerObjects()
    // The ones that read time run after every step (without a write to the globals frame they
    // cannot have changed; they are cheap: the queues and the threads).
    guard schedulerChanged ? schedOnlyViolations(schedObjects).isEmpty : timeInvariantViolations(schedObjects).isEmpty
    else { return false }
    if schedulerChanged || notificationsChanged {
      // The idle invariants read a thread's state and scheduling-context words (scheduler words)
      // and the idle thread's bound notification (a notification word): either kind of write
      // re-checks them, not only a write that happens to fall in the globals frame.
      guard
        !notificationsChanged
          || (ntfnInvariantViolations(schedObjects).isEmpty && symRefsSCReplies(schedObjects).isEmpty),
        idleInvariantsHold(schedObjects),
        // Read scheduler words (`tcbYieldTo`, `scYieldFrom`, `scNotification`, `scRefillMax`) and
        // notification words (`ntfnSchedContext`, `scReply`): either kind re-checks them.
        symRefsSCLinks(schedObjects).isEmpty, activeReplySCs(schedObjects).isEmpty
      else { return false }
    }
    for address in added where !layoutHolds(at: address, spans: spans) { return false }
    // `written` holds every logged word rounded down to a CTE's alignment (thread registers, refills
    // and endpoint words too): only the ones the locator finds in a CTE are slots.
    guard irqInvariantsHold(irqWritten: irqWritten, written: written.lazy.filter { locator.slotRef(ofCTE: $0) != nil })
    else { return false }
    var look = written
    look.formUnion(oldNeighbours)
    var violations: [InvariantViolation] = []
    for cte in look {
      // Words outside every CTE are no slot's: no conjunct reads them.
      guard let slot = locator.slotRef(ofCTE: cte) else { continue }
      checkSlot(slot, cte, locator, &violations)
      if !violations.isEmpty { return false }
    }
    return true
  }

  /// `layoutViolations()` for the object at `address` alone: aligned, inside backed memory,
  /// overlapping no other object of `spans`.
  func layoutHolds(at address: ObjectRef, spans: ObjectSpans) -> Bool {
    guard let kind = objects[address] else { return true }
    let bits = kind.sizeBits
    guard bits < 64, UInt64.isAligned(address, bits: bits),
      liesInMemory(address, kind) || KernelState.isIdleObject(address, kind) || KernelState.isIRQNode(address, kind)
    else { return false }
    return !spans.overlapsAnother(address, sizeBits: bits)
  }
}

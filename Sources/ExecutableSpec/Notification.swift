// Notifications, as the Haskell model has them (`SEL4.Object.Notification`): the object's state
// (`IdleNtfn`, `WaitingNtfn` with its queue as a list, `ActiveNtfn` with its word) and bound
// thread, and the thread's `BlockedOnNotification` state and `tcbBoundNotification`. What the
// operations do is said in `AbstractSpec/Notification.swift`; the queue is priority-ordered as
// MCS orders it (`tcbAppend`). The operations, in the order of the twins
// (`AbstractSpec/Notification.swift`, `Kernel/Notification.swift`): `tcbEPAppend`,
// `tcbEPDequeue`, `maybeDonateSchedContext`, `maybeReturnSchedContext`, `sendSignal`, `receiveSignal`, `completeSignal`, `doNBRecvFailedTransfer`,
// `cancelSignal`, `cancelAllSignals`, `bindNotification`, `unbindNotification`,
// `unbindMaybeNotification`, `cancelIPC`. (`seL4:src/object/notification.c`,
// `include/object/notification.h` `maybeReturnSchedContext`, `src/object/endpoint.c` `cancelIPC`;
// `l4v:spec/haskell/src/SEL4/Object/Notification.lhs`.)

import KernelABI

extension ExecState {
  /// `tcbEPAppend` for a notification's queue: `thread` joins the waiters after every thread of
  /// its priority or higher, and the notification is Waiting.
  mutating func tcbEPAppend(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard var notification = notification(at: ntfn) else { return }
    var queue: [ObjectRef] = []
    if case .waitingNtfn(let waiters) = notification.ntfnObj { queue = waiters }
    queue = tcbAppend(thread, queue)
    notification.ntfnObj = .waitingNtfn(queue)
    ksPSpace[ntfn] = .notification(notification)
  }

  /// `tcbEPDequeue` for a notification's queue: `thread` leaves it; a notification left with no
  /// waiter is Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard var notification = notification(at: ntfn), case .waitingNtfn(let waiters) = notification.ntfnObj else {
      return
    }
    let rest = waiters.filter { $0 != thread }
    notification.ntfnObj = rest.isEmpty ? .idleNtfn : .waitingNtfn(rest)
    ksPSpace[ntfn] = .notification(notification)
  }

  /// `maybeDonateSchedContext`: a `thread` without a scheduling context receives the one bound to
  /// `ntfn` when no thread has it, and it resumes.
  mutating func maybeDonateSchedContext(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    // Each object is looked up before its field is read: a dangling reference (a corrupt state)
    // donates nothing, as the kernel's object-type checks make it.
    guard let receiver = tcb(at: thread), receiver.schedContext == nil, let sc = notification(at: ntfn)?.ntfnSc,
      let context = schedContext(at: sc), context.tcb == nil
    else { return }
    schedContextDonate(sc, thread)
    schedContextResume(sc)
  }

  /// `maybeReturnSchedContext`: a `thread` running on the scheduling context bound to `ntfn` gives
  /// it back; the current thread makes the scheduler choose afresh.
  mutating func maybeReturnSchedContext(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard let sc = notification(at: ntfn)?.ntfnSc, tcb(at: thread)?.schedContext == sc else { return }
    updateTCB(thread) { $0.schedContext = nil }
    updateSchedContext(sc) { $0.tcb = nil }
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `sendSignal`: signal the notification at `ntfn` with `badge`.
  mutating func sendSignal(_ ntfn: ObjectRef, _ badge: UInt64) {
    guard let notification = notification(at: ntfn) else { return }
    switch notification.ntfnObj {
    // No one waits: a bound thread waiting on an endpoint takes the badge; else it is kept.
    case .idleNtfn:
      if let bound = notification.ntfnBoundTCB, case .blockedOnReceive? = tcb(at: bound)?.state {
        cancelIPC(bound)
        setThreadState(bound, .running)
        updateTCB(bound) { $0.context.badgeRegister = badge }
        maybeDonateSchedContext(bound, ntfn)
        if isSchedulable(bound) { possibleSwitchTo(bound) }
        ifSporadicCurSCRefillUnblockCheck(tcb(at: bound)?.schedContext)
      } else {
        updateNotification(ntfn) { $0.ntfnObj = .activeNtfn(badge) }
      }
    // The first waiter takes the badge and runs; it may preempt the sender.
    case .waitingNtfn(let waiters):
      guard let dest = waiters.first else { return }
      tcbEPDequeue(dest, ntfn)
      setThreadState(dest, .running)
      updateTCB(dest) { $0.context.badgeRegister = badge }
      maybeDonateSchedContext(dest, ntfn)
      if isSchedulable(dest) { possibleSwitchTo(dest) }
      ifSporadicCurSCRefillUnblockCheck(tcb(at: dest)?.schedContext)
    // Signals not yet received accumulate.
    case .activeNtfn(let word):
      updateNotification(ntfn) { $0.ntfnObj = .activeNtfn(NotificationBadge.accumulate(word, badge: badge)) }
    }
  }

  /// `receiveSignal`: `thread` waits on the notification at `ntfn` (blocking) or polls it.
  mutating func receiveSignal(_ thread: ObjectRef, _ ntfn: ObjectRef, isBlocking: Bool) {
    guard let notification = notification(at: ntfn) else { return }
    switch notification.ntfnObj {
    // Nothing to take: block in the queue, or report a zero badge.
    case .idleNtfn, .waitingNtfn:
      if isBlocking {
        setThreadState(thread, .blockedOnNotification(waitingOnNotification: ntfn))
        tcbEPAppend(thread, ntfn)
        maybeReturnSchedContext(ntfn, thread)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    // Signals arrived: take them (inlined, as seL4 does, not `completeSignal`).
    case .activeNtfn(let word):
      updateTCB(thread) { $0.context.badgeRegister = word }
      updateNotification(ntfn) { $0.ntfnObj = .idleNtfn }
      maybeDonateSchedContext(thread, ntfn)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: thread)?.schedContext)
    }
  }

  /// `completeSignal`: `thread` takes the word of the active notification at `ntfn` into its
  /// badge register, and the notification is Idle again; the thread may receive the
  /// notification's scheduling context, which, sporadic and not `ksCurSC`, starts its ready head.
  mutating func completeSignal(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard case .activeNtfn(let word)? = notification(at: ntfn)?.ntfnObj else { return }
    updateTCB(thread) { $0.context.badgeRegister = word }
    updateNotification(ntfn) { $0.ntfnObj = .idleNtfn }
    maybeDonateSchedContext(thread, ntfn)
    guard let sc = tcb(at: thread)?.schedContext, schedContext(at: sc)?.scSporadic == true else { return }
    if sc == notification(at: ntfn)?.ntfnSc && sc != ksCurSC { refillUnblockCheck(sc) }
  }

  /// `doNBRecvFailedTransfer`: a poll that found nothing leaves badge 0.
  mutating func doNBRecvFailedTransfer(_ thread: ObjectRef) {
    updateTCB(thread) { $0.context.badgeRegister = 0 }
  }

  /// `cancelSignal`: the waiting `thread` leaves the queue of `ntfn` and stops.
  mutating func cancelSignal(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    setThreadState(thread, .inactive)
  }

  /// `cancelAllSignals`: every thread waiting on `ntfn`, head first, leaves the queue to re-run
  /// its system call, and may run at once; then the scheduler chooses afresh. (MCS:
  /// `removeAndRestartNTFNQueuedThread`, `possibleSwitchTo` for each.)
  mutating func cancelAllSignals(_ ntfn: ObjectRef) {
    guard case .waitingNtfn(let waiters)? = notification(at: ntfn)?.ntfnObj else { return }
    for thread in waiters {
      tcbEPDequeue(thread, ntfn)
      setThreadState(thread, .restart)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: thread)?.schedContext)
      possibleSwitchTo(thread)
    }
    rescheduleRequired()
  }

  /// `bindNotification`: the thread at `tcb` and the notification at `ntfn` are bound to each
  /// other.
  mutating func bindNotification(_ tcb: ObjectRef, _ ntfn: ObjectRef) {
    updateNotification(ntfn) { $0.ntfnBoundTCB = tcb }
    updateTCB(tcb) { $0.tcbBoundNotification = ntfn }
  }

  /// `unbindNotification`: the thread at `tcb` and its bound notification let go of each other.
  mutating func unbindNotification(_ tcb: ObjectRef) {
    guard let ntfn = self.tcb(at: tcb)?.tcbBoundNotification else { return }
    updateNotification(ntfn) { $0.ntfnBoundTCB = nil }
    updateTCB(tcb) { $0.tcbBoundNotification = nil }
  }

  /// `unbindMaybeNotification`: the notification at `ntfn` and its bound thread, if any, let go
  /// of each other.
  mutating func unbindMaybeNotification(_ ntfn: ObjectRef) {
    guard let thread = notification(at: ntfn)?.ntfnBoundTCB else { return }
    updateNotification(ntfn) { $0.ntfnBoundTCB = nil }
    updateTCB(thread) { $0.tcbBoundNotification = nil }
  }

  /// `reorderNTFN` (MCS): a waiter whose priority changed takes its place again in the queue.
  mutating func reorderNTFN(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    tcbEPAppend(thread, ntfn)
  }
}

// Notifications: a word of signal bits and a queue of threads waiting for it.
//
// A Signal (a send through a notification cap with Write) ORs the cap's badge into the word, or,
// when threads wait, hands the badge straight to the first of them, which runs again. A Wait (a
// blocking receive through a cap with Read) takes the word and clears it when some signal
// arrived, and otherwise queues the thread until one does; a Poll never blocks and reports
// "nothing" as a zero badge. The queue is ordered by priority, first come first served within a
// priority (MCS `tcbAppend`; l4v-rt `ordered_insert`). A thread bound to a notification is the
// only one that may wait on it. Deleting a notification wakes every waiter to re-run its system
// call; deleting (or suspending) a waiting thread takes it out of the queue (`cancelIPC`).
// A signal to an idle notification whose bound thread waits on an endpoint wakes that thread
// with the badge instead (`Endpoint.swift`).
// A notification may have a scheduling context (SchedContext_Bind, `SchedContext.swift`): a thread
// without one that a signal wakes, or that takes a pending signal, receives it when no thread has
// it (`maybeDonateSchedContext`: `schedContextDonate`, then `schedContextResume`), and a thread
// running on it gives it back when it blocks on the notification, or on an endpoint while bound to
// the notification (`maybeReturnSchedContext`, called from `receiveIPC` too); `completeSignal`
// starts the ready head of a sporadic context so donated (`refill_unblock_check`).
// A thread woken by a signal (a bound waiter, the queue's head, a waiter restarted by
// `cancelAllSignals`) or taking a pending one gets `refill_unblock_check` on its sporadic
// scheduling context other than `cur_sc` (`ifSporadicCurSCRefillUnblockCheck`, `Scheduler.swift`).
// The operations, in the order of the twins (`ExecutableSpec/Notification.swift`,
// `Kernel/Notification.swift`): `tcbEPAppend`, `tcbEPDequeue`, `maybeDonateSchedContext`,
// `maybeReturnSchedContext`, `sendSignal`, `receiveSignal`, `completeSignal`,
// `doNBRecvFailedTransfer`, `cancelSignal`, `cancelAllSignals`, `bindNotification`,
// `unbindNotification`, `unbindMaybeNotification` (`cancelIPC` is in `Endpoint.swift`).
// (`seL4:src/object/notification.c`, `include/object/notification.h` `maybeReturnSchedContext`,
// `src/object/endpoint.c` `cancelIPC`, `include/object/tcb.h`
// `tcbAppend`, `src/kernel/thread.c` `doNBRecvFailedTransfer`; `l4v:spec/abstract/Ipc_A.thy`,
// `IpcCancel_A.thy`, `SchedContext_A.thy` `maybe_donate_sc`, `maybe_return_sc`, branch HE_proofs.)

import KernelABI

extension AbstractState {
  /// `tcbEPAppend` for a notification's queue: `thread` joins the waiters after every thread of
  /// its priority or higher, and the notification is Waiting.
  mutating func tcbEPAppend(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard var notification = notification(at: ntfn) else { return }
    var queue: [ObjectRef] = []
    if case .waiting(let waiters) = notification.state { queue = waiters }
    queue = tcbAppend(thread, queue)
    notification.state = .waiting(queue)
    kheap[ntfn] = .notification(notification)
  }

  /// `tcbEPDequeue` for a notification's queue: `thread` leaves it; a notification left with no
  /// waiter is Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard var notification = notification(at: ntfn), case .waiting(let waiters) = notification.state else { return }
    let rest = waiters.filter { $0 != thread }
    notification.state = rest.isEmpty ? .idle : .waiting(rest)
    kheap[ntfn] = .notification(notification)
  }

  /// `maybe_donate_sc`: a `thread` without a scheduling context receives the one bound to `ntfn`
  /// when no thread has it, and it resumes (`seL4:src/object/notification.c`
  /// `maybeDonateSchedContext`).
  mutating func maybeDonateSchedContext(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    // Each object is looked up before its field is read: a dangling reference (a corrupt state)
    // donates nothing, as the kernel's object-type checks make it.
    guard let receiver = tcb(at: thread), receiver.schedContext == nil, let sc = notification(at: ntfn)?.sc,
      let context = schedContext(at: sc), context.tcb == nil
    else { return }
    schedContextDonate(sc, thread)
    schedContextResume(sc)
  }

  /// `maybe_return_sc`: a `thread` running on the scheduling context bound to `ntfn` gives it
  /// back; the current thread makes the scheduler choose afresh
  /// (`seL4:include/object/notification.h` `maybeReturnSchedContext`).
  mutating func maybeReturnSchedContext(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard let sc = notification(at: ntfn)?.sc, tcb(at: thread)?.schedContext == sc else { return }
    updateTCB(thread) { $0.schedContext = nil }
    updateSchedContext(sc) { $0.tcb = nil }
    if thread == currentThread { rescheduleRequired() }
  }

  /// `send_signal`: signal the notification at `ntfn` with `badge`.
  mutating func sendSignal(_ ntfn: ObjectRef, _ badge: UInt64) {
    guard let notification = notification(at: ntfn) else { return }
    switch notification.state {
    // No one waits: the bound thread, if it waits on an endpoint, stops waiting and takes the
    // badge; otherwise the badge is kept.
    case .idle:
      if let bound = notification.boundTCB, case .blockedOnReceive? = tcb(at: bound)?.state {
        cancelIPC(bound)
        setThreadState(bound, .running)
        updateTCB(bound) { $0.context.badgeRegister = badge }
        maybeDonateSchedContext(bound, ntfn)
        if isSchedulable(bound) { possibleSwitchTo(bound) }
        ifSporadicCurSCRefillUnblockCheck(tcb(at: bound)?.schedContext)
      } else {
        updateNotification(ntfn) { $0.state = .active(badge) }
      }
    // The first waiter takes the badge and runs; it may preempt the sender.
    case .waiting(let waiters):
      guard let dest = waiters.first else { return }
      tcbEPDequeue(dest, ntfn)
      setThreadState(dest, .running)
      updateTCB(dest) { $0.context.badgeRegister = badge }
      maybeDonateSchedContext(dest, ntfn)
      if isSchedulable(dest) { possibleSwitchTo(dest) }
      ifSporadicCurSCRefillUnblockCheck(tcb(at: dest)?.schedContext)
    // Signals not yet received accumulate.
    case .active(let word):
      updateNotification(ntfn) { $0.state = .active(word | badge) }
    }
  }

  /// `receive_signal`: `thread` waits on the notification at `ntfn` (blocking) or polls it.
  mutating func receiveSignal(_ thread: ObjectRef, _ ntfn: ObjectRef, isBlocking: Bool) {
    guard let notification = notification(at: ntfn) else { return }
    switch notification.state {
    // Nothing to take: block in the queue, or report a zero badge.
    case .idle, .waiting:
      if isBlocking {
        setThreadState(thread, .blockedOnNotification(ntfn))
        tcbEPAppend(thread, ntfn)
        maybeReturnSchedContext(ntfn, thread)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    // Signals arrived: take them (seL4 inlines this rather than calling `completeSignal`, whose
    // `refill_unblock_check` is narrower).
    case .active(let word):
      updateTCB(thread) { $0.context.badgeRegister = word }
      updateNotification(ntfn) { $0.state = .idle }
      maybeDonateSchedContext(thread, ntfn)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: thread)?.schedContext)
    }
  }

  /// `complete_signal`: `thread` takes the word of the active notification at `ntfn` into its
  /// badge register, and the notification is Idle again; the thread may receive the
  /// notification's scheduling context, which, sporadic and not `cur_sc`, starts its ready head.
  mutating func completeSignal(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard case .active(let word)? = notification(at: ntfn)?.state else { return }
    updateTCB(thread) { $0.context.badgeRegister = word }
    updateNotification(ntfn) { $0.state = .idle }
    maybeDonateSchedContext(thread, ntfn)
    guard let sc = tcb(at: thread)?.schedContext, schedContext(at: sc)?.sporadic == true else { return }
    if sc == notification(at: ntfn)?.sc && sc != curSC { refillUnblockCheck(sc) }
  }

  /// `do_nbrecv_failed_transfer`: a poll that found nothing leaves badge 0.
  mutating func doNBRecvFailedTransfer(_ thread: ObjectRef) {
    updateTCB(thread) { $0.context.badgeRegister = 0 }
  }

  /// `cancel_signal`: the waiting `thread` leaves the queue of `ntfn` and stops.
  mutating func cancelSignal(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    setThreadState(thread, .inactive)
  }

  /// `cancel_all_signals`: every thread waiting on `ntfn`, head first, leaves the queue to re-run
  /// its system call, and may run at once; then the scheduler chooses afresh. (MCS:
  /// `removeAndRestartNTFNQueuedThread`, `possibleSwitchTo` for each.)
  mutating func cancelAllSignals(_ ntfn: ObjectRef) {
    guard case .waiting(let waiters)? = notification(at: ntfn)?.state else { return }
    for thread in waiters {
      tcbEPDequeue(thread, ntfn)
      setThreadState(thread, .restart)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: thread)?.schedContext)
      possibleSwitchTo(thread)
    }
    rescheduleRequired()
  }

  /// `bind_notification`: the thread at `tcb` and the notification at `ntfn` are bound to each
  /// other.
  mutating func bindNotification(_ tcb: ObjectRef, _ ntfn: ObjectRef) {
    updateNotification(ntfn) { $0.boundTCB = tcb }
    updateTCB(tcb) { $0.boundNotification = ntfn }
  }

  /// `unbind_notification`: the thread at `tcb` and its bound notification let go of each other.
  mutating func unbindNotification(_ tcb: ObjectRef) {
    guard let ntfn = self.tcb(at: tcb)?.boundNotification else { return }
    updateNotification(ntfn) { $0.boundTCB = nil }
    updateTCB(tcb) { $0.boundNotification = nil }
  }

  /// `unbind_maybe_notification`: the notification at `ntfn` and its bound thread, if any, let go
  /// of each other.
  mutating func unbindMaybeNotification(_ ntfn: ObjectRef) {
    guard let thread = notification(at: ntfn)?.boundTCB else { return }
    updateNotification(ntfn) { $0.boundTCB = nil }
    updateTCB(thread) { $0.boundNotification = nil }
  }

  /// `reorderNTFN` (MCS): a waiter whose priority changed takes its place again in the
  /// notification's priority-ordered queue (`seL4:src/object/notification.c`).
  mutating func reorderNTFN(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    tcbEPAppend(thread, ntfn)
  }
}

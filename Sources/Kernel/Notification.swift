// Notifications on words, as seL4's C has them (`seL4:src/object/notification.c`): a
// notification's head, tail, state, badge and bound-thread words (`ObjectLayout.ntfnQueueHead`
// ...), and its queue an intrusive doubly linked list through the waiting threads'
// `tcbEPNext`/`tcbEPPrev` words, ordered by priority as MCS orders it
// (`seL4:include/object/tcb.h` `tcbAppend`: before the head if of higher priority than it, after
// the tail if it is of at least the thread's priority, else after the last of the leading threads
// of at least its priority). A waiting thread's state word says BlockedOnNotification and its
// `tcbBlockingObject` word names the notification. What each operation does is said in
// `AbstractSpec/Notification.swift`. The operations, in the order of the twins:
// `tcbEPAppend`, `tcbEPDequeue`, `maybeDonateSchedContext`, `maybeReturnSchedContext`, `sendSignal`, `receiveSignal`, `completeSignal`,
// `doNBRecvFailedTransfer`, `cancelSignal`, `cancelAllSignals`, `bindNotification`,
// `unbindNotification`, `unbindMaybeNotification` (`cancelIPC` is in `Endpoint.swift`). No path
// here traps: walks are bounded by the number of objects, a missing object reads as "nothing to do".

import KernelABI

extension KernelState {
  /// Write the notification's head and tail words.
  mutating func setNtfnQueue(_ ntfn: ObjectRef, head: ObjectRef, tail: ObjectRef) {
    memory.store(ntfn &+ ObjectLayout.ntfnQueueHead, head)
    memory.store(ntfn &+ ObjectLayout.ntfnQueueTail, tail)
  }

  /// Write the notification's state word.
  mutating func setNtfnState(_ ntfn: ObjectRef, _ state: KernelNtfnState) {
    memory.store(ntfn &+ ObjectLayout.ntfnState, state.rawValue)
  }

  /// Write the thread's `tcbEPNext` and `tcbEPPrev`.
  mutating func setEPLinks(_ tcb: ObjectRef, next: ObjectRef, prev: ObjectRef) {
    memory.store(tcb &+ ObjectLayout.tcbEPNext, next)
    memory.store(tcb &+ ObjectLayout.tcbEPPrev, prev)
  }

  /// `tcbNTFNAppend` (`tcbAppend` on the notification's queue): `thread` joins the queue in
  /// priority order, and the notification is Waiting.
  mutating func tcbEPAppend(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard objects[thread] == .tcb, objects[ntfn] == .notification else { return }
    let queue = tcbAppend(thread, ntfnQueue(of: ntfn))
    setNtfnQueue(ntfn, head: queue.head, tail: queue.tail)
    setNtfnState(ntfn, .waiting)
  }

  /// `tcbNTFNDequeue` (`tcb_queue_remove` on the notification's queue): `thread` is unlinked, its
  /// links cleared; a queue left empty makes the notification Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard objects[thread] == .tcb, objects[ntfn] == .notification else { return }
    let queue = tcbQueueRemove(ntfnQueue(of: ntfn), thread)
    setNtfnQueue(ntfn, head: queue.head, tail: queue.tail)
    if queue.head == 0 { setNtfnState(ntfn, .idle) }
  }

  /// `maybeDonateSchedContext(tcb, ntfnPtr)` (`seL4:src/object/notification.c`): a thread without
  /// a scheduling context receives the notification's when no thread has it
  /// (`schedContext_donate`, `schedContext_resume`).
  mutating func maybeDonateSchedContext(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    guard seams.ntfnDonatesSchedContext?() ?? true else { return }
    guard schedContextWord(of: thread) == 0 else { return }
    let sc = ntfnSchedContext(of: ntfn)
    guard sc != 0, case .schedContext? = objects[sc], scTcb(of: sc) == 0 else { return }
    schedContextDonate(sc, thread)
    schedContextResume(sc)
  }

  /// `maybeReturnSchedContext(ntfnPtr, tcb)` (`seL4:include/object/notification.h`): a thread on
  /// the notification's scheduling context gives it back; the current thread makes the scheduler
  /// choose afresh.
  mutating func maybeReturnSchedContext(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard seams.ntfnReturnsSchedContext?() ?? true else { return }
    let sc = ntfnSchedContext(of: ntfn)
    guard sc != 0, objects[thread] == .tcb, schedContextWord(of: thread) == sc else { return }
    memory.store(thread &+ ObjectLayout.tcbSchedContext, 0)
    memory.store(sc &+ ObjectLayout.scTcb, 0)
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `sendSignal(ntfnPtr, badge)`.
  mutating func sendSignal(_ ntfn: ObjectRef, _ badge: UInt64) {
    switch ntfnState(of: ntfn) {
    // No one waits: a bound thread waiting on an endpoint takes the badge; else it is kept.
    case .idle?:
      let bound = ntfnBoundTCB(of: ntfn)
      if bound != 0, threadState(of: bound) == .blockedOnReceive {
        cancelIPC(bound)
        setThreadState(bound, .running)
        setBadgeRegister(bound, seams.signalBadge?(badge) ?? badge)
        maybeDonateSchedContext(bound, ntfn)
        if isSchedulable(bound) { possibleSwitchTo(bound) }
        ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: bound) ?? 0)
      } else {
        memory.store(ntfn &+ ObjectLayout.ntfnMsgIdentifier, seams.signalBadge?(badge) ?? badge)
        setNtfnState(ntfn, .active)
      }
    // The head waiter takes the badge and runs (`MCS_DO_IF_SC`: if it can, it may preempt).
    case .waiting?:
      let dest = ntfnQueue(of: ntfn).head
      guard objects[dest] == .tcb else { return }
      tcbEPDequeue(dest, ntfn)
      setThreadState(dest, .running)
      setBadgeRegister(dest, seams.signalBadge?(badge) ?? badge)
      maybeDonateSchedContext(dest, ntfn)
      if isSchedulable(dest) { possibleSwitchTo(dest) }
      ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: dest) ?? 0)
    // Signals accumulate.
    case .active?:
      let word = ntfnMsgIdentifier(of: ntfn)
      memory.store(
        ntfn &+ ObjectLayout.ntfnMsgIdentifier,
        NotificationBadge.accumulate(word, badge: seams.signalBadge?(badge) ?? badge))
    case nil:
      return
    }
  }

  /// `receiveSignal(thread, cap, isBlocking)`.
  mutating func receiveSignal(_ thread: ObjectRef, _ ntfn: ObjectRef, isBlocking: Bool) {
    switch ntfnState(of: ntfn) {
    case .idle?, .waiting?:
      if isBlocking {
        memory.store(thread &+ ObjectLayout.tcbBlockingObject, ntfn)
        setThreadState(thread, .blockedOnNotification)
        tcbEPAppend(thread, ntfn)
        maybeReturnSchedContext(ntfn, thread)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    // Inlined, as seL4 does, not `completeSignal`.
    case .active?:
      setBadgeRegister(thread, ntfnMsgIdentifier(of: ntfn))
      setNtfnState(ntfn, .idle)
      maybeDonateSchedContext(thread, ntfn)
      ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: thread) ?? 0)
    case nil:
      return
    }
  }

  /// `completeSignal(ntfnPtr, tcb)`: the badge word into the thread's badge register, and Idle;
  /// `maybeDonateSchedContext`, and `refill_unblock_check` of a sporadic context so donated.
  mutating func completeSignal(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    guard ntfnState(of: ntfn) == .active, objects[thread] == .tcb else { return }
    setBadgeRegister(thread, ntfnMsgIdentifier(of: ntfn))
    setNtfnState(ntfn, .idle)
    maybeDonateSchedContext(thread, ntfn)
    let sc = schedContextWord(of: thread) ?? 0
    guard sc != 0, scSporadic(of: sc) ?? 0 != 0, seams.completeSignalUnblockChecks?() ?? true else { return }
    if sc == ntfnSchedContext(of: ntfn) && sc != ksCurSC { refillUnblockCheck(sc) }
  }

  /// `doNBRecvFailedTransfer(thread)`: badge register 0.
  mutating func doNBRecvFailedTransfer(_ thread: ObjectRef) {
    guard objects[thread] == .tcb else { return }
    setBadgeRegister(thread, 0)
  }

  /// `cancelSignal(threadPtr, ntfnPtr)`: dequeue, then Inactive.
  mutating func cancelSignal(_ thread: ObjectRef, _ ntfn: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    setThreadState(thread, .inactive)
  }

  /// `cancelAllSignals(ntfnPtr)` (MCS: `removeAndRestartNTFNQueuedThread` for each waiter, head
  /// first, then `rescheduleRequired`).
  mutating func cancelAllSignals(_ ntfn: ObjectRef) {
    guard ntfnState(of: ntfn) == .waiting else { return }
    var thread = ntfnQueue(of: ntfn).head
    var steps = 0
    while thread != 0, objects[thread] == .tcb, steps <= objects.count {
      let next = memory.word(thread &+ ObjectLayout.tcbEPNext)
      tcbEPDequeue(thread, ntfn)
      setThreadState(thread, .restart)
      ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: thread) ?? 0)
      possibleSwitchTo(thread)
      thread = next
      steps &+= 1
    }
    rescheduleRequired()
  }

  /// `bindNotification(tcb, ntfnPtr)`: `ntfnBoundTCB` and `tcbBoundNotification` name each other.
  mutating func bindNotification(_ tcb: ObjectRef, _ ntfn: ObjectRef) {
    memory.store(ntfn &+ ObjectLayout.ntfnBoundTCB, tcb)
    memory.store(tcb &+ ObjectLayout.tcbBoundNotification, ntfn)
  }

  /// `unbindNotification(tcb)` (`doUnbindNotification`).
  mutating func unbindNotification(_ tcb: ObjectRef) {
    guard let ntfn = boundNotificationWord(of: tcb), ntfn != 0 else { return }
    if objects[ntfn] == .notification { memory.store(ntfn &+ ObjectLayout.ntfnBoundTCB, 0) }
    memory.store(tcb &+ ObjectLayout.tcbBoundNotification, 0)
  }

  /// `unbindMaybeNotification(ntfnPtr)` (`doUnbindNotification`).
  mutating func unbindMaybeNotification(_ ntfn: ObjectRef) {
    guard objects[ntfn] == .notification else { return }
    let tcb = ntfnBoundTCB(of: ntfn)
    guard tcb != 0 else { return }
    memory.store(ntfn &+ ObjectLayout.ntfnBoundTCB, 0)
    if objects[tcb] == .tcb { memory.store(tcb &+ ObjectLayout.tcbBoundNotification, 0) }
  }

  /// `reorderNTFN` (MCS): the waiter is unlinked and linked again at its new priority's place.
  mutating func reorderNTFN(_ ntfn: ObjectRef, _ thread: ObjectRef) {
    tcbEPDequeue(thread, ntfn)
    tcbEPAppend(thread, ntfn)
  }
}

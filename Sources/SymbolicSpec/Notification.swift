// Notifications: the twin of `AbstractSpec/Notification.swift`, the operations a Signal, a Wait, a
// Poll and the TCB's notification binding run, over the twin's threads and notifications
// (`State.swift`). Same identifiers, same order, same branches; what the twin leaves out:
// - the scheduler: `setThreadState`'s `scheduleTCB`, `possibleSwitchTo`, `rescheduleRequired` and
//   `ifSporadicCurSCRefillUnblockCheck` write the ready queues, the scheduler action and refills,
//   which the twin does not hold;
// - scheduling contexts on notifications: `maybeDonateSchedContext` and `maybeReturnSchedContext`
//   do nothing when the notification has none, which is every notification of the twin;
// - a bound thread blocked on an endpoint (a Signal's `cancelIPC` branch) and a third waiter: the
//   twin marks the path `objectBoundReached`, and the proofs leave it out.
// `maybeDonateSchedContext`, `maybeReturnSchedContext`, `completeSignal`, `cancelAllSignals`,
// `unbindMaybeNotification` and `reorderNTFN` are not twinned yet (docs/abstract-proofs.md, "Objects").
// (`seL4:src/object/notification.c`; `l4v:spec/abstract/Ipc_A.thy`, `IpcCancel_A.thy`, HE_proofs.)

import Bitwise

extension TwinState {
  /// `tcbEPAppend` for a notification's queue: `thread` joins the waiters after every thread of
  /// its priority or higher, and the notification is Waiting.
  public mutating func tcbEPAppend(_ thread: Word, _ ntfn: Word) {
    let notification = notification(ntfn)
    let length = Word.select(notification.is(.waiting), notification.queueLength, 0)
    // A third waiter is outside the twin's queue of two.
    if domain.decide(length .>= 2) {
      objectBoundReached = true
      return
    }
    let priority = self.thread(thread).priority
    // `tcbAppend`: before the one waiter when its priority is lower, else at the end.
    let before = (length .== 1) .&& (self.thread(notification.first).priority .< priority)
    updateNotification(ntfn) {
      $0.state = Word(constant: TwinNotificationStateTag.waiting.rawValue)
      $0.word = 0
      $0.first = Word.select((length .== 0) .|| before, thread, notification.first)
      $0.second = Word.select(length .== 0, 0, Word.select(before, notification.first, thread))
      $0.queueLength = length &+ 1
    }
  }

  /// `tcbEPDequeue` for a notification's queue: `thread` leaves it; a notification left with no
  /// waiter is Idle.
  public mutating func tcbEPDequeue(_ thread: Word, _ ntfn: Word) {
    let notification = notification(ntfn)
    guard domain.decide(notification.is(.waiting)) else { return }
    let keepFirst = (notification.queueLength .>= 1) .&& (notification.first .!= thread)
    let keepSecond = (notification.queueLength .>= 2) .&& (notification.second .!= thread)
    let length = Word.select(keepFirst, 1, 0) &+ Word.select(keepSecond, 1, 0)
    let emptied =
      seams.objectMutant == .dequeueKeepsWaiting
      ? TwinNotificationStateTag.waiting : TwinNotificationStateTag.idle
    updateNotification(ntfn) {
      $0.state = Word.select(
        length .== 0, Word(constant: emptied.rawValue),
        Word(constant: TwinNotificationStateTag.waiting.rawValue))
      $0.queueLength = length
      $0.first = Word.select(keepFirst, notification.first, Word.select(keepSecond, notification.second, 0))
      $0.second = Word.select(keepFirst .&& keepSecond, notification.second, 0)
    }
  }

  /// `send_signal`: signal the notification at `ntfn` with `badge`.
  public mutating func sendSignal(_ ntfn: Word, _ badge: Word) {
    guard domain.decide(isNotification(ntfn)) else { return }
    let notification = notification(ntfn)
    // No one waits: the bound thread, if it waits on an endpoint, stops waiting and takes the
    // badge (outside the twin); otherwise the badge is kept.
    if domain.decide(notification.is(.idle)) {
      let bound = notification.boundTCB
      if domain.decide((bound .!= 0) .&& self.thread(bound).is(.other)) {
        objectBoundReached = true
        return
      }
      updateNotification(ntfn) {
        $0.state = Word(constant: TwinNotificationStateTag.active.rawValue)
        $0.word = badge
      }
    }
    // The first waiter takes the badge and runs.
    else if domain.decide(notification.is(.waiting)) {
      guard domain.decide(notification.queueLength .!= 0) else { return }
      let dest = notification.first
      if seams.objectMutant != .signalSkipsDequeue { tcbEPDequeue(dest, ntfn) }
      setThreadState(dest, .running)
      updateThread(dest) { $0.badge = badge }
    }
    // Signals not yet received accumulate.
    else {
      updateNotification(ntfn) { $0.word = notification.word | badge }
    }
  }

  /// `receive_signal`: `thread` waits on the notification at `ntfn` (blocking) or polls it.
  public mutating func receiveSignal(_ thread: Word, _ ntfn: Word, isBlocking: Bool) {
    guard domain.decide(isNotification(ntfn)) else { return }
    let notification = notification(ntfn)
    // Nothing to take: block in the queue, or report a zero badge.
    if domain.decide(.!notification.is(.active)) {
      if isBlocking {
        if seams.objectMutant != .waitSkipsBlockedState {
          setThreadState(thread, .blockedOnNotification, waitingOn: ntfn)
        }
        tcbEPAppend(thread, ntfn)
      } else if seams.objectMutant == .pollQueuesThread {
        tcbEPAppend(thread, ntfn)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    }
    // Signals arrived: take them.
    else {
      updateThread(thread) { $0.badge = notification.word }
      updateNotification(ntfn) {
        $0.state = Word(constant: TwinNotificationStateTag.idle.rawValue)
        $0.word = 0
      }
    }
  }

  /// `do_nbrecv_failed_transfer`: a poll that found nothing leaves badge 0.
  public mutating func doNBRecvFailedTransfer(_ thread: Word) {
    updateThread(thread) { $0.badge = 0 }
  }

  /// `cancel_signal`: the waiting `thread` leaves the queue of `ntfn` and stops.
  public mutating func cancelSignal(_ thread: Word, _ ntfn: Word) {
    tcbEPDequeue(thread, ntfn)
    setThreadState(thread, .inactive)
  }

  /// `bind_notification`: the thread at `tcb` and the notification at `ntfn` are bound to each
  /// other.
  public mutating func bindNotification(_ tcb: Word, _ ntfn: Word) {
    updateNotification(ntfn) { $0.boundTCB = tcb }
    if seams.objectMutant != .bindOneSided { updateThread(tcb) { $0.boundNotification = ntfn } }
  }

  /// `unbind_notification`: the thread at `tcb` and its bound notification let go of each other.
  public mutating func unbindNotification(_ tcb: Word) {
    let ntfn = thread(tcb).boundNotification
    guard domain.decide(ntfn .!= 0) else { return }
    updateNotification(ntfn) { $0.boundTCB = 0 }
    if seams.objectMutant != .unbindForgetsTCBSide { updateThread(tcb) { $0.boundNotification = 0 } }
  }
}

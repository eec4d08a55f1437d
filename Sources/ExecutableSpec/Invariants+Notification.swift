// The notifications' invariants of the executable spec: the abstract spec's, primed (l4v
// `proof/refine/Invariants_H.thy`: `valid_ntfn'`, `sym_refs` of `state_refs_of'`), on the
// Haskell model's names. The abstract spec's are:
// - `valid_ntfn` (a conjunct of `valid_objs`, about one notification): a Waiting notification's
//   queue is not empty and holds no thread twice; a notification bound to a thread has no other
//   thread waiting on it;
// - `sym_refs`, its notification parts (`state_refs_of`: `NTFNSignal`/`TCBSignal`, `NTFNBound`/
//   `TCBBound`): each thread in a queue is a TCB BlockedOnNotification on that notification, and
//   each thread so blocked is in that queue (`ntfn_queue`); a thread names its bound notification
//   exactly when the notification names it (`ntfn_bound`).
// `valid_ntfn` runs with `valid_objs` (on each changed object, incrementally); the `sym_refs`
// parts read every notification and thread, and run with the scheduler's invariants whenever a
// notification, or a thread's state or bound notification, changed
// (`notificationsMayHaveChanged`). Twins: `AbstractSpec/Invariants+Notification.swift`,
// `Kernel/Invariants+Notification.swift`.

public import KernelABI

extension ExecState {
  /// `valid_ntfn'` of the notification `ntfn` at `address`: what is wrong with it, if anything.
  func validNtfn(_ address: ObjectRef, _ ntfn: Notification) -> [String] {
    var found: [String] = []
    if case .waitingNtfn(let queue) = ntfn.ntfnObj {
      if queue.isEmpty { found.append("notification \(hex(address)) is Waiting with an empty queue") }
      if Set(queue).count != queue.count {
        found.append("notification \(hex(address)) queues a thread twice: \(queue.map(hex))")
      }
      if let bound = ntfn.ntfnBoundTCB, queue.contains(where: { $0 != bound }) {
        found.append("notification \(hex(address)) is bound to \(hex(bound)) but others wait on it")
      }
    }
    return found
  }

  /// The notification parts of `sym_refs`.
  public func symRefsNotifications() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(InvariantViolation("sym_refs'", conjunct: conjunct, text))
    }
    // The notifications and threads by address, gathered in one pass (sorting the whole heap
    // would copy every object).
    var ntfns: [(address: ObjectRef, ntfn: Notification)] = []
    var tcbs: [(address: ObjectRef, tcb: TCB)] = []
    for (address, object) in ksPSpace {
      switch object {
      case .notification(let ntfn): ntfns.append((address, ntfn))
      case .tcb(let tcb): tcbs.append((address, tcb))
      default: continue
      }
    }
    ntfns.sort { $0.address < $1.address }
    tcbs.sort { $0.address < $1.address }
    var queuedOn: [ObjectRef: ObjectRef] = [:]
    for (address, ntfn) in ntfns {
      if case .waitingNtfn(let queue) = ntfn.ntfnObj {
        for thread in queue {
          queuedOn[thread] = address
          if tcb(at: thread)?.state != .blockedOnNotification(waitingOnNotification: address) {
            fail("ntfn_queue'", "thread \(hex(thread)) is in the queue of \(hex(address)) but not blocked on it")
          }
        }
      }
      if let bound = ntfn.ntfnBoundTCB, tcb(at: bound)?.tcbBoundNotification != address {
        fail("ntfn_bound'", "notification \(hex(address)) names \(hex(bound)), which does not name it")
      }
    }
    for (address, tcb) in tcbs {
      if case .blockedOnNotification(let ntfn) = tcb.state, queuedOn[address] != ntfn {
        fail("ntfn_queue'", "thread \(hex(address)) is blocked on \(hex(ntfn)) but not in its queue")
      }
      if let ntfn = tcb.tcbBoundNotification, notification(at: ntfn)?.ntfnBoundTCB != address {
        fail("ntfn_bound'", "thread \(hex(address)) names \(hex(ntfn)), which does not name it")
      }
    }
    return found
  }

  /// Whether anything the notification parts of `sym_refs` read may differ from `before`: a
  /// notification changed, added or removed, or a thread's state or bound notification changed,
  /// or a thread added or removed.
  func notificationsMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>)
    -> Bool
  {
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state || old.tcbBoundNotification != new.tcbBoundNotification { return true }
      case (.tcb?, _), (_, .tcb?), (.notification?, _), (_, .notification?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.ksPSpace[address] {
      case .tcb?, .notification?: return true
      default: continue
      }
    }
    return false
  }
}

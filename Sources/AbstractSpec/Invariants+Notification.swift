// The notifications' invariants of the abstract state, by their l4v names
// (`l4v:proof/invariant-abstract/Invariants_AI.thy`):
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
// (`notificationsMayHaveChanged`). Twins: `ExecutableSpec/Invariants+Notification.swift`,
// `Kernel/Invariants+Notification.swift`.

public import KernelABI

extension AbstractState {
  /// `valid_ntfn` of the notification `ntfn` at `address`: what is wrong with it, if anything.
  func validNtfn(_ address: ObjectRef, _ ntfn: Notification) -> [String] {
    var found: [String] = []
    if case .waiting(let queue) = ntfn.state {
      if queue.isEmpty { found.append("notification \(hex(address)) is Waiting with an empty queue") }
      if Set(queue).count != queue.count {
        found.append("notification \(hex(address)) queues a thread twice: \(queue.map(hex))")
      }
      if let bound = ntfn.boundTCB, queue.contains(where: { $0 != bound }) {
        found.append("notification \(hex(address)) is bound to \(hex(bound)) but others wait on it")
      }
    }
    return found
  }

  /// The notification parts of `sym_refs`.
  public func symRefsNotifications() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(InvariantViolation("sym_refs", conjunct: conjunct, text))
    }
    // The notifications and threads by address, gathered in one pass (sorting the whole heap
    // would copy every object).
    var ntfns: [(address: ObjectRef, ntfn: Notification)] = []
    var tcbs: [(address: ObjectRef, tcb: TCB)] = []
    for (address, object) in kheap {
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
      if case .waiting(let queue) = ntfn.state {
        for thread in queue {
          queuedOn[thread] = address
          if tcb(at: thread)?.state != .blockedOnNotification(address) {
            fail("ntfn_queue", "thread \(hex(thread)) is in the queue of \(hex(address)) but not blocked on it")
          }
        }
      }
      if let bound = ntfn.boundTCB, tcb(at: bound)?.boundNotification != address {
        fail("ntfn_bound", "notification \(hex(address)) names \(hex(bound)), which does not name it")
      }
    }
    for (address, tcb) in tcbs {
      if case .blockedOnNotification(let ntfn) = tcb.state, queuedOn[address] != ntfn {
        fail("ntfn_queue", "thread \(hex(address)) is blocked on \(hex(ntfn)) but not in its queue")
      }
      if let ntfn = tcb.boundNotification, notification(at: ntfn)?.boundTCB != address {
        fail("ntfn_bound", "thread \(hex(address)) names \(hex(ntfn)), which does not name it")
      }
    }
    return found
  }

  /// Whether anything the notification parts of `sym_refs` read may differ from `before`: a
  /// notification changed, added or removed, or a thread's state or bound notification changed,
  /// or a thread added or removed.
  func notificationsMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>)
    -> Bool
  {
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state || old.boundNotification != new.boundNotification { return true }
      case (.tcb?, _), (_, .tcb?), (.notification?, _), (_, .notification?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .tcb?, .notification?: return true
      default: continue
      }
    }
    return false
  }
}

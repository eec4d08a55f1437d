// The notifications' invariants of the kernel, on words: the executable spec's
// (`ExecutableSpec/Invariants+Notification.swift`) and what the linked queues add.
// - `valid_ntfn'` (part of `valid_objs'`): the state word decodes; Waiting exactly when the
//   queue is not empty; a notification bound to a thread has no other thread waiting;
// - `sym_refs` (its notification parts): each thread in a queue is BlockedOnNotification on that
//   notification, and each such thread is in its notification's queue (`ntfn_queue`); a thread
//   names its bound notification exactly when that names it (`ntfn_bound`);
// - `sym_heap_ep_pointers` (this kernel's name, after `sym_heap_sched_pointers`): each queue is a
//   well-formed doubly linked list through `tcbEPNext`/`tcbEPPrev`: its head has no `tcbEPPrev`,
//   each `tcbEPNext` is answered by the `tcbEPPrev` of the thread it names, the last thread is
//   the tail, an empty queue has neither head nor tail, no list loops; a thread in no queue has
//   null links.
// Entries of `invariants` (`Invariants.swift`); the incremental check runs them when a step wrote
// a word they read (`LockstepChecker.kernelSchedulerChanged`).
// Twins: `AbstractSpec/Invariants+Notification.swift`, `ExecutableSpec/Invariants+Notification.swift`.

public import KernelABI

extension KernelState {
  /// The queue of the notification at `ntfn` read from its words: the threads from the head
  /// along `tcbEPNext`, and what is wrong with the list (nil when it is well formed). A walk stops
  /// at a thread that is not a live TCB, at a thread seen before, or after as many threads as
  /// there are objects.
  public func ntfnQueueWalk(_ ntfn: ObjectRef) -> (threads: [ObjectRef], problem: String?) {
    let (head, tail) = ntfnQueue(of: ntfn)
    return queueWalk(
      head: head, tail: tail, name: "notification \(hex(ntfn))'s queue",
      noHead: "notification \(hex(ntfn)) has no queue head but tail \(hex(tail))", prevField: "tcbEPPrev",
      links: epLinks(of:))
  }

  /// Every broken conjunct of the notifications' invariants, in table order.
  public func ntfnInvariantViolations() -> [InvariantViolation] { ntfnInvariantViolations(schedulerObjects()) }

  /// `ntfnInvariantViolations()`; `schedObjects`: `schedulerObjects()`, which holds the threads
  /// and notifications.
  func ntfnInvariantViolations(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var queued: [ObjectRef: ObjectRef] = [:]
    // The endpoints' queues first (`Invariants+Endpoint.swift`): a thread in one has links too.
    var found = epInvariantViolations(schedObjects, queued: &queued)
    for (ntfn, kind) in schedObjects where kind == .notification {
      let walk = ntfnQueueWalk(ntfn)
      if let problem = walk.problem { found.append(InvariantViolation("sym_heap_ep_pointers", problem)) }
      let bound = ntfnBoundTCB(of: ntfn)
      switch ntfnState(of: ntfn) {
      case .waiting?:
        if walk.threads.isEmpty {
          found.append(InvariantViolation("valid_ntfn'", "notification \(hex(ntfn)) is Waiting with an empty queue"))
        }
      case .idle?, .active?:
        if !walk.threads.isEmpty {
          found.append(InvariantViolation("valid_ntfn'", "notification \(hex(ntfn)) has a queue but is not Waiting"))
        }
      case nil:
        found.append(InvariantViolation("valid_ntfn'", "notification \(hex(ntfn)) has no decodable state"))
      }
      if bound != 0, walk.threads.contains(where: { $0 != bound }) {
        found.append(
          InvariantViolation("valid_ntfn'", "notification \(hex(ntfn)) is bound to \(hex(bound)) but others wait"))
      }
      for thread in walk.threads {
        queued[thread] = ntfn
        if threadState(of: thread) != .blockedOnNotification || blockingObject(of: thread) != ntfn {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "ntfn_queue'",
              "thread \(hex(thread)) is in the queue of \(hex(ntfn)) but not blocked on it"))
        }
      }
      if bound != 0 && boundNotificationWord(of: bound) != ntfn {
        found.append(
          InvariantViolation(
            "sym_refs'", conjunct: "ntfn_bound'",
            "notification \(hex(ntfn)) names \(hex(bound)), which does not name it"))
      }
    }
    for (thread, kind) in schedObjects where kind == .tcb {
      if threadState(of: thread) == .blockedOnNotification, let ntfn = blockingObject(of: thread),
        queued[thread] != ntfn
      {
        found.append(
          InvariantViolation(
            "sym_refs'", conjunct: "ntfn_queue'",
            "thread \(hex(thread)) is blocked on \(hex(ntfn)) but not in its queue"))
      }
      if queued[thread] == nil, epLinks(of: thread) != (next: 0, prev: 0) {
        found.append(InvariantViolation("sym_heap_ep_pointers", "thread \(hex(thread)) is in no queue but has links"))
      }
      if let ntfn = boundNotificationWord(of: thread), ntfn != 0,
        objects[ntfn] != .notification || ntfnBoundTCB(of: ntfn) != thread
      {
        found.append(
          InvariantViolation(
            "sym_refs'", conjunct: "ntfn_bound'", "thread \(hex(thread)) names \(hex(ntfn)), which does not name it"))
      }
    }
    // The reply objects' last (`Invariants+Endpoint.swift`).
    found += replyInvariantViolations(schedObjects)
    return found
  }
}

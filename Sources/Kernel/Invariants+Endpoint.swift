// The endpoints' invariants of the kernel, on words: the executable spec's
// (`ExecutableSpec/Invariants+Endpoint.swift`) and what the linked queues add.
// - `valid_ep'` (part of `valid_objs'`): the state bits decode; Idle exactly when the queue is
//   empty;
// - `sym_refs'` (its endpoint part, conjunct `ep_queue'`): each thread in a Send queue is
//   BlockedOnSend on that endpoint, each in a Recv queue BlockedOnReceive on it, and each such
//   thread is in its endpoint's queue;
// - `sym_heap_ep_pointers`: each endpoint queue is a well-formed doubly linked list through
//   `tcbEPNext`/`tcbEPPrev`, as a notification's is (`Invariants+Notification.swift`, which also
//   checks that a thread in no queue, a notification's or an endpoint's, has null links);
// - `sorted_ipc_queues'` (l4v-rt `sorted_ipc_queues`, `DetSchedInvs_AI.thy`), its endpoint part:
//   the priority words of the threads along each endpoint's queue are non-increasing from the
//   head (on which the forward walk of `tcbAppend` equals seL4's backward one).
// - the reply objects': `sym_refs'` conjunct `reply_tcb'` (a thread's state and
//   `tcbBlockingReplyObject` word name a reply object exactly when its `replyTCB` word names the
//   thread) and `valid_replies'`.
// Run with the notifications' invariants (`ntfnInvariantViolations`), when a step wrote a word
// they read (`LockstepChecker.kernelSchedulerChanged`).
// Twins: `AbstractSpec/Invariants+Endpoint.swift`, `ExecutableSpec/Invariants+Endpoint.swift`.

public import KernelABI

extension KernelState {
  /// The queue of the endpoint at `ep` read from its words: the threads from the head along
  /// `tcbEPNext`, and what is wrong with the list (nil when it is well formed).
  public func epQueueWalk(_ ep: ObjectRef) -> (threads: [ObjectRef], problem: String?) {
    let (head, tail) = epQueue(of: ep)
    return queueWalk(
      head: head, tail: tail, name: "endpoint \(hex(ep))'s queue",
      noHead: "endpoint \(hex(ep)) has no queue head but tail \(hex(tail))", prevField: "tcbEPPrev",
      links: epLinks(of:))
  }

  /// Every broken conjunct of the endpoints' invariants; `schedObjects`: `schedulerObjects()`,
  /// which holds the threads and endpoints. `queued`: each thread found in an endpoint's queue,
  /// with the endpoint, is added.
  func epInvariantViolations(
    _ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)], queued: inout [ObjectRef: ObjectRef]
  ) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    var onEP: [ObjectRef: ObjectRef] = [:]
    for (ep, kind) in schedObjects where kind == .endpoint {
      let walk = epQueueWalk(ep)
      if let problem = walk.problem { found.append(InvariantViolation("sym_heap_ep_pointers", problem)) }
      let state = epState(of: ep)
      switch state {
      case .idle?:
        if !walk.threads.isEmpty {
          found.append(InvariantViolation("valid_ep'", "endpoint \(hex(ep)) has a queue but is Idle"))
        }
      case .send?, .recv?:
        if walk.threads.isEmpty {
          found.append(InvariantViolation("valid_ep'", "endpoint \(hex(ep)) is not Idle but its queue is empty"))
        }
      case nil:
        found.append(InvariantViolation("valid_ep'", "endpoint \(hex(ep)) has no decodable state"))
      }
      let expected: KernelThreadState = state == .send ? .blockedOnSend : .blockedOnReceive
      let priorities = walk.threads.map { priority(of: $0) ?? 0 }
      if zip(priorities, priorities.dropFirst()).contains(where: { $0 < $1 }) {
        let listed = zip(walk.threads, priorities).map { "\(hex($0)) (\($1))" }.joined(separator: ", ")
        found.append(
          InvariantViolation("sorted_ipc_queues'", "endpoint \(hex(ep))'s queue is not in priority order: \(listed)"))
      }
      for thread in walk.threads {
        queued[thread] = ep
        onEP[thread] = ep
        if threadState(of: thread) != expected || blockingObject(of: thread) != ep {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "ep_queue'",
              "thread \(hex(thread)) is in the queue of \(hex(ep)) but not blocked \(state == .send ? "sending" : "receiving") on it"
            ))
        }
      }
    }
    for (thread, kind) in schedObjects where kind == .tcb {
      let state = threadState(of: thread)
      guard state == .blockedOnSend || state == .blockedOnReceive, let ep = blockingObject(of: thread) else {
        continue
      }
      if onEP[thread] != ep {
        found.append(
          InvariantViolation(
            "sym_refs'", conjunct: "ep_queue'", "thread \(hex(thread)) is blocked on \(hex(ep)) but not in its queue"))
      }
    }
    return found
  }

  // MARK: - Reply objects

  /// The reply object the state of `thread` names: its `tcbBlockingReplyObject` word while its
  /// state word says BlockedOnReceive (0: none) or BlockedOnReply.
  func replyObjectNamed(by thread: ObjectRef) -> ObjectRef? {
    switch threadState(of: thread) {
    case .blockedOnReceive?, .blockedOnReply?:
      guard let reply = blockingReplyObject(of: thread), reply != 0 else { return nil }
      return reply
    default:
      return nil
    }
  }

  /// The reply objects' invariants on words (see `AbstractSpec/Invariants+Endpoint.swift`):
  /// `sym_refs'` conjunct `reply_tcb'` (a thread's state names a reply object exactly when that
  /// object's `replyTCB` word is the thread) and `valid_replies'` (every reply on a scheduling
  /// context's call stack, from its `scReply` word along the `replyPrev` words, has a caller
  /// BlockedOnReply on it, and no reply is on two stacks; no two threads BlockedOnReply on one
  /// reply object; a `replyTCB` BlockedOnReply on it or BlockedOnReceive with it).
  /// `schedObjects`: `schedulerObjects()`, which holds the threads.
  func replyInvariantViolations(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)])
    -> [InvariantViolation]
  {
    var found: [InvariantViolation] = []
    var blockedOn: [ObjectRef: ObjectRef] = [:]
    for (thread, kind) in schedObjects where kind == .tcb {
      guard let reply = replyObjectNamed(by: thread) else { continue }
      if replyTCB(of: reply) != thread {
        found.append(
          InvariantViolation(
            "sym_refs'", conjunct: "reply_tcb'",
            "thread \(hex(thread)) is blocked with reply object \(hex(reply)), which does not name it"))
      }
      guard threadState(of: thread) == .blockedOnReply else { continue }
      if let other = blockedOn[reply] {
        found.append(
          InvariantViolation(
            "valid_replies'", "threads \(hex(other)) and \(hex(thread)) are both BlockedOnReply on \(hex(reply))"))
      } else {
        blockedOn[reply] = thread
      }
    }
    // One pass over the objects for the reply objects and the scheduling contexts (whose call
    // stacks are walked below).
    var replies: [ObjectRef] = []
    var scs: [ObjectRef] = []
    for (address, kind) in objects {
      switch kind {
      case .reply: replies.append(address)
      case .schedContext: scs.append(address)
      default: continue
      }
    }
    replies.sort()
    scs.sort()
    for reply in replies {
      guard let thread = replyTCB(of: reply), thread != 0, replyObjectNamed(by: thread) != reply else { continue }
      found.append(
        InvariantViolation(
          "sym_refs'", conjunct: "reply_tcb'",
          "reply object \(hex(reply)) names thread \(hex(thread)), which does not name it"))
      found.append(
        InvariantViolation(
          "valid_replies'",
          "reply object \(hex(reply))'s thread \(hex(thread)) is neither BlockedOnReply on it nor BlockedOnReceive with it"
        ))
    }
    // The call stacks, each walked from its head, at most as many steps as there are objects (a
    // loop is `sym_refs'`'s to report).
    var stackOf: [ObjectRef: ObjectRef] = [:]
    for sc in scs {
      var reply = scReply(of: sc) ?? 0
      var steps = 0
      while reply != 0, steps < objects.count, let stack = replyCallStack(of: reply) {
        steps += 1
        if blockedOn[reply] == nil {
          found.append(
            InvariantViolation(
              "valid_replies'",
              "reply \(hex(reply)) is on scheduling context \(hex(sc))'s call stack, but no thread is BlockedOnReply on it"
            ))
        }
        if let other = stackOf[reply] {
          if other != sc {
            found.append(
              InvariantViolation(
                "valid_replies'", "reply \(hex(reply)) is on the call stacks of \(hex(other)) and \(hex(sc))"))
          }
          break
        }
        stackOf[reply] = sc
        reply = stack.prev.ptr
      }
    }
    return found
  }
}

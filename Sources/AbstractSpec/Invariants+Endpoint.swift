// The endpoints' invariants of the abstract state, by their l4v names
// (`l4v:proof/invariant-abstract/Invariants_AI.thy`):
// - `valid_ep` (a conjunct of `valid_objs`, about one endpoint): a Send or Recv endpoint's queue
//   is not empty and holds no thread twice;
// - `sym_refs`, its endpoint part (`state_refs_of`: `EPSend`/`TCBBlockedSend`, `EPRecv`/
//   `TCBBlockedRecv`), conjunct `ep_queue`: each thread in a send queue is a TCB BlockedOnSend on
//   that endpoint, each in a receive queue BlockedOnReceive on it, and each thread so blocked is
//   in that queue.
// - `sorted_ipc_queues` (l4v-rt `proof/invariant-abstract/DetSchedInvs_AI.thy`, a conjunct of
//   `valid_sched`), its endpoint part: each endpoint's queue is in priority order, non-increasing
//   from the head (what makes MCS `tcbAppend`'s walk insert after every thread of the same or
//   higher priority). l4v's covers the notifications' queues too; this one does not yet.
// `valid_ep` runs with `valid_objs` (on each changed object, incrementally); the `sym_refs` part
// reads every endpoint and thread, and runs with the scheduler's invariants whenever an
// endpoint, or a thread's state, changed (`endpointsMayHaveChanged`); `sorted_ipc_queues` reads
// every endpoint and the priorities of the threads queued, and runs whenever an endpoint, or a
// thread's state or priority, changed (`ipcQueueOrderMayHaveChanged`).
// The reply objects' (l4v-rt `Invariants_AI.thy`), beside them:
// - `sym_refs`, its reply part (`ReplyTCB`/`TCBReply`), conjunct `reply_tcb`: a thread
//   BlockedOnReceive with a reply object or BlockedOnReply on one is that object's `reply_tcb`,
//   and back;
// - `valid_replies`: no two threads BlockedOnReply on one reply object, and a reply object's
//   `reply_tcb` BlockedOnReply on it or BlockedOnReceive with it.
// Both read every reply object and thread, and run whenever a reply object, or a thread's state,
// changed (`repliesMayHaveChanged`). Twins:
// `ExecutableSpec/Invariants+Endpoint.swift`, `Kernel/Invariants+Endpoint.swift`.

public import KernelABI

extension AbstractState {
  /// `valid_ep` of the endpoint `ep` at `address`: what is wrong with it, if anything.
  func validEp(_ address: ObjectRef, _ ep: Endpoint) -> [String] {
    let queue: [ObjectRef]
    switch ep.state {
    case .idle: return []
    case .send(let threads), .recv(let threads): queue = threads
    }
    var found: [String] = []
    if queue.isEmpty { found.append("endpoint \(hex(address)) has a state but an empty queue") }
    if Set(queue).count != queue.count {
      found.append("endpoint \(hex(address)) queues a thread twice: \(queue.map(hex))")
    }
    return found
  }

  /// The endpoint part of `sym_refs`.
  public func symRefsEndpoints() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs", conjunct: "ep_queue", text)) }
    var eps: [(address: ObjectRef, ep: Endpoint)] = []
    var tcbs: [(address: ObjectRef, tcb: TCB)] = []
    for (address, object) in kheap {
      switch object {
      case .endpoint(let ep): eps.append((address, ep))
      case .tcb(let tcb): tcbs.append((address, tcb))
      default: continue
      }
    }
    eps.sort { $0.address < $1.address }
    tcbs.sort { $0.address < $1.address }
    var queuedOn: [ObjectRef: ObjectRef] = [:]
    for (address, ep) in eps {
      switch ep.state {
      case .idle: continue
      case .send(let queue):
        for thread in queue {
          queuedOn[thread] = address
          guard case .blockedOnSend(address, _)? = tcb(at: thread)?.state else {
            fail("thread \(hex(thread)) is in the send queue of \(hex(address)) but not blocked sending on it")
            continue
          }
        }
      case .recv(let queue):
        for thread in queue {
          queuedOn[thread] = address
          guard case .blockedOnReceive(address, _)? = tcb(at: thread)?.state else {
            fail("thread \(hex(thread)) is in the receive queue of \(hex(address)) but not blocked receiving on it")
            continue
          }
        }
      }
    }
    for (address, tcb) in tcbs {
      switch tcb.state {
      case .blockedOnSend(let ep, _), .blockedOnReceive(let ep, _):
        if queuedOn[address] != ep { fail("thread \(hex(address)) is blocked on \(hex(ep)) but not in its queue") }
      default: continue
      }
    }
    return found
  }

  /// `sorted_ipc_queues`, its endpoint part: every endpoint's queue in priority order,
  /// non-increasing from the head.
  public func sortedIPCQueues() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      guard case .endpoint(let ep) = object else { continue }
      let queue: [ObjectRef]
      switch ep.state {
      case .idle: continue
      case .send(let threads), .recv(let threads): queue = threads
      }
      let priorities = queue.map { tcb(at: $0)?.priority ?? 0 }
      if zip(priorities, priorities.dropFirst()).contains(where: { $0 < $1 }) {
        let listed = zip(queue, priorities).map { "\(hex($0)) (\($1))" }.joined(separator: ", ")
        found.append(
          InvariantViolation(
            "sorted_ipc_queues", "endpoint \(hex(address))'s queue is not in priority order: \(listed)"))
      }
    }
    return found
  }

  /// Whether anything `sorted_ipc_queues` reads may differ from `before`: what the endpoint part
  /// of `sym_refs` reads, or a thread's priority.
  func ipcQueueOrderMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    if endpointsMayHaveChanged(after: before, changed: changed, removed: removed) { return true }
    for address in changed {
      if case .tcb(let old)? = before.kheap[address], case .tcb(let new)? = kheap[address], old.priority != new.priority
      {
        return true
      }
    }
    return false
  }

  /// Whether anything the endpoint part of `sym_refs` reads may differ from `before`: an
  /// endpoint changed, added or removed, or a thread's state changed, or a thread added or
  /// removed.
  func endpointsMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state { return true }
      case (.tcb?, _), (_, .tcb?), (.endpoint?, _), (_, .endpoint?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .tcb?, .endpoint?: return true
      default: continue
      }
    }
    return false
  }

  // MARK: - Reply objects

  /// The reply object the thread state `state` names: BlockedOnReceive with one, or
  /// BlockedOnReply on it (l4v-rt `state_refs_of`: `TCBReply`).
  static func replyObject(of state: ThreadState) -> ObjectRef? {
    switch state {
    case .blockedOnReceive(_, let reply): reply
    case .blockedOnReply(let reply): reply
    default: nil
    }
  }

  /// The reply part of `sym_refs` (`state_refs_of`: `ReplyTCB`/`TCBReply`), conjunct
  /// `reply_tcb`: a thread whose state names a reply object (BlockedOnReceive with it,
  /// BlockedOnReply on it) is that object's `reply_tcb`, and a reply object's `reply_tcb` is a
  /// thread whose state names it.
  public func symRefsReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs", conjunct: "reply_tcb", text)) }
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .tcb(let tcb):
        guard let reply = AbstractState.replyObject(of: tcb.state) else { continue }
        if self.reply(at: reply)?.tcb != address {
          fail("thread \(hex(address)) is blocked with reply object \(hex(reply)), which does not name it")
        }
      case .reply(let reply):
        guard let thread = reply.tcb else { continue }
        if tcb(at: thread).flatMap({ AbstractState.replyObject(of: $0.state) }) != address {
          fail("reply object \(hex(address)) names thread \(hex(thread)), which does not name it")
        }
      default: continue
      }
    }
    return found
  }

  /// `valid_replies` (l4v-rt `valid_replies_2`, `Invariants_AI.thy`): every reply on a
  /// scheduling context's call stack has a caller BlockedOnReply on it (`replies_with_sc`'s
  /// replies are among `replies_blocked`'s) and no reply is on two stacks (`inj_on fst`). Also
  /// checked under this name: no two threads are BlockedOnReply on one reply object, and every
  /// reply object's `reply_tcb`, if any, is BlockedOnReply on it or BlockedOnReceive with it
  /// (`reply_tcb_reply_at`); both follow from `sym_refs` (l4v `replies_blocked_inj`).
  public func validReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_replies", text)) }
    var blockedOn: [ObjectRef: ObjectRef] = [:]
    var stacks: [(sc: ObjectRef, replies: [ObjectRef])] = []
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .schedContext(let sc):
        if !sc.replies.isEmpty { stacks.append((address, sc.replies)) }
      case .tcb(let tcb):
        guard case .blockedOnReply(let reply) = tcb.state else { continue }
        if let other = blockedOn[reply] {
          fail("threads \(hex(other)) and \(hex(address)) are both BlockedOnReply on \(hex(reply))")
        } else {
          blockedOn[reply] = address
        }
      case .reply(let reply):
        guard let thread = reply.tcb else { continue }
        if tcb(at: thread).flatMap({ AbstractState.replyObject(of: $0.state) }) != address {
          fail(
            "reply object \(hex(address))'s thread \(hex(thread)) is neither BlockedOnReply on it nor BlockedOnReceive with it"
          )
        }
      default: continue
      }
    }
    var stackOf: [ObjectRef: ObjectRef] = [:]
    for (sc, replies) in stacks {
      for reply in replies {
        if blockedOn[reply] == nil {
          fail(
            "reply \(hex(reply)) is on scheduling context \(hex(sc))'s call stack, but no thread is BlockedOnReply on it"
          )
        }
        if let other = stackOf[reply], other != sc {
          fail("reply \(hex(reply)) is on the call stacks of \(hex(other)) and \(hex(sc))")
        }
        stackOf[reply] = sc
      }
    }
    return found
  }

  /// Whether anything `symRefsReplies` and `validReplies` read may differ from `before`: a reply
  /// object changed, added or removed, a thread's state changed, a thread added or removed, or a
  /// scheduling context's call stack changed, or one added or removed.
  func repliesMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state { return true }
      case (.schedContext(let old)?, .schedContext(let new)?):
        if old.replies != new.replies { return true }
      case (.tcb?, _), (_, .tcb?), (.reply?, _), (_, .reply?), (.schedContext?, _), (_, .schedContext?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .tcb?, .reply?, .schedContext?: return true
      default: continue
      }
    }
    return false
  }
}

// The endpoints' invariants of the executable spec: the abstract spec's, primed (l4v
// `proof/refine/Invariants_H.thy`: `valid_ep'`, `sym_refs` of `state_refs_of'`), on the Haskell
// model's names (see `AbstractSpec/Invariants+Endpoint.swift`):
// - `valid_ep'` (a conjunct of `valid_objs'`, about one endpoint): a SendEP or RecvEP queue is
//   not empty and holds no thread twice;
// - `sym_refs'`, its endpoint part, conjunct `ep_queue'`: each thread in a send queue is
//   BlockedOnSend on that endpoint, each in a receive queue BlockedOnReceive on it, and each
//   thread so blocked is in that queue.
// - `sorted_ipc_queues'` (l4v-rt `sorted_ipc_queues`, `DetSchedInvs_AI.thy`), its endpoint part:
//   each endpoint's queue is in priority order, non-increasing from the head.
// `valid_ep'` runs with `valid_objs'` (on each changed object, incrementally); the `sym_refs'`
// part reads every endpoint and thread, and runs whenever an endpoint, or a thread's state,
// changed (`endpointsMayHaveChanged`); `sorted_ipc_queues'` whenever an endpoint, or a thread's
// state or priority, changed (`ipcQueueOrderMayHaveChanged`). The reply objects': `sym_refs'`
// conjunct `reply_tcb'` and `valid_replies'`, whenever a reply object, or a thread's state,
// changed (`repliesMayHaveChanged`). Twins: `AbstractSpec/Invariants+Endpoint.swift`,
// `Kernel/Invariants+Endpoint.swift`.

public import KernelABI

extension ExecState {
  /// `valid_ep'` of the endpoint `ep` at `address`: what is wrong with it, if anything.
  func validEp(_ address: ObjectRef, _ ep: Endpoint) -> [String] {
    let queue: [ObjectRef]
    switch ep {
    case .idleEP: return []
    case .sendEP(let threads), .recvEP(let threads): queue = threads
    }
    var found: [String] = []
    if queue.isEmpty { found.append("endpoint \(hex(address)) has a state but an empty queue") }
    if Set(queue).count != queue.count {
      found.append("endpoint \(hex(address)) queues a thread twice: \(queue.map(hex))")
    }
    return found
  }

  /// The endpoint part of `sym_refs'`.
  public func symRefsEndpoints() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs'", conjunct: "ep_queue'", text)) }
    var eps: [(address: ObjectRef, ep: Endpoint)] = []
    var tcbs: [(address: ObjectRef, tcb: TCB)] = []
    for (address, object) in ksPSpace {
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
      switch ep {
      case .idleEP: continue
      case .sendEP(let queue):
        for thread in queue {
          queuedOn[thread] = address
          guard case .blockedOnSend(address, _)? = tcb(at: thread)?.state else {
            fail("thread \(hex(thread)) is in the send queue of \(hex(address)) but not blocked sending on it")
            continue
          }
        }
      case .recvEP(let queue):
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

  /// `sorted_ipc_queues'`, its endpoint part: every endpoint's queue in priority order,
  /// non-increasing from the head.
  public func sortedIPCQueues() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      guard case .endpoint(let ep) = object else { continue }
      let queue: [ObjectRef]
      switch ep {
      case .idleEP: continue
      case .sendEP(let threads), .recvEP(let threads): queue = threads
      }
      let priorities = queue.map { tcb(at: $0)?.priority ?? 0 }
      if zip(priorities, priorities.dropFirst()).contains(where: { $0 < $1 }) {
        let listed = zip(queue, priorities).map { "\(hex($0)) (\($1))" }.joined(separator: ", ")
        found.append(
          InvariantViolation(
            "sorted_ipc_queues'", "endpoint \(hex(address))'s queue is not in priority order: \(listed)"))
      }
    }
    return found
  }

  /// Whether anything `sorted_ipc_queues'` reads may differ from `before`: what the endpoint part
  /// of `sym_refs'` reads, or a thread's priority.
  func ipcQueueOrderMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    if endpointsMayHaveChanged(after: before, changed: changed, removed: removed) { return true }
    for address in changed {
      if case .tcb(let old)? = before.ksPSpace[address], case .tcb(let new)? = ksPSpace[address],
        old.priority != new.priority
      {
        return true
      }
    }
    return false
  }

  /// Whether anything the endpoint part of `sym_refs'` reads may differ from `before`: an
  /// endpoint changed, added or removed, or a thread's state changed, or a thread added or
  /// removed.
  func endpointsMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state { return true }
      case (.tcb?, _), (_, .tcb?), (.endpoint?, _), (_, .endpoint?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.ksPSpace[address] {
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

  /// The reply part of `sym_refs'`, conjunct `reply_tcb'` (see `AbstractSpec/Invariants+Endpoint.swift`).
  public func symRefsReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs'", conjunct: "reply_tcb'", text)) }
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .tcb(let tcb):
        guard let reply = ExecState.replyObject(of: tcb.state) else { continue }
        if self.reply(at: reply)?.replyTCB != address {
          fail("thread \(hex(address)) is blocked with reply object \(hex(reply)), which does not name it")
        }
      case .reply(let reply):
        guard let thread = reply.replyTCB else { continue }
        if tcb(at: thread).flatMap({ ExecState.replyObject(of: $0.state) }) != address {
          fail("reply object \(hex(address)) names thread \(hex(thread)), which does not name it")
        }
      default: continue
      }
    }
    return found
  }

  /// `valid_replies'` (see `AbstractSpec/Invariants+Endpoint.swift`): every reply on a
  /// scheduling context's call stack (from `scReply` along `replyPrev`) has a caller
  /// BlockedOnReply on it and no reply is on two stacks; no two threads BlockedOnReply on one
  /// reply object, and a reply object's `replyTCB` BlockedOnReply on it or BlockedOnReceive with it.
  public func validReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_replies'", text)) }
    var blockedOn: [ObjectRef: ObjectRef] = [:]
    var heads: [(sc: ObjectRef, head: ObjectRef)] = []
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .schedContext(let sc):
        if let head = sc.scReply { heads.append((address, head)) }
      case .tcb(let tcb):
        guard case .blockedOnReply(let reply) = tcb.state else { continue }
        if let other = blockedOn[reply] {
          fail("threads \(hex(other)) and \(hex(address)) are both BlockedOnReply on \(hex(reply))")
        } else {
          blockedOn[reply] = address
        }
      case .reply(let reply):
        guard let thread = reply.replyTCB else { continue }
        if tcb(at: thread).flatMap({ ExecState.replyObject(of: $0.state) }) != address {
          fail(
            "reply object \(hex(address))'s thread \(hex(thread)) is neither BlockedOnReply on it nor BlockedOnReceive with it"
          )
        }
      default: continue
      }
    }
    // The call stacks, each walked from its head along `replyPrev`, at most as many steps as
    // there are objects (a loop is `sym_refs'`'s to report).
    var stackOf: [ObjectRef: ObjectRef] = [:]
    for (sc, head) in heads {
      var next: ObjectRef? = head
      var steps = 0
      while let reply = next, steps < ksPSpace.count {
        steps += 1
        if blockedOn[reply] == nil {
          fail(
            "reply \(hex(reply)) is on scheduling context \(hex(sc))'s call stack, but no thread is BlockedOnReply on it"
          )
        }
        if let other = stackOf[reply] {
          if other != sc { fail("reply \(hex(reply)) is on the call stacks of \(hex(other)) and \(hex(sc))") }
          break
        }
        stackOf[reply] = sc
        next = self.reply(at: reply)?.replyPrev
      }
    }
    return found
  }

  /// Whether anything `symRefsReplies` and `validReplies` read may differ from `before`: a reply
  /// object changed, added or removed, a thread's state changed, a thread added or removed, or a
  /// scheduling context's `scReply` changed, or one added or removed.
  func repliesMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state { return true }
      case (.schedContext(let old)?, .schedContext(let new)?):
        if old.scReply != new.scReply { return true }
      case (.tcb?, _), (_, .tcb?), (.reply?, _), (_, .reply?), (.schedContext?, _), (_, .schedContext?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.ksPSpace[address] {
      case .tcb?, .reply?, .schedContext?: return true
      default: continue
      }
    }
    return false
  }
}

// The scheduler's invariants of the abstract state, by their l4v-rt names
// (`l4v-rt:proof/invariant-abstract/DetSchedInvs_AI.thy`, `Invariants_AI.thy`), restricted to
// what exists without time: a scheduling context with refills never runs out (and nothing fills
// the release queue yet). They hold at every kernel exit, after `schedule`, which is when the checker looks.
// - `valid_ready_qs`: a queued thread is a TCB of that queue's domain and priority that can run
//   (`schedulable`), and is queued once;
// - `ct_not_in_q`: the current thread is in no ready queue;
// - `valid_sched_action`: the action is ResumeCurrentThread and the current thread (unless idle)
//   can be activated (Running or Restart);
// - `valid_blocked`: a thread that can run is current or queued (no runnable thread is lost);
// - `sym_refs` (its TCB↔SC part, `TCBSchedContext`/`SCTcb`): a thread names its scheduling
//   context exactly when the scheduling context names the thread, and both are live;
// - `valid_release_q`: the release queue holds distinct runnable threads with active scheduling
//   contexts, sorted by their head refill's release time; `ready_or_release`: no thread is in a
//   ready queue and the release queue at once;
// - `sym_refs` (its SC↔reply part, `SCReply`/`ReplySchedContext`, `symRefsSCReplies`): the head
//   of a call stack names its scheduling context back, and only it; it runs whenever a scheduling
//   context or reply object changed (`callStacksMayHaveChanged`).
// They are entries of `invariants` (`Invariants.swift`). Every check reads the whole scheduler
// state; it is small (the threads), so the incremental check runs them after every step. Twins: the primed names in
// `ExecutableSpec/Invariants+Sched.swift` and `Kernel/Invariants+Sched.swift`.

public import KernelABI

extension AbstractState {
  /// Every broken conjunct of the scheduler's invariants (the entries of `invariants` from
  /// `valid_ready_qs` on), in table order.
  public func schedInvariantViolations() -> [InvariantViolation] {
    validReadyQs() + ctNotInQ() + validSchedAction() + validBlocked() + symRefsSchedContexts() + validReleaseQ()
      + readyOrRelease() + activeSCValidRefills()
  }

  /// `valid_release_q` (l4v-rt `DetSchedInvs_AI.thy`): the release queue holds each thread once,
  /// every member is a runnable thread whose scheduling context is active (`sc_active`), and the
  /// members are sorted by the release time of their head refill (`sorted_release_q`), earliest
  /// first.
  func validReleaseQ() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if Set(releaseQueue).count != releaseQueue.count {
      found.append(
        InvariantViolation("valid_release_q", "the release queue holds a thread twice: \(releaseQueue.map(hex))"))
    }
    for thread in releaseQueue {
      guard let tcb = tcb(at: thread) else {
        found.append(InvariantViolation("valid_release_q", "the release queue holds \(hex(thread)), which is no TCB"))
        continue
      }
      if tcb.state != .running && tcb.state != .restart {
        found.append(
          InvariantViolation("valid_release_q", "thread \(hex(thread)) in the release queue is \(tcb.state)"))
      }
      if (tcb.schedContext.flatMap { schedContext(at: $0) }?.refillMax ?? 0) == 0 {
        found.append(
          InvariantViolation(
            "valid_release_q", "thread \(hex(thread)) in the release queue has no active scheduling context"))
      }
    }
    for (earlier, later) in zip(releaseQueue, releaseQueue.dropFirst())
    where tcbReadyTime(earlier) > tcbReadyTime(later) {
      found.append(
        InvariantViolation(
          "valid_release_q",
          "thread \(hex(earlier)) (time \(tcbReadyTime(earlier))) is ahead of \(hex(later)) (time \(tcbReadyTime(later)))"
        ))
    }
    return found
  }

  /// `ready_or_release`: no thread is both in a ready queue and in the release queue.
  func readyOrRelease() -> [InvariantViolation] {
    releaseQueue.filter(isQueued).map {
      InvariantViolation("ready_or_release", "thread \(hex($0)) is in a ready queue and in the release queue")
    }
  }

  /// `valid_ready_qs`.
  func validReadyQs() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (index, queue) in readyQueues.sorted(by: { $0.key < $1.key }) {
      if queue.isEmpty { found.append(InvariantViolation("valid_ready_qs", "queue \(index) is kept empty")) }
      if Set(queue).count != queue.count {
        found.append(InvariantViolation("valid_ready_qs", "queue \(index) holds a thread twice: \(queue.map(hex))"))
      }
      for thread in queue {
        guard let tcb = tcb(at: thread) else {
          found.append(InvariantViolation("valid_ready_qs", "queue \(index) holds \(hex(thread)), which is no TCB"))
          continue
        }
        if readyQueueIndex(of: tcb) != index {
          found.append(
            InvariantViolation(
              "valid_ready_qs",
              "thread \(hex(thread)) of \(readyQueueIndex(of: tcb)) is in queue \(index)"))
        }
        if !isSchedulable(thread) {
          found.append(InvariantViolation("valid_ready_qs", "queued thread \(hex(thread)) cannot run"))
        }
      }
    }
    return found
  }

  /// `ct_not_in_q`.
  func ctNotInQ() -> [InvariantViolation] {
    let current = currentThread
    guard let index = readyQueues.first(where: { $0.value.contains(current) })?.key else { return [] }
    return [InvariantViolation("ct_not_in_q", "the current thread \(hex(current)) is in queue \(index)")]
  }

  /// `valid_sched_action`, at kernel exit.
  func validSchedAction() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if schedulerAction != .resumeCurrentThread {
      found.append(InvariantViolation("valid_sched_action", "the action at kernel exit is \(schedulerAction)"))
    }
    let current = currentThread
    if !isIdle(current), let state = tcb(at: current)?.state, state != .running && state != .restart {
      found.append(InvariantViolation("valid_sched_action", "the current thread \(hex(current)) is \(state)"))
    }
    return found
  }

  /// `valid_blocked`.
  func validBlocked() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      guard case .tcb = object, address != currentThread, isSchedulable(address), !isQueued(address) else { continue }
      found.append(
        InvariantViolation("valid_blocked", "thread \(hex(address)) can run but is neither current nor queued"))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `sym_refs`, between threads and scheduling contexts.
  func symRefsSchedContexts() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      switch object {
      case .tcb(let tcb):
        if let sc = tcb.schedContext, schedContext(at: sc)?.tcb != address {
          found.append(
            InvariantViolation(
              "sym_refs", conjunct: "sc_tcb", "thread \(hex(address)) names \(hex(sc)), which does not name it"))
        }
      case .schedContext(let sc):
        if let thread = sc.tcb, tcb(at: thread)?.schedContext != address {
          found.append(
            InvariantViolation(
              "sym_refs", conjunct: "sc_tcb",
              "scheduling context \(hex(address)) names \(hex(thread)), which does not name it"))
        }
      default:
        continue
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `sym_refs`, between scheduling contexts and the reply objects of their call stacks
  /// (l4v-rt `state_refs_of`: `SCReply`/`ReplySchedContext`), conjunct `sc_replies`: the head of
  /// a scheduling context's `sc_replies` is a reply object whose `reply_sc` names it, a reply
  /// whose `reply_sc` names a scheduling context heads its call stack, and every reply on a call
  /// stack is a reply object on no other stack and once on its own.
  public func symRefsSCReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs", conjunct: "sc_replies", text)) }
    var stackOf: [ObjectRef: ObjectRef] = [:]
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .schedContext(let sc):
        if let head = sc.replies.first, reply(at: head)?.sc != address {
          fail("scheduling context \(hex(address))'s call stack starts at \(hex(head)), which does not name it")
        }
        for reply in sc.replies {
          if self.reply(at: reply) == nil {
            fail("scheduling context \(hex(address))'s call stack holds \(hex(reply)), which is no reply object")
          }
          if let other = stackOf[reply] {
            fail("reply \(hex(reply)) is on the call stacks of \(hex(other)) and \(hex(address))")
          }
          stackOf[reply] = address
        }
      case .reply(let reply):
        if let sc = reply.sc, schedContext(at: sc)?.replies.first != address {
          fail("reply \(hex(address)) names \(hex(sc)), whose call stack it does not head")
        }
      default:
        continue
      }
    }
    return found
  }

  /// Whether anything `symRefsSCReplies` reads may differ from `before`: a scheduling context or
  /// a reply object changed, added or removed.
  func callStacksMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.schedContext?, _), (_, .schedContext?), (.reply?, _), (_, .reply?): return true
      default: continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .schedContext?, .reply?: return true
      default: continue
      }
    }
    return false
  }
}

extension AbstractState {
  /// Whether anything the scheduler's invariants read may differ from `before`: the queues, the
  /// action, the domain or the current thread; a thread's state, priority, domain or scheduling
  /// context; a scheduling context's thread or refills; a thread or scheduling context added or
  /// removed (`changed` and `removed`: the objects that differ). When nothing did, the
  /// invariants, which held in `before`, still hold.
  func schedulerMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    if readyQueues != before.readyQueues || releaseQueue != before.releaseQueue
      || schedulerAction != before.schedulerAction || curDomain != before.curDomain
      || currentThread != before.currentThread
    {
      return true
    }
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state || old.priority != new.priority || old.domain != new.domain
          || old.schedContext != new.schedContext
        {
          return true
        }
      case (.schedContext(let old)?, .schedContext(let new)?):
        if old.tcb != new.tcb || old.refillMax != new.refillMax || old.refills != new.refills
          || old.period != new.period
          || old.budget != new.budget
        {
          return true
        }
      case (.tcb?, _), (_, .tcb?), (.schedContext?, _), (_, .schedContext?):
        return true
      default:
        continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .tcb?, .schedContext?: return true
      default: continue
      }
    }
    return false
  }
}

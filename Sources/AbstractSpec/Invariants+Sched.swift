// The scheduler's invariants of the abstract state, by their l4v-rt names
// (`l4v-rt:proof/invariant-abstract/DetSchedInvs_AI.thy`, `Invariants_AI.thy`). They hold at
// every kernel exit, after `schedule`, which is when the checker looks.
// - `valid_ready_qs`: a queued thread is a TCB of that queue's domain and priority that can run
//   (`schedulable`), and is queued once; its scheduling context is released at `cur_time`
//   (conjunct `released_sc`: active and its head refill's release time at most `cur_time`, l4v-rt
//   `valid_ready_queued_thread_2`, `released_sc`);
// - `ct_not_in_q`: the current thread is in no ready queue;
// - `valid_sched_action`: the action is ResumeCurrentThread and the current thread (unless idle)
//   can be activated (Running or Restart);
// - `valid_blocked` (l4v-rt `valid_blocked_thread`): a runnable thread with an active scheduling
//   context is in a ready queue, in the release queue, current, or the switch target;
// - `sym_refs` (its TCB↔SC part, `TCBSchedContext`/`SCTcb`): a thread names its scheduling
//   context exactly when the scheduling context names the thread, and both are live;
// - `valid_release_q`: the release queue holds distinct runnable threads with active scheduling
//   contexts, sorted by their head refill's release time (conjunct `sorted_release_q`);
//   `ready_or_release`: no thread is in a ready queue and the release queue at once;
// - `cur_sc_chargeable` (l4v-rt `DetSchedInvs_AI.thy`): the current thread's scheduling context is
//   `cur_sc`, and every other thread bound to `cur_sc` is Inactive;
// - `cur_sc_tcb` (l4v-rt `Invariants_AI.thy`, part of `invs`): when the action is
//   ResumeCurrentThread, `cur_sc` is a scheduling context whose thread is the current thread;
// - `sym_refs` (its SC↔reply part, `SCReply`/`ReplySchedContext`, `symRefsSCReplies`): the head
//   of a call stack names its scheduling context back, and only it; it runs whenever a scheduling
//   context or reply object changed (`callStacksMayHaveChanged`).
// The ones that read `cur_time` and `cur_sc` (`timeInvariantViolations`) hold at every kernel
// exit without a slack: `cur_time` changes only at a kernel entry (`updateTimestamp`), a thread
// enters a ready queue only released (`awaken`, `endTimeslice`, the wake-ups of a thread whose
// head was ready when it blocked; time only grows), and the charge `commitTime` makes to a
// preempted thread's context after `schedule` queued it moves its head's release time by the
// time it ran since the last charge, so to at most `cur_time` (`checkBudget` refused the entry
// had that time overrun the head).
// They are entries of `invariants` (`Invariants.swift`). Every check reads the whole scheduler
// state; it is small (the threads), so the incremental check runs them after every step that
// changed it, and the time ones after every step. Twins: the primed names in
// `ExecutableSpec/Invariants+Sched.swift` and `Kernel/Invariants+Sched.swift`.

public import KernelABI

extension AbstractState {
  /// Every broken conjunct of the scheduler's invariants (the entries of `invariants` from
  /// `valid_ready_qs` on), in table order.
  public func schedInvariantViolations() -> [InvariantViolation] {
    validReadyQs() + validReadyQsReleased() + ctNotInQ() + validSchedAction() + validBlocked()
      + symRefsSchedContexts() + validReleaseQ() + readyOrRelease() + activeSCValidRefills() + activeSCsValid()
      + curSCChargeable() + curSCTcb() + releasedIPCQueues() + ctInCurDomain() + domainTimeLeft()
      + validDomainList()
  }

  /// The conjuncts of `schedInvariantViolations` that read `cur_time` or `cur_sc`, in table
  /// order: what the incremental check runs after every step.
  public func timeInvariantViolations() -> [InvariantViolation] {
    validReadyQsReleased() + curSCChargeable() + curSCTcb() + releasedIPCQueues() + ctInCurDomain()
      + domainTimeLeft() + validDomainList()
  }

  /// `valid_ready_qs`, conjunct `released_sc` (l4v-rt `valid_ready_queued_thread_2`): every queued
  /// thread's scheduling context is active and its head refill is ready at `cur_time`.
  func validReadyQsReleased() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (index, queue) in readyQueues.sorted(by: { $0.key < $1.key }) {
      for thread in queue where !(tcb(at: thread)?.schedContext.map(scReleased) ?? false) {
        found.append(
          InvariantViolation(
            "valid_ready_qs", conjunct: "released_sc",
            "thread \(hex(thread)) in queue \(index) has no scheduling context released at \(curTime)"))
      }
    }
    return found
  }

  /// `cur_sc_chargeable` (l4v-rt `DetSchedInvs_AI.thy`): the current thread's scheduling context,
  /// if it has one, is `cur_sc`, and any other thread bound to `cur_sc` is Inactive.
  func curSCChargeable() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if let sc = tcb(at: currentThread)?.schedContext, sc != curSC {
      found.append(
        InvariantViolation(
          "cur_sc_chargeable", "the current thread \(hex(currentThread)) has \(hex(sc)), cur_sc is \(hex(curSC))"))
    }
    for (address, object) in kheap {
      guard case .tcb(let tcb) = object, tcb.schedContext == curSC, address != currentThread, tcb.state != .inactive
      else { continue }
      found.append(
        InvariantViolation(
          "cur_sc_chargeable", "thread \(hex(address)), \(tcb.state) and not current, is bound to cur_sc \(hex(curSC))")
      )
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `cur_sc_tcb` (l4v-rt `Invariants_AI.thy`): `cur_sc` is a scheduling context, and when the
  /// action is ResumeCurrentThread its thread is the current thread.
  func curSCTcb() -> [InvariantViolation] {
    guard let sc = schedContext(at: curSC) else {
      return [InvariantViolation("cur_sc_tcb", "cur_sc \(hex(curSC)) is no scheduling context")]
    }
    guard schedulerAction == .resumeCurrentThread, sc.tcb != currentThread else { return [] }
    return [
      InvariantViolation(
        "cur_sc_tcb", "cur_sc \(hex(curSC))'s thread is \(sc.tcb.map(hex) ?? "none"), not \(hex(currentThread))")
    ]
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
          "valid_release_q", conjunct: "sorted_release_q",
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

  /// `valid_blocked` (l4v-rt `valid_blocked_thread`): a thread that is runnable (Running or
  /// Restart) and bound to an active scheduling context is in a ready queue, in the release queue,
  /// current, or the thread the action switches to.
  func validBlocked() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let queued = Set(readyQueues.values.joined()).union(releaseQueue)
    for (address, object) in kheap {
      guard case .tcb(let tcb) = object, tcb.state == .running || tcb.state == .restart,
        (tcb.schedContext.flatMap { schedContext(at: $0) }?.refillMax ?? 0) > 0,
        address != currentThread, schedulerAction != .switchToThread(address), !queued.contains(address)
      else { continue }
      found.append(
        InvariantViolation(
          "valid_blocked", "thread \(hex(address)) can run but is neither current nor in a ready or the release queue"))
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

  /// `sym_refs`, the links l4v-rt's `state_refs_of` adds for yielding and notification donation
  /// (`Invariants_AI.thy`: `TCBYieldTo`/`SCYieldFrom`, `NTFNSchedContext`/`SCNtfn`): a thread's
  /// `tcb_yield_to` names a scheduling context whose `sc_yield_from` names the thread, and back
  /// (conjunct `tcb_yield_to`); a notification's `ntfn_sc` names a scheduling context whose
  /// `sc_ntfn` names the notification, and back (conjunct `ntfn_sc`).
  public func symRefsSCLinks() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(InvariantViolation("sym_refs", conjunct: conjunct, text))
    }
    for (address, object) in kheap {
      switch object {
      case .tcb(let tcb):
        if let sc = tcb.yieldTo, schedContext(at: sc)?.yieldFrom != address {
          fail("tcb_yield_to", "thread \(hex(address)) yields to \(hex(sc)), which does not name it")
        }
      case .schedContext(let sc):
        if let thread = sc.yieldFrom, tcb(at: thread)?.yieldTo != address {
          fail(
            "tcb_yield_to", "scheduling context \(hex(address)) is yielded to by \(hex(thread)), which does not name it"
          )
        }
        if let ntfn = sc.ntfn, notification(at: ntfn)?.sc != address {
          fail("ntfn_sc", "scheduling context \(hex(address)) names notification \(hex(ntfn)), which does not name it")
        }
      case .notification(let ntfn):
        if let sc = ntfn.sc, schedContext(at: sc)?.ntfn != address {
          fail("ntfn_sc", "notification \(hex(address)) names \(hex(sc)), which does not name it")
        }
      default:
        continue
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// Whether anything `symRefsSCLinks` reads may differ from `before`: a thread's `tcb_yield_to`,
  /// a scheduling context or a notification changed; a thread, scheduling context or
  /// notification added or removed.
  func scLinksMayHaveChanged(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.kheap[address], kheap[address]) {
      case (.tcb(let old)?, .tcb(let new)?): if old.yieldTo != new.yieldTo { return true }
      case (.tcb?, _), (_, .tcb?), (.schedContext?, _), (_, .schedContext?), (.notification?, _),
        (_, .notification?):
        return true
      default: continue
      }
    }
    for address in removed {
      switch before.kheap[address] {
      case .tcb?, .schedContext?, .notification?: return true
      default: continue
      }
    }
    return false
  }

  /// `released_ipc_queues` (l4v-rt `DetSchedInvs_AI.thy`, `released_ipc_queued_thread_2`): a
  /// thread blocked receiving on an endpoint or waiting on a notification has no scheduling
  /// context or a released one (`released_if_bound_sc_tcb_at`: active, head refill ready at
  /// `cur_time`); a thread blocked sending has a Timeout fault and an active scheduling context,
  /// or no scheduling context or a released one (`valid_sender_sc_tcb_at`); a thread blocked on
  /// a reply has no scheduling context or an active one (`active_if_bound_sc_tcb_at`). It reads
  /// `cur_time`, so the incremental check runs it after every step (`timeInvariantViolations`).
  func releasedIPCQueues() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    // Unsorted (it runs every step; a sort of the heap would cost more than the check).
    for (address, object) in kheap {
      guard case .tcb(let tcb) = object else { continue }
      let releasedIfBound = tcb.schedContext.map(scReleased) ?? true
      let activeIfBound = tcb.schedContext.map { (schedContext(at: $0)?.refillMax ?? 0) > 0 } ?? true
      let broken: String? =
        switch tcb.state {
        case .blockedOnReceive, .blockedOnNotification:
          releasedIfBound ? nil : "blocked receiving with a scheduling context not released at \(curTime)"
        case .blockedOnSend:
          if case .timeout? = tcb.fault, tcb.schedContext != nil, activeIfBound {
            nil
          } else {
            releasedIfBound ? nil : "blocked sending with a scheduling context not released at \(curTime)"
          }
        case .blockedOnReply:
          activeIfBound ? nil : "blocked on a reply with an inactive scheduling context"
        default: nil
        }
      if let broken { found.append(InvariantViolation("released_ipc_queues", "thread \(hex(address)) is \(broken)")) }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `active_reply_scs` (l4v-rt `DetSchedInvs_AI.thy`, `active_if_reply_sc_at`): a scheduling
  /// context with a non-empty call stack (`sc_replies`) is active.
  func activeReplySCs() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      guard case .schedContext(let sc) = object, !sc.replies.isEmpty, sc.refillMax == 0 else { continue }
      found.append(
        InvariantViolation(
          "active_reply_scs",
          "scheduling context \(hex(address)) heads a call stack of \(sc.replies.count) but is not active"))
    }
    return found.sorted { $0.explanation < $1.explanation }
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

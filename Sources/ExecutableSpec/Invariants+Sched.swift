// The scheduler's invariants of the executable spec: the abstract ones primed
// (`AbstractSpec/Invariants+Sched.swift`), and what the executable spec's own data structures
// add, by their l4v names (`l4v-rt:proof/invariant-abstract/.../Invariants_H.thy`):
// - `valid_queues'`: a thread's `tcbQueued` flag is set exactly when it is in its ready queue;
// - `valid_bitmaps`: each domain's bitmap is well formed and has priority p's bit exactly when
//   queue (domain, p) is not empty (`bitmapQ_defs`), so that `chooseThread` reads the queue the
//   abstract spec chooses from;
// - `valid_release_queue'`: a thread's `tcbInReleaseQueue` flag is set exactly when it is in the
//   release queue, which holds each thread once; and the abstract `valid_release_q` primed: its
//   members are runnable with active scheduling contexts, sorted by their head refill's release
//   time (conjunct `sorted_release_q`); `ready_or_release'`: no thread has both flags;
// - the abstract ones that read time primed: `valid_ready_qs'`'s `released_sc`,
//   `cur_sc_chargeable'`, `cur_sc_tcb'` (`timeInvariantViolations`, run after every step; why
//   they hold at kernel exit: `AbstractSpec/Invariants+Sched.swift`).
// Entries of `invariants` (`Invariants.swift`); the incremental check runs them after every step.
// Twins: `AbstractSpec/Invariants+Sched.swift`, `Kernel/Invariants+Sched.swift`.

public import KernelABI

extension ExecState {
  /// Every broken conjunct of the scheduler's invariants (the entries of `invariants` from
  /// `valid_ready_qs'` on), in table order.
  public func schedInvariantViolations() -> [InvariantViolation] {
    validReadyQs() + validReadyQsReleased() + validQueues() + validBitmaps() + ctNotInQ() + validSchedAction()
      + validBlocked() + symRefsSchedContexts() + validReleaseQueue() + readyOrRelease() + validSchedContexts()
      + activeSCValidRefills() + activeSCsValid() + curSCChargeable() + curSCTcb() + releasedIPCQueues()
      + ctIdleOrInCurDomain() + domainTimeLeft() + validDomSchedule()
  }

  /// The conjuncts of `schedInvariantViolations` that read `ksCurTime` or `ksCurSC`, in table
  /// order: what the incremental check runs after every step.
  public func timeInvariantViolations() -> [InvariantViolation] {
    validReadyQsReleased() + curSCChargeable() + curSCTcb() + releasedIPCQueues() + ctIdleOrInCurDomain()
      + domainTimeLeft() + validDomSchedule()
  }

  /// `valid_ready_qs'`, conjunct `released_sc`: every queued thread's scheduling context is active
  /// and its head refill is ready at `ksCurTime`.
  func validReadyQsReleased() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (index, queue) in ksReadyQueues.sorted(by: { $0.key < $1.key }) {
      for thread in queue where !(tcb(at: thread)?.schedContext.map(scReleased) ?? false) {
        found.append(
          InvariantViolation(
            "valid_ready_qs'", conjunct: "released_sc",
            "thread \(hex(thread)) in queue \(index) has no scheduling context released at \(ksCurTime)"))
      }
    }
    return found
  }

  /// `cur_sc_chargeable'`: the current thread's scheduling context, if it has one, is `ksCurSC`,
  /// and any other thread bound to `ksCurSC` is Inactive.
  func curSCChargeable() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if let sc = tcb(at: ksCurThread)?.schedContext, sc != ksCurSC {
      found.append(
        InvariantViolation(
          "cur_sc_chargeable'", "the current thread \(hex(ksCurThread)) has \(hex(sc)), ksCurSC is \(hex(ksCurSC))"))
    }
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object, tcb.schedContext == ksCurSC, address != ksCurThread, tcb.state != .inactive
      else { continue }
      found.append(
        InvariantViolation(
          "cur_sc_chargeable'",
          "thread \(hex(address)), \(tcb.state) and not current, is bound to ksCurSC \(hex(ksCurSC))"))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `cur_sc_tcb'`: `ksCurSC` is a scheduling context, and when the action is
  /// ResumeCurrentThread its thread is the current thread.
  func curSCTcb() -> [InvariantViolation] {
    guard let sc = schedContext(at: ksCurSC) else {
      return [InvariantViolation("cur_sc_tcb'", "ksCurSC \(hex(ksCurSC)) is no scheduling context")]
    }
    guard ksSchedulerAction == .resumeCurrentThread, sc.tcb != ksCurThread else { return [] }
    return [
      InvariantViolation(
        "cur_sc_tcb'", "ksCurSC \(hex(ksCurSC))'s thread is \(sc.tcb.map(hex) ?? "none"), not \(hex(ksCurThread))")
    ]
  }

  /// `valid_release_queue'`: the release queue holds each thread once, every member is a TCB, and
  /// a thread's `tcbInReleaseQueue` flag is set exactly when it is a member (l4v `HE_proofs`
  /// `Invariants_H.thy`); and l4v-rt's `valid_release_q` (`DetSchedInvs_AI.thy`) on this queue:
  /// every member is runnable with an active scheduling context, and the members are sorted by
  /// their head refill's release time, earliest first (conjunct `sorted_release_q`).
  func validReleaseQueue() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if Set(ksReleaseQueue).count != ksReleaseQueue.count {
      found.append(
        InvariantViolation("valid_release_queue'", "the release queue holds a thread twice: \(ksReleaseQueue.map(hex))")
      )
    }
    let members = Set(ksReleaseQueue)
    for thread in ksReleaseQueue {
      guard let tcb = tcb(at: thread) else {
        found.append(
          InvariantViolation("valid_release_queue'", "the release queue holds \(hex(thread)), which is no TCB"))
        continue
      }
      if tcb.state != .running && tcb.state != .restart {
        found.append(
          InvariantViolation("valid_release_queue'", "thread \(hex(thread)) in the release queue is \(tcb.state)"))
      }
      if activeSchedContext(tcb.schedContext ?? 0) == nil {
        found.append(
          InvariantViolation(
            "valid_release_queue'", "thread \(hex(thread)) in the release queue has no active scheduling context"))
      }
    }
    for (earlier, later) in zip(ksReleaseQueue, ksReleaseQueue.dropFirst())
    where tcbReadyTime(earlier) > tcbReadyTime(later) {
      found.append(
        InvariantViolation(
          "valid_release_queue'", conjunct: "sorted_release_q",
          "thread \(hex(earlier)) (time \(tcbReadyTime(earlier))) is ahead of \(hex(later)) (time \(tcbReadyTime(later)))"
        ))
    }
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object, tcb.tcbInReleaseQueue != members.contains(address) else { continue }
      found.append(
        InvariantViolation(
          "valid_release_queue'",
          "thread \(hex(address)) has tcbInReleaseQueue \(tcb.tcbInReleaseQueue) but is \(tcb.tcbInReleaseQueue ? "not " : "")in the release queue"
        ))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `ready_or_release'`: no thread has both `tcbQueued` and `tcbInReleaseQueue`.
  func readyOrRelease() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object, tcb.tcbQueued && tcb.tcbInReleaseQueue else { continue }
      found.append(
        InvariantViolation("ready_or_release'", "thread \(hex(address)) has both tcbQueued and tcbInReleaseQueue"))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `valid_ready_qs'`.
  func validReadyQs() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (index, queue) in ksReadyQueues.sorted(by: { $0.key < $1.key }) {
      if queue.isEmpty { found.append(InvariantViolation("valid_ready_qs'", "queue \(index) is kept empty")) }
      if Set(queue).count != queue.count {
        found.append(InvariantViolation("valid_ready_qs'", "queue \(index) holds a thread twice: \(queue.map(hex))"))
      }
      for thread in queue {
        guard let tcb = tcb(at: thread) else {
          found.append(InvariantViolation("valid_ready_qs'", "queue \(index) holds \(hex(thread)), which is no TCB"))
          continue
        }
        if readyQueueIndex(of: tcb) != index {
          found.append(
            InvariantViolation(
              "valid_ready_qs'", "thread \(hex(thread)) of \(readyQueueIndex(of: tcb)) is in queue \(index)"))
        }
        if !isSchedulable(thread) {
          found.append(InvariantViolation("valid_ready_qs'", "queued thread \(hex(thread)) cannot run"))
        }
      }
    }
    return found
  }

  /// `valid_queues'`: `tcbQueued` exactly for the threads in their queue.
  func validQueues() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object else { continue }
      let queued = readyQueue(readyQueueIndex(of: tcb)).contains(address)
      if tcb.tcbQueued != queued {
        found.append(
          InvariantViolation(
            "valid_queues'",
            "thread \(hex(address)) has tcbQueued \(tcb.tcbQueued) but is \(queued ? "" : "not ")queued"))
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `valid_bitmaps`.
  func validBitmaps() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    // The bitmaps the non-empty queues call for (one pass over the queues for all domains); only
    // where one differs, the priorities that do.
    let domains = ksReadyQueuesBitmap.count
    var expectedMaps = [PriorityBitmap<UInt64>](repeating: PriorityBitmap(), count: domains)
    for (index, queue) in ksReadyQueues where index.domain < UInt64(domains) && !queue.isEmpty {
      expectedMaps[Int(index.domain)].addToBitmap(index.priority)
    }
    for (domain, expected) in zip(0..<UInt64(domains), expectedMaps) {
      let map = bitmap(domain)
      if !map.wellFormed {
        found.append(InvariantViolation("valid_bitmaps", "the bitmap of domain \(domain) is not well formed"))
      }
      if expected == map { continue }
      for priority in 0..<KernelConstants.numPriorities {
        let nonEmpty = !readyQueue(ReadyQueueIndex(domain: domain, priority: priority)).isEmpty
        if map.contains(priority) != nonEmpty {
          found.append(
            InvariantViolation(
              "valid_bitmaps",
              "domain \(domain) priority \(priority): bit \(map.contains(priority) ? "set" : "clear"), queue \(nonEmpty ? "not empty" : "empty")"
            ))
        }
      }
    }
    for index in ksReadyQueues.keys where index.domain >= UInt64(ksReadyQueuesBitmap.count) {
      found.append(InvariantViolation("valid_bitmaps", "queue \(index) is of a domain the kernel does not have"))
    }
    return found
  }

  /// `ct_not_in_q'`.
  func ctNotInQ() -> [InvariantViolation] {
    let current = ksCurThread
    guard let index = ksReadyQueues.first(where: { $0.value.contains(current) })?.key else { return [] }
    return [InvariantViolation("ct_not_in_q'", "the current thread \(hex(current)) is in queue \(index)")]
  }

  /// `valid_sched_action'`, at kernel exit.
  func validSchedAction() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    if ksSchedulerAction != .resumeCurrentThread {
      found.append(InvariantViolation("valid_sched_action'", "the action at kernel exit is \(ksSchedulerAction)"))
    }
    let current = ksCurThread
    if !isIdle(current), let state = tcb(at: current)?.state, state != .running && state != .restart {
      found.append(InvariantViolation("valid_sched_action'", "the current thread \(hex(current)) is \(state)"))
    }
    return found
  }

  /// `valid_blocked'` (l4v-rt `valid_blocked_thread`): a runnable thread with an active
  /// scheduling context is in a ready queue, in the release queue, current, or the switch target.
  func validBlocked() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let queued = Set(ksReadyQueues.values.joined()).union(ksReleaseQueue)
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object, tcb.state == .running || tcb.state == .restart,
        activeSchedContext(tcb.schedContext ?? 0) != nil, address != ksCurThread,
        ksSchedulerAction != .switchToThread(address), !queued.contains(address)
      else { continue }
      found.append(
        InvariantViolation(
          "valid_blocked'", "thread \(hex(address)) can run but is neither current nor in a ready or the release queue")
      )
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `sym_refs'`, between threads and scheduling contexts.
  func symRefsSchedContexts() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      switch object {
      case .tcb(let tcb):
        if let sc = tcb.schedContext, schedContext(at: sc)?.tcb != address {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "sc_tcb'", "thread \(hex(address)) names \(hex(sc)), which does not name it"))
        }
      case .schedContext(let sc):
        if let thread = sc.tcb, tcb(at: thread)?.schedContext != address {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "sc_tcb'",
              "scheduling context \(hex(address)) names \(hex(thread)), which does not name it"))
        }
      default:
        continue
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `sym_refs'`, between scheduling contexts and the reply objects of their call stacks, conjunct
  /// `sc_replies'`: a scheduling context's `scReply` is a reply whose `replyNext` is the head link
  /// back to it, and a reply whose `replyNext` is a head link is its scheduling context's
  /// `scReply`; a reply's `replyPrev` and its predecessor's `replyNext` name each other.
  func symRefsSCReplies() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs'", conjunct: "sc_replies'", text)) }
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .schedContext(let sc):
        if let head = sc.scReply, reply(at: head)?.replyNext != .head(address) {
          fail("scheduling context \(hex(address))'s scReply is \(hex(head)), which is not its head link")
        }
      case .reply(let reply):
        switch reply.replyNext {
        case .head(let sc)?:
          if schedContext(at: sc)?.scReply != address {
            fail("reply \(hex(address)) heads the call stack of \(hex(sc)), whose scReply is not it")
          }
        case .next(let next)?:
          if self.reply(at: next)?.replyPrev != address {
            fail("reply \(hex(address))'s replyNext is \(hex(next)), whose replyPrev is not it")
          }
        case nil:
          break
        }
        if let prev = reply.replyPrev, self.reply(at: prev)?.replyNext != .next(address) {
          fail("reply \(hex(address))'s replyPrev is \(hex(prev)), whose replyNext is not it")
        }
      default:
        continue
      }
    }
    return found
  }

  /// `sym_refs'`, the links of yielding and notification donation (the abstract
  /// `symRefsSCLinks`): a thread's `tcbYieldTo` and a scheduling context's `scYieldFrom` name
  /// each other (conjunct `tcb_yield_to'`), as do a notification's `ntfnSc` and a scheduling
  /// context's `scNtfn` (conjunct `ntfn_sc'`).
  func symRefsSCLinks() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(InvariantViolation("sym_refs'", conjunct: conjunct, text))
    }
    for (address, object) in ksPSpace {
      switch object {
      case .tcb(let tcb):
        if let sc = tcb.tcbYieldTo, schedContext(at: sc)?.scYieldFrom != address {
          fail("tcb_yield_to'", "thread \(hex(address))'s tcbYieldTo is \(hex(sc)), which does not name it")
        }
      case .schedContext(let sc):
        if let thread = sc.scYieldFrom, tcb(at: thread)?.tcbYieldTo != address {
          fail(
            "tcb_yield_to'",
            "scheduling context \(hex(address))'s scYieldFrom is \(hex(thread)), which does not name it")
        }
        if let ntfn = sc.scNtfn, notification(at: ntfn)?.ntfnSc != address {
          fail("ntfn_sc'", "scheduling context \(hex(address))'s scNtfn is \(hex(ntfn)), which does not name it")
        }
      case .notification(let ntfn):
        if let sc = ntfn.ntfnSc, schedContext(at: sc)?.scNtfn != address {
          fail("ntfn_sc'", "notification \(hex(address))'s ntfnSc is \(hex(sc)), which does not name it")
        }
      default:
        continue
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// Whether anything `symRefsSCLinks` reads may differ from `before`: a thread's `tcbYieldTo`, a
  /// scheduling context or a notification changed; a thread, scheduling context or notification
  /// added or removed.
  func scLinksMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.tcb(let old)?, .tcb(let new)?): if old.tcbYieldTo != new.tcbYieldTo { return true }
      case (.tcb?, _), (_, .tcb?), (.schedContext?, _), (_, .schedContext?), (.notification?, _),
        (_, .notification?):
        return true
      default: continue
      }
    }
    for address in removed {
      switch before.ksPSpace[address] {
      case .tcb?, .schedContext?, .notification?: return true
      default: continue
      }
    }
    return false
  }

  /// `released_ipc_queues'` (the abstract `releasedIPCQueues`): a thread blocked receiving or on
  /// a notification has no scheduling context or a released one; one blocked sending has a
  /// Timeout fault and an active one, or none or a released one; one blocked on a reply has none
  /// or an active one. Reads `ksCurTime`: run after every step (`timeInvariantViolations`).
  func releasedIPCQueues() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    // Unsorted (it runs every step; a sort of the heap would cost more than the check).
    for (address, object) in ksPSpace {
      guard case .tcb(let tcb) = object else { continue }
      let releasedIfBound = tcb.schedContext.map(scReleased) ?? true
      let activeIfBound = tcb.schedContext.map { (schedContext(at: $0)?.refillMax ?? 0) > 0 } ?? true
      let broken: String? =
        switch tcb.state {
        case .blockedOnReceive, .blockedOnNotification:
          releasedIfBound ? nil : "blocked receiving with a scheduling context not released at \(ksCurTime)"
        case .blockedOnSend:
          if case .timeout? = tcb.tcbFault, tcb.schedContext != nil, activeIfBound {
            nil
          } else {
            releasedIfBound ? nil : "blocked sending with a scheduling context not released at \(ksCurTime)"
          }
        case .blockedOnReply:
          activeIfBound ? nil : "blocked on a reply with an inactive scheduling context"
        default: nil
        }
      if let broken { found.append(InvariantViolation("released_ipc_queues'", "thread \(hex(address)) is \(broken)")) }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `active_reply_scs'` (the abstract `activeReplySCs`): a scheduling context whose `scReply`
  /// names a reply (a non-empty call stack) is active.
  func activeReplySCs() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      guard case .schedContext(let sc) = object, let head = sc.scReply, sc.refillMax == 0 else { continue }
      found.append(
        InvariantViolation(
          "active_reply_scs'", "scheduling context \(hex(address)) heads a call stack at \(hex(head)) but is not active"
        ))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// Whether anything `symRefsSCReplies` reads may differ from `before`: a scheduling context or a
  /// reply object changed, added or removed.
  func callStacksMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.schedContext?, _), (_, .schedContext?), (.reply?, _), (_, .reply?): return true
      default: continue
      }
    }
    for address in removed {
      switch before.ksPSpace[address] {
      case .schedContext?, .reply?: return true
      default: continue
      }
    }
    return false
  }
}

extension ExecState {
  /// Whether anything the scheduler's invariants read may differ from `before` (see
  /// `AbstractState.schedulerMayHaveChanged`; here also the bitmap and `tcbQueued`).
  func schedulerMayHaveChanged(after before: ExecState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    if !(ksReadyQueues == before.ksReadyQueues && ksReleaseQueue == before.ksReleaseQueue
      && ksReadyQueuesBitmap == before.ksReadyQueuesBitmap
      && ksSchedulerAction == before.ksSchedulerAction && ksCurDomain == before.ksCurDomain
      && ksCurThread == before.ksCurThread)
    {
      return true
    }
    for address in changed {
      switch (before.ksPSpace[address], ksPSpace[address]) {
      case (.tcb(let old)?, .tcb(let new)?):
        if old.state != new.state || old.priority != new.priority || old.domain != new.domain
          || old.schedContext != new.schedContext || old.tcbQueued != new.tcbQueued
          || old.tcbInReleaseQueue != new.tcbInReleaseQueue
        {
          return true
        }
      case (.schedContext(let old)?, .schedContext(let new)?):
        if old.tcb != new.tcb || old.refillMax != new.refillMax || old.scRefills != new.scRefills
          || old.scRefillHead != new.scRefillHead || old.scRefillTail != new.scRefillTail
          || old.scPeriod != new.scPeriod || old.sizeBits != new.sizeBits
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
      switch before.ksPSpace[address] {
      case .tcb?, .schedContext?: return true
      default: continue
      }
    }
    return false
  }
}

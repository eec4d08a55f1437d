// The scheduler's invariants of the kernel: the executable spec's, on words
// (`ExecutableSpec/Invariants+Sched.swift`), and what the linked lists add (the l4v names of the
// 2023 ready-queue proofs, `l4v:proof/refine/.../Invariants_H.thy`):
// - `sym_heap_sched_pointers`: each ready queue is a well-formed doubly linked list: its head has
//   no `tcbSchedPrev`, each `tcbSchedNext` is answered by the `tcbSchedPrev` of the thread it
//   names, the last thread is the tail, an empty queue has neither head nor tail, and no list
//   loops;
// - `valid_sched_pointers`: a thread that is in no queue has null links.
// The release queue is a list of the same kind through the same link words, its head and end in
// the frame: `sym_heap_sched_pointers` and `valid_sched_pointers` cover it too, and
// `valid_release_queue'` / `ready_or_release'` check its `tcbInReleaseQueue` bits (set exactly
// for its members, never with `tcbQueued`), and its members runnable with active scheduling
// contexts, sorted by their head refill's rTime word (`sorted_release_q`). The ones that read time
// (`valid_ready_qs'`'s `released_sc`, `cur_sc_chargeable'`, `cur_sc_tcb'`:
// `timeInvariantViolations`) run after every step; why they hold at kernel exit:
// `AbstractSpec/Invariants+Sched.swift`. The scheduling contexts' `valid_sched_context'` and
// `active_sc_valid_refills'` (`Invariants+Sporadic.swift`) run in the same pass.
// Entries of `invariants` (`Invariants.swift`); the incremental check runs them after every step.
// Twins: `AbstractSpec/Invariants+Sched.swift`, `ExecutableSpec/Invariants+Sched.swift`.

public import KernelABI

extension KernelState {
  /// A ready queue read from its words: the threads from the head along `tcbSchedNext`, and what
  /// is wrong with the list (nil when it is well formed). A walk stops at a thread that is not a
  /// live TCB, at a thread seen before (a loop), or after as many threads as there are objects.
  public func readyQueueWalk(_ domain: UInt64, _ priority: UInt64) -> (threads: [ObjectRef], problem: String?) {
    let (head, tail) = readyQueueEnds(domain, priority)
    return readyQueueWalk(domain, priority, head: head, tail: tail)
  }

  /// `readyQueueWalk` of the queue whose head and tail words are `head` and `tail`.
  func readyQueueWalk(_ domain: UInt64, _ priority: UInt64, head: ObjectRef, tail: ObjectRef) -> (
    threads: [ObjectRef], problem: String?
  ) {
    let name = { "queue (\(domain), \(priority))" }
    return queueWalk(
      head: head, tail: tail, name: name(), noHead: "\(name()) has no head but tail \(hex(tail))",
      prevField: "tcbSchedPrev", links: schedLinks(of:))
  }

  /// A thread queue read from its words (a ready queue, a notification's queue): the threads from
  /// `head` along the next links `links` gives, each one's prev link checked against the walk, and
  /// the last against `tail`. `name` names the queue in a problem; `noHead` is the problem of a
  /// queue with no head but a tail.
  func queueWalk(
    head: ObjectRef, tail: ObjectRef, name: @autoclosure () -> String, noHead: @autoclosure () -> String,
    prevField: String,
    links: (ObjectRef) -> (next: ObjectRef, prev: ObjectRef)
  ) -> (threads: [ObjectRef], problem: String?) {
    if head == 0 { return ([], tail == 0 ? nil : noHead()) }
    var threads: [ObjectRef] = []
    var seen: Set<ObjectRef> = []
    var previous: ObjectRef = 0
    var at = head
    while at != 0 {
      guard objects[at] == .tcb else { return (threads, "\(name()) links to \(hex(at)), which is no TCB") }
      guard seen.insert(at).inserted, threads.count <= objects.count else {
        return (threads, "\(name()) loops at \(hex(at))")
      }
      let (next, prev) = links(at)
      if prev != previous {
        return (threads + [at], "thread \(hex(at)) has \(prevField) \(hex(prev)) where its queue has \(hex(previous))")
      }
      threads.append(at)
      previous = at
      at = next
    }
    return (threads, previous == tail ? nil : "\(name()) ends at \(hex(previous)), its tail is \(hex(tail))")
  }

  /// The release queue read from its words (`ksReleaseQueue`'s head and end in the frame, the
  /// threads along `tcbSchedNext`, each `tcbSchedPrev` checked): the threads, and what is wrong
  /// with the list (nil when it is well formed).
  public func releaseQueueWalk() -> (threads: [ObjectRef], problem: String?) {
    let (head, end) = releaseQueueEnds()
    return queueWalk(
      head: head, tail: end, name: "the release queue", noHead: "the release queue has no head but end \(hex(end))",
      prevField: "tcbSchedPrev", links: schedLinks(of:))
  }

  /// The ready queues whose head or tail word is not 0, each walked. Every head and tail word of
  /// every domain whose page of the frame was ever written is read (a page never written reads as
  /// zeros), so a queue the bitmap forgot is still found.
  public func readyQueueWalks() -> [(index: ReadyQueueIndex, threads: [ObjectRef], problem: String?)] {
    var result: [(index: ReadyQueueIndex, threads: [ObjectRef], problem: String?)] = []
    for domain in 0..<KernelConstants.numDomains {
      // A domain's queues fill one page of the frame: one never written holds none.
      for (priority, head, tail) in occupiedReadyQueues(domain) {
        let walk = readyQueueWalk(domain, priority, head: head, tail: tail)
        result.append((ReadyQueueIndex(domain: domain, priority: priority), walk.threads, walk.problem))
      }
    }
    return result
  }

  /// Every broken conjunct of the scheduler's invariants (the entries of `invariants` from
  /// `sym_heap_sched_pointers` on), in table order.
  public func schedInvariantViolations() -> [InvariantViolation] {
    let schedObjects = schedulerObjects()
    return schedOnlyViolations(schedObjects) + ntfnInvariantViolations(schedObjects) + symRefsSCReplies(schedObjects)
      + symRefsSCLinks(schedObjects) + activeReplySCs(schedObjects)
  }

  /// The scheduler's conjuncts of `schedInvariantViolations` without the notifications' (which
  /// read other words: the incremental check runs each part when a word it reads was written);
  /// `schedObjects`: `schedulerObjects()`.
  func schedOnlyViolations(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    let walks = readyQueueWalks()
    var found: [InvariantViolation] = []
    for walk in walks {
      if let problem = walk.problem { found.append(InvariantViolation("sym_heap_sched_pointers", problem)) }
    }
    var queueOf: [ObjectRef: ReadyQueueIndex] = [:]
    for walk in walks {
      for thread in walk.threads {
        if queueOf[thread] != nil {
          found.append(InvariantViolation("valid_ready_qs'", "thread \(hex(thread)) is queued twice"))
        }
        queueOf[thread] = walk.index
        let index = ReadyQueueIndex(domain: domain(of: thread) ?? 0, priority: priority(of: thread) ?? 0)
        if index != walk.index {
          found.append(
            InvariantViolation("valid_ready_qs'", "thread \(hex(thread)) of \(index) is in queue \(walk.index)"))
        }
        if !isSchedulable(thread) {
          found.append(InvariantViolation("valid_ready_qs'", "queued thread \(hex(thread)) cannot run"))
        }
      }
    }
    found += validReadyQsReleased(walks)
    let release = releaseQueueWalk()
    if let problem = release.problem { found.append(InvariantViolation("sym_heap_sched_pointers", problem)) }
    let releaseMembers = Set(release.threads)
    let threads = schedObjects.compactMap { $0.kind == .tcb ? $0.address : nil }
    for thread in threads {
      let queued = queueOf[thread] != nil
      let linked = queued || releaseMembers.contains(thread)
      if isQueued(thread) != queued {
        found.append(
          InvariantViolation(
            "valid_queues'",
            "thread \(hex(thread)) has tcbQueued \(isQueued(thread)) but is \(queued ? "" : "not ")queued"))
      }
      let (next, prev) = schedLinks(of: thread)
      if !linked && (next != 0 || prev != 0) {
        found.append(
          InvariantViolation(
            "valid_sched_pointers", "unqueued thread \(hex(thread)) links to \(hex(next)) and \(hex(prev))"))
      }
    }
    found += bitmapViolations(walks.filter { !$0.threads.isEmpty }.map(\.index))
    found += releaseQueueViolations(release.threads, threads: threads, readyQueued: queueOf)
    if let index = queueOf[ksCurThread] {
      let current = ksCurThread
      found.append(InvariantViolation("ct_not_in_q'", "the current thread \(hex(current)) is in queue \(index)"))
    }
    if ksSchedulerAction != .resumeCurrentThread {
      found.append(InvariantViolation("valid_sched_action'", "the action at kernel exit is \(ksSchedulerAction)"))
    }
    let current = ksCurThread
    if !isIdle(current), let state = threadState(of: current), state != .running && state != .restart {
      found.append(InvariantViolation("valid_sched_action'", "the current thread \(hex(current)) is \(state)"))
    }
    // `valid_blocked'` (l4v-rt `valid_blocked_thread`): runnable, bound to an active scheduling
    // context, and in no queue, not current and not the switch target.
    for thread in threads
    where thread != ksCurThread && isRunnable(thread) && scActive(schedContextWord(of: thread) ?? 0)
      && queueOf[thread] == nil && !releaseMembers.contains(thread) && ksSchedulerAction != .switchToThread(thread)
    {
      found.append(
        InvariantViolation(
          "valid_blocked'", "thread \(hex(thread)) can run but is neither current nor in a ready or the release queue"))
    }
    found += symRefsSchedContexts(schedObjects)
    found += schedContextViolations(schedObjects)
    found += activeSCsValid(schedObjects)
    found += curSCChargeable(threads) + curSCTcb() + releasedIPCQueues(threads)
    found += ctIdleOrInCurDomain() + domainTimeLeft() + validDomSchedule()
    return found
  }

  /// `sc_active` on words (`seL4:include/object/schedcontext.h`, `sc_active`): the scheduling
  /// context at `sc` has a `scRefillMax` word above 0. Whether its buffer is well formed is
  /// `valid_sched_context'`'s question, not this one's.
  func scActive(_ sc: ObjectRef) -> Bool { (scRefillMax(of: sc) ?? 0) > 0 }

  /// The conjuncts of the scheduler's invariants that read `ksCurTime` or `ksCurSC`
  /// (`valid_ready_qs'`'s `released_sc`, `cur_sc_chargeable'`, `cur_sc_tcb'`): what the
  /// incremental check runs after every step. `schedObjects`: `schedulerObjects()`.
  func timeInvariantViolations(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    let threads = schedObjects.compactMap { $0.kind == .tcb ? $0.address : nil }
    return validReadyQsReleased(readyQueueWalks()) + curSCChargeable(threads) + curSCTcb() + releasedIPCQueues(threads)
      + ctIdleOrInCurDomain() + domainTimeLeft() + validDomSchedule()
  }

  /// `valid_ready_qs'`, conjunct `released_sc`, on the ready queues' walks: every queued thread's
  /// scheduling context is active and its head refill's rTime word is at most `ksCurTime`.
  func validReadyQsReleased(
    _ walks: [(index: ReadyQueueIndex, threads: [ObjectRef], problem: String?)]
  ) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for walk in walks {
      for thread in walk.threads where !scReleased(schedContextWord(of: thread) ?? 0) {
        found.append(
          InvariantViolation(
            "valid_ready_qs'", conjunct: "released_sc",
            "thread \(hex(thread)) in queue \(walk.index) has no scheduling context released at \(ksCurTime)"))
      }
    }
    return found
  }

  /// `cur_sc_chargeable'`: the current thread's scheduling-context word, if not 0, is `ksCurSC`,
  /// and any other of `threads` whose word names `ksCurSC` is Inactive.
  func curSCChargeable(_ threads: [ObjectRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let current = ksCurThread
    let curSC = ksCurSC
    if let sc = schedContextWord(of: current), sc != 0, sc != curSC {
      found.append(
        InvariantViolation(
          "cur_sc_chargeable'", "the current thread \(hex(current)) has \(hex(sc)), ksCurSC is \(hex(curSC))"))
    }
    // A thread with no scheduling context holds 0 in its word: with `ksCurSC` 0 (corrupt; the
    // spec layers' optional never equals it) no thread is bound to it.
    for thread in threads where curSC != 0 && thread != current && schedContextWord(of: thread) == curSC {
      guard let state = threadState(of: thread), state != .inactive else { continue }
      found.append(
        InvariantViolation(
          "cur_sc_chargeable'", "thread \(hex(thread)), \(state) and not current, is bound to ksCurSC \(hex(curSC))"))
    }
    return found
  }

  /// `cur_sc_tcb'`: `ksCurSC` is a scheduling context, and when the action is ResumeCurrentThread
  /// its `scTcb` word is the current thread.
  func curSCTcb() -> [InvariantViolation] {
    let curSC = ksCurSC
    guard let thread = scTcb(of: curSC) else {
      return [InvariantViolation("cur_sc_tcb'", "ksCurSC \(hex(curSC)) is no scheduling context")]
    }
    guard ksSchedulerAction == .resumeCurrentThread, thread != ksCurThread else { return [] }
    return [
      InvariantViolation("cur_sc_tcb'", "ksCurSC \(hex(curSC))'s thread is \(hex(thread)), not \(hex(ksCurThread))")
    ]
  }

  /// `valid_release_queue'` and `ready_or_release'` on words, given the release queue's walk:
  /// it holds each thread once, each runnable with an active scheduling context, sorted by their
  /// head refill's rTime word (`sorted_release_q`), a thread's `tcbInReleaseQueue` bit is set
  /// exactly when it is in it, and no thread has both that bit and `tcbQueued` (nor is in a ready queue and the release
  /// queue, which share the link words). `readyQueued`: each thread's ready queue, from the walks.
  func releaseQueueViolations(
    _ release: [ObjectRef], threads: [ObjectRef], readyQueued: [ObjectRef: ReadyQueueIndex]
  ) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let members = Set(release)
    if members.count != release.count {
      found.append(InvariantViolation("valid_release_queue'", "the release queue holds a thread twice"))
    }
    for thread in release where objects[thread] == .tcb {
      if !isRunnable(thread) {
        found.append(
          InvariantViolation(
            "valid_release_queue'",
            "thread \(hex(thread)) in the release queue is \(threadState(of: thread).map { "\($0)" } ?? "no TCB")"))
      }
      if !scActive(schedContextWord(of: thread) ?? 0) {
        found.append(
          InvariantViolation(
            "valid_release_queue'", "thread \(hex(thread)) in the release queue has no active scheduling context"))
      }
    }
    for (earlier, later) in zip(release, release.dropFirst()) where tcbReadyTime(earlier) > tcbReadyTime(later) {
      found.append(
        InvariantViolation(
          "valid_release_queue'", conjunct: "sorted_release_q",
          "thread \(hex(earlier)) (time \(tcbReadyTime(earlier))) is ahead of \(hex(later)) (time \(tcbReadyTime(later)))"
        ))
    }
    for thread in threads {
      let flagged = isInReleaseQueue(thread)
      if flagged != members.contains(thread) {
        found.append(
          InvariantViolation(
            "valid_release_queue'",
            "thread \(hex(thread)) has tcbInReleaseQueue \(flagged) but is \(flagged ? "not " : "")in the release queue"
          ))
      }
      if flagged && isQueued(thread) {
        found.append(
          InvariantViolation("ready_or_release'", "thread \(hex(thread)) has both tcbQueued and tcbInReleaseQueue"))
      }
      if members.contains(thread), let index = readyQueued[thread] {
        found.append(
          InvariantViolation("ready_or_release'", "thread \(hex(thread)) is in queue \(index) and the release queue"))
      }
    }
    return found
  }

  /// The threads, scheduling contexts, notifications and endpoints, by address: what the
  /// scheduler's, the notifications' and the endpoints' invariants go through, gathered in one
  /// pass over the objects.
  func schedulerObjects() -> [(address: ObjectRef, kind: KernelObjectKind)] {
    var found: [(address: ObjectRef, kind: KernelObjectKind)] = []
    for (address, kind) in objects {
      switch kind {
      case .tcb, .schedContext, .notification, .endpoint, .reply: found.append((address, kind))
      default: continue
      }
    }
    found.sort { $0.address < $1.address }
    return found
  }

  /// `valid_bitmaps`: each domain's bitmap is well formed and marks exactly `nonEmpty`.
  func bitmapViolations(_ nonEmpty: [ReadyQueueIndex]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for domain in 0..<KernelConstants.numDomains {
      let map = bitmap(domain)
      if !map.wellFormed {
        found.append(InvariantViolation("valid_bitmaps", "the bitmap of domain \(domain) is not well formed"))
      }
      var expected = PriorityBitmap<UInt64>()
      for index in nonEmpty where index.domain == domain { expected.addToBitmap(index.priority) }
      if expected == map { continue }
      for priority in 0..<KernelConstants.numPriorities where map.contains(priority) != expected.contains(priority) {
        found.append(
          InvariantViolation(
            "valid_bitmaps",
            "domain \(domain) priority \(priority): bit \(map.contains(priority) ? "set" : "clear"), queue \(expected.contains(priority) ? "not empty" : "empty")"
          ))
      }
    }
    return found
  }

  /// `sym_refs'`, between threads and scheduling contexts.
  func symRefsSchedContexts() -> [InvariantViolation] { symRefsSchedContexts(schedulerObjects()) }

  /// `sym_refs'`, between threads and scheduling contexts; `schedObjects`: `schedulerObjects()`.
  func symRefsSchedContexts(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, kind) in schedObjects {
      switch kind {
      case .tcb:
        if let sc = schedContextWord(of: address), sc != 0, scTcb(of: sc) != address {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "sc_tcb'", "thread \(hex(address)) names \(hex(sc)), which does not name it"))
        }
      case .schedContext:
        if let thread = scTcb(of: address), thread != 0, schedContextWord(of: thread) != address {
          found.append(
            InvariantViolation(
              "sym_refs'", conjunct: "sc_tcb'",
              "scheduling context \(hex(address)) names \(hex(thread)), which does not name it"))
        }
      default:
        continue
      }
    }
    return found
  }

  /// `sym_refs'`, the links of yielding and notification donation (the abstract
  /// `symRefsSCLinks`): a thread's `tcbYieldTo` word and a scheduling context's `scYieldFrom`
  /// word name each other (conjunct `tcb_yield_to'`), as do a notification's `ntfnSchedContext`
  /// word and a scheduling context's `scNotification` word (conjunct `ntfn_sc'`).
  /// `schedObjects`: `schedulerObjects()`.
  func symRefsSCLinks(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(InvariantViolation("sym_refs'", conjunct: conjunct, text))
    }
    for (address, kind) in schedObjects {
      switch kind {
      case .tcb:
        if let sc = tcbYieldTo(of: address), sc != 0, scYieldFrom(of: sc) != address {
          fail("tcb_yield_to'", "thread \(hex(address))'s tcbYieldTo is \(hex(sc)), which does not name it")
        }
      case .schedContext:
        if let thread = scYieldFrom(of: address), thread != 0, tcbYieldTo(of: thread) != address {
          fail(
            "tcb_yield_to'",
            "scheduling context \(hex(address))'s scYieldFrom is \(hex(thread)), which does not name it")
        }
        if let ntfn = scNotification(of: address), ntfn != 0,
          objects[ntfn] != .notification || ntfnSchedContext(of: ntfn) != address
        {
          fail(
            "ntfn_sc'", "scheduling context \(hex(address))'s scNotification is \(hex(ntfn)), which does not name it")
        }
      case .notification:
        let sc = ntfnSchedContext(of: address)
        if sc != 0, scNotification(of: sc) != address {
          fail("ntfn_sc'", "notification \(hex(address))'s ntfnSchedContext is \(hex(sc)), which does not name it")
        }
      default:
        continue
      }
    }
    return found
  }

  /// `released_ipc_queues'` on words (the abstract `releasedIPCQueues`): a thread of `threads`
  /// blocked receiving or on a notification has a scheduling-context word of 0 or one naming a
  /// released context; one blocked sending has a Timeout fault and an active context, or none or
  /// a released one; one blocked on a reply has none or an active one.
  func releasedIPCQueues(_ threads: [ObjectRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for thread in threads {
      guard let state = threadState(of: thread) else { continue }
      let sc = schedContextWord(of: thread) ?? 0
      let releasedIfBound = sc == 0 || scReleased(sc)
      let activeIfBound = sc == 0 || scActive(sc)
      let broken: String? =
        switch state {
        case .blockedOnReceive, .blockedOnNotification:
          releasedIfBound ? nil : "blocked receiving with a scheduling context not released at \(ksCurTime)"
        case .blockedOnSend:
          if case .timeout? = tcbFault(of: thread), sc != 0, activeIfBound {
            nil
          } else {
            releasedIfBound ? nil : "blocked sending with a scheduling context not released at \(ksCurTime)"
          }
        case .blockedOnReply:
          activeIfBound ? nil : "blocked on a reply with an inactive scheduling context"
        default: nil
        }
      if let broken { found.append(InvariantViolation("released_ipc_queues'", "thread \(hex(thread)) is \(broken)")) }
    }
    return found
  }

  /// `active_reply_scs'` on words: a scheduling context whose `scReply` word names a reply is
  /// active. `schedObjects`: `schedulerObjects()`.
  func activeReplySCs(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, kind) in schedObjects {
      guard case .schedContext = kind, let head = scReply(of: address), head != 0, !scActive(address) else { continue }
      found.append(
        InvariantViolation(
          "active_reply_scs'", "scheduling context \(hex(address)) heads a call stack at \(hex(head)) but is not active"
        ))
    }
    return found
  }

  /// `active_scs_valid'` on words: a scheduling context whose `scSporadic` word is set is active
  /// (the budget clause cannot fail on words: see `ExecutableSpec/Invariants+Sporadic.swift`).
  func activeSCsValid(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, kind) in schedObjects {
      guard case .schedContext = kind, (scSporadic(of: address) ?? 0) != 0, !scActive(address) else { continue }
      found.append(
        InvariantViolation("active_scs_valid'", "scheduling context \(hex(address)) is sporadic but inactive"))
    }
    return found
  }

  /// `sym_refs'`, between scheduling contexts and the reply objects of their call stacks, conjunct
  /// `sc_replies'`: a scheduling context's `scReply` word names a reply whose `replyNext` is the
  /// head link back to it; a `replyNext` head link names a scheduling context whose `scReply` is
  /// the reply; a reply's `replyPrev` and its predecessor's `replyNext` name each other, and only
  /// a `replyNext` word carries `isHead`. `schedObjects`: `schedulerObjects()`.
  func symRefsSCReplies(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("sym_refs'", conjunct: "sc_replies'", text)) }
    for (address, kind) in schedObjects {
      switch kind {
      case .schedContext:
        guard let head = scReply(of: address), head != 0 else { continue }
        let next = replyCallStack(of: head)?.next
        if next?.ptr != address || next?.isHead != true {
          fail("scheduling context \(hex(address))'s scReply is \(hex(head)), which is not its head link")
        }
      case .reply:
        guard let stack = replyCallStack(of: address) else { continue }
        if stack.prev.isHead { fail("reply \(hex(address))'s replyPrev word has isHead set") }
        if stack.next.isHead {
          if scReply(of: stack.next.ptr) != address {
            fail("reply \(hex(address)) heads the call stack of \(hex(stack.next.ptr)), whose scReply is not it")
          }
        } else if stack.next.ptr != 0, replyCallStack(of: stack.next.ptr)?.prev.ptr != address {
          fail("reply \(hex(address))'s replyNext is \(hex(stack.next.ptr)), whose replyPrev is not it")
        }
        if stack.prev.ptr != 0 {
          let back = replyCallStack(of: stack.prev.ptr)?.next
          if back?.ptr != address || back?.isHead != false {
            fail("reply \(hex(address))'s replyPrev is \(hex(stack.prev.ptr)), whose replyNext is not it")
          }
        }
      default:
        continue
      }
    }
    return found
  }
}

// The MCS scheduler on words, as seL4's C has it (`seL4:src/kernel/thread.c`, `src/object/tcb.c`,
// `include/object/tcb.h`): each ready queue is an intrusive doubly linked list through the
// threads' `tcbSchedNext`/`tcbSchedPrev` words, with its head and tail in the globals frame
// (`ksReadyQueues`), and the two-level bitmap (`ksReadyQueuesL1Bitmap`, `...L2Bitmap`) marks the
// non-empty queues so that `chooseThread` finds the highest priority in two MSB computations. The
// bitmap code is the proved one (`KernelABI/PriorityBitmap.swift`), run on the frame's words
// (`Globals.swift`).
//
// Time passes (see `AbstractSpec/Scheduler.swift`, `Budget.swift`). The release queue is a list of
// the same kind through the same `tcbSchedNext`/`tcbSchedPrev` words (a thread is never in both:
// l4v's `ready_or_release`), with its head and end in the frame (`ksReleaseQueue`) and each
// member's `tcbInReleaseQueue` bit set; `postpone` puts a thread there, `awaken` takes it out. The
// operations, in the order of the twins: `tcbSchedEnqueue`, `tcbSchedAppend`, `tcbSchedDequeue`,
// `tcbReleaseEnqueue`, `tcbReleaseRemove`, `tcbReleaseDequeue`, `isSchedulable`,
// `rescheduleRequired`, `possibleSwitchTo`, `scheduleTCB`, `isHighestPrio`, `chooseThread`,
// `switchToThread`, `switchToIdleThread`, `postpone`, `awaken`, `switchSchedContext`, `schedule`,
// `activateThread`. No path here traps: a
// missing TCB reads as "not schedulable, not queued" and the operation does nothing.

public import KernelABI

extension KernelState {
  /// Set or clear the `tcbQueued` flag of the thread at `tcb`.
  mutating func setQueued(_ tcb: ObjectRef, _ queued: Bool) {
    let address = tcb &+ ObjectLayout.tcbState
    memory.store(address, ObjectLayout.tcbQueued.set(memory.word(address), to: queued ? 1 : 0))
  }

  /// Write the thread's `tcbSchedNext` and `tcbSchedPrev`.
  mutating func setSchedLinks(_ tcb: ObjectRef, next: ObjectRef, prev: ObjectRef) {
    memory.store(tcb &+ ObjectLayout.tcbSchedNext, next)
    memory.store(tcb &+ ObjectLayout.tcbSchedPrev, prev)
  }

  /// `tcbSchedEnqueue`: an unqueued thread goes at the head of its queue; an empty queue first
  /// gets its bitmap bit (`addToBitmap`).
  mutating func tcbSchedEnqueue(_ thread: ObjectRef) {
    guard objects[thread] == .tcb, !isQueued(thread) else { return }
    let (domain, priority) = (
      memory.word(thread &+ ObjectLayout.tcbDomain), memory.word(thread &+ ObjectLayout.tcbPriority)
    )
    let (head, tail) = readyQueueEnds(domain, priority)
    if head == 0 {
      updateBitmap(domain) { $0.addToBitmap(priority) }
      setReadyQueueEnds(domain, priority, head: thread, tail: thread)
    } else {
      memory.store(head &+ ObjectLayout.tcbSchedPrev, thread)
      setReadyQueueEnds(domain, priority, head: thread, tail: tail)
    }
    setSchedLinks(thread, next: head, prev: 0)
    setQueued(thread, true)
  }

  /// `tcbSchedAppend`: as `tcbSchedEnqueue`, at the tail.
  mutating func tcbSchedAppend(_ thread: ObjectRef) {
    guard objects[thread] == .tcb, !isQueued(thread) else { return }
    let (domain, priority) = (
      memory.word(thread &+ ObjectLayout.tcbDomain), memory.word(thread &+ ObjectLayout.tcbPriority)
    )
    let (head, tail) = readyQueueEnds(domain, priority)
    if head == 0 {
      updateBitmap(domain) { $0.addToBitmap(priority) }
      setReadyQueueEnds(domain, priority, head: thread, tail: thread)
    } else {
      memory.store(tail &+ ObjectLayout.tcbSchedNext, thread)
      setReadyQueueEnds(domain, priority, head: head, tail: thread)
    }
    setSchedLinks(thread, next: 0, prev: tail)
    setQueued(thread, true)
  }

  /// `tcbSchedDequeue`: a queued thread is unlinked (`tcb_queue_remove`), its links cleared; a
  /// queue left empty loses its bitmap bit (`removeFromBitmap`).
  mutating func tcbSchedDequeue(_ thread: ObjectRef) {
    guard objects[thread] == .tcb, isQueued(thread) else { return }
    let (domain, priority) = (
      memory.word(thread &+ ObjectLayout.tcbDomain), memory.word(thread &+ ObjectLayout.tcbPriority)
    )
    var (head, tail) = readyQueueEnds(domain, priority)
    let (next, prev) = schedLinks(of: thread)
    if prev == 0 { head = next } else { memory.store(prev &+ ObjectLayout.tcbSchedNext, next) }
    if next == 0 { tail = prev } else { memory.store(next &+ ObjectLayout.tcbSchedPrev, prev) }
    setReadyQueueEnds(domain, priority, head: head, tail: tail)
    if head == 0 && seams.dequeueClearsBitmap?() ?? true { updateBitmap(domain) { $0.removeFromBitmap(priority) } }
    setSchedLinks(thread, next: 0, prev: 0)
    setQueued(thread, false)
  }

  /// Set or clear the `tcbInReleaseQueue` flag of the thread at `tcb`.
  mutating func setInReleaseQueue(_ tcb: ObjectRef, _ inQueue: Bool) {
    let address = tcb &+ ObjectLayout.tcbState
    memory.store(address, ObjectLayout.tcbInReleaseQueue.set(memory.word(address), to: inQueue ? 1 : 0))
  }

  /// `tcbReadyTime`: the release-queue key of the thread at `tcb`, the `rTime` of its scheduling
  /// context's head refill (0 when it has none, or the head index lies outside the object).
  public func tcbReadyTime(_ tcb: ObjectRef) -> UInt64 {
    guard let sc = schedContextWord(of: tcb), sc != 0, let head = scRefillHead(of: sc) else { return 0 }
    return refill(of: sc, at: head)?.rTime ?? 0
  }

  /// `tcbReleaseEnqueue` (`seL4:src/object/tcb.c`): a thread not in the release queue goes in at
  /// its key's place (`KernelABI/ReleaseQueue.swift`): at the head of an empty queue or before a
  /// later head (`tcb_queue_prepend`), at the end after an end whose key it reaches
  /// (`tcb_queue_append`), else before the first thread from the head whose key is after its own
  /// (`find_time_after`, `tcb_queue_insert`). seL4 asserts the thread is in neither queue; a thread
  /// already in the release queue is left alone. A new head sets `ksReprogram`. The walk stops
  /// after as many threads as there are objects, so a looping list cannot hang it.
  mutating func tcbReleaseEnqueue(_ thread: ObjectRef) {
    guard objects[thread] == .tcb, !isInReleaseQueue(thread) else { return }
    let newTime = tcbReadyTime(thread)
    let (head, end) = releaseQueueEnds()
    let appendsAnyway = seams.releaseEnqueueAppends?() ?? false
    if head == 0 || (!appendsAnyway && ReleaseQueue.prependsBefore(headKey: tcbReadyTime(head), newKey: newTime)) {
      ksReprogram = true
      if head == 0 {
        setReleaseQueueEnds(head: thread, end: thread)
      } else {
        memory.store(thread &+ ObjectLayout.tcbSchedNext, head)
        memory.store(head &+ ObjectLayout.tcbSchedPrev, thread)
        setReleaseQueueEnds(head: thread, end: end)
      }
    } else if appendsAnyway || ReleaseQueue.appendsAfter(tailKey: tcbReadyTime(end), newKey: newTime) {
      memory.store(thread &+ ObjectLayout.tcbSchedPrev, end)
      memory.store(end &+ ObjectLayout.tcbSchedNext, thread)
      setReleaseQueueEnds(head: head, end: thread)
    } else {
      var after = head
      var steps = 0
      while after != 0, steps <= objects.count, ReleaseQueue.timeAfter(key: tcbReadyTime(after), newKey: newTime) {
        after = schedLinks(of: after).next
        steps &+= 1
      }
      // tcb_queue_insert(thread, after): before `after`, which a sorted queue whose end is later
      // than the key always has, and which is not the head.
      let before = after == 0 ? end : schedLinks(of: after).prev
      setSchedLinks(thread, next: after, prev: before)
      if after != 0 { memory.store(after &+ ObjectLayout.tcbSchedPrev, thread) }
      if before != 0 { memory.store(before &+ ObjectLayout.tcbSchedNext, thread) }
      if after == 0 { setReleaseQueueEnds(head: head, end: thread) }
    }
    setInReleaseQueue(thread, true)
  }

  /// `tcbReleaseRemove` (`seL4:src/object/tcb.c`): a thread in the release queue is unlinked
  /// (`tcb_queue_remove`: its links cleared) and its flag cleared; any other thread is left alone.
  /// The head leaving sets `ksReprogram`.
  mutating func tcbReleaseRemove(_ thread: ObjectRef) {
    guard objects[thread] == .tcb, isInReleaseQueue(thread) else { return }
    let (head, end) = releaseQueueEnds()
    if head == thread { ksReprogram = true }
    let (after, before) = schedLinks(of: thread)
    if head == thread && end == thread {
      setReleaseQueueEnds(head: 0, end: 0)
    } else if head == thread {
      if after != 0 { memory.store(after &+ ObjectLayout.tcbSchedPrev, 0) }
      memory.store(thread &+ ObjectLayout.tcbSchedNext, 0)
      setReleaseQueueEnds(head: after, end: end)
    } else if end == thread {
      if before != 0 { memory.store(before &+ ObjectLayout.tcbSchedNext, 0) }
      memory.store(thread &+ ObjectLayout.tcbSchedPrev, 0)
      setReleaseQueueEnds(head: head, end: before)
    } else {
      if before != 0 { memory.store(before &+ ObjectLayout.tcbSchedNext, after) }
      if after != 0 { memory.store(after &+ ObjectLayout.tcbSchedPrev, before) }
      setSchedLinks(thread, next: 0, prev: 0)
    }
    setInReleaseQueue(thread, false)
  }

  /// `tcbReleaseDequeue` (l4v-rt `tcb_release_dequeue`): the release queue's head leaves it
  /// (`tcbReleaseRemove`) and is returned; nil when the queue is empty. (seL4's C version also
  /// calls `possibleSwitchTo` on it, which `awaken` does after, as l4v's `awaken_body`.)
  mutating func tcbReleaseDequeue() -> ObjectRef? {
    let head = releaseQueueEnds().head
    guard head != 0 else { return nil }
    tcbReleaseRemove(head)
    return head
  }

  /// `isSchedulable`: runnable, with a bound scheduling context that has refills, and not waiting
  /// in the release queue (`seL4:include/kernel/thread.h`).
  public func isSchedulable(_ thread: ObjectRef?) -> Bool {
    guard let thread, let state = threadState(of: thread), state == .running || state == .restart,
      let sc = schedContextWord(of: thread), sc != 0, let refillMax = scRefillMax(of: sc)
    else { return false }
    return refillMax > 0 && !isInReleaseQueue(thread)
  }

  /// `rescheduleRequired`.
  mutating func rescheduleRequired() {
    if case .switchToThread(let candidate) = ksSchedulerAction, isSchedulable(candidate) {
      tcbSchedEnqueue(candidate)
    }
    ksSchedulerAction = .chooseNewThread
  }

  /// `possibleSwitchTo` (MCS: only a thread with a scheduling context that is not in the release
  /// queue).
  mutating func possibleSwitchTo(_ thread: ObjectRef) {
    guard let sc = schedContextWord(of: thread), sc != 0, !isInReleaseQueue(thread) else { return }
    if memory.word(thread &+ ObjectLayout.tcbDomain) != ksCurDomain {
      tcbSchedEnqueue(thread)
    } else if ksSchedulerAction != .resumeCurrentThread {
      rescheduleRequired()
      tcbSchedEnqueue(thread)
    } else {
      ksSchedulerAction = .switchToThread(thread)
    }
  }

  /// `scheduleTCB`.
  mutating func scheduleTCB(_ thread: ObjectRef) {
    if thread == ksCurThread, ksSchedulerAction == .resumeCurrentThread, !isSchedulable(thread) {
      rescheduleRequired()
    }
  }

  /// `isHighestPrio`: from the bitmap.
  func isHighestPrio(_ domain: UInt64, _ priority: UInt64) -> Bool {
    bitmap(domain).isHighestPrio(priority)
  }

  /// `chooseThread`: the head of the queue of the bitmap's highest priority, else idle.
  mutating func chooseThread() {
    let domain = KernelConstants.numDomains > 1 ? ksCurDomain : 0
    let map = bitmap(domain)
    let head = map.isEmpty ? 0 : readyQueueEnds(domain, map.getHighestPrio()).head
    if head != 0 {
      switchToThread(head)
    } else {
      switchToIdleThread()
    }
  }

  /// `switchToThread`.
  mutating func switchToThread(_ thread: ObjectRef) {
    tcbSchedDequeue(thread)
    ksCurThread = thread
  }

  /// `switchToIdleThread`: `ksCurThread` is `ksIdleThread`.
  mutating func switchToIdleThread() {
    ksCurThread = ksIdleThread
  }

  /// `postpone` (seL4:src/kernel/thread.c): the thread bound to `sc` leaves its ready queue for
  /// the release queue; the timer is reprogrammed.
  mutating func postpone(_ sc: ObjectRef) {
    guard let thread = scTcb(of: sc), thread != 0 else { return }
    tcbSchedDequeue(thread)
    tcbReleaseEnqueue(thread)
    ksReprogram = true
  }

  /// `awaken` (seL4:src/kernel/thread.c, `release_q_non_empty_and_ready`, `tcbReleaseDequeue`):
  /// every release-queue head whose head refill is ready at `ksCurTime` leaves it for
  /// `possibleSwitchTo`. Each round removes a thread, so the loop ends.
  mutating func awaken() {
    while true {
      let first = releaseQueueEnds().head
      guard first != 0, let sc = schedContextWord(of: first), sc != 0, let head = scRefillHead(of: sc),
        let refill = refill(of: sc, at: head), refill.rTime <= ksCurTime,
        let awakened = tcbReleaseDequeue()
      else { return }
      possibleSwitchTo(awakened)
      // seL4 asserts that the dequeued thread has left the queue (thread.c `tcbReleaseDequeue`);
      // where it has not (a state with its in-release-queue mark clear), stop rather than loop.
      if releaseQueueEnds().head == first { return }
    }
  }

  /// `switchSchedContext` (seL4:src/kernel/thread.c; see `AbstractSpec/Scheduler.swift`).
  mutating func switchSchedContext() {
    let word = schedContextWord(of: ksCurThread) ?? 0
    let next = word == 0 ? KernelConstants.idleSCPtr : word
    if next != ksCurSC {
      ksReprogram = true
      if let sporadic = scWord(of: next, ObjectLayout.scSporadic), sporadic == 0 { refillUnblockCheck(next) }
    }
    if ksReprogram { commitTime() }
    ksCurSC = next
  }

  /// `refill_unblock_check(sc)` (seL4:src/kernel/sporadic.c) on the shared core; sets
  /// `ksReprogram` when the head was ready.
  mutating func refillUnblockCheck(_ sc: ObjectRef) {
    guard var buffer = refillBuffer(of: sc),
      buffer.refillUnblockCheck(period: scPeriod(of: sc) ?? 0, now: ksCurTime)
    else { return }
    storeRefillBuffer(buffer, of: sc)
    ksReprogram = true
  }

  /// The wake-up `refill_unblock_check` of IPC and signals (see `AbstractSpec/Scheduler.swift`):
  /// `sc_sporadic(sc) && sc != ksCurSC`, for a TCB's `tcbSchedContext` word (0: none).
  mutating func ifSporadicCurSCRefillUnblockCheck(_ sc: UInt64) {
    guard sc != 0, scSporadic(of: sc) ?? 0 != 0, sc != ksCurSC else { return }
    refillUnblockCheck(sc)
  }

  /// `schedule` (see `AbstractSpec/Scheduler.swift`).
  mutating func schedule() {
    awaken()
    checkDomainTime()
    switch ksSchedulerAction {
    case .resumeCurrentThread:
      break
    case .chooseNewThread:
      if isSchedulable(ksCurThread) { tcbSchedEnqueue(ksCurThread) }
      scheduleChooseNewThread()
    case .switchToThread(let candidate):
      let wasRunnable = isSchedulable(ksCurThread)
      if wasRunnable { tcbSchedEnqueue(ksCurThread) }
      let candidatePriority = priority(of: candidate) ?? 0
      let currentPriority = priority(of: ksCurThread) ?? 0
      let fastfail = isIdle(ksCurThread) || candidatePriority < currentPriority
      if fastfail && !isHighestPrio(ksCurDomain, candidatePriority) {
        tcbSchedEnqueue(candidate)
        ksSchedulerAction = .chooseNewThread
        scheduleChooseNewThread()
      } else if wasRunnable && candidatePriority == currentPriority {
        tcbSchedAppend(candidate)
        ksSchedulerAction = .chooseNewThread
        scheduleChooseNewThread()
      } else {
        switchToThread(candidate)
      }
    }
    ksSchedulerAction = .resumeCurrentThread
    switchSchedContext()
    if ksReprogram {
      setNextInterrupt()
      ksReprogram = false
    }
  }

  /// `activateThread`: a current thread that yielded (SchedContext_YieldTo) is answered first
  /// (`schedContext_completeYieldTo`); a current thread in Restart becomes Running.
  mutating func activateThread() {
    let current = ksCurThread
    if tcbYieldTo(of: current) ?? 0 != 0 { schedContextCompleteYieldTo(current) }
    guard threadState(of: current) == .restart else { return }
    setThreadState(current, .running)
  }
}

// MARK: - Scheduling contexts and threads

extension KernelState {
  /// `schedContext_bindTCB` (`seL4:src/object/schedcontext.c`): an active sporadic context other
  /// than `ksCurSC` gets `refill_unblock_check`, then `schedContext_resume`.
  mutating func schedContextBindTCB(_ sc: ObjectRef, _ thread: ObjectRef) {
    memory.store(thread &+ ObjectLayout.tcbSchedContext, sc)
    memory.store(sc &+ ObjectLayout.scTcb, thread)
    if scWord(of: sc, ObjectLayout.scSporadic) ?? 0 != 0, (scRefillMax(of: sc) ?? 0) > 0, sc != ksCurSC {
      refillUnblockCheck(sc)
    }
    schedContextResume(sc)
    if isSchedulable(thread) {
      tcbSchedEnqueue(thread)
      rescheduleRequired()
    }
  }

  /// `schedContext_resume` (seL4:src/object/schedcontext.c): a schedulable bound thread whose head
  /// refill is not ready, or not sufficient, is postponed.
  mutating func schedContextResume(_ sc: ObjectRef) {
    guard let thread = scTcb(of: sc), thread != 0, isSchedulable(thread), let buffer = refillBuffer(of: sc) else {
      return
    }
    if !(buffer.refillReady(now: ksCurTime) && buffer.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget)) {
      postpone(sc)
    }
  }

  /// `sc_released`: `sc_active` and the head refill ready at `ksCurTime`.
  func scReleased(_ sc: ObjectRef) -> Bool {
    guard let head = activeHeadRefill(sc) else { return false }
    return head.rTime <= ksCurTime
  }

  /// `schedContext_unbindTCB` (`seL4:src/object/schedcontext.c`).
  mutating func schedContextUnbindTCB(_ sc: ObjectRef) {
    guard let thread = scTcb(of: sc), thread != 0 else { return }
    if thread == ksCurThread { rescheduleRequired() }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    if objects[thread] == .tcb { memory.store(thread &+ ObjectLayout.tcbSchedContext, 0) }
    memory.store(sc &+ ObjectLayout.scTcb, 0)
  }

  /// `schedContext_donate(sc, to)` (`seL4:src/object/schedcontext.c`): the thread the scheduling
  /// context was bound to leaves its ready queue and loses it (the scheduler chooses afresh when
  /// that thread is current or the action's target); `to` gets it.
  mutating func schedContextDonate(_ sc: ObjectRef, _ thread: ObjectRef) {
    guard let from = scTcb(of: sc), objects[thread] == .tcb else { return }
    if from != 0, objects[from] == .tcb {
      tcbSchedDequeue(from)
      tcbReleaseRemove(from)
      memory.store(from &+ ObjectLayout.tcbSchedContext, 0)
      if from == ksCurThread || ksSchedulerAction == .switchToThread(from) { rescheduleRequired() }
    }
    memory.store(sc &+ ObjectLayout.scTcb, thread)
    memory.store(thread &+ ObjectLayout.tcbSchedContext, sc)
  }

  /// `schedContext_unbindReply(sc)`: the head reply's `replyNext` and the scheduling context's
  /// `scReply` emptied.
  mutating func schedContextUnbindReply(_ sc: ObjectRef) {
    guard let head = scReply(of: sc), head != 0 else { return }
    if objects[head] == .reply {
      memory.store(head &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: UInt64(0), isHead: 0))
    }
    memory.store(sc &+ ObjectLayout.scReply, 0)
  }

  /// What `suspend` does to a thread the scheduler knows: it stops waiting (`cancelIPC`), a
  /// running thread gets `updateRestartPC`, it leaves its ready and release queues, its yield
  /// ends unanswered (`schedContext_cancelYieldTo`), then it stops.
  mutating func suspend(_ thread: ObjectRef) {
    cancelIPC(thread)
    if threadState(of: thread) == .running { updateRestartPC(thread) }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    schedContextCancelYieldTo(thread)
    setThreadState(thread, .inactive)
  }

  /// `isBlocked`: waiting for IPC or a signal.
  func isBlocked(_ thread: ObjectRef) -> Bool {
    switch threadState(of: thread) {
    case .blockedOnNotification?, .blockedOnSend?, .blockedOnReceive?, .blockedOnReply?: true
    default: false
    }
  }

  /// `isStopped`: Inactive or blocked (on a notification or an endpoint).
  public func isStopped(_ thread: ObjectRef) -> Bool {
    switch threadState(of: thread) {
    case .inactive?, .blockedOnNotification?, .blockedOnSend?, .blockedOnReceive?, .blockedOnReply?: true
    default: false
    }
  }

  /// `restart` (seL4:src/kernel/thread.c, MCS): a stopped thread becomes Restart; a sporadic
  /// context other than `ksCurSC` gets `refill_unblock_check`, then `schedContext_resume`, and a
  /// schedulable thread is a candidate to run.
  mutating func restart(_ thread: ObjectRef) {
    guard isStopped(thread) else { return }
    cancelIPC(thread)
    setThreadState(thread, .restart)
    if let sc = schedContextWord(of: thread), sc != 0 {
      if scWord(of: sc, ObjectLayout.scSporadic) ?? 0 != 0, sc != ksCurSC { refillUnblockCheck(sc) }
      schedContextResume(sc)
    }
    if isSchedulable(thread) && seams.restartSwitchesTo?() ?? true { possibleSwitchTo(thread) }
  }
}

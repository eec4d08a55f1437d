// The MCS scheduler as the Haskell model has it (`l4v-rt:spec/haskell/src/SEL4/Kernel/Thread.lhs`,
// `SEL4/Object/TCB.lhs`): ready queues by (domain, priority), each thread's `tcbQueued` flag, and
// the two-level priority bitmap that `chooseThread` and `schedule` read instead of searching the
// queues. The bitmap is the proved code (`KernelABI/PriorityBitmap.swift`), run on words.
//
// Time passes (see `AbstractSpec/Scheduler.swift`, `Budget.swift`): a thread whose budget ran out
// waits in the release queue (`ksReleaseQueue`, each member's `tcbInReleaseQueue` set) until
// `awaken`; one domain that never ends. The operations, in the order of the twins:
// `tcbSchedEnqueue`, `tcbSchedAppend`, `tcbSchedDequeue`, `tcbReleaseEnqueue`, `tcbReleaseRemove`,
// `tcbReleaseDequeue`, `isSchedulable`, `rescheduleRequired`,
// `possibleSwitchTo`, `scheduleTCB`, `isHighestPrio`, `chooseThread`, `switchToThread`,
// `switchToIdleThread`, `postpone`, `awaken`, `switchSchedContext`, `schedule`, `activateThread`.
// (`seL4:src/kernel/thread.c`, `src/object/tcb.c`.)

public import Bitwise
public import KernelABI

extension ExecState {
  /// The ready queue of `index`, head first (empty when absent).
  public func readyQueue(_ index: ReadyQueueIndex) -> [ObjectRef] { ksReadyQueues[index] ?? [] }

  /// The queue the thread `tcb` belongs in.
  func readyQueueIndex(of tcb: TCB) -> ReadyQueueIndex {
    ReadyQueueIndex(domain: tcb.domain, priority: tcb.priority)
  }

  /// The bitmap of `domain` (the empty one for a domain the kernel does not have).
  public func bitmap(_ domain: UInt64) -> PriorityBitmap<UInt64> {
    domain < UInt64(ksReadyQueuesBitmap.count) ? ksReadyQueuesBitmap[Int(domain)] : PriorityBitmap()
  }

  /// Change the bitmap of `domain` (nothing for a domain the kernel does not have).
  mutating func updateBitmap(_ domain: UInt64, _ change: (inout PriorityBitmap<UInt64>) -> Void) {
    guard domain < UInt64(ksReadyQueuesBitmap.count) else { return }
    change(&ksReadyQueuesBitmap[Int(domain)])
  }

  /// `tcbSchedEnqueue`: put an unqueued `thread` at the head of its queue, setting its priority's
  /// bit when the queue was empty.
  mutating func tcbSchedEnqueue(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), !tcb.tcbQueued else { return }
    let index = readyQueueIndex(of: tcb)
    let queue = readyQueue(index)
    if queue.isEmpty { updateBitmap(index.domain) { $0.addToBitmap(index.priority) } }
    ksReadyQueues[index] = [thread] + queue
    updateTCB(thread) { $0.tcbQueued = true }
  }

  /// `tcbSchedAppend`: as `tcbSchedEnqueue`, at the tail.
  mutating func tcbSchedAppend(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), !tcb.tcbQueued else { return }
    let index = readyQueueIndex(of: tcb)
    let queue = readyQueue(index)
    if queue.isEmpty { updateBitmap(index.domain) { $0.addToBitmap(index.priority) } }
    ksReadyQueues[index] = queue + [thread]
    updateTCB(thread) { $0.tcbQueued = true }
  }

  /// `tcbSchedDequeue`: take a queued `thread` out of its queue, clearing its priority's bit when
  /// the queue becomes empty.
  mutating func tcbSchedDequeue(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), tcb.tcbQueued else { return }
    let index = readyQueueIndex(of: tcb)
    let rest = readyQueue(index).filter { $0 != thread }
    ksReadyQueues[index] = rest.isEmpty ? nil : rest
    if rest.isEmpty { updateBitmap(index.domain) { $0.removeFromBitmap(index.priority) } }
    updateTCB(thread) { $0.tcbQueued = false }
  }

  /// `tcbReadyTime`: the release-queue key of `thread`, the `rTime` of its scheduling context's
  /// head refill (0 when it has none).
  public func tcbReadyTime(_ thread: ObjectRef) -> UInt64 {
    guard let sc = tcb(at: thread)?.schedContext, let context = schedContext(at: sc) else { return 0 }
    return context.refill(at: context.scRefillHead).rTime
  }

  /// `tcbReleaseEnqueue`: a thread not in the release queue goes in at the place the shared
  /// ordering gives its key among the queue's keys (`ReleaseQueue.insertPosition`: after every
  /// thread whose key is at most its own), and its flag is set. seL4 asserts the thread is in
  /// neither queue; one already in the release queue is left alone.
  mutating func tcbReleaseEnqueue(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), !tcb.tcbInReleaseQueue else { return }
    let keys = ksReleaseQueue.map { tcbReadyTime($0) }
    let position = Int(ReleaseQueue.insertPosition(keys: keys, newKey: tcbReadyTime(thread)))
    ksReleaseQueue.insert(thread, at: min(position, ksReleaseQueue.count))
    if ksReleaseQueue.first == thread { ksReprogram = true }
    updateTCB(thread) { $0.tcbInReleaseQueue = true }
  }

  /// `tcbReleaseRemove`: a thread in the release queue leaves it and its flag is cleared.
  mutating func tcbReleaseRemove(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), tcb.tcbInReleaseQueue else { return }
    if ksReleaseQueue.first == thread { ksReprogram = true }
    ksReleaseQueue.removeAll { $0 == thread }
    updateTCB(thread) { $0.tcbInReleaseQueue = false }
  }

  /// `tcbReleaseDequeue`: the release queue's head leaves it and is returned; nil when empty.
  mutating func tcbReleaseDequeue() -> ObjectRef? {
    guard let head = ksReleaseQueue.first else { return nil }
    tcbReleaseRemove(head)
    return head
  }

  /// `isSchedulable`: runnable, with a bound scheduling context that has refills, not in the
  /// release queue.
  public func isSchedulable(_ thread: ObjectRef?) -> Bool {
    guard let thread, let tcb = tcb(at: thread), tcb.state == .running || tcb.state == .restart,
      let sc = tcb.schedContext, let context = schedContext(at: sc)
    else { return false }
    return context.refillMax > 0 && !tcb.tcbInReleaseQueue
  }

  /// `rescheduleRequired`: a pending switch target goes back to the head of its queue (if it can
  /// still run); the scheduler will choose afresh.
  mutating func rescheduleRequired() {
    if case .switchToThread(let candidate) = ksSchedulerAction, isSchedulable(candidate) {
      tcbSchedEnqueue(candidate)
    }
    ksSchedulerAction = .chooseNewThread
  }

  /// `possibleSwitchTo` (MCS: only a thread with a scheduling context, not in the release queue).
  mutating func possibleSwitchTo(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), tcb.schedContext != nil, !tcb.tcbInReleaseQueue else { return }
    if tcb.domain != ksCurDomain {
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

  /// `chooseThread`: the head of the queue of the highest priority the bitmap has, else idle.
  mutating func chooseThread() {
    let domain = KernelConstants.numDomains > 1 ? ksCurDomain : 0
    let map = bitmap(domain)
    if !map.isEmpty,
      let head = readyQueue(ReadyQueueIndex(domain: domain, priority: map.getHighestPrio())).first
    {
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
    guard let thread = schedContext(at: sc)?.tcb else { return }
    tcbSchedDequeue(thread)
    tcbReleaseEnqueue(thread)
    ksReprogram = true
  }

  /// `awaken` (seL4:src/kernel/thread.c, `tcbReleaseDequeue`): every release-queue head whose head
  /// refill is ready at `ksCurTime` leaves it for `possibleSwitchTo`.
  mutating func awaken() {
    while let first = ksReleaseQueue.first,
      let context = tcb(at: first)?.schedContext.flatMap({ schedContext(at: $0) }),
      context.headRefill.rTime <= ksCurTime
    {
      guard let awakened = tcbReleaseDequeue() else { return }
      possibleSwitchTo(awakened)
      // seL4 asserts that the dequeued thread has left the queue (thread.c `tcbReleaseDequeue`);
      // where it has not (a state with its in-release-queue mark clear), stop rather than loop.
      if ksReleaseQueue.first == first { return }
    }
  }

  /// `switchSchedContext` (seL4:src/kernel/thread.c; see `AbstractSpec/Scheduler.swift`).
  mutating func switchSchedContext() {
    let next = tcb(at: ksCurThread)?.schedContext ?? ksIdleSC
    if next != ksCurSC {
      ksReprogram = true
      if let sc = schedContext(at: next), !sc.scSporadic { refillUnblockCheck(next) }
    }
    if ksReprogram { commitTime() }
    ksCurSC = next
  }

  /// `refill_unblock_check(sc)` (seL4:src/kernel/sporadic.c) on the shared core; sets
  /// `ksReprogram` when the head was ready.
  mutating func refillUnblockCheck(_ sc: ObjectRef) {
    guard let context = schedContext(at: sc) else { return }
    var buffer = context.refillBuffer
    guard buffer.refillUnblockCheck(period: context.scPeriod, now: ksCurTime) else { return }
    updateSchedContext(sc) { $0.setRefillBuffer(buffer) }
    ksReprogram = true
  }

  /// The wake-up `refill_unblock_check` of IPC and signals (see `AbstractSpec/Scheduler.swift`):
  /// `sc_sporadic(sc) && sc != ksCurSC`.
  mutating func ifSporadicCurSCRefillUnblockCheck(_ sc: ObjectRef?) {
    guard let sc, schedContext(at: sc)?.scSporadic == true, sc != ksCurSC else { return }
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
      let candidatePriority = tcb(at: candidate)?.priority ?? 0
      let currentPriority = tcb(at: ksCurThread)?.priority ?? 0
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
    if tcb(at: current)?.tcbYieldTo != nil { schedContextCompleteYieldTo(current) }
    guard tcb(at: current)?.state == .restart else { return }
    updateTCB(current) { $0.state = .running }
  }
}

// MARK: - Scheduling contexts and threads

extension ExecState {
  /// `schedContext_bindTCB` (`seL4:src/object/schedcontext.c`): an active sporadic context other
  /// than `ksCurSC` gets `refill_unblock_check`, then `schedContext_resume`.
  mutating func schedContextBindTCB(_ sc: ObjectRef, _ thread: ObjectRef) {
    updateTCB(thread) { $0.schedContext = sc }
    updateSchedContext(sc) { $0.tcb = thread }
    if let context = schedContext(at: sc), context.scSporadic, context.refillMax > 0, sc != ksCurSC {
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
    guard let context = schedContext(at: sc), let thread = context.tcb, isSchedulable(thread) else { return }
    let buffer = context.refillBuffer
    if !(buffer.refillReady(now: ksCurTime) && buffer.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget)) {
      postpone(sc)
    }
  }

  /// `sc_released`: `sc_active` and the head refill ready at `ksCurTime`.
  func scReleased(_ sc: ObjectRef) -> Bool {
    guard let context = activeSchedContext(sc) else { return false }
    return context.headRefill.rTime <= ksCurTime
  }

  /// `schedContext_unbindTCB` (`seL4:src/object/schedcontext.c`).
  mutating func schedContextUnbindTCB(_ sc: ObjectRef) {
    guard let thread = schedContext(at: sc)?.tcb else { return }
    if thread == ksCurThread { rescheduleRequired() }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    updateTCB(thread) { $0.schedContext = nil }
    updateSchedContext(sc) { $0.tcb = nil }
  }

  /// `schedContextDonate sc tcb`: the scheduling context passes to the thread; the thread it was
  /// bound to leaves its ready queue, loses it, and makes the scheduler choose afresh if it is
  /// current or the action's target (`seL4:src/object/schedcontext.c` `schedContext_donate`).
  mutating func schedContextDonate(_ sc: ObjectRef, _ thread: ObjectRef) {
    if let from = schedContext(at: sc)?.tcb {
      tcbSchedDequeue(from)
      tcbReleaseRemove(from)
      updateTCB(from) { $0.schedContext = nil }
      if from == ksCurThread || ksSchedulerAction == .switchToThread(from) { rescheduleRequired() }
    }
    updateSchedContext(sc) { $0.tcb = thread }
    updateTCB(thread) { $0.schedContext = sc }
  }

  /// `schedContextUnbindReply sc`: the head reply lets go of the scheduling context, which lets
  /// go of its call stack (`seL4:src/object/schedcontext.c` `schedContext_unbindReply`).
  mutating func schedContextUnbindReply(_ sc: ObjectRef) {
    guard let head = schedContext(at: sc)?.scReply else { return }
    updateReply(head) { $0.replyNext = nil }
    updateSchedContext(sc) { $0.scReply = nil }
  }

  /// What `suspend` does to a thread the scheduler knows: it stops waiting (`cancelIPC`), a
  /// running thread gets `updateRestartPC`, it leaves its ready and release queues, its yield
  /// ends unanswered (`schedContext_cancelYieldTo`), then it stops.
  mutating func suspend(_ thread: ObjectRef) {
    cancelIPC(thread)
    if tcb(at: thread)?.state == .running { updateRestartPC(thread) }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    schedContextCancelYieldTo(thread)
    setThreadState(thread, .inactive)
  }

  /// `isBlocked`: waiting for IPC or a signal.
  func isBlocked(_ thread: ObjectRef) -> Bool {
    switch tcb(at: thread)?.state {
    case .blockedOnNotification?, .blockedOnSend?, .blockedOnReceive?, .blockedOnReply?: true
    default: false
    }
  }

  /// `isStopped`: Inactive or blocked (on a notification or an endpoint).
  public func isStopped(_ thread: ObjectRef) -> Bool {
    switch tcb(at: thread)?.state {
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
    if let sc = tcb(at: thread)?.schedContext {
      if schedContext(at: sc)?.scSporadic == true, sc != ksCurSC { refillUnblockCheck(sc) }
      schedContextResume(sc)
    }
    if isSchedulable(thread) { possibleSwitchTo(thread) }
  }
}

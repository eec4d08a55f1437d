// The MCS scheduler, said as plainly as l4v-rt says it: ready queues are lists by (domain,
// priority), the scheduler action says what happens at the end of the kernel entry, and
// `schedule` carries it out. No bitmap: the highest priority is the largest one with a non-empty
// queue (`max_non_empty_queue`).
//
// Time passes (`Budget.swift`): a thread whose budget ran out waits in the release queue
// (`release_queue`, sorted by each thread's head refill time; `postpone`) until its head refill is
// ready, when `schedule` first wakes it (`awaken`); at its end `schedule` charges the time used
// when it acted on the new time and makes the current thread's scheduling context `cur_sc`
// (`switchSchedContext`), then reprograms the timer. The scheduler respects the release queue
// (`schedulable`, `possible_switch_to`). Not yet: the domain time (`checkDomainTime`: one domain
// whose boot entry never ends). The operations, in the order of the twins
// (`ExecutableSpec/Scheduler.swift`, `Kernel/Scheduler.swift`):
// `tcbSchedEnqueue`, `tcbSchedAppend`, `tcbSchedDequeue`, `tcbReleaseEnqueue`, `tcbReleaseRemove`,
// `tcbReleaseDequeue`, `isSchedulable`, `rescheduleRequired`,
// `possibleSwitchTo`, `scheduleTCB`, `isHighestPrio`, `chooseThread`, `switchToThread`,
// `switchToIdleThread`, `postpone`, `awaken`, `switchSchedContext`, `schedule`, `activateThread`.
// (`l4v-rt:spec/abstract/Schedule_A.thy`, `KHeap_A.thy`, `Deterministic_A.thy`;
// `seL4:src/kernel/thread.c`, `src/object/tcb.c`.)

public import KernelABI

extension AbstractState {
  /// The ready queue of `index`, head first (empty when absent).
  public func readyQueue(_ index: ReadyQueueIndex) -> [ObjectRef] { readyQueues[index] ?? [] }

  /// The queue the thread `tcb` belongs in: its domain and priority.
  func readyQueueIndex(of tcb: TCB) -> ReadyQueueIndex {
    ReadyQueueIndex(domain: tcb.domain, priority: tcb.priority)
  }

  /// Whether `thread` is in some ready queue.
  public func isQueued(_ thread: ObjectRef) -> Bool {
    guard let tcb = tcb(at: thread) else { return false }
    return readyQueue(readyQueueIndex(of: tcb)).contains(thread)
  }

  /// `tcb_sched_enqueue`: put `thread` at the head of its queue, unless it is there already.
  mutating func tcbSchedEnqueue(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread) else { return }
    let index = readyQueueIndex(of: tcb)
    let queue = readyQueue(index)
    if !queue.contains(thread) { readyQueues[index] = [thread] + queue }
  }

  /// `tcb_sched_append`: put `thread` at the tail of its queue, unless it is there already.
  mutating func tcbSchedAppend(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread) else { return }
    let index = readyQueueIndex(of: tcb)
    let queue = readyQueue(index)
    if !queue.contains(thread) { readyQueues[index] = queue + [thread] }
  }

  /// `tcb_sched_dequeue`: take `thread` out of its queue, if it is there.
  mutating func tcbSchedDequeue(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread) else { return }
    let index = readyQueueIndex(of: tcb)
    let rest = readyQueue(index).filter { $0 != thread }
    readyQueues[index] = rest.isEmpty ? nil : rest
  }

  /// `in_release_queue`: `thread` waits in the release queue.
  public func inReleaseQueue(_ thread: ObjectRef) -> Bool { releaseQueue.contains(thread) }

  /// `tcbReadyTime` (l4v-rt `get_sc_time`): the release-queue key of `thread`, the `r_time` of its
  /// scheduling context's head refill (`refill_hd`; 0 when it has none).
  public func tcbReadyTime(_ thread: ObjectRef) -> UInt64 {
    guard let sc = tcb(at: thread)?.schedContext else { return 0 }
    return schedContext(at: sc)?.refills.first?.rTime ?? 0
  }

  /// `tcb_release_enqueue`: `thread` goes after every queued thread whose time is at most its own
  /// and before the others (l4v's `filter (≤ time) qs @ [t] @ filter (¬ ≤ time) qs`, written here
  /// independently of the shared ordering the other layers run). l4v's precondition is that the
  /// thread is not queued yet; a thread already there is left alone.
  mutating func tcbReleaseEnqueue(_ thread: ObjectRef) {
    guard tcb(at: thread) != nil, !inReleaseQueue(thread) else { return }
    let time = tcbReadyTime(thread)
    let timed = releaseQueue.map { ($0, tcbReadyTime($0)) }
    releaseQueue = timed.filter { $0.1 <= time }.map(\.0) + [thread] + timed.filter { !($0.1 <= time) }.map(\.0)
    if releaseQueue.first == thread { reprogramTimer = true }
  }

  /// `tcb_release_remove`: `thread` leaves the release queue (`tcb_sched_dequeue` on it).
  mutating func tcbReleaseRemove(_ thread: ObjectRef) {
    if releaseQueue.first == thread { reprogramTimer = true }
    releaseQueue = releaseQueue.filter { $0 != thread }
  }

  /// `tcb_release_dequeue`: the release queue's head leaves it and is returned; nil when empty
  /// (l4v takes `hd` of a queue `awaken` has found non-empty).
  mutating func tcbReleaseDequeue() -> ObjectRef? {
    guard let head = releaseQueue.first else { return nil }
    tcbReleaseRemove(head)
    return head
  }

  /// `schedulable`: the thread is runnable, has a bound scheduling context with refills
  /// (`sc_active`), and is not waiting in the release queue.
  public func isSchedulable(_ thread: ObjectRef?) -> Bool {
    guard let thread, let tcb = tcb(at: thread), tcb.state == .running || tcb.state == .restart,
      let sc = tcb.schedContext, let context = schedContext(at: sc)
    else { return false }
    return context.refillMax > 0 && !inReleaseQueue(thread)
  }

  /// `reschedule_required`: a thread the action was going to switch to goes back to the head of
  /// its queue (if it can still run), and the scheduler will choose afresh.
  mutating func rescheduleRequired() {
    if case .switchToThread(let candidate) = schedulerAction, isSchedulable(candidate) {
      tcbSchedEnqueue(candidate)
    }
    schedulerAction = .chooseNewThread
  }

  /// `possible_switch_to`: `thread` became ready. Of another domain, it waits in its queue; if the
  /// scheduler already has something to do, it chooses afresh with `thread` queued; otherwise it
  /// will switch to `thread`. A thread without a scheduling context, or in the release queue, is
  /// left alone (MCS).
  mutating func possibleSwitchTo(_ thread: ObjectRef) {
    guard let tcb = tcb(at: thread), tcb.schedContext != nil, !inReleaseQueue(thread) else { return }
    if tcb.domain != curDomain {
      tcbSchedEnqueue(thread)
    } else if schedulerAction != .resumeCurrentThread {
      rescheduleRequired()
      tcbSchedEnqueue(thread)
    } else {
      schedulerAction = .switchToThread(thread)
    }
  }

  /// `schedule_tcb` (`set_thread_state_act`): the current thread that can no longer run makes the
  /// scheduler choose another, unless it already has something to do.
  mutating func scheduleTCB(_ thread: ObjectRef) {
    if thread == currentThread, schedulerAction == .resumeCurrentThread, !isSchedulable(thread) {
      rescheduleRequired()
    }
  }

  /// `is_highest_prio`: no thread of `domain` is ready at a priority above `priority`.
  func isHighestPrio(_ domain: UInt64, _ priority: UInt64) -> Bool {
    !readyQueues.contains { $0.key.domain == domain && $0.key.priority > priority && !$0.value.isEmpty }
  }

  /// `choose_thread`: the head of the highest non-empty queue of the current domain, else idle.
  mutating func chooseThread() {
    let candidates = readyQueues.filter { $0.key.domain == curDomain && !$0.value.isEmpty }
    if let best = candidates.keys.max(), let head = readyQueue(best).first {
      switchToThread(head)
    } else {
      switchToIdleThread()
    }
  }

  /// `switch_to_thread`: `thread` leaves its queue and runs.
  mutating func switchToThread(_ thread: ObjectRef) {
    tcbSchedDequeue(thread)
    currentThread = thread
  }

  /// `switch_to_idle_thread`: the idle thread runs (`cur_thread` is `idle_thread`).
  mutating func switchToIdleThread() {
    currentThread = idleThread
  }

  /// `postpone sc` (seL4:src/kernel/thread.c `postpone`): the thread bound to `sc` leaves its ready
  /// queue and waits in the release queue until its head refill is ready; the timer is
  /// reprogrammed.
  mutating func postpone(_ sc: ObjectRef) {
    guard let thread = schedContext(at: sc)?.tcb else { return }
    tcbSchedDequeue(thread)
    tcbReleaseEnqueue(thread)
    reprogramTimer = true
  }

  /// `awaken` (seL4:src/kernel/thread.c `awaken`, `tcbReleaseDequeue`): every thread at the head of
  /// the release queue whose head refill is ready at `cur_time` leaves it and is offered to the
  /// scheduler (`possible_switch_to`).
  mutating func awaken() {
    while let first = releaseQueue.first,
      let refills = tcb(at: first)?.schedContext.flatMap({ schedContext(at: $0) })?.refills,
      Sporadic.refillReady(refills, now: curTime)
    {
      guard let awakened = tcbReleaseDequeue() else { return }
      possibleSwitchTo(awakened)
      // seL4 asserts that the dequeued thread has left the queue (thread.c `tcbReleaseDequeue`);
      // where it has not (a state with its in-release-queue mark clear), stop rather than loop.
      if releaseQueue.first == first { return }
    }
  }

  /// `switch_sched_context` (seL4:src/kernel/thread.c `switchSchedContext`): when the current
  /// thread's scheduling context is not `cur_sc`, the timer must be reprogrammed, and a constant-
  /// bandwidth one starts its ready head now (`refill_unblock_check`). When the timer is to be
  /// reprogrammed the kernel has acted on the new time, so the time used is charged to the old
  /// `cur_sc` (`commit_time`). Then `cur_sc` is the current thread's (the idle one's for a thread
  /// without one, as at boot).
  mutating func switchSchedContext() {
    let next = tcb(at: currentThread)?.schedContext ?? idleSC
    if next != curSC {
      reprogramTimer = true
      if let sc = schedContext(at: next), !sc.sporadic { refillUnblockCheck(next) }
    }
    if reprogramTimer { commitTime() }
    curSC = next
  }

  /// `refill_unblock_check sc` (`Sporadic.refillUnblockCheck` on the context's refills): a ready
  /// head of a sporadic context starts now, merged with the refills it overlaps; the timer is
  /// reprogrammed when the head was ready. Round robin: nothing.
  mutating func refillUnblockCheck(_ sc: ObjectRef) {
    guard let context = schedContext(at: sc), context.period != 0,
      Sporadic.refillReady(context.refills, now: curTime)
    else { return }
    let now = curTime
    updateSchedContext(sc) { $0.refills = Sporadic.refillUnblockCheck($0.refills, period: $0.period, now: now) }
    reprogramTimer = true
  }

  /// The wake-up `refill_unblock_check` of IPC and signals (`l4v-rt:spec/abstract/Sporadic_A.thy`
  /// `if_sporadic_cur_sc_test_refill_unblock_check` and its `assert` twin; seL4's
  /// `sc_sporadic(sc) && sc != ksCurSC` in `src/object/endpoint.c`, `notification.c` and
  /// `src/kernel/thread.c` `doReplyTransfer`): a woken thread's sporadic scheduling context
  /// other than `cur_sc` starts its ready head now. No scheduling context: nothing.
  mutating func ifSporadicCurSCRefillUnblockCheck(_ sc: ObjectRef?) {
    guard let sc, schedContext(at: sc)?.sporadic == true, sc != curSC else { return }
    refillUnblockCheck(sc)
  }

  /// `schedule`: carry out the scheduler action, then resume. Choosing afresh puts a current
  /// thread that can still run back at the head of its queue first. A thread to switch to is
  /// checked against the queues when it would not beat the current thread outright (the current
  /// thread is idle, or of higher priority): it yields to a higher-priority ready thread; at the
  /// current thread's priority it goes to the tail and the current thread keeps running.
  mutating func schedule() {
    awaken()
    checkDomainTime()
    switch schedulerAction {
    case .resumeCurrentThread:
      break
    case .chooseNewThread:
      if isSchedulable(currentThread) { tcbSchedEnqueue(currentThread) }
      scheduleChooseNewThread()
    case .switchToThread(let candidate):
      let wasRunnable = isSchedulable(currentThread)
      if wasRunnable { tcbSchedEnqueue(currentThread) }
      let candidatePriority = tcb(at: candidate)?.priority ?? 0
      let currentPriority = tcb(at: currentThread)?.priority ?? 0
      let fastfail = isIdle(currentThread) || candidatePriority < currentPriority
      if fastfail && !isHighestPrio(curDomain, candidatePriority) {
        tcbSchedEnqueue(candidate)
        schedulerAction = .chooseNewThread
        scheduleChooseNewThread()
      } else if wasRunnable && candidatePriority == currentPriority {
        tcbSchedAppend(candidate)
        schedulerAction = .chooseNewThread
        scheduleChooseNewThread()
      } else {
        switchToThread(candidate)
      }
    }
    schedulerAction = .resumeCurrentThread
    switchSchedContext()
    if reprogramTimer {
      setNextInterrupt()
      reprogramTimer = false
    }
  }

  /// `activate_thread`: a current thread that yielded (SchedContext_YieldTo) is answered first
  /// (`complete_yield_to`); a current thread in Restart re-runs its system call, so it becomes
  /// Running (its next instruction is the call again); a Running one just resumes.
  mutating func activateThread() {
    if tcb(at: currentThread)?.yieldTo != nil { schedContextCompleteYieldTo(currentThread) }
    guard tcb(at: currentThread)?.state == .restart else { return }
    updateTCB(currentThread) { $0.state = .running }
  }
}

// MARK: - Scheduling contexts and threads

extension AbstractState {
  /// `sched_context_bind_tcb`: the scheduling context at `sc` and the thread at `thread` (neither
  /// bound) are bound to each other; an active sporadic context other than `cur_sc` starts its
  /// ready head now (`refill_unblock_check`), a thread whose refill is not ready waits in the
  /// release queue (`sched_context_resume`), and a thread that can now run is queued at the head
  /// and the scheduler chooses afresh (`seL4:src/object/schedcontext.c` `schedContext_bindTCB`).
  mutating func schedContextBindTCB(_ sc: ObjectRef, _ thread: ObjectRef) {
    updateTCB(thread) { $0.schedContext = sc }
    updateSchedContext(sc) { $0.tcb = thread }
    if let context = schedContext(at: sc), context.sporadic, context.refillMax > 0, sc != curSC {
      refillUnblockCheck(sc)
    }
    schedContextResume(sc)
    if isSchedulable(thread) {
      tcbSchedEnqueue(thread)
      rescheduleRequired()
    }
  }

  /// `sched_context_resume sc` (`seL4:src/object/schedcontext.c` `schedContext_resume`): a
  /// schedulable bound thread whose head refill is not ready, or not sufficient, waits in the
  /// release queue (`postpone`).
  mutating func schedContextResume(_ sc: ObjectRef) {
    guard let context = schedContext(at: sc), let thread = context.tcb, isSchedulable(thread) else { return }
    let refills = context.refills
    if !(Sporadic.refillReady(refills, now: curTime) && Sporadic.refillSufficient(refills, usage: 0)) {
      postpone(sc)
    }
  }

  /// `sc_released`: the scheduling context is active and its head refill is ready at `cur_time`
  /// (`seL4:include/kernel/sporadic.h`).
  func scReleased(_ sc: ObjectRef) -> Bool {
    guard let context = schedContext(at: sc), context.refillMax > 0 else { return false }
    return Sporadic.refillReady(context.refills, now: curTime)
  }

  /// `sched_context_unbind_tcb`: the scheduling context at `sc` and its thread part. A current
  /// thread makes the scheduler choose afresh; the thread leaves its ready queue.
  /// (`seL4:src/object/schedcontext.c` `schedContext_unbindTCB`.)
  mutating func schedContextUnbindTCB(_ sc: ObjectRef) {
    guard let thread = schedContext(at: sc)?.tcb else { return }
    if thread == currentThread { rescheduleRequired() }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    updateTCB(thread) { $0.schedContext = nil }
    updateSchedContext(sc) { $0.tcb = nil }
  }

  /// `sched_context_donate`: the scheduling context at `sc` passes to `thread` (which has none).
  /// The thread it was bound to, if any, leaves its ready queue and loses it, and the scheduler
  /// chooses afresh when that thread is current or about to be switched to (`test_reschedule`).
  /// (`seL4:src/object/schedcontext.c` `schedContext_donate`; `l4v-rt:spec/abstract/IpcCancel_A.thy`.)
  mutating func schedContextDonate(_ sc: ObjectRef, _ thread: ObjectRef) {
    if let from = schedContext(at: sc)?.tcb {
      tcbSchedDequeue(from)
      tcbReleaseRemove(from)
      updateTCB(from) { $0.schedContext = nil }
      if from == currentThread || schedulerAction == .switchToThread(from) { rescheduleRequired() }
    }
    updateSchedContext(sc) { $0.tcb = thread }
    updateTCB(thread) { $0.schedContext = sc }
  }

  /// `sched_context_unbind_reply`: the scheduling context at `sc` lets go of its call stack; only
  /// the head reply named it (`seL4:src/object/schedcontext.c` `schedContext_unbindReply`).
  mutating func schedContextUnbindReply(_ sc: ObjectRef) {
    guard let head = schedContext(at: sc)?.replies.first else { return }
    setReplySC(head, nil)
    updateSchedContext(sc) { $0.replies = [] }
  }

  /// What `suspend` does to a thread the scheduler knows: it stops waiting (`cancelIPC`), a
  /// running thread's restart address becomes the one it would resume at (`updateRestartPC`),
  /// it leaves its ready and release queues, its yield (SchedContext_YieldTo) ends unanswered
  /// (`sched_context_cancel_yield_to`), and it stops (`seL4:src/kernel/thread.c` `suspend`: the dequeue
  /// comes before the state; `l4v-rt:spec/abstract/Tcb_A.thy`).
  mutating func suspend(_ thread: ObjectRef) {
    cancelIPC(thread)
    if tcb(at: thread)?.state == .running { updateRestartPC(thread) }
    tcbSchedDequeue(thread)
    tcbReleaseRemove(thread)
    schedContextCancelYieldTo(thread)
    setThreadState(thread, .inactive)
  }

  /// `is_blocked`: the thread waits for IPC or a signal (only notifications exist yet).
  func isBlocked(_ thread: ObjectRef) -> Bool {
    switch tcb(at: thread)?.state {
    case .blockedOnNotification?, .blockedOnSend?, .blockedOnReceive?, .blockedOnReply?: true
    default: false
    }
  }

  /// `is_stopped`: the thread is Inactive or blocked (on a notification; endpoints and replies come
  /// with IPC).
  public func isStopped(_ thread: ObjectRef) -> Bool {
    switch tcb(at: thread)?.state {
    case .inactive?, .blockedOnNotification?, .blockedOnSend?, .blockedOnReceive?, .blockedOnReply?: true
    default: false
    }
  }

  /// `restart` (MCS): a stopped thread (its IPC cancelled) will re-run its system call; a
  /// sporadic context other than `cur_sc` starts its ready head now (`refill_unblock_check`), a
  /// thread whose refill is not ready waits in the release queue (`sched_context_resume`), and
  /// it becomes a candidate to run if it can (`seL4:src/kernel/thread.c` `restart`). A thread that
  /// is not stopped is left alone.
  mutating func restart(_ thread: ObjectRef) {
    guard isStopped(thread) else { return }
    cancelIPC(thread)
    setThreadState(thread, .restart)
    if let sc = tcb(at: thread)?.schedContext {
      if schedContext(at: sc)?.sporadic == true, sc != curSC { refillUnblockCheck(sc) }
      schedContextResume(sc)
    }
    if isSchedulable(thread) { possibleSwitchTo(thread) }
  }
}

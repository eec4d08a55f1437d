// The TCB invocations this slice models, through the lockstep checker on the sample (main and
// `second` at priority 100, `low` at 50): TCB_SetMCPriority, TCB_SetPriority of queued, running
// and stopped threads (requeue at the head of the new queue, reschedule), TCB_Suspend and
// TCB_Resume of running, queued and suspended threads, and who gets a reply. Every step is
// checked in lockstep (R1, R2, observations, invariants); each test also reads the result in all
// three layers.

import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct TCBInvocationTests {
  typealias T = SystemPlan.Threads
  static let main = S.cptr(root: 1)
  static let second = S.cptr(root: T.secondSlot)
  static let low = S.cptr(root: T.lowSlot)

  /// Step `event`, expecting every check to pass; the observation.
  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// The current thread in each layer.
  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  /// The ready queue of `priority` (domain 0) in each layer.
  func queue(_ checker: LockstepChecker, _ priority: UInt64) -> [[ObjectRef]] {
    let index = ReadyQueueIndex(domain: 0, priority: priority)
    return [
      checker.abstract.readyQueue(index), checker.exec.readyQueue(index),
      checker.kernel.readyQueueWalk(0, priority).threads,
    ]
  }

  /// The priority of `thread` in each layer.
  func priority(_ checker: LockstepChecker, _ thread: ObjectRef) -> [UInt64?] {
    [
      checker.abstract.tcb(at: thread)?.priority, checker.exec.tcb(at: thread)?.priority,
      checker.kernel.priority(of: thread),
    ]
  }

  /// Whether `thread` is Inactive in each layer.
  func inactive(_ checker: LockstepChecker, _ thread: ObjectRef) -> [Bool] {
    [
      checker.abstract.tcb(at: thread)?.state == .inactive, checker.exec.tcb(at: thread)?.state == .inactive,
      checker.kernel.threadState(of: thread) == .inactive,
    ]
  }

  static let all = [true, true, true]

  func setPriority(_ target: UInt64, _ value: UInt64, authority: UInt64 = main) -> Event {
    invoke(target, .tcbSetPriority, [value], caps: [authority])
  }

  @Test func setMCPrioritySetsTheMCPInEveryLayer() throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    let observation = step(&checker, invoke(Self.main, .tcbSetMCPriority, [42], caps: [Self.main]))
    #expect(observation.reply?.info.label == 0 && observation.reply?.info.length == 0)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.maxControlledPriority == 42)
    #expect(checker.exec.tcb(at: S.mainTCB)?.maxControlledPriority == 42)
    #expect(checker.kernel.maxControlledPriority(of: S.mainTCB) == 42)
    // The priority is not the MCP: it is unchanged in every layer, and so is the queue.
    #expect(priority(checker, S.mainTCB) == [100, 100, 100])
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
  }

  /// Raising a queued thread above the current one: it leaves its queue for the head of its new
  /// one, the scheduler chooses afresh, and it runs; the caller goes back to the head of its
  /// queue. The caller still gets its reply (it is still Running, just not current).
  @Test func raisingAQueuedThreadPreemptsTheCaller() {
    var checker = LockstepChecker(plan: .sample)
    let observation = step(&checker, setPriority(Self.low, 150))
    #expect(observation.reply?.info.label == 0)
    #expect(priority(checker, T.low) == [150, 150, 150])
    #expect(current(checker) == [T.low, T.low, T.low])
    #expect(queue(checker, 50) == [[], [], []])
    #expect(queue(checker, 150) == [[], [], []])
    #expect(queue(checker, 100) == Array(repeating: [S.mainTCB, T.second], count: 3))
  }

  /// Lowering a queued thread below the current one: it moves queues and the caller keeps
  /// running.
  @Test func loweringAQueuedThreadMovesItToTheHeadOfItsNewQueue() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, setPriority(Self.second, 50))
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(queue(checker, 100) == [[], [], []])
    // At the head, not the tail: `tcbSchedEnqueue`.
    #expect(queue(checker, 50) == Array(repeating: [T.second, T.low], count: 3))
  }

  /// Lowering the running thread below a queued one: it is queued at its new priority and the
  /// queued thread runs.
  @Test func loweringTheRunningThreadLetsAnotherRun() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, setPriority(Self.main, 60))
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(priority(checker, S.mainTCB) == [60, 60, 60])
    #expect(queue(checker, 60) == Array(repeating: [S.mainTCB], count: 3))
    #expect(queue(checker, 100) == [[], [], []])
    // The same priority again: the thread is requeued at the head of its queue and still runs
    // (the scheduler chooses afresh and finds it first).
    step(&checker, setPriority(Self.second, 100, authority: Self.second))
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(queue(checker, 100) == [[], [], []])
  }

  /// A stopped thread just takes the priority: it joins no queue.
  @Test func aSuspendedThreadTakesThePriorityWithoutQueueing() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.low, .tcbSuspend, []))
    step(&checker, setPriority(Self.low, 200))
    #expect(priority(checker, T.low) == [200, 200, 200])
    #expect(queue(checker, 200) == [[], [], []])
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    // Resumed, at 200 it preempts the caller.
    step(&checker, invoke(Self.low, .tcbResume, []))
    #expect(current(checker) == [T.low, T.low, T.low])
    #expect(inactive(checker, T.low) == [false, false, false])
  }

  /// Suspending a queued thread takes it out of its queue; the caller is answered.
  @Test func suspendingAQueuedThreadDequeuesIt() {
    var checker = LockstepChecker(plan: .sample)
    let observation = step(&checker, invoke(Self.second, .tcbSuspend, []))
    #expect(observation.reply?.info.label == 0)
    #expect(inactive(checker, T.second) == Self.all)
    #expect(queue(checker, 100) == [[], [], []])
    // Yield now finds no one else at 100: main keeps running.
    step(&checker, yieldEvent)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    // Suspending it again changes nothing.
    let before = checker.exec
    step(&checker, invoke(Self.second, .tcbSuspend, []))
    #expect(checker.exec == before)
  }

  /// A thread that suspends itself gets no reply (seL4 answers only a caller still Restart), and
  /// the next thread of its priority runs.
  @Test func suspendingOneselfGetsNoReplyAndTheNextThreadRuns() {
    var checker = LockstepChecker(plan: .sample)
    let registers = checker.abstract.tcb(at: S.mainTCB)?.context
    let observation = step(&checker, invoke(Self.main, .tcbSuspend, []))
    #expect(observation.reply == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.context == registers)
    #expect(inactive(checker, S.mainTCB) == Self.all)
    #expect(current(checker) == [T.second, T.second, T.second])
    // The other thread resumes it: Restart, queued behind nobody at 100, and it does not preempt
    // a thread of its own priority.
    let resumed = step(&checker, invoke(Self.main, .tcbResume, []))
    #expect(resumed.reply?.info.label == 0)
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(queue(checker, 100) == Array(repeating: [S.mainTCB], count: 3))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .restart)
    // When it runs again it is Running (`activateThread`).
    step(&checker, yieldEvent)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    #expect(checker.kernel.threadState(of: S.mainTCB) == .running)
  }

  /// Resuming a thread that is not stopped changes nothing (`restart` tests `isStopped`).
  @Test func resumingARunnableThreadChangesNothing() {
    var checker = LockstepChecker(plan: .sample)
    for target in [Self.main, Self.second] {
      let before = checker.exec
      let observation = step(&checker, invoke(target, .tcbResume, []))
      #expect(observation.reply?.info.label == 0)
      #expect(checker.exec == before)
    }
  }

  /// Suspending every thread leaves the idle thread running.
  @Test func suspendingEveryThreadRunsIdle() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.low, .tcbSuspend, []))
    step(&checker, invoke(Self.second, .tcbSuspend, []))
    step(&checker, invoke(Self.main, .tcbSuspend, []))
    #expect(
      current(checker) == [KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr])
    #expect(checker.abstract.readyQueues.isEmpty && checker.exec.ksReadyQueues.isEmpty)
    #expect(checker.kernel.readyQueueWalks().isEmpty)
  }

  /// The planted Resume that skips the reschedule is caught at once: the resumed thread can run
  /// but is in no queue.
  @Test func aResumeThatSkipsTheRescheduleIsCaught() {
    var checker = LockstepChecker(plan: .sample)
    checker.kernel.plantedBug = .resumeSkipsReschedule
    step(&checker, invoke(Self.low, .tcbSuspend, []))
    let (_, failure) = checker.step(invoke(Self.low, .tcbResume, []))
    #expect(failure != nil)
  }

  // MARK: - Blocked threads (on a notification)

  /// The waiters of the sample's notification in each layer, head first.
  func waiters(_ checker: LockstepChecker) -> [[ObjectRef]] {
    var abstract: [ObjectRef] = []
    if case .waiting(let q)? = checker.abstract.notification(at: S.notification)?.state { abstract = q }
    var exec: [ObjectRef] = []
    if case .waitingNtfn(let q)? = checker.exec.notification(at: S.notification)?.ntfnObj { exec = q }
    return [abstract, exec, checker.kernel.ntfnQueueWalk(S.notification).threads]
  }

  /// main and second wait on the notification (in that order, both at 100); low runs.
  func twoWaiters() -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample)
    let ntfn = S.cptr(root: T.ntfnSlot)
    step(&checker, waitEvent(ntfn, syscall: .recv))
    step(&checker, waitEvent(ntfn, syscall: .recv))
    #expect(current(checker) == [T.low, T.low, T.low])
    #expect(waiters(checker) == Array(repeating: [S.mainTCB, T.second], count: 3))
    return checker
  }

  /// Raising a waiter reorders the notification's queue (MCS `reorderNTFN`); it stays blocked and
  /// joins no ready queue.
  @Test func raisingAWaiterMovesItAheadInTheNotificationsQueue() {
    var checker = twoWaiters()
    step(&checker, setPriority(Self.second, 120, authority: Self.low))
    #expect(waiters(checker) == Array(repeating: [T.second, S.mainTCB], count: 3))
    #expect(queue(checker, 120) == [[], [], []])
    #expect(current(checker) == [T.low, T.low, T.low])
    // Lowered below main again, it goes back behind it.
    step(&checker, setPriority(Self.second, 90, authority: Self.low))
    #expect(waiters(checker) == Array(repeating: [S.mainTCB, T.second], count: 3))
  }

  /// Suspending a waiter takes it out of the notification's queue (`cancelIPC`); resuming it
  /// makes it Restart, and, above the caller, it runs at once (Running again: `activateThread`).
  @Test func suspendingAWaiterCancelsItsWaitAndResumeRestartsIt() {
    var checker = twoWaiters()
    step(&checker, invoke(Self.main, .tcbSuspend, []))
    #expect(inactive(checker, S.mainTCB) == Self.all)
    #expect(waiters(checker) == Array(repeating: [T.second], count: 3))
    step(&checker, invoke(Self.main, .tcbResume, []))
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    #expect(waiters(checker) == Array(repeating: [T.second], count: 3))
  }

  /// Resuming a waiter directly (it is stopped: `isStopped`) cancels its wait too.
  @Test func resumingAWaiterCancelsItsWait() {
    var checker = twoWaiters()
    step(&checker, invoke(Self.second, .tcbResume, []))
    #expect(waiters(checker) == Array(repeating: [S.mainTCB], count: 3))
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(checker.kernel.threadState(of: T.second) == .running)
  }

  /// TCB_SetFlags in lockstep: the flags lose those cleared and gain those set that exist (bit 0,
  /// FPU disabled, is the only one), the caller gets the new flags in MR0, and the kernel keeps
  /// them in the TCB's `tcbFlags` word. Too few registers is TruncatedMessage; a Send is not
  /// answered.
  @Test func setFlagsClearsThenSetsTheFlagsThatExist() {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    func reply(_ flags: UInt64) -> ReplyMessage {
      ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [flags])
    }
    #expect(step(&checker, invoke(Self.second, .tcbSetFlags, [0])).reply == ReplyMessage(error: .truncatedMessage))
    #expect(step(&checker, invoke(Self.second, .tcbSetFlags, [0, 0xff])).reply == reply(1))
    #expect(checker.abstract.tcb(at: T.second)?.flags == 1)
    #expect(checker.exec.tcb(at: T.second)?.tcbFlags == 1)
    #expect(checker.kernel.tcbFlags(of: T.second) == 1)
    // Clearing and setting the same flag: the set wins, as in seL4 (clear first, then set).
    #expect(step(&checker, invoke(Self.second, .tcbSetFlags, [1, 1])).reply == reply(1))
    #expect(step(&checker, invoke(Self.second, .tcbSetFlags, [~UInt64(0), 0])).reply == reply(0))
    let sent = step(&checker, invoke(Self.second, .tcbSetFlags, [0, 1], syscall: .send))
    #expect(sent.reply == nil && sent.notModelled == nil)
    #expect(checker.kernel.tcbFlags(of: T.second) == 1)
  }
}

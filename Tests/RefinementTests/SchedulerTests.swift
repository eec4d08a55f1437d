// The MCS scheduler in all three layers, through the lockstep checker: who runs after Yield, after
// a thread stops or loses its scheduling context, and after a queued thread is deleted; the ready
// queues and the bitmap each layer keeps; and the scheduler's invariants, each shown to fail on a
// state that breaks it. Every step is checked in lockstep (R1, R2, observations, invariants).

import AbstractSpec
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct SchedulerTests {
  typealias T = SystemPlan.Threads
  static let priority100 = ReadyQueueIndex(domain: 0, priority: 100)
  static let priority50 = ReadyQueueIndex(domain: 0, priority: 50)

  /// Step `event` on all three layers, expecting every check to pass.
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation) {
    let (_, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
  }

  /// The queue at `index` as each layer keeps it: the abstract list, the executable spec's array,
  /// and the kernel's list walked from its head word.
  func queues(_ checker: LockstepChecker, _ index: ReadyQueueIndex) -> [[ObjectRef]] {
    [
      checker.abstract.readyQueue(index), checker.exec.readyQueue(index),
      checker.kernel.readyQueueWalk(index.domain, index.priority).threads,
    ]
  }

  /// The current thread in each layer.
  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  @Test func threadsThatCanRunStartQueuedInPlanOrder() {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(queues(checker, Self.priority100) == Array(repeating: [T.second], count: 3))
    #expect(queues(checker, Self.priority50) == Array(repeating: [T.low], count: 3))
    // The bitmap marks exactly the two non-empty queues, in both layers that keep one.
    for map in [checker.exec.bitmap(0), checker.kernel.bitmap(0)] {
      #expect(map.getHighestPrio() == 100)
      #expect(map.contains(100) && map.contains(50) && !map.contains(99))
    }
  }

  @Test func yieldRunsTheNextThreadOfTheSamePriority() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, yieldEvent)
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(queues(checker, Self.priority100) == Array(repeating: [S.mainTCB], count: 3))
    step(&checker, yieldEvent)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(queues(checker, Self.priority100) == Array(repeating: [T.second], count: 3))
    // The lower-priority thread never ran.
    #expect(queues(checker, Self.priority50) == Array(repeating: [T.low], count: 3))
  }

  @Test func yieldAloneKeepsTheThreadRunning() {
    var checker = LockstepChecker(plan: .oneThread)
    step(&checker, yieldEvent)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
    #expect(checker.abstract.readyQueues.isEmpty && checker.exec.ksReadyQueues.isEmpty)
    #expect(checker.kernel.readyQueueWalks().isEmpty)
    #expect(checker.exec.bitmap(0) == PriorityBitmap() && checker.kernel.bitmap(0) == PriorityBitmap())
  }

  /// A thread that faults with no handler stops; the next thread of its priority runs, then the
  /// lower one, then the idle thread.
  @Test func stoppedThreadsGiveWayByPriorityThenToIdle() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, .unknownSyscall(number: -99))
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(checker.exec.tcb(at: S.mainTCB)?.state == .inactive)
    step(&checker, .unknownSyscall(number: -99))
    #expect(current(checker) == [T.low, T.low, T.low])
    step(&checker, .unknownSyscall(number: -99))
    #expect(
      current(checker) == [KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr])
    #expect(checker.kernel.readyQueueWalks().isEmpty && checker.kernel.bitmap(0) == PriorityBitmap())
    // The idle thread makes no system calls.
    step(&checker, yieldEvent)
    #expect(
      current(checker) == [KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr, KernelConstants.idleThreadPtr])
  }

  /// Deleting the last cap to the running thread's scheduling context unbinds it (MCS
  /// `schedContext_unbindTCB`): it can no longer run, and the next ready thread does. It stays
  /// Running, in no queue.
  @Test func deletingTheCurrentThreadsSchedContextRunsTheNext() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, cnodeDelete(.root(6)))
    #expect(current(checker) == [T.second, T.second, T.second])
    #expect(checker.abstract.tcb(at: S.mainTCB)?.schedContext == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    #expect(checker.kernel.schedContextWord(of: S.mainTCB) == 0)
    #expect(queues(checker, Self.priority100) == Array(repeating: [], count: 3))
    // The thread now running is alone at its priority: its Yield keeps it running.
    step(&checker, yieldEvent)
    #expect(current(checker) == [T.second, T.second, T.second])
  }

  /// Deleting a queued thread takes it out of its queue; a queue left empty loses its bitmap bit.
  @Test func deletingAQueuedThreadDequeuesIt() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, cnodeDelete(.root(T.lowSlot)))
    #expect(checker.abstract.tcb(at: T.low) == nil)
    #expect(queues(checker, Self.priority50) == Array(repeating: [], count: 3))
    #expect(!checker.exec.bitmap(0).contains(50) && !checker.kernel.bitmap(0).contains(50))
    #expect(checker.kernel.bitmap(0).contains(100))
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
  }

  /// Deleting a queued thread's scheduling context makes it unable to run: it leaves its queue.
  @Test func deletingAQueuedThreadsSchedContextDequeuesIt() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, cnodeDelete(.root(T.secondSCSlot)))
    #expect(queues(checker, Self.priority100) == Array(repeating: [], count: 3))
    #expect(checker.exec.tcb(at: T.second)?.tcbQueued == false && !checker.kernel.isQueued(T.second))
    step(&checker, yieldEvent)
    #expect(current(checker) == [S.mainTCB, S.mainTCB, S.mainTCB])
  }

  // MARK: - The invariants fail where they should

  @Test func abstractInvariantsCatchABrokenQueue() {
    var state = AbstractState(plan: .sample)
    #expect(state.schedInvariantViolations() == [])
    var queued = state
    queued.readyQueues[Self.priority100] = [T.second, S.mainTCB]
    #expect(queued.schedInvariantViolations().map(\.invariant) == ["ct_not_in_q"])
    var lost = state
    lost.readyQueues[Self.priority50] = nil
    #expect(lost.schedInvariantViolations().map(\.invariant) == ["valid_blocked"])
    var misplaced = state
    misplaced.readyQueues[Self.priority50] = nil
    misplaced.readyQueues[ReadyQueueIndex(domain: 0, priority: 51)] = [T.low]
    // In the wrong queue, but queued: l4v-rt's valid_blocked asks only that a runnable thread be in
    // some ready queue (not_queued is "in none"), so valid_ready_qs alone sees the misplacement.
    #expect(misplaced.schedInvariantViolations().map(\.invariant) == ["valid_ready_qs"])
    state.schedulerAction = .chooseNewThread
    #expect(state.schedInvariantViolations().map(\.invariant) == ["valid_sched_action"])
  }

  @Test func executableInvariantsCatchABrokenBitmapOrFlag() {
    var state = ExecState(plan: .sample)
    #expect(state.schedInvariantViolations() == [])
    var stale = state
    stale.ksReadyQueuesBitmap[0].addToBitmap(7)
    #expect(stale.schedInvariantViolations().map(\.invariant) == ["valid_bitmaps"])
    var flag = state
    flag.ksReadyQueues[Self.priority50] = nil
    flag.ksReadyQueuesBitmap[0].removeFromBitmap(50)
    #expect(flag.schedInvariantViolations().map(\.invariant) == ["valid_queues'", "valid_blocked'"])
    state.ksPSpace[T.secondSC] = .schedContext(ExecutableSpec.SchedContext(sizeBits: 8, tcb: nil, refillMax: 2))
    #expect(
      state.schedInvariantViolations().map(\.conjunct).contains("sc_tcb'"),
      "a thread naming an SC that does not name it back")
  }

  @Test func kernelInvariantsCatchABrokenList() {
    let state = KernelState(plan: .sample)
    #expect(state.schedInvariantViolations() == [])
    // A queued thread's prev link that does not answer its predecessor's next.
    var prev = state
    prev.store(T.second &+ ObjectLayout.tcbSchedPrev, T.low)
    #expect(prev.schedInvariantViolations().map(\.invariant).contains("sym_heap_sched_pointers"))
    // A loop.
    var loop = state
    loop.store(T.second &+ ObjectLayout.tcbSchedNext, T.second)
    #expect(loop.schedInvariantViolations().map(\.invariant).contains("sym_heap_sched_pointers"))
    // An unqueued thread with a link.
    var link = state
    link.store(S.mainTCB &+ ObjectLayout.tcbSchedNext, T.low)
    #expect(link.schedInvariantViolations().map(\.invariant) == ["valid_sched_pointers"])
    // A bitmap bit for an empty queue.
    var bit = state
    bit.store(GlobalsLayout.frame &+ GlobalsLayout.l2Bitmap(0, 3), 1 << 7 | 1 << 50)
    #expect(bit.schedInvariantViolations().map(\.invariant) == ["valid_bitmaps"])
  }

  /// R1 reads the queues from the lists, not from the bitmap or the flags: a link written in a
  /// thread's words, and nothing else, breaks it (the incremental check re-walks the queues when
  /// the kernel wrote a thread).
  @Test func aCorruptedLinkBreaksR1() {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    checker.kernel.store(T.second &+ ObjectLayout.tcbSchedNext, T.low)
    #expect(checker.verify() != nil)
  }

  // MARK: - Plans

  @Test func aPlanMustGiveTheCurrentThreadASchedContext() {
    var plan = SystemPlan.sample
    plan.threads[0].schedContext = nil
    #expect(plan.validate().contains { $0.contains("no configured scheduling context") })
    var unconfigured = SystemPlan.sample
    unconfigured.schedContexts = [:]
    #expect(unconfigured.validate().contains { $0.contains("no configured scheduling context") })
    var twice = SystemPlan.sample
    twice.threads[1].schedContext = S.schedContext
    #expect(twice.validate().contains { $0.contains("bound to two threads") })
    #expect(SystemPlan.sample.validate() == [])
  }

  /// A plan written before threads had scheduling contexts decodes with none bound.
  @Test func oldPlansDecode() throws {
    let json = #"{"tcb": 4096, "state": "running", "priority": 7, "maxControlledPriority": 9}"#
    let thread = try JSONDecoder().decode(SystemPlan.Thread.self, from: Data(json.utf8))
    #expect(thread.priority == 7 && thread.domain == 0 && thread.schedContext == nil)
  }
}

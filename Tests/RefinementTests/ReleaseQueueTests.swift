// The MCS release queue in all three layers: tcbReleaseEnqueue's order (by the head refill's
// release time, first in first out among equal times; seL4's prepend, append and middle
// insertion), tcbReleaseRemove at the head, middle and end, tcbReleaseDequeue, and the scheduler
// ignoring a thread in the release queue. Nothing in a trace puts a thread there yet (that comes
// with time), so the operations are called directly on each layer, the same sequence on all
// three, and the lockstep checker's full and incremental checks (R1, R2, invariants) run after
// each. Then each invariant and relation clause is shown to fail on one layer's corrupted queue.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import SMT
import TestSupport
import Testing

@testable import AbstractSpec
@testable import ExecutableSpec
@testable import Kernel
@testable import Refinement

@Suite struct ReleaseQueueTests {
  typealias T = SystemPlan.Threads
  /// The sample's three threads and their scheduling contexts: the current one, the second (ready
  /// at priority 100) and the low one (ready at priority 50).
  static let threads: [(tcb: ObjectRef, sc: ObjectRef)] = [
    (S.mainTCB, S.schedContext), (T.second, T.secondSC), (T.low, T.lowSC),
  ]

  /// A checker on the sample, verified, with each scheduling context's head refill released at
  /// `times` (in the order of `threads`).
  func checker(times: [UInt64]) -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample)
    alignBoot(&checker)
    for (thread, time) in zip(Self.threads, times) { setHeadRefill(&checker, thread.sc, rTime: time) }
    // The time now the latest release time, so that the ready threads' contexts are released
    // (`valid_ready_qs`'s `released_sc`).
    let now = times.max() ?? 0
    checker.abstract.curTime = now
    checker.abstract.clock = now
    checker.exec.ksCurTime = now
    checker.exec.clock = now
    checker.kernel.ksCurTime = now
    checker.kernel.clock = now
    let verified = checker.verify()
    #expect(verified == nil, "\(verified.map { "\($0)" } ?? "")")
    return checker
  }

  /// Boot as the other layers have it where the branch this one starts from does not yet (its
  /// boot is being finished beside this work): the kernel's `ksCurSC`, and each abstract
  /// scheduling context's refills the executable spec's buffer window. Once boot writes both,
  /// this changes nothing.
  func alignBoot(_ checker: inout LockstepChecker) {
    checker.kernel.ksCurSC = checker.exec.ksCurSC
    for (address, object) in checker.exec.ksPSpace {
      guard case .schedContext(let sc) = object else { continue }
      checker.abstract.updateSchedContext(address) { $0.refills = ExecState.refillsMap(sc) }
    }
  }

  /// Make the scheduling context at `sc` a sporadic server with one refill, (`rTime`, 100), and a
  /// period of 1,000 ticks in every layer (valid refills: `active_sc_valid_refills` holds): the
  /// abstract list of live refills, and slot 0 of the buffer (head = tail = 0) below.
  func setHeadRefill(_ checker: inout LockstepChecker, _ sc: ObjectRef, rTime: UInt64) {
    let period: UInt64 = 1_000
    let refill = Refill<UInt64>(rTime: rTime, rAmount: 5 * TimeConfig.minBudget)
    checker.abstract.updateSchedContext(sc) {
      $0.refills = [refill]
      $0.budget = refill.rAmount
      $0.period = period
    }
    checker.exec.updateSchedContext(sc) { $0.scPeriod = period }
    checker.kernel.store(sc &+ ObjectLayout.scPeriod, period)
    var buffer =
      checker.exec.schedContext(at: sc)?.refillBuffer ?? RefillBuffer(refillMax: 0, head: 0, tail: 0, slots: [])
    buffer.head = 0
    buffer.tail = 0
    if buffer.slots.isEmpty { buffer.slots = [refill] } else { buffer.slots[0] = refill }
    checker.exec.updateSchedContext(sc) { $0.setRefillBuffer(buffer) }
    checker.kernel.storeRefillBuffer(buffer, of: sc)
  }

  /// Run one operation on each layer.
  func each(
    _ checker: inout LockstepChecker, _ abstract: (inout AbstractState) -> Void, _ exec: (inout ExecState) -> Void,
    _ kernel: (inout KernelState) -> Void
  ) {
    abstract(&checker.abstract)
    exec(&checker.exec)
    kernel(&checker.kernel)
  }

  /// Put `thread` in the release queue as seL4's `postpone` does: out of its ready queue first.
  func enqueue(_ checker: inout LockstepChecker, _ thread: ObjectRef) {
    each(&checker) {
      $0.tcbSchedDequeue(thread)
      $0.tcbReleaseEnqueue(thread)
    } _: {
      $0.tcbSchedDequeue(thread)
      $0.tcbReleaseEnqueue(thread)
    } _: {
      $0.tcbSchedDequeue(thread)
      $0.tcbReleaseEnqueue(thread)
    }
  }

  /// Take `thread` out of the release queue; a thread other than the current one then goes back
  /// to its ready queue (so that `valid_blocked` holds: a thread that can run is queued).
  func remove(_ checker: inout LockstepChecker, _ thread: ObjectRef) {
    each(&checker) {
      $0.tcbReleaseRemove(thread)
    } _: {
      $0.tcbReleaseRemove(thread)
    } _: {
      $0.tcbReleaseRemove(thread)
    }
    requeue(&checker, thread)
  }

  /// A thread other than the current one back at the head of its ready queue.
  func requeue(_ checker: inout LockstepChecker, _ thread: ObjectRef) {
    guard thread != S.mainTCB else { return }
    each(&checker) {
      $0.tcbSchedEnqueue(thread)
    } _: {
      $0.tcbSchedEnqueue(thread)
    } _: {
      $0.tcbSchedEnqueue(thread)
    }
  }

  /// The release queue as each layer keeps it: the abstract list, the executable spec's, and the
  /// kernel's walked from its head word.
  func queues(_ checker: LockstepChecker) -> [[ObjectRef]] {
    [checker.abstract.releaseQueue, checker.exec.ksReleaseQueue, checker.kernel.releaseQueueWalk().threads]
  }

  /// The three layers hold `expected`, the kernel's list is well formed with every flag right,
  /// and the incremental check (which must see the writes) and the full check both pass.
  func expectQueue(
    _ checker: inout LockstepChecker, _ expected: [ObjectRef], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(queues(checker) == [expected, expected, expected], sourceLocation: sourceLocation)
    #expect(checker.kernel.releaseQueueWalk().problem == nil, sourceLocation: sourceLocation)
    for (thread, _) in Self.threads {
      let member = expected.contains(thread)
      #expect(checker.exec.tcb(at: thread)?.tcbInReleaseQueue == member, sourceLocation: sourceLocation)
      #expect(checker.kernel.isInReleaseQueue(thread) == member, sourceLocation: sourceLocation)
    }
    let incremental = checker.checkIncremental(event: nil)
    #expect(incremental == nil, "\(incremental.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    let full = checker.verify()
    #expect(full == nil, "\(full.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
  }

  // MARK: - Enqueue order

  @Test func equalTimesStayFirstInFirstOut() {
    var checker = checker(times: [5, 5, 5])
    enqueue(&checker, T.low)
    enqueue(&checker, T.second)
    enqueue(&checker, S.mainTCB)
    expectQueue(&checker, [T.low, T.second, S.mainTCB])
  }

  /// An empty queue, then a time before the head's: prepended (`tcb_queue_prepend`).
  @Test func anEarlierTimeGoesToTheHead() {
    var checker = checker(times: [3, 7, 5])
    enqueue(&checker, T.second)
    expectQueue(&checker, [T.second])
    enqueue(&checker, T.low)
    expectQueue(&checker, [T.low, T.second])
    enqueue(&checker, S.mainTCB)
    expectQueue(&checker, [S.mainTCB, T.low, T.second])
  }

  /// A time at or after the end's: appended (`tcb_queue_append`), an equal one too.
  @Test func aLaterOrEqualTimeGoesToTheEnd() {
    var checker = checker(times: [9, 2, 9])
    enqueue(&checker, T.second)
    enqueue(&checker, T.low)
    expectQueue(&checker, [T.second, T.low])
    enqueue(&checker, S.mainTCB)
    expectQueue(&checker, [T.second, T.low, S.mainTCB])
  }

  /// A time between the head's and the end's: before the first later thread
  /// (`find_time_after`, `tcb_queue_insert`), after an equal one.
  @Test func aTimeInBetweenGoesInTheMiddle() {
    var checker = checker(times: [4, 1, 8])
    enqueue(&checker, T.second)
    enqueue(&checker, T.low)
    enqueue(&checker, S.mainTCB)
    expectQueue(&checker, [T.second, S.mainTCB, T.low])
    // Equal to the head's time, before the end's: after the head (`time_after` walks past it).
    var equal = self.checker(times: [9, 1, 1])
    enqueue(&equal, T.second)
    enqueue(&equal, S.mainTCB)
    enqueue(&equal, T.low)
    expectQueue(&equal, [T.second, T.low, S.mainTCB])
  }

  /// A thread already in the release queue is left where it is.
  @Test func enqueueingAQueuedThreadChangesNothing() {
    var checker = checker(times: [1, 2, 3])
    enqueue(&checker, T.second)
    enqueue(&checker, T.low)
    enqueue(&checker, T.second)
    expectQueue(&checker, [T.second, T.low])
  }

  // MARK: - Remove and dequeue

  @Test(arguments: [(0, "head"), (1, "middle"), (2, "end")])
  func removeAnyPosition(position: Int, name: String) {
    var checker = checker(times: [1, 2, 3])
    let order = [S.mainTCB, T.second, T.low]
    for thread in order { enqueue(&checker, thread) }
    expectQueue(&checker, order)
    remove(&checker, order[position])
    var rest = order
    rest.remove(at: position)
    expectQueue(&checker, rest)
    // The removed thread's links are cleared (`valid_sched_pointers`); removing it again does
    // nothing.
    #expect(checker.kernel.schedLinks(of: order[position]) == (0, 0), "\(name)")
    remove(&checker, order[position])
    expectQueue(&checker, rest)
  }

  @Test func dequeueTakesTheHeadUntilEmpty() {
    var checker = checker(times: [6, 2, 4])
    for thread in [S.mainTCB, T.second, T.low] { enqueue(&checker, thread) }
    expectQueue(&checker, [T.second, T.low, S.mainTCB])
    for expected in [T.second, T.low, S.mainTCB] {
      var taken: [ObjectRef?] = []
      each(&checker) {
        taken.append($0.tcbReleaseDequeue())
      } _: {
        taken.append($0.tcbReleaseDequeue())
      } _: {
        taken.append($0.tcbReleaseDequeue())
      }
      #expect(taken == [expected, expected, expected])
      requeue(&checker, expected)
    }
    expectQueue(&checker, [])
    var none: [ObjectRef?] = []
    each(&checker) {
      none.append($0.tcbReleaseDequeue())
    } _: {
      none.append($0.tcbReleaseDequeue())
    } _: {
      none.append($0.tcbReleaseDequeue())
    }
    #expect(none == [nil, nil, nil])
  }

  // MARK: - The scheduler and the release queue

  /// A runnable thread with an active scheduling context is not schedulable while it waits, and
  /// `possibleSwitchTo` leaves it alone; out of the queue, both see it again.
  @Test func aThreadInTheReleaseQueueIsNotSchedulable() {
    var checker = checker(times: [1, 2, 3])
    let layersSchedulable = { (c: LockstepChecker) in
      [c.abstract.isSchedulable(T.second), c.exec.isSchedulable(T.second), c.kernel.isSchedulable(T.second)]
    }
    #expect(layersSchedulable(checker) == [true, true, true])
    enqueue(&checker, T.second)
    #expect(layersSchedulable(checker) == [false, false, false])
    each(&checker) {
      $0.possibleSwitchTo(T.second)
    } _: {
      $0.possibleSwitchTo(T.second)
    } _: {
      $0.possibleSwitchTo(T.second)
    }
    #expect(checker.abstract.schedulerAction == .resumeCurrentThread)
    #expect(checker.exec.ksSchedulerAction == .resumeCurrentThread)
    #expect(checker.kernel.ksSchedulerAction == .resumeCurrentThread)
    #expect(!checker.abstract.isQueued(T.second) && checker.exec.tcb(at: T.second)?.tcbQueued == false)
    remove(&checker, T.second)
    #expect(layersSchedulable(checker) == [true, true, true])
  }

  /// Suspending a thread (here by deleting its last cap) and deleting its scheduling context take
  /// it out of the release queue, as seL4's `suspend` and `schedContext_unbindTCB` do.
  @Test func deletionRemovesFromTheReleaseQueue() {
    var checker = checker(times: [1, 2, 3])
    enqueue(&checker, T.second)
    enqueue(&checker, T.low)
    // Released after the time now (3), so that the steps' `awaken` leaves them queued.
    setHeadRefill(&checker, T.secondSC, rTime: 12)
    setHeadRefill(&checker, T.lowSC, rTime: 13)
    expectQueue(&checker, [T.second, T.low])
    let (_, deleteThread) = checker.step(cnodeDelete(.root(T.secondSlot)))
    #expect(deleteThread == nil, "\(deleteThread.map { "\($0)" } ?? "")")
    #expect(queues(checker) == [[T.low], [T.low], [T.low]])
    let (_, deleteSC) = checker.step(cnodeDelete(.root(T.lowSCSlot)))
    #expect(deleteSC == nil, "\(deleteSC.map { "\($0)" } ?? "")")
    #expect(queues(checker) == [[], [], []])
    #expect(checker.kernel.releaseQueueEnds() == (0, 0))
    #expect(!checker.kernel.isInReleaseQueue(T.low) && checker.exec.tcb(at: T.low)?.tcbInReleaseQueue == false)
  }

  // MARK: - Each invariant and relation clause can fail

  func enqueuedThree(times: [UInt64] = [1, 2, 3]) -> LockstepChecker {
    var checker = checker(times: times)
    for thread in [S.mainTCB, T.second, T.low] { enqueue(&checker, thread) }
    #expect(checker.verify() == nil)
    return checker
  }

  @Test func abstractInvariantsCatchABrokenReleaseQueue() {
    let state = enqueuedThree().abstract
    #expect(state.validReleaseQ() == [] && state.readyOrRelease() == [])
    var unsorted = state
    unsorted.releaseQueue = [T.second, S.mainTCB, T.low]
    #expect(unsorted.schedInvariantViolations().map(\.invariant) == ["valid_release_q"])
    var twice = state
    twice.releaseQueue = [S.mainTCB, T.second, T.second, T.low]
    #expect(twice.schedInvariantViolations().map(\.invariant) == ["valid_release_q"])
    var stopped = state
    stopped.updateTCB(T.low) { $0.state = .inactive }
    #expect(stopped.validReleaseQ().count == 1)
    var inactive = state
    inactive.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    #expect(inactive.validReleaseQ().count == 1)
    var both = state
    both.readyQueues[ReadyQueueIndex(domain: 0, priority: 50)] = [T.low]
    #expect(both.readyOrRelease().count == 1)
    #expect(both.schedInvariantViolations().map(\.invariant).contains("ready_or_release"))
  }

  @Test func executableInvariantsCatchABrokenReleaseQueue() {
    let state = enqueuedThree().exec
    #expect(state.validReleaseQueue() == [] && state.readyOrRelease() == [])
    var flag = state
    flag.ksReleaseQueue = [S.mainTCB, T.second]
    // (The low thread, in no queue's list, is lost as well: `valid_blocked'`.)
    #expect(flag.schedInvariantViolations().map(\.invariant) == ["valid_blocked'", "valid_release_queue'"])
    var twice = state
    twice.ksReleaseQueue = [S.mainTCB, T.second, T.low, T.low]
    #expect(twice.schedInvariantViolations().map(\.invariant) == ["valid_release_queue'"])
    var both = state
    both.updateTCB(T.low) { $0.tcbQueued = true }
    #expect(both.readyOrRelease().map(\.invariant) == ["ready_or_release'"])
  }

  @Test func kernelInvariantsCatchABrokenReleaseQueue() {
    let state = enqueuedThree().kernel
    #expect(state.schedInvariantViolations() == [])
    // A dangling link: the middle thread's next names something that is no TCB.
    var dangling = state
    dangling.store(T.second &+ ObjectLayout.tcbSchedNext, 0x1234_5000)
    #expect(dangling.schedInvariantViolations().map(\.invariant).contains("sym_heap_sched_pointers"))
    // A prev link that does not answer.
    var prev = state
    prev.store(T.low &+ ObjectLayout.tcbSchedPrev, S.mainTCB)
    #expect(prev.schedInvariantViolations().map(\.invariant).contains("sym_heap_sched_pointers"))
    // The end word names the middle thread.
    var end = state
    end.store(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueEnd, T.second)
    #expect(end.schedInvariantViolations().map(\.invariant).contains("sym_heap_sched_pointers"))
    // A member's flag cleared.
    var flag = state
    flag.store(
      T.low &+ ObjectLayout.tcbState,
      ObjectLayout.tcbInReleaseQueue.set(state.memory.word(T.low &+ ObjectLayout.tcbState), to: 0))
    #expect(flag.schedInvariantViolations().map(\.invariant).contains("valid_release_queue'"))
    // Both flags.
    var both = state
    both.store(
      T.low &+ ObjectLayout.tcbState,
      ObjectLayout.tcbQueued.set(state.memory.word(T.low &+ ObjectLayout.tcbState), to: 1))
    #expect(both.schedInvariantViolations().map(\.invariant).contains("ready_or_release'"))
  }

  /// R1 reads the release queue from the kernel's list and flags; R2 relates the executable
  /// spec's list to the abstract one. A change to one layer alone breaks the check, full and
  /// incremental.
  @Test func aCorruptedQueueInOneLayerBreaksTheRelations() {
    // The kernel's order differs (head word names the second thread, links rewired).
    // Equal times, so that every reordering below is still sorted: only the relations can object.
    let same: [UInt64] = [4, 4, 4]
    var kernelOrder = enqueuedThree(times: same)
    kernelOrder.kernel.store(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueHead, T.second)
    kernelOrder.kernel.store(T.second &+ ObjectLayout.tcbSchedPrev, 0)
    kernelOrder.kernel.store(T.second &+ ObjectLayout.tcbSchedNext, S.mainTCB)
    kernelOrder.kernel.store(S.mainTCB &+ ObjectLayout.tcbSchedPrev, T.second)
    kernelOrder.kernel.store(S.mainTCB &+ ObjectLayout.tcbSchedNext, T.low)
    kernelOrder.kernel.store(T.low &+ ObjectLayout.tcbSchedPrev, S.mainTCB)
    #expect(kernelOrder.kernel.releaseQueueWalk() == ([T.second, S.mainTCB, T.low], nil))
    var incremental = kernelOrder
    #expect(incremental.checkIncremental(event: nil) != nil)
    #expect(kernelOrder.verify() != nil)
    // The executable spec's list alone differs (flags still right): R1 and R2 both see it.
    var execOrder = enqueuedThree(times: same)
    execOrder.exec.ksReleaseQueue = [T.second, S.mainTCB, T.low]
    var execIncremental = execOrder
    #expect(execIncremental.checkIncremental(event: nil) != nil)
    #expect(execOrder.verify() != nil)
    // The abstract list alone differs: R2.
    var abstractOrder = enqueuedThree(times: same)
    abstractOrder.abstract.releaseQueue = [S.mainTCB, T.low, T.second]
    var abstractIncremental = abstractOrder
    #expect(abstractIncremental.checkIncremental(event: nil) != nil)
    #expect(abstractOrder.verify() != nil)
    // A kernel flag alone: R1 (tcb_relation).
    var kernelFlag = enqueuedThree(times: same)
    kernelFlag.kernel.store(
      T.low &+ ObjectLayout.tcbState,
      ObjectLayout.tcbInReleaseQueue.set(kernelFlag.kernel.memory.word(T.low &+ ObjectLayout.tcbState), to: 0))
    #expect(kernelFlag.checkIncremental(event: nil) != nil)
  }
}

/// The release queue's ordering obligations, proved of the shared code and refuted by its mutants.
@Suite struct ReleaseQueueObligationTests {
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  func refuted(_ obligations: [Obligation]) -> Set<String> {
    Set(discharger.discharge(obligations).filter { $0.status == .refuted }.map(\.name))
  }

  @Test func theSharedOrderIsProved() {
    let results = discharger.discharge(Obligation.releaseQueue())
    #expect(results.map(\.name) == ["kernel.releaseQueue.insertKeepsSorted", "kernel.releaseQueue.insertIsStable"])
    for result in results { #expect(result.status == .proved, "\(result.name): \(result.status)") }
  }

  @Test(arguments: [
    ("time_after compares with <", ["kernel.releaseQueue.insertIsStable"]),
    ("the prepend test compares with ≤", ["kernel.releaseQueue.insertIsStable"]),
    (
      "the prepend test reversed", ["kernel.releaseQueue.insertKeepsSorted", "kernel.releaseQueue.insertIsStable"]
    ),
  ])
  func aBrokenOrderIsRefuted(mutant: String, expected: [String]) throws {
    let code = try #require(Mutants.releaseQueueMutants.first { $0.0 == mutant }?.1)
    #expect(refuted(Obligation.releaseQueue(code)) == Set(expected))
  }

  /// The shared position on concrete keys: seL4's three cases.
  @Test func insertPositionOnWords() {
    let keys: [UInt64] = [2, 4, 4, 7]
    #expect(ReleaseQueue.insertPosition(keys: [UInt64](), newKey: 5) == 0)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: 1) == 0)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: 2) == 1)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: 4) == 3)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: 5) == 3)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: 7) == 4)
    #expect(ReleaseQueue.insertPosition(keys: keys, newKey: .max) == 4)
  }
}

// SchedControl_ConfigureFlags in the executable spec (`ExecutableSpec/SchedControl.swift`): the
// decoding checks in seL4's order (each failing alone, and with the next one also failing), round
// robin and sporadic configurations, a running context reconfigured (`refill_update`), the badge
// and the sporadic flag, and the refills each leaves. No time passes, so every refill starts at 0.

import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedControlTests {
  typealias T = SystemPlan.Threads

  /// What these tests read of a scheduling context: the live refills, period, limit, badge, flag.
  struct Context: Equatable {
    var refills: [Refill<UInt64>]
    var period: UInt64
    var refillMax: UInt64
    var badge: UInt64
    var sporadic: Bool
  }

  /// The scheduling context at `sc`, its refills the buffer's live window.
  func context(_ k: ExecState, _ sc: ObjectRef) -> Context? {
    k.schedContext(at: sc).map {
      Context(
        refills: $0.refillBuffer.liveRefills, period: $0.scPeriod, refillMax: $0.refillMax, badge: $0.scBadge,
        sporadic: $0.scSporadic)
    }
  }

  @Test(arguments: ConfigureFlagsChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) {
    var layer = LayerUnderTest(.executable, plan: .sampleWithSpareSC)
    layer.expectError(ConfigureFlagsChecks.failing(index), ConfigureFlagsChecks.checks[index].error)
  }

  @Test(arguments: ConfigureFlagsChecks.checks.indices.dropLast())
  func eachCheckComesBeforeTheNext(_ index: Int) {
    var layer = LayerUnderTest(.executable, plan: .sampleWithSpareSC)
    layer.expectError(ConfigureFlagsChecks.failingWithNext(index), ConfigureFlagsChecks.checks[index].error)
  }

  @Test func theSmallestContextTakesNoExtraRefill() {
    var layer = LayerUnderTest(.executable, plan: .sampleWithSpareSC)
    layer.expectError(
      configureFlags(SpareSC.cptr, budget: 40, period: 100, extraRefills: 1), .rangeError(min: 0, max: 0))
    // A budget of UInt64.max µs is refused before it is converted to ticks.
    layer.expectError(
      configureFlags(SpareSC.cptr, budget: .max, period: 100),
      .rangeError(min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds))
  }

  @Test func budgetEqualToPeriodIsRoundRobin() {
    var k = ExecState(plan: .sampleWithSpareSC)
    let before = k
    expectSuccess(k.run(configureFlags(SpareSC.cptr, budget: 100, period: 100, badge: 0xBAD, flags: 1)))
    let sc = context(k, SpareSC.address)
    #expect(sc?.refills == refills([(0, 1_000), (0, 0)]))
    #expect(sc?.period == 0 && sc?.refillMax == KernelConstants.minRefills)
    #expect(sc?.badge == 0xBAD && sc?.sporadic == true)
    #expect(k.ksCurThread == S.mainTCB && k.ksReadyQueues == before.ksReadyQueues)
  }

  @Test func budgetBelowPeriodIsASporadicServerStartingNow() {
    var k = ExecState(plan: .sampleWithSpareSC)
    expectSuccess(k.run(configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: 3, flags: 0)))
    let sc = context(k, SpareSC.address)
    #expect(sc?.refills == refills([(0, 400)]))
    #expect(sc?.period == 1_000 && sc?.refillMax == 2 && sc?.badge == 3 && sc?.sporadic == false)
    // Extra refills raise the limit (the main thread's 2^8-byte context has room for 8 more).
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 100, period: 100)))
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 300, period: 1_000, extraRefills: 8)))
    #expect(context(k, S.schedContext)?.refillMax == 10)
  }

  @Test func aRunningContextKeepsItsHeadsBandwidth() {
    var k = ExecState(plan: .sampleWithSpareSC)
    // Round robin first (refill_new), then three sporadic reconfigurations of the running thread's
    // own context (active, its thread runnable: refill_update).
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 1_000, period: 1_000)))
    #expect(context(k, S.schedContext)?.refills == refills([(0, 10_000), (0, 0)]))
    // The head holds 10,000 ≥ 5,000: trimmed to the new budget, alone.
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 500, period: 1_000, extraRefills: 2)))
    #expect(context(k, S.schedContext)?.refills == refills([(0, 5_000)]))
    #expect(context(k, S.schedContext)?.refillMax == 4 && context(k, S.schedContext)?.period == 10_000)
    // The head holds 5,000 < 8,000: the other 3,000 come one period after it.
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 800, period: 1_000, extraRefills: 2)))
    #expect(context(k, S.schedContext)?.refills == refills([(0, 5_000), (10_000, 3_000)]))
    // Back to 200 µs: only the head is kept, cut to 2,000.
    expectSuccess(k.run(configureFlags(mainSCCptr, budget: 200, period: 1_000)))
    #expect(context(k, S.schedContext)?.refills == refills([(0, 2_000)]))
    #expect(context(k, S.schedContext)?.refillMax == 2)
    // The current thread was dequeued and the scheduler chose afresh: main, at the head of its
    // priority, runs on; `second` still waits.
    #expect(k.ksCurThread == S.mainTCB)
    #expect(k.readyQueue(ReadyQueueIndex(domain: 0, priority: 100)) == [T.second])
  }

  @Test func aWaitingThreadsContextIsOfferedToTheSchedulerAgain() {
    var k = ExecState(plan: .sampleWithSpareSC)
    expectSuccess(k.run(configureFlags(S.cptr(root: T.lowSCSlot), budget: 100, period: 100)))
    #expect(context(k, T.lowSC)?.refills == refills([(0, 1_000), (0, 0)]))
    #expect(k.readyQueue(ReadyQueueIndex(domain: 0, priority: 50)) == [T.low])
    #expect(k.ksCurThread == S.mainTCB)
  }

  @Test func aStoppedThreadsContextStartsAfresh() {
    var k = ExecState(plan: .sampleWithSpareSC)
    expectSuccess(k.run(invoke(S.cptr(root: T.secondSlot), .tcbSuspend, [])))
    // Active, but its thread cannot run: refill_new, and the thread is not queued.
    expectSuccess(k.run(configureFlags(S.cptr(root: T.secondSCSlot), budget: 300, period: 1_000, extraRefills: 1)))
    #expect(context(k, T.secondSC)?.refills == refills([(0, 3_000)]))
    #expect(context(k, T.secondSC)?.refillMax == 3)
    #expect(k.tcb(at: T.second)?.tcbQueued == false)
  }

  @Test func theSporadicFlagIsBitZeroAndTheBadgeAWord() {
    var k = ExecState(plan: .sampleWithSpareSC)
    for (flags, sporadic) in [(UInt64(3), true), (2, false), (1, true), (0, false)] {
      expectSuccess(k.run(configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: .max &- flags, flags: flags)))
      #expect(context(k, SpareSC.address)?.sporadic == sporadic, "flags \(flags)")
      #expect(context(k, SpareSC.address)?.badge == .max &- flags)
    }
  }
}

// SchedControl_ConfigureFlags through the lockstep checker (R1, R2, observations and every layer's
// invariants after each step): every decoding error in seL4's order, round robin and sporadic
// configurations of a spare context, of the running thread's own context (reconfigured by
// `refill_update`), of a waiting thread's and of a stopped thread's; the refills, badge and flag
// read in all three layers. Two kernels that depart from seL4 (the badge forgotten; the target cap
// checked before the budget and period, as l4v's HE_proofs abstract decode orders it) are caught.

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct SchedControlTests {
  typealias T = SystemPlan.Threads

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(
      failure == nil, "\(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// The live refills, period, badge and sporadic flag of `sc` in each layer.
  func configuration(_ checker: LockstepChecker, _ sc: ObjectRef) -> [String] {
    var rows: [String] = []
    if let a = checker.abstract.schedContext(at: sc) {
      rows.append("\(a.refills) \(a.period) \(a.refillMax) \(a.badge) \(a.sporadic)")
    }
    if let e = checker.exec.schedContext(at: sc) {
      rows.append("\(e.refillBuffer.liveRefills) \(e.scPeriod) \(e.refillMax) \(e.scBadge) \(e.scSporadic)")
    }
    if let buffer = checker.kernel.refillBuffer(of: sc) {
      let k = checker.kernel
      rows.append(
        "\(buffer.liveRefills) \(k.scPeriod(of: sc) ?? 0) \(buffer.refillMax) \(k.scBadge(of: sc) ?? 0) "
          + "\(k.scSporadic(of: sc) == 1)")
    }
    return rows
  }

  func all(_ refills: [Refill<UInt64>], period: UInt64, refillMax: UInt64, badge: UInt64, sporadic: Bool) -> [String] {
    Array(repeating: "\(refills) \(period) \(refillMax) \(badge) \(sporadic)", count: 3)
  }

  @Test func everyErrorInSeL4OrderAgreesInEveryLayer() {
    var checker = LockstepChecker(plan: .sampleWithSpareSC)
    for (index, check) in ConfigureFlagsChecks.checks.enumerated() {
      expectError(step(&checker, ConfigureFlagsChecks.failing(index)), check.error)
      if index + 1 < ConfigureFlagsChecks.checks.count {
        expectError(step(&checker, ConfigureFlagsChecks.failingWithNext(index)), check.error)
      }
    }
    expectError(
      step(&checker, configureFlags(SpareSC.cptr, budget: 40, period: 100, extraRefills: 1)),
      .rangeError(min: 0, max: 0))
  }

  @Test func configurationsAgreeInEveryLayer() {
    var checker = LockstepChecker(plan: .sampleWithSpareSC)
    // A spare context: round robin, then a sporadic server (both refill_new: no thread).
    expectSuccess(step(&checker, configureFlags(SpareSC.cptr, budget: 100, period: 100, badge: 0xBAD, flags: 1)))
    #expect(
      configuration(checker, SpareSC.address)
        == all(refills([(0, 1_000), (0, 0)]), period: 0, refillMax: 2, badge: 0xBAD, sporadic: true))
    expectSuccess(step(&checker, configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: 3, flags: 2)))
    #expect(
      configuration(checker, SpareSC.address)
        == all(refills([(0, 400)]), period: 1_000, refillMax: 2, badge: 3, sporadic: false))
    // The running thread's own context: round robin, then refill_update trims and extends it.
    expectSuccess(step(&checker, configureFlags(mainSCCptr, budget: 1_000, period: 1_000)))
    expectSuccess(step(&checker, configureFlags(mainSCCptr, budget: 500, period: 1_000, extraRefills: 2, flags: 1)))
    #expect(
      configuration(checker, S.schedContext)
        == all(refills([(0, 5_000)]), period: 10_000, refillMax: 4, badge: 0, sporadic: true))
    expectSuccess(step(&checker, configureFlags(mainSCCptr, budget: 800, period: 1_000, extraRefills: 8, badge: 9)))
    #expect(
      configuration(checker, S.schedContext)
        == all(refills([(0, 5_000), (10_000, 3_000)]), period: 10_000, refillMax: 10, badge: 9, sporadic: false))
    // A waiting thread's context (`low`, queued): round robin, then refill_update; it is queued again.
    expectSuccess(step(&checker, configureFlags(S.cptr(root: T.lowSCSlot), budget: 100, period: 100)))
    expectSuccess(step(&checker, configureFlags(S.cptr(root: T.lowSCSlot), budget: 50, period: 200)))
    #expect(
      configuration(checker, T.lowSC)
        == all(refills([(0, 500)]), period: 2_000, refillMax: 2, badge: 0, sporadic: false))
    #expect(checker.abstract.readyQueue(ReadyQueueIndex(domain: 0, priority: 50)) == [T.low])
    // A stopped thread's context (`second`, suspended): refill_new, and it stays unqueued.
    expectSuccess(step(&checker, invoke(S.cptr(root: T.secondSlot), .tcbSuspend, [])))
    expectSuccess(step(&checker, configureFlags(S.cptr(root: T.secondSCSlot), budget: 300, period: 1_000)))
    #expect(
      configuration(checker, T.secondSC)
        == all(refills([(0, 3_000)]), period: 10_000, refillMax: 2, badge: 0, sporadic: false))
    #expect(!checker.abstract.isQueued(T.second))
    #expect(checker.abstract.currentThread == S.mainTCB)
  }

  /// A kernel that forgets the badge (scBadge keeps its old word) is caught at the configuration.
  @Test func aKernelThatForgetsTheBadgeIsCaught() {
    var kernel = KernelState(plan: .sampleWithSpareSC)
    kernel.seams.schedControlBadge = { _ in 0 }
    var checker = LockstepChecker(plan: .sampleWithSpareSC, kernel: kernel)
    // Badge 0 is what the kernel writes anyway: nothing to see.
    #expect(checker.step(configureFlags(SpareSC.cptr, budget: 40, period: 100)).failure == nil)
    #expect(checker.step(configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: 7)).failure != nil)
  }

  /// A kernel that checks the target cap before the budget and period is caught when both are
  /// wrong: it answers InvalidCapability(1) where seL4 answers the range error.
  @Test func aKernelThatChecksTheTargetFirstIsCaught() {
    var kernel = KernelState(plan: .sampleWithSpareSC)
    kernel.seams.schedControlChecksTargetFirst = { true }
    var checker = LockstepChecker(plan: .sampleWithSpareSC, kernel: kernel)
    // Only one check failing: the same error either way.
    #expect(checker.step(ConfigureFlagsChecks.failing(8)).failure == nil)
    #expect(checker.step(ConfigureFlagsChecks.failing(7)).failure == nil)
    // The budget above the period and an endpoint cap as the target.
    #expect(checker.step(ConfigureFlagsChecks.failingWithNext(7)).failure != nil)
  }
}

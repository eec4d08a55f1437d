import KernelABI
import Refinement
import Testing

/// `refine-check bench`'s library part: a fixed workload, and a report whose figures fit together.
@Suite struct BenchTests {
  @Test func theWorkloadIsFixedBySeedAndIsTheCampaigns() {
    let a = BenchWorkload(plan: .sample, seed: 7, traces: 3, stepsPerTrace: 30)
    let b = BenchWorkload(plan: .sample, seed: 7, traces: 3, stepsPerTrace: 30)
    let c = BenchWorkload(plan: .sample, seed: 8, traces: 3, stepsPerTrace: 30)
    #expect(a.traces == b.traces)
    #expect(a.traces != c.traces)
    #expect(a.traces.count == 3 && a.traces.allSatisfy { $0.count <= 30 })
    // Trace i is the campaign's trace i: the same events the campaign runs.
    let campaign = CampaignOptions(seed: 7, traces: 3, stepsPerTrace: 30, jobs: 1)
    #expect(runTrace(plan: .sample, seed: campaign.traceSeed(1), length: 30).events == a.traces[1])
  }

  @Test func theReportsFiguresFitTogether() {
    let workload = BenchWorkload(plan: .sample, seed: 1, traces: 4, stepsPerTrace: 40)
    let report = runBench(
      workload: workload, options: BenchOptions(seed: 1, traces: 4, stepsPerTrace: 40, repetitions: 3, jobs: 2))
    #expect(report.steps == workload.steps && report.steps > 0)
    #expect(report.failures.isEmpty)
    #expect(report.checkedRuns.count == 3 && report.kernelRuns.count == 3 && report.checkedParallelRuns.count == 3)
    #expect(report.checkedRuns.sorted()[1] == report.checkedStepsPerSecond)
    #expect(report.kernelStepsPerSecond > 0 && report.checkedStepsPerSecond > 0)
    #expect(abs(report.overheadRatio - report.kernelStepsPerSecond / report.checkedStepsPerSecond) < 1e-9)
    #expect(abs(report.scaling - report.checkedStepsPerSecondParallel / report.checkedStepsPerSecond) < 1e-9)
    #expect(report.fullCheckStepsPerSecond == nil)
    #expect(!report.optimized)  // tests run a debug build
  }

  /// The large-CSpace workload really fills the CNode: every copy succeeds and lands where it
  /// says, with the original as its parent, and the report's figures come from those steps.
  @Test func theLargeCSpaceWorkloadCopiesOneCapIntoSuccessiveSlots() {
    typealias W = LargeCSpaceWorkload
    var checker = LockstepChecker(plan: W.plan)
    #expect(checker.verify() == nil)
    for event in W.events(copies: 30) {
      let (observation, failure) = checker.step(event)
      #expect(failure == nil)
      #expect(observation.reply == .success)
    }
    let last = SlotRef(W.rootCNode, W.firstCopySlot + 29)
    #expect(checker.abstract.getCap(last) == .endpoint(W.endpoint, badge: 0, rights: [.read, .write]))
    #expect(checker.abstract.cdt[last] == SlotRef(W.rootCNode, 3))
    #expect(W.events(copies: 1_000_000).count == W.maxCopies)

    let report = runLargeCSpaceBench(copies: 30, window: 10, repetitions: 3)
    #expect(report.failure == nil && report.copies == 30 && report.window == 10)
    #expect(report.earlyRuns.count == 3 && report.lateRuns.count == 3)
    #expect(report.earlyRuns.sorted()[1] == report.earlyMicrosecondsPerStep && report.earlyMicrosecondsPerStep > 0)
    #expect(report.growth > 0)
  }
}

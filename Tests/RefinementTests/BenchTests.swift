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
}

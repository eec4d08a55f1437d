import Kernel
import KernelABI
import Refinement
import Testing

/// Coverage-biased generation in lanes, time budgets and stopping at the first violation.
@Suite struct CampaignBiasTests {
  @Test func biasedCampaignReachesMorePairsThanUnbiasedWithTheSameBudget() {
    // Same seed, traces and steps. Measured on this plan (SystemPlan.sample): 94 pairs and 808
    // kernel paths biased against 88 and 588 unbiased (seed 1: 93 / 795 against 89 / 558). Since
    // the register methods joined the generator: 169 / 848 against 154 / 666 (with a bias that
    // aimed only the CNode and untyped operations, 149 pairs against 154: the TCB methods now
    // have a universe of their own, `CoverageBias`). Since Configure, SetSpace and SetFlags
    // joined: 176 / 917 against 173 / 776. Since the Kernel's fastpath decision for each Call and
    // ReplyRecv is a kernel path of its own (`fastpath.call.hit`, `fastpath.call.messageInfo`,
    // with the IPC operations in the generator, 2026-12-07): 184 / 830 against 162 / 663.
    let biased = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 1000, traces: 64, stepsPerTrace: 150, jobs: 2))
    let unbiased = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 1000, traces: 64, stepsPerTrace: 150, jobs: 2, biased: false))
    #expect(biased.traces == 64 && unbiased.traces == 64)
    #expect(
      biased.coverage.count > unbiased.coverage.count,
      "biased \(biased.coverage.count), unbiased \(unbiased.coverage.count)")
    #expect((biased.kernelPaths?.count ?? 0) > (unbiased.kernelPaths?.count ?? 0))
    #expect(biased.violations.isEmpty && unbiased.violations.isEmpty)
  }

  /// Configure and SetSpace cannot succeed (no cap is a VSpace root): the bias never counts `ok`
  /// as missing for them, while the other TCB methods miss it until they reach it.
  @Test func unreachableOutcomesAreNeverMissing() throws {
    var coverage = Coverage()
    coverage.record(.setFlags, "ok")
    coverage.record(.configure, "illegalOperation")
    let bias = try #require(CoverageBias(coverage))
    #expect(bias.missing[.configure] == [])
    #expect(bias.missing[.setSpace] == ["illegalOperation"])
    #expect(bias.missing[.setTLSBase] == ["illegalOperation", "ok"])
    #expect(bias.weights[.configure] == 1 && bias.weights[.setSpace] == 2 && bias.weights[.setTLSBase] == 3)
  }

  @Test func biasedCampaignIsTheSameForAnyNumberOfJobs() {
    let one = runCampaign(plan: .sample, options: CampaignOptions(seed: 5, traces: 40, stepsPerTrace: 60, jobs: 1))
    let two = runCampaign(plan: .sample, options: CampaignOptions(seed: 5, traces: 40, stepsPerTrace: 60, jobs: 2))
    #expect(one.steps == two.steps)
    #expect(one.coverage == two.coverage)
    #expect(one.kernelPaths == two.kernelPaths)
    #expect(one.biased == true)
  }

  @Test func biasComesOnlyFromCoverage() throws {
    // Nothing covered yet: no bias, so a lane's first trace is the unbiased trace of its seed.
    #expect(CoverageBias(Coverage()) == nil)
    var coverage = Coverage()
    coverage.record(.copy, "ok")
    coverage.record(.copy, "deleteFirst")
    coverage.record(.delete, "ok")
    let bias = try #require(CoverageBias(coverage))
    // Delete has not produced deleteFirst, which copy did: one missing outcome.
    #expect(bias.missing[.delete] == ["deleteFirst"] && bias.missing[.copy] == [])
    #expect(bias.weights[.delete] == 2 && bias.weights[.copy] == 1 && bias.weights[.retype] == 3)
    #expect(bias.malformedPercent[.retype] == 20 && bias.malformedPercent[.copy] == 10)
  }

  @Test func timeBudgetStopsStartingTracesAndSaysSo() {
    // A budget that is spent before the first trace: nothing runs, and the report says so.
    let report = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 1, traces: 10, stepsPerTrace: 50, jobs: 2, timeLimit: 1e-9))
    #expect(report.traces == 0 && report.tracesAsked == 10 && report.stoppedBy == "time")
    let whole = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 1, traces: 4, stepsPerTrace: 20, jobs: 2, timeLimit: 3600))
    #expect(whole.traces == 4 && whole.tracesAsked == 4 && whole.stoppedBy == nil)
  }

  @Test func stopOnViolationStartsNoTraceAfterTheFirst() throws {
    let options = CampaignOptions(
      seed: 11, traces: 40, stepsPerTrace: 250, jobs: 1, plantedBug: .mintIgnoresRightsMask, stopOnViolation: true)
    let report = runCampaign(plan: .sample, options: options)
    // One job runs the traces in index order: everything up to the first violating trace.
    let v = try #require(report.violations.first)
    #expect(report.violations.count == 1)
    #expect(report.traces == (v.traceIndex ?? -1) + 1)
    #expect(report.stoppedBy == "violation" && report.tracesAsked == 40)
  }
}

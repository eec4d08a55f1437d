import CapDL
import Foundation
import KernelABI
import Refinement
import Testing

/// Issue #5, "Done when": planting a bug in any one layer makes the default campaign fail within
/// 30 seconds, and the shrunk trace has at most 10 events. (Here, beside the capDL loader, because
/// the default campaign runs on Systems/sample.cdl.)
@Suite struct DefaultCampaignTests {
  static let sampleFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Systems/sample.cdl")

  /// The default run's campaign is seed 1, 1,000 traces of 250 steps on Systems/sample.cdl
  /// (`CampaignArguments`). No wall clock here: the budget is in checked steps. The default run
  /// in a debug build checked about 600 steps/s with 2 jobs on this 2-core machine before the
  /// incremental check (about 2,500 steps/s since, `swift run refine-check`; release: 21,670
  /// steps/s on one job, BENCHMARKS.md), so 30 s is at least 30 × 600 = 18,000 steps. With one job and `stopOnViolation` the traces run in index order
  /// and the campaign stops after the first violating trace, so `report.steps` is the work done
  /// before the failure was seen, whatever the number of jobs.
  /// Not the bugs that need sporadic time (`needsSporadicTime`): the default system is round robin,
  /// where no refill is merged and no thread is postponed (`PlantedBugTests` catches them on the
  /// sample with sporadic servers).
  /// Nor `needsInterrupts`: the generator issues IRQ handlers on the default system (its IRQControl
  /// cap) since the `irq` operation joined, but that bug's catch by this campaign is not measured
  /// yet (`PlantedBugTests` catches it by random search on the sample).
  @Test(arguments: PlantedBug.allCases.filter { !$0.needsSporadicTime && !$0.needsInterrupts })
  func defaultCampaignCatchesEachPlantedBugWithinThirtySecondsOfSteps(_ bug: PlantedBug) throws {
    let text = try String(contentsOf: Self.sampleFile, encoding: .utf8)
    let plan = try systemPlan(from: CapDLModel.parse(text, file: "sample.cdl"))
    // 1,200 steps/s: below the 1,586 steps/s the seventeenth session's merge checked in a debug
    // build on 2026-12-08 (79,885 steps in 50.4 s), so 30 s is at least 36,000 steps. The older figure,
    // 600 steps/s, predates the incremental check; with interrupts and domains in the random
    // mix, yieldToKeepsYieldFrom took 32,059 steps (about 23 s at the measured rate).
    let stepBudget = 30 * 1_200
    let options = CampaignOptions(
      seed: 1, traces: 1000, stepsPerTrace: 250, jobs: 1, plantedBug: bug, stopOnViolation: true)
    let report = runCampaign(plan: plan, options: options)
    let v = try #require(report.violations.first, "\(bug) not caught by the default campaign")
    #expect(report.steps <= stepBudget, "\(bug) caught only after \(report.steps) steps")
    let small = shrink(plan: plan, events: v.events, failure: v.failure, kernel: options.initialKernel(plan: plan))
    // At most 10 events. (mdbEndpointIgnoresBadge once needed 11: its first catch, 6,985 steps in,
    // built the CNodes and slots its mints and revoke address. Since the register methods joined
    // the generator and CNode's methods weigh 6 against 4, it is caught 2,115 steps in and shrinks
    // to 3; measured 2026-12-06: every bug within 2,115 steps, shrunk to at most 7 events. Since
    // Configure, SetSpace and SetFlags joined the generator: every bug within 8,447 steps (that
    // one, 2,444 the next), shrunk to at most 5 events. Since Call, ReplyRecv, Recv with a reply
    // cap, NBSendRecv and Grant sends joined it (2026-12-07): every bug within 10,028 steps
    // (mdbEndpointIgnoresBadge; mdbEndpointIgnoresFirstBadged 7,576, every other within 2,419),
    // shrunk to at most 5 events. Since Systems/sample.cdl has a client and a passive server and
    // the four IPC bugs joined (2026-12-07): every bug within 5,964 steps (mdbEndpointIgnoresBadge;
    // mdbEndpointIgnoresFirstBadged 5,896, every other within 1,524; ipcDropsBadge 443,
    // deleteLeavesQueueDangling 189, fastpathForgetsSwitch 443, replyKeepsDonatedSC 1,043),
    // shrunk to at most 6 events.)
    #expect(small.events.count <= 10, "\(bug): shrunk trace has \(small.events.count) events")
    #expect(small.failure.kind == v.failure.kind && small.failure.name == v.failure.name)
    // The shrunk trace fails only because of the bug.
    #expect(replay(plan: plan, events: small.events) == nil)
  }
}

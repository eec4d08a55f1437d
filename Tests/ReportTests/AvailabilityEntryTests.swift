// The trust report's availability entry: not covered without the phase, tested when it held,
// failed with the trace when it was violated.

import Foundation
import KernelABI
import Refinement
import Report
import Testing

@Suite struct AvailabilityEntryTests {
  static func entry(_ availability: AvailabilityReport?) -> TrustProperty? {
    var inputs = TrustInputs(
      system: "builtin", plan: .sample, proofRecord: nil, proofRecordPath: "proofs/obligations.json",
      proofsDirectory: nil, obligations: [], campaign: nil, campaignFile: nil)
    inputs.availability = availability
    inputs.availabilitySystem = "Systems/mixed-criticality.cdl"
    return TrustReport(inputs).properties(of: .system).first { $0.name.hasPrefix("availability") }
  }

  /// The default run's figures (docs/time.md, "Availability").
  static let held: AvailabilityReport = {
    var report = AvailabilityReport(
      seed: 1, traces: 12, events: 26_400, ticks: 10_993_906, periods: 366_463, runnablePeriods: 10_555,
      windowsChecked: 21_439, specBug: nil, counterexample: nil)
    report.interrupts = 25
    return report
  }()

  @Test func theEntryFollowsThePhase() throws {
    #expect(Self.entry(nil)?.status == .notCovered)
    let tested = try #require(Self.entry(Self.held))
    #expect(
      tested.status == .tested && tested.evidence.contains("366463 control-loop periods (10555 with it runnable)"))
    #expect(tested.evidence.contains("25 device interrupts"))
    var violated = Self.held
    violated.counterexample = .init(
      traceIndex: 0, traceSeed: 7, originalLength: 123, events: [.timerTick(ticks: .max)],
      failure: LockstepFailure(
        step: 1, event: nil, kind: .availability, layer: nil, name: "availability.budget",
        explanation: "net consumed 255640 ticks", diff: nil),
      traceFile: "t.json")
    let failed = try #require(Self.entry(violated))
    #expect(
      failed.status == .failed && failed.evidence.contains("availability.budget") && failed.evidence.contains("t.json"))
  }
}

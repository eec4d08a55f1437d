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

  static let held = AvailabilityReport(
    seed: 1, traces: 6, events: 1_800, ticks: 2_442_106, periods: 81_403, runnablePeriods: 311, windowsChecked: 773,
    specBug: nil, counterexample: nil)

  @Test func theEntryFollowsThePhase() throws {
    #expect(Self.entry(nil)?.status == .notCovered)
    let tested = try #require(Self.entry(Self.held))
    #expect(tested.status == .tested && tested.evidence.contains("81403 control-loop periods"))
    var violated = Self.held
    violated.counterexample = .init(
      traceIndex: 3, traceSeed: 7, originalLength: 125, events: [.timerTick(ticks: .max)],
      failure: LockstepFailure(
        step: 1, event: nil, kind: .availability, layer: nil, name: "availability.budget",
        explanation: "net consumed 255640 ticks", diff: nil),
      traceFile: "t.json")
    let failed = try #require(Self.entry(violated))
    #expect(
      failed.status == .failed && failed.evidence.contains("availability.budget") && failed.evidence.contains("t.json"))
  }
}

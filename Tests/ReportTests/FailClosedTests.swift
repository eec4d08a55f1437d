// The trust report fails closed (issue 11): a violation of a property it does not list is a
// failure, and a campaign of no steps is not evidence that anything held.

import Foundation
import Refinement
import Report
import Testing

@Suite struct FailClosedTrustReportTests {
  func report(campaign: CampaignReport) throws -> TrustReport {
    TrustReport(
      TrustInputs(
        system: "builtin", plan: .sample, proofRecord: try ProofStore(directory: proofsDirectory).load(),
        proofRecordPath: "proofs/obligations.json", proofsDirectory: proofsDirectory,
        obligations: Obligation.catalogue, campaign: campaign, campaignFile: "campaign.json"))
  }

  func violation(kind: String, layer: String, name: String) throws -> CampaignViolation {
    let json = #"{"step": 3, "kind": "\#(kind)", "layer": "\#(layer)", "name": "\#(name)", "explanation": "x"}"#
    let failure = try JSONDecoder().decode(LockstepFailure.self, from: Data(json.utf8))
    return CampaignViolation(traceSeed: 5, events: [], failure: failure, traceIndex: 0)
  }

  @Test(arguments: [("Kernel", "valid_future_thing"), ("NoSuchLayer", "valid_objs")])
  func aViolationOfAnUnlistedInvariantIsAFailure(layer: String, name: String) throws {
    var campaign = smallCampaign()
    campaign.violations = [try violation(kind: "invariant", layer: layer, name: name)]
    let trust = try report(campaign: campaign)
    #expect(trust.hasFailure)
    #expect((trust.totals["failed"] ?? 0) >= 1)
    let failed = trust.properties.filter { $0.status == .failed }
    #expect(failed.contains { $0.evidence.contains(name) }, "\(failed.map(\.name))")
  }

  @Test func aViolationOfAListedInvariantFailsThatInvariantOnly() throws {
    var campaign = smallCampaign()
    campaign.violations = [try violation(kind: "invariant", layer: "Kernel", name: "pspace_in_kernel_mappings'")]
    let trust = try report(campaign: campaign)
    #expect(trust.properties.first { $0.name == "Kernel.pspace_in_kernel_mappings'" }?.status == .failed)
    #expect(!trust.properties.contains { $0.name.contains("does not list") })
  }

  @Test func aCampaignOfNoStepsIsNotCalledHeld() throws {
    var campaign = smallCampaign()
    campaign.steps = 0
    campaign.coverage = [:]
    let trust = try report(campaign: campaign)
    #expect(!trust.text.contains("held on every step"))
    #expect(trust.text.contains("no campaign steps"))
    #expect(trust.properties.first { $0.name == "Kernel: no event traps" }?.status == .notCovered)
  }
}

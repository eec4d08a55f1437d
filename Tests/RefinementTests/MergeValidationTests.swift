// Report figures no campaign writes are refused before anything is combined, and shards of one
// campaign must check one system (issue 11).

import Foundation
import Refinement
import Testing

@Suite struct MergeValidationTests {
  func shard(_ index: Int, of count: Int, system: String? = "Systems/sample.cdl", coverage: [String: Int] = [:])
    -> CampaignReport
  {
    CampaignReport(
      seed: 1, traces: 2, steps: 10, seconds: 1, stepsPerSecond: 10, violations: [], coverage: coverage,
      stepsPerTrace: 250, shard: Shard(index: index, count: count), system: system)
  }

  func refusal(_ reports: [CampaignReport]) -> String? {
    do {
      _ = try mergeCampaignReports(reports)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func shardsOfDifferentOrUnnamedSystemsAreRefused() {
    #expect(refusal([shard(1, of: 2), shard(2, of: 2, system: "other.cdl")])?.contains("one system") == true)
    #expect(refusal([shard(1, of: 2), shard(2, of: 2, system: nil)])?.contains("one system") == true)
    // All unnamed (older reports): merged, and the merge names no system either.
    #expect(refusal([shard(1, of: 2, system: nil), shard(2, of: 2, system: nil)]) == nil)
  }

  /// Each once crashed (`1...0`), looped to 2^63 - 1, or merged into evidence no campaign writes.
  @Test(arguments: [(0, 2), (3, 2), (-1, 2), (1, 0), (1, -4), (1, 17), (1, Int.max)])
  func impossibleShardsAreRefusedBeforeAnyLoop(index: Int, count: Int) {
    let message = refusal([shard(index, of: count)])
    #expect(message?.contains("field shard: \(index)/\(count)") == true, "\(message ?? "merged")")
  }

  @Test func sumsThatOverflowAreRefusedWithAMessage() {
    let big = [String: Int](uniqueKeysWithValues: [("Send/ok", Int.max)])
    let message = refusal([shard(1, of: 2, coverage: big), shard(2, of: 2, coverage: big)])
    #expect(message?.contains("coverage[Send/ok] add up to more than") == true, "\(message ?? "merged")")
  }

  @Test func figuresNoCampaignWritesAreImplausible() {
    var report = shard(1, of: 2)
    #expect(report.implausibleField == nil)
    report.steps = 10_000
    #expect(report.implausibleField?.hasPrefix("steps:") == true)
    report = shard(1, of: 2)
    report.stepsPerSecond = .infinity
    #expect(report.implausibleField?.hasPrefix("stepsPerSecond:") == true)
  }

  @Test func aCompleteExplorationShortOfItsDepthIsImplausible() throws {
    let json = """
      {"depth": 3, "depthCompleted": 2, "complete": true, "states": 10, "transitions": 20, \
      "statesPerDepth": [1, 4, 5], "seconds": 1, "statesPerSecond": 10, "transitionsPerSecond": 20, "coverage": {}}
      """
    var report = try JSONDecoder().decode(ExhaustiveReport.self, from: Data(json.utf8))
    #expect(report.implausibleField?.hasPrefix("complete: true, but") == true)
    report.depthCompleted = 3
    #expect(report.implausibleField == nil)
  }
}

@Suite struct CampaignTimeLimitTests {
  /// `check --time inf` once trapped converting the limit to a clock value; the library clamps too.
  @Test(arguments: [Double.infinity, .nan, 1e300])
  func aLimitNoClockHoldsRunsEveryTraceInsteadOfTrapping(limit: Double) {
    let report = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 1, traces: 2, stepsPerTrace: 5, jobs: 1, timeLimit: limit))
    #expect(report.traces == 2 || limit.isNaN, "\(report.traces)")
    #expect(report.traces <= 2)
  }
}

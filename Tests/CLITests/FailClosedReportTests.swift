// Reports fail closed (issue 11): evidence that is about another system, impossible, empty or
// about properties the report does not know is refused or counted as a failure, never as "held".

import Foundation
import Testing

@Suite struct FailClosedReportTests {
  @Test func reportCountsAViolationOfAnUnknownInvariantAsAFailure() throws {
    let dir = try CLI.temporaryDirectory()
    let violation = """
      [{"traceSeed": 5, "traceIndex": 0, "events": [], "failure": {"step": 3, "kind": "invariant", \
      "layer": "Kernel", "name": "valid_future_thing", "explanation": "broken in another version"}}]
      """
    let file = try CLI.write(campaignReportJSON(violations: violation), to: "campaign.json", in: dir)
    let result = try CLI.run(["report", "--campaign", file])
    expectContract(result)
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("valid_future_thing"), "\(result)")
    #expect(!result.stdout.contains(" 0 failed"), "\(result)")
  }

  @Test func reportRefusesACampaignReportThatNamesNoSystem() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(campaignReportJSON(system: nil), to: "campaign.json", in: dir)
    let result = try CLI.run(["report", "--campaign", file])
    expectContract(result)
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("\(file): field system is missing"), "\(result)")
  }

  @Test func mergeRefusesShardsOfDifferentSystems() throws {
    let dir = try CLI.temporaryDirectory()
    let a = try CLI.write(campaignReportJSON(system: "a.cdl", shard: (1, 2)), to: "a.json", in: dir)
    let b = try CLI.write(campaignReportJSON(system: "b.cdl", shard: (2, 2)), to: "b.json", in: dir)
    let unnamed = try CLI.write(campaignReportJSON(system: nil, shard: (2, 2)), to: "c.json", in: dir)
    for pair in [[a, b], [a, unnamed]] {
      let result = try CLI.run(["merge"] + pair)
      expectContract(result)
      #expect(result.status == 65, "\(result)")
      #expect(result.stderr.contains("shards of one campaign check one system"), "\(result)")
    }
  }

  /// Shard figures no `check --shard` writes, the shard count of 2^63 - 1 among them (merge once
  /// looped up to it): refused at once.
  @Test(arguments: [(0, 2), (3, 2), (-1, 2), (1, 0), (1, -4), (1, 17), (1, Int.max)])
  func mergeRefusesImpossibleShards(index: Int, count: Int) throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(campaignReportJSON(shard: (index, count)), to: "shard.json", in: dir)
    let result = try CLI.run(["merge", file], timeout: 30)
    expectContract(result)
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("\(file): field shard: \(index)/\(count)"), "\(result)")
  }

  @Test func mergeRefusesCountsWhoseSumOverflows() throws {
    let dir = try CLI.temporaryDirectory()
    let coverage = #"{"Send/ok": \#(Int.max)}"#
    let a = try CLI.write(campaignReportJSON(shard: (1, 2), coverage: coverage), to: "a.json", in: dir)
    let b = try CLI.write(campaignReportJSON(shard: (2, 2), coverage: coverage), to: "b.json", in: dir)
    let result = try CLI.run(["merge", a, b])
    expectContract(result)
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("coverage[Send/ok] add up to more than"), "\(result)")
  }

  /// A rate a report claims beyond any `Int` (merge adds the shards' rates) is printed, not
  /// converted with a trap (found by the long fuzz run: `merge` of a report claiming 1e300 steps/s).
  @Test func mergePrintsARateBeyondAnyInt() throws {
    let dir = try CLI.temporaryDirectory()
    let json = campaignReportJSON().replacingOccurrences(
      of: #""stepsPerSecond": 10"#, with: #""stepsPerSecond": 1e300"#)
    #expect(json.contains("1e300"))
    let file = try CLI.write(json, to: "campaign.json", in: dir)
    let result = try CLI.run(["merge", file, file])
    expectContract(result)
    #expect(result.status == 0 || result.status == 65, "\(result)")
  }

  @Test func exhaustiveReportRefusesCompleteWithADepthShortOfTheDepthAsked() throws {
    let dir = try CLI.temporaryDirectory()
    let report = """
      {"system": "builtin-small", "depth": 3, "depthCompleted": 2, "complete": true, "states": 10, \
      "transitions": 20, "statesPerDepth": [1, 4, 5], "seconds": 1, "statesPerSecond": 10, \
      "transitionsPerSecond": 20, "coverage": {}}
      """
    let file = try CLI.write(report, to: "exhaustive.json", in: dir)
    let result = try CLI.run(["report", "--exhaustive-report", file])
    expectContract(result)
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("\(file): field complete: true, but"), "\(result)")
  }

  @Test(arguments: [["report", "--traces", "0"], ["report", "--steps", "0"], ["--traces", "0"]])
  func aCampaignOfNothingIsRefused(arguments: [String]) throws {
    let result = try CLI.run(arguments)
    expectContract(result)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("must be at least 1"), "\(result)")
    #expect(!result.stdout.contains("held"), "\(result)")
  }

  @Test(arguments: [["check", "--traces", "3", "--steps", "5"], ["check", "--exhaustive"]])
  func aSystemWithNoRunnableThreadIsNotCovered(arguments: [String]) throws {
    let dir = try CLI.temporaryDirectory()
    let system = try CLI.write(threadlessSystem, to: "threadless.cdl", in: dir)
    let result = try CLI.run(arguments + ["--system", system, "--out", dir.path])
    expectContract(result)
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("NOT COVERED"), "\(result)")
    #expect(!result.stdout.contains("held"), "\(result)")
  }

  @Test func theTrustReportOfACampaignOfNoStepsTestsNothingByIt() throws {
    let dir = try CLI.temporaryDirectory()
    let system = try CLI.write(threadlessSystem, to: "threadless.cdl", in: dir)
    let result = try CLI.run(["report", "--system", system, "--traces", "2", "--steps", "5"])
    expectContract(result)
    #expect(result.stdout.contains("no campaign steps"), "\(result)")
    #expect(!result.stdout.contains("held on every step of"), "\(result)")
    // The kernel-trap property rests on the campaign alone: with no step it is not covered.
    let trapLine = result.stdout.split(separator: "\n").first { $0.contains("Kernel: no event traps") }
    #expect(trapLine?.contains("not covered") == true, "\(result)")
  }
}

// Flag values at the edges (issue 11): time limits a clock cannot hold and negative numbers are
// usage errors (64) naming the flag and what it takes, never a trap or "missing value".

import Foundation
import Testing

@Suite struct FlagTests {
  /// Each once trapped converting the limit to a clock value (check's campaign deadline, Z3's
  /// interrupter), or was taken as no limit.
  @Test(arguments: [
    ["check", "--time", "inf"], ["check", "--time", "1e16"], ["check", "--time", "nan"], ["check", "--time", "-3"],
    ["prove", "--timeout", "inf"], ["prove", "--timeout", "1e10"], ["prove", "--timeout", "nan"],
  ])
  func timeLimitsOutsideTheirRangeAreUsageErrors(arguments: [String]) throws {
    // One short campaign or one obligation, so that the old behaviour shows quickly.
    let rest =
      arguments[0] == "check"
      ? ["--traces", "1", "--steps", "1", "--system", "Systems/sample.cdl"]
      : ["--no-cache", "--only", "capRights.maskAllRightsIsIdentity"]
    let result = try CLI.run(arguments + rest, timeout: 60)
    expectContract(result)
    #expect(result.status == 64, "\(result)")
    #expect(
      result.stderr.contains("\(arguments[1]) must be a number of seconds greater than 0 and at most"), "\(result)")
  }

  @Test(arguments: [
    (["check", "--traces", "-5"], "--traces and --steps must be at least 1"),
    (["check", "--shrink-limit", "-2"], "--shrink-limit must not be negative"),
    (["check", "--seed", "-1"], "must be a whole number from 0 to"),
    (["report", "--steps", "-1"], "--traces and --steps must be at least 1"),
    (["prove", "--jobs", "-1"], "--jobs must be at least 1"),
    (["prove", "--rlimit", "-1"], "must be a whole number from 0 to"),
    (["--campaign-jobs", "-3"], "--campaign-jobs must be at least 1"),
  ])
  func negativeValuesAreRefusedForWhatTheyAreNotMissing(arguments: [String], message: String) throws {
    let result = try CLI.run(arguments)
    expectContract(result)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains(message), "\(result)")
    #expect(!result.stderr.contains("Missing value"), "\(result)")
  }
}

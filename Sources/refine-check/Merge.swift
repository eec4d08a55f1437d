// `refine-check merge A.json B.json ...`: one report from the --json reports of a campaign's shards.

import ArgumentParser
import Foundation
import Refinement
import Report

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the `check --json` reports of shards into one report.",
    discussion: """
      Traces, steps and coverage counts are summed and violations concatenated; `seconds` is the \
      maximum over the shards (they run side by side: the slowest is the wall-clock time) and \
      `stepsPerSecond` the sum of their rates. Reports of different seeds, steps per trace or \
      shard counts or systems, one shard twice, a figure no campaign writes (a negative count, a \
      shard outside 1/N...N/N, more violations than traces) and sums that overflow are refused \
      (65). Every shard must name the same system; shards that all name none (older reports) \
      merge into a report that names none, which `report --campaign` refuses. Exit codes: 0 no violation, 1 the \
      merged report has violations or ran no step, 64 usage error, 65 bad input file.
      """)

  @Argument(help: "Reports written by `refine-check check --json`.")
  var files: [String]

  @Flag(help: "Print the merged report as JSON instead of the human summary.")
  var json = false

  @Option(help: "Also write a JUnit XML report of the merged campaign to this file.")
  var junit: String?

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one report") }
  }

  func run() throws {
    // Every file is read and every figure checked (`CampaignReport.read`) before anything is
    // combined, so that no loop runs on a shard count or a sum no campaign writes.
    var reports: [CampaignReport] = []
    for file in files {
      let data = try readInput(file, what: "campaign report")
      do {
        reports.append(try CampaignReport.read(data, file: file))
      } catch {
        standardError("refine-check: error: \(error)")
        throw ExitCode(65)
      }
    }
    let merged: CampaignReport
    do {
      merged = try mergeCampaignReports(reports)
    } catch {
      // A problem of the reports together: name them all.
      standardError("refine-check: error: \(files.joined(separator: ", ")): cannot merge: \(error)")
      throw ExitCode(65)
    }
    if let junit {
      do {
        try Data(junitXML(merged).utf8).write(to: URL(fileURLWithPath: junit))
      } catch {
        standardError("refine-check: error: cannot write the JUnit report \(junit): \(error.localizedDescription)")
        throw ExitCode(65)
      }
    }
    if json {
      printJSON(merged)
    } else {
      printCheck(merged)
      if let shards = merged.mergedShards, let n = shards.first?.count {
        let missing = (1...n).filter { i in !shards.contains { $0.index == i } }
        print(
          missing.isEmpty
            ? "  all \(n) shards merged"
            : "  note: shard(s) \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing from the merge")
      }
    }
    if !merged.violations.isEmpty || merged.testedNothing { throw ExitCode(1) }
  }
}

// `refine-check merge A.json B.json ...`: one report from the --json reports of a campaign's shards.

import ArgumentParser
import Foundation
import Refinement

struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Combine the `check --json` reports of shards into one report.",
    discussion: """
      Traces, steps and coverage counts are summed and violations concatenated; `seconds` is the \
      maximum over the shards (they run side by side: the slowest is the wall-clock time) and \
      `stepsPerSecond` the sum of their rates. Reports of different seeds, steps per trace or \
      shard counts, or one shard twice, are refused (65). Exit codes: 0 no violation, 1 the \
      merged report has violations, 64 usage error, 65 bad input file.
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
    var reports: [CampaignReport] = []
    for file in files {
      guard let data = FileManager.default.contents(atPath: file) else {
        standardError("refine-check: error: \(file): cannot read the report")
        throw ExitCode(65)
      }
      do {
        reports.append(try JSONDecoder().decode(CampaignReport.self, from: data))
      } catch let DecodingError.keyNotFound(key, context) {
        let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        standardError("refine-check: error: \(file): field '\(path)' missing; not a `check --json` report")
        throw ExitCode(65)
      } catch let DecodingError.typeMismatch(_, context) {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        standardError("refine-check: error: \(file): field '\(path)' has the wrong type")
        throw ExitCode(65)
      } catch {
        standardError("refine-check: error: \(file): not a `check --json` report (not valid JSON)")
        throw ExitCode(65)
      }
    }
    for (file, report) in zip(files, reports) {
      if let problem = report.implausibleField {
        standardError("refine-check: error: \(file): field \(problem); no campaign writes that")
        throw ExitCode(65)
      }
    }
    let merged: CampaignReport
    do {
      merged = try mergeCampaignReports(reports)
    } catch {
      standardError("refine-check: error: cannot merge: \(error)")
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
    if !merged.violations.isEmpty { throw ExitCode(1) }
  }
}

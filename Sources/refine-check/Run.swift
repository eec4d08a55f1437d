// `refine-check run FILE...`: run scenario scripts on the three layers in lockstep.

import AbstractSpec
import ArgumentParser
import Foundation
import Scenario

/// `refine-check run`: scenario scripts (docs/scenarios.md), each on all three layers in lockstep.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run scenario scripts on the three layers in lockstep and report each one.",
    discussion: """
      Every script is parsed, its system loaded and its names checked before any script runs; a \
      malformed script or capDL file stops everything with exit code 65. Exit codes: 0 every \
      scenario passed, 1 a scenario failed, 64 usage error, 65 bad input file.
      """)

  @Argument(help: "Scenario scripts (.scenario files).")
  var files: [String]

  @Flag(help: "Print a JSON report (passed, failed, scenarios: [{name, status, message}]) instead of the human one.")
  var json = false

  @Flag(help: "Also list the steps that reached operations the layers do not model yet.")
  var verbose = false

  @Option(
    help: """
      Plant this CNode slip in AbstractSpec (tests of the checker: \
      \(AbstractSlip.allCases.map(\.rawValue).joined(separator: ", "))); a scenario `prove --counterexamples` \
      wrote for it must then fail.
      """)
  var plantSlip: String?

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give at least one scenario file") }
    if let plantSlip, AbstractSlip(rawValue: plantSlip) == nil {
      throw ValidationError("unknown slip \(plantSlip)")
    }
  }

  struct Report: Encodable {
    struct Entry: Encodable {
      var name: String
      var status: String
      var message: String?
      var notes: [String]
    }
    var passed: Int
    var failed: Int
    var scenarios: [Entry]
  }

  func run() throws {
    var loaded: [LoadedScenario] = []
    for file in files {
      do {
        loaded.append(try LoadedScenario.load(path: file))
      } catch {
        standardError("refine-check: error: \(error)")
        throw ExitCode(65)
      }
    }
    let slip = plantSlip.flatMap(AbstractSlip.init(rawValue:))
    let results = loaded.map { $0.run(plantingAbstractSlip: slip) }
    let failed = results.filter { !$0.passed }.count
    if json {
      printJSON(
        Report(
          passed: results.count - failed, failed: failed,
          scenarios: results.map {
            Report.Entry(name: $0.name, status: $0.passed ? "passed" : "failed", message: $0.message, notes: $0.notes)
          }))
    } else {
      for r in results {
        print(
          "\(r.passed ? "passed" : "FAILED")  \(r.name) (\(r.steps) steps\(r.notes.isEmpty ? "" : ", \(r.notes.count) not modelled"))"
        )
        if let m = r.message {
          print(m.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        }
        if verbose { for n in r.notes { print("    note: \(n)") } }
      }
      print("\(results.count) scenario(s): \(results.count - failed) passed, \(failed) failed")
    }
    if failed > 0 { throw ExitCode(1) }
  }
}

// `refine-check replay FILE`: re-run a recorded trace (docs/traces.md) on all three layers.

import ArgumentParser
import Foundation
import KernelABI
import Refinement

struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Re-run a recorded trace file on all three layers and say whether it still fails.",
    discussion: """
      Exit codes: 1 the trace fails (as recorded: "reproduced"; or differently), 0 it no longer \
      fails, 64 usage error, 65 bad input file (missing, malformed, another formatVersion).
      """)

  @Argument(help: "A trace file written by `refine-check check` (docs/traces.md).")
  var file: String

  @Flag(help: "Print the outcome as JSON (outcome, expected, failure).")
  var json = false

  struct Report: Encodable {
    var file: String
    var outcome: String
    var expected: TraceFile.Expected
    var failure: LockstepFailure?
  }

  func run() throws {
    let (trace, plan) = try loadTrace(file)
    let failure = trace.replay(plan: plan)
    let outcome: String
    switch failure {
    case nil: outcome = "passes"
    case let f? where trace.expected.matches(f): outcome = "reproduced"
    case _?: outcome = "fails differently"
    }
    if json {
      printJSON(Report(file: file, outcome: outcome, expected: trace.expected, failure: failure))
    } else {
      print(
        "Replay of \(file): \(trace.events.count) events on \(trace.system.path)\(trace.system.plan == nil ? "" : " (plan inline)")"
      )
      if let bug = trace.plantedBug { print("  test only: kernel with planted bug \(bug.rawValue)") }
      if let bug = trace.specBug { print("  test only: every layer with the spec bug \(bug.rawValue)") }
      if trace.availability != nil { print("  checks    the lockstep and availability (docs/time.md)") }
      let e = trace.expected
      print("  expected  step \(e.step): \(e.kind.rawValue)\(e.layer.map { " in \($0)" } ?? "") \(e.name)")
      if let failure {
        print(outcome == "reproduced" ? "reproduced: the trace fails as recorded" : "FAILS DIFFERENTLY from the record")
        printFailure(failure, events: trace.events)
      } else {
        print("no longer fails: all three layers agree and every invariant holds on all \(trace.events.count) events")
      }
    }
    if failure != nil { throw ExitCode(1) }
  }
}

/// A trace file and the system it runs on (its inline plan, the built-in sample, or its capDL
/// file); exit 65 naming the file for anything unreadable.
func loadTrace(_ file: String) throws -> (TraceFile, SystemPlan) {
  let data = try readInput(file, what: "trace file")
  let trace: TraceFile
  do {
    trace = try TraceFile.decode(data, file: file)
  } catch {
    standardError("refine-check: error: \(error)")
    throw ExitCode(65)
  }
  let plan: SystemPlan
  if let inline = trace.system.plan {
    plan = inline
    try refuseInvalidStartingState(plan, in: "\(file) (its embedded system)")
  } else if trace.system.path == "builtin" {
    plan = .sample
  } else {
    plan = try loadSystem(trace.system.path).0
  }
  return (trace, plan)
}

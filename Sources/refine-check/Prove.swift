// `refine-check prove`: discharge the proof obligations and gate on the `proofs/` record.

import ArgumentParser
import Foundation
import Refinement

struct Prove: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Discharge every proof obligation with Z3 (cached by hash) and compare with proofs/.",
    discussion: """
      Exit 1 when an obligation is refuted, unknown, vacuous or fails to build; with --check also \
      when one is unrecorded, recorded but gone, or changed since it was recorded.
      """)

  @OptionGroup var location: ProofLocation

  @Flag(help: "Fail unless every obligation is proved and agrees with the record.")
  var check = false

  @Flag(help: "Rewrite proofs/obligations.json and proofs/smt2/ from this run.")
  var update = false

  @Option(parsing: .unconditional, help: "Worker threads (default: one per core).")
  var jobs: Int?

  @Option(help: "Only obligations whose name contains this text.")
  var only: String?

  @Flag(help: "Print a JSON report.")
  var json = false

  @Flag(name: .shortAndLong, help: "List every obligation.")
  var verbose = false

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if check && update {
      throw ValidationError("--check and --update exclude each other: check the record, or rewrite it")
    }
  }

  func run() throws {
    let report = try location.run(check: check, update: update, jobs: jobs, filter: only, progress: !json)
    if json { printJSON(report) } else { printSummary(report, verbose: verbose) }
    let failed = report.proved != report.total || (check && !report.problems.isEmpty)
    if failed { throw ExitCode(1) }
  }
}

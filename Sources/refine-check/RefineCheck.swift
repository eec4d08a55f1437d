// refine-check: the command-line face of the workbench.
//
// Exit codes: 0 everything held; 1 a check failed (an obligation not proved, a record out of
// step); 64 usage error (EX_USAGE); 65 bad input file (EX_DATAERR).

import ArgumentParser
import Foundation
import Refinement
import SMT

@main
struct RefineCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refine-check",
    abstract: "Check that the three layers of an seL4-style MCS kernel agree, and prove their obligations.",
    discussion: """
      With no subcommand, runs `all`: every check that exists so far, with one summary. Exit \
      codes: 0 all held, 1 a check failed, 64 usage error, 65 bad input file.
      """,
    subcommands: [All.self, Prove.self, Run.self],
    defaultSubcommand: All.self)
}

/// `refine-check all` (the default): every check, one summary.
struct All: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run every check that exists so far (the proof gate, then a refinement campaign) and print one summary.")

  @OptionGroup var location: ProofLocation

  @Flag(help: "Print a JSON report instead of the human summary.")
  var json = false

  func run() throws {
    let report = try location.run(check: true, update: false, jobs: nil, filter: nil, progress: !json)
    if json {
      printJSON(report)
    } else {
      printSummary(report, verbose: false)
      print("")
      print("Summary")
      print("  proofs (Z3)            \(report.passed ? "held" : "FAILED"): \(report.proved)/\(report.total) proved, \(report.problems.count) problem(s) with the record")
      print("  refinement campaigns   not run: no layer models a kernel operation yet (tested: nothing)")
    }
    if !report.passed { throw ExitCode(1) }
  }
}

/// Where the proofs and the cache live.
struct ProofLocation: ParsableArguments {
  @Option(name: .customLong("proofs"), help: "The proofs folder (default: the nearest ./proofs upward from here).")
  var proofsPath: String?

  @Option(name: .customLong("cache"), help: "The local proof cache file (default: .build/refine-check/proof-cache.json beside the proofs folder).")
  var cachePath: String?

  @Flag(name: .customLong("no-cache"), help: "Solve every obligation, even ones proved before on this machine.")
  var noCache = false

  @Option(help: "Z3 resource limit per query (deterministic; exhaustion is `unknown`).")
  var rlimit: UInt32 = 50_000_000

  @Option(help: "Wall-clock limit per query, in seconds (exhaustion is `unknown`).")
  var timeout: Double = 60

  func validate() throws {
    guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
  }

  var proofsDirectory: URL {
    if let proofsPath { return URL(fileURLWithPath: proofsPath) }
    var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    while true {
      let candidate = dir.appendingPathComponent("proofs/obligations.json")
      if FileManager.default.fileExists(atPath: candidate.path) { return dir.appendingPathComponent("proofs") }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { break }
      dir = parent
    }
    return URL(fileURLWithPath: "proofs")
  }

  var cacheFile: URL? {
    if noCache { return nil }
    if let cachePath { return URL(fileURLWithPath: cachePath) }
    return proofsDirectory.deletingLastPathComponent().appendingPathComponent(".build/refine-check/proof-cache.json")
  }

  func run(check: Bool, update: Bool, jobs: Int?, filter: String?, progress: Bool) throws -> ProofReport {
    let options = ProofRunOptions(
      proofsDirectory: proofsDirectory, cacheFile: cacheFile, check: check, update: update,
      limits: SolverLimits(resourceLimit: rlimit, wallClockSeconds: timeout), jobs: jobs, filter: filter)
    let total = Obligation.catalogue.count
    let done = ProgressCounter()
    do {
      return try runProofs(Obligation.catalogue, options: options) { result in
        guard progress else { return }
        let n = done.increment()
        if !result.cached {
          standardError("[\(n)/\(total)] \(result.status.rawValue) \(result.name) (\(formatSeconds(result.seconds)))")
        }
      }
    } catch let error as ProofRecordError {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
  }
}

/// A thread-safe counter for progress lines.
final class ProgressCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}

func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

func formatSeconds(_ s: Double) -> String {
  s < 1 ? "\(Int((s * 1000).rounded())) ms" : String(format: "%.2f s", s)
}

func printJSON<T: Encodable>(_ value: T) {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
    print(text)
  }
}

/// The human summary of a proof run.
func printSummary(_ report: ProofReport, verbose: Bool) {
  print("Proof obligations (\(report.solver))")
  if verbose {
    for o in report.obligations {
      let how = o.cached ? "cached" : formatSeconds(o.seconds)
      print("  \(o.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(o.name) (\(how))")
    }
  }
  print("  total     \(report.total)")
  print("  proved    \(report.proved)   (\(report.solved) solved now, \(report.cached) unchanged and cached)")
  print("  refuted   \(report.refuted)")
  print("  unknown   \(report.unknown)")
  print("  vacuous   \(report.vacuous)")
  if report.errors > 0 { print("  errors    \(report.errors)") }
  print("  time      \(formatSeconds(report.seconds))")
  if report.solved == 0 && report.total > 0 {
    print("  nothing solved: every obligation's SMT-LIB2 text is unchanged since it was proved on this machine")
  }
  if report.updated { print("  record rewritten") }
  if report.problems.isEmpty {
    print("  record: in agreement with the code")
  } else {
    print(report.checked ? "FAILED:" : "Record notes (not checked; use --check to gate on them):")
    for p in report.problems { print("  \(p)") }
  }
}

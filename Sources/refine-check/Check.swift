// `refine-check check`: a (possibly sharded) refinement campaign for CI, with shrinking, trace
// files, JSON and JUnit reports.

import ArgumentParser
import Foundation
import Kernel
import KernelABI
import Refinement

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a refinement campaign (or one shard of it); shrink and record any violation.",
    discussion: """
      Trace i belongs to lane i % 16; each lane runs its traces in order, biased by the coverage \
      of its earlier traces. Shard I/N runs the whole lanes l with l % N == I-1, with the seeds and \
      the bias of the unsharded campaign; `refine-check merge` combines the shards' --json reports. Each violation \
      is shrunk and written as a trace file (docs/traces.md) that `refine-check replay` re-runs. \
      Exit codes: 0 no violation, 1 a violation or nothing tested (0 steps ran: no thread of the \
      system could run, or the time budget was spent first), 64 usage error, 65 bad input file.
      """)

  @Option(help: "The capDL system to check (default: Systems/sample.cdl, found upward from here).")
  var system: String?

  @Option(parsing: .unconditional, help: "Campaign seed (same seed and version: same traces).", transform: wholeNumber)
  var seed: UInt64 = 1

  @Option(parsing: .unconditional, help: "Number of random traces in the whole (unsharded) campaign.")
  var traces: Int = 200

  @Option(parsing: .unconditional, help: "Events per trace (a trace also ends when no thread is left to run).")
  var steps: Int = 250

  @Option(parsing: .unconditional, help: "Worker threads (default: one per core).")
  var jobs: Int?

  @Option(help: "Run shard I of N (I/N, 1 ≤ I ≤ N): the lanes l (trace i is in lane i % 16) with l % N == I-1.")
  var shard: String?

  @Flag(help: "Print the campaign report as JSON (input of `refine-check merge`).")
  var json = false

  @Option(help: "Also write a JUnit XML report to this file.")
  var junit: String?

  @Option(help: "Folder for trace files of violations.")
  var out: String = ".build/refine-check/traces"

  @Option(
    name: .customLong("shrink-limit"), parsing: .unconditional,
    help: "Shrink and write trace files for at most this many violations (the first by trace index).")
  var shrinkLimit: Int = 5

  @Option(
    parsing: .unconditional,
    help:
      "Time budget in seconds: once spent, no new trace (or batch of states) starts; the report says how much ran of what was asked."
  )
  var time: Double?

  @Flag(
    name: .customLong("stop-on-violation"),
    help: "Start no new trace once a violation is found (a quick way to a first counterexample).")
  var stopOnViolation = false

  @Flag(
    name: .customLong("no-bias"),
    help: "Do not bias generation toward unreached coverage (each trace depends on its seed alone).")
  var noBias = false

  @Flag(
    help:
      "Explore every event sequence up to --depth over a finite alphabet instead of random traces (docs/campaigns.md).")
  var exhaustive = false

  @Option(parsing: .unconditional, help: "With --exhaustive: the longest event sequence explored (default 2).")
  var depth: Int?

  @Option(name: .customLong("plant-bug"), help: .hidden)
  var plantBug: String?

  func validate() throws {
    // A campaign of nothing would report that everything held: refuse it.
    guard traces >= 1, steps >= 1 else { throw ValidationError("--traces and --steps must be at least 1") }
    guard shrinkLimit >= 0 else { throw ValidationError("--shrink-limit must not be negative") }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let shard {
      guard let parsed = Shard(parsing: shard) else {
        throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N (for example 1/2), not '\(shard)'")
      }
      guard parsed.count <= CampaignOptions.laneCount else {
        throw ValidationError(
          "--shard: a campaign has \(CampaignOptions.laneCount) lanes, so at most \(CampaignOptions.laneCount) shards (a shard is whole lanes), not \(parsed.count)"
        )
      }
    }
    if let time { try validateSeconds(time, flag: "--time") }
    if let depth {
      guard exhaustive else { throw ValidationError("--depth applies only with --exhaustive") }
      guard depth >= 1 else { throw ValidationError("--depth must be at least 1") }
    }
    if exhaustive && (shard != nil || junit != nil) {
      throw ValidationError("--shard and --junit apply to random campaigns, not to --exhaustive")
    }
    if let plantBug, PlantedBug(rawValue: plantBug) == nil {
      throw ValidationError("--plant-bug must be one of \(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    if exhaustive { return try runExhaustive() }
    let (plan, systemName) = try loadSystem(system)
    let systemPath = shownSystemPath(systemName)
    let bug = plantBug.flatMap(PlantedBug.init(rawValue:))
    let options = CampaignOptions(
      seed: seed, traces: traces, stepsPerTrace: steps, jobs: jobs,
      shard: shard.flatMap(Shard.init(parsing:)), plantedBug: bug, biased: !noBias, timeLimit: time,
      stopOnViolation: stopOnViolation)
    if !json {
      standardError("system: \(systemName)" + (options.shard.map { ", shard \($0)" } ?? ""))
      if let bug { standardError("test only: kernel with planted bug \(bug.rawValue)") }
    }
    var report = runCampaignWithProgress(plan: plan, options: options, progress: !json)
    report.system = systemPath

    // Shrink each violation and write its trace file.
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = bug
    for n in report.violations.indices.prefix(shrinkLimit) {
      let v = report.violations[n]
      let small = shrink(plan: plan, events: v.events, failure: v.failure, kernel: kernel)
      report.violations[n].shrunk = ShrunkTrace(
        originalLength: v.events.count, events: small.events, failure: small.failure)
      let trace = TraceFile(
        system: .init(path: systemPath, plan: plan), seed: seed, traceSeed: v.traceSeed,
        traceIndex: v.traceIndex, originalLength: v.events.count, events: small.events,
        expected: .init(small.failure), plantedBug: bug)
      let name = "trace-seed\(seed)-\(v.traceIndex.map(String.init) ?? "x")-\(String(v.traceSeed, radix: 16)).json"
      let url = URL(fileURLWithPath: out).appendingPathComponent(name)
      do {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out), withIntermediateDirectories: true)
        try trace.encoded().write(to: url)
        report.violations[n].traceFile =
          url.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
          ? String(url.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : url.path
      } catch {
        standardError("refine-check: warning: cannot write the trace file \(url.path): \(error.localizedDescription)")
      }
    }

    if let junit {
      do {
        try Data(junitXML(report).utf8).write(to: URL(fileURLWithPath: junit))
      } catch {
        standardError("refine-check: error: cannot write the JUnit report \(junit): \(error.localizedDescription)")
        throw ExitCode(65)
      }
    }
    if json {
      printJSON(report)
    } else {
      printCheck(report)
    }
    if !report.violations.isEmpty || report.testedNothing { throw ExitCode(1) }
  }
}

extension CampaignReport {
  /// The campaign ran no step, so it tested nothing: never reported as "held".
  var testedNothing: Bool { steps == 0 }

  /// Why a campaign that ran no step tested nothing, in words.
  var nothingTestedReason: String {
    let why =
      traces == 0
      ? (stoppedBy == "time" ? "the time budget was spent before any trace ran" : "no trace ran")
      : "no thread of the system could run, so every trace ended before its first event; MCS runs a thread "
        + "only on a bound, configured scheduling context: in capDL, `sc_slot: SC` in the thread's caps and "
        + "an `sc (period: P, budget: B)`"
    return "the campaign ran \(traces) trace(s) and 0 steps (\(why)): nothing was tested"
  }
}

/// A campaign with progress lines on standard error.
func runCampaignWithProgress(plan: SystemPlan, options: CampaignOptions, progress: Bool) -> CampaignReport {
  let total = options.traceIndices.count
  let live = isatty(2) != 0
  let clock = ContinuousClock()
  let start = clock.now
  let lastTenth = ProgressCounter()
  return runCampaign(plan: plan, options: options) { done, stepsDone in
    guard progress else { return }
    let d = clock.now - start
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    let rate = seconds > 0 ? Double(stepsDone) / seconds : 0
    let eta = done > 0 ? seconds / Double(done) * Double(total - done) : 0
    let line =
      "campaign: \(done)/\(total) traces, \(stepsDone) steps, \(wholeRate(rate)) steps/s, ETA \(Int(eta.rounded())) s"
    if live {
      FileHandle.standardError.write(Data(("\r" + line + (done == total ? "\n" : "")).utf8))
    } else if done * 10 / max(total, 1) > lastTenth.value {
      _ = lastTenth.increment()
      standardError(line)
    }
  }
}

/// The human report of `check`: the campaign, then every violation in full.
func printCheck(_ report: CampaignReport) {
  print("Refinement campaign (seed \(report.seed)\(report.shard.map { ", shard \($0)" } ?? ""))")
  if let system = report.system { print("  system    \(system)") }
  if let asked = report.tracesAsked, asked != report.traces {
    let why =
      report.stoppedBy == "time"
      ? "the time budget was spent" : report.stoppedBy == "violation" ? "stopped at a violation" : "stopped"
    print("  traces    \(report.traces) of \(asked) asked (\(why))")
  } else {
    print("  traces    \(report.traces)")
  }
  print("  steps     \(report.steps)   (\(wholeRate(report.stepsPerSecond)) steps/s)")
  print("  time      \(formatSeconds(report.seconds))")
  print(
    "  coverage  \(report.coverage.filter { $0.value > 0 }.count) (operation, outcome) pairs, \(report.kernelPaths?.count ?? 0) kernel paths, \(report.mdbShapes?.count ?? 0) derivation-tree shapes reached\(report.biased == false ? " (unbiased)" : "")"
  )
  if let twinSteps = report.twinSteps {
    print("  twin      \(twinSteps) steps compared with AbstractSpec, \(report.twinResyncs ?? 0) resyncs")
  }
  if let line = fastpathSummary(report.kernelPaths) { print("  fastpath  \(line)") }
  print("  violations \(report.violations.count)")
  for v in report.violations.prefix(3) {
    printViolation(v)
  }
  if report.violations.count > 3 {
    print("")
    print("\(report.violations.count - 3) more violation(s):")
    for v in report.violations.dropFirst(3) {
      let f = v.shrunk?.failure ?? v.failure
      print(
        "  trace \(v.traceIndex.map(String.init) ?? "?") (seed \(v.traceSeed)): step \(f.step) \(f.kind.rawValue) \(f.name)\(v.traceFile.map { "; replay \($0)" } ?? "")"
      )
    }
  }
  if !report.violations.isEmpty {
    print("FAILED")
  } else if report.testedNothing {
    print("NOT COVERED: \(report.nothingTestedReason)")
  } else if let asked = report.tracesAsked, asked != report.traces {
    print(
      "held on the \(report.traces) traces that ran, not on all \(asked) asked: R1, R2, observations and invariants on every step (tested, not proved)"
    )
  } else {
    print("held: R1, R2, observations and invariants on every step (tested, not proved)")
  }
}

func printViolation(_ v: CampaignViolation) {
  let f = v.shrunk?.failure ?? v.failure
  print("")
  print("VIOLATION in trace \(v.traceIndex.map(String.init) ?? "?") (trace seed \(v.traceSeed))")
  if let shrunk = v.shrunk {
    print("  shrunk    \(v.events.count) -> \(shrunk.events.count) events")
  }
  printFailure(f, events: v.shrunk?.events ?? v.events)
  if let file = v.traceFile {
    print("  replay    swift run refine-check replay \(file)")
  }
}

func printFailure(_ f: LockstepFailure, events: [Event]) {
  print("  step      \(f.step)\(f.event.map { " (\($0))" } ?? "")")
  let between =
    f.kind == .r1
    ? "Kernel vs ExecutableSpec (R1)" : f.kind == .r2 ? "ExecutableSpec vs AbstractSpec (R2)" : "between layers"
  print("  layer     \(f.layer ?? between)")
  print("  check     \(f.kind.rawValue) \(f.name)")
  print("  why       \(f.explanation)")
  if !events.isEmpty {
    print("  events")
    for (n, e) in events.enumerated() { print("    \(n + 1). \(e)") }
  }
  if let diff = f.diff {
    print("  diff")
    for line in diff.split(separator: "\n", omittingEmptySubsequences: false) { print("    \(line)") }
  }
}

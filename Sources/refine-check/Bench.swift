// `refine-check bench`: checked steps per second against the Kernel layer alone, in one report.

import ArgumentParser
import Foundation
import Refinement

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure three-layer checked steps per second and the Kernel layer's own rate on a fixed workload.",
    discussion: """
      The workload is the campaign's: --traces seeded traces of up to --steps events on the built-in \
      system (or --system). Each repetition times the Kernel layer alone, the lockstep check on one \
      thread (every relation and invariant after every step), and the check on --jobs threads; the \
      report gives the median of each, the overhead ratio (kernel rate / checked rate) and the \
      scaling (parallel rate / single rate). Only a release build gives meaningful figures: \
      swift build -c release --scratch-path .build-release --product refine-check. \
      Exit codes: 0 measured, 1 the check failed on the workload, 64 usage error, 65 bad input file.
      """)

  @Option(help: "The capDL system (default: Systems/sample.cdl, found upward from here).")
  var system: String?

  @Option(parsing: .unconditional, help: "Workload seed (the campaign's trace seeds).", transform: wholeNumber)
  var seed: UInt64 = 1

  @Option(parsing: .unconditional, help: "Number of traces in the workload.")
  var traces: Int = 100

  @Option(parsing: .unconditional, help: "Events per trace (a trace also ends when no thread is left to run).")
  var steps: Int = 250

  @Option(parsing: .unconditional, help: "Repetitions of each measurement; the report gives medians.")
  var repetitions: Int = 5

  @Option(parsing: .unconditional, help: "Threads for the parallel measurement.")
  var jobs: Int = 2

  @Flag(help: "Also time the full (whole-state) check, one thread.")
  var full = false

  @Flag(help: "Check the three layers without the symbolic twin (to measure what the twin costs).")
  var withoutTwin = false

  @Option(
    name: .customLong("large-cspace"), parsing: .unconditional,
    help: ArgumentHelp(
      "Instead: N CNode_Copy steps into one 4096-slot CNode, timed step by step; compares the first 500 steps' mean with the last 500's.",
      valueName: "N"))
  var largeCSpace: Int?

  @Option(
    parsing: .unconditional,
    help:
      "Call + ReplyRecv round trips per repetition for the IPC figures (the executable spec runs a tenth); 0 skips them."
  )
  var roundTrips: Int = 100_000

  @Flag(help: "Print the report as JSON.")
  var json = false

  func validate() throws {
    guard traces >= 1, steps >= 1 else { throw ValidationError("--traces and --steps must be at least 1") }
    guard repetitions >= 1 else { throw ValidationError("--repetitions must be at least 1") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    guard roundTrips >= 0 else { throw ValidationError("--round-trips must be at least 0") }
    if let largeCSpace {
      let most = LargeCSpaceWorkload.maxCopies
      guard largeCSpace >= 2, largeCSpace <= most else {
        throw ValidationError("--large-cspace must be in 2...\(most) (the copies the CNode has room for)")
      }
      guard system == nil else { throw ValidationError("--large-cspace builds its own system; drop --system") }
    }
  }

  func run() throws {
    if !isOptimizedBuild {
      standardError(
        "refine-check: warning: this is a debug build; its figures are not meaningful. Build with "
          + "`swift build -c release --scratch-path .build-release --product refine-check`.")
    }
    if let largeCSpace {
      if !json { standardError("large CSpace: \(largeCSpace) CNode_Copy steps, \(repetitions) repetitions") }
      let report = runLargeCSpaceBench(copies: largeCSpace, repetitions: repetitions)
      if json { printJSON(report) } else { printLargeCSpace(report) }
      if report.failure != nil { throw ExitCode(1) }
      return
    }
    let (plan, systemName) = try loadSystem(system)
    let cwd = FileManager.default.currentDirectoryPath + "/"
    let systemPath =
      !FileManager.default.fileExists(atPath: systemName)
      ? "builtin"
      : systemName.hasPrefix(cwd) ? String(systemName.dropFirst(cwd.count)) : systemName
    var options = BenchOptions(
      seed: seed, traces: traces, stepsPerTrace: steps, repetitions: repetitions, jobs: jobs, measuresFullCheck: full)
    options.runsTwin = !withoutTwin
    options.roundTrips = roundTrips
    let workload = BenchWorkload(plan: plan, seed: seed, traces: traces, stepsPerTrace: steps)
    if !json {
      standardError("system: \(systemName); workload: \(workload.traces.count) traces, \(workload.steps) events")
    }
    let report = runBench(workload: workload, options: options, system: systemPath) { n in
      if !json { standardError("bench: repetition \(n + 1)/\(options.repetitions)") }
    }
    if json {
      printJSON(report)
    } else {
      printBench(report)
    }
    if !report.failures.isEmpty { throw ExitCode(1) }
  }
}

func printBench(_ r: BenchReport) {
  func rate(_ x: Double) -> String {
    var digits = String(Int(x.rounded()))
    var grouped = ""
    while digits.count > 3 {
      grouped = "," + digits.suffix(3) + grouped
      digits.removeLast(3)
    }
    return digits + grouped
  }
  func runs(_ xs: [Double]) -> String { xs.map(rate).joined(separator: " · ") }
  print("Benchmark (seed \(r.seed), \(r.traces) traces, \(r.steps) events, median of \(r.repetitions))")
  if let system = r.system { print("  system                 \(system)") }
  if !r.optimized { print("  DEBUG BUILD: figures not meaningful") }
  print("  kernel alone           \(rate(r.kernelStepsPerSecond)) steps/s   (\(runs(r.kernelRuns)))")
  print("  checked, 1 job         \(rate(r.checkedStepsPerSecond)) steps/s   (\(runs(r.checkedRuns)))")
  print(
    "  checked, \(r.jobs) jobs        \(rate(r.checkedStepsPerSecondParallel)) steps/s   (\(runs(r.checkedParallelRuns)))"
  )
  if let fullRate = r.fullCheckStepsPerSecond, let fullRuns = r.fullCheckRuns {
    print("  full check, 1 job      \(rate(fullRate)) steps/s   (\(runs(fullRuns)))")
  }
  print(
    "  checked in full         \(r.stepsCheckedInFull) of \(r.steps) steps (the incremental check could not decide them)"
  )
  print("  overhead ratio         \(String(format: "%.1f", r.overheadRatio))x  (kernel rate / checked rate)")
  print("  scaling, \(r.jobs) jobs        \(String(format: "%.2f", r.scaling))x")
  if let fast = r.kernelFastpathRoundTripNs, let slow = r.kernelSlowpathRoundTripNs, let exec = r.execRoundTripNs {
    func ns(_ x: Double) -> String { String(format: "%.0f", x) }
    print("  IPC round trip (Call + ReplyRecv, two CSpaces; no trap, TLB or cache cost of a real kernel entry)")
    print("    kernel fastpath      \(ns(fast)) ns")
    print(
      "    kernel slowpath      \(ns(slow)) ns   (\(String(format: "%.1f", fast > 0 ? slow / fast : 0))x the fastpath)")
    print(
      "    executable spec      \(ns(exec)) ns   (\(String(format: "%.0f", fast > 0 ? exec / fast : 0))x the fastpath)")
  }
  if !r.failures.isEmpty {
    print("  FAILED: the check reported \(r.failures.count) failure(s) on the workload; first:")
    print("    \(r.failures[0])")
  }
}

func printLargeCSpace(_ r: LargeCSpaceReport) {
  func micro(_ x: Double) -> String { String(format: "%.1f", x) }
  print("Large CSpace (\(r.copies) CNode_Copy steps into one 4096-slot CNode, median of \(r.earlyRuns.count))")
  if !isOptimizedBuild { print("  DEBUG BUILD: figures not meaningful") }
  print(
    "  first \(r.window) steps         \(micro(r.earlyMicrosecondsPerStep)) µs/step   (\(r.earlyRuns.map(micro).joined(separator: " · ")))"
  )
  print(
    "  last \(r.window) steps          \(micro(r.lateMicrosecondsPerStep)) µs/step   (\(r.lateRuns.map(micro).joined(separator: " · ")))"
  )
  print("  growth                   \(String(format: "%.2f", r.growth))x  (last / first, each from one run)")
  print("  checked in full          \(r.stepsCheckedInFull) of \(r.copies) steps")
  if let failure = r.failure { print("  FAILED: \(failure)") }
}

// `refine-check availability`: the availability property (docs/time.md, "Availability") on the
// mixed-criticality system, every event also checked in lockstep; the default run's phase.

import ArgumentParser
import CapDL
import Foundation
import KernelABI
import Refinement

struct AvailabilityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "availability",
    abstract:
      "Check availability on the mixed-criticality system: no bounded context overruns its budget in a period, the control loop gets its budget in every period it can run.",
    discussion: """
      Untrusted threads run the random generator's events and time events biased to budget and \
      period boundaries; the trusted ones their own calls. Every event is checked in lockstep too. \
      A violation is shrunk and written as a trace file that `refine-check replay` re-runs. Exit \
      codes: 0 held, 1 violated (or nothing simulated), 64 usage error, 65 bad input file.
      """)

  @Option(help: "The capDL system (default: Systems/mixed-criticality.cdl, found upward from here).")
  var system: String?

  @Option(parsing: .unconditional, help: "Seed (same seed and version: same traces).", transform: wholeNumber)
  var seed: UInt64 = 1

  @Option(parsing: .unconditional, help: "Number of traces.")
  var traces: Int = AvailabilityPhase.defaultTraces

  @Option(parsing: .unconditional, help: "Events per trace.")
  var steps: Int = AvailabilityPhase.defaultSteps

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Option(help: "Folder for the trace file of a violation.")
  var out: String = ".build/refine-check/traces"

  @Option(name: .customLong("spec-bug"), help: .hidden)
  var specBug: String?

  func validate() throws {
    guard traces >= 1, steps >= 1 else { throw ValidationError("--traces and --steps must be at least 1") }
    if let specBug, SpecBug(rawValue: specBug) == nil {
      throw ValidationError("--spec-bug must be one of \(SpecBug.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    let phase = try AvailabilityPhase.load(system)
    let bug = specBug.flatMap(SpecBug.init(rawValue:))
    if !json, let bug { standardError("test only: every layer with the spec bug \(bug.rawValue)") }
    let report = phase.run(seed: seed, traces: traces, steps: steps, specBug: bug, out: out)
    if json {
      printJSON(report)
    } else {
      printAvailability(report)
    }
    if !report.report.held { throw ExitCode(1) }
  }
}

/// The availability phase: the system, its workload, and how it is run and reported.
struct AvailabilityPhase {
  /// The default run's size: 12 traces of 2,200 events (trace 0 quiet, trace 1 spinning, the rest
  /// busy: `AvailabilityTraceMode.forTrace`), enough busy events for at least 10,000 periods with
  /// the control loop runnable (each costs about two events); measured in docs/time.md,
  /// "Availability".
  static let defaultTraces = 12
  static let defaultSteps = 2_200
  /// The short phase `refine-check report` runs for its availability entry (trace 0 quiet, 1
  /// spinning, 2 and 3 busy; a few seconds): the entry states the figures of the phase it ran.
  static let reportTraces = 4
  static let reportSteps = 300

  var plan: SystemPlan
  var workload: AvailabilityWorkload
  /// The path reports name.
  var systemPath: String

  /// What the phase prints and writes as JSON.
  struct Outcome: Encodable {
    var system: String
    var report: AvailabilityReport
    var seconds: Double
    var status: String { report.held ? "held" : "violated" }

    enum CodingKeys: String, CodingKey { case system, report, seconds, status }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(system, forKey: .system)
      try c.encode(report, forKey: .report)
      try c.encode(seconds, forKey: .seconds)
      try c.encode(status, forKey: .status)
    }
  }

  /// Load `path`, or `Systems/mixed-criticality.cdl` found upward from here; exit 65 on bad input
  /// or a system without the roles (`control`, `sensor`).
  static func load(_ path: String?) throws -> AvailabilityPhase {
    var file = path
    if file == nil {
      var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
      while file == nil {
        let candidate = dir.appendingPathComponent("Systems/mixed-criticality.cdl").path
        if FileManager.default.fileExists(atPath: candidate) { file = candidate }
        let parent = dir.deletingLastPathComponent()
        if parent.path == dir.path { break }
        dir = parent
      }
    }
    guard let file else {
      standardError("refine-check: error: Systems/mixed-criticality.cdl not found here or above; pass --system FILE")
      throw ExitCode(65)
    }
    let text = try readInputText(file, what: "system file")
    let loaded: CapDLLoadResult
    do {
      loaded = try loadSystemPlan(
        from: try CapDLModel.parse(text, file: file), growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    try refuseInvalidStartingState(loaded.plan, in: file)
    var addresses: [String: ObjectRef] = [:]
    for (id, address) in loaded.addresses where id.index == nil { addresses[id.name] = address }
    guard let workload = AvailabilityWorkload.mixedCriticality(plan: loaded.plan, addresses: addresses) else {
      standardError("refine-check: error: \(file): availability needs the threads 'control' and 'sensor'")
      throw ExitCode(65)
    }
    return AvailabilityPhase(plan: loaded.plan, workload: workload, systemPath: shownSystemPath(file))
  }

  /// Run the campaign; write the counterexample's trace file into `out`.
  func run(seed: UInt64, traces: Int, steps: Int, specBug: SpecBug?, out: String) -> Outcome {
    let clock = ContinuousClock()
    let start = clock.now
    // The traces run on every core; the report does not depend on how many.
    var report = runAvailabilityCampaign(
      plan: plan, workload: workload, seed: seed, traces: traces, steps: steps, specBug: specBug,
      jobs: ProcessInfo.processInfo.activeProcessorCount)
    let d = clock.now - start
    if let c = report.counterexample {
      var trace = TraceFile(
        system: .init(path: systemPath, plan: plan), seed: seed, traceSeed: c.traceSeed, traceIndex: c.traceIndex,
        originalLength: c.originalLength, events: c.events, expected: .init(c.failure))
      trace.availability = workload.property
      trace.specBug = specBug
      let url = URL(fileURLWithPath: out).appendingPathComponent(
        "availability-seed\(seed)-\(c.traceIndex)-\(String(c.traceSeed, radix: 16)).json")
      do {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out), withIntermediateDirectories: true)
        try trace.encoded().write(to: url)
        let cwd = FileManager.default.currentDirectoryPath + "/"
        report.counterexample?.traceFile = url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
      } catch {
        standardError("refine-check: warning: cannot write the trace file \(url.path): \(error.localizedDescription)")
      }
    }
    return Outcome(
      system: systemPath, report: report,
      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
  }
}

/// The human report of the availability phase.
func printAvailability(_ outcome: AvailabilityPhase.Outcome) {
  let r = outcome.report
  print("Availability (\(outcome.system), seed \(r.seed))")
  print(
    "  simulated \(r.ticks) ticks = \(r.periods) control-loop periods (\(r.runnablePeriods) of them runnable), \(r.traces) traces, \(r.events) events, \(formatSeconds(outcome.seconds))"
  )
  print(
    "  checked   \(r.windowsChecked) guarantee intervals, \(r.interrupts) device interrupts (\(r.interruptsAfterAck) after an Ack that unmasked the line, \(r.acksThatUnmasked) such Acks); every event in lockstep too"
  )
  print(
    "  ran       " + r.ranTicks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
      + " ticks")
  if let c = r.counterexample {
    print(
      "  VIOLATED in trace \(c.traceIndex) (seed \(c.traceSeed)), shrunk \(c.originalLength) -> \(c.events.count) events"
    )
    printFailure(c.failure, events: c.events)
    if let file = c.traceFile { print("  replay    swift run refine-check replay \(file)") }
  } else {
    print(r.held ? "  held (tested, not proved)" : "  NOT COVERED: no time passed")
  }
}

/// What became of the availability phase in the default run.
enum AvailabilityOutcome: Encodable {
  case ran(AvailabilityPhase.Outcome)
  /// No system to run it on: a failure of the default run, never a silent pass.
  case notRun(String)

  var passed: Bool { if case .ran(let o) = self { o.report.held } else { false } }

  /// The default run's phase: `Systems/mixed-criticality.cdl` found upward from here, the default
  /// size, trace files of a violation in the campaign's folder.
  static func runDefault(
    seed: UInt64, traces: Int = AvailabilityPhase.defaultTraces, steps: Int = AvailabilityPhase.defaultSteps
  ) -> AvailabilityOutcome {
    guard let phase = try? AvailabilityPhase.load(nil) else {
      return .notRun("Systems/mixed-criticality.cdl was not found here or above, or did not load")
    }
    return .ran(phase.run(seed: seed, traces: traces, steps: steps, specBug: nil, out: ".build/refine-check/traces"))
  }

  /// The summary line.
  var summary: String {
    switch self {
    case .ran(let o):
      let r = o.report
      if let c = r.counterexample {
        return
          "VIOLATED: \(c.failure.name) at step \(c.failure.step) of a \(c.events.count)-event trace (\(c.failure.explanation))\(c.traceFile.map { "; replay \($0)" } ?? "")"
      }
      return r.held
        ? "held on \(o.system): \(r.periods) control-loop periods (\(r.runnablePeriods) runnable), \(r.events) events in lockstep (tested, not proved)"
        : "NOT COVERED: no time passed"
    case .notRun(let reason): return "NOT RUN: \(reason)"
    }
  }

  /// The phase's section of the human report.
  func printDetails() {
    switch self {
    case .ran(let o): printAvailability(o)
    case .notRun(let reason):
      print("Availability")
      print("  NOT RUN: \(reason)")
    }
  }

  func encode(to encoder: any Encoder) throws {
    switch self {
    case .ran(let o): try o.encode(to: encoder)
    case .notRun(let reason):
      var container = encoder.singleValueContainer()
      try container.encode(["notRun": reason])
    }
  }
}

// `refine-check check --exhaustive --depth K`: every event sequence of the alphabet up to depth K,
// breadth first with state hashing; a violation is written as a trace file that `replay` re-runs.

import ArgumentParser
import Foundation
import Kernel
import KernelABI
import Refinement

extension Check {
  func runExhaustive() throws {
    let plan: SystemPlan
    let systemName: String
    let systemPath: String
    if let system {
      (plan, systemName) = try loadSystem(system)
      let cwd = FileManager.default.currentDirectoryPath + "/"
      systemPath = systemName.hasPrefix(cwd) ? String(systemName.dropFirst(cwd.count)) : systemName
    } else {
      plan = try smallSystem()
      systemName = smallSystemName
      systemPath = "builtin-small"
    }
    let bug = plantBug.flatMap(PlantedBug.init(rawValue:))
    let options = ExhaustiveOptions(
      depth: depth ?? 2, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, timeLimit: time, plantedBug: bug)
    if !json {
      standardError("system: \(systemName)")
      if let bug { standardError("test only: layers with planted bug \(bug.rawValue)") }
    }
    let live = isatty(2) != 0
    let clock = ContinuousClock()
    let start = clock.now
    let lastPrinted = ProgressCounter()
    let showProgress = !json
    var report = exploreExhaustively(plan: plan, options: options) { level, states, transitions in
      guard showProgress else { return }
      let d = clock.now - start
      let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
      // One line every two seconds at most (live on a terminal, plain lines otherwise).
      guard Int(seconds / 2) > lastPrinted.value else { return }
      while lastPrinted.value < Int(seconds / 2) { _ = lastPrinted.increment() }
      let line =
        "exhaustive: depth \(level)/\(options.depth), \(states) states, \(transitions) transitions, \(Int(Double(transitions) / max(seconds, 1e-9))) transitions/s"
      if live {
        FileHandle.standardError.write(Data(("\r" + line).utf8))
      } else {
        standardError(line)
      }
    }
    if showProgress && live && lastPrinted.value > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    report.system = systemPath

    if let v = report.violation {
      let trace = TraceFile(
        system: .init(path: systemPath, plan: plan), seed: 0, traceSeed: nil, traceIndex: nil,
        originalLength: v.events.count, events: v.events, expected: .init(v.failure), plantedBug: bug)
      let name =
        "exhaustive-depth\(v.events.count)-\(String(UInt64(truncatingIfNeeded: stableHash(v.events)), radix: 16)).json"
      let url = URL(fileURLWithPath: out).appendingPathComponent(name)
      do {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out), withIntermediateDirectories: true)
        try trace.encoded().write(to: url)
        let cwd = FileManager.default.currentDirectoryPath + "/"
        report.violation?.traceFile = url.path.hasPrefix(cwd) ? String(url.path.dropFirst(cwd.count)) : url.path
      } catch {
        standardError("refine-check: warning: cannot write the trace file \(url.path): \(error.localizedDescription)")
      }
    }
    if json {
      printJSON(report)
    } else {
      printExhaustive(report)
    }
    if report.violation != nil || report.transitions == 0 { throw ExitCode(1) }
  }
}

/// A hash of the events' text that is the same in every run (Swift's `Hasher` is seeded per
/// process): FNV-1a over the description.
func stableHash(_ events: [Event]) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in events.map({ String(describing: $0) }).joined(separator: ";").utf8 {
    h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
  }
  return h
}

/// The human report of an exhaustive exploration.
func printExhaustive(_ report: ExhaustiveReport) {
  print("Exhaustive exploration (depth \(report.depth))")
  if let system = report.system { print("  system       \(system)") }
  print("  states       \(report.states) distinct   (\(wholeRate(report.statesPerSecond)) states/s)")
  print(
    "  transitions  \(report.transitions)   (\(wholeRate(report.transitionsPerSecond)) transitions/s, each checked: R1, R2, observations, invariants)"
  )
  print("  per depth    \(report.statesPerDepth.map(String.init).joined(separator: ", ")) new states")
  print(
    "  explored     every sequence up to depth \(report.depthCompleted) of \(report.depth)\(report.stoppedBy == "time" ? " (time budget spent)" : "")"
  )
  print("  time         \(formatSeconds(report.seconds))")
  print("  coverage     \(report.coverage.filter { $0.value > 0 }.count) (operation, outcome) pairs reached")
  print("  violations   \(report.violation == nil ? 0 : 1)")
  if let v = report.violation {
    print("")
    print("VIOLATION after \(v.events.count) event(s) (a shortest sequence over the alphabet)")
    printFailure(v.failure, events: v.events)
    if let file = v.traceFile { print("  replay    swift run refine-check replay \(file)") }
    print("FAILED")
  } else if report.transitions == 0 {
    print("NOT COVERED: no event could be taken from the initial state (no thread can run): nothing was tested")
  } else if report.complete {
    print(
      "held: R1, R2, observations and invariants on every alphabet sequence up to depth \(report.depth) (exhaustive within the alphabet and depth, not proved)"
    )
  } else {
    print(
      "held on what was explored: every sequence up to depth \(report.depthCompleted) only, not the \(report.depth) asked (the time budget ran out)"
    )
  }
}

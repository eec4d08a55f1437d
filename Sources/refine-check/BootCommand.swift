// `refine-check boot FILE.cdl`: boot a capDL description by system calls and check the result.
//
// Exit codes: 0 the boot held in lockstep and the booted state realises the description (what no
// layer models is listed, not failed); 1 a lockstep check failed during the boot (the shrunk
// failure trace is written, replayable with `replay`); 3 the boot held but the booted state does
// not realise the description; 65 bad input (unreadable, refused by the loader with
// `file:line:col`, or a description the boot cannot lay out).

import ArgumentParser
import Boot
import CapDL
import Foundation
import Kernel
import KernelABI
import Refinement

struct BootCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "boot",
    abstract:
      "Boot a capDL description by system calls from a root task (the capDL initialiser's algorithm) on all three layers in lockstep, then check that the booted state realises the description.",
    discussion: """
      Exit codes: 0 booted and realised (constructs no layer models are listed), 1 a lockstep check \
      failed during the boot (the shrunk trace is written to --out), 3 the booted state does not \
      realise the description, 65 bad input.
      """)

  @Argument(help: "The capDL file.")
  var file: String

  @Flag(help: "Print a JSON report instead of the human summary.")
  var json = false

  @Flag(help: "List every boot event with what it does.")
  var verbose = false

  @Option(help: "Folder for the failure trace of a lockstep failure.")
  var out = "failures"

  /// Tests only: a bug planted in the layers, to see the boot's lockstep catch it.
  @Option(name: .customLong("plant-bug"), help: .hidden)
  var plantBug: String?

  func validate() throws {
    if let plantBug, PlantedBug(rawValue: plantBug) == nil {
      throw ValidationError("--plant-bug must be one of \(PlantedBug.allCases.map(\.rawValue).joined(separator: ", "))")
    }
  }

  func run() throws {
    let text = try readInputText(file, what: "system file")
    let boot: Boot
    do {
      let model = try CapDLModel.parse(text, file: file)
      let loaded = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
      noteLoaderAdjustments(loaded, model, file: file)
      boot = try Boot(loaded)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    if let problem = validateStartingState(boot.start).first {
      standardError("refine-check: error: \(file): the root task's start state is not valid: \(problem)")
      throw ExitCode(65)
    }
    let clock = ContinuousClock()
    let began = clock.now
    let bug = plantBug.flatMap(PlantedBug.init(rawValue:))
    var kernel = KernelState(plan: boot.start)
    kernel.plantedBug = bug
    if let bug, !json { standardError("test only: kernel with planted bug \(bug.rawValue)") }
    let result = boot.run(kernel: kernel)
    let elapsed = clock.now - began
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    var traceFile: String?
    if let failure = result.failure {
      let events = Array(boot.events.prefix(result.steps))
      let small = shrink(plan: boot.start, events: events, failure: failure, kernel: kernel)
      // The trace carries the root task's start state: replay needs no capDL file.
      let trace = TraceFile(
        system: .init(path: file, plan: boot.start), seed: 0, traceSeed: nil, traceIndex: nil,
        originalLength: events.count, events: small.events, expected: .init(small.failure), plantedBug: bug)
      let url = URL(fileURLWithPath: out).appendingPathComponent(
        "boot-\(URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent).json")
      do {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: out), withIntermediateDirectories: true)
        try trace.encoded().write(to: url)
        traceFile = url.path
      } catch {
        standardError("refine-check: warning: cannot write the trace file \(url.path): \(error.localizedDescription)")
      }
    }
    let report = BootReport(
      system: file, events: boot.steps.count, stepsRun: result.steps, seconds: seconds,
      memoryMap: boot.memoryMap.map { "0x\(String($0.base, radix: 16)) 2^\($0.sizeBits)" },
      lockstep: result.failure.map { "\($0)" } ?? "held", traceFile: traceFile,
      refusedEvents: result.refused.map { "event \($0.index + 1): \($0.what)" },
      realisation: result.realisation?.verdict, problems: result.realisation?.problems ?? [],
      notModelled: result.realisation?.notModelled ?? [],
      matchesDirectConstruction: result.directConstruction?.matches, directConstruction: result.directConstruction)
    if json {
      printJSON(report)
    } else {
      print("Boot of \(file) by the capDL initialiser's algorithm")
      print("  memory map   \(report.memoryMap.joined(separator: ", "))")
      print("  events       \(report.events) (\(result.steps) run, all three layers, every check each step)")
      print("  time         \(formatSeconds(seconds))")
      if verbose {
        for (i, step) in boot.steps.enumerated() { print("    \(i + 1). \(step.what): \(step.event)") }
      }
      print("  lockstep     \(report.lockstep)")
      if let traceFile { print("  trace        \(traceFile) (replay with `refine-check replay \(traceFile)`)") }
      for refused in report.refusedEvents { print("  refused      \(refused)") }
      if let verdict = report.realisation {
        print("  realisation  \(verdict)")
        for p in report.problems { print("    not realised: \(p)") }
        for n in report.notModelled { print("    not modelled: \(n)") }
      }
      if let comparison = result.directConstruction {
        print(
          "  direct construction  "
            + (comparison.matches
              ? "matches (\(comparison.explained.count) explained differences)"
              : "\(comparison.differences.count) unexplained differences"))
        for d in comparison.differences { print("    differs: \(d)") }
        if verbose { for e in comparison.explained { print("    explained: \(e)") } }
      }
    }
    if result.failure != nil { throw ExitCode(1) }
    if !(result.realisation?.holds ?? false) { throw ExitCode(3) }
  }
}

/// The report of `boot`.
struct BootReport: Encodable {
  let system: String
  /// Boot events computed, and run before the first failure (all of them when none).
  let events: Int
  let stepsRun: Int
  let seconds: Double
  let memoryMap: [String]
  let lockstep: String
  let traceFile: String?
  /// Boot events the layers answered with an error.
  let refusedEvents: [String]
  /// "realised", "realised except what is not modelled", "not realised"; nil after a lockstep failure.
  let realisation: String?
  let problems: [String]
  let notModelled: [String]
  /// Whether the booted state equals the loader's direct construction except the differences the
  /// boot explains (a thread's CSpace root, the root task's objects, ...); nil after a lockstep
  /// failure. Not part of the exit code.
  let matchesDirectConstruction: Bool?
  let directConstruction: DirectConstructionComparison?
}

// `refine-check report`: the trust report (every property and how it is established), or with
// `--html FILE TRACE.json` a self-contained HTML report of a trace file (docs/reports.md).

import ArgumentParser
import CapDL
import Foundation
import KernelABI
import Refinement
import Report

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "List every property with how it is established (proved, checked, tested, not covered), or write an HTML report of a trace.",
    discussion: """
      Without --html: the trust report. Relations and invariants are `tested` by a campaign: the \
      report given with --campaign (the --json output of `check`, `merge` or the default run), or \
      else a short seeded campaign this command runs itself (--seed, --traces, --steps); and by a \
      bounded exhaustive exploration: the report given with --exhaustive-report (the --json output \
      of `check --exhaustive` or the default run), or else every event sequence up to depth 2 from \
      the small built-in system, run by this command (well under a second). Obligations \
      are `proved` as recorded in proofs/obligations.json when the code still builds the same \
      SMT-LIB2 text. Exit codes: 0 no property failed, 1 some property failed, 64 usage error, 65 \
      bad input file. With --html FILE TRACE.json: replay the trace file on all three layers and \
      write one self-contained HTML page (timeline, each step's states, the failure and its diff); \
      exit 0 when written, 65 for a bad trace file or an unwritable output.
      """)

  @Option(
    help:
      "A campaign report (JSON of `check --json`, `merge`, or `refine-check --json`) to take the tested evidence from.")
  var campaign: String?

  @Option(
    name: .customLong("exhaustive-report"),
    help:
      "An exhaustive report (JSON of `check --exhaustive --json` or `refine-check --json`) to take the exhaustive evidence from."
  )
  var exhaustiveReport: String?

  @Flag(help: "Print the trust report as JSON: {properties: [{name, kind, status, evidence, ...}], totals, ...}.")
  var json = false

  @Option(help: "Write an HTML report of TRACE to this file instead of the trust report.")
  var html: String?

  @Argument(help: "With --html: a trace file written by `refine-check check` (docs/traces.md).")
  var trace: String?

  @Option(help: "The capDL system (default: Systems/sample.cdl, found upward from here).")
  var system: String?

  @Option(name: .customLong("proofs"), help: "The proofs folder (default: the nearest ./proofs upward from here).")
  var proofsPath: String?

  @Option(
    parsing: .unconditional, help: "Seed of the campaign run when no --campaign is given.", transform: wholeNumber)
  var seed: UInt64 = 1

  @Option(parsing: .unconditional, help: "Traces of the campaign run when no --campaign is given.")
  var traces: Int = 200

  @Option(parsing: .unconditional, help: "Events per trace of the campaign run when no --campaign is given.")
  var steps: Int = 250

  func validate() throws {
    if html != nil {
      guard trace != nil else {
        throw ValidationError("--html FILE needs a trace file: refine-check report --html FILE TRACE.json")
      }
      if json || campaign != nil || exhaustiveReport != nil {
        throw ValidationError("--html does not combine with --json, --campaign or --exhaustive-report")
      }
    } else if let trace {
      throw ValidationError("'\(trace)': a trace file is read only with --html FILE")
    }
    // A campaign of nothing would test nothing: refuse it rather than report on it.
    guard traces >= 1, steps >= 1 else { throw ValidationError("--traces and --steps must be at least 1") }
  }

  func run() throws {
    if let html, let trace {
      try writeHTML(to: html, trace: trace)
    } else {
      try trustReport()
    }
  }

  // MARK: The trust report

  func trustReport() throws {
    let (plan, systemName) = try loadSystem(system)
    let cwd = FileManager.default.currentDirectoryPath + "/"
    let isFile = FileManager.default.fileExists(atPath: systemName)
    let shown = !isFile ? "builtin" : systemName.hasPrefix(cwd) ? String(systemName.dropFirst(cwd.count)) : systemName
    var model: CapDLModel?
    if isFile, let text = try? InputFile.text(systemName, what: "system file") {
      model = try? CapDLModel.parse(text, file: shown)
    }

    let directory = proofsDirectory()
    let store = ProofStore(directory: directory)
    let record: ProofRecord?
    do {
      record = try store.load()
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    // A proofs folder named on the command line must hold a record: a typo would otherwise turn
    // every obligation into "not covered" with exit 0.
    if let proofsPath, record == nil {
      standardError("refine-check: error: \(proofsPath): no proof record (obligations.json) there")
      throw ExitCode(65)
    }

    // The bounded exhaustive exploration: read (first, so that a bad file is refused before any campaign runs), or run on the small built-in system (as the
    // default run does).
    let exhaustive: ExhaustiveReport
    if let exhaustiveReport {
      exhaustive = try readExhaustive(exhaustiveReport)
    } else {
      var own = exploreExhaustively(
        plan: try smallSystem(),
        options: ExhaustiveOptions(depth: All.exhaustiveDepth, jobs: ProcessInfo.processInfo.activeProcessorCount))
      own.system = "builtin-small"
      exhaustive = own
    }

    let report: CampaignReport
    if let campaign {
      report = try readCampaign(campaign)
      // Tested evidence about another system, or about a system the report does not name, would
      // be a false claim about this one.
      guard let other = report.system else {
        standardError(
          "refine-check: error: \(campaign): field system is missing: the report does not say which system its campaign checked (reports of `check --json`, `merge` and the default run's --json name it)"
        )
        throw ExitCode(65)
      }
      if other != shown {
        func resolved(_ path: String) -> String {
          URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        let same = other != "builtin" && shown != "builtin" && resolved(other) == resolved(shown)
        if !same {
          standardError(
            "refine-check: error: \(campaign): its campaign checked the system '\(other)', but this report is about '\(shown)' (give that system with --system)"
          )
          throw ExitCode(65)
        }
      }
    } else {
      if !json {
        standardError(
          "no --campaign given: running a short campaign (seed \(seed), \(traces) traces of \(steps) events)")
      }
      let options = CampaignOptions(seed: seed, traces: traces, stepsPerTrace: steps)
      report = runCampaignWithProgress(plan: plan, options: options, progress: !json)
    }

    let recordPath =
      store.recordURL.path.hasPrefix(cwd) ? String(store.recordURL.path.dropFirst(cwd.count)) : store.recordURL.path
    let inputs = TrustInputs(
      system: shown, plan: plan, proofRecord: record, proofRecordPath: recordPath, proofsDirectory: directory,
      obligations: Obligation.catalogue, campaign: report, campaignFile: campaign,
      systemProperties: authorityProperties(model: model, system: shown), exhaustive: exhaustive,
      exhaustiveFile: exhaustiveReport)
    var withAvailability = inputs
    // The short availability phase (the default run's is 12 traces of 2,200 events, 35 s of CPU).
    if case .ran(let outcome) = AvailabilityOutcome.runDefault(
      seed: seed, traces: AvailabilityPhase.reportTraces, steps: AvailabilityPhase.reportSteps)
    {
      withAvailability.availability = outcome.report
      withAvailability.availabilitySystem = outcome.system
    }
    let trust = TrustReport(withAvailability)
    if json {
      let data = try trust.json()
      print(String(decoding: data, as: UTF8.self))
    } else {
      print(trust.text)
    }
    if trust.hasFailure { throw ExitCode(1) }
  }

  func proofsDirectory() -> URL {
    if let proofsPath { return URL(fileURLWithPath: proofsPath) }
    var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    while true {
      if FileManager.default.fileExists(atPath: dir.appendingPathComponent("proofs/obligations.json").path) {
        return dir.appendingPathComponent("proofs")
      }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { return URL(fileURLWithPath: "proofs") }
      dir = parent
    }
  }

  /// A campaign report: `check --json` and `merge` print one; the default run's `--json` holds
  /// one under `campaign`.
  func readCampaign(_ file: String) throws -> CampaignReport {
    let data = try readInput(file, what: "campaign report")
    do {
      return try CampaignReport.read(data, file: file)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
  }

  /// An exhaustive report: `check --exhaustive --json` prints one; the default run's `--json`
  /// holds one under `exhaustive`.
  func readExhaustive(_ file: String) throws -> ExhaustiveReport {
    let data = try readInput(file, what: "exhaustive report")
    do {
      return try ExhaustiveReport.read(data, file: file)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
  }

  // MARK: The HTML trace report

  func writeHTML(to output: String, trace path: String) throws {
    let (trace, plan) = try loadTrace(path)
    let timeline = TraceTimeline(trace: trace, plan: plan, file: path)
    let page: String
    do {
      page = try timeline.html()
      try Data(page.utf8).write(to: URL(fileURLWithPath: output))
    } catch {
      standardError("refine-check: error: cannot write the HTML report \(output): \(error.localizedDescription)")
      throw ExitCode(65)
    }
    let failing = timeline.failure.map { " failing at step \($0.step): \($0.kind) \($0.name)" } ?? " no failure"
    print(
      "wrote \(output): \(timeline.steps.count - 1) steps, \(page.utf8.count) bytes;\(failing) (\(timeline.outcome))")
  }
}

// refine-check: the command-line face of the workbench.
//
// Exit codes: 0 everything held; 1 a check failed (an obligation not proved, a record out of
// step); 64 usage error (EX_USAGE); 65 bad input file (EX_DATAERR).

import ArgumentParser
import CapDL
import Foundation
import KernelABI
import Refinement
import SMT
import Scenario

@main
struct RefineCheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refine-check",
    abstract: "Check that the three layers of an seL4-style MCS kernel agree, and prove their obligations.",
    discussion: """
      With no subcommand, runs `all`: every check that exists so far, with one summary. Exit \
      codes: 0 all held, 1 a check failed, 64 usage error, 65 bad input file.
      """,
    subcommands: [
      All.self, Prove.self, Check.self, ReplayCommand.self, Merge.self, Run.self, AuthorityCommand.self,
      ReportCommand.self, Explore.self, Bench.self, Fuzz.self, BootCommand.self, AvailabilityCommand.self,
    ],
    defaultSubcommand: All.self)
}

/// `refine-check all` (the default): every check, one summary.
struct All: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run every check that exists: the proof gate, the ABI known answers and the conformance scenarios, a refinement campaign on the built-in system, an exhaustive depth-2 exploration of the small system; one summary."
  )

  @OptionGroup var location: ProofLocation
  @OptionGroup var campaign: CampaignArguments

  @Option(help: "The capDL system to check (default: Systems/sample.cdl, the built-in system, found upward from here).")
  var system: String?

  @Option(
    help:
      "The conformance scenarios (default: the nearest Scenarios/ folder beside a Systems/ folder, upward from here).")
  var scenarios: String?

  @Flag(help: "Print a JSON report instead of the human summary.")
  var json = false

  func run() throws {
    let (plan, systemName) = try loadSystem(system)
    let small = try smallSystem()
    let proofs = try location.run(check: true, update: false, jobs: nil, filter: nil, progress: !json)
    if !json { standardError("system: \(systemName)") }
    // Known answers for the shared ABI code and the conformance scripts: the checks that see a
    // mistake all three layers make alike, which lockstep comparison cannot.
    let abi = ABIFact.evaluate()
    let conformance = try runConformanceSuite(scenarios)
    var report = campaign.run(plan: plan, progress: !json)
    // The report names its system, so that `report --campaign` can tell what it is evidence about.
    report.system = shownSystemPath(systemName)
    // Availability on the mixed-criticality system (docs/time.md), every event in lockstep too.
    let availability = AvailabilityOutcome.runDefault(seed: campaign.seed)
    // Every sequence of up to two events from the small built-in client/server system (a few
    // seconds in a debug build): a bounded exhaustive check beside the random one.
    var exhaustive = exploreExhaustively(
      plan: small,
      options: ExhaustiveOptions(
        depth: Self.exhaustiveDepth, jobs: campaign.campaignJobs ?? ProcessInfo.processInfo.activeProcessorCount))
    exhaustive.system = "builtin-small"
    let exhaustiveHeld = exhaustive.violation == nil && exhaustive.complete && exhaustive.transitions > 0
    let campaignHeld = report.violations.isEmpty && !report.testedNothing
    if json {
      printJSON(
        AllReport(
          proofs: proofs, abi: abi, conformance: conformance, campaign: report, exhaustive: exhaustive,
          availability: availability))
    } else {
      printSummary(proofs, verbose: false)
      printConformance(abi, conformance)
      printCampaign(report)
      availability.printDetails()
      print("Exhaustive exploration (SystemPlan.smallIPC, depth \(exhaustive.depth))")
      print(
        "  states    \(exhaustive.states) distinct, \(exhaustive.transitions) transitions, \(formatSeconds(exhaustive.seconds))"
      )
      if let v = exhaustive.violation {
        print("  VIOLATION after \(v.events.count) event(s): \(v.failure)")
        print("  (re-run with `refine-check check --exhaustive --depth \(exhaustive.depth)` for the trace file)")
      }
      print("")
      print("Summary")
      print("  system                   \(systemName)")
      // The abstract-invariant obligations hold for a bounded shape, a few others within the bounds
      // their statements give (the refill buffer's size and amounts, docs/time.md), the rest for
      // all inputs.
      let shaped = Set(Obligation.catalogue.filter { $0.name.hasPrefix("abstract.") }.map(\.name))
      let bounded = Set(Obligation.catalogue.filter { $0.bound != nil }.map(\.name)).subtracting(shaped)
      let proved = proofs.obligations.filter { $0.status == .proved }
      let provedShaped = proved.filter { shaped.contains($0.name) }.count
      let provedBounded = proved.filter { bounded.contains($0.name) }.count
      // Among the shape's: the security properties (integrity and authority confinement).
      // The shape named is the one the obligations were built for (the default; `prove --shape`
      // proves others, unrecorded).
      let shapes = Set(Obligation.catalogue.compactMap(\.shape)).map(\.description).sorted()
      let provedSecurity = proved.filter {
        shaped.contains($0.name) && ($0.name.hasSuffix(".integrity") || $0.name.hasSuffix(".authorityConfinement"))
      }.count
      print(
        "  proofs (Z3)              \(proofs.passed ? "held" : "FAILED"): \(proofs.proved)/\(proofs.total) obligations proved (\(proofs.proved - provedShaped - provedBounded) for all inputs, \(provedShaped) for every state of \(shapes.joined(separator: " or ")) (\(provedSecurity) of them integrity and authority confinement), \(provedBounded) within the bounds they state), \(proofs.problems.count) problem(s) with the record"
      )
      print(
        "  ABI known answers        \(abi.passed ? "held" : "FAILED"): \(abi.facts.count - abi.failed.count)/\(abi.facts.count) facts of seL4's ABI hold of the shared code"
      )
      switch conformance {
      case .ran(let suite):
        print(
          "  conformance scenarios    \(suite.passed ? "held" : "FAILED"): \(suite.results.count - suite.failed.count)/\(suite.results.count) scripts passed on all three layers (\(suite.directory))"
        )
      case .notFound(let reason):
        print("  conformance scenarios    NOT RUN: \(reason)")
      }
      print("  refinement R1, R2, observations, invariants")
      print(
        report.testedNothing
          ? "                           NOT COVERED: \(report.nothingTestedReason)"
          : "                           \(campaignHeld ? "held" : "FAILED") on \(report.traces) random traces, \(report.steps) steps (tested, not proved)"
      )
      print(
        "                           \(exhaustiveHeld ? "held" : "FAILED") on every event sequence up to depth \(exhaustive.depth) from the small system, \(exhaustive.states) states (exhaustive within its alphabet and depth, not proved)"
      )
      print("  availability             \(availability.summary)")
      if let twinSteps = report.twinSteps, !report.testedNothing {
        print(
          "  symbolic twin            \(campaignHeld ? "agreed with" : "compared with") AbstractSpec on \(twinSteps) campaign steps (CNode copy, mint, move, mutate, rotate, non-final delete, decode errors; \(report.twinResyncs ?? 0) other steps resynced it); the abstract.* proofs are about the twin"
        )
      }
    }
    if !proofs.passed || !abi.passed || !conformance.passed || !campaignHeld || !exhaustiveHeld || !availability.passed
    {
      throw ExitCode(1)
    }
  }

  static let exhaustiveDepth = 2
}

/// What became of the conformance scripts in the default run.
enum ConformanceOutcome: Encodable {
  case ran(ConformanceSuiteReport)
  /// No folder to run: a failure of the default run, never a silent pass.
  case notFound(String)

  var passed: Bool { if case .ran(let suite) = self { suite.passed } else { false } }

  func encode(to encoder: any Encoder) throws {
    switch self {
    case .ran(let suite): try suite.encode(to: encoder)
    case .notFound(let reason):
      var container = encoder.singleValueContainer()
      try container.encode(["notRun": reason])
    }
  }
}

/// Run the conformance scripts in `path`, or in the `Scenarios/` folder found upward from here;
/// exit 65 for a malformed script or an unreadable folder given by the user.
func runConformanceSuite(_ path: String?) throws -> ConformanceOutcome {
  let directory: URL
  if let path {
    directory = URL(fileURLWithPath: path)
  } else if let found = ConformanceSuiteReport.findDirectory(
    from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
  {
    directory = found
  } else {
    return .notFound(
      "no Scenarios/ folder beside a Systems/ folder in \(FileManager.default.currentDirectoryPath) or above; run from the package or pass --scenarios DIR"
    )
  }
  do {
    return .ran(try ConformanceSuiteReport.run(directory: directory))
  } catch {
    standardError("refine-check: error: \(error)")
    throw ExitCode(65)
  }
}

/// The human summary of the ABI known answers and the conformance scripts.
func printConformance(_ abi: ABIConformanceReport, _ conformance: ConformanceOutcome) {
  print("ABI known answers (shared KernelABI code against seL4's stated behaviour)")
  print("  facts     \(abi.facts.count), \(abi.failed.count) failed")
  for f in abi.failed { print("  FAILED \(f.name): \(f.failure ?? "") [\(f.source)]") }
  print("Conformance scenarios (all three layers in lockstep, seL4's expected outcomes)")
  switch conformance {
  case .ran(let suite):
    print("  scripts   \(suite.results.count), \(suite.failed.count) failed, \(suite.steps) steps")
    for r in suite.failed {
      print("  FAILED \(r.name)")
      if let m = r.message {
        print(m.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
      }
    }
  case .notFound(let reason):
    print("  NOT RUN: \(reason)")
  }
}

/// A non-negative whole number option (a seed, a resource limit), with a message that says so.
/// Numeric options parse their next argument unconditionally, so that `--seed -1` reaches this
/// message (or `validate()`'s) instead of ArgumentParser's "missing value".
func wholeNumber<T: FixedWidthInteger & UnsignedInteger>(_ text: String) throws -> T {
  guard let value = T(text) else {
    throw ValidationError("must be a whole number from 0 to \(T.max)")
  }
  return value
}

/// The longest time limit a flag takes, in seconds (about 31 years): longer ones are refused
/// rather than converted to a clock value that cannot hold them.
let maximumSeconds = 1e9

/// Refuse (as a usage error naming `flag`) a time limit that is not a number of seconds in
/// (0, `maximumSeconds`]: zero, negative, NaN, infinite or too long.
func validateSeconds(_ value: Double, flag: String) throws {
  guard value > 0, value <= maximumSeconds else {
    throw ValidationError(
      "\(flag) must be a number of seconds greater than 0 and at most \(Int(maximumSeconds)) (about 31 years), not \(value)"
    )
  }
}

/// How reports name a system: its path relative to the working directory, or "builtin" for the
/// built-in sample plan (`loadSystem`'s second result is a path or a sentence).
func shownSystemPath(_ systemName: String) -> String {
  guard FileManager.default.fileExists(atPath: systemName) else { return "builtin" }
  let cwd = FileManager.default.currentDirectoryPath + "/"
  return systemName.hasPrefix(cwd) ? String(systemName.dropFirst(cwd.count)) : systemName
}

/// The plan of a capDL system file, or of the built-in `Systems/sample.cdl`; exit 65 on bad input.
func loadSystem(_ path: String?) throws -> (SystemPlan, String) {
  let file: String
  if let path {
    file = path
  } else {
    var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    var found: String?
    while found == nil {
      let candidate = dir.appendingPathComponent("Systems/sample.cdl").path
      if FileManager.default.fileExists(atPath: candidate) { found = candidate }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { break }
      dir = parent
    }
    guard let found else {
      let name = "the built-in sample plan (Systems/sample.cdl not found)"
      return (try builtinPlan(.sample, named: name), name)
    }
    file = found
  }
  let text = try readInputText(file, what: "system file")
  do {
    let model = try CapDLModel.parse(text, file: file)
    // capDL files often declare an untyped smaller than what they put in it (the capDL tool never
    // checks): such an untyped is placed as large as its contents need, and the user is told.
    let loaded = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    noteLoaderAdjustments(loaded, model, file: file)
    try refuseInvalidStartingState(loaded.plan, in: file) { loaded.location(object: $0.objects.first, slot: $0.slot) }
    return (loaded.plan, file)
  } catch let error as ExitCode {
    throw error
  } catch {
    standardError("refine-check: error: \(error)")
    throw ExitCode(65)
  }
}

/// A built-in plan, validated as every loaded system is (`refuseInvalidStartingState`): a mistake in
/// it is bad input (exit 65), not a kernel violation at step 0.
func builtinPlan(_ plan: SystemPlan, named name: String) throws -> SystemPlan {
  try refuseInvalidStartingState(plan, in: name)
  return plan
}

/// `SystemPlan.smallIPC` (the small system with a client, a server and the server's reply
/// object), the system exhaustive runs start from by default, validated.
func smallSystem() throws -> SystemPlan {
  try builtinPlan(.smallIPC, named: smallSystemName)
}

/// How the human reports name the built-in small system.
let smallSystemName = "the built-in small client/server system (SystemPlan.smallIPC)"

/// Exit 65 with one message when `plan` is not a valid starting state (`validateStartingState`):
/// such a state is bad input, not a kernel violation. `location` gives `file:line:col` of what
/// causes a problem, where the input says.
func refuseInvalidStartingState(
  _ plan: SystemPlan, in file: String, location: (StartingStateProblem) -> String? = { _ in nil }
) throws {
  guard let problem = validateStartingState(plan).first else { return }
  standardError("refine-check: error: \(location(problem) ?? file): not a valid starting state: \(problem)")
  throw ExitCode(65)
}

/// The report of the default run.
struct AllReport: Encodable {
  let proofs: ProofReport
  let abi: ABIConformanceReport
  let conformance: ConformanceOutcome
  let campaign: CampaignReport
  let exhaustive: ExhaustiveReport
  let availability: AvailabilityOutcome
}

/// Options of a randomized campaign.
struct CampaignArguments: ParsableArguments {
  @Option(parsing: .unconditional, help: "Campaign seed (same seed and version: same traces).", transform: wholeNumber)
  var seed: UInt64 = 1

  @Option(parsing: .unconditional, help: "Number of random traces.")
  var traces: Int = 1000

  @Option(parsing: .unconditional, help: "Events per trace (a trace also ends when no thread is left to run).")
  var steps: Int = 250

  @Option(
    name: .customLong("campaign-jobs"), parsing: .unconditional,
    help: "Worker threads for the campaign (default: one per core).")
  var campaignJobs: Int?

  func validate() throws {
    // A campaign of nothing would report that everything held: refuse it.
    guard traces >= 1, steps >= 1 else { throw ValidationError("--traces and --steps must be at least 1") }
    if let campaignJobs, campaignJobs < 1 { throw ValidationError("--campaign-jobs must be at least 1") }
  }

  func run(plan: SystemPlan, progress: Bool) -> CampaignReport {
    let options = CampaignOptions(seed: seed, traces: traces, stepsPerTrace: steps, jobs: campaignJobs)
    return runCampaignWithProgress(plan: plan, options: options, progress: progress)
  }
}

/// The Kernel's fastpath decisions among a campaign's kernel paths (`fastpath.call.hit/noReply`
/// and the like), added up over outcomes: `call: hit 85, messageInfo 47402, ...; replyRecv: ...`,
/// most frequent first; nil when there are none.
func fastpathSummary(_ paths: [String: Int]?) -> String? {
  var byCall: [String: [String: Int]] = [:]
  for (key, n) in paths ?? [:] where key.hasPrefix("fastpath.") && n > 0 {
    let parts = key.split(separator: "/")[0].split(separator: ".")
    guard parts.count == 3 else { continue }
    byCall[String(parts[1]), default: [:]][String(parts[2]), default: 0] += n
  }
  guard !byCall.isEmpty else { return nil }
  return byCall.keys.sorted().map { call in
    let decisions = (byCall[call] ?? [:]).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    return "\(call): " + decisions.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
  }.joined(separator: "; ")
}

/// The human summary of a campaign.
func printCampaign(_ report: CampaignReport) {
  print("Refinement campaign (seed \(report.seed))")
  print("  traces    \(report.traces)")
  print(
    "  steps     \(report.steps)   (\(wholeRate(report.stepsPerSecond)) steps/s, all three layers, every relation and invariant checked each step)"
  )
  print("  time      \(formatSeconds(report.seconds))")
  if let twinSteps = report.twinSteps {
    print(
      "  twin      \(twinSteps) steps run on the symbolic twin and compared with AbstractSpec, \(report.twinResyncs ?? 0) resyncs after events it does not cover"
    )
  }
  let reached = report.coverage.filter { $0.value > 0 }.count
  print("  coverage  \(reached) (operation, outcome) pairs reached", terminator: "")
  if let paths = report.kernelPaths {
    print(", \(paths.filter { $0.value > 0 }.count) named kernel paths", terminator: "")
  }
  if let shapes = report.mdbShapes {
    print(", \(shapes.filter { $0.value > 0 }.count) derivation-tree shapes")
  } else {
    print("")
  }
  if let line = fastpathSummary(report.kernelPaths) { print("  fastpath  \(line)") }
  print("  violations \(report.violations.count)")
  for v in report.violations.prefix(3) {
    print("  trace seed \(v.traceSeed), \(v.events.count) events: \(v.failure)")
  }
}

/// Where the proofs and the cache live.
struct ProofLocation: ParsableArguments {
  @Option(name: .customLong("proofs"), help: "The proofs folder (default: the nearest ./proofs upward from here).")
  var proofsPath: String?

  @Option(
    name: .customLong("cache"),
    help: "The local proof cache file (default: .build/refine-check/proof-cache.json beside the proofs folder).")
  var cachePath: String?

  @Flag(name: .customLong("no-cache"), help: "Solve every obligation, even ones proved before on this machine.")
  var noCache = false

  @Option(
    parsing: .unconditional, help: "Z3 resource limit per query (deterministic; exhaustion is `unknown`).",
    transform: wholeNumber)
  var rlimit: UInt32 = 100_000_000

  @Option(parsing: .unconditional, help: "Wall-clock limit per query, in seconds (exhaustion is `unknown`).")
  var timeout: Double = 60

  func validate() throws {
    try validateSeconds(timeout, flag: "--timeout")
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
    try run(Obligation.catalogue, check: check, update: update, jobs: jobs, filter: filter, progress: progress)
  }

  /// Run `obligations`; with `compareWithRecord` false (another shape than the record's), neither
  /// compare them with `proofs/` nor rewrite it.
  func run(
    _ obligations: [Obligation], check: Bool, update: Bool, jobs: Int?, filter: String?, progress: Bool,
    compareWithRecord: Bool = true
  ) throws -> ProofReport {
    let options = ProofRunOptions(
      proofsDirectory: proofsDirectory, cacheFile: cacheFile, check: check, update: update,
      limits: SolverLimits(resourceLimit: rlimit, wallClockSeconds: timeout), jobs: jobs, filter: filter,
      compareWithRecord: compareWithRecord)
    let total = obligations.count
    let done = ProgressCounter()
    do {
      return try runProofs(obligations, options: options) { result in
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
  private var count = 0
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    count += 1
    return count
  }
}

func standardError(_ line: String) {
  FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// The bytes of a UTF-8 input file (JSON), or exit 65 with the one message for its cause
/// (`InputFile`).
func readInput(_ path: String, what: String) throws -> Data {
  do {
    return try InputFile.utf8Data(path, what: what)
  } catch {
    standardError("refine-check: error: \(error)")
    throw ExitCode(65)
  }
}

/// The UTF-8 text of an input file, or exit 65 with the one message for its cause (`InputFile`).
func readInputText(_ path: String, what: String) throws -> String {
  do {
    return try InputFile.text(path, what: what)
  } catch {
    standardError("refine-check: error: \(error)")
    throw ExitCode(65)
  }
}

func formatSeconds(_ s: Double) -> String {
  s >= 0 && s < 1 ? "\(Int((s * 1000).rounded())) ms" : String(format: "%.2f s", s)
}

/// A rate as a whole number; figures a report file claims (merged or edited) can be beyond any
/// `Int`, infinite or not a number, and are printed as they are rather than trapping.
func wholeRate(_ rate: Double) -> String {
  rate.isFinite && rate > -9e15 && rate < 9e15 ? String(Int(rate)) : String(describing: rate)
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

/// Tells the user where the loader read a description differently from how it is written: an
/// untyped grown to hold its contents, a cap beyond its CNode's radix put where seL4 puts it.
func noteLoaderAdjustments(_ loaded: CapDLLoadResult, _ model: CapDLModel, file: String) {
  for (id, grown) in loaded.grownUntypeds.sorted(by: { $0.key < $1.key }) {
    let place = model.objectPositions[id].map { "\(file):\($0.line):\($0.column)" } ?? file
    standardError(
      "refine-check: note: \(place): untyped '\(id)' is declared \(grown.declaredBits) bits but its contents need "
        + "\(grown.placedBits): placed as \(grown.placedBits) bits")
  }
  for (at, index) in loaded.wrappedSlots.sorted(by: { $0.key < $1.key }) {
    let place = model.capPositions[at].map { "\(file):\($0.line):\($0.column)" } ?? file
    standardError(
      "refine-check: note: \(place): slot \(at.slot) of '\(at.object)' is beyond its CNode's radix: "
        + "capdl-loader-app mints it with the radix as depth and seL4 reads only those low bits, so the cap "
        + "is put in slot \(index)")
  }
  for (child, parent) in loaded.ignoredCDT.sorted(by: { $0.key < $1.key }) {
    let place = model.capPositions[child].map { "\(file):\($0.line):\($0.column)" } ?? file
    standardError(
      "refine-check: note: \(place): the cdt makes (\(child.object), \(child.slot)) a child of (\(parent.object), "
        + "\(parent.slot)), a cap to another object, which no kernel can hold: left out, as capdl-loader-app "
        + "ignores the cdt")
  }
}

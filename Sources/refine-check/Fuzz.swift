// `refine-check fuzz`: the command line's own fuzz harness (docs/fuzzing.md).
//
// Mutates the five kinds of input a user hands the tool (capDL files, scenario scripts, trace
// files, campaign reports, explorer sessions; capDL files also through `boot`, as a sixth kind
// with its own exit codes) and runs the real subcommands on each mutant, in
// worker processes of this same binary that run one case after another in-process. The parent
// bounds each case in time and each worker in memory; a worker that dies takes only its current
// case with it (recorded as a crash) and is replaced. A case fails the contract when it crashes,
// hangs, exits with a code other than 0, 1, 64 or 65 (`boot`: 0, 1, 3 or 65), or exits 65 without naming the input file
// (and, for capDL and scenario files, a line). Deterministic for a seed: case i is made from the
// seed and i alone.

import ArgumentParser
import Foundation
import KernelABI
import Refinement
import Scenario

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct Fuzz: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Fuzz the command line: run its subcommands on mutated inputs and report any crash, hang or exit outside the contract.",
    discussion: """
      Kinds: capdl, scenario, trace, report, explorer, boot. Each case is bounded by --timeout seconds and \
      each worker by --memory-mb. Failing cases are kept under --out with the command that \
      reproduces them. Exit codes: 0 every case kept the contract, 1 some did not, 64 usage error, \
      65 the seed inputs (Systems/, Scenarios/) cannot be found.
      """)

  @Option(help: "Number of cases.")
  var cases: Int = 300

  @Option(help: "Seed (same seed and version: same cases).")
  var seed: UInt64 = 1

  @Option(help: "Kinds of input to mutate, comma-separated (default: all six).")
  var kinds: String?

  @Option(
    help: "Seconds of processor time a case may use before it counts as a hang (wall time where that is not known).")
  var timeout: Double = 10

  @Option(name: .customLong("memory-mb"), help: "Address-space limit of each worker process, in MiB.")
  var memoryMB: Int = 4096

  @Option(help: "Worker processes (default: one per core).")
  var jobs: Int?

  @Option(help: "Folder for the cases' files and the failing cases (default: .build/refine-check/fuzz).")
  var out: String?

  @Flag(help: "Print the summary as JSON.")
  var json = false

  @Flag(help: .hidden)
  var worker = false

  /// Test only: every fifth case is replaced by one that breaks the contract this way, so that a
  /// test can see the harness catch it.
  @Option(help: .hidden)
  var plant: FuzzPlant?

  func validate() throws {
    guard cases >= 1, cases <= 10_000_000 else { throw ValidationError("--cases must be in 1...10000000") }
    guard timeout.isFinite, timeout > 0, timeout <= 3600 else {
      throw ValidationError("--timeout must be a number of seconds in (0, 3600]")
    }
    guard memoryMB >= 256, memoryMB <= 1 << 20 else { throw ValidationError("--memory-mb must be in 256...1048576") }
    if let jobs { guard jobs >= 1, jobs <= 64 else { throw ValidationError("--jobs must be in 1...64") } }
    if let kinds {
      for k in kinds.split(separator: ",") where FuzzKind(rawValue: String(k)) == nil {
        throw ValidationError("unknown kind '\(k)' in --kinds (capdl, scenario, trace, report, explorer, boot)")
      }
    }
  }

  func run() throws {
    if worker {
      FuzzWorker.run(memoryMB: memoryMB)
      return
    }
    let selected =
      kinds.map { $0.split(separator: ",").compactMap { FuzzKind(rawValue: String($0)) } } ?? FuzzKind.allCases
    let folder = URL(fileURLWithPath: out ?? ".build/refine-check/fuzz").standardizedFileURL
    let seeds: FuzzSeeds
    do {
      seeds = try FuzzSeeds.load(scratch: folder)
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    let options = FuzzRun.Options(
      cases: cases, seed: seed, kinds: selected, timeout: timeout, memoryMB: memoryMB,
      jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, folder: folder, progress: !json, plant: plant)
    let summary = FuzzRun(options: options, seeds: seeds).run()
    if json {
      printJSON(summary)
    } else {
      summary.printHuman()
    }
    if !summary.failures.isEmpty || summary.cases < cases { throw ExitCode(1) }
  }
}

/// A broken case for the harness's own tests: what the worker does instead of running a command.
enum FuzzPlant: String, CaseIterable, Codable, Sendable, ExpressibleByArgument {
  case crash, hang, exit, unlocated
}

/// The kinds of input the harness mutates.
enum FuzzKind: String, CaseIterable, Codable, Sendable {
  case capdl, scenario, trace, report, explorer
  /// capDL files (the `capdl` seeds, mutated the same way) run through `boot`.
  case boot

  /// The exit codes that keep the contract: `boot` adds 3 (booted but not realised) and has no
  /// usage error (its command line is fixed).
  var allowedExits: Set<Int32> { self == .boot ? [0, 1, 3, 65] : [0, 1, 64, 65] }
}

// MARK: - Seeds

/// The valid inputs mutants are made from.
struct FuzzSeeds: Sendable {
  var capdl: [(name: String, text: String)]
  var scenarios: [(name: String, text: String)]
  var traces: [String]
  var reports: [String]
  /// The package root (for scenario scripts that name `../Systems/sample.cdl`).
  var root: URL

  struct Missing: Error, CustomStringConvertible { var description: String }

  static func load(scratch: URL) throws -> FuzzSeeds {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    guard let scenarios = ConformanceSuiteReport.findDirectory(from: cwd) else {
      throw Missing(
        description:
          "fuzz: no Scenarios/ folder beside a Systems/ folder in \(cwd.path) or above (run from the package)")
    }
    let root = scenarios.deletingLastPathComponent()
    func texts(_ dir: URL, _ ext: String) -> [(String, String)] {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
      return names.filter { $0.hasSuffix(ext) }.sorted().compactMap { name in
        (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
      }
    }
    let capdl =
      texts(root.appendingPathComponent("Systems"), ".cdl")
      + texts(root.appendingPathComponent("Tests/TestSupport/CapDL"), ".cdl")
    let scripts = texts(scenarios, ".scenario")
    guard !capdl.isEmpty, !scripts.isEmpty else {
      throw Missing(description: "fuzz: no capDL files in \(root.path)/Systems or no scripts in \(scenarios.path)")
    }
    // A trace file and a campaign report, made by this binary on the sample system.
    let work = scratch.appendingPathComponent("seeds")
    try? FileManager.default.removeItem(at: work)
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let made = runSelf(
      [
        "check", "--traces", "40", "--steps", "60", "--plant-bug", "mintIgnoresRightsMask", "--stop-on-violation",
        "--json", "--out", work.path,
      ], cwd: work)
    let traces = ((try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? [])
      .filter { $0.hasSuffix(".json") }.sorted()
      .compactMap { try? String(contentsOf: work.appendingPathComponent($0), encoding: .utf8) }
    let clean = runSelf(["check", "--traces", "8", "--steps", "40", "--json"], cwd: work)
    let reports = [made, clean].filter { $0.hasPrefix("{") }
    guard !traces.isEmpty, !reports.isEmpty else {
      throw Missing(description: "fuzz: could not make a seed trace file and campaign report in \(work.path)")
    }
    return FuzzSeeds(
      capdl: capdl.map { (name: $0.0, text: $0.1) }, scenarios: scripts.map { (name: $0.0, text: $0.1) },
      traces: traces, reports: reports, root: root)
  }

  /// Run this binary with `arguments`; its standard output.
  static func runSelf(_ arguments: [String], cwd: URL) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: selfPath)
    process.arguments = arguments
    process.currentDirectoryURL = cwd
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static var selfPath: String {
    Bundle.main.executablePath ?? CommandLine.arguments[0]
  }
}

// MARK: - Cases

/// One case: the files to write, the command line, its standard input, and what a 65 must name.
struct FuzzCase: Codable, Sendable {
  var id: Int
  var kind: FuzzKind
  /// File name → contents (bytes, so that invalid UTF-8 can be written).
  var files: [String: Data]
  var argv: [String]
  /// A file name (among `files`) to use as standard input.
  var stdin: String?
  /// The file a refusal (65) must name.
  var input: String
  /// Whether that refusal must also give a line (`file:LINE`).
  var needsLine: Bool
}

/// Makes case i from the seeds, the seed and i alone.
struct FuzzCaseMaker {
  let seeds: FuzzSeeds
  let seed: UInt64
  let kinds: [FuzzKind]

  func make(_ id: Int) -> FuzzCase {
    var rng = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: id) &* 0x9E37_79B9_7F4A_7C15))
    let kind = kinds[id % kinds.count]
    switch kind {
    case .capdl: return capdl(id, &rng)
    case .scenario: return scenario(id, &rng)
    case .trace: return json(id, kind, seeds.traces, &rng)
    case .report: return json(id, kind, seeds.reports, &rng)
    case .explorer: return explorer(id, &rng)
    case .boot: return boot(id, &rng)
    }
  }

  /// A mutated capDL file through `boot` (exit 0 realised, 1 lockstep failure, 3 not realised,
  /// 65 refused with `file:line`). Its own kind, so that the other kinds' cases are unchanged
  /// when it is not selected.
  func boot(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
    let base = seeds.capdl[Int(rng.below(UInt64(seeds.capdl.count)))]
    let text = Mutate.text(base.text, &rng, rounds: 1 + Int(rng.below(4)))
    let file = "system.cdl"
    let argv = rng.chance(50) ? ["boot", file, "--json"] : ["boot", file, "--verbose"]
    return FuzzCase(
      id: id, kind: .boot, files: [file: Mutate.bytes(text, &rng)], argv: argv + ["--out", "failures"], stdin: nil,
      input: file, needsLine: true)
  }

  func capdl(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
    let base = seeds.capdl[Int(rng.below(UInt64(seeds.capdl.count)))]
    let text = Mutate.text(base.text, &rng, rounds: 1 + Int(rng.below(4)))
    let file = "system.cdl"
    let argv: [String]
    switch rng.below(4) {
    case 0: argv = ["authority", file]
    case 1: argv = ["explore", "--system", file]
    case 2: argv = ["check", "--exhaustive", "--depth", "1", "--system", file]
    default: argv = ["check", "--system", file, "--traces", "2", "--steps", "20", "--jobs", "1"]
    }
    return FuzzCase(
      id: id, kind: .capdl, files: [file: Mutate.bytes(text, &rng), "quit.txt": Data("quit\n".utf8)], argv: argv,
      stdin: argv.first == "explore" ? "quit.txt" : nil, input: file, needsLine: true)
  }

  func scenario(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
    let base = seeds.scenarios[Int(rng.below(UInt64(seeds.scenarios.count)))]
    // Scripts name the sample as ../Systems/sample.cdl; point that at the package's copy.
    let absolute = seeds.root.appendingPathComponent("Systems/sample.cdl").path
    let text = Mutate.text(
      base.text.replacingOccurrences(of: "\"../Systems/sample.cdl\"", with: "\"\(absolute)\""), &rng,
      rounds: 1 + Int(rng.below(4)))
    let file = "script.scenario"
    let explore = rng.chance(20)
    return FuzzCase(
      id: id, kind: .scenario, files: [file: Mutate.bytes(text, &rng), "quit.txt": Data("last\ncheck\nquit\n".utf8)],
      argv: explore ? ["explore", "--scenario", file] : ["run", file], stdin: explore ? "quit.txt" : nil, input: file,
      needsLine: true)
  }

  func json(_ id: Int, _ kind: FuzzKind, _ bases: [String], _ rng: inout SplitMix64) -> FuzzCase {
    let base = bases[Int(rng.below(UInt64(bases.count)))]
    let text = rng.chance(80) ? Mutate.json(base, &rng) : Mutate.text(base, &rng, rounds: 1 + Int(rng.below(3)))
    let file = kind == .trace ? "trace.json" : "report.json"
    let argv: [String]
    if kind == .trace {
      switch rng.below(3) {
      case 0: argv = ["replay", file]
      case 1: argv = ["report", "--html", "page.html", file]
      default: argv = ["explore", file]
      }
    } else {
      argv = rng.chance(50) ? ["merge", file, file] : ["report", "--campaign", file, "--json"]
    }
    return FuzzCase(
      id: id, kind: kind, files: [file: Mutate.bytes(text, &rng), "quit.txt": Data("last\nquit\n".utf8)], argv: argv,
      stdin: argv.first == "explore" ? "quit.txt" : nil, input: file, needsLine: false)
  }

  func explorer(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
    let words = [
      "step", "back", "next", "last", "first", "goto", "show", "thread", "main", "objects", "slots", "cdt", "caps",
      "threads", "kernel", "exec", "abstract", "memory", "+", "-", "check", "why", "diff", "do", "save", "help",
      "where",
      "valid_mdb", "R1", "R2", "root_cnode", "ep", "ntfn", "slot",
      "CNode_Copy(root_cnode, 20, 56, root_cnode, 3, 56, RW)",
      "CNode_Revoke(root_cnode, 3, 56)", "Untyped_Retype(ut_small, Endpoint, 0, root_cnode, 0, 0, 30, 1)", "quit",
    ]
    var lines: [String] = []
    for _ in 0..<(1 + Int(rng.below(30))) {
      var line: [String] = []
      for _ in 0..<(1 + Int(rng.below(5))) {
        line.append(rng.chance(15) ? Mutate.boundaryNumber(&rng) : (rng.pick(words) ?? "step"))
      }
      if rng.chance(3) {
        line =
          Array(repeating: rng.pick(["kernel", "exec", "abstract"]) ?? "kernel", count: Int(rng.below(2000))) + ["show"]
      }
      if rng.chance(3) { line = [String(repeating: "s", count: Int(rng.below(50_000)))] }
      lines.append(line.joined(separator: " "))
    }
    let trace = seeds.traces[Int(rng.below(UInt64(seeds.traces.count)))]
    let session = lines.joined(separator: rng.chance(10) ? "\r\n" : "\n") + "\n"
    let useTrace = rng.chance(50)
    return FuzzCase(
      id: id, kind: .explorer, files: ["trace.json": Data(trace.utf8), "session.txt": Data(session.utf8)],
      argv: useTrace ? ["explore", "trace.json"] : ["explore"], stdin: "session.txt", input: "trace.json",
      needsLine: false)
  }
}

// MARK: - Mutations

enum Mutate {
  static let boundaries: [String] = [
    "0", "1", "-1", "7", "8", "31", "32", "47", "48", "52", "56", "57", "58", "63", "64", "65", "127", "128", "255",
    "256",
    "4096", "65535", "2147483647", "2147483648", "4294967295", "4294967296", "140737488355327", "140737488355328",
    "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
    "0xffffffffffffffff", "0x10000000000000000", "0x8000000000000000", "99999999999999999999999999", "1e308", "-0",
  ]

  static func boundaryNumber(_ rng: inout SplitMix64) -> String { rng.pick(boundaries) ?? "0" }

  /// Tokens: runs of identifier characters, or single other characters (whitespace kept).
  static func tokens(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    for c in text {
      if c.isLetter || c.isNumber || c == "_" {
        current.append(c)
      } else {
        if !current.isEmpty { out.append(current) }
        current = ""
        out.append(String(c))
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  /// Structure-aware text mutation: numbers to boundaries, tokens deleted, duplicated, swapped or
  /// replaced by others from the text, lines duplicated or dropped, deep nesting, truncation, CRLF.
  static func text(_ text: String, _ rng: inout SplitMix64, rounds: Int) -> String {
    var toks = tokens(text)
    for _ in 0..<rounds {
      guard !toks.isEmpty else { break }
      let k = Int(rng.below(UInt64(toks.count)))
      switch rng.below(12) {
      case 0, 1, 2:
        // A number (or any token) to a boundary value.
        let numbers = toks.indices.filter { toks[$0].first?.isNumber == true }
        let at = rng.pick(numbers) ?? k
        toks[at] = boundaryNumber(&rng)
      case 3: toks.remove(at: k)
      case 4: toks.insert(toks[k], at: k)
      case 5: toks.swapAt(k, Int(rng.below(UInt64(toks.count))))
      case 6: toks[k] = toks[Int(rng.below(UInt64(toks.count)))]
      case 7:
        // Duplicate or drop a whole line.
        var lines = toks.joined().components(separatedBy: "\n")
        let l = Int(rng.below(UInt64(lines.count)))
        if rng.chance(50) { lines.insert(lines[l], at: l) } else { lines.remove(at: l) }
        toks = tokens(lines.joined(separator: "\n"))
      case 8:
        // Deep nesting.
        let depth = Int(rng.below(3000))
        toks.insert(
          String(repeating: "{ ", count: depth) + String(repeating: "} ", count: rng.chance(50) ? depth : 0), at: k)
      case 9: toks.removeSubrange(k..<toks.count)
      case 10: toks = tokens(toks.joined().replacingOccurrences(of: "\n", with: "\r\n"))
      default:
        toks.insert(rng.pick(["(", ")", "{", "}", ":", ",", "=", "-", "[", "]", "\"", "--", "/*", "@"]) ?? ":", at: k)
      }
    }
    return toks.joined()
  }

  /// The text as bytes, sometimes with invalid UTF-8 or a NUL inserted.
  static func bytes(_ text: String, _ rng: inout SplitMix64) -> Data {
    var data = Data(text.utf8)
    if rng.chance(3) {
      let at = data.isEmpty ? 0 : Int(rng.below(UInt64(data.count)))
      data.insert(contentsOf: [0xFF, 0xFE, 0x00, 0xC3], at: at)
    }
    return data
  }

  /// Structure-aware JSON mutation: a value somewhere replaced by a boundary number, a string, null,
  /// a deep array; a field deleted or duplicated under another name; an array element duplicated.
  static func json(_ text: String, _ rng: inout SplitMix64) -> String {
    guard var root = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
      return text
    }
    for _ in 0..<(1 + Int(rng.below(3))) { root = mutateValue(root, &rng, depth: 0) }
    guard JSONSerialization.isValidJSONObject(root) || root is NSNumber || root is String,
      let data = try? JSONSerialization.data(withJSONObject: root, options: [.fragmentsAllowed])
    else { return text }
    return String(decoding: data, as: UTF8.self)
  }

  static func replacement(_ rng: inout SplitMix64) -> Any {
    switch rng.below(8) {
    case 0: return NSNull()
    case 1: return "x"
    case 2: return Int64.max
    case 3: return -1
    case 4: return UInt64.max
    case 5: return 1e300
    case 6: return [Any](repeating: 0, count: Int(rng.below(5)))
    default: return Int64(bitPattern: rng.next())
    }
  }

  static func mutateValue(_ value: Any, _ rng: inout SplitMix64, depth: Int) -> Any {
    // Descend with probability; otherwise act here.
    if var dict = value as? [String: Any], !dict.isEmpty {
      let keys = dict.keys.sorted()
      let key = keys[Int(rng.below(UInt64(keys.count)))]
      switch rng.below(6) {
      case 0: dict.removeValue(forKey: key)
      case 1: dict[key + "_"] = dict[key]
      case 2: dict[key] = replacement(&rng)
      default: if let inner = dict[key] { dict[key] = mutateValue(inner, &rng, depth: depth + 1) }
      }
      return dict
    }
    if var array = value as? [Any], !array.isEmpty {
      let i = Int(rng.below(UInt64(array.count)))
      switch rng.below(6) {
      case 0: array.remove(at: i)
      case 1: array.insert(array[i], at: i)
      case 2: array[i] = replacement(&rng)
      default: array[i] = mutateValue(array[i], &rng, depth: depth + 1)
      }
      return array
    }
    return rng.chance(70) ? replacement(&rng) : value
  }
}

// MARK: - Running

/// What became of one case.
struct FuzzOutcome: Codable, Sendable {
  var id: Int
  var kind: FuzzKind
  /// The exit code, when the case ended.
  var exit: Int32?
  /// "crash", "hang", "exit", "unlocated" (a 65 that names no place), or nil when it kept the contract.
  var failure: String?
  var detail: String?
  var seconds: Double
}

struct FuzzSummary: Codable, Sendable {
  var seed: UInt64
  var cases: Int
  var casesAsked: Int
  var perKind: [String: Int]
  var exitCodes: [String: Int]
  var crashes: Int
  var hangs: Int
  var outsideContract: Int
  var unlocated: Int
  var failures: [FuzzOutcome]
  var seconds: Double
  var slowestCaseSeconds: Double
  var folder: String

  func printHuman() {
    print("Fuzzing the command line (seed \(seed))")
    print(
      "  cases        \(cases) of \(casesAsked): "
        + perKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    print(
      "  exit codes   " + exitCodes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    print("  crashes      \(crashes)")
    print("  hangs        \(hangs)")
    print("  outside the contract \(outsideContract)")
    print("  65 naming no place   \(unlocated)")
    print("  time         \(formatSeconds(seconds)) (slowest case \(formatSeconds(slowestCaseSeconds)))")
    for f in failures.prefix(20) {
      print("  FAILED case \(f.id) (\(f.kind.rawValue)): \(f.failure ?? "") \(f.detail ?? "")")
      print("    reproduce: cd \(folder)/failed/\(f.id) && sh command.sh")
    }
    if failures.count > 20 { print("  ... \(failures.count - 20) more in \(folder)/failed") }
  }
}

/// The parent: makes cases, hands them to workers, judges what comes back.
struct FuzzRun {
  struct Options {
    var cases: Int
    var seed: UInt64
    var kinds: [FuzzKind]
    var timeout: Double
    var memoryMB: Int
    var jobs: Int
    var folder: URL
    var progress: Bool
    var plant: FuzzPlant?
  }

  let options: Options
  let seeds: FuzzSeeds

  func run() -> FuzzSummary {
    let maker = FuzzCaseMaker(seeds: seeds, seed: options.seed, kinds: options.kinds)
    let clock = ContinuousClock()
    let start = clock.now
    let next = ProgressCounter()
    let done = ProgressCounter()
    let results = Locked<[FuzzOutcome]>([])
    let jobs = min(options.jobs, options.cases)
    DispatchQueue.concurrentPerform(iterations: jobs) { lane in
      var worker: WorkerProcess?
      let scratch = options.folder.appendingPathComponent("work-\(lane)")
      while true {
        let id = next.increment() - 1
        guard id < options.cases else { break }
        var c = maker.make(id)
        if let plant = options.plant, id % 5 == 0 { c.argv = ["__plant", plant.rawValue] }
        if worker == nil { worker = WorkerProcess(memoryMB: options.memoryMB) }
        let outcome = runCase(c, worker: &worker, scratch: scratch)
        results.withLock { $0.append(outcome) }
        let n = done.increment()
        if options.progress, n % 500 == 0 || n == options.cases {
          standardError(
            "fuzz: \(n)/\(options.cases) cases, \(results.withLock { $0.filter { $0.failure != nil }.count }) failing")
        }
      }
      worker = nil
    }
    let outcomes = results.withLock { $0 }.sorted { $0.id < $1.id }
    var perKind: [String: Int] = [:]
    var exits: [String: Int] = [:]
    for o in outcomes {
      perKind[o.kind.rawValue, default: 0] += 1
      exits[o.exit.map { "\($0)" } ?? (o.failure ?? "none"), default: 0] += 1
    }
    let failures = outcomes.filter { $0.failure != nil }
    return FuzzSummary(
      seed: options.seed, cases: outcomes.count, casesAsked: options.cases, perKind: perKind, exitCodes: exits,
      crashes: failures.filter { $0.failure == "crash" }.count, hangs: failures.filter { $0.failure == "hang" }.count,
      outsideContract: failures.filter { $0.failure == "exit" }.count,
      unlocated: failures.filter { $0.failure == "unlocated" }.count, failures: failures,
      seconds: (clock.now - start).seconds, slowestCaseSeconds: outcomes.map(\.seconds).max() ?? 0,
      folder: options.folder.path)
  }

  /// Write the case's files, run it on the worker, judge the result; keep the files if it failed.
  func runCase(_ c: FuzzCase, worker: inout WorkerProcess?, scratch: URL) -> FuzzOutcome {
    let fm = FileManager.default
    try? fm.removeItem(at: scratch)
    try? fm.createDirectory(at: scratch, withIntermediateDirectories: true)
    for (name, data) in c.files { try? data.write(to: scratch.appendingPathComponent(name)) }
    let errFile = scratch.appendingPathComponent("stderr.txt")
    var outcome = FuzzOutcome(id: c.id, kind: c.kind, exit: nil, failure: nil, detail: nil, seconds: 0)
    let request = WorkerRequest(
      id: c.id, argv: c.argv, cwd: scratch.path, stdin: c.stdin.map { scratch.appendingPathComponent($0).path },
      stderr: errFile.path)
    let clock = ContinuousClock()
    let began = clock.now
    let answer = worker?.run(request, timeout: options.timeout) ?? .crashed("no worker")
    outcome.seconds = (clock.now - began).seconds
    switch answer {
    case .exited(let code):
      outcome.exit = code
      if !c.kind.allowedExits.contains(code) {
        outcome.failure = "exit"
        outcome.detail = "exit code \(code)"
      } else if code == 65 {
        let message = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        if !Self.locates(message, input: c.input, needsLine: c.needsLine) {
          outcome.failure = "unlocated"
          outcome.detail = String(message.prefix(300)).replacingOccurrences(of: "\n", with: " | ")
        }
      }
    case .crashed(let why):
      outcome.failure = "crash"
      outcome.detail = why
      worker = nil
    case .timedOut:
      outcome.failure = "hang"
      outcome.detail = "no answer within \(options.timeout) s of processor time (or 10× that of wall time)"
      worker = nil
    }
    if outcome.failure != nil {
      let kept = options.folder.appendingPathComponent("failed/\(c.id)")
      try? fm.removeItem(at: kept)
      try? fm.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? fm.copyItem(at: scratch, to: kept)
      let command =
        "\(FuzzSeeds.selfPath) " + c.argv.map { "'\($0)'" }.joined(separator: " ")
        + (c.stdin.map { " < '\($0)'" } ?? "")
      try? Data((command + "\n").utf8).write(to: kept.appendingPathComponent("command.sh"))
    }
    return outcome
  }

  /// Whether a refusal names the input file (and a line of it when asked, unless the file could not
  /// be decoded as text at all).
  static func locates(_ message: String, input: String, needsLine: Bool) -> Bool {
    guard message.contains(input) else { return false }
    guard needsLine, !message.contains("UTF-8") else { return true }
    var rest = Substring(message)
    while let r = rest.range(of: input + ":") {
      if rest[r.upperBound...].first?.isNumber == true { return true }
      rest = rest[r.upperBound...]
    }
    return false
  }
}

/// A value behind a lock.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value
  init(_ value: Value) { self.value = value }
  func withLock<R>(_ body: (inout Value) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}

extension Duration {
  var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

// MARK: - Workers

/// One request to a worker: a command line, its folder, standard input and where its errors go.
struct WorkerRequest: Codable, Sendable {
  var id: Int
  var argv: [String]
  var cwd: String
  var stdin: String?
  var stderr: String
}

/// A worker process of this binary (`fuzz --worker`), fed one request a line. Spawned and reaped
/// with POSIX calls directly, so that a dead worker is seen at once from any thread.
final class WorkerProcess {
  enum Answer {
    case exited(Int32)
    case crashed(String)
    case timedOut
  }

  let pid: pid_t
  let toWorker: Int32
  let fromWorker: Int32
  var buffer: [UInt8] = []
  var reaped = false

  init?(memoryMB: Int) {
    var requests: [Int32] = [0, 0]
    var answers: [Int32] = [0, 0]
    guard pipe(&requests) == 0 else { return nil }
    guard pipe(&answers) == 0 else {
      close(requests[0])
      close(requests[1])
      return nil
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, requests[0], STDIN_FILENO)
    posix_spawn_file_actions_adddup2(&actions, answers[1], STDOUT_FILENO)
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
    for fd in [requests[0], requests[1], answers[0], answers[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
    let arguments = [FuzzSeeds.selfPath, "fuzz", "--worker", "--memory-mb", "\(memoryMB)"]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var child: pid_t = 0
    let status = posix_spawn(&child, FuzzSeeds.selfPath, &actions, nil, &argv, environ)
    close(requests[0])
    close(answers[1])
    guard status == 0 else {
      close(requests[1])
      close(answers[0])
      return nil
    }
    pid = child
    toWorker = requests[1]
    fromWorker = answers[0]
  }

  deinit {
    stop()
    close(toWorker)
    close(fromWorker)
  }

  func run(_ request: WorkerRequest, timeout: Double) -> Answer {
    guard let line = try? JSONEncoder().encode(request) else { return .crashed("cannot encode the request") }
    let bytes = [UInt8](line) + [10]
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { write(toWorker, $0.baseAddress, $0.count) }
      if n <= 0 { return .crashed("worker gone: \(reap())") }
      written += n
    }
    // A hang is judged by the processor time the case used, where the system can tell (Linux's
    // /proc): on a loaded machine a slow case's wall time can pass the timeout while its own work
    // does not. A case blocked without using the processor is a hang once ten timeouts of wall
    // time have passed; where processor time cannot be read, the wall time alone decides.
    let cpuAtStart = cpuSeconds()
    let began = ContinuousClock.now
    var deadline = began + .milliseconds(Int(timeout * 1000))
    let wallLimit = began + .milliseconds(Int(timeout * 10_000))
    while true {
      if let newline = buffer.firstIndex(of: 10) {
        let text = String(decoding: buffer[..<newline], as: UTF8.self)
        buffer.removeSubrange(...newline)
        let parts = text.split(separator: " ")
        if parts.count == 3, parts[0] == "done", Int(parts[1]) == request.id, let code = Int32(parts[2]) {
          return .exited(code)
        }
        continue
      }
      var left = deadline - ContinuousClock.now
      if left <= .zero {
        let now = ContinuousClock.now
        if let start = cpuAtStart, let used = cpuSeconds().map({ $0 - start }), used < timeout, now < wallLimit {
          // Not yet `timeout` seconds of its own work: look again when it could have done them.
          deadline = Swift.min(now + .milliseconds(Int((timeout - used) * 1000) + 10), wallLimit)
          left = deadline - now
        } else {
          stop()
          return .timedOut
        }
      }
      var pfd = pollfd(fd: fromWorker, events: Int16(POLLIN), revents: 0)
      let ready = poll(&pfd, 1, Int32(min(left.seconds * 1000, 500)))
      if ready <= 0 { continue }
      var chunk = [UInt8](repeating: 0, count: 4096)
      let n = read(fromWorker, &chunk, chunk.count)
      if n <= 0 { return .crashed(reap()) }
      buffer.append(contentsOf: chunk[0..<n])
    }
  }

  /// The processor time (user and system) the worker has used so far, in seconds, from
  /// `/proc/PID/stat`; nil where that cannot be read.
  func cpuSeconds() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // After the command name in parentheses: state is field 3; utime and stime are fields 14, 15.
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    return ticks > 0 ? (user + system) / ticks : nil
  }

  /// Wait for the worker and say how it ended.
  func reap() -> String {
    guard !reaped else { return "ended" }
    var status: Int32 = 0
    guard waitpid(pid, &status, 0) == pid else { return "lost" }
    reaped = true
    let signal = status & 0x7F
    return signal != 0 ? "killed by signal \(signal)" : "exited with \((status >> 8) & 0xFF) mid-case"
  }

  func stop() {
    guard !reaped else { return }
    kill(pid, SIGKILL)
    _ = reap()
  }
}

/// The worker side: run each request in-process with its own folder, standard input and error.
enum FuzzWorker {
  static func run(memoryMB: Int) {
    var limit = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
    _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
    // The protocol runs over copies of the original descriptors; 0, 1 and 2 belong to the case.
    let protocolIn = dup(STDIN_FILENO)
    let protocolOut = dup(STDOUT_FILENO)
    let reader = FileHandle(fileDescriptor: protocolIn)
    let writer = FileHandle(fileDescriptor: protocolOut)
    let devNull = open("/dev/null", O_RDWR)
    let home = FileManager.default.currentDirectoryPath
    var pending = Data()
    while true {
      while pending.firstIndex(of: 10) == nil {
        let chunk = reader.availableData
        if chunk.isEmpty { return }
        pending.append(chunk)
      }
      guard let newline = pending.firstIndex(of: 10) else { return }
      let line = pending[pending.startIndex..<newline]
      pending.removeSubrange(pending.startIndex...newline)
      guard let request = try? JSONDecoder().decode(WorkerRequest.self, from: Data(line)) else { continue }
      _ = FileManager.default.changeCurrentDirectoryPath(request.cwd)
      fflush(nil)
      let inFD = request.stdin.map { open($0, O_RDONLY) } ?? devNull
      let errFD = open(request.stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      dup2(inFD >= 0 ? inFD : devNull, STDIN_FILENO)
      dup2(devNull, STDOUT_FILENO)
      dup2(errFD >= 0 ? errFD : devNull, STDERR_FILENO)
      // Drop what the C stream buffered of the last case's input, and its end-of-file mark.
      if let stream = cStandardInput() {
        clearerr(stream)
        fseek(stream, 0, SEEK_SET)
      }
      let code = runInProcess(request.argv)
      fflush(nil)
      if inFD >= 0 && inFD != devNull { close(inFD) }
      if errFD >= 0 { close(errFD) }
      dup2(devNull, STDIN_FILENO)
      _ = FileManager.default.changeCurrentDirectoryPath(home)
      writer.write(Data("done \(request.id) \(code)\n".utf8))
    }
  }

  /// The C library's `stdin` stream (which `readLine` reads), found by name: Swift 6 refuses a
  /// direct reference to the mutable C global, and only this worker, between cases, touches it.
  static func cStandardInput() -> UnsafeMutablePointer<FILE>? {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "stdin") else { return nil }
    return symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee
  }

  /// Parse and run a command line as `main` would; its exit code.
  static func runInProcess(_ argv: [String]) -> Int32 {
    if argv.first == "__plant", let plant = argv.last.flatMap(FuzzPlant.init(rawValue:)) {
      switch plant {
      case .crash: fatalError("planted crash (fuzz --plant crash)")
      // Busy, as a real hang in a loop would be (a sleeping one is caught by the wall-time cap).
      case .hang:
        var spin: UInt64 = 0
        while true {
          spin = spin &+ 1
          if spin == 0 { sched_yield() }
        }
      // 2: outside every kind's contract (3 is `boot`'s "not realised").
      case .exit: return 2
      case .unlocated: return 65
      }
    }
    do {
      var command = try RefineCheck.parseAsRoot(argv)
      if command is Fuzz { return 64 }
      try command.run()
      return 0
    } catch {
      if !(error is ExitCode) {
        let message = RefineCheck.fullMessage(for: error)
        if !message.isEmpty { standardError(message) }
      }
      return RefineCheck.exitCode(for: error).rawValue
    }
  }
}

// One run of the proof engine as `refine-check prove` performs it: build every obligation,
// serve unchanged ones from the cache, discharge the rest in parallel, compare with the record,
// and optionally rewrite it.

public import Foundation
public import SMT

/// What `refine-check prove` is asked to do.
public struct ProofRunOptions: Sendable {
  /// The `proofs/` folder.
  public var proofsDirectory: URL
  /// The local cache file; nil disables the cache.
  public var cacheFile: URL?
  /// Fail on any disagreement with the record (`--check`).
  public var check: Bool
  /// Rewrite the record from this run (`--update`).
  public var update: Bool
  public var limits: SolverLimits
  public var jobs: Int?
  /// Only obligations whose name contains this text (nil: all).
  public var filter: String?
  /// Compare the results with the record (false for obligations the record does not hold: the
  /// symbolic twin's built for another shape than the default, `prove --shape`); then the record is
  /// neither compared nor rewritten (its solver times still order the work), and the only problems are the results' own (refuted, unknown, ...).
  public var compareWithRecord: Bool

  public init(
    proofsDirectory: URL, cacheFile: URL?, check: Bool = false, update: Bool = false,
    limits: SolverLimits = SolverLimits(), jobs: Int? = nil, filter: String? = nil, compareWithRecord: Bool = true
  ) {
    self.compareWithRecord = compareWithRecord
    self.proofsDirectory = proofsDirectory
    self.cacheFile = cacheFile
    self.check = check
    self.update = update
    self.limits = limits
    self.jobs = jobs
    self.filter = filter
  }
}

/// The machine-readable report of a proof run (`refine-check prove --json`).
public struct ProofReport: Codable, Sendable {
  public struct Entry: Codable, Sendable {
    public let name: String
    public let status: ObligationStatus
    public let seconds: Double
    public let cached: Bool
    public let counterexample: [CounterexampleValue]?
    public let detail: String?
  }
  public let solver: String
  public let total: Int
  public let proved: Int
  public let refuted: Int
  public let unknown: Int
  public let vacuous: Int
  public let errors: Int
  /// Obligations actually handed to Z3 in this run.
  public let solved: Int
  /// Obligations served from the cache (their text unchanged since a proof on this machine).
  public let cached: Int
  public let seconds: Double
  public let obligations: [Entry]
  /// Disagreements with the record (checked with `--check`, listed always).
  public let problems: [ProofProblem]
  public let checked: Bool
  public let updated: Bool

  /// True when the run should exit 0.
  public var passed: Bool {
    proved == total && (!checked || problems.isEmpty)
  }
}

/// The solver named in records and caches.
public var solverName: String { "z3 \(z3Version)" }

/// Run the proof engine over `obligations`.
/// - Throws: `ProofRecordError` when the record exists but cannot be read.
public func runProofs(
  _ obligations: [Obligation], options: ProofRunOptions,
  progress: @escaping @Sendable (ObligationResult) -> Void = { _ in }
) throws -> ProofReport {
  let clock = ContinuousClock()
  let start = clock.now
  let store = ProofStore(directory: options.proofsDirectory)
  let record = options.compareWithRecord ? try store.load() : nil
  let selected = obligations.filter { o in options.filter.map { o.name.contains($0) } ?? true }

  let cache = options.cacheFile.map(ProofCache.init(url:))
  let provedHashes = cache?.load(solver: solverName) ?? []
  let discharger = Discharger(limits: options.limits, jobs: options.jobs)
  // The record's solver times order the work, longest first (also when it is not compared).
  let timings = (record ?? (try? store.load()))?.obligations ?? []
  let expected = Dictionary(timings.map { ($0.name, $0.seconds) }, uniquingKeysWith: { first, _ in first })
  let results = discharger.discharge(
    selected, cached: { provedHashes.contains($0) ? .proved : nil }, expectedSeconds: expected, progress: progress)
  cache?.store(results, solver: solverName)

  if options.update && options.compareWithRecord {
    var files: [String: String] = [:]
    for o in selected { files[o.name] = try? Discharger.smtFile(of: o) }
    // A filtered update keeps the records of the obligations it did not run.
    var merged = results
    if options.filter != nil, let record {
      let ran = Set(results.map(\.name))
      let present = Set(obligations.map(\.name))
      for e in record.obligations where !ran.contains(e.name) && present.contains(e.name) {
        merged.append(
          ObligationResult(
            name: e.name, statement: e.statement, sha256: e.sha256, status: e.status, seconds: e.seconds,
            cached: true, counterexample: nil, detail: nil))
      }
    }
    try store.write(results: merged, smtFiles: files, solver: solverName)
  }
  let afterRecord = options.update && options.compareWithRecord ? try store.load() : record
  // Outside the record, only what the results themselves say (refuted, unknown, ...).
  var problems =
    options.compareWithRecord
    ? store.problems(results: results, record: afterRecord)
    : store.problems(results: results, record: nil).filter { $0.kind != .unrecorded }
  if options.filter != nil {
    // Records of obligations outside the filter are not "gone".
    let present = Set(obligations.map(\.name))
    problems.removeAll { $0.kind == .gone && present.contains($0.name) }
  }

  func count(_ s: ObligationStatus) -> Int { results.filter { $0.status == s }.count }
  let d = clock.now - start
  return ProofReport(
    solver: solverName, total: results.count, proved: count(.proved), refuted: count(.refuted),
    unknown: count(.unknown), vacuous: count(.vacuous), errors: count(.error),
    solved: results.filter { !$0.cached }.count, cached: results.filter(\.cached).count,
    seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
    obligations: results.map {
      .init(
        name: $0.name, status: $0.status, seconds: $0.seconds, cached: $0.cached,
        counterexample: $0.counterexample, detail: $0.detail)
    },
    problems: problems, checked: options.check && options.compareWithRecord,
    updated: options.update && options.compareWithRecord)
}

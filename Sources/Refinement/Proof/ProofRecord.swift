// The `proofs/` record: what was proved, about which exact text, by which solver.
//
// Layout of the folder:
//   proofs/obligations.json       one entry per obligation (format below)
//   proofs/smt2/<name>.smt2       the obligation's SMT-LIB2 text; `z3 FILE` or `cvc5 FILE` says unsat
//
// obligations.json:
//   { "formatVersion": 1, "solver": "z3 4.8.12",
//     "obligations": [ { "name", "statement", "sha256", "status", "seconds", "smt2" } ] }
// `sha256` is the SHA-256 of the .smt2 file's text. `refine-check prove --check` compares the
// record with the obligations the code builds now and with the files beside it.

public import Foundation

/// One recorded obligation.
public struct RecordedObligation: Codable, Hashable, Sendable {
  public var name: String
  public var statement: String
  public var sha256: String
  public var status: ObligationStatus
  public var seconds: Double
  /// Path of the SMT-LIB2 file, relative to the record's folder.
  public var smt2: String
}

/// The contents of `proofs/obligations.json`.
public struct ProofRecord: Codable, Sendable {
  public static let formatVersion = 1
  public var formatVersion: Int
  public var solver: String
  public var obligations: [RecordedObligation]

  public init(solver: String, obligations: [RecordedObligation]) {
    self.formatVersion = Self.formatVersion
    self.solver = solver
    self.obligations = obligations
  }
}

/// A problem with the record or the proofs that makes `prove --check` fail.
public struct ProofProblem: Codable, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Codable, Sendable {
    case refuted, unknown, vacuous, error, unrecorded, gone, changed, damaged, recordedUnproved
  }
  public let kind: Kind
  public let name: String
  public let message: String

  public var description: String { "\(kind.rawValue): \(name): \(message)" }
}

/// Why a record could not be read: exit 65 material.
public struct ProofRecordError: Error, CustomStringConvertible {
  public let path: String
  public let reason: String
  public var description: String { "\(path): \(reason)" }
}

/// Reading, writing and checking the `proofs/` folder.
public struct ProofStore: Sendable {
  public let directory: URL

  public init(directory: URL) { self.directory = directory }

  public var recordURL: URL { directory.appendingPathComponent("obligations.json") }

  /// The file name of an obligation's SMT-LIB2 text.
  public static func smtPath(for name: String) -> String { "smt2/\(name).smt2" }

  /// The record, nil when there is none yet; throws on an unreadable or foreign-format record.
  public func load() throws -> ProofRecord? {
    guard FileManager.default.fileExists(atPath: recordURL.path) else { return nil }
    let data: Data
    do { data = try InputFile.utf8Data(recordURL.path, what: "proof record") } catch {
      throw ProofRecordError(path: recordURL.path, reason: error.reason)
    }
    struct Version: Decodable { let formatVersion: Int? }
    let version: Version
    do { version = try JSONDecoder().decode(Version.self, from: data) } catch {
      throw ProofRecordError(
        path: recordURL.path, reason: "is not a proof record: \(JSONProblem(error, decoding: Version.self, from: data))"
      )
    }
    guard version.formatVersion == ProofRecord.formatVersion else {
      throw ProofRecordError(
        path: recordURL.path,
        reason:
          "has formatVersion \(version.formatVersion.map(String.init) ?? "missing"); this refine-check reads version \(ProofRecord.formatVersion)"
      )
    }
    do { return try JSONDecoder().decode(ProofRecord.self, from: data) } catch {
      throw ProofRecordError(
        path: recordURL.path,
        reason: "does not match the record format: \(JSONProblem(error, decoding: ProofRecord.self, from: data))")
    }
  }

  /// Rewrite the record and the SMT-LIB2 files for `results`; removes files no longer recorded.
  public func write(results: [ObligationResult], smtFiles: [String: String], solver: String) throws {
    let smtDirectory = directory.appendingPathComponent("smt2")
    try FileManager.default.createDirectory(at: smtDirectory, withIntermediateDirectories: true)
    var entries: [RecordedObligation] = []
    for r in results.sorted(by: { $0.name < $1.name }) {
      let path = Self.smtPath(for: r.name)
      if let text = smtFiles[r.name] {
        try Data(text.utf8).write(to: directory.appendingPathComponent(path))
      }
      entries.append(
        RecordedObligation(
          name: r.name, statement: r.statement, sha256: r.sha256, status: r.status,
          seconds: (r.seconds * 1000).rounded() / 1000, smt2: path))
    }
    let keep = Set(entries.map { URL(fileURLWithPath: $0.smt2).lastPathComponent })
    for file in (try? FileManager.default.contentsOfDirectory(atPath: smtDirectory.path)) ?? []
    where file.hasSuffix(".smt2") && !keep.contains(file) {
      try FileManager.default.removeItem(at: smtDirectory.appendingPathComponent(file))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(ProofRecord(solver: solver, obligations: entries))
    data.append(0x0A)
    try data.write(to: recordURL)
  }

  /// Everything that makes the present results disagree with the record.
  public func problems(results: [ObligationResult], record: ProofRecord?) -> [ProofProblem] {
    var problems: [ProofProblem] = []
    let recorded = Dictionary((record?.obligations ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for r in results {
      switch r.status {
      case .proved: break
      case .refuted:
        let cex = (r.counterexample ?? []).map(\.description).joined(separator: "; ")
        problems.append(ProofProblem(kind: .refuted, name: r.name, message: "counterexample: \(cex)"))
      case .unknown:
        problems.append(
          ProofProblem(
            kind: .unknown, name: r.name,
            message: "solver gave no answer (\(r.detail ?? "unknown")); unknown is never a proof"))
      case .vacuous:
        problems.append(
          ProofProblem(kind: .vacuous, name: r.name, message: r.detail ?? "the hypotheses are unsatisfiable"))
      case .error:
        problems.append(ProofProblem(kind: .error, name: r.name, message: r.detail ?? "error"))
      }
      guard let entry = recorded[r.name] else {
        problems.append(
          ProofProblem(
            kind: .unrecorded, name: r.name,
            message: "built by the code but not in \(recordURL.lastPathComponent); run `refine-check prove --update`"))
        continue
      }
      if entry.sha256 != r.sha256 {
        problems.append(
          ProofProblem(
            kind: .changed, name: r.name,
            message:
              "its SMT-LIB2 text changed since it was recorded (recorded sha256 \(entry.sha256.prefix(12))…, now \(r.sha256.prefix(12))…); re-prove with `refine-check prove --update`"
          ))
      } else if entry.status != .proved {
        problems.append(
          ProofProblem(kind: .recordedUnproved, name: r.name, message: "recorded as \(entry.status.rawValue)"))
      }
      let fileURL = directory.appendingPathComponent(entry.smt2)
      if let text = try? String(contentsOf: fileURL, encoding: .utf8) {
        if sha256Hex(text) != entry.sha256 {
          problems.append(
            ProofProblem(kind: .damaged, name: r.name, message: "\(entry.smt2) does not match its recorded sha256"))
        }
      } else {
        problems.append(ProofProblem(kind: .damaged, name: r.name, message: "\(entry.smt2) is missing"))
      }
    }
    let present = Set(results.map(\.name))
    for entry in record?.obligations ?? [] where !present.contains(entry.name) {
      problems.append(
        ProofProblem(
          kind: .gone, name: entry.name,
          message: "recorded but no longer built by the code; run `refine-check prove --update`"))
    }
    return problems
  }
}

/// The local cache of solved obligations, keyed by the SHA-256 of their SMT-LIB2 text. Only proofs
/// are cached: an unchanged text with the same solver gives the same answer, so re-solving it
/// would learn nothing. It lives in the build folder, not in git: CI's fresh clone solves anew.
public struct ProofCache: Sendable {
  public let url: URL

  public init(url: URL) { self.url = url }

  struct Contents: Codable {
    var solver: String
    var proved: [String: Double]
  }

  /// The hashes proved by the current solver.
  public func load(solver: String) -> Set<String> {
    guard let data = try? Data(contentsOf: url),
      let contents = try? JSONDecoder().decode(Contents.self, from: data),
      contents.solver == solver
    else { return [] }
    return Set(contents.proved.keys)
  }

  /// Add the proved results to the cache.
  public func store(_ results: [ObligationResult], solver: String) {
    var contents = Contents(solver: solver, proved: [:])
    if let data = try? Data(contentsOf: url), let old = try? JSONDecoder().decode(Contents.self, from: data),
      old.solver == solver
    {
      contents = old
    }
    for r in results where r.status == .proved && !r.cached { contents.proved[r.sha256] = r.seconds }
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    if let data = try? JSONEncoder().encode(contents) { try? data.write(to: url) }
  }
}

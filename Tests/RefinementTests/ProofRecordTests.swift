import Foundation
import Refinement
import SMT
import Testing

/// The proofs/ gate, on a temporary copy of the record.
@Suite struct ProofRecordTests {
  let obligations = Array(Obligation.catalogue.prefix(5))

  func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("refine-check-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func options(_ dir: URL, check: Bool = false, update: Bool = false, cache: Bool = true) -> ProofRunOptions {
    ProofRunOptions(
      proofsDirectory: dir.appendingPathComponent("proofs"),
      cacheFile: cache ? dir.appendingPathComponent("cache.json") : nil, check: check, update: update, jobs: 2)
  }

  @Test func updateThenCheckPassesAndSecondRunSolvesNothing() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let first = try runProofs(obligations, options: options(dir, update: true))
    #expect(first.solved == obligations.count)
    #expect(first.passed)
    let second = try runProofs(obligations, options: options(dir, check: true))
    #expect(second.passed)
    #expect(second.solved == 0)
    #expect(second.cached == obligations.count)
    #expect(second.proved == obligations.count)
    // Without the cache everything is solved again, and still agrees.
    let fresh = try runProofs(obligations, options: options(dir, check: true, cache: false))
    #expect(fresh.solved == obligations.count)
    #expect(fresh.passed)
  }

  @Test func editedHashFailsNamingTheObligation() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try runProofs(obligations, options: options(dir, update: true))
    let recordURL = dir.appendingPathComponent("proofs/obligations.json")
    var record = try JSONDecoder().decode(ProofRecord.self, from: Data(contentsOf: recordURL))
    let victim = record.obligations[2].name
    record.obligations[2].sha256 = String(repeating: "0", count: 64)
    try JSONEncoder().encode(record).write(to: recordURL)
    let report = try runProofs(obligations, options: options(dir, check: true))
    #expect(!report.passed)
    #expect(report.problems.contains { $0.kind == .changed && $0.name == victim })
    #expect(report.problems.allSatisfy { $0.name == victim })
  }

  @Test func deletedRecordEntryFailsAsUnrecorded() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try runProofs(obligations, options: options(dir, update: true))
    let recordURL = dir.appendingPathComponent("proofs/obligations.json")
    var record = try JSONDecoder().decode(ProofRecord.self, from: Data(contentsOf: recordURL))
    let victim = record.obligations.removeFirst().name
    try JSONEncoder().encode(record).write(to: recordURL)
    let report = try runProofs(obligations, options: options(dir, check: true))
    #expect(!report.passed)
    #expect(report.problems.map(\.kind) == [.unrecorded])
    #expect(report.problems.first?.name == victim)
  }

  @Test func obligationGoneFromTheCodeFails() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try runProofs(obligations, options: options(dir, update: true))
    let report = try runProofs(Array(obligations.dropLast()), options: options(dir, check: true))
    #expect(!report.passed)
    #expect(report.problems.map(\.kind) == [.gone])
    #expect(report.problems.first?.name == obligations.last?.name)
  }

  @Test func changedCodeFailsUntilUpdated() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try runProofs(obligations, options: options(dir, update: true))
    // Same name, different code: the text and hash change.
    let original = obligations[0]
    let changed = Obligation(original.name, original.statement) { s in
      let x = s.word("x")
      return (x & 1) .<= 1
    }
    let edited = [changed] + obligations.dropFirst()
    let report = try runProofs(edited, options: options(dir, check: true))
    #expect(report.problems.map(\.kind) == [.changed])
    _ = try runProofs(edited, options: options(dir, update: true))
    #expect(try runProofs(edited, options: options(dir, check: true)).passed)
  }

  @Test func tamperedSMTFileIsDamage() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    _ = try runProofs(obligations, options: options(dir, update: true))
    let file = dir.appendingPathComponent("proofs/" + ProofStore.smtPath(for: obligations[1].name))
    try Data("(check-sat)\n".utf8).write(to: file)
    let report = try runProofs(obligations, options: options(dir, check: true))
    #expect(report.problems.map(\.kind) == [.damaged])
  }

  @Test func missingRecordFailsTheCheckForEveryObligation() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let report = try runProofs(obligations, options: options(dir, check: true))
    #expect(!report.passed)
    #expect(report.problems.count == obligations.count)
    #expect(report.problems.allSatisfy { $0.kind == .unrecorded })
  }

  @Test func malformedOrForeignRecordIsABadInputError() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let proofs = dir.appendingPathComponent("proofs")
    try FileManager.default.createDirectory(at: proofs, withIntermediateDirectories: true)
    let recordURL = proofs.appendingPathComponent("obligations.json")
    try Data("{ not json".utf8).write(to: recordURL)
    #expect(throws: ProofRecordError.self) { try runProofs(obligations, options: options(dir, check: true)) }
    try Data(#"{"formatVersion": 99, "solver": "x", "obligations": []}"#.utf8).write(to: recordURL)
    do {
      _ = try runProofs(obligations, options: options(dir, check: true))
      Issue.record("a version-99 record was accepted")
    } catch let error as ProofRecordError {
      #expect(error.reason.contains("99"))
    }
    try Data(#"{"formatVersion": 1, "solver": "x", "obligations": [{"name": "a"}]}"#.utf8).write(to: recordURL)
    do {
      _ = try runProofs(obligations, options: options(dir, check: true))
      Issue.record("a record with missing fields was accepted")
    } catch let error as ProofRecordError {
      #expect(error.reason.contains("field obligations[0].statement: is missing"), "\(error.reason)")
    }
  }

  @Test func refutedObligationFailsTheRun() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let wrong = Obligation("test.wrong", "every word is even") { s in (s.word("x") & 1) .== 0 }
    let report = try runProofs([wrong], options: options(dir, update: true))
    #expect(report.refuted == 1)
    #expect(!report.passed)
    #expect(report.problems.contains { $0.kind == .refuted && $0.message.contains("x = 0x") })
  }
}

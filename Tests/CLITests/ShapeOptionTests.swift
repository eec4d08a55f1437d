// `refine-check prove --shape CNODESxSLOTS` (issue 16): another bounded shape for the symbolic
// twin's obligations, proved and reported without touching `proofs/`; a bad value is one usage
// error (exit 64) that says what the syntax is.

import Foundation
import Testing

@Suite struct ShapeOptionTests {
  @Test(arguments: ["1x3", "0x4", "5x2", "2x16", "1x1", "four", "1x4x2", ""])
  func badShapesAreUsageErrors(shape: String) throws {
    let result = try CLI.run(["prove", "--shape", shape, "--only", "abstract.delete.integrity"])
    expectContract(result)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("--shape '\(shape)'"), "\(result)")
    #expect(result.stderr.contains("write CNODESxSLOTS"), "\(result)")
    #expect(result.stdout.isEmpty, "\(result)")
  }

  /// Another shape is not recorded, so it cannot gate on or rewrite the record, nor write scenarios
  /// (their systems are built for the default shape's CNode).
  @Test(arguments: [["--check"], ["--update"], ["--counterexamples", "/tmp/never-written"]])
  func anotherShapeExcludesTheRecord(flags: [String]) throws {
    let result = try CLI.run(["prove", "--shape", "1x2"] + flags)
    expectContract(result)
    #expect(result.status == 64, "\(result)")
    #expect(result.stderr.contains("only the default shape (1x4) is recorded in proofs/"), "\(result)")
  }

  /// A small shape proves a few obligations, names the shape, and leaves `proofs/` as it was; the
  /// default shape, given explicitly, is the ordinary run.
  @Test func aSmallShapeIsProvedAndNotRecorded() throws {
    let record = packageRoot.appendingPathComponent("proofs/obligations.json")
    let before = try Data(contentsOf: record)
    let result = try CLI.run(
      ["prove", "--shape", "1x2", "--no-cache", "--jobs", "2", "--only", "abstract.delete.", "-v"], timeout: 600)
    expectContract(result)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("refuted   0"), "\(result)")
    #expect(result.stdout.contains("shape     shape (1 CNode × 2 slots), not recorded"), "\(result)")
    #expect(!result.stdout.contains("Record notes"), "\(result)")
    #expect(result.stderr.contains("shape (1 CNode × 2 slots): the symbolic twin's"), "\(result)")
    #expect(try Data(contentsOf: record) == before)
    let standard = try CLI.run(["prove", "--shape", "1x4", "--only", "abstract.delete.integrity"], timeout: 600)
    expectContract(standard)
    #expect(standard.status == 0, "\(standard)")
    #expect(standard.stdout.contains("record: in agreement with the code"), "\(standard)")
    #expect(!standard.stdout.contains("not recorded"), "\(standard)")
  }

  @Test func helpDocumentsTheSyntax() throws {
    let result = try CLI.run(["prove", "--help"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("--shape <CNODESxSLOTS>"), "\(result)")
    #expect(result.stdout.contains("is what `refine-check` proves and proofs/"), "\(result)")
  }
}

// The bounded shape of the symbolic twin's obligations (`AbstractShape`, `refine-check prove
// --shape`, docs/abstract-proofs.md "Other shapes"): its syntax and bounds, obligations built for
// another shape name it and are proved, and a run for another shape leaves `proofs/` alone.

import Foundation
import Refinement
import SMT
import Testing

@Suite struct AbstractShapeTests {
  @Test func shapesParseWithinTheirBounds() throws {
    #expect(try AbstractShape(parsing: "1x4") == .default)
    #expect(try AbstractShape(parsing: "default") == .default)
    #expect(try AbstractShape(parsing: "2x2") == AbstractShape(cnodes: 2, slotsPerCNode: 2))
    #expect(try AbstractShape(parsing: "1X16") == AbstractShape(cnodes: 1, slotsPerCNode: 16))
    #expect(AbstractShape.default.argument == "1x4")
    // Not a power of two, radix 0, too many CNodes or slots, not the syntax.
    for bad in ["1x3", "1x1", "0x4", "5x2", "2x16", "1x4x2", "x4", "4", "slots=4", "-1x4", ""] {
      #expect(throws: AbstractShape.ParseError.self, "\(bad)") { try AbstractShape(parsing: bad) }
    }
    do {
      _ = try AbstractShape(parsing: "1x3")
    } catch {
      #expect(error.description.contains("--shape '1x3': 3 slots per CNode; write CNODESxSLOTS"))
    }
  }

  /// Every obligation of the twin, built for another shape, carries that shape: in its `shape`,
  /// its bound, its statement and its SMT-LIB2 text (so its hash differs from the default's); the
  /// names are the default's, and the obligations that do not depend on the shape are unchanged.
  @Test func anotherShapesObligationsNameIt() throws {
    let shape = try AbstractShape(parsing: "2x2")
    let shaped = Obligation.catalogue(shape: shape).filter { $0.shape != nil }
    let defaults = Obligation.catalogue.filter { $0.shape != nil }
    #expect(shaped.map(\.name) == defaults.map(\.name))
    #expect(shaped.count >= 62)
    #expect(Obligation.catalogue.filter { $0.shape == nil }.allSatisfy { !$0.name.hasPrefix("abstract.") })
    for obligation in shaped {
      #expect(obligation.shape == shape)
      #expect(obligation.statement.contains("shape (2 CNodes × 2 slots)"), "\(obligation.name)")
      #expect(obligation.bound?.contains("shape (2 CNodes × 2 slots)") == true, "\(obligation.name)")
      #expect(!obligation.statement.contains("naming its CNode with"), "\(obligation.name)")
    }
    for name in ["abstract.cteInsert.preserves.mdb_cte_at", "abstract.copy.integrity"] {
      let other = try #require(shaped.first { $0.name == name })
      let standard = try #require(defaults.first { $0.name == name })
      let text = try Discharger.smtFile(of: other)
      #expect(text.contains("; bound: for every state of shape (2 CNodes × 2 slots)"))
      // Four slots of seven words each in both shapes, but at other addresses: other texts.
      #expect(text != (try Discharger.smtFile(of: standard)))
    }
  }

  /// A small shape's obligations are proved: one per kind (a CDT operation, an event, integrity,
  /// confinement) for 1 CNode × 2 slots, and an event's for 2 CNodes × 2 slots, where a CNode cap
  /// may name either CNode.
  @Test(arguments: [
    ("1x2", "abstract.cteMove.preserves.no_mloop"), ("1x2", "abstract.copy.preserves.mdb_cte_at"),
    ("1x2", "abstract.move.integrity"), ("1x2", "abstract.delete.authorityConfinement"),
    ("2x2", "abstract.delete.preserves.mdb_cte_at"),
  ])
  func smallShapesAreProved(shape text: String, name: String) throws {
    let shape = try AbstractShape(parsing: text)
    let obligation = try #require(Obligation.catalogue(shape: shape).first { $0.name == name })
    let result = Discharger(limits: SolverLimits(wallClockSeconds: 300), jobs: 1).discharge(obligation)
    #expect(result.status == .proved, "\(result.status) \(result.detail ?? "")")
  }

  /// A run that does not compare with the record (another shape) neither reports problems nor
  /// writes the record, even when asked to update it.
  @Test func aRunOutsideTheRecordLeavesItAlone() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shape-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let obligation = try #require(Obligation.catalogue.first { $0.name == "capRights.maskNeverAddsRights" })
    let apart = try runProofs(
      [obligation],
      options: ProofRunOptions(proofsDirectory: folder, cacheFile: nil, update: true, compareWithRecord: false))
    #expect(apart.proved == 1 && apart.problems.isEmpty && !apart.updated)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    // The same run compared with the (empty) record reports the obligation unrecorded.
    let compared = try runProofs([obligation], options: ProofRunOptions(proofsDirectory: folder, cacheFile: nil))
    #expect(!compared.problems.isEmpty)
  }
}

// The command line's fuzz harness (`refine-check fuzz`, docs/fuzzing.md): a short seeded run keeps
// the contract, and the harness catches each kind of breach when one is planted.

import Foundation
import Testing

@Suite struct FuzzHarnessTests {
  struct Summary: Decodable {
    var cases: Int
    var casesAsked: Int
    var perKind: [String: Int]
    var crashes: Int
    var hangs: Int
    var outsideContract: Int
    var unlocated: Int
    var failures: [Failure]
    struct Failure: Decodable, CustomStringConvertible {
      var id: Int
      var kind: String
      var failure: String?
      var detail: String?
      var description: String { "case \(id) (\(kind)): \(failure ?? "") \(detail ?? "")" }
    }
  }

  func fuzz(_ arguments: [String]) throws -> (CommandResult, Summary) {
    let out = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try CLI.run(["fuzz", "--json", "--out", out.path] + arguments, timeout: 900)
    let summary = try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
    return (result, summary)
  }

  /// A few hundred seeded cases over the first five kinds of input (named, so that their cases are
  /// the ones they were before `boot` became a kind): no crash, no hang, no exit outside the
  /// contract, no refusal that names no place. (The debug build under a loaded machine is slow, so
  /// the per-case bound is generous; the long run by hand uses the default 10 s on a release
  /// build.)
  @Test func aShortSeededRunKeepsTheContract() throws {
    let (result, summary) = try fuzz([
      "--cases", "250", "--seed", "20261205", "--timeout", "60", "--kinds", "capdl,scenario,trace,report,explorer",
    ])
    #expect(summary.cases == 250 && summary.casesAsked == 250)
    #expect(summary.perKind.values.allSatisfy { $0 == 50 }, "\(summary.perKind)")
    #expect(summary.failures.isEmpty, "\(summary.failures)")
    #expect(result.status == 0, "\(result)")
  }

  /// Mutated capDL files through `boot`: every case exits 0 (realised), 1 (a lockstep failure,
  /// with its trace), 3 (not realised) or 65 with `system.cdl:LINE`; no crash, no hang.
  @Test func bootKeepsItsContractOnMutatedCapDL() throws {
    let (result, summary) = try fuzz(["--cases", "60", "--seed", "20261206", "--timeout", "60", "--kinds", "boot"])
    #expect(summary.cases == 60 && summary.perKind == ["boot": 60], "\(summary.perKind)")
    #expect(summary.failures.isEmpty, "\(summary.failures)")
    #expect(result.status == 0, "\(result)")
  }

  /// Every fifth case replaced by one that crashes, hangs, exits 2 or refuses without a place:
  /// each is caught, counted under its kind, and fails the run.
  @Test(arguments: ["crash", "hang", "exit", "unlocated"])
  func eachKindOfBreachIsCaught(_ plant: String) throws {
    let (result, summary) = try fuzz([
      "--cases", "10", "--seed", "1", "--timeout", "5", "--plant", plant, "--kinds",
      "capdl,scenario,trace,report,explorer",
    ])
    #expect(result.status == 1, "\(result)")
    #expect(summary.cases == 10)
    let counts = [
      "crash": summary.crashes, "hang": summary.hangs, "exit": summary.outsideContract, "unlocated": summary.unlocated,
    ]
    #expect(counts[plant] == 2, "\(counts)")
    #expect(counts.filter { $0.key != plant }.values.allSatisfy { $0 == 0 }, "\(summary.failures)")
    #expect(summary.failures.map(\.id).sorted() == [0, 5])
  }
}

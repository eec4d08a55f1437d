import CapDL
import Foundation
import KernelABI
import Refinement
import Testing

/// Loading a capDL description builds a related initial state in all three layers: the lockstep
/// checker's relations and invariants hold at step 0 for every system the loader accepts.
@Suite struct SystemLoadingTests {
  static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let shared = package.deletingLastPathComponent().appendingPathComponent("shared/capdl")

  static var systems: [URL] {
    let sharedFiles = (try? FileManager.default.contentsOfDirectory(at: shared, includingPropertiesForKeys: nil)) ?? []
    return [package.appendingPathComponent("Systems/sample.cdl")]
      + sharedFiles.filter { $0.pathExtension == "cdl" }.sorted { $0.path < $1.path }
  }

  @Test func theSharedCorpusIsThere() {
    #expect(Self.systems.count >= 6, "expected Systems/sample.cdl and the five shared capDL files")
  }

  @Test(arguments: systems)
  func relationsHoldAtStepZero(_ file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    let model = try CapDLModel.parse(text, file: file.lastPathComponent)
    // The loader refuses some real files with a clear error (their untypeds are laid out for
    // other object sizes); every file it accepts must start all three layers in agreement.
    guard let loaded = try? loadSystemPlan(from: model, growUndersizedUntypeds: true) else { return }
    #expect(loaded.plan.validate() == [])
    let checker = LockstepChecker(plan: loaded.plan)
    let failure = checker.check()
    if loaded.unnamedContainers.isEmpty {
      #expect(failure == nil, "\(file.lastPathComponent): \(failure.map { "\($0)" } ?? "")")
    } else {
      // A description whose CNodes only the capDL loader's own CSpace names: the relations hold,
      // and the one invariant broken is exactly if_unsafe_then_cap.
      #expect(failure?.kind == .invariant && failure?.name == "if_unsafe_then_cap", "\(failure.map { "\($0)" } ?? "")")
      var relationsOnly = checker
      relationsOnly.checksInvariants = false
      #expect(relationsOnly.check() == nil)
    }
  }

  @Test func theBuiltInSystemLoads() throws {
    let file = Self.package.appendingPathComponent("Systems/sample.cdl")
    let plan = try systemPlan(from: CapDLModel.parse(String(contentsOf: file, encoding: .utf8), file: "sample.cdl"))
    #expect(plan.validate() == [])
    #expect(plan.currentThread != nil)
    #expect(LockstepChecker(plan: plan).check() == nil)
  }
}

// `refine-check prove --counterexamples DIR --plant-slip NAME` and `refine-check run --plant-slip
// NAME` end to end (issue 16): a slip planted in the twin refutes its event obligation, the
// command prints the decoded pre-state, event and smallest failing clause and writes a scenario,
// and that scenario passes on the correct layers and fails with the slip planted in AbstractSpec.

import Foundation
import Testing

@Suite struct CounterexampleCommandTests {
  @Test func refutedObligationWritesAScenarioThatReplaysTheSlip() throws {
    let folder = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let prove = try CLI.run(
      [
        "prove", "--no-cache", "--only", "abstract.mint.preserves.irq_revocable", "--plant-slip", "mintSkipsDeriveCap",
        "--counterexamples", folder.path,
      ], timeout: 300)
    expectContract(prove)
    #expect(prove.status == 1, "\(prove)")
    #expect(prove.stdout.contains("counterexample to abstract.mint.preserves.irq_revocable"), "\(prove)")
    #expect(prove.stdout.contains("smallest failing clause: irq_revocable: slot"), "\(prove)")
    let scenario = folder.appendingPathComponent("abstract.mint.preserves.irq_revocable.scenario").path
    #expect(FileManager.default.fileExists(atPath: scenario), "\(prove)")
    let correct = try CLI.run(["run", scenario])
    expectContract(correct)
    #expect(correct.status == 0, "\(correct)")
    let slipped = try CLI.run(["run", "--plant-slip", "mintSkipsDeriveCap", scenario])
    expectContract(slipped)
    #expect(slipped.status == 1, "\(slipped)")
  }

  @Test func anUnknownSlipIsAUsageError() throws {
    for command in [["prove", "--plant-slip", "nope"], ["run", "--plant-slip", "nope", "x.scenario"]] {
      let result = try CLI.run(command)
      expectContract(result)
      #expect(result.status == 64, "\(result)")
      #expect(result.stderr.contains("unknown slip nope"), "\(result)")
    }
  }
}

// Shared helpers of the report tests: the package's own files, a small campaign, and a shrunk
// trace of a planted bug made through the same machinery as `refine-check check`.

import Foundation
import Kernel
import KernelABI
import Refinement

/// The package root (three folders above this file).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// The committed `proofs/` folder.
let proofsDirectory = packageRoot.appendingPathComponent("proofs")

/// A small, fixed campaign on the sample system.
func smallCampaign(bug: PlantedBug? = nil, traces: Int = 4, steps: Int = 40) -> CampaignReport {
  runCampaign(
    plan: .sample, options: CampaignOptions(seed: 1, traces: traces, stepsPerTrace: steps, jobs: 1, plantedBug: bug))
}

/// The shrunk trace file of the first violation that the traces of a campaign (seed 1) with `bug`
/// planted find, trying trace after trace as `refine-check check` would run them.
func plantedBugTrace(_ bug: PlantedBug) -> TraceFile? {
  let options = CampaignOptions(seed: 1, traces: 40, stepsPerTrace: 250, jobs: 1, plantedBug: bug)
  var kernel = KernelState(plan: .sample)
  kernel.plantedBug = bug
  for index in options.traceIndices {
    let seed = options.traceSeed(index)
    let result = runTrace(plan: .sample, seed: seed, length: options.stepsPerTrace, kernel: kernel)
    guard let failure = result.failure else { continue }
    let small = shrink(plan: .sample, events: result.events, failure: failure, kernel: kernel)
    return TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: options.seed, traceSeed: seed, traceIndex: index,
      originalLength: result.events.count, events: small.events, expected: .init(small.failure), plantedBug: bug)
  }
  return nil
}

/// The planted-bug trace the HTML tests share (made once; this bug is caught in the first trace and shrinks fast).
let plantedTrace: TraceFile? = plantedBugTrace(.retypeIgnoresWatermark)

/// A fresh temporary folder.
func temporaryDirectory(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(name)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

// A campaign: many seeded traces through the lockstep checker, in parallel, with one report.
//
// Trace i of a campaign with seed s uses seed `SplitMix64(seed: s ^ i).next()`, so a campaign is
// reproducible bit for bit from its seed and any single trace can be re-run alone.

internal import Dispatch
internal import Foundation
import Kernel
public import KernelABI
internal import Synchronization

/// One shard of a campaign: shard `index` of `count` (1-based) runs exactly the traces whose index
/// `i` satisfies `i % count == index - 1`, with the same seeds as the unsharded campaign.
public struct Shard: Hashable, Sendable, Codable, CustomStringConvertible {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Parse `I/N` with 1 ≤ I ≤ N; nil for anything else.
  public init?(parsing text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else {
      return nil
    }
    self.init(index: i, count: n)
  }

  public var description: String { "\(index)/\(count)" }

  /// Whether trace `traceIndex` belongs to this shard.
  public func contains(_ traceIndex: Int) -> Bool { traceIndex % count == index - 1 }
}

/// The indices of the traces a campaign of `traces` traces runs in `shard` (all of them when nil).
public func shardTraceIndices(traces: Int, shard: Shard?) -> [Int] {
  guard let shard else { return Array(0..<max(0, traces)) }
  return (0..<max(0, traces)).filter(shard.contains)
}

/// What a campaign is asked to do.
public struct CampaignOptions: Sendable {
  public var seed: UInt64
  /// Traces of the whole (unsharded) campaign.
  public var traces: Int
  public var stepsPerTrace: Int
  public var jobs: Int
  /// Run only this shard's traces (nil: all of them).
  public var shard: Shard?
  /// Test and demonstration only: run a kernel with this bug planted.
  public var plantedBug: PlantedBug?

  public init(
    seed: UInt64 = 1, traces: Int = 200, stepsPerTrace: Int = 250, jobs: Int? = nil,
    shard: Shard? = nil, plantedBug: PlantedBug? = nil
  ) {
    self.seed = seed
    self.traces = traces
    self.stepsPerTrace = stepsPerTrace
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    self.shard = shard
    self.plantedBug = plantedBug
  }

  /// The indices of the traces this campaign (or its shard) runs.
  public var traceIndices: [Int] { shardTraceIndices(traces: traces, shard: shard) }

  /// The seed of trace `index`.
  public func traceSeed(_ index: Int) -> UInt64 {
    var rng = SplitMix64(seed: seed ^ UInt64(index))
    return rng.next()
  }
}

/// The shrunk form of a violation's trace.
public struct ShrunkTrace: Sendable, Codable, Hashable {
  /// Events before and after shrinking.
  public var originalLength: Int
  public var length: Int
  public var events: [Event]
  public var failure: LockstepFailure

  public init(originalLength: Int, events: [Event], failure: LockstepFailure) {
    self.originalLength = originalLength
    self.length = events.count
    self.events = events
    self.failure = failure
  }
}

/// A violation found by a campaign: the trace's seed, its events up to the failure, the failure.
public struct CampaignViolation: Sendable, Codable {
  public var traceSeed: UInt64
  public var events: [Event]
  public var failure: LockstepFailure
  /// The trace's index in the (unsharded) campaign.
  public var traceIndex: Int?
  /// The shrunk trace, once shrunk (`refine-check check` shrinks every violation).
  public var shrunk: ShrunkTrace?
  /// The trace file written for it, if any.
  public var traceFile: String?

  public init(
    traceSeed: UInt64, events: [Event], failure: LockstepFailure, traceIndex: Int? = nil,
    shrunk: ShrunkTrace? = nil, traceFile: String? = nil
  ) {
    self.traceSeed = traceSeed
    self.events = events
    self.failure = failure
    self.traceIndex = traceIndex
    self.shrunk = shrunk
    self.traceFile = traceFile
  }
}

/// The result of a campaign (`--json` prints it).
public struct CampaignReport: Sendable, Codable {
  public var seed: UInt64
  public var traces: Int
  public var steps: Int
  public var seconds: Double
  public var stepsPerSecond: Double
  public var violations: [CampaignViolation]
  public var coverage: [String: Int]
  /// Events per trace asked for.
  public var stepsPerTrace: Int?
  /// The shard this report covers (nil: the whole campaign, or a merge).
  public var shard: Shard?
  /// The shards a merged report combines.
  public var mergedShards: [Shard]?
  /// The system checked (a capDL path, or "builtin").
  public var system: String?

  public init(
    seed: UInt64, traces: Int, steps: Int, seconds: Double, stepsPerSecond: Double,
    violations: [CampaignViolation], coverage: [String: Int], stepsPerTrace: Int? = nil,
    shard: Shard? = nil, mergedShards: [Shard]? = nil, system: String? = nil
  ) {
    self.seed = seed
    self.traces = traces
    self.steps = steps
    self.seconds = seconds
    self.stepsPerSecond = stepsPerSecond
    self.violations = violations
    self.coverage = coverage
    self.stepsPerTrace = stepsPerTrace
    self.shard = shard
    self.mergedShards = mergedShards
    self.system = system
  }
}

/// Run `options.traces` traces from `plan` on `options.jobs` threads. `progress` is called after
/// each trace with the number of traces and steps done so far.
public func runCampaign(
  plan: SystemPlan, options: CampaignOptions,
  progress: @escaping @Sendable (_ traces: Int, _ steps: Int) -> Void = { _, _ in }
) -> CampaignReport {
  struct Totals { var steps = 0; var done = 0; var coverage = Coverage(); var violations: [(Int, CampaignViolation)] = [] }
  let totals = Mutex(Totals())
  let next = Atomic<Int>(0)
  let clock = ContinuousClock()
  let start = clock.now
  let indices = options.traceIndices
  var planted: KernelState?
  if let bug = options.plantedBug {
    planted = KernelState(plan: plan)
    planted?.plantedBug = bug
  }
  let kernel = planted
  DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(1, indices.count))) { _ in
    while true {
      let k = next.add(1, ordering: .relaxed).oldValue
      guard k < indices.count else { return }
      let i = indices[k]
      let seed = options.traceSeed(i)
      let result = runTrace(plan: plan, seed: seed, length: options.stepsPerTrace, kernel: kernel)
      let (traces, steps) = totals.withLock { t in
        t.steps += result.events.count
        t.done += 1
        t.coverage.merge(result.coverage)
        if let failure = result.failure {
          t.violations.append((i, CampaignViolation(traceSeed: seed, events: result.events, failure: failure, traceIndex: i)))
        }
        return (t.done, t.steps)
      }
      progress(traces, steps)
    }
  }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  return totals.withLock { t in
    CampaignReport(
      seed: options.seed, traces: t.done, steps: t.steps, seconds: seconds,
      stepsPerSecond: seconds > 0 ? Double(t.steps) / seconds : 0,
      violations: t.violations.sorted { $0.0 < $1.0 }.map(\.1), coverage: t.coverage.counts,
      stepsPerTrace: options.stepsPerTrace, shard: options.shard)
  }
}

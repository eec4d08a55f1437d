// A campaign: many seeded traces through the lockstep checker, in parallel, with one report.
//
// Trace i of a campaign with seed s uses seed `SplitMix64(seed: s ^ i).next()` and belongs to lane
// `i % laneCount`. A lane runs its traces one after another, each biased by the coverage of the
// lane's earlier traces (docs/campaigns.md). Lanes do not depend on the number of jobs, and a
// shard is made of whole lanes, so a campaign is reproducible bit for bit from its seed for any
// `--jobs`, and its shards together run exactly the unsharded campaign.

internal import Dispatch
internal import Foundation
public import Kernel
public import KernelABI
internal import Synchronization

/// One shard of a campaign: shard `index` of `count` (1-based) runs the whole lanes `l` with
/// `l % count == index - 1`, that is the traces `i` with `(i % laneCount) % count == index - 1`,
/// with the same seeds (and the same bias) as the unsharded campaign.
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
  public func contains(_ traceIndex: Int) -> Bool {
    (traceIndex % CampaignOptions.laneCount) % count == index - 1
  }
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
  /// Bias each trace by the coverage of its lane's earlier traces (the default).
  public var biased: Bool
  /// Start no trace after this many seconds (nil: no limit). The traces run then depend on
  /// the machine's speed; each one is still reproducible from its index.
  public var timeLimit: Double?
  /// Start no trace once a violation has been found.
  public var stopOnViolation: Bool

  /// The number of lanes: fixed, so that neither `jobs` nor the shards change which earlier
  /// traces bias a trace. Shards beyond 16 are empty.
  public static let laneCount = 16

  public init(
    seed: UInt64 = 1, traces: Int = 200, stepsPerTrace: Int = 250, jobs: Int? = nil,
    shard: Shard? = nil, plantedBug: PlantedBug? = nil, biased: Bool = true, timeLimit: Double? = nil,
    stopOnViolation: Bool = false
  ) {
    self.seed = seed
    self.traces = traces
    self.stepsPerTrace = stepsPerTrace
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    self.shard = shard
    self.plantedBug = plantedBug
    self.biased = biased
    self.timeLimit = timeLimit
    self.stopOnViolation = stopOnViolation
  }

  /// The indices of the traces this campaign (or its shard) runs.
  public var traceIndices: [Int] { shardTraceIndices(traces: traces, shard: shard) }

  /// The kernel state the campaign's traces start from: nil (built from the plan) unless a bug
  /// is planted. Shrinking and replay of a violation must start from the same one.
  public func initialKernel(plan: SystemPlan) -> KernelState? {
    guard let plantedBug else { return nil }
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = plantedBug
    return kernel
  }

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
  /// The traces this run was asked for (its shard's share); `traces` is how many ran.
  public var tracesAsked: Int?
  /// Why fewer traces ran than asked: "time" or "violation" (nil: all ran).
  public var stoppedBy: String?
  /// Named kernel paths reached (docs/campaigns.md).
  public var kernelPaths: [String: Int]?
  /// Derivation-tree shapes of the caps the campaign made (`Coverage.mdbShape`, docs/campaigns.md).
  public var mdbShapes: [String: Int]?
  /// Whether generation was biased by coverage.
  public var biased: Bool?
  /// Events the symbolic twin stepped and compared with AbstractSpec (`Lockstep+Twin.swift`), and
  /// events after which it was brought up to date from AbstractSpec instead (nil: an older report).
  public var twinSteps: Int?
  public var twinResyncs: Int?

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

/// Run `options.traces` traces from `plan` on `options.jobs` threads, lane by lane. `progress`
/// is called after each trace with the number of traces and steps done so far.
public func runCampaign(
  plan: SystemPlan, options: CampaignOptions,
  progress: @escaping @Sendable (_ traces: Int, _ steps: Int) -> Void = { _, _ in }
) -> CampaignReport {
  struct Totals {
    var steps = 0
    var done = 0
    var twinSteps = 0
    var twinResyncs = 0
    var coverage = Coverage()
    var violations: [(Int, CampaignViolation)] = []
  }
  let totals = Mutex(Totals())
  let clock = ContinuousClock()
  let start = clock.now
  let indices = options.traceIndices
  var lanes = LaneScheduler(indices: indices)
  if let limit = options.timeLimit {
    // Clamped to 10^9 s (the command line's bound) so that no limit, not even NaN or infinity from
    // another caller, traps in the conversion to a clock value.
    let seconds = limit.isNaN ? 0 : min(max(limit, 0), 1e9)
    lanes.deadline = start + .milliseconds(Int64(seconds * 1000))
  }
  let scheduler = Mutex(lanes)
  let traceStart = TraceStart(plan: plan, kernel: options.initialKernel(plan: plan))
  DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(1, indices.count))) { _ in
    while let (lane, i, laneCoverage) = scheduler.withLock({ $0.take(now: clock.now) }) {
      let seed = options.traceSeed(i)
      let bias = options.biased ? CoverageBias(laneCoverage) : nil
      let result = runTrace(from: traceStart, seed: seed, length: options.stepsPerTrace, bias: bias)
      scheduler.withLock {
        $0.finish(
          lane: lane, coverage: result.coverage, violation: result.failure != nil,
          stopOnViolation: options.stopOnViolation)
      }
      let (traces, steps) = totals.withLock { t in
        t.steps += result.events.count
        t.done += 1
        t.twinSteps += result.twinSteps
        t.twinResyncs += result.twinResyncs
        t.coverage.merge(result.coverage)
        if let failure = result.failure {
          t.violations.append(
            (i, CampaignViolation(traceSeed: seed, events: result.events, failure: failure, traceIndex: i)))
        }
        return (t.done, t.steps)
      }
      progress(traces, steps)
    }
  }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  let stoppedBy = scheduler.withLock { $0.stoppedBy }
  return totals.withLock { t in
    var report = CampaignReport(
      seed: options.seed, traces: t.done, steps: t.steps, seconds: seconds,
      stepsPerSecond: seconds > 0 ? Double(t.steps) / seconds : 0,
      violations: t.violations.sorted { $0.0 < $1.0 }.map(\.1), coverage: t.coverage.counts,
      stepsPerTrace: options.stepsPerTrace, shard: options.shard)
    report.tracesAsked = indices.count
    report.stoppedBy = t.done < indices.count ? stoppedBy : nil
    report.kernelPaths = t.coverage.paths
    report.mdbShapes = t.coverage.shapes
    report.biased = options.biased
    report.twinSteps = t.twinSteps
    report.twinResyncs = t.twinResyncs
    return report
  }
}

/// Which trace runs next: the lowest pending index among the lanes no worker holds. A lane is
/// held while one of its traces runs, so its traces run in order, each after the coverage of the
/// previous ones is known. With one job the traces run in index order.
struct LaneScheduler: Sendable {
  /// Per lane, its pending trace indices in order.
  var pending: [[Int]]
  var position: [Int]
  var busy: [Bool]
  var coverage: [Coverage]
  var deadline: ContinuousClock.Instant?
  var stoppedBy: String?

  init(indices: [Int]) {
    let n = CampaignOptions.laneCount
    pending = Array(repeating: [], count: n)
    for i in indices { pending[i % n].append(i) }
    position = Array(repeating: 0, count: n)
    busy = Array(repeating: false, count: n)
    coverage = Array(repeating: Coverage(), count: n)
  }

  /// The next trace to run (its lane, its index, the lane's coverage so far); nil when none can
  /// start now. A worker that gets nil stops: the lanes still held are finished by their holders.
  mutating func take(now: ContinuousClock.Instant) -> (Int, Int, Coverage)? {
    guard stoppedBy == nil else { return nil }
    if let deadline, now >= deadline {
      stoppedBy = "time"
      return nil
    }
    var best: Int?
    for lane in pending.indices where !busy[lane] && position[lane] < pending[lane].count {
      if best.map({ pending[lane][position[lane]] < pending[$0][position[$0]] }) ?? true { best = lane }
    }
    guard let lane = best else { return nil }
    busy[lane] = true
    position[lane] += 1
    return (lane, pending[lane][position[lane] - 1], coverage[lane])
  }

  mutating func finish(lane: Int, coverage traceCoverage: Coverage, violation: Bool, stopOnViolation: Bool) {
    busy[lane] = false
    coverage[lane].merge(traceCoverage)
    if violation && stopOnViolation && stoppedBy == nil { stoppedBy = "violation" }
  }
}

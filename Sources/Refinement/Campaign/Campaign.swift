// A campaign: many seeded traces through the lockstep checker, in parallel, with one report.
//
// Trace i of a campaign with seed s uses seed `SplitMix64(seed: s ^ i).next()`, so a campaign is
// reproducible bit for bit from its seed and any single trace can be re-run alone.

internal import Dispatch
internal import Foundation
public import KernelABI
internal import Synchronization

/// What a campaign is asked to do.
public struct CampaignOptions: Sendable {
  public var seed: UInt64
  public var traces: Int
  public var stepsPerTrace: Int
  public var jobs: Int

  public init(seed: UInt64 = 1, traces: Int = 200, stepsPerTrace: Int = 250, jobs: Int? = nil) {
    self.seed = seed
    self.traces = traces
    self.stepsPerTrace = stepsPerTrace
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The seed of trace `index`.
  public func traceSeed(_ index: Int) -> UInt64 {
    var rng = SplitMix64(seed: seed ^ UInt64(index))
    return rng.next()
  }
}

/// A violation found by a campaign: the trace's seed, its events up to the failure, the failure.
public struct CampaignViolation: Sendable, Codable {
  public var traceSeed: UInt64
  public var events: [Event]
  public var failure: LockstepFailure
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
  DispatchQueue.concurrentPerform(iterations: min(options.jobs, max(1, options.traces))) { _ in
    while true {
      let i = next.add(1, ordering: .relaxed).oldValue
      guard i < options.traces else { return }
      let seed = options.traceSeed(i)
      let result = runTrace(plan: plan, seed: seed, length: options.stepsPerTrace)
      let (traces, steps) = totals.withLock { t in
        t.steps += result.events.count
        t.done += 1
        t.coverage.merge(result.coverage)
        if let failure = result.failure {
          t.violations.append((i, CampaignViolation(traceSeed: seed, events: result.events, failure: failure)))
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
      violations: t.violations.sorted { $0.0 < $1.0 }.map(\.1), coverage: t.coverage.counts)
  }
}

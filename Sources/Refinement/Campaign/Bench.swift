// The benchmark behind `refine-check bench`: how many three-layer checked steps per second the
// lockstep checker runs, against how many the Kernel layer alone runs on the same events.
//
// The workload is fixed by a seed: the campaign's trace seeds and event generator produce the
// event sequences once, before any clock runs (the generator reads the abstract state, so the
// sequences are made by stepping the two spec layers, unchecked). Each repetition then times, on
// exactly those sequences: the Kernel layer alone, the lockstep check on one thread, and the
// lockstep check on `jobs` threads; only the stepping is timed, not the making of each trace's
// initial states. Repetitions interleave the three, so that a noisy machine slows all of them
// alike, and the report gives the median of each.

import AbstractSpec
internal import Dispatch
import ExecutableSpec
import Kernel
public import KernelABI
internal import Synchronization

/// What `runBench` measures.
public struct BenchOptions: Sendable {
  public var seed: UInt64
  public var traces: Int
  public var stepsPerTrace: Int
  public var repetitions: Int
  /// Threads for the parallel measurement.
  public var jobs: Int
  /// Also time the full check (whole-state lift, comparison and invariants every step).
  public var measuresFullCheck: Bool
  /// Run the symbolic twin beside the three layers (the default, as every campaign does); false
  /// measures the three layers alone, to see what the twin costs.
  public var runsTwin = true
  /// Round trips per repetition of the IPC round-trip figures (`RoundTripBench`; the
  /// ExecutableSpec runs a tenth of them); 0 skips those figures.
  public var roundTrips = 0

  public init(
    seed: UInt64 = 1, traces: Int = 100, stepsPerTrace: Int = 250, repetitions: Int = 5, jobs: Int = 2,
    measuresFullCheck: Bool = false
  ) {
    self.seed = seed
    self.traces = traces
    self.stepsPerTrace = stepsPerTrace
    self.repetitions = repetitions
    self.jobs = jobs
    self.measuresFullCheck = measuresFullCheck
  }
}

/// The event sequences a benchmark replays.
public struct BenchWorkload: Sendable {
  public var plan: SystemPlan
  public var traces: [[Event]]
  public var steps: Int { traces.reduce(0) { $0 + $1.count } }

  /// The sequences of a campaign with `seed`: trace i has the campaign's seed for trace i and ends
  /// after `stepsPerTrace` events or when no thread is left to run.
  public init(plan: SystemPlan, seed: UInt64, traces: Int, stepsPerTrace: Int) {
    self.plan = plan
    let campaign = CampaignOptions(seed: seed, traces: traces, stepsPerTrace: stepsPerTrace, jobs: 1)
    self.traces = (0..<max(0, traces)).map { i in
      var generator = EventGenerator(seed: campaign.traceSeed(i))
      var abstract = AbstractState(plan: plan)
      var exec = ExecState(plan: plan)
      var events: [Event] = []
      for _ in 0..<max(0, stepsPerTrace) {
        guard !abstract.isIdle(abstract.currentThread) else { break }
        let event = generator.next(for: abstract).1
        _ = exec.step(event)
        _ = abstract.step(event, following: exec)
        events.append(event)

      }
      return events
    }
  }
}

/// The figures `refine-check bench --json` prints.
public struct BenchReport: Sendable, Codable {
  public var system: String?
  public var seed: UInt64
  public var traces: Int
  /// Events in the workload (each rate counts these).
  public var steps: Int
  public var repetitions: Int
  public var jobs: Int
  /// Median rate of the Kernel layer alone stepping the workload.
  public var kernelStepsPerSecond: Double
  /// Median rate of the lockstep check (all relations and invariants every step), one thread.
  public var checkedStepsPerSecond: Double
  /// Median rate of the same check on `jobs` threads.
  public var checkedStepsPerSecondParallel: Double
  /// `checkedStepsPerSecondParallel / checkedStepsPerSecond`.
  public var scaling: Double
  /// `kernelStepsPerSecond / checkedStepsPerSecond`: what checking costs over running.
  public var overheadRatio: Double
  /// Median rate of the full check (whole-state lift, comparison, invariants), one thread, when asked.
  public var fullCheckStepsPerSecond: Double?
  /// Every repetition's rate, in the order run.
  public var kernelRuns: [Double]
  public var checkedRuns: [Double]
  public var checkedParallelRuns: [Double]
  public var fullCheckRuns: [Double]?
  /// Steps the incremental check handed to the full check because it could not decide them from
  /// what changed (a step that removes an object, for one).
  public var stepsCheckedInFull: Int
  /// Failures the check reported on the workload (a correct build has none).
  public var failures: [LockstepFailure]
  /// False for a debug build, whose figures say little about a release build's.
  public var optimized: Bool
  /// Nanoseconds per Call + ReplyRecv round trip between two threads in different CSpaces
  /// (`RoundTripBench`): the Kernel on its fastpath, on its slowpath, and the ExecutableSpec;
  /// nil unless `BenchOptions.roundTrips` asked for them.
  public var kernelFastpathRoundTripNs: Double?
  public var kernelSlowpathRoundTripNs: Double?
  public var execRoundTripNs: Double?
}

/// Time the workload: Kernel alone, checked on one thread, checked on `options.jobs` threads.
public func runBench(
  workload: BenchWorkload, options: BenchOptions, system: String? = nil,
  progress: (_ repetition: Int) -> Void = { _ in }
) -> BenchReport {
  let steps = workload.steps
  var kernelRuns: [Double] = []
  var checkedRuns: [Double] = []
  var parallelRuns: [Double] = []
  var fullRuns: [Double] = []
  var failures: [LockstepFailure] = []
  var fullChecks = 0
  for repetition in 0..<max(1, options.repetitions) {
    progress(repetition)
    kernelRuns.append(kernelRate(workload))
    let (rate, found, full) = checkedRate(workload, jobs: 1, mode: .incremental, twin: options.runsTwin)
    checkedRuns.append(rate)
    if repetition == 0 { (failures, fullChecks) = (found, full) }
    parallelRuns.append(checkedRate(workload, jobs: options.jobs, mode: .incremental, twin: options.runsTwin).rate)
    if options.measuresFullCheck {
      fullRuns.append(checkedRate(workload, jobs: 1, mode: .full, twin: options.runsTwin).rate)
    }
  }
  let kernel = median(kernelRuns)
  let checked = median(checkedRuns)
  let parallel = median(parallelRuns)
  var report = BenchReport(
    system: system, seed: options.seed, traces: workload.traces.count, steps: steps,
    repetitions: kernelRuns.count, jobs: options.jobs, kernelStepsPerSecond: kernel,
    checkedStepsPerSecond: checked, checkedStepsPerSecondParallel: parallel,
    scaling: checked > 0 ? parallel / checked : 0, overheadRatio: checked > 0 ? kernel / checked : 0,
    fullCheckStepsPerSecond: options.measuresFullCheck ? median(fullRuns) : nil,
    kernelRuns: kernelRuns, checkedRuns: checkedRuns, checkedParallelRuns: parallelRuns,
    fullCheckRuns: options.measuresFullCheck ? fullRuns : nil, stepsCheckedInFull: fullChecks, failures: failures,
    optimized: isOptimizedBuild)
  if options.roundTrips > 0 {
    let repetitions = max(1, options.repetitions)
    report.kernelFastpathRoundTripNs = RoundTripBench.kernelNanoseconds(
      fastpath: true, roundTrips: options.roundTrips, repetitions: repetitions)
    report.kernelSlowpathRoundTripNs = RoundTripBench.kernelNanoseconds(
      fastpath: false, roundTrips: options.roundTrips, repetitions: repetitions)
    report.execRoundTripNs = RoundTripBench.execNanoseconds(
      roundTrips: max(1, options.roundTrips / 10), repetitions: repetitions)
  }
  return report
}

/// True in a build with optimisation (`-c release`).
public var isOptimizedBuild: Bool {
  #if DEBUG
    false
  #else
    true
  #endif
}

/// The median of `values` (0 for none).
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  guard !sorted.isEmpty else { return 0 }
  let mid = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Steps per second of the Kernel layer alone. Only stepping is timed (making each trace's
/// initial state is not), and the workload is run as many times as it takes to fill a quarter of
/// a second, for a steadier figure.
func kernelRate(_ workload: BenchWorkload) -> Double {
  let clock = ContinuousClock()
  var stepping: Duration = .zero
  var rounds = 0
  var sink: UInt64 = 0
  repeat {
    for events in workload.traces {
      var kernel = KernelState(plan: workload.plan)
      let start = clock.now
      for event in events { if kernel.step(event).current != nil { sink &+= 1 } }
      stepping += clock.now - start
    }
    rounds += 1
  } while stepping < .milliseconds(250)
  let elapsed = seconds(stepping)
  // Keep the kernel's work observable so that the optimiser cannot drop it.
  if sink == UInt64.max { print("") }
  return elapsed > 0 ? Double(workload.steps * rounds) / elapsed : 0
}

/// Steps per second of the lockstep check on `jobs` threads, the failures it reported and the
/// steps it checked in full. Only stepping is timed (making and checking each trace's initial
/// states is not); with several threads, the elapsed time is the busiest thread's.
func checkedRate(
  _ workload: BenchWorkload, jobs: Int, mode: LockstepChecker.Mode, twin: Bool = true
) -> (rate: Double, failures: [LockstepFailure], fullChecks: Int) {
  let next = Atomic<Int>(0)
  let failures = Mutex<[LockstepFailure]>([])
  let fullChecks = Atomic<Int>(0)
  let threads = max(1, min(jobs, workload.traces.count))
  let busy = Mutex<[Duration]>(Array(repeating: .zero, count: threads))
  let clock = ContinuousClock()
  DispatchQueue.concurrentPerform(iterations: threads) { thread in
    var stepping: Duration = .zero
    while true {
      let k = next.add(1, ordering: .relaxed).oldValue
      guard k < workload.traces.count else { break }
      var checker = LockstepChecker(plan: workload.plan)
      checker.mode = mode
      if !twin { checker.twin = nil }
      var failure = checker.verify()
      let start = clock.now
      for event in workload.traces[k] where failure == nil { failure = checker.step(event).failure }
      stepping += clock.now - start
      if let failure { failures.withLock { $0.append(failure) } }
      fullChecks.add(checker.fullChecks, ordering: .relaxed)
    }
    busy.withLock { $0[thread] = stepping }
  }
  let elapsed = seconds(busy.withLock { $0.max() ?? .zero })
  return (
    elapsed > 0 ? Double(workload.steps) / elapsed : 0, failures.withLock { $0 }, fullChecks.load(ordering: .relaxed)
  )
}

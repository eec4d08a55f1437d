// The trace the explorer walks: the events, what each step did and what broke, and the three
// layers' states at any step. States are rebuilt on demand by re-running events from the nearest
// checkpoint: a kernel state holds its whole simulated memory (2 MiB for the sample system), so one
// per step, or even one every 16 steps, is too much for a trace of 200,000 events. The number of
// checkpoints is bounded instead, and the interval between them grows with the trace.

import Kernel
import KernelABI
import Refinement

/// What one step did: step 0 is the initial state, step i the state after event i.
struct StepRecord {
  /// The event that led to this step (nil for step 0).
  var event: Event?
  /// The kernel's observation of that event.
  var observation: Observation?
  /// The lockstep checker's first failure at this step, if any.
  var failure: LockstepFailure?
  /// Where the event came from (a scenario line, `do`), for `where`.
  var origin: String?
}

/// A trace and its states.
///
/// Two kinds of saved states, both bounded in number whatever the trace's length:
/// - checkpoints at every `interval`-th step, at most `checkpointBudget` of them (the interval
///   doubles, and every other checkpoint is dropped, when a longer trace would need more);
/// - states within one interval (the one `checker(at:)` last rebuilt a state in), at most
///   `nearbyBudget` of them, so that going back step by step re-runs a few events each time rather
///   than a whole interval.
///
/// Rebuilding re-runs the recorded events on a copy of a saved checker, which is what produced the
/// saved state in the first place, so every state is the one a dense run would have kept.
struct Timeline {
  let plan: SystemPlan
  /// The kernel's initial state (carries a planted bug in tests).
  let initialKernel: KernelState
  private(set) var records: [StepRecord]
  /// Checkers at every `interval`-th step (step 0 always).
  private var checkpoints: [Int: LockstepChecker] = [:]
  /// Steps between checkpoints.
  private(set) var interval: Int
  /// Checkers inside the interval starting at `nearbySegment`.
  private var nearby: [Int: LockstepChecker] = [:]
  private var nearbySegment = -1
  /// Events re-run to rebuild states, in all (tests assert on it instead of on time).
  private(set) var restepped = 0

  /// The most checkpoints kept (each one a copy of the three layers' states).
  static let checkpointBudget = 64
  /// The most states kept within one interval.
  static let nearbyBudget = 16
  /// The smallest interval: short traces keep a checkpoint every 16 steps, as they always did.
  static let minimumInterval = 16

  var events: [Event] { records.dropFirst().compactMap(\.event) }
  /// The last step.
  var last: Int { records.count - 1 }
  /// States kept, checkpoints and nearby ones (for tests of the bound).
  var savedStates: Int { checkpoints.count + nearby.count }

  /// Runs `events` from the plan's initial state (or `kernel`), recording each step.
  /// - Parameter interval: the steps between checkpoints; nil chooses one from the trace's length
  ///   so that at most `checkpointBudget` checkpoints are kept (tests give 1 for a dense run).
  init(plan: SystemPlan, kernel: KernelState?, events: [Event], origins: [String?] = [], interval: Int? = nil) {
    self.plan = plan
    initialKernel = kernel ?? KernelState(plan: plan)
    var chosen = interval ?? Timeline.minimumInterval
    if interval == nil {
      while events.count / chosen >= Timeline.checkpointBudget { chosen *= 2 }
    }
    self.interval = max(1, chosen)
    var checker = LockstepChecker(plan: plan, kernel: initialKernel)
    records = [StepRecord(event: nil, observation: nil, failure: checker.check(), origin: nil)]
    records.reserveCapacity(events.count + 1)
    checkpoints[0] = checker
    for (i, event) in events.enumerated() {
      let (observation, failure) = checker.step(event)
      records.append(
        StepRecord(
          event: event, observation: observation, failure: failure, origin: i < origins.count ? origins[i] : nil))
      saveCheckpoint(checker, at: records.count - 1)
    }
  }

  /// Keeps `checker` if `step` is a checkpoint step, thinning the checkpoints when there would be
  /// more than the budget (never when the interval was given as 1: a dense run for tests).
  private mutating func saveCheckpoint(_ checker: LockstepChecker, at step: Int) {
    guard step % interval == 0 else { return }
    checkpoints[step] = checker
    guard interval > 1, checkpoints.count > Timeline.checkpointBudget else { return }
    interval *= 2
    for key in checkpoints.keys where key % interval != 0 { checkpoints[key] = nil }
    nearby = [:]
    nearbySegment = -1
  }

  /// The checker at `step` (0...last), rebuilt from the nearest saved state at or before it.
  mutating func checker(at step: Int) -> LockstepChecker {
    let segment = step - step % interval
    var start = segment
    var checker = checkpoints[segment]
    if segment == nearbySegment, let best = nearby.keys.filter({ $0 <= step }).max(), let saved = nearby[best] {
      start = best
      checker = saved
    }
    guard var checker else {
      // Not reached: every multiple of the interval up to `last` has a checkpoint.
      return rebuild(from: 0, LockstepChecker(plan: plan, kernel: initialKernel), to: step, segment: 0)
    }
    if start == step { return checker }
    if segment != nearbySegment {
      nearby = [:]
      nearbySegment = segment
    }
    checker = rebuild(from: start, checker, to: step, segment: segment)
    return checker
  }

  /// Re-runs the events after `start` up to `step`, keeping evenly spaced states of the segment.
  private mutating func rebuild(from start: Int, _ initial: LockstepChecker, to step: Int, segment: Int)
    -> LockstepChecker
  {
    var checker = initial
    let spacing = max(1, interval / Timeline.nearbyBudget)
    var i = start
    while i < step {
      i += 1
      if let event = records[i].event { _ = checker.step(event) }
      restepped += 1
      if segment == nearbySegment, i % spacing == 0, i != segment, nearby.count < Timeline.nearbyBudget {
        nearby[i] = checker
      }
    }
    return checker
  }

  /// Drop the steps after `step` and run `event` from `checker` (the state at `step`): the new
  /// last step.
  mutating func branch(at step: Int, from checker: LockstepChecker, event: Event, origin: String) -> LockstepChecker {
    records.removeSubrange((step + 1)...)
    for key in checkpoints.keys where key > step { checkpoints[key] = nil }
    for key in nearby.keys where key > step { nearby[key] = nil }
    var next = checker
    let (observation, failure) = next.step(event)
    records.append(StepRecord(event: event, observation: observation, failure: failure, origin: origin))
    saveCheckpoint(next, at: records.count - 1)
    return next
  }

  /// The first step with a failure.
  var firstFailure: (step: Int, failure: LockstepFailure)? {
    for (i, r) in records.enumerated() { if let f = r.failure { return (i, f) } }
    return nil
  }
}

// The trace the explorer walks: the events, what each step did and what broke, and the three
// layers' states at any step. States are rebuilt on demand from checkpoints (a kernel state holds
// its whole simulated memory, so one per step would be too much for long traces).

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
struct Timeline {
  let plan: SystemPlan
  /// The kernel's initial state (carries a planted bug in tests).
  let initialKernel: KernelState
  private(set) var records: [StepRecord]
  /// Checkers at every `interval`-th step.
  private var checkpoints: [Int: LockstepChecker] = [:]
  static let interval = 16

  var events: [Event] { records.dropFirst().compactMap(\.event) }
  /// The last step.
  var last: Int { records.count - 1 }

  init(plan: SystemPlan, kernel: KernelState?, events: [Event], origins: [String?] = []) {
    self.plan = plan
    initialKernel = kernel ?? KernelState(plan: plan)
    var checker = LockstepChecker(plan: plan, kernel: initialKernel)
    records = [StepRecord(event: nil, observation: nil, failure: checker.check(), origin: nil)]
    checkpoints[0] = checker
    for (i, event) in events.enumerated() {
      let (observation, failure) = checker.step(event)
      records.append(
        StepRecord(
          event: event, observation: observation, failure: failure, origin: i < origins.count ? origins[i] : nil))
      if records.count % Timeline.interval == 1 { checkpoints[records.count - 1] = checker }
    }
  }

  /// The checker at `step` (0...last).
  func checker(at step: Int) -> LockstepChecker {
    let start = checkpoints.keys.filter { $0 <= step }.max() ?? 0
    var checker = checkpoints[start] ?? LockstepChecker(plan: plan, kernel: initialKernel)
    if start < step {
      for record in records[(start + 1)...step] {
        if let event = record.event { _ = checker.step(event) }
      }
    }
    return checker
  }

  /// Drop the steps after `step` and run `event` from `checker` (the state at `step`): the new
  /// last step.
  mutating func branch(at step: Int, from checker: LockstepChecker, event: Event, origin: String) -> LockstepChecker {
    records.removeSubrange((step + 1)...)
    for key in checkpoints.keys where key > step { checkpoints[key] = nil }
    var next = checker
    let (observation, failure) = next.step(event)
    records.append(StepRecord(event: event, observation: observation, failure: failure, origin: origin))
    if (records.count - 1) % Timeline.interval == 0 { checkpoints[records.count - 1] = next }
    return next
  }

  /// The first step with a failure.
  var firstFailure: (step: Int, failure: LockstepFailure)? {
    for (i, r) in records.enumerated() { if let f = r.failure { return (i, f) } }
    return nil
  }
}

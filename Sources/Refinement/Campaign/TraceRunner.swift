// Running one randomized trace through the lockstep checker, counting coverage as it goes.

import AbstractSpec
public import Kernel
public import KernelABI

/// One trace's result.
public struct TraceResult: Sendable {
  public var seed: UInt64
  public var events: [Event]
  public var failure: LockstepFailure?
  public var coverage: Coverage
}

/// Run `length` generated events from `plan` with `seed`, biased by `bias` if given; stops at the
/// first failure or when no thread is left to make system calls.
public func runTrace(
  plan: SystemPlan, seed: UInt64, length: Int, kernel: KernelState? = nil, bias: CoverageBias? = nil
) -> TraceResult {
  var checker = LockstepChecker(plan: plan, kernel: kernel)
  var generator = EventGenerator(seed: seed, bias: bias)
  var coverage = Coverage()
  var events: [Event] = []
  if let failure = checker.verify() {
    return TraceResult(seed: seed, events: [], failure: failure, coverage: coverage)
  }
  for _ in 0..<length {
    guard checker.abstract.currentThread != nil else { break }
    let (operation, event) = generator.next(for: checker.abstract)
    events.append(event)
    let (observation, failure) = checker.step(event)
    coverage.record(operation, Coverage.outcome(observation), path: generator.lastPath)
    if observation.reply == .success {
      for slot in generator.lastDestinations { coverage.recordShape(of: slot, in: checker.abstract) }
    }
    if let failure { return TraceResult(seed: seed, events: events, failure: failure, coverage: coverage) }
  }
  return TraceResult(seed: seed, events: events, failure: nil, coverage: coverage)
}

// Replaying a list of events through the lockstep checker, and shrinking a failing one.

public import Kernel
public import KernelABI

/// The first failure the lockstep checker reports on `events` from `plan` (nil if none).
public func replay(plan: SystemPlan, events: [Event], kernel: KernelState? = nil) -> LockstepFailure? {
  var checker = LockstepChecker(plan: plan, kernel: kernel)
  if let failure = checker.verify() { return failure }
  for event in events {
    if let failure = checker.step(event).failure { return failure }
  }
  return nil
}

/// The smallest sub-list of `events` that still fails the same way as `failure` (same kind of
/// check, same relation or invariant), by delta debugging over the events, then with each event's
/// arguments made as small as still fails (`Event.simplerVariants`: shorter message-register and
/// extra-cap lists, smaller words), then delta debugging again (simpler arguments can make more
/// events unnecessary).
public func shrink(
  plan: SystemPlan, events: [Event], failure: LockstepFailure, kernel: KernelState? = nil
) -> (events: [Event], failure: LockstepFailure) {
  func fails(_ candidate: [Event]) -> Bool {
    let f = replay(plan: plan, events: candidate, kernel: kernel)
    return f?.kind == failure.kind && f?.name == failure.name
  }
  var small = shrinkEvents(events, fails: fails)
  small = shrinkArguments(small, variants: \.simplerVariants, fails: fails)
  small = shrinkEvents(small, fails: fails)
  return (small, replay(plan: plan, events: small, kernel: kernel) ?? failure)
}

// Running a boot: the initialiser's events on all three layers in lockstep, every check every step.

public import Kernel
public import KernelABI
public import Refinement

/// What a boot run gives: the first lockstep failure (then the trace stops there), or the booted
/// checker and the realisation check's verdict.
public struct BootRun: Sendable {
  /// Events applied (the failing one included).
  public var steps: Int
  public var failure: LockstepFailure?
  public var checker: LockstepChecker
  /// nil when the lockstep failed (the state is then not a booted one).
  public var realisation: Realisation?
  /// nil when the lockstep failed: the booted state compared with the loader's direct construction.
  public var directConstruction: DirectConstructionComparison?
  /// Boot events the layers answered with an error, by index, with what they were to do.
  public var refused: [(index: Int, what: String)]
}

extension Boot {
  /// Runs `events` (by default the boot's own) from the start state in lockstep, then the
  /// realisation check. `kernel`: tests only, a kernel with a planted bug.
  public func run(events: [Event]? = nil, kernel: KernelState? = nil) -> BootRun {
    var checker = LockstepChecker(plan: start, kernel: kernel)
    let events = events ?? self.events
    if let failure = checker.check() {
      return BootRun(
        steps: 0, failure: failure, checker: checker, realisation: nil, directConstruction: nil, refused: [])
    }
    var refused: [(Int, String)] = []
    for (i, event) in events.enumerated() {
      let (observation, failure) = checker.step(event)
      if let failure {
        return BootRun(
          steps: i + 1, failure: failure, checker: checker, realisation: nil, directConstruction: nil,
          refused: refused)
      }
      if Boot.isError(observation) {
        let what = i < steps.count ? steps[i].what : "\(event)"
        refused.append(
          (i, "\(what): \(observation.reply.map { "\($0)" } ?? observation.fault.map { "\($0)" } ?? "not modelled")"))
      }
    }
    return BootRun(
      steps: events.count, failure: nil, checker: checker, realisation: realisation(of: checker.abstract),
      directConstruction: directConstructionComparison(booted: checker.abstract), refused: refused)
  }

  /// True iff the root task's call failed: an error reply, a fault, or an operation not modelled.
  static func isError(_ observation: Observation) -> Bool {
    (observation.reply.map { $0.info.label != 0 } ?? false) || observation.fault != nil
      || observation.notModelled != nil
  }
}

// Running one randomized trace through the lockstep checker, counting coverage as it goes.

import AbstractSpec
public import Kernel
public import KernelABI
public import SymbolicSpec

/// One trace's result.
public struct TraceResult: Sendable {
  public var seed: UInt64
  public var events: [Event]
  public var failure: LockstepFailure?
  public var coverage: Coverage
  /// Events the symbolic twin stepped and compared with AbstractSpec, and those after which it
  /// was brought up to date instead (`Lockstep+Twin.swift`).
  public var twinSteps = 0
  public var twinResyncs = 0
}

/// Run `length` generated events from `plan` with `seed`, biased by `bias` if given; stops at the
/// first failure or when no thread is left to make system calls.
public func runTrace(
  plan: SystemPlan, seed: UInt64, length: Int, kernel: KernelState? = nil, bias: CoverageBias? = nil
) -> TraceResult {
  runTrace(from: TraceStart(plan: plan, kernel: kernel), seed: seed, length: length, bias: bias)
}

/// The three layers' initial states, checked in full once (`verify()`), for every trace of a
/// campaign to start from: a copy shares their storage, so a trace does not rebuild and recheck a
/// large system's initial state.
public struct TraceStart: Sendable {
  let checker: LockstepChecker
  let failure: LockstepFailure?

  /// `twinMutant` or `twinEventMutant` (tests only) is planted in the symbolic twin.
  public init(
    plan: SystemPlan, kernel: KernelState? = nil, twinMutant: TwinMutant? = nil,
    twinEventMutant: TwinEventMutant? = nil
  ) {
    var checker = LockstepChecker(plan: plan, kernel: kernel)
    if let twinMutant { checker.plantInTwin(twinMutant) }
    if let twinEventMutant { checker.plantInTwin(twinEventMutant) }
    failure = checker.verify()
    self.checker = checker
  }
}

/// `runTrace(plan:seed:length:kernel:bias:)` from initial states already checked.
public func runTrace(from start: TraceStart, seed: UInt64, length: Int, bias: CoverageBias? = nil) -> TraceResult {
  var checker = start.checker
  var generator = EventGenerator(seed: seed, bias: bias)
  var coverage = Coverage()
  var events: [Event] = []
  if let failure = start.failure {
    return TraceResult(seed: seed, events: [], failure: failure, coverage: coverage)
  }
  for _ in 0..<length {
    guard !checker.abstract.isIdle(checker.abstract.currentThread) else { break }
    let (operation, event) = generator.next(for: checker.abstract)
    events.append(event)
    // The Kernel's own choice for a Call or ReplyRecv (`Fastpath.swift`): the fastpath, or the
    // reason it left the event to the slowpath, read before the step changes the state.
    let fastpath = checker.kernel.fastpathDecision(for: event)
    let (observation, failure) = checker.step(event)
    coverage.record(operation, Coverage.outcome(observation), path: generator.lastPath)
    if let fastpath, case .syscall(let call, _) = event {
      coverage.recordPath(fastpath.pathName(call), Coverage.outcome(observation))
    }
    if observation.reply == .success {
      for slot in generator.lastDestinations { coverage.recordShape(of: slot, in: checker.abstract) }
    }
    if let failure { return TraceResult(checker, seed: seed, events: events, failure: failure, coverage: coverage) }
  }
  return TraceResult(checker, seed: seed, events: events, failure: nil, coverage: coverage)
}

extension TraceResult {
  /// The result of a trace `checker` ran, with the twin's counts.
  init(_ checker: LockstepChecker, seed: UInt64, events: [Event], failure: LockstepFailure?, coverage: Coverage) {
    self.init(seed: seed, events: events, failure: failure, coverage: coverage)
    twinSteps = checker.twin?.steps ?? 0
    twinResyncs = checker.twin?.resyncs ?? 0
  }
}

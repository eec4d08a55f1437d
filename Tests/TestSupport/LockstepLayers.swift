// The lockstep suites' shared fixture: one event through the checker expected to pass, and what
// each layer says of a thread or scheduling context, abstract spec, executable spec and kernel in
// that order (each layer read in its own representation; the kernel's 0 word is none). Used by
// `DonationTests`, `NotificationDonationTests` and `SchedContextLockstepTests`.

import AbstractSpec
import ExecutableSpec
import Kernel
public import KernelABI
public import Refinement
public import Testing

/// `event` through `checker`, expecting every check to pass (the failure and its diff are the
/// message); `modelled`: also expecting an observation that is not "not modelled".
@discardableResult
public func lockstepStep(
  _ checker: inout LockstepChecker, _ event: Event, modelled: Bool = true,
  sourceLocation: SourceLocation = #_sourceLocation
) -> Observation {
  let (observation, failure) = checker.step(event)
  #expect(
    failure == nil, "\(event): \(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")", sourceLocation: sourceLocation)
  if modelled { #expect(observation.notModelled == nil, sourceLocation: sourceLocation) }
  return observation
}

/// `value` for each of the three layers.
public func inEveryLayer<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

extension LockstepChecker {
  /// The scheduling context bound to `thread` in each layer (nil: none).
  public func schedContextOfThread(_ thread: ObjectRef) -> [ObjectRef?] {
    let word = kernel.schedContextWord(of: thread)
    return [abstract.tcb(at: thread)?.schedContext, exec.tcb(at: thread)?.schedContext, word == 0 ? nil : word]
  }

  /// The thread bound to the scheduling context at `sc` in each layer (nil: none).
  public func threadOfSchedContext(_ sc: ObjectRef) -> [ObjectRef?] {
    let word = kernel.scTcb(of: sc)
    return [abstract.schedContext(at: sc)?.tcb, exec.schedContext(at: sc)?.tcb, word == 0 ? nil : word]
  }

  /// The current thread in each layer.
  public var currentThreads: [ObjectRef?] { [abstract.currentThread, exec.ksCurThread, kernel.ksCurThread] }

  /// The state of `thread` in each layer as text ("none": no thread there): the spec layers'
  /// cases with their fields, the kernel's state word's name.
  public func threadStateNames(_ thread: ObjectRef) -> [String] {
    [
      abstract.tcb(at: thread).map { "\($0.state)" } ?? "none",
      exec.tcb(at: thread).map { "\($0.state)" } ?? "none",
      kernel.threadState(of: thread).map { "\($0)" } ?? "none",
    ]
  }
}

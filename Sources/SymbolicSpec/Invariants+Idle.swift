// The idle thread's invariants over the twin's threads: the twin of `AbstractSpec/Invariants+Idle.swift`.
// `valid_idle` is stated for the idle thread only when the state holds it (at `idleThreadPtr`), and
// only its thread part: IdleThreadState, no bound notification, the idle scheduling context. The
// idle scheduling context's own fields are not in the twin.
// (`l4v-rt:proof/invariant-abstract/Invariants_AI.thy`: `valid_idle`, `only_idle`.)

public import Bitwise
import KernelABI

extension TwinState {
  /// `only_idle`: no thread but the idle thread is in IdleThreadState.
  public func onlyIdle() -> Word.Condition {
    Self.all(
      threads.indices.filter { threadRefs[$0] != KernelConstants.idleThreadPtr }.map {
        .!threads[$0].is(.idleThreadState)
      })
  }

  /// `valid_idle`, its thread part: the idle thread (if the state holds it) is in
  /// IdleThreadState, bound to no notification, and runs on the idle scheduling context.
  public func validIdle() -> Word.Condition {
    Self.all(
      threads.indices.filter { threadRefs[$0] == KernelConstants.idleThreadPtr }.map { k in
        threads[k].is(.idleThreadState) .&& (threads[k].boundNotification .== 0)
          .&& (threads[k].schedContext .== Word(constant: KernelConstants.idleSCPtr))
      })
  }
}

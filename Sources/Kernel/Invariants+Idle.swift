// The idle thread and the invariants about it, on words (the executable spec's:
// `ExecutableSpec/Invariants+Idle.swift`; `l4v-rt:proof/refine/Invariants_H.thy` `valid_idle'`):
// - `valid_idle'`: `ksIdleThread` is `idle_thread_ptr`, a TCB whose state word is
//   IdleThreadState (seL4 `ThreadState_IdleThreadState`, 7), with no bound notification, whose
//   scheduling-context word names the idle scheduling context (`idle_sc_ptr`), whose thread word
//   names it back and which has `MIN_REFILLS` refills;
// - `only_idle'`: no TCB but the idle one has the state IdleThreadState.
//
// The idle objects lie in the globals frame (`Globals.swift`), outside every untyped region and
// the plan's memory: no cap can name them, and they are not live (`Invariants+Live.swift`). Every
// word of them is a word of the frame, so a step that writes one makes the lockstep checker
// re-check the scheduler's invariants; these are re-checked with the scheduler's or the
// notifications' (`idleInvariantsHold`, from `Invariants+Incremental.swift`), so that a bound
// notification written to the idle thread is caught by the notification words alone too.
// Twins: `AbstractSpec/Invariants+Idle.swift`, `ExecutableSpec/Invariants+Idle.swift`.

public import KernelABI

extension KernelState {
  /// The idle thread's scheduling context (`ksIdleSC`, l4v `idle_sc_ptr`).
  public var ksIdleSC: ObjectRef { KernelConstants.idleSCPtr }

  /// Whether `thread` is the idle thread (`thread == ksIdleThread`).
  @inline(__always)
  public func isIdle(_ thread: ObjectRef) -> Bool { thread == ksIdleThread }

  /// Whether the object of `kind` at `address` is one of the idle objects, which lie in the
  /// globals frame rather than in memory (`pspace_in_kernel_mappings'` holds of them).
  static func isIdleObject(_ address: ObjectRef, _ kind: KernelObjectKind) -> Bool {
    (address == KernelConstants.idleThreadPtr && kind == .tcb)
      || (address == KernelConstants.idleSCPtr && kind == .schedContext(sizeBits: KernelConstants.minSchedContextBits))
  }

  /// `valid_idle'`.
  func validIdle() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_idle'", text)) }
    let idle = ksIdleThread
    if idle != KernelConstants.idleThreadPtr {
      fail("ksIdleThread is \(hex(idle)), not \(hex(KernelConstants.idleThreadPtr))")
    }
    if objects[idle] == .tcb {
      if let state = threadState(of: idle), state != .idleThreadState {
        fail("the idle thread \(hex(idle)) is \(state)")
      } else if threadState(of: idle) == nil {
        fail("the idle thread's state word \(hex(memory.word(idle &+ ObjectLayout.tcbState))) decodes to no state")
      }
      let ntfn = boundNotificationWord(of: idle) ?? 0
      if ntfn != 0 { fail("the idle thread is bound to notification \(hex(ntfn))") }
      let sc = schedContextWord(of: idle) ?? 0
      if sc != ksIdleSC { fail("the idle thread's scheduling context is \(hex(sc)), not \(hex(ksIdleSC))") }
    } else {
      fail("the idle thread \(hex(idle)) is not a TCB")
    }
    if objects[ksIdleSC] == .schedContext(sizeBits: KernelConstants.minSchedContextBits) {
      let thread = scTcb(of: ksIdleSC) ?? 0
      if thread != idle { fail("the idle scheduling context is bound to \(hex(thread))") }
      let refills = memory.word(ksIdleSC &+ ObjectLayout.scRefillMax)
      if refills != KernelConstants.minRefills { fail("the idle scheduling context has \(refills) refills") }
    } else {
      fail("the idle scheduling context \(hex(ksIdleSC)) is not a 2^7-byte scheduling context")
    }
    return found
  }

  /// `only_idle'`.
  func onlyIdle() -> [InvariantViolation] { onlyIdle(schedulerObjects()) }

  /// `only_idle'`; `schedObjects`: `schedulerObjects()`.
  func onlyIdle(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, kind) in schedObjects where kind == .tcb && !isIdle(address) {
      if threadState(of: address) == .idleThreadState {
        found.append(InvariantViolation("only_idle'", "thread \(hex(address)) is in IdleThreadState"))
      }
    }
    return found
  }

  /// Whether `valid_idle'` and `only_idle'` hold; `schedObjects`: `schedulerObjects()`. Run by the
  /// incremental check whenever it re-checks the scheduler's or the notifications' invariants (the
  /// words these read are words one of those reads: thread states and scheduling-context links,
  /// the idle thread's bound notification, `ksIdleThread` in the globals frame).
  func idleInvariantsHold(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> Bool {
    validIdle().isEmpty && onlyIdle(schedObjects).isEmpty
  }
}

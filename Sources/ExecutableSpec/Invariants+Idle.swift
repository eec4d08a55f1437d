// The idle thread and the invariants about it (`l4v-rt:proof/refine/Invariants_H.thy`, branch
// `rt`: `valid_idle'`, `idle_tcb'`, `idle_sc_at'`; l4v's Haskell-level invariants have no
// `only_idle'`, so that one is the abstract `only_idle` restated on this state):
// - `valid_idle'`: `ksIdleThread` (always `idle_thread_ptr`) is a TCB in IdleThreadState with no
//   bound notification, bound to the idle scheduling context (`idle_sc_ptr`), which is bound back
//   to it and has `MIN_REFILLS` refills;
// - `only_idle'`: no thread but the idle thread is in IdleThreadState.
//
// The idle objects lie at fixed addresses outside the plan's memory and every untyped region
// (seL4's `ksIdleThreadTCB`, `ksIdleThreadSC`: `seL4:src/kernel/boot.c` `create_idle_thread`); no
// cap names them and they are not live (`Invariants+Live.swift`). The incremental check
// (`idleInvariantsHold`) re-checks `valid_idle'` when a step changed or removed an idle object,
// and `only_idle'` at each TCB the step changed.
// Twins: `AbstractSpec/Invariants+Idle.swift`, `Kernel/Invariants+Idle.swift`.

public import KernelABI

extension ExecState {
  /// `ksIdleThread`: the idle thread's TCB (l4v `idle_thread_ptr`).
  public var ksIdleThread: ObjectRef { KernelConstants.idleThreadPtr }

  /// `ksIdleSC`: the idle thread's scheduling context (l4v `idle_sc_ptr`).
  public var ksIdleSC: ObjectRef { KernelConstants.idleSCPtr }

  /// Whether `thread` is the idle thread.
  @inline(__always)
  public func isIdle(_ thread: ObjectRef) -> Bool { thread == KernelConstants.idleThreadPtr }

  /// Whether `address` is one of the idle objects, which lie outside memory.
  public static func isIdleObject(_ address: ObjectRef) -> Bool {
    address == KernelConstants.idleThreadPtr || address == KernelConstants.idleSCPtr
  }

  /// `valid_idle'`.
  func validIdle() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_idle'", text)) }
    if let tcb = tcb(at: ksIdleThread) {
      if tcb.state != .idleThreadState { fail("the idle thread \(hex(ksIdleThread)) is \(tcb.state)") }
      if let ntfn = tcb.tcbBoundNotification { fail("the idle thread is bound to notification \(hex(ntfn))") }
      if tcb.schedContext != ksIdleSC {
        fail("the idle thread's scheduling context is \(tcb.schedContext.map(hex) ?? "none"), not \(hex(ksIdleSC))")
      }
    } else {
      fail("the idle thread \(hex(ksIdleThread)) is not a TCB")
    }
    if let sc = schedContext(at: ksIdleSC) {
      if sc.tcb != ksIdleThread { fail("the idle scheduling context is bound to \(sc.tcb.map(hex) ?? "none")") }
      if sc.refillMax != KernelConstants.minRefills || sc.sizeBits != KernelConstants.minSchedContextBits {
        fail("the idle scheduling context has \(sc.refillMax) refills and size 2^\(sc.sizeBits)")
      }
    } else {
      fail("the idle scheduling context \(hex(ksIdleSC)) is not a scheduling context")
    }
    return found
  }

  /// `only_idle'`.
  func onlyIdle() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      if case .tcb(let tcb) = object, tcb.state == .idleThreadState, !isIdle(address) {
        found.append(InvariantViolation("only_idle'", "thread \(hex(address)) is in IdleThreadState"))
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `valid_idle'` and `only_idle'` where a step can have broken them, given that they held before
  /// it: `valid_idle'` when an idle object is among `changed` or `removed`, `only_idle'` at each
  /// TCB of `changed`.
  func idleInvariantsHold(changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      if ExecState.isIdleObject(address) { guard validIdle().isEmpty else { return false } }
      if case .tcb(let tcb)? = ksPSpace[address], tcb.state == .idleThreadState, !isIdle(address) { return false }
    }
    for address in removed where ExecState.isIdleObject(address) { return false }
    return true
  }
}

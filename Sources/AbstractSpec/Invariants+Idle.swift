// The idle thread and the invariants about it, by their l4v-rt names
// (`l4v-rt:proof/invariant-abstract/Invariants_AI.thy`, branch `rt`):
// - `valid_idle`: the idle thread (`idle_thread`, always `idle_thread_ptr`) is a TCB in
//   IdleThreadState with no bound notification, bound to the idle scheduling context
//   (`idle_sc_ptr`), which is bound back to it and has `MIN_REFILLS` refills (`idle_sc_at`);
// - `only_idle`: no thread but the idle thread is in IdleThreadState.
//
// The idle objects lie at fixed addresses outside the plan's memory and every untyped region
// (seL4 keeps them in kernel data: `ksIdleThreadTCB`, `ksIdleThreadSC`, `seL4:src/kernel/boot.c`
// `create_idle_thread`); no cap names them, so no deletion or revoke reaches them and no retype
// overlaps them. They are not live (`live0` leaves out a TCB in IdleThreadState bound to the idle
// scheduling context, and `live_sc` a scheduling context bound to the idle thread:
// `Invariants+Live.swift`), so `if_live_then_nonz_cap` holds of them with no cap. The idle thread
// is never queued (it is not runnable: `valid_ready_qs`, `ct_not_in_q`).
//
// The incremental check (`idleInvariantsHold`) re-checks `valid_idle` when a step changed or
// removed one of the idle objects, and `only_idle` at each TCB the step changed.
// Twins: `ExecutableSpec/Invariants+Idle.swift`, `Kernel/Invariants+Idle.swift`.

public import KernelABI

extension AbstractState {
  /// `idle_thread`: the idle thread's TCB (l4v `idle_thread_ptr`).
  public var idleThread: ObjectRef { KernelConstants.idleThreadPtr }

  /// `idle_sc_ptr`: the idle thread's scheduling context.
  public var idleSC: ObjectRef { KernelConstants.idleSCPtr }

  /// Whether `thread` is the idle thread.
  @inline(__always)
  public func isIdle(_ thread: ObjectRef) -> Bool { thread == KernelConstants.idleThreadPtr }

  /// Whether `address` is one of the idle objects (the idle thread's TCB or scheduling context),
  /// which lie outside memory.
  public static func isIdleObject(_ address: ObjectRef) -> Bool {
    address == KernelConstants.idleThreadPtr || address == KernelConstants.idleSCPtr
  }

  /// `valid_idle`.
  func validIdle() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_idle", text)) }
    if let tcb = tcb(at: idleThread) {
      if tcb.state != .idleThreadState { fail("the idle thread \(hex(idleThread)) is \(tcb.state)") }
      if let ntfn = tcb.boundNotification { fail("the idle thread is bound to notification \(hex(ntfn))") }
      if tcb.schedContext != idleSC {
        fail("the idle thread's scheduling context is \(tcb.schedContext.map(hex) ?? "none"), not \(hex(idleSC))")
      }
    } else {
      fail("the idle thread \(hex(idleThread)) is not a TCB")
    }
    if let sc = schedContext(at: idleSC) {
      if sc.tcb != idleThread { fail("the idle scheduling context is bound to \(sc.tcb.map(hex) ?? "none")") }
      if sc.refillMax != KernelConstants.minRefills || sc.sizeBits != KernelConstants.minSchedContextBits {
        fail("the idle scheduling context has \(sc.refillMax) refills and size 2^\(sc.sizeBits)")
      }
    } else {
      fail("the idle scheduling context \(hex(idleSC)) is not a scheduling context")
    }
    return found
  }

  /// `only_idle`.
  func onlyIdle() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      if case .tcb(let tcb) = object, tcb.state == .idleThreadState, !isIdle(address) {
        found.append(InvariantViolation("only_idle", "thread \(hex(address)) is in IdleThreadState"))
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }

  /// `valid_idle` and `only_idle` where a step from `before` can have broken them, given that they
  /// held there: `valid_idle` when an idle object is among `changed` or `removed`, `only_idle` at
  /// each TCB of `changed`.
  func idleInvariantsHold(changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    for address in changed {
      if AbstractState.isIdleObject(address) { guard validIdle().isEmpty else { return false } }
      if case .tcb(let tcb)? = kheap[address], tcb.state == .idleThreadState, !isIdle(address) { return false }
    }
    for address in removed where AbstractState.isIdleObject(address) { return false }
    return true
  }
}

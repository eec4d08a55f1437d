// SchedControl_ConfigureFlags (`decodeSchedControlInvocation`, `decodeSchedControl_ConfigureFlags`
// and `invokeSchedControl_ConfigureFlags` in seL4's C; `SEL4.Object.SchedContext` in the Haskell
// model): give a scheduling context a budget and a period (round robin when they are equal, a
// sporadic server otherwise), a number of extra refills, the badge its timeout faults will carry
// and the sporadic flag.
//
// Decoding checks, in seL4's order: the label; an extra cap; five message registers (budget µs,
// period µs, extra refills, badge, flags); budget, then period, at most MAX_PERIOD_US; budget, then
// period, at least MIN_BUDGET once converted to ticks; budget at most period (ticks); the extra cap
// a scheduling-context cap; the extra refills at most `refill_absolute_max` − MIN_REFILLS. The
// refills are the shared refill core's (`KernelABI/Refills.swift`: `refillNew`, `refillUpdate`).
//
// The invocation acts on time as seL4's does (docs/time.md): the target leaves the release and
// ready queues, a running target's time is committed first (`commitTime`), and the bound thread
// resumes (`schedContextResume`) once the refills are set.
// Twins: `AbstractSpec/SchedControl.swift`, `Kernel/SchedControl.swift`.
// (`seL4:src/object/schedcontrol.c`; `seL4:src/kernel/sporadic.c` `refill_new`, `refill_update`;
// `seL4:src/object/schedcontext.c` `schedContext_resume`.)

public import KernelABI

/// A decoded SchedControl invocation (`SchedControlInvocation` in the Haskell model).
public enum SchedControlInvocation: Hashable, Sendable {
  /// `InvokeSchedControlConfigureFlags`: the scheduling context at `target` gets `budget` and
  /// `period` (ticks), `refillMax` refills (the extra refills + MIN_REFILLS), `badge`, and the
  /// sporadic flag from bit 0 of `flags`.
  case configureFlags(
    target: ObjectRef, budget: UInt64, period: UInt64, refillMax: UInt64, badge: UInt64, flags: UInt64)
}

extension ExecState {
  /// `decodeSchedControlInvocation`: ConfigureFlags is the only method; any other label is an
  /// IllegalOperation, before anything else is looked at. It changes nothing.
  public func decodeSchedControlInvocation(label: UInt64, args: [UInt64], extraCaps: [Capability])
    throws(SyscallError) -> SchedControlInvocation
  {
    guard InvocationLabel(rawValue: label) == .schedControlConfigureFlags else { throw .illegalOperation }
    return try decodeSchedControlConfigureFlags(args: args, extraCaps: extraCaps)
  }

  /// `decodeSchedControl_ConfigureFlags`: MR0 the budget and MR1 the period in µs (one word each
  /// on 64-bit, `TIME_ARG_SIZE` 1), MR2 the extra refills, MR3 the badge, MR4 the flags; extra cap
  /// 0 the scheduling context. Budget and period are compared in ticks, as C compares them.
  func decodeSchedControlConfigureFlags(args: [UInt64], extraCaps: [Capability]) throws(SyscallError)
    -> SchedControlInvocation
  {
    guard let targetCap = extraCaps.first else { throw .truncatedMessage }
    guard args.count >= 5 else { throw .truncatedMessage }
    let outOfRange = SyscallError.rangeError(
      min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds)
    let budgetUs = args[0]
    guard budgetUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    let budgetTicks: UInt64 = TimeConfig.usToTicks(budgetUs)
    let periodUs = args[1]
    guard periodUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    let periodTicks: UInt64 = TimeConfig.usToTicks(periodUs)
    guard budgetTicks >= TimeConfig.minBudget else { throw outOfRange }
    guard periodTicks >= TimeConfig.minBudget else { throw outOfRange }
    guard budgetTicks <= periodTicks else {
      throw .rangeError(min: TimeConfig.minBudgetMicroseconds, max: periodUs)
    }
    guard case .schedContext(let target, let sizeBits) = targetCap else { throw .invalidCapability(index: 1) }
    let extraRefills = args[2]
    let maxRefills = ExecState.refillAbsoluteMax(sizeBits: sizeBits)
    // C's word arithmetic: `max_refills - MIN_REFILLS` (every scheduling context holds at least
    // MIN_REFILLS refills, so it never wraps).
    guard extraRefills <= maxRefills &- KernelConstants.minRefills else {
      throw .rangeError(min: 0, max: maxRefills &- KernelConstants.minRefills)
    }
    return .configureFlags(
      target: target, budget: budgetTicks, period: periodTicks, refillMax: extraRefills &+ KernelConstants.minRefills,
      badge: args[3], flags: args[4])
  }

  /// `invokeSchedControl_ConfigureFlags`.
  mutating func invokeSchedControlConfigureFlags(_ invocation: SchedControlInvocation) {
    switch invocation {
    case .configureFlags(let target, let budget, let period, let refillMax, let badge, let flags):
      let thread = schedContext(at: target)?.tcb
      // A bound thread leaves the release queue and its ready queue while its parameters change;
      // `ksCurSC` is charged the time used so far first (`commitTime`).
      if let thread {
        tcbReleaseRemove(thread)
        tcbSchedDequeue(thread)
        if ksCurSC == target { commitTime() }
      }
      if budget == period {
        // Round robin: period 0, so the whole budget is always ready again.
        refillNew(target, maxRefills: KernelConstants.minRefills, budget: budget, period: 0)
      } else if let thread, (schedContext(at: target)?.refillMax ?? 0) > 0, isRunnable(thread) {
        // In use (`sc_active` and its thread can run): keep the bandwidth it already had.
        refillUpdate(target, newPeriod: period, newBudget: budget, newMaxRefills: refillMax)
      } else {
        // Not in use: the budget starts now.
        refillNew(target, maxRefills: refillMax, budget: budget, period: period)
      }
      if let thread {
        // A thread whose new head refill is not ready, or not sufficient, is postponed.
        schedContextResume(target)
        if isRunnable(thread) && thread != ksCurThread { possibleSwitchTo(thread) }
        if thread == ksCurThread { rescheduleRequired() }
      }
      updateSchedContext(target) {
        $0.scBadge = badge
        $0.scSporadic = flags & 1 != 0
      }
    }
  }

  /// `refill_absolute_max` of a scheduling-context cap of 2^`sizeBits` bytes (0 for a size no
  /// scheduling context has).
  static func refillAbsoluteMax(sizeBits: UInt64) -> UInt64 {
    sizeBits >= KernelConstants.minSchedContextBits && sizeBits < 64
      ? RefillBuffer<UInt64>.refillAbsoluteMax(sizeBits: sizeBits) : 0
  }

  /// `isRunnable`: the thread is Running or Restart.
  func isRunnable(_ thread: ObjectRef) -> Bool {
    let state = tcb(at: thread)?.state
    return state == .running || state == .restart
  }

  /// The part of the refill buffer of `sc` that `refill_new` and `refill_update` use: the header
  /// and two slots, slot 0 holding the head refill and head = tail = 0 (`refill_update`'s first
  /// step in sporadic.c copies the head refill to slot 0; `refill_new` overwrites slot 0), slot 1
  /// as it is (`SchedContext.setConfiguredRefills` writes back only these). Loading only these
  /// keeps a system call on a huge scheduling context from building its whole buffer.
  func refillBufferToConfigure(_ sc: SchedContext) -> RefillBuffer<UInt64> {
    RefillBuffer(
      refillMax: sc.refillMax, head: 0, tail: 0, slots: [sc.refill(at: sc.scRefillHead), sc.refill(at: 1)])
  }

  /// `refill_new(sc, max_refills, budget, period)`: the period is set and the buffer starts
  /// afresh, the whole budget usable from `ksCurTime`.
  mutating func refillNew(_ sc: ObjectRef, maxRefills: UInt64, budget: UInt64, period: UInt64) {
    guard let context = schedContext(at: sc) else { return }
    var buffer = refillBufferToConfigure(context)
    buffer.refillNew(refillMax: maxRefills, budget: budget, period: period, now: ksCurTime)
    updateSchedContext(sc) {
      $0.scPeriod = period
      $0.setConfiguredRefills(buffer)
    }
  }

  /// `refill_update(sc, new_period, new_budget, new_max_refills)` (on an active context): the
  /// head refill alone keeps its bandwidth under the new period and budget; `scPeriod` is set.
  mutating func refillUpdate(_ sc: ObjectRef, newPeriod: UInt64, newBudget: UInt64, newMaxRefills: UInt64) {
    guard let context = schedContext(at: sc) else { return }
    var buffer = refillBufferToConfigure(context)
    buffer.refillUpdate(newPeriod: newPeriod, newBudget: newBudget, newMax: newMaxRefills, now: ksCurTime)
    updateSchedContext(sc) {
      $0.scPeriod = newPeriod
      $0.setConfiguredRefills(buffer)
    }
  }
}

// SchedControl_ConfigureFlags (seL4 `src/object/schedcontrol.c`): give a scheduling context a
// budget and a period (round robin when they are equal, a sporadic server otherwise), a number of
// extra refills, the badge its timeout faults will carry and the sporadic flag, in its words.
//
// Decoding checks, in seL4's order: the label; an extra cap; five message registers (budget µs,
// period µs, extra refills, badge, flags); budget, then period, at most MAX_PERIOD_US; budget, then
// period, at least MIN_BUDGET once converted to ticks; budget at most period (ticks); the extra cap
// a scheduling-context cap; the extra refills at most `refill_absolute_max` − MIN_REFILLS. The
// refills are the shared refill core's (`KernelABI/Refills.swift`: `refillNew`, `refillUpdate`),
// loaded from and stored to the object's refill slots. All arithmetic is word arithmetic, as C's.
//
// The invocation acts on time as seL4's does (docs/time.md): the target leaves the release and
// ready queues, a running target's time is committed first (`commitTime`), and the bound thread
// resumes (`schedContextResume`) once the refills are set.
// Twins: `AbstractSpec/SchedControl.swift`, `ExecutableSpec/SchedControl.swift`.
// (`seL4:src/object/schedcontrol.c` `decodeSchedControlInvocation`,
// `decodeSchedControl_ConfigureFlags`, `invokeSchedControl_ConfigureFlags`;
// `seL4:src/kernel/sporadic.c` `refill_new`, `refill_update`; `seL4:src/object/schedcontext.c`
// `schedContext_resume`.)

import KernelABI

/// A decoded SchedControl invocation.
enum SchedControlInvocation {
  /// `invokeSchedControl_ConfigureFlags(target, core, budget, period, max_refills, badge, flags)`
  /// (the core is 0: one CPU): budget and period in ticks, `refillMax` = extra refills +
  /// MIN_REFILLS.
  case configureFlags(
    target: ObjectRef, budget: UInt64, period: UInt64, refillMax: UInt64, badge: UInt64, flags: UInt64)
}

extension KernelState {
  /// `decodeSchedControlInvocation(label, cap, length, buffer)`: ConfigureFlags is the only
  /// method; any other label is an IllegalOperation. It writes nothing.
  func decodeSchedControlInvocation(_ label: UInt64, _ message: Message) throws(SyscallError)
    -> SchedControlInvocation
  {
    guard InvocationLabel(rawValue: label) == .schedControlConfigureFlags else { throw .illegalOperation }
    return try decodeSchedControlConfigureFlags(message)
  }

  /// `decodeSchedControl_ConfigureFlags(length, cap, buffer)`: MR0 the budget and MR1 the period
  /// in µs (`mode_parseTimeArg`, one word each on 64-bit), MR2 the extra refills, MR3 the badge,
  /// MR4 the flags; extra cap 0 the scheduling context.
  func decodeSchedControlConfigureFlags(_ message: Message) throws(SyscallError) -> SchedControlInvocation {
    guard let targetSlot = message.extraCap(0) else { throw .truncatedMessage }
    guard message.length >= 5 else { throw .truncatedMessage }
    // A planted bug (tests only) may test the target cap here, before the ranges.
    if seams.schedControlChecksTargetFirst?() ?? false {
      guard case .schedContext = getCap(targetSlot) else { throw .invalidCapability(index: 1) }
    }
    let outOfRange = SyscallError.rangeError(
      min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds)
    let budgetUs = message.arg(0)
    guard budgetUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    let budgetTicks: UInt64 = TimeConfig.usToTicks(budgetUs)
    let periodUs = message.arg(1)
    guard periodUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    let periodTicks: UInt64 = TimeConfig.usToTicks(periodUs)
    guard budgetTicks >= TimeConfig.minBudget else { throw outOfRange }
    guard periodTicks >= TimeConfig.minBudget else { throw outOfRange }
    guard budgetTicks <= periodTicks else {
      throw .rangeError(min: TimeConfig.minBudgetMicroseconds, max: periodUs)
    }
    guard case .schedContext(let target, let sizeBits) = getCap(targetSlot) else { throw .invalidCapability(index: 1) }
    let extraRefills = message.arg(2)
    let maxRefills = KernelState.refillAbsoluteMax(sizeBits: sizeBits)
    guard extraRefills <= maxRefills &- KernelConstants.minRefills else {
      throw .rangeError(min: 0, max: maxRefills &- KernelConstants.minRefills)
    }
    return .configureFlags(
      target: target, budget: budgetTicks, period: periodTicks, refillMax: extraRefills &+ KernelConstants.minRefills,
      badge: message.arg(3), flags: message.arg(4))
  }

  /// `invokeSchedControl_ConfigureFlags`.
  mutating func invokeSchedControlConfigureFlags(_ invocation: SchedControlInvocation) {
    switch invocation {
    case .configureFlags(let target, let budget, let period, let refillMax, let badge, let flags):
      let thread = scTcb(of: target) ?? 0
      // A bound thread leaves the release queue and its ready queue while its parameters change;
      // `ksCurSC` is charged the time used so far first (`commitTime`).
      if thread != 0 {
        tcbReleaseRemove(thread)
        tcbSchedDequeue(thread)
        if ksCurSC == target { commitTime() }
      }
      if budget == period {
        // Round robin: period 0, so the whole budget is always ready again.
        refillNew(target, maxRefills: KernelConstants.minRefills, budget: budget, period: 0)
      } else if (scRefillMax(of: target) ?? 0) > 0, thread != 0, isRunnable(thread) {
        // In use (`sc_active` and its thread can run): keep the bandwidth it already had.
        refillUpdate(target, newPeriod: period, newBudget: budget, newMaxRefills: refillMax)
      } else {
        // Not in use: the budget starts now.
        refillNew(target, maxRefills: refillMax, budget: budget, period: period)
      }
      if thread != 0 {
        // A thread whose new head refill is not ready, or not sufficient, is postponed.
        schedContextResume(target)
        if isRunnable(thread) && thread != ksCurThread { possibleSwitchTo(thread) }
        if thread == ksCurThread { rescheduleRequired() }
      }
      storeIfChanged(target &+ ObjectLayout.scBadge, seams.schedControlBadge?(badge) ?? badge)
      storeIfChanged(target &+ ObjectLayout.scSporadic, flags & 1)
    }
  }

  /// `isRunnable`: the thread is Running or Restart.
  func isRunnable(_ thread: ObjectRef) -> Bool {
    let state = threadState(of: thread)
    return state == .running || state == .restart
  }

  /// The part of the refill buffer of `sc` that `refill_new` and `refill_update` use: the header
  /// and two slots, slot 0 holding the head refill and head = tail = 0 (`refill_update`'s first
  /// step in sporadic.c copies the head refill to slot 0; `refill_new` overwrites slot 0), slot 1
  /// as it is (each writes at most one `refill_add_tail` after index 0). Storing it back writes
  /// the header and those two slots, exactly what the whole buffer would change; loading only
  /// these keeps a system call on a huge scheduling context (refill_absolute_max up to 2^43) from
  /// building its whole buffer.
  func refillBufferToConfigure(_ sc: ObjectRef) -> RefillBuffer<UInt64>? {
    guard let refillMax = scWord(of: sc, ObjectLayout.scRefillMax),
      let head = scWord(of: sc, ObjectLayout.scRefillHead)
    else { return nil }
    let empty = Refill<UInt64>(rTime: 0, rAmount: 0)
    return RefillBuffer(
      refillMax: refillMax, head: 0, tail: 0,
      slots: [refill(of: sc, at: head) ?? empty, refill(of: sc, at: 1) ?? empty])
  }

  /// `refill_new(sc, max_refills, budget, period)`: `scPeriod` is set and the buffer starts
  /// afresh, the whole budget usable from `ksCurTime`.
  mutating func refillNew(_ sc: ObjectRef, maxRefills: UInt64, budget: UInt64, period: UInt64) {
    guard var buffer = refillBufferToConfigure(sc) else { return }
    buffer.refillNew(refillMax: maxRefills, budget: budget, period: period, now: ksCurTime)
    storeIfChanged(sc &+ ObjectLayout.scPeriod, period)
    storeRefillBuffer(buffer, of: sc)
  }

  /// `refill_update(sc, new_period, new_budget, new_max_refills)` (on an active context): the
  /// head refill alone keeps its bandwidth under the new period and budget; `scPeriod` is set.
  mutating func refillUpdate(_ sc: ObjectRef, newPeriod: UInt64, newBudget: UInt64, newMaxRefills: UInt64) {
    guard var buffer = refillBufferToConfigure(sc) else { return }
    buffer.refillUpdate(newPeriod: newPeriod, newBudget: newBudget, newMax: newMaxRefills, now: ksCurTime)
    storeIfChanged(sc &+ ObjectLayout.scPeriod, newPeriod)
    storeRefillBuffer(buffer, of: sc)
  }
}

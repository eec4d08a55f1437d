// The SchedControl cap's one method, SchedControl_ConfigureFlags: give a scheduling context a
// budget and a period (round robin when they are equal, a sporadic server otherwise), a number of
// extra refills, the badge its timeout faults will carry and the sporadic flag.
//
// Decoding checks, in seL4's order (the C code's, which the l4v-rt abstract spec's
// `decode_sched_control_invocation_flags` follows only partly: it tests the target cap before the
// ranges): the label; an extra cap; five message registers (budget µs, period µs, extra refills,
// badge, flags); budget and period each at most MAX_PERIOD_US; budget and period each at least
// MIN_BUDGET; budget at most period; the extra cap a scheduling-context cap; the extra refills
// fitting in the object (`refill_absolute_max` − MIN_REFILLS). This layer compares budget and
// period in microseconds, as l4v's abstract decode does; the other layers compare ticks, as C
// does. With a whole number of ticks per microsecond and both values at most MAX_PERIOD_US (checked
// first), the two agree: us · f < MIN_BUDGET ⇔ us < MIN_BUDGET_US (MIN_BUDGET = MIN_BUDGET_US · f),
// and budget · f > period · f ⇔ budget > period.
//
// The invocation acts on time as seL4's does (docs/time.md): the target leaves the release and
// ready queues, a running target's time is committed first (`commitTime`), and the bound thread
// resumes (`schedContextResume`) once the refills are set.
// Twins: `ExecutableSpec/SchedControl.swift`, `Kernel/SchedControl.swift`.
// (`seL4:src/object/schedcontrol.c` `decodeSchedControlInvocation`,
// `decodeSchedControl_ConfigureFlags`, `invokeSchedControl_ConfigureFlags`;
// `seL4:src/kernel/sporadic.c` `refill_new`, `refill_update`; `l4v:spec/abstract/Decode_A.thy`
// `decode_sched_control_invocation_flags` and `Ipc_A.thy` `invoke_sched_control_configure_flags`,
// branch HE_proofs.)

public import KernelABI

/// A decoded SchedControl invocation (l4v `sched_control_invocation`).
public enum SchedControlInvocation: Hashable, Sendable {
  /// `InvokeSchedControlConfigureFlags`: the scheduling context at `target` gets `budget` and
  /// `period` (ticks), `refillMax` refills (the extra refills + MIN_REFILLS), `badge`, and the
  /// sporadic flag from bit 0 of `flags`.
  case configureFlags(
    target: ObjectRef, budget: UInt64, period: UInt64, refillMax: UInt64, badge: UInt64, flags: UInt64)
}

extension AbstractState {
  /// `decode_sched_control_invocation`: ConfigureFlags is the only method; any other label is an
  /// IllegalOperation, before anything else is looked at. It changes nothing.
  public func decodeSchedControlInvocation(_ args: InvocationArguments) throws(SyscallError) -> SchedControlInvocation {
    guard InvocationLabel(rawValue: args.label) == .schedControlConfigureFlags else { throw .illegalOperation }
    return try decodeSchedControlConfigureFlags(args)
  }

  /// `decode_sched_control_invocation_flags`: MR0 the budget and MR1 the period in µs (one word
  /// each on 64-bit, `TIME_ARG_SIZE` 1), MR2 the extra refills, MR3 the badge, MR4 the flags;
  /// extra cap 0 the scheduling context. The checks in seL4's order (the file's header).
  func decodeSchedControlConfigureFlags(_ args: InvocationArguments) throws(SyscallError) -> SchedControlInvocation {
    guard let targetCap = args.extraCaps.first else { throw .truncatedMessage }
    guard args.length >= 5 else { throw .truncatedMessage }
    let (budgetUs, periodUs) = (args.registers[0], args.registers[1])
    let outOfRange = SyscallError.rangeError(
      min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds)
    guard budgetUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    guard periodUs <= TimeConfig.maxPeriodMicroseconds else { throw outOfRange }
    guard budgetUs >= TimeConfig.minBudgetMicroseconds else { throw outOfRange }
    guard periodUs >= TimeConfig.minBudgetMicroseconds else { throw outOfRange }
    guard budgetUs <= periodUs else {
      throw .rangeError(min: TimeConfig.minBudgetMicroseconds, max: periodUs)
    }
    guard case .schedContext(let target, let sizeBits) = targetCap else { throw .invalidCapability(index: 1) }
    // l4v: `unat extra_refills + MIN_REFILLS > max_refills_cap target_cap`, in unbounded naturals.
    let extraRefills = args.registers[2]
    let maxRefills = AbstractState.refillAbsoluteMax(sizeBits: sizeBits)
    let (refillMax, overflow) = extraRefills.addingReportingOverflow(KernelConstants.minRefills)
    guard !overflow, refillMax <= maxRefills else {
      throw .rangeError(
        min: 0, max: maxRefills >= KernelConstants.minRefills ? maxRefills - KernelConstants.minRefills : 0)
    }
    return .configureFlags(
      target: target, budget: budgetUs * TimeConfig.ticksPerMicrosecond,
      period: periodUs * TimeConfig.ticksPerMicrosecond, refillMax: refillMax, badge: args.registers[3],
      flags: args.registers[4])
  }

  /// `invoke_sched_control_configure_flags`, in the C code's order (l4v writes the badge and flag
  /// first; nothing in between reads them, so the result is the same).
  mutating func invokeSchedControlConfigureFlags(_ invocation: SchedControlInvocation) {
    switch invocation {
    case .configureFlags(let target, let budget, let period, let refillMax, let badge, let flags):
      let thread = schedContext(at: target)?.tcb
      // A bound thread leaves the release queue and its ready queue while its parameters change;
      // if the context is `cur_sc`, the time used so far is charged to it first (`commit_time`;
      // seL4 asserts `check_budget` before, which holds in a kernel entry that got this far).
      if let thread {
        tcbReleaseRemove(thread)
        tcbSchedDequeue(thread)
        if curSC == target { commitTime() }
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
        // A schedulable thread whose new head refill is not ready, or not sufficient, waits in
        // the release queue (`sched_context_resume`); a runnable one is offered to the scheduler.
        schedContextResume(target)
        if thread == currentThread {
          rescheduleRequired()
        } else if isRunnable(thread) {
          possibleSwitchTo(thread)
        }
      }
      updateSchedContext(target) {
        $0.badge = badge
        $0.sporadic = flags & 1 != 0
      }
    }
  }

  /// `refill_absolute_max`: the refills a scheduling context of 2^`sizeBits` bytes holds after its
  /// header (`seL4:include/kernel/sporadic.h`: (2^sizeBits − 96) / 16; l4v's `max_refills_cap`,
  /// `max_num_refills`), 0 for a size no scheduling context has.
  static func refillAbsoluteMax(sizeBits: UInt64) -> UInt64 {
    guard sizeBits >= KernelConstants.minSchedContextBits, sizeBits < 64 else { return 0 }
    return ((1 << sizeBits) - 96) / 16
  }

  /// `runnable`: the thread is Running or Restart.
  func isRunnable(_ thread: ObjectRef) -> Bool {
    let state = tcb(at: thread)?.state
    return state == .running || state == .restart
  }

  /// `refill_new sc_ptr max_refills budget period`: the context's period, refill limit and ghost
  /// `sc_budget` are set and its refills start afresh, the whole budget usable now
  /// (`Sporadic.refillNew`).
  mutating func refillNew(_ sc: ObjectRef, maxRefills: UInt64, budget: UInt64, period: UInt64) {
    let refills = Sporadic.refillNew(budget: budget, period: period, now: curTime)
    updateSchedContext(sc) {
      $0.period = period
      $0.budget = budget
      $0.refillMax = maxRefills
      $0.refills = refills
    }
  }

  /// `refill_update sc_ptr new_period new_budget new_max_refills` (on an active context): the
  /// period, refill limit and ghost `sc_budget` change and the refills keep only the head's
  /// bandwidth (`Sporadic.refillUpdate`).
  mutating func refillUpdate(_ sc: ObjectRef, newPeriod: UInt64, newBudget: UInt64, newMaxRefills: UInt64) {
    let now = curTime
    updateSchedContext(sc) {
      $0.refills = Sporadic.refillUpdate($0.refills, newPeriod: newPeriod, newBudget: newBudget, now: now)
      $0.period = newPeriod
      $0.budget = newBudget
      $0.refillMax = newMaxRefills
    }
  }
}

// Time passing and the budget it is charged to (MCS), as the Haskell model and seL4's C have it:
// see `AbstractSpec/Budget.swift`. The refills are charged by the shared refill core
// (`KernelABI/Refills.swift`) on the scheduling context's buffer; `endTimeslice` may raise a
// Timeout fault (`Fault.swift`). Domain time as there (`Domain.swift`). Not yet: a timer precision.
// The operations, in the order of the twins: `updateTimestamp`, `checkBudget`,
// `checkBudgetRestart`, `commitTime`, `chargeBudget`, `endTimeslice`, `setNextInterrupt`,
// `timerTick`. (`seL4:include/kernel/thread.h`, `seL4:src/kernel/thread.c`.) Layer-local, no
// seL4 operation and no twin: `activeSchedContext` (the context if `sc_active`, read by
// `checkBudget` and `sc_released`).

import KernelABI

extension ExecState {
  /// `updateTimestamp` (seL4:include/kernel/thread.h): `ksCurTime` becomes the clock and the ticks
  /// since the last entry are added to `ksConsumed`.
  mutating func updateTimestamp() {
    let previous = ksCurTime
    ksCurTime = clock
    let consumed = ksCurTime &- previous
    ksConsumed = ksConsumed &+ consumed
    if KernelConstants.numDomains > 1 {
      let (sum, overflow) = consumed.addingReportingOverflow(TimeConfig.minBudget)
      ksDomainTime = overflow || sum >= ksDomainTime ? 0 : ksDomainTime &- consumed
    }
  }

  /// The scheduling context at `sc` if it is active (`sc_active`).
  func activeSchedContext(_ sc: ObjectRef) -> SchedContext? {
    guard let context = schedContext(at: sc), context.refillMax > 0 else { return nil }
    return context
  }

  /// `checkBudget` (seL4:include/kernel/thread.h): whether `ksCurSC`'s head refill covers
  /// `ksConsumed`; if not, `chargeBudget`. No active `ksCurSC`: sufficient. Reads the head refill
  /// alone (`SchedContext.headRefill`), not the buffer.
  mutating func checkBudget() -> Bool {
    guard let sc = activeSchedContext(ksCurSC) else { return !isCurDomainExpired() }
    if RefillBuffer<UInt64>.refillSufficient(sc.headRefill, usage: ksConsumed, minBudget: TimeConfig.minBudget) {
      return !isCurDomainExpired()
    }
    chargeBudget(ksConsumed, canTimeoutFault: true)
    return false
  }

  /// `checkBudgetRestart` (seL4:include/kernel/thread.h): `checkBudget`; a runnable current thread
  /// whose budget ran out becomes Restart.
  mutating func checkBudgetRestart() -> Bool {
    let result = checkBudget()
    if !result, isRunnable(ksCurThread) { setThreadState(ksCurThread, .restart) }
    return result
  }

  /// `commitTime` (seL4:include/kernel/thread.h): `ksConsumed` charged to an active `ksCurSC` other
  /// than the idle one (round robin: head to tail; sporadic: `refill_budget_check`), added to
  /// `scConsumed`; `ksConsumed` := 0.
  mutating func commitTime() {
    let consumed = ksConsumed
    let skips = schedContext(at: ksCurSC).map(skipsCharge) ?? false
    if ksCurSC != ksIdleSC, activeSchedContext(ksCurSC) != nil {
      updateSchedContext(ksCurSC) { sc in
        if consumed > 0 {
          var buffer = sc.refillBuffer
          if sc.scPeriod == 0 {
            buffer.refillBudgetCheckRoundRobin(consumed: consumed)
          } else if !skips {
            buffer.refillBudgetCheck(usage: consumed, period: sc.scPeriod)
          }
          sc.setRefillBuffer(buffer)
        }
        sc.scConsumed = sc.scConsumed &+ consumed
      }
    }
    ksConsumed = 0
  }

  /// `chargeBudget` (seL4:src/kernel/thread.c): `consumed` charged to `ksCurSC` as its timeslice
  /// ends (round robin: `refill_reset_rr`; sporadic: `refill_budget_check`); a schedulable current
  /// thread ends its timeslice, the scheduler chooses afresh and the timer is reprogrammed.
  mutating func chargeBudget(_ consumed: UInt64, canTimeoutFault: Bool) {
    let skips = schedContext(at: ksCurSC).map(skipsCharge) ?? false
    if ksCurSC != ksIdleSC, activeSchedContext(ksCurSC) != nil {
      updateSchedContext(ksCurSC) { sc in
        var buffer = sc.refillBuffer
        if sc.scPeriod == 0 {
          buffer.refillResetRR()
        } else if !skips {
          buffer.refillBudgetCheck(usage: consumed, period: sc.scPeriod)
        }
        sc.setRefillBuffer(buffer)
        sc.scConsumed = sc.scConsumed &+ consumed
      }
    }
    ksConsumed = 0
    if isSchedulable(ksCurThread) {
      endTimeslice(canTimeoutFault: canTimeoutFault)
      rescheduleRequired()
      ksReprogram = true
    }
  }

  /// Whether the planted `SpecBug` (tests only; nil in every real use) skips the charge to `sc`.
  func skipsCharge(_ sc: SchedContext) -> Bool {
    specBug?.skipsCharge(period: sc.scPeriod, sporadic: sc.scSporadic) ?? false
  }

  /// `endTimeslice` (seL4:src/kernel/thread.c): `can_timeout_fault && !round_robin && valid`
  /// (`validTimeoutHandler`) raises `seL4_Fault_Timeout_new(ksCurSC->scBadge)` through
  /// `handleTimeout`; else a ready and sufficient head refill appends the current thread to its
  /// ready queue; else `postpone`.
  mutating func endTimeslice(canTimeoutFault: Bool) {
    let sc = schedContext(at: ksCurSC)
    let roundRobin = (sc?.scPeriod ?? 0) == 0
    let valid = validTimeoutHandler(ksCurThread)
    let buffer = sc?.refillBuffer
    if canTimeoutFault && !roundRobin && valid {
      handleTimeout(ksCurThread, .timeout(badge: sc?.scBadge ?? 0))
    } else if let buffer, buffer.refillReady(now: ksCurTime),
      buffer.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget)
    {
      tcbSchedAppend(ksCurThread)
    } else {
      postpone(ksCurSC)
    }
  }

  /// `setNextInterrupt` (seL4:src/kernel/thread.c): the deadline is the end of the current
  /// thread's head refill or the release queue's first release time, whichever is earlier.
  mutating func setNextInterrupt() {
    let ctSC = tcb(at: ksCurThread)?.schedContext.flatMap { schedContext(at: $0) }
    let amount = ctSC.map { $0.refill(at: $0.scRefillHead).rAmount } ?? 0
    var next = ksCurTime &+ amount
    if KernelConstants.numDomains > 1 { next = Swift.min(next, ksCurTime &+ ksDomainTime) }
    if let first = ksReleaseQueue.first {
      next = Swift.min(tcbReadyTime(first), next)
    }
    deadline = next
  }

  /// The timer event (see `AbstractSpec/Budget.swift`): true when the clock reached the deadline
  /// and the timer interrupt is taken.
  mutating func timerTick(_ ticks: UInt64) -> Bool {
    let limit = TimeConfig.maxReleaseTime &- 1
    let room = deadline > clock ? deadline &- clock : 0
    if ticks < room || deadline > limit {
      let (sum, overflow) = clock.addingReportingOverflow(ticks)
      clock = overflow ? limit : Swift.min(sum, limit)
      return false
    }
    clock = Swift.min(Swift.max(clock, deadline), limit)
    return true
  }
}

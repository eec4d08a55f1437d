// Time passing and the budget it is charged to (MCS), on words, as seL4's C has it: see
// `AbstractSpec/Budget.swift`. The time globals and the machine's clock and deadline are words of
// the globals frame (`Globals.swift`); the refills are charged by the shared refill core
// (`KernelABI/Refills.swift`) on the scheduling context's buffer, loaded and stored back word by
// word (`refillBuffer(of:)`, `storeRefillBuffer(_:of:)`); `endTimeslice` may raise a Timeout
// fault (`Fault.swift`). Domain time as there (`Domain.swift`). Not yet: a timer precision. No path here traps: an address that holds no scheduling
// context reads as inactive, and every sum wraps (`&+`).
// The operations, in the order of the twins: `updateTimestamp`, `checkBudget`,
// `checkBudgetRestart`, `commitTime`, `chargeBudget`, `endTimeslice`, `setNextInterrupt`,
// `timerTick`. (`seL4:include/kernel/thread.h`, `seL4:src/kernel/thread.c`.) Layer-local, no
// seL4 operation and no twin: `activeRefillBuffer` and `activeHeadRefill` (the buffer or head
// refill of a context whose `scRefillMax` word is above 0, read from words) and
// `refillBudgetCheck` (the shared core's `refill_budget_check` on a loaded buffer).

import KernelABI

extension KernelState {
  /// `updateTimestamp` (seL4:include/kernel/thread.h): `ksCurTime` becomes the clock
  /// (`getCurrentTime`) and the ticks since the last entry are added to `ksConsumed`.
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

  /// The refill buffer of `sc` if it is an active scheduling context (`sc_active`).
  func activeRefillBuffer(_ sc: ObjectRef) -> RefillBuffer<UInt64>? {
    guard let refillMax = scRefillMax(of: sc), refillMax > 0 else { return nil }
    return refillBuffer(of: sc)
  }

  /// The head refill of `sc` if it is an active scheduling context, as `activeRefillBuffer(sc)?.headRefill`
  /// reads it, from the header words and the head slot alone when the indices lie inside the
  /// window and the object (where the two agree); a corrupt header falls back to the buffer.
  func activeHeadRefill(_ sc: ObjectRef) -> Refill<UInt64>? {
    guard let refillMax = scRefillMax(of: sc), refillMax > 0 else { return nil }
    if let head = scRefillHead(of: sc), let tail = scRefillTail(of: sc), head < refillMax, tail < refillMax,
      let refill = refill(of: sc, at: head)
    {
      return refill
    }
    return refillBuffer(of: sc)?.headRefill
  }

  /// `checkBudget` (seL4:include/kernel/thread.h): whether `ksCurSC`'s head refill covers
  /// `ksConsumed` (`refill_sufficient`); if not, `chargeBudget`. No active `ksCurSC`: sufficient.
  /// Reads the head refill alone (`activeHeadRefill`), not the buffer.
  mutating func checkBudget() -> Bool {
    guard let head = activeHeadRefill(ksCurSC) else { return !isCurDomainExpired() }
    if RefillBuffer<UInt64>.refillSufficient(head, usage: ksConsumed, minBudget: TimeConfig.minBudget) {
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

  /// `commitTime` (seL4:include/kernel/thread.h): `ksConsumed` charged to an active `ksCurSC`
  /// other than the idle one (round robin: head to tail; sporadic: `refill_budget_check`) and
  /// added to `scConsumed`; `ksConsumed` := 0.
  mutating func commitTime() {
    let consumed = ksConsumed
    let sc = ksCurSC
    if sc != KernelConstants.idleSCPtr, var buffer = activeRefillBuffer(sc) {
      if consumed > 0 {
        let period = scPeriod(of: sc) ?? 0
        if period == 0 {
          buffer.refillBudgetCheckRoundRobin(consumed: consumed)
        } else if !skipsCharge(sc, period: period) {
          refillBudgetCheck(&buffer, usage: consumed, period: period)
        }
        storeRefillBuffer(buffer, of: sc)
      }
      storeIfChanged(sc &+ ObjectLayout.scConsumed, (scConsumed(of: sc) ?? 0) &+ consumed)
    }
    ksConsumed = 0
  }

  /// `chargeBudget` (seL4:src/kernel/thread.c): `consumed` charged to `ksCurSC` as its timeslice
  /// ends (round robin: head += tail, tail := 0; sporadic: `refill_budget_check`); a schedulable
  /// current thread ends its timeslice, the scheduler chooses afresh, the timer is reprogrammed.
  mutating func chargeBudget(_ consumed: UInt64, canTimeoutFault: Bool) {
    let sc = ksCurSC
    if sc != KernelConstants.idleSCPtr, var buffer = activeRefillBuffer(sc) {
      let period = scPeriod(of: sc) ?? 0
      if period == 0 {
        buffer.refillResetRR()
      } else if !skipsCharge(sc, period: period) {
        refillBudgetCheck(&buffer, usage: consumed, period: period)
      }
      storeRefillBuffer(buffer, of: sc)
      storeIfChanged(sc &+ ObjectLayout.scConsumed, (scConsumed(of: sc) ?? 0) &+ consumed)
    }
    ksConsumed = 0
    if isSchedulable(ksCurThread) {
      endTimeslice(canTimeoutFault: canTimeoutFault)
      rescheduleRequired()
      ksReprogram = true
    }
  }

  /// Whether the planted `SpecBug` (tests only; nil in every real use) skips the charge to `sc`.
  func skipsCharge(_ sc: ObjectRef, period: UInt64) -> Bool {
    guard let specBug else { return false }
    return specBug.skipsCharge(period: period, sporadic: (scSporadic(of: sc) ?? 0) != 0)
  }

  /// `refill_budget_check` (seL4:src/kernel/sporadic.c) on `buffer`, the shared core's (or, with
  /// the seam `mergeLosesBudget` planted, one whose merge loses budget).
  func refillBudgetCheck(_ buffer: inout RefillBuffer<UInt64>, usage: UInt64, period: UInt64) {
    if seams.mergeLosesBudget?() ?? false {
      buffer.refillBudgetCheckLosingMerges(usage: usage, period: period)
    } else {
      buffer.refillBudgetCheck(usage: usage, period: period)
    }
  }

  /// `endTimeslice` (seL4:src/kernel/thread.c): `can_timeout_fault && !round_robin && valid`
  /// (`validTimeoutHandler`) raises `seL4_Fault_Timeout_new(ksCurSC->scBadge)` through
  /// `handleTimeout`; else a ready and sufficient head refill appends the current thread to its
  /// ready queue (`SCHED_APPEND_CURRENT_TCB`); else `postpone`.
  mutating func endTimeslice(canTimeoutFault: Bool) {
    let roundRobin = (scPeriod(of: ksCurSC) ?? 0) == 0
    let valid = validTimeoutHandler(ksCurThread)
    if canTimeoutFault && !roundRobin && valid {
      let badge = scBadge(of: ksCurSC) ?? 0
      handleTimeout(ksCurThread, .timeout(badge: seams.timeoutFaultBadge?(badge) ?? badge))
    } else if let buffer = refillBuffer(of: ksCurSC), buffer.refillReady(now: ksCurTime),
      buffer.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget)
    {
      tcbSchedAppend(ksCurThread)
    } else {
      postpone(ksCurSC)
    }
  }

  /// `setNextInterrupt` (seL4:src/kernel/thread.c): the deadline (`setDeadline`) is the end of
  /// the current thread's head refill or the release queue head's release time, whichever is
  /// earlier, or the current domain's end (`ksDomainTime`) if earlier still (timer precision 0).
  mutating func setNextInterrupt() {
    var amount: UInt64 = 0
    if let sc = schedContextWord(of: ksCurThread), sc != 0, let head = scRefillHead(of: sc) {
      amount = refill(of: sc, at: head)?.rAmount ?? 0
    }
    var next = ksCurTime &+ amount
    if KernelConstants.numDomains > 1 { next = Swift.min(next, ksCurTime &+ ksDomainTime) }
    let first = releaseQueueEnds().head
    if first != 0 {
      next = Swift.min(tcbReadyTime(first), next)
    }
    deadline = next
  }

  /// The timer event (see `AbstractSpec/Budget.swift`): true when the clock reached the deadline
  /// and the timer interrupt is taken.
  mutating func timerTick(_ ticks: UInt64) -> Bool {
    let limit = TimeConfig.maxReleaseTime &- 1
    let now = clock
    let deadline = self.deadline
    let room = deadline > now ? deadline &- now : 0
    if ticks < room || deadline > limit {
      let (sum, overflow) = now.addingReportingOverflow(ticks)
      clock = overflow ? limit : Swift.min(sum, limit)
      return false
    }
    clock = Swift.min(Swift.max(now, deadline), limit)
    return true
  }
}

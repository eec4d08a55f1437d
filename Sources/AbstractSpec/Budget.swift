// Time passing and the budget it is charged to (MCS). The machine's clock runs while a thread runs
// (`.timerTick`); a kernel entry reads it (`updateTimestamp`) and the ticks since the last entry
// are `consumed_time`, owed by the current scheduling context `cur_sc`. A system call or fault
// first checks that the head refill still covers them (`checkBudget`); if not, the context is
// charged (`chargeBudget`) and its thread's timeslice ends (`endTimeslice`): a refill still ready
// and sufficient puts it at the tail of its ready queue, otherwise it waits in the release queue
// (`postpone`). When the scheduler has acted on the new time (`reprogram_timer`), the time is
// committed to the refills (`commitTime`, from `switchSchedContext`) and the timer is programmed
// for the next event (`setNextInterrupt`): the end of the current thread's head refill or the
// first release, whichever is earlier. The refills' arithmetic is the list version of
// `Sporadic.swift`.
//
// A sporadic thread whose timeslice ends where it may take a timeout fault (`check_budget`, not
// Yield) and that has a timeout handler sends a Timeout fault instead (`handle_timeout`,
// `Fault.swift`).
//
// Layer-local, no seL4 operation and no twin: `budgetCoversEntry` (whether `checkBudget` would let
// the entry through, without charging; for the checker's symbolic twin). The
// concrete layers' own helpers are listed in their headers.
//
// Domain time (`ksDomainTime`, `Domain.swift`): each entry takes the ticks used from it, a domain
// that has expired fails `checkBudget`, and the timer fires no later than the domain's end. Not
// yet: a timer precision (0: the deadline is exact).
//
// The operations, in the order of the twins (`ExecutableSpec/Budget.swift`, `Kernel/Budget.swift`):
// `updateTimestamp`, `checkBudget`, `checkBudgetRestart`, `commitTime`, `chargeBudget`,
// `endTimeslice`, `setNextInterrupt`, `timerTick`.
// (`seL4:include/kernel/thread.h` `updateTimestamp`, `checkBudget`, `checkBudgetRestart`,
// `commitTime`; `seL4:src/kernel/thread.c` `chargeBudget`, `endTimeslice`, `setNextInterrupt`;
// `l4v-rt:spec/abstract/Schedule_A.thy`, `SchedContext_A.thy`.)

import KernelABI

extension AbstractState {
  /// `update_time_stamp` (seL4 `updateTimestamp`): `cur_time` becomes the clock, and the ticks since
  /// the last entry are added to `consumed_time`. (The clock stays below `MAX_RELEASE_TIME`: the
  /// timer event clamps it, as l4v's `getCurrentTime` does.)
  mutating func updateTimestamp() {
    let previous = curTime
    curTime = clock
    let consumed = curTime &- previous
    consumedTime = consumedTime &+ consumed
    // The domain's time (`Domain.swift`): 0 once less than MIN_BUDGET would be left.
    if KernelConstants.numDomains > 1 {
      let (sum, overflow) = consumed.addingReportingOverflow(TimeConfig.minBudget)
      domainTime = overflow || sum >= domainTime ? 0 : domainTime &- consumed
    }
  }

  /// `check_budget` (seL4 `checkBudget`): whether `cur_sc`'s head refill still covers the time
  /// consumed (`refill_sufficient`). If not, that time is charged and the timeslice ends
  /// (`charge_budget`). A `cur_sc` that is no active scheduling context (deleted under the
  /// current thread in this kernel entry) has nothing to charge: sufficient.
  mutating func checkBudget() -> Bool {
    guard let sc = schedContext(at: curSC), sc.refillMax > 0 else { return !isCurDomainExpired() }
    if Sporadic.refillSufficient(sc.refills, usage: consumedTime) { return !isCurDomainExpired() }
    chargeBudget(consumedTime, canTimeoutFault: true)
    return false
  }

  /// Whether a system call made now would be handled: the time its entry would read
  /// (`updateTimestamp`) leaves `check_budget` passing without a charge. Pure; for the checker's
  /// symbolic twin, which models the invocation only and must skip an entry the budget refuses.
  public func budgetCoversEntry() -> Bool {
    var entered = self
    entered.updateTimestamp()
    guard !entered.isCurDomainExpired() else { return false }
    guard let sc = schedContext(at: curSC), sc.refillMax > 0 else { return true }
    return Sporadic.refillSufficient(sc.refills, usage: entered.consumedTime)
  }

  /// `check_budget_restart` (seL4 `checkBudgetRestart`): `checkBudget`, and a current thread whose
  /// budget ran out while it can still run will re-run its system call (Restart) when it next
  /// runs.
  mutating func checkBudgetRestart() -> Bool {
    let result = checkBudget()
    if !result, isRunnable(currentThread) { setThreadState(currentThread, .restart) }
    return result
  }

  /// `commit_time` (seL4 `commitTime`): the time consumed is charged to `cur_sc` (unless it is the
  /// idle thread's or inactive): a round-robin context moves it from its head refill to its tail
  /// (`refill_budget_check_round_robin`), a sporadic one runs `refill_budget_check`; `sc_consumed`
  /// grows by it. `consumed_time` is 0 after.
  mutating func commitTime() {
    let consumed = consumedTime
    let skips = schedContext(at: curSC).map(skipsCharge) ?? false
    if curSC != idleSC, let sc = schedContext(at: curSC), sc.refillMax > 0 {
      updateSchedContext(curSC) {
        if consumed > 0 {
          $0.refills =
            $0.period == 0
            ? Sporadic.refillBudgetCheckRoundRobin($0.refills, usage: consumed)
            : skips
              ? $0.refills
              : Sporadic.refillBudgetCheck($0.refills, usage: consumed, period: $0.period, refillMax: $0.refillMax)
        }
        $0.consumed = $0.consumed &+ consumed
      }
    }
    consumedTime = 0
  }

  /// `charge_budget consumed can_timeout` (seL4 `chargeBudget`): `consumed` ticks are charged to
  /// `cur_sc` as its timeslice ends: a round-robin context gets its whole budget back in the head
  /// (`refill_reset_rr`), a sporadic one runs `refill_budget_check`. `consumed_time` is 0 after;
  /// a current thread that can run ends its timeslice and the scheduler chooses afresh.
  mutating func chargeBudget(_ consumed: UInt64, canTimeoutFault: Bool) {
    let skips = schedContext(at: curSC).map(skipsCharge) ?? false
    if curSC != idleSC, let sc = schedContext(at: curSC), sc.refillMax > 0 {
      updateSchedContext(curSC) {
        $0.refills =
          $0.period == 0
          ? Sporadic.refillResetRR($0.refills)
          : skips
            ? $0.refills
            : Sporadic.refillBudgetCheck($0.refills, usage: consumed, period: $0.period, refillMax: $0.refillMax)
        $0.consumed = $0.consumed &+ consumed
      }
    }
    consumedTime = 0
    if isSchedulable(currentThread) {
      endTimeslice(canTimeoutFault: canTimeoutFault)
      rescheduleRequired()
      reprogramTimer = true
    }
  }

  /// Whether the planted `SpecBug` (tests only; nil in every real use) skips the charge to `sc`.
  func skipsCharge(_ sc: SchedContext) -> Bool {
    specBug?.skipsCharge(period: sc.period, sporadic: sc.sporadic) ?? false
  }

  /// `end_timeslice can_timeout` (seL4 `endTimeslice`): the current thread's budget is used up.
  /// When it may take a timeout fault, `cur_sc` is not round robin and the thread has a timeout
  /// handler (`valid_timeout_handler`), it sends a Timeout fault with `cur_sc`'s badge
  /// (`handle_timeout`). Otherwise, if its head refill is ready and sufficient again (round robin),
  /// it goes to the tail of its ready queue; else it waits in the release queue (`postpone`).
  mutating func endTimeslice(canTimeoutFault: Bool) {
    let sc = schedContext(at: curSC)
    let roundRobin = (sc?.period ?? 0) == 0
    let valid = validTimeoutHandler(currentThread)
    let refills = sc?.refills ?? []
    if canTimeoutFault && !roundRobin && valid {
      handleTimeout(currentThread, .timeout(badge: sc?.badge ?? 0))
    } else if Sporadic.refillReady(refills, now: curTime) && Sporadic.refillSufficient(refills, usage: 0) {
      tcbSchedAppend(currentThread)
    } else {
      postpone(curSC)
    }
  }

  /// `set_next_interrupt` (seL4 `setNextInterrupt`): the timer is programmed for the end of the
  /// current thread's head refill, or the first release in the release queue if that is earlier
  /// or the end of the current domain (`ksDomainTime`), whichever is earliest (timer precision 0). A current thread with no refills programs `cur_time`.
  mutating func setNextInterrupt() {
    let ctRefills = tcb(at: currentThread)?.schedContext.flatMap { schedContext(at: $0) }?.refills
    var next = curTime &+ (ctRefills?.first?.rAmount ?? 0)
    if KernelConstants.numDomains > 1 { next = Swift.min(next, curTime &+ domainTime) }
    if let first = releaseQueue.first {
      next = Swift.min(tcbReadyTime(first), next)
    }
    deadline = next
  }

  /// The timer event: the current thread (or idle) runs for up to `ticks`. Before the deadline the
  /// clock just advances and the kernel is not entered (false); otherwise the clock stops at the
  /// deadline (the rest of `ticks` is dropped: one event, at most one kernel entry) and the timer
  /// interrupt is taken (true). The clock stays below `MAX_RELEASE_TIME` (a deadline past it never
  /// fires).
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

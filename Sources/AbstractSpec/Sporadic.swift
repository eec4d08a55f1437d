// A scheduling context's refills as l4v-rt's abstract spec keeps them: a plain list, head first,
// holding only the live refills (no circular buffer, no head or tail index, no garbage slots).
// Each refill (`Refill`, seL4's `refill_t`) says that `rAmount` ticks of budget may be used from
// time `rTime` on. A round-robin context (period 0) always has two: the budget still to use and
// the budget used so far; a sporadic-server context has one or more, which sum to its budget.
//
// These are the refill operations under the names the shared core gives them
// (`KernelABI/Refills.swift`), written again with `first`, `dropFirst`, `last` and `+`, as l4v's
// abstract spec writes them with `hd`, `tl`, `last` and `@` (`l4v:spec/abstract/SchedContext_A.thy`
// and `Sporadic_A.thy`, branch `HE_proofs`). They call nothing in the core: the executable spec
// and the kernel both run the core, so refinement between those two cannot see a bug in it; this
// independent version is what lets the abstract-to-executable relation catch one
// (docs/time-plan.md, risk R4). Only the `Refill` type is shared. Abstract spec only: its twin in
// the executable spec and the kernel is the shared core, `KernelABI/Refills.swift`.
//
// The functions stand in the order the core's do (`Refills.swift`: the loops, which only its
// `UInt64` extension drives, last). Each function is pure: it takes the refills and returns the
// new refills. The context's period and refill limit (`sc_period`, `sc_refill_max`) are
// arguments, and the caller keeps them in the scheduling context. The constants are `TimeConfig`'s (`MIN_BUDGET`, `MAX_RELEASE_TIME`).
// Where l4v `HE_proofs` and the C differ, this follows the C, as docs/time-plan.md §1.3 does:
// `refill_ready` compares the head's time with the current time alone, and `refill_unblock_check`
// moves the head to the current time (l4v adds `kernelWCET_ticks` to both). Both guard the
// overrun loop and the partial charge with `MAX_RELEASE_TIME` (l4v's `head_time_buffer`).
// The validity predicates over these lists are in `KernelABI/RefillValidity.swift`.
// (`seL4:src/kernel/sporadic.c`, `include/kernel/sporadic.h`, `src/kernel/thread.c`.)

public import Bitwise
public import KernelABI

/// The refill operations of an MCS scheduling context, on the list of its live refills.
public enum Sporadic {
  // MARK: - The shape of the list

  /// `refill_size`: how many refills are live.
  public static func refillSize(_ refills: [Refill<UInt64>]) -> UInt64 { UInt64(refills.count) }

  /// `refill_full`: the context has no room for another refill.
  public static func refillFull(_ refills: [Refill<UInt64>], refillMax: UInt64) -> Bool {
    refillSize(refills) == refillMax
  }

  /// `refill_single`: exactly one refill is live.
  public static func refillSingle(_ refills: [Refill<UInt64>]) -> Bool { refills.count == 1 }

  // MARK: - What the head allows

  /// `refill_capacity`: what is left of the head refill after `usage`, 0 when the usage exceeds it.
  public static func refillCapacity(_ refills: [Refill<UInt64>], usage: UInt64) -> UInt64 {
    guard let head = refills.first, usage <= head.rAmount else { return 0 }
    return head.rAmount - usage
  }

  /// `refill_sufficient`: after `usage`, the head refill still holds at least `MIN_BUDGET`, enough
  /// for the kernel to run the thread and come back.
  public static func refillSufficient(_ refills: [Refill<UInt64>], usage: UInt64) -> Bool {
    refillCapacity(refills, usage: usage) >= TimeConfig.minBudget
  }

  /// `refill_ready`: the head refill may be used at time `now`. (seL4's C compares with the
  /// current time alone; l4v `HE_proofs` adds `kernelWCET_ticks` to it. This follows the C, as
  /// docs/time-plan.md §1.2 does.)
  public static func refillReady(_ refills: [Refill<UInt64>], now: UInt64) -> Bool {
    guard let head = refills.first else { return false }
    return head.rTime <= now
  }

  // MARK: - Time used comes back one period later

  /// `schedule_used`: the refill `new`, time just used that becomes usable again, goes at the end.
  /// If the last refill reaches `new`'s start, `new` is added to it (`can_merge_refill`); else, if
  /// there is room, `new` is appended; else the last refill is delayed to end where `new` would
  /// and takes its amount too, so budget is never lost for want of room.
  public static func scheduleUsed(
    _ refills: [Refill<UInt64>], _ new: Refill<UInt64>, refillMax: UInt64
  ) -> [Refill<UInt64>] {
    guard let last = refills.last else { return [new] }
    let merged = last.rAmount &+ new.rAmount
    if new.rTime <= last.rTime &+ last.rAmount {
      return refills.dropLast() + [Refill(rTime: last.rTime, rAmount: merged)]
    }
    if !refillFull(refills, refillMax: refillMax) {
      return refills + [new]
    }
    return refills.dropLast() + [Refill(rTime: new.rTime &- last.rAmount, rAmount: merged)]
  }

  /// The middle of `refill_budget_check`: what is left of `usage` after `handle_overrun` is taken
  /// from the start of the head (which keeps its end) and comes back one period after the head's
  /// old start, through `schedule_used`. Nothing happens when no usage is left or the head has
  /// reached `MAX_RELEASE_TIME`.
  public static func refillBudgetCheckPartialCharge(
    _ refills: [Refill<UInt64>], usage: UInt64, period: UInt64, refillMax: UInt64
  ) -> [Refill<UInt64>] {
    guard let head = refills.first, usage > 0, head.rTime < TimeConfig.maxReleaseTime else { return refills }
    let used = Refill(rTime: head.rTime &+ period, rAmount: usage)
    let rest = Refill(rTime: head.rTime &+ usage, rAmount: head.rAmount &- usage)
    return scheduleUsed([rest] + refills.dropFirst(), used, refillMax: refillMax)
  }

  // MARK: - Making refills

  /// `maybe_add_empty_tail`: a round-robin context (period 0) gets a second, empty refill at its
  /// head's time, where the time it uses will be counted. A sporadic context is left as it is.
  public static func maybeAddEmptyTail(_ refills: [Refill<UInt64>], period: UInt64) -> [Refill<UInt64>] {
    guard period == 0, let head = refills.first else { return refills }
    return refills + [Refill(rTime: head.rTime, rAmount: 0)]
  }

  /// `refill_new`: the whole `budget` is usable from `now` in one refill (and, for round robin, an
  /// empty second one). The caller records `period` and the refill limit in the context, as
  /// `refill_new` does before it writes the refills.
  public static func refillNew(budget: UInt64, period: UInt64, now: UInt64) -> [Refill<UInt64>] {
    maybeAddEmptyTail([Refill(rTime: now, rAmount: budget)], period: period)
  }

  /// `refill_update`: SchedControl_ConfigureFlags gives a running context a new period and budget.
  /// Only the head refill is kept; if it is already due, it becomes due now. If it holds at least
  /// the new budget it is cut down to it; otherwise it keeps what it has and the rest of the new
  /// budget comes one new period after it, so that no window of one period sees more than the
  /// new budget. The caller records the new period and refill limit (at least 2, so the second
  /// refill always fits).
  public static func refillUpdate(
    _ refills: [Refill<UInt64>], newPeriod: UInt64, newBudget: UInt64, now: UInt64
  ) -> [Refill<UInt64>] {
    guard var head = refills.first else { return refills }
    if head.rTime <= now { head.rTime = now }
    if head.rAmount >= newBudget {
      return maybeAddEmptyTail([Refill(rTime: head.rTime, rAmount: newBudget)], period: newPeriod)
    }
    let rest = Refill(rTime: head.rTime &+ newPeriod, rAmount: newBudget &- head.rAmount)
    return [head, rest]
  }

  // MARK: - The loops' guards and bodies (refill_budget_check, refill_unblock_check)

  /// `head_refill_overrun`: `usage` covers the whole head refill, and the head is not yet so late
  /// that moving it a period on could overflow (`MAX_RELEASE_TIME`).
  public static func headRefillOverrun(_ refills: [Refill<UInt64>], usage: UInt64) -> Bool {
    guard let head = refills.first else { return false }
    return head.rAmount <= usage && head.rTime < TimeConfig.maxReleaseTime
  }

  /// `charge_entire_head_refill`: the head refill is used up. A lone refill simply moves one
  /// period on; otherwise the head is popped and comes back one period after its start through
  /// `schedule_used`. Returns the refills and the usage still to charge.
  public static func chargeEntireHeadRefill(
    _ refills: [Refill<UInt64>], usage: UInt64, period: UInt64, refillMax: UInt64
  ) -> (refills: [Refill<UInt64>], usage: UInt64) {
    guard let head = refills.first else { return (refills, usage) }
    let later = Refill(rTime: head.rTime &+ period, rAmount: head.rAmount)
    let charged =
      refillSingle(refills)
      ? [later]
      : scheduleUsed(Array(refills.dropFirst()), later, refillMax: refillMax)
    return (charged, usage &- head.rAmount)
  }

  /// `head_refill_insufficient`: the head holds less than `MIN_BUDGET`, too little to run on.
  public static func headRefillInsufficient(_ refills: [Refill<UInt64>]) -> Bool {
    guard let head = refills.first else { return false }
    return head.rAmount < TimeConfig.minBudget
  }

  /// `merge_nonoverlapping_head_refill`: the head is folded into the next refill, which starts
  /// earlier by the head's amount, so it still ends where it did.
  public static func mergeNonoverlappingHeadRefill(_ refills: [Refill<UInt64>]) -> [Refill<UInt64>] {
    guard refills.count > 1 else { return refills }
    let head = refills[0]
    let next = refills[1]
    let merged = Refill(rTime: next.rTime &- head.rAmount, rAmount: next.rAmount &+ head.rAmount)
    return [merged] + refills.dropFirst(2)
  }

  /// `refill_head_overlapping`: there is a second refill and it starts before the head ends.
  public static func refillHeadOverlapping(_ refills: [Refill<UInt64>]) -> Bool {
    guard refills.count > 1 else { return false }
    let head = refills[0]
    return refills[1].rTime <= head.rTime &+ head.rAmount
  }

  /// `merge_overlapping_head_refill`: the head and the next refill become one refill at the
  /// head's start holding both amounts.
  public static func mergeOverlappingHeadRefill(_ refills: [Refill<UInt64>]) -> [Refill<UInt64>] {
    guard refills.count > 1 else { return refills }
    let head = refills[0]
    let merged = Refill(rTime: head.rTime, rAmount: refills[1].rAmount &+ head.rAmount)
    return [merged] + refills.dropFirst(2)
  }

  // MARK: - Charging a round-robin context (seL4:src/kernel/thread.c)

  /// `refill_budget_check_round_robin` (`commitTime`'s round-robin case): `usage` moves from the
  /// head, the budget left, to the last refill, the budget used.
  public static func refillBudgetCheckRoundRobin(_ refills: [Refill<UInt64>], usage: UInt64) -> [Refill<UInt64>] {
    guard let head = refills.first, let last = refills.last, refills.count > 1 else { return refills }
    let left = Refill(rTime: head.rTime, rAmount: head.rAmount &- usage)
    let used = Refill(rTime: last.rTime, rAmount: last.rAmount &+ usage)
    return [left] + refills.dropFirst().dropLast() + [used]
  }

  /// `refill_reset_rr` (`chargeBudget`'s round-robin case): the time slice is over, so the whole
  /// budget is back in the head and the used refill is empty.
  public static func refillResetRR(_ refills: [Refill<UInt64>]) -> [Refill<UInt64>] {
    guard let head = refills.first, let last = refills.last, refills.count > 1 else { return refills }
    let full = Refill(rTime: head.rTime, rAmount: head.rAmount &+ last.rAmount)
    let empty = Refill(rTime: last.rTime, rAmount: 0)
    return [full] + refills.dropFirst().dropLast() + [empty]
  }

  // MARK: - The loops: charging and waking a sporadic context

  /// `handle_overrun`: charge whole head refills while the usage covers them (and they are before
  /// `MAX_RELEASE_TIME`). Returns the refills and the usage left, less than the head's amount
  /// unless the head has reached `MAX_RELEASE_TIME`. The loop ends because every refill holds
  /// something (`sp_valid_refills`), so each round takes a positive amount off the usage.
  public static func handleOverrun(
    _ refills: [Refill<UInt64>], usage: UInt64, period: UInt64, refillMax: UInt64
  ) -> (refills: [Refill<UInt64>], usage: UInt64) {
    var state = (refills: refills, usage: usage)
    // Stops on states seL4 excludes by assertion (period 0, an empty head) instead of spinning.
    while period != 0, (state.refills.first?.rAmount ?? 0) != 0, headRefillOverrun(state.refills, usage: state.usage) {
      state = chargeEntireHeadRefill(state.refills, usage: state.usage, period: period, refillMax: refillMax)
    }
    return state
  }

  /// `refill_budget_check`: charge `usage` ticks the sporadic context has run for. Whole head
  /// refills the usage covers come back a period later (`handle_overrun`), the rest is cut from
  /// the head (the partial charge), and a head left below `MIN_BUDGET` is merged into the next
  /// refill until it is not.
  ///
  /// seL4 asserts the context is not round robin, and never pops its last refill; here a round-
  /// robin context is left as it is and the merge loop stops at one refill, which changes nothing
  /// where seL4's assertions hold (a lone refill holds the whole budget, at least `MIN_BUDGET`).
  public static func refillBudgetCheck(
    _ refills: [Refill<UInt64>], usage: UInt64, period: UInt64, refillMax: UInt64
  ) -> [Refill<UInt64>] {
    guard period != 0 else { return refills }
    let overrun = handleOverrun(refills, usage: usage, period: period, refillMax: refillMax)
    var charged = refillBudgetCheckPartialCharge(
      overrun.refills, usage: overrun.usage, period: period, refillMax: refillMax)
    while headRefillInsufficient(charged) && !refillSingle(charged) {
      charged = mergeNonoverlappingHeadRefill(charged)
    }
    return charged
  }

  /// `refill_unblock_check`: a sporadic context's thread becomes runnable. If its head refill is
  /// already due, it is due from `now` (time spent blocked is not budget to catch up on), and the
  /// refills it now overlaps are merged into it. Round robin: nothing. (The caller asks the timer
  /// to be reprogrammed when the head was due, as seL4 sets `ksReprogram`.) seL4's C sets the
  /// head to the current time; l4v `HE_proofs` adds `kernelWCET_ticks`. This follows the C.
  public static func refillUnblockCheck(
    _ refills: [Refill<UInt64>], period: UInt64, now: UInt64
  ) -> [Refill<UInt64>] {
    guard period != 0, refillReady(refills, now: now) else { return refills }
    var merged = [Refill(rTime: now, rAmount: refills[0].rAmount)] + refills.dropFirst()
    while refillHeadOverlapping(merged) {
      merged = mergeOverlappingHeadRefill(merged)
    }
    return merged
  }
}

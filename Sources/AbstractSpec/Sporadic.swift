// A scheduling context's refills as l4v-rt's abstract spec keeps them: a plain list, head first,
// holding only the live refills (no circular buffer, no head or tail index, no garbage slots).
// Each refill (`Refill`, seL4's `refill_t`) says that `rAmount` ticks of budget may be used from
// time `rTime` on. A round-robin context (period 0) always has two: the budget still to use and
// the budget used so far; a sporadic-server context has one or more, which sum to its budget.
//
// These are the refill operations under the names the shared core gives them
// (`KernelABI/Refills.swift`), written again with `first`, `dropFirst`, `last` and `+`, as
// `l4v-rt:spec/abstract/SchedContext_A.thy` and `Sporadic_A.thy` write them with `hd`, `tl`,
// `last` and `@`. They call nothing in the core: the executable spec and the kernel both run the
// core, so refinement between those two cannot see a bug in it; this independent version is what
// lets the abstract-to-executable relation catch one (docs/time-plan.md, risk R4).
//
// Each function is pure: it takes the refills and returns the new refills. The context's period
// and refill limit (`sc_period`, `sc_refill_max`) are arguments, and the caller keeps them in the
// scheduling context. The constants are `TimeConfig`'s (`MIN_BUDGET`, `MAX_RELEASE_TIME`).
// (`seL4:src/kernel/sporadic.c`, `include/kernel/sporadic.h`, `src/kernel/thread.c`.)

public import Bitwise
public import KernelABI

/// The refill operations of an MCS scheduling context, on the list of its live refills.
public enum Sporadic {
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
}

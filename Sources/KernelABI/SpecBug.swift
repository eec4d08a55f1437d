// Deliberate bugs planted in every layer alike, as a mistake in the specification itself would
// be: the lockstep checker cannot see them (the layers still agree), so each is a test of a
// property the layers are checked against from outside, like availability
// (Refinement/Availability.swift). Tests and `refine-check check --availability` demonstrations
// set `specBug` on all three layers' states; nothing else ever does. Contrast `PlantedBug`, which
// breaks one layer and which the lockstep catches.

/// A known way to break the semantics all three layers share.
public enum SpecBug: String, CaseIterable, Sendable, Codable {
  /// `commitTime` and `chargeBudget` charge nothing to the refills of a constant-bandwidth
  /// scheduling context (period above budget, `scSporadic` false), as if the sporadic flag chose
  /// whether a context's budget is enforced at all: where seL4 (`seL4:src/kernel/thread.c`)
  /// runs `refill_budget_check` on every context that is not round robin, such a context's head
  /// refill never shrinks, so its thread runs again after every timeslice and overruns its
  /// budget. The refills stay valid, so no invariant breaks.
  case chargeSkipsConstantBandwidth

  /// Whether the charge of `consumed` ticks to a context with these attributes is skipped.
  @inlinable public func skipsCharge(period: UInt64, sporadic: Bool) -> Bool {
    switch self {
    case .chargeSkipsConstantBandwidth: period != 0 && !sporadic
    }
  }
}

// What a valid refill list is, by l4v's names: `rr_valid_refills`, `sp_valid_refills` and the
// `cfg_valid_refills` that picks between them, `ordered_disjoint`, `no_overflow`, `window` and
// `bounded_release_time` (`l4v:proof/invariant-abstract/DetSchedInvs_AI.thy` and
// `SchedContextInv_AI.thy`, branch `HE_proofs`; docs/time-plan.md §1.4).
//
// l4v states them over unbounded naturals (`unat`), so that a sum or an end time that would wrap
// a machine word breaks them rather than wrapping; here that arithmetic is `UInt128`, wide enough
// for any sum of 64-bit amounts a scheduling context can hold. (l4v's `refills_sum` is a word
// sum; taken together with `ordered_disjoint` and `no_overflow`, or round robin's bound on its two
// amounts, the two sums agree.)
//
// Stated once, on the list of live refills head first (the abstract spec's `sc_refills`, and the
// live window `refills_map` reads out of a concrete buffer): the abstract spec's
// `active_sc_valid_refills` runs them on its lists, the executable spec's and the kernel's
// `active_sc_valid_refills'` on their buffers' windows (`Invariants+Sporadic.swift` in each layer).
// They are what is checked, not the code under check: the refill operations stay two independent
// versions (the abstract `Sporadic` lists and the shared core, `Refills.swift`).

public import Bitwise

/// The validity of a scheduling context's refills, by l4v's names.
public enum RefillValidity {
  /// `refills_sum`: the budget the refills hold, without wrapping.
  public static func refillsSum(_ refills: [Refill<UInt64>]) -> UInt128 {
    refills.reduce(0) { $0 + UInt128($1.rAmount) }
  }

  /// `ordered_disjoint`: each refill ends no later than the next one starts.
  public static func orderedDisjoint(_ refills: [Refill<UInt64>]) -> Bool {
    zip(refills, refills.dropFirst()).allSatisfy { UInt128($0.rTime) + UInt128($0.rAmount) <= UInt128($1.rTime) }
  }

  /// `no_overflow`: no refill ends past the largest time a word holds.
  public static func noOverflow(_ refills: [Refill<UInt64>]) -> Bool {
    refills.allSatisfy { UInt128($0.rTime) + UInt128($0.rAmount) <= UInt128(UInt64.max) }
  }

  /// `window`: the last refill starts at most one period after the head, so no budget is
  /// scheduled further ahead than one period from the head's start.
  public static func window(_ refills: [Refill<UInt64>], period: UInt64) -> Bool {
    guard let head = refills.first, let last = refills.last else { return false }
    return UInt128(last.rTime) <= UInt128(head.rTime) + UInt128(period)
  }

  /// `bounded_release_time`: the head is far enough below the largest time that two more periods
  /// fit after it (what `refill_update` may add) without wrapping.
  public static func boundedReleaseTime(_ refills: [Refill<UInt64>]) -> Bool {
    guard let head = refills.first else { return false }
    return UInt128(head.rTime) + 2 * UInt128(TimeConfig.maxPeriod) <= UInt128(UInt64.max)
  }

  /// The conjuncts of `rr_valid_refills` that fail for a round-robin context's refills: exactly
  /// two, summing to the budget, the head at least `MIN_BUDGET`, the two amounts' sum a word,
  /// `MIN_REFILLS` of room and `MIN_BUDGET ≤ budget ≤ MAX_PERIOD`.
  public static func rrValidRefillsViolations(
    _ refills: [Refill<UInt64>], refillMax: UInt64, budget: UInt64
  ) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func check(_ holds: Bool, _ conjunct: String, _ text: @autoclosure () -> String) {
      if !holds { found.append(InvariantViolation("rr_valid_refills", conjunct: conjunct, text())) }
    }
    check(refills.count == 2, "length refills = 2", "\(refills.count) refills: \(describe(refills))")
    check(
      refillsSum(refills) == UInt128(budget), "refills_sum refills = budget",
      "the refills hold \(refillsSum(refills)), the budget is \(budget): \(describe(refills))")
    if let head = refills.first, let last = refills.last {
      check(
        head.rAmount >= TimeConfig.minBudget, "MIN_BUDGET ≤ r_amount (hd refills)",
        "the head holds \(head.rAmount) < MIN_BUDGET \(TimeConfig.minBudget)")
      check(
        UInt128(head.rAmount) + UInt128(last.rAmount) <= UInt128(UInt64.max), "head + last ≤ max_time",
        "the head's and the last refill's amounts sum past a word")
    }
    check(refillMax == KernelConstants.minRefills, "refill_max = MIN_REFILLS", "refillMax is \(refillMax)")
    check(
      TimeConfig.minBudget <= budget && budget <= TimeConfig.maxPeriod, "MIN_BUDGET ≤ budget ≤ MAX_PERIOD",
      "the budget is \(budget)")
    return found
  }

  /// The conjuncts of `sp_valid_refills` that fail for a sporadic context's refills: summing to
  /// the budget, `ordered_disjoint`, `no_overflow`, `window`, the head at least `MIN_BUDGET`,
  /// between one and `refillMax` of them, every amount positive, and a configuration
  /// SchedControl_ConfigureFlags accepts (`MIN_BUDGET ≤ budget ≤ period ≤ MAX_PERIOD`,
  /// `MIN_REFILLS ≤ refillMax`).
  public static func spValidRefillsViolations(
    _ refills: [Refill<UInt64>], refillMax: UInt64, period: UInt64, budget: UInt64
  ) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func check(_ holds: Bool, _ conjunct: String, _ text: @autoclosure () -> String) {
      if !holds { found.append(InvariantViolation("sp_valid_refills", conjunct: conjunct, text())) }
    }
    check(
      refillsSum(refills) == UInt128(budget), "refills_sum refills = budget",
      "the refills hold \(refillsSum(refills)), the budget is \(budget): \(describe(refills))")
    check(orderedDisjoint(refills), "ordered_disjoint", "refills overlap or are out of order: \(describe(refills))")
    check(noOverflow(refills), "no_overflow", "a refill ends past the largest time: \(describe(refills))")
    check(
      window(refills, period: period), "window",
      "the last refill starts more than a period (\(period)) after the head: \(describe(refills))")
    if let head = refills.first {
      check(
        head.rAmount >= TimeConfig.minBudget, "MIN_BUDGET ≤ r_amount (hd refills)",
        "the head holds \(head.rAmount) < MIN_BUDGET \(TimeConfig.minBudget)")
    }
    check(
      !refills.isEmpty && UInt64(refills.count) <= refillMax, "0 < length refills ≤ refill_max",
      "\(refills.count) refills with room for \(refillMax)")
    check(
      TimeConfig.minBudget <= budget && budget <= period && period <= TimeConfig.maxPeriod,
      "MIN_BUDGET ≤ budget ≤ period ≤ MAX_PERIOD", "budget \(budget), period \(period)")
    check(refillMax >= KernelConstants.minRefills, "MIN_REFILLS ≤ refill_max", "refillMax is \(refillMax)")
    check(refills.allSatisfy { $0.rAmount > 0 }, "0 < r_amount", "an empty refill: \(describe(refills))")
    return found
  }

  /// The conjuncts of `cfg_valid_refills` that fail: `rr_valid_refills` for a round-robin context
  /// (period 0), `sp_valid_refills` otherwise.
  public static func cfgValidRefillsViolations(
    _ refills: [Refill<UInt64>], refillMax: UInt64, period: UInt64, budget: UInt64
  ) -> [InvariantViolation] {
    period == 0
      ? rrValidRefillsViolations(refills, refillMax: refillMax, budget: budget)
      : spValidRefillsViolations(refills, refillMax: refillMax, period: period, budget: budget)
  }

  /// `cfg_valid_refills`.
  public static func cfgValidRefills(
    _ refills: [Refill<UInt64>], refillMax: UInt64, period: UInt64, budget: UInt64
  ) -> Bool {
    cfgValidRefillsViolations(refills, refillMax: refillMax, period: period, budget: budget).isEmpty
  }

  /// One scheduling context's part of `active_sc_valid_refills`: an active context (`refillMax >
  /// 0`) has valid refills and a `bounded_release_time` head.
  public static func activeSCValidRefillsViolations(
    _ refills: [Refill<UInt64>], refillMax: UInt64, period: UInt64, budget: UInt64
  ) -> [InvariantViolation] {
    guard refillMax > 0 else { return [] }
    var found = cfgValidRefillsViolations(refills, refillMax: refillMax, period: period, budget: budget)
    if !boundedReleaseTime(refills) {
      found.append(
        InvariantViolation(
          "active_sc_valid_refills", conjunct: "bounded_release_time",
          "the head at \(refills.first.map { "\($0.rTime)" } ?? "none") is within two periods of the largest time"))
    }
    return found
  }

  /// The refills as `[(rTime, rAmount), ...]`, for explanations.
  public static func describe(_ refills: [Refill<UInt64>]) -> String {
    "[" + refills.map { "(\($0.rTime), \($0.rAmount))" }.joined(separator: ", ") + "]"
  }
}

extension RefillValidity {
  /// The clauses of `sp_valid_refills` l4v names on their own, reported as such.
  public static let namedClauses: Set<String> = ["ordered_disjoint", "no_overflow", "window", "bounded_release_time"]

  /// The scheduling context at `address`'s part of `invariant` (the abstract
  /// `active_sc_valid_refills` or a concrete layer's `active_sc_valid_refills'`), given its live
  /// refills, head first: each failing clause as a conjunct of `invariant`, named
  /// `rr_valid_refills` or `sp_valid_refills` unless l4v names the clause itself (`namedClauses`).
  public static func activeSCValidRefills(
    _ invariant: String, at address: UInt64, _ refills: [Refill<UInt64>], refillMax: UInt64, period: UInt64,
    budget: UInt64
  ) -> [InvariantViolation] {
    activeSCValidRefillsViolations(refills, refillMax: refillMax, period: period, budget: budget).map { violation in
      let clause = violation.invariant == violation.conjunct ? "" : " (\(violation.conjunct))"
      return InvariantViolation(
        invariant, conjunct: namedClauses.contains(violation.conjunct) ? violation.conjunct : violation.invariant,
        "scheduling context \(hex(address))\(clause): \(violation.explanation)")
    }
  }
}

// The abstract spec's refill list (`AbstractSpec/Sporadic.swift`), on lists worked out by hand from
// seL4:src/kernel/sporadic.c and thread.c (MIN_BUDGET is 20 ticks), and a seeded random campaign
// in which every operation keeps `sp_valid_refills`/`rr_valid_refills`
// (`AbstractSpec/Invariants+Sporadic.swift`), with a planted merge that loses budget to show the
// check can fail.

import KernelABI
import Testing

@testable import AbstractSpec

@Suite struct SporadicTests {
  /// A refill list given as (rTime, rAmount) pairs, head first.
  static func refills(_ pairs: [(UInt64, UInt64)]) -> [Refill<UInt64>] {
    pairs.map { Refill(rTime: $0.0, rAmount: $0.1) }
  }

  // MARK: - refillNew, maybeAddEmptyTail

  @Test func refillNewGivesASporadicContextItsWholeBudgetNow() {
    // Budget 30 every 100, created at time 500: one refill of 30 from 500.
    #expect(Sporadic.refillNew(budget: 30, period: 100, now: 500) == Self.refills([(500, 30)]))
  }

  @Test func refillNewGivesARoundRobinContextAnEmptyTail() {
    // Period 0: the budget from now, then an empty refill at the same time for the used time.
    #expect(Sporadic.refillNew(budget: 40, period: 0, now: 7) == Self.refills([(7, 40), (7, 0)]))
  }

  @Test func theIdleContextIsRoundRobinWithAWholePeriodOfBudget() {
    // boot.c `configure_sched_context` for the idle thread: refill_new(MIN_REFILLS, MAX_PERIOD, 0)
    // at time 0. The empty tail is at the head's time, 0, as in the C (l4v `HE_proofs`
    // spec/abstract/ARM/Init_A.thy puts it at MAX_PERIOD; docs/time-plan.md §1.7 follows the C).
    let idle = Sporadic.refillNew(budget: TimeConfig.maxPeriod, period: 0, now: 0)
    #expect(idle == Self.refills([(0, TimeConfig.maxPeriod), (0, 0)]))
    #expect(
      RefillValidity.activeSCValidRefillsViolations(idle, refillMax: 2, period: 0, budget: TimeConfig.maxPeriod).isEmpty
    )
  }

  @Test func maybeAddEmptyTailAddsOnlyForRoundRobin() {
    let one = Self.refills([(12, 25)])
    #expect(Sporadic.maybeAddEmptyTail(one, period: 0) == Self.refills([(12, 25), (12, 0)]))
    #expect(Sporadic.maybeAddEmptyTail(one, period: 50) == one)
    // The empty refill copies the head's time, not the last one's.
    let two = Self.refills([(3, 20), (90, 5)])
    #expect(Sporadic.maybeAddEmptyTail(two, period: 0) == Self.refills([(3, 20), (90, 5), (3, 0)]))
  }

  // MARK: - refillUpdate

  @Test func refillUpdateTrimsADueHeadToTheNewBudgetFromNow() {
    // The head (100, 50) is due at 150, so it starts now; it holds 50 ≥ 40: cut to 40, alone.
    let old = Self.refills([(100, 50), (300, 30)])
    #expect(Sporadic.refillUpdate(old, newPeriod: 200, newBudget: 40, now: 150) == Self.refills([(150, 40)]))
    // A round-robin update gets its empty tail.
    #expect(Sporadic.refillUpdate(old, newPeriod: 0, newBudget: 40, now: 150) == Self.refills([(150, 40), (150, 0)]))
  }

  @Test func refillUpdateSchedulesTheRestOfABiggerBudgetOneNewPeriodOn() {
    // The head (500, 30) is not due at 150; the new budget 70 exceeds it by 40, due at 500 + 200.
    let old = Self.refills([(500, 30), (600, 20)])
    #expect(
      Sporadic.refillUpdate(old, newPeriod: 200, newBudget: 70, now: 150) == Self.refills([(500, 30), (700, 40)]))
  }

  // MARK: - The shape of the list and the head

  @Test func shapeAndHeadQueries() {
    let two = Self.refills([(100, 30), (200, 20)])
    #expect(Sporadic.refillSize(two) == 2)
    #expect(Sporadic.refillFull(two, refillMax: 2))
    #expect(!Sporadic.refillFull(two, refillMax: 3))
    #expect(!Sporadic.refillSingle(two))
    #expect(Sporadic.refillSingle(Self.refills([(0, 20)])))
    // Capacity 30 − 10; sufficient while 20 = MIN_BUDGET is left; 0 past the head's amount.
    #expect(Sporadic.refillCapacity(two, usage: 10) == 20)
    #expect(Sporadic.refillSufficient(two, usage: 10))
    #expect(!Sporadic.refillSufficient(two, usage: 11))
    #expect(Sporadic.refillCapacity(two, usage: 31) == 0)
    // Ready from the head's time on.
    #expect(!Sporadic.refillReady(two, now: 99))
    #expect(Sporadic.refillReady(two, now: 100))
  }

  // MARK: - scheduleUsed

  @Test func scheduleUsedMergesIntoALastRefillThatReachesIt() {
    let old = Self.refills([(0, 30), (100, 20)])
    // The last refill ends at 120: a used refill from 110 or from 120 joins it.
    let joined = Self.refills([(0, 30), (100, 30)])
    #expect(Sporadic.scheduleUsed(old, Refill(rTime: 110, rAmount: 10), refillMax: 4) == joined)
    #expect(Sporadic.scheduleUsed(old, Refill(rTime: 120, rAmount: 10), refillMax: 4) == joined)
  }

  @Test func scheduleUsedAppendsWhenThereIsRoom() {
    let old = Self.refills([(0, 30), (100, 20)])
    let new = Refill<UInt64>(rTime: 130, rAmount: 10)
    #expect(Sporadic.scheduleUsed(old, new, refillMax: 3) == Self.refills([(0, 30), (100, 20), (130, 10)]))
    #expect(Sporadic.scheduleUsed([], new, refillMax: 3) == [new])
  }

  @Test func scheduleUsedDelaysAFullListsLastRefillToEndWhereTheUsedOneWould() {
    // Full at 2: the last (100, 20) takes 10 more and ends at 140, where (130, 10) ends: (110, 30).
    let old = Self.refills([(0, 30), (100, 20)])
    let new = Refill<UInt64>(rTime: 130, rAmount: 10)
    #expect(Sporadic.scheduleUsed(old, new, refillMax: 2) == Self.refills([(0, 30), (110, 30)]))
  }

  // MARK: - refillBudgetCheck and its parts

  @Test func headRefillOverrunWhenTheUsageCoversTheHead() {
    let one = Self.refills([(0, 30)])
    #expect(Sporadic.headRefillOverrun(one, usage: 30))
    #expect(!Sporadic.headRefillOverrun(one, usage: 29))
    // At MAX_RELEASE_TIME the head is never charged whole again.
    let late = Self.refills([(TimeConfig.maxReleaseTime, 30)])
    #expect(!Sporadic.headRefillOverrun(late, usage: 100))
  }

  @Test func chargeEntireHeadRefillMovesALoneRefillAPeriodOn() {
    let charged = Sporadic.chargeEntireHeadRefill(Self.refills([(0, 30)]), usage: 45, period: 100, refillMax: 4)
    #expect(charged.refills == Self.refills([(100, 30)]))
    #expect(charged.usage == 15)
  }

  @Test func chargeEntireHeadRefillSendsTheHeadToTheBackAPeriodLater() {
    let old = Self.refills([(0, 30), (50, 20)])
    let charged = Sporadic.chargeEntireHeadRefill(old, usage: 40, period: 100, refillMax: 4)
    #expect(charged.refills == Self.refills([(50, 20), (100, 30)]))
    #expect(charged.usage == 10)
  }

  @Test func handleOverrunChargesWholeHeadsWhileTheUsageCoversThem() {
    // 55 covers the head 30 (25 left), then the next 20 (5 left), not the next 30.
    let old = Self.refills([(0, 30), (50, 20)])
    let charged = Sporadic.handleOverrun(old, usage: 55, period: 100, refillMax: 4)
    #expect(charged.refills == Self.refills([(100, 30), (150, 20)]))
    #expect(charged.usage == 5)
  }

  @Test func partialChargeTakesTheUsageFromTheHeadsStart() {
    // (0, 50) charged 10: (10, 40) keeps its end at 50; (100, 10) comes back a period on.
    let one = Self.refills([(0, 50)])
    #expect(
      Sporadic.refillBudgetCheckPartialCharge(one, usage: 10, period: 100, refillMax: 2)
        == Self.refills([(10, 40), (100, 10)]))
    // The used part lands where the last refill ends (80 + 20 = 100): it joins it.
    let two = Self.refills([(0, 50), (80, 20)])
    #expect(
      Sporadic.refillBudgetCheckPartialCharge(two, usage: 10, period: 100, refillMax: 4)
        == Self.refills([(10, 40), (80, 30)]))
    // No usage, or a head at MAX_RELEASE_TIME: nothing.
    #expect(Sporadic.refillBudgetCheckPartialCharge(two, usage: 0, period: 100, refillMax: 4) == two)
    let late = Self.refills([(TimeConfig.maxReleaseTime, 50)])
    #expect(Sporadic.refillBudgetCheckPartialCharge(late, usage: 10, period: 100, refillMax: 4) == late)
  }

  @Test func mergeNonoverlappingHeadRefillKeepsTheNextRefillsEnd() {
    #expect(Sporadic.headRefillInsufficient(Self.refills([(0, 19)])))
    #expect(!Sporadic.headRefillInsufficient(Self.refills([(0, 20)])))
    // (0, 5) into (100, 30): (95, 35), still ending at 130.
    let old = Self.refills([(0, 5), (100, 30), (200, 10)])
    #expect(Sporadic.mergeNonoverlappingHeadRefill(old) == Self.refills([(95, 35), (200, 10)]))
  }

  @Test func refillBudgetCheckMergesAHeadLeftBelowMinBudget() {
    // Budget 50 every 100, 45 used: (45, 5) and (100, 45); 5 < MIN_BUDGET, so one refill (95, 50).
    let charged = Sporadic.refillBudgetCheck(Self.refills([(0, 50)]), usage: 45, period: 100, refillMax: 4)
    #expect(charged == Self.refills([(95, 50)]))
  }

  @Test func refillBudgetCheckOverrunThenPartialChargeThenMerge() {
    // 35 used of [(0, 30), (60, 20)]: the head goes whole to (100, 30), 5 is cut from (60, 20)
    // leaving (65, 15) and coming back as (160, 5); 15 < MIN_BUDGET merges into (100, 30).
    let old = Self.refills([(0, 30), (60, 20)])
    let charged = Sporadic.refillBudgetCheck(old, usage: 35, period: 100, refillMax: 4)
    #expect(charged == Self.refills([(85, 45), (160, 5)]))
    #expect(RefillValidity.spValidRefillsViolations(charged, refillMax: 4, period: 100, budget: 50).isEmpty)
    // Round robin is never charged this way.
    let robin = Self.refills([(0, 40), (0, 0)])
    #expect(Sporadic.refillBudgetCheck(robin, usage: 10, period: 0, refillMax: 2) == robin)
  }

  // MARK: - refillUnblockCheck and its parts

  @Test func refillHeadOverlappingWhenTheNextStartsBeforeTheHeadEnds() {
    #expect(Sporadic.refillHeadOverlapping(Self.refills([(0, 30), (30, 20)])))
    #expect(!Sporadic.refillHeadOverlapping(Self.refills([(0, 30), (31, 20)])))
    #expect(!Sporadic.refillHeadOverlapping(Self.refills([(0, 30)])))
    // The merge keeps the head's start and takes both amounts.
    let old = Self.refills([(0, 30), (20, 20), (100, 5)])
    #expect(Sporadic.mergeOverlappingHeadRefill(old) == Self.refills([(0, 50), (100, 5)]))
  }

  @Test func refillUnblockCheckStartsADueHeadNowAndMergesWhatItReaches() {
    let old = Self.refills([(10, 30), (60, 20)])
    // Due at 40: (40, 30) ends at 70 past 60, so the two merge.
    #expect(Sporadic.refillUnblockCheck(old, period: 100, now: 40) == Self.refills([(40, 50)]))
    // Due at 20: (20, 30) ends at 50, before 60.
    #expect(Sporadic.refillUnblockCheck(old, period: 100, now: 20) == Self.refills([(20, 30), (60, 20)]))
    // Not due yet, or round robin: nothing.
    #expect(Sporadic.refillUnblockCheck(old, period: 100, now: 5) == old)
    #expect(Sporadic.refillUnblockCheck(old, period: 0, now: 40) == old)
  }

  // MARK: - Round robin

  @Test func roundRobinChargesMoveTimeBetweenHeadAndTail() {
    let fresh = Self.refills([(0, 40), (0, 0)])
    let used = Sporadic.refillBudgetCheckRoundRobin(fresh, usage: 15)
    #expect(used == Self.refills([(0, 25), (0, 15)]))
    #expect(Sporadic.refillResetRR(used) == fresh)
  }

  // MARK: - The validity predicates

  @Test func validListsPassAndEachBrokenConjunctIsNamed() {
    func broken(_ pairs: [(UInt64, UInt64)], max: UInt64 = 4, period: UInt64 = 100, budget: UInt64 = 50) -> [String] {
      RefillValidity.cfgValidRefillsViolations(Self.refills(pairs), refillMax: max, period: period, budget: budget)
        .map(\.conjunct)
    }
    #expect(broken([(0, 30), (60, 20)]).isEmpty)
    #expect(broken([(0, 30), (60, 10)]) == ["refills_sum refills = budget"])
    #expect(broken([(0, 30), (20, 20)]) == ["ordered_disjoint"])
    #expect(broken([(0, 30), (101, 20)]) == ["window"])
    #expect(broken([(0, 10), (60, 40)]) == ["MIN_BUDGET ≤ r_amount (hd refills)"])
    #expect(broken([(0, 30), (60, 20)], max: 1) == ["0 < length refills ≤ refill_max", "MIN_REFILLS ≤ refill_max"])
    #expect(broken([(0, 50), (60, 0)]) == ["0 < r_amount"])
    #expect(broken([(0, 30), (60, 20)], period: 40).contains("MIN_BUDGET ≤ budget ≤ period ≤ MAX_PERIOD"))
    #expect(broken([(UInt64.max - 10, 50)], budget: 50) == ["no_overflow"])
    // Round robin: exactly two.
    #expect(broken([(0, 40), (0, 10)], max: 2, period: 0).isEmpty)
    #expect(broken([(0, 50)], max: 2, period: 0) == ["length refills = 2"])
    // bounded_release_time: two periods must fit after the head.
    #expect(RefillValidity.boundedReleaseTime(Self.refills([(0, 50)])))
    #expect(!RefillValidity.boundedReleaseTime(Self.refills([(UInt64.max - TimeConfig.maxPeriod, 50)])))
  }

  // MARK: - A seeded random campaign

  /// One valid configuration as SchedControl_ConfigureFlags would make it: round robin when the
  /// budget is the period (then period 0 and 2 refills), else sporadic.
  struct Config {
    var refillMax: UInt64
    var period: UInt64
    var budget: UInt64

    static func random(_ rng: inout SplitMix64) -> Config {
      // Mostly small periods, so merges and full lists are common; sometimes up to MAX_PERIOD.
      let span = rng.chance(10) ? TimeConfig.maxPeriod : 400
      let period = TimeConfig.minBudget + rng.below(span - TimeConfig.minBudget + 1)
      let budget = rng.chance(15) ? period : TimeConfig.minBudget + rng.below(period - TimeConfig.minBudget + 1)
      if budget == period { return Config(refillMax: KernelConstants.minRefills, period: 0, budget: budget) }
      return Config(refillMax: KernelConstants.minRefills + rng.below(9), period: period, budget: budget)
    }
  }

  /// `refill_budget_check` as a function, so a test can swap in a broken one.
  typealias BudgetCheck =
    @Sendable (_ refills: [Refill<UInt64>], _ usage: UInt64, _ period: UInt64, _ refillMax: UInt64) ->
    [Refill<UInt64>]

  static let realBudgetCheck: BudgetCheck = { Sporadic.refillBudgetCheck($0, usage: $1, period: $2, refillMax: $3) }

  /// How often a campaign reached the cases worth reaching.
  struct Coverage {
    /// A sporadic context's list left with no room (so `schedule_used` delays its last refill).
    var fullLists = 0
    /// Budget checks that charged two or more whole refills (`handle_overrun` looping).
    var overrunsPastTheHead = 0
    /// Budget checks and wake-ups that merged refills (the list got shorter).
    var budgetCheckMerges = 0
    var unblockMerges = 0
    /// `refill_update`s that kept the head and scheduled the rest of the budget a period later.
    var updatesSplittingTheBudget = 0
  }

  /// Runs `contexts` random configurations, `steps` random operations each, checking
  /// `cfg_valid_refills` and `bounded_release_time` after every one. Returns the operations run,
  /// the first violation found (with the operation that caused it) and the coverage.
  static func campaign(
    seed: UInt64, contexts: Int, steps: Int, budgetCheck: BudgetCheck = realBudgetCheck
  ) -> (operations: Int, failure: String?, coverage: Coverage) {
    var rng = SplitMix64(seed: seed)
    var operations = 0
    var coverage = Coverage()
    for _ in 0..<contexts {
      var config = Config.random(&rng)
      var now = rng.below(1 << 40)
      var refills = Sporadic.refillNew(budget: config.budget, period: config.period, now: now)
      for _ in 0..<steps {
        let longest = max(config.period, config.budget)
        now += rng.below(2 * longest + 1)
        let operation: String
        switch rng.below(10) {
        case 0...5 where config.period == 0:
          // commitTime charges at most what leaves MIN_BUDGET in the head; chargeBudget resets.
          if rng.chance(70) {
            let usage = rng.below(Sporadic.refillCapacity(refills, usage: TimeConfig.minBudget) + 1)
            operation = "refillBudgetCheckRoundRobin(usage: \(usage))"
            refills = Sporadic.refillBudgetCheckRoundRobin(refills, usage: usage)
          } else {
            operation = "refillResetRR"
            refills = Sporadic.refillResetRR(refills)
          }
        case 0...5:
          // Usage anywhere from none to several budgets (an overrun past several refills).
          let usage = rng.chance(50) ? rng.below(refills[0].rAmount + 1) : rng.below(3 * config.budget + 1)
          operation = "refillBudgetCheck(usage: \(usage))"
          let overrun = Sporadic.handleOverrun(
            refills, usage: usage, period: config.period, refillMax: config.refillMax)
          if usage - overrun.usage > refills[0].rAmount { coverage.overrunsPastTheHead += 1 }
          let before = refills.count
          refills = budgetCheck(refills, usage, config.period, config.refillMax)
          if refills.count < before { coverage.budgetCheckMerges += 1 }
        case 6...8:
          // A wake-up, now or at a later time around the head's.
          let head = refills[0].rTime
          let at = head - min(head, rng.below(longest + 1)) + rng.below(2 * longest + 1)
          now = max(now, at)
          operation = "refillUnblockCheck(now: \(now))"
          let before = refills.count
          refills = Sporadic.refillUnblockCheck(refills, period: config.period, now: now)
          if refills.count < before { coverage.unblockMerges += 1 }
        default:
          // SchedControl_ConfigureFlags on a running context: budget = period makes a new
          // round-robin context (refill_new); otherwise refill_update keeps the head.
          let new = Config.random(&rng)
          if new.period == 0 {
            operation = "refillNew(budget: \(new.budget), period: 0)"
            refills = Sporadic.refillNew(budget: new.budget, period: 0, now: now)
          } else {
            operation = "refillUpdate(newPeriod: \(new.period), newBudget: \(new.budget))"
            refills = Sporadic.refillUpdate(refills, newPeriod: new.period, newBudget: new.budget, now: now)
            if refills.count == 2 { coverage.updatesSplittingTheBudget += 1 }
          }
          config = new
        }
        operations += 1
        if config.period != 0 && Sporadic.refillFull(refills, refillMax: config.refillMax) { coverage.fullLists += 1 }
        let broken = RefillValidity.activeSCValidRefillsViolations(
          refills, refillMax: config.refillMax, period: config.period, budget: config.budget)
        if let first = broken.first {
          return (operations, "after \(operation): \(first)", coverage)
        }
      }
    }
    return (operations, nil, coverage)
  }

  @Test func randomOperationsKeepTheRefillsValid() {
    let run = Self.campaign(seed: 0x5EED_15, contexts: 250, steps: 60)
    #expect(run.failure == nil)
    #expect(run.operations == 15_000)
    // Each case must occur. Measured with this seed: 731 full lists, 1,509 overruns past the
    // head, 946 budget checks and 1,443 wake-ups that merged, 747 updates splitting the budget.
    #expect(run.coverage.fullLists > 0)
    #expect(run.coverage.overrunsPastTheHead > 0)
    #expect(run.coverage.budgetCheckMerges > 0)
    #expect(run.coverage.unblockMerges > 0)
    #expect(run.coverage.updatesSplittingTheBudget > 0)
  }

  /// `refill_budget_check` with a `merge_nonoverlapping_head_refill` that drops the popped head's
  /// amount instead of adding it.
  static let lossyBudgetCheck: BudgetCheck = { refills, usage, period, refillMax in
    let overrun = Sporadic.handleOverrun(refills, usage: usage, period: period, refillMax: refillMax)
    var charged = Sporadic.refillBudgetCheckPartialCharge(
      overrun.refills, usage: overrun.usage, period: period, refillMax: refillMax)
    while Sporadic.headRefillInsufficient(charged) && charged.count > 1 {
      let head = charged[0]
      charged = [Refill(rTime: charged[1].rTime - head.rAmount, rAmount: charged[1].rAmount)] + charged.dropFirst(2)
    }
    return charged
  }

  @Test func aMergeThatLosesBudgetIsCaught() {
    let run = Self.campaign(seed: 0x5EED_15, contexts: 250, steps: 60, budgetCheck: Self.lossyBudgetCheck)
    // Measured: caught at the 4th operation, a budget check whose merge left 159 of a budget of 173.
    #expect(run.failure?.contains("refills_sum refills = budget") == true)
  }

  /// `active_sc_valid_refills` as a state invariant: every active context of the sample holds
  /// valid refills at boot, and a context given a head below MIN_BUDGET (round robin) or two
  /// overlapping refills (sporadic) is reported under the clause l4v names.
  @Test func theStateInvariantReadsEveryActiveContext() {
    let state = AbstractState(plan: .sample)
    #expect(state.activeSCValidRefills().isEmpty)
    let active = state.kheap.compactMap { address, object -> ObjectRef? in
      if case .schedContext(let sc) = object, sc.refillMax > 0 { return address }
      return nil
    }
    #expect(active.count >= 2, "the sample's idle and configured contexts")
    guard let target = active.min() else { return }
    var starved = state
    starved.updateSchedContext(target) {
      $0.period = 0
      $0.refillMax = 2
      $0.refills = Self.refills([(0, 5), (0, 0)])
    }
    #expect(Set(starved.activeSCValidRefills().map(\.conjunct)) == ["rr_valid_refills"])
    #expect(starved.schedInvariantViolations().contains { $0.invariant == "active_sc_valid_refills" })
    var overlapping = state
    overlapping.updateSchedContext(target) {
      $0.period = 1_000
      $0.budget = 200
      $0.refillMax = 4
      $0.refills = Self.refills([(0, 100), (50, 100)])
    }
    #expect(overlapping.activeSCValidRefills().map(\.conjunct) == ["ordered_disjoint"])
    // An inactive context is not read, whatever it holds.
    var inactive = overlapping
    inactive.updateSchedContext(target) { $0.refillMax = 0 }
    #expect(inactive.activeSCValidRefills().isEmpty)
  }

  /// The ghost `sc_budget` makes the sum clause checkable in the state: `refill_new` and
  /// `refill_update` set it, a budget check does not. A sporadic context of 1,000 ticks every
  /// 10,000 charged 990 ticks (the head left with 10, below MIN_BUDGET, is merged into the used
  /// refill a period later) still sums to its budget; the same charge with a merge that loses the
  /// popped head's amount leaves 990 and breaks `active_sc_valid_refills` at the sum clause alone.
  @Test func aLossyChargeBreaksTheSumClause() {
    var state = AbstractState(plan: .sample)
    let configured = state.kheap.compactMap { address, object -> ObjectRef? in
      if case .schedContext(let sc) = object, sc.refillMax > 0, address != state.idleSC { return address }
      return nil
    }
    guard let target = configured.min() else {
      Issue.record("the sample has no configured scheduling context")
      return
    }
    state.refillNew(target, maxRefills: 4, budget: 1_000, period: 10_000)
    #expect(state.activeSCValidRefills().isEmpty)
    #expect(state.schedContext(at: target)?.budget == 1_000)
    // The real charge: the refills move, the budget stays.
    var charged = state
    charged.updateSchedContext(target) {
      $0.refills = Sporadic.refillBudgetCheck($0.refills, usage: 990, period: $0.period, refillMax: $0.refillMax)
    }
    #expect(charged.schedContext(at: target)?.refills == Self.refills([(9_990, 1_000)]))
    #expect(charged.activeSCValidRefills().isEmpty)
    // The planted loss: the merge drops the popped head's 10 ticks.
    var lossy = state
    lossy.updateSchedContext(target) {
      $0.refills = Self.lossyBudgetCheck($0.refills, 990, $0.period, $0.refillMax)
    }
    #expect(lossy.schedContext(at: target)?.refills == Self.refills([(9_990, 990)]))
    let broken = lossy.activeSCValidRefills()
    #expect(broken.map(\.conjunct) == ["sp_valid_refills"], "\(broken)")
    #expect(broken.allSatisfy { $0.explanation.contains("refills_sum refills = budget") }, "\(broken)")
    #expect(lossy.invariantViolations().map(\.invariant) == ["active_sc_valid_refills"])
  }
}

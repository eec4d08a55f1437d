// Time passing, checked in lockstep: the three layers charge, postpone and release alike (R1, R2
// and every layer's invariants after each step), over fixed time events and a seeded mix of the
// random generator's events with time; a kernel whose refill merge loses budget is caught.
// (docs/time.md; `seL4:src/kernel/sporadic.c` `merge_nonoverlapping_head_refill`.)

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct BudgetLockstepTests {
  /// The sporadic sample's exhaustion and release, and a yield, step by step in lockstep.
  @Test func exhaustionReleaseAndYieldAgreeInLockstep() {
    var checker = LockstepChecker(plan: .sporadicSample)
    #expect(checker.verify() == nil)
    let events: [Event] = [
      .timerTick(ticks: 700), Budget.signal, .timerTick(ticks: 0), Budget.untilTimer, Budget.signal, Budget.untilTimer,
      .timerTick(ticks: 1_000), Budget.yield, Budget.untilTimer, Budget.untilTimer, .timerTick(ticks: 1_990),
      Budget.signal, Budget.untilTimer, Budget.untilTimer,
    ]
    for (i, event) in events.enumerated() {
      let failure = checker.step(event).failure
      #expect(failure == nil, "step \(i) \(event): \(failure.map { "\($0)" } ?? "")")
    }
    #expect(checker.abstract.clock > 2 * Budget.period)
  }

  /// A seeded mix: the random generator's events (every operation built so far) with time
  /// events between them, aimed at the budget's boundaries (the deadline, just before it, the
  /// minimum budget, a period, small amounts). 3,000 events, no failure.
  @Test func aSeededMixOfEventsAndTimeAgreesInLockstep() {
    var checker = LockstepChecker(plan: .sporadicSample)
    var generator = EventGenerator(seed: 0x71AE)
    var rng = SplitMix64(seed: 0x71AE)
    var entries = 0
    for i in 0..<3_000 {
      let event: Event
      if rng.below(3) == 0 {
        let room = checker.abstract.deadline &- checker.abstract.clock
        let choices: [UInt64] = [
          .max, room &- 1, room, TimeConfig.minBudget, TimeConfig.minBudget &+ 1, Budget.period, rng.below(100),
          rng.below(3_000),
        ]
        event = .timerTick(ticks: choices[Int(rng.below(UInt64(choices.count)))])
      } else {
        event = generator.next(for: checker.abstract).1
      }
      let before = checker.abstract.curTime
      let outcome = checker.step(event)
      if checker.abstract.curTime != before { entries += 1 }
      guard outcome.failure == nil else {
        Issue.record("event \(i) \(event): \(outcome.failure.map { "\($0)" } ?? "")")
        return
      }
    }
    // Time really passed and was read by kernel entries.
    #expect(entries > 100)
  }

  /// A kernel whose `merge_nonoverlapping_head_refill` loses the popped amount: the main thread
  /// runs 1,990 of its 2,000 ticks and makes a system call; the 10 ticks left are below
  /// MIN_BUDGET, so the budget check merges them into the refill a period later. The real kernel
  /// agrees with the specs; the planted one keeps 1,990 where 2,000 belong, and R1 sees it.
  @Test func aMergeThatLosesBudgetIsCaught() {
    let events: [Event] = [.timerTick(ticks: 1_990), Budget.signal]
    var real = LockstepChecker(plan: .sporadicSample)
    for event in events { #expect(real.step(event).failure == nil) }
    #expect(
      real.abstract.schedContext(at: S.schedContext)?.refills == [Refill(rTime: 9_990, rAmount: Budget.budget)])

    var kernel = KernelState(plan: .sporadicSample)
    kernel.plantedBug = .mergeLosesBudget
    var planted = LockstepChecker(plan: .sporadicSample, kernel: kernel)
    #expect(planted.step(events[0]).failure == nil)
    let failure = planted.step(events[1]).failure
    #expect(failure?.kind == .r1, "\(failure.map { "\($0)" } ?? "none")")
  }
}

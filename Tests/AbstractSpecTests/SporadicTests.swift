// The abstract spec's refill list (`AbstractSpec/Sporadic.swift`), on lists worked out by hand from
// seL4:src/kernel/sporadic.c.

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

  @Test func maybeAddEmptyTailAddsOnlyForRoundRobin() {
    let one = Self.refills([(12, 25)])
    #expect(Sporadic.maybeAddEmptyTail(one, period: 0) == Self.refills([(12, 25), (12, 0)]))
    #expect(Sporadic.maybeAddEmptyTail(one, period: 50) == one)
    // The empty refill copies the head's time, not the last one's.
    let two = Self.refills([(3, 20), (90, 5)])
    #expect(Sporadic.maybeAddEmptyTail(two, period: 0) == Self.refills([(3, 20), (90, 5), (3, 0)]))
  }
}

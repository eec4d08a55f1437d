// The time configuration (`KernelABI/Time.swift`) against the values docs/time-plan.md §1.7 derives.

import KernelABI
import Testing

@Suite struct TimeConfigTests {
  @Test func minimumBudgetIsTwiceTheKernelWCETInTicks() {
    #expect(TimeConfig.minBudgetMicroseconds == 2)
    #expect(TimeConfig.minBudget == 20)
    #expect(TimeConfig.usToTicks(TimeConfig.minBudgetMicroseconds) == TimeConfig.minBudget)
  }

  @Test func theSeedsControlLoopFitsTheLimits() {
    // Budget 2 µs every 3 µs: both at least MIN_BUDGET_US, both at most MAX_PERIOD_US.
    for microseconds: UInt64 in [2, 3] {
      #expect(microseconds >= TimeConfig.minBudgetMicroseconds)
      #expect(TimeConfig.usToTicks(microseconds) >= TimeConfig.minBudget)
    }
    // The network driver: 25 ms every 100 ms.
    #expect(TimeConfig.usToTicks(UInt64(100_000)) == 1_000_000)
    #expect(UInt64(100_000) <= TimeConfig.maxPeriodMicroseconds)
  }

  @Test func conversionsRoundTripAndRoundDown() {
    #expect(TimeConfig.ticksToUs(TimeConfig.usToTicks(UInt64(123_456))) == 123_456)
    #expect(TimeConfig.ticksToUs(19) == 1)
    #expect(TimeConfig.maxPeriod == 36_000_000_000)
    #expect(TimeConfig.maxReleaseTime == UInt64.max - 180_000_000_000)
    #expect(TimeConfig.maxReleaseTime > 0)
  }
}

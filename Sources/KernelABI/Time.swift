// The time configuration of the modelled MCS kernel: the tick rate, the kernel's worst-case
// execution time and the limits seL4 derives from them (seL4:include/kernel/sporadic.h
// `MIN_BUDGET`, `MIN_BUDGET_US`, `MAX_PERIOD_US`, `MAX_RELEASE_TIME`; seL4:src/arch/arm/
// machine/timer.h and the aarch64 `usToTicks`/`ticksToUs`; l4v-rt `Time.thy` for the one-hour
// maximum period). docs/time-plan.md §1.7 gives the reasons for each value.
//
// The conversions are written once, generic over `MachineWord`, so the code that runs is the code
// `refine-check prove` reasons about.

public import Bitwise

/// seL4's MCS time configuration, as this package builds it.
public enum TimeConfig {
  /// Timer ticks per microsecond: an integer-MHz clock (10 MHz), so that `usToTicks` is a
  /// multiplication and `ticksToUs` a division, as on Arm's generic timer configurations.
  public static let ticksPerMicrosecond: UInt64 = 10
  /// `CONFIG_KERNEL_WCET_SCALE` × the platform's kernel WCET in µs: 1 µs, so that the seed's
  /// control loop (budget 2 µs every 3 µs) is a configuration SchedControl_ConfigureFlags accepts
  /// (qemu-arm-virt's 10 µs would refuse it).
  public static let kernelWCETMicroseconds: UInt64 = 1
  /// `MIN_BUDGET_US` = 2 · WCET: the smallest budget or period ConfigureFlags accepts, in µs.
  public static let minBudgetMicroseconds: UInt64 = 2 * kernelWCETMicroseconds
  /// `MIN_BUDGET` = 2 · usToTicks(WCET): the smallest refill the head may hold, in ticks.
  public static let minBudget: UInt64 = 2 * kernelWCETMicroseconds * ticksPerMicrosecond
  /// `MAX_PERIOD_US` (`CONFIG_KERNEL_STATIC_MAX_PERIOD_US`): one hour, l4v's value.
  public static let maxPeriodMicroseconds: UInt64 = 3_600_000_000
  /// `MAX_PERIOD` in ticks.
  public static let maxPeriod: UInt64 = maxPeriodMicroseconds * ticksPerMicrosecond
  /// `MAX_RELEASE_TIME` = 2^64 − 1 − 5 · MAX_PERIOD: no refill is released after it, so adding a
  /// few periods to a release time never wraps.
  public static let maxReleaseTime: UInt64 = UInt64.max - 5 * maxPeriod

  /// `usToTicks`: microseconds to timer ticks (wraps for µs above 2^64 / 10; callers range-check
  /// against `MAX_PERIOD_US` first, as ConfigureFlags does).
  @inlinable public static func usToTicks<Word: MachineWord>(_ microseconds: Word) -> Word {
    microseconds &* Word(constant: ticksPerMicrosecond)
  }

  /// `getMaxTicksToUs` (seL4:include/arch/arm/arch/64/mode/machine/timer.h): the largest tick
  /// count `ticksToUs` takes without overflowing; with a whole-MHz timer, every count.
  public static let maxTicksToUs: UInt64 = .max

  /// `ticksToUs`: timer ticks to whole microseconds, rounding down.
  @inlinable public static func ticksToUs(_ ticks: UInt64) -> UInt64 {
    ticks / ticksPerMicrosecond
  }
}

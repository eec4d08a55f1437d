// The refill buffer's arithmetic run on `UInt64`, on buffers worked out by hand from
// seL4:src/kernel/sporadic.c and include/kernel/sporadic.h. (Its obligations,
// `Refill+Obligations.swift`, prove the claims for every buffer within a bound; these show the
// executing instantiation does what the C does on particular ones, wrap-around included.)

import KernelABI
import Testing

@Suite struct RefillTests {
  typealias Buffer = RefillBuffer<UInt64>

  /// A buffer of `slots.count` slots given as (rTime, rAmount) pairs.
  static func buffer(max: UInt64, head: UInt64, tail: UInt64, _ slots: [(UInt64, UInt64)]) -> Buffer {
    Buffer(refillMax: max, head: head, tail: tail, slots: slots.map { Refill(rTime: $0.0, rAmount: $0.1) })
  }

  /// A corrupt header (head past `refillMax`, where `refill_next` never wraps) stops the loops
  /// instead of running them for ever: the kernel runs them and must not hang. Without the
  /// `indicesInUse` test, `refillHeadOverlapping` stays true here for about 2^64 rounds.
  @Test func loopsStopOnAHeaderOutsideTheSlotsInUse() {
    var unblock = Self.buffer(max: 2, head: 3, tail: 0, [(0, 100), (50, 100), (60, 100), (70, 100)])
    #expect(!unblock.indicesInUse)
    let ready = unblock.refillUnblockCheck(period: 1_000, now: 200)
    #expect(ready)
    #expect(unblock.head == 3)
    var charge = Self.buffer(max: 2, head: 3, tail: 0, [(0, 10), (50, 10), (60, 10), (70, 10)])
    charge.refillBudgetCheck(usage: 5, period: 1_000)
    #expect(charge.head == 3)
    let valid = Self.buffer(max: 2, head: 0, tail: 1, [(0, 100), (50, 100)])
    #expect(valid.indicesInUse)
  }

  @Test func refillAbsoluteMaxIsWhatFitsAfterTheHeader() {
    // (128 − 96) / 16 and (256 − 96) / 16.
    #expect(Buffer.refillAbsoluteMax(sizeBits: 7) == 2)
    #expect(Buffer.refillAbsoluteMax(sizeBits: 8) == 10)
    #expect(Buffer.refillAbsoluteMax(sizeBits: 10) == 58)
  }

  @Test func refillNextWrapsAtTheLastIndex() {
    let b = Self.buffer(max: 4, head: 0, tail: 0, Array(repeating: (0, 0), count: 4))
    #expect(b.refillNext(0) == 1)
    #expect(b.refillNext(2) == 3)
    #expect(b.refillNext(3) == 0)
  }

  @Test func refillSizeCountsHeadToTailAcrossTheWrap() {
    let slots: [(UInt64, UInt64)] = Array(repeating: (0, 0), count: 4)
    // head ≤ tail: tail − head + 1.
    #expect(Self.buffer(max: 4, head: 1, tail: 2, slots).refillSize == 2)
    // Wrapped: tail + 1 + (max − head) = 0 + 1 + (4 − 3).
    #expect(Self.buffer(max: 4, head: 3, tail: 0, slots).refillSize == 2)
    // Wrapped to full: 1 + 1 + (4 − 2).
    let full = Self.buffer(max: 4, head: 2, tail: 1, slots)
    #expect(full.refillSize == 4)
    #expect(full.refillFull)
    #expect(!full.refillSingle)
    let single = Self.buffer(max: 4, head: 3, tail: 3, slots)
    #expect(single.refillSize == 1)
    #expect(single.refillSingle)
    #expect(!single.refillFull)
  }

  @Test func capacitySufficiencyAndReadinessReadTheHead() {
    // Head at index 1: (100, 50); the other slot is garbage.
    let b = Self.buffer(max: 2, head: 1, tail: 1, [(7, 7), (100, 50)])
    #expect(b.refillCapacity(usage: 20) == 30)
    #expect(b.refillCapacity(usage: 50) == 0)
    #expect(b.refillCapacity(usage: 60) == 0)
    #expect(b.refillSufficient(usage: 20, minBudget: 30))
    #expect(!b.refillSufficient(usage: 21, minBudget: 30))
    #expect(!b.refillReady(now: 99))
    #expect(b.refillReady(now: 100))
  }

  @Test func scheduleUsedMergesIntoATailItTouches() {
    // Tail (100, 50) ends at 150; a used refill from 150 is added to it.
    var b = Self.buffer(max: 3, head: 0, tail: 1, [(0, 40), (100, 50), (9, 9)])
    b.scheduleUsed(Refill(rTime: 150, rAmount: 10))
    #expect(b == Self.buffer(max: 3, head: 0, tail: 1, [(0, 40), (100, 60), (9, 9)]))
  }

  @Test func scheduleUsedAppendsAcrossTheWrap() {
    // Tail at refillMax − 1 = 2, two of three live: the new refill goes to slot 0.
    var b = Self.buffer(max: 3, head: 1, tail: 2, [(9, 9), (0, 40), (100, 50)])
    b.scheduleUsed(Refill(rTime: 500, rAmount: 10))
    #expect(b == Self.buffer(max: 3, head: 1, tail: 0, [(500, 10), (0, 40), (100, 50)]))
    #expect(b.refillFull)
  }

  @Test func scheduleUsedDelaysTheTailOfAFullBuffer() {
    // Full (head 1, tail 0, size 0 + 1 + (3 − 1) = 3); tail (300, 20) ends at 320, before 400:
    // not a merge, no room, so the tail moves to end where the new refill would: (400 − 20, 30).
    var b = Self.buffer(max: 3, head: 1, tail: 0, [(300, 20), (0, 40), (100, 50)])
    #expect(b.refillFull)
    b.scheduleUsed(Refill(rTime: 400, rAmount: 10))
    #expect(b == Self.buffer(max: 3, head: 1, tail: 0, [(380, 30), (0, 40), (100, 50)]))
  }

  @Test func thePartialChargeMovesUsageOnePeriodLater() {
    // A single head (100, 50), period 1000, usage 20: the head becomes (120, 30) and (1100, 20)
    // is appended after it; the sum stays 50.
    var b = Self.buffer(max: 2, head: 0, tail: 0, [(100, 50), (9, 9)])
    b.refillBudgetCheckPartialCharge(usage: 20, period: 1000, maxReleaseTime: 1 << 60)
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(120, 30), (1100, 20)]))
  }

  @Test func thePartialChargeMergesIntoATailThatReachesTheUsedRefill() {
    // Head (100, 50) at slot 1, tail (1050, 50) at slot 0 (wrapped), period 1000: the used part
    // (1100, 20) starts at the tail's end, so it is merged into the tail.
    var b = Self.buffer(max: 2, head: 1, tail: 0, [(1050, 50), (100, 50)])
    b.refillBudgetCheckPartialCharge(usage: 20, period: 1000, maxReleaseTime: 1 << 60)
    #expect(b == Self.buffer(max: 2, head: 1, tail: 0, [(1050, 70), (120, 30)]))
  }

  @Test func thePartialChargeDoesNothingWithoutUsageOrPastTheReleaseLimit() {
    let b = Self.buffer(max: 2, head: 0, tail: 0, [(100, 50), (9, 9)])
    var none = b
    none.refillBudgetCheckPartialCharge(usage: 0, period: 1000, maxReleaseTime: 1 << 60)
    #expect(none == b)
    var late = b
    late.refillBudgetCheckPartialCharge(usage: 20, period: 1000, maxReleaseTime: 100)
    #expect(late == b)
  }

  @Test func refillPopHeadReturnsTheHeadAndStepsPastItAcrossTheWrap() {
    // Head at refillMax − 1 = 2: popping returns (100, 50) and the head wraps to 0.
    var b = Self.buffer(max: 3, head: 2, tail: 0, [(300, 20), (9, 9), (100, 50)])
    #expect(b.refillPopHead() == Refill(rTime: 100, rAmount: 50))
    #expect(b == Self.buffer(max: 3, head: 0, tail: 0, [(300, 20), (9, 9), (100, 50)]))
    #expect(b.refillSingle)
  }

  @Test func refillAddTailWritesTheNextSlotAcrossTheWrap() {
    // Tail at refillMax − 1 = 2: the new refill goes to slot 0, past the wrap.
    var b = Self.buffer(max: 3, head: 1, tail: 2, [(9, 9), (0, 40), (100, 50)])
    b.refillAddTail(Refill(rTime: 500, rAmount: 10))
    #expect(b == Self.buffer(max: 3, head: 1, tail: 0, [(500, 10), (0, 40), (100, 50)]))
    // A buffer using fewer slots than it has wraps at refillMax, not at the slot count.
    var small = Self.buffer(max: 2, head: 0, tail: 1, [(0, 40), (100, 50), (9, 9)])
    small.refillAddTail(Refill(rTime: 500, rAmount: 10))
    #expect(small == Self.buffer(max: 2, head: 0, tail: 0, [(500, 10), (100, 50), (9, 9)]))
  }

  @Test func maybeAddEmptyTailOnlyForRoundRobin() {
    let b = Self.buffer(max: 3, head: 2, tail: 2, [(9, 9), (9, 9), (100, 50)])
    var roundRobin = b
    roundRobin.maybeAddEmptyTail(period: 0)
    #expect(roundRobin == Self.buffer(max: 3, head: 2, tail: 0, [(100, 0), (9, 9), (100, 50)]))
    var sporadic = b
    sporadic.maybeAddEmptyTail(period: 1000)
    #expect(sporadic == b)
  }

  @Test func refillNewRoundRobinHasTheBudgetAndAnEmptyTail() {
    // Garbage everywhere, head and tail anywhere: refill_new(max 2, budget 500, period 0) at 70
    // gives head 0 = (70, 500), tail 1 = (70, 0).
    var b = Self.buffer(max: 4, head: 3, tail: 1, [(1, 1), (2, 2), (3, 3), (4, 4)])
    b.refillNew(refillMax: 2, budget: 500, period: 0, now: 70)
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(70, 500), (70, 0), (3, 3), (4, 4)]))
    #expect(b.refillSize == 2)
  }

  @Test func refillNewSporadicHasOneRefillOfTheBudget() {
    var b = Self.buffer(max: 4, head: 2, tail: 1, [(1, 1), (2, 2), (3, 3), (4, 4)])
    b.refillNew(refillMax: 3, budget: 20, period: 30, now: 1000)
    #expect(b == Self.buffer(max: 3, head: 0, tail: 0, [(1000, 20), (2, 2), (3, 3), (4, 4)]))
    #expect(b.refillSingle)
  }

  @Test func refillUpdateTrimsAReadyHeadToTheNewBudget() {
    // Head (100, 50) at slot 2 (refillMax − 1), ready at 150: it moves to slot 0 starting at 150
    // and is trimmed to the new budget 30; sporadic, so nothing is added.
    let b = Self.buffer(max: 3, head: 2, tail: 0, [(300, 20), (9, 9), (100, 50), (7, 7)])
    var sporadic = b
    sporadic.refillUpdate(newPeriod: 1000, newBudget: 30, newMax: 4, now: 150)
    #expect(sporadic == Self.buffer(max: 4, head: 0, tail: 0, [(150, 30), (9, 9), (100, 50), (7, 7)]))
    // Round robin (new period 0): the empty tail (150, 0) follows.
    var roundRobin = b
    roundRobin.refillUpdate(newPeriod: 0, newBudget: 30, newMax: 2, now: 150)
    #expect(roundRobin == Self.buffer(max: 2, head: 0, tail: 1, [(150, 30), (150, 0), (100, 50), (7, 7)]))
  }

  @Test func refillUpdateExtendsAHeadShortOfTheNewBudgetOnePeriodLater() {
    // Head (200, 50) at slot 1, not ready at 150 so it keeps its start; the new budget 80 exceeds
    // it, so the other 30 come back at 200 + 1000.
    var b = Self.buffer(max: 3, head: 1, tail: 2, [(9, 9), (200, 50), (400, 20)])
    b.refillUpdate(newPeriod: 1000, newBudget: 80, newMax: 3, now: 150)
    #expect(b == Self.buffer(max: 3, head: 0, tail: 1, [(200, 50), (1200, 30), (400, 20)]))
  }

  @Test func chargeEntireHeadRefillMovesASingleRefillOnePeriodLater() {
    var b = Self.buffer(max: 2, head: 1, tail: 1, [(9, 9), (100, 50)])
    #expect(b.headRefillOverrun(usage: 70))
    let left = b.chargeEntireHeadRefill(usage: 70, period: 1000)
    #expect(left == 20)
    #expect(b == Self.buffer(max: 2, head: 1, tail: 1, [(9, 9), (1100, 50)]))
    #expect(!b.headRefillOverrun(usage: 20))
  }

  @Test func headRefillOverrunStopsAtTheReleaseLimit() {
    let late = Self.buffer(max: 2, head: 0, tail: 0, [(TimeConfig.maxReleaseTime, 50), (9, 9)])
    #expect(!late.headRefillOverrun(usage: 70))
    let early = Self.buffer(max: 2, head: 0, tail: 0, [(TimeConfig.maxReleaseTime - 1, 50), (9, 9)])
    #expect(early.headRefillOverrun(usage: 50))
    #expect(!early.headRefillOverrun(usage: 49))
  }

  @Test func handleOverrunChargesSeveralWholeRefillsAcrossTheWrap() {
    // Usage 70 over (100, 30), (200, 30), (300, 40), period 1000: the first two are used whole and
    // come back at 1100 (slot 3) and 1200 (slot 0, past the wrap); 10 is left for the third.
    var b = Self.buffer(max: 4, head: 0, tail: 2, [(100, 30), (200, 30), (300, 40), (9, 9)])
    let left = b.handleOverrun(usage: 70, period: 1000)
    #expect(left == 10)
    #expect(b == Self.buffer(max: 4, head: 2, tail: 0, [(1200, 30), (200, 30), (300, 40), (1100, 30)]))
  }

  @Test func refillBudgetCheckChargesWholeRefillsThenPartOfTheNext() {
    // As above, then the partial charge: the head (300, 40) becomes (310, 30) and (1300, 10) is
    // appended in slot 1. The sum stays 100, the order 310, 1100, 1200, 1300.
    var b = Self.buffer(max: 4, head: 0, tail: 2, [(100, 30), (200, 30), (300, 40), (9, 9)])
    b.refillBudgetCheck(usage: 70, period: 1000)
    #expect(b == Self.buffer(max: 4, head: 2, tail: 1, [(1200, 30), (1300, 10), (310, 30), (1100, 30)]))
  }

  @Test func refillBudgetCheckOnAFullBufferDelaysTheTail() {
    // Full (two of two): the used (1100, 20) cannot be appended, so the tail (500, 50) moves to end
    // where it would, (1050, 70).
    var b = Self.buffer(max: 2, head: 0, tail: 1, [(100, 50), (500, 50)])
    b.refillBudgetCheck(usage: 20, period: 1000)
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(120, 30), (1050, 70)]))
  }

  @Test func refillBudgetCheckMergesAHeadLeftBelowMinBudget() {
    // Usage 35 of (100, 50) leaves (135, 15), below MIN_BUDGET (20 ticks); it is merged into the
    // used (1100, 35), which starts 15 earlier: (1085, 50).
    #expect(TimeConfig.minBudget == 20)
    var b = Self.buffer(max: 3, head: 0, tail: 0, [(100, 50), (9, 9), (9, 9)])
    b.refillBudgetCheck(usage: 35, period: 1000)
    #expect(b == Self.buffer(max: 3, head: 1, tail: 1, [(135, 15), (1085, 50), (9, 9)]))
  }

  @Test func mergeNonoverlappingHeadRefillWrapsAtTheLastIndex() {
    // Head (100, 10) at refillMax − 1 = 2, below MIN_BUDGET: merged into slot 0's (1000, 40).
    var b = Self.buffer(max: 3, head: 2, tail: 0, [(1000, 40), (9, 9), (100, 10)])
    #expect(b.headRefillInsufficient)
    b.mergeNonoverlappingHeadRefill()
    #expect(b == Self.buffer(max: 3, head: 0, tail: 0, [(990, 50), (9, 9), (100, 10)]))
    #expect(!b.headRefillInsufficient)
  }

  @Test func refillUnblockCheckStartsTheHeadNowAndMergesWhatItOverlaps() {
    // Full, wrapped: (100, 30) at slot 1, (140, 40) at 2, (260, 20) at 0. Ready at 200: the head
    // becomes (200, 30), ending 230, overlapping (140, 40): merged to (200, 70) in slot 2, ending
    // 270, overlapping (260, 20): merged to (200, 90) in slot 0, now single.
    var b = Self.buffer(max: 3, head: 1, tail: 0, [(260, 20), (100, 30), (140, 40)])
    let reprogram = b.refillUnblockCheck(period: 1000, now: 200)
    #expect(reprogram)
    #expect(b == Self.buffer(max: 3, head: 0, tail: 0, [(200, 90), (200, 30), (200, 70)]))
  }

  @Test func refillUnblockCheckStopsAtARefillAfterTheHead() {
    var b = Self.buffer(max: 3, head: 0, tail: 1, [(100, 30), (500, 40), (9, 9)])
    let reprogram = b.refillUnblockCheck(period: 1000, now: 200)
    #expect(reprogram)
    #expect(b == Self.buffer(max: 3, head: 0, tail: 1, [(200, 30), (500, 40), (9, 9)]))
  }

  @Test func refillUnblockCheckLeavesRoundRobinAndUnreadyContextsAlone() {
    let b = Self.buffer(max: 3, head: 0, tail: 1, [(100, 30), (120, 40), (9, 9)])
    var notReady = b
    let notReadyReprograms = notReady.refillUnblockCheck(period: 1000, now: 99)
    #expect(!notReadyReprograms)
    #expect(notReady == b)
    var roundRobin = b
    let roundRobinReprograms = roundRobin.refillUnblockCheck(period: 0, now: 200)
    #expect(!roundRobinReprograms)
    #expect(roundRobin == b)
  }

  @Test func roundRobinChargesMoveTimeToTheTailAndBack() {
    // commitTime moves 120 consumed ticks from the head to the tail; chargeBudget returns them.
    var b = Self.buffer(max: 2, head: 0, tail: 1, [(0, 500), (0, 0)])
    b.refillBudgetCheckRoundRobin(consumed: 120)
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(0, 380), (0, 120)]))
    b.refillBudgetCheckRoundRobin(consumed: 80)
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(0, 300), (0, 200)]))
    b.refillResetRR()
    #expect(b == Self.buffer(max: 2, head: 0, tail: 1, [(0, 500), (0, 0)]))
    // Wrapped (head at refillMax − 1): the same on the other slots.
    var w = Self.buffer(max: 2, head: 1, tail: 0, [(0, 0), (0, 500)])
    w.refillBudgetCheckRoundRobin(consumed: 120)
    #expect(w == Self.buffer(max: 2, head: 1, tail: 0, [(0, 120), (0, 380)]))
    w.refillResetRR()
    #expect(w == Self.buffer(max: 2, head: 1, tail: 0, [(0, 0), (0, 500)]))
  }
}

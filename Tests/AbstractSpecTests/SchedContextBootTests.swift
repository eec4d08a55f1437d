// Boot's scheduling contexts in AbstractSpec: a configured one gets the refills `refill_new` makes
// at time 0 (round robin when budget = period, else a sporadic server), the idle one
// `refill_new(MIN_REFILLS, MAX_PERIOD, 0)`, and `cur_sc` is the current thread's. Twins:
// `ExecutableSpecTests/SchedContextBootTests.swift`, `KernelTests/SchedContextBootTests.swift`.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextBootTests {
  let state = AbstractState(plan: .sampleWithSporadicSC)

  @Test func aRoundRobinContextHasItsBudgetAndAnEmptyTail() throws {
    let sc = try #require(state.schedContext(at: S.schedContext))
    #expect(sc.period == 0 && sc.refillMax == 2)
    #expect(sc.refills == [Refill(rTime: 0, rAmount: 10_000), Refill(rTime: 0, rAmount: 0)])
    #expect(sc.consumed == 0 && sc.badge == 0 && !sc.sporadic && sc.yieldFrom == nil)
  }

  @Test func aSporadicContextHasOneRefillOfItsWholeBudget() throws {
    let sc = try #require(state.schedContext(at: S.secondSC))
    #expect(sc.period == 10_000 && sc.refillMax == 4)
    #expect(sc.refills == [Refill(rTime: 0, rAmount: 2_500)])
  }

  @Test func theIdleContextHasMaxPeriodRoundRobin() throws {
    let sc = try #require(state.schedContext(at: KernelConstants.idleSCPtr))
    #expect(sc.period == 0 && sc.refillMax == KernelConstants.minRefills)
    #expect(sc.refills == [Refill(rTime: 0, rAmount: TimeConfig.maxPeriod), Refill(rTime: 0, rAmount: 0)])
  }

  @Test func theCurrentContextIsTheCurrentThreadsAndNoTimeHasPassed() {
    #expect(state.curSC == S.schedContext)
    #expect(state.curTime == 0 && state.consumedTime == 0)
    #expect(AbstractState(plan: .idleSample).curSC == KernelConstants.idleSCPtr)
  }
}

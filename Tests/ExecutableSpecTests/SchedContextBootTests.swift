// Boot's scheduling contexts in the executable spec: the buffer `refillNew` leaves (head, tail,
// refillMax and the slots), round robin and sporadic, the idle one, and `ksCurSC`. Twins:
// `AbstractSpecTests/SchedContextBootTests.swift`, `KernelTests/SchedContextBootTests.swift`.

import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextBootTests {
  let state = ExecState(plan: .sampleWithSporadicSC)

  @Test func aRoundRobinContextHasItsBudgetAndAnEmptyTail() throws {
    let sc = try #require(state.schedContext(at: S.schedContext))
    #expect(sc.scPeriod == 0 && sc.refillMax == 2 && sc.scRefillHead == 0 && sc.scRefillTail == 1)
    #expect(sc.refill(at: 0) == Refill(rTime: 0, rAmount: 10_000) && sc.refill(at: 1) == Refill(rTime: 0, rAmount: 0))
    #expect(sc.refillAbsoluteMax == 10)
    #expect(sc.scConsumed == 0 && sc.scBadge == 0 && !sc.scSporadic && sc.scYieldFrom == nil)
  }

  @Test func aSporadicContextHasOneRefillOfItsWholeBudget() throws {
    let sc = try #require(state.schedContext(at: S.secondSC))
    #expect(sc.scPeriod == 10_000 && sc.refillMax == 4 && sc.scRefillHead == 0 && sc.scRefillTail == 0)
    #expect(sc.scRefills == [Refill(rTime: 0, rAmount: 2_500)])
    // The whole usable buffer has four slots; the refill code loads the window and the slot after it.
    #expect(sc.refillBuffer(atLeast: sc.refillMax).slots.count == 4)
    #expect(sc.refillBuffer.slots.count == 2)
  }

  @Test func theIdleContextHasMaxPeriodRoundRobin() throws {
    let sc = try #require(state.schedContext(at: KernelConstants.idleSCPtr))
    #expect(sc.scPeriod == 0 && sc.refillMax == KernelConstants.minRefills && sc.scRefillTail == 1)
    #expect(sc.refill(at: 0) == Refill(rTime: 0, rAmount: TimeConfig.maxPeriod))
  }

  @Test func theCurrentContextIsTheCurrentThreadsAndNoTimeHasPassed() {
    #expect(state.ksCurSC == S.schedContext)
    #expect(state.ksCurTime == 0 && state.ksConsumed == 0)
    #expect(ExecState(plan: .idleSample).ksCurSC == KernelConstants.idleSCPtr)
  }

  /// The buffer keeps garbage: a slot written and left outside the live window is still there,
  /// and trailing zero slots are not stored (so equal buffers are equal values).
  @Test func theBufferKeepsGarbageAndDropsTrailingZeros() throws {
    var sc = try #require(state.schedContext(at: S.secondSC))
    var buffer = sc.refillBuffer(atLeast: sc.refillMax)
    buffer.slots[2] = Refill(rTime: 7, rAmount: 8)
    sc.setRefillBuffer(buffer)
    #expect(sc.scRefills.count == 3 && sc.refill(at: 2) == Refill(rTime: 7, rAmount: 8))
    buffer.slots[2] = Refill(rTime: 0, rAmount: 0)
    sc.setRefillBuffer(buffer)
    #expect(sc == state.schedContext(at: S.secondSC))
  }
}

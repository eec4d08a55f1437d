// Boot's scheduling contexts in the Kernel: the words `refill_new` leaves at the C layout's
// offsets (`ObjectLayout`: header words, refill i at 96 + 16·i), round robin and sporadic, the
// idle one in the globals frame, and `ksCurSC`; the refill helpers never read or write past the
// object. Twins: `AbstractSpecTests/SchedContextBootTests.swift`,
// `ExecutableSpecTests/SchedContextBootTests.swift`.

import Kernel
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextBootTests {
  let state = KernelState(plan: .sampleWithSporadicSC)

  @Test func aRoundRobinContextHasItsBudgetAndAnEmptyTail() throws {
    let sc = S.schedContext
    #expect(state.scPeriod(of: sc) == 0 && state.scRefillMax(of: sc) == 2)
    #expect(state.scRefillHead(of: sc) == 0 && state.scRefillTail(of: sc) == 1)
    #expect(state.refill(of: sc, at: 0) == Refill(rTime: 0, rAmount: 10_000))
    #expect(state.refill(of: sc, at: 1) == Refill(rTime: 0, rAmount: 0))
    #expect(state.load(sc &+ ObjectLayout.scRefills &+ 8) == 10_000)
    #expect(state.scSporadic(of: sc) == 0 && state.scBadge(of: sc) == 0 && state.scYieldFrom(of: sc) == 0)
  }

  @Test func aSporadicContextHasOneRefillOfItsWholeBudget() throws {
    let buffer = try #require(state.refillBuffer(of: S.secondSC))
    #expect(state.scPeriod(of: S.secondSC) == 10_000)
    // The refill code loads the live window and the slot after it, not all four usable slots.
    #expect(buffer.refillMax == 4 && buffer.head == 0 && buffer.tail == 0 && buffer.slots.count == 2)
    #expect(buffer.slots[0] == Refill(rTime: 0, rAmount: 2_500))
    #expect(state.writtenRefills(of: S.secondSC) == [Refill(rTime: 0, rAmount: 2_500)])
  }

  @Test func theIdleContextHasMaxPeriodRoundRobin() throws {
    let sc = KernelConstants.idleSCPtr
    #expect(state.scPeriod(of: sc) == 0 && state.scRefillMax(of: sc) == KernelConstants.minRefills)
    #expect(state.refill(of: sc, at: 0) == Refill(rTime: 0, rAmount: TimeConfig.maxPeriod))
    #expect(state.scRefillTail(of: sc) == 1)
  }

  @Test func theCurrentContextIsTheCurrentThreadsAndNoTimeHasPassed() {
    #expect(state.ksCurSC == S.schedContext)
    #expect(state.ksCurTime == 0 && state.ksConsumed == 0)
    #expect(KernelState(plan: .idleSample).ksCurSC == KernelConstants.idleSCPtr)
  }

  /// A refill index is checked against the object: the smallest context (2^7 bytes) has two
  /// slots, the idle one's third would be the next object's first word; a non-context has none.
  @Test func refillIndicesStayInsideTheObject() {
    #expect(state.refill(of: KernelConstants.idleSCPtr, at: 1) != nil)
    #expect(state.refill(of: KernelConstants.idleSCPtr, at: 2) == nil)
    #expect(state.refill(of: S.schedContext, at: 9) != nil)
    #expect(state.refill(of: S.schedContext, at: 10) == nil)
    #expect(state.refill(of: S.mainTCB, at: 0) == nil && state.refillBuffer(of: S.mainTCB) == nil)
  }
}

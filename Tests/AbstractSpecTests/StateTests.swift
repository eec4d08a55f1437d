// The initial state built from the sample plan.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct StateTests {

  @Test("the sample plan's caps, objects and current thread arrive in the state")
  func sampleState() {
    let state = AbstractState(plan: .sample)
    #expect(state.getCap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(state.getCap(SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)) == S.rootCap)
    #expect(state.getCap(S.root(200)) == .null)
    #expect(state.currentThread == S.mainTCB)
    #expect(state.tcb(at: S.mainTCB)?.state == .running)
    #expect(state.kheap.count == 7)
  }
}

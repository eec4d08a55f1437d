// Finalisation: isFinalCapability by list neighbours, recursive deletion of CNode and TCB
// contents, and an object holding the only cap to itself.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct DeleteTests {
  @Test func finalityIsDecidedByListNeighbours() {
    let state = ExecState.sample
    #expect(state.isFinalCapability(S.root(3)) == false)  // next: aux 0, the same endpoint
    #expect(state.isFinalCapability(S.root(14)) == false)  // prev: aux 0
    #expect(state.isFinalCapability(S.root(5)) == true)
    #expect(state.isFinalCapability(S.root(10)) == true)  // untyped caps name no object
  }

  @Test func destroyingATCBDeletesTheCapsInItsSlots() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .tcb, offset: 20)))
    let tcb = S.bigUntyped
    state.cteInsert(
      .endpoint(S.endpoint, badge: 0, rights: .all), from: S.root(3), to: SlotRef(tcb, TCBSlot.faultHandler.rawValue))
    state.cteInsert(S.auxCap, from: S.root(13), to: SlotRef(tcb, TCBSlot.cspace.rawValue))
    #expect(state.invariantViolations() == [])
    expectSuccess(state.run(cnodeDelete(.root(20))))
    #expect(state.ksPSpace[tcb] == nil)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.aux(0))
    #expect(state.cte(at: S.root(13))?.mdb.next == S.aux(3))
    #expect(state.ksPSpace[S.endpoint] == .endpoint(.idleEP))
    #expect(state.ksPSpace[S.auxCNode] != nil)
  }

  @Test func aCNodeHoldingTheOnlyCapToItselfIsDestroyedByRevoke() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .capTable, sizeBits: 2, offset: 20)))
    let node = S.bigUntyped
    // New CNode slot j is (index 20 << 2 | j, depth 58) through the root CNode cap.
    expectSuccess(state.run(cnodeCopy(Address(index: 20 << 2 | 1, depth: 58), from: .root(20), rights: [])))
    expectSuccess(state.run(cnodeCopy(Address(index: 20 << 2 | 2, depth: 58), from: .root(3))))
    #expect(state.getCap(SlotRef(node, 1)) == .cnode(node, radix: 2, guardSize: 0, guard: 0))
    // Not final: the copy inside the CNode names it too, so the CNode lives on (unreachable).
    expectSuccess(state.run(cnodeDelete(.root(20))))
    #expect(state.ksPSpace[node] != nil)
    // Revoking the untyped reaches the inner copy, which is final: the CNode and its EP copy go.
    expectSuccess(state.run(cnodeRevoke(.root(11))))
    #expect(state.ksPSpace[node] == nil)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.aux(0))
    #expect(state.cte(at: S.root(11))?.mdb.next == nil)
  }

  @Test func revokeStopsWhenTheRevokedSlotDisappears() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .capTable, sizeBits: 2, offset: 20)))
    let node = S.bigUntyped
    // Move the untyped's cap into the CNode it made; revoking it there destroys its own container.
    expectSuccess(state.run(cnodeMove(Address(index: 20 << 2 | 0, depth: 58), from: .root(11))))
    let untypedSlot = SlotRef(node, 0)
    #expect(state.getCap(untypedSlot).isUntyped)
    state.cteRevoke(untypedSlot)
    #expect(state.choiceLog == [.revokeOrder(revoked: untypedSlot, deleted: [S.root(20)])])
    #expect(state.ksPSpace[node] == nil)
    #expect(state.invariantViolations() == [])
  }
}

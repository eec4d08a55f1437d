// CNode invocations: every method and the MDB list after. Which error each check gives, in which
// order (§6), is one table for all layers: RefinementTests/ErrorOrderTests.swift.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct CNodeCopyMintTests {
  @Test func copyInsertsRightAfterTheSourceAsAChild() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeCopy(.root(20), from: .root(3), rights: [.write, .read])))
    #expect(state.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.write, .read]))
    #expect(
      state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(3), next: S.aux(0), revocable: false, firstBadged: false))
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(20))
    #expect(state.cte(at: S.aux(0))?.mdb.prev == S.root(20))
    #expect(state.derivedParents()[S.root(20)] == S.root(3))
    #expect(state.derivedParents()[S.aux(0)] == S.root(3))
  }

  @Test func copyOfABadgedCapIsItsChild() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeCopy(.root(20), from: .aux(0))))
    #expect(state.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]))
    #expect(state.derivedParents()[S.root(20)] == S.aux(0))
    #expect(state.list(from: S.aux(0)).prefix(3) == [S.aux(0), S.root(20), S.root(14)])
  }

  @Test func mintWithABadgeRootsANewSubtree() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeMint(.root(20), from: .root(3), data: 7)))
    #expect(state.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 7, rights: .all))
    #expect(
      state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(3), next: S.aux(0), revocable: true, firstBadged: true))
    // The badge-5 subtree after it is not swallowed.
    #expect(state.descendantsOf(S.root(20)) == [])
    #expect(state.derivedParents()[S.aux(0)] == S.root(3))
  }

  @Test func mintOfACNodeCapSetsItsGuard() {
    var state = ExecState.sample
    // guard 0 of size 4: word = guard << 6 | guardSize
    expectSuccess(state.run(cnodeMint(.root(20), from: .root(13), rights: [], data: 2 << 6 | 4)))
    #expect(state.getCap(S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 2))
    #expect(state.cte(at: S.root(20))?.mdb.revocable == false)
  }

  @Test func copyOfAnUntypedMarksTheSourceFull() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeCopy(.root(30), from: .root(10))))
    #expect(
      state.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(state.getCap(S.root(30)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(state.cte(at: S.root(30))?.mdb.revocable == true)
    #expect(state.descendantsOf(S.root(10)) == [S.root(30)])
  }
}

@Suite struct CNodeMoveTests {
  @Test func moveCarriesCapAndNode() {
    var state = ExecState.sample
    let node = state.cte(at: S.aux(0))?.mdb
    expectSuccess(state.run(cnodeMove(.root(20), from: .aux(0))))
    #expect(state.getCap(S.aux(0)) == .null)
    #expect(state.cte(at: S.aux(0))?.mdb == .null)
    #expect(state.cte(at: S.root(20))?.mdb == node)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(20))
    #expect(state.cte(at: S.root(14))?.mdb.prev == S.root(20))
    #expect(state.derivedParents()[S.root(14)] == S.root(20))
  }

  @Test func mutateChangesTheGuardAndMoves() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeMutate(.root(20), from: .root(13), data: 1 << 6 | 2)))
    #expect(state.getCap(S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 2, guard: 1))
    #expect(state.getCap(S.root(13)) == .null)
  }

}

@Suite struct CNodeRotateTests {
  @Test func rotateMovesPivotToDestAndSourceToPivot() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeRotate(.root(20), pivot: .root(5), src: .root(6))))
    #expect(state.getCap(S.root(20)) == .reply(S.reply, canGrant: true))
    #expect(state.getCap(S.root(5)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(state.getCap(S.root(6)) == .null)
    // Each cap took its MDB node along: both are roots of chains of their own.
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
    #expect(state.cte(at: S.root(6)) == .null)
  }

  @Test func rotateWithSourceAsDestSwaps() {
    var state = ExecState.sample
    // Give the reply cap a child, so that its node has a neighbour.
    expectSuccess(state.run(cnodeCopy(.root(20), from: .root(5))))
    expectSuccess(state.run(cnodeRotate(.root(5), pivot: .root(6), src: .root(5))))
    #expect(state.getCap(S.root(5)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(state.getCap(S.root(6)) == .reply(S.reply, canGrant: true))
    // The nodes swap positions along with their caps.
    #expect(state.list(from: S.root(6)) == [S.root(6), S.root(20)])
    #expect(state.cte(at: S.root(5))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
  }

}

@Suite struct CNodeDeleteRevokeTests {
  @Test func deleteOfAnEmptySlotSucceeds() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeDelete(.root(20))))
    expectSuccess(state.run(cnodeRevoke(.root(20))))
    #expect(state == ExecState.sample)
  }

  @Test func deleteUnlinksAndTheNextInheritsFirstBadged() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeDelete(.aux(0))))
    #expect(state.getCap(S.aux(0)) == .null)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(14))
    #expect(state.cte(at: S.root(14))?.mdb == MDBNode(prev: S.root(3), next: nil, revocable: false, firstBadged: true))
    // Not final (root 3 names the same endpoint): the endpoint lives on.
    #expect(state.ksPSpace[S.endpoint] == .endpoint(.idleEP))
  }

  @Test func deletingTheFinalCapDestroysTheObject() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeDelete(.root(5))))
    #expect(state.ksPSpace[S.reply] == nil)
    expectSuccess(state.run(cnodeDelete(.root(6))))
    #expect(state.ksPSpace[S.schedContext] == nil)
    #expect(state.cte(at: S.root(6)) == .null)
  }

  @Test func deletingTheLastCNodeCapDeletesItsContents() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeDelete(.aux(3))))
    #expect(state.ksPSpace[S.auxCNode] != nil)
    expectSuccess(state.run(cnodeDelete(.root(13))))
    #expect(state.ksPSpace[S.auxCNode] == nil)
    // Its caps are gone from the list; the objects they named still have other caps.
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(14))
    #expect(state.cte(at: S.root(14))?.mdb.firstBadged == true)
    #expect(state.ksPSpace[S.endpoint] == .endpoint(.idleEP))
    #expect(state.list(from: S.root(2)) == [S.root(2), SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)])
  }

  @Test func deletingTheCurrentThreadsTCBStopsIt() {
    var state = ExecState.sample
    let observation = state.run(cnodeDelete(.root(1)))
    #expect(observation == Observation(caller: S.mainTCB, current: nil))
    #expect(state.ksPSpace[S.mainTCB] == nil)
    #expect(state.ksCurThread == KernelConstants.idleThreadPtr)
    #expect(state.cte(at: S.aux(2))?.mdb.next == nil)
  }

  @Test func revokeDeletesExactlyTheSubtree() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeRevoke(.root(3))))
    #expect(state.getCap(S.aux(0)) == .null)
    #expect(state.getCap(S.root(14)) == .null)
    #expect(state.cte(at: S.root(3))?.mdb.next == nil)
    #expect(state.list(from: S.root(4)) == [S.root(4), S.root(15), S.aux(1)])
    #expect(state.ksPSpace[S.endpoint] == .endpoint(.idleEP))
    #expect(state.getCap(S.root(4)) != .null)
  }

  @Test func revokeOfABadgedCapKeepsItsSiblings() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeMint(.root(20), from: .root(3), data: 9)))
    expectSuccess(state.run(cnodeCopy(.root(21), from: .root(20))))
    #expect(state.cte(at: S.root(3)).map { $0.mdb.next } == S.root(20))
    expectSuccess(state.run(cnodeRevoke(.root(20))))
    #expect(state.getCap(S.root(21)) == .null)
    #expect(state.getCap(S.aux(0)) != .null)
    #expect(state.getCap(S.root(14)) != .null)
  }

  @Test func cancelBadgedSendsWithNoSenderQueuedChangesNothing() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeCancelBadgedSends(.root(3))))
    expectSuccess(state.run(cnodeMint(.root(20), from: .root(3), data: 9)))
    let before = state
    expectSuccess(state.run(cnodeCancelBadgedSends(.root(20))))
    #expect(state == before)
  }
}

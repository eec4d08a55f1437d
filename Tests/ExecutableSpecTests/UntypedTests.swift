// Untyped_Retype: placement and free index, reset, insertion order in the MDB list, and a revoke
// of a large tree. Its checks and their order (§7) are one table for all layers:
// RefinementTests/ErrorOrderTests.swift.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct UntypedRetypeTests {
  @Test func retypeOneEndpoint() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .endpoint, offset: 20)))
    #expect(state.getCap(S.root(20)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.ksPSpace[S.smallUntyped] == .endpoint(.idleEP))
    #expect(state.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(10), next: nil, revocable: true, firstBadged: true))
  }

  @Test func newCapsGoRightAfterTheUntypedLastCreatedFirst() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .notification, offset: 20, count: 3)))
    #expect(state.list(from: S.root(10)) == [S.root(10), S.root(22), S.root(21), S.root(20)])
    for i: UInt64 in 0..<3 {
      #expect(
        state.getCap(S.root(20 + i)) == .notification(S.smallUntyped + i * 64, badge: 0, rights: [.read, .write]))
    }
    #expect(Set(state.descendantsOf(S.root(10))) == [S.root(20), S.root(21), S.root(22)])
  }

  @Test func everyObjectTypeGetsItsCap() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .tcb, offset: 20)))
    expectSuccess(state.run(retype(11, .capTable, sizeBits: 3, offset: 21)))
    expectSuccess(state.run(retype(11, .schedContext, sizeBits: 8, offset: 22)))
    expectSuccess(state.run(retype(11, .reply, offset: 23)))
    expectSuccess(state.run(retype(11, .untyped, sizeBits: 12, offset: 24)))
    let b = S.bigUntyped
    #expect(state.getCap(S.root(20)) == .thread(b))
    #expect(state.tcb(at: b) == .fresh)
    #expect(state.getCap(S.root(21)) == .cnode(b + 0x800, radix: 3, guardSize: 0, guard: 0))
    #expect(state.ksPSpace[b + 0x800] == .cnode(CNode(radix: 3)))
    #expect(state.getCap(S.root(22)) == .schedContext(b + 0x900, sizeBits: 8))
    #expect(state.getCap(S.root(23)) == .reply(b + 0xA00, canGrant: true))
    #expect(state.getCap(S.root(24)) == .untyped(base: b + 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0))
    #expect(state.getCap(S.root(11)) == .untyped(base: b, sizeBits: 20, isDevice: false, freeIndex: 0x2000))
    // An untyped child can itself be retyped.
    expectSuccess(state.run(retype(24, .endpoint, offset: 25)))
    #expect(state.getCap(S.root(25)) == .endpoint(b + 0x1000, badge: 0, rights: .all))
  }

  @Test func placementAlignsTheFreePointer() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .endpoint, offset: 20)))
    expectSuccess(state.run(retype(10, .tcb, offset: 21, count: 2)))
    #expect(state.getCap(S.root(21)) == .thread(S.smallUntyped + 0x800))
    #expect(state.getCap(S.root(22)) == .thread(S.smallUntyped + 0x1000))
    #expect(
      state.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x1800))
  }

  @Test func anUntypedWithoutChildrenIsResetFirst() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .tcb, offset: 20)))
    expectSuccess(state.run(cnodeDelete(.root(20))))
    #expect(state.ksPSpace[S.smallUntyped] == nil)
    #expect(
      state.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x800))
    expectSuccess(state.run(retype(10, .endpoint, offset: 21)))
    #expect(state.getCap(S.root(21)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
  }

  @Test func depthZeroUsesTheRootCapItself() {
    var state = ExecState.sample
    // The extra cap is the aux CNode cap (aux slot 3); depth 0 puts the objects in the aux CNode.
    expectSuccess(state.run(retype(10, .endpoint, offset: 5, count: 2, root: S.cptr(aux: 3))))
    #expect(state.getCap(S.aux(5)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.getCap(S.aux(6)) == .endpoint(S.smallUntyped + 16, badge: 0, rights: .all))
    // A non-zero depth names the destination CNode cap through the root: root slot 13, depth 56.
    expectSuccess(state.run(retype(10, .endpoint, nodeIndex: 13, nodeDepth: 56, offset: 7)))
    #expect(state.getCap(S.aux(7)) == .endpoint(S.smallUntyped + 32, badge: 0, rights: .all))
  }

  @Test func aChildUntypedPlacesFromItsOwnFreeIndex() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .endpoint, offset: 20)))
    // A 4 KiB child untyped: after an endpoint, an aligned TCB still fits.
    expectSuccess(state.run(retype(10, .untyped, sizeBits: 12, offset: 21)))
    #expect(
      state.getCap(S.root(21)) == .untyped(base: S.smallUntyped + 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0))
    expectSuccess(state.run(retype(21, .endpoint, offset: 22)))
    expectSuccess(state.run(retype(21, .tcb, offset: 23)))
    #expect(state.getCap(S.root(23)) == .thread(S.smallUntyped + 0x1800))
  }

  @Test func deviceUntypedsMakeOnlyUntypeds() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(12, .untyped, sizeBits: 8, offset: 20)))
    #expect(state.getCap(S.root(20)) == .untyped(base: S.deviceUntyped, sizeBits: 8, isDevice: true, freeIndex: 0))
  }

  @Test func revokeOfALargeTree() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .endpoint, offset: 30, count: 200)))
    #expect(state.descendantsOf(S.root(11)).count == 200)
    #expect(
      state.getCap(S.root(11)) == .untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 200 * 16))
    expectSuccess(state.run(cnodeRevoke(.root(11))))
    #expect(state.descendantsOf(S.root(11)) == [])
    #expect(state.cte(at: S.root(11))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
    #expect((30..<230).allSatisfy { state.getCap(S.root($0)) == .null })
    #expect(state.ksPSpace.keys.allSatisfy { $0 < S.bigUntyped || $0 >= S.bigUntyped + (1 << 20) })
    expectSuccess(state.run(retype(11, .endpoint, offset: 30)))
    #expect(state.getCap(S.root(30)) == .endpoint(S.bigUntyped, badge: 0, rights: .all))
  }

  @Test func revokeReturnsTheDeletedSlotsInListOrder() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .reply, offset: 20, count: 3)))
    state.cteRevoke(S.root(10))
    #expect(state.choiceLog == [.revokeOrder(revoked: S.root(10), deleted: [S.root(22), S.root(21), S.root(20)])])
    #expect(state.invariantViolations() == [])
  }
}

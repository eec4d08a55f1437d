// Deletion: the final cap takes its object with it, CNodes and TCBs empty themselves recursively,
// the current thread stops when its TCB goes, and the tree closes over deleted slots.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct DeleteTests {
  @Test("isFinalCapability: the only cap to an object is final; an untyped cap never is")
  func finality() {
    let state = AbstractState(plan: .oneThread)
    #expect(state.isFinalCapability(S.root(1)))
    #expect(state.isFinalCapability(S.root(6)))
    #expect(!state.isFinalCapability(S.root(3)))
    #expect(!state.isFinalCapability(S.root(13)))
    #expect(!state.isFinalCapability(S.root(10)))
  }

  @Test("deleting the last cap to a CNode empties it: its caps are deleted, their children re-parented")
  func lastCNodeCap() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeDelete(.aux(3))) == .success)
    #expect(k.kheap[S.auxCNode] != nil)
    // The call goes through aux slot 2, which this very delete removes; the caller still gets its answer.
    #expect(k.answer(cnodeDelete(.root(13))) == .success)
    #expect(k.kheap[S.auxCNode] == nil)
    #expect(k.cdt[S.root(14)] == S.root(3))
    #expect(!k.cdt.keys.contains { $0.container == S.auxCNode })
    #expect(!k.isOriginalCap.contains { $0.container == S.auxCNode })
    #expect(k.kheap[S.endpoint] == .endpoint(Endpoint()) && k.notification(at: S.notification) != nil)
    #expect(k.answer(cnodeDelete(.root(14))) == .error(.invalidCapability(index: 0)))
  }

  @Test("a tree of CNodes is destroyed recursively, down to the endpoint at the bottom")
  func recursiveDestruction() {
    var k = AbstractState.sample
    let a = S.bigUntyped
    let b = S.bigUntyped + 0x200
    let ep = S.smallUntyped
    #expect(k.answer(retype(11, .capTable, sizeBits: 4, offset: 20)) == .success)
    #expect(k.answer(retype(11, .capTable, sizeBits: 4, nodeIndex: 20, nodeDepth: 56, offset: 0)) == .success)
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20 << 4, nodeDepth: 60, offset: 0)) == .success)
    #expect(k.getCap(SlotRef(a, 0)) == .cnode(b, radix: 4, guardSize: 0, guard: 0))
    #expect(k.getCap(SlotRef(b, 0)) == .endpoint(ep, badge: 0, rights: .all))
    #expect(k.answer(cnodeDelete(.root(20))) == .success)
    #expect(k.kheap[a] == nil && k.kheap[b] == nil && k.kheap[ep] == nil)
    #expect(!k.hasChildren(S.root(10)) && !k.hasChildren(S.root(11)))
  }

  @Test("deleting the current thread's last TCB cap stops it: no reply, current nil")
  func deleteCurrentThread() {
    var k = AbstractState.sample
    let observation = k.run(cnodeDelete(.root(1)))
    #expect(observation == Observation(caller: S.mainTCB, current: nil))
    #expect(k.currentThread == KernelConstants.idleThreadPtr)
    #expect(k.kheap[S.mainTCB] == nil)
    #expect(k.cdt[mainSlot(.cspace)] == nil)
    #expect(k.getCap(S.root(2)) == S.rootCap)
    // With no thread running, a syscall does nothing.
    #expect(k.run(cnodeDelete(.root(3))) == Observation(caller: nil, current: nil))
  }

  @Test("a TCB that is not current is destroyed with its slots when its last cap goes")
  func deleteOtherThread() {
    var k = AbstractState.sample
    #expect(k.answer(retype(11, .tcb, offset: 20)) == .success)
    #expect(k.answer(cnodeCopy(.root(21), from: .root(3))) == .success)
    k.setCap(SlotRef(S.bigUntyped, TCBSlot.faultHandler.rawValue), .endpoint(S.endpoint, badge: 0, rights: .all))
    k.cdt[SlotRef(S.bigUntyped, TCBSlot.faultHandler.rawValue)] = S.root(3)
    #expect(k.answer(cnodeDelete(.root(20))) == .success)
    #expect(k.kheap[S.bigUntyped] == nil)
    #expect(k.childrenOf(S.root(3)) == [S.root(21), S.aux(0)])
    #expect(k.currentThread == S.mainTCB)
  }

  @Test("deleting an untyped cap with children leaves the children and their objects")
  func deleteUntypedWithChildren() {
    var k = AbstractState.sample
    #expect(k.answer(retype(10, .endpoint, offset: 20)) == .success)
    #expect(k.answer(cnodeDelete(.root(10))) == .success)
    #expect(k.getCap(S.root(20)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(k.cdt[S.root(20)] == nil)
    #expect(k.kheap[S.smallUntyped] == .endpoint(Endpoint()))
  }

  @Test("revoke deletes grandchildren too and only the revoked cap's subtree")
  func revokeSubtree() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeMint(.root(20), from: .root(3), data: 9)) == .success)
    #expect(k.answer(cnodeCopy(.root(21), from: .root(20))) == .success)
    #expect(k.answer(cnodeCopy(.root(22), from: .root(21))) == .success)
    #expect(k.descendantsOf(S.root(20)) == [S.root(21), S.root(22)])
    #expect(k.answer(cnodeRevoke(.root(20))) == .success)
    #expect(k.getCap(S.root(21)) == .null && k.getCap(S.root(22)) == .null)
    #expect(k.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 9, rights: .all))
    #expect(k.getCap(S.aux(0)) == .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]))
  }
}

@Suite struct RevokeWitnessTests {
  /// A state where root slot 10's untyped has a tree below it: a CNode holding endpoints, and
  /// copies of those endpoints in the root CNode.
  func tree() -> AbstractState {
    var k = AbstractState.sample
    #expect(k.answer(retype(10, .capTable, sizeBits: 4, offset: 20)) == .success)
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 5)) == .success)
    for i: UInt64 in 0..<3 {
      #expect(k.answer(cnodeCopy(.root(21 + i), from: Address(index: 20 << 4 | i, depth: 60))) == .success)
    }
    return k
  }

  @Test("every deletion order a witness may give reaches the same state as the default order")
  func orderDoesNotMatter() {
    var byDefault = tree()
    byDefault.cteRevoke(S.root(10))
    let descendants = tree().descendantsOf(S.root(10)).sorted()
    #expect(descendants.count == 9)
    var rng = SplitMix64(seed: 0x5E14)
    for _ in 0..<20 {
      var state = tree()
      var order = descendants
      order.shuffle(using: &rng)
      // A slot destroyed along with its CNode is no longer a descendant: skip it, as a lower layer would.
      var witness: [SlotRef] = []
      var probe = state
      for slot in order where probe.descendantsOf(S.root(10)).contains(slot) {
        probe.cteDelete(slot)
        witness.append(slot)
      }
      let allowed = state.cteRevoke(S.root(10), witness: witness)
      #expect(allowed && state == byDefault)
    }
    #expect(byDefault.invariantViolations() == [])
  }

  @Test("a witness naming a non-descendant, or stopping early, is refused and changes nothing")
  func badWitness() {
    var state = tree()
    let before = state
    let foreign = state.cteRevoke(S.root(10), witness: [S.root(3)])
    let partial = state.cteRevoke(S.root(10), witness: [S.root(21)])
    #expect(!foreign && !partial && state == before)
  }
}

/// Revoke's choice of the next descendant (`select_ext`) is not free of consequences when a
/// descendant's deletion destroys the CNode that holds the revoked cap itself: `cap_revoke` stops
/// there, and which descendants survive depends on the order. A chooser (the lower layer's order)
/// must therefore reach the spec through `step`.
@Suite struct RevokeChoiceTests {
  /// Three CNodes retyped into aux slots 5, 6, 7; the untyped moved into the CNode in aux slot 6.
  func setUp() -> AbstractState {
    var k = AbstractState.sample
    #expect(k.answer(retype(10, .capTable, sizeBits: 5, nodeIndex: 13, nodeDepth: 56, offset: 5, count: 3)) == .success)
    // CNode j of the three is at smallUntyped + j·2^10; slot 30 of the middle one, through aux slot 6.
    let middle = S.smallUntyped + 0x400
    let move = invoke(S.cptr(aux: 6), .cnodeMove, [30, 5, 10, 56], caps: [rootCNodeCptr])
    #expect(k.answer(move) == .success)
    #expect(k.getCap(SlotRef(middle, 30)) != .null)
    return k
  }

  @Test func aChooserDecidesWhichDescendantsSurviveTheRevokedSlotsDestruction() {
    let middle = S.smallUntyped + 0x400
    let revoke = invoke(S.cptr(aux: 6), .cnodeRevoke, [30, 5])
    // seL4's order (the MDB list: last created first): aux 7, then aux 6, whose CNode holds the
    // revoked cap; the revoke ends there and aux 5 survives.
    var k = setUp()
    var choices = AbstractChoices(following: [
      .revokeOrder(revoked: SlotRef(middle, 30), deleted: [S.aux(7), S.aux(6)])
    ])
    _ = k.step(revoke, choices: &choices)
    #expect(choices.refused == [])
    #expect(k.getCap(S.aux(7)) == .null && k.getCap(S.aux(6)) == .null)
    #expect(k.getCap(S.aux(5)) != .null)
    #expect(k.kheap[middle] == nil)
    #expect(k.invariantViolations() == [])
    // The spec's own order (smallest child first) keeps aux 7 instead.
    var own = setUp()
    _ = own.step(revoke)
    #expect(own.getCap(S.aux(5)) == .null && own.getCap(S.aux(7)) != .null)
  }

  @Test func aWitnessTheSpecDoesNotAllowIsRefused() {
    var k = setUp()
    let revoke = invoke(S.cptr(aux: 6), .cnodeRevoke, [30, 5])
    let revoked = SlotRef(S.smallUntyped + 0x400, 30)
    var choices = AbstractChoices(following: [.revokeOrder(revoked: revoked, deleted: [S.root(3)])])
    _ = k.step(revoke, choices: &choices)
    #expect(choices.refused.count == 1)
  }
}

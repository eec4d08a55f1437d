// The CNode methods through Call: the sel4test CNODEOP behaviours (copy, mint, move, mutate,
// rotate, delete, revoke) and the derivation tree after each. Which error each check gives, in
// which order, is one table for all layers: RefinementTests/ErrorOrderTests.swift.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct CNodeDecodeTests {

  @Test("CancelBadgedSends with badge 0 is a no-op; with no thread queued a badge changes nothing")
  func cancelBadgedSends() {
    var k = AbstractState.sample
    let before = k
    #expect(k.answer(cnodeCancelBadgedSends(.root(3))) == .success)
    #expect(k.answer(cnodeMint(.root(20), from: .root(3), data: 42)) == .success)
    let minted = k
    #expect(k.answer(cnodeCancelBadgedSends(.root(20))) == .success)
    #expect(k == minted && before != minted)
  }
}

@Suite struct CNodeOperationTests {
  @Test("CNODEOP Copy: fewer rights, not original, a child of the original source")
  func copy() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeCopy(.root(20), from: .root(3), rights: [.read])) == .success)
    #expect(k.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.read]))
    #expect(!k.isOriginalCap.contains(S.root(20)))
    #expect(k.cdt[S.root(20)] == S.root(3))
    // A copy of a copy is its sibling: the copy is not original.
    #expect(k.answer(cnodeCopy(.root(21), from: .root(20))) == .success)
    #expect(k.cdt[S.root(21)] == S.root(3))
    // A copy of the badged original is its child.
    #expect(k.answer(cnodeCopy(.aux(5), from: .aux(0))) == .success)
    #expect(k.cdt[S.aux(5)] == S.aux(0))
  }

  @Test("copying a whole untyped makes the copy an original child and marks the source full")
  func copyUntyped() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeCopy(.root(20), from: .root(10))) == .success)
    #expect(k.getCap(S.root(20)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(k.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(k.isOriginalCap.contains(S.root(20)) && k.cdt[S.root(20)] == S.root(10))
    #expect(k.answer(retype(20, .endpoint, offset: 30)) == .success)
  }

  @Test("CNODEOP Mint: a badge makes an original child; badge 0 an ordinary copy; a guard for CNode caps")
  func mint() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeMint(.root(20), from: .root(3), rights: [.write, .grant], data: 7)) == .success)
    #expect(k.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 7, rights: [.write, .grant]))
    #expect(k.isOriginalCap.contains(S.root(20)) && k.cdt[S.root(20)] == S.root(3))
    #expect(k.answer(cnodeMint(.root(21), from: .root(3), data: 0)) == .success)
    #expect(!k.isOriginalCap.contains(S.root(21)) && k.cdt[S.root(21)] == S.root(3))
    #expect(k.answer(cnodeMint(.root(22), from: .root(2), data: 0x5 << 6 | 40)) == .success)
    #expect(k.getCap(S.root(22)) == .cnode(S.rootCNode, radix: 8, guardSize: 40, guard: 5))
    // A minted notification keeps only Write and Read.
    #expect(k.answer(cnodeMint(.root(23), from: .root(4), data: 1)) == .success)
    #expect(k.getCap(S.root(23)) == .notification(S.notification, badge: 1, rights: [.read, .write]))
  }

  @Test("CNODEOP Move: the slot's place in the tree moves with the cap")
  func move() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeMove(.root(20), from: .root(3))) == .success)
    #expect(k.getCap(S.root(3)) == .null)
    #expect(k.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(k.isOriginalCap.contains(S.root(20)) && !k.isOriginalCap.contains(S.root(3)))
    #expect(k.cdt[S.aux(0)] == S.root(20))
    // A non-original copy keeps its parent.
    #expect(k.answer(cnodeMove(.aux(7), from: .root(14))) == .success)
    #expect(k.cdt[S.aux(7)] == S.aux(0) && k.cdt[S.root(14)] == nil)
  }

  @Test("CNODEOP Mutate: a CNode cap moves with a new guard; a thread cap moves unchanged")
  func mutate() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeMutate(.root(20), from: .root(2), data: 0x3 << 6 | 40)) == .success)
    #expect(k.getCap(S.root(20)) == .cnode(S.rootCNode, radix: 8, guardSize: 40, guard: 3))
    #expect(k.getCap(S.root(2)) == .null)
    #expect(k.answer(cnodeMutate(.root(21), from: .root(1), data: 99)) == .success)
    #expect(k.getCap(S.root(21)) == .thread(S.mainTCB))
    // (The invoked cptr reached the root CNode through root slot 13: ErrorOrderTests shows it now names Null.)
    #expect(k.answer(cnodeMutate(.root(22), from: .root(13), data: 4)) == .success)
    #expect(k.getCap(S.root(22)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0))
  }

  @Test("CNODEOP Rotate: pivot to destination, source to pivot; onto the source it is a swap")
  func rotate() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeRotate(.root(20), pivot: .root(1), src: .root(6))) == .success)
    #expect(k.getCap(S.root(20)) == .thread(S.mainTCB))
    #expect(k.getCap(S.root(1)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(k.getCap(S.root(6)) == .null)
    #expect(k.answer(cnodeRotate(.root(20), pivot: .root(1), src: .root(20))) == .success)
    #expect(k.getCap(S.root(20)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(k.getCap(S.root(1)) == .thread(S.mainTCB))
    // Rotating a CNode cap applies the data as a new guard.
    #expect(k.answer(cnodeRotate(.root(21), pivot: .root(13), pivotData: 4, src: .root(20))) == .success)
    #expect(k.getCap(S.root(21)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0))
    #expect(k.getCap(S.root(13)) == .schedContext(S.schedContext, sizeBits: 8))
  }

  @Test("a swap of an original parent with its own child keeps the tree consistent")
  func swapParentAndChild() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeCopy(.root(20), from: .root(11))) == .success)
    #expect(k.answer(cnodeRotate(.root(11), pivot: .root(20), src: .root(11))) == .success)
    #expect(k.cdt[S.root(11)] == S.root(20) && k.cdt[S.root(20)] == nil)
    #expect(k.getCap(S.root(20)) == .untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 1 << 20))
  }

  @Test("CNODEOP Delete and Revoke of an empty slot succeed and change nothing")
  func emptyDeleteRevoke() {
    var k = AbstractState.sample
    let before = k
    #expect(k.answer(cnodeDelete(.root(30))) == .success)
    #expect(k.answer(cnodeRevoke(.root(30))) == .success)
    #expect(k == before)
  }

  @Test("CNODEOP Delete: children go to the deleted slot's parent; the object stays while caps remain")
  func delete() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeDelete(.aux(0))) == .success)
    #expect(k.getCap(S.aux(0)) == .null)
    #expect(k.cdt[S.root(14)] == S.root(3))
    #expect(k.kheap[S.endpoint] == .endpoint(Endpoint()))
    #expect(k.answer(cnodeDelete(.root(14))) == .success)
    #expect(k.answer(cnodeDelete(.root(3))) == .success)
    #expect(k.kheap[S.endpoint] == nil)
  }

  @Test("CNODEOP Revoke: every descendant goes, the revoked cap stays")
  func revoke() {
    var k = AbstractState.sample
    #expect(k.answer(cnodeCopy(.root(20), from: .root(14))) == .success)
    #expect(k.answer(cnodeRevoke(.root(3))) == .success)
    for slot in [S.aux(0), S.root(14), S.root(20)] { #expect(k.getCap(slot) == .null) }
    #expect(k.getCap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(k.kheap[S.endpoint] == .endpoint(Endpoint()))
    #expect(k.descendantsOf(S.root(3)).isEmpty)
  }

  @Test("Send answers nothing, success or error, but still acts")
  func sendDoesNotReply() {
    var k = AbstractState.sample
    let copy = invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [rootCNodeCptr], syscall: .send)
    #expect(k.answer(copy) == .noReply)
    #expect(k.getCap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    let before = k
    #expect(
      k.answer(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [rootCNodeCptr], syscall: .send))
        == .noReply)
    #expect(k == before)
  }
}

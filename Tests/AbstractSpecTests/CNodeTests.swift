// The CNode methods through Call, each check in the reference's order with its exact payload,
// and the sel4test CNODEOP behaviours: copy, mint, move, mutate, rotate, delete, revoke.

import AbstractSpec
import KernelABI
import Testing

@Suite struct CNodeDecodeTests {
  @Test("the common prefix: a CNode label, two registers, the destination lookup")
  func prefix() {
    var k = Harness()
    k.expectError(invoke(rootCNodeCptr, .untypedRetype, [20, 56]), .illegalOperation)
    k.expectError(invoke(rootCNodeCptr, .invalidInvocation, [20, 56]), .illegalOperation)
    k.expectError(invoke(rootCNodeCptr, .cnodeDelete, [20]), .truncatedMessage)
    k.expectError(cnodeDelete(Address(index: 20, depth: 0)), .rangeError(min: 1, max: 64))
    k.expectError(cnodeDelete(Address(index: 20 << 8, depth: 64)), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
  }

  @Test("Copy: truncation, then DeleteFirst before the source is looked at, then the source")
  func copyOrder() {
    var k = Harness()
    let full = Address.root(3), empty = Address.root(20)
    k.expectError(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3], caps: [rootCNodeCptr]), .truncatedMessage)
    k.expectError(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15]), .truncatedMessage)
    // A bad source depth is not noticed while the destination is full.
    k.expectError(cnodeCopy(full, from: Address(index: 4, depth: 0)), .deleteFirst)
    k.expectError(cnodeCopy(empty, from: Address(index: 4, depth: 0)), .rangeError(min: 1, max: 64))
    k.expectError(cnodeCopy(empty, from: Address(index: 4 << 8, depth: 64)), .failedLookup(source: true, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    k.expectError(cnodeCopy(empty, from: .root(30)), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    // Four registers pass the source checks but Copy needs its rights word.
    k.expectError(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56], caps: [rootCNodeCptr]), .truncatedMessage)
    k.expectError(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 30, 56], caps: [rootCNodeCptr]), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    // IRQControl derives to Null.
    k.expectError(cnodeCopy(empty, from: .root(8)), .illegalOperation)
  }

  @Test("Copy of an untyped with children: RevokeFirst")
  func copyUntypedWithChildren() {
    var k = Harness()
    #expect(k.answer(retype(10, .endpoint, offset: 20)) == .success)
    k.expectError(cnodeCopy(.root(21), from: .root(10)), .revokeFirst)
  }

  @Test("Mint: six registers; a badged source cannot be re-badged, even with badge 0")
  func mintChecks() {
    var k = Harness()
    k.expectError(invoke(rootCNodeCptr, .cnodeMint, [20, 56, 3, 56, 15], caps: [rootCNodeCptr]), .truncatedMessage)
    k.expectError(cnodeMint(.root(20), from: .aux(0), data: 9), .illegalOperation)
    k.expectError(cnodeMint(.root(20), from: .aux(0), data: 0), .illegalOperation)
    // A guard size that does not fit beside the radix makes the CNode cap Null.
    k.expectError(cnodeMint(.root(20), from: .root(2), data: 57), .illegalOperation)
  }

  @Test("Mutate: five registers; any endpoint or notification cap is refused")
  func mutateChecks() {
    var k = Harness()
    k.expectError(invoke(rootCNodeCptr, .cnodeMutate, [20, 56, 1, 56], caps: [rootCNodeCptr]), .truncatedMessage)
    k.expectError(cnodeMutate(.root(20), from: .root(3), data: 0), .illegalOperation)
    k.expectError(cnodeMutate(.root(20), from: .aux(0), data: 0), .illegalOperation)
    k.expectError(cnodeMutate(.root(20), from: .root(4), data: 0), .illegalOperation)
  }

  @Test("Move onto itself: DeleteFirst when full; an empty slot fails the source lookup")
  func moveOntoItself() {
    var k = Harness()
    k.expectError(cnodeMove(.root(3), from: .root(3)), .deleteFirst)
    k.expectError(cnodeMove(.root(30), from: .root(30)), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
  }

  @Test("Rotate: every check in order")
  func rotateChecks() {
    var k = Harness()
    let r = [UInt64(20), 56, 0, 1, 56, 0, 6, 56]
    k.expectError(invoke(rootCNodeCptr, .cnodeRotate, Array(r.prefix(7)), caps: [rootCNodeCptr, rootCNodeCptr]), .truncatedMessage)
    k.expectError(invoke(rootCNodeCptr, .cnodeRotate, r, caps: [rootCNodeCptr]), .truncatedMessage)
    // The source is looked up before the pivot.
    k.expectError(
      cnodeRotate(.root(20), pivot: Address(index: 1, depth: 0), src: Address(index: 6 << 8, depth: 64)),
      .failedLookup(source: true, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    k.expectError(cnodeRotate(.root(20), pivot: Address(index: 1, depth: 0), src: .root(6)), .rangeError(min: 1, max: 64))
    k.expectError(cnodeRotate(.root(20), pivot: .root(6), src: .root(6)), .illegalOperation)
    k.expectError(cnodeRotate(.root(20), pivot: .root(20), src: .root(6)), .illegalOperation)
    k.expectError(cnodeRotate(.root(3), pivot: .root(1), src: .root(6)), .deleteFirst)
    k.expectError(cnodeRotate(.root(20), pivot: .root(1), src: .root(30)), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    k.expectError(cnodeRotate(.root(20), pivot: .root(31), src: .root(6)), .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
    // Endpoint and notification caps never rotate.
    k.expectError(cnodeRotate(.root(20), pivot: .root(1), src: .root(3)), .illegalOperation)
    k.expectError(cnodeRotate(.root(20), pivot: .root(4), src: .root(6)), .illegalOperation)
  }

  @Test("CancelBadgedSends needs an endpoint cap with all four rights; badge 0 is a no-op")
  func cancelBadgedSends() {
    var k = Harness()
    k.expectError(cnodeCancelBadgedSends(.root(30)), .illegalOperation)
    k.expectError(cnodeCancelBadgedSends(.aux(0)), .illegalOperation)
    k.expectError(cnodeCancelBadgedSends(.root(4)), .illegalOperation)
    let before = k.state
    #expect(k.answer(cnodeCancelBadgedSends(.root(3))) == .success)
    #expect(k.answer(cnodeMint(.root(20), from: .root(3), data: 42)) == .success)
    let minted = k.state
    #expect(k.answer(cnodeCancelBadgedSends(.root(20))) == .success)
    #expect(k.state == minted && before != minted)
  }
}

@Suite struct CNodeOperationTests {
  @Test("CNODEOP Copy: fewer rights, not original, a child of the original source")
  func copy() {
    var k = Harness()
    #expect(k.answer(cnodeCopy(.root(20), from: .root(3), rights: [.read])) == .success)
    #expect(k.cap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.read]))
    #expect(!k.state.isOriginalCap.contains(S.root(20)))
    #expect(k.state.cdt[S.root(20)] == S.root(3))
    // A copy of a copy is its sibling: the copy is not original.
    #expect(k.answer(cnodeCopy(.root(21), from: .root(20))) == .success)
    #expect(k.state.cdt[S.root(21)] == S.root(3))
    // A copy of the badged original is its child.
    #expect(k.answer(cnodeCopy(.aux(5), from: .aux(0))) == .success)
    #expect(k.state.cdt[S.aux(5)] == S.aux(0))
  }

  @Test("copying a whole untyped makes the copy an original child and marks the source full")
  func copyUntyped() {
    var k = Harness()
    #expect(k.answer(cnodeCopy(.root(20), from: .root(10))) == .success)
    #expect(k.cap(S.root(20)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(k.cap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(k.state.isOriginalCap.contains(S.root(20)) && k.state.cdt[S.root(20)] == S.root(10))
    // The source now has a child, so it has no memory to give.
    k.expectError(retype(10, .endpoint, offset: 30), .notEnoughMemory(freeBytes: 0))
    #expect(k.answer(retype(20, .endpoint, offset: 30)) == .success)
  }

  @Test("CNODEOP Mint: a badge makes an original child; badge 0 an ordinary copy; a guard for CNode caps")
  func mint() {
    var k = Harness()
    #expect(k.answer(cnodeMint(.root(20), from: .root(3), rights: [.write, .grant], data: 7)) == .success)
    #expect(k.cap(S.root(20)) == .endpoint(S.endpoint, badge: 7, rights: [.write, .grant]))
    #expect(k.state.isOriginalCap.contains(S.root(20)) && k.state.cdt[S.root(20)] == S.root(3))
    #expect(k.answer(cnodeMint(.root(21), from: .root(3), data: 0)) == .success)
    #expect(!k.state.isOriginalCap.contains(S.root(21)) && k.state.cdt[S.root(21)] == S.root(3))
    #expect(k.answer(cnodeMint(.root(22), from: .root(2), data: 0x5 << 6 | 40)) == .success)
    #expect(k.cap(S.root(22)) == .cnode(S.rootCNode, radix: 8, guardSize: 40, guard: 5))
    // A minted notification keeps only Write and Read.
    #expect(k.answer(cnodeMint(.root(23), from: .root(4), data: 1)) == .success)
    #expect(k.cap(S.root(23)) == .notification(S.notification, badge: 1, rights: [.read, .write]))
  }

  @Test("CNODEOP Move: the slot's place in the tree moves with the cap")
  func move() {
    var k = Harness()
    #expect(k.answer(cnodeMove(.root(20), from: .root(3))) == .success)
    #expect(k.cap(S.root(3)) == .null)
    #expect(k.cap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(k.state.isOriginalCap.contains(S.root(20)) && !k.state.isOriginalCap.contains(S.root(3)))
    #expect(k.state.cdt[S.aux(0)] == S.root(20))
    // A non-original copy keeps its parent.
    #expect(k.answer(cnodeMove(.aux(7), from: .root(14))) == .success)
    #expect(k.state.cdt[S.aux(7)] == S.aux(0) && k.state.cdt[S.root(14)] == nil)
  }

  @Test("CNODEOP Mutate: a CNode cap moves with a new guard; a thread cap moves unchanged")
  func mutate() {
    var k = Harness()
    #expect(k.answer(cnodeMutate(.root(20), from: .root(2), data: 0x3 << 6 | 40)) == .success)
    #expect(k.cap(S.root(20)) == .cnode(S.rootCNode, radix: 8, guardSize: 40, guard: 3))
    #expect(k.cap(S.root(2)) == .null)
    #expect(k.answer(cnodeMutate(.root(21), from: .root(1), data: 99)) == .success)
    #expect(k.cap(S.root(21)) == .thread(S.mainTCB))
    // Moving the aux CNode cap away cuts the path the invoked cptr takes: it now names Null.
    #expect(k.answer(cnodeMutate(.root(22), from: .root(13), data: 4)) == .success)
    #expect(k.cap(S.root(22)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0))
    #expect(k.answer(cnodeDelete(.root(22))) == .error(.invalidCapability(index: 0)))
  }

  @Test("CNODEOP Rotate: pivot to destination, source to pivot; onto the source it is a swap")
  func rotate() {
    var k = Harness()
    #expect(k.answer(cnodeRotate(.root(20), pivot: .root(1), src: .root(6))) == .success)
    #expect(k.cap(S.root(20)) == .thread(S.mainTCB))
    #expect(k.cap(S.root(1)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(k.cap(S.root(6)) == .null)
    #expect(k.answer(cnodeRotate(.root(20), pivot: .root(1), src: .root(20))) == .success)
    #expect(k.cap(S.root(20)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(k.cap(S.root(1)) == .thread(S.mainTCB))
    // Rotating a CNode cap applies the data as a new guard.
    #expect(k.answer(cnodeRotate(.root(21), pivot: .root(13), pivotData: 4, src: .root(20))) == .success)
    #expect(k.cap(S.root(21)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0))
    #expect(k.cap(S.root(13)) == .schedContext(S.schedContext, sizeBits: 8))
  }

  @Test("a swap of an original parent with its own child keeps the tree consistent")
  func swapParentAndChild() {
    var k = Harness()
    #expect(k.answer(cnodeCopy(.root(20), from: .root(11))) == .success)
    #expect(k.answer(cnodeRotate(.root(11), pivot: .root(20), src: .root(11))) == .success)
    #expect(k.state.cdt[S.root(11)] == S.root(20) && k.state.cdt[S.root(20)] == nil)
    #expect(k.cap(S.root(20)) == .untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 1 << 20))
  }

  @Test("CNODEOP Delete and Revoke of an empty slot succeed and change nothing")
  func emptyDeleteRevoke() {
    var k = Harness()
    let before = k.state
    #expect(k.answer(cnodeDelete(.root(30))) == .success)
    #expect(k.answer(cnodeRevoke(.root(30))) == .success)
    #expect(k.state == before)
  }

  @Test("CNODEOP Delete: children go to the deleted slot's parent; the object stays while caps remain")
  func delete() {
    var k = Harness()
    #expect(k.answer(cnodeDelete(.aux(0))) == .success)
    #expect(k.cap(S.aux(0)) == .null)
    #expect(k.state.cdt[S.root(14)] == S.root(3))
    #expect(k.state.kheap[S.endpoint] == .endpoint)
    #expect(k.answer(cnodeDelete(.root(14))) == .success)
    #expect(k.answer(cnodeDelete(.root(3))) == .success)
    #expect(k.state.kheap[S.endpoint] == nil)
  }

  @Test("CNODEOP Revoke: every descendant goes, the revoked cap stays")
  func revoke() {
    var k = Harness()
    #expect(k.answer(cnodeCopy(.root(20), from: .root(14))) == .success)
    #expect(k.answer(cnodeRevoke(.root(3))) == .success)
    for slot in [S.aux(0), S.root(14), S.root(20)] { #expect(k.cap(slot) == .null) }
    #expect(k.cap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(k.state.kheap[S.endpoint] == .endpoint)
    #expect(k.state.descendantsOf(S.root(3)).isEmpty)
  }

  @Test("Send answers nothing, success or error, but still acts")
  func sendDoesNotReply() {
    var k = Harness()
    let copy = invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [rootCNodeCptr], syscall: .send)
    #expect(k.answer(copy) == .noReply)
    #expect(k.cap(S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    let before = k.state
    #expect(k.answer(invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [rootCNodeCptr], syscall: .send)) == .noReply)
    #expect(k.state == before)
  }
}

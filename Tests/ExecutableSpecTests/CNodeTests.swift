// CNode invocations: every method, every check in reference order (§6), and the MDB list after.

@testable import ExecutableSpec
import KernelABI
import Testing

@Suite struct CNodeCopyMintTests {
  @Test func copyInsertsRightAfterTheSourceAsAChild() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(3) + [CapRights.write.rawValue | CapRights.read.rawValue]))
    #expect(state.cap(at: S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.write, .read]))
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(3), next: S.aux(0), revocable: false, firstBadged: false))
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(20))
    #expect(state.cte(at: S.aux(0))?.mdb.prev == S.root(20))
    #expect(state.derivedParents()[S.root(20)] == S.root(3))
    #expect(state.derivedParents()[S.aux(0)] == S.root(3))
  }

  @Test func copyOfABadgedCapIsItsChild() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(20) + auxArgs(0) + [CapRights.all.rawValue]))
    #expect(state.cap(at: S.root(20)) == .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]))
    #expect(state.derivedParents()[S.root(20)] == S.aux(0))
    #expect(state.list(from: S.aux(0)).prefix(3) == [S.aux(0), S.root(20), S.root(14)])
  }

  @Test func mintWithABadgeRootsANewSubtree() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeMint, rootArgs(20) + rootArgs(3) + [CapRights.all.rawValue, 7]))
    #expect(state.cap(at: S.root(20)) == .endpoint(S.endpoint, badge: 7, rights: .all))
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(3), next: S.aux(0), revocable: true, firstBadged: true))
    // The badge-5 subtree after it is not swallowed.
    #expect(state.descendants(of: S.root(20)) == [])
    #expect(state.derivedParents()[S.aux(0)] == S.root(3))
  }

  @Test func mintOfACNodeCapSetsItsGuard() {
    var state = sampleState()
    // guard 0 of size 4: word = guard << 6 | guardSize
    expectSuccess(state.cnodeCall(.cnodeMint, rootArgs(20) + rootArgs(13) + [0, 2 << 6 | 4]))
    #expect(state.cap(at: S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 2))
    #expect(state.cte(at: S.root(20))?.mdb.revocable == false)
  }

  @Test func mintOfABadgedCapIsIllegalEvenWithBadgeZero() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeMint, rootArgs(20) + auxArgs(0) + [CapRights.all.rawValue, 0]), .illegalOperation)
    #expect(state.cap(at: S.root(20)) == .null)
  }

  @Test func copyOfIRQControlDerivesToNull() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(8) + [0]), .illegalOperation)
  }

  @Test func destinationFullComesBeforeTheSourceLookup() {
    var state = sampleState()
    // The source root is Null, so a source lookup would fail: DeleteFirst wins.
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(3) + rootArgs(4) + [15], extraCaps: [S.cptr(root: 200)]), .deleteFirst)
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(4) + [15], extraCaps: [S.cptr(root: 200)]),
      .failedLookup(source: true, failure: .invalidRoot))
  }

  @Test func emptySourceIsMissingCapabilityWithTheSourceDepth() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(21) + [15]),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    expectError(state.cnodeCall(.cnodeMove, rootArgs(20) + auxArgs(9)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 64)))
  }

  @Test func depthOutOfRangeIsRangeError() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeCopy, [20, 0] + rootArgs(3) + [15]), .rangeError(min: 1, max: 64))
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + [3, 0, 15]), .rangeError(min: 1, max: 64))
    expectError(state.cnodeCall(.cnodeDelete, [20, 65]), .rangeError(min: 1, max: 64))
  }

  @Test func destinationLookupFailureIsNotSource() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeDelete, [S.cptr(root: 3), 64]),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
  }

  @Test func truncatedMessages() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeDelete, [20]), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + [3]), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(3) + [15], extraCaps: []), .truncatedMessage)
    // Copy's rights word and Mint's data word are read only after the source checks.
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(3)), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeMint, rootArgs(20) + rootArgs(3) + [15]), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeMutate, rootArgs(20) + rootArgs(13)), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(21)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
  }

  @Test func labelsOfOtherObjectsAreIllegal() {
    var state = sampleState()
    expectError(state.cnodeCall(.untypedRetype, rootArgs(20)), .illegalOperation)
    expectError(state.cnodeCall(.tcbSuspend, []), .illegalOperation)
  }

  @Test func copyOfAnUntypedWithChildrenIsRevokeFirst() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .endpoint, offset: 20))
    expectError(state.cnodeCall(.cnodeCopy, rootArgs(30) + rootArgs(10) + [15]), .revokeFirst)
  }

  @Test func copyOfAnUntypedMarksTheSourceFull() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(30) + rootArgs(10) + [15]))
    #expect(state.cap(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(state.cap(at: S.root(30)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(state.cte(at: S.root(30))?.mdb.revocable == true)
    #expect(state.descendants(of: S.root(10)) == [S.root(30)])
    // The full source has a child, so it is not reset and has no room.
    expectError(state.retype(from: 10, .endpoint, offset: 40), .notEnoughMemory(freeBytes: 0))
  }
}

@Suite struct CNodeMoveTests {
  @Test func moveCarriesCapAndNode() {
    var state = sampleState()
    let node = state.cte(at: S.aux(0))?.mdb
    expectSuccess(state.cnodeCall(.cnodeMove, rootArgs(20) + auxArgs(0)))
    #expect(state.cap(at: S.aux(0)) == .null)
    #expect(state.cte(at: S.aux(0))?.mdb == .null)
    #expect(state.cte(at: S.root(20))?.mdb == node)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(20))
    #expect(state.cte(at: S.root(14))?.mdb.prev == S.root(20))
    #expect(state.derivedParents()[S.root(14)] == S.root(20))
  }

  @Test func moveOntoItselfIsDeleteFirst() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeMove, rootArgs(3) + rootArgs(3)), .deleteFirst)
    expectError(state.cnodeCall(.cnodeMove, rootArgs(20) + rootArgs(20)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
  }

  @Test func mutateChangesTheGuardAndMoves() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeMutate, rootArgs(20) + rootArgs(13) + [1 << 6 | 2]))
    #expect(state.cap(at: S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 2, guard: 1))
    #expect(state.cap(at: S.root(13)) == .null)
  }

  @Test func mutateOfAnyEndpointIsIllegal() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeMutate, rootArgs(20) + rootArgs(3) + [0]), .illegalOperation)
    expectError(state.cnodeCall(.cnodeMutate, rootArgs(20) + rootArgs(4) + [0]), .illegalOperation)
    // A guard size that with the radix exceeds 64 bits gives Null too.
    expectError(state.cnodeCall(.cnodeMutate, rootArgs(20) + rootArgs(13) + [61]), .illegalOperation)
  }
}

@Suite struct CNodeRotateTests {
  /// Rotate args: dest, pivot (data, index, depth), source (data, index, depth).
  func rotateArgs(dest: UInt64, pivot: UInt64, source: UInt64, pivotData: UInt64 = 0, sourceData: UInt64 = 0) -> [UInt64] {
    rootArgs(dest) + [pivotData, pivot, rootDepth, sourceData, source, rootDepth]
  }

  @Test func rotateMovesPivotToDestAndSourceToPivot() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 5, source: 6)))
    #expect(state.cap(at: S.root(20)) == .reply(S.reply, canGrant: true))
    #expect(state.cap(at: S.root(5)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(state.cap(at: S.root(6)) == .null)
    // Each cap took its MDB node along: both are roots of chains of their own.
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
    #expect(state.cte(at: S.root(6)) == .null)
  }

  @Test func rotateWithSourceAsDestSwaps() {
    var state = sampleState()
    // Give the reply cap a child, so that its node has a neighbour.
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(5) + [CapRights.all.rawValue]))
    expectSuccess(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 5, pivot: 6, source: 5)))
    #expect(state.cap(at: S.root(5)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(state.cap(at: S.root(6)) == .reply(S.reply, canGrant: true))
    // The nodes swap positions along with their caps.
    #expect(state.list(from: S.root(6)) == [S.root(6), S.root(20)])
    #expect(state.cte(at: S.root(5))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
  }

  @Test func rotateChecksInReferenceOrder() {
    var state = sampleState()
    expectError(state.cnodeCall(.cnodeRotate, Array(rotateArgs(dest: 20, pivot: 5, source: 6).prefix(7))), .truncatedMessage)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 5, source: 6), extraCaps: [rootCNodeCptr]),
      .truncatedMessage)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 5, source: 5)), .illegalOperation)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 5, pivot: 5, source: 6)), .illegalOperation)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 1, pivot: 5, source: 6)), .deleteFirst)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 5, source: 21)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 21, source: 5)),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 3, source: 5)), .illegalOperation)
    expectError(state.cnodeCall(.cnodeRotate, rotateArgs(dest: 20, pivot: 5, source: 4)), .illegalOperation)
    // The source lookup comes before the pivot lookup.
    expectError(state.cnodeCall(.cnodeRotate, rootArgs(20) + [0, 5, 0, 0, 6, 70]), .rangeError(min: 1, max: 64))
    #expect(state == sampleState())
  }
}

@Suite struct CNodeDeleteRevokeTests {
  @Test func deleteOfAnEmptySlotSucceeds() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeDelete, rootArgs(20)))
    expectSuccess(state.cnodeCall(.cnodeRevoke, rootArgs(20)))
    #expect(state == sampleState())
  }

  @Test func deleteUnlinksAndTheNextInheritsFirstBadged() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeDelete, auxArgs(0)))
    #expect(state.cap(at: S.aux(0)) == .null)
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(14))
    #expect(state.cte(at: S.root(14))?.mdb == MDBNode(prev: S.root(3), next: nil, revocable: false, firstBadged: true))
    // Not final (root 3 names the same endpoint): the endpoint lives on.
    #expect(state.ksPSpace[S.endpoint] == .endpoint)
  }

  @Test func deletingTheFinalCapDestroysTheObject() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeDelete, rootArgs(5)))
    #expect(state.ksPSpace[S.reply] == nil)
    expectSuccess(state.cnodeCall(.cnodeDelete, rootArgs(6)))
    #expect(state.ksPSpace[S.schedContext] == nil)
    #expect(state.cte(at: S.root(6)) == .null)
  }

  @Test func deletingTheLastCNodeCapDeletesItsContents() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeDelete, auxArgs(3)))
    #expect(state.ksPSpace[S.auxCNode] != nil)
    expectSuccess(state.cnodeCall(.cnodeDelete, rootArgs(13)))
    #expect(state.ksPSpace[S.auxCNode] == nil)
    // Its caps are gone from the list; the objects they named still have other caps.
    #expect(state.cte(at: S.root(3))?.mdb.next == S.root(14))
    #expect(state.cte(at: S.root(14))?.mdb.firstBadged == true)
    #expect(state.ksPSpace[S.endpoint] == .endpoint)
    #expect(state.list(from: S.root(2)) == [S.root(2), SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)])
  }

  @Test func deletingTheCurrentThreadsTCBStopsIt() {
    var state = sampleState()
    let observation = state.cnodeCall(.cnodeDelete, rootArgs(1))
    #expect(observation == Observation(caller: S.mainTCB, current: nil))
    #expect(state.ksPSpace[S.mainTCB] == nil)
    #expect(state.ksCurThread == nil)
    #expect(state.cte(at: S.aux(2))?.mdb.next == nil)
  }

  @Test func revokeDeletesExactlyTheSubtree() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeRevoke, rootArgs(3)))
    #expect(state.cap(at: S.aux(0)) == .null)
    #expect(state.cap(at: S.root(14)) == .null)
    #expect(state.cte(at: S.root(3))?.mdb.next == nil)
    #expect(state.list(from: S.root(4)) == [S.root(4), S.aux(1)])
    #expect(state.ksPSpace[S.endpoint] == .endpoint)
    #expect(state.cap(at: S.root(4)) != .null)
  }

  @Test func revokeOfABadgedCapKeepsItsSiblings() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeMint, rootArgs(20) + rootArgs(3) + [15, 9]))
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(21) + rootArgs(20) + [15]))
    #expect(state.cte(at: S.root(3)).map { $0.mdb.next } == S.root(20))
    expectSuccess(state.cnodeCall(.cnodeRevoke, rootArgs(20)))
    #expect(state.cap(at: S.root(21)) == .null)
    #expect(state.cap(at: S.aux(0)) != .null)
    #expect(state.cap(at: S.root(14)) != .null)
  }

  @Test func cancelBadgedSendsNeedsAnEndpointWithAllRights() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeCancelBadgedSends, rootArgs(3)))
    expectError(state.cnodeCall(.cnodeCancelBadgedSends, rootArgs(14)), .illegalOperation)
    expectError(state.cnodeCall(.cnodeCancelBadgedSends, rootArgs(4)), .illegalOperation)
    expectError(state.cnodeCall(.cnodeCancelBadgedSends, rootArgs(20)), .illegalOperation)
    expectSuccess(state.cnodeCall(.cnodeMint, rootArgs(20) + rootArgs(3) + [15, 9]))
    let before = state
    expectSuccess(state.cnodeCall(.cnodeCancelBadgedSends, rootArgs(20)))
    #expect(state == before)
  }
}

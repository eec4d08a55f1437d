import KernelABI
import Testing

@testable import Kernel

@Suite struct CNodeTests {
  // MARK: Prefix checks

  @Test func labelsOtherThanCNodeMethodsAreIllegal() {
    for label: UInt64 in [0, 1, 17, 26, 38, 1 << 40] {
      var s = KernelState.sample
      expectError(s.step(event(rootCNodeCptr, label: label, [1, 56, 3, 56, 0xF])), .illegalOperation)
      #expect(s == KernelState.sample)
    }
  }

  @Test func fewerThanTwoArgumentsIsTruncated() {
    var s = KernelState.sample
    expectError(s.cnode(.cnodeDelete, [3]), .truncatedMessage)
  }

  @Test func destinationLookupErrors() {
    var s = KernelState.sample
    expectError(s.cnode(.cnodeDelete, [3, 0]), .rangeError(min: 1, max: 64))
    expectError(s.cnode(.cnodeDelete, [3, 65]), .rangeError(min: 1, max: 64))
    // Too few bits for the root's 48-bit guard plus radix.
    expectError(
      s.cnode(.cnodeDelete, [3, 40]),
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 40, guardFound: 0, bitsFound: 48)))
    expectError(
      s.cnode(.cnodeDelete, [3, 50]), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 50, bitsFound: 56)))
    // A guard that does not match: bit 8 set in the 48 guard bits.
    expectError(
      s.cnode(.cnodeDelete, [1 << 8 | 3, 56]),
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 56, guardFound: 0, bitsFound: 48)))
    // Bits left over after a non-CNode cap.
    expectError(
      s.cnode(.cnodeDelete, [3 << 8, 64]), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    // Into the aux CNode with too few bits for its level.
    expectError(
      s.cnode(.cnodeDelete, [13 << 4, 60]), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 4, bitsFound: 8)))
    // An empty slot on the way: a missing capability is not a lookup error for CNode ops unless bits are left.
    expectError(
      s.cnode(.cnodeDelete, [40 << 8, 64]), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    #expect(s == KernelState.sample)
  }

  // MARK: Copy, Mint, Move, Mutate

  @Test func copyChecksInOrder() {
    var s = KernelState.sample
    let (d, dd) = rootArg(20), (src, sd) = rootArg(3)
    expectError(s.cnode(.cnodeCopy, [d, dd, src]), .truncatedMessage)
    expectError(s.cnode(.cnodeCopy, [d, dd, src, sd, 0xF], extraCaps: 0), .truncatedMessage)
    // A full destination is reported before the source is looked at (source depth 0 would be a RangeError).
    expectError(s.cnode(.cnodeCopy, [3, 56, src, 0, 0xF]), .deleteFirst)
    expectError(s.cnode(.cnodeCopy, [d, dd, src, 0, 0xF]), .rangeError(min: 1, max: 64))
    expectError(
      s.cnode(.cnodeCopy, [d, dd, 1 << 9 | 3, sd, 0xF]),
      .failedLookup(source: true, failure: .guardMismatch(bitsLeft: 56, guardFound: 0, bitsFound: 48)))
    expectError(
      s.cnode(.cnodeCopy, [d, dd, 30, sd, 0xF]), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    expectError(s.cnode(.cnodeCopy, [d, dd, src, sd]), .truncatedMessage)
    // The source root must be a CNode.
    var t = KernelState.sample
    let o = t.step(event(rootCNodeCptr, .cnodeCopy, [d, dd, src, sd, 0xF], extraCaps: [S.cptr(root: 3)]))
    expectError(o, .failedLookup(source: true, failure: .invalidRoot))
    // IRQControl derives to Null.
    expectError(s.cnode(.cnodeCopy, [d, dd, 8, sd, 0xF]), .illegalOperation)
    #expect(s == KernelState.sample)
  }

  @Test func copyMasksRightsAndLinksTheCopyAfterItsSource() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeCopy, [20, 56, 3, 56, CapRights.read.rawValue | CapRights.grant.rawValue]))
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.read, .grant]))
    let list = s.mdbList(containing: S.root(3))
    let at = list.firstIndex(of: S.root(3))
    #expect(at.map { list[$0 + 1] } == S.root(20))
    #expect(s.mdbNode(at: S.root(20))?.revocable == false)
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == false)
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    #expect(s.invariantViolations() == [])
    // Caps without rights ignore the mask.
    expectSuccess(s.cnode(.cnodeCopy, [21, 56, 1, 56, 0]))
    #expect(s.capability(at: S.root(21)) == .thread(S.mainTCB))
  }

  /// Notification caps keep only Write and Read (`maskCapRights`, contract "Rights"): a copy of a
  /// notification cap carrying Grant/GrantReply bits through an all-rights mask loses them.
  @Test func notificationCapsKeepOnlyWriteAndRead() {
    let ntfn = Capability.notification(S.notification, badge: 0, rights: .all)
    #expect(KernelState.maskCapRights(.all, ntfn) == .notification(S.notification, badge: 0, rights: [.write, .read]))
    #expect(KernelState.maskCapRights([.read, .grant], ntfn) == .notification(S.notification, badge: 0, rights: [.read]))
    var plan = SystemPlan.sampleWithInvocableRoot
    plan.caps[S.root(4)] = ntfn
    var s = KernelState(plan: plan)
    expectSuccess(s.cnode(.cnodeCopy, [20, 56, 4, 56, CapRights.all.rawValue]))
    #expect(s.capability(at: S.root(20)) == .notification(S.notification, badge: 0, rights: [.write, .read]))
  }

  @Test func mintBadgesAnUnbadgedCapAndRejectsABadgedOne() {
    var s = KernelState.sample
    expectError(s.cnode(.cnodeMint, [20, 56, 3, 56, 0xF]), .truncatedMessage)
    expectSuccess(s.cnode(.cnodeMint, [20, 56, 3, 56, 0xF, 9]))
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 9, rights: .all))
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == true)
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    // The earlier badge-5 mint stays a child of the unbadged cap, not of the new badge-9 cap.
    #expect(s.mdbParent(of: S.aux(0)) == S.root(3))
    // Minting the same badge again makes a sibling run, not a child.
    expectSuccess(s.cnode(.cnodeMint, [21, 56, 3, 56, 0xF, 9]))
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    #expect(s.mdbParent(of: S.root(21)) == S.root(3))
    // Mint from a badged cap, even with badge 0.
    let (a, ad) = auxArg(0)
    expectError(s.cnode(.cnodeMint, [22, 56, a, ad, 0xF, 0]), .illegalOperation)
    // Minting badge 0 from an unbadged cap gives an unbadged, non-original copy.
    expectSuccess(s.cnode(.cnodeMint, [22, 56, 3, 56, 0xF, 0]))
    #expect(s.mdbNode(at: S.root(22))?.revocable == false)
    // A CNode mint sets the guard; guard size + radix beyond a word gives Null.
    expectSuccess(s.cnode(.cnodeMint, [23, 56, 13, 56, 0, 0xB << 6 | 4]))
    #expect(s.capability(at: S.root(23)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0xB))
    expectError(s.cnode(.cnodeMint, [24, 56, 13, 56, 0, 61]), .illegalOperation)
    #expect(s.invariantViolations() == [])
  }

  @Test func moveKeepsTheListPositionAndEmptiesTheSource() {
    var s = KernelState.sample
    let before = s.mdbList(containing: S.root(3))
    expectSuccess(s.cnode(.cnodeMove, [20, 56, 3, 56]))
    #expect(s.capability(at: S.root(3)) == .null)
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(s.mdbList(containing: S.root(20)) == before.map { $0 == S.root(3) ? S.root(20) : $0 })
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    #expect(s.mdbParent(of: S.aux(0)) == S.root(20))
    // Move onto itself: the destination is full.
    expectError(s.cnode(.cnodeMove, [20, 56, 20, 56]), .deleteFirst)
    // From an empty slot.
    expectError(s.cnode(.cnodeMove, [21, 56, 3, 56]), .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    #expect(s.invariantViolations() == [])
  }

  @Test func mutateChangesCNodeGuardsAndRefusesEndpoints() {
    var s = KernelState.sample
    expectError(s.cnode(.cnodeMutate, [20, 56, 3, 56]), .truncatedMessage)
    expectError(s.cnode(.cnodeMutate, [20, 56, 3, 56, 0]), .illegalOperation)
    let (a, ad) = auxArg(1)
    expectError(s.cnode(.cnodeMutate, [20, 56, a, ad, 0]), .illegalOperation)
    expectSuccess(s.cnode(.cnodeMutate, [21, 56, 1, 56, 12345]))
    #expect(s.capability(at: S.root(21)) == .thread(S.mainTCB))
    expectSuccess(s.cnode(.cnodeMutate, [20, 56, 13, 56, 0x3 << 6 | 6]))
    #expect(s.capability(at: S.root(13)) == .null)
    #expect(s.capability(at: S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 6, guard: 3))
    // The invoked cap was reached through root 13: the root CNode is now out of reach.
    expectError(s.cnode(.cnodeDelete, [3, 56]), .invalidCapability(index: 0))
    #expect(s.invariantViolations() == [])
  }

  @Test func copyingAnUntypedNeedsNoChildrenAndMarksTheSourceFull() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeCopy, [20, 56, 10, 56, 0xF]))
    #expect(s.capability(at: S.root(20)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    // Now root 10 has a child: copying it again must revoke first.
    expectError(s.cnode(.cnodeCopy, [21, 56, 10, 56, 0xF]), .revokeFirst)
    #expect(s.invariantViolations() == [])
  }

  // MARK: Rotate

  @Test func rotateChecksInOrder() {
    var s = KernelState.sample
    // dest 20, pivot 13 (aux CNode cap), src 1 (thread)
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 13, 56, 0, 1], extraCaps: 2), .truncatedMessage)
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 13, 56, 0, 1, 56], extraCaps: 1), .truncatedMessage)
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 13, 56, 0, 1, 0], extraCaps: 2), .rangeError(min: 1, max: 64))
    expectError(
      s.cnode(.cnodeRotate, [20, 56, 0, 13, 0, 0, 1, 56], extraCaps: 2), .rangeError(min: 1, max: 64))
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 1, 56, 0, 1, 56], extraCaps: 2), .illegalOperation)
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 20, 56, 0, 1, 56], extraCaps: 2), .illegalOperation)
    expectError(s.cnode(.cnodeRotate, [3, 56, 0, 13, 56, 0, 1, 56], extraCaps: 2), .deleteFirst)
    expectError(
      s.cnode(.cnodeRotate, [20, 56, 0, 13, 56, 0, 30, 56], extraCaps: 2),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))
    expectError(
      s.cnode(.cnodeRotate, [20, 56, 0, 31, 56, 0, 1, 56], extraCaps: 2),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
    // Endpoint caps never rotate.
    expectError(s.cnode(.cnodeRotate, [20, 56, 0, 3, 56, 0, 1, 56], extraCaps: 2), .illegalOperation)
    #expect(s == KernelState.sample)
  }

  @Test func rotateMovesPivotToDestAndSourceToPivot() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeRotate, [20, 56, 0, 6, 56, 0, 1, 56], extraCaps: 2))
    #expect(s.capability(at: S.root(20)) == .schedContext(S.schedContext, sizeBits: 8))
    #expect(s.capability(at: S.root(6)) == .thread(S.mainTCB))
    #expect(s.capability(at: S.root(1)) == .null)
    #expect(s.invariantViolations() == [])
    // Each cap took its (single-node) chain along.
    #expect(s.mdbList(containing: S.root(6)) == [S.root(6)])
    #expect(s.mdbList(containing: S.root(20)) == [S.root(20)])
    #expect(s.mdbNode(at: S.root(6))?.revocable == true)
  }

  @Test func rotateWithSourceAsDestinationSwaps() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeRotate, [1, 56, 48, 2, 56, 0, 1, 56], extraCaps: 2))
    #expect(s.capability(at: S.root(1)) == S.rootCap)
    #expect(s.capability(at: S.root(2)) == .thread(S.mainTCB))
    // The two nodes swapped places: slot 1 now heads the root CNode cap's chain.
    #expect(s.mdbList(containing: S.root(1)) == [S.root(1), S.aux(2), SlotRef(S.mainTCB, 0)])
    #expect(s.mdbList(containing: S.root(2)) == [S.root(2)])
    #expect(s.mdbParent(of: SlotRef(S.mainTCB, 0)) == S.root(1))
    #expect(s.invariantViolations() == [])
  }

  // MARK: CancelBadgedSends, Delete, Revoke

  @Test func cancelBadgedSendsNeedsAnEndpointCapWithAllRights() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeCancelBadgedSends, [3, 56]))
    expectError(s.cnode(.cnodeCancelBadgedSends, [14, 56]), .illegalOperation)
    expectError(s.cnode(.cnodeCancelBadgedSends, [4, 56]), .illegalOperation)
    expectError(s.cnode(.cnodeCancelBadgedSends, [40, 56]), .illegalOperation)
    #expect(s == KernelState.sample)
  }

  @Test func deleteAndRevokeOfEmptySlotsSucceed() {
    var s = KernelState.sample
    expectSuccess(s.cnode(.cnodeDelete, [40, 56]))
    expectSuccess(s.cnode(.cnodeRevoke, [40, 56]))
    #expect(s == KernelState.sample)
  }
}

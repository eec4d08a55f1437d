import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct CNodeTests {

  // MARK: Copy, Mint, Move, Mutate

  @Test func copyMasksRightsAndLinksTheCopyAfterItsSource() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeCopy(.root(20), from: .root(3), rights: [.read, .grant])))
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: [.read, .grant]))
    let list = s.mdbList(containing: S.root(3))
    let at = list.firstIndex(of: S.root(3))
    #expect(at.map { list[$0 + 1] } == S.root(20))
    #expect(s.mdbNode(at: S.root(20))?.revocable == false)
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == false)
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    #expect(s.invariantViolations() == [])
    // Caps without rights ignore the mask.
    expectSuccess(s.run(cnodeCopy(.root(21), from: .root(1), rights: [])))
    #expect(s.capability(at: S.root(21)) == .thread(S.mainTCB))
  }

  /// Notification caps keep only Write and Read (`maskCapRights`, contract "Rights"): a copy of a
  /// notification cap carrying Grant/GrantReply bits through an all-rights mask loses them.
  @Test func notificationCapsKeepOnlyWriteAndRead() {
    let ntfn = Capability.notification(S.notification, badge: 0, rights: .all)
    #expect(KernelState.maskCapRights(.all, ntfn) == .notification(S.notification, badge: 0, rights: [.write, .read]))
    #expect(
      KernelState.maskCapRights([.read, .grant], ntfn) == .notification(S.notification, badge: 0, rights: [.read]))
    var plan = SystemPlan.sample
    plan.caps[S.root(4)] = ntfn
    var s = KernelState(plan: plan)
    expectSuccess(s.run(cnodeCopy(.root(20), from: .root(4))))
    #expect(s.capability(at: S.root(20)) == .notification(S.notification, badge: 0, rights: [.write, .read]))
  }

  @Test func mintBadgesAnUnbadgedCap() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeMint(.root(20), from: .root(3), data: 9)))
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 9, rights: .all))
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == true)
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    // The earlier badge-5 mint stays a child of the unbadged cap, not of the new badge-9 cap.
    #expect(s.mdbParent(of: S.aux(0)) == S.root(3))
    // Minting the same badge again makes a sibling run, not a child.
    expectSuccess(s.run(cnodeMint(.root(21), from: .root(3), data: 9)))
    #expect(s.mdbParent(of: S.root(20)) == S.root(3))
    #expect(s.mdbParent(of: S.root(21)) == S.root(3))
    // Minting badge 0 from an unbadged cap gives an unbadged, non-original copy.
    expectSuccess(s.run(cnodeMint(.root(22), from: .root(3), data: 0)))
    #expect(s.mdbNode(at: S.root(22))?.revocable == false)
    // A CNode mint sets the guard.
    expectSuccess(s.run(cnodeMint(.root(23), from: .root(13), rights: [], data: 0xB << 6 | 4)))
    #expect(s.capability(at: S.root(23)) == .cnode(S.auxCNode, radix: 4, guardSize: 4, guard: 0xB))
    #expect(s.invariantViolations() == [])
  }

  @Test func moveKeepsTheListPositionAndEmptiesTheSource() {
    var s = KernelState.sample
    let before = s.mdbList(containing: S.root(3))
    expectSuccess(s.run(cnodeMove(.root(20), from: .root(3))))
    #expect(s.capability(at: S.root(3)) == .null)
    #expect(s.capability(at: S.root(20)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(s.mdbList(containing: S.root(20)) == before.map { $0 == S.root(3) ? S.root(20) : $0 })
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    #expect(s.mdbParent(of: S.aux(0)) == S.root(20))
    #expect(s.invariantViolations() == [])
  }

  @Test func mutateMovesAThreadCapAndChangesCNodeGuards() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeMutate(.root(21), from: .root(1), data: 12345)))
    #expect(s.capability(at: S.root(21)) == .thread(S.mainTCB))
    expectSuccess(s.run(cnodeMutate(.root(20), from: .root(13), data: 0x3 << 6 | 6)))
    #expect(s.capability(at: S.root(13)) == .null)
    #expect(s.capability(at: S.root(20)) == .cnode(S.auxCNode, radix: 4, guardSize: 6, guard: 3))
    #expect(s.invariantViolations() == [])
  }

  @Test func copyingAnUntypedMarksTheSourceFull() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeCopy(.root(20), from: .root(10))))
    #expect(s.capability(at: S.root(20)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    #expect(
      s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(s.mdbNode(at: S.root(20))?.revocable == true)
    #expect(s.invariantViolations() == [])
  }

  // MARK: Rotate

  @Test func rotateMovesPivotToDestAndSourceToPivot() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeRotate(.root(20), pivot: .root(6), src: .root(1))))
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
    expectSuccess(s.run(cnodeRotate(.root(1), pivot: .root(2), pivotData: 48, src: .root(1))))
    #expect(s.capability(at: S.root(1)) == S.rootCap)
    #expect(s.capability(at: S.root(2)) == .thread(S.mainTCB))
    // The two nodes swapped places: slot 1 now heads the root CNode cap's chain.
    #expect(s.mdbList(containing: S.root(1)) == [S.root(1), S.aux(2), SlotRef(S.mainTCB, 0)])
    #expect(s.mdbList(containing: S.root(2)) == [S.root(2)])
    #expect(s.mdbParent(of: SlotRef(S.mainTCB, 0)) == S.root(1))
    #expect(s.invariantViolations() == [])
  }

  // MARK: CancelBadgedSends, Delete, Revoke

  @Test func cancelBadgedSendsWithNoSenderQueuedChangesNothing() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeCancelBadgedSends(.root(3))))
    #expect(s == KernelState.sample)
  }

  @Test func deleteAndRevokeOfEmptySlotsSucceed() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeDelete(.root(40))))
    expectSuccess(s.run(cnodeRevoke(.root(40))))
    #expect(s == KernelState.sample)
  }
}

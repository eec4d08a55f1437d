import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct DeleteTests {
  @Test func deletingANonFinalCapLeavesTheObject() {
    var s = KernelState.sample
    let before = s.mdbList(containing: S.root(3))
    expectSuccess(s.run(cnodeDelete(.root(3))))
    #expect(s.capability(at: S.root(3)) == .null)
    #expect(s.objects[S.endpoint] == .endpoint)
    #expect(s.mdbList(containing: S.aux(0)) == before.filter { $0 != S.root(3) })
    let empty = s.mdbNode(at: S.root(3))
    #expect(empty?.prev == nil && empty?.next == nil && empty?.revocable == false)
    #expect(s.invariantViolations() == [])
  }

  @Test func deletingTheFinalCapDestroysTheObject() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeDelete(.root(14))))
    expectSuccess(s.run(cnodeDelete(.aux(0))))
    #expect(s.objects[S.endpoint] == .endpoint)
    expectSuccess(s.run(cnodeDelete(.root(3))))
    #expect(s.objects[S.endpoint] == nil)
    #expect(s.load(S.endpoint) == 0)
    // A reply cap is final at once.
    expectSuccess(s.run(cnodeDelete(.root(5))))
    #expect(s.objects[S.reply] == nil)
    // Control caps and untypeds name no object.
    expectSuccess(s.run(cnodeDelete(.root(7))))
    expectSuccess(s.run(cnodeDelete(.root(10))))
    #expect(s.objects.count == 5 + 3, "with the idle TCB and scheduling context and the IRQ node")
    // So is the SC cap: the thread running on the SC loses it, and the idle thread runs.
    expectSuccess(s.run(cnodeDelete(.root(6))))
    #expect(s.objects[S.schedContext] == nil)
    #expect(s.ksCurThread == KernelConstants.idleThreadPtr && s.schedContextWord(of: S.mainTCB) == 0)
    #expect(s.objects.count == 4 + 3)
    #expect(s.invariantViolations() == [])
  }

  @Test func theFirstBadgedFlagPassesToTheNextNode() {
    var s = KernelState.sample
    // A second badge-5 run: copy of aux(0) into root 20 sits right after aux(0), not first-badged.
    expectSuccess(s.run(cnodeCopy(.root(20), from: .aux(0))))
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == false)
    expectSuccess(s.run(cnodeDelete(.aux(0))))
    #expect(s.mdbNode(at: S.root(20))?.firstBadged == true)
    #expect(s.invariantViolations() == [])
  }

  @Test func deletingTheCurrentThreadsTCBStopsIt() {
    var s = KernelState.sample
    let o = s.run(cnodeDelete(.root(1)))
    #expect(o.caller == S.mainTCB)
    #expect(o.reply == nil)
    #expect(o.current == nil)
    #expect(s.ksCurThread == KernelConstants.idleThreadPtr)
    #expect(s.objects[S.mainTCB] == nil)
    // Its CSpace-root slot's cap went with it: root 2 now has no child.
    #expect(s.mdbList(containing: S.root(2)).contains(SlotRef(S.mainTCB, 0)) == false)
    #expect(s.invariantViolations() == [])
    // Nothing runs any more.
    #expect(s.step(cnodeDelete(.root(3))) == Observation(caller: nil, current: nil))
  }

  @Test func deletingACNodeDeletesTheCapsInIt() {
    var s = KernelState.sample
    // A radix-2 CNode from the small untyped in root 20, then an EP copy and a CNode cap to itself inside it.
    expectSuccess(s.run(retype(10, .capTable, sizeBits: 2, offset: 20, count: 1)))
    let cnode = S.smallUntyped
    // Slot 1: an unbadged EP copy; slot 2: a copy of its own cap.
    expectSuccess(s.run(cnodeMint(Address(index: 20 << 2 | 1, depth: 58), from: .root(3), data: 0)))
    expectSuccess(s.run(cnodeCopy(Address(index: 20 << 2 | 2, depth: 58), from: .root(20))))
    #expect(s.capability(at: SlotRef(cnode, 1)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(s.capability(at: SlotRef(cnode, 2)) == .cnode(cnode, radix: 2, guardSize: 0, guard: 0))
    expectSuccess(s.run(cnodeDelete(.root(20))))
    #expect(s.objects[cnode] != nil)  // the copy inside still names it
    // Revoking the untyped deletes the self-referencing copy, which is final: the CNode and its EP copy go.
    expectSuccess(s.run(cnodeRevoke(.root(10))))
    #expect(s.objects[cnode] == nil)
    #expect(s.objects[S.endpoint] == .endpoint)
    #expect(!s.mdbList(containing: S.root(3)).contains { $0.container == cnode })
    #expect(s.invariantViolations() == [])
  }

  @Test func revokingALargeTreeDeletesEveryDescendant() {
    var s = KernelState.sample
    // A radix-8 CNode from the small untyped, then 200 endpoints from the big one into it.
    expectSuccess(s.run(retype(10, .capTable, sizeBits: 8, offset: 30, count: 1)))
    expectSuccess(s.run(retype(11, .endpoint, nodeIndex: 30, nodeDepth: 56, offset: 0, count: 200)))
    let cnode = S.smallUntyped
    #expect(s.capability(at: SlotRef(cnode, 199)) == .endpoint(S.bigUntyped + 199 * 16, badge: 0, rights: .all))
    // Copies of some of them elsewhere, children of the endpoints' caps.
    expectSuccess(s.run(cnodeCopy(.root(31), from: Address(index: 30 << 8 | 7, depth: 64))))
    #expect(s.objects.count == 7 + 3 + 1 + 200, "with the idle TCB and scheduling context and the IRQ node")
    #expect(s.invariantViolations() == [])
    expectSuccess(s.run(cnodeRevoke(.root(11))))
    #expect(s.objects.count == 7 + 3 + 1)
    #expect(s.capability(at: S.root(31)) == .null)
    for i in UInt64(0)..<256 { #expect(s.capability(at: SlotRef(cnode, i)) == .null) }
    #expect(s.mdbList(containing: S.root(11)) == [S.root(11)])
    #expect(s.invariantViolations() == [])
  }

  @Test func revokeOnlyTouchesDescendants() {
    var s = KernelState.sample
    expectSuccess(s.run(cnodeRevoke(.root(3))))
    #expect(s.capability(at: S.aux(0)) == .null)
    #expect(s.capability(at: S.root(14)) == .null)
    #expect(s.capability(at: S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(s.capability(at: S.aux(1)) != .null)
    #expect(s.objects[S.endpoint] == .endpoint)
    #expect(s.invariantViolations() == [])
  }
}

import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct StateTests {
  let plan = SystemPlan.oneThread
  let state = KernelState(plan: .oneThread)

  @Test func objectsAndThreadsComeFromThePlan() {
    // The plan's objects and the idle TCB and scheduling context.
    #expect(state.objects.count == plan.objects.count + 3, "the idle TCB and scheduling context, the IRQ node")
    #expect(state.objects[S.rootCNode] == .cnode(radix: 8))
    #expect(state.objects[S.mainTCB] == .tcb)
    #expect(state.objects[S.schedContext] == .schedContext(sizeBits: 8))
    #expect(state.ksCurThread == S.mainTCB)
    #expect(state.threadState(of: S.mainTCB) == .running)
    #expect(state.priority(of: S.mainTCB) == 100)
    #expect(state.maxControlledPriority(of: S.mainTCB) == 255)
    #expect(state.threadState(of: S.endpoint) == nil)
    #expect(state.invariantViolations() == [])
  }

  @Test func everySlotHoldsThePlansCap() {
    for i in UInt64(0)..<256 { #expect(state.capability(at: S.root(i)) == (plan.caps[S.root(i)] ?? .null)) }
    for j in UInt64(0)..<16 { #expect(state.capability(at: S.aux(j)) == (plan.caps[S.aux(j)] ?? .null)) }
    for k in UInt64(0)..<5 {
      #expect(state.capability(at: SlotRef(S.mainTCB, k)) == (plan.caps[SlotRef(S.mainTCB, k)] ?? .null))
    }
    #expect(state.capability(at: S.root(256)) == nil)
    #expect(state.capability(at: SlotRef(S.mainTCB, 5)) == nil)
    #expect(state.capability(at: SlotRef(S.endpoint, 0)) == nil)
  }

  @Test func cteAddressesAndSlotRefsAreInverse() {
    #expect(state.cteAddress(of: S.root(3)) == S.rootCNode + 3 * 32)
    #expect(state.cteAddress(of: SlotRef(S.mainTCB, 4)) == S.mainTCB + 4 * 32)
    for slot in [S.root(0), S.root(255), S.aux(0), S.aux(15), SlotRef(S.mainTCB, 0), SlotRef(S.mainTCB, 4)] {
      let cte = state.cteAddress(of: slot)
      #expect(cte != nil)
      #expect(cte.flatMap { state.slotRef(ofCTE: $0) } == slot)
    }
    #expect(state.slotRef(ofCTE: S.mainTCB + 5 * 32) == nil)
    #expect(state.slotRef(ofCTE: S.endpoint) == nil)
    #expect(state.slotRef(ofCTE: S.rootCNode + 8) == nil)
    #expect(state.slotRef(ofCTE: 0) == nil)
    #expect(state.slotRef(ofCTE: UInt64.max & ~31) == nil)
  }

  /// Boot convention (as seL4's boot code): every root of the plan's tree starts its own MDB chain,
  /// the root and then its subtree in prefix order (children sorted by slot); roots are not linked.
  @Test func everyRootOfThePlansTreeStartsItsOwnChain() {
    let tcbCSpace = SlotRef(S.mainTCB, 0)
    var chains: [[SlotRef]] = [
      [S.root(1)], [S.root(2), S.aux(2), tcbCSpace], [S.root(3), S.aux(0), S.root(14)],
      [S.root(4), S.root(15), S.aux(1)],
      [S.root(5)], [S.root(6)], [S.root(7)], [S.root(8)], [S.root(9)], [S.root(10)], [S.root(11)], [S.root(12)],
      [S.root(13), S.aux(3)],
    ]
    if plan.caps[S.aux(2)] == nil { chains[1].removeAll { $0 == S.aux(2) } }
    if plan.caps[S.aux(3)] == nil { chains[12].removeAll { $0 == S.aux(3) } }
    for chain in chains {
      #expect(state.mdbNode(at: chain[0])?.prev == nil, "\(chain[0]) heads its chain")
      #expect(state.mdbList(containing: chain[0]) == chain)
      for slot in chain {
        #expect(state.mdbParent(of: slot) == plan.cdtParent[slot], "parent of \(slot)")
        let node = state.mdbNode(at: slot)
        #expect(node?.revocable == plan.originals.contains(slot))
      }
    }
    #expect(state.mdbNode(at: S.aux(0))?.firstBadged == true)
    #expect(state.mdbNode(at: S.root(14))?.firstBadged == false)
    #expect(state.mdbNode(at: S.root(3))?.firstBadged == false)
    let empty = state.mdbNode(at: S.root(20))
    #expect(empty?.prev == nil && empty?.next == nil && empty?.revocable == false && empty?.firstBadged == false)
  }

  @Test func rootCNodeCapsInRootSlotsAreWalkedThroughNotInvoked() {
    var s = KernelState(plan: .oneThread)
    let o = s.step(invoke(S.cptr(root: 2), .cnodeDelete, [3, 56]))
    let failure = LookupFailure.guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 48)
    #expect(o.fault == .capFault(address: S.cptr(root: 2), inReceivePhase: false, failure: failure))
  }

  @Test func planCapsOutsideLiveContainersAreIgnored() {
    var odd = SystemPlan.sample
    odd.caps[SlotRef(S.endpoint, 0)] = .domain
    odd.threads.append(.init(tcb: S.endpoint))
    let s = KernelState(plan: odd)
    #expect(s.capability(at: SlotRef(S.endpoint, 0)) == nil)
    #expect(s.invariantViolations() == [])
  }
}

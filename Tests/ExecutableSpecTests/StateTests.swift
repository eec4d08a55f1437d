// The initial state built from the sample plan: objects, threads, and the MDB lists.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct StateTests {
  @Test func sampleObjectsAndThreads() {
    let state = ExecState.sample
    #expect(state.ksPSpace.count == SystemPlan.sample.objects.count)
    #expect(state.ksCurThread == S.mainTCB)
    #expect(state.tcb(at: S.mainTCB)?.state == .running)
    #expect(state.tcb(at: S.mainTCB)?.priority == 100)
    guard case .cnode(let root) = state.ksPSpace[S.rootCNode] else {
      Issue.record("root CNode missing")
      return
    }
    #expect(root.ctes.count == 256)
    #expect(state.getCap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(state.invariantViolations() == [])
  }

  /// Boot convention (as seL4's boot code): every root of the plan's tree starts its own MDB chain,
  /// the root and then its subtree in prefix order (children sorted by slot); roots are not linked,
  /// not even roots of the same cap class.
  @Test func everyRootOfThePlansTreeStartsItsOwnChain() {
    let state = ExecState.sample
    let tcbCSpace = SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)
    let chains: [[SlotRef]] = [
      [S.root(1)], [S.root(2), S.aux(2), tcbCSpace], [S.root(3), S.aux(0), S.root(14)], [S.root(4), S.aux(1)],
      [S.root(5)], [S.root(6)], [S.root(7)], [S.root(8)], [S.root(9)], [S.root(10)], [S.root(11)], [S.root(12)],
      [S.root(13), S.aux(3)],
    ]
    for chain in chains {
      #expect(state.head(of: chain[chain.count - 1]) == chain[0])
      #expect(state.list(from: chain[0]) == chain)
    }
  }

  @Test func flagsFollowOriginalsAndBadges() {
    let state = ExecState.sample
    #expect(
      state.cte(at: S.aux(0))?.mdb == MDBNode(prev: S.root(3), next: S.root(14), revocable: true, firstBadged: true))
    #expect(state.cte(at: S.root(14))?.mdb.revocable == false)
    #expect(state.cte(at: S.root(14))?.mdb.firstBadged == false)
    #expect(state.cte(at: S.root(3))?.mdb.revocable == true)
    #expect(state.cte(at: S.root(3))?.mdb.firstBadged == false)
    #expect(state.cte(at: S.aux(1))?.mdb.revocable == false)
  }

  @Test func isMDBParentOfReproducesThePlanTree() {
    let state = ExecState.sample
    #expect(state.derivedParents() == SystemPlan.sample.cdtParent)
    #expect(Set(state.descendantsOf(S.root(3))) == [S.aux(0), S.root(14)])
    #expect(state.descendantsOf(S.aux(0)) == [S.root(14)])
  }

  @Test func firstBadgedKeepsASiblingBadgedSubtreeApart() {
    // Two original caps with the same badge, the second right after the first: without
    // firstBadged the second would be the first's child.
    var plan = SystemPlan.sample
    plan.caps[S.root(20)] = .endpoint(S.endpoint, badge: 5, rights: .all)
    plan.cdtParent[S.root(20)] = S.root(3)
    plan.originals.insert(S.root(20))
    let state = ExecState(plan: plan)
    #expect(state.derivedParents() == plan.cdtParent)
    #expect(state.invariantViolations() == [])
  }

  @Test func initialStatesAreValues() {
    var a = ExecState.sample
    let b = ExecState.sample
    #expect(a == b)
    a.cteDelete(S.root(4))
    #expect(a != b)
    #expect(b.getCap(S.root(4)) != .null)
  }
}

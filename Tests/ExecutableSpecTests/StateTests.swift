// The initial state built from the sample plan: objects, threads, and the MDB lists; the slot
// table a CNode keeps its slots in.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct StateTests {
  @Test func sampleObjectsAndThreads() {
    let state = ExecState.sample
    // The plan's objects and the idle TCB and scheduling context.
    #expect(state.ksPSpace.count == SystemPlan.oneThread.objects.count + 3)
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
      [S.root(1)], [S.root(2), S.aux(2), tcbCSpace], [S.root(3), S.aux(0), S.root(14)],
      [S.root(4), S.root(15), S.aux(1)],
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
    #expect(state.derivedParents() == SystemPlan.oneThread.cdtParent)
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

  @Test("a slot table reads, lists and diffs as a plain array of slots does (seeded)")
  func slotTableAgainstAnArray() {
    // Tables of one group of a few chunks, and one of three groups of 4,096 slots and part of a
    // fourth; writes cluster so that chunks and groups fill and empty again, and each round's
    // diff is checked against the slots it wrote.
    var rng = SplitMix64(seed: 7)
    for count in [100, 256, 3 * 4096 + 100] { slotTableAgainstAnArray(count: count, &rng) }
  }

  func slotTableAgainstAnArray(count: Int, _ rng: inout SplitMix64) {
    var table = SlotTable(count: count)
    var reference = [CTE](repeating: .null, count: count)
    for _ in 0..<300 {
      let before = table
      let old = reference
      for _ in 0..<(1 + rng.below(8)) {
        let index = Int(rng.below(UInt64(count + 10)))  // some beyond the table: ignored
        let centre = rng.below(2) == 0 ? index : (Int(rng.below(3)) * 4096 + Int(rng.below(130))) % (count + 10)
        let cte =
          rng.below(3) == 0
          ? CTE.null
          : CTE(
            cap: .endpoint(0x1000 * (1 + rng.below(4)), badge: rng.below(3), rights: .all),
            mdb: MDBNode(prev: nil, next: nil, revocable: rng.below(2) == 0, firstBadged: false))
        table[centre] = cte
        if centre < count { reference[centre] = cte }
      }
      let expected = Set((0..<count).filter { reference[$0] != old[$0] }.map { UInt64($0) })
      #expect(table.changedIndices(from: before) == expected)
      #expect(before.changedIndices(from: table) == expected)
      #expect(Array(before) == old)
    }
    #expect(Array(table) == reference)
    #expect(table[-1] == .null && table[count] == .null && table[count + 5000] == .null)
    let occupied = reference.indices.filter { reference[$0] != .null }
    #expect(table.occupied.map(\.index) == occupied.map { UInt64($0) })
    // Nothing empty is kept, so a table built in another order is equal, with an equal hash.
    for group in table.groups.values {
      #expect(group.count == (count >= 4096 ? 64 : (count + 63) / 64))
      #expect(group.contains { $0 != nil })
      for chunk in group { #expect(chunk?.contains { $0 != .null } ?? true) }
    }
    var rebuilt = SlotTable(count: count)
    for index in occupied.reversed() { rebuilt[index] = reference[index] }
    #expect(rebuilt == table)
    #expect(rebuilt.hashValue == table.hashValue)
    #expect(rebuilt.changedIndices(from: table).isEmpty)
    var emptied = table
    for index in occupied { emptied[index] = .null }
    #expect(emptied == SlotTable(count: count))
    #expect(emptied.groups.isEmpty)
  }
}

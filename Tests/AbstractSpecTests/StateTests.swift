// The initial state built from the sample plan, and a CNode's slots as a value.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct StateTests {

  @Test("the sample plan's caps, objects and current thread arrive in the state")
  func sampleState() {
    let state = AbstractState(plan: .oneThread)
    #expect(state.getCap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(state.getCap(SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)) == S.rootCap)
    #expect(state.getCap(S.root(200)) == .null)
    #expect(state.currentThread == S.mainTCB)
    #expect(state.tcb(at: S.mainTCB)?.state == .running)
    // The plan's 7 objects and the idle TCB and scheduling context.
    #expect(state.kheap.count == 7 + 3, "the idle TCB and scheduling context, the IRQ node")
  }

  @Test("a CNode's slots are a value: a copy keeps its caps, an emptied slot is gone, order does not matter")
  func slotsAreAValue() {
    // The slots are a hash trie that a copy shares (`CapSlots`): a write must not reach the
    // state it was copied from, and writing a slot null must leave the CNode equal to one in
    // which it was never written.
    var rng = SplitMix64(seed: 12)
    let before = AbstractState(plan: .oneThread)
    guard case .cnode(let root)? = before.kheap[S.rootCNode] else {
      Issue.record("the sample has no root CNode")
      return
    }
    let original = Dictionary(uniqueKeysWithValues: root.slots.map { ($0.key, $0.value) })
    var after = before
    var expected = original
    for _ in 0..<2_000 {
      let index = 100 + rng.below(150)
      let cap: Capability = rng.below(3) == 0 ? .null : .endpoint(S.endpoint, badge: rng.below(4), rights: .all)
      after.setCap(S.root(index), cap)
      expected[index] = cap.isNull ? nil : cap
    }
    #expect(Dictionary(uniqueKeysWithValues: root.slots.map { ($0.key, $0.value) }) == original)
    for index in 100..<250 { #expect(before.getCap(S.root(UInt64(index))) == original[UInt64(index)] ?? .null) }
    guard case .cnode(let written)? = after.kheap[S.rootCNode] else {
      Issue.record("the root CNode went")
      return
    }
    #expect(Dictionary(uniqueKeysWithValues: written.slots.map { ($0.key, $0.value) }) == expected)
    // The same slots inserted in another order make an equal CNode, with an equal hash.
    var rebuilt = CapSlots()
    for (index, cap) in expected.sorted(by: { $0.key > $1.key }) { rebuilt[index] = cap }
    let other = CNode(radix: written.radix, slots: rebuilt)
    #expect(written == other)
    #expect(written.hashValue == other.hashValue)
  }
}

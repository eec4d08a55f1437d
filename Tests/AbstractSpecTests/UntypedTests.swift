// Untyped_Retype: placement at the aligned watermark, the caps and objects it creates, reset after
// revoke, and sel4test's RETYPE behaviours. Its checks and their order (reference §7) are one table
// for all layers: RefinementTests/ErrorOrderTests.swift.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct RetypeTests {
  @Test("objects go at the aligned watermark, which rises past them")
  func placement() {
    var k = AbstractState.sample
    #expect(k.answer(retype(10, .endpoint, offset: 20)) == .success)
    #expect(k.getCap(S.root(20)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(k.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
    #expect(k.answer(retype(10, .tcb, offset: 21, count: 2)) == .success)
    #expect(k.getCap(S.root(21)) == .thread(S.smallUntyped + 0x800))
    #expect(k.getCap(S.root(22)) == .thread(S.smallUntyped + 0x1000))
    #expect(k.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x1800))
    for slot in [S.root(20), S.root(21), S.root(22)] {
      #expect(k.cdt[slot] == S.root(10) && k.isOriginalCap.contains(slot))
    }
    #expect(k.tcb(at: S.smallUntyped + 0x800) == TCB(state: .inactive, priority: 0, maxControlledPriority: 0))
  }

  @Test("each type gets its object and its cap")
  func everyType() {
    var k = AbstractState.sample
    let base = S.bigUntyped
    #expect(k.answer(retype(11, .untyped, sizeBits: 12, offset: 20)) == .success)
    #expect(k.answer(retype(11, .tcb, offset: 21)) == .success)
    #expect(k.answer(retype(11, .endpoint, offset: 22)) == .success)
    #expect(k.answer(retype(11, .notification, offset: 23)) == .success)
    #expect(k.answer(retype(11, .capTable, sizeBits: 4, offset: 24)) == .success)
    #expect(k.answer(retype(11, .schedContext, sizeBits: 8, offset: 25)) == .success)
    #expect(k.answer(retype(11, .reply, offset: 26)) == .success)
    #expect(k.getCap(S.root(20)) == .untyped(base: base, sizeBits: 12, isDevice: false, freeIndex: 0))
    #expect(k.getCap(S.root(21)) == .thread(base + 0x1000))
    #expect(k.getCap(S.root(22)) == .endpoint(base + 0x1800, badge: 0, rights: .all))
    #expect(k.getCap(S.root(23)) == .notification(base + 0x1840, badge: 0, rights: [.read, .write]))
    #expect(k.getCap(S.root(24)) == .cnode(base + 0x1a00, radix: 4, guardSize: 0, guard: 0))
    #expect(k.getCap(S.root(25)) == .schedContext(base + 0x1c00, sizeBits: 8))
    #expect(k.getCap(S.root(26)) == .reply(base + 0x1d00, canGrant: true))
    #expect(k.kheap[base] == nil)  // untyped memory is not an object
    #expect(k.kheap[base + 0x1a00] == .cnode(CNode(radix: 4)))
    #expect(k.kheap[base + 0x1c00] == .schedContext(SchedContext(sizeBits: 8)))
    #expect(k.kheap[base + 0x1d00] == .reply(Reply()))
  }

  @Test("a device untyped yields device untypeds")
  func deviceChild() {
    var k = AbstractState.sample
    #expect(k.answer(retype(12, .untyped, sizeBits: 12, offset: 20, count: 2)) == .success)
    #expect(
      k.getCap(S.root(21)) == .untyped(base: S.deviceUntyped + 0x1000, sizeBits: 12, isDevice: true, freeIndex: 0))
  }

  @Test("objects made from a child untyped descend from both; revoking the parent removes all")
  func childUntyped() {
    var k = AbstractState.sample
    #expect(k.answer(retype(11, .untyped, sizeBits: 12, offset: 20)) == .success)
    #expect(k.answer(retype(20, .endpoint, offset: 21)) == .success)
    #expect(k.getCap(S.root(21)) == .endpoint(S.bigUntyped, badge: 0, rights: .all))
    #expect(k.descendantsOf(S.root(11)) == [S.root(20), S.root(21)])
    #expect(k.answer(cnodeRevoke(.root(11))) == .success)
    #expect(k.getCap(S.root(20)) == .null && k.getCap(S.root(21)) == .null)
    #expect(k.kheap[S.bigUntyped] == nil)
  }

  @Test("with no children left the region is reset; with some, the watermark stays")
  func reset() {
    var k = AbstractState.sample
    #expect(k.answer(retype(10, .endpoint, offset: 20, count: 3)) == .success)
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    for i: UInt64 in 20...22 { #expect(k.getCap(S.root(i)) == .null) }
    #expect(k.kheap[S.smallUntyped] == nil)
    #expect(k.answer(retype(10, .notification, offset: 20)) == .success)
    #expect(k.getCap(S.root(20)) == .notification(S.smallUntyped, badge: 0, rights: [.read, .write]))
    // Deleting one of two children keeps the watermark; deleting both resets it.
    #expect(k.answer(retype(10, .endpoint, offset: 21)) == .success)
    #expect(k.answer(cnodeDelete(.root(20))) == .success)
    #expect(k.answer(retype(10, .endpoint, offset: 22)) == .success)
    #expect(k.getCap(S.root(22)) == .endpoint(S.smallUntyped + 0x50, badge: 0, rights: .all))
    #expect(k.answer(cnodeDelete(.root(21))) == .success)
    #expect(k.answer(cnodeDelete(.root(22))) == .success)
    #expect(k.answer(retype(10, .endpoint, offset: 23)) == .success)
    #expect(k.getCap(S.root(23)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
  }

  @Test("RETYPE: fill an untyped with TCBs, find it full, revoke, retype again at the start")
  func fillRevokeRetype() {
    var k = AbstractState.sample
    #expect(k.answer(retype(11, .capTable, sizeBits: 8, offset: 20)) == .success)
    // The new CNode is root slot 20's cap: named from the root with 56 + 8 bits.
    #expect(k.answer(retype(10, .tcb, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 256)) == .success)
    #expect(k.getCap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(k.getCap(SlotRef(S.bigUntyped, 255)) == .thread(S.smallUntyped + 255 << 11))
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    #expect(k.kheap.count == 8 + 3, "with the idle TCB, the idle scheduling context and the IRQ node")
    #expect(k.answer(retype(10, .tcb, offset: 21)) == .success)
    #expect(k.getCap(S.root(21)) == .thread(S.smallUntyped))
  }

  @Test("revoking 200 endpoints removes every one and leaves the untyped reusable")
  func revokeLargeTree() {
    var k = AbstractState.sample
    #expect(k.answer(retype(11, .capTable, sizeBits: 8, offset: 20)) == .success)
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 200)) == .success)
    #expect(k.descendantsOf(S.root(10)).count == 200)
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    #expect(k.descendantsOf(S.root(10)).isEmpty)
    #expect(!k.kheap.keys.contains { $0 >= S.smallUntyped && $0 < S.smallUntyped + (1 << 19) })
    if case .cnode(let table) = k.kheap[S.bigUntyped] {
      #expect(table.slots.isEmpty)
    } else {
      Issue.record("the CNode is gone")
    }
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 256)) == .success)
    #expect(k.getCap(SlotRef(S.bigUntyped, 0)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
  }
}

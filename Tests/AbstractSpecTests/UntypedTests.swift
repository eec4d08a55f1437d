// Untyped_Retype: every check of reference §7 in order with its payload, placement at the aligned
// watermark, the caps and objects it creates, reset after revoke, and sel4test's RETYPE behaviours.

import AbstractSpec
import KernelABI
import Testing

@Suite struct UntypedDecodeTests {
  @Test("label, then message length and the extra cap")
  func prefix() {
    var k = Harness()
    k.expectError(invoke(S.cptr(root: 10), .cnodeCopy, [2, 0, 0, 0, 20, 1], caps: [rootCNodeCptr]), .illegalOperation)
    k.expectError(invoke(S.cptr(root: 10), .untypedRetype, [2, 0, 0, 0, 20], caps: [rootCNodeCptr]), .truncatedMessage)
    k.expectError(invoke(S.cptr(root: 10), .untypedRetype, [2, 0, 0, 0, 20, 1]), .truncatedMessage)
  }

  @Test("type, then size_bits range, then the per-type minimum")
  func typeAndSize() {
    var k = Harness()
    k.expectError(retype(10, 7, sizeBits: 64, offset: 20), .invalidArgument(argument: 0))
    k.expectError(retype(10, .endpoint, sizeBits: 64, offset: 20), .rangeError(min: 0, max: 47))
    k.expectError(retype(10, .untyped, sizeBits: 48, offset: 20), .rangeError(min: 0, max: 47))
    k.expectError(retype(10, .capTable, sizeBits: 43, offset: 20), .rangeError(min: 0, max: 47))
    k.expectError(retype(10, .capTable, sizeBits: 0, offset: 20), .invalidArgument(argument: 1))
    k.expectError(retype(10, .untyped, sizeBits: 3, offset: 20), .invalidArgument(argument: 1))
    k.expectError(retype(10, .schedContext, sizeBits: 6, offset: 20), .invalidArgument(argument: 1))
    // Size bits are checked before the destination: a bad node depth is not reached.
    k.expectError(retype(10, .capTable, sizeBits: 0, nodeDepth: 70, offset: 20), .invalidArgument(argument: 1))
  }

  @Test("the destination CNode: lookup errors, then not a CNode")
  func destination() {
    var k = Harness()
    k.expectError(retype(10, .endpoint, nodeIndex: 3, nodeDepth: 65, offset: 0), .rangeError(min: 1, max: 64))
    k.expectError(retype(10, .endpoint, nodeIndex: 3 << 8, nodeDepth: 64, offset: 0), .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    k.expectError(retype(10, .endpoint, nodeIndex: 3, nodeDepth: 56, offset: 0), .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
    k.expectError(retype(10, .endpoint, nodeIndex: 30, nodeDepth: 56, offset: 0), .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
  }

  @Test("offset, fan-out, window, then occupied slots")
  func slots() {
    var k = Harness()
    k.expectError(retype(10, .endpoint, offset: 256), .rangeError(min: 0, max: 255))
    k.expectError(retype(10, .endpoint, nodeIndex: 13, nodeDepth: 56, offset: 16), .rangeError(min: 0, max: 15))
    k.expectError(retype(10, .endpoint, offset: 20, count: 0), .rangeError(min: 1, max: 256))
    k.expectError(retype(10, .endpoint, offset: 20, count: 257), .rangeError(min: 1, max: 256))
    k.expectError(retype(10, .endpoint, offset: 10, count: 250), .rangeError(min: 1, max: 246))
    k.expectError(retype(10, .endpoint, nodeIndex: 13, nodeDepth: 56, offset: 10, count: 7), .rangeError(min: 1, max: 6))
    k.expectError(retype(10, .endpoint, offset: 1), .deleteFirst)
    k.expectError(retype(10, .endpoint, offset: 12, count: 4), .deleteFirst)
  }

  @Test("NotEnoughMemory reports the free bytes; it comes before the device check")
  func memory() {
    var k = Harness()
    k.expectError(retype(10, .untyped, sizeBits: 18, offset: 20, count: 3), .notEnoughMemory(freeBytes: 1 << 19))
    #expect(k.answer(retype(10, .endpoint, offset: 20)) == .success)
    k.expectError(retype(10, .untyped, sizeBits: 18, offset: 21, count: 2), .notEnoughMemory(freeBytes: (1 << 19) - 16))
    k.expectError(retype(12, .tcb, offset: 21, count: 33), .notEnoughMemory(freeBytes: 1 << 16))
    k.expectError(retype(12, .tcb, offset: 21, count: 32), .invalidArgument(argument: 1))
    k.expectError(retype(12, .endpoint, offset: 21), .invalidArgument(argument: 1))
  }
}

@Suite struct RetypeTests {
  @Test("objects go at the aligned watermark, which rises past them")
  func placement() {
    var k = Harness()
    #expect(k.answer(retype(10, .endpoint, offset: 20)) == .success)
    #expect(k.cap(S.root(20)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(k.cap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
    #expect(k.answer(retype(10, .tcb, offset: 21, count: 2)) == .success)
    #expect(k.cap(S.root(21)) == .thread(S.smallUntyped + 0x800))
    #expect(k.cap(S.root(22)) == .thread(S.smallUntyped + 0x1000))
    #expect(k.cap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x1800))
    for slot in [S.root(20), S.root(21), S.root(22)] {
      #expect(k.state.cdt[slot] == S.root(10) && k.state.isOriginalCap.contains(slot))
    }
    #expect(k.state.tcb(at: S.smallUntyped + 0x800) == TCB(state: .inactive, priority: 0, maxControlledPriority: 0))
  }

  @Test("each type gets its object and its cap")
  func everyType() {
    var k = Harness()
    let base = S.bigUntyped
    #expect(k.answer(retype(11, .untyped, sizeBits: 12, offset: 20)) == .success)
    #expect(k.answer(retype(11, .tcb, offset: 21)) == .success)
    #expect(k.answer(retype(11, .endpoint, offset: 22)) == .success)
    #expect(k.answer(retype(11, .notification, offset: 23)) == .success)
    #expect(k.answer(retype(11, .capTable, sizeBits: 4, offset: 24)) == .success)
    #expect(k.answer(retype(11, .schedContext, sizeBits: 8, offset: 25)) == .success)
    #expect(k.answer(retype(11, .reply, offset: 26)) == .success)
    #expect(k.cap(S.root(20)) == .untyped(base: base, sizeBits: 12, isDevice: false, freeIndex: 0))
    #expect(k.cap(S.root(21)) == .thread(base + 0x1000))
    #expect(k.cap(S.root(22)) == .endpoint(base + 0x1800, badge: 0, rights: .all))
    #expect(k.cap(S.root(23)) == .notification(base + 0x1840, badge: 0, rights: [.read, .write]))
    #expect(k.cap(S.root(24)) == .cnode(base + 0x1a00, radix: 4, guardSize: 0, guard: 0))
    #expect(k.cap(S.root(25)) == .schedContext(base + 0x1c00, sizeBits: 8))
    #expect(k.cap(S.root(26)) == .reply(base + 0x1d00, canGrant: true))
    #expect(k.state.kheap[base] == nil)  // untyped memory is not an object
    #expect(k.state.kheap[base + 0x1a00] == .cnode(CNode(radix: 4)))
    #expect(k.state.kheap[base + 0x1c00] == .schedContext(sizeBits: 8))
    #expect(k.state.kheap[base + 0x1d00] == .reply)
  }

  @Test("a device untyped yields device untypeds")
  func deviceChild() {
    var k = Harness()
    #expect(k.answer(retype(12, .untyped, sizeBits: 12, offset: 20, count: 2)) == .success)
    #expect(k.cap(S.root(21)) == .untyped(base: S.deviceUntyped + 0x1000, sizeBits: 12, isDevice: true, freeIndex: 0))
  }

  @Test("objects made from a child untyped descend from both; revoking the parent removes all")
  func childUntyped() {
    var k = Harness()
    #expect(k.answer(retype(11, .untyped, sizeBits: 12, offset: 20)) == .success)
    #expect(k.answer(retype(20, .endpoint, offset: 21)) == .success)
    #expect(k.cap(S.root(21)) == .endpoint(S.bigUntyped, badge: 0, rights: .all))
    #expect(k.state.descendantsOf(S.root(11)) == [S.root(20), S.root(21)])
    #expect(k.answer(cnodeRevoke(.root(11))) == .success)
    #expect(k.cap(S.root(20)) == .null && k.cap(S.root(21)) == .null)
    #expect(k.state.kheap[S.bigUntyped] == nil)
  }

  @Test("with no children left the region is reset; with some, the watermark stays")
  func reset() {
    var k = Harness()
    #expect(k.answer(retype(10, .endpoint, offset: 20, count: 3)) == .success)
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    for i: UInt64 in 20...22 { #expect(k.cap(S.root(i)) == .null) }
    #expect(k.state.kheap[S.smallUntyped] == nil)
    #expect(k.answer(retype(10, .notification, offset: 20)) == .success)
    #expect(k.cap(S.root(20)) == .notification(S.smallUntyped, badge: 0, rights: [.read, .write]))
    // Deleting one of two children keeps the watermark; deleting both resets it.
    #expect(k.answer(retype(10, .endpoint, offset: 21)) == .success)
    #expect(k.answer(cnodeDelete(.root(20))) == .success)
    #expect(k.answer(retype(10, .endpoint, offset: 22)) == .success)
    #expect(k.cap(S.root(22)) == .endpoint(S.smallUntyped + 0x50, badge: 0, rights: .all))
    #expect(k.answer(cnodeDelete(.root(21))) == .success)
    #expect(k.answer(cnodeDelete(.root(22))) == .success)
    #expect(k.answer(retype(10, .endpoint, offset: 23)) == .success)
    #expect(k.cap(S.root(23)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
  }

  @Test("RETYPE: fill an untyped with TCBs, find it full, revoke, retype again at the start")
  func fillRevokeRetype() {
    var k = Harness()
    #expect(k.answer(retype(11, .capTable, sizeBits: 8, offset: 20)) == .success)
    // The new CNode is root slot 20's cap: named from the root with 56 + 8 bits.
    #expect(k.answer(retype(10, .tcb, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 256)) == .success)
    #expect(k.cap(S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 19))
    #expect(k.cap(SlotRef(S.bigUntyped, 255)) == .thread(S.smallUntyped + 255 << 11))
    k.expectError(retype(10, .endpoint, offset: 21), .notEnoughMemory(freeBytes: 0))
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    #expect(k.state.kheap.count == 8)
    #expect(k.answer(retype(10, .tcb, offset: 21)) == .success)
    #expect(k.cap(S.root(21)) == .thread(S.smallUntyped))
  }

  @Test("revoking 200 endpoints removes every one and leaves the untyped reusable")
  func revokeLargeTree() {
    var k = Harness()
    #expect(k.answer(retype(11, .capTable, sizeBits: 8, offset: 20)) == .success)
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 200)) == .success)
    #expect(k.state.descendantsOf(S.root(10)).count == 200)
    #expect(k.answer(cnodeRevoke(.root(10))) == .success)
    #expect(k.state.descendantsOf(S.root(10)).isEmpty)
    #expect(!k.state.kheap.keys.contains { $0 >= S.smallUntyped && $0 < S.smallUntyped + (1 << 19) })
    if case .cnode(let table) = k.state.kheap[S.bigUntyped] { #expect(table.slots.isEmpty) } else { Issue.record("the CNode is gone") }
    #expect(k.answer(retype(10, .endpoint, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 256)) == .success)
    #expect(k.cap(SlotRef(S.bigUntyped, 0)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
  }
}

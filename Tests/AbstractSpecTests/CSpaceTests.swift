// Capability addressing: resolveAddressBits through the sample's two-level CSpace, the failure
// kinds with their exact fields, and lookupSlotForCNodeOp's checks in order.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct CSpaceTests {
  let state = AbstractState(plan: .oneThread)

  @Test("a full-word lookup stops early at a root slot that holds no CNode")
  func rootSlots() throws {
    #expect(try state.lookupSlot(S.mainTCB, S.cptr(root: 3)) == S.root(3))
    let found = try state.resolveAddressBits(S.rootCap, S.cptr(root: 3), 64)
    #expect(found.slot == S.root(3) && found.bitsRemaining == 8)
    #expect(
      try state.lookupCap(S.mainTCB, S.cptr(root: 10)).cap
        == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
  }

  @Test("through root slot 13 a cptr reaches the aux CNode's slots")
  func auxSlots() throws {
    #expect(try state.lookupSlot(S.mainTCB, S.cptr(aux: 1)) == S.aux(1))
    #expect(
      try state.lookupCap(S.mainTCB, S.cptr(aux: 0)).cap
        == .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]))
  }

  @Test("an empty slot is found, holding Null, not a failure")
  func emptySlot() throws {
    #expect(try state.lookupCap(S.mainTCB, S.cptr(root: 99)).cap == .null)
  }

  @Test("guard mismatch reports the bits left, the cap's guard and the guard size")
  func guardMismatch() {
    #expect(throws: LookupError(.guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))) {
      try state.lookupSlot(S.mainTCB, 1 << 63)
    }
    // The aux level's 4 guard bits are 0; 0x10 sets the lowest of them.
    #expect(throws: LookupError(.guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 4))) {
      try state.lookupSlot(S.mainTCB, 13 << 8 | 0x10)
    }
  }

  @Test("a level that needs more bits than remain is a depth mismatch")
  func depthMismatch() {
    #expect(throws: LookupError(.depthMismatch(bitsLeft: 50, bitsFound: 56))) {
      try state.resolveAddressBits(S.rootCap, 3, 50)
    }
  }

  @Test("a thread whose CSpace root is not a CNode cap has an invalid root")
  func invalidRoot() {
    var broken = state
    broken.setCap(mainSlot(.cspace), .endpoint(S.endpoint, badge: 0, rights: .all))
    #expect(throws: LookupError(.invalidRoot)) { try broken.lookupCap(S.mainTCB, S.cptr(root: 3)) }
  }

  @Test("lookupSlotForCNodeOp finds destination and source slots (its errors: ErrorOrderTests)")
  func cnodeOpLookup() throws {
    #expect(try state.lookupSlotForCNodeOp(isSource: false, S.rootCap, 3, depth: 56) == S.root(3))
    #expect(try state.lookupSlotForCNodeOp(isSource: true, S.rootCap, S.cptr(aux: 2), depth: 64) == S.aux(2))
  }
}

// resolveAddressBits, lookupSlot and lookupSlotForCNodeOp on the sample's two-level CSpace.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct CSpaceTests {
  let state = ExecState.sample

  @Test func rootSlotsResolveWithBitsLeftOver() throws {
    let result = try state.resolveAddressBits(S.rootCap, S.cptr(root: 3), 64)
    #expect(result.slot == S.root(3))
    #expect(result.bitsRemaining == 8)
    #expect(try state.lookupSlot(S.mainTCB, S.cptr(root: 3)) == S.root(3))
  }

  @Test func invokedCNodeCapsLiveInAuxSlots() throws {
    #expect(try state.lookupCap(S.mainTCB, S.cptr(aux: 2)).cap == S.rootCap)
    // Root slot 2's CNode cap cannot be reached at full depth: its 48-bit guard needs more than 8 bits.
    #expect(throws: LookupFault(.guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 48))) {
      try state.lookupSlot(S.mainTCB, S.cptr(root: 2))
    }
  }

  @Test func auxSlotsResolveThroughTwoLevels() throws {
    let result = try state.resolveAddressBits(S.rootCap, S.cptr(aux: 1), 64)
    #expect(result.slot == S.aux(1))
    #expect(result.bitsRemaining == 0)
    #expect(
      try state.lookupCap(S.mainTCB, S.cptr(aux: 0)).cap
        == .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]))
  }

  @Test func guardMismatchCarriesTheCapsGuard() {
    #expect(throws: LookupFault(.guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))) {
      try state.resolveAddressBits(S.rootCap, 1 << 63, 64)
    }
    // The aux CNode's 4-bit guard is 0: address bits 0b1000 in its place mismatch with 8 bits left.
    #expect(throws: LookupFault(.guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 4))) {
      try state.resolveAddressBits(S.rootCap, 13 << 8 | 0x80, 64)
    }
  }

  @Test func depthMismatchWhenALevelNeedsMoreBits() {
    #expect(throws: LookupFault(.depthMismatch(bitsLeft: 50, bitsFound: 56))) {
      try state.resolveAddressBits(S.rootCap, 0, 50)
    }
  }

  @Test func nonCNodeRootIsInvalidRoot() {
    #expect(throws: LookupFault(.invalidRoot)) { try state.resolveAddressBits(.thread(S.mainTCB), 0, 64) }
  }

  @Test func cnodeOpLookupFindsTheSlot() throws {
    #expect(try state.lookupSlotForCNodeOp(isSource: false, S.rootCap, 3, depth: 56) == S.root(3))
  }
}

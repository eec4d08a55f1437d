// What caps say about each other, and how they change when copied.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct CapabilityTests {
  let ep = Capability.endpoint(S.endpoint, badge: 0, rights: .all)
  let untyped = Capability.untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 0)

  @Test("an untyped region covers what lies inside it, and only that")
  func untypedRegion() {
    #expect(untyped.sameRegionAs(.endpoint(S.bigUntyped + 0x40, badge: 0, rights: .all)))
    #expect(untyped.sameRegionAs(.untyped(base: S.bigUntyped + 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0)))
    #expect(!untyped.sameRegionAs(ep))
    #expect(!untyped.sameRegionAs(.thread(S.bigUntyped + (1 << 20))))
    #expect(!untyped.sameObjectAs(untyped))
  }

  @Test("endpoint caps share a region whatever their badge; IRQControl covers handlers but is not their object")
  func regions() {
    #expect(ep.sameRegionAs(.endpoint(S.endpoint, badge: 9, rights: [])))
    #expect(!ep.sameRegionAs(.notification(S.endpoint, badge: 0, rights: [])))
    #expect(!S.rootCap.sameRegionAs(.cnode(S.rootCNode, radix: 7, guardSize: 0, guard: 0)))
    #expect(Capability.irqControl.sameRegionAs(.irqHandler(irq: 3)))
    #expect(!Capability.irqControl.sameObjectAs(.irqHandler(irq: 3)))
    #expect(Capability.domain.sameRegionAs(.domain) && !Capability.domain.sameRegionAs(.irqControl))
    #expect(Capability.schedControl(core: 0).sameRegionAs(.schedControl(core: 1)))
    #expect(!Capability.schedControl(core: 0).sameRegionAs(.domain))
    #expect(!Capability.null.sameRegionAs(.null))
  }

  @Test("maskCapRights: endpoints keep what the mask allows, replies lose Grant, others ignore it")
  func masking() {
    #expect(ep.maskCapRights([.read, .grant]) == .endpoint(S.endpoint, badge: 0, rights: [.read, .grant]))
    #expect(Capability.reply(S.reply, canGrant: true).maskCapRights([.read]) == .reply(S.reply, canGrant: false))
    #expect(S.rootCap.maskCapRights([]) == S.rootCap)
  }

  @Test("updateCapData: badge once, never with preserve; CNode guard and size; overflow gives Null")
  func capData() {
    #expect(ep.updateCapData(preserve: false, 7) == .endpoint(S.endpoint, badge: 7, rights: .all))
    #expect(ep.updateCapData(preserve: true, 7) == .null)
    #expect(Capability.endpoint(S.endpoint, badge: 5, rights: .all).updateCapData(preserve: false, 0) == .null)
    #expect(
      S.rootCap.updateCapData(preserve: true, 0xAB << 6 | 8) == .cnode(S.rootCNode, radix: 8, guardSize: 8, guard: 0xAB)
    )
    #expect(
      S.rootCap.updateCapData(preserve: true, 0x1AB << 6 | 8)
        == .cnode(S.rootCNode, radix: 8, guardSize: 8, guard: 0xAB))
    #expect(S.rootCap.updateCapData(preserve: true, 57) == .null)
    #expect(Capability.thread(S.mainTCB).updateCapData(preserve: true, 3) == .thread(S.mainTCB))
  }

  @Test("originals and parents: untyped always original; a fresh badge starts a subtree")
  func revocability() {
    let badged = Capability.endpoint(S.endpoint, badge: 3, rights: .all)
    #expect(AbstractState.isCapRevocable(untyped, source: untyped))
    #expect(AbstractState.isCapRevocable(badged, source: ep))
    #expect(!AbstractState.isCapRevocable(ep, source: ep))
    #expect(AbstractState.isCapRevocable(.irqHandler(irq: 1), source: .irqControl))
    #expect(AbstractState.shouldBeParentOf(ep, sourceIsOriginal: true, badged, newIsOriginal: true))
    #expect(!AbstractState.shouldBeParentOf(ep, sourceIsOriginal: false, ep, newIsOriginal: false))
    #expect(AbstractState.shouldBeParentOf(badged, sourceIsOriginal: true, badged, newIsOriginal: false))
    #expect(!AbstractState.shouldBeParentOf(badged, sourceIsOriginal: true, ep, newIsOriginal: false))
  }

  @Test("deriveCap: IRQControl becomes Null, an untyped with children needs a revoke")
  func derive() throws {
    let state = AbstractState(plan: .oneThread)
    #expect(try state.deriveCap(S.root(8), .irqControl) == .null)
    #expect(try state.deriveCap(S.root(5), .reply(S.reply, canGrant: true)) == .reply(S.reply, canGrant: true))
    var withChild = state
    withChild.cdt[S.root(20)] = S.root(11)
    #expect(throws: SyscallError.revokeFirst) { try withChild.deriveCap(S.root(11), untyped) }
  }
}

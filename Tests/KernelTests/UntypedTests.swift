import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct UntypedTests {
  @Test func deviceMemoryBecomesUntypeds() {
    var d = KernelState.sample
    expectSuccess(d.run(retype(12, .untyped, sizeBits: 12, offset: 20, count: 2)))
    #expect(d.capability(at: S.root(20)) == .untyped(base: S.deviceUntyped, sizeBits: 12, isDevice: true, freeIndex: 0))
    #expect(
      d.capability(at: S.root(21))
        == .untyped(base: S.deviceUntyped + 0x1000, sizeBits: 12, isDevice: true, freeIndex: 0))
    #expect(d.invariantViolations() == [])
  }

  @Test func endpointsArePlacedInOrderAndLinkedAfterTheUntyped() {
    var s = KernelState.sample
    expectSuccess(s.run(retype(10, .endpoint, offset: 20, count: 3)))
    for i in UInt64(0)..<3 {
      let address = S.smallUntyped + i * 16
      #expect(s.capability(at: S.root(20 + i)) == .endpoint(address, badge: 0, rights: .all))
      #expect(s.objects[address] == .endpoint)
      #expect(s.mdbNode(at: S.root(20 + i))?.revocable == true)
      #expect(s.mdbNode(at: S.root(20 + i))?.firstBadged == true)
      #expect(s.mdbParent(of: S.root(20 + i)) == S.root(10))
    }
    let list = s.mdbList(containing: S.root(10))
    let at = list.firstIndex(of: S.root(10)) ?? 0
    #expect(Array(list[at...]) == [S.root(10), S.root(22), S.root(21), S.root(20)])
    #expect(
      s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 48))
    #expect(s.invariantViolations() == [])

    // The next object is aligned to its size above the watermark.
    expectSuccess(s.run(retype(10, .tcb, offset: 23, count: 1)))
    #expect(s.capability(at: S.root(23)) == .thread(S.smallUntyped + 0x800))
    #expect(s.threadState(of: S.smallUntyped + 0x800) == .inactive)
    #expect(s.priority(of: S.smallUntyped + 0x800) == 0)
    #expect(s.maxControlledPriority(of: S.smallUntyped + 0x800) == 0)
    #expect(
      s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x1000))
    #expect(s.invariantViolations() == [])
  }

  @Test func everyObjectTypeGetsItsCap() {
    var s = KernelState.sample
    let cases: [(ObjectType, UInt64, Capability)] = [
      (.untyped, 8, .untyped(base: S.bigUntyped, sizeBits: 8, isDevice: false, freeIndex: 0)),
      (.tcb, 0, .thread(S.bigUntyped + 0x800)),
      (.endpoint, 0, .endpoint(S.bigUntyped + 0x1000, badge: 0, rights: .all)),
      (.notification, 0, .notification(S.bigUntyped + 0x1040, badge: 0, rights: [.read, .write])),
      (.capTable, 3, .cnode(S.bigUntyped + 0x1100, radix: 3, guardSize: 0, guard: 0)),
      (.schedContext, 7, .schedContext(S.bigUntyped + 0x1200, sizeBits: 7)),
      (.reply, 0, .reply(S.bigUntyped + 0x1280, canGrant: true)),
    ]
    for (i, (type, size, cap)) in cases.enumerated() {
      expectSuccess(s.run(retype(11, type, sizeBits: size, offset: 30 + UInt64(i), count: 1)))
      #expect(s.capability(at: S.root(30 + UInt64(i))) == cap, "\(type)")
    }
    #expect(s.objects[S.bigUntyped + 0x1100] == .cnode(radix: 3))
    #expect(s.objects[S.bigUntyped] == nil)
    #expect(s.invariantViolations() == [])
  }

  @Test func retypeIntoASecondLevelCNodeAndAtDepthZero() {
    var s = KernelState.sample
    // Destination = the root cap in the extra-cap slot itself (depth 0).
    expectSuccess(s.run(retype(10, .notification, offset: 40, count: 2)))
    #expect(s.capability(at: S.root(41)) == .notification(S.smallUntyped + 64, badge: 0, rights: [.read, .write]))
    // Destination = the aux CNode in root slot 13.
    expectSuccess(s.run(retype(10, .reply, nodeIndex: 13, nodeDepth: 56, offset: 5, count: 2)))
    #expect(s.capability(at: S.aux(5)) == .reply(S.smallUntyped + 128, canGrant: true))
    #expect(s.capability(at: S.aux(6)) == .reply(S.smallUntyped + 160, canGrant: true))
    #expect(s.invariantViolations() == [])
  }

  @Test func anUntypedWithoutChildrenIsResetBeforeRetyping() {
    var s = KernelState.sample
    expectSuccess(s.run(retype(10, .endpoint, offset: 20, count: 2)))
    expectSuccess(s.run(cnodeDelete(.root(20))))
    // One child left: no reset, placement continues above the watermark.
    expectSuccess(s.run(retype(10, .endpoint, offset: 22, count: 1)))
    #expect(s.capability(at: S.root(22)) == .endpoint(S.smallUntyped + 32, badge: 0, rights: .all))
    expectSuccess(s.run(cnodeRevoke(.root(10))))
    #expect(s.objects[S.smallUntyped + 16] == nil)
    #expect(
      s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 48))
    // No children: the region starts again at its base.
    expectSuccess(s.run(retype(10, .endpoint, offset: 23, count: 1)))
    #expect(s.capability(at: S.root(23)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(
      s.capability(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
    #expect(s.invariantViolations() == [])
  }

  @Test func placementArithmetic() {
    #expect(RetypeArithmetic.start(base: UInt64(0x1000), freeOffset: 0x10, objectBits: 11) == 0x1800)
    #expect(RetypeArithmetic.freeBytes(blockBits: UInt64(12), freeOffset: 0x10) == 0xFF0)
    #expect(RetypeArithmetic.enoughMemory(freeBytes: UInt64(0xFF0), objectBits: 4, count: 0xFF))
    #expect(!RetypeArithmetic.enoughMemory(freeBytes: UInt64(0xFF0), objectBits: 4, count: 0x100))
    #expect(!RetypeArithmetic.enoughMemory(freeBytes: UInt64.max, objectBits: 64, count: 0))
    #expect(RetypeArithmetic.newFreeOffset(base: UInt64(0x1000), start: 0x1800, count: 2, objectBits: 11) == 0x1800)
  }
}

// Untyped_Retype: each check of the reference (§7) with its exact payload, placement and free
// index, reset, insertion order in the MDB list, and a revoke of a large tree.

@testable import ExecutableSpec
import KernelABI
import Testing

@Suite struct UntypedRetypeTests {
  /// Retype args: type, size_bits, node index, node depth, node offset, count.
  func retypeCall(_ untyped: UInt64, _ args: [UInt64], extraCaps: [UInt64] = [rootCNodeCptr]) -> Event {
    invocation(S.cptr(root: untyped), .untypedRetype, args, extraCaps: extraCaps)
  }

  @Test func retypeOneEndpoint() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .endpoint, offset: 20))
    #expect(state.cap(at: S.root(20)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.ksPSpace[S.smallUntyped] == .endpoint)
    #expect(state.cap(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
    #expect(state.cte(at: S.root(20))?.mdb == MDBNode(prev: S.root(10), next: nil, revocable: true, firstBadged: true))
  }

  @Test func newCapsGoRightAfterTheUntypedLastCreatedFirst() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .notification, offset: 20, count: 3))
    #expect(state.list(from: S.root(10)) == [S.root(10), S.root(22), S.root(21), S.root(20)])
    for i: UInt64 in 0..<3 {
      #expect(state.cap(at: S.root(20 + i)) == .notification(S.smallUntyped + i * 64, badge: 0, rights: [.read, .write]))
    }
    #expect(Set(state.descendants(of: S.root(10))) == [S.root(20), S.root(21), S.root(22)])
  }

  @Test func everyObjectTypeGetsItsCap() {
    var state = sampleState()
    expectSuccess(state.retype(from: 11, .tcb, offset: 20))
    expectSuccess(state.retype(from: 11, .capTable, sizeBits: 3, offset: 21))
    expectSuccess(state.retype(from: 11, .schedContext, sizeBits: 8, offset: 22))
    expectSuccess(state.retype(from: 11, .reply, offset: 23))
    expectSuccess(state.retype(from: 11, .untyped, sizeBits: 12, offset: 24))
    let b = S.bigUntyped
    #expect(state.cap(at: S.root(20)) == .thread(b))
    #expect(state.tcb(at: b) == .fresh)
    #expect(state.cap(at: S.root(21)) == .cnode(b + 0x800, radix: 3, guardSize: 0, guard: 0))
    #expect(state.ksPSpace[b + 0x800] == .cnode(CNode(radix: 3)))
    #expect(state.cap(at: S.root(22)) == .schedContext(b + 0x900, sizeBits: 8))
    #expect(state.cap(at: S.root(23)) == .reply(b + 0xA00, canGrant: true))
    #expect(state.cap(at: S.root(24)) == .untyped(base: b + 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0))
    #expect(state.cap(at: S.root(11)) == .untyped(base: b, sizeBits: 20, isDevice: false, freeIndex: 0x2000))
    // An untyped child can itself be retyped.
    expectSuccess(state.retype(from: 24, .endpoint, offset: 25))
    #expect(state.cap(at: S.root(25)) == .endpoint(b + 0x1000, badge: 0, rights: .all))
  }

  @Test func placementAlignsTheFreePointer() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .endpoint, offset: 20))
    expectSuccess(state.retype(from: 10, .tcb, offset: 21, count: 2))
    #expect(state.cap(at: S.root(21)) == .thread(S.smallUntyped + 0x800))
    #expect(state.cap(at: S.root(22)) == .thread(S.smallUntyped + 0x1000))
    #expect(state.cap(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x1800))
  }

  @Test func anUntypedWithoutChildrenIsResetFirst() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .tcb, offset: 20))
    expectSuccess(state.cnodeCall(.cnodeDelete, rootArgs(20)))
    #expect(state.ksPSpace[S.smallUntyped] == nil)
    #expect(state.cap(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0x800))
    expectSuccess(state.retype(from: 10, .endpoint, offset: 21))
    #expect(state.cap(at: S.root(21)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.cap(at: S.root(10)) == .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 16))
  }

  @Test func depthZeroUsesTheRootCapItself() {
    var state = sampleState()
    // The extra cap is the aux CNode cap (aux slot 3); depth 0 puts the objects in the aux CNode.
    expectSuccess(state.run(retypeCall(10, [ObjectType.endpoint.rawValue, 0, 0, 0, 5, 2], extraCaps: [S.cptr(aux: 3)])))
    #expect(state.cap(at: S.aux(5)) == .endpoint(S.smallUntyped, badge: 0, rights: .all))
    #expect(state.cap(at: S.aux(6)) == .endpoint(S.smallUntyped + 16, badge: 0, rights: .all))
    // A non-zero depth names the destination CNode cap through the root: root slot 13, depth 56.
    expectSuccess(state.run(retypeCall(10, [ObjectType.endpoint.rawValue, 0, 13, 56, 7, 1])))
    #expect(state.cap(at: S.aux(7)) == .endpoint(S.smallUntyped + 32, badge: 0, rights: .all))
  }

  @Test func checksInReferenceOrder() {
    var state = sampleState()
    let ep = ObjectType.endpoint.rawValue
    expectError(state.run(invocation(S.cptr(root: 10), .cnodeCopy, [ep, 0, 0, 0, 20, 1], extraCaps: [rootCNodeCptr])),
      .illegalOperation)
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 20])), .truncatedMessage)
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 20, 1], extraCaps: [])), .truncatedMessage)
    expectError(state.run(retypeCall(10, [7, 0, 0, 0, 20, 1])), .invalidArgument(argument: 0))
    expectError(state.run(retypeCall(10, [ep, 64, 0, 0, 20, 1])), .rangeError(min: 0, max: 47))
    expectError(state.run(retypeCall(10, [ObjectType.untyped.rawValue, 48, 0, 0, 20, 1])), .rangeError(min: 0, max: 47))
    expectError(state.run(retypeCall(10, [ObjectType.capTable.rawValue, 43, 0, 0, 20, 1])), .rangeError(min: 0, max: 47))
    expectError(state.run(retypeCall(10, [ObjectType.capTable.rawValue, 0, 0, 0, 20, 1])), .invalidArgument(argument: 1))
    expectError(state.run(retypeCall(10, [ObjectType.untyped.rawValue, 3, 0, 0, 20, 1])), .invalidArgument(argument: 1))
    expectError(state.run(retypeCall(10, [ObjectType.schedContext.rawValue, 6, 0, 0, 20, 1])), .invalidArgument(argument: 1))
    expectError(state.run(retypeCall(10, [ep, 0, 3, 56, 20, 1])), .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56)))
    expectError(state.run(retypeCall(10, [ep, 0, 3, 64, 20, 1])),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0)))
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 256, 1])), .rangeError(min: 0, max: 255))
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 20, 0])), .rangeError(min: 1, max: 256))
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 20, 257])), .rangeError(min: 1, max: 256))
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 250, 10])), .rangeError(min: 1, max: 6))
    expectError(state.run(retypeCall(10, [ep, 0, 0, 0, 13, 3])), .deleteFirst)
    expectError(state.run(retypeCall(10, [ObjectType.capTable.rawValue, 15, 0, 0, 20, 1])), .notEnoughMemory(freeBytes: 1 << 19))
    expectError(state.run(retypeCall(12, [ep, 0, 0, 0, 20, 1])), .invalidArgument(argument: 1))
    #expect(state == sampleState())
  }

  @Test func notEnoughMemoryCountsFromTheFreeIndex() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .endpoint, offset: 20))
    expectError(state.retype(from: 10, .capTable, sizeBits: 14, offset: 21), .notEnoughMemory(freeBytes: (1 << 19) - 16))
    // A 4 KiB child untyped holds two TCBs: three are too many; after one, an aligned second still fits.
    expectSuccess(state.retype(from: 10, .untyped, sizeBits: 12, offset: 21))
    #expect(state.cap(at: S.root(21)) == .untyped(base: S.smallUntyped + 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0))
    expectError(state.retype(from: 21, .tcb, offset: 22, count: 3), .notEnoughMemory(freeBytes: 4096))
    expectSuccess(state.retype(from: 21, .endpoint, offset: 22))
    expectError(state.retype(from: 21, .tcb, offset: 23, count: 2), .notEnoughMemory(freeBytes: 4096 - 16))
    expectSuccess(state.retype(from: 21, .tcb, offset: 23))
    #expect(state.cap(at: S.root(23)) == .thread(S.smallUntyped + 0x1800))
  }

  @Test func deviceUntypedsMakeOnlyUntypeds() {
    var state = sampleState()
    expectError(state.retype(from: 12, .tcb, offset: 20), .invalidArgument(argument: 1))
    expectSuccess(state.retype(from: 12, .untyped, sizeBits: 8, offset: 20))
    #expect(state.cap(at: S.root(20)) == .untyped(base: S.deviceUntyped, sizeBits: 8, isDevice: true, freeIndex: 0))
  }

  @Test func revokeOfALargeTree() {
    var state = sampleState()
    expectSuccess(state.retype(from: 11, .endpoint, offset: 30, count: 200))
    #expect(state.descendants(of: S.root(11)).count == 200)
    #expect(state.cap(at: S.root(11)) == .untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 200 * 16))
    expectSuccess(state.cnodeCall(.cnodeRevoke, rootArgs(11)))
    #expect(state.descendants(of: S.root(11)) == [])
    #expect(state.cte(at: S.root(11))?.mdb == MDBNode(prev: nil, next: nil, revocable: true, firstBadged: false))
    #expect((30..<230).allSatisfy { state.cap(at: S.root($0)) == .null })
    #expect(state.ksPSpace.keys.allSatisfy { $0 < S.bigUntyped || $0 >= S.bigUntyped + (1 << 20) })
    expectSuccess(state.retype(from: 11, .endpoint, offset: 30))
    #expect(state.cap(at: S.root(30)) == .endpoint(S.bigUntyped, badge: 0, rights: .all))
  }

  @Test func revokeReturnsTheDeletedSlotsInListOrder() {
    var state = sampleState()
    expectSuccess(state.retype(from: 10, .reply, offset: 20, count: 3))
    #expect(state.cteRevoke(S.root(10)) == [S.root(22), S.root(21), S.root(20)])
    #expect(state.invariantViolations() == [])
  }
}

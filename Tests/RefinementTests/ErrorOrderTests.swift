// Which error an invocation gets, with its payload, when several checks could fail: one table run
// on all three layers. Each row is events from the sample system and the exact `SyscallError` the
// last event must get (after the earlier ones succeed), with the seL4 source it follows
// (reference digest /work/shared/reference/SEL4-SEMANTICS.md §2, §3, §5, §6, §7). A failure names
// the row, the layer and the event; the row's line is where the failure points.
//
// These facts were asserted once per layer before, in three styles (the layers' CNode, CSpace,
// Untyped and Syscall tests); the layers' own tests now keep only what only they can inspect.

import KernelABI
import TestSupport
import Testing

/// One fact: after `setup` succeeds, `event` fails with exactly `error` and changes nothing.
struct ErrorFact: Sendable, CustomTestStringConvertible {
  var name: String
  var setup: [Event]
  var event: Event
  var error: SyscallError
  var sourceLocation: SourceLocation

  init(
    _ name: String, after setup: [Event] = [], _ event: Event, _ error: SyscallError,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    self.name = name
    self.setup = setup
    self.event = event
    self.error = error
    self.sourceLocation = sourceLocation
  }

  var testDescription: String { "\(name) → \(error)" }
}

@Suite struct ErrorOrderTests {
  @Test(arguments: ErrorOrder.cnodePrefix) func cnodePrefix(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.copyMintMoveMutate) func copyMintMoveMutate(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.rotate) func rotate(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.cancelBadgedSends) func cancelBadgedSends(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.untypedRetype) func untypedRetype(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.syscall) func syscall(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetMCPriority) func tcbSetMCPriority(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetPriority) func tcbSetPriority(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetSchedParams) func tcbSetSchedParams(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbBindNotification) func tcbBindNotification(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbUnbindNotification) func tcbUnbindNotification(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetTimeoutEndpoint) func tcbSetTimeoutEndpoint(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbReadRegisters) func tcbReadRegisters(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbWriteRegisters) func tcbWriteRegisters(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbCopyRegisters) func tcbCopyRegisters(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetTLSBase) func tcbSetTLSBase(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetIPCBuffer) func tcbSetIPCBuffer(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetSpace) func tcbSetSpace(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbConfigure) func tcbConfigure(_ fact: ErrorFact) { check(fact) }
  @Test(arguments: ErrorOrder.tcbSetFlags) func tcbSetFlags(_ fact: ErrorFact) { check(fact) }

  func check(_ fact: ErrorFact) {
    expectErrorOnEveryLayer(after: fact.setup, fact.event, fact.error, sourceLocation: fact.sourceLocation)
  }
}

/// The rows. Slots: root 1 thread, 2 root CNode, 3 endpoint, 4 notification, 5 reply, 6 sched
/// context, 7 sched control, 8 IRQ control, 9 domain, 10 small untyped (2^19), 11 big untyped
/// (2^20), 12 device untyped (2^16), 13 aux CNode (radix 4), 14 badge-5 endpoint (write only);
/// aux 0 badge-5 endpoint (RWG), aux 1 notification copy (W), aux 2/3 root/aux CNode caps.
enum ErrorOrder {
  // MARK: - §6 CNode: the common prefix (`seL4:src/object/cnode.c decodeCNodeInvocation`)

  static let cnodePrefix: [ErrorFact] = [
    // The label is checked first: a non-CNode label is IllegalOperation whatever the registers.
    ErrorFact("label InvalidInvocation", invoke(rootCNodeCptr, label: 0, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label Untyped_Retype", invoke(rootCNodeCptr, label: 1, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label 17 (MCS TCBSetFlags)", invoke(rootCNodeCptr, label: 17, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label 26 (IRQ)", invoke(rootCNodeCptr, label: 26, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label 38 (SchedContext)", invoke(rootCNodeCptr, label: 38, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label 2^40", invoke(rootCNodeCptr, label: 1 << 40, [1, 56, 3, 56, 0xF]), .illegalOperation),
    ErrorFact("label TCBSuspend, no registers: label before length", cnodeCall(.tcbSuspend, []), .illegalOperation),
    ErrorFact("Untyped_Retype label with two registers", cnodeCall(.untypedRetype, [20, 56]), .illegalOperation),
    // Length < 2 → TruncatedMessage.
    ErrorFact("Delete with one register", cnodeCall(.cnodeDelete, [20]), .truncatedMessage),
    // The destination: lookupSlotForCNodeOp(isSource 0) (`seL4:src/kernel/cspace.c`, §5): depth ∉ [1, 64]
    // → RangeError(1, 64); a walk error → FailedLookup; leftover bits → DepthMismatch(bitsLeft, 0).
    ErrorFact("Delete at depth 0", cnodeDelete(Address(index: 20, depth: 0)), .rangeError(min: 1, max: 64)),
    ErrorFact("Delete at depth 65", cnodeDelete(Address(index: 20, depth: 65)), .rangeError(min: 1, max: 64)),
    ErrorFact("Copy to depth 0", cnodeCopy(Address(index: 20, depth: 0), from: .root(3)), .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Delete through an endpoint with 8 bits left", cnodeDelete(Address(index: 3 << 8, depth: 64)),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    ErrorFact(
      "Delete through an empty slot with 8 bits left", cnodeDelete(Address(index: 20 << 8, depth: 64)),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    // resolveAddressBits: GuardMismatch carries the cap's guard and guard size; a level needing more
    // bits than remain is DepthMismatch(bitsLeft, levelBits).
    ErrorFact(
      "Delete at depth 40, short of the root's 48 guard bits", cnodeDelete(Address(index: 3, depth: 40)),
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 40, guardFound: 0, bitsFound: 48))),
    ErrorFact(
      "Delete at depth 50, short of the root's 56 level bits", cnodeDelete(Address(index: 3, depth: 50)),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 50, bitsFound: 56))),
    ErrorFact(
      "Delete with a guard bit set", cnodeDelete(Address(index: 1 << 8 | 3, depth: 56)),
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 56, guardFound: 0, bitsFound: 48))),
    ErrorFact(
      "Delete into the aux CNode with 4 of its 8 level bits", cnodeDelete(Address(index: 13 << 4, depth: 60)),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 4, bitsFound: 8))),
  ]

  // MARK: - §6 Copy, Mint, Move, Mutate

  static let copyMintMoveMutate: [ErrorFact] = [
    // 1. length < 4 or no extra cap → TruncatedMessage.
    ErrorFact("Copy with three registers", cnodeCall(.cnodeCopy, [20, 56, 3]), .truncatedMessage),
    ErrorFact("Copy without its extra cap", cnodeCall(.cnodeCopy, [20, 56, 3, 56, 15], caps: []), .truncatedMessage),
    // 2. A full destination is DeleteFirst before the source is looked at.
    ErrorFact(
      "Copy into a full slot from source depth 0", cnodeCopy(.root(3), from: Address(index: 4, depth: 0)),
      .deleteFirst),
    ErrorFact(
      "Copy into a full slot with a non-CNode source root",
      cnodeCall(.cnodeCopy, [3, 56, 4, 56, 15], caps: [S.cptr(root: 200)]), .deleteFirst),
    ErrorFact("Move onto itself, full", cnodeMove(.root(3), from: .root(3)), .deleteFirst),
    // 3. The source: lookupSlotForCNodeOp(isSource 1): root not a CNode → InvalidRoot (before the
    // depth), depth range, walk errors.
    ErrorFact(
      "Copy with an empty source root", cnodeCall(.cnodeCopy, [20, 56, 4, 56, 15], caps: [S.cptr(root: 200)]),
      .failedLookup(source: true, failure: .invalidRoot)),
    ErrorFact(
      "Copy with an endpoint as source root", cnodeCall(.cnodeCopy, [20, 56, 3, 56, 15], caps: [S.cptr(root: 3)]),
      .failedLookup(source: true, failure: .invalidRoot)),
    ErrorFact(
      "Copy with an endpoint as source root and source depth 0: root before depth",
      cnodeCall(.cnodeCopy, [20, 56, 3, 0, 15], caps: [S.cptr(root: 3)]),
      .failedLookup(source: true, failure: .invalidRoot)),
    ErrorFact(
      "Copy from source depth 0", cnodeCopy(.root(20), from: Address(index: 4, depth: 0)), .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Copy from source depth 65", cnodeCopy(.root(20), from: Address(index: 3, depth: 65)),
      .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Copy from 8 bits past an endpoint", cnodeCopy(.root(20), from: Address(index: 4 << 8, depth: 64)),
      .failedLookup(source: true, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    ErrorFact(
      "Copy from a source with a guard bit set", cnodeCopy(.root(20), from: Address(index: 1 << 9 | 3, depth: 56)),
      .failedLookup(source: true, failure: .guardMismatch(bitsLeft: 56, guardFound: 0, bitsFound: 48))),
    ErrorFact(
      "Copy from source depth 40", cnodeCopy(.root(20), from: Address(index: 3, depth: 40)),
      .failedLookup(source: true, failure: .guardMismatch(bitsLeft: 40, guardFound: 0, bitsFound: 48))),
    ErrorFact(
      "Copy from source depth 50", cnodeCopy(.root(20), from: Address(index: 3, depth: 50)),
      .failedLookup(source: true, failure: .depthMismatch(bitsLeft: 50, bitsFound: 56))),
    // 4. An empty source → FailedLookup(source, MissingCapability(source depth)).
    ErrorFact(
      "Copy from an empty root slot", cnodeCopy(.root(20), from: .root(30)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact(
      "Move from an empty aux slot", cnodeMove(.root(20), from: .aux(9)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 64))),
    ErrorFact(
      "Move onto itself, empty", cnodeMove(.root(30), from: .root(30)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact(
      "Move from the slot a move emptied", after: [cnodeMove(.root(20), from: .root(3))],
      cnodeMove(.root(21), from: .root(3)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56))),
    // 5. Copy's rights word, Mint's data word and Mutate's data word are read after the source checks.
    ErrorFact("Copy with four registers", cnodeCall(.cnodeCopy, [20, 56, 3, 56]), .truncatedMessage),
    ErrorFact(
      "Copy with four registers from an empty source", cnodeCall(.cnodeCopy, [20, 56, 30, 56]),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact("Mint with five registers", cnodeCall(.cnodeMint, [20, 56, 3, 56, 15]), .truncatedMessage),
    ErrorFact("Mutate with four registers", cnodeCall(.cnodeMutate, [20, 56, 1, 56]), .truncatedMessage),
    // deriveCap (`seL4:src/object/objecttype.c`, §5): an untyped with children → RevokeFirst;
    // IRQControl → NullCap, then 6. NullCap → IllegalOperation.
    ErrorFact(
      "Copy of an untyped with a retyped child", after: [retype(10, .endpoint, offset: 20)],
      cnodeCopy(.root(21), from: .root(10)), .revokeFirst),
    ErrorFact(
      "Copy of an untyped with a copied child", after: [cnodeCopy(.root(20), from: .root(10))],
      cnodeCopy(.root(21), from: .root(10)), .revokeFirst),
    ErrorFact("Copy of IRQControl", cnodeCopy(.root(20), from: .root(8)), .illegalOperation),
    // updateCapData (§5): Mint from a badged cap (even badge 0) and Mutate of any endpoint or
    // notification cap give NullCap; so does a CNode guard size that with the radix exceeds 64 bits.
    ErrorFact("Mint badge 9 from a badged endpoint", cnodeMint(.root(20), from: .aux(0), data: 9), .illegalOperation),
    ErrorFact("Mint badge 0 from a badged endpoint", cnodeMint(.root(20), from: .aux(0), data: 0), .illegalOperation),
    ErrorFact(
      "Mint the root CNode cap with guard size 57", cnodeMint(.root(20), from: .root(2), data: 57), .illegalOperation),
    ErrorFact(
      "Mint the aux CNode cap with guard size 61", cnodeMint(.root(20), from: .root(13), data: 61), .illegalOperation),
    ErrorFact("Mutate an unbadged endpoint", cnodeMutate(.root(20), from: .root(3), data: 0), .illegalOperation),
    ErrorFact("Mutate a badged endpoint", cnodeMutate(.root(20), from: .aux(0), data: 0), .illegalOperation),
    ErrorFact("Mutate a notification", cnodeMutate(.root(20), from: .root(4), data: 0), .illegalOperation),
    ErrorFact("Mutate a notification copy", cnodeMutate(.root(20), from: .aux(1), data: 0), .illegalOperation),
    ErrorFact(
      "Mutate the aux CNode cap with guard size 61", cnodeMutate(.root(20), from: .root(13), data: 61),
      .illegalOperation),
  ]

  // MARK: - §6 Rotate

  static let rotate: [ErrorFact] = [
    // 1. length < 8 or an extra cap missing → TruncatedMessage.
    ErrorFact("Rotate with seven registers", cnodeCall(.cnodeRotate, [20, 56, 0, 1, 56, 0, 6]), .truncatedMessage),
    ErrorFact(
      "Rotate with one extra cap", cnodeCall(.cnodeRotate, [20, 56, 0, 1, 56, 0, 6, 56], caps: [rootCNodeCptr]),
      .truncatedMessage),
    // 2. The source lookup, then the pivot lookup.
    ErrorFact(
      "Rotate: a bad source beats a pivot at depth 0",
      cnodeRotate(.root(20), pivot: Address(index: 1, depth: 0), src: Address(index: 6 << 8, depth: 64)),
      .failedLookup(source: true, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    ErrorFact(
      "Rotate: a source at depth 70 with a pivot at depth 0",
      cnodeRotate(.root(20), pivot: Address(index: 5, depth: 0), src: Address(index: 6, depth: 70)),
      .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Rotate from source depth 0", cnodeRotate(.root(20), pivot: .root(13), src: Address(index: 1, depth: 0)),
      .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Rotate with pivot depth 0", cnodeRotate(.root(20), pivot: Address(index: 1, depth: 0), src: .root(6)),
      .rangeError(min: 1, max: 64)),
    // 3. pivot == src or pivot == dest → IllegalOperation.
    ErrorFact(
      "Rotate with the pivot as source", cnodeRotate(.root(20), pivot: .root(6), src: .root(6)), .illegalOperation),
    ErrorFact(
      "Rotate with the pivot as destination", cnodeRotate(.root(20), pivot: .root(20), src: .root(6)), .illegalOperation
    ),
    // 4. src ≠ dest and dest full → DeleteFirst.
    ErrorFact("Rotate into a full destination", cnodeRotate(.root(3), pivot: .root(1), src: .root(6)), .deleteFirst),
    // 5. An empty source (src 1), then an empty pivot (src 0).
    ErrorFact(
      "Rotate from an empty source", cnodeRotate(.root(20), pivot: .root(1), src: .root(30)),
      .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact(
      "Rotate through an empty pivot", cnodeRotate(.root(20), pivot: .root(31), src: .root(6)),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56))),
    // 6. updateCapData(true, ...) makes endpoint and notification caps Null: they never rotate.
    ErrorFact("Rotate an endpoint source", cnodeRotate(.root(20), pivot: .root(1), src: .root(3)), .illegalOperation),
    ErrorFact(
      "Rotate a notification source", cnodeRotate(.root(20), pivot: .root(5), src: .root(4)), .illegalOperation),
    ErrorFact("Rotate an endpoint pivot", cnodeRotate(.root(20), pivot: .root(3), src: .root(1)), .illegalOperation),
    ErrorFact("Rotate a notification pivot", cnodeRotate(.root(20), pivot: .root(4), src: .root(6)), .illegalOperation),
  ]

  // MARK: - §6 CancelBadgedSends

  static let cancelBadgedSends: [ErrorFact] = [
    // The slot must hold an endpoint cap with all four rights, else IllegalOperation (empty included).
    ErrorFact("CancelBadgedSends on an empty slot", cnodeCancelBadgedSends(.root(30)), .illegalOperation),
    ErrorFact("CancelBadgedSends on a badged RWG endpoint", cnodeCancelBadgedSends(.aux(0)), .illegalOperation),
    ErrorFact("CancelBadgedSends on a write-only endpoint", cnodeCancelBadgedSends(.root(14)), .illegalOperation),
    ErrorFact("CancelBadgedSends on a notification", cnodeCancelBadgedSends(.root(4)), .illegalOperation),
  ]

  // MARK: - §7 Untyped_Retype (`seL4:src/object/untyped.c decodeUntypedInvocation`)

  static let untypedRetype: [ErrorFact] = [
    // 1. label; 2. length < 6 or no extra cap.
    ErrorFact(
      "Retype with a CNode label", invoke(S.cptr(root: 10), .cnodeCopy, [2, 0, 0, 0, 20, 1], caps: [rootCNodeCptr]),
      .illegalOperation),
    ErrorFact(
      "Retype with five registers", invoke(S.cptr(root: 10), .untypedRetype, [2, 0, 0, 0, 20], caps: [rootCNodeCptr]),
      .truncatedMessage),
    ErrorFact(
      "Retype without its extra cap", invoke(S.cptr(root: 10), .untypedRetype, [2, 0, 0, 0, 20, 1]), .truncatedMessage),
    // 3. type ≥ type count → InvalidArgument(0), before the size.
    ErrorFact("Retype type 7 of size 64", retype(10, 7, sizeBits: 64, offset: 20), .invalidArgument(argument: 0)),
    ErrorFact("Retype type 7", retype(10, 7, offset: 20), .invalidArgument(argument: 0)),
    ErrorFact("Retype type 2^64 − 1", retype(10, UInt64.max, offset: 20), .invalidArgument(argument: 0)),
    // 4. size_bits ≥ 64 or object size > MaxUntypedBits (47) → RangeError(0, 47).
    ErrorFact(
      "Retype an endpoint of size 64", retype(10, .endpoint, sizeBits: 64, offset: 20), .rangeError(min: 0, max: 47)),
    ErrorFact(
      "Retype an untyped of size 48", retype(10, .untyped, sizeBits: 48, offset: 20), .rangeError(min: 0, max: 47)),
    ErrorFact(
      "Retype a CNode of radix 43 (2^48 bytes)", retype(10, .capTable, sizeBits: 43, offset: 20),
      .rangeError(min: 0, max: 47)),
    // 5. Per-type minimum sizes → InvalidArgument(1), before the destination.
    ErrorFact(
      "Retype a CNode of radix 0", retype(10, .capTable, sizeBits: 0, offset: 20), .invalidArgument(argument: 1)),
    ErrorFact(
      "Retype an untyped of size 3", retype(10, .untyped, sizeBits: 3, offset: 20), .invalidArgument(argument: 1)),
    ErrorFact(
      "Retype a sched context of size 6", retype(10, .schedContext, sizeBits: 6, offset: 20),
      .invalidArgument(argument: 1)),
    ErrorFact(
      "Retype a CNode of radix 0 into node depth 70", retype(10, .capTable, sizeBits: 0, nodeDepth: 70, offset: 20),
      .invalidArgument(argument: 1)),
    // 6. The destination CNode: depth 0 is the extra cap itself, else lookupSlotForCNodeOp (src 0);
    // 7. not a CNode → FailedLookup(MissingCapability(depth)).
    ErrorFact(
      "Retype into node depth 65", retype(10, .endpoint, nodeIndex: 3, nodeDepth: 65, offset: 0),
      .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Retype into 8 bits past an endpoint", retype(10, .endpoint, nodeIndex: 3 << 8, nodeDepth: 64, offset: 0),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    ErrorFact(
      "Retype into 8 bits past empty slot 0", retype(10, .endpoint, nodeIndex: 3, nodeDepth: 64, offset: 20),
      .failedLookup(source: false, failure: .depthMismatch(bitsLeft: 8, bitsFound: 0))),
    ErrorFact(
      "Retype into a node with a guard bit set", retype(10, .endpoint, nodeIndex: 1 << 9, nodeDepth: 56, offset: 20),
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 56, guardFound: 0, bitsFound: 48))),
    ErrorFact(
      "Retype into an endpoint", retype(10, .endpoint, nodeIndex: 3, nodeDepth: 56, offset: 0),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact(
      "Retype into an empty slot", retype(10, .endpoint, nodeIndex: 30, nodeDepth: 56, offset: 0),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 56))),
    ErrorFact(
      "Retype at depth 0 into an endpoint extra cap", retype(10, .endpoint, offset: 20, root: S.cptr(root: 3)),
      .failedLookup(source: false, failure: .missingCapability(bitsLeft: 0))),
    // 8. offset > 2^radix − 1 → RangeError(0, 2^radix − 1).
    ErrorFact(
      "Retype to offset 256 of the root CNode", retype(10, .endpoint, offset: 256), .rangeError(min: 0, max: 255)),
    ErrorFact(
      "Retype to offset 16 of the aux CNode", retype(10, .endpoint, nodeIndex: 13, nodeDepth: 56, offset: 16),
      .rangeError(min: 0, max: 15)),
    // 9. count ∉ [1, 256] → RangeError(1, 256); 10. count > 2^radix − offset → RangeError(1, 2^radix − offset).
    ErrorFact("Retype 0 objects", retype(10, .endpoint, offset: 20, count: 0), .rangeError(min: 1, max: 256)),
    ErrorFact("Retype 257 objects", retype(10, .endpoint, offset: 20, count: 257), .rangeError(min: 1, max: 256)),
    ErrorFact("Retype 257 TCBs at offset 20", retype(10, .tcb, offset: 20, count: 257), .rangeError(min: 1, max: 256)),
    ErrorFact(
      "Retype 257 objects at offset 0", retype(10, .endpoint, offset: 0, count: 257), .rangeError(min: 1, max: 256)),
    ErrorFact(
      "Retype 250 objects at offset 10", retype(10, .endpoint, offset: 10, count: 250), .rangeError(min: 1, max: 246)),
    ErrorFact(
      "Retype 10 objects at offset 250", retype(10, .endpoint, offset: 250, count: 10), .rangeError(min: 1, max: 6)),
    ErrorFact(
      "Retype 7 objects at offset 10 of the aux CNode",
      retype(10, .endpoint, nodeIndex: 13, nodeDepth: 56, offset: 10, count: 7),
      .rangeError(min: 1, max: 6)),
    // 11. A destination slot is full → DeleteFirst.
    ErrorFact("Retype into root slot 1", retype(10, .endpoint, offset: 1), .deleteFirst),
    ErrorFact("Retype into root slot 14", retype(10, .endpoint, offset: 14), .deleteFirst),
    ErrorFact("Retype 4 objects from root slot 12", retype(10, .endpoint, offset: 12, count: 4), .deleteFirst),
    ErrorFact("Retype 3 objects from root slot 13", retype(10, .endpoint, offset: 13, count: 3), .deleteFirst),
    // 12–13. Free bytes from the free index (0 after a reset): too few → NotEnoughMemory(free).
    ErrorFact(
      "Retype three 2^18 untypeds from 2^19", retype(10, .untyped, sizeBits: 18, offset: 20, count: 3),
      .notEnoughMemory(freeBytes: 1 << 19)),
    ErrorFact(
      "Retype a 2^20 CNode from 2^19", retype(10, .capTable, sizeBits: 15, offset: 20),
      .notEnoughMemory(freeBytes: 1 << 19)),
    ErrorFact(
      "Retype a 2^20 untyped from 2^19", retype(10, .untyped, sizeBits: 20, offset: 20),
      .notEnoughMemory(freeBytes: 1 << 19)),
    ErrorFact(
      "Retype two 2^18 untypeds after an endpoint", after: [retype(10, .endpoint, offset: 20)],
      retype(10, .untyped, sizeBits: 18, offset: 21, count: 2), .notEnoughMemory(freeBytes: (1 << 19) - 16)),
    ErrorFact(
      "Retype a 2^19 CNode after an endpoint", after: [retype(10, .endpoint, offset: 20)],
      retype(10, .capTable, sizeBits: 14, offset: 21), .notEnoughMemory(freeBytes: (1 << 19) - 16)),
    ErrorFact(
      "Retype three TCBs from a fresh 4 KiB untyped",
      after: [retype(10, .endpoint, offset: 20), retype(10, .untyped, sizeBits: 12, offset: 21)],
      retype(21, .tcb, offset: 22, count: 3), .notEnoughMemory(freeBytes: 4096)),
    ErrorFact(
      "Retype two TCBs from a 4 KiB untyped after an endpoint",
      after: [
        retype(10, .endpoint, offset: 20), retype(10, .untyped, sizeBits: 12, offset: 21),
        retype(21, .endpoint, offset: 22),
      ],
      retype(21, .tcb, offset: 23, count: 2), .notEnoughMemory(freeBytes: 4096 - 16)),
    ErrorFact(
      "Retype from an untyped a whole copy marked full", after: [cnodeCopy(.root(20), from: .root(10))],
      retype(10, .endpoint, offset: 30), .notEnoughMemory(freeBytes: 0)),
    ErrorFact(
      "Retype from an untyped filled with TCBs",
      after: [
        retype(11, .capTable, sizeBits: 8, offset: 20),
        retype(10, .tcb, nodeIndex: 20, nodeDepth: 56, offset: 0, count: 256),
      ],
      retype(10, .endpoint, offset: 21), .notEnoughMemory(freeBytes: 0)),
    ErrorFact(
      "Retype 33 TCBs from device memory: memory before the device check", retype(12, .tcb, offset: 21, count: 33),
      .notEnoughMemory(freeBytes: 1 << 16)),
    // 14. Device memory becomes only untypeds (or frames) → InvalidArgument(1).
    ErrorFact(
      "Retype 32 TCBs from device memory", retype(12, .tcb, offset: 21, count: 32), .invalidArgument(argument: 1)),
    ErrorFact("Retype a TCB from device memory", retype(12, .tcb, offset: 20), .invalidArgument(argument: 1)),
    ErrorFact(
      "Retype an endpoint from device memory", retype(12, .endpoint, offset: 21), .invalidArgument(argument: 1)),
  ]

  // MARK: - §2 The syscall: the invoked cap, extra caps, message length (`seL4:src/api/syscall.c`)

  static let syscall: [ErrorFact] = [
    // decodeInvocation (`seL4:src/object/objecttype.c`): Null → InvalidCapability(0); an endpoint or
    // notification cap without Write → InvalidCapability(0).
    ErrorFact("invoke an empty slot", invoke(S.cptr(root: 30), .cnodeCopy, []), .invalidCapability(index: 0)),
    ErrorFact(
      "invoke a read-only endpoint copy", after: [cnodeCopy(.root(20), from: .root(3), rights: .read)],
      invoke(S.cptr(root: 20), .invalidInvocation, []), .invalidCapability(index: 0)),
    ErrorFact(
      "invoke a read-only notification copy", after: [cnodeCopy(.root(21), from: .root(4), rights: .read)],
      invoke(S.cptr(root: 21), .invalidInvocation, []), .invalidCapability(index: 0)),
    ErrorFact(
      "invoke through a CNode cap moved away",
      after: [cnodeMutate(.root(22), from: .root(13), data: 4)], cnodeDelete(.root(22)), .invalidCapability(index: 0)),
    // An extra cap the message counts but the event omits is cptr 0: root slot 0, empty, so the
    // source root is not a CNode.
    ErrorFact(
      "Copy counting an extra cap it does not give",
      invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], extraCapCount: 1),
      .failedLookup(source: true, failure: .invalidRoot)),
    // Registers beyond the length are not read; registers the length claims but the thread did not
    // set read as 0.
    ErrorFact(
      "Copy of length 4 with five registers set",
      invoke(rootCNodeCptr, .cnodeCopy, [22, 56, 3, 56, 15], caps: [rootCNodeCptr], length: 4),
      .truncatedMessage),
    ErrorFact(
      "Delete of length 1 with two registers set", invoke(rootCNodeCptr, .cnodeDelete, [3, 56], length: 1),
      .truncatedMessage),
    ErrorFact(
      "Delete of length 2 with one register set", invoke(rootCNodeCptr, .cnodeDelete, [3], length: 2),
      .rangeError(min: 1, max: 64)),
    ErrorFact(
      "Delete of length 2 with no registers set", invoke(rootCNodeCptr, .cnodeDelete, [], length: 2),
      .rangeError(min: 1, max: 64)),
  ]

  // MARK: - §8 TCB_SetMCPriority (`seL4:src/object/tcb.c decodeTCBInvocation, decodeSetMCPriority,
  // checkPrio`)

  /// The root thread's cap (root slot 1) invoked; its MCP is 255.
  static let thread = S.cptr(root: 1)

  static let tcbSetMCPriority: [ErrorFact] = [
    // decodeTCBInvocation: a label that is no TCB method → IllegalOperation, before any length.
    ErrorFact("thread cap, label InvalidInvocation", invoke(thread, .invalidInvocation, []), .illegalOperation),
    ErrorFact("thread cap, label CNode_Copy", invoke(thread, .cnodeCopy, [0], caps: [thread]), .illegalOperation),
    ErrorFact(
      "thread cap, label Untyped_Retype", invoke(thread, .untypedRetype, [0], caps: [thread]), .illegalOperation),
    ErrorFact("thread cap, label 2^40", invoke(thread, label: 1 << 40, [0], caps: [thread]), .illegalOperation),
    // length < 1 or no extra cap → TruncatedMessage, before the authority's type.
    ErrorFact("no registers", invoke(thread, .tcbSetMCPriority, [], caps: [thread]), .truncatedMessage),
    ErrorFact("no extra cap", invoke(thread, .tcbSetMCPriority, [10]), .truncatedMessage),
    ErrorFact(
      "no registers and an endpoint as authority", invoke(thread, .tcbSetMCPriority, [], caps: [S.cptr(root: 3)]),
      .truncatedMessage),
    // The authority (extra cap 0) must be a thread cap → InvalidCapability(1), before the priority.
    ErrorFact(
      "an endpoint as authority", invoke(thread, .tcbSetMCPriority, [10], caps: [S.cptr(root: 3)]),
      .invalidCapability(index: 1)),
    ErrorFact(
      "an empty slot as authority, MCP too high", invoke(thread, .tcbSetMCPriority, [300], caps: [S.cptr(root: 30)]),
      .invalidCapability(index: 1)),
    // checkPrio: above the authority's MCP → RangeError(seL4_MinPrio, its MCP), on the whole word.
    ErrorFact("MCP 256", invoke(thread, .tcbSetMCPriority, [256], caps: [thread]), .rangeError(min: 0, max: 255)),
    ErrorFact(
      "MCP 2^64 - 1", invoke(thread, .tcbSetMCPriority, [UInt64.max], caps: [thread]), .rangeError(min: 0, max: 255)),
    ErrorFact(
      "MCP 2^32 + 5 (not truncated to a byte)", invoke(thread, .tcbSetMCPriority, [(1 << 32) + 5], caps: [thread]),
      .rangeError(min: 0, max: 255)),
    // The MCP the thread set itself bounds the next request.
    ErrorFact(
      "MCP 11 after lowering the authority's own MCP to 10",
      after: [invoke(thread, .tcbSetMCPriority, [10], caps: [thread])],
      invoke(thread, .tcbSetMCPriority, [11], caps: [thread]), .rangeError(min: 0, max: 10)),
  ]

  // MARK: - §8 TCB_SetPriority (`seL4:src/object/tcb.c decodeSetPriority, checkPrio`): the same
  // checks in the same order as TCB_SetMCPriority, against the authority's MCP (not its priority).

  static let tcbSetPriority: [ErrorFact] = [
    ErrorFact("no registers", invoke(thread, .tcbSetPriority, [], caps: [thread]), .truncatedMessage),
    ErrorFact("no extra cap", invoke(thread, .tcbSetPriority, [10]), .truncatedMessage),
    ErrorFact(
      "no registers and an endpoint as authority", invoke(thread, .tcbSetPriority, [], caps: [S.cptr(root: 3)]),
      .truncatedMessage),
    ErrorFact(
      "an endpoint as authority", invoke(thread, .tcbSetPriority, [10], caps: [S.cptr(root: 3)]),
      .invalidCapability(index: 1)),
    ErrorFact(
      "an empty slot as authority, priority too high", invoke(thread, .tcbSetPriority, [300], caps: [S.cptr(root: 30)]),
      .invalidCapability(index: 1)),
    ErrorFact("priority 256", invoke(thread, .tcbSetPriority, [256], caps: [thread]), .rangeError(min: 0, max: 255)),
    ErrorFact(
      "priority 2^32 + 5 (not truncated to a byte)", invoke(thread, .tcbSetPriority, [(1 << 32) + 5], caps: [thread]),
      .rangeError(min: 0, max: 255)),
    // The bound is the authority's MCP, not its priority (100): 101 is allowed, above MCP 10 is not.
    ErrorFact(
      "priority 11 after lowering the authority's MCP to 10",
      after: [invoke(thread, .tcbSetMCPriority, [10], caps: [thread])],
      invoke(thread, .tcbSetPriority, [11], caps: [thread]), .rangeError(min: 0, max: 10)),
    // Another thread as the authority: its MCP (255) bounds the request.
    ErrorFact(
      "priority 256 on the second thread's authority",
      invoke(S.cptr(root: S.secondSlot), .tcbSetPriority, [256], caps: [S.cptr(root: S.secondSlot)]),
      .rangeError(min: 0, max: 255)),
  ]

  // MARK: - §8 TCB_SetSchedParams, MCS (`seL4:src/object/tcb.c decodeSetSchedParams`): length and
  // three extra caps; the authority; checkPrio of the MCP, then of the priority; the scheduling
  // context (InvalidCapability(2) for a cap of another kind); the fault handler last
  // (InvalidCapability(3)). Caps: root 6 main's own SC, 242 second's, 243 low's; root 3 an
  // endpoint with every right (a valid handler), root 14 a write-only one (not valid).

  static let mainSC = S.cptr(root: 6)
  static let secondSC = S.cptr(root: SystemPlan.Threads.secondSCSlot)
  static let lowThread = S.cptr(root: SystemPlan.Threads.lowSlot)
  static let goodHandler = S.cptr(root: 3)
  static let writeOnlyEndpoint = S.cptr(root: 14)

  static func setSchedParams(_ target: UInt64, _ mcp: UInt64, _ prio: UInt64, _ caps: [UInt64]) -> Event {
    invoke(target, .tcbSetSchedParams, [mcp, prio], caps: caps)
  }

  static let tcbSetSchedParams: [ErrorFact] = [
    ErrorFact("one register", invoke(thread, .tcbSetSchedParams, [0], caps: [thread, mainSC, 0]), .truncatedMessage),
    ErrorFact("two extra caps", setSchedParams(thread, 0, 0, [thread, mainSC]), .truncatedMessage),
    ErrorFact(
      "an endpoint as authority, MCP too high", setSchedParams(thread, 300, 0, [goodHandler, mainSC, 0]),
      .invalidCapability(index: 1)),
    ErrorFact("MCP 256", setSchedParams(thread, 256, 0, [thread, mainSC, 0]), .rangeError(min: 0, max: 255)),
    ErrorFact(
      "MCP within, priority 256, bad SC cap", setSchedParams(thread, 10, 256, [thread, goodHandler, 0]),
      .rangeError(min: 0, max: 255)),
    ErrorFact(
      "an endpoint as the SC, a bad handler", setSchedParams(thread, 10, 10, [thread, goodHandler, writeOnlyEndpoint]),
      .invalidCapability(index: 2)),
    ErrorFact(
      "a notification as the SC", setSchedParams(thread, 10, 10, [thread, S.cptr(root: 4), 0]),
      .invalidCapability(index: 2)),
    // Another SC for a thread that has one: IllegalOperation, before the handler is looked at.
    ErrorFact(
      "second's SC for main, a bad handler", setSchedParams(thread, 10, 10, [thread, secondSC, writeOnlyEndpoint]),
      .illegalOperation),
    // Null: the current thread cannot lose its SC.
    ErrorFact(
      "a Null SC for the caller", setSchedParams(thread, 10, 10, [thread, S.cptr(root: 30), 0]), .illegalOperation),
    // An SC bound to another thread, for a thread without one (low, after losing its own).
    ErrorFact(
      "second's SC for low, which has none",
      after: [setSchedParams(lowThread, 50, 50, [thread, S.cptr(root: 30), 0])],
      setSchedParams(lowThread, 50, 50, [thread, secondSC, 0]), .illegalOperation),
    // The handler: Null or an endpoint with Write and Grant or GrantReply.
    ErrorFact(
      "its own SC, a write-only endpoint as handler",
      setSchedParams(thread, 10, 10, [thread, mainSC, writeOnlyEndpoint]),
      .invalidCapability(index: 3)),
    ErrorFact(
      "its own SC, a notification as handler", setSchedParams(thread, 10, 10, [thread, mainSC, S.cptr(root: 4)]),
      .invalidCapability(index: 3)),
    ErrorFact(
      "its own SC, a read-write endpoint (no Grant) as handler",
      after: [cnodeMint(.root(30), from: .root(3), rights: [.read, .write], data: 0)],
      setSchedParams(thread, 10, 10, [thread, mainSC, S.cptr(root: 30)]), .invalidCapability(index: 3)),
  ]

  // MARK: - §8 TCB_BindNotification and TCB_UnbindNotification (`seL4:src/object/tcb.c
  // decodeBindNotification`, `decodeUnbindNotification`): the extra cap's presence first, then the
  // target's binding, the cap's kind, its Read right, and the notification's queue and binding.

  static let ntfn = S.cptr(root: 4)

  static let tcbBindNotification: [ErrorFact] = [
    ErrorFact("no extra cap", invoke(thread, .tcbBindNotification, []), .truncatedMessage),
    ErrorFact(
      "no extra cap, already bound", after: [invoke(thread, .tcbBindNotification, [], caps: [ntfn])],
      invoke(thread, .tcbBindNotification, []), .truncatedMessage),
    ErrorFact(
      "already bound, an endpoint cap", after: [invoke(thread, .tcbBindNotification, [], caps: [ntfn])],
      invoke(thread, .tcbBindNotification, [], caps: [goodHandler]), .illegalOperation),
    ErrorFact("an endpoint cap", invoke(thread, .tcbBindNotification, [], caps: [goodHandler]), .illegalOperation),
    ErrorFact("a Null cap", invoke(thread, .tcbBindNotification, [], caps: [S.cptr(root: 30)]), .illegalOperation),
    ErrorFact(
      "a notification cap without Read", invoke(thread, .tcbBindNotification, [], caps: [S.cptr(aux: 1)]),
      .illegalOperation),
    ErrorFact(
      "a notification bound to another thread",
      after: [invoke(lowThread, .tcbBindNotification, [], caps: [ntfn])],
      invoke(thread, .tcbBindNotification, [], caps: [S.cptr(root: SystemPlan.Threads.ntfnSlot)]), .illegalOperation),
  ]

  static let tcbUnbindNotification: [ErrorFact] = [
    ErrorFact("not bound", invoke(thread, .tcbUnbindNotification, []), .illegalOperation),
    ErrorFact(
      "unbound again",
      after: [invoke(thread, .tcbBindNotification, [], caps: [ntfn]), invoke(thread, .tcbUnbindNotification, [])],
      invoke(thread, .tcbUnbindNotification, []), .illegalOperation),
  ]

  // MARK: - §8 TCB_SetTimeoutEndpoint, MCS (`seL4:src/object/tcb.c decodeSetTimeoutEndpoint`).

  static let tcbSetTimeoutEndpoint: [ErrorFact] = [
    ErrorFact("no extra cap", invoke(thread, .tcbSetTimeoutEndpoint, []), .truncatedMessage),
    ErrorFact(
      "a write-only endpoint", invoke(thread, .tcbSetTimeoutEndpoint, [], caps: [writeOnlyEndpoint]),
      .invalidCapability(index: 1)),
    ErrorFact("a notification", invoke(thread, .tcbSetTimeoutEndpoint, [], caps: [ntfn]), .invalidCapability(index: 1)),
    ErrorFact("a thread", invoke(thread, .tcbSetTimeoutEndpoint, [], caps: [thread]), .invalidCapability(index: 1)),
  ]

  // MARK: - §8 TCB_ReadRegisters (`seL4:src/object/tcb.c decodeReadRegisters`): length < 2, then the
  // count in 1...n_frameRegisters + n_gpRegisters (AArch64: 17 + 19), then not the caller itself.

  static let secondThread = S.cptr(root: SystemPlan.Threads.secondSlot)

  static let tcbReadRegisters: [ErrorFact] = [
    ErrorFact("no registers, the caller", invoke(thread, .tcbReadRegisters, []), .truncatedMessage),
    ErrorFact("one register, the caller", invoke(thread, .tcbReadRegisters, [0]), .truncatedMessage),
    ErrorFact("one register, another thread", invoke(secondThread, .tcbReadRegisters, [0]), .truncatedMessage),
    ErrorFact(
      "count 0, the caller", invoke(thread, .tcbReadRegisters, [0, 0]), .rangeError(min: 1, max: 36)),
    ErrorFact(
      "count 37, another thread", invoke(secondThread, .tcbReadRegisters, [1, 37]), .rangeError(min: 1, max: 36)),
    ErrorFact(
      "count 2^64 - 1", invoke(secondThread, .tcbReadRegisters, [0, UInt64.max]), .rangeError(min: 1, max: 36)),
    ErrorFact("count 36, the caller", invoke(thread, .tcbReadRegisters, [0, 36]), .illegalOperation),
    ErrorFact("count 1, suspend the caller", invoke(thread, .tcbReadRegisters, [1, 1]), .illegalOperation),
  ]

  // MARK: - §8 TCB_WriteRegisters (`seL4:src/object/tcb.c decodeWriteRegisters`): length < 2, then
  // fewer values than the count (length − 2 < w), then not the caller itself. A count above 36 is
  // no error: the write is clamped.

  static let tcbWriteRegisters: [ErrorFact] = [
    ErrorFact("no registers", invoke(thread, .tcbWriteRegisters, []), .truncatedMessage),
    ErrorFact("one register, another thread", invoke(secondThread, .tcbWriteRegisters, [0]), .truncatedMessage),
    ErrorFact("count 1, no value", invoke(secondThread, .tcbWriteRegisters, [0, 1]), .truncatedMessage),
    ErrorFact("count 3, two values, the caller", invoke(thread, .tcbWriteRegisters, [0, 3, 7, 8]), .truncatedMessage),
    ErrorFact(
      "count 2^64 - 1", invoke(secondThread, .tcbWriteRegisters, [0, UInt64.max, 1, 2]), .truncatedMessage),
    ErrorFact("count 0, the caller", invoke(thread, .tcbWriteRegisters, [0, 0]), .illegalOperation),
    ErrorFact("count 2, two values, the caller", invoke(thread, .tcbWriteRegisters, [1, 2, 7, 8]), .illegalOperation),
  ]

  // MARK: - §8 TCB_CopyRegisters (`seL4:src/object/tcb.c decodeCopyRegisters`): length < 1 or no
  // extra cap, then the source must be a thread cap (InvalidCapability(1)). The caller may be the
  // source or the destination.

  static let tcbCopyRegisters: [ErrorFact] = [
    ErrorFact("no registers, no cap", invoke(secondThread, .tcbCopyRegisters, []), .truncatedMessage),
    ErrorFact(
      "no registers, a thread cap", invoke(secondThread, .tcbCopyRegisters, [], caps: [thread]), .truncatedMessage),
    ErrorFact("flags, no cap", invoke(secondThread, .tcbCopyRegisters, [0xF]), .truncatedMessage),
    ErrorFact(
      "an endpoint as the source", invoke(secondThread, .tcbCopyRegisters, [0xF], caps: [goodHandler]),
      .invalidCapability(index: 1)),
    ErrorFact(
      "a Null cap as the source", invoke(thread, .tcbCopyRegisters, [0], caps: [S.cptr(root: 30)]),
      .invalidCapability(index: 1)),
    ErrorFact(
      "a scheduling context as the source", invoke(thread, .tcbCopyRegisters, [0], caps: [mainSC]),
      .invalidCapability(index: 1)),
  ]

  // MARK: - §8 TCB_SetIPCBuffer (`seL4:src/object/tcb.c decodeSetIPCBuffer`, AArch64
  // `checkValidIPCBuffer`): length < 1 or no extra cap; for an address other than 0, `deriveCap`
  // (an untyped with children → RevokeFirst), then the derived cap must be a frame cap: this model
  // has none, so every cap (IRQControl derives to Null) → IllegalOperation. Address 0 needs no
  // valid cap.

  static let tcbSetIPCBuffer: [ErrorFact] = [
    ErrorFact("no registers, no cap", invoke(thread, .tcbSetIPCBuffer, []), .truncatedMessage),
    ErrorFact("an address, no cap", invoke(secondThread, .tcbSetIPCBuffer, [0x1000]), .truncatedMessage),
    ErrorFact("a cap, no registers", invoke(thread, .tcbSetIPCBuffer, [], caps: [goodHandler]), .truncatedMessage),
    ErrorFact(
      "an untyped with a retyped child", after: [retype(10, .endpoint, offset: 20)],
      invoke(thread, .tcbSetIPCBuffer, [0x1000], caps: [S.cptr(root: 10)]), .revokeFirst),
    ErrorFact(
      "an untyped without children", invoke(thread, .tcbSetIPCBuffer, [0x1000], caps: [S.cptr(root: 10)]),
      .illegalOperation),
    ErrorFact(
      "an endpoint", invoke(secondThread, .tcbSetIPCBuffer, [0x1000], caps: [goodHandler]), .illegalOperation),
    ErrorFact(
      "a Null cap, unaligned address", invoke(thread, .tcbSetIPCBuffer, [0x1001], caps: [S.cptr(root: 30)]),
      .illegalOperation),
    ErrorFact(
      "IRQControl, which derives to Null", invoke(thread, .tcbSetIPCBuffer, [0x1000], caps: [S.cptr(root: 8)]),
      .illegalOperation),
  ]

  // MARK: - §8 TCB_SetSpace and TCB_Configure (`seL4:src/object/tcb.c` MCS `decodeSetSpace`,
  // `decodeTCBConfigure`; `src/object/cnode.c slotCapLongRunningDelete`). SetSpace: length < 2 or
  // fewer than three extra caps (fault handler, CSpace root, VSpace root); Configure: length < 3 or
  // fewer than three (CSpace root, VSpace root, buffer frame), then for a non-zero buffer address
  // `deriveCap` and `checkValidIPCBuffer`. Then the roots: the thread's CSpace or VSpace slot holding
  // a final CNode or thread cap → IllegalOperation; the CSpace root (guard data applied when
  // non-zero) derived (RevokeFirst) and a CNode cap (IllegalOperation); the VSpace root derived
  // (RevokeFirst) and a valid VSpace root, which nothing is here (IllegalOperation). SetSpace checks
  // its fault handler last, so InvalidCapability(1) is never reached. An untyped with a child
  // (RevokeFirst when derived) shows which checks a call passed.

  static let untypedWithChild = S.cptr(root: 10)
  static let withChild: [Event] = [retype(10, .endpoint, offset: 20)]
  /// Main's CSpace slot holds the last cap to the root CNode: its other copies deleted, and the
  /// other threads (whose CSpace slots hold copies) destroyed.
  static let finalCSpaceRoot: [Event] =
    withChild + [
      cnodeDelete(.root(SystemPlan.Threads.secondSlot)), cnodeDelete(.root(SystemPlan.Threads.lowSlot)),
      cnodeDelete(.root(2)), cnodeDelete(.aux(2)),
    ]

  static let tcbSetSpace: [ErrorFact] = [
    ErrorFact("no registers, no caps", invoke(thread, .tcbSetSpace, []), .truncatedMessage),
    ErrorFact(
      "one register", invoke(thread, .tcbSetSpace, [0], caps: [goodHandler, rootCNodeCptr, rootCNodeCptr]),
      .truncatedMessage),
    ErrorFact(
      "two caps", invoke(secondThread, .tcbSetSpace, [0, 0], caps: [goodHandler, rootCNodeCptr]), .truncatedMessage),
    ErrorFact(
      "a CSpace root with a child", after: withChild,
      invoke(thread, .tcbSetSpace, [0, 0], caps: [goodHandler, untypedWithChild, rootCNodeCptr]), .revokeFirst),
    ErrorFact(
      "an endpoint as CSpace root, before the VSpace root", after: withChild,
      invoke(thread, .tcbSetSpace, [0, 0], caps: [goodHandler, goodHandler, untypedWithChild]), .illegalOperation),
    ErrorFact(
      "IRQControl as CSpace root derives to Null", after: withChild,
      invoke(thread, .tcbSetSpace, [0, 0], caps: [goodHandler, S.cptr(root: 8), untypedWithChild]),
      .illegalOperation),
    ErrorFact(
      "a 57-bit guard beside radix 8 makes the CSpace root Null", after: withChild,
      invoke(thread, .tcbSetSpace, [57, 0], caps: [goodHandler, rootCNodeCptr, untypedWithChild]), .illegalOperation),
    ErrorFact(
      "a 48-bit guard fits: on to the VSpace root", after: withChild,
      invoke(secondThread, .tcbSetSpace, [48, 0], caps: [goodHandler, rootCNodeCptr, untypedWithChild]),
      .revokeFirst),
    ErrorFact(
      "a CNode is no VSpace root",
      invoke(thread, .tcbSetSpace, [0, 0], caps: [goodHandler, rootCNodeCptr, rootCNodeCptr]),
      .illegalOperation),
    ErrorFact(
      "the fault handler is checked after the VSpace root",
      invoke(thread, .tcbSetSpace, [0, 0], caps: [S.cptr(root: 4), rootCNodeCptr, rootCNodeCptr]), .illegalOperation),
    ErrorFact(
      "the thread's CSpace slot holds the final CNode cap, before the derive", after: finalCSpaceRoot,
      invoke(thread, .tcbSetSpace, [0, 0], caps: [goodHandler, untypedWithChild, untypedWithChild]), .illegalOperation),
  ]

  static let tcbConfigure: [ErrorFact] = [
    ErrorFact("no registers, no caps", invoke(thread, .tcbConfigure, []), .truncatedMessage),
    ErrorFact(
      "two registers", invoke(thread, .tcbConfigure, [0, 0], caps: [rootCNodeCptr, rootCNodeCptr, goodHandler]),
      .truncatedMessage),
    ErrorFact(
      "two caps", invoke(secondThread, .tcbConfigure, [0, 0, 0], caps: [rootCNodeCptr, rootCNodeCptr]),
      .truncatedMessage),
    ErrorFact(
      "a buffer frame with a child, before the roots", after: withChild,
      invoke(thread, .tcbConfigure, [0, 0, 0x1000], caps: [goodHandler, goodHandler, untypedWithChild]), .revokeFirst),
    ErrorFact(
      "an endpoint is no frame, before the roots", after: withChild,
      invoke(thread, .tcbConfigure, [0, 0, 0x1000], caps: [untypedWithChild, untypedWithChild, goodHandler]),
      .illegalOperation),
    ErrorFact(
      "address 0 skips the buffer", after: withChild,
      invoke(thread, .tcbConfigure, [0, 0, 0], caps: [untypedWithChild, rootCNodeCptr, goodHandler]), .revokeFirst),
    ErrorFact(
      "a 48-bit guard fits: on to the VSpace root", after: withChild,
      invoke(secondThread, .tcbConfigure, [48, 0, 0], caps: [rootCNodeCptr, untypedWithChild, goodHandler]),
      .revokeFirst),
    ErrorFact(
      "a CNode is no VSpace root",
      invoke(thread, .tcbConfigure, [0, 0, 0], caps: [rootCNodeCptr, rootCNodeCptr, goodHandler]),
      .illegalOperation),
    ErrorFact(
      "the thread's CSpace slot holds the final CNode cap", after: finalCSpaceRoot,
      invoke(thread, .tcbConfigure, [0, 0, 0], caps: [untypedWithChild, untypedWithChild, goodHandler]),
      .illegalOperation),
  ]

  // MARK: - §8 TCB_SetTLSBase (`seL4:src/object/tcb.c decodeSetTLSBase`): length < 1 only.

  static let tcbSetTLSBase: [ErrorFact] = [
    ErrorFact("no registers, the caller", invoke(thread, .tcbSetTLSBase, []), .truncatedMessage),
    ErrorFact("no registers, another thread", invoke(secondThread, .tcbSetTLSBase, []), .truncatedMessage),
    ErrorFact(
      "the length says 0 though a register is given", invoke(thread, .tcbSetTLSBase, [5], length: 0),
      .truncatedMessage),
  ]

  // MARK: - §8 TCB_SetFlags (`seL4:src/object/tcb.c decodeSetFlags`): length < 2 only.

  static let tcbSetFlags: [ErrorFact] = [
    ErrorFact("no registers", invoke(thread, .tcbSetFlags, []), .truncatedMessage),
    ErrorFact("one register, another thread", invoke(secondThread, .tcbSetFlags, [1]), .truncatedMessage),
    ErrorFact(
      "the length says 1 though two registers are given", invoke(thread, .tcbSetFlags, [0, 1], length: 1),
      .truncatedMessage),
  ]
}

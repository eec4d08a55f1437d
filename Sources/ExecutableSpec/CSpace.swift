// Capability addressing (`SEL4.Kernel.CSpace`): resolving a capability pointer through a tree of
// CNodes.
//
// Each level consumes a CNode cap's guard and then `radix` index bits; a walk stops when no bits
// are left, or early when the slot reached does not hold a CNode cap. Lookups for the invoked cap
// and extra caps start from the thread's CSpace root and use all 64 bits; CNode methods and Retype
// name a root, an index and a depth, and must consume exactly `depth` bits.
// Twins: `AbstractSpec/CSpace.swift`, `Kernel/CSpace.swift`.

public import KernelABI

/// A lookup failure as a thrown error (`LookupFailure` itself is plain data).
public struct LookupFault: Error, Hashable, Sendable {
  public var failure: LookupFailure
  public init(_ failure: LookupFailure) { self.failure = failure }
}

extension ExecState {
  /// `resolveAddressBits nodeCap capptr bits`: the slot the top `bits` bits of `capptr` name, and
  /// how many bits were left when the walk stopped early at a non-CNode cap.
  /// - Throws: InvalidRoot (root not a CNode), GuardMismatch, DepthMismatch.
  public func resolveAddressBits(_ nodeCap: Capability, _ capptr: UInt64, _ bits: UInt64) throws(LookupFault)
    -> (slot: SlotRef, bitsRemaining: UInt64)
  {
    guard case .cnode = nodeCap else { throw LookupFault(.invalidRoot) }
    var node = nodeCap
    var bitsLeft = bits
    while case .cnode(let ref, let radix, let guardSize, let guardValue) = node {
      let levelBits = radix &+ guardSize
      // A level that consumes no bits would walk forever; seL4 asserts it away (see the report).
      guard levelBits != 0 else { throw LookupFault(.depthMismatch(bitsLeft: bitsLeft, bitsFound: 0)) }
      let guardFound = (capptr >> (bitsLeft &- guardSize)) & lowMask(guardSize)
      guard guardSize <= bitsLeft, guardFound == guardValue else {
        throw LookupFault(.guardMismatch(bitsLeft: bitsLeft, guardFound: guardValue, bitsFound: guardSize))
      }
      guard levelBits <= bitsLeft else {
        throw LookupFault(.depthMismatch(bitsLeft: bitsLeft, bitsFound: levelBits))
      }
      let offset = (capptr >> (bitsLeft - levelBits)) & lowMask(radix)
      let slot = SlotRef(ref, offset)
      bitsLeft -= levelBits
      if bitsLeft == 0 { return (slot, 0) }
      node = getCap(slot)
      if case .cnode = node { continue }
      return (slot, bitsLeft)
    }
    throw LookupFault(.invalidRoot)
  }

  /// The CSpace root cap of `thread` (its TCB slot `cspace`).
  func cspaceRoot(of thread: ObjectRef) -> Capability {
    getCap(SlotRef(thread, TCBSlot.cspace.rawValue))
  }

  /// `lookupSlotForThread`: resolve all 64 bits of `cptr` from the thread's CSpace root; an early
  /// stop at a non-CNode cap is a success.
  public func lookupSlot(_ thread: ObjectRef, _ cptr: UInt64) throws(LookupFault) -> SlotRef {
    try resolveAddressBits(cspaceRoot(of: thread), cptr, UInt64(KernelConstants.wordBits)).slot
  }

  /// `lookupCapAndSlot`: the cap (possibly Null) that `cptr` names in the thread's CSpace.
  public func lookupCap(_ thread: ObjectRef, _ cptr: UInt64) throws(LookupFault) -> (cap: Capability, slot: SlotRef) {
    let slot = try lookupSlot(thread, cptr)
    return (getCap(slot), slot)
  }

  /// `lookupSlotForCNodeOp isSource root cptr depth`: the slot exactly `depth` bits of `cptr` name.
  /// - Throws: FailedLookup(InvalidRoot) for a non-CNode root; RangeError(1, 64) for a depth
  ///   outside 1...64; FailedLookup(the walk's failure); FailedLookup(DepthMismatch(bitsLeft:
  ///   leftover, bitsFound: 0)) when the walk stopped early.
  public func lookupSlotForCNodeOp(isSource: Bool, _ root: Capability, _ cptr: UInt64, depth: UInt64)
    throws(SyscallError) -> SlotRef
  {
    guard case .cnode = root else { throw .failedLookup(source: isSource, failure: .invalidRoot) }
    let wordBits = UInt64(KernelConstants.wordBits)
    guard depth >= 1, depth <= wordBits else { throw .rangeError(min: 1, max: wordBits) }
    let result: (slot: SlotRef, bitsRemaining: UInt64)
    do {
      result = try resolveAddressBits(root, cptr, depth)
    } catch {
      throw .failedLookup(source: isSource, failure: error.failure)
    }
    // Haskell `DepthMismatch { depthMismatchBitsLeft = bitsRemaining, depthMismatchBitsFound = 0 }`
    // (seL4 `lookup_fault_depth_mismatch_new(bitsFound = 0, bitsLeft = bitsRemaining)`).
    guard result.bitsRemaining == 0 else {
      throw .failedLookup(source: isSource, failure: .depthMismatch(bitsLeft: result.bitsRemaining, bitsFound: 0))
    }
    return result.slot
  }
}

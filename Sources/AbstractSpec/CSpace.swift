// Finding a slot from a capability address.
//
// A thread names a slot with a word, a capability pointer, read from its most significant bit
// down. Starting from a CNode cap (the thread's CSpace root, or a root the caller supplies), each
// CNode on the way strips its guard (which must match the next bits of the pointer) and then uses
// the next `radix` bits as a slot index. When the bits run out the walk has found its slot; when
// the slot it reached holds anything but a CNode cap the walk stops early with bits to spare
// (`resolveAddressBits`). Invoking a cap accepts an early stop (`lookupSlot`); CNode operations
// insist on consuming exactly the depth they were given (`lookupSlotForCNodeOp`).
// (`l4v:spec/abstract/CSpace_A.thy`, `seL4:src/kernel/cspace.c`.) Twins: `ExecutableSpec/CSpace.swift`,
// `Kernel/CSpace.swift`.

public import KernelABI

/// A failed lookup, as a thrown value (`LookupFailure` itself is not an `Error`).
public struct LookupError: Error, Hashable, Sendable {
  public var failure: LookupFailure
  public init(_ failure: LookupFailure) { self.failure = failure }
}

extension AbstractState {
  /// Resolve the top `bits` bits of `cptr` starting from `cap` (`resolve_address_bits`): the slot
  /// reached and how many bits were left when the walk stopped at a non-CNode cap.
  /// - Throws: InvalidRoot when `cap` is not a CNode cap; GuardMismatch or DepthMismatch at the
  ///   level where the pointer does not fit.
  /// - Complexity: at most 64 levels, since every level consumes at least one bit.
  public func resolveAddressBits(_ cap: Capability, _ cptr: UInt64, _ bits: UInt64)
    throws(LookupError) -> (slot: SlotRef, bitsRemaining: UInt64)
  {
    guard case .cnode(var node, var radix, var guardSize, var capGuard) = cap else {
      throw LookupError(.invalidRoot)
    }
    var bitsLeft = bits
    for _ in 0...KernelConstants.wordBits {
      let levelBits = radix &+ guardSize
      // The next guardSize bits of the pointer must equal the CNode's guard.
      let guardBits = guardSize <= bitsLeft ? (cptr >> (bitsLeft &- guardSize)) & mask(guardSize) : 0
      guard guardSize <= bitsLeft && guardBits == capGuard else {
        throw LookupError(.guardMismatch(bitsLeft: bitsLeft, guardFound: capGuard, bitsFound: guardSize))
      }
      // The level must fit in the bits that remain (a level of no bits never resolves anything).
      guard levelBits <= bitsLeft, levelBits != 0 else {
        throw LookupError(.depthMismatch(bitsLeft: bitsLeft, bitsFound: levelBits))
      }
      let slot = SlotRef(node, (cptr >> (bitsLeft &- levelBits)) & mask(radix))
      bitsLeft = bitsLeft &- levelBits
      guard bitsLeft > 0, case .cnode(let next, let nextRadix, let nextGuardSize, let nextGuard) = getCap(slot) else {
        return (slot, bitsLeft)
      }
      (node, radix, guardSize, capGuard) = (next, nextRadix, nextGuardSize, nextGuard)
    }
    // Unreachable: each level consumed at least one of at most 64 bits.
    throw LookupError(.depthMismatch(bitsLeft: bitsLeft, bitsFound: 0))
  }

  /// The CSpace root of the thread at `thread`: the cap in its `cspace` slot.
  public func cspaceRoot(of thread: ObjectRef) -> Capability {
    getCap(SlotRef(thread, TCBSlot.cspace.rawValue))
  }

  /// The slot `cptr` names in the thread's CSpace, resolving the whole word (`lookup_slot`); an
  /// early stop at a non-CNode cap is a success.
  /// - Throws: the walk's failure (InvalidRoot when the thread's root is not a CNode cap).
  public func lookupSlot(_ thread: ObjectRef, _ cptr: UInt64) throws(LookupError) -> SlotRef {
    try resolveAddressBits(cspaceRoot(of: thread), cptr, UInt64(KernelConstants.wordBits)).slot
  }

  /// The cap `cptr` names in the thread's CSpace, with its slot (`lookup_cap_and_slot`); an empty
  /// slot gives `.null`, not a failure.
  public func lookupCap(_ thread: ObjectRef, _ cptr: UInt64) throws(LookupError) -> (cap: Capability, slot: SlotRef) {
    let slot = try lookupSlot(thread, cptr)
    return (getCap(slot), slot)
  }

  /// The slot `cptr` names in `root` using exactly `depth` bits (`lookup_slot_for_cnode_op`), for
  /// the slots CNode operations and Retype name. `isSource` is what the FailedLookup error reports.
  /// - Throws: FailedLookup(InvalidRoot) for a non-CNode root; RangeError(1, 64) for a depth
  ///   outside 1...64; FailedLookup with the walk's failure; FailedLookup(DepthMismatch(bitsLeft: n,
  ///   bitsFound: 0)) when the walk stopped with `n` bits unresolved.
  public func lookupSlotForCNodeOp(isSource: Bool, _ root: Capability, _ cptr: UInt64, depth: UInt64)
    throws(SyscallError) -> SlotRef
  {
    guard case .cnode = root else { throw .failedLookup(source: isSource, failure: .invalidRoot) }
    let wordBits = UInt64(KernelConstants.wordBits)
    guard depth >= 1 && depth <= wordBits else { throw .rangeError(min: 1, max: wordBits) }
    let found: (slot: SlotRef, bitsRemaining: UInt64)
    do throws(LookupError) {
      found = try resolveAddressBits(root, cptr, depth)
    } catch {
      throw .failedLookup(source: isSource, failure: error.failure)
    }
    // `DepthMismatch (length rem) 0` (CSpace_A.thy): the leftover bits are the bits left, none found
    // (seL4 `lookup_fault_depth_mismatch_new(bitsFound = 0, bitsLeft = bitsRemaining)`).
    guard found.bitsRemaining == 0 else {
      throw .failedLookup(source: isSource, failure: .depthMismatch(bitsLeft: found.bitsRemaining, bitsFound: 0))
    }
    return found.slot
  }
}

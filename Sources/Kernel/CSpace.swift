// Capability addressing (seL4 `src/kernel/cspace.c`): walking a capability pointer through the
// guards and radices of a CSpace.
//
// Each CNode level consumes `guardSize + radix` bits of the pointer from the top of the bits
// still unresolved: first the guard, which must equal the cap's guard, then the radix bits that
// index the CNode. The bit arithmetic is written once over `MachineWord` (`CSpaceArithmetic`), so
// the code that runs is the code a proof can reason about.
// Twins: `AbstractSpec/CSpace.swift`, `ExecutableSpec/CSpace.swift`.

public import Bitwise
public import KernelABI

/// The guard and index arithmetic of one CNode level, generic over the word.
public enum CSpaceArithmetic {
  /// The `guardSize` bits of `cptr` just below its top `64 − bitsLeft` resolved bits (the C masks
  /// the shift to 6 bits so that `bitsLeft` 64 with guard size 0 shifts by 0).
  @inlinable
  public static func guardBits<W: MachineWord>(cptr: W, bitsLeft: W, guardSize: W) -> W {
    (cptr >> ((bitsLeft &- guardSize) & W(constant: 63))) & W.mask(bits: guardSize)
  }

  /// True iff the level's guard does not match: it needs more bits than are left, or they differ.
  @inlinable
  public static func guardMismatch<W: MachineWord>(cptr: W, bitsLeft: W, guardSize: W, guard capGuard: W) -> W.Condition
  {
    (guardSize .> bitsLeft) .|| (guardBits(cptr: cptr, bitsLeft: bitsLeft, guardSize: guardSize) .!= capGuard)
  }

  /// The slot index the level's radix bits select (`levelBits` ≤ `bitsLeft` already checked).
  @inlinable
  public static func slotIndex<W: MachineWord>(cptr: W, bitsLeft: W, levelBits: W, radix: W) -> W {
    (cptr >> (bitsLeft &- levelBits)) & W.mask(bits: radix)
  }

  /// The address of slot `index` of the CNode at `cnode`.
  @inlinable
  public static func slotAddress<W: MachineWord>(cnode: W, index: W) -> W {
    cnode &+ (index << W(constant: KernelConstants.slotBits))
  }
}

/// The outcome of a walk: the slot reached and the bits left unresolved, or why it failed.
enum ResolveResult {
  case found(slot: UInt64, bitsRemaining: UInt64)
  case failed(LookupFailure)
}

extension KernelState {
  /// `resolveAddressBits(nodeCap, cptr, nBits)`: walk `nBits` bits of `cptr` from `nodeCap`.
  /// A level that resolves no bits (radix and guard size 0) would never end; it fails as a depth
  /// mismatch that found 0 bits.
  func resolveAddressBits(_ nodeCap: Capability, _ cptr: UInt64, _ nBits: UInt64) -> ResolveResult {
    guard case .cnode(var cnode, var radix, var guardSize, var capGuard) = nodeCap else {
      return .failed(.invalidRoot)
    }
    var bitsLeft = nBits
    // Each pass consumes at least one bit, so the walk ends within 64 passes.
    while true {
      let levelBits = radix &+ guardSize
      if CSpaceArithmetic.guardMismatch(cptr: cptr, bitsLeft: bitsLeft, guardSize: guardSize, guard: capGuard) {
        return .failed(.guardMismatch(bitsLeft: bitsLeft, guardFound: capGuard, bitsFound: guardSize))
      }
      if levelBits > bitsLeft || levelBits == 0 {
        return .failed(.depthMismatch(bitsLeft: bitsLeft, bitsFound: levelBits))
      }
      let index = CSpaceArithmetic.slotIndex(cptr: cptr, bitsLeft: bitsLeft, levelBits: levelBits, radix: radix)
      let slot = CSpaceArithmetic.slotAddress(cnode: cnode, index: index)
      if bitsLeft == levelBits { return .found(slot: slot, bitsRemaining: 0) }
      bitsLeft &-= levelBits
      guard case .cnode(let nextNode, let nextRadix, let nextGuardSize, let nextGuard) = getCap(slot) else {
        return .found(slot: slot, bitsRemaining: bitsLeft)
      }
      (cnode, radix, guardSize, capGuard) = (nextNode, nextRadix, nextGuardSize, nextGuard)
    }
  }

  /// `lookupSlot(thread, cptr)`: resolve all 64 bits of `cptr` from the thread's CSpace root; a
  /// walk that ends early at a non-CNode cap succeeds there.
  func lookupSlot(_ thread: ObjectRef, _ cptr: UInt64) -> ResolveResult {
    let root = getCap(KernelState.tcbCTE(thread, .cspace))
    return resolveAddressBits(root, cptr, UInt64(KernelConstants.wordBits))
  }

  /// `lookupSlotForCNodeOp(isSource, root, cptr, depth)`: resolve exactly `depth` bits.
  func lookupSlotForCNodeOp(isSource: Bool, _ root: Capability, _ cptr: UInt64, depth: UInt64)
    throws(SyscallError) -> UInt64
  {
    guard case .cnode = root else { throw .failedLookup(source: isSource, failure: .invalidRoot) }
    guard depth >= 1, depth <= UInt64(KernelConstants.wordBits) else {
      throw .rangeError(min: 1, max: UInt64(KernelConstants.wordBits))
    }
    switch resolveAddressBits(root, cptr, depth) {
    case .failed(let failure):
      throw .failedLookup(source: isSource, failure: failure)
    case .found(let slot, let bitsRemaining):
      guard bitsRemaining == 0 else {
        throw .failedLookup(source: isSource, failure: .depthMismatch(bitsLeft: bitsRemaining, bitsFound: 0))
      }
      return slot
    }
  }
}

// Finding a slot from a capability address: the twin of `AbstractSpec/CSpace.swift`
// (`resolveAddressBits`, `lookupSlotForCNodeOp`, in its order, with its error order), over words.
//
// The walk reads the pointer from its most significant bit down: each CNode cap on the way strips
// its guard and uses the next `radix` bits as a slot index, until the bits run out or the slot
// reached holds anything but a CNode cap. Each check is a branch that ends differently (a failure
// or the next level), so it is a `decide`; the concrete domain answers at once. A slot is named by
// the CNode's address and the index (`TwinState.slot(_:_:)`).
// (`l4v:spec/abstract/CSpace_A.thy`, `seL4:src/kernel/cspace.c`.)

public import Bitwise
public import KernelABI

/// A failed lookup (`LookupFailure`), over the twin's words.
public enum TwinLookupFailure<W: MachineWord> {
  case invalidRoot
  case missingCapability(bitsLeft: W)
  case depthMismatch(bitsLeft: W, bitsFound: W)
  case guardMismatch(bitsLeft: W, guardFound: W, bitsFound: W)
}

/// A failed invocation (`SyscallError`, the cases the twin's decoders raise), over its words.
public enum TwinSyscallError<W: MachineWord> {
  case illegalOperation
  case rangeError(min: W, max: W)
  case failedLookup(source: Bool, failure: TwinLookupFailure<W>)
  case truncatedMessage
  case deleteFirst
  case revokeFirst
}

/// The twin's thrown failures. (The twin's words never leave the thread that made them.)
public struct TwinError<Failure>: Error, @unchecked Sendable {
  public var failure: Failure
  public init(_ failure: Failure) { self.failure = failure }
}

extension TwinLookupFailure where W == UInt64 {
  /// The abstract spec's value.
  public var concrete: LookupFailure {
    switch self {
    case .invalidRoot: .invalidRoot
    case .missingCapability(let bitsLeft): .missingCapability(bitsLeft: bitsLeft)
    case .depthMismatch(let bitsLeft, let bitsFound): .depthMismatch(bitsLeft: bitsLeft, bitsFound: bitsFound)
    case .guardMismatch(let bitsLeft, let guardFound, let bitsFound):
      .guardMismatch(bitsLeft: bitsLeft, guardFound: guardFound, bitsFound: bitsFound)
    }
  }
}

extension TwinSyscallError where W == UInt64 {
  /// The abstract spec's value.
  public var concrete: SyscallError {
    switch self {
    case .illegalOperation: .illegalOperation
    case .rangeError(let min, let max): .rangeError(min: min, max: max)
    case .failedLookup(let source, let failure): .failedLookup(source: source, failure: failure.concrete)
    case .truncatedMessage: .truncatedMessage
    case .deleteFirst: .deleteFirst
    case .revokeFirst: .revokeFirst
    }
  }
}

extension TwinState {
  /// A failed lookup, thrown.
  public typealias LookupFailed = TwinError<TwinLookupFailure<Word>>
  /// A failed invocation, thrown.
  public typealias SyscallFailed = TwinError<TwinSyscallError<Word>>

  /// Resolve the top `bits` bits of `cptr` starting from `cap` (`resolve_address_bits`): the slot
  /// reached and how many bits were left when the walk stopped at a non-CNode cap.
  /// - Throws: InvalidRoot when `cap` is not a CNode cap; GuardMismatch or DepthMismatch at the
  ///   level where the pointer does not fit.
  /// - Complexity: at most 64 levels, since every level consumes at least one bit (at most
  ///   `maxWalkLevels`, which a proof may lower).
  public mutating func resolveAddressBits(_ cap: TwinCap<Word>, _ cptr: Word, _ bits: Word)
    throws(LookupFailed) -> (slot: Word, bitsRemaining: Word)
  {
    guard domain.decide(cap.is(.cnode)) else { throw LookupFailed(.invalidRoot) }
    var (node, radix, guardSize, capGuard) = (cap.ref, cap.w1, cap.w2, cap.w3)
    var bitsLeft = bits
    for _ in 0..<maxWalkLevels {
      let levelBits = radix &+ guardSize
      // The next guardSize bits of the pointer must equal the CNode's guard.
      let guardFits = guardSize .<= bitsLeft
      let guardBits = Word.select(guardFits, (cptr >> (bitsLeft &- guardSize)) & Word.mask(bits: guardSize), 0)
      guard domain.decide(guardFits .&& (guardBits .== capGuard)) else {
        throw LookupFailed(.guardMismatch(bitsLeft: bitsLeft, guardFound: capGuard, bitsFound: guardSize))
      }
      // The level must fit in the bits that remain (a level of no bits never resolves anything).
      guard domain.decide((levelBits .<= bitsLeft) .&& (levelBits .!= 0)) else {
        throw LookupFailed(.depthMismatch(bitsLeft: bitsLeft, bitsFound: levelBits))
      }
      let reached = slot(node, (cptr >> (bitsLeft &- levelBits)) & Word.mask(bits: radix))
      bitsLeft = bitsLeft &- levelBits
      let next = getCap(reached)
      guard domain.decide((bitsLeft .> 0) .&& next.is(.cnode)) else { return (reached, bitsLeft) }
      (node, radix, guardSize, capGuard) = (next.ref, next.w1, next.w2, next.w3)
    }
    // Each level consumed at least one of at most 64 bits, so a walk of 65 levels never gets here;
    // a proof's shorter bound does, and the proof leaves the path out (`walkBoundReached`).
    walkBoundReached = true
    throw LookupFailed(.depthMismatch(bitsLeft: bitsLeft, bitsFound: 0))
  }

  /// The slot `cptr` names in the thread's CSpace, resolving the whole word (`lookup_slot`); an
  /// early stop at a non-CNode cap is a success. `thread` is the TCB's address.
  public mutating func lookupSlot(_ thread: Word, _ cptr: Word) throws(LookupFailed) -> Word {
    let rootSlot = slot(thread, Word(constant: TCBSlot.cspace.rawValue))
    let root = getCap(rootSlot)
    return try resolveAddressBits(root, cptr, Word(constant: UInt64(KernelConstants.wordBits))).slot
  }

  /// The slot `cptr` names in `root` using exactly `depth` bits (`lookup_slot_for_cnode_op`), for
  /// the slots CNode operations name. `isSource` is what the FailedLookup error reports.
  /// - Throws: FailedLookup(InvalidRoot) for a non-CNode root; RangeError(1, 64) for a depth
  ///   outside 1...64; FailedLookup with the walk's failure; FailedLookup(DepthMismatch(bitsLeft: n,
  ///   bitsFound: 0)) when the walk stopped with `n` bits unresolved.
  public mutating func lookupSlotForCNodeOp(isSource: Bool, _ root: TwinCap<Word>, _ cptr: Word, depth: Word)
    throws(SyscallFailed) -> Word
  {
    guard domain.decide(root.is(.cnode)) else {
      throw SyscallFailed(.failedLookup(source: isSource, failure: .invalidRoot))
    }
    let wordBits = Word(constant: UInt64(KernelConstants.wordBits))
    guard domain.decide((depth .>= 1) .&& (depth .<= wordBits)) else {
      throw SyscallFailed(.rangeError(min: 1, max: wordBits))
    }
    let found: (slot: Word, bitsRemaining: Word)
    do throws(LookupFailed) {
      found = try resolveAddressBits(root, cptr, depth)
    } catch {
      throw SyscallFailed(.failedLookup(source: isSource, failure: error.failure))
    }
    guard domain.decide(found.bitsRemaining .== 0) else {
      throw SyscallFailed(
        .failedLookup(source: isSource, failure: .depthMismatch(bitsLeft: found.bitsRemaining, bitsFound: 0)))
    }
    return found.slot
  }
}

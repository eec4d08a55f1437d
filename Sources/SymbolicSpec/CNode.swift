// CNode invocations: the twin of `AbstractSpec/CNode.swift` (`decodeCNodeInvocation`,
// `decodeCNodeCopyOrMove`, `decodeCNodeRotate`, `invokeCNode`, in its order, with its checks in
// the kernel's order), over the twin's words.
//
// Copy, Mint, Move, Mutate, Rotate and the Delete of a cap that is not the last one to its object
// are twinned; Revoke, CancelBadgedSends and the Delete of a final cap decode here but are not
// performed (`invokeCNode` reports them uncovered). The invocation's label, register count and
// extra-cap count are known (a proof fixes the operation); the registers and caps are words.
// (`seL4:src/object/cnode.c`, `l4v:spec/abstract/Decode_A.thy` `decode_cnode_invocation`.)

public import Bitwise
import KernelABI

/// A decoded CNode invocation (`CNodeInvocation`), over the twin's words (slots are slot ids).
public enum TwinCNodeInvocation<W: MachineWord> {
  case revoke(W)
  case delete(W)
  case cancelBadgedSends(TwinCap<W>)
  case insert(TwinCap<W>, source: W, destination: W)
  case move(TwinCap<W>, source: W, destination: W)
  case rotate(newSource: TwinCap<W>, newPivot: TwinCap<W>, source: W, pivot: W, destination: W)
}

/// What an invocation reads from its caller (`InvocationArguments`): the label, the message
/// registers (`length` of them) and the extra caps it looked up.
public struct TwinInvocationArguments<W: MachineWord> {
  public var label: UInt64
  public var registers: [W]
  public var extraCaps: [TwinCap<W>]

  public init(label: UInt64, registers: [W], extraCaps: [TwinCap<W>]) {
    self.label = label
    self.registers = registers
    self.extraCaps = extraCaps
  }

  /// How many message registers the caller sent.
  public var length: Int { registers.count }
}

extension TwinState {
  /// Decode a CNode invocation on `cnodeCap` (`decode_cnode_invocation`), in the kernel's order:
  /// a CNode label, at least two registers, the destination slot, then the method's own checks.
  public mutating func decodeCNodeInvocation(_ args: TwinInvocationArguments<Word>, _ cnodeCap: TwinCap<Word>)
    throws(SyscallFailed) -> TwinCNodeInvocation<Word>
  {
    guard let label = InvocationLabel(rawValue: args.label), label.target == .cnode else {
      throw SyscallFailed(.illegalOperation)
    }
    guard args.length >= 2 else { throw SyscallFailed(.truncatedMessage) }
    let dest = try lookupSlotForCNodeOp(isSource: false, cnodeCap, args.registers[0], depth: args.registers[1])
    switch label {
    // The four methods that fill the destination from a source slot.
    case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
      return try decodeCNodeCopyOrMove(label, args, dest)
    // Revoke and Delete act on the destination slot, whatever it holds.
    case .cnodeRevoke:
      return .revoke(dest)
    case .cnodeDelete:
      return .delete(dest)
    // CancelBadgedSends needs an endpoint cap with every right.
    case .cnodeCancelBadgedSends:
      let cap = getCap(dest)
      guard domain.decide(cap.is(.endpoint) .&& (cap.w2 .== Word(constant: CapRights.all.rawValue))) else {
        throw SyscallFailed(.illegalOperation)
      }
      return .cancelBadgedSends(cap)
    case .cnodeRotate:
      return try decodeCNodeRotate(args, dest)
    default:
      throw SyscallFailed(.illegalOperation)
    }
  }

  /// The checks of Copy, Mint, Move and Mutate: the destination must be empty before the source is
  /// even looked up; the source must hold a cap; the new cap must not be Null.
  mutating func decodeCNodeCopyOrMove(_ label: InvocationLabel, _ args: TwinInvocationArguments<Word>, _ dest: Word)
    throws(SyscallFailed) -> TwinCNodeInvocation<Word>
  {
    guard args.length >= 4, let sourceRoot = args.extraCaps.first else { throw SyscallFailed(.truncatedMessage) }
    if seams.checksEmptyDestination?(label) ?? true { try ensureEmptySlot(dest) }
    let sourceDepth = args.registers[3]
    let source = try lookupSlotForCNodeOp(isSource: true, sourceRoot, args.registers[2], depth: sourceDepth)
    let sourceCap = getCap(source)
    guard !domain.decide(sourceCap.isNull) else {
      throw SyscallFailed(.failedLookup(source: true, failure: .missingCapability(bitsLeft: sourceDepth)))
    }
    let newCap: TwinCap<Word>
    switch label {
    // Copy: the source cap with fewer rights, derived.
    case .cnodeCopy:
      guard args.length >= 5 else { throw SyscallFailed(.truncatedMessage) }
      newCap = try derived(label, source, masked(label, sourceCap, args.registers[4]))
    // Mint: fewer rights and a badge or guard, derived.
    case .cnodeMint:
      guard args.length >= 6 else { throw SyscallFailed(.truncatedMessage) }
      let narrowed = masked(label, sourceCap, args.registers[4])
      newCap = try derived(label, source, narrowed.updateCapData(preserve: false, args.registers[5]))
    // Mutate: the same cap with a new guard (never a new badge).
    case .cnodeMutate:
      guard args.length >= 5 else { throw SyscallFailed(.truncatedMessage) }
      newCap = sourceCap.updateCapData(preserve: true, args.registers[4])
    // Move: the cap as it is.
    default:
      newCap = sourceCap
    }
    if seams.refusesNullCap?(label) ?? true {
      guard !domain.decide(newCap.isNull) else { throw SyscallFailed(.illegalOperation) }
    }
    let isMove = label == .cnodeMove || label == .cnodeMutate
    let target = seams.destination?(label, dest) ?? dest
    return isMove
      ? .move(newCap, source: source, destination: target) : .insert(newCap, source: source, destination: target)
  }

  /// `maskCapRights` of `cap` with `rights`, as Copy and Mint take it (a planted slip may replace it).
  func masked(_ label: InvocationLabel, _ cap: TwinCap<Word>, _ rights: Word) -> TwinCap<Word> {
    seams.maskRights?(label, cap, rights) ?? cap.maskCapRights(rights)
  }

  /// `deriveCap` of `cap` from `source`, as Copy and Mint take it (a planted slip may skip it).
  func derived(_ label: InvocationLabel, _ source: Word, _ cap: TwinCap<Word>) throws(SyscallFailed)
    -> TwinCap<Word>
  {
    guard seams.derivesCap?(label) ?? true else { return cap }
    return try deriveCap(source, cap)
  }

  /// The checks of Rotate: both lookups, the three slots' distinctness, an empty destination
  /// unless it is the source, both caps present, and both surviving `updateCapData`.
  mutating func decodeCNodeRotate(_ args: TwinInvocationArguments<Word>, _ dest: Word) throws(SyscallFailed)
    -> TwinCNodeInvocation<Word>
  {
    guard args.length >= 8, args.extraCaps.count >= 2 else { throw SyscallFailed(.truncatedMessage) }
    let r = args.registers
    let (pivotData, pivotIndex, pivotDepth) = (r[2], r[3], r[4])
    let (sourceData, sourceIndex, sourceDepth) = (r[5], r[6], r[7])
    let source = try lookupSlotForCNodeOp(isSource: true, args.extraCaps[1], sourceIndex, depth: sourceDepth)
    let pivot = try lookupSlotForCNodeOp(isSource: true, args.extraCaps[0], pivotIndex, depth: pivotDepth)
    guard domain.decide((pivot .!= source) .&& (pivot .!= dest)) else { throw SyscallFailed(.illegalOperation) }
    if domain.decide(source .!= dest) { try ensureEmptySlot(dest) }
    let sourceCap = getCap(source)
    let pivotCap = getCap(pivot)
    guard !domain.decide(sourceCap.isNull) else {
      throw SyscallFailed(.failedLookup(source: true, failure: .missingCapability(bitsLeft: sourceDepth)))
    }
    guard !domain.decide(pivotCap.isNull) else {
      throw SyscallFailed(.failedLookup(source: false, failure: .missingCapability(bitsLeft: pivotDepth)))
    }
    let newSource = sourceCap.updateCapData(preserve: true, sourceData)
    let newPivot = pivotCap.updateCapData(preserve: true, pivotData)
    guard !domain.decide(newSource.isNull .|| newPivot.isNull) else { throw SyscallFailed(.illegalOperation) }
    return .rotate(newSource: newSource, newPivot: newPivot, source: source, pivot: pivot, destination: dest)
  }

  /// Perform a decoded CNode invocation (`invoke_cnode`). Returns false, having changed nothing,
  /// for what the twin does not model: Revoke, CancelBadgedSends, and the Delete of a final cap.
  public mutating func invokeCNode(_ invocation: TwinCNodeInvocation<Word>) -> Bool {
    switch invocation {
    case .revoke, .cancelBadgedSends:
      return false
    case .delete(let slot):
      return cteDelete(slot)
    case .insert(let cap, let source, let destination):
      cteInsert(cap, from: source, to: destination)
    case .move(let cap, let source, let destination):
      cteMove(cap, from: source, to: destination)
    // Rotating onto the source's own slot is a swap; otherwise two moves, pivot first.
    case .rotate(let newSource, let newPivot, let source, let pivot, let destination):
      if domain.decide(source .== destination) {
        cteSwap(newSource, source, newPivot, pivot)
      } else if let replaced = seams.rotateMoves {
        replaced(&self, newSource, newPivot, source, pivot, destination)
      } else {
        cteMove(newPivot, from: pivot, to: destination)
        cteMove(newSource, from: source, to: pivot)
      }
    }
    return true
  }
}

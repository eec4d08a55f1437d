// CNode invocations: copying, minting, moving, mutating, rotating, deleting and revoking caps.
//
// Every CNode method names a destination slot by index and depth relative to the invoked CNode
// cap. Copy and Mint derive a new cap from a source slot (named relative to a root the caller
// passes as an extra cap) and insert it into the tree; Move and Mutate carry a cap across; Rotate
// moves two caps in one step; Delete empties a slot and Revoke everything derived from it;
// CancelBadgedSends checks its endpoint cap and restarts the senders queued with its badge. The
// checks run in exactly the kernel's order, because the first failure is what the caller sees.
// (`seL4:src/object/cnode.c`, `l4v:spec/abstract/Decode_A.thy` `decode_cnode_invocation`.)
// Twins: `ExecutableSpec/CNode.swift`, `Kernel/CNode.swift`.

public import KernelABI

/// A decoded CNode invocation: what `invokeCNode` performs.
public enum CNodeInvocation: Hashable, Sendable {
  /// Revoke: delete everything derived from the cap in the slot.
  case revoke(SlotRef)
  /// Delete: empty the slot.
  case delete(SlotRef)
  /// CancelBadgedSends on this endpoint cap.
  case cancelBadgedSends(Capability)
  /// Copy or Mint: insert the cap, made from the cap in `source`, into `destination`.
  case insert(Capability, source: SlotRef, destination: SlotRef)
  /// Move or Mutate: carry the cap in `source` to `destination` as the given cap.
  case move(Capability, source: SlotRef, destination: SlotRef)
  /// Rotate: `newPivot` to `destination`, `newSource` to `pivot` (a swap when `source == destination`).
  case rotate(newSource: Capability, newPivot: Capability, source: SlotRef, pivot: SlotRef, destination: SlotRef)
}

/// What an invocation reads from its caller: message registers (`length` of them, missing ones 0)
/// and the extra caps it looked up.
public struct InvocationArguments: Hashable, Sendable {
  public var label: UInt64
  public var registers: [UInt64]
  public var extraCaps: [Capability]
  /// The slots the extra caps were found in (`excaprefs`), in the same order; a method that copies
  /// an extra cap into a TCB slot (`installTCBCap`) makes it that slot's child or sibling.
  public var extraCapSlots: [SlotRef]

  public init(label: UInt64, registers: [UInt64], extraCaps: [Capability], extraCapSlots: [SlotRef] = []) {
    self.label = label
    self.registers = registers
    self.extraCaps = extraCaps
    self.extraCapSlots = extraCapSlots
  }

  /// How many message registers the caller sent.
  public var length: Int { registers.count }
}

extension AbstractState {
  /// Decode a CNode invocation on `cnodeCap` (`decode_cnode_invocation`), in the kernel's order:
  /// a CNode label, at least two registers, the destination slot, then the method's own checks.
  public func decodeCNodeInvocation(_ args: InvocationArguments, _ cnodeCap: Capability)
    throws(SyscallError) -> CNodeInvocation
  {
    guard let label = InvocationLabel(rawValue: args.label), label.target == .cnode else { throw .illegalOperation }
    guard args.length >= 2 else { throw .truncatedMessage }
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
      guard case .endpoint(_, _, let rights) = cap, rights == .all else { throw .illegalOperation }
      return .cancelBadgedSends(cap)
    case .cnodeRotate:
      return try decodeCNodeRotate(args, dest)
    default:
      throw .illegalOperation
    }
  }

  /// The checks of Copy, Mint, Move and Mutate (§6 steps 1–6): the destination must be empty before
  /// the source is even looked up; the source must hold a cap; the new cap must not be Null.
  func decodeCNodeCopyOrMove(_ label: InvocationLabel, _ args: InvocationArguments, _ dest: SlotRef)
    throws(SyscallError) -> CNodeInvocation
  {
    guard args.length >= 4, let sourceRoot = args.extraCaps.first else { throw .truncatedMessage }
    if seams.checksEmptyDestination?(label) ?? true { try ensureEmptySlot(dest) }
    let sourceDepth = args.registers[3]
    let source = try lookupSlotForCNodeOp(isSource: true, sourceRoot, args.registers[2], depth: sourceDepth)
    let sourceCap = getCap(source)
    guard !sourceCap.isNull else {
      throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: sourceDepth))
    }
    let newCap: Capability
    switch label {
    // Copy: the source cap with fewer rights, derived.
    case .cnodeCopy:
      guard args.length >= 5 else { throw .truncatedMessage }
      newCap = try derived(label, source, sourceCap.maskCapRights(CapRights(word: args.registers[4])))
    // Mint: fewer rights and a badge or guard, derived.
    case .cnodeMint:
      guard args.length >= 6 else { throw .truncatedMessage }
      let masked = sourceCap.maskCapRights(CapRights(word: args.registers[4]))
      newCap = try derived(label, source, masked.updateCapData(preserve: false, args.registers[5]))
    // Mutate: the same cap with a new guard (never a new badge).
    case .cnodeMutate:
      guard args.length >= 5 else { throw .truncatedMessage }
      newCap = sourceCap.updateCapData(preserve: true, args.registers[4])
    // Move: the cap as it is.
    default:
      newCap = sourceCap
    }
    guard !newCap.isNull || !(seams.refusesNullCap?(label) ?? true) else { throw .illegalOperation }
    let isMove = label == .cnodeMove || label == .cnodeMutate
    return isMove
      ? .move(newCap, source: source, destination: dest) : .insert(newCap, source: source, destination: dest)
  }

  /// `deriveCap` of `cap` from `source`, as Copy and Mint take it (a planted slip may skip it).
  func derived(_ label: InvocationLabel, _ source: SlotRef, _ cap: Capability) throws(SyscallError) -> Capability {
    guard seams.derivesCap?(label) ?? true else { return cap }
    return try deriveCap(source, cap)
  }

  /// The checks of Rotate (§6): both lookups, the three slots' distinctness, an empty destination
  /// unless it is the source, both caps present, and both surviving `updateCapData`.
  func decodeCNodeRotate(_ args: InvocationArguments, _ dest: SlotRef) throws(SyscallError) -> CNodeInvocation {
    guard args.length >= 8, args.extraCaps.count >= 2 else { throw .truncatedMessage }
    let r = args.registers
    let (pivotData, pivotIndex, pivotDepth) = (r[2], r[3], r[4])
    let (sourceData, sourceIndex, sourceDepth) = (r[5], r[6], r[7])
    let source = try lookupSlotForCNodeOp(isSource: true, args.extraCaps[1], sourceIndex, depth: sourceDepth)
    let pivot = try lookupSlotForCNodeOp(isSource: true, args.extraCaps[0], pivotIndex, depth: pivotDepth)
    guard pivot != source && pivot != dest else { throw .illegalOperation }
    if source != dest { try ensureEmptySlot(dest) }
    let sourceCap = getCap(source)
    let pivotCap = getCap(pivot)
    guard !sourceCap.isNull else {
      throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: sourceDepth))
    }
    guard !pivotCap.isNull else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: pivotDepth))
    }
    let newSource = sourceCap.updateCapData(preserve: true, sourceData)
    let newPivot = pivotCap.updateCapData(preserve: true, pivotData)
    guard !newSource.isNull && !newPivot.isNull else { throw .illegalOperation }
    return .rotate(newSource: newSource, newPivot: newPivot, source: source, pivot: pivot, destination: dest)
  }

  /// Perform a decoded CNode invocation (`invoke_cnode`); it cannot fail.
  public mutating func invokeCNode(_ invocation: CNodeInvocation) {
    var choices = AbstractChoices()
    invokeCNode(invocation, choices: &choices)
  }

  /// `invokeCNode` with revoke's choice of the next descendant made by `choices` (l4v `select_ext`):
  /// a witness the spec does not allow is recorded as refused and replaced by the spec's own order.
  public mutating func invokeCNode(_ invocation: CNodeInvocation, choices: inout AbstractChoices) {
    switch invocation {
    case .revoke(let slot):
      if let witness = choices.revokeOrder(slot) {
        if !cteRevoke(slot, witness: witness) {
          choices.refused.append("revoke of \(slot): deletion order \(witness) is not one cap_revoke allows")
          cteRevoke(slot)
        }
      } else {
        cteRevoke(slot)
      }
    case .delete(let slot):
      cteDelete(slot)
    // The senders queued with the cap's badge restart; an unbadged cap cancels nothing.
    case .cancelBadgedSends(let cap):
      guard case .endpoint(let ep, let badge, _) = cap, badge != 0 else { return }
      cancelBadgedSends(ep, badge)
    case .insert(let cap, let source, let destination):
      cteInsert(cap, from: source, to: destination)
    case .move(let cap, let source, let destination):
      cteMove(cap, from: source, to: destination)
    // Rotating onto the source's own slot is a swap; otherwise two moves, pivot first.
    case .rotate(let newSource, let newPivot, let source, let pivot, let destination):
      if source == destination {
        cteSwap(newSource, source, newPivot, pivot)
      } else if let replaced = seams.rotateMoves {
        replaced(&self, newSource, newPivot, source, pivot, destination)
      } else {
        cteMove(newPivot, from: pivot, to: destination)
        cteMove(newSource, from: source, to: pivot)
      }
    }
  }
}

// CNode invocations (`decodeCNodeInvocation` and `invokeCNode` in `SEL4.Object.CNode`).
//
// Decoding checks the message in the reference order and names the slots involved; it never
// changes the state. Every method starts from a destination slot: `index` (arg 0) and `depth`
// (arg 1) resolved in the invoked CNode. Copy, Mint, Move and Mutate add a source (args 2, 3, extra
// cap 0 as its root); Rotate adds a pivot and a source (args 2–7, extra caps 0 and 1).
// Twins: `AbstractSpec/CNode.swift`, `Kernel/CNode.swift`.

public import KernelABI

/// A decoded CNode invocation (`CNodeInvocation` in the Haskell model).
public enum CNodeInvocation: Hashable, Sendable {
  /// Delete every descendant of the slot's cap.
  case revoke(SlotRef)
  /// Delete the slot's cap.
  case delete(SlotRef)
  /// Cancel the sends queued with this EP cap's badge.
  case cancelBadgedSends(Capability)
  /// Copy or Mint: insert the derived cap next to its source.
  case insert(Capability, source: SlotRef, destination: SlotRef)
  /// Move or Mutate: move the (possibly changed) cap and its MDB node.
  case move(Capability, source: SlotRef, destination: SlotRef)
  /// Rotate: pivot → destination, source → pivot (a swap when source == destination).
  case rotate(newSource: Capability, newPivot: Capability, source: SlotRef, pivot: SlotRef, destination: SlotRef)
}

extension ExecState {
  /// `decodeCNodeInvocation label args cap extraCaps`.
  /// - Parameters:
  ///   - label: the message label; a label of no CNode method is an IllegalOperation.
  ///   - args: message registers MR0 … MR(length−1).
  ///   - cap: the invoked CNode cap.
  ///   - extraCaps: the caps the extra-cap pointers named (Null where a slot is empty).
  /// - Throws: the first failing check's error, in the reference order (§6).
  public func decodeCNodeInvocation(label: UInt64, args: [UInt64], cap: Capability, extraCaps: [Capability])
    throws(SyscallError) -> CNodeInvocation
  {
    guard let method = InvocationLabel(rawValue: label), method.target == .cnode else { throw .illegalOperation }
    guard args.count >= 2 else { throw .truncatedMessage }
    let destSlot = try lookupSlotForCNodeOp(isSource: false, cap, args[0], depth: args[1])
    switch method {
    case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
      return try decodeCNodeCopyOrMove(method, args: args, destSlot: destSlot, extraCaps: extraCaps)
    case .cnodeRevoke:
      return .revoke(destSlot)
    case .cnodeDelete:
      return .delete(destSlot)
    case .cnodeCancelBadgedSends:
      let destCap = getCap(destSlot)
      guard destCap.hasCancelSendRights else { throw .illegalOperation }
      return .cancelBadgedSends(destCap)
    case .cnodeRotate:
      return try decodeCNodeRotate(args: args, destSlot: destSlot, extraCaps: extraCaps)
    default:
      throw .illegalOperation
    }
  }

  /// Copy, Mint, Move, Mutate: the destination must be empty before the source is even looked up.
  func decodeCNodeCopyOrMove(_ method: InvocationLabel, args: [UInt64], destSlot: SlotRef, extraCaps: [Capability])
    throws(SyscallError) -> CNodeInvocation
  {
    guard args.count >= 4, let srcRoot = extraCaps.first else { throw .truncatedMessage }
    try ensureEmptySlot(destSlot)
    let srcDepth = args[3]
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, srcRoot, args[2], depth: srcDepth)
    let srcCap = getCap(srcSlot)
    guard !srcCap.isNull else { throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: srcDepth)) }
    let newCap: Capability
    let isMove: Bool
    switch method {
    // Copy: fewer rights, then derived.
    case .cnodeCopy:
      guard args.count >= 5 else { throw .truncatedMessage }
      let rights = CapRights(word: args[4])
      newCap = try deriveCap(srcSlot, seams.cnodeCopyMaskCapRights?(rights, srcCap) ?? srcCap.maskCapRights(rights))
      isMove = false
    // Mint: fewer rights, a badge or guard, then derived.
    case .cnodeMint:
      guard args.count >= 6 else { throw .truncatedMessage }
      let masked = srcCap.maskCapRights(CapRights(word: args[4]))
      newCap = try deriveCap(srcSlot, masked.updateCapData(preserve: false, args[5]))
      isMove = false
    // Move: the cap as it is.
    case .cnodeMove:
      newCap = srcCap
      isMove = true
    // Mutate: a new guard (any EP/Ntfn cap becomes Null, so IllegalOperation).
    default:
      guard args.count >= 5 else { throw .truncatedMessage }
      newCap = srcCap.updateCapData(preserve: true, args[4])
      isMove = true
    }
    guard !newCap.isNull else { throw .illegalOperation }
    return isMove
      ? .move(newCap, source: srcSlot, destination: destSlot)
      : .insert(newCap, source: srcSlot, destination: destSlot)
  }

  /// Rotate: both lookups first, then the distinctness, emptiness and cap-data checks.
  func decodeCNodeRotate(args: [UInt64], destSlot: SlotRef, extraCaps: [Capability]) throws(SyscallError)
    -> CNodeInvocation
  {
    guard args.count >= 8, extraCaps.count >= 2 else { throw .truncatedMessage }
    let (pivotData, pivotIndex, pivotDepth) = (args[2], args[3], args[4])
    let (srcData, srcIndex, srcDepth) = (args[5], args[6], args[7])
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, extraCaps[1], srcIndex, depth: srcDepth)
    let pivotSlot = try lookupSlotForCNodeOp(isSource: true, extraCaps[0], pivotIndex, depth: pivotDepth)
    guard pivotSlot != srcSlot, pivotSlot != destSlot else { throw .illegalOperation }
    if srcSlot != destSlot { try ensureEmptySlot(destSlot) }
    let srcCap = getCap(srcSlot)
    guard !srcCap.isNull else { throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: srcDepth)) }
    let pivotCap = getCap(pivotSlot)
    guard !pivotCap.isNull else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: pivotDepth))
    }
    let newSrcCap = srcCap.updateCapData(preserve: true, srcData)
    let newPivotCap = pivotCap.updateCapData(preserve: true, pivotData)
    guard !newSrcCap.isNull, !newPivotCap.isNull else { throw .illegalOperation }
    return .rotate(
      newSource: newSrcCap, newPivot: newPivotCap, source: srcSlot, pivot: pivotSlot, destination: destSlot)
  }

  /// `invokeCNode`: perform a decoded invocation. Nothing here can fail (no preemption).
  public mutating func invokeCNode(_ invocation: CNodeInvocation) {
    switch invocation {
    case .revoke(let slot):
      cteRevoke(slot)
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
    // Source == destination: the two caps trade slots.
    case .rotate(let newSource, let newPivot, let source, let pivot, let destination) where source == destination:
      cteSwap(newSource, source, newPivot, pivot)
    case .rotate(let newSource, let newPivot, let source, let pivot, let destination):
      cteMove(newPivot, from: pivot, to: destination)
      cteMove(newSource, from: source, to: pivot)
    }
  }
}

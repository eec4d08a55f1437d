// CNode invocations (seL4 `src/object/cnode.c`: `decodeCNodeInvocation`, `invokeCNode*`).
//
// Every method first names a destination slot (args 0 and 1, index and depth) relative to the
// invoked CNode. Copy, Mint, Move and Mutate then name a source slot (args 2 and 3) relative to
// the first extra cap; Rotate names a pivot and a source. The checks run in seL4's order; each
// failing check throws the `SyscallError` the caller's reply reports; `invokeCNode` then performs
// the decoded method. Twins: `AbstractSpec/CNode.swift`, `ExecutableSpec/CNode.swift`.

import KernelABI

/// A decoded CNode invocation (the `invokeCNode*` call `decodeCNodeInvocation` ends with); slots are
/// CTE addresses.
enum CNodeInvocation {
  /// Delete every descendant of the slot's cap.
  case revoke(UInt64)
  /// Delete the slot's cap.
  case delete(UInt64)
  /// Cancel the sends queued with this EP cap's badge.
  case cancelBadgedSends(Capability)
  /// Copy or Mint: insert the derived cap next to its source.
  case insert(Capability, source: UInt64, destination: UInt64)
  /// Move or Mutate: move the (possibly changed) cap and its MDB node.
  case move(Capability, source: UInt64, destination: UInt64)
  /// Rotate: pivot → destination, source → pivot (a swap when source == destination).
  case rotate(newSource: Capability, newPivot: Capability, source: UInt64, pivot: UInt64, destination: UInt64)
}

extension KernelState {
  /// `decodeCNodeInvocation`: the checks of a CNode method on `cnodeCap`, in seL4's order; it
  /// writes nothing.
  func decodeCNodeInvocation(_ label: UInt64, _ cnodeCap: Capability, _ message: Message)
    throws(SyscallError) -> CNodeInvocation
  {
    // Only the CNode methods apply to a CNode (MCS has no SaveCaller).
    guard label >= InvocationLabel.cnodeRevoke.rawValue, label <= InvocationLabel.cnodeRotate.rawValue,
      let method = InvocationLabel(rawValue: label)
    else { throw .illegalOperation }
    guard message.length >= 2 else { throw .truncatedMessage }
    let destSlot = try lookupSlotForCNodeOp(isSource: false, cnodeCap, message.arg(0), depth: message.arg(1))

    switch method {
    case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
      return try decodeCNodeCopyOrMove(method, destSlot, message)
    // Revoke and Delete act on the destination slot, whatever it holds.
    case .cnodeRevoke:
      return .revoke(destSlot)
    case .cnodeDelete:
      return .delete(destSlot)
    case .cnodeCancelBadgedSends:
      let destCap = getCap(destSlot)
      guard KernelState.hasCancelSendRights(destCap) else { throw .illegalOperation }
      return .cancelBadgedSends(destCap)
    case .cnodeRotate:
      return try decodeCNodeRotate(destSlot, message)
    case .invalidInvocation, .untypedRetype, .tcbReadRegisters, .tcbWriteRegisters, .tcbCopyRegisters,
      .tcbConfigure, .tcbSetPriority, .tcbSetMCPriority, .tcbSetSchedParams, .tcbSetTimeoutEndpoint,
      .tcbSetIPCBuffer, .tcbSetSpace, .tcbSuspend, .tcbResume, .tcbBindNotification, .tcbUnbindNotification,
      .tcbSetTLSBase, .tcbSetFlags, .irqIssueIRQHandler, .irqAckIRQ, .irqSetIRQHandler, .irqClearIRQHandler,
      .domainSetSet, .domainScheduleConfigure, .domainScheduleSetStart, .schedControlConfigureFlags,
      .schedContextBind, .schedContextUnbind, .schedContextUnbindObject, .schedContextConsumed,
      .schedContextYieldTo:
      throw .illegalOperation
    }
  }

  /// Copy, Mint (insert a derived cap) and Move, Mutate (move the cap).
  private func decodeCNodeCopyOrMove(_ method: InvocationLabel, _ destSlot: UInt64, _ message: Message)
    throws(SyscallError) -> CNodeInvocation
  {
    guard message.length >= 4, let srcRootSlot = message.extraCap(0) else { throw .truncatedMessage }
    let srcIndex = message.arg(2)
    let srcDepth = message.arg(3)
    // The destination must be empty before the source is even looked at.
    try ensureEmptySlot(destSlot)
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, getCap(srcRootSlot), srcIndex, depth: srcDepth)
    let srcCap = getCap(srcSlot)
    guard srcCap != .null else {
      throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: srcDepth))
    }
    let newCap: Capability
    let isMove: Bool
    switch method {
    case .cnodeCopy:
      guard message.length >= 5 else { throw .truncatedMessage }
      let rights = CapRights(word: message.arg(4))
      newCap = try deriveCap(srcSlot, KernelState.maskCapRights(rights, srcCap))
      isMove = false
    case .cnodeMint:
      guard message.length >= 6 else { throw .truncatedMessage }
      let rights = CapRights(word: message.arg(4))
      let masked = seams.cnodeMintMaskCapRights?(rights, srcCap) ?? KernelState.maskCapRights(rights, srcCap)
      newCap = try deriveCap(srcSlot, KernelState.updateCapData(preserve: false, message.arg(5), masked))
      isMove = false
    case .cnodeMutate:
      guard message.length >= 5 else { throw .truncatedMessage }
      newCap = KernelState.updateCapData(preserve: true, message.arg(4), srcCap)
      isMove = true
    default:  // .cnodeMove: the caller passes only the four methods
      newCap = srcCap
      isMove = true
    }
    guard newCap != .null else { throw .illegalOperation }
    return isMove
      ? .move(newCap, source: srcSlot, destination: destSlot)
      : .insert(newCap, source: srcSlot, destination: destSlot)
  }

  /// Rotate: pivot → dest, src → pivot (a swap when src is dest).
  private func decodeCNodeRotate(_ destSlot: UInt64, _ message: Message) throws(SyscallError) -> CNodeInvocation {
    guard message.length >= 8, let pivotRootSlot = message.extraCap(0), let srcRootSlot = message.extraCap(1)
    else { throw .truncatedMessage }
    let pivotNewData = message.arg(2)
    let pivotIndex = message.arg(3)
    let pivotDepth = message.arg(4)
    let srcNewData = message.arg(5)
    let srcIndex = message.arg(6)
    let srcDepth = message.arg(7)
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, getCap(srcRootSlot), srcIndex, depth: srcDepth)
    let pivotSlot = try lookupSlotForCNodeOp(isSource: true, getCap(pivotRootSlot), pivotIndex, depth: pivotDepth)
    guard pivotSlot != srcSlot, pivotSlot != destSlot else { throw .illegalOperation }
    if srcSlot != destSlot { try ensureEmptySlot(destSlot) }
    let srcCap = getCap(srcSlot)
    let pivotCap = getCap(pivotSlot)
    guard srcCap != .null else { throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: srcDepth)) }
    guard pivotCap != .null else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: pivotDepth))
    }
    let newSrcCap = KernelState.updateCapData(preserve: true, srcNewData, srcCap)
    let newPivotCap = KernelState.updateCapData(preserve: true, pivotNewData, pivotCap)
    guard newSrcCap != .null, newPivotCap != .null else { throw .illegalOperation }
    return .rotate(
      newSource: newSrcCap, newPivot: newPivotCap, source: srcSlot, pivot: pivotSlot, destination: destSlot)
  }

  /// `invokeCNode*`: perform a decoded invocation. Nothing here can fail (no preemption).
  mutating func invokeCNode(_ invocation: CNodeInvocation) {
    switch invocation {
    // Revoke and Delete of an empty slot succeed and do nothing.
    case .revoke(let slot):
      cteRevoke(slot)
    case .delete(let slot):
      cteDelete(slot)
    // The senders queued with the cap's badge restart; an unbadged cap cancels nothing
    // (`invokeCNodeCancelBadgedSends`).
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

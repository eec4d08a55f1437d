// CNode invocations (seL4 `src/object/cnode.c`: `decodeCNodeInvocation`, `invokeCNode*`).
//
// Every method first names a destination slot (args 0 and 1, index and depth) relative to the
// invoked CNode. Copy, Mint, Move and Mutate then name a source slot (args 2 and 3) relative to
// the first extra cap; Rotate names a pivot and a source. The checks run in seL4's order; each
// failing check throws the `SyscallError` the caller's reply reports.

import KernelABI

extension KernelState {
  /// `decodeCNodeInvocation` followed by the invocation.
  mutating func decodeCNodeInvocation(_ label: UInt64, _ cnodeCap: Capability, _ message: Message)
    throws(SyscallError)
  {
    // Only the CNode methods apply to a CNode (MCS has no SaveCaller).
    guard label >= InvocationLabel.cnodeRevoke.rawValue, label <= InvocationLabel.cnodeRotate.rawValue,
      let method = InvocationLabel(rawValue: label)
    else { throw .illegalOperation }
    guard message.length >= 2 else { throw .truncatedMessage }
    let destSlot = try lookupSlotForCNodeOp(isSource: false, cnodeCap, message.arg(0), message.arg(1))

    switch method {
    case .cnodeCopy, .cnodeMint, .cnodeMove, .cnodeMutate:
      try decodeCNodeCopyOrMove(method, destSlot, message)
    // Revoke and Delete of an empty slot succeed and do nothing.
    case .cnodeRevoke:
      cteRevoke(destSlot)
    case .cnodeDelete:
      cteDelete(destSlot)
    // No thread is ever queued in this slice, so a permitted cancel changes nothing.
    case .cnodeCancelBadgedSends:
      guard KernelState.hasCancelSendRights(capAt(destSlot)) else { throw .illegalOperation }
    case .cnodeRotate:
      try decodeCNodeRotate(destSlot, message)
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
  private mutating func decodeCNodeCopyOrMove(_ method: InvocationLabel, _ destSlot: UInt64, _ message: Message)
    throws(SyscallError)
  {
    guard message.length >= 4, let srcRootSlot = message.extraCap(0) else { throw .truncatedMessage }
    let srcIndex = message.arg(2)
    let srcDepth = message.arg(3)
    // The destination must be empty before the source is even looked at.
    guard capAt(destSlot) == .null else { throw .deleteFirst }
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, capAt(srcRootSlot), srcIndex, srcDepth)
    let srcCap = capAt(srcSlot)
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
      let masked = plantedBug == .mintIgnoresRightsMask ? srcCap : KernelState.maskCapRights(rights, srcCap)
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
    if isMove { cteMove(newCap, srcSlot, destSlot) } else { cteInsert(newCap, srcSlot, destSlot) }
  }

  /// Rotate: pivot → dest, src → pivot (a swap when src is dest).
  private mutating func decodeCNodeRotate(_ destSlot: UInt64, _ message: Message) throws(SyscallError) {
    guard message.length >= 8, let pivotRootSlot = message.extraCap(0), let srcRootSlot = message.extraCap(1)
    else { throw .truncatedMessage }
    let pivotNewData = message.arg(2)
    let pivotIndex = message.arg(3)
    let pivotDepth = message.arg(4)
    let srcNewData = message.arg(5)
    let srcIndex = message.arg(6)
    let srcDepth = message.arg(7)
    let srcSlot = try lookupSlotForCNodeOp(isSource: true, capAt(srcRootSlot), srcIndex, srcDepth)
    let pivotSlot = try lookupSlotForCNodeOp(isSource: true, capAt(pivotRootSlot), pivotIndex, pivotDepth)
    guard pivotSlot != srcSlot, pivotSlot != destSlot else { throw .illegalOperation }
    if srcSlot != destSlot && capAt(destSlot) != .null { throw .deleteFirst }
    let srcCap = capAt(srcSlot)
    let pivotCap = capAt(pivotSlot)
    guard srcCap != .null else { throw .failedLookup(source: true, failure: .missingCapability(bitsLeft: srcDepth)) }
    guard pivotCap != .null else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: pivotDepth))
    }
    let newSrcCap = KernelState.updateCapData(preserve: true, srcNewData, srcCap)
    let newPivotCap = KernelState.updateCapData(preserve: true, pivotNewData, pivotCap)
    guard newSrcCap != .null, newPivotCap != .null else { throw .illegalOperation }
    if srcSlot == destSlot {
      cteSwap(newSrcCap, srcSlot, newPivotCap, pivotSlot)
    } else {
      cteMove(newPivotCap, pivotSlot, destSlot)
      cteMove(newSrcCap, srcSlot, pivotSlot)
    }
  }
}

// A thread's invocations (seL4 `src/object/tcb.c`: `decodeTCBInvocation`, `invokeTCB_*`), and
// the operations on a TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_ReadRegisters,
// TCB_WriteRegisters, TCB_CopyRegisters (in `TCB+Registers.swift`, with TCB_SetTLSBase, decoded
// last), TCB_Suspend, TCB_Resume,
// TCB_SetPriority, TCB_SetMCPriority, TCB_SetSchedParams, TCB_SetIPCBuffer (only address 0 can
// succeed: this model has no frame caps, and only a frame cap can be an IPC buffer), TCB_BindNotification,
// TCB_UnbindNotification and TCB_SetTimeoutEndpoint (see
// `AbstractSpec/TCB.swift`), TCB_Configure and TCB_SetSpace (checked in order, never successful: no
// VSpace caps), TCB_SetFlags; `setPriority` is MCS `src/kernel/thread.c`'s. A label that is no TCB
// method is an IllegalOperation. Twins: `AbstractSpec/TCB.swift`, `ExecutableSpec/TCB.swift`.

import KernelABI

/// What a ThreadControlSched does with `tcbSchedContext`: bind the one at this address, or unbind.
enum SchedContextUpdate {
  case bind(ObjectRef)
  case unbind
}

/// A cap to copy into a TCB's CTE (`installTCBCap`), with the CTE it came from.
struct TCBCapUpdate {
  var cap: Capability
  var source: UInt64
}

/// A decoded TCB invocation.
enum TCBInvocation {
  /// MCS `invokeTCB_ThreadControlSched` (SetSchedParams, SetMCPriority, SetPriority); nil leaves a
  /// field alone. `slot` is the invoked thread cap's CTE.
  case threadControlSched(
    target: ObjectRef, slot: UInt64, faultHandler: TCBCapUpdate?, mcp: UInt64?, priority: UInt64?,
    schedContext: SchedContextUpdate?)
  /// MCS `invokeTCB_ThreadControlCaps` with `thread_control_caps_update_timeout`.
  case threadControlCaps(target: ObjectRef, slot: UInt64, timeoutHandler: TCBCapUpdate)
  /// `invokeTCB_ReadRegisters` of `source`.
  case readRegisters(source: ObjectRef, suspendSource: Bool, count: UInt64)
  /// `invokeTCB_WriteRegisters` of `dest`: `count` registers from the message's MR2 up.
  case writeRegisters(dest: ObjectRef, resumeTarget: Bool, count: UInt64, message: Message)
  /// `invokeTCB_CopyRegisters` from `source` to `dest`.
  case copyRegisters(
    dest: ObjectRef, source: ObjectRef, suspendSource: Bool, resumeTarget: Bool, transferFrame: Bool,
    transferInteger: Bool)
  /// MCS `invokeTCB_ThreadControlCaps` with `thread_control_caps_update_ipc_buffer` and address 0:
  /// `cteDelete` of the buffer CTE (`tcbIPCBuffer` is always 0 here, so no word holds it).
  case setIPCBuffer(ObjectRef)
  /// TCB_Suspend of the thread.
  case suspend(ObjectRef)
  /// TCB_Resume of the thread.
  case resume(ObjectRef)
  /// `invokeTCB_NotificationControl`: TCB_BindNotification (a notification) or
  /// TCB_UnbindNotification (nil).
  case notificationControl(ObjectRef, ObjectRef?)
  /// `invokeSetTLSBase`.
  case setTLSBase(ObjectRef, UInt64)
  /// TCB_SetFlags.
  case setFlags(ObjectRef, clear: UInt64, set: UInt64)
}

extension KernelState {
  /// `decodeTCBInvocation`: the method the label names, with its checks in seL4's order; it
  /// writes nothing. `capSlot` is the invoked cap's CTE.
  func decodeTCBInvocation(_ label: UInt64, _ cap: Capability, _ capSlot: UInt64, _ message: Message)
    throws(SyscallError) -> TCBInvocation
  {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: label), method.target == .tcb else {
      throw .illegalOperation
    }
    switch method {
    case .tcbReadRegisters: return try decodeReadRegisters(target, message)
    case .tcbWriteRegisters: return try decodeWriteRegisters(target, message)
    case .tcbCopyRegisters: return try decodeCopyRegisters(target, message)
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbConfigure: return try decodeTCBConfigure(target, message)
    case .tcbSetPriority: return try decodeSetPriority(target, capSlot, message)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, capSlot, message)
    case .tcbSetSchedParams: return try decodeSetSchedParams(target, capSlot, message)
    case .tcbSetIPCBuffer: return try decodeSetIPCBuffer(target, message)
    case .tcbSetSpace: return try decodeSetSpace(target, message)
    case .tcbBindNotification: return try decodeBindNotification(target, message)
    case .tcbUnbindNotification: return try decodeUnbindNotification(target)
    case .tcbSetTimeoutEndpoint: return try decodeSetTimeoutEndpoint(target, capSlot, message)
    case .tcbSetTLSBase: return try decodeSetTLSBase(target, message)
    case .tcbSetFlags: return try decodeSetFlags(target, message)
    // seL4's default case: "TCB: Illegal operation" (no label with a TCB target reaches it).
    default: throw .illegalOperation
    }
  }

  /// `decodeTCBConfigure` (MCS): `length < 3` or fewer than three extra caps → TruncatedMessage;
  /// MR0 the CSpace root's data, MR1 the VSpace root's data, MR2 the IPC buffer's address; extra
  /// caps the CSpace root, the VSpace root, the buffer's frame. Every call fails here (see
  /// `AbstractSpec/TCB.swift`).
  func decodeTCBConfigure(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 3, let cRootSlot = message.extraCap(0), let vRootSlot = message.extraCap(1),
      let bufferSlot = message.extraCap(2)
    else { throw .truncatedMessage }
    let bufferAddress = message.arg(2)
    if bufferAddress != 0 {
      let bufferCap = try deriveCap(bufferSlot, getCap(bufferSlot))
      try checkValidIPCBuffer(bufferAddress, bufferCap)
    }
    try checkSpaceRoots(
      target, cRootSlot: cRootSlot, cRootData: message.arg(0), vRootSlot: vRootSlot, vRootData: message.arg(1))
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// The root checks `decodeTCBConfigure` and `decodeSetSpace` share, in their order:
  /// `slotCapLongRunningDelete` of the thread's `tcbCTable` and `tcbVTable` CTEs
  /// (IllegalOperation), the CSpace root (`updateCapData` when its data is non-zero, `deriveCap`)
  /// a CNode cap (IllegalOperation), the VSpace root likewise derived and `isValidVTableRoot`.
  func checkSpaceRoots(
    _ target: ObjectRef, cRootSlot: UInt64, cRootData: UInt64, vRootSlot: UInt64, vRootData: UInt64
  ) throws(SyscallError) {
    if slotCapLongRunningDelete(KernelState.tcbCTE(target, .cspace))
      || slotCapLongRunningDelete(KernelState.tcbCTE(target, .vspace))
    {
      throw .illegalOperation
    }
    var cRootCap = getCap(cRootSlot)
    if cRootData != 0 { cRootCap = KernelState.updateCapData(preserve: false, cRootData, cRootCap) }
    cRootCap = try deriveCap(cRootSlot, cRootCap)
    guard case .cnode = cRootCap else { throw .illegalOperation }
    var vRootCap = getCap(vRootSlot)
    if vRootData != 0 { vRootCap = KernelState.updateCapData(preserve: false, vRootData, vRootCap) }
    vRootCap = try deriveCap(vRootSlot, vRootCap)
    guard isValidVTableRoot(vRootCap) else { throw .illegalOperation }
  }

  /// `slotCapLongRunningDelete` (`seL4:src/object/cnode.c`): the CTE holds a CNode or thread cap
  /// (zombies do not exist here) that `isFinalCapability` says is the last one.
  func slotCapLongRunningDelete(_ slot: UInt64) -> Bool {
    let cap = getCap(slot)
    switch cap {
    case .cnode, .thread: return isFinalCapability(slot, cap)
    default: return false
    }
  }

  /// `isValidVTableRoot` (AArch64): a VSpace cap with a mapped ASID; this model has no VSpace caps.
  func isValidVTableRoot(_ cap: Capability) -> Bool { false }

  /// `decodeSetPriority`: MR0 the new priority, extra cap 0 the authority thread.
  func decodeSetPriority(_ target: ObjectRef, _ slot: UInt64, _ message: Message) throws(SyscallError)
    -> TCBInvocation
  {
    guard message.length >= 1, let authoritySlot = message.extraCap(0) else { throw .truncatedMessage }
    let newPrio = message.arg(0)
    guard case .thread(let authority) = getCap(authoritySlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: nil, priority: newPrio, schedContext: nil)
  }

  /// `decodeSetMCPriority`: MR0 the new MCP, extra cap 0 the authority thread.
  func decodeSetMCPriority(_ target: ObjectRef, _ slot: UInt64, _ message: Message) throws(SyscallError)
    -> TCBInvocation
  {
    guard message.length >= 1, let authoritySlot = message.extraCap(0) else { throw .truncatedMessage }
    let newMCP = message.arg(0)
    guard case .thread(let authority) = getCap(authoritySlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: newMCP, priority: nil, schedContext: nil)
  }

  /// `decodeSetSchedParams` (MCS): MR0 the MCP, MR1 the priority; extra caps the authority thread,
  /// a scheduling context or Null, the fault handler.
  func decodeSetSchedParams(_ target: ObjectRef, _ slot: UInt64, _ message: Message) throws(SyscallError)
    -> TCBInvocation
  {
    guard message.length >= 2, let authSlot = message.extraCap(0), let scSlot = message.extraCap(1),
      let fhSlot = message.extraCap(2)
    else { throw .truncatedMessage }
    let newMCP = message.arg(0)
    let newPrio = message.arg(1)
    guard case .thread(let authority) = getCap(authSlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    try checkPrio(newPrio, authority)
    let tcbSchedContext = schedContextWord(of: target) ?? 0
    var sc: ObjectRef = 0
    switch getCap(scSlot) {
    case .schedContext(let ref, _):
      sc = ref
      if tcbSchedContext != sc {
        if tcbSchedContext != 0 { throw .illegalOperation }
        if (scTcb(of: sc) ?? 0) != 0 { throw .illegalOperation }
      }
      if isBlocked(target) && !scReleased(sc) { throw .illegalOperation }
    case .null:
      if target == ksCurThread { throw .illegalOperation }
    default:
      throw .invalidCapability(index: 2)
    }
    let fhCap = getCap(fhSlot)
    guard validFaultHandler(fhCap) else { throw .invalidCapability(index: 3) }
    var update: SchedContextUpdate? = nil
    if tcbSchedContext != sc { update = sc != 0 ? .bind(sc) : .unbind }
    return .threadControlSched(
      target: target, slot: slot, faultHandler: TCBCapUpdate(cap: fhCap, source: fhSlot), mcp: newMCP,
      priority: newPrio, schedContext: update)
  }

  /// `decodeSetIPCBuffer`: `length < 1` or no extra cap → TruncatedMessage; an address other than
  /// 0: `deriveCap` of the extra cap, then `checkValidIPCBuffer`.
  func decodeSetIPCBuffer(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 1, let bufferSlot = message.extraCap(0) else { throw .truncatedMessage }
    let bufferAddress = message.arg(0)
    if bufferAddress != 0 {
      let bufferCap = try deriveCap(bufferSlot, getCap(bufferSlot))
      try checkValidIPCBuffer(bufferAddress, bufferCap)
    }
    return .setIPCBuffer(target)
  }

  /// `checkValidIPCBuffer` (AArch64): `cap_get_capType(cap) != cap_frame_cap` → IllegalOperation,
  /// which is every cap, since this model has no frame caps (the device and alignment checks that
  /// follow are never reached).
  func checkValidIPCBuffer(_ address: UInt64, _ cap: Capability) throws(SyscallError) {
    throw .illegalOperation
  }

  /// `decodeSetSpace` (MCS): `length < 2` or fewer than three extra caps → TruncatedMessage; MR0
  /// the CSpace root's data, MR1 the VSpace root's data; extra caps the fault handler, the CSpace
  /// root, the VSpace root; after `checkSpaceRoots`, `validFaultHandler` (InvalidCapability 1).
  /// Every call fails here (see `AbstractSpec/TCB.swift`).
  func decodeSetSpace(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 2, let fhSlot = message.extraCap(0), let cRootSlot = message.extraCap(1),
      let vRootSlot = message.extraCap(2)
    else { throw .truncatedMessage }
    try checkSpaceRoots(
      target, cRootSlot: cRootSlot, cRootData: message.arg(0), vRootSlot: vRootSlot, vRootData: message.arg(1))
    guard validFaultHandler(getCap(fhSlot)) else { throw .invalidCapability(index: 1) }
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// `decodeBindNotification`: extra cap 0 a notification cap with Read (`capNtfnCanReceive`), to a
  /// notification whose queue head and bound TCB words are 0, for a thread whose
  /// `tcbBoundNotification` is 0.
  func decodeBindNotification(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard let ntfnSlot = message.extraCap(0) else { throw .truncatedMessage }
    guard boundNotificationWord(of: target) == 0 else { throw .illegalOperation }
    guard case .notification(let ntfn, _, let rights) = getCap(ntfnSlot) else { throw .illegalOperation }
    guard rights.contains(.read) else { throw .illegalOperation }
    guard ntfnQueue(of: ntfn).head == 0 && ntfnBoundTCB(of: ntfn) == 0 else { throw .illegalOperation }
    return .notificationControl(target, ntfn)
  }

  /// `decodeUnbindNotification`: the thread's `tcbBoundNotification` must not be 0.
  func decodeUnbindNotification(_ target: ObjectRef) throws(SyscallError) -> TCBInvocation {
    guard let bound = boundNotificationWord(of: target), bound != 0 else { throw .illegalOperation }
    return .notificationControl(target, nil)
  }

  /// `decodeSetTimeoutEndpoint` (MCS): extra cap 0 the timeout handler, a valid fault handler.
  func decodeSetTimeoutEndpoint(_ target: ObjectRef, _ slot: UInt64, _ message: Message) throws(SyscallError)
    -> TCBInvocation
  {
    guard let thSlot = message.extraCap(0) else { throw .truncatedMessage }
    let thCap = getCap(thSlot)
    guard validFaultHandler(thCap) else { throw .invalidCapability(index: 1) }
    return .threadControlCaps(target: target, slot: slot, timeoutHandler: TCBCapUpdate(cap: thCap, source: thSlot))
  }

  /// `decodeSetFlags`: `length < 2` → TruncatedMessage; MR0 the flags to clear, MR1 those to set.
  func decodeSetFlags(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 2 else { throw .truncatedMessage }
    return .setFlags(target, clear: message.arg(0), set: message.arg(1))
  }

  /// `checkPrio`: a priority (or MCP) above the authority thread's MCP is a RangeError naming the
  /// range allowed (the whole word is compared).
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = maxControlledPriority(of: authority) ?? 0
    guard seams.checkPrioAllows?(prio, mcp) ?? (prio <= mcp) else { throw .rangeError(min: 0, max: mcp) }
  }

  /// `validFaultHandler` (MCS): a Null cap, or an endpoint cap with `capCanSend` and `capCanGrant`
  /// or `capCanGrantReply`.
  func validFaultHandler(_ cap: Capability) -> Bool {
    switch cap {
    case .null: true
    case .endpoint(_, _, let rights):
      rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
    default: false
    }
  }

  /// `invokeTCB`: perform a decoded TCB invocation.
  mutating func invokeTCB(_ invocation: TCBInvocation) -> InvocationOutcome {
    switch invocation {
    case .threadControlSched(let target, let slot, let faultHandler, let mcp, let priority, let schedContext):
      if let faultHandler { installTCBCap(target, slot, .faultHandler, faultHandler) }
      if let mcp { setMCPriority(target, mcp) }
      if let priority { setPriority(target, priority) }
      switch schedContext {
      case .bind(let sc)?: schedContextBindTCB(sc, target)
      case .unbind?: if let sc = schedContextWord(of: target), sc != 0 { schedContextUnbindTCB(sc) }
      case nil: break
      }
      return .done
    case .threadControlCaps(let target, let slot, let timeoutHandler):
      installTCBCap(target, slot, .timeoutHandler, timeoutHandler)
      return .done
    case .readRegisters(let source, let suspendSource, let count):
      return invokeReadRegisters(source, suspendSource: suspendSource, count: count)
    case .writeRegisters(let dest, let resumeTarget, let count, let message):
      invokeWriteRegisters(dest, resumeTarget: resumeTarget, count: count, message)
      return .done
    case .copyRegisters(
      let dest, let source, let suspendSource, let resumeTarget, let transferFrame, let transferInteger):
      invokeCopyRegisters(
        dest, source, suspendSource: suspendSource, resumeTarget: resumeTarget, transferFrame: transferFrame,
        transferInteger: transferInteger)
      return .done
    case .setIPCBuffer(let target):
      cteDelete(KernelState.tcbCTE(target, .ipcBuffer))
      if target == ksCurThread { rescheduleRequired() }
      return .done
    case .suspend(let target):
      suspend(target)
      return .done
    case .resume(let target):
      restart(target)
      return .done
    case .notificationControl(let target, let ntfn):
      if let ntfn { bindNotification(target, ntfn) } else { unbindNotification(target) }
      return .done
    case .setTLSBase(let target, let base):
      invokeSetTLSBase(target, base)
      return .done
    case .setFlags(let target, let clear, let set):
      return invokeSetFlags(target, clear: clear, set: set)
    }
  }

  /// `installTCBCap` (MCS): `cteDelete` the thread's CTE `index`, then `cteInsert` the new cap from
  /// its source CTE unless it is Null or the delete took away the source cap or the invoked thread
  /// cap (`sameObjectAs`).
  mutating func installTCBCap(_ target: ObjectRef, _ slot: UInt64, _ index: TCBSlot, _ update: TCBCapUpdate) {
    let rootSlot = KernelState.tcbCTE(target, index)
    cteDelete(rootSlot)
    guard update.cap != .null, KernelState.sameObjectAs(update.cap, getCap(update.source)),
      KernelState.sameObjectAs(.thread(target), getCap(slot))
    else { return }
    cteInsert(update.cap, from: update.source, to: rootSlot)
  }

  /// `setMCPriority`: the thread's MCP becomes `mcp`; nothing else changes.
  mutating func setMCPriority(_ tcb: ObjectRef, _ mcp: UInt64) {
    memory.store(tcb &+ ObjectLayout.tcbMCP, mcp)
  }

  /// `setPriority` (MCS): a queued or current thread is dequeued at its old priority, takes the new
  /// one, is enqueued at the head of its new queue, and the scheduler chooses afresh; any other
  /// thread just takes the priority.
  mutating func setPriority(_ tcb: ObjectRef, _ prio: UInt64) {
    switch threadState(of: tcb) {
    case .running?, .restart?:
      if isQueued(tcb) || tcb == ksCurThread {
        tcbSchedDequeue(tcb)
        memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
        tcbSchedEnqueue(tcb)
        rescheduleRequired()
      } else {
        memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
      }
    case .blockedOnNotification?:
      memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
      if let ntfn = blockingObject(of: tcb) { reorderNTFN(ntfn, tcb) }
    case .blockedOnSend?, .blockedOnReceive?:
      memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
      if let ep = blockingObject(of: tcb) { reorderEP(ep, tcb) }
    case .inactive?, .idleThreadState?, .blockedOnReply?:
      memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
    case nil:
      return
    }
  }

  /// `invokeSetFlags`: `thread->tcbFlags` := (flags & ~clear) | (set & `seL4_TCBFlag_MASK`); the
  /// reply (`setMR(cur, buffer, 0, flags)`, length 1) is the new flags.
  mutating func invokeSetFlags(_ thread: ObjectRef, clear: UInt64, set: UInt64) -> InvocationOutcome {
    let flags = ((tcbFlags(of: thread) ?? 0) & ~clear) | (set & KernelConstants.tcbFlagMask)
    memory.store(thread &+ ObjectLayout.tcbFlags, flags)
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [flags]))
  }
}

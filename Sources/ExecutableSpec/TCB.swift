// A thread's invocations (`SEL4.Object.TCB`: `decodeTCBInvocation`, `invokeTCB`), and the
// operations on a TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_ReadRegisters,
// TCB_WriteRegisters, TCB_CopyRegisters (in `TCB+Registers.swift`, with TCB_SetTLSBase, decoded
// last), TCB_Suspend, TCB_Resume,
// TCB_SetPriority, TCB_SetMCPriority, TCB_SetSchedParams, TCB_SetIPCBuffer (only address 0 can
// succeed: this model has no frame caps, and only a frame cap can be an IPC buffer), TCB_BindNotification,
// TCB_UnbindNotification and TCB_SetTimeoutEndpoint, TCB_Configure and TCB_SetSpace (checked in
// order, never successful: no VSpace caps) and TCB_SetFlags (see `AbstractSpec/TCB.swift`); a label
// that is no TCB method is an IllegalOperation. Twins:
// `AbstractSpec/TCB.swift`, `Kernel/TCB.swift`.

public import KernelABI

/// What a ThreadControlSched does with the thread's scheduling context (`tcbSchedContext`).
public enum SchedContextUpdate: Hashable, Sendable {
  case bind(ObjectRef)
  case unbind
}

/// A cap to copy into a TCB slot (`installTCBCap`), with the slot it came from.
public struct TCBCapUpdate: Hashable, Sendable {
  public var cap: Capability
  public var source: SlotRef

  public init(_ cap: Capability, from source: SlotRef) {
    self.cap = cap
    self.source = source
  }
}

/// A decoded TCB invocation (`TCBInvocation` in the Haskell model).
public enum TCBInvocation: Hashable, Sendable {
  /// MCS `ThreadControlSched` (SetSchedParams, SetMCPriority, SetPriority); nil leaves a field
  /// alone. `slot` is the invoked thread cap's slot.
  case threadControlSched(
    target: ObjectRef, slot: SlotRef, faultHandler: TCBCapUpdate?, mcp: UInt64?, priority: UInt64?,
    schedContext: SchedContextUpdate?)
  /// MCS `ThreadControlCaps` as TCB_SetTimeoutEndpoint makes it.
  case threadControlCaps(target: ObjectRef, slot: SlotRef, timeoutHandler: TCBCapUpdate)
  /// TCB_ReadRegisters of `source` (`ReadRegisters`).
  case readRegisters(source: ObjectRef, suspendSource: Bool, count: UInt64)
  /// TCB_WriteRegisters of `dest` (`WriteRegisters`): the values after the two arguments.
  case writeRegisters(dest: ObjectRef, resumeTarget: Bool, values: [UInt64])
  /// TCB_CopyRegisters from `source` to `dest` (`CopyRegisters`).
  case copyRegisters(
    dest: ObjectRef, source: ObjectRef, suspendSource: Bool, resumeTarget: Bool, transferFrame: Bool,
    transferInteger: Bool)
  /// MCS `ThreadControlCaps` (`thread_control_caps_update_ipc_buffer`) as TCB_SetIPCBuffer makes
  /// it with address 0: the IPC-buffer slot is emptied (`tcbIPCBuffer` is always 0 here).
  case setIPCBuffer(ObjectRef)
  /// TCB_Suspend of the thread.
  case suspend(ObjectRef)
  /// TCB_Resume of the thread.
  case resume(ObjectRef)
  /// TCB_BindNotification (a notification) or TCB_UnbindNotification (nil) of the thread
  /// (`NotificationControl`).
  case notificationControl(ObjectRef, ObjectRef?)
  /// TCB_SetTLSBase (`SetTLSBase`).
  case setTLSBase(ObjectRef, UInt64)
  /// TCB_SetFlags (`SetFlags`).
  case setFlags(ObjectRef, clear: UInt64, set: UInt64)
}

extension ExecState {
  /// `decodeTCBInvocation`: the method the label names, with its checks in seL4's order; it
  /// changes nothing.
  public func decodeTCBInvocation(
    label: UInt64, args: [UInt64], cap: Capability, slot: SlotRef, extraCaps: [Capability],
    extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: label), method.target == .tcb else {
      throw .illegalOperation
    }
    switch method {
    case .tcbReadRegisters: return try decodeReadRegisters(target, args: args)
    case .tcbWriteRegisters: return try decodeWriteRegisters(target, args: args)
    case .tcbCopyRegisters: return try decodeCopyRegisters(target, args: args, extraCaps: extraCaps)
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbConfigure:
      return try decodeTCBConfigure(target, args: args, extraCaps: extraCaps, extraCapSlots: extraCapSlots)
    case .tcbSetPriority: return try decodeSetPriority(target, slot, args: args, extraCaps: extraCaps)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, slot, args: args, extraCaps: extraCaps)
    case .tcbSetSchedParams:
      return try decodeSetSchedParams(target, slot, args: args, extraCaps: extraCaps, extraCapSlots: extraCapSlots)
    case .tcbSetIPCBuffer:
      return try decodeSetIPCBuffer(target, args: args, extraCaps: extraCaps, extraCapSlots: extraCapSlots)
    case .tcbSetSpace: return try decodeSetSpace(target, args: args, extraCaps: extraCaps, extraCapSlots: extraCapSlots)
    case .tcbBindNotification: return try decodeBindNotification(target, extraCaps: extraCaps)
    case .tcbUnbindNotification: return try decodeUnbindNotification(target)
    case .tcbSetTimeoutEndpoint:
      return try decodeSetTimeoutEndpoint(target, slot, extraCaps: extraCaps, extraCapSlots: extraCapSlots)
    case .tcbSetTLSBase: return try decodeSetTLSBase(target, args: args)
    case .tcbSetFlags: return try decodeSetFlags(target, args: args)
    // seL4's default case: "TCB: Illegal operation" (no label with a TCB target reaches it).
    default: throw .illegalOperation
    }
  }

  /// `decodeTCBConfigure` (MCS): MR0 the CSpace root's data, MR1 the VSpace root's data, MR2 the
  /// IPC buffer's address; extra caps the CSpace root, the VSpace root, the buffer's frame. Every
  /// call fails here (see `AbstractSpec/TCB.swift`).
  func decodeTCBConfigure(
    _ target: ObjectRef, args: [UInt64], extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 3, extraCaps.count >= 3, extraCapSlots.count >= 3 else { throw .truncatedMessage }
    let bufferAddress = args[2]
    if bufferAddress != 0 {
      let derived = try deriveCap(extraCapSlots[2], extraCaps[2])
      try checkValidIPCBuffer(bufferAddress, derived)
    }
    try checkSpaceRoots(
      target, cRoot: (extraCaps[0], extraCapSlots[0]), cRootData: args[0], vRoot: (extraCaps[1], extraCapSlots[1]),
      vRootData: args[1])
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// The root checks TCB_Configure and TCB_SetSpace share: `slotCapLongRunningDelete` of the
  /// thread's CSpace and VSpace slots, the CSpace root (guard data applied) derived and a CNode
  /// cap, the VSpace root derived and `isValidVTableRoot` (see `AbstractSpec/TCB.swift`).
  func checkSpaceRoots(
    _ target: ObjectRef, cRoot: (cap: Capability, slot: SlotRef), cRootData: UInt64,
    vRoot: (cap: Capability, slot: SlotRef), vRootData: UInt64
  ) throws(SyscallError) {
    if slotCapLongRunningDelete(SlotRef(target, TCBSlot.cspace.rawValue))
      || slotCapLongRunningDelete(SlotRef(target, TCBSlot.vspace.rawValue))
    {
      throw .illegalOperation
    }
    var cRootCap = cRoot.cap
    if cRootData != 0 { cRootCap = cRootCap.updateCapData(preserve: false, cRootData) }
    cRootCap = try deriveCap(cRoot.slot, cRootCap)
    guard case .cnode = cRootCap else { throw .illegalOperation }
    var vRootCap = vRoot.cap
    if vRootData != 0 { vRootCap = vRootCap.updateCapData(preserve: false, vRootData) }
    vRootCap = try deriveCap(vRoot.slot, vRootCap)
    guard isValidVTableRoot(vRootCap) else { throw .illegalOperation }
  }

  /// `slotCapLongRunningDelete`: the slot holds a final CNode or thread cap.
  func slotCapLongRunningDelete(_ slot: SlotRef) -> Bool {
    switch getCap(slot) {
    case .cnode, .thread: isFinalCapability(slot)
    default: false
    }
  }

  /// `isValidVTableRoot`: this model has no VSpace caps, so no cap is a valid VSpace root.
  func isValidVTableRoot(_ cap: Capability) -> Bool { false }

  /// `decodeSetPriority`: MR0 the new priority, extra cap 0 the authority thread.
  func decodeSetPriority(_ target: ObjectRef, _ slot: SlotRef, args: [UInt64], extraCaps: [Capability])
    throws(SyscallError) -> TCBInvocation
  {
    guard let newPrio = args.first, let authorityCap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: nil, priority: newPrio, schedContext: nil)
  }

  /// `decodeSetMCPriority`: MR0 the new MCP, extra cap 0 the authority thread.
  func decodeSetMCPriority(_ target: ObjectRef, _ slot: SlotRef, args: [UInt64], extraCaps: [Capability])
    throws(SyscallError) -> TCBInvocation
  {
    guard let newMCP = args.first, let authorityCap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: newMCP, priority: nil, schedContext: nil)
  }

  /// `decodeSetSchedParams` (MCS): MR0 the MCP, MR1 the priority; extra caps the authority, a
  /// scheduling context or Null, the fault handler (see `AbstractSpec/TCB.swift`).
  func decodeSetSchedParams(
    _ target: ObjectRef, _ slot: SlotRef, args: [UInt64], extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 2, extraCaps.count >= 3, extraCapSlots.count >= 3 else { throw .truncatedMessage }
    let (newMCP, newPrio) = (args[0], args[1])
    guard case .thread(let authority) = extraCaps[0] else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    try checkPrio(newPrio, authority)
    let tcbSchedContext = tcb(at: target)?.schedContext
    let sc: ObjectRef?
    switch extraCaps[1] {
    case .schedContext(let ref, _):
      if tcbSchedContext != ref {
        if tcbSchedContext != nil { throw .illegalOperation }
        if schedContext(at: ref)?.tcb != nil { throw .illegalOperation }
      }
      if isBlocked(target) && !scReleased(ref) { throw .illegalOperation }
      sc = ref
    case .null:
      if target == ksCurThread { throw .illegalOperation }
      sc = nil
    default:
      throw .invalidCapability(index: 2)
    }
    guard ExecState.validFaultHandler(extraCaps[2]) else { throw .invalidCapability(index: 3) }
    var update: SchedContextUpdate? = nil
    if tcbSchedContext != sc { update = sc.map { .bind($0) } ?? .unbind }
    return .threadControlSched(
      target: target, slot: slot, faultHandler: TCBCapUpdate(extraCaps[2], from: extraCapSlots[2]), mcp: newMCP,
      priority: newPrio, schedContext: update)
  }

  /// `decodeSetIPCBuffer`: MR0 the address, extra cap 0 the frame; an address other than 0 needs
  /// `deriveCap` and `checkValidIPCBuffer` to pass.
  func decodeSetIPCBuffer(
    _ target: ObjectRef, args: [UInt64], extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard let address = args.first, let bufferCap = extraCaps.first, let bufferSlot = extraCapSlots.first else {
      throw .truncatedMessage
    }
    if address != 0 {
      let derived = try deriveCap(bufferSlot, bufferCap)
      try checkValidIPCBuffer(address, derived)
    }
    return .setIPCBuffer(target)
  }

  /// `checkValidIPCBuffer`: only a frame cap can be an IPC buffer, and this model has no frame
  /// caps: IllegalOperation for every cap.
  func checkValidIPCBuffer(_ address: UInt64, _ cap: Capability) throws(SyscallError) {
    throw .illegalOperation
  }

  /// `decodeSetSpace` (MCS): MR0 the CSpace root's data, MR1 the VSpace root's data; extra caps the
  /// fault handler, the CSpace root, the VSpace root; after the roots, the fault handler must be
  /// valid (InvalidCapability 1). Every call fails here (see `AbstractSpec/TCB.swift`).
  func decodeSetSpace(
    _ target: ObjectRef, args: [UInt64], extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 2, extraCaps.count >= 3, extraCapSlots.count >= 3 else { throw .truncatedMessage }
    try checkSpaceRoots(
      target, cRoot: (extraCaps[1], extraCapSlots[1]), cRootData: args[0], vRoot: (extraCaps[2], extraCapSlots[2]),
      vRootData: args[1])
    guard ExecState.validFaultHandler(extraCaps[0]) else { throw .invalidCapability(index: 1) }
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// `decodeBindNotification`: extra cap 0 a notification cap with Read, to a notification with no
  /// bound thread and an empty queue, for a thread with no bound notification.
  func decodeBindNotification(_ target: ObjectRef, extraCaps: [Capability]) throws(SyscallError) -> TCBInvocation {
    guard let ntfnCap = extraCaps.first else { throw .truncatedMessage }
    guard tcb(at: target)?.tcbBoundNotification == nil else { throw .illegalOperation }
    guard case .notification(let ntfn, _, let rights) = ntfnCap else { throw .illegalOperation }
    guard rights.contains(.read) else { throw .illegalOperation }
    guard let object = notification(at: ntfn), object.ntfnBoundTCB == nil else { throw .illegalOperation }
    if case .waitingNtfn = object.ntfnObj { throw .illegalOperation }
    return .notificationControl(target, ntfn)
  }

  /// `decodeUnbindNotification`: the thread must have a bound notification.
  func decodeUnbindNotification(_ target: ObjectRef) throws(SyscallError) -> TCBInvocation {
    guard tcb(at: target)?.tcbBoundNotification != nil else { throw .illegalOperation }
    return .notificationControl(target, nil)
  }

  /// `decodeSetTimeoutEndpoint` (MCS): extra cap 0 the timeout handler, a valid fault handler.
  func decodeSetTimeoutEndpoint(
    _ target: ObjectRef, _ slot: SlotRef, extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> TCBInvocation {
    guard let handler = extraCaps.first, let source = extraCapSlots.first else { throw .truncatedMessage }
    guard ExecState.validFaultHandler(handler) else { throw .invalidCapability(index: 1) }
    return .threadControlCaps(target: target, slot: slot, timeoutHandler: TCBCapUpdate(handler, from: source))
  }

  /// `decodeSetFlags`: MR0 the flags to clear, MR1 those to set.
  func decodeSetFlags(_ target: ObjectRef, args: [UInt64]) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 2 else { throw .truncatedMessage }
    return .setFlags(target, clear: args[0], set: args[1])
  }

  /// `checkPrio`: a priority (or MCP) above the authority thread's MCP is a RangeError naming the
  /// range allowed.
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = tcb(at: authority)?.maxControlledPriority ?? 0
    guard prio <= mcp else { throw .rangeError(min: 0, max: mcp) }
  }

  /// `validFaultHandler` (MCS): Null, or an endpoint cap with `capCanSend` and `capCanGrant` or
  /// `capCanGrantReply`.
  static func validFaultHandler(_ cap: Capability) -> Bool {
    switch cap {
    case .null: true
    case .endpoint(_, _, let rights):
      rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
    default: false
    }
  }

  /// `invokeTCB`: perform a decoded TCB invocation.
  public mutating func invokeTCB(_ invocation: TCBInvocation) -> InvocationOutcome {
    switch invocation {
    case .threadControlSched(let target, let slot, let faultHandler, let mcp, let priority, let schedContext):
      if let faultHandler { installTCBCap(target, slot, .faultHandler, faultHandler) }
      if let mcp { setMCPriority(target, mcp) }
      if let priority { setPriority(target, priority) }
      switch schedContext {
      case .bind(let sc)?: schedContextBindTCB(sc, target)
      case .unbind?: if let sc = tcb(at: target)?.schedContext { schedContextUnbindTCB(sc) }
      case nil: break
      }
      return .done
    case .threadControlCaps(let target, let slot, let timeoutHandler):
      installTCBCap(target, slot, .timeoutHandler, timeoutHandler)
      return .done
    case .readRegisters(let source, let suspendSource, let count):
      return invokeReadRegisters(source, suspendSource: suspendSource, count: count)
    case .writeRegisters(let dest, let resumeTarget, let values):
      invokeWriteRegisters(dest, resumeTarget: resumeTarget, values: values)
      return .done
    case .copyRegisters(
      let dest, let source, let suspendSource, let resumeTarget, let transferFrame, let transferInteger):
      invokeCopyRegisters(
        dest, source, suspendSource: suspendSource, resumeTarget: resumeTarget, transferFrame: transferFrame,
        transferInteger: transferInteger)
      return .done
    case .setIPCBuffer(let target):
      cteDelete(SlotRef(target, TCBSlot.ipcBuffer.rawValue))
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

  /// `installTCBCap` (MCS): delete the cap in the thread's slot `index`, then insert the new cap
  /// unless it is Null or the delete removed its source or the invoked thread cap.
  mutating func installTCBCap(_ target: ObjectRef, _ slot: SlotRef, _ index: TCBSlot, _ update: TCBCapUpdate) {
    let tcbSlot = SlotRef(target, index.rawValue)
    cteDelete(tcbSlot)
    guard !update.cap.isNull, update.cap.sameObjectAs(getCap(update.source)),
      Capability.thread(target).sameObjectAs(getCap(slot))
    else { return }
    cteInsert(update.cap, from: update.source, to: tcbSlot)
  }

  /// `setMCPriority`: the thread's MCP becomes `mcp`; nothing else changes.
  mutating func setMCPriority(_ tcb: ObjectRef, _ mcp: UInt64) {
    updateTCB(tcb) { $0.maxControlledPriority = mcp }
  }

  /// `setPriority` (MCS): a queued or current thread is requeued at the head of its new priority
  /// and the scheduler chooses afresh; any other thread just takes the priority.
  mutating func setPriority(_ thread: ObjectRef, _ prio: UInt64) {
    guard let tcb = tcb(at: thread) else { return }
    switch tcb.state {
    case .running, .restart:
      if tcb.tcbQueued || thread == ksCurThread {
        tcbSchedDequeue(thread)
        updateTCB(thread) { $0.priority = prio }
        tcbSchedEnqueue(thread)
        rescheduleRequired()
      } else {
        updateTCB(thread) { $0.priority = prio }
      }
    case .blockedOnNotification(let ntfn):
      updateTCB(thread) { $0.priority = prio }
      reorderNTFN(ntfn, thread)
    case .blockedOnSend(let ep, _), .blockedOnReceive(let ep, _):
      updateTCB(thread) { $0.priority = prio }
      reorderEP(ep, thread)
    case .inactive, .idleThreadState, .blockedOnReply:
      updateTCB(thread) { $0.priority = prio }
    }
  }

  /// `invokeSetFlags`: `tcbFlags` := (`tcbFlags` & ~clear) | (set & `seL4_TCBFlag_MASK`); the reply
  /// is the new flags.
  mutating func invokeSetFlags(_ thread: ObjectRef, clear: UInt64, set: UInt64) -> InvocationOutcome {
    let flags = ((tcb(at: thread)?.tcbFlags ?? 0) & ~clear) | (set & KernelConstants.tcbFlagMask)
    updateTCB(thread) { $0.tcbFlags = flags }
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [flags]))
  }
}

// A thread's invocations (l4v `decode_tcb_invocation`, `invoke_tcb`), and the operations on a
// TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_ReadRegisters,
// TCB_WriteRegisters and TCB_CopyRegisters (in `TCB+Registers.swift`, with TCB_SetTLSBase, which
// seL4 decodes last); TCB_Suspend and TCB_Resume, which take no arguments and cannot fail once the
// cap is a thread cap; TCB_SetPriority and TCB_SetMCPriority, whose authority thread (extra cap 0)
// must have a maximum controlled priority at least the one asked for (`checkPrio`), both MCS
// `ThreadControlSched` with one field to update; TCB_SetSchedParams; TCB_SetIPCBuffer, of which only
// address 0 (no buffer) can succeed, because this model has no frame caps and only a frame cap can
// be an IPC buffer (`checkValidIPCBuffer`); TCB_BindNotification, TCB_UnbindNotification and
// TCB_SetTimeoutEndpoint; TCB_Configure and TCB_SetSpace, whose checks run in seL4's order but of
// which no call can succeed, because this model has no VSpace caps and a new VSpace root must be
// one (`checkSpaceRoots`); and TCB_SetFlags. Every TCB method is modelled; a label that is no TCB
// method is an IllegalOperation. Twins: `ExecutableSpec/TCB.swift`, `Kernel/TCB.swift`.
// (`seL4:src/object/tcb.c` `decodeTCBInvocation`, `decodeSetPriority`, `decodeSetMCPriority`,
// `decodeSetIPCBuffer`, `invokeTCB_Suspend`, `invokeTCB_Resume`, `invokeTCB_ThreadControlSched`,
// `invokeTCB_ThreadControlCaps`; `src/kernel/thread.c` MCS `setPriority`; l4v `Decode_A.thy`
// `decode_set_priority`, `decode_set_mcpriority`.)

public import KernelABI

/// What a ThreadControlSched does with the thread's scheduling context: bind the one at this
/// address, or unbind the one the thread has.
public enum SchedContextUpdate: Hashable, Sendable {
  case bind(ObjectRef)
  case unbind
}

/// A capability to copy into one of a TCB's slots (`installTCBCap`): the cap, and the slot it
/// came from (its parent or sibling in the derivation tree). A Null cap just empties the slot.
public struct TCBCapUpdate: Hashable, Sendable {
  public var cap: Capability
  public var source: SlotRef

  public init(_ cap: Capability, from source: SlotRef) {
    self.cap = cap
    self.source = source
  }
}

/// A decoded TCB invocation (l4v `tcb_invocation`).
public enum TCBInvocation: Hashable, Sendable {
  /// MCS `ThreadControlSched`: TCB_SetSchedParams (fault handler, MCP, priority, scheduling
  /// context), TCB_SetMCPriority (the MCP only) or TCB_SetPriority (the priority only); nil leaves
  /// a field alone. `slot` is the invoked thread cap's slot.
  case threadControlSched(
    target: ObjectRef, slot: SlotRef, faultHandler: TCBCapUpdate?, mcp: UInt64?, priority: UInt64?,
    schedContext: SchedContextUpdate?)
  /// MCS `ThreadControlCaps` as TCB_SetTimeoutEndpoint makes it: the timeout handler slot only.
  case threadControlCaps(target: ObjectRef, slot: SlotRef, timeoutHandler: TCBCapUpdate)
  /// TCB_ReadRegisters of `source`: suspend it first if asked, then read its first `count`
  /// registers (`ReadRegisters`).
  case readRegisters(source: ObjectRef, suspendSource: Bool, count: UInt64)
  /// TCB_WriteRegisters of `dest`: write its first registers from `values`, then restart it if
  /// asked (`WriteRegisters`).
  case writeRegisters(dest: ObjectRef, resumeTarget: Bool, values: [UInt64])
  /// TCB_CopyRegisters from `source` to `dest` (`CopyRegisters`).
  case copyRegisters(
    dest: ObjectRef, source: ObjectRef, suspendSource: Bool, resumeTarget: Bool, transferFrame: Bool,
    transferInteger: Bool)
  /// MCS `ThreadControlCaps` as TCB_SetIPCBuffer makes it with address 0 (the only address this
  /// model accepts): the IPC-buffer slot is emptied; `tcbIPCBuffer` becomes 0, which it always is
  /// here, so no field holds it.
  case setIPCBuffer(ObjectRef)
  /// TCB_Suspend of the thread.
  case suspend(ObjectRef)
  /// TCB_Resume of the thread.
  case resume(ObjectRef)
  /// TCB_BindNotification (a notification) or TCB_UnbindNotification (nil) of the thread
  /// (`NotificationControl`).
  case notificationControl(ObjectRef, ObjectRef?)
  /// TCB_SetTLSBase: the thread's TLS_BASE register becomes the word (`SetTLSBase`).
  case setTLSBase(ObjectRef, UInt64)
  /// TCB_SetFlags: clear the flags of the first word, then set those of the second that exist.
  case setFlags(ObjectRef, clear: UInt64, set: UInt64)
}

extension AbstractState {
  /// The method the label names, with its checks in seL4's order (`decode_tcb_invocation`); it
  /// changes nothing. `slot` holds the invoked thread cap.
  public func decodeTCBInvocation(_ args: InvocationArguments, _ cap: Capability, _ slot: SlotRef)
    throws(SyscallError) -> TCBInvocation
  {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: args.label), method.target == .tcb
    else { throw .illegalOperation }
    switch method {
    case .tcbReadRegisters: return try decodeReadRegisters(target, args)
    case .tcbWriteRegisters: return try decodeWriteRegisters(target, args)
    case .tcbCopyRegisters: return try decodeCopyRegisters(target, args)
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbConfigure: return try decodeTCBConfigure(target, args)
    case .tcbSetPriority: return try decodeSetPriority(target, slot, args)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, slot, args)
    case .tcbSetSchedParams: return try decodeSetSchedParams(target, slot, args)
    case .tcbSetIPCBuffer: return try decodeSetIPCBuffer(target, args)
    case .tcbSetSpace: return try decodeSetSpace(target, args)
    case .tcbBindNotification: return try decodeBindNotification(target, args)
    case .tcbUnbindNotification: return try decodeUnbindNotification(target)
    case .tcbSetTimeoutEndpoint: return try decodeSetTimeoutEndpoint(target, slot, args)
    case .tcbSetTLSBase: return try decodeSetTLSBase(target, args)
    case .tcbSetFlags: return try decodeSetFlags(target, args)
    // seL4's default case: "TCB: Illegal operation" (no label with a TCB target reaches it).
    default: throw .illegalOperation
    }
  }

  /// MCS `decode_tcb_configure`: MR0 the CSpace root's guard data, MR1 the VSpace root's data, MR2
  /// the IPC buffer's address; extra caps the CSpace root, the VSpace root and the buffer's frame.
  /// A non-zero address is checked first (`check_valid_ipc_buffer`, which no cap here passes), then
  /// the two roots (`checkSpaceRoots`). No cap here is a valid VSpace root, so every call fails;
  /// a valid one would install a new CSpace, VSpace and buffer.
  func decodeTCBConfigure(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 3, args.extraCaps.count >= 3, args.extraCapSlots.count >= 3 else { throw .truncatedMessage }
    let bufferAddress = args.registers[2]
    if bufferAddress != 0 {
      try checkValidIPCBuffer(bufferAddress, try deriveCap(args.extraCapSlots[2], args.extraCaps[2]))
    }
    try checkSpaceRoots(
      target, cRoot: (args.extraCaps[0], args.extraCapSlots[0]), cRootData: args.registers[0],
      vRoot: (args.extraCaps[1], args.extraCapSlots[1]), vRootData: args.registers[1])
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// The checks TCB_Configure and TCB_SetSpace make of a new CSpace and VSpace root, in seL4's
  /// order: neither of the thread's root slots may hold a final CNode or thread cap (deleting it
  /// could take long: `slot_cap_long_running_delete`, IllegalOperation); the CSpace root cap, with
  /// its guard data applied when non-zero, must derive and be a CNode cap (IllegalOperation); the
  /// VSpace root, likewise updated and derived, must be a valid VSpace root (`is_valid_vtable_root`:
  /// a mapped AArch64 VSpace cap, which this model has none of, so IllegalOperation).
  /// (`seL4:src/object/tcb.c` MCS `decodeTCBConfigure`, `decodeSetSpace`;
  /// `src/object/cnode.c` `slotCapLongRunningDelete`.)
  func checkSpaceRoots(
    _ target: ObjectRef, cRoot: (cap: Capability, slot: SlotRef), cRootData: UInt64,
    vRoot: (cap: Capability, slot: SlotRef), vRootData: UInt64
  ) throws(SyscallError) {
    if slotCapLongRunningDelete(SlotRef(target, TCBSlot.cspace.rawValue))
      || slotCapLongRunningDelete(SlotRef(target, TCBSlot.vspace.rawValue))
    {
      throw .illegalOperation
    }
    let cRootCap = try deriveCap(
      cRoot.slot, cRootData != 0 ? cRoot.cap.updateCapData(preserve: false, cRootData) : cRoot.cap)
    guard case .cnode = cRootCap else { throw .illegalOperation }
    let vRootCap = try deriveCap(
      vRoot.slot, vRootData != 0 ? vRoot.cap.updateCapData(preserve: false, vRootData) : vRoot.cap)
    guard isValidVTableRoot(vRootCap) else { throw .illegalOperation }
  }

  /// `slot_cap_long_running_delete`: the slot holds the last cap to a CNode or thread, whose
  /// deletion would finalise the object.
  func slotCapLongRunningDelete(_ slot: SlotRef) -> Bool {
    switch getCap(slot) {
    case .cnode, .thread: isFinalCapability(slot)
    default: false
    }
  }

  /// `is_valid_vtable_root`: a VSpace (page global directory) cap with an ASID. This model has no
  /// VSpace caps, so no cap is one.
  func isValidVTableRoot(_ cap: Capability) -> Bool { false }

  /// MR0 the new priority, extra cap 0 the authority thread (`decode_set_priority`).
  func decodeSetPriority(_ target: ObjectRef, _ slot: SlotRef, _ args: InvocationArguments) throws(SyscallError)
    -> TCBInvocation
  {
    guard let newPrio = args.registers.first, let authorityCap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: nil, priority: newPrio, schedContext: nil)
  }

  /// MR0 the new MCP, extra cap 0 the authority thread (`decode_set_mcpriority`).
  func decodeSetMCPriority(_ target: ObjectRef, _ slot: SlotRef, _ args: InvocationArguments) throws(SyscallError)
    -> TCBInvocation
  {
    guard let newMCP = args.registers.first, let authorityCap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: nil, mcp: newMCP, priority: nil, schedContext: nil)
  }

  /// MCS `decode_set_sched_params`: MR0 the MCP, MR1 the priority; extra caps the authority thread,
  /// a scheduling context (or Null, to unbind), and the fault handler. Both values are checked
  /// against the authority's MCP; a scheduling context other than the thread's own may be bound
  /// only to a thread without one and only if no other thread has it, and a blocked thread only
  /// to one that is released; the current thread cannot lose its scheduling context.
  func decodeSetSchedParams(_ target: ObjectRef, _ slot: SlotRef, _ args: InvocationArguments)
    throws(SyscallError) -> TCBInvocation
  {
    guard args.length >= 2, args.extraCaps.count >= 3, args.extraCapSlots.count >= 3 else { throw .truncatedMessage }
    let (newMCP, newPrio) = (args.registers[0], args.registers[1])
    guard case .thread(let authority) = args.extraCaps[0] else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    try checkPrio(newPrio, authority)
    let current = tcb(at: target)?.schedContext
    let wanted: ObjectRef?
    switch args.extraCaps[1] {
    case .schedContext(let sc, _):
      if current != sc {
        guard current == nil else { throw .illegalOperation }
        guard schedContext(at: sc)?.tcb == nil else { throw .illegalOperation }
      }
      if isBlocked(target) && !scReleased(sc) { throw .illegalOperation }
      wanted = sc
    case .null:
      guard target != currentThread else { throw .illegalOperation }
      wanted = nil
    default:
      throw .invalidCapability(index: 2)
    }
    let handler = args.extraCaps[2]
    guard AbstractState.validFaultHandler(handler) else { throw .invalidCapability(index: 3) }
    let update: SchedContextUpdate? = current == wanted ? nil : (wanted.map { .bind($0) } ?? .unbind)
    return .threadControlSched(
      target: target, slot: slot, faultHandler: TCBCapUpdate(handler, from: args.extraCapSlots[2]), mcp: newMCP,
      priority: newPrio, schedContext: update)
  }

  /// MR0 the buffer's address, extra cap 0 its frame (`decode_set_ipc_buffer`): address 0 removes
  /// the buffer; any other address needs the derived cap to be a valid IPC-buffer frame.
  func decodeSetIPCBuffer(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard let address = args.registers.first, let bufferCap = args.extraCaps.first,
      let bufferSlot = args.extraCapSlots.first
    else { throw .truncatedMessage }
    if address != 0 { try checkValidIPCBuffer(address, try deriveCap(bufferSlot, bufferCap)) }
    return .setIPCBuffer(target)
  }

  /// `check_valid_ipc_buffer`: the cap must be a frame cap (not of device memory, the address
  /// aligned). This model has no frame caps, so every cap is "not a frame cap": IllegalOperation.
  func checkValidIPCBuffer(_ address: UInt64, _ cap: Capability) throws(SyscallError) {
    throw .illegalOperation
  }

  /// MCS `decode_set_space`: MR0 the CSpace root's guard data, MR1 the VSpace root's data; extra
  /// caps the fault handler, the CSpace root and the VSpace root. After the roots
  /// (`checkSpaceRoots`), which no call here passes, the fault handler must be valid
  /// (InvalidCapability 1).
  func decodeSetSpace(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 2, args.extraCaps.count >= 3, args.extraCapSlots.count >= 3 else { throw .truncatedMessage }
    try checkSpaceRoots(
      target, cRoot: (args.extraCaps[1], args.extraCapSlots[1]), cRootData: args.registers[0],
      vRoot: (args.extraCaps[2], args.extraCapSlots[2]), vRootData: args.registers[1])
    guard AbstractState.validFaultHandler(args.extraCaps[0]) else { throw .invalidCapability(index: 1) }
    // A call that got here would install new roots (`invokeTCB_ThreadControlCaps`, updating the
    // space); `checkSpaceRoots` refuses every call first, since no cap here is a VSpace root.
    throw .illegalOperation
  }

  /// Extra cap 0 a notification cap with Read, to a notification no thread is bound to and no
  /// thread waits on, for a thread with no bound notification (`decode_bind_notification`).
  func decodeBindNotification(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError)
    -> TCBInvocation
  {
    guard let ntfnCap = args.extraCaps.first else { throw .truncatedMessage }
    guard tcb(at: target)?.boundNotification == nil else { throw .illegalOperation }
    guard case .notification(let ntfn, _, let rights) = ntfnCap else { throw .illegalOperation }
    guard rights.contains(.read) else { throw .illegalOperation }
    guard let object = notification(at: ntfn), object.boundTCB == nil else { throw .illegalOperation }
    if case .waiting = object.state { throw .illegalOperation }
    return .notificationControl(target, ntfn)
  }

  /// The thread must have a bound notification (`decode_unbind_notification`).
  func decodeUnbindNotification(_ target: ObjectRef) throws(SyscallError) -> TCBInvocation {
    guard tcb(at: target)?.boundNotification != nil else { throw .illegalOperation }
    return .notificationControl(target, nil)
  }

  /// MCS `decode_set_timeout_endpoint`: extra cap 0 the timeout handler, a valid fault handler.
  func decodeSetTimeoutEndpoint(_ target: ObjectRef, _ slot: SlotRef, _ args: InvocationArguments)
    throws(SyscallError) -> TCBInvocation
  {
    guard let handler = args.extraCaps.first, let source = args.extraCapSlots.first else { throw .truncatedMessage }
    guard AbstractState.validFaultHandler(handler) else { throw .invalidCapability(index: 1) }
    return .threadControlCaps(target: target, slot: slot, timeoutHandler: TCBCapUpdate(handler, from: source))
  }

  /// MR0 the flags to clear, MR1 the flags to set (`decodeSetFlags`; l4v has no TCB flags yet).
  func decodeSetFlags(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 2 else { throw .truncatedMessage }
    return .setFlags(target, clear: args.registers[0], set: args.registers[1])
  }

  /// A priority (or MCP) above the authority thread's MCP is a RangeError naming the range allowed
  /// (`check_prio`).
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = tcb(at: authority)?.maxControlledPriority ?? 0
    guard prio <= mcp else { throw .rangeError(min: 0, max: mcp) }
  }

  /// MCS `valid_fault_handler`: a fault or timeout handler is Null (none) or an endpoint cap that
  /// can send and grant (Grant or GrantReply).
  static func validFaultHandler(_ cap: Capability) -> Bool {
    switch cap {
    case .null: true
    case .endpoint(_, _, let rights):
      rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
    default: false
    }
  }

  /// Perform a decoded TCB invocation (`invoke_tcb`).
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
    // MCS `install_tcb_cap`'s delete of the IPC-buffer slot, with no cap to copy in.
    case .setIPCBuffer(let target):
      cteDelete(SlotRef(target, TCBSlot.ipcBuffer.rawValue))
      if target == currentThread { rescheduleRequired() }
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

  /// MCS `install_tcb_cap`: empty the thread's slot `index` (deleting its cap as a user would), then
  /// copy the new cap in, unless it is Null or the delete took away its source cap or the invoked
  /// thread cap.
  mutating func installTCBCap(_ target: ObjectRef, _ slot: SlotRef, _ index: TCBSlot, _ update: TCBCapUpdate) {
    let tcbSlot = SlotRef(target, index.rawValue)
    cteDelete(tcbSlot)
    guard !update.cap.isNull, update.cap.sameObjectAs(getCap(update.source)),
      Capability.thread(target).sameObjectAs(getCap(slot))
    else { return }
    cteInsert(update.cap, from: update.source, to: tcbSlot)
  }

  /// The thread's MCP becomes `mcp`; nothing else changes (`set_mcpriority`).
  mutating func setMCPriority(_ tcb: ObjectRef, _ mcp: UInt64) {
    updateTCB(tcb) { $0.maxControlledPriority = mcp }
  }

  /// MCS `set_priority`: a thread that is queued, or the current one, leaves its queue, takes the
  /// new priority, goes to the head of its new queue, and the scheduler chooses afresh; any other
  /// thread just takes the priority (a thread the action is about to switch to is not queued, and
  /// keeps its place in the action).
  mutating func setPriority(_ thread: ObjectRef, _ prio: UInt64) {
    guard let tcb = tcb(at: thread) else { return }
    switch tcb.state {
    case .running, .restart:
      if isQueued(thread) || thread == currentThread {
        tcbSchedDequeue(thread)
        updateTCB(thread) { $0.priority = prio }
        tcbSchedEnqueue(thread)
        rescheduleRequired()
      } else {
        updateTCB(thread) { $0.priority = prio }
      }
    // A waiter keeps its place by priority in the notification's queue.
    case .blockedOnNotification(let ntfn):
      updateTCB(thread) { $0.priority = prio }
      reorderNTFN(ntfn, thread)
    // So does a thread queued on an endpoint, in the endpoint's queue (`reorderEP`).
    case .blockedOnSend(let ep, _), .blockedOnReceive(let ep, _):
      updateTCB(thread) { $0.priority = prio }
      reorderEP(ep, thread)
    case .inactive, .idleThreadState, .blockedOnReply:
      updateTCB(thread) { $0.priority = prio }
    }
  }

  /// `invokeSetFlags`: the thread's flags lose those in `clear` and gain those in `set` that exist
  /// (`seL4_TCBFlag_MASK`); the caller is answered with the new flags in MR0. (The FPU state the
  /// flag saves or restores is not modelled.)
  mutating func invokeSetFlags(_ thread: ObjectRef, clear: UInt64, set: UInt64) -> InvocationOutcome {
    let flags = ((tcb(at: thread)?.flags ?? 0) & ~clear) | (set & KernelConstants.tcbFlagMask)
    updateTCB(thread) { $0.flags = flags }
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [flags]))
  }
}

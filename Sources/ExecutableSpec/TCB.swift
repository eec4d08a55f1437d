// A thread's invocations (`SEL4.Object.TCB`: `decodeTCBInvocation`, `invokeTCB`), and the
// operations on a TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_Suspend, TCB_Resume,
// TCB_SetPriority and TCB_SetMCPriority (see `AbstractSpec/TCB.swift`). The other TCB methods are
// not modelled yet; a label that is no TCB method is an IllegalOperation. Twins:
// `AbstractSpec/TCB.swift`, `Kernel/TCB.swift`.

public import KernelABI

/// A decoded TCB invocation (`TCBInvocation` in the Haskell model).
public enum TCBInvocation: Hashable, Sendable {
  /// MCS `ThreadControlSched` with the MCP (TCB_SetMCPriority) or the priority (TCB_SetPriority)
  /// to update; nil leaves the field alone.
  case threadControlSched(target: ObjectRef, mcp: UInt64?, priority: UInt64?)
  /// TCB_Suspend of the thread.
  case suspend(ObjectRef)
  /// TCB_Resume of the thread.
  case resume(ObjectRef)
  /// A TCB method this slice does not model: performing it changes nothing.
  case notModelled
}

extension ExecState {
  /// `decodeTCBInvocation`: the method the label names, with its checks in seL4's order; it
  /// changes nothing.
  public func decodeTCBInvocation(label: UInt64, args: [UInt64], cap: Capability, extraCaps: [Capability])
    throws(SyscallError) -> TCBInvocation
  {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: label), method.target == .tcb else {
      throw .illegalOperation
    }
    switch method {
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbSetPriority: return try decodeSetPriority(target, args: args, extraCaps: extraCaps)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, args: args, extraCaps: extraCaps)
    default: return .notModelled
    }
  }

  /// `decodeSetPriority`: MR0 the new priority, extra cap 0 the authority thread.
  func decodeSetPriority(_ target: ObjectRef, args: [UInt64], extraCaps: [Capability]) throws(SyscallError)
    -> TCBInvocation
  {
    guard let newPrio = args.first, let authorityCap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(target: target, mcp: nil, priority: newPrio)
  }

  /// `decodeSetMCPriority`: MR0 the new MCP, extra cap 0 the authority thread.
  func decodeSetMCPriority(_ target: ObjectRef, args: [UInt64], extraCaps: [Capability]) throws(SyscallError)
    -> TCBInvocation
  {
    guard let newMCP = args.first, let authorityCap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(target: target, mcp: newMCP, priority: nil)
  }

  /// `checkPrio`: a priority (or MCP) above the authority thread's MCP is a RangeError naming the
  /// range allowed.
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = tcb(at: authority)?.maxControlledPriority ?? 0
    guard prio <= mcp else { throw .rangeError(min: 0, max: mcp) }
  }

  /// `invokeTCB`: perform a decoded TCB invocation.
  public mutating func invokeTCB(_ invocation: TCBInvocation) -> InvocationOutcome {
    switch invocation {
    case .threadControlSched(let target, let mcp, let priority):
      if let mcp { setMCPriority(target, mcp) }
      if let priority { setPriority(target, priority) }
      return .done
    case .suspend(let target):
      suspend(target)
      return .done
    case .resume(let target):
      restart(target)
      return .done
    case .notModelled:
      return .notModelled(.tcbInvocation)
    }
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
    case .inactive:
      updateTCB(thread) { $0.priority = prio }
    }
  }
}

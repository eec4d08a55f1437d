// A thread's invocations (l4v `decode_tcb_invocation`, `invoke_tcb`), and the operations on a
// TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_Suspend and TCB_Resume, which
// take no arguments and cannot fail once the cap is a thread cap; TCB_SetPriority and
// TCB_SetMCPriority, whose authority thread (extra cap 0) must have a maximum controlled priority at
// least the one asked for (`checkPrio`). Both priority methods are MCS `ThreadControlSched` with one
// field to update. The other TCB methods are not modelled yet; a label that is no TCB method is an
// IllegalOperation. Twins: `ExecutableSpec/TCB.swift`, `Kernel/TCB.swift`. (`seL4:src/object/tcb.c`
// `decodeTCBInvocation`, `decodeSetPriority`, `decodeSetMCPriority`, `invokeTCB_Suspend`,
// `invokeTCB_Resume`, `invokeTCB_ThreadControlSched`; `src/kernel/thread.c` MCS `setPriority`; l4v
// `Decode_A.thy` `decode_set_priority`, `decode_set_mcpriority`.)

public import KernelABI

/// A decoded TCB invocation (l4v `tcb_invocation`).
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

extension AbstractState {
  /// The method the label names, with its checks in seL4's order (`decode_tcb_invocation`); it
  /// changes nothing.
  public func decodeTCBInvocation(_ args: InvocationArguments, _ cap: Capability) throws(SyscallError)
    -> TCBInvocation
  {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: args.label), method.target == .tcb
    else { throw .illegalOperation }
    switch method {
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbSetPriority: return try decodeSetPriority(target, args)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, args)
    default: return .notModelled
    }
  }

  /// MR0 the new priority, extra cap 0 the authority thread (`decode_set_priority`).
  func decodeSetPriority(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard let newPrio = args.registers.first, let authorityCap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(target: target, mcp: nil, priority: newPrio)
  }

  /// MR0 the new MCP, extra cap 0 the authority thread (`decode_set_mcpriority`).
  func decodeSetMCPriority(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard let newMCP = args.registers.first, let authorityCap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(target: target, mcp: newMCP, priority: nil)
  }

  /// A priority (or MCP) above the authority thread's MCP is a RangeError naming the range allowed
  /// (`check_prio`).
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = tcb(at: authority)?.maxControlledPriority ?? 0
    guard prio <= mcp else { throw .rangeError(min: 0, max: mcp) }
  }

  /// Perform a decoded TCB invocation (`invoke_tcb`).
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
    case .inactive:
      updateTCB(thread) { $0.priority = prio }
    }
  }
}

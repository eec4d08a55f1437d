// A thread's invocations (l4v `decode_tcb_invocation`, `invoke_tcb`), and the operations on a
// TCB's fields they use.
//
// Of the TCB methods this slice models TCB_SetMCPriority, which needs no scheduler: the authority
// thread (extra cap 0) must have a maximum controlled priority at least the one asked for
// (`checkPrio`), and the invoked thread's MCP becomes it. The other TCB methods are not modelled
// yet; a label that is no TCB method is an IllegalOperation. Twins: `ExecutableSpec/TCB.swift`,
// `Kernel/TCB.swift`. (`seL4:src/object/tcb.c` `decodeSetMCPriority`; l4v
// `Decode_A.thy` `decode_set_mcpriority`.)

public import KernelABI

/// A decoded TCB invocation (l4v `tcb_invocation`).
public enum TCBInvocation: Hashable, Sendable {
  /// MCS `ThreadControlSched` with only the MCP to update (TCB_SetMCPriority).
  case threadControlSched(target: ObjectRef, mcp: UInt64)
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
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, args)
    default: return .notModelled
    }
  }

  /// MR0 the new MCP, extra cap 0 the authority thread (`decode_set_mcpriority`).
  func decodeSetMCPriority(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard let newMCP = args.registers.first, let authorityCap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let authority) = authorityCap else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(target: target, mcp: newMCP)
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
    case .threadControlSched(let target, let mcp):
      setMCPriority(target, mcp)
      return .done
    case .notModelled:
      return .notModelled(.tcbInvocation)
    }
  }

  /// The thread's MCP becomes `mcp`; nothing else changes (`set_mcpriority`).
  mutating func setMCPriority(_ tcb: ObjectRef, _ mcp: UInt64) {
    updateTCB(tcb) { $0.maxControlledPriority = mcp }
  }
}

// A thread's invocations (seL4 `src/object/tcb.c`: `decodeTCBInvocation`, `invokeTCB_*`), and
// the operations on a TCB's fields they use.
//
// Of the TCB methods this slice models TCB_SetMCPriority, which needs no scheduler: the authority
// thread (extra cap 0) must have a maximum controlled priority at least the one asked for
// (`checkPrio`), and the invoked thread's MCP becomes it. The other TCB methods are not modelled
// yet; a label that is no TCB method is an IllegalOperation. Twins: `AbstractSpec/TCB.swift`,
// `ExecutableSpec/TCB.swift`.

import KernelABI

/// A decoded TCB invocation.
enum TCBInvocation {
  /// MCS `ThreadControlSched` with only the MCP to update (TCB_SetMCPriority).
  case threadControlSched(target: ObjectRef, mcp: UInt64)
  /// A TCB method this slice does not model: performing it changes nothing.
  case notModelled
}

extension KernelState {
  /// `decodeTCBInvocation`: the method the label names, with its checks in seL4's order; it
  /// writes nothing.
  func decodeTCBInvocation(_ label: UInt64, _ cap: Capability, _ message: Message) throws(SyscallError)
    -> TCBInvocation
  {
    guard case .thread(let target) = cap, let method = InvocationLabel(rawValue: label), method.target == .tcb else {
      throw .illegalOperation
    }
    switch method {
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, message)
    default: return .notModelled
    }
  }

  /// `decodeSetMCPriority`: MR0 the new MCP, extra cap 0 the authority thread.
  func decodeSetMCPriority(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 1, let authoritySlot = message.extraCap(0) else { throw .truncatedMessage }
    let newMCP = message.arg(0)
    guard case .thread(let authority) = getCap(authoritySlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(target: target, mcp: newMCP)
  }

  /// `checkPrio`: a priority (or MCP) above the authority thread's MCP is a RangeError naming the
  /// range allowed (the whole word is compared).
  func checkPrio(_ prio: UInt64, _ authority: ObjectRef) throws(SyscallError) {
    let mcp = maxControlledPriority(of: authority) ?? 0
    guard seams.checkPrioAllows?(prio, mcp) ?? (prio <= mcp) else { throw .rangeError(min: 0, max: mcp) }
  }

  /// `invokeTCB`: perform a decoded TCB invocation.
  mutating func invokeTCB(_ invocation: TCBInvocation) -> InvocationOutcome {
    switch invocation {
    case .threadControlSched(let target, let mcp):
      setMCPriority(target, mcp)
      return .done
    case .notModelled:
      return .notModelled(.tcbInvocation)
    }
  }

  /// `setMCPriority`: the thread's MCP becomes `mcp`; nothing else changes.
  mutating func setMCPriority(_ tcb: ObjectRef, _ mcp: UInt64) {
    memory.store(tcb &+ ObjectLayout.tcbMCP, mcp)
  }
}

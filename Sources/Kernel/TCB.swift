// A thread's invocations (seL4 `src/object/tcb.c`: `decodeTCBInvocation`, `invokeTCB_*`), and
// the operations on a TCB's fields they use.
//
// Of the TCB methods this slice models, in seL4's decode order: TCB_Suspend, TCB_Resume,
// TCB_SetPriority and TCB_SetMCPriority (see `AbstractSpec/TCB.swift`); `setPriority` is MCS
// `src/kernel/thread.c`'s. The other TCB methods are not modelled yet; a label that is no TCB
// method is an IllegalOperation. Twins: `AbstractSpec/TCB.swift`, `ExecutableSpec/TCB.swift`.

import KernelABI

/// A decoded TCB invocation.
enum TCBInvocation {
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
    case .tcbSuspend: return .suspend(target)
    case .tcbResume: return .resume(target)
    case .tcbSetPriority: return try decodeSetPriority(target, message)
    case .tcbSetMCPriority: return try decodeSetMCPriority(target, message)
    default: return .notModelled
    }
  }

  /// `decodeSetPriority`: MR0 the new priority, extra cap 0 the authority thread.
  func decodeSetPriority(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 1, let authoritySlot = message.extraCap(0) else { throw .truncatedMessage }
    let newPrio = message.arg(0)
    guard case .thread(let authority) = getCap(authoritySlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newPrio, authority)
    return .threadControlSched(target: target, mcp: nil, priority: newPrio)
  }

  /// `decodeSetMCPriority`: MR0 the new MCP, extra cap 0 the authority thread.
  func decodeSetMCPriority(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 1, let authoritySlot = message.extraCap(0) else { throw .truncatedMessage }
    let newMCP = message.arg(0)
    guard case .thread(let authority) = getCap(authoritySlot) else { throw .invalidCapability(index: 1) }
    try checkPrio(newMCP, authority)
    return .threadControlSched(target: target, mcp: newMCP, priority: nil)
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
    case .inactive?:
      memory.store(tcb &+ ObjectLayout.tcbPriority, prio)
    case nil:
      return
    }
  }
}

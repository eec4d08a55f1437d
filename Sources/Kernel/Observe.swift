// What user space sees after an event: the one place an `Observation` is made.
//
// The reply is read from the caller's user context, the words of its TCB where `replyFromKernel`
// wrote it, and the current thread from the state; the facts the state does not keep (who made
// the event, whether the kernel replied, the fault, what was not modelled) come from
// `handleEvent` (`EventRecord`).
// Twins: `AbstractSpec/Observe.swift`, `ExecutableSpec/Observe.swift`.

public import KernelABI

extension KernelState {
  /// What user space sees after the event `record` describes was handled.
  public func observe(_ record: EventRecord) -> Observation {
    Observation(
      caller: record.caller, reply: record.replied ? record.caller.flatMap(replyMessage(of:)) : nil,
      fault: record.fault, current: isIdle(ksCurThread) ? nil : ksCurThread, notModelled: record.notModelled)
  }

  /// The reply the user context of `thread` holds; nil when there is no such thread. Reads the
  /// message-info register and the `length` message registers it names, nothing more.
  public func replyMessage(of thread: ObjectRef) -> ReplyMessage? {
    guard objects[thread] == .tcb else { return nil }
    return ReplyMessage(msgInfoRegister: memory.word(thread &+ ObjectLayout.tcbMsgInfoRegister)) { index in
      memory.word(thread &+ ObjectLayout.tcbMsgRegisters &+ UInt64(truncatingIfNeeded: index) &* 8)
    }
  }
}

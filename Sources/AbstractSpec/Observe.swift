// What user space sees after an event: the one place an `Observation` is made.
//
// The reply is read from the caller's user context, where `replyFromKernel` wrote it, and the
// current thread from the state (the idle thread as nil); the facts the state does not keep (who made the event, whether
// the kernel replied, the fault, what was not modelled) come from `handleEvent` (`EventRecord`).
// Twins: `ExecutableSpec/Observe.swift`, `Kernel/Observe.swift`.

public import KernelABI

extension AbstractState {
  /// What user space sees after the event `record` describes was handled.
  public func observe(_ record: EventRecord) -> Observation {
    Observation(
      caller: record.caller, reply: record.replied ? record.caller.flatMap(replyMessage(of:)) : nil,
      fault: record.fault, current: isIdle(currentThread) ? nil : currentThread, notModelled: record.notModelled)
  }

  /// The reply the user context of `thread` holds; nil when there is no such thread.
  public func replyMessage(of thread: ObjectRef) -> ReplyMessage? {
    guard let context = tcb(at: thread)?.context else { return nil }
    return ReplyMessage(msgInfoRegister: context.msgInfoRegister, msgRegister: context.msgRegister)
  }
}

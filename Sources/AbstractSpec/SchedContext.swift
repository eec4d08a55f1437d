// The SchedContext cap's methods (MCS): Consumed, Bind, UnbindObject, Unbind and YieldTo, and
// the operations on a scheduling context's links they and the rest of the kernel use: binding a
// notification, unbinding everything, and the yield of SchedContext_YieldTo.
//
// Decoding checks, in seL4's order (`decodeSchedContextInvocation` switches on the label first;
// any other label is an IllegalOperation):
// - Consumed: none.
// - Bind: an extra cap (TruncatedMessage); a thread cap: the context already has a thread, the
//   thread already has a context, the thread blocked while the context is not released (each
//   IllegalOperation); a notification cap: the context already has a notification, the
//   notification already has a context (each IllegalOperation); any other cap:
//   InvalidCapability(1).
// - UnbindObject: an extra cap (TruncatedMessage); a thread cap: not the context's thread, the
//   context's thread the caller (each IllegalOperation); a notification cap: not the context's
//   notification (IllegalOperation); any other cap: InvalidCapability(1).
// - Unbind: the context's thread the caller (IllegalOperation).
// - YieldTo: no thread, the thread the caller, the thread's priority above the caller's maximum
//   controlled priority, the caller already yielding (each IllegalOperation; seL4 asserts the last
//   cannot happen, since `activateThread` completes a yield before its thread runs).
//
// Consumed answers a Call with label 0 and MR0 the context's consumed time in µs, and resets it
// (`setConsumed`). seL4's `setConsumed` writes that reply when asked; here it returns it, and the
// caller writes it: `handleInvocation` for a Call (`.replied`), `schedContextCompleteYieldTo`
// always (as seL4's does, its FIXME notwithstanding).
// Twins: `ExecutableSpec/SchedContext.swift`, `Kernel/SchedContext.swift`.
// (`seL4:src/object/schedcontext.c`; `seL4:src/kernel/thread.c` `activateThread`, `suspend`;
// `seL4:src/object/objecttype.c` `finaliseCap`; `l4v:spec/abstract/Decode_A.thy`
// `decode_sched_context_invocation`, `Schedule_A.thy` `invoke_sched_context`,
// `sched_context_yield_to`, `SchedContext_A.thy` `set_consumed`, `complete_yield_to`,
// `sched_context_cancel_yield_to`, branch HE_proofs.)

public import KernelABI

/// The object a SchedContext_Bind or SchedContext_UnbindObject names by its extra cap.
public enum SchedContextObject: Hashable, Sendable {
  /// A thread (its TCB's address).
  case thread(ObjectRef)
  /// A notification (its address).
  case notification(ObjectRef)
}

/// A decoded SchedContext invocation (l4v `sched_context_invocation`).
public enum SchedContextInvocation: Hashable, Sendable {
  /// `InvokeSchedContextConsumed`.
  case consumed(sc: ObjectRef)
  /// `InvokeSchedContextBind`.
  case bind(sc: ObjectRef, object: SchedContextObject)
  /// `InvokeSchedContextUnbindObject`.
  case unbindObject(sc: ObjectRef, object: SchedContextObject)
  /// `InvokeSchedContextUnbind`.
  case unbind(sc: ObjectRef)
  /// `InvokeSchedContextYieldTo`.
  case yieldTo(sc: ObjectRef)
}

extension AbstractState {
  /// `decode_sched_context_invocation`: by the label; it changes nothing.
  public func decodeSchedContextInvocation(_ args: InvocationArguments, _ sc: ObjectRef) throws(SyscallError)
    -> SchedContextInvocation
  {
    switch InvocationLabel(rawValue: args.label) {
    case .schedContextConsumed?:
      return .consumed(sc: sc)
    case .schedContextBind?:
      return try decodeSchedContextBind(args, sc)
    case .schedContextUnbindObject?:
      return try decodeSchedContextUnbindObject(args, sc)
    case .schedContextUnbind?:
      guard schedContext(at: sc)?.tcb != currentThread else { throw .illegalOperation }
      return .unbind(sc: sc)
    case .schedContextYieldTo?:
      return try decodeSchedContextYieldTo(sc)
    default:
      throw .illegalOperation
    }
  }

  /// `decode_sched_context_bind`: the checks of the file's header, in seL4's order.
  func decodeSchedContextBind(_ args: InvocationArguments, _ sc: ObjectRef) throws(SyscallError)
    -> SchedContextInvocation
  {
    guard let cap = args.extraCaps.first else { throw .truncatedMessage }
    let context = schedContext(at: sc)
    switch cap {
    case .thread(let thread):
      guard context?.tcb == nil else { throw .illegalOperation }
      guard tcb(at: thread)?.schedContext == nil else { throw .illegalOperation }
      guard !(isBlocked(thread) && !scReleased(sc)) else { throw .illegalOperation }
      return .bind(sc: sc, object: .thread(thread))
    case .notification(let ntfn, _, _):
      guard context?.ntfn == nil else { throw .illegalOperation }
      guard notification(at: ntfn)?.sc == nil else { throw .illegalOperation }
      return .bind(sc: sc, object: .notification(ntfn))
    default:
      throw .invalidCapability(index: 1)
    }
  }

  /// `decode_sched_context_unbind_object`: the checks of the file's header, in seL4's order.
  func decodeSchedContextUnbindObject(_ args: InvocationArguments, _ sc: ObjectRef) throws(SyscallError)
    -> SchedContextInvocation
  {
    guard let cap = args.extraCaps.first else { throw .truncatedMessage }
    let context = schedContext(at: sc)
    switch cap {
    case .thread(let thread):
      guard context?.tcb == thread else { throw .illegalOperation }
      guard context?.tcb != currentThread else { throw .illegalOperation }
      return .unbindObject(sc: sc, object: .thread(thread))
    case .notification(let ntfn, _, _):
      guard context?.ntfn == ntfn else { throw .illegalOperation }
      return .unbindObject(sc: sc, object: .notification(ntfn))
    default:
      throw .invalidCapability(index: 1)
    }
  }

  /// `decode_sched_context_yield_to`: the checks of the file's header, in seL4's order.
  func decodeSchedContextYieldTo(_ sc: ObjectRef) throws(SyscallError) -> SchedContextInvocation {
    guard let thread = schedContext(at: sc)?.tcb, let target = tcb(at: thread) else { throw .illegalOperation }
    guard thread != currentThread else { throw .illegalOperation }
    guard let caller = tcb(at: currentThread), target.priority <= caller.maxControlledPriority else {
      throw .illegalOperation
    }
    guard caller.yieldTo == nil else { throw .illegalOperation }
    return .yieldTo(sc: sc)
  }

  /// `invoke_sched_context`: perform a decoded invocation; `isCall` says whether a Consumed or
  /// YieldTo that answers now is answered at all.
  mutating func invokeSchedContext(_ invocation: SchedContextInvocation) -> InvocationOutcome {
    switch invocation {
    case .consumed(let sc): return invokeSchedContextConsumed(sc)
    case .bind(let sc, let object): return invokeSchedContextBind(sc, object)
    case .unbindObject(let sc, let object): return invokeSchedContextUnbindObject(sc, object)
    case .unbind(let sc): return invokeSchedContextUnbind(sc)
    case .yieldTo(let sc): return invokeSchedContextYieldTo(sc)
    }
  }

  /// SchedContext_Bind: a thread (`sched_context_bind_tcb`) or a notification
  /// (`sched_context_bind_ntfn`).
  mutating func invokeSchedContextBind(_ sc: ObjectRef, _ object: SchedContextObject) -> InvocationOutcome {
    switch object {
    case .thread(let thread): schedContextBindTCB(sc, thread)
    case .notification(let ntfn): schedContextBindNtfn(sc, ntfn)
    }
    return .done
  }

  /// SchedContext_Unbind: the thread, the notification and the call stack all let go.
  mutating func invokeSchedContextUnbind(_ sc: ObjectRef) -> InvocationOutcome {
    schedContextUnbindAllTCBs(sc)
    schedContextUnbindNtfn(sc)
    schedContextUnbindReply(sc)
    return .done
  }

  /// SchedContext_UnbindObject: the named thread or notification lets go.
  mutating func invokeSchedContextUnbindObject(_ sc: ObjectRef, _ object: SchedContextObject) -> InvocationOutcome {
    switch object {
    case .thread: schedContextUnbindTCB(sc)
    case .notification: schedContextUnbindNtfn(sc)
    }
    return .done
  }

  /// SchedContext_Consumed: the consumed time is read and reset, and answers a Call.
  mutating func invokeSchedContextConsumed(_ sc: ObjectRef) -> InvocationOutcome {
    .replied(setConsumed(sc))
  }

  /// SchedContext_YieldTo (`sched_context_yield_to`): a yield still pending to the context is
  /// completed; its thread resumes (postponed if its refill is not ready and sufficient); a
  /// schedulable thread of lower priority than the caller goes to the head of its queue and the
  /// caller is answered now; one of the same or higher priority runs instead of the caller, which
  /// records the yield (`tcb_yield_to`, `sc_yield_from`) and is answered when it next runs
  /// (`activateThread`); an unschedulable one: answered now.
  mutating func invokeSchedContextYieldTo(_ sc: ObjectRef) -> InvocationOutcome {
    if let from = schedContext(at: sc)?.yieldFrom { schedContextCompleteYieldTo(from) }
    schedContextResume(sc)
    guard let thread = schedContext(at: sc)?.tcb, isSchedulable(thread) else { return .replied(setConsumed(sc)) }
    let caller = currentThread
    if (tcb(at: thread)?.priority ?? 0) < (tcb(at: caller)?.priority ?? 0) {
      tcbSchedDequeue(thread)
      tcbSchedEnqueue(thread)
      return .replied(setConsumed(sc))
    }
    updateTCB(caller) { $0.yieldTo = sc }
    updateSchedContext(sc) { $0.yieldFrom = caller }
    tcbSchedDequeue(thread)
    tcbSchedEnqueue(caller)
    tcbSchedEnqueue(thread)
    rescheduleRequired()
    return .done
  }

  /// `sched_context_bind_ntfn`: the context and the notification name each other.
  mutating func schedContextBindNtfn(_ sc: ObjectRef, _ ntfn: ObjectRef) {
    updateNotification(ntfn) { $0.sc = sc }
    updateSchedContext(sc) { $0.ntfn = ntfn }
  }

  /// `sched_context_unbind_ntfn`: the bound notification, if any, lets go.
  mutating func schedContextUnbindNtfn(_ sc: ObjectRef) {
    guard let ntfn = schedContext(at: sc)?.ntfn else { return }
    updateNotification(ntfn) { $0.sc = nil }
    updateSchedContext(sc) { $0.ntfn = nil }
  }

  /// `sched_context_maybe_unbind_ntfn`: the context bound to the notification, if any, lets go of
  /// it (a notification's final cap deleted).
  mutating func schedContextMaybeUnbindNtfn(_ ntfn: ObjectRef) {
    if let sc = notification(at: ntfn)?.sc { schedContextUnbindNtfn(sc) }
  }

  /// `sched_context_unbind_all_tcbs`: the bound thread, if any, lets go.
  mutating func schedContextUnbindAllTCBs(_ sc: ObjectRef) {
    if schedContext(at: sc)?.tcb != nil { schedContextUnbindTCB(sc) }
  }

  /// `complete_yield_to`: the thread that yielded is answered with the consumed time of the context
  /// it yielded to, and the yield ends.
  mutating func schedContextCompleteYieldTo(_ yielder: ObjectRef) {
    guard let sc = tcb(at: yielder)?.yieldTo else { return }
    replyFromKernel(yielder, setConsumed(sc))
    schedContextCancelYieldTo(yielder)
  }

  /// `sched_context_cancel_yield_to`: the yield of `thread`, if any, ends unanswered.
  mutating func schedContextCancelYieldTo(_ thread: ObjectRef) {
    guard let sc = tcb(at: thread)?.yieldTo else { return }
    updateSchedContext(sc) { $0.yieldFrom = nil }
    updateTCB(thread) { $0.yieldTo = nil }
  }

  /// `sched_context_update_consumed`: the context's consumed time in µs, and the counter reset
  /// (all but `getMaxTicksToUs` ticks of it kept when it holds that many, which with a MHz timer is
  /// only `UInt64.max`).
  mutating func schedContextUpdateConsumed(_ sc: ObjectRef) -> UInt64 {
    let consumed = schedContext(at: sc)?.consumed ?? 0
    if consumed >= TimeConfig.maxTicksToUs {
      updateSchedContext(sc) { $0.consumed = consumed - TimeConfig.maxTicksToUs }
      return TimeConfig.ticksToUs(TimeConfig.maxTicksToUs)
    }
    updateSchedContext(sc) { $0.consumed = 0 }
    return TimeConfig.ticksToUs(consumed)
  }

  /// `set_consumed`: the reply carrying the consumed time (label 0, MR0 the µs), the counter
  /// reset; the caller writes it (the file's header).
  mutating func setConsumed(_ sc: ObjectRef) -> ReplyMessage {
    .consumed(microseconds: schedContextUpdateConsumed(sc))
  }
}

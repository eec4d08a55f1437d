// The SchedContext cap's methods (MCS): Consumed, Bind, UnbindObject, Unbind and YieldTo, and
// the operations on a scheduling context's links they and the rest of the kernel use: binding a
// notification, unbinding everything, and the yield of SchedContext_YieldTo. The words: a
// scheduling context's `scNotification` and `scYieldFrom`, a notification's `ntfnSchedContext`
// and a thread's `tcbYieldTo` (`ObjectLayout`).
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
// Twins: `AbstractSpec/SchedContext.swift`, `ExecutableSpec/SchedContext.swift`.
// (`seL4:src/object/schedcontext.c`; `seL4:src/kernel/thread.c` `activateThread`, `suspend`;
// `seL4:src/object/objecttype.c` `finaliseCap`.)

import KernelABI

/// The object a SchedContext_Bind or SchedContext_UnbindObject names by its extra cap.
enum SchedContextObject {
  /// A thread (its TCB's address).
  case thread(ObjectRef)
  /// A notification (its address).
  case notification(ObjectRef)
}

/// A decoded SchedContext invocation.
enum SchedContextInvocation {
  /// `invokeSchedContext_Consumed`.
  case consumed(sc: ObjectRef)
  /// `invokeSchedContext_Bind`.
  case bind(sc: ObjectRef, object: SchedContextObject)
  /// `invokeSchedContext_UnbindObject`.
  case unbindObject(sc: ObjectRef, object: SchedContextObject)
  /// `invokeSchedContext_Unbind`.
  case unbind(sc: ObjectRef)
  /// `invokeSchedContext_YieldTo`.
  case yieldTo(sc: ObjectRef)
}

extension KernelState {
  /// `decodeSchedContextInvocation(label, sc, call)`: by the label; it writes nothing.
  func decodeSchedContextInvocation(_ label: UInt64, _ sc: ObjectRef, _ message: Message) throws(SyscallError)
    -> SchedContextInvocation
  {
    switch InvocationLabel(rawValue: label) {
    case .schedContextConsumed?:
      return .consumed(sc: sc)
    case .schedContextBind?:
      return try decodeSchedContextBind(sc, message)
    case .schedContextUnbindObject?:
      return try decodeSchedContextUnbindObject(sc, message)
    case .schedContextUnbind?:
      guard scTcb(of: sc) != ksCurThread else { throw .illegalOperation }
      return .unbind(sc: sc)
    case .schedContextYieldTo?:
      return try decodeSchedContextYieldTo(sc)
    default:
      throw .illegalOperation
    }
  }

  /// `decodeSchedContext_Bind(sc)`: the checks of the file's header, in seL4's order.
  func decodeSchedContextBind(_ sc: ObjectRef, _ message: Message) throws(SyscallError) -> SchedContextInvocation {
    guard let slot = message.extraCap(0) else { throw .truncatedMessage }
    switch getCap(slot) {
    case .thread(let thread):
      guard scTcb(of: sc) ?? 0 == 0 else { throw .illegalOperation }
      guard schedContextWord(of: thread) ?? 0 == 0 else { throw .illegalOperation }
      guard !(isBlocked(thread) && !scReleased(sc)) else { throw .illegalOperation }
      return .bind(sc: sc, object: .thread(thread))
    case .notification(let ntfn, _, _):
      guard scNotification(of: sc) ?? 0 == 0 else { throw .illegalOperation }
      guard ntfnSchedContext(of: ntfn) == 0 else { throw .illegalOperation }
      return .bind(sc: sc, object: .notification(ntfn))
    default:
      throw .invalidCapability(index: 1)
    }
  }

  /// `decodeSchedContext_UnbindObject(sc)`: the checks of the file's header, in seL4's order.
  func decodeSchedContextUnbindObject(_ sc: ObjectRef, _ message: Message) throws(SyscallError)
    -> SchedContextInvocation
  {
    guard let slot = message.extraCap(0) else { throw .truncatedMessage }
    switch getCap(slot) {
    case .thread(let thread):
      guard scTcb(of: sc) == thread else { throw .illegalOperation }
      guard scTcb(of: sc) != ksCurThread else { throw .illegalOperation }
      return .unbindObject(sc: sc, object: .thread(thread))
    case .notification(let ntfn, _, _):
      guard scNotification(of: sc) == ntfn else { throw .illegalOperation }
      return .unbindObject(sc: sc, object: .notification(ntfn))
    default:
      throw .invalidCapability(index: 1)
    }
  }

  /// `decodeSchedContext_YieldTo(sc, call)`: the checks of the file's header, in seL4's order.
  func decodeSchedContextYieldTo(_ sc: ObjectRef) throws(SyscallError) -> SchedContextInvocation {
    guard let thread = scTcb(of: sc), thread != 0, let priority = priority(of: thread) else {
      throw .illegalOperation
    }
    guard thread != ksCurThread else { throw .illegalOperation }
    guard priority <= maxControlledPriority(of: ksCurThread) ?? 0 else { throw .illegalOperation }
    guard tcbYieldTo(of: ksCurThread) ?? 0 == 0 else { throw .illegalOperation }
    return .yieldTo(sc: sc)
  }

  /// Perform a decoded SchedContext invocation.
  mutating func invokeSchedContext(_ invocation: SchedContextInvocation) -> InvocationOutcome {
    switch invocation {
    case .consumed(let sc): return invokeSchedContextConsumed(sc)
    case .bind(let sc, let object): return invokeSchedContextBind(sc, object)
    case .unbindObject(let sc, let object): return invokeSchedContextUnbindObject(sc, object)
    case .unbind(let sc): return invokeSchedContextUnbind(sc)
    case .yieldTo(let sc): return invokeSchedContextYieldTo(sc)
    }
  }

  /// `invokeSchedContext_Bind(sc, cap)`.
  mutating func invokeSchedContextBind(_ sc: ObjectRef, _ object: SchedContextObject) -> InvocationOutcome {
    switch object {
    case .thread(let thread): schedContextBindTCB(sc, thread)
    case .notification(let ntfn): schedContextBindNtfn(sc, ntfn)
    }
    return .done
  }

  /// `invokeSchedContext_Unbind(sc)`.
  mutating func invokeSchedContextUnbind(_ sc: ObjectRef) -> InvocationOutcome {
    schedContextUnbindAllTCBs(sc)
    schedContextUnbindNtfn(sc)
    schedContextUnbindReply(sc)
    return .done
  }

  /// `invokeSchedContext_UnbindObject(sc, cap)`.
  mutating func invokeSchedContextUnbindObject(_ sc: ObjectRef, _ object: SchedContextObject) -> InvocationOutcome {
    switch object {
    case .thread: schedContextUnbindTCB(sc)
    case .notification: schedContextUnbindNtfn(sc)
    }
    return .done
  }

  /// `invokeSchedContext_Consumed(sc, call)`.
  mutating func invokeSchedContextConsumed(_ sc: ObjectRef) -> InvocationOutcome {
    .replied(setConsumed(sc))
  }

  /// `invokeSchedContext_YieldTo(sc, call)`: a pending yield to the context is completed; its
  /// thread resumes; a schedulable thread of lower priority than the caller goes to the head of
  /// its queue and the caller is answered now; one of the same or higher priority runs instead,
  /// the caller recording the yield and answered when it next runs (`activateThread`); an
  /// unschedulable one: answered now.
  mutating func invokeSchedContextYieldTo(_ sc: ObjectRef) -> InvocationOutcome {
    if let from = scYieldFrom(of: sc), from != 0 { schedContextCompleteYieldTo(from) }
    schedContextResume(sc)
    guard let thread = scTcb(of: sc), thread != 0, isSchedulable(thread) else { return .replied(setConsumed(sc)) }
    let caller = ksCurThread
    if priority(of: thread) ?? 0 < priority(of: caller) ?? 0 {
      tcbSchedDequeue(thread)
      tcbSchedEnqueue(thread)
      return .replied(setConsumed(sc))
    }
    memory.store(caller &+ ObjectLayout.tcbYieldTo, sc)
    memory.store(sc &+ ObjectLayout.scYieldFrom, caller)
    tcbSchedDequeue(thread)
    tcbSchedEnqueue(caller)
    tcbSchedEnqueue(thread)
    rescheduleRequired()
    return .done
  }

  /// `schedContext_bindNtfn(sc, ntfn)`: the two words name each other.
  mutating func schedContextBindNtfn(_ sc: ObjectRef, _ ntfn: ObjectRef) {
    guard objects[ntfn] == .notification, case .schedContext? = objects[sc] else { return }
    memory.store(ntfn &+ ObjectLayout.ntfnSchedContext, sc)
    memory.store(sc &+ ObjectLayout.scNotification, ntfn)
  }

  /// `schedContext_unbindNtfn(sc)`: the bound notification, if any, lets go.
  mutating func schedContextUnbindNtfn(_ sc: ObjectRef) {
    guard let ntfn = scNotification(of: sc), ntfn != 0 else { return }
    if objects[ntfn] == .notification { memory.store(ntfn &+ ObjectLayout.ntfnSchedContext, 0) }
    memory.store(sc &+ ObjectLayout.scNotification, 0)
  }

  /// `schedContextMaybeUnbindNtfn(ntfn)`: the context bound to the notification, if any, lets go
  /// of it.
  mutating func schedContextMaybeUnbindNtfn(_ ntfn: ObjectRef) {
    guard objects[ntfn] == .notification else { return }
    let sc = ntfnSchedContext(of: ntfn)
    if sc != 0 { schedContextUnbindNtfn(sc) }
  }

  /// `schedContext_unbindAllTCBs(sc)`: the bound thread, if any, lets go.
  mutating func schedContextUnbindAllTCBs(_ sc: ObjectRef) {
    if let thread = scTcb(of: sc), thread != 0 { schedContextUnbindTCB(sc) }
  }

  /// `schedContext_completeYieldTo(yielder)`: the yielder is answered with the consumed time of the
  /// context it yielded to, and the yield ends.
  mutating func schedContextCompleteYieldTo(_ yielder: ObjectRef) {
    guard let sc = tcbYieldTo(of: yielder), sc != 0 else { return }
    replyFromKernel(yielder, setConsumed(sc))
    schedContextCancelYieldTo(yielder)
  }

  /// `schedContext_cancelYieldTo(tcb)`: the yield of `thread`, if any, ends unanswered.
  mutating func schedContextCancelYieldTo(_ thread: ObjectRef) {
    guard let sc = tcbYieldTo(of: thread), sc != 0 else { return }
    if case .schedContext? = objects[sc], seams.cancelYieldToClearsYieldFrom?() ?? true {
      memory.store(sc &+ ObjectLayout.scYieldFrom, 0)
    }
    memory.store(thread &+ ObjectLayout.tcbYieldTo, 0)
  }

  /// `schedContext_updateConsumed(sc)`: `scConsumed` in µs, and the word reset (all but
  /// `getMaxTicksToUs` ticks of it kept when it holds that many).
  mutating func schedContextUpdateConsumed(_ sc: ObjectRef) -> UInt64 {
    guard let consumed = scConsumed(of: sc) else { return 0 }
    if consumed >= TimeConfig.maxTicksToUs {
      memory.store(sc &+ ObjectLayout.scConsumed, consumed &- TimeConfig.maxTicksToUs)
      return TimeConfig.ticksToUs(TimeConfig.maxTicksToUs)
    }
    memory.store(sc &+ ObjectLayout.scConsumed, 0)
    return TimeConfig.ticksToUs(consumed)
  }

  /// `setConsumed(sc, thread, write_msg)`: the reply carrying the consumed time, the word reset;
  /// the caller writes the reply (the file's header).
  mutating func setConsumed(_ sc: ObjectRef) -> ReplyMessage {
    .consumed(microseconds: schedContextUpdateConsumed(sc))
  }
}

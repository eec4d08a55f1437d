// MCS reply objects, as the Haskell model has them (`SEL4.Object.Reply`): `replyTCB` ties a
// reply object to a receiver queued with it or a caller BlockedOnReply on it. What the
// operations do is said in `AbstractSpec/Reply.swift`; scheduling-context donation is not
// modelled, so the call stack (`replyPrev`, `replyNext`) is always empty. The operations, in the
// order of the twins (`AbstractSpec/Reply.swift`, `Kernel/Reply.swift`): `replyUnlink`,
// `replyPush`, `replyRemove`, `replyRemoveTCB`, `doReplyTransfer`. (`seL4:src/object/reply.c`,
// `include/object/reply.h`, `src/kernel/thread.c` `doReplyTransfer`;
// `l4v:spec/haskell/src/SEL4/Object/Reply.lhs`.)

import KernelABI

extension ExecState {
  /// `replyUnlink reply tcb`: the reply object lets go of the thread, which goes Inactive.
  mutating func replyUnlink(_ replyObject: ObjectRef, _ thread: ObjectRef) {
    setReplyTCB(replyObject, nil)
    setThreadState(thread, .inactive)
  }

  /// `replyPush caller callee reply canDonate` (no donation): the caller blocks on the reply
  /// object, which is tied to it.
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ replyObject: ObjectRef) {
    _ = callee
    setReplyTCB(replyObject, caller)
    setThreadState(caller, .blockedOnReply(replyObject: replyObject))
  }

  /// `replyRemove reply tcb` (no call stack: `replyUnlink`).
  mutating func replyRemove(_ replyObject: ObjectRef, _ thread: ObjectRef) {
    replyUnlink(replyObject, thread)
  }

  /// `replyRemoveTCB tcb`: the thread's reply object, named by its BlockedOnReply state, lets go
  /// of it.
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard case .blockedOnReply(let replyObject)? = tcb(at: thread)?.state else { return }
    replyUnlink(replyObject, thread)
  }

  /// `doReplyTransfer sender reply grant` (MCS): a caller BlockedOnReply on the reply object takes
  /// the sender's message and runs, or, waiting with a fault, restarts or stops by
  /// `handleFaultReply` (`Fault.swift`) with its fault cleared; otherwise nothing happens.
  mutating func doReplyTransfer(_ sender: ObjectRef, _ replyObject: ObjectRef, _ grant: Bool) {
    // The caller's state must name this object (`reply_remove`'s assertion, `seL4:src/object/reply.c`).
    guard let receiver = reply(at: replyObject)?.replyTCB,
      case .blockedOnReply(let waitedOn)? = tcb(at: receiver)?.state, waitedOn == replyObject
    else {
      return
    }
    replyRemove(replyObject, receiver)
    if let fault = tcb(at: receiver)?.tcbFault {
      let restart = handleFaultReply(receiver, sender, fault)
      updateTCB(receiver) { $0.tcbFault = nil }
      setThreadState(receiver, restart ? .restart : .inactive)
      guard restart else { return }
    } else {
      doIPCTransfer(sender, 0, 0, grant, receiver)
      setThreadState(receiver, .running)
    }
    possibleSwitchTo(receiver)
  }
}

// MCS reply objects: how a Call waits for its reply. A receiver names a reply object when it
// receives (Recv, NBRecv, ReplyRecv); while it waits in the endpoint's queue the object is tied
// to it (`reply_tcb`). A Call that meets it blocks on the object (BlockedOnReply, `reply_push`);
// a reply through the object's cap (`do_reply_transfer`) hands the replier's message to the
// caller and lets it run, or does nothing when the object is tied to no caller (any more). A
// receive that reuses the object while a caller still waits on it cuts that caller off
// (`cancel_ipc` in `receive_ipc`), as do suspending or deleting either party and deleting the
// object (`reply_remove`, `reply_remove_tcb`, finalisation in `Delete.swift`).
// Scheduling-context donation is not modelled: the call stack (`reply_sc`, seL4's `replyPrev`
// and `replyNext`) is always empty here, so `reply_remove` always takes its branch for a reply
// that is not the head of a call stack, and `reply_pop` (which returns a donated scheduling
// context) has nothing to do; a Call that would donate is reported as not modelled before it
// changes anything (`Endpoint.swift`).
// The operations, in the order of the twins (`ExecutableSpec/Reply.swift`, `Kernel/Reply.swift`):
// `replyUnlink`, `replyPush`, `replyRemove`, `replyRemoveTCB`, `doReplyTransfer`.
// (`seL4:src/object/reply.c`, `include/object/reply.h`, `src/kernel/thread.c`
// `doReplyTransfer`; `l4v:spec/abstract/IpcCancel_A.thy` `reply_unlink_tcb`, `reply_remove`,
// `Ipc_A.thy` `reply_push`, `do_reply_transfer`.)

import KernelABI

extension AbstractState {
  /// `reply_unlink_tcb`: the reply object at `reply` lets go of `thread`, which stops.
  mutating func replyUnlink(_ reply: ObjectRef, _ thread: ObjectRef) {
    setReplyTCB(reply, nil)
    setThreadState(thread, .inactive)
  }

  /// `reply_push` (without donation): `caller` blocks on the reply object at `reply`, which is
  /// tied to it. (`callee` would receive the caller's scheduling context if it had none; the
  /// callers have ruled that out.)
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ reply: ObjectRef) {
    _ = callee
    setReplyTCB(reply, caller)
    setThreadState(caller, .blockedOnReply(reply))
  }

  /// `reply_remove`: the caller `thread` blocked on the reply object at `reply` is cut off from
  /// it and stops (with no call stack, `reply_unlink_tcb` alone).
  mutating func replyRemove(_ reply: ObjectRef, _ thread: ObjectRef) {
    replyUnlink(reply, thread)
  }

  /// `reply_remove_tcb`: the thread blocked on a reply (its state names the object) is cut off
  /// from it and stops.
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard case .blockedOnReply(let reply)? = tcb(at: thread)?.state else { return }
    replyUnlink(reply, thread)
  }

  /// `do_reply_transfer` (MCS): `sender` replies through the reply object at `reply`. When a
  /// caller is BlockedOnReply on it (its state names this object), the caller is cut off from it,
  /// takes the sender's message (no badge, no endpoint), runs, and may preempt the sender if it
  /// has a scheduling context; otherwise nothing happens. A caller waiting with a fault takes no
  /// message: the fault's rule (`handle_fault_reply`, `Fault.swift`) says whether it restarts or
  /// stops, and the fault is cleared.
  mutating func doReplyTransfer(_ sender: ObjectRef, _ reply: ObjectRef, _ grant: Bool) {
    // The caller must wait on THIS object (`reply_remove` asserts the thread state's
    // `replyObject` is `reply`; `seL4:src/object/reply.c`).
    guard let receiver = self.reply(at: reply)?.tcb, case .blockedOnReply(let waitedOn)? = tcb(at: receiver)?.state,
      waitedOn == reply
    else {
      return
    }
    replyRemove(reply, receiver)
    if let fault = tcb(at: receiver)?.fault {
      let restart = handleFaultReply(receiver, sender, fault)
      updateTCB(receiver) { $0.fault = nil }
      setThreadState(receiver, restart ? .restart : .inactive)
      guard restart else { return }
    } else {
      doIPCTransfer(sender, 0, 0, grant, receiver)
      setThreadState(receiver, .running)
    }
    // Runnable; `possibleSwitchTo` passes over a thread without a scheduling context.
    possibleSwitchTo(receiver)
  }
}

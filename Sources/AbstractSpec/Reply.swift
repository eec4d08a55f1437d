// MCS reply objects: how a Call waits for its reply. A receiver names a reply object when it
// receives (Recv, NBRecv, ReplyRecv); while it waits in the endpoint's queue the object is tied
// to it (`reply_tcb`). A Call that meets it blocks on the object (BlockedOnReply, `reply_push`);
// a reply through the object's cap (`do_reply_transfer`) hands the replier's message to the
// caller and lets it run, or does nothing when the object is tied to no caller (any more). A
// receive that reuses the object while a caller still waits on it cuts that caller off
// (`cancel_ipc` in `receive_ipc`), as do suspending or deleting either party and deleting the
// object (`reply_remove`, `reply_remove_tcb`, finalisation in `Delete.swift`).
// Scheduling-context donation (l4v-rt): a Call to a receiver without a scheduling context gives
// it the caller's (`reply_push` with `canDonate`), and the reply object goes on the scheduling
// context's call stack (`sc_replies`, newest first; the head names it back, `reply_sc`). Removing
// the head reply from the stack (a reply, or the object's deletion: `reply_remove`) gives the
// scheduling context back to its caller, if that has none; removing a reply further down cuts
// the stack there; cutting off a caller BlockedOnReply (`reply_remove_tcb`) cuts the stack at
// its reply without giving anything back.
// The operations, in the order of the twins (`ExecutableSpec/Reply.swift`, `Kernel/Reply.swift`):
// `replyUnlink`, `replyPush`, `replyRemove`, `replyRemoveTCB`, `doReplyTransfer`; l4v-rt's
// `reply_remove` pops a head itself where seL4 and the Haskell model call `replyPop`.
// (`seL4:src/object/reply.c`, `include/object/reply.h`, `src/kernel/thread.c`
// `doReplyTransfer`; `l4v-rt:spec/abstract/IpcCancel_A.thy` `reply_unlink_tcb`, `bind_sc_reply`,
// `reply_push`, `reply_unlink_sc`, `sc_with_reply`, `reply_remove`, `reply_remove_tcb`,
// `Ipc_A.thy` `do_reply_transfer`.)

import KernelABI

extension AbstractState {
  /// `reply_unlink_tcb`: the reply object at `reply` lets go of `thread`, which stops.
  mutating func replyUnlink(_ reply: ObjectRef, _ thread: ObjectRef) {
    setReplyTCB(reply, nil)
    setThreadState(thread, .inactive)
  }

  /// `bind_sc_reply`: the reply object at `reply` goes on top of the call stack of the scheduling
  /// context at `sc`, and only it names the scheduling context.
  mutating func bindSCReply(_ sc: ObjectRef, _ reply: ObjectRef) {
    if let head = schedContext(at: sc)?.replies.first { setReplySC(head, nil) }
    updateSchedContext(sc) { $0.replies.insert(reply, at: 0) }
    setReplySC(reply, sc)
  }

  /// `reply_push`: `caller` blocks on the reply object at `reply`, which is tied to it. When the
  /// caller may donate (`canDonate`), has a scheduling context and `callee` has none, the reply
  /// goes on the scheduling context's call stack and `callee` gets the scheduling context.
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ reply: ObjectRef, _ canDonate: Bool) {
    let callerSC = tcb(at: caller)?.schedContext
    let calleeSC = tcb(at: callee)?.schedContext
    setReplyTCB(reply, caller)
    setThreadState(caller, .blockedOnReply(reply))
    if let sc = callerSC, calleeSC == nil, canDonate {
      bindSCReply(sc, reply)
      schedContextDonate(sc, callee)
    }
  }

  /// `sc_with_reply`: the scheduling context whose call stack holds the reply object at `reply`.
  func scWithReply(_ reply: ObjectRef) -> ObjectRef? {
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      if case .schedContext(let sc) = object, sc.replies.contains(reply) { return address }
    }
    return nil
  }

  /// `reply_unlink_sc`: the reply object at `reply` leaves the call stack of the scheduling
  /// context at `sc`: the head is popped (the next one names the scheduling context now), one
  /// further down cuts the stack there.
  mutating func replyUnlinkSC(_ sc: ObjectRef, _ reply: ObjectRef) {
    guard let replies = schedContext(at: sc)?.replies else { return }
    if replies.first == reply {
      let rest = Array(replies.dropFirst())
      updateSchedContext(sc) { $0.replies = rest }
      if let next = rest.first { setReplySC(next, sc) }
      setReplySC(reply, nil)
    } else {
      updateSchedContext(sc) { $0.replies = Array(replies.prefix { $0 != reply }) }
    }
  }

  /// `reply_remove`: the caller `thread` blocked on the reply object at `reply` is cut off from
  /// it and stops. A reply on a call stack leaves it first; the head gives the scheduling context
  /// back to the caller if the caller has none.
  mutating func replyRemove(_ reply: ObjectRef, _ thread: ObjectRef) {
    if let sc = scWithReply(reply), let replies = schedContext(at: sc)?.replies {
      let callerSC = tcb(at: thread)?.schedContext
      replyUnlinkSC(sc, reply)
      if replies.first == reply && callerSC == nil { schedContextDonate(sc, thread) }
    }
    replyUnlink(reply, thread)
  }

  /// `reply_remove_tcb`: the thread blocked on a reply (its state names the object) is cut off
  /// from it and stops; the call stack holding the object, if any, is cut there (nothing is
  /// given back).
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard case .blockedOnReply(let reply)? = tcb(at: thread)?.state else { return }
    if let sc = scWithReply(reply) {
      updateSchedContext(sc) { $0.replies = Array($0.replies.prefix { $0 != reply }) }
      setReplySC(reply, nil)
    }
    replyUnlink(reply, thread)
  }

  /// `do_reply_transfer` (MCS): `sender` replies through the reply object at `reply`. When a
  /// caller is BlockedOnReply on it (its state names this object), the caller is cut off from it
  /// (`reply_remove`: a donated scheduling context comes back to it), takes the sender's message
  /// (no badge, no endpoint), runs, and may preempt the sender if it has a scheduling context;
  /// otherwise nothing happens. A caller waiting with a fault takes no message: the fault's rule
  /// (`handle_fault_reply`, `Fault.swift`) says whether it restarts or stops, and the fault is
  /// cleared. The caller's sporadic scheduling context (not `cur_sc`) is unblocked first
  /// (`if_sporadic_cur_sc_test_refill_unblock_check`). Then (MCS) a caller with a scheduling
  /// context that can run is offered to the scheduler if its head refill is ready and
  /// sufficient; otherwise it sends a Timeout fault when it has a timeout handler and the fault
  /// just answered was not itself a Timeout, or waits in the release queue (`postpone`).
  mutating func doReplyTransfer(_ sender: ObjectRef, _ reply: ObjectRef, _ grant: Bool) {
    // The caller must wait on THIS object (`reply_remove` asserts the thread state's
    // `replyObject` is `reply`; `seL4:src/object/reply.c`).
    guard let receiver = self.reply(at: reply)?.tcb, case .blockedOnReply(let waitedOn)? = tcb(at: receiver)?.state,
      waitedOn == reply
    else {
      return
    }
    replyRemove(reply, receiver)
    ifSporadicCurSCRefillUnblockCheck(tcb(at: receiver)?.schedContext)
    let fault = tcb(at: receiver)?.fault
    if let fault {
      let restart = handleFaultReply(receiver, sender, fault)
      updateTCB(receiver) { $0.fault = nil }
      setThreadState(receiver, restart ? .restart : .inactive)
    } else {
      doIPCTransfer(sender, 0, 0, grant, receiver)
      setThreadState(receiver, .running)
    }
    guard let sc = tcb(at: receiver)?.schedContext, isRunnable(receiver), let context = schedContext(at: sc) else {
      return
    }
    // A context with no refills (inactive: seL4 would read a refill that is not there, l4v `hd []`)
    // is offered to the scheduler as before time, which passes over it if it cannot run.
    if context.refillMax == 0
      || (Sporadic.refillReady(context.refills, now: curTime) && Sporadic.refillSufficient(context.refills, usage: 0))
    {
      possibleSwitchTo(receiver)
    } else if validTimeoutHandler(receiver), !isTimeout(fault) {
      handleTimeout(receiver, .timeout(badge: context.badge))
    } else {
      postpone(sc)
    }
  }

  /// Whether `fault` is a Timeout fault (`fault_type = seL4_Fault_Timeout`).
  private func isTimeout(_ fault: ThreadFault?) -> Bool {
    if case .timeout? = fault { return true }
    return false
  }
}

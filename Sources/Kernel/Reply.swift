// MCS reply objects in memory: a reply object's `replyTCB` word ties it to a receiver queued with
// it or a caller BlockedOnReply on it; the thread's `tcbBlockingReplyObject` word names the
// object back (`ObjectLayout.replyTCB`, `ObjectLayout.tcbBlockingReplyObject`). What the
// operations do is said in `AbstractSpec/Reply.swift`. The call stack of scheduling-context
// donation is the reply objects' `replyPrev` and `replyNext` words (`call_stack_t`, written with
// `packCallStack`) and the scheduling context's `scReply` word. The operations, in the order of
// the twins (`AbstractSpec/Reply.swift`, `ExecutableSpec/Reply.swift`): `replyUnlink`,
// `replyPush`, `replyPop`, `replyRemove`, `replyRemoveTCB`, `doReplyTransfer`.
// (`seL4:src/object/reply.c`, `include/object/reply.h`, `src/kernel/thread.c`
// `doReplyTransfer`.)

import KernelABI

extension KernelState {
  /// `reply_unlink(reply, tcb)`: `replyTCB` cleared (when there is a reply object), the thread
  /// Inactive, as in the twins.
  mutating func replyUnlink(_ reply: ObjectRef, _ thread: ObjectRef) {
    if objects[reply] == .reply { memory.store(reply &+ ObjectLayout.replyTCB, 0) }
    guard objects[thread] == .tcb else { return }
    setThreadState(thread, .inactive)
  }

  /// `reply_push(tcb_caller, tcb_callee, reply, canDonate)`: `replyTCB` is the caller, whose
  /// state is BlockedOnReply with the reply object (as in the twins, even when no reply object is
  /// there: no caller passes none). When the caller may donate, has a scheduling context and the
  /// callee has none, the reply goes on top of the scheduling context's call stack (the old
  /// head's `replyNext` names it, its `replyPrev` the old head, its `replyNext` the scheduling
  /// context with `isHead`) and the callee gets the scheduling context.
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ reply: ObjectRef, _ canDonate: Bool) {
    let scDonated = schedContextWord(of: caller) ?? 0
    let calleeSC = schedContextWord(of: callee) ?? 0
    if objects[reply] == .reply { memory.store(reply &+ ObjectLayout.replyTCB, caller) }
    guard objects[caller] == .tcb else { return }
    memory.store(caller &+ ObjectLayout.tcbBlockingReplyObject, reply)
    setThreadState(caller, .blockedOnReply)
    guard scDonated != 0, calleeSC == 0, canDonate, objects[reply] == .reply, objects[callee] == .tcb,
      let oldCaller = scReply(of: scDonated)
    else { return }
    if oldCaller != 0, objects[oldCaller] == .reply {
      memory.store(oldCaller &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: reply, isHead: 0))
    }
    memory.store(reply &+ ObjectLayout.replyPrev, ObjectLayout.packCallStack(ptr: oldCaller, isHead: 0))
    memory.store(scDonated &+ ObjectLayout.scReply, reply)
    memory.store(reply &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: scDonated, isHead: 1))
    schedContextDonate(scDonated, callee)
  }

  /// `reply_pop(reply, tcb)`: the head reply leaves the call stack (the scheduling context's
  /// `scReply` is its predecessor, whose `replyNext` takes over the head link), the scheduling
  /// context goes back to the thread if it has none (`schedContext_donate`; seams:
  /// `popReturnsSchedContext`), and `reply_unlink`.
  mutating func replyPop(_ reply: ObjectRef, _ thread: ObjectRef) {
    guard let stack = replyCallStack(of: reply), stack.next.isHead, objects[thread] == .tcb else { return }
    let sc = stack.next.ptr
    let prev = stack.prev.ptr
    let empty = ObjectLayout.packCallStack(ptr: UInt64(0), isHead: 0)
    if scTcb(of: sc) != nil { memory.store(sc &+ ObjectLayout.scReply, prev) }
    if prev != 0, objects[prev] == .reply {
      memory.store(prev &+ ObjectLayout.replyNext, memory.word(reply &+ ObjectLayout.replyNext))
    }
    memory.store(reply &+ ObjectLayout.replyNext, empty)
    if schedContextWord(of: thread) == 0, scTcb(of: sc) != nil, seams.popReturnsSchedContext?() ?? true {
      schedContextDonate(sc, thread)
    }
    memory.store(reply &+ ObjectLayout.replyPrev, empty)
    replyUnlink(reply, thread)
  }

  /// `reply_remove(reply, tcb)`: the head of a call stack is popped (`reply_pop`); a reply
  /// further down breaks the chain on both sides (its successor's `replyPrev` and its
  /// predecessor's `replyNext` emptied); then its own words are emptied and `reply_unlink`.
  mutating func replyRemove(_ reply: ObjectRef, _ thread: ObjectRef) {
    guard let stack = replyCallStack(of: reply) else { return }
    if stack.next.ptr != 0 && stack.next.isHead {
      replyPop(reply, thread)
      return
    }
    let empty = ObjectLayout.packCallStack(ptr: UInt64(0), isHead: 0)
    if stack.next.ptr != 0, objects[stack.next.ptr] == .reply {
      memory.store(stack.next.ptr &+ ObjectLayout.replyPrev, empty)
    }
    if stack.prev.ptr != 0, objects[stack.prev.ptr] == .reply {
      memory.store(stack.prev.ptr &+ ObjectLayout.replyNext, empty)
    }
    memory.store(reply &+ ObjectLayout.replyPrev, empty)
    memory.store(reply &+ ObjectLayout.replyNext, empty)
    replyUnlink(reply, thread)
  }

  /// `reply_remove_tcb(tcb)`: the reply object the BlockedOnReply thread's state names leaves its
  /// call stack, cut there (a head's scheduling context gets `scReply` 0, nothing given back),
  /// and lets go of the thread.
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard threadState(of: thread) == .blockedOnReply, let reply = blockingReplyObject(of: thread),
      let stack = replyCallStack(of: reply)
    else { return }
    let empty = ObjectLayout.packCallStack(ptr: UInt64(0), isHead: 0)
    if stack.next.ptr != 0 {
      if stack.next.isHead {
        if scTcb(of: stack.next.ptr) != nil { memory.store(stack.next.ptr &+ ObjectLayout.scReply, 0) }
      } else if objects[stack.next.ptr] == .reply {
        memory.store(stack.next.ptr &+ ObjectLayout.replyPrev, empty)
      }
    }
    if stack.prev.ptr != 0, objects[stack.prev.ptr] == .reply {
      memory.store(stack.prev.ptr &+ ObjectLayout.replyNext, empty)
    }
    memory.store(reply &+ ObjectLayout.replyPrev, empty)
    memory.store(reply &+ ObjectLayout.replyNext, empty)
    replyUnlink(reply, thread)
  }

  /// `doReplyTransfer(sender, reply, grant)` (MCS): a caller BlockedOnReply on the reply object
  /// is cut off from it (`reply_remove`, which returns a donated scheduling context), takes the
  /// sender's message and runs, or, with a fault, restarts or stops by `handleFaultReply`
  /// (`Fault.swift`) with `tcbFault` cleared; otherwise nothing happens. Before that a sporadic
  /// scheduling context of the caller other than `ksCurSC` gets `refill_unblock_check`; after it
  /// (MCS) a runnable caller with a scheduling context is offered to the scheduler
  /// (`possibleSwitchTo`) if its head refill is ready and sufficient, else sends a Timeout fault
  /// (`validTimeoutHandler`, and the fault answered was no Timeout) or is postponed.
  mutating func doReplyTransfer(_ sender: ObjectRef, _ reply: ObjectRef, _ grant: Bool) {
    // The caller's `tcbBlockingReplyObject` must name this object (`reply_remove`'s assertion,
    // `seL4:src/object/reply.c`).
    guard let receiver = replyTCB(of: reply), receiver != 0, threadState(of: receiver) == .blockedOnReply,
      blockingReplyObject(of: receiver) == reply
    else {
      return
    }
    guard seams.replyWakesCaller?() ?? true else {
      memory.store(reply &+ ObjectLayout.replyTCB, 0)
      return
    }
    replyRemove(reply, receiver)
    ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: receiver) ?? 0)
    let fault = tcbFault(of: receiver)
    if let fault {
      let restart = seams.faultReplyRestarts?() ?? handleFaultReply(receiver, sender, fault)
      setTCBFault(receiver, nil)
      setThreadState(receiver, restart ? .restart : .inactive)
    } else {
      doIPCTransfer(sender, 0, 0, grant, receiver)
      setThreadState(receiver, .running)
    }
    // `if (receiver->tcbSchedContext && isRunnable(receiver))`.
    guard let sc = schedContextWord(of: receiver), sc != 0, isRunnable(receiver) else { return }
    // A context with no refills (inactive: seL4 would read a refill that is not there, l4v `hd []`)
    // is offered to the scheduler as before time, which passes over it if it cannot run.
    // `refillMax == 0 || (refill_ready && refill_sufficient)`: no active buffer is the first case.
    let buffer = activeRefillBuffer(sc)
    if buffer.map({ $0.refillReady(now: ksCurTime) && $0.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget) })
      ?? true
    {
      possibleSwitchTo(receiver)
    } else if validTimeoutHandler(receiver), !isTimeout(fault) {
      let badge = scBadge(of: sc) ?? 0
      handleTimeout(receiver, .timeout(badge: seams.timeoutFaultBadge?(badge) ?? badge))
    } else {
      postpone(sc)
    }
  }

  /// `fault_type == seL4_Fault_Timeout`.
  private func isTimeout(_ fault: ThreadFault?) -> Bool {
    if case .timeout? = fault { return true }
    return false
  }
}

// MCS reply objects in memory: a reply object's `replyTCB` word ties it to a receiver queued with
// it or a caller BlockedOnReply on it; the thread's `tcbBlockingReplyObject` word names the
// object back (`ObjectLayout.replyTCB`, `ObjectLayout.tcbBlockingReplyObject`). What the
// operations do is said in `AbstractSpec/Reply.swift`. Scheduling-context donation is not
// modelled, so the call-stack words (`replyPrev`, `replyNext`) stay empty: `replyRemove` and
// `replyRemoveTCB` still clear a neighbour's link as seL4 does, and write both words empty with
// `packCallStack`. The operations, in the order of the twins (`AbstractSpec/Reply.swift`,
// `ExecutableSpec/Reply.swift`): `replyUnlink`, `replyPush`, `replyRemove`, `replyRemoveTCB`,
// `doReplyTransfer`; `clearCallStack`, which `replyRemove` uses, is the kernel's own, the spec
// layers keeping no call stack. (`seL4:src/object/reply.c`, `include/object/reply.h`,
// `src/kernel/thread.c` `doReplyTransfer`.)

import KernelABI

extension KernelState {
  /// `reply_unlink(reply, tcb)`: `replyTCB` cleared (when there is a reply object), the thread
  /// Inactive, as in the twins.
  mutating func replyUnlink(_ reply: ObjectRef, _ thread: ObjectRef) {
    if objects[reply] == .reply { memory.store(reply &+ ObjectLayout.replyTCB, 0) }
    guard objects[thread] == .tcb else { return }
    setThreadState(thread, .inactive)
  }

  /// `reply_push(tcb_caller, tcb_callee, reply, canDonate)` (no donation): `replyTCB` is the
  /// caller, whose state is BlockedOnReply with the reply object.
  /// As in the twins, the caller blocks even when no reply object is there (no caller passes one).
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ reply: ObjectRef) {
    _ = callee
    if objects[reply] == .reply { memory.store(reply &+ ObjectLayout.replyTCB, caller) }
    guard objects[caller] == .tcb else { return }
    memory.store(caller &+ ObjectLayout.tcbBlockingReplyObject, reply)
    setThreadState(caller, .blockedOnReply)
  }

  /// Clear the call-stack words of the reply object at `reply`, and the link a neighbour in its
  /// call stack keeps to it (`reply_remove`'s branch for a reply that is not the head of a call
  /// stack, `reply_remove_tcb`); a head's scheduling context is not modelled.
  mutating func clearCallStack(_ reply: ObjectRef) {
    guard let stack = replyCallStack(of: reply) else { return }
    let empty = ObjectLayout.packCallStack(ptr: UInt64(0), isHead: 0)
    if stack.next.ptr != 0, !stack.next.isHead, objects[stack.next.ptr] == .reply {
      memory.store(stack.next.ptr &+ ObjectLayout.replyPrev, empty)
    }
    if stack.prev.ptr != 0, objects[stack.prev.ptr] == .reply {
      memory.store(stack.prev.ptr &+ ObjectLayout.replyNext, empty)
    }
    memory.store(reply &+ ObjectLayout.replyPrev, empty)
    memory.store(reply &+ ObjectLayout.replyNext, empty)
  }

  /// `reply_remove(reply, tcb)`: with no call stack, the call-stack words emptied and
  /// `reply_unlink`.
  mutating func replyRemove(_ reply: ObjectRef, _ thread: ObjectRef) {
    clearCallStack(reply)
    replyUnlink(reply, thread)
  }

  /// `reply_remove_tcb(tcb)`: the reply object the BlockedOnReply thread's state names lets go
  /// of it.
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard threadState(of: thread) == .blockedOnReply, let reply = blockingReplyObject(of: thread),
      objects[reply] == .reply
    else { return }
    replyRemove(reply, thread)
  }

  /// `doReplyTransfer(sender, reply, grant)` (MCS, no fault pending): a caller BlockedOnReply on
  /// the reply object takes the sender's message and runs (`possibleSwitchTo` when it has a
  /// scheduling context); otherwise nothing happens.
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
    doIPCTransfer(sender, 0, 0, grant, receiver)
    setThreadState(receiver, .running)
    possibleSwitchTo(receiver)
  }
}

// MCS reply objects, as the Haskell model has them (`SEL4.Object.Reply`): `replyTCB` ties a
// reply object to a receiver queued with it or a caller BlockedOnReply on it. What the
// operations do is said in `AbstractSpec/Reply.swift`. A call stack of scheduling-context
// donation is a doubly linked list: `scReply` names the head reply, each reply its predecessor
// (`replyPrev`) and its successor or, at the head, the scheduling context (`replyNext`). The
// operations, in the order of the twins (`AbstractSpec/Reply.swift`, `Kernel/Reply.swift`):
// `replyUnlink`, `replyPush`, `replyPop` (not in the abstract spec, whose `reply_remove` pops),
// `replyRemove`, `replyRemoveTCB`, `doReplyTransfer`. (`seL4:src/object/reply.c`,
// `include/object/reply.h`, `src/kernel/thread.c` `doReplyTransfer`;
// `l4v:spec/haskell/src/SEL4/Object/Reply.lhs`.)

import KernelABI

extension ExecState {
  /// `replyUnlink reply tcb`: the reply object lets go of the thread, which goes Inactive.
  mutating func replyUnlink(_ replyObject: ObjectRef, _ thread: ObjectRef) {
    setReplyTCB(replyObject, nil)
    setThreadState(thread, .inactive)
  }

  /// `replyPush caller callee reply canDonate`: the caller blocks on the reply object, which is
  /// tied to it; when it may donate, has a scheduling context and the callee has none, the reply
  /// goes on top of the scheduling context's call stack and the callee gets the scheduling context.
  mutating func replyPush(_ caller: ObjectRef, _ callee: ObjectRef, _ replyObject: ObjectRef, _ canDonate: Bool) {
    let scDonated = tcb(at: caller)?.schedContext
    let calleeSC = tcb(at: callee)?.schedContext
    setReplyTCB(replyObject, caller)
    setThreadState(caller, .blockedOnReply(replyObject: replyObject))
    guard let sc = scDonated, calleeSC == nil, canDonate else { return }
    let oldCaller = schedContext(at: sc)?.scReply
    if let oldCaller { updateReply(oldCaller) { $0.replyNext = .next(replyObject) } }
    updateReply(replyObject) { $0.replyPrev = oldCaller }
    updateSchedContext(sc) { $0.scReply = replyObject }
    updateReply(replyObject) { $0.replyNext = .head(sc) }
    schedContextDonate(sc, callee)
  }

  /// `replyPop reply tcb`: the head reply leaves the call stack (its predecessor becomes the
  /// head), the scheduling context goes back to the thread if it has none, and the reply lets go
  /// of the thread.
  mutating func replyPop(_ replyObject: ObjectRef, _ thread: ObjectRef) {
    guard let reply = reply(at: replyObject), case .head(let sc)? = reply.replyNext else { return }
    let prev = reply.replyPrev
    updateSchedContext(sc) { $0.scReply = prev }
    if let prev { updateReply(prev) { $0.replyNext = .head(sc) } }
    updateReply(replyObject) { $0.replyNext = nil }
    if tcb(at: thread)?.schedContext == nil { schedContextDonate(sc, thread) }
    updateReply(replyObject) { $0.replyPrev = nil }
    replyUnlink(replyObject, thread)
  }

  /// `replyRemove reply tcb`: the head of a call stack is popped; a reply further down breaks
  /// the chain on both sides; then the reply lets go of the thread.
  mutating func replyRemove(_ replyObject: ObjectRef, _ thread: ObjectRef) {
    guard let reply = reply(at: replyObject) else { return }
    if case .head? = reply.replyNext {
      replyPop(replyObject, thread)
      return
    }
    if case .next(let next)? = reply.replyNext { updateReply(next) { $0.replyPrev = nil } }
    if let prev = reply.replyPrev { updateReply(prev) { $0.replyNext = nil } }
    updateReply(replyObject) {
      $0.replyPrev = nil
      $0.replyNext = nil
    }
    replyUnlink(replyObject, thread)
  }

  /// `replyRemoveTCB tcb`: the thread's reply object, named by its BlockedOnReply state, leaves
  /// its call stack, which is cut there (a head's scheduling context keeps no stack), and lets
  /// go of the thread.
  mutating func replyRemoveTCB(_ thread: ObjectRef) {
    guard case .blockedOnReply(let replyObject)? = tcb(at: thread)?.state, let reply = reply(at: replyObject) else {
      return
    }
    switch reply.replyNext {
    case .head(let sc)?: updateSchedContext(sc) { $0.scReply = nil }
    case .next(let next)?: updateReply(next) { $0.replyPrev = nil }
    case nil: break
    }
    if let prev = reply.replyPrev { updateReply(prev) { $0.replyNext = nil } }
    updateReply(replyObject) {
      $0.replyPrev = nil
      $0.replyNext = nil
    }
    replyUnlink(replyObject, thread)
  }

  /// `doReplyTransfer sender reply grant` (MCS): a caller BlockedOnReply on the reply object is
  /// cut off from it (`replyRemove`, which returns a donated scheduling context), takes the
  /// sender's message and runs, or, waiting with a fault, restarts or stops by `handleFaultReply`
  /// (`Fault.swift`) with its fault cleared; otherwise nothing happens. Before that a sporadic
  /// scheduling context of the caller other than `ksCurSC` gets `refill_unblock_check`; after it
  /// (MCS) a runnable caller with a scheduling context is offered to the scheduler if its head
  /// refill is ready and sufficient, else sends a Timeout fault (a timeout handler, and the fault
  /// answered was no Timeout) or is postponed.
  mutating func doReplyTransfer(_ sender: ObjectRef, _ replyObject: ObjectRef, _ grant: Bool) {
    // The caller's state must name this object (`reply_remove`'s assertion, `seL4:src/object/reply.c`).
    guard let receiver = reply(at: replyObject)?.replyTCB,
      case .blockedOnReply(let waitedOn)? = tcb(at: receiver)?.state, waitedOn == replyObject
    else {
      return
    }
    replyRemove(replyObject, receiver)
    ifSporadicCurSCRefillUnblockCheck(tcb(at: receiver)?.schedContext)
    let fault = tcb(at: receiver)?.tcbFault
    if let fault {
      let restart = handleFaultReply(receiver, sender, fault)
      updateTCB(receiver) { $0.tcbFault = nil }
      setThreadState(receiver, restart ? .restart : .inactive)
    } else {
      doIPCTransfer(sender, 0, 0, grant, receiver)
      setThreadState(receiver, .running)
    }
    // MCS: `receiver->tcbSchedContext && isRunnable(receiver)`.
    guard let sc = tcb(at: receiver)?.schedContext, isRunnable(receiver), let context = schedContext(at: sc) else {
      return
    }
    let buffer = context.refillBuffer
    // A context with no refills (inactive: seL4 would read a refill that is not there, l4v `hd []`)
    // is offered to the scheduler as before time, which passes over it if it cannot run.
    if context.refillMax == 0
      || (buffer.refillReady(now: ksCurTime) && buffer.refillSufficient(usage: 0, minBudget: TimeConfig.minBudget))
    {
      possibleSwitchTo(receiver)
    } else if validTimeoutHandler(receiver), !isTimeout(fault) {
      handleTimeout(receiver, .timeout(badge: context.scBadge))
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

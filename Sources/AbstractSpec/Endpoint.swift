// Endpoints: synchronous IPC. An endpoint is Idle, or holds a queue of threads waiting to send
// or a queue of threads waiting to receive, ordered by priority, first come first served within a
// priority (MCS `tcbEPAppend`, `tcbAppend`). A send (through an endpoint cap with Write) finds
// the head receiver and hands it the message at once, or queues the sender (a blocking send) or
// drops the message (a non-blocking one); a receive (through a cap with Read) takes the head
// sender's message, or queues the receiver, or (non-blocking) reports a zero badge. A pending
// signal of the receiver's bound notification is taken instead of a message. The message: the
// sender's message-info word (length clamped to 120), its first `length` message registers, and
// the badge of the sender's cap into the receiver's badge register; the receiver's message-info
// register gets the label and the length, no extra caps. Capability transfer comes with a later
// slice: a send through a cap with Grant that names extra caps is reported as not modelled when
// it is decoded (`decodeInvocation`), since every thread has an IPC buffer here and seL4 would
// transfer them (`doNormalTransfer`, `transferCaps`); without Grant none is transferred. The
// IPC buffer holds the message registers past the fourth on seL4; here all 120 are the thread's
// (`UserContext`), so the whole message is copied, as seL4 copies it between two threads that have
// IPC buffers. The event's message-info word and message registers are the sender's registers
// when it traps: an endpoint send stores them in its context first, so that a queued sender's
// message waits there. MCS reply objects (`Reply.swift`): a receiver names one (Recv, NBRecv,
// ReplyRecv), a Call it meets blocks on it (`reply_push`), and a Call with no reply object or
// without Grant and GrantReply leaves the caller Inactive. Scheduling-context donation (a Call to
// a receiver without a scheduling context) is reported as not modelled before anything changes
// (`sendWouldDonate`, `receiveWouldDonate`).
// The operations, in the order of the twins (`ExecutableSpec/Endpoint.swift`,
// `Kernel/Endpoint.swift`): `tcbEPAppend`, `tcbEPDequeue`, `storeSentMessage`, `sendWouldDonate`,
// `sendIPC`, `receiveWouldDonate`, `receiveIPC`, `doIPCTransfer`, `blockedCancelIPC`,
// `cancelIPC`, `cancelAllIPC`, `cancelBadgedSends`, `reorderEP`. (`seL4:src/object/endpoint.c`, `src/kernel/thread.c` `doIPCTransfer`,
// `doNormalTransfer`, `copyMRs`; `l4v:spec/abstract/Ipc_A.thy`, `IpcCancel_A.thy`.)

import KernelABI

extension AbstractState {
  /// `tcbEPAppend` (MCS; l4v `tcb_ep_append`): `thread` joins the queue of the endpoint at `ep`
  /// after every thread of its priority or higher, and the endpoint's state is `kind`'s (a queue
  /// that was not empty already goes that way).
  mutating func tcbEPAppend(_ thread: ObjectRef, endpoint ep: ObjectRef, _ kind: EndpointQueueKind) {
    guard let endpoint = endpoint(at: ep) else { return }
    var queue: [ObjectRef] = []
    switch endpoint.state {
    case .idle: break
    case .send(let threads), .recv(let threads): queue = threads
    }
    let priority = tcb(at: thread)?.priority ?? 0
    let place = queue.firstIndex { (tcb(at: $0)?.priority ?? 0) < priority } ?? queue.count
    queue.insert(thread, at: place)
    kheap[ep] = .endpoint(Endpoint(state: kind == .send ? .send(queue) : .recv(queue)))
  }

  /// `tcbEPDequeue` (MCS; l4v `tcb_ep_dequeue`): `thread` leaves the queue of the endpoint at
  /// `ep`; an endpoint left with no queue is Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, endpoint ep: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let state: EndpointState
    switch endpoint.state {
    case .idle: return
    case .send(let threads):
      let rest = threads.filter { $0 != thread }
      state = rest.isEmpty ? .idle : .send(rest)
    case .recv(let threads):
      let rest = threads.filter { $0 != thread }
      state = rest.isEmpty ? .idle : .recv(rest)
    }
    kheap[ep] = .endpoint(Endpoint(state: state))
  }

  /// The message `arguments` carry, as the registers of the sending `thread` hold it when it
  /// traps: the message-info word as it is, and the first `length` message registers (the length
  /// clamped to 120), missing ones 0.
  mutating func storeSentMessage(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    let registers = arguments.messageRegisters
    updateTCB(thread) { tcb in
      tcb.context.msgInfoRegister = arguments.messageInfo
      for index in 0..<Int(arguments.info.length) {
        tcb.context.setMR(index, index < registers.count ? registers[index] : 0)
      }
    }
  }

  /// Whether `send_ipc` by `thread` through the endpoint at `ep` would donate the sender's
  /// scheduling context to the receiver it meets (MCS `sendIPC`: `reply_push` with `canDonate`
  /// for a Call, `schedContext_donate` for a non-Call send that may donate, each only to a
  /// receiver without one). Donation is not modelled, so such a send is reported as such before
  /// anything changes.
  func sendWouldDonate(
    _ thread: ObjectRef, _ ep: ObjectRef, isCall: Bool, canDonate: Bool, canGrant: Bool, canGrantReply: Bool
  ) -> Bool {
    guard case .recv(let receivers)? = endpoint(at: ep)?.state, let dest = receivers.first,
      let receiver = tcb(at: dest)
    else { return false }
    guard receiver.schedContext == nil else { return false }
    if isCall {
      guard case .blockedOnReceive(_, let reply?) = receiver.state else { return false }
      _ = reply
      return (canGrant || canGrantReply) && canDonate && tcb(at: thread)?.schedContext != nil
    }
    return canDonate
  }

  /// `send_ipc`: `thread` sends through the endpoint at `ep` with the cap's badge and rights. With
  /// a receiver waiting, the head one takes the message and runs (it may preempt the sender); a
  /// Call then blocks on the receiver's reply object (`reply_push`), or stops (Inactive) when
  /// the receiver named none or the cap has neither Grant nor GrantReply. Otherwise a blocking
  /// send queues the sender and a non-blocking one is dropped. (`sendWouldDonate` has ruled out
  /// donation.)
  mutating func sendIPC(
    _ isBlocking: Bool, _ isCall: Bool, _ badge: UInt64, _ canGrant: Bool, _ canGrantReply: Bool,
    _ thread: ObjectRef, _ ep: ObjectRef
  ) {
    guard let endpoint = endpoint(at: ep) else { return }
    switch endpoint.state {
    case .idle, .send:
      guard isBlocking else { return }
      let fields = IPCSendFields(badge: badge, canGrant: canGrant, canGrantReply: canGrantReply, isCall: isCall)
      setThreadState(thread, .blockedOnSend(ep, fields))
      tcbEPAppend(thread, endpoint: ep, .send)
    case .recv(let receivers):
      guard let dest = receivers.first else { return }
      tcbEPDequeue(dest, endpoint: ep)
      doIPCTransfer(thread, ep, badge, canGrant, dest)
      var reply: ObjectRef? = nil
      if case .blockedOnReceive(_, let r)? = tcb(at: dest)?.state { reply = r }
      if let reply { replyUnlink(reply, dest) }
      if isCall {
        if let reply, canGrant || canGrantReply {
          replyPush(thread, dest, reply)
        } else {
          setThreadState(thread, .inactive)
        }
      }
      setThreadState(dest, .running)
      possibleSwitchTo(dest)
    }
  }

  /// Whether `receive_ipc` by `thread` on the endpoint at `ep` with the reply object `reply`
  /// would donate a caller's scheduling context to it: the head sender is a Call with Grant or
  /// GrantReply and a scheduling context, and the receiver has none (`reply_push` with
  /// `canDonate`). Not modelled, so reported before anything changes.
  func receiveWouldDonate(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef?) -> Bool {
    guard reply != nil, tcb(at: thread)?.schedContext == nil else { return false }
    if let ntfn = tcb(at: thread)?.boundNotification, case .active? = notification(at: ntfn)?.state { return false }
    guard case .send(let senders)? = endpoint(at: ep)?.state, let sender = senders.first,
      let tcb = tcb(at: sender), case .blockedOnSend(_, let fields) = tcb.state
    else { return false }
    return fields.isCall && (fields.canGrant || fields.canGrantReply) && tcb.schedContext != nil
  }

  /// `receive_ipc`: `thread` receives through the endpoint at `ep` with the reply object `reply`
  /// (nil: none, as for Wait). A reply object still tied to another thread first cuts that tie
  /// (`cancel_ipc` of that thread: a caller waiting on it for a reply stops). A signal pending on
  /// its bound notification is taken instead; else the head sender's message is taken and the
  /// sender runs again (it may preempt the receiver), or, for a Call, blocks on `reply`
  /// (`reply_push`) or stops when there is none or it had neither Grant nor GrantReply; or a
  /// blocking receive queues the receiver, tied to `reply`, and a non-blocking one reports a zero
  /// badge.
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool, reply: ObjectRef? = nil) {
    guard let endpoint = endpoint(at: ep) else { return }
    if let reply, let replyTCB = self.reply(at: reply)?.tcb, replyTCB != thread { cancelIPC(replyTCB) }
    if let ntfn = tcb(at: thread)?.boundNotification, case .active? = notification(at: ntfn)?.state {
      completeSignal(ntfn, thread)
      return
    }
    switch endpoint.state {
    case .idle, .recv:
      if isBlocking {
        setThreadState(thread, .blockedOnReceive(ep, reply: reply))
        if let reply { setReplyTCB(reply, thread) }
        tcbEPAppend(thread, endpoint: ep, .recv)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    case .send(let senders):
      guard let sender = senders.first, case .blockedOnSend(_, let fields)? = tcb(at: sender)?.state else { return }
      tcbEPDequeue(sender, endpoint: ep)
      doIPCTransfer(sender, ep, fields.badge, fields.canGrant, thread)
      if fields.isCall {
        if let reply, fields.canGrant || fields.canGrantReply {
          replyPush(sender, thread, reply)
        } else {
          setThreadState(sender, .inactive)
        }
      } else {
        setThreadState(sender, .running)
        possibleSwitchTo(sender)
      }
    }
  }

  /// `do_ipc_transfer` (`do_normal_transfer`, no fault, no caps): the sender's first `length`
  /// message registers to the receiver's, the receiver's message-info register the sender's
  /// label and that length, its badge register `badge`.
  mutating func doIPCTransfer(
    _ sender: ObjectRef, _ ep: ObjectRef, _ badge: UInt64, _ canGrant: Bool, _ receiver: ObjectRef
  ) {
    guard let from = tcb(at: sender)?.context else { return }
    let info = MessageInfo(word: from.msgInfoRegister)
    updateTCB(receiver) { tcb in
      for index in 0..<Int(info.length) { tcb.context.setMR(index, from.msgRegister(index)) }
      tcb.context.msgInfoRegister = MessageInfo(label: info.label, length: info.length).word
      tcb.context.badgeRegister = badge
    }
  }

  /// `blocked_cancel_ipc`: the thread queued on the endpoint at `ep` leaves the queue, a receiver
  /// lets go of its reply object (`reply_unlink`), and it stops.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef? = nil) {
    tcbEPDequeue(thread, endpoint: ep)
    if let reply { replyUnlink(reply, thread) }
    setThreadState(thread, .inactive)
  }

  /// `cancel_ipc`: a blocked `thread` stops waiting: on a notification (`cancelSignal`), an
  /// endpoint (`blockedCancelIPC`), or a reply (`reply_remove_tcb`); any other thread is left as
  /// it is.
  mutating func cancelIPC(_ thread: ObjectRef) {
    switch tcb(at: thread)?.state {
    case .blockedOnNotification(let ntfn)?: cancelSignal(thread, ntfn)
    case .blockedOnSend(let ep, _)?: blockedCancelIPC(thread, ep)
    case .blockedOnReceive(let ep, let reply)?: blockedCancelIPC(thread, ep, reply: reply)
    case .blockedOnReply?: replyRemoveTCB(thread)
    default: return
    }
  }

  /// `cancel_all_ipc` (MCS): every thread queued on the endpoint at `ep`, head first, leaves the
  /// queue to re-run its system call and may run at once; then the scheduler chooses afresh
  /// (`removeAndRestartEPQueuedThread`, `restart_thread_if_no_fault`).
  mutating func cancelAllIPC(_ ep: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let queue: [ObjectRef]
    switch endpoint.state {
    case .idle: return
    case .send(let threads), .recv(let threads): queue = threads
    }
    for thread in queue {
      tcbEPDequeue(thread, endpoint: ep)
      setThreadState(thread, .restart)
      possibleSwitchTo(thread)
    }
    rescheduleRequired()
  }

  /// `cancel_badged_sends` (MCS): every sender queued on the endpoint at `ep` with `badge`, head
  /// first, leaves the queue to re-run its system call and may run at once; the others keep
  /// their places. Then the scheduler chooses afresh.
  mutating func cancelBadgedSends(_ ep: ObjectRef, _ badge: UInt64) {
    guard case .send(let queue)? = endpoint(at: ep)?.state else { return }
    for thread in queue {
      guard case .blockedOnSend(_, let fields)? = tcb(at: thread)?.state, fields.badge == badge else { continue }
      tcbEPDequeue(thread, endpoint: ep)
      setThreadState(thread, .restart)
      possibleSwitchTo(thread)
    }
    rescheduleRequired()
  }

  /// `reorderEP` (MCS): a queued thread whose priority changed takes its place again in the
  /// endpoint's queue.
  mutating func reorderEP(_ ep: ObjectRef, _ thread: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let kind: EndpointQueueKind
    switch endpoint.state {
    case .idle: return
    case .send: kind = .send
    case .recv: kind = .recv
    }
    tcbEPDequeue(thread, endpoint: ep)
    tcbEPAppend(thread, endpoint: ep, kind)
  }
}

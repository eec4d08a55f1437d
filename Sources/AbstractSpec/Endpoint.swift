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
// message waits there. Calls, replies and reply objects are not modelled yet: a Call stays
// unmodelled, and the reply object MCS Recv names is not recorded (`handleRecv`).
// The operations, in the order of the twins (`ExecutableSpec/Endpoint.swift`,
// `Kernel/Endpoint.swift`): `tcbAppend` (the priority-ordered insert a notification's queue uses too),
// `tcbEPAppend`, `tcbEPDequeue`, `storeSentMessage`, `sendIPC`,
// `receiveIPC`, `doIPCTransfer`, `blockedCancelIPC`, `cancelAllIPC`, `cancelBadgedSends`,
// `reorderEP`. (`seL4:src/object/endpoint.c`, `src/kernel/thread.c` `doIPCTransfer`,
// `doNormalTransfer`, `copyMRs`; `l4v:spec/abstract/Ipc_A.thy`, `IpcCancel_A.thy`.)

import KernelABI

extension AbstractState {
  /// `tcbAppend` (MCS, `include/object/tcb.h`; l4v-rt `tcb_ep_append`'s insert): `queue` with
  /// `thread` after every thread of its priority or higher. An endpoint's queue and a
  /// notification's are ordered by it alike.
  func tcbAppend(_ thread: ObjectRef, _ queue: [ObjectRef]) -> [ObjectRef] {
    let priority = tcb(at: thread)?.priority ?? 0
    var queue = queue
    queue.insert(thread, at: queue.firstIndex { (tcb(at: $0)?.priority ?? 0) < priority } ?? queue.count)
    return queue
  }

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
    queue = tcbAppend(thread, queue)
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

  /// `send_ipc`: `thread` sends through the endpoint at `ep` with the cap's badge and rights. With
  /// a receiver waiting, the head one takes the message and runs (it may preempt the sender);
  /// otherwise a blocking send queues the sender and a non-blocking one is dropped. (A Call never
  /// gets here: Calls are not modelled yet. MCS would let a Call's receiver without reply object
  /// leave the caller Inactive.)
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
      if isCall { setThreadState(thread, .inactive) }
      setThreadState(dest, .running)
      possibleSwitchTo(dest)
    }
  }

  /// `receive_ipc` (with no reply object): `thread` receives through the endpoint at `ep`. A
  /// signal pending on its bound notification is taken instead; else the head sender's message is
  /// taken and the sender runs again (it may preempt the receiver), or a blocking receive queues
  /// the receiver and a non-blocking one reports a zero badge. (A Call's sender, which never gets
  /// queued yet, would be left Inactive, the receiver having no reply object.)
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool) {
    guard let endpoint = endpoint(at: ep) else { return }
    if let ntfn = tcb(at: thread)?.boundNotification, case .active? = notification(at: ntfn)?.state {
      completeSignal(ntfn, thread)
      return
    }
    switch endpoint.state {
    case .idle, .recv:
      if isBlocking {
        setThreadState(thread, .blockedOnReceive(ep))
        tcbEPAppend(thread, endpoint: ep, .recv)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    case .send(let senders):
      guard let sender = senders.first, case .blockedOnSend(_, let fields)? = tcb(at: sender)?.state else { return }
      tcbEPDequeue(sender, endpoint: ep)
      doIPCTransfer(sender, ep, fields.badge, fields.canGrant, thread)
      if fields.isCall {
        setThreadState(sender, .inactive)
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

  /// `blocked_cancel_ipc`: the thread queued on the endpoint at `ep` leaves the queue and stops.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef) {
    tcbEPDequeue(thread, endpoint: ep)
    setThreadState(thread, .inactive)
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

// Endpoints: synchronous IPC. An endpoint is Idle, or holds a queue of threads waiting to send
// or a queue of threads waiting to receive, ordered by priority, first come first served within a
// priority (MCS `tcbEPAppend`, `tcbAppend`). A send (through an endpoint cap with Write) finds
// the head receiver and hands it the message at once, or queues the sender (a blocking send) or
// drops the message (a non-blocking one); a receive (through a cap with Read) takes the head
// sender's message, or queues the receiver, or (non-blocking) reports a zero badge. A pending
// signal of the receiver's bound notification is taken instead of a message. The message: the
// sender's message-info word (length clamped to 120), its first `length` message registers, and
// the badge of the sender's cap into the receiver's badge register. With Grant, the extra caps
// the sender's IPC buffer names are looked up in its CSpace when the message is taken and
// transferred (`transfer_caps`): an endpoint cap to the endpoint the message arrives on is
// unwrapped into its badge, another cap is derived and inserted into the receive slot the
// receiver's IPC buffer names (one at most), the loop stopping at the first that cannot go; the
// receiver's message-info register says how many went and which were unwrapped. Without Grant
// none goes. Every thread has an IPC buffer here: its message registers are the thread's
// (`UserContext`), as are its `caps_or_badges` and receive-slot words, so the whole message is
// copied, as seL4 copies it between two threads that have IPC buffers. The event's message-info
// word, message registers and extra-cap cptrs are the sender's registers and buffer when it
// traps: an endpoint send stores them in its context first, so that a queued sender's message
// waits there; a receive stores the receive slot. MCS reply objects (`Reply.swift`): a receiver
// names one (Recv, NBRecv, ReplyRecv), a Call it meets blocks on it (`reply_push`), and a Call
// with no reply object or without Grant and GrantReply leaves the caller Inactive. A Call to a
// receiver without a scheduling context (a passive server) donates the caller's to it
// (`reply_push` with `canDonate`), on either side of the rendezvous; a non-Call send that may
// donate (ReplyRecv's first phase through an endpoint cap) gives it away too
// (`sched_context_donate`).
// The operations, in the order of the twins (`ExecutableSpec/Endpoint.swift`,
// `Kernel/Endpoint.swift`): `tcbAppend` (the priority-ordered insert a notification's queue uses
// too), `tcbEPAppend`, `tcbEPDequeue`, `storeSentMessage`, `storeReceiveSlot`,
// `sendIPC`, `receiveIPC`, `doIPCTransfer`, `lookupExtraCaps`,
// `getReceiveSlots`, `transferCaps`, `blockedCancelIPC`, `cancelIPC`, `cancelAllIPC`,
// `cancelBadgedSends`, `reorderEP`.
// (`seL4:src/object/endpoint.c`, `src/kernel/thread.c` `doIPCTransfer`, `doNormalTransfer`,
// `copyMRs`, `transferCaps`; `src/object/tcb.c` `lookupExtraCaps`, `setExtraBadge`;
// `src/object/cnode.c` `getReceiveSlots`; `l4v:spec/abstract/Ipc_A.thy` `transfer_caps`,
// `transfer_caps_loop`, `IpcCancel_A.thy`.)

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

  /// The message `arguments` carry, as the registers and IPC buffer of the sending `thread` hold
  /// it when it traps: the message-info word as it is, the first `length` message registers (the
  /// length clamped to 120), missing ones 0, and the three `caps_or_badges` words (the extra caps'
  /// cptrs, missing ones 0), which a transfer looks up when the message is taken.
  mutating func storeSentMessage(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    let registers = arguments.messageRegisters
    updateTCB(thread) { tcb in
      tcb.context.msgInfoRegister = arguments.messageInfo
      for index in 0..<Int(arguments.info.length) {
        tcb.context.setMR(index, index < registers.count ? registers[index] : 0)
      }
      for index in 0..<KernelConstants.msgMaxExtraCaps {
        tcb.context.capsOrBadges[index] = index < arguments.extraCaps.count ? arguments.extraCaps[index] : 0
      }
    }
  }

  /// The receive slot `arguments` carry, as the IPC buffer of the receiving `thread` holds it
  /// when it traps (all zero, naming none, when the event gives none).
  mutating func storeReceiveSlot(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    updateTCB(thread) { $0.context.receiveSlot = arguments.receiveSlot ?? ReceiveSlot(cnode: 0, index: 0, depth: 0) }
  }

  /// `send_ipc`: `thread` sends through the endpoint at `ep` with the cap's badge and rights. With
  /// a receiver waiting, the head one takes the message and runs (it may preempt the sender); a
  /// Call then blocks on the receiver's reply object (`reply_push`), or stops (Inactive) when
  /// the receiver named none or the cap has neither Grant nor GrantReply; with `canDonate`, a
  /// receiver without a scheduling context gets the sender's (a Call's through `reply_push`).
  /// Otherwise a blocking send queues the sender and a non-blocking one is dropped.
  mutating func sendIPC(
    _ isBlocking: Bool, _ isCall: Bool, _ badge: UInt64, _ canGrant: Bool, _ canGrantReply: Bool,
    _ canDonate: Bool, _ thread: ObjectRef, _ ep: ObjectRef
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
      // A fault is sent as a Call is (`seL4:src/object/endpoint.c` sendIPC).
      if isCall || tcb(at: thread)?.fault != nil {
        if let reply, canGrant || canGrantReply {
          replyPush(thread, dest, reply, canDonate)
        } else {
          setThreadState(thread, .inactive)
        }
      } else if canDonate, tcb(at: dest)?.schedContext == nil, let sc = tcb(at: thread)?.schedContext {
        schedContextDonate(sc, dest)
      }
      setThreadState(dest, .running)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: dest)?.schedContext)
      possibleSwitchTo(dest)
    }
  }

  /// `receive_ipc`: `thread` receives through the endpoint at `ep` with the reply object `reply`
  /// (nil: none, as for Wait). A reply object still tied to another thread first cuts that tie
  /// (`cancel_ipc` of that thread: a caller waiting on it for a reply stops). A signal pending on
  /// its bound notification is taken instead; else the head sender's message is taken and the
  /// sender runs again (it may preempt the receiver), or, for a Call, blocks on `reply`
  /// (`reply_push`, donating its scheduling context if it has one and the receiver has none) or
  /// stops when there is none or it had neither Grant nor GrantReply; or a
  /// blocking receive queues the receiver, tied to `reply`, and a non-blocking one reports a zero
  /// badge.
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool, reply: ObjectRef? = nil) {
    guard endpoint(at: ep) != nil else { return }
    if let reply, let replyTCB = self.reply(at: reply)?.tcb, replyTCB != thread { cancelIPC(replyTCB) }
    if let ntfn = tcb(at: thread)?.boundNotification, case .active? = notification(at: ntfn)?.state {
      completeSignal(ntfn, thread)
      return
    }
    // A blocking receive on the bound notification's scheduling context gives it back, so the
    // thread waits passively (`maybe_return_sc`).
    if let ntfn = tcb(at: thread)?.boundNotification, isBlocking { maybeReturnSchedContext(ntfn, thread) }
    // The endpoint's state as the cancel left it (seL4 reads it after `cancelIPC(reply_tcb)`).
    guard let endpoint = endpoint(at: ep) else { return }
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
      ifSporadicCurSCRefillUnblockCheck(tcb(at: sender)?.schedContext)
      // A sender with a fault waits for the reply as a caller does.
      if fields.isCall || tcb(at: sender)?.fault != nil {
        if let reply, fields.canGrant || fields.canGrantReply {
          // A sender with a scheduling context may donate it, unless it sends a Timeout fault.
          var canDonate = tcb(at: sender)?.schedContext != nil
          if case .timeout? = tcb(at: sender)?.fault { canDonate = false }
          replyPush(sender, thread, reply, canDonate)
        } else {
          setThreadState(sender, .inactive)
        }
      } else {
        setThreadState(sender, .running)
        possibleSwitchTo(sender)
      }
    }
  }

  /// `do_ipc_transfer`: a sender with a fault sends its fault message (`do_fault_transfer`,
  /// `Fault.swift`); otherwise (`do_normal_transfer`) the sender's first `length` message
  /// registers to the receiver's; with Grant, the extra caps the sender names, looked up in its
  /// CSpace again now (a failed lookup transfers none), transferred (`transfer_caps`); the
  /// receiver's message-info register the sender's label, the caps transferred and unwrapped, and
  /// that length; its badge register `badge`.
  mutating func doIPCTransfer(
    _ sender: ObjectRef, _ ep: ObjectRef, _ badge: UInt64, _ canGrant: Bool, _ receiver: ObjectRef
  ) {
    if tcb(at: sender)?.fault != nil { return doFaultTransfer(badge, sender, receiver) }
    guard let from = tcb(at: sender)?.context else { return }
    let info = MessageInfo(word: from.msgInfoRegister)
    let caps = canGrant ? lookupExtraCaps(sender, from, info) : []
    updateTCB(receiver) { tcb in
      for index in 0..<Int(info.length) { tcb.context.setMR(index, from.msgRegister(index)) }
    }
    let transferred = transferCaps(ep, caps, receiver)
    updateTCB(receiver) { tcb in
      tcb.context.msgInfoRegister =
        MessageInfo(
          label: info.label, capsUnwrapped: transferred.capsUnwrapped, extraCaps: transferred.extraCaps,
          length: info.length
        ).word
      tcb.context.badgeRegister = badge
    }
  }

  /// `lookup_extra_caps`: the caps, with their slots, of the first `extraCaps` cptrs of the
  /// `caps_or_badges` words in `context`, looked up in the CSpace of `thread`; none when a
  /// lookup fails (a transfer raises no fault: `doNormalTransfer`, `seL4:src/kernel/thread.c`).
  func lookupExtraCaps(_ thread: ObjectRef, _ context: UserContext, _ info: MessageInfo) -> [(
    cap: Capability, slot: SlotRef
  )] {
    var caps: [(cap: Capability, slot: SlotRef)] = []
    for index in 0..<min(Int(info.extraCaps), KernelConstants.msgMaxExtraCaps) {
      guard let slot = try? lookupSlot(thread, context.capsOrBadges[index]) else { return [] }
      caps.append((getCap(slot), slot))
    }
    return caps
  }

  /// `get_receive_slots`: the slot the receive slot of the IPC buffer of `thread` names, its
  /// CNode looked up in the thread's CSpace and the slot resolved with exactly its depth
  /// (`lookupTargetSlot`); none when a lookup fails or the slot is not empty.
  func getReceiveSlots(_ thread: ObjectRef) -> SlotRef? {
    guard let receiveSlot = tcb(at: thread)?.context.receiveSlot,
      let cnode = try? lookupCap(thread, receiveSlot.cnode).cap,
      let slot = try? lookupSlotForCNodeOp(
        isSource: false, cnode, receiveSlot.index, depth: receiveSlot.depth),
      getCap(slot) == .null
    else { return nil }
    return slot
  }

  /// `transfer_caps` (`transfer_caps_loop`): each of `caps` in turn, an endpoint cap to `ep`
  /// unwrapped (its badge into the receiver's `caps_or_badges` word of its index, its bit in
  /// `capsUnwrapped`), any other derived (`derive_cap`) and inserted into the receive slot as
  /// the child of its slot (`cap_insert`); that slot takes one cap. The loop stops at the first
  /// cap that cannot go: no slot (left), a derivation that fails or gives a Null cap. The sender
  /// keeps its caps. `extraCaps` counts the caps before the stop.
  mutating func transferCaps(_ ep: ObjectRef, _ caps: [(cap: Capability, slot: SlotRef)], _ receiver: ObjectRef)
    -> (extraCaps: UInt64, capsUnwrapped: UInt64)
  {
    guard !caps.isEmpty else { return (0, 0) }
    var destSlot = getReceiveSlots(receiver)
    var (count, unwrapped): (UInt64, UInt64) = (0, 0)
    for (index, extra) in caps.enumerated() {
      if case .endpoint(ep, let capBadge, _) = extra.cap {
        updateTCB(receiver) { $0.context.capsOrBadges[index] = capBadge }
        unwrapped |= 1 << UInt64(index)
      } else {
        guard let dest = destSlot, let derived = try? deriveCap(extra.slot, extra.cap), derived != .null else {
          break
        }
        cteInsert(derived, from: extra.slot, to: dest)
        destSlot = nil
      }
      count += 1
    }
    return (count, unwrapped)
  }

  /// `blocked_cancel_ipc`: the thread queued on the endpoint at `ep` leaves the queue, a receiver
  /// lets go of its reply object (`reply_unlink`), and it stops.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef? = nil) {
    tcbEPDequeue(thread, endpoint: ep)
    if let reply { replyUnlink(reply, thread) }
    setThreadState(thread, .inactive)
  }

  /// `cancel_ipc`: the thread's fault is dropped (MCS: "cancel ipc cancels all faults"), and a
  /// blocked `thread` stops waiting: on a notification (`cancelSignal`), an endpoint
  /// (`blockedCancelIPC`), or a reply (`reply_remove_tcb`); any other thread is left as it is.
  mutating func cancelIPC(_ thread: ObjectRef) {
    if tcb(at: thread)?.fault != nil { updateTCB(thread) { $0.fault = nil } }
    switch tcb(at: thread)?.state {
    case .blockedOnNotification(let ntfn)?: cancelSignal(thread, ntfn)
    case .blockedOnSend(let ep, _)?: blockedCancelIPC(thread, ep)
    case .blockedOnReceive(let ep, let reply)?: blockedCancelIPC(thread, ep, reply: reply)
    case .blockedOnReply?: replyRemoveTCB(thread)
    default: return
    }
  }

  /// `cancel_all_ipc` (MCS): every thread queued on the endpoint at `ep`, head first, leaves the
  /// queue (a receiver letting go of its reply object) to re-run its system call and may run at
  /// once, or stops if it was sending a fault; then the scheduler chooses afresh
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
      // A receiver queued with a reply object lets go of it first (`reply_unlink` in
      // `seL4:src/object/endpoint.c` `removeAndRestartEPQueuedThread`), so the object is free.
      if case .blockedOnReceive(_, let reply?)? = tcb(at: thread)?.state { replyUnlink(reply, thread) }
      restartThreadIfNoFault(thread)
    }
    rescheduleRequired()
  }

  /// `cancel_badged_sends` (MCS): every sender queued on the endpoint at `ep` with `badge`, head
  /// first, leaves the queue to re-run its system call and may run at once (or stops if it was
  /// sending a fault: `restart_thread_if_no_fault`); the others keep their places. Then the
  /// scheduler chooses afresh.
  mutating func cancelBadgedSends(_ ep: ObjectRef, _ badge: UInt64) {
    guard case .send(let queue)? = endpoint(at: ep)?.state else { return }
    for thread in queue {
      guard case .blockedOnSend(_, let fields)? = tcb(at: thread)?.state, fields.badge == badge else { continue }
      tcbEPDequeue(thread, endpoint: ep)
      restartThreadIfNoFault(thread)
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

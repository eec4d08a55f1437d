// Endpoints, as the Haskell model has them (`SEL4.Object.Endpoint`): the object's state
// (`IdleEP`, `SendEP` and `RecvEP` with their queues as lists), and the thread's `BlockedOnSend`
// (with the sender's badge, Grant, GrantReply and Call flags) and `BlockedOnReceive` states.
// What the operations do is said in `AbstractSpec/Endpoint.swift`; the queues are
// priority-ordered as MCS orders them (`tcbEPAppend`). The operations, in the order of the twins
// (`AbstractSpec/Endpoint.swift`, `Kernel/Endpoint.swift`): `tcbAppend` (the priority-ordered
// insert a notification's queue uses too), `tcbEPAppend`, `tcbEPDequeue`, `storeSentMessage`,
// `storeReceiveSlot`, `sendIPC`, `receiveIPC`, `doIPCTransfer`, `lookupExtraCaps`, `getReceiveSlots`, `transferCaps`, `blockedCancelIPC`,
// `cancelIPC`, `cancelAllIPC`, `cancelBadgedSends`, `reorderEP`. Reply objects: `Reply.swift`.
// (`seL4:src/object/endpoint.c`, `src/kernel/thread.c`; `src/object/tcb.c` `lookupExtraCaps`;
// `src/object/cnode.c` `getReceiveSlots`; `l4v:spec/haskell/src/SEL4/Object/Endpoint.lhs`,
// `SEL4/Kernel/Thread.lhs` `transferCaps`.)

import KernelABI

extension ExecState {
  /// `tcbAppend` (MCS, `include/object/tcb.h`; l4v-rt `tcb_ep_append`'s insert): `queue` with
  /// `thread` after every thread of its priority or higher. An endpoint's queue and a
  /// notification's are ordered by it alike.
  func tcbAppend(_ thread: ObjectRef, _ queue: [ObjectRef]) -> [ObjectRef] {
    let priority = tcb(at: thread)?.priority ?? 0
    var queue = queue
    queue.insert(thread, at: queue.firstIndex { (tcb(at: $0)?.priority ?? 0) < priority } ?? queue.count)
    return queue
  }

  /// `tcbEPAppend` (MCS): `thread` joins the queue of the endpoint at `ep` after every thread of
  /// its priority or higher; the endpoint goes `kind`'s way.
  mutating func tcbEPAppend(_ thread: ObjectRef, endpoint ep: ObjectRef, _ kind: EndpointQueueKind) {
    guard let endpoint = endpoint(at: ep) else { return }
    var queue: [ObjectRef] = []
    switch endpoint {
    case .idleEP: break
    case .sendEP(let threads), .recvEP(let threads): queue = threads
    }
    queue = tcbAppend(thread, queue)
    ksPSpace[ep] = .endpoint(kind == .send ? .sendEP(queue) : .recvEP(queue))
  }

  /// `tcbEPDequeue` (MCS): `thread` leaves the queue of the endpoint at `ep`; an empty queue
  /// leaves the endpoint Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, endpoint ep: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let state: Endpoint
    switch endpoint {
    case .idleEP: return
    case .sendEP(let threads):
      let rest = threads.filter { $0 != thread }
      state = rest.isEmpty ? .idleEP : .sendEP(rest)
    case .recvEP(let threads):
      let rest = threads.filter { $0 != thread }
      state = rest.isEmpty ? .idleEP : .recvEP(rest)
    }
    ksPSpace[ep] = .endpoint(state)
  }

  /// The sender's registers and IPC buffer as it traps: the event's message-info word, its first
  /// `length` message registers and the three `caps_or_badges` words.
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

  /// The receiver's IPC buffer as it traps: the event's receive slot (all zero when none).
  mutating func storeReceiveSlot(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    updateTCB(thread) { $0.context.receiveSlot = arguments.receiveSlot ?? ReceiveSlot(cnode: 0, index: 0, depth: 0) }
  }

  /// `sendIPC blocking call badge canGrant canGrantReply canDonate thread epptr` (MCS).
  mutating func sendIPC(
    _ isBlocking: Bool, _ isCall: Bool, _ badge: UInt64, _ canGrant: Bool, _ canGrantReply: Bool,
    _ canDonate: Bool, _ thread: ObjectRef, _ ep: ObjectRef
  ) {
    guard let endpoint = endpoint(at: ep) else { return }
    switch endpoint {
    case .idleEP, .sendEP:
      guard isBlocking else { return }
      let fields = IPCSendFields(badge: badge, canGrant: canGrant, canGrantReply: canGrantReply, isCall: isCall)
      setThreadState(thread, .blockedOnSend(blockingObject: ep, fields))
      tcbEPAppend(thread, endpoint: ep, .send)
    case .recvEP(let receivers):
      guard let dest = receivers.first else { return }
      tcbEPDequeue(dest, endpoint: ep)
      doIPCTransfer(thread, ep, badge, canGrant, dest)
      var replyObject: ObjectRef? = nil
      if case .blockedOnReceive(_, let r)? = tcb(at: dest)?.state { replyObject = r }
      if let replyObject { replyUnlink(replyObject, dest) }
      // A fault is sent as a Call is.
      if isCall || tcb(at: thread)?.tcbFault != nil {
        if let replyObject, canGrant || canGrantReply {
          replyPush(thread, dest, replyObject, canDonate)
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

  /// `receiveIPC thread cap isBlocking replyCap` (MCS): a reply object still tied to another
  /// thread first cuts it off (`cancelIPC`).
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool, reply replyObject: ObjectRef? = nil)
  {
    guard endpoint(at: ep) != nil else { return }
    if let replyObject, let replyTCB = reply(at: replyObject)?.replyTCB, replyTCB != thread { cancelIPC(replyTCB) }
    if let ntfn = tcb(at: thread)?.tcbBoundNotification, case .activeNtfn? = notification(at: ntfn)?.ntfnObj {
      completeSignal(ntfn, thread)
      return
    }
    // A blocking receive gives back the bound notification's scheduling context.
    if let ntfn = tcb(at: thread)?.tcbBoundNotification, isBlocking { maybeReturnSchedContext(ntfn, thread) }
    // The endpoint as the cancel left it (seL4 reads its state after `cancelIPC(reply_tcb)`).
    guard let endpoint = endpoint(at: ep) else { return }
    switch endpoint {
    case .idleEP, .recvEP:
      if isBlocking {
        setThreadState(thread, .blockedOnReceive(blockingObject: ep, replyObject: replyObject))
        if let replyObject { setReplyTCB(replyObject, thread) }
        tcbEPAppend(thread, endpoint: ep, .recv)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    case .sendEP(let senders):
      guard let sender = senders.first, case .blockedOnSend(_, let fields)? = tcb(at: sender)?.state else { return }
      tcbEPDequeue(sender, endpoint: ep)
      doIPCTransfer(sender, ep, fields.badge, fields.canGrant, thread)
      ifSporadicCurSCRefillUnblockCheck(tcb(at: sender)?.schedContext)
      if fields.isCall || tcb(at: sender)?.tcbFault != nil {
        if let replyObject, fields.canGrant || fields.canGrantReply {
          // canDonate: the sender has a scheduling context and its fault is not a Timeout.
          var canDonate = tcb(at: sender)?.schedContext != nil
          if case .timeout? = tcb(at: sender)?.tcbFault { canDonate = false }
          replyPush(sender, thread, replyObject, canDonate)
        } else {
          setThreadState(sender, .inactive)
        }
      } else {
        setThreadState(sender, .running)
        possibleSwitchTo(sender)
      }
    }
  }

  /// `doIPCTransfer`: `doFaultTransfer` for a sender with a fault (`Fault.swift`), else
  /// `doNormalTransfer` (`copyMRs`, then `transferCaps` of the extra caps looked up again with
  /// Grant, none without).
  mutating func doIPCTransfer(
    _ sender: ObjectRef, _ ep: ObjectRef, _ badge: UInt64, _ canGrant: Bool, _ receiver: ObjectRef
  ) {
    if tcb(at: sender)?.tcbFault != nil { return doFaultTransfer(badge, sender, receiver) }
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

  /// `lookupExtraCaps`: the caps and slots of the first `extraCaps` cptrs of the sender's
  /// `caps_or_badges` words; none when a lookup fails.
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

  /// `getReceiveSlots`: the empty slot the receiver's receive slot names (`lookupCap` of the
  /// CNode, `lookupTargetSlot`); none otherwise.
  func getReceiveSlots(_ thread: ObjectRef) -> SlotRef? {
    guard let receiveSlot = tcb(at: thread)?.context.receiveSlot,
      let cnode = try? lookupCap(thread, receiveSlot.cnode).cap,
      let slot = try? lookupSlotForCNodeOp(
        isSource: false, cnode, receiveSlot.index, depth: receiveSlot.depth),
      getCap(slot) == .null
    else { return nil }
    return slot
  }

  /// `transferCaps`: an endpoint cap to `ep` unwrapped into a badge, another cap derived and
  /// inserted into the receive slot (one cap at most), stopping at the first that cannot go.
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

  /// `blockedCancelIPC`: dequeue, let go of the reply object (`replyUnlink`), then Inactive.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef, reply replyObject: ObjectRef? = nil) {
    tcbEPDequeue(thread, endpoint: ep)
    if let replyObject { replyUnlink(replyObject, thread) }
    setThreadState(thread, .inactive)
  }

  /// `cancelIPC` (MCS): the thread's fault is cleared; a blocked `thread` stops waiting, on a
  /// notification (`cancelSignal`), an endpoint (`blockedCancelIPC`) or a reply
  /// (`replyRemoveTCB`); any other thread is left as it is.
  mutating func cancelIPC(_ thread: ObjectRef) {
    if tcb(at: thread)?.tcbFault != nil { updateTCB(thread) { $0.tcbFault = nil } }
    switch tcb(at: thread)?.state {
    case .blockedOnNotification(let ntfn)?: cancelSignal(thread, ntfn)
    case .blockedOnSend(let ep, _)?: blockedCancelIPC(thread, ep)
    case .blockedOnReceive(let ep, let replyObject)?: blockedCancelIPC(thread, ep, reply: replyObject)
    case .blockedOnReply?: replyRemoveTCB(thread)
    default: return
    }
  }

  /// `cancelAllIPC` (MCS: `removeAndRestartEPQueuedThread` for each, head first, then
  /// `rescheduleRequired`).
  mutating func cancelAllIPC(_ ep: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let queue: [ObjectRef]
    switch endpoint {
    case .idleEP: return
    case .sendEP(let threads), .recvEP(let threads): queue = threads
    }
    for thread in queue {
      tcbEPDequeue(thread, endpoint: ep)
      // `removeAndRestartEPQueuedThread` (`seL4:src/object/endpoint.c`): a receiver's reply
      // object lets go of it (`replyUnlink`) before the restart.
      if case .blockedOnReceive(_, let replyObject?)? = tcb(at: thread)?.state { replyUnlink(replyObject, thread) }
      restartThreadIfNoFault(thread)
    }
    rescheduleRequired()
  }

  /// `cancelBadgedSends` (MCS: `removeAndRestartBadgedThread` for each sender, head first, then
  /// `rescheduleRequired`).
  mutating func cancelBadgedSends(_ ep: ObjectRef, _ badge: UInt64) {
    guard case .sendEP(let queue)? = endpoint(at: ep) else { return }
    for thread in queue {
      guard case .blockedOnSend(_, let fields)? = tcb(at: thread)?.state, fields.badge == badge else { continue }
      tcbEPDequeue(thread, endpoint: ep)
      restartThreadIfNoFault(thread)
    }
    rescheduleRequired()
  }

  /// `reorderEP` (MCS): the queued thread is unqueued and queued again at its new priority's
  /// place.
  mutating func reorderEP(_ ep: ObjectRef, _ thread: ObjectRef) {
    guard let endpoint = endpoint(at: ep) else { return }
    let kind: EndpointQueueKind
    switch endpoint {
    case .idleEP: return
    case .sendEP: kind = .send
    case .recvEP: kind = .recv
    }
    tcbEPDequeue(thread, endpoint: ep)
    tcbEPAppend(thread, endpoint: ep, kind)
  }
}

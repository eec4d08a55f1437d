// Endpoints on words, as seL4's C has them (`seL4:src/object/endpoint.c`): an endpoint's head
// word and its tail-and-state word (`ObjectLayout.epQueueHead`, `endpointWord1`), and its queue
// an intrusive doubly linked list through the queued threads' `tcbEPNext`/`tcbEPPrev` words (a
// thread waits in one queue at a time, a notification's or an endpoint's), ordered by priority as
// MCS orders it (`tcbAppend`, below, for a notification's queue too). A queued thread's state word says
// BlockedOnSend or BlockedOnReceive, its `tcbBlockingObject` word names the endpoint, and a
// sender's `tcbBlockingIPC...` words hold its badge and flags. What each operation does is said
// in `AbstractSpec/Endpoint.swift`. A receiver's reply object is its `tcbBlockingReplyObject`
// word (`Reply.swift`). The operations, in the order of the twins: `tcbEPAppend`,
// `tcbEPDequeue`, `storeSentMessage`, `storeReceiveSlot`, `sendIPC`,
// `receiveIPC`, `doIPCTransfer`, `lookupExtraCaps`, `getReceiveSlots`,
// `transferCaps`, `blockedCancelIPC`, `cancelIPC`, `cancelAllIPC`, `cancelBadgedSends`,
// `reorderEP`; the list helpers `tcbAppend` and `tcbQueueRemove` come first. A sender's
// `caps_or_badges` words and a receiver's receive slot are the TCB's last six words
// (`ObjectLayout.tcbCapsOrBadges`, `tcbReceiveCNode`, ...). No path here traps: walks are bounded by the
// number of objects, a missing object reads as "nothing to do".

import KernelABI

extension KernelState {
  /// Write the endpoint's head word, and its tail and state.
  mutating func setEPQueue(_ ep: ObjectRef, head: ObjectRef, tail: ObjectRef, _ state: KernelEPState) {
    memory.store(ep &+ ObjectLayout.epQueueHead, head)
    memory.store(ep &+ ObjectLayout.epWord1, ObjectLayout.packEndpointWord1(tail: tail, state: state.rawValue))
  }

  /// `tcbAppend(tcb, queue)` (MCS, `include/object/tcb.h`): the queue with `thread` linked in
  /// after every thread of its priority or higher; an endpoint's queue and a notification's
  /// (`tcbEPAppend` of each) are linked in by it alike.
  mutating func tcbAppend(_ thread: ObjectRef, _ queue: (head: ObjectRef, tail: ObjectRef)) -> (
    head: ObjectRef, tail: ObjectRef
  ) {
    let priority = memory.word(thread &+ ObjectLayout.tcbPriority)
    let (head, tail) = queue
    if head == 0 {
      setEPLinks(thread, next: 0, prev: 0)
      return (thread, thread)
    }
    // `tcb_queue_prepend`.
    if priority > memory.word(head &+ ObjectLayout.tcbPriority) {
      setEPLinks(thread, next: head, prev: 0)
      memory.store(head &+ ObjectLayout.tcbEPPrev, thread)
      return (thread, tail)
    }
    // `tcb_queue_append`.
    if memory.word(tail &+ ObjectLayout.tcbPriority) >= priority {
      setEPLinks(thread, next: 0, prev: tail)
      memory.store(tail &+ ObjectLayout.tcbEPNext, thread)
      return (head, thread)
    }
    // `find_tcb_with_higher_prio`, then `tcb_queue_insert_after`: after the last of the leading
    // threads of at least `priority` (the head is one).
    var before = head
    var steps = 0
    while steps <= objects.count {
      let next = memory.word(before &+ ObjectLayout.tcbEPNext)
      guard next != 0, memory.word(next &+ ObjectLayout.tcbPriority) >= priority else { break }
      before = next
      steps &+= 1
    }
    let after = memory.word(before &+ ObjectLayout.tcbEPNext)
    setEPLinks(thread, next: after, prev: before)
    memory.store(before &+ ObjectLayout.tcbEPNext, thread)
    if after != 0 {
      memory.store(after &+ ObjectLayout.tcbEPPrev, thread)
      return (head, tail)
    }
    return (head, thread)
  }

  /// `tcb_queue_remove(queue, tcb)`: the queue with `thread` unlinked; its links cleared (an
  /// endpoint's queue or a notification's).
  mutating func tcbQueueRemove(_ queue: (head: ObjectRef, tail: ObjectRef), _ thread: ObjectRef) -> (
    head: ObjectRef, tail: ObjectRef
  ) {
    var (head, tail) = queue
    let (next, prev) = epLinks(of: thread)
    if prev == 0 { head = next } else { memory.store(prev &+ ObjectLayout.tcbEPNext, next) }
    if next == 0 { tail = prev } else { memory.store(next &+ ObjectLayout.tcbEPPrev, prev) }
    setEPLinks(thread, next: 0, prev: 0)
    return (head, tail)
  }

  /// `tcbEPAppend(thread, epptr, state)` (MCS): `thread` joins the endpoint's queue in priority
  /// order, and the endpoint's state is `kind`'s.
  mutating func tcbEPAppend(_ thread: ObjectRef, endpoint ep: ObjectRef, _ kind: EndpointQueueKind) {
    guard objects[thread] == .tcb, objects[ep] == .endpoint else { return }
    let queue = tcbAppend(thread, epQueue(of: ep))
    setEPQueue(ep, head: queue.head, tail: queue.tail, kind == .send ? .send : .recv)
  }

  /// `tcbEPDequeue(thread, epptr)` (MCS): `thread` is unlinked; a queue left empty makes the
  /// endpoint Idle.
  mutating func tcbEPDequeue(_ thread: ObjectRef, endpoint ep: ObjectRef) {
    guard objects[thread] == .tcb, let state = epState(of: ep) else { return }
    let queue = tcbQueueRemove(epQueue(of: ep), thread)
    setEPQueue(ep, head: queue.head, tail: queue.tail, queue.head == 0 ? .idle : state)
  }

  /// The sender's registers and IPC buffer as it traps: the event's message-info word, its first
  /// `length` message registers and the three `caps_or_badges` words.
  mutating func storeSentMessage(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    guard objects[thread] == .tcb else { return }
    let registers = arguments.messageRegisters
    setMsgInfoRegister(thread, arguments.messageInfo)
    for index in 0..<Int(truncatingIfNeeded: MessageInfo(word: arguments.messageInfo).length) {
      setMR(thread, index, index < registers.count ? registers[index] : 0)
    }
    for index in 0..<KernelConstants.msgMaxExtraCaps {
      let cptr = index < arguments.extraCaps.count ? arguments.extraCaps[index] : 0
      memory.store(thread &+ ObjectLayout.tcbCapsOrBadges &+ UInt64(truncatingIfNeeded: index) &* 8, cptr)
    }
  }

  /// The receiver's IPC buffer as it traps: the event's receive slot (all zero when none).
  mutating func storeReceiveSlot(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    guard objects[thread] == .tcb else { return }
    let slot = arguments.receiveSlot ?? ReceiveSlot(cnode: 0, index: 0, depth: 0)
    memory.store(thread &+ ObjectLayout.tcbReceiveCNode, slot.cnode)
    memory.store(thread &+ ObjectLayout.tcbReceiveIndex, slot.index)
    memory.store(thread &+ ObjectLayout.tcbReceiveDepth, slot.depth)
  }

  /// `sendIPC(blocking, do_call, badge, canGrant, canGrantReply, canDonate, thread, epptr)`
  /// (MCS).
  mutating func sendIPC(
    _ isBlocking: Bool, _ isCall: Bool, _ badge: UInt64, _ canGrant: Bool, _ canGrantReply: Bool,
    _ canDonate: Bool, _ thread: ObjectRef, _ ep: ObjectRef
  ) {
    switch epState(of: ep) {
    case .idle?, .send?:
      guard isBlocking, objects[thread] == .tcb else { return }
      memory.store(thread &+ ObjectLayout.tcbBlockingObject, ep)
      memory.store(thread &+ ObjectLayout.tcbBlockingIPCBadge, badge)
      memory.store(thread &+ ObjectLayout.tcbBlockingIPCCanGrant, canGrant ? 1 : 0)
      memory.store(thread &+ ObjectLayout.tcbBlockingIPCCanGrantReply, canGrantReply ? 1 : 0)
      memory.store(thread &+ ObjectLayout.tcbBlockingIPCIsCall, isCall ? 1 : 0)
      setThreadState(thread, .blockedOnSend)
      tcbEPAppend(thread, endpoint: ep, .send)
    case .recv?:
      let dest = epQueue(of: ep).head
      guard objects[dest] == .tcb else { return }
      tcbEPDequeue(dest, endpoint: ep)
      doIPCTransfer(thread, ep, badge, canGrant, dest)
      let reply = memory.word(dest &+ ObjectLayout.tcbBlockingReplyObject)
      if reply != 0 { replyUnlink(reply, dest) }
      // A fault is sent as a Call is (`seL4_Fault_get_seL4_FaultType(thread->tcbFault) !=
      // seL4_Fault_NullFault`).
      if isCall || tcbFault(of: thread) != nil {
        if reply != 0, canGrant || canGrantReply {
          replyPush(thread, dest, reply, canDonate)
        } else {
          setThreadState(thread, .inactive)
        }
      } else if canDonate, schedContextWord(of: dest) == 0, let sc = schedContextWord(of: thread), sc != 0 {
        schedContextDonate(sc, dest)
      }
      setThreadState(dest, .running)
      ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: dest) ?? 0)
      possibleSwitchTo(dest)
    case nil:
      return
    }
  }

  /// `receiveIPC(thread, cap, isBlocking, replyCap)` (MCS), with the reply object `reply` (0:
  /// none): a reply object still tied to another thread first cuts it off (`cancelIPC`).
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool, reply: ObjectRef = 0) {
    guard epState(of: ep) != nil, objects[thread] == .tcb else { return }
    if reply != 0, let replyTCB = replyTCB(of: reply), replyTCB != 0, replyTCB != thread { cancelIPC(replyTCB) }
    if let ntfn = boundNotificationWord(of: thread), ntfn != 0, ntfnState(of: ntfn) == .active {
      completeSignal(ntfn, thread)
      return
    }
    // A blocking receive gives back the bound notification's scheduling context.
    if let ntfn = boundNotificationWord(of: thread), ntfn != 0, isBlocking { maybeReturnSchedContext(ntfn, thread) }
    // The endpoint's state as the cancel left it (seL4 reads it after `cancelIPC(reply_tcb)`).
    guard let state = epState(of: ep) else { return }
    switch state {
    case .idle, .recv:
      if isBlocking {
        memory.store(thread &+ ObjectLayout.tcbBlockingObject, ep)
        memory.store(thread &+ ObjectLayout.tcbBlockingReplyObject, objects[reply] == .reply ? reply : 0)
        setThreadState(thread, .blockedOnReceive)
        if objects[reply] == .reply { memory.store(reply &+ ObjectLayout.replyTCB, thread) }
        tcbEPAppend(thread, endpoint: ep, .recv)
      } else {
        doNBRecvFailedTransfer(thread)
      }
    case .send:
      let sender = epQueue(of: ep).head
      guard threadState(of: sender) == .blockedOnSend, let fields = blockingIPCFields(of: sender) else { return }
      tcbEPDequeue(sender, endpoint: ep)
      doIPCTransfer(sender, ep, fields.badge, fields.canGrant, thread)
      ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: sender) ?? 0)
      if fields.isCall || tcbFault(of: sender) != nil {
        if objects[reply] == .reply, fields.canGrant || fields.canGrantReply {
          // canDonate: `sender->tcbSchedContext != NULL && seL4_Fault_get_seL4_FaultType(
          // sender->tcbFault) != seL4_Fault_Timeout`.
          var canDonate = (schedContextWord(of: sender) ?? 0) != 0
          if case .timeout? = tcbFault(of: sender) { canDonate = false }
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

  /// `doIPCTransfer`: `doFaultTransfer` for a sender whose `tcbFault` is not NullFault
  /// (`Fault.swift`); else `doNormalTransfer` (`copyMRs`): the sender's first `length`
  /// message registers to the receiver's; with Grant the extra caps looked up again in the
  /// sender's CSpace (`lookupExtraCaps`; a failed lookup transfers none) and transferred
  /// (`transferCaps`); the message-info word with the label, the caps transferred and unwrapped,
  /// and that length; the badge.
  mutating func doIPCTransfer(
    _ sender: ObjectRef, _ ep: ObjectRef, _ badge: UInt64, _ canGrant: Bool, _ receiver: ObjectRef
  ) {
    if tcbFault(of: sender) != nil { return doFaultTransfer(badge, sender, receiver) }
    guard objects[sender] == .tcb, objects[receiver] == .tcb else { return }
    let info = MessageInfo(word: memory.word(sender &+ ObjectLayout.tcbMsgInfoRegister))
    let caps = canGrant ? lookupExtraCaps(sender, info) : ExtraCaps()
    let length = Int(truncatingIfNeeded: info.length)
    for index in 0..<length {
      setMR(receiver, index, memory.word(sender &+ ObjectLayout.tcbMsgRegisters &+ UInt64(index) &* 8))
    }
    let transferred = transferCaps(ep, caps, receiver)
    setMsgInfoRegister(
      receiver,
      MessageInfo.pack(
        label: info.label, capsUnwrapped: transferred.capsUnwrapped, extraCaps: transferred.extraCaps,
        length: info.length))
    setBadgeRegister(receiver, seams.ipcBadge?(badge) ?? badge)
  }

  /// `current_extra_caps`: the CTEs of up to `seL4_MsgMaxExtraCaps` extra caps, `count` of them.
  struct ExtraCaps {
    var count = 0
    var slots: (UInt64, UInt64, UInt64) = (0, 0, 0)

    /// The CTE of extra cap `index` (0 beyond `count`).
    func slot(_ index: Int) -> UInt64 {
      guard index < count else { return 0 }
      switch index {
      case 0: return slots.0
      case 1: return slots.1
      default: return slots.2
      }
    }

    /// `excaprefs[count] = slot`: one more extra cap (ignored beyond three).
    mutating func append(_ slot: UInt64) {
      switch count {
      case 0: slots.0 = slot
      case 1: slots.1 = slot
      case 2: slots.2 = slot
      default: return
      }
      count &+= 1
    }
  }

  /// `lookupExtraCaps(thread, buffer, info)` (`seL4:src/object/tcb.c`): the CTEs the first
  /// `extraCaps` words of the thread's `caps_or_badges` name in its CSpace (`lookupSlot`); none
  /// when a lookup fails (`doNormalTransfer` then sets `excaprefs[0]` to NULL).
  func lookupExtraCaps(_ thread: ObjectRef, _ info: MessageInfo) -> ExtraCaps {
    var caps = ExtraCaps()
    let count = min(Int(truncatingIfNeeded: info.extraCaps), KernelConstants.msgMaxExtraCaps)
    for index in 0..<count {
      let cptr = memory.word(thread &+ ObjectLayout.tcbCapsOrBadges &+ UInt64(truncatingIfNeeded: index) &* 8)
      guard case .found(let slot, _) = lookupSlot(thread, cptr) else { return ExtraCaps() }
      caps.append(slot)
    }
    return caps
  }

  /// `getReceiveSlots(thread, buffer)` (`seL4:src/object/cnode.c`): the CTE the receive slot
  /// words name (`lookupCap` of `receiveCNode`, then `lookupTargetSlot` with `receiveIndex` and
  /// `receiveDepth`) if it is empty; 0 otherwise.
  func getReceiveSlots(_ thread: ObjectRef) -> UInt64 {
    guard case .found(let cnodeSlot, _) = lookupSlot(thread, memory.word(thread &+ ObjectLayout.tcbReceiveCNode)),
      let slot = try? lookupSlotForCNodeOp(
        isSource: false, getCap(cnodeSlot), memory.word(thread &+ ObjectLayout.tcbReceiveIndex),
        depth: memory.word(thread &+ ObjectLayout.tcbReceiveDepth)),
      getCap(slot) == .null
    else { return 0 }
    return slot
  }

  /// `transferCaps(info, endpoint, receiver, receiveBuffer)` (`seL4:src/kernel/thread.c`): each
  /// extra cap in turn, an endpoint cap to `ep` unwrapped (`setExtraBadge`, its `capsUnwrapped`
  /// bit), another derived and inserted into the receive slot (`deriveCap`, `cteInsert`), which
  /// takes one; the loop stops at the first cap with no slot left, a failed derivation or a Null
  /// one. The counts go into the message-info word.
  mutating func transferCaps(_ ep: ObjectRef, _ caps: ExtraCaps, _ receiver: ObjectRef) -> (
    extraCaps: UInt64, capsUnwrapped: UInt64
  ) {
    guard caps.count > 0 else { return (0, 0) }
    var destSlot = getReceiveSlots(receiver)
    var (count, unwrapped): (UInt64, UInt64) = (0, 0)
    for index in 0..<caps.count {
      let slot = caps.slot(index)
      let cap = getCap(slot)
      if case .endpoint(ep, let capBadge, _) = cap, seams.transferUnwraps?() ?? true {
        memory.store(receiver &+ ObjectLayout.tcbCapsOrBadges &+ UInt64(truncatingIfNeeded: index) &* 8, capBadge)
        unwrapped |= 1 << UInt64(truncatingIfNeeded: index)
      } else {
        guard destSlot != 0, let derived = try? deriveCap(slot, cap), derived != .null else { break }
        cteInsert(derived, from: slot, to: destSlot)
        destSlot = 0
      }
      count &+= 1
    }
    return (count, unwrapped)
  }

  /// `blockedIPCCancel` (`cancelIPC` for BlockedOnSend and BlockedOnReceive): dequeue, a
  /// receiver's reply object let go of (`reply_unlink`), then Inactive.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef = 0) {
    if seams.blockedCancelDequeues?() ?? true { tcbEPDequeue(thread, endpoint: ep) }
    if reply != 0 { replyUnlink(reply, thread) }
    setThreadState(thread, .inactive)
  }

  /// `cancelIPC(tptr)` (MCS): `tptr->tcbFault = seL4_Fault_NullFault_new()` ("cancel ipc cancels
  /// all faults"; written only when there is one), then BlockedOnNotification (`cancelSignal`),
  /// BlockedOnSend and BlockedOnReceive (`blockedCancelIPC`), BlockedOnReply
  /// (`reply_remove_tcb`); any other thread is left as it is.
  mutating func cancelIPC(_ thread: ObjectRef) {
    if tcbFault(of: thread) != nil { setTCBFault(thread, nil) }
    guard let object = blockingObject(of: thread) else { return }
    switch threadState(of: thread) {
    case .blockedOnNotification?: cancelSignal(thread, object)
    case .blockedOnSend?: blockedCancelIPC(thread, object)
    case .blockedOnReceive?:
      blockedCancelIPC(thread, object, reply: memory.word(thread &+ ObjectLayout.tcbBlockingReplyObject))
    case .blockedOnReply?: replyRemoveTCB(thread)
    default: return
    }
  }

  /// `cancelAllIPC(epptr)` (MCS: `removeAndRestartEPQueuedThread` for each thread, head first,
  /// then `rescheduleRequired`).
  mutating func cancelAllIPC(_ ep: ObjectRef) {
    guard let state = epState(of: ep), state != .idle else { return }
    var thread = epQueue(of: ep).head
    var steps = 0
    while thread != 0, objects[thread] == .tcb, steps <= objects.count {
      let next = memory.word(thread &+ ObjectLayout.tcbEPNext)
      tcbEPDequeue(thread, endpoint: ep)
      // `removeAndRestartEPQueuedThread` (`seL4:src/object/endpoint.c`): a receiver's reply
      // object lets go of it (`reply_unlink`) before `restart_thread_if_no_fault`.
      if threadState(of: thread) == .blockedOnReceive, let reply = blockingReplyObject(of: thread), reply != 0 {
        replyUnlink(reply, thread)
      }
      restartThreadIfNoFault(thread)
      thread = next
      steps &+= 1
    }
    rescheduleRequired()
  }

  /// `cancelBadgedSends(epptr, badge)` (MCS: `removeAndRestartBadgedThread` for each sender,
  /// head first, then `rescheduleRequired`).
  mutating func cancelBadgedSends(_ ep: ObjectRef, _ badge: UInt64) {
    guard epState(of: ep) == .send else { return }
    var thread = epQueue(of: ep).head
    var steps = 0
    while thread != 0, objects[thread] == .tcb, steps <= objects.count {
      let next = memory.word(thread &+ ObjectLayout.tcbEPNext)
      if memory.word(thread &+ ObjectLayout.tcbBlockingIPCBadge) == badge {
        tcbEPDequeue(thread, endpoint: ep)
        restartThreadIfNoFault(thread)
      }
      thread = next
      steps &+= 1
    }
    rescheduleRequired()
  }

  /// `reorderEP(epptr, thread)` (MCS): unlinked and linked again at its new priority's place;
  /// the state stays.
  mutating func reorderEP(_ ep: ObjectRef, _ thread: ObjectRef) {
    guard let state = epState(of: ep), state != .idle, objects[thread] == .tcb else { return }
    let queue = tcbAppend(thread, tcbQueueRemove(epQueue(of: ep), thread))
    setEPQueue(ep, head: queue.head, tail: queue.tail, state)
  }
}

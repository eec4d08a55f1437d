// Endpoints on words, as seL4's C has them (`seL4:src/object/endpoint.c`): an endpoint's head
// word and its tail-and-state word (`ObjectLayout.epQueueHead`, `endpointWord1`), and its queue
// an intrusive doubly linked list through the queued threads' `tcbEPNext`/`tcbEPPrev` words (a
// thread waits in one queue at a time, a notification's or an endpoint's), ordered by priority as
// MCS orders it (`tcbAppend`, see `Notification.swift`). A queued thread's state word says
// BlockedOnSend or BlockedOnReceive, its `tcbBlockingObject` word names the endpoint, and a
// sender's `tcbBlockingIPC...` words hold its badge and flags. What each operation does is said
// in `AbstractSpec/Endpoint.swift`. A receiver's reply object is its `tcbBlockingReplyObject`
// word (`Reply.swift`). The operations, in the order of the twins: `tcbEPAppend`,
// `tcbEPDequeue`, `storeSentMessage`, `sendWouldDonate`, `sendIPC`, `receiveWouldDonate`,
// `receiveIPC`, `doIPCTransfer`, `blockedCancelIPC`, `cancelIPC`, `cancelAllIPC`,
// `cancelBadgedSends`, `reorderEP`; the list helpers
// `tcbAppend` and `tcbQueueRemove` come first. No path here traps: walks are bounded by the
// number of objects, a missing object reads as "nothing to do".

import KernelABI

extension KernelState {
  /// Write the endpoint's head word, and its tail and state.
  mutating func setEPQueue(_ ep: ObjectRef, head: ObjectRef, tail: ObjectRef, _ state: KernelEPState) {
    memory.store(ep &+ ObjectLayout.epQueueHead, head)
    memory.store(ep &+ ObjectLayout.epWord1, ObjectLayout.packEndpointWord1(tail: tail, state: state.rawValue))
  }

  /// `tcbAppend(tcb, queue)` (MCS, `include/object/tcb.h`): the queue with `thread` linked in
  /// after every thread of its priority or higher (the same walk as a notification's
  /// `tcbEPAppend`).
  mutating func tcbAppend(_ thread: ObjectRef, _ queue: (head: ObjectRef, tail: ObjectRef)) -> (
    head: ObjectRef, tail: ObjectRef
  ) {
    let priority = memory.word(thread &+ ObjectLayout.tcbPriority)
    let (head, tail) = queue
    if head == 0 {
      setEPLinks(thread, next: 0, prev: 0)
      return (thread, thread)
    }
    if priority > memory.word(head &+ ObjectLayout.tcbPriority) {
      setEPLinks(thread, next: head, prev: 0)
      memory.store(head &+ ObjectLayout.tcbEPPrev, thread)
      return (thread, tail)
    }
    if memory.word(tail &+ ObjectLayout.tcbPriority) >= priority {
      setEPLinks(thread, next: 0, prev: tail)
      memory.store(tail &+ ObjectLayout.tcbEPNext, thread)
      return (head, thread)
    }
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

  /// `tcb_queue_remove(queue, tcb)`: the queue with `thread` unlinked; its links cleared.
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

  /// The sender's registers as it traps: the event's message-info word and its first `length`
  /// message registers.
  mutating func storeSentMessage(_ thread: ObjectRef, _ arguments: SyscallArguments) {
    guard objects[thread] == .tcb else { return }
    let registers = arguments.messageRegisters
    setMsgInfoRegister(thread, arguments.messageInfo)
    for index in 0..<Int(truncatingIfNeeded: MessageInfo(word: arguments.messageInfo).length) {
      setMR(thread, index, index < registers.count ? registers[index] : 0)
    }
  }

  /// Whether `sendIPC` would donate the sender's scheduling context (not modelled; see
  /// `AbstractSpec/Endpoint.swift`).
  func sendWouldDonate(
    _ thread: ObjectRef, _ ep: ObjectRef, isCall: Bool, canDonate: Bool, canGrant: Bool, canGrantReply: Bool
  ) -> Bool {
    guard epState(of: ep) == .recv else { return false }
    let dest = epQueue(of: ep).head
    guard let destSC = schedContextWord(of: dest), destSC == 0 else { return false }
    if isCall {
      guard threadState(of: dest) == .blockedOnReceive, let reply = blockingReplyObject(of: dest), reply != 0 else {
        return false
      }
      return (canGrant || canGrantReply) && canDonate && (schedContextWord(of: thread) ?? 0) != 0
    }
    return canDonate
  }

  /// `sendIPC(blocking, do_call, badge, canGrant, canGrantReply, canDonate, thread, epptr)`
  /// (MCS; donation ruled out by `sendWouldDonate`).
  mutating func sendIPC(
    _ isBlocking: Bool, _ isCall: Bool, _ badge: UInt64, _ canGrant: Bool, _ canGrantReply: Bool,
    _ thread: ObjectRef, _ ep: ObjectRef
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
      if isCall {
        if reply != 0, canGrant || canGrantReply {
          replyPush(thread, dest, reply)
        } else {
          setThreadState(thread, .inactive)
        }
      }
      setThreadState(dest, .running)
      possibleSwitchTo(dest)
    case nil:
      return
    }
  }

  /// Whether `receiveIPC` with the reply object `reply` (0: none) would donate a caller's
  /// scheduling context (not modelled).
  func receiveWouldDonate(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef) -> Bool {
    guard reply != 0, schedContextWord(of: thread) == 0 else { return false }
    if let ntfn = boundNotificationWord(of: thread), ntfn != 0, ntfnState(of: ntfn) == .active { return false }
    guard epState(of: ep) == .send else { return false }
    let sender = epQueue(of: ep).head
    guard threadState(of: sender) == .blockedOnSend, let fields = blockingIPCFields(of: sender) else { return false }
    return fields.isCall && (fields.canGrant || fields.canGrantReply) && (schedContextWord(of: sender) ?? 0) != 0
  }

  /// `receiveIPC(thread, cap, isBlocking, replyCap)` (MCS), with the reply object `reply` (0:
  /// none): a reply object still tied to another thread first cuts it off (`cancelIPC`).
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool, reply: ObjectRef = 0) {
    guard let state = epState(of: ep), objects[thread] == .tcb else { return }
    if reply != 0, let replyTCB = replyTCB(of: reply), replyTCB != 0, replyTCB != thread { cancelIPC(replyTCB) }
    if let ntfn = boundNotificationWord(of: thread), ntfn != 0, ntfnState(of: ntfn) == .active {
      completeSignal(ntfn, thread)
      return
    }
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
      if fields.isCall {
        if objects[reply] == .reply, fields.canGrant || fields.canGrantReply {
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

  /// `doIPCTransfer` (`doNormalTransfer`, no fault, no caps; `copyMRs`): the sender's first
  /// `length` message registers to the receiver's, the message-info word with the label and that
  /// length, the badge.
  mutating func doIPCTransfer(
    _ sender: ObjectRef, _ ep: ObjectRef, _ badge: UInt64, _ canGrant: Bool, _ receiver: ObjectRef
  ) {
    guard objects[sender] == .tcb, objects[receiver] == .tcb else { return }
    let info = MessageInfo(word: memory.word(sender &+ ObjectLayout.tcbMsgInfoRegister))
    let length = Int(truncatingIfNeeded: info.length)
    for index in 0..<length {
      setMR(receiver, index, memory.word(sender &+ ObjectLayout.tcbMsgRegisters &+ UInt64(index) &* 8))
    }
    setMsgInfoRegister(receiver, MessageInfo(label: info.label, length: info.length).word)
    setBadgeRegister(receiver, seams.ipcBadge?(badge) ?? badge)
  }

  /// `blockedIPCCancel` (`cancelIPC` for BlockedOnSend and BlockedOnReceive): dequeue, a
  /// receiver's reply object let go of (`reply_unlink`), then Inactive.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef, reply: ObjectRef = 0) {
    tcbEPDequeue(thread, endpoint: ep)
    if reply != 0 { replyUnlink(reply, thread) }
    setThreadState(thread, .inactive)
  }

  /// `cancelIPC(tptr)`: BlockedOnNotification (`cancelSignal`), BlockedOnSend and
  /// BlockedOnReceive (`blockedCancelIPC`), BlockedOnReply (`reply_remove_tcb`); any other
  /// thread is left as it is.
  mutating func cancelIPC(_ thread: ObjectRef) {
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
      setThreadState(thread, .restart)
      possibleSwitchTo(thread)
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
        setThreadState(thread, .restart)
        possibleSwitchTo(thread)
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

// Endpoints on words, as seL4's C has them (`seL4:src/object/endpoint.c`): an endpoint's head
// word and its tail-and-state word (`ObjectLayout.epQueueHead`, `endpointWord1`), and its queue
// an intrusive doubly linked list through the queued threads' `tcbEPNext`/`tcbEPPrev` words (a
// thread waits in one queue at a time, a notification's or an endpoint's), ordered by priority as
// MCS orders it (`tcbAppend`, below, for a notification's queue too). A queued thread's state word says
// BlockedOnSend or BlockedOnReceive, its `tcbBlockingObject` word names the endpoint, and a
// sender's `tcbBlockingIPC...` words hold its badge and flags. What each operation does is said
// in `AbstractSpec/Endpoint.swift`. The operations, in the order of the twins: `tcbEPAppend`,
// `tcbEPDequeue`, `storeSentMessage`, `sendIPC`, `receiveIPC`, `doIPCTransfer`,
// `blockedCancelIPC`, `cancelAllIPC`, `cancelBadgedSends`, `reorderEP`; the list helpers
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

  /// `sendIPC(blocking, do_call, badge, canGrant, canGrantReply, canDonate, thread, epptr)`
  /// (MCS, without reply objects or donation).
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
      if isCall { setThreadState(thread, .inactive) }
      setThreadState(dest, .running)
      possibleSwitchTo(dest)
    case nil:
      return
    }
  }

  /// `receiveIPC(thread, cap, isBlocking, replyCap)` (MCS, with a null reply cap).
  mutating func receiveIPC(_ thread: ObjectRef, _ ep: ObjectRef, isBlocking: Bool) {
    guard let state = epState(of: ep), objects[thread] == .tcb else { return }
    if let ntfn = boundNotificationWord(of: thread), ntfn != 0, ntfnState(of: ntfn) == .active {
      completeSignal(ntfn, thread)
      return
    }
    switch state {
    case .idle, .recv:
      if isBlocking {
        memory.store(thread &+ ObjectLayout.tcbBlockingObject, ep)
        setThreadState(thread, .blockedOnReceive)
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
        setThreadState(sender, .inactive)
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

  /// `blockedIPCCancel` (`cancelIPC` for BlockedOnSend and BlockedOnReceive): dequeue, then
  /// Inactive.
  mutating func blockedCancelIPC(_ thread: ObjectRef, _ ep: ObjectRef) {
    tcbEPDequeue(thread, endpoint: ep)
    setThreadState(thread, .inactive)
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

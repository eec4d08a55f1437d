// The generator's endpoint IPC events, every IPC system call seL4 MCS has on an endpoint
// (`docs/ipc.md`): a send (Send, or NBSend), a Call, a receive (Wait or NBWait, or Recv and
// NBRecv with a reply cap in the reply register), a ReplyRecv (or a plain Send or NBSend through
// a reply cap: a reply cap's own invocation), and NBSendRecv and NBSendWait, each with the
// registers it reads well formed. The caps are the ones the thread can invoke, mostly with the
// rights each call needs (a send without Write, 5%, is an InvalidCapability only a Call hears; 15%
// of Calls go through any endpoint cap, and one without Grant or GrantReply leaves the caller
// Inactive at the rendezvous, as a Call met by a Wait, which names no reply object, does; a
// receive without Read, 1%, is a capability fault that stops the thread).
//
// Messages are short; a quarter of sends and Calls (and a tenth of replies) carry one to three
// extra caps named by cptrs the thread can look up, so that with Grant (`transferCaps`) a cap is
// derived into the receiver's receive slot, or an endpoint cap to the same endpoint is unwrapped
// into its badge, and without Grant nothing goes. Receivers (and callers, for a granted reply)
// name an empty slot of a CNode they can invoke as their receive slot 70% of the time.
//
// Rendezvous are what IPC coverage is about, so a Call goes to an endpoint a receiver waits on
// (with a reply object, if one does) 90% of the time when the thread has one, a receive takes
// from an endpoint a sender is queued on half the time, with a reply cap nearly always when the
// sender is a caller, and a ReplyRecv replies through a reply object a caller waits on when there
// is one 80% of the time; and `rendezvousAimPercent` of events become such a Call or ReplyRecv
// whenever one can complete a rendezvous (`aimAtRendezvous`). A blocking call that would block
// the only thread that can run, with nothing to take, leaves the system idle for the rest of the
// trace, so it is made the non-blocking one 99 times in 100 (a Call, which has none, becomes a
// random invocation; a ReplyRecv with no caller, a plain Send or NBSend on its reply cap). The kernel path names the cap's kind and the endpoint's state
// (`send.badgedEndpoint.recv`, `call.endpoint.recv.grant`, `receive.endpoint.idle.reply`,
// `replyRecv.reply.caller`, `sendRecv.nbSendWait.send`; docs/campaigns.md).

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// An endpoint cap the thread can invoke: one with `right`, but for `anyPercent` of picks any
  /// one (the error path).
  mutating func pickEndpointCap(_ view: View, right: CapRights, anyPercent: UInt64) -> ReachableSlot? {
    let caps = view.full.filter { if case .endpoint = $0.cap { $0.invocationCptr != nil } else { false } }
    let withRight = caps.filter {
      if case .endpoint(_, _, let rights) = $0.cap { rights.contains(right) } else { false }
    }
    return (rng.chance(100 - anyPercent) ? rng.pick(withRight) : nil) ?? rng.pick(caps)
  }

  /// The endpoint state `slot`'s cap names: `idle`, `send`, `recv`, or `none`.
  static func endpointState(_ slot: ReachableSlot, _ state: AbstractState) -> String {
    guard case .endpoint(let ref, _, _) = slot.cap, let ep = state.endpoint(at: ref) else { return "none" }
    switch ep.state {
    case .idle: return "idle"
    case .send: return "send"
    case .recv: return "recv"
    }
  }

  /// The reply caps the thread can invoke.
  static func replyCaps(_ view: View) -> [ReachableSlot] {
    view.full.filter { if case .reply = $0.cap { $0.invocationCptr != nil } else { false } }
  }

  /// Whether a caller is BlockedOnReply on the reply object `slot`'s cap names: `caller` or
  /// `none`.
  static func replyState(_ slot: ReachableSlot, _ state: AbstractState) -> String {
    guard case .reply(let ref, _) = slot.cap, let caller = state.reply(at: ref)?.tcb,
      case .blockedOnReply(ref)? = state.tcb(at: caller)?.state
    else { return "none" }
    return "caller"
  }

  /// A reply cap for a receive: usually one whose object no thread is tied to (reusing one cuts
  /// its caller off, `cancelIPC`), sometimes any.
  mutating func pickFreeReplyCap(_ view: View) -> ReachableSlot? {
    let caps = Self.replyCaps(view)
    let free = caps.filter { slot in
      if case .reply(let ref, _) = slot.cap { view.state.reply(at: ref)?.tcb == nil } else { false }
    }
    return (rng.chance(80) ? rng.pick(free) : nil) ?? rng.pick(caps)
  }

  /// A short message: a random label, up to six message registers and, `extraCapsPercent` of
  /// the time, one to three extra caps the thread can look up.
  mutating func ipcMessage(_ view: View, extraCapsPercent: UInt64) -> (
    info: MessageInfo, registers: [UInt64], extraCaps: [UInt64]
  ) {
    let length = rng.below(7)
    let registers = (0..<length).map { _ in rng.below(1 << 16) }
    var extraCaps: [UInt64] = []
    if rng.chance(extraCapsPercent) {
      let cptrs = view.full.compactMap(\.invocationCptr)
      extraCaps = (0..<(1 + rng.below(3))).compactMap { _ in rng.pick(cptrs) }
    }
    let info = MessageInfo(label: rng.below(64), extraCaps: UInt64(extraCaps.count), length: length)
    return (info, registers, extraCaps)
  }

  /// The receive slot a receiver's IPC buffer names, 70% of the time: a slot (usually empty) of a
  /// CNode the thread can invoke, addressed as a CNode method addresses it.
  mutating func pickReceiveSlot(_ view: View) -> ReceiveSlot? {
    guard rng.chance(70), let cnode = chooseCNode(view), let slot = pickSlot(cnode.slots, wantEmpty: true) else {
      return nil
    }
    return ReceiveSlot(cnode: cnode.cptr, index: slot.index, depth: slot.depth)
  }

  /// `.grant` or `.noGrant` after a path whose message carries extra caps through `cap`.
  static func grantSuffix(_ extraCaps: [UInt64], _ cap: Capability) -> String {
    guard !extraCaps.isEmpty else { return "" }
    if case .endpoint(_, _, let rights) = cap, rights.contains(.grant) { return ".grant" }
    return ".noGrant"
  }

  /// `seL4_Send` or `seL4_NBSend` with a short message, a quarter of them with extra caps.
  mutating func send(_ view: View) -> Event {
    guard let slot = pickEndpointCap(view, right: .write, anyPercent: 5), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    let epState = Self.endpointState(slot, view.state)
    var syscall: Syscall = rng.chance(60) ? .send : .nbSend
    if syscall == .send && epState != "recv" && view.state.readyQueues.isEmpty && rng.chance(99) { syscall = .nbSend }
    let message = ipcMessage(view, extraCapsPercent: 25)
    lastPath = "send.\(Self.kind(slot.cap)).\(epState)" + Self.grantSuffix(message.extraCaps, slot.cap)
    return .syscall(
      syscall,
      SyscallArguments(
        capRegister: cptr, messageInfo: message.info.word, messageRegisters: message.registers,
        extraCaps: message.extraCaps))
  }

  /// Whether the head receiver waiting on the endpoint `slot`'s cap names waits with a reply
  /// object (a Call it meets blocks on it; without one the caller goes Inactive).
  static func receiverHasReply(_ slot: ReachableSlot, _ state: AbstractState) -> Bool {
    guard case .endpoint(let ref, _, _) = slot.cap, case .recv(let receivers)? = state.endpoint(at: ref)?.state,
      let head = receivers.first, case .blockedOnReceive(_, let reply?)? = state.tcb(at: head)?.state
    else { return false }
    return state.reply(at: reply) != nil
  }

  /// Whether the head sender queued on the endpoint `slot`'s cap names is a caller.
  static func senderIsCaller(_ slot: ReachableSlot, _ state: AbstractState) -> Bool {
    guard case .endpoint(let ref, _, _) = slot.cap, case .send(let senders)? = state.endpoint(at: ref)?.state,
      let head = senders.first, case .blockedOnSend(_, let fields)? = state.tcb(at: head)?.state
    else { return false }
    return fields.isCall
  }

  /// `seL4_Call` through an endpoint cap: mostly one with Write and Grant or GrantReply (so that
  /// the caller blocks on the receiver's reply object), 90% of the time, when there is one, one a
  /// receiver with a reply object waits on (else one any receiver waits on).
  mutating func call(_ view: View) -> Event {
    let caps = view.full.filter { if case .endpoint = $0.cap { $0.invocationCptr != nil } else { false } }
    let callable = caps.filter {
      guard case .endpoint(_, _, let rights) = $0.cap else { return false }
      return rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
    }
    let candidates = rng.chance(85) ? callable : caps
    let waiting = candidates.filter { Self.endpointState($0, view.state) == "recv" }
    let serving = waiting.filter { Self.receiverHasReply($0, view.state) }
    let aimed = rng.chance(90) ? (rng.pick(serving) ?? rng.pick(waiting)) : nil
    guard let slot = aimed ?? rng.pick(candidates) ?? rng.pick(caps), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    let epState = Self.endpointState(slot, view.state)
    if epState != "recv" && view.state.readyQueues.isEmpty && rng.chance(99) { return garbage(view) }
    let message = ipcMessage(view, extraCapsPercent: 25)
    lastPath = "call.\(Self.kind(slot.cap)).\(epState)" + Self.grantSuffix(message.extraCaps, slot.cap)
    return .syscall(
      .call,
      SyscallArguments(
        capRegister: cptr, messageInfo: message.info.word, messageRegisters: message.registers,
        extraCaps: message.extraCaps, receiveSlot: pickReceiveSlot(view)))
  }

  /// `seL4_Wait` or `seL4_NBWait` on an endpoint, or (70% of the time, when the thread has a
  /// reply cap; 95% when a caller is queued) `seL4_Recv` or `seL4_NBRecv` with one in the reply
  /// register. Half the time, when there is one, the endpoint is one a sender is queued on.
  mutating func receive(_ view: View) -> Event {
    let queued = view.full.filter {
      if case .endpoint(_, _, let rights) = $0.cap, rights.contains(.read), $0.invocationCptr != nil {
        Self.endpointState($0, view.state) == "send"
      } else {
        false
      }
    }
    guard let slot = (rng.chance(50) ? rng.pick(queued) : nil) ?? pickEndpointCap(view, right: .read, anyPercent: 1),
      let cptr = slot.invocationCptr
    else { return garbage(view) }
    let epState = Self.endpointState(slot, view.state)
    let reply =
      rng.chance(Self.senderIsCaller(slot, view.state) ? 95 : 70) ? pickFreeReplyCap(view)?.invocationCptr : nil
    let blocking = rng.chance(60) && !(epState != "send" && view.state.readyQueues.isEmpty && rng.chance(99))
    let syscall: Syscall = reply == nil ? (blocking ? .wait : .nbWait) : (blocking ? .recv : .nbRecv)
    lastPath = "receive.\(Self.kind(slot.cap)).\(epState)" + (reply == nil ? "" : ".reply")
    return .syscall(
      syscall,
      SyscallArguments(
        capRegister: cptr, messageInfo: 0, replyRegister: reply ?? 0, receiveSlot: pickReceiveSlot(view)))
  }

  /// `seL4_ReplyRecv`: a reply through a reply cap (80% of the time one a caller waits on, when
  /// there is one, else usually one no thread is tied to), then a Recv on an endpoint with that reply cap; or (a fifth of the time, and
  /// when the receive would idle the only thread that can run) a reply cap's own invocation,
  /// `seL4_Send` or `seL4_NBSend` through it.
  mutating func replyRecv(_ view: View) -> Event {
    let replies = Self.replyCaps(view)
    let answering = replies.filter { Self.replyState($0, view.state) == "caller" }
    guard let reply = (rng.chance(80) ? rng.pick(answering) : nil) ?? pickFreeReplyCap(view),
      let replyCPtr = reply.invocationCptr,
      let slot = pickEndpointCap(view, right: .read, anyPercent: 1), let cptr = slot.invocationCptr
    else { return garbage(view) }
    let replyState = Self.replyState(reply, view.state)
    let message = ipcMessage(view, extraCapsPercent: 10)
    let idles =
      replyState == "none" && Self.endpointState(slot, view.state) != "send" && view.state.readyQueues.isEmpty
    if rng.chance(20) || (idles && rng.chance(99)) {
      lastPath = "replyRecv.sendReply.\(replyState)"
      return .syscall(
        rng.chance(50) ? .send : .nbSend,
        SyscallArguments(
          capRegister: replyCPtr, messageInfo: message.info.word, messageRegisters: message.registers,
          extraCaps: message.extraCaps))
    }
    lastPath = "replyRecv.\(Self.kind(reply.cap)).\(replyState)"
    return .syscall(
      .replyRecv,
      SyscallArguments(
        capRegister: cptr, messageInfo: message.info.word, messageRegisters: message.registers,
        extraCaps: message.extraCaps, replyRegister: replyCPtr, receiveSlot: pickReceiveSlot(view)))
  }

  /// `seL4_NBSendRecv` (a non-blocking send through the cap in the NBSendRecv destination
  /// register, then a Recv on the cap register's endpoint with the reply register's reply cap) or
  /// `seL4_NBSendWait` (the send destination in the reply register, then a Wait). When neither
  /// phase can wake a thread and no other thread can run, a random invocation instead, 99 times in
  /// 100. The path names the receive endpoint's state.
  mutating func sendRecv(_ view: View) -> Event {
    guard let destination = pickEndpointCap(view, right: .write, anyPercent: 5),
      let destinationCPtr = destination.invocationCptr,
      let source = pickEndpointCap(view, right: .read, anyPercent: 1), let cptr = source.invocationCptr
    else { return garbage(view) }
    let sourceState = Self.endpointState(source, view.state)
    let wakes = Self.endpointState(destination, view.state) == "recv" || sourceState == "send"
    if !wakes && view.state.readyQueues.isEmpty && rng.chance(99) { return garbage(view) }
    let message = ipcMessage(view, extraCapsPercent: 10)
    let reply = pickFreeReplyCap(view)?.invocationCptr
    let syscall: Syscall = reply != nil && rng.chance(50) ? .nbSendRecv : .nbSendWait
    lastPath = "sendRecv.\(syscall == .nbSendRecv ? "nbSendRecv" : "nbSendWait").\(sourceState)"
    return .syscall(
      syscall,
      SyscallArguments(
        capRegister: cptr, messageInfo: message.info.word, messageRegisters: message.registers,
        extraCaps: message.extraCaps, replyRegister: syscall == .nbSendRecv ? (reply ?? 0) : destinationCPtr,
        nbSendRecvDestination: syscall == .nbSendRecv ? destinationCPtr : 0, receiveSlot: pickReceiveSlot(view)))
  }

  /// `chosen`, or (`rendezvousAimPercent` of the time, when the swarm has it) a Call when the
  /// thread can call an endpoint a receiver with a reply object waits on, else a ReplyRecv when a
  /// caller waits on a reply object the thread holds a cap to.
  mutating func aimAtRendezvous(_ chosen: GeneratedOperation, _ view: View) -> GeneratedOperation {
    guard rng.chance(rendezvousAimPercent) else { return chosen }
    if swarm.enabled.contains(.call),
      view.full.contains(where: { slot in
        guard case .endpoint(_, _, let rights) = slot.cap, rights.contains(.write), slot.invocationCptr != nil else {
          return false
        }
        return Self.receiverHasReply(slot, view.state)
      })
    {
      return .call
    }
    if swarm.enabled.contains(.replyRecv),
      Self.replyCaps(view).contains(where: { Self.replyState($0, view.state) == "caller" })
    {
      return .replyRecv
    }
    return chosen
  }
}

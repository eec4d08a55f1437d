// The generator's endpoint IPC events: a send (Send, or NBSend) with a short random message
// through an endpoint cap the thread can invoke, and a receive (Wait, or NBWait; Recv and NBRecv
// need reply objects, not modelled yet: `EndpointTests` covers their faults) on one, mostly with the right each
// needs (a send without Write, 5%, is an InvalidCapability only a Call hears; a receive without
// Read, 1%, is a capability fault that stops the thread). A blocking send or receive that would
// block the only thread that can run, with nothing to take, leaves the system idle for the rest
// of the trace, so it is made the non-blocking one 99 times in 100. The kernel path names the
// cap's kind and the endpoint's state (`send.badgedEndpoint.recv`).

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

  /// `seL4_Send` or `seL4_NBSend` with up to six message registers.
  mutating func send(_ view: View) -> Event {
    guard let slot = pickEndpointCap(view, right: .write, anyPercent: 5), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    let epState = Self.endpointState(slot, view.state)
    var syscall: Syscall = rng.chance(60) ? .send : .nbSend
    if syscall == .send && epState != "recv" && view.state.readyQueues.isEmpty && rng.chance(99) { syscall = .nbSend }
    let length = rng.below(7)
    let registers = (0..<length).map { _ in rng.below(1 << 16) }
    let info = MessageInfo(label: rng.below(64), length: length)
    lastPath = "send.\(Self.kind(slot.cap)).\(epState)"
    return .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: registers))
  }

  /// `seL4_Wait` or `seL4_NBWait` on an endpoint.
  mutating func receive(_ view: View) -> Event {
    guard let slot = pickEndpointCap(view, right: .read, anyPercent: 1), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    let epState = Self.endpointState(slot, view.state)
    var syscall: Syscall = rng.chance(60) ? .wait : .nbWait
    if syscall == .wait && epState != "send" && view.state.readyQueues.isEmpty && rng.chance(99) { syscall = .nbWait }
    lastPath = "receive.\(Self.kind(slot.cap)).\(epState)"
    return .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0))
  }
}

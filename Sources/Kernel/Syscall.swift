// One kernel step (seL4 `src/api/syscall.c`: `handleSyscall`, `handleInvocation`;
// `src/object/objecttype.c decodeInvocation`; `src/kernel/faulthandler.c handleFault`).
//
// Only Send, NBSend and Call are modelled: they look up the invoked cap and the extra caps in the
// current thread's CSpace and decode the invocation by cap type. A failed lookup is a CapFault for
// the blocking calls and nothing for NBSend; a decode error is an error reply for Call and nothing
// otherwise. Faults go to the thread's fault handler; with none, the thread stops.

public import KernelABI

/// What an invocation reads from the caller: message length, registers and extra-cap slots.
struct Message {
  let length: UInt64
  let registers: [UInt64]
  let extraCapCount: Int
  let extraCaps: (UInt64, UInt64, UInt64)

  /// Message register `i` (0 beyond the message length or when the event gives fewer).
  func arg(_ i: Int) -> UInt64 {
    guard UInt64(truncatingIfNeeded: i) < length, i < registers.count else { return 0 }
    return registers[i]
  }

  /// The CTE address of extra cap `i`, if the message carries that many.
  func extraCap(_ i: Int) -> UInt64? {
    guard i < extraCapCount else { return nil }
    switch i {
    case 0: return extraCaps.0
    case 1: return extraCaps.1
    case 2: return extraCaps.2
    default: return nil
    }
  }
}

/// How a decoded invocation ended, short of an error.
enum InvocationOutcome {
  case done
  case notModelled(String)
}

extension KernelState {
  /// Apply one event.
  public mutating func step(_ event: Event) -> Observation {
    let caller = ksCurThread
    switch event {
    case .interrupt:
      return Observation(caller: caller, current: caller, notModelled: "interrupt")
    case .timerTick:
      return Observation(caller: caller, current: caller, notModelled: "time")
    case .unknownSyscall(let number):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      return handleFault(thread, .unknownSyscall(number: number))
    case .syscall(let call, let arguments):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      switch call {
      case .send:
        return handleInvocation(thread, arguments, isCall: false, isBlocking: true)
      case .nbSend:
        return handleInvocation(thread, arguments, isCall: false, isBlocking: false)
      case .call:
        return handleInvocation(thread, arguments, isCall: true, isBlocking: true)
      case .replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield:
        return Observation(caller: thread, current: thread, notModelled: call.libsel4Name)
      }
    }
  }

  /// `handleFault`: a Null fault handler stops the thread; any other means fault IPC (not modelled).
  mutating func handleFault(_ thread: ObjectRef, _ fault: ThreadFault) -> Observation {
    let handlerSlot = thread &+ (TCBSlot.faultHandler.rawValue << KernelConstants.slotBits)
    guard capAt(handlerSlot) == .null else {
      return Observation(caller: thread, current: thread, notModelled: "fault IPC")
    }
    setThreadState(thread, .inactive)
    ksCurThread = nil
    return Observation(caller: thread, fault: fault, current: nil)
  }

  /// `handleInvocation`: look up the invoked and extra caps, decode, invoke, reply.
  mutating func handleInvocation(_ thread: ObjectRef, _ arguments: SyscallArguments, isCall: Bool, isBlocking: Bool)
    -> Observation
  {
    let info = MessageInfo(word: arguments.messageInfo)
    func capFault(_ cptr: UInt64, _ failure: LookupFailure) -> Observation {
      guard isBlocking else { return Observation(caller: thread, current: thread) }
      return handleFault(thread, .capFault(address: cptr, inReceivePhase: false, failure: failure))
    }
    let capSlot: UInt64
    switch lookupSlot(thread, arguments.capRegister) {
    case .failed(let failure): return capFault(arguments.capRegister, failure)
    case .found(let slot, _): capSlot = slot
    }
    var extra: (UInt64, UInt64, UInt64) = (0, 0, 0)
    let extraCount = Int(truncatingIfNeeded: info.extraCaps)
    for i in 0..<extraCount {
      let cptr = i < arguments.extraCaps.count ? arguments.extraCaps[i] : 0
      switch lookupSlot(thread, cptr) {
      case .failed(let failure): return capFault(cptr, failure)
      case .found(let slot, _):
        switch i {
        case 0: extra.0 = slot
        case 1: extra.1 = slot
        default: extra.2 = slot
        }
      }
    }
    let message = Message(
      length: info.length, registers: arguments.messageRegisters, extraCapCount: extraCount, extraCaps: extra)
    do {
      switch try decodeInvocation(info.label, capSlot, message) {
      case .notModelled(let name):
        return Observation(caller: thread, current: thread, notModelled: name)
      case .done:
        // A thread destroyed by its own invocation gets no reply.
        let reply: ReplyMessage? = isCall && ksCurThread == thread ? .success : nil
        return Observation(caller: thread, reply: reply, current: ksCurThread)
      }
    } catch {
      return Observation(caller: thread, reply: isCall ? ReplyMessage(error: error) : nil, current: thread)
    }
  }

  /// `decodeInvocation`: dispatch on the invoked cap's type.
  mutating func decodeInvocation(_ label: UInt64, _ capSlot: UInt64, _ message: Message)
    throws(SyscallError) -> InvocationOutcome
  {
    let cap = capAt(capSlot)
    switch cap {
    case .null:
      throw .invalidCapability(index: 0)
    // Sending needs Write; a send through a cap without it is an error, not IPC.
    case .endpoint(_, _, let rights), .notification(_, _, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      return .notModelled("IPC")
    case .reply:
      return .notModelled("IPC")
    case .cnode:
      try decodeCNodeInvocation(label, cap, message)
      return .done
    case .untyped:
      try decodeUntypedInvocation(label, capSlot, message)
      return .done
    case .thread:
      return .notModelled("TCB invocation")
    case .schedContext:
      return .notModelled("SchedContext invocation")
    case .schedControl:
      return .notModelled("SchedControl invocation")
    case .irqControl:
      return .notModelled("IRQControl invocation")
    case .irqHandler:
      return .notModelled("IRQHandler invocation")
    case .domain:
      return .notModelled("DomainSet invocation")
    }
  }
}

// One kernel step (seL4 `src/api/syscall.c`: `handleSyscall`, `handleInvocation`;
// `src/kernel/faulthandler.c handleFault`; `handleEvent` as the Haskell model names it).
//
// Only Send, NBSend and Call are modelled: they look up the invoked cap and the extra caps in the
// current thread's CSpace and decode the invocation by cap type. A failed lookup is a CapFault for
// the blocking calls and nothing for NBSend; a decode error is an error reply for Call and nothing
// otherwise. Faults go to the thread's fault handler; with none, the thread stops.
// Twins: `AbstractSpec/Syscall.swift`, `ExecutableSpec/Syscall.swift`.

public import KernelABI

extension KernelState {
  /// Apply one event.
  public mutating func step(_ event: Event) -> Observation {
    handleEvent(event)
  }

  /// `handleEvent`: a system call by the current thread, an interrupt, time.
  mutating func handleEvent(_ event: Event) -> Observation {
    let caller = ksCurThread
    switch event {
    case .interrupt:
      return Observation(caller: caller, current: caller, notModelled: .interrupt)
    case .timerTick:
      return Observation(caller: caller, current: caller, notModelled: .time)
    case .unknownSyscall(let number):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      return handleFault(thread, .unknownSyscall(number: number))
    case .syscall(let call, let arguments):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      return handleSyscall(thread, call, arguments)
    }
  }

  /// `handleSyscall`: the three sends invoke a cap; the other calls are not modelled.
  mutating func handleSyscall(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments) -> Observation {
    switch call {
    case .send:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: true)
    case .nbSend:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: false)
    case .call:
      return handleInvocation(thread, arguments, isCall: true, isBlocking: true)
    case .replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield:
      return Observation(caller: thread, current: thread, notModelled: .syscall(call))
    }
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
    let outcome: InvocationOutcome
    do throws(SyscallError) {
      outcome = performInvocation(try decodeInvocation(info.label, capSlot, message))
    } catch {
      outcome = .failed(error)
    }
    switch outcome {
    case .notModelled(let what):
      return Observation(caller: thread, current: thread, notModelled: what)
    // A decode error is answered only to a Call; nothing changed, so the caller still runs.
    case .failed(let error):
      return Observation(caller: thread, reply: isCall ? ReplyMessage(error: error) : nil, current: thread)
    case .done:
      // A thread destroyed by its own invocation gets no reply.
      let reply: ReplyMessage? = isCall && ksCurThread == thread ? .success : nil
      return Observation(caller: thread, reply: reply, current: ksCurThread)
    }
  }

  /// `handleFault`: a Null fault handler stops the thread; any other means fault IPC (not modelled).
  mutating func handleFault(_ thread: ObjectRef, _ fault: ThreadFault) -> Observation {
    let handlerSlot = thread &+ (TCBSlot.faultHandler.rawValue << KernelConstants.slotBits)
    guard getCap(handlerSlot) == .null else {
      return Observation(caller: thread, current: thread, notModelled: .faultIPC)
    }
    setThreadState(thread, .inactive)
    ksCurThread = nil
    return Observation(caller: thread, fault: fault, current: nil)
  }
}

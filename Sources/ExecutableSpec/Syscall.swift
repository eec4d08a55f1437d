// One kernel step (`handleEvent`, `handleInvocation`, `handleFault` in the Haskell model), as the
// capability-core contract fixes it.
//
// Only the current thread runs. Send, NBSend and Call invoke a capability: look up the invoked
// cap and the extra caps (a failure is a CapFault for the blocking sends, silence for NBSend),
// decode by cap type, perform. Call gets an error reply or an empty success reply; Send and NBSend
// get nothing. Every other syscall, interrupts and time are not modelled yet and change nothing. A
// fault goes to the handler cap in the TCB's `faultHandler` slot: with none the thread stops.

public import KernelABI

extension ExecState {
  /// Apply one event.
  public mutating func step(_ event: Event) -> Observation {
    choiceLog = []
    let caller = ksCurThread
    switch event {
    case .syscall(let call, let arguments):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      switch call {
      case .send, .nbSend, .call:
        return handleInvocation(thread: thread, call: call, arguments)
      case .replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield:
        return notModelled(call.libsel4Name)
      }
    // An unknown syscall number faults the caller.
    case .unknownSyscall(let number):
      guard let thread = caller else { return Observation(caller: nil, current: nil) }
      return handleFault(thread: thread, .unknownSyscall(number: number))
    case .interrupt:
      return notModelled("interrupt")
    case .timerTick:
      return notModelled("time")
    }
  }

  /// The observation of an operation the slice does not model: nothing changes.
  func notModelled(_ name: String) -> Observation {
    Observation(caller: ksCurThread, current: ksCurThread, notModelled: name)
  }

  /// `handleInvocation`: the send phase of Send, NBSend and Call.
  mutating func handleInvocation(thread: ObjectRef, call: Syscall, _ arguments: SyscallArguments) -> Observation {
    let info = arguments.info
    let isCall = call == .call
    let isBlocking = call != .nbSend
    let args = (0..<Int(info.length)).map { i in
      i < arguments.messageRegisters.count ? arguments.messageRegisters[i] : 0
    }
    // Lookups: a failure is a fault for a blocking send, and nothing at all for NBSend.
    let invoked: (cap: Capability, slot: SlotRef)
    var extraCaps: [Capability] = []
    do {
      invoked = try lookupCap(thread: thread, arguments.capRegister)
    } catch {
      return lookupFailed(thread: thread, address: arguments.capRegister, error.failure, blocking: isBlocking)
    }
    for i in 0..<Int(info.extraCaps) {
      let cptr = i < arguments.extraCaps.count ? arguments.extraCaps[i] : 0
      do {
        extraCaps.append(try lookupCap(thread: thread, cptr).cap)
      } catch {
        return lookupFailed(thread: thread, address: cptr, error.failure, blocking: isBlocking)
      }
    }
    let outcome = decodeAndPerform(
      label: info.label, args: args, cap: invoked.cap, slot: invoked.slot, extraCaps: extraCaps)
    switch outcome {
    case .notModelled(let name):
      return notModelled(name)
    // A decode error is answered only to a Call.
    case .failure(let error):
      return Observation(caller: thread, reply: isCall ? ReplyMessage(error: error) : nil, current: ksCurThread)
    // Success: a Call gets the empty reply, if the caller still runs (it may have deleted itself).
    case .success:
      let stillRunning = ksCurThread == thread
      return Observation(caller: thread, reply: isCall && stillRunning ? .success : nil, current: ksCurThread)
    }
  }

  /// A failed invoked- or extra-cap lookup: a CapFault when blocking, else silence.
  mutating func lookupFailed(thread: ObjectRef, address: UInt64, _ failure: LookupFailure, blocking: Bool)
    -> Observation
  {
    guard blocking else { return Observation(caller: thread, current: ksCurThread) }
    return handleFault(thread: thread, .capFault(address: address, inReceivePhase: false, failure: failure))
  }

  /// What decoding and performing an invocation came to.
  enum InvocationOutcome {
    case success
    case failure(SyscallError)
    case notModelled(String)
  }

  /// `decodeInvocation` and `performInvocation`, by the invoked cap's type.
  mutating func decodeAndPerform(
    label: UInt64, args: [UInt64], cap: Capability, slot: SlotRef, extraCaps: [Capability]
  ) -> InvocationOutcome {
    switch cap {
    case .null:
      return .failure(.invalidCapability(index: 0))
    // Sending through an EP or Ntfn cap needs Write; the send itself is IPC.
    case .endpoint(_, _, let rights), .notification(_, _, let rights):
      return rights.contains(.write) ? .notModelled("IPC") : .failure(.invalidCapability(index: 0))
    case .reply:
      return .notModelled("IPC")
    case .cnode:
      do {
        invokeCNode(try decodeCNodeInvocation(label: label, args: args, cap: cap, extraCaps: extraCaps))
        return .success
      } catch {
        return .failure(error)
      }
    case .untyped:
      do {
        invokeUntyped(try decodeUntypedInvocation(label: label, args: args, slot: slot, cap: cap, extraCaps: extraCaps))
        return .success
      } catch {
        return .failure(error)
      }
    case .thread: return .notModelled("TCB invocation")
    case .schedContext: return .notModelled("SchedContext invocation")
    case .schedControl: return .notModelled("SchedControl invocation")
    case .irqControl: return .notModelled("IRQControl invocation")
    case .irqHandler: return .notModelled("IRQHandler invocation")
    case .domain: return .notModelled("DomainSet invocation")
    }
  }

  /// `handleFault`: with no handler cap the thread becomes Inactive and the kernel goes idle;
  /// with one, the fault would be sent as IPC, which is not modelled.
  mutating func handleFault(thread: ObjectRef, _ fault: ThreadFault) -> Observation {
    guard cap(at: SlotRef(thread, TCBSlot.faultHandler.rawValue)).isNull else { return notModelled("fault IPC") }
    updateTCB(thread) { $0.state = .inactive }
    if ksCurThread == thread { ksCurThread = nil }
    return Observation(caller: thread, fault: fault, current: ksCurThread)
  }
}

// One kernel step (`handleEvent`, `handleSyscall`, `handleInvocation`, `handleFault` in the
// Haskell model), as the capability-core contract fixes it.
//
// Only the current thread runs. Send, NBSend and Call invoke a capability: look up the invoked
// cap and the extra caps (a failure is a CapFault for the blocking sends, silence for NBSend),
// decode by cap type, perform. Call gets an error reply or an empty success reply, written into the
// caller's user context (`replyFromKernel`); Send and NBSend get nothing (and a Signal answers
// not even a Call). Recv, NBRecv, Wait and NBWait receive on a notification (`handleRecv`;
// `Notification.swift`) or an endpoint (`Endpoint.swift`; Recv and NBRecv there with a reply
// object, `Reply.swift`); ReplyRecv replies through its reply register's cap, then receives;
// NBSendRecv (through the cap its destination register names, then a Recv) and NBSendWait
// (through the reply register's cap, then a Wait) likewise. Yield puts the caller at the tail of
// its ready queue. Interrupts are not modelled yet and change nothing; time passes
// (`Budget.swift`), and an event whose budget check raised a Timeout fault reports it. After the
// event the scheduler runs (`Scheduler.swift`). A fault goes to the handler cap in the TCB's
// `faultHandler` slot as IPC (`Fault.swift`): with none the thread stops. What user space sees is
// read off the state by `observe` (`Observe.swift`), from the facts of the event `handleEvent`
// returns (`EventRecord`).
// Twins: `AbstractSpec/Syscall.swift`, `Kernel/Syscall.swift`.

public import KernelABI

extension ExecState {
  /// Apply one event.
  public mutating func step(_ event: Event) -> Observation {
    choiceLog = []
    // Two statements: `observe(callKernel(event))` would read `self` before the event changed it.
    let record = callKernel(event)
    return observe(record)
  }

  /// One kernel entry (`callKernel`): handle the event, then `schedule` and `activateThread`.
  mutating func callKernel(_ event: Event) -> EventRecord {
    // Time that passes before the timer's deadline enters no kernel (`Budget.swift` `timerTick`).
    if case .timerTick(let ticks) = event, !timerTick(ticks) {
      return EventRecord(caller: isIdle(ksCurThread) ? nil : ksCurThread)
    }
    // An interrupt on a masked line, the timer's or no line at all is held back by the controller
    // (`Interrupt.swift` `interruptArrives`).
    if case .interrupt(let irq) = event, !interruptArrives(irq) {
      return EventRecord(caller: isIdle(ksCurThread) ? nil : ksCurThread)
    }
    let record = handleEvent(event)
    schedule()
    activateThread()
    return record
  }

  /// `handleEvent`: a system call by the current thread, an interrupt, time.
  mutating func handleEvent(_ event: Event) -> EventRecord {
    // The idle thread is no caller: user space sees none (nil).
    let caller: ObjectRef? = isIdle(ksCurThread) ? nil : ksCurThread
    switch event {
    // Each system call or fault first reads the clock and is handled only if the budget still
    // covers the time used (`MCS_DO_IF_BUDGET`).
    case .syscall(let call, let arguments):
      guard let thread = caller else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.tcbFault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleSyscall(thread, call, arguments)
    // An unknown syscall number faults the caller.
    case .unknownSyscall(let number):
      guard let thread = caller else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.tcbFault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleFault(thread, .unknownSyscall(number: number))
    // A user-level exception faults the caller.
    case .userException(let number, let code):
      guard let thread = caller else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.tcbFault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleUserLevelFault(thread, number, code)
    // A device interrupt: `handleInterruptEntry` (`Interrupt.swift` `handleInterrupt`).
    case .interrupt(let irq):
      updateTimestamp()
      let before = caller.flatMap { tcb(at: $0)?.tcbFault }
      _ = checkBudget()
      handleInterrupt(irq)
      return EventRecord(caller: caller, fault: timeoutFaultRaised(caller, since: before))
    // The timer fired: `handleInterruptEntry` with IRQTimer (`ackDeadlineIRQ`, `ksReprogram`).
    case .timerTick:
      updateTimestamp()
      let before = caller.flatMap { tcb(at: $0)?.tcbFault }
      _ = checkBudget()
      ksReprogram = true
      return EventRecord(caller: caller, fault: timeoutFaultRaised(caller, since: before))
    }
  }

  /// The record of an operation the slice does not model: nothing changes.
  func notModelled(_ what: NotModelled) -> EventRecord {
    EventRecord(caller: isIdle(ksCurThread) ? nil : ksCurThread, notModelled: what)
  }

  /// `handleSyscall`: the three sends invoke a cap, the receives receive, ReplyRecv, NBSendRecv
  /// and NBSendWait do both.
  mutating func handleSyscall(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments) -> EventRecord {
    switch call {
    case .send:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: true)
    case .nbSend:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: false)
    case .call:
      // A Call may donate its scheduling context (`seL4:src/api/syscall.c` handleSyscall, SysCall).
      return handleInvocation(thread, arguments, isCall: true, isBlocking: true, canDonate: true)
    case .yield:
      handleYield(thread)
      return EventRecord(caller: thread)
    case .recv, .wait:
      return handleRecv(thread, call, arguments, isBlocking: true)
    case .nbRecv, .nbWait:
      return handleRecv(thread, call, arguments, isBlocking: false)
    // ReplyRecv: a non-blocking first phase through the reply register's cap, then a Recv (nothing
    // in the receive phase is not modelled, so the first phase's effects always stand).
    case .replyRecv:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.replyRegister)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    // NBSendRecv: a non-blocking first phase through the cap `nbsendRecvDest` names, then a Recv
    // with the reply register's reply object; a failed first phase is heard by nobody and the
    // receive runs all the same (see `AbstractSpec/Syscall.swift`; `seL4:src/api/syscall.c`
    // handleSyscall, SysNBSendRecv).
    case .nbSendRecv:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.nbSendRecvDestination)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    // NBSendWait: the first phase through the reply register's cap, then a Wait without a reply
    // object (SysNBSendWait).
    case .nbSendWait:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.replyRegister)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    }
  }

  /// `handleRecv` (see `AbstractSpec/Syscall.swift`): a failed lookup, a cap without Read, a
  /// notification bound to another thread or a cap of another kind is a receive-phase CapFault;
  /// a notification is waited on or polled (`receiveSignal`); an endpoint is received on
  /// (`receiveIPC`; MCS Recv, NBRecv, ReplyRecv and NBSendRecv look up a reply cap first).
  mutating func handleRecv(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments, isBlocking: Bool)
    -> EventRecord
  {
    let cptr = arguments.capRegister
    func capFault(_ failure: LookupFailure) -> EventRecord {
      handleFault(thread, .capFault(address: cptr, inReceivePhase: true, failure: failure))
    }
    let cap: Capability
    do { cap = try lookupCap(thread, cptr).cap } catch { return capFault(error.failure) }
    switch cap {
    case .endpoint(let ep, _, let rights):
      guard rights.contains(.read) else { return capFault(.missingCapability(bitsLeft: 0)) }
      // MCS Recv and NBRecv: `lookupReply` (see `AbstractSpec/Syscall.swift`).
      var replyObject: ObjectRef? = nil
      if call.receiveUsesReplyCap {
        let replyCPtr = arguments.replyRegister
        let replyCap: Capability
        do { replyCap = try lookupCap(thread, replyCPtr).cap } catch {
          return handleFault(thread, .capFault(address: replyCPtr, inReceivePhase: true, failure: error.failure))
        }
        guard case .reply(let r, _) = replyCap else {
          return handleFault(
            thread, .capFault(address: replyCPtr, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
        }
        replyObject = r
      }
      storeReceiveSlot(thread, arguments)
      receiveIPC(thread, ep, isBlocking: isBlocking, reply: replyObject)
      return EventRecord(caller: thread)
    case .notification(let ntfn, _, let rights):
      let bound = notification(at: ntfn)?.ntfnBoundTCB
      guard rights.contains(.read), bound == nil || bound == thread else {
        return capFault(.missingCapability(bitsLeft: 0))
      }
      receiveSignal(thread, ntfn, isBlocking: isBlocking)
      return EventRecord(caller: thread)
    default:
      return capFault(.missingCapability(bitsLeft: 0))
    }
  }

  /// `handleYield` (seL4:src/api/syscall.c, MCS; see `AbstractSpec/Syscall.swift`): the whole
  /// head refill is charged (`chargeBudget`), `scConsumed` keeps only the time really used.
  mutating func handleYield(_ thread: ObjectRef) {
    let sc = ksCurSC
    guard let context = schedContext(at: sc) else {
      chargeBudget(0, canTimeoutFault: false)
      return
    }
    let consumed = context.scConsumed &+ ksConsumed
    chargeBudget(context.refill(at: context.scRefillHead).rAmount, canTimeoutFault: false)
    updateSchedContext(sc) { $0.scConsumed = consumed }
  }

  /// `handleInvocation`: the send phase of Send, NBSend and Call.
  mutating func handleInvocation(
    _ thread: ObjectRef, _ arguments: SyscallArguments, isCall: Bool, isBlocking: Bool, canDonate: Bool = false,
    firstPhase: Bool = false, cptr: UInt64? = nil
  )
    -> EventRecord
  {
    let info = arguments.info
    let args = (0..<Int(info.length)).map { i in
      i < arguments.messageRegisters.count ? arguments.messageRegisters[i] : 0
    }
    // Lookups: a failure is a fault for a blocking send, and nothing at all for NBSend.
    let invoked: (cap: Capability, slot: SlotRef)
    var extraCaps: [Capability] = []
    var extraCapSlots: [SlotRef] = []
    do {
      invoked = try lookupCap(thread, cptr ?? arguments.capRegister)
    } catch {
      return lookupFailed(thread, address: cptr ?? arguments.capRegister, error.failure, isBlocking: isBlocking)
    }
    for i in 0..<Int(info.extraCaps) {
      let cptr = i < arguments.extraCaps.count ? arguments.extraCaps[i] : 0
      do {
        let found = try lookupCap(thread, cptr)
        extraCaps.append(found.cap)
        extraCapSlots.append(found.slot)
      } catch {
        return lookupFailed(thread, address: cptr, error.failure, isBlocking: isBlocking)
      }
    }
    let outcome: InvocationOutcome
    do throws(SyscallError) {
      let invocation = try decodeInvocation(
        label: info.label, args: args, cap: invoked.cap, slot: invoked.slot, extraCaps: extraCaps,
        extraCapSlots: extraCapSlots, firstPhase: firstPhase)
      switch invocation {
      // A send through an endpoint or a reply: the message is the sender's registers.
      case .endpoint, .reply:
        storeSentMessage(thread, arguments)
        // A Call's IPC buffer names where a granted reply's cap goes, read at the reply
        // (`seL4:src/kernel/thread.c` doReplyTransfer → transferCaps → getReceiveSlots(caller)).
        if isCall, case .endpoint = invocation { storeReceiveSlot(thread, arguments) }
        outcome = performInvocation(invocation, isBlocking: isBlocking, isCall: isCall, canDonate: canDonate)
      default:
        outcome = performInvocation(invocation, isBlocking: isBlocking, isCall: isCall)
      }
    } catch {
      outcome = .failed(error)
    }
    switch outcome {
    case .notModelled(let what):
      return notModelled(what)
    // A decode error is answered only to a Call.
    case .failed(let error):
      guard isCall else { return EventRecord(caller: thread) }
      replyFromKernel(thread, ReplyMessage(error: error))
      return EventRecord(caller: thread, replied: true)
    // A Signal set the caller Running before it was performed: no reply, even to a Call.
    case .doneRunning:
      return EventRecord(caller: thread)
    // TCB_ReadRegisters answers a Call with the registers it read, and a send not at all.
    case .replied(let reply):
      guard isCall else { return EventRecord(caller: thread) }
      replyFromKernel(thread, reply)
      return EventRecord(caller: thread, replied: true)
    // Success: a Call gets the empty reply, if the caller still runs.
    case .done:
      guard isCall && callerStillRuns(thread) else { return EventRecord(caller: thread) }
      replyFromKernel(thread, .success)
      return EventRecord(caller: thread, replied: true)
    }
  }

  /// Whether the caller of an invocation that succeeded is answered: seL4's `handleInvocation`
  /// makes the caller Restart for the invocation and answers it only if it still is, so a caller
  /// that suspended or deleted itself gets no reply. The caller was Running when it called, so
  /// "still Restart" is "still current and Running" here.
  func callerStillRuns(_ thread: ObjectRef) -> Bool {
    ksCurThread == thread && tcb(at: thread)?.state == .running
  }

  /// `replyFromKernel` (seL4 `replyFromKernel_error` and `replyFromKernel_success_empty`,
  /// `src/kernel/thread.c`): the badge register becomes 0, the reply's registers are written from
  /// MR0 (`setMRs`; `setMRs_syscall_error` for an error), and the message-info register gets
  /// label = error code (0: success) and length = the registers written (`setMessageInfo`).
  mutating func replyFromKernel(_ thread: ObjectRef, _ reply: ReplyMessage) {
    updateTCB(thread) { tcb in
      tcb.context.badgeRegister = 0
      for (index, value) in reply.registers.enumerated() { tcb.context.setMR(index, value) }
      tcb.context.msgInfoRegister = reply.info.word
    }
  }

  /// A failed invoked- or extra-cap lookup: a CapFault when blocking, else silence.
  mutating func lookupFailed(_ thread: ObjectRef, address: UInt64, _ failure: LookupFailure, isBlocking: Bool)
    -> EventRecord
  {
    guard isBlocking else { return EventRecord(caller: thread) }
    return handleFault(thread, .capFault(address: address, inReceivePhase: false, failure: failure))
  }

  /// `handleUserLevelFault(w_a, w_b)` (`seL4:src/api/syscall.c`): a UserException fault with the
  /// exception's number (its low 32 bits) and code (its low 28 bits), handled as any fault
  /// (`l4v:spec/abstract/Syscall_A.thy` `handle_event (UserLevelFault w1 w2)`, which masks them as
  /// the fault word's fields `seL4_Fault_UserException` hold them). MCS first updates the time
  /// stamp and checks the budget (`MCS_DO_IF_BUDGET`, in the entry before this runs): the fault is
  /// raised only when the budget suffices.
  mutating func handleUserLevelFault(_ thread: ObjectRef, _ number: UInt64, _ code: UInt64) -> EventRecord {
    handleFault(thread, .userException(number: number & 0xFFFF_FFFF, code: code & 0xFFF_FFFF))
  }

  /// `handleFault` (MCS): `sendFaultIPC` through the fault-handler slot's cap (`Fault.swift`),
  /// which may donate if the thread has a scheduling context; with no handler,
  /// `handleNoFaultHandler`.
  mutating func handleFault(_ thread: ObjectRef, _ fault: ThreadFault) -> EventRecord {
    let handlerCap = getCap(SlotRef(thread, TCBSlot.faultHandler.rawValue))
    let canDonate = tcb(at: thread)?.schedContext != nil
    if !sendFaultIPC(thread, handlerCap, fault, canDonate: canDonate) { handleNoFaultHandler(thread) }
    return EventRecord(caller: thread, fault: fault)
  }
}

// One kernel step (seL4 `src/api/syscall.c`: `handleSyscall`, `handleInvocation`;
// `src/kernel/faulthandler.c handleFault`; `handleEvent` as the Haskell model names it).
//
// Send, NBSend and Call look up the invoked cap and the extra caps in the
// current thread's CSpace and decode the invocation by cap type. A failed lookup is a CapFault for
// the blocking calls and nothing for NBSend; a decode error is an error reply for Call and nothing
// otherwise, written into the caller's TCB words (`replyFromKernel`). Faults go to the thread's
// fault handler as IPC (`Fault.swift`); with none, the thread stops. Recv, NBRecv, Wait and NBWait receive on a
// notification or an endpoint (`handleRecv`, `Notification.swift`, `Endpoint.swift`); ReplyRecv
// replies through its reply register's cap, then receives (`Reply.swift`); NBSendRecv sends
// through the cap its destination register names, then receives with a reply object; NBSendWait
// sends through the reply register's cap, then waits without one. Yield puts the caller at the
// tail of its ready queue. After the event the scheduler runs (`Scheduler.swift`). What user
// space sees is read off the state by `observe` (`Observe.swift`), from the facts of the event
// `handleEvent` returns (`EventRecord`).
// Twins: `AbstractSpec/Syscall.swift`, `ExecutableSpec/Syscall.swift`.

public import KernelABI

extension KernelState {
  /// Apply one event.
  public mutating func step(_ event: Event) -> Observation {
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
    // A device interrupt: `handleInterruptEntry` (`Interrupt.swift` `handleInterrupt`).
    case .interrupt(let irq):
      updateTimestamp()
      let before = caller.flatMap { tcbFault(of: $0) }
      _ = checkBudget()
      handleInterrupt(irq)
      return EventRecord(caller: caller, fault: timeoutFaultRaised(caller, since: before))
    // The timer fired: `handleInterruptEntry` with IRQTimer (`ackDeadlineIRQ`, `ksReprogram`).
    case .timerTick:
      updateTimestamp()
      let before = caller.flatMap { tcbFault(of: $0) }
      _ = checkBudget()
      ksReprogram = true
      return EventRecord(caller: caller, fault: timeoutFaultRaised(caller, since: before))
    // Each system call or fault first reads the clock and is handled only if the budget still
    // covers the time used (`MCS_DO_IF_BUDGET`).
    case .unknownSyscall(let number):
      guard let thread = caller else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcbFault(of: thread)
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleFault(thread, .unknownSyscall(number: number))
    // A user-level exception faults the caller.
    case .userException(let number, let code):
      guard let thread = caller else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcbFault(of: thread)
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleUserLevelFault(thread, number, code)
    case .syscall(let call, let arguments):
      guard let thread = caller else { return EventRecord(caller: nil) }
      // Call and ReplyRecv try the fastpath first (`Fastpath.swift`). seL4's MCS fastpath reads
      // no clock; this model's reads it first and takes the fastpath only when the slowpath would
      // do the same: the budget covers the time used and no release is due (docs/time-plan.md,
      // risk R3; a model-only deviation like `FastpathFallback.noSchedContext`).
      updateTimestamp()
      if fastpathEnabled, fastpathTimeAllows(), let record = fastpath(thread, call, arguments) { return record }
      let before = tcbFault(of: thread)
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleSyscall(thread, call, arguments)
    }
  }

  /// Whether time lets the fastpath run (model only, see `handleEvent`): `ksCurSC`'s head refill
  /// covers `ksConsumed` (`checkBudget` would pass without charging) and the release queue's head
  /// is not due (`awaken` would do nothing), and the current domain has not expired (`checkBudget`
  /// would fail).
  func fastpathTimeAllows() -> Bool {
    if let head = activeHeadRefill(ksCurSC),
      !RefillBuffer<UInt64>.refillSufficient(head, usage: ksConsumed, minBudget: TimeConfig.minBudget)
    {
      return false
    }
    guard !isCurDomainExpired() else { return false }
    let first = releaseQueueEnds().head
    return first == 0 || tcbReadyTime(first) > ksCurTime
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
    // NBSendRecv: `handleInvocation(false, false, true, true, getNBSendRecvDest())`, then
    // `handleRecv(true, true)`; a first phase that fails returns EXCEPTION_NONE all the same, so
    // the receive runs (`seL4:src/api/syscall.c` handleSyscall, SysNBSendRecv).
    case .nbSendRecv:
      let dest = seams.nbSendRecvDest?(arguments) ?? arguments.nbSendRecvDestination
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true, cptr: dest)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    // NBSendWait: the same first phase through the reply register's cap, then
    // `handleRecv(true, false)`: a Wait without a reply object (SysNBSendWait).
    case .nbSendWait:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.replyRegister)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    }
  }

  /// `handleRecv(isBlocking, canReply)`: look up the cap register's cap; a notification cap with
  /// `capNtfnCanReceive`, not bound to another thread, is waited on or polled (`receiveSignal`);
  /// an endpoint cap with `capEPCanReceive` receives IPC (`receiveIPC`; MCS Recv, NBRecv and
  /// ReplyRecv look up the reply cap first, `lookupReply`). Any other outcome is a
  /// receive-phase CapFault
  /// (`lookup_fault_missing_capability(0)` unless the lookup itself failed).
  mutating func handleRecv(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments, isBlocking: Bool)
    -> EventRecord
  {
    let cptr = arguments.capRegister
    func capFault(_ failure: LookupFailure) -> EventRecord {
      handleFault(thread, .capFault(address: cptr, inReceivePhase: true, failure: failure))
    }
    let cap: Capability
    switch lookupSlot(thread, cptr) {
    case .failed(let failure): return capFault(failure)
    case .found(let slot, _): cap = getCap(slot)
    }
    switch cap {
    case .endpoint(let ep, _, let rights):
      guard rights.contains(.read) else { return capFault(.missingCapability(bitsLeft: 0)) }
      // MCS Recv and NBRecv: `lookupReply` (see `AbstractSpec/Syscall.swift`).
      var reply: ObjectRef = 0
      if call.receiveUsesReplyCap {
        let replyCPtr = arguments.replyRegister
        let replyCap: Capability
        switch lookupSlot(thread, replyCPtr) {
        case .failed(let failure):
          return handleFault(thread, .capFault(address: replyCPtr, inReceivePhase: true, failure: failure))
        case .found(let slot, _): replyCap = getCap(slot)
        }
        guard case .reply(let r, _) = replyCap else {
          return handleFault(
            thread, .capFault(address: replyCPtr, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
        }
        reply = r
      }
      storeReceiveSlot(thread, arguments)
      receiveIPC(thread, ep, isBlocking: isBlocking, reply: reply)
      return EventRecord(caller: thread)
    case .notification(let ntfn, _, let rights):
      let bound = objects[ntfn] == .notification ? ntfnBoundTCB(of: ntfn) : 0
      guard rights.contains(.read), bound == 0 || bound == thread else {
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
    guard let scConsumed = scConsumed(of: sc), let head = scRefillHead(of: sc) else {
      chargeBudget(0, canTimeoutFault: false)
      return
    }
    let consumed = scConsumed &+ ksConsumed
    chargeBudget(refill(of: sc, at: head)?.rAmount ?? 0, canTimeoutFault: false)
    storeIfChanged(sc &+ ObjectLayout.scConsumed, consumed)
  }

  /// `handleInvocation`: look up the invoked and extra caps, decode, invoke, reply.
  mutating func handleInvocation(
    _ thread: ObjectRef, _ arguments: SyscallArguments, isCall: Bool, isBlocking: Bool, canDonate: Bool = false,
    firstPhase: Bool = false, cptr: UInt64? = nil
  )
    -> EventRecord
  {
    let info = MessageInfo(word: arguments.messageInfo)
    func capFault(_ cptr: UInt64, _ failure: LookupFailure) -> EventRecord {
      guard isBlocking else { return EventRecord(caller: thread) }
      return handleFault(thread, .capFault(address: cptr, inReceivePhase: false, failure: failure))
    }
    let capSlot: UInt64
    let invoked = cptr ?? arguments.capRegister
    switch lookupSlot(thread, invoked) {
    case .failed(let failure): return capFault(invoked, failure)
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
      let invocation = try decodeInvocation(info.label, capSlot, message, firstPhase: firstPhase)
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
      return EventRecord(caller: thread, notModelled: what)
    // A decode error is answered only to a Call; nothing changed, so the caller still runs.
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
    // A thread destroyed by its own invocation gets no reply.
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
    ksCurThread == thread && threadState(of: thread) == .running
  }

  /// `replyFromKernel_error` and `replyFromKernel_success_empty` (`src/kernel/thread.c`): the
  /// badge register becomes 0 (`setRegister(thread, badgeRegister, 0)`), the reply's registers are
  /// written from MR0 (`setMRs_syscall_error` for an error), and the message-info register gets
  /// label = error code (0: success) and length = the registers written (`setRegister(thread,
  /// msgInfoRegister, wordFromMessageInfo(...))`).
  mutating func replyFromKernel(_ thread: ObjectRef, _ reply: ReplyMessage) {
    setBadgeRegister(thread, 0)
    for (index, value) in reply.registers.enumerated() { setMR(thread, index, value) }
    setMsgInfoRegister(thread, reply.info.word)
  }

  /// `handleUserLevelFault(w_a, w_b)` (`seL4:src/api/syscall.c`): a UserException fault with the
  /// exception's number (its low 32 bits) and code (its low 28 bits), handled as any fault
  /// (`l4v:spec/abstract/Syscall_A.thy` `handle_event (UserLevelFault w1 w2)`, which masks them as
  /// the fault word's fields `seL4_Fault_UserException` hold them). MCS first updates the time
  /// stamp and checks the budget (`MCS_DO_IF_BUDGET`, in the entry before this runs): the fault is
  /// raised only when the budget suffices.
  mutating func handleUserLevelFault(_ thread: ObjectRef, _ number: UInt64, _ code: UInt64) -> EventRecord {
    let fault =
      seams.userExceptionFault?(number, code) ?? .userException(number: number & 0xFFFF_FFFF, code: code & 0xFFF_FFFF)
    return handleFault(thread, fault)
  }

  /// `handleFault(tptr)` (MCS): `sendFaultIPC(tptr, faultHandlerCap, tptr->tcbSchedContext !=
  /// NULL)` (`Fault.swift`); with no handler, `handleNoFaultHandler`.
  mutating func handleFault(_ thread: ObjectRef, _ fault: ThreadFault) -> EventRecord {
    let handlerCap = getCap(KernelState.tcbCTE(thread, .faultHandler))
    let canDonate = (schedContextWord(of: thread) ?? 0) != 0
    if !sendFaultIPC(thread, handlerCap, fault, canDonate: canDonate) { handleNoFaultHandler(thread) }
    return EventRecord(caller: thread, fault: fault)
  }
}

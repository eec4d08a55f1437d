// One kernel step: which event arrived, what the current thread asked for, what it sees back.
//
// Only the current thread runs. Send, NBSend and Call invoke a capability (`handleInvocation`);
// Recv, NBRecv, Wait and NBWait receive on a notification or an endpoint (`handleRecv`; Recv and
// NBRecv with a reply object); ReplyRecv invokes its reply register's cap, then receives;
// NBSendRecv invokes the cap its destination register names, then receives with a reply object;
// NBSendWait invokes the reply register's cap, then waits without one; Yield gives way. The
// invocation reads the message-info word and the message registers, looks up the invoked cap and
// the extra caps in the caller's CSpace (a failure is a capability fault, raised only by blocking
// calls), decodes the invocation by the cap's type, and performs it. A decode error is answered
// only to a Call; a success answers a Call with an empty reply, written into the caller's user
// context (`reply_from_kernel`). Faults go to the thread's fault handler as IPC (`Fault.swift`);
// without one the thread stops. Device interrupts are handled in `Interrupt.swift`; the invocations
// no layer models yet are reported as not modelled and change nothing. After the event the scheduler runs
// (`Scheduler.swift`), so the thread that runs next may be another. What user space sees is read
// off the state by `observe` (`Observe.swift`), from the facts of the event `handleEvent` returns
// (`EventRecord`).
// Twins: `ExecutableSpec/Syscall.swift`, `Kernel/Syscall.swift`.
// (`seL4:src/api/syscall.c`, `l4v:spec/abstract/Syscall_A.thy`; contract: docs/capability-core.md.)

public import KernelABI

/// The abstract spec's free choices for one step (l4v `select_ext`), read from the choices a lower
/// layer recorded in the same step (`Choice`), and the recorded choices it refused. Only revoke
/// chooses today: which descendant to delete next. With no recorded choice for an operation the
/// spec makes its own deterministic choice (the smallest child first).
public struct AbstractChoices {
  /// The recorded choices not yet used.
  var recorded: [Choice]
  /// The recorded choices the spec did not allow (each was replaced by the spec's own choice).
  public var refused: [String] = []

  /// A chooser that follows `recorded` (a lower layer's choices in this step, in order).
  public init(following recorded: [Choice] = []) { self.recorded = recorded }

  /// The deletion order recorded for a revoke of `slot`, taken from the log; nil when none was
  /// recorded (the spec then chooses for itself).
  mutating func revokeOrder(_ slot: SlotRef) -> [SlotRef]? {
    for (i, choice) in recorded.enumerated() {
      if case .revokeOrder(slot, let deleted) = choice {
        recorded.remove(at: i)
        return deleted
      }
    }
    return nil
  }
}

extension AbstractState {
  /// Apply one event (`call_kernel`), making the spec's own choices.
  public mutating func step(_ event: Event) -> Observation {
    var choices = AbstractChoices()
    return step(event, choices: &choices)
  }

  /// Apply one event (`call_kernel`), with its nondeterminism resolved by `choices`.
  public mutating func step(_ event: Event, choices: inout AbstractChoices) -> Observation {
    // Two statements: `observe(callKernel(...))` would read `self` before the event changed it.
    let record = callKernel(event, choices: &choices)
    return observe(record)
  }

  /// One kernel entry (`call_kernel`): handle the event, then let the scheduler pick the thread
  /// that runs next and activate it.
  mutating func callKernel(_ event: Event, choices: inout AbstractChoices) -> EventRecord {
    // Time that passes before the timer's deadline enters no kernel (`Budget.swift` `timerTick`).
    if case .timerTick(let ticks) = event, !timerTick(ticks) {
      return EventRecord(caller: isIdle(currentThread) ? nil : currentThread)
    }
    // An interrupt on a masked line, the timer's or no line at all is held back by the controller
    // (`Interrupt.swift` `interruptArrives`).
    if case .interrupt(let irq) = event, !interruptArrives(irq) {
      return EventRecord(caller: isIdle(currentThread) ? nil : currentThread)
    }
    let record = handleEvent(event, choices: &choices)
    schedule()
    activateThread()
    return record
  }

  /// Handle one event (`handle_event`): a system call by the current thread, an interrupt, time.
  mutating func handleEvent(_ event: Event, choices: inout AbstractChoices) -> EventRecord {
    // The idle thread is no caller: user space sees none (nil).
    let current: ObjectRef? = isIdle(currentThread) ? nil : currentThread
    switch event {
    // A device interrupt (`Interrupt.swift`): the MCS interrupt entry reads the clock and checks
    // the budget (its answer unused), then handles the line (`seL4:src/api/syscall.c`
    // handleInterruptEntry).
    case .interrupt(let irq):
      updateTimestamp()
      let before = current.flatMap { tcb(at: $0)?.fault }
      _ = checkBudget()
      handleInterrupt(irq)
      return EventRecord(caller: current, fault: timeoutFaultRaised(current, since: before))
    // The timer fired (`callKernel` let the clock reach the deadline): the interrupt entry reads
    // the clock and checks the budget (its answer unused), and the timer interrupt asks for the
    // timer to be reprogrammed (`seL4:src/api/syscall.c` handleInterruptEntry,
    // `src/object/interrupt.c` handleInterrupt, IRQTimer).
    case .timerTick:
      updateTimestamp()
      let before = current.flatMap { tcb(at: $0)?.fault }
      _ = checkBudget()
      reprogramTimer = true
      return EventRecord(caller: current, fault: timeoutFaultRaised(current, since: before))
    // A system call needs a thread to make it; the idle thread makes none. Each first reads the
    // clock and is handled only if the budget still covers the time used (`MCS_DO_IF_BUDGET`).
    case .unknownSyscall(let number):
      guard let thread = current else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.fault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleFault(thread, .unknownSyscall(number: number))
    // A user-level exception faults the caller.
    case .userException(let number, let code):
      guard let thread = current else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.fault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleUserLevelFault(thread, number, code)
    case .syscall(let call, let arguments):
      guard let thread = current else { return EventRecord(caller: nil) }
      updateTimestamp()
      let before = tcb(at: thread)?.fault
      guard checkBudgetRestart() else {
        return EventRecord(caller: thread, fault: timeoutFaultRaised(thread, since: before))
      }
      return handleSyscall(thread, call, arguments, &choices)
    }
  }

  /// Dispatch a known system call of `thread` (`handle_syscall`): the three sends invoke a cap,
  /// the four receives receive, ReplyRecv, NBSendRecv and NBSendWait invoke a cap, then receive.
  mutating func handleSyscall(
    _ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments, _ choices: inout AbstractChoices
  ) -> EventRecord {
    switch call {
    case .send:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: true, &choices)
    case .nbSend:
      return handleInvocation(thread, arguments, isCall: false, isBlocking: false, &choices)
    case .call:
      // A Call may donate its scheduling context (`seL4:src/api/syscall.c` handleSyscall, SysCall).
      return handleInvocation(thread, arguments, isCall: true, isBlocking: true, canDonate: true, &choices)
    case .yield:
      handleYield(thread)
      return EventRecord(caller: thread)
    // Receiving, on a notification or an endpoint (`handleRecv`).
    case .recv, .wait:
      return handleRecv(thread, call, arguments, isBlocking: true)
    case .nbRecv, .nbWait:
      return handleRecv(thread, call, arguments, isBlocking: false)
    // ReplyRecv: a non-blocking first phase through the reply register's cap, which may donate
    // (a reply, for a reply cap), then a Recv (`handleSyscall`, MCS). Nothing in the receive phase
    // is not modelled (its faults are fault IPC, a passive receiver takes a donated context), so
    // the first phase's effects always stand, as in seL4.
    case .replyRecv:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.replyRegister, &choices)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    // NBSendRecv: the same two phases, the first through the cap `nbsendRecvDest` names, the
    // receive with the reply register's reply object. The first phase is non-blocking and no
    // Call: a failed lookup or a decode error is heard by nobody and the receive runs all the
    // same; only a preempted first phase would skip it, and nothing is preempted in this model
    // (`seL4:src/api/syscall.c` handleSyscall, SysNBSendRecv; `l4v:spec/abstract/Syscall_A.thy`
    // handle_event). Sent to a passive receiver, the message takes the sender's scheduling
    // context with it (`sendIPC` with canDonate), and the sender goes on to receive without one.
    case .nbSendRecv:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.nbSendRecvDestination, &choices)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    // NBSendWait: the first phase through the cap the reply register names, then a Wait, with no
    // reply object (`handleRecv(true, false)`, SysNBSendWait).
    case .nbSendWait:
      let first = handleInvocation(
        thread, arguments, isCall: false, isBlocking: false, canDonate: true, firstPhase: true,
        cptr: arguments.replyRegister, &choices)
      if first.notModelled != nil { return first }
      return handleRecv(thread, call, arguments, isBlocking: true)
    }
  }

  /// `handle_recv`: receive through the cap in the cap register. A failed lookup, a cap without
  /// Read, a notification bound to another thread, or a cap that cannot be received on is a
  /// capability fault of the receive phase (the last three report a missing capability). On a
  /// notification the thread waits or polls (`receiveSignal`); on an endpoint it receives IPC
  /// (`receiveIPC`; MCS Recv, NBRecv, ReplyRecv and NBSendRecv first look up their reply cap
  /// (`canReply`, `Syscall.receiveUsesReplyCap`), Wait, NBWait and NBSendWait name none).
  /// (`seL4:src/api/syscall.c` `handleRecv`.)
  mutating func handleRecv(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments, isBlocking: Bool)
    -> EventRecord
  {
    let cptr = arguments.capRegister
    func capFault(_ failure: LookupFailure) -> EventRecord {
      handleFault(thread, .capFault(address: cptr, inReceivePhase: true, failure: failure))
    }
    let cap: Capability
    do throws(LookupError) { cap = try lookupCap(thread, cptr).cap } catch { return capFault(error.failure) }
    switch cap {
    case .endpoint(let ep, _, let rights):
      guard rights.contains(.read) else { return capFault(.missingCapability(bitsLeft: 0)) }
      // MCS Recv, NBRecv, ReplyRecv and NBSendRecv look up the reply object's cap
      // (`lookupReply`): a failed lookup or a cap that is no reply cap is a capability fault on
      // the reply register. Wait, NBWait and NBSendWait name none.
      var reply: ObjectRef? = nil
      if call.receiveUsesReplyCap {
        let replyCPtr = arguments.replyRegister
        let replyCap: Capability
        do throws(LookupError) { replyCap = try lookupCap(thread, replyCPtr).cap } catch {
          return handleFault(thread, .capFault(address: replyCPtr, inReceivePhase: true, failure: error.failure))
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
      let bound = notification(at: ntfn)?.boundTCB
      guard rights.contains(.read), bound == nil || bound == thread else {
        return capFault(.missingCapability(bitsLeft: 0))
      }
      receiveSignal(thread, ntfn, isBlocking: isBlocking)
      return EventRecord(caller: thread)
    default:
      return capFault(.missingCapability(bitsLeft: 0))
    }
  }

  /// `handle_yield` (MCS): the thread gives up the rest of its head refill: the whole head is
  /// charged to the refills (`charge_budget` of its amount, ending the timeslice: the thread goes
  /// to the tail of its ready queue or waits in the release queue), while `sc_consumed` grows only
  /// by the time really used. (`seL4:src/api/syscall.c` `handleYield`, `src/kernel/thread.c`
  /// `chargeBudget`, `endTimeslice`.)
  mutating func handleYield(_ thread: ObjectRef) {
    let sc = curSC
    guard let context = schedContext(at: sc) else {
      chargeBudget(0, canTimeoutFault: false)
      return
    }
    let consumed = context.consumed &+ consumedTime
    chargeBudget(context.refills.first?.rAmount ?? 0, canTimeoutFault: false)
    updateSchedContext(sc) { $0.consumed = consumed }
  }

  /// Invoke the cap `arguments.capRegister` names (`handle_invocation`): look up the cap and the
  /// extra caps, decode, perform, reply.
  mutating func handleInvocation(
    _ thread: ObjectRef, _ arguments: SyscallArguments, isCall: Bool, isBlocking: Bool, canDonate: Bool = false,
    firstPhase: Bool = false, cptr: UInt64? = nil, _ choices: inout AbstractChoices
  ) -> EventRecord {
    let info = arguments.info
    let registers = (0..<Int(info.length)).map {
      $0 < arguments.messageRegisters.count ? arguments.messageRegisters[$0] : 0
    }
    // A lookup failure is a fault, and only a blocking send raises it.
    let invoked: (cap: Capability, slot: SlotRef)
    var extraCapSlots: [SlotRef] = []
    do throws(ThreadFaultError) {
      invoked = try lookupCapFaulting(thread, cptr ?? arguments.capRegister)
      for i in 0..<Int(info.extraCaps) {
        let cptr = i < arguments.extraCaps.count ? arguments.extraCaps[i] : 0
        extraCapSlots.append(try lookupSlotFaulting(thread, cptr))
      }
    } catch {
      guard isBlocking else { return EventRecord(caller: thread) }
      return handleFault(thread, error.fault)
    }
    let args = InvocationArguments(
      label: info.label, registers: registers, extraCaps: extraCapSlots.map(getCap), extraCapSlots: extraCapSlots)
    let outcome: InvocationOutcome
    do throws(SyscallError) {
      let invocation = try decodeInvocation(args, invoked.cap, invoked.slot, firstPhase: firstPhase)
      switch invocation {
      // A send through an endpoint or a reply: the message is the sender's registers.
      case .endpoint, .reply:
        storeSentMessage(thread, arguments)
        // A Call's IPC buffer names where a granted reply's cap goes, read at the reply
        // (`seL4:src/kernel/thread.c` doReplyTransfer → transferCaps → getReceiveSlots(caller)).
        if isCall, case .endpoint = invocation { storeReceiveSlot(thread, arguments) }
        outcome = performInvocation(
          invocation, isBlocking: isBlocking, isCall: isCall, canDonate: canDonate, choices: &choices)
      default:
        outcome = performInvocation(invocation, isBlocking: isBlocking, isCall: isCall, choices: &choices)
      }
    } catch {
      outcome = .failed(error)
    }
    switch outcome {
    // Not modelled: nothing happened.
    case .notModelled(let what):
      return EventRecord(caller: thread, notModelled: what)
    // An error is answered only to a Call.
    case .failed(let error):
      guard isCall else { return EventRecord(caller: thread) }
      replyFromKernel(thread, ReplyMessage(error: error))
      return EventRecord(caller: thread, replied: true)
    // A Signal sets the caller Running before it is performed, so not even a Call is answered.
    case .doneRunning:
      return EventRecord(caller: thread)
    // TCB_ReadRegisters answers a Call with the registers it read, and a send not at all.
    case .replied(let reply):
      guard isCall else { return EventRecord(caller: thread) }
      replyFromKernel(thread, reply)
      return EventRecord(caller: thread, replied: true)
    // A success is answered with an empty reply, to a Call whose thread still runs.
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
    currentThread == thread && tcb(at: thread)?.state == .running
  }

  /// Answer `thread` from the kernel (`reply_from_kernel`; seL4 `replyFromKernel_error` and
  /// `replyFromKernel_success_empty`, `src/kernel/thread.c`): the badge register becomes 0, the
  /// reply's registers are written from MR0 (`set_mrs`; `setMRs_syscall_error` for an error),
  /// and the message-info register gets label = error code (0: success) and length = the
  /// registers written (`set_message_info`).
  mutating func replyFromKernel(_ thread: ObjectRef, _ reply: ReplyMessage) {
    updateTCB(thread) { tcb in
      tcb.context.badgeRegister = 0
      for (index, value) in reply.registers.enumerated() { tcb.context.setMR(index, value) }
      tcb.context.msgInfoRegister = reply.info.word
    }
  }

  /// `lookupCap` with its failure as the capability fault it raises.
  func lookupCapFaulting(_ thread: ObjectRef, _ cptr: UInt64) throws(ThreadFaultError) -> (
    cap: Capability, slot: SlotRef
  ) {
    do throws(LookupError) { return try lookupCap(thread, cptr) } catch {
      throw ThreadFaultError(.capFault(address: cptr, inReceivePhase: false, failure: error.failure))
    }
  }

  /// `lookupSlot` with its failure as the capability fault it raises.
  func lookupSlotFaulting(_ thread: ObjectRef, _ cptr: UInt64) throws(ThreadFaultError) -> SlotRef {
    do throws(LookupError) { return try lookupSlot(thread, cptr) } catch {
      throw ThreadFaultError(.capFault(address: cptr, inReceivePhase: false, failure: error.failure))
    }
  }

  /// `handleUserLevelFault(w_a, w_b)` (`seL4:src/api/syscall.c`): a UserException fault with the
  /// exception's number (its low 32 bits) and code (its low 28 bits), handled as any fault
  /// (`l4v:spec/abstract/Syscall_A.thy` `handle_event (UserLevelFault w1 w2)`, which masks them as
  /// the fault word's fields `seL4_Fault_UserException` hold them). MCS first updates the time
  /// stamp and checks the budget (`MCS_DO_IF_BUDGET`, in `handleEvent`).
  mutating func handleUserLevelFault(_ thread: ObjectRef, _ number: UInt64, _ code: UInt64) -> EventRecord {
    handleFault(thread, .userException(number: number & 0xFFFF_FFFF, code: code & 0xFFF_FFFF))
  }

  /// Deliver `fault` raised by `thread` (`handle_fault`, MCS): sent as IPC to the cap in its
  /// fault-handler slot (`send_fault_ipc`, `Fault.swift`), which may donate its scheduling context
  /// if it has one; with no handler the thread stops (`handle_no_fault_handler`).
  mutating func handleFault(_ thread: ObjectRef, _ fault: ThreadFault) -> EventRecord {
    let handlerCap = getCap(SlotRef(thread, TCBSlot.faultHandler.rawValue))
    let canDonate = tcb(at: thread)?.schedContext != nil
    if !sendFaultIPC(thread, handlerCap, fault, canDonate: canDonate) { handleNoFaultHandler(thread) }
    return EventRecord(caller: thread, fault: fault)
  }
}

/// A fault a lookup raised, as a thrown value.
struct ThreadFaultError: Error {
  var fault: ThreadFault
  init(_ fault: ThreadFault) { self.fault = fault }
}

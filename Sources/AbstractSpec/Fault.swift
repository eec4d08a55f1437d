// Faults delivered as IPC (MCS). A thread whose system call faults (a capability fault, an unknown
// system call) keeps the fault in its TCB (`tcb_fault`) and sends it to the endpoint of the cap in
// its fault-handler slot, as a blocking send that behaves like a Call: a handler waiting with a
// reply object (and a cap with Grant or GrantReply) receives the fault message (label: the fault
// type; words: `ThreadFault.messageRegisters`, with the handler cap's badge) and the faulter blocks
// on the reply object (`reply_push`), or stops when the handler named none; with no handler
// waiting the faulter queues on the endpoint and the message waits with it. A thread whose slot
// holds no valid handler stops (Inactive). The handler's reply (`do_reply_transfer`) does not
// transfer a message: it applies the fault's rule (`handle_fault_reply`): a CapFault restarts the
// thread; an UnknownSyscall copies the reply's first registers back into the faulter's registers
// (`Register.syscallMessage`, sanitised) and restarts it if the reply's label is 0, else stops it;
// a UserException (`Event.userException`, `handleUserLevelFault`) does the same with its three
// registers (`Register.exceptionMessage`: FaultIP, SP, SPSR).
// The fault is then cleared, as it is by `cancel_ipc`; a faulter a deleted endpoint drops from its
// queue stops instead of restarting (`restart_thread_if_no_fault`). A fault is sent with
// `canDonate` (the faulter has a scheduling context), so a handler without one that receives with
// a reply object runs on the faulter's (`reply_push`) until it replies. VM faults need virtual
// memory.
// Timeout faults (MCS): a thread whose scheduling context's budget runs out while it may take a
// timeout fault (`endTimeslice`, `Budget.swift`; `doReplyTransfer`, `Reply.swift`) and whose
// timeout-handler slot holds an endpoint cap (`validTimeoutHandler`) sends a Timeout fault with
// the context's badge through that cap (`handleTimeout`), without donating its scheduling
// context. The handler receives label 5, MR0 the badge and, when the faulter has a scheduling
// context, MR1 the microseconds it consumed since they were last read
// (`schedContextUpdateConsumed`, which resets them); the reply copies back up to 34 registers
// (`Register.timeoutMessage`) and restarts the thread iff its label is 0.
// The operations, in the order of the twins (`ExecutableSpec/Fault.swift`, `Kernel/Fault.swift`):
// `validTimeoutHandler`, `handleTimeout`, `sendFaultIPC`, `handleNoFaultHandler`,
// `doFaultTransfer` (which reads `schedContextUpdateConsumed`, in `SchedContext.swift`), `handleFaultReply`, `copyMRsFaultReply`,
// `restartThreadIfNoFault`, and the model's `timeoutFaultRaised` (what an event reports).
// (`seL4:src/kernel/faulthandler.c`, `src/api/faults.c` `setMRs_fault`, `handleFaultReply`,
// `copyMRsFaultReply`, `src/kernel/thread.c` `doFaultTransfer`, `doReplyTransfer`,
// `src/object/endpoint.c` `sendIPC`, `receiveIPC`, `cancelIPC`, `restart_thread_if_no_fault`;
// `l4v:spec/abstract/Ipc_A.thy` `send_fault_ipc`, `handle_fault`, `do_fault_transfer`,
// `handle_fault_reply`; Timeout faults: `seL4:include/kernel/faulthandler.h`
// `validTimeoutHandler`, `src/kernel/faulthandler.c` `handleTimeout`, `src/api/faults.c`
// `setMRs_fault` and `handleFaultReply` (`seL4_Fault_Timeout`), `src/object/schedcontext.c`
// `schedContext_updateConsumed`; `l4v-rt:spec/abstract/Ipc_A.thy` `handle_timeout`,
// `make_fault_msg`.)

import KernelABI

extension AbstractState {
  /// `valid_timeout_handler` (seL4 `validTimeoutHandler`): the thread's timeout-handler slot holds
  /// an endpoint cap.
  func validTimeoutHandler(_ thread: ObjectRef) -> Bool {
    if case .endpoint = getCap(SlotRef(thread, TCBSlot.timeoutHandler.rawValue)) { return true }
    return false
  }

  /// `handle_timeout` (seL4 `handleTimeout`): `fault` (a Timeout) is sent through the cap in the
  /// thread's timeout-handler slot (`send_fault_ipc` with `can_donate` false: the faulter keeps
  /// its scheduling context). Callers check `validTimeoutHandler` first.
  mutating func handleTimeout(_ thread: ObjectRef, _ fault: ThreadFault) {
    let handlerCap = getCap(SlotRef(thread, TCBSlot.timeoutHandler.rawValue))
    _ = sendFaultIPC(thread, handlerCap, fault, canDonate: false)
  }

  /// `send_fault_ipc` (MCS): with an endpoint cap that can send and grant in the handler slot,
  /// the thread keeps `fault` and sends it through the cap, blocking, with the cap's badge and
  /// rights; false when there is no such cap (the caller stops the thread).
  mutating func sendFaultIPC(_ thread: ObjectRef, _ handlerCap: Capability, _ fault: ThreadFault, canDonate: Bool)
    -> Bool
  {
    guard case .endpoint(let ep, let badge, let rights) = handlerCap, AbstractState.validFaultHandler(handlerCap)
    else { return false }
    updateTCB(thread) { $0.fault = fault }
    sendIPC(true, false, badge, rights.contains(.grant), rights.contains(.grantReply), canDonate, thread, ep)
    return true
  }

  /// `handle_no_fault_handler` (MCS): the thread stops.
  mutating func handleNoFaultHandler(_ thread: ObjectRef) {
    setThreadState(thread, .inactive)
  }

  /// `do_fault_transfer`: the receiver gets the sender's fault message (`make_fault_msg`): its
  /// words from MR0, the message-info register label = the fault type and length = the words,
  /// and the badge register `badge`.
  /// A Timeout's message is the badge, then, when the sender has a scheduling context, the
  /// microseconds it consumed (`schedContextUpdateConsumed`).
  mutating func doFaultTransfer(_ badge: UInt64, _ sender: ObjectRef, _ receiver: ObjectRef) {
    guard let from = tcb(at: sender), let fault = from.fault else { return }
    var words = fault.messageRegisters(reading: from.context.getRegister)
    if case .timeout = fault, let sc = from.schedContext {
      words.append(schedContextUpdateConsumed(sc))
    }
    updateTCB(receiver) { tcb in
      for (index, word) in words.enumerated() { tcb.context.setMR(index, word) }
      tcb.context.msgInfoRegister = MessageInfo(label: fault.faultType, length: UInt64(words.count)).word
      tcb.context.badgeRegister = badge
    }
  }

  /// `handle_fault_reply`: whether the faulter `receiver` restarts after `sender`'s reply to its
  /// `fault`. A CapFault always does; an UnknownSyscall first takes back the reply's first
  /// min(length, 12) registers and restarts iff the reply's label is 0; a UserException the same
  /// with 3, a Timeout with 34 (`Register.timeoutMessage`).
  mutating func handleFaultReply(_ receiver: ObjectRef, _ sender: ObjectRef, _ fault: ThreadFault) -> Bool {
    guard let replier = tcb(at: sender)?.context else { return false }
    let info = MessageInfo(word: replier.msgInfoRegister)
    switch fault {
    case .capFault:
      return true
    case .unknownSyscall:
      copyMRsFaultReply(sender, receiver, Register.syscallMessage, min(Int(info.length), Register.syscallMessage.count))
      return info.label == 0
    case .userException:
      copyMRsFaultReply(
        sender, receiver, Register.exceptionMessage, min(Int(info.length), Register.exceptionMessage.count))
      return info.label == 0
    case .timeout:
      copyMRsFaultReply(sender, receiver, Register.timeoutMessage, min(Int(info.length), Register.timeoutMessage.count))
      return info.label == 0
    }
  }

  /// `copy_mrs_fault_reply`: message register `i` of `sender` into register `registers[i]` of
  /// `receiver`, sanitised, for the first `length`.
  mutating func copyMRsFaultReply(_ sender: ObjectRef, _ receiver: ObjectRef, _ registers: [Register], _ length: Int) {
    guard let from = tcb(at: sender)?.context else { return }
    updateTCB(receiver) { tcb in
      for (index, register) in registers.prefix(length).enumerated() {
        tcb.context.setRegister(register, Register.sanitiseRegister(register, from.msgRegister(index)))
      }
    }
  }

  /// `restart_thread_if_no_fault` (MCS, `seL4:src/object/endpoint.c`): a thread taken off an
  /// endpoint's queue re-runs its system call and may run at once, unless it was sending a fault:
  /// then it stops. A sporadic scheduling context of the restarted thread is unblocked
  /// (`if_sporadic_cur_sc_assert_refill_unblock_check`).
  mutating func restartThreadIfNoFault(_ thread: ObjectRef) {
    guard tcb(at: thread)?.fault == nil else {
      setThreadState(thread, .inactive)
      return
    }
    setThreadState(thread, .restart)
    ifSporadicCurSCRefillUnblockCheck(tcb(at: thread)?.schedContext)
    possibleSwitchTo(thread)
  }

  /// The Timeout fault a kernel entry's budget check raised for `thread` (what its event
  /// reports as its fault): the thread's fault now, if it is a Timeout and was not `before`.
  func timeoutFaultRaised(_ thread: ObjectRef?, since before: ThreadFault?) -> ThreadFault? {
    guard let thread, let now = tcb(at: thread)?.fault, case .timeout = now, now != before else { return nil }
    return now
  }
}

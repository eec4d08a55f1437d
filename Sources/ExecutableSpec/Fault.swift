// Faults delivered as IPC (MCS), as the Haskell model has them (`SEL4.Kernel.FaultHandler`,
// `SEL4.API.Faults`): the thread's `tcbFault`, `sendFaultIPC` through the fault-handler slot's
// endpoint cap, the fault message (`makeFaultMessage`), and the reply's rule
// (`handleFaultReply`). What the operations do is said in `AbstractSpec/Fault.swift`. The
// operations, in the order of the twins (`AbstractSpec/Fault.swift`, `Kernel/Fault.swift`):
// `validTimeoutHandler`, `handleTimeout`, `sendFaultIPC`, `handleNoFaultHandler`,
// `doFaultTransfer` (which reads `schedContextUpdateConsumed`, in `SchedContext.swift`), `handleFaultReply`, `copyMRsFaultReply`,
// `restartThreadIfNoFault`, `timeoutFaultRaised`.
// (`seL4:src/kernel/faulthandler.c`, `include/kernel/faulthandler.h`, `src/api/faults.c`,
// `src/kernel/thread.c` `doFaultTransfer`, `src/object/endpoint.c` `restart_thread_if_no_fault`,
// `src/object/schedcontext.c` `schedContext_updateConsumed`;
// `l4v:spec/haskell/src/SEL4/Kernel/FaultHandler.lhs`.)

import KernelABI

extension ExecState {
  /// `validTimeoutHandler tptr`: the timeout-handler slot holds an endpoint cap.
  func validTimeoutHandler(_ thread: ObjectRef) -> Bool {
    if case .endpoint = getCap(SlotRef(thread, TCBSlot.timeoutHandler.rawValue)) { return true }
    return false
  }

  /// `handleTimeout tptr`: `sendFaultIPC` of the Timeout `fault` through the timeout-handler
  /// slot's cap, `canDonate` false.
  mutating func handleTimeout(_ thread: ObjectRef, _ fault: ThreadFault) {
    let handlerCap = getCap(SlotRef(thread, TCBSlot.timeoutHandler.rawValue))
    _ = sendFaultIPC(thread, handlerCap, fault, canDonate: false)
  }

  /// `sendFaultIPC tptr handlerCap canDonate` (MCS): an endpoint cap that can send and grant
  /// takes the fault (`tcbFault`) and a blocking send of it; false without one.
  mutating func sendFaultIPC(_ thread: ObjectRef, _ handlerCap: Capability, _ fault: ThreadFault, canDonate: Bool)
    -> Bool
  {
    guard case .endpoint(let ep, let badge, let rights) = handlerCap, ExecState.validFaultHandler(handlerCap)
    else { return false }
    updateTCB(thread) { $0.tcbFault = fault }
    sendIPC(true, false, badge, rights.contains(.grant), rights.contains(.grantReply), canDonate, thread, ep)
    return true
  }

  /// `handleNoFaultHandler` (MCS): the thread goes Inactive.
  mutating func handleNoFaultHandler(_ thread: ObjectRef) {
    setThreadState(thread, .inactive)
  }

  /// `doFaultTransfer badge sender receiver`: the fault message into the receiver's message
  /// registers, its label the fault type, and the badge.
  mutating func doFaultTransfer(_ badge: UInt64, _ sender: ObjectRef, _ receiver: ObjectRef) {
    guard let from = tcb(at: sender), let fault = from.tcbFault else { return }
    var sent = fault.messageRegisters(reading: from.context.getRegister)
    if case .timeout = fault, let sc = from.schedContext {
      sent.append(schedContextUpdateConsumed(sc))
    }
    updateTCB(receiver) { tcb in
      for (index, word) in sent.enumerated() { tcb.context.setMR(index, word) }
      tcb.context.msgInfoRegister = MessageInfo(label: fault.faultType, length: UInt64(sent.count)).word
      tcb.context.badgeRegister = badge
    }
  }

  /// `handleFaultReply receiver sender`: CapFault restarts; UnknownSyscall copies back
  /// min(length, `n_syscallMessage`) registers and restarts iff the label is 0.
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

  /// `copyMRsFaultReply`: the sender's message registers into the receiver's `registers`,
  /// sanitised (`sanitiseRegister`).
  mutating func copyMRsFaultReply(_ sender: ObjectRef, _ receiver: ObjectRef, _ registers: [Register], _ length: Int) {
    guard let from = tcb(at: sender)?.context else { return }
    for (index, register) in registers.prefix(length).enumerated() {
      setRegister(receiver, register, Register.sanitiseRegister(register, from.msgRegister(index)))
    }
  }

  /// `restart_thread_if_no_fault`: Restart and `possibleSwitchTo`, or Inactive for a thread with
  /// a fault.
  mutating func restartThreadIfNoFault(_ thread: ObjectRef) {
    guard tcb(at: thread)?.tcbFault == nil else {
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
    guard let thread, let now = tcb(at: thread)?.tcbFault, case .timeout = now, now != before else { return nil }
    return now
  }
}

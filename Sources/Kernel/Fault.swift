// Faults delivered as IPC (MCS), as the C kernel does it: the fault waits in two words of the
// TCB (`tcbFault`, seL4's `seL4_Fault_t`) with the lookup failure of a CapFault in two more
// (`tcbLookupFailure`, `lookup_fault_t`), packed as seL4's 64-bit `structures_64.bf` packs them;
// `sendFaultIPC` sends it through the fault-handler slot's endpoint cap; `doFaultTransfer` writes
// the fault message (`setMRs_fault`); `handleFaultReply` applies the reply's rule. What the
// operations do is said in `AbstractSpec/Fault.swift`. The operations, in the order of the twins
// (`AbstractSpec/Fault.swift`, `ExecutableSpec/Fault.swift`): `validTimeoutHandler`,
// `handleTimeout`, `sendFaultIPC`, `handleNoFaultHandler`, `doFaultTransfer` (it reads
// `schedContextUpdateConsumed`, in `SchedContext.swift`),
// `handleFaultReply`, `copyMRsFaultReply`,
// `restartThreadIfNoFault`, `timeoutFaultRaised`; then the words' accessors `tcbFault(of:)`, `lookupFailure(of:)`,
// `setTCBFault`.
// (`seL4:src/kernel/faulthandler.c`, `include/kernel/faulthandler.h`, `src/api/faults.c`,
// `src/object/schedcontext.c` `schedContext_updateConsumed`, `src/kernel/thread.c` `doFaultTransfer`,
// `doReplyTransfer`, `src/object/endpoint.c` `restart_thread_if_no_fault`,
// `include/object/structures_64.bf` `seL4_Fault`, `lookup_fault`.)

public import Bitwise
public import KernelABI

// MARK: - Word layouts

extension ObjectLayout {
  /// `tcbFault` (`seL4_Fault_t`, two words) and `tcbLookupFailure` (`lookup_fault_t`, two words),
  /// the 32 bytes below the IPC buffer's words (bytes 1,968 to 2,000 of the TCB's 2,048).
  /// `tcbFault`'s first word is the CapFault's address or the UnknownSyscall's number, its second
  /// the fault type and the CapFault's receive-phase flag (`faultWord1`) or the UserException's
  /// number and code; all zero is NullFault, as
  /// Retype leaves it. `tcbLookupFailure`'s first word is a guard mismatch's guard found, its
  /// second the failure's type and its bit counts (`lookupFaultWord1`). Clearing a fault writes
  /// NullFault and leaves the lookup failure as it was (seL4 `seL4_Fault_NullFault_new`); it is
  /// read only for a CapFault.
  public static let tcbFault: UInt64 = tcbCapsOrBadges &- 32
  public static let tcbLookupFailure: UInt64 = tcbCapsOrBadges &- 16
  /// `seL4_FaultType` (bits 3..0: 0 NullFault, 1 CapFault, 2 UnknownSyscall, 3 UserException, 5
  /// Timeout) and the CapFault's `inReceivePhase` (bit 63) in `tcbFault`'s second word. A
  /// Timeout's `badge` is the first word (`structures_64.bf` `block Timeout`).
  public static let faultType = BitField("seL4_FaultType", offset: 0, width: 4)
  public static let capFaultInReceivePhase = BitField("inReceivePhase", offset: 63, width: 1)
  public static let faultWord1 = BitLayout("seL4_Fault[1]", [capFaultInReceivePhase, faultType])
  /// A UserException's `number` (bits 63..32) and `code` (bits 31..4) in `tcbFault`'s second word,
  /// beside the fault type; its first word is padding, written 0 (`structures_64.bf` `block
  /// UserException`).
  public static let userExceptionNumber = BitField("number", offset: 32, width: 32)
  public static let userExceptionCode = BitField("code", offset: 4, width: 28)
  /// `lufType` (bits 1..0: 0 invalid_root, 1 missing_capability, 2 depth_mismatch, 3
  /// guard_mismatch) and two 7-bit counts in `tcbLookupFailure`'s second word: bits 8..2 hold
  /// `bitsLeft` of a missing capability or depth mismatch and `bitsFound` of a guard mismatch;
  /// bits 15..9 `bitsFound` of a depth mismatch and `bitsLeft` of a guard mismatch.
  public static let lufType = BitField("lufType", offset: 0, width: 2)
  public static let lufBits2 = BitField("bits8to2", offset: 2, width: 7)
  public static let lufBits9 = BitField("bits15to9", offset: 9, width: 7)
  public static let lookupFaultWord1 = BitLayout("lookup_fault[1]", [lufBits9, lufBits2, lufType])
}

extension KernelState {
  /// `validTimeoutHandler(tptr)`: `cap_get_capType` of the `tcbTimeoutHandler` slot's cap is
  /// `cap_endpoint_cap`.
  func validTimeoutHandler(_ thread: ObjectRef) -> Bool {
    if case .endpoint = getCap(KernelState.tcbCTE(thread, .timeoutHandler)) { return true }
    return false
  }

  /// `handleTimeout(tptr)`: `sendFaultIPC(tptr, timeoutHandlerCap, false)` with `current_fault`
  /// the Timeout `fault`.
  mutating func handleTimeout(_ thread: ObjectRef, _ fault: ThreadFault) {
    let handlerCap = getCap(KernelState.tcbCTE(thread, .timeoutHandler))
    _ = sendFaultIPC(thread, handlerCap, fault, canDonate: false)
  }

  /// `sendFaultIPC(tptr, handlerCap, can_donate)` (MCS): an endpoint cap that can send and
  /// grant: `tptr->tcbFault = current_fault` (and `tcbLookupFailure` for a CapFault), then
  /// `sendIPC(true, false, badge, canGrant, canGrantReply, can_donate, tptr, ep)`; false without
  /// one.
  mutating func sendFaultIPC(_ thread: ObjectRef, _ handlerCap: Capability, _ fault: ThreadFault, canDonate: Bool)
    -> Bool
  {
    guard case .endpoint(let ep, let badge, let rights) = handlerCap, validFaultHandler(handlerCap),
      objects[thread] == .tcb
    else { return false }
    setTCBFault(thread, fault)
    sendIPC(true, false, badge, rights.contains(.grant), rights.contains(.grantReply), canDonate, thread, ep)
    return true
  }

  /// `handleNoFaultHandler` (MCS): `setThreadState(tptr, ThreadState_Inactive)`.
  mutating func handleNoFaultHandler(_ thread: ObjectRef) {
    setThreadState(thread, .inactive)
  }

  /// `doFaultTransfer(badge, sender, receiver, buffer)`: `setMRs_fault`, then the message-info
  /// register (label = the fault type, length = the words sent) and the badge register.
  mutating func doFaultTransfer(_ badge: UInt64, _ sender: ObjectRef, _ receiver: ObjectRef) {
    guard objects[receiver] == .tcb, let fault = tcbFault(of: sender) else { return }
    var sent = fault.messageRegisters { getRegister(sender, $0) }
    // `seL4_Fault_Timeout`: `seL4_Timeout_Data`, then `mode_setTimeArg` of the consumed µs when
    // the sender has a scheduling context.
    if case .timeout = fault, let sc = schedContextWord(of: sender), sc != 0 {
      sent.append(schedContextUpdateConsumed(sc))
    }
    for (index, word) in sent.enumerated() { setMR(receiver, index, word) }
    let label = seams.faultLabel?(fault.faultType) ?? fault.faultType
    setMsgInfoRegister(
      receiver,
      MessageInfo.pack(label: label, capsUnwrapped: 0, extraCaps: 0, length: UInt64(truncatingIfNeeded: sent.count)))
    setBadgeRegister(receiver, badge)
  }

  /// `handleFaultReply(receiver, sender)`: a CapFault restarts; an UnknownSyscall copies back
  /// `MIN(length, n_syscallMessage)` registers and a UserException `MIN(length,
  /// n_exceptionMessage)` and a Timeout `MIN(length, n_timeoutMessage)`, and each restarts iff
  /// the label is 0.
  mutating func handleFaultReply(_ receiver: ObjectRef, _ sender: ObjectRef, _ fault: ThreadFault) -> Bool {
    let info = MessageInfo(word: memory.word(sender &+ ObjectLayout.tcbMsgInfoRegister))
    switch fault {
    case .capFault:
      return true
    case .unknownSyscall:
      let length = min(Int(truncatingIfNeeded: info.length), Register.syscallMessage.count)
      copyMRsFaultReply(sender, receiver, Register.syscallMessage, length)
      return info.label == 0
    case .userException:
      let length = min(Int(truncatingIfNeeded: info.length), Register.exceptionMessage.count)
      copyMRsFaultReply(sender, receiver, Register.exceptionMessage, length)
      return info.label == 0
    case .timeout:
      let length = min(Int(truncatingIfNeeded: info.length), Register.timeoutMessage.count)
      copyMRsFaultReply(sender, receiver, Register.timeoutMessage, length)
      return info.label == 0
    }
  }

  /// `copyMRsFaultReply(sender, receiver, id, length)`: message register `i` of the sender (its
  /// register, or its IPC buffer's word past the fourth) into register `registers[i]` of the
  /// receiver, sanitised.
  mutating func copyMRsFaultReply(_ sender: ObjectRef, _ receiver: ObjectRef, _ registers: [Register], _ length: Int) {
    guard objects[receiver] == .tcb else { return }
    for (index, register) in registers.prefix(length).enumerated() {
      let word = memory.word(sender &+ ObjectLayout.tcbMsgRegisters &+ UInt64(truncatingIfNeeded: index) &* 8)
      setRegister(receiver, register, Register.sanitiseRegister(register, word))
    }
  }

  /// `restart_thread_if_no_fault`: Restart and `possibleSwitchTo`, or Inactive for a thread whose
  /// `tcbFault` is not NullFault.
  mutating func restartThreadIfNoFault(_ thread: ObjectRef) {
    guard tcbFault(of: thread) == nil else {
      setThreadState(thread, .inactive)
      return
    }
    setThreadState(thread, .restart)
    ifSporadicCurSCRefillUnblockCheck(schedContextWord(of: thread) ?? 0)
    possibleSwitchTo(thread)
  }

  /// The Timeout fault a kernel entry's budget check raised for `thread` (what its event
  /// reports as its fault): the thread's fault now, if it is a Timeout and was not `before`.
  func timeoutFaultRaised(_ thread: ObjectRef?, since before: ThreadFault?) -> ThreadFault? {
    guard let thread, let now = tcbFault(of: thread), case .timeout = now, now != before else { return nil }
    return now
  }

  // MARK: The fault words

  /// The fault the words of the TCB at `thread` hold; nil for NullFault (or a type this kernel
  /// never writes) and for an address that is no TCB.
  public func tcbFault(of thread: ObjectRef) -> ThreadFault? {
    guard objects[thread] == .tcb else { return nil }
    let word0 = memory.word(thread &+ ObjectLayout.tcbFault)
    let word1 = memory.word(thread &+ ObjectLayout.tcbFault &+ 8)
    switch ObjectLayout.faultType.get(word1) {
    case 1:
      return .capFault(
        address: word0, inReceivePhase: ObjectLayout.capFaultInReceivePhase.get(word1) == 1,
        failure: lookupFailure(of: thread))
    case 2:
      return .unknownSyscall(number: Int64(bitPattern: word0))
    case 3:
      return .userException(
        number: ObjectLayout.userExceptionNumber.get(word1), code: ObjectLayout.userExceptionCode.get(word1))
    case 5:
      return .timeout(badge: word0)
    default:
      return nil
    }
  }

  /// The lookup failure the `tcbLookupFailure` words of the TCB at `thread` hold.
  public func lookupFailure(of thread: ObjectRef) -> LookupFailure {
    let word0 = memory.word(thread &+ ObjectLayout.tcbLookupFailure)
    let word1 = memory.word(thread &+ ObjectLayout.tcbLookupFailure &+ 8)
    let (bits2, bits9) = (ObjectLayout.lufBits2.get(word1), ObjectLayout.lufBits9.get(word1))
    switch ObjectLayout.lufType.get(word1) {
    case 0: return .invalidRoot
    case 1: return .missingCapability(bitsLeft: bits2)
    case 2: return .depthMismatch(bitsLeft: bits2, bitsFound: bits9)
    default: return .guardMismatch(bitsLeft: bits9, guardFound: word0, bitsFound: bits2)
    }
  }

  /// Write `fault` into the TCB at `thread` (nil: NullFault, `seL4_Fault_NullFault_new`): its two
  /// `tcbFault` words, and for a CapFault its lookup failure's two words
  /// (`tptr->tcbLookupFailure = current_lookup_fault`).
  mutating func setTCBFault(_ thread: ObjectRef, _ fault: ThreadFault?) {
    guard objects[thread] == .tcb else { return }
    var (word0, word1): (UInt64, UInt64) = (0, 0)
    switch fault {
    case .capFault(let address, let inReceivePhase, let failure)?:
      word0 = address
      word1 = ObjectLayout.capFaultInReceivePhase.set(word1, to: inReceivePhase ? 1 : 0)
      var (luf0, luf1): (UInt64, UInt64) = (0, 0)
      switch failure {
      case .invalidRoot:
        break
      case .missingCapability(let bitsLeft):
        luf1 = ObjectLayout.lufBits2.set(luf1, to: bitsLeft)
      case .depthMismatch(let bitsLeft, let bitsFound):
        luf1 = ObjectLayout.lufBits9.set(ObjectLayout.lufBits2.set(luf1, to: bitsLeft), to: bitsFound)
      case .guardMismatch(let bitsLeft, let guardFound, let bitsFound):
        luf0 = guardFound
        luf1 = ObjectLayout.lufBits9.set(ObjectLayout.lufBits2.set(luf1, to: bitsFound), to: bitsLeft)
      }
      luf1 = ObjectLayout.lufType.set(luf1, to: failure.typeCode &- 1)
      memory.store(thread &+ ObjectLayout.tcbLookupFailure, luf0)
      memory.store(thread &+ ObjectLayout.tcbLookupFailure &+ 8, luf1)
    case .unknownSyscall(let number)?:
      word0 = UInt64(bitPattern: number)
    case .userException(let number, let code)?:
      word1 = ObjectLayout.userExceptionCode.set(ObjectLayout.userExceptionNumber.set(word1, to: number), to: code)
    case .timeout(let badge)?:
      word0 = badge
    case nil:
      break
    }
    if let fault { word1 = ObjectLayout.faultType.set(word1, to: fault.faultType) }
    memory.store(thread &+ ObjectLayout.tcbFault, word0)
    memory.store(thread &+ ObjectLayout.tcbFault &+ 8, word1)
  }
}

// What user space can observe after one event: the lockstep checker compares these across the
// three layers, so each layer must produce exactly the same value for the same event.

/// The registers a thread gets back from a system call.
public struct ReplyMessage: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The message-info word: label = error code (0 on success), length = registers written.
  public var info: MessageInfo
  /// Message registers MR0 ... MR(length−1).
  public var registers: [UInt64]

  public init(info: MessageInfo, registers: [UInt64]) {
    self.info = info
    self.registers = registers
  }

  /// The reply of a successful invocation with no payload (label 0, length 0).
  public static let success = ReplyMessage(info: MessageInfo(label: 0, length: 0), registers: [])

  /// SchedContext_Consumed's reply (seL4:src/object/schedcontext.c `replyFromKernel_consumed`):
  /// label 0 and the consumed time in µs in MR0 (one word on 64-bit, `mode_setTimeArg`).
  public static func consumed(microseconds: UInt64) -> ReplyMessage {
    ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [microseconds])
  }

  /// The reply carrying `error` (`setMRs_syscall_error`).
  public init(error: SyscallError) {
    let registers = error.messageRegisters
    self.init(info: MessageInfo(label: error.code.rawValue, length: UInt64(registers.count)), registers: registers)
  }

  public var description: String {
    if let code = SeL4Error(rawValue: info.label), let error = SyscallError(code: code, messageRegisters: registers) {
      return "\(error)"
    }
    return "label \(info.label), mrs \(registers)"
  }
}

/// A fault raised by a thread's system call (sent to its fault handler, or stopping the thread).
public enum ThreadFault: Hashable, Sendable, Codable {
  /// A capability lookup failed: the address, whether it happened in the receive phase, and why.
  case capFault(address: UInt64, inReceivePhase: Bool, failure: LookupFailure)
  /// The syscall number is not a system call.
  case unknownSyscall(number: Int64)
  /// A user-level exception (`seL4_Fault_UserException`): its number (32 bits) and code (28 bits).
  case userException(number: UInt64, code: UInt64)
  /// A scheduling context's budget ran out (`seL4_Fault_Timeout`, MCS): the badge of the
  /// scheduling context (`scBadge`) as the fault was raised. Sent to the thread's timeout handler
  /// (`handleTimeout`), never to its fault handler.
  case timeout(badge: UInt64)
}

extension ThreadFault {
  /// `seL4_FaultType`, the label of the fault's message: 1 CapFault, 2 UnknownSyscall, 3
  /// UserException, 5 Timeout (MCS numbering,
  /// `seL4:libsel4/arch_include/arm/sel4/arch/shared_types.bf`; 0 is NullFault, no fault).
  public var faultType: UInt64 {
    switch self {
    case .capFault: 1
    case .unknownSyscall: 2
    case .userException: 3
    case .timeout: 5
    }
  }

  /// The fault's message words as a fault handler receives them (`setMRs_fault`,
  /// `seL4:src/api/faults.c`), read from the faulting thread's registers with `register`. A
  /// CapFault: the restart PC (`seL4_CapFault_IP`, FaultIP), the address, whether it was in the
  /// receive phase, then the lookup failure from `seL4_CapFault_LookupFailureType` on
  /// (`setMRs_lookup_failure`: its type + 1, then its fields). An UnknownSyscall: the registers of
  /// `Register.syscallMessage` (`seL4_UnknownSyscall_X0` ... `_SPSR`), then the syscall number
  /// (`seL4_UnknownSyscall_Syscall`). A UserException: the registers of `Register.exceptionMessage`
  /// (`seL4_UserException_FaultIP`, `_SP`, `_SPSR`), then the number and the code
  /// (`seL4_UserException_Number`, `_Code`; `l4v:spec/abstract/Ipc_A.thy` `make_fault_msg`). A
  /// Timeout: the badge (`seL4_Timeout_Data`); the consumed time that follows it when the faulter
  /// has a scheduling context (`seL4_Timeout_Consumed`) changes that context
  /// (`schedContext_updateConsumed`), so each layer's `doFaultTransfer` appends it.
  public func messageRegisters(reading register: (Register) -> UInt64) -> [UInt64] {
    switch self {
    case .capFault(let address, let inReceivePhase, let failure):
      [register(.faultIP), address, inReceivePhase ? 1 : 0] + failure.words
    case .unknownSyscall(let number):
      Register.syscallMessage.map(register) + [UInt64(bitPattern: number)]
    case .userException(let number, let code):
      Register.exceptionMessage.map(register) + [number, code]
    case .timeout(let badge):
      [badge]
    }
  }
}

/// What one event did, as user space sees it.
public struct Observation: Hashable, Sendable, Codable {
  /// The thread that was current when the event arrived (nil: idle).
  public var caller: ObjectRef?
  /// The registers the caller got back, if the event was a syscall that replies.
  public var reply: ReplyMessage?
  /// The fault the caller raised, if any.
  public var fault: ThreadFault?
  /// The thread current after the event (nil: idle).
  public var current: ObjectRef?
  /// Set when the event reached an operation the layers do not model yet. All three layers report
  /// the same value and change no state. Encoded as its name (`NotModelled.description`).
  public var notModelled: NotModelled?

  public init(
    caller: ObjectRef?, reply: ReplyMessage? = nil, fault: ThreadFault? = nil, current: ObjectRef?,
    notModelled: NotModelled? = nil
  ) {
    self.caller = caller
    self.reply = reply
    self.fault = fault
    self.current = current
    self.notModelled = notModelled
  }
}

/// What a layer's `handleEvent` knows about the event it handled that the layer's state does not
/// keep: the thread that made it, whether the kernel wrote it a reply (into its user context),
/// the fault it raised, and what was not modelled. Each layer's `observe` (in its `Observe.swift`)
/// reads the rest, the reply itself and the current thread, from the state.
///
/// These facts are passed from `handleEvent` to `observe` rather than kept in the state (as a
/// `@NotCompared` record beside `choiceLog`): they describe one step, not the kernel, so a state
/// would only carry them stale into the next step and every step would have to clear them. seL4
/// keeps none of them either: the C kernel's `handleSyscall` returns, and what user space sees is
/// in the threads' registers.
public struct EventRecord: Hashable, Sendable {
  /// The thread that was current when the event arrived (nil: idle).
  public var caller: ObjectRef?
  /// True iff the kernel replied to the caller (`replyFromKernel`): its user context holds the
  /// reply.
  public var replied: Bool
  /// The fault the caller raised, if any.
  public var fault: ThreadFault?
  /// Set when the event reached an operation the layers do not model yet.
  public var notModelled: NotModelled?

  public init(caller: ObjectRef?, replied: Bool = false, fault: ThreadFault? = nil, notModelled: NotModelled? = nil) {
    self.caller = caller
    self.replied = replied
    self.fault = fault
    self.notModelled = notModelled
  }
}

extension ReplyMessage {
  /// The reply a user context holds: the message-info register's word as the kernel decodes it
  /// (`messageInfoFromWord`), and message registers MR0 ... MR(length−1), read by `msgRegister`.
  public init(msgInfoRegister: UInt64, msgRegister: (Int) -> UInt64) {
    let info = MessageInfo(word: msgInfoRegister)
    self.init(info: info, registers: (0..<Int(truncatingIfNeeded: info.length)).map(msgRegister))
  }
}

/// One broken conjunct of a named invariant.
public struct InvariantViolation: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The invariant's name, as l4v names it (`valid_mdb`, `pspace_aligned`, ...).
  public var invariant: String
  /// The failing conjunct (`no_mloop`, `untyped_inc`, ...), or the invariant name again.
  public var conjunct: String
  /// What is wrong, with the concrete values.
  public var explanation: String

  public init(_ invariant: String, conjunct: String? = nil, _ explanation: String) {
    self.invariant = invariant
    self.conjunct = conjunct ?? invariant
    self.explanation = explanation
  }

  public var description: String {
    conjunct == invariant ? "\(invariant): \(explanation)" : "\(invariant).\(conjunct): \(explanation)"
  }
}

/// The face every layer shows the checker.
public protocol KernelModel {
  /// The initial state of `plan` (assumed valid: see `SystemPlan.validate()`).
  init(plan: SystemPlan)
  /// Apply one event.
  mutating func step(_ event: Event) -> Observation
  /// Every broken conjunct of this layer's invariants (empty when all hold).
  func invariantViolations() -> [InvariantViolation]
}

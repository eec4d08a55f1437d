// The inputs that drive one kernel step.
//
// The kernel runs only in response to an event: a thread executing a syscall instruction, an
// interrupt, or the passage of time. A syscall event carries everything the kernel reads from the
// calling thread on entry: the capability pointer and message-info word in the first two argument
// registers, the message registers as the thread set them (the first four in machine registers, the
// rest in its IPC buffer), the extra-capability pointers and receive slot from its IPC buffer, and the
// two MCS-only registers: the reply register (the Reply object, or NBSendWait's destination) and
// NBSendRecv's destination register. A syscall number the kernel does not know is an event of its own,
// since it raises an UnknownSyscall fault rather than dispatching.

// MARK: - Syscall arguments

/// Where a receiver accepts a transferred capability: a slot named in its IPC buffer.
public struct ReceiveSlot: Hashable, Sendable, Codable, CustomStringConvertible {
  /// `receiveCNode`: a cptr to the CNode, looked up in the receiver's CSpace.
  public var cnode: UInt64
  /// `receiveIndex`: the slot address within that CNode.
  public var index: UInt64
  /// `receiveDepth`: how many bits of `index` to resolve.
  public var depth: UInt64

  public init(cnode: UInt64, index: UInt64, depth: UInt64) {
    self.cnode = cnode
    self.index = index
    self.depth = depth
  }

  public var description: String { "(cnode: \(cnode), index: \(index), depth: \(depth))" }
}

/// What the kernel reads from the calling thread when it makes a syscall.
public struct SyscallArguments: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The cap register (AArch64 x0): the invoked or received-on capability pointer.
  public var capRegister: UInt64
  /// The raw message-info word (AArch64 x1), decoded with `MessageInfo(word:)`.
  public var messageInfo: UInt64
  /// MR0, MR1, … as the thread set them: the first four from machine registers, the rest from the IPC buffer.
  public var messageRegisters: [UInt64]
  /// Capability pointers from the IPC buffer's caps array, read for extra caps.
  public var extraCaps: [UInt64]
  /// The MCS reply register (AArch64 x6): the Reply object, or NBSendWait's send destination.
  public var replyRegister: UInt64
  /// `nbsendRecvDest` (AArch64 x8): NBSendRecv's send destination.
  public var nbSendRecvDestination: UInt64
  /// The receive slot from the IPC buffer; nil when the thread has no IPC buffer.
  public var receiveSlot: ReceiveSlot?

  public init(
    capRegister: UInt64, messageInfo: UInt64, messageRegisters: [UInt64] = [], extraCaps: [UInt64] = [],
    replyRegister: UInt64 = 0, nbSendRecvDestination: UInt64 = 0, receiveSlot: ReceiveSlot? = nil
  ) {
    self.capRegister = capRegister
    self.messageInfo = messageInfo
    self.messageRegisters = messageRegisters
    self.extraCaps = extraCaps
    self.replyRegister = replyRegister
    self.nbSendRecvDestination = nbSendRecvDestination
    self.receiveSlot = receiveSlot
  }

  /// The message-info word as the kernel decodes it (length clamped to 120).
  public var info: MessageInfo { MessageInfo(word: messageInfo) }

  /// The register value a send phase reading from `destination` uses.
  public func cptr(for destination: SendDestination) -> UInt64 {
    switch destination {
    case .capRegister: capRegister
    case .replyRegister: replyRegister
    case .nbSendRecvDestRegister: nbSendRecvDestination
    }
  }

  public var description: String {
    var parts = ["cptr: \(capRegister)", "info: \(info)"]
    if !messageRegisters.isEmpty { parts.append("mrs: \(messageRegisters)") }
    if !extraCaps.isEmpty { parts.append("extraCaps: \(extraCaps)") }
    if replyRegister != 0 { parts.append("reply: \(replyRegister)") }
    if nbSendRecvDestination != 0 { parts.append("dest: \(nbSendRecvDestination)") }
    if let receiveSlot { parts.append("receiveSlot: \(receiveSlot)") }
    return "(" + parts.joined(separator: ", ") + ")"
  }
}

// MARK: - Events

/// One input to the kernel; each drives exactly one kernel step.
public enum Event: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The current thread made a known syscall with these register and IPC-buffer contents.
  case syscall(Syscall, SyscallArguments)
  /// The current thread made a syscall with a number the kernel does not know (an UnknownSyscall fault).
  case unknownSyscall(number: Int64)
  /// The current thread took a user-level exception the kernel reports as a UserException fault
  /// (seL4's `handleUserLevelFault(w_a, w_b)`, `seL4:src/api/syscall.c`): the exception's number
  /// and code as the entry path passes them. The kernel keeps the low 32 bits of `number` and the
  /// low 28 bits of `code` (`l4v:spec/abstract/Syscall_A.thy` `handle_event (UserLevelFault w1 w2)`).
  case userException(number: UInt64, code: UInt64)
  /// Interrupt line `irq` fired.
  case interrupt(irq: UInt64)
  /// `ticks` timer ticks passed (MCS budget accounting, release queue, domain time).
  case timerTick(ticks: UInt64)

  /// The event a syscall instruction with register value `number` raises.
  public static func syscall(number: Int64, arguments: SyscallArguments) -> Event {
    guard let call = Syscall(rawValue: number) else { return .unknownSyscall(number: number) }
    return .syscall(call, arguments)
  }

  public var description: String {
    switch self {
    case .syscall(let call, let arguments): "\(call.libsel4Name)\(arguments)"
    case .unknownSyscall(let number): "UnknownSyscall(\(number))"
    case .userException(let number, let code): "UserException(\(number), \(code))"
    case .interrupt(let irq): "Interrupt(\(irq))"
    case .timerTick(let ticks): "TimerTick(\(ticks))"
    }
  }
}

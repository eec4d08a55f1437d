// How an invocation ends, and the operations the layers do not model yet.
//
// Every layer's `performInvocation` and `handleInvocation` report the same three outcomes: the
// invocation was performed, decoding refused it with an error, or it reached an operation this
// slice does not model (and nothing changed). What was not modelled is named the same way in all
// three layers, and in observations, traces and reports by the same strings as before it had a type.

// MARK: - Outcomes

/// How an invocation ended (in every layer).
public enum InvocationOutcome: Hashable, Sendable {
  /// It was performed.
  case done
  /// It was performed after decoding set the caller Running (a Signal: seL4's
  /// `decodeInvocation` does so before `performInvocation_Notification`), so that even a Call
  /// gets no reply (`handleInvocation` answers only a caller still in Restart).
  case doneRunning
  /// It was performed and set the caller Running, and it answers a Call with this reply of its
  /// own instead of the empty one (TCB_ReadRegisters: seL4's `invokeTCB_ReadRegisters` unfolds
  /// `replyFromKernel` and sets the caller Running so that `handleInvocation` adds no empty reply).
  /// A send is not answered.
  case replied(ReplyMessage)
  /// Decoding refused it with this error; nothing changed.
  case failed(SyscallError)
  /// It reached an operation this slice does not model; nothing changed.
  case notModelled(NotModelled)
}

// MARK: - What is not modelled

/// An operation the layers do not model yet. Its `description` is the name observations, traces
/// and reports give it ("interrupt", "seL4_Recv", "TCB invocation", ...), and it is encoded as that
/// string, so trace files read the same as when the name was a plain string.
public enum NotModelled: Hashable, Sendable, CustomStringConvertible, Codable {
  /// An interrupt arrived.
  case interrupt
  /// Time passed.
  case time
  /// A system call this slice does not model (its libsel4 name). No layer reports one any more
  /// (NBSendRecv and NBSendWait, the last, are modelled: `Syscall.swift` of each layer); kept so
  /// that recorded traces and reports that name `seL4_NBSendRecv` or `seL4_NBSendWait` still
  /// decode.
  case syscall(Syscall)
  /// A send through an endpoint or notification cap, or a reply cap: IPC.
  case ipc
  /// A fault with a fault handler to receive it: fault IPC. No layer reports it any more (fault
  /// IPC is modelled, `Fault.swift`); kept so that recorded traces and reports that name it still
  /// decode.
  case faultIPC
  /// An invocation of a TCB cap.
  case tcbInvocation
  /// An invocation of a scheduling-context cap.
  case schedContextInvocation
  /// An invocation of the SchedControl cap.
  case schedControlInvocation
  /// An invocation of the IRQControl cap.
  case irqControlInvocation
  /// An invocation of an IRQ handler cap.
  case irqHandlerInvocation
  /// An invocation of the domain cap.
  case domainSetInvocation
  /// A Call or a ReplyRecv's send that would donate the caller's scheduling context to a
  /// receiver without one (MCS `reply_push`, `schedContext_donate`). Donation is modelled now and
  /// no layer reports this; kept so that older traces and reports still read.
  case schedContextDonation

  /// Every value, the syscalls in `Syscall.allCases` order.
  public static let allCases: [NotModelled] =
    [.interrupt, .time] + Syscall.allCases.map { .syscall($0) } + [
      .ipc, .faultIPC, .tcbInvocation, .schedContextInvocation, .schedControlInvocation, .irqControlInvocation,
      .irqHandlerInvocation, .domainSetInvocation, .schedContextDonation,
    ]

  /// The name observations and reports give it.
  public var description: String {
    switch self {
    case .interrupt: "interrupt"
    case .time: "time"
    case .syscall(let call): call.libsel4Name
    case .ipc: "IPC"
    case .faultIPC: "fault IPC"
    case .tcbInvocation: "TCB invocation"
    case .schedContextInvocation: "SchedContext invocation"
    case .schedControlInvocation: "SchedControl invocation"
    case .irqControlInvocation: "IRQControl invocation"
    case .irqHandlerInvocation: "IRQHandler invocation"
    case .domainSetInvocation: "DomainSet invocation"
    case .schedContextDonation: "SC donation"
    }
  }

  /// The value whose `description` is `name`; nil for a name no value has.
  public init?(name: String) {
    if let call = Syscall(libsel4Name: name) {
      self = .syscall(call)
      return
    }
    guard let found = NotModelled.allCases.first(where: { $0.description == name }) else { return nil }
    self = found
  }

  /// Decodes the name (`description`); an unknown name is a decoding error.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let name = try container.decode(String.self)
    guard let value = NotModelled(name: name) else {
      throw DecodingError.dataCorruptedError(
        in: container, debugDescription: "'\(name)' names no operation that is not modelled")
    }
    self = value
  }

  /// Encodes the name (`description`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

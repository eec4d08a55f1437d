// The MCS system calls: their numbers and how the kernel dispatches each one.
//
// A thread enters the kernel with a syscall number; the MCS kernel numbers its eleven calls from −1
// downwards in the order libsel4's syscall list declares them. Each call has at most two phases. The
// send phase invokes a capability (`handleInvocation`) with four flags: whether it is a Call, whether
// it blocks, whether it may donate the caller's scheduling context, and whether it is the first phase
// of a combined call. The receive phase (`handleRecv`) waits or polls on the endpoint or notification
// named by the cap register, optionally with a Reply object named by the reply register. Where the
// send phase finds its destination differs: the cap register for ordinary sends, the reply register
// for ReplyRecv and NBSendWait, and a register of its own (`nbsendRecvDest`) for NBSendRecv. A
// preempted first phase skips the receive phase.

// MARK: - Syscall numbers

/// An MCS system call, with its number as the kernel sees it in the syscall register.
public enum Syscall: Int64, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
  /// `seL4_Call`: a blocking send that also waits for the reply and may donate its SC.
  case call = -1
  /// `seL4_ReplyRecv`: reply through the reply register's Reply object, then wait on the cap register.
  case replyRecv = -2
  /// `seL4_NBSendRecv`: a non-blocking send to `nbsendRecvDest`, then a receive with a reply object.
  case nbSendRecv = -3
  /// `seL4_NBSendWait`: a non-blocking send to the reply register's cap, then a wait without reply.
  case nbSendWait = -4
  /// `seL4_Send`: a blocking send (`seL4_Signal` is Send with an empty message).
  case send = -5
  /// `seL4_NBSend`: a send that is dropped if nobody is waiting.
  case nbSend = -6
  /// `seL4_Recv`: a blocking receive; MCS requires a Reply object in the reply register.
  case recv = -7
  /// `seL4_NBRecv`: a polling receive with a Reply object.
  case nbRecv = -8
  /// `seL4_Wait`: a blocking receive without a Reply object.
  case wait = -9
  /// `seL4_NBWait`: a polling receive without a Reply object (`seL4_Poll` on MCS).
  case nbWait = -10
  /// `seL4_Yield`: give up the rest of the current head refill.
  case yield = -11

  /// The libsel4 function name, e.g. `seL4_NBSendRecv`.
  public var libsel4Name: String {
    switch self {
    case .call: "seL4_Call"
    case .replyRecv: "seL4_ReplyRecv"
    case .nbSendRecv: "seL4_NBSendRecv"
    case .nbSendWait: "seL4_NBSendWait"
    case .send: "seL4_Send"
    case .nbSend: "seL4_NBSend"
    case .recv: "seL4_Recv"
    case .nbRecv: "seL4_NBRecv"
    case .wait: "seL4_Wait"
    case .nbWait: "seL4_NBWait"
    case .yield: "seL4_Yield"
    }
  }

  /// The syscall whose libsel4 function is called `libsel4Name`, if any.
  public init?(libsel4Name: String) {
    guard let found = Syscall.allCases.first(where: { $0.libsel4Name == libsel4Name }) else {
      return nil
    }
    self = found
  }

  public var description: String { libsel4Name }
}

// MARK: - Dispatch facts

/// The register a send phase reads its destination capability pointer from.
public enum SendDestination: Hashable, Sendable, Codable {
  /// The cap register (AArch64 x0), shared with the receive phase's source.
  case capRegister
  /// The MCS reply register (AArch64 x6): the Reply object for ReplyRecv, the destination for NBSendWait.
  case replyRegister
  /// `nbsendRecvDest` (AArch64 x8): NBSendRecv's own destination register.
  case nbSendRecvDestRegister
}

/// The flags `handleInvocation` runs a send phase with, and where its destination comes from.
public struct SendPhase: Hashable, Sendable, Codable {
  /// The sender waits for a reply (and a decode error is answered with an error reply).
  public var isCall: Bool
  /// The sender blocks until the message is taken; a failed cap lookup then raises a CapFault.
  public var isBlocking: Bool
  /// The receiver may be lent the sender's scheduling context.
  public var canDonate: Bool
  /// The phase is the first half of a combined send-and-receive call.
  public var firstPhase: Bool
  /// The register holding the destination capability pointer.
  public var destination: SendDestination

  public init(isCall: Bool, isBlocking: Bool, canDonate: Bool, firstPhase: Bool, destination: SendDestination) {
    self.isCall = isCall
    self.isBlocking = isBlocking
    self.canDonate = canDonate
    self.firstPhase = firstPhase
    self.destination = destination
  }
}

/// How a syscall's receive phase waits.
public enum ReceiveMode: Hashable, Sendable, Codable {
  /// The syscall has no receive phase.
  case none
  /// The thread blocks until a message or signal arrives.
  case blocking
  /// The thread takes what is pending, if anything, and returns at once.
  case polling
}

extension Syscall {
  /// The send phase's flags, or nil when the syscall does not send.
  public var sendPhase: SendPhase? {
    switch self {
    case .send:
      SendPhase(isCall: false, isBlocking: true, canDonate: false, firstPhase: false, destination: .capRegister)
    case .nbSend:
      SendPhase(isCall: false, isBlocking: false, canDonate: false, firstPhase: false, destination: .capRegister)
    case .call:
      SendPhase(isCall: true, isBlocking: true, canDonate: true, firstPhase: false, destination: .capRegister)
    case .replyRecv:
      SendPhase(isCall: false, isBlocking: false, canDonate: true, firstPhase: true, destination: .replyRegister)
    case .nbSendRecv:
      SendPhase(
        isCall: false, isBlocking: false, canDonate: true, firstPhase: true, destination: .nbSendRecvDestRegister)
    case .nbSendWait:
      SendPhase(isCall: false, isBlocking: false, canDonate: true, firstPhase: true, destination: .replyRegister)
    case .recv, .nbRecv, .wait, .nbWait, .yield:
      nil
    }
  }

  /// How the receive phase (on the cap register's object) waits; `.none` when there is none.
  public var receiveMode: ReceiveMode {
    switch self {
    case .recv, .wait, .replyRecv, .nbSendRecv, .nbSendWait: .blocking
    case .nbRecv, .nbWait: .polling
    case .call, .send, .nbSend, .yield: .none
    }
  }

  /// True iff the receive phase names a Reply object in the reply register (and fails without one).
  public var receiveUsesReplyCap: Bool {
    switch self {
    case .recv, .nbRecv, .replyRecv, .nbSendRecv: true
    case .wait, .nbWait, .nbSendWait, .call, .send, .nbSend, .yield: false
    }
  }

  /// Where the send phase's destination comes from, or nil when the syscall does not send.
  public var sendDestination: SendDestination? { sendPhase?.destination }

  /// True iff the syscall has a receive phase.
  public var hasReceivePhase: Bool { receiveMode != .none }
}

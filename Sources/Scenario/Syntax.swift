// The syntax of a scenario script: a system, then one statement a line (docs/scenarios.md).
//
// A script is parsed completely, its system loaded and every name checked before anything runs,
// so a malformed script never half-runs. Positions are 1-based lines and columns of the script.

public import CapDL
public import KernelABI

// MARK: - Positions and errors

/// One problem with a script or its system, where it is: `file:line:column: message`, or
/// `file: message` for a file that cannot be read. The same type as a capDL error
/// (`CapDL.SourceError`), so a problem in a script's capDL system is reported as it is.
public typealias ScenarioError = SourceError

// MARK: - Values

/// A name as written, with where it was written.
public struct Name: Hashable, Sendable, CustomStringConvertible {
  public var text: String
  public var position: SourcePosition
  public var description: String { text }
}

/// A number as written: magnitude and sign (only `Syscall(-n)` accepts a negative one).
public struct Number: Hashable, Sendable {
  public var magnitude: UInt64
  public var negative: Bool
  public var position: SourcePosition
}

/// `slot(container, index)`: a capability slot of a named CNode or TCB.
public struct SlotExpr: Hashable, Sendable, CustomStringConvertible {
  public var container: Name
  public var index: UInt64
  public var position: SourcePosition
  public var description: String { "slot(\(container), \(index))" }
}

/// An argument of an invocation or system call.
public indirect enum Value: Hashable, Sendable {
  case number(Number)
  /// An identifier: an object name, a type name or rights letters, as the parameter wants.
  case name(Name)
  case slot(SlotExpr)
  case list([Value], SourcePosition)

  public var position: SourcePosition {
    switch self {
    case .number(let n): n.position
    case .name(let n): n.position
    case .slot(let s): s.position
    case .list(_, let p): p
    }
  }
}

/// A constructor-like term in an expected outcome: `MissingCapability(bitsLeft: 8)`, `true`, `5`.
public indirect enum Term: Hashable, Sendable {
  case number(Number)
  case name(Name)
  /// `Name(label: term, term, ...)`; labels are optional and checked when given.
  case call(Name, [(label: Name?, value: Term)])

  public var position: SourcePosition {
    switch self {
    case .number(let n): n.position
    case .name(let n): n.position
    case .call(let n, _): n.position
    }
  }

  public static func == (a: Term, b: Term) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x == y
    case (.name(let x), .name(let y)): x == y
    case (.call(let x, let xs), .call(let y, let ys)):
      x == y && xs.count == ys.count && zip(xs, ys).allSatisfy { $0.label == $1.label && $0.value == $1.value }
    default: false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .number(let n): hasher.combine(n)
    case .name(let n): hasher.combine(n)
    case .call(let n, let args):
      hasher.combine(n)
      for a in args {
        hasher.combine(a.label)
        hasher.combine(a.value)
      }
    }
  }
}

// MARK: - Statements

/// Where the system comes from.
public enum SystemSource: Hashable, Sendable {
  /// A capDL file, relative to the script's folder.
  case file(String)
  /// capDL text between `system {` and its `}`, starting at that position of the script.
  case inline(String, SourcePosition)
  /// `SystemPlan.sample` with its objects' names and the untypeds `ut_small`, `ut_big`, `ut_device`.
  case builtin
}

/// What one step does.
public enum Action: Hashable, Sendable {
  /// A libsel4-style invocation, made with `seL4_Call`: the service and the method's arguments.
  case invoke(InvocationLabel, [Value])
  /// A raw system call: cap register, label, message registers, extra caps, reply and dest registers.
  case syscall(Syscall, RawSyscall)
  /// `Syscall(n)`: a syscall instruction with register value n (unknown numbers fault).
  case syscallNumber(Int64)
  /// `UserException(number, code)`: the thread takes a user-level exception (a UserException fault).
  case userException(number: UInt64, code: UInt64)
  /// `time N`: N timer ticks.
  case time(UInt64)
  /// `irq N`: interrupt line N fires.
  case irq(UInt64)
}

/// The registers of a raw system call as written.
public struct RawSyscall: Hashable, Sendable {
  public var cap: Value?
  public var label: UInt64 = 0
  public var messageRegisters: [UInt64] = []
  public var extraCaps: [Value] = []
  public var reply: Value?
  public var dest: Value?
  /// `receivePath(C, I, D)`: the receive slot the IPC buffer names (`seL4_SetCapReceivePath`);
  /// nil: the receive slot of no IPC buffer.
  public var receivePath: ReceivePath?
}

/// `receivePath(C, I, D)`: the CNode (a cap in the receiver's CSpace), index and depth of the slot
/// a received capability goes to.
public struct ReceivePath: Hashable, Sendable {
  public var cnode: Value
  public var index: UInt64
  public var depth: UInt64
}

/// What a step is expected to produce.
public enum Outcome: Hashable, Sendable {
  /// `-> NoError`: the empty success reply.
  case noError
  /// `-> Name` (code only) or `-> Name(payload)` (exact payload).
  case error(SeL4Error, SyscallError?)
  /// `-> fault`, or `-> fault CapFault(...)` / `-> fault UnknownSyscall(n)` exactly.
  case fault(ThreadFault?)
  /// `-> notModelled`, or `-> notModelled "name"`.
  case notModelled(String?)
  /// `-> ok`: no reply, no fault, nothing unmodelled.
  case ok
}

/// The kinds of capability an `expect slot` line can name.
public enum CapKind: String, Hashable, Sendable, CaseIterable {
  case null, untyped, endpoint, notification, reply, cnode, thread, schedContext, schedControl, irqControl,
    irqHandler, domain
}

/// What an `expect slot(...) == ...` line says the slot holds; nil parts are not checked.
public struct CapPattern: Hashable, Sendable {
  public var kind: CapKind
  /// The object: a name or an address; for irqHandler the IRQ, for schedControl the core.
  public var object: Value?
  public var rights: CapRights?
  public var badge: UInt64?
  public var guardValue: UInt64?
  public var guardSize: UInt64?
  public var radix: UInt64?
  /// Untyped free index (bytes), untyped or SC size bits, untyped device flag.
  public var freeIndex: UInt64?
  public var sizeBits: UInt64?
  public var device: Bool?
}

/// The thread states an `expect T.state == S` line can name.
public enum ExpectedThreadState: String, Hashable, Sendable, CaseIterable {
  // Spelled as scripts write them (seL4's thread-state names).
  // swift-format-ignore: AlwaysUseLowerCamelCase
  case Running, Restart, Inactive, BlockedOnNotification, BlockedOnSend, BlockedOnReceive, BlockedOnReply
}

/// The state an `expect ep(E) == ...` or `expect ntfn(N) == ...` line gives: `idle`, `send` or
/// `recv` with the queue (endpoint); `idle`, `waiting` with the queue, or `active` with the word
/// (notification). Queues are head first.
public struct QueuePattern: Hashable, Sendable {
  public var state: String
  public var threads: [Name]
  /// The badge word of an active notification.
  public var word: UInt64?
}

/// How the thread tied to a reply object holds it.
public enum ReplyRole: String, Hashable, Sendable, CaseIterable {
  /// BlockedOnReply on it: the Call it made waits for the reply.
  case caller
  /// BlockedOnReceive with it: a Call it meets will block on it.
  case receiver
}

/// What an `expect reply(R) == ...` line says: the thread tied to the object (`reply_tcb`) and
/// how, or none; and the scheduling context whose reply stack holds it, or none.
public struct ReplyPattern: Hashable, Sendable {
  /// nil: no thread (`none`).
  public var role: ReplyRole?
  public var thread: Name?
  /// nil: on no scheduling context's reply stack.
  public var stack: Name?
}

/// A numeric field of a thread a script can check (`expect main.mcp == 10`).
public enum ThreadField: String, Hashable, Sendable, CaseIterable {
  case priority
  /// The maximum controlled priority.
  case mcp
  /// The badge register (what a Wait or Poll received).
  case badge
}

/// An object a thread is bound to, which a script can check (`expect low.ntfn == n`,
/// `expect low.sc == none`).
public enum ThreadBinding: String, Hashable, Sendable, CaseIterable {
  /// The bound notification (`tcbBoundNotification`).
  case ntfn
  /// The bound scheduling context (`tcbSchedContext`).
  case sc
}

/// A check on the abstract state.
public enum Expectation: Hashable, Sendable {
  case threadState(Name, ExpectedThreadState)
  case threadField(Name, ThreadField, UInt64)
  /// nil: bound to nothing.
  case threadBinding(Name, ThreadBinding, Name?)
  /// `expect T.FaultIP == N`, `expect T.x2 == N`: a machine register of the thread (seL4's AArch64
  /// names, any case; X0 is the badge register, X1 the message info, X2...X5 MR0...MR3).
  case threadRegister(Name, Register, UInt64)
  case slot(SlotExpr, CapPattern)
  /// nil: idle.
  case current(Name?)
  case exists(Name)
  case gone(Name)
  /// nil: no parent.
  case parent(SlotExpr, SlotExpr?)
  case original(SlotExpr, Bool)
  /// `expect queue(P) == [a, b]`: the current domain's ready queue of priority P, head first.
  case readyQueue(priority: UInt64, [Name])
  /// `expect ep(E) == recv [a]`: an endpoint's state and queue (checked on all three layers).
  case endpoint(Name, QueuePattern)
  /// `expect ntfn(N) == waiting [a]`: a notification's state and queue or word (all three layers).
  case notification(Name, QueuePattern)
  /// `expect reply(R) == caller T stack S`: a reply object's thread and reply stack (all three layers).
  case reply(Name, ReplyPattern)
  /// `expect stack(S) == [r2, r1]`: a scheduling context's reply stack, newest first (all three layers).
  case replyStack(Name, [Name])
  /// `expect T.sc == S own` / `expect T.sc == S donated [by C]`: the scheduling context the thread
  /// runs on and how it has it (all three layers).
  case schedContextUse(Name, sc: Name, donated: Bool, by: Name?)
}

/// One line of a script.
public enum Statement: Hashable, Sendable {
  /// `thread: action -> outcome` (thread nil for `time`/`irq` lines written without one; `idle:` is a name too).
  case step(thread: Name?, action: Action, outcome: Outcome?)
  case expect(Expectation)
  /// `name x = slot(c, i)`: from here on, x names the object of the cap in that slot.
  case bind(Name, SlotExpr)
}

/// A statement with its line.
public struct Line: Hashable, Sendable {
  public var statement: Statement
  public var position: SourcePosition
  /// The line's text, for reports.
  public var text: String
}

/// A parsed script.
public struct ScenarioScript: Hashable, Sendable {
  public var file: String
  public var system: SystemSource
  public var systemPosition: SourcePosition
  public var lines: [Line]
}

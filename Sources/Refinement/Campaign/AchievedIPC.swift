// The IPC a step achieved between two threads: a message delivered through an endpoint (a Send,
// or a Call that leaves the caller waiting for the reply), a reply through a reply object, or a
// notification's signal taken by a waiter. Read off the abstract states before and after the
// step and the event, so it sees what the layers did (a rendezvous that happened), not what the
// generator meant; `AuthorityTests` checks each against the authority graph of the capDL system
// the campaign ran (docs/authority.md, "Checked against campaigns").
//
// Only the current thread makes a system call, so in every achieved IPC one end is the current
// thread: the sender of a delivery that wakes a receiver, the receiver of one that takes a queued
// sender, the replier that wakes a caller, the signaller that wakes a waiter (or, when nobody
// waits, whose signal the next thread to take the word receives: `IPCObserver` remembers who
// signalled an active notification).

public import AbstractSpec
public import KernelABI

/// One IPC between two threads that a step achieved.
public struct AchievedIPC: Hashable, Sendable, CustomStringConvertible {
  /// The kinds of flow, named as the authority graph names them (`AuthorityKind`).
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// A message through an endpoint, the sender not waiting for a reply.
    case send = "Send"
    /// A message through an endpoint, the sender then BlockedOnReply (or queued as a caller whose
    /// cap let it wait for a reply).
    case call = "Call"
    /// A reply through a reply object to the thread BlockedOnReply on it.
    case reply = "Reply"
    /// A notification's signal received by a thread.
    case signal = "Signal"
  }

  public var from: ObjectRef
  public var kind: Kind
  public var to: ObjectRef
  /// The endpoint, reply object or notification it went through.
  public var object: ObjectRef

  public init(from: ObjectRef, kind: Kind, to: ObjectRef, object: ObjectRef) {
    self.from = from
    self.kind = kind
    self.to = to
    self.object = object
  }

  public var description: String { "\(hex(from)) --\(kind.rawValue)--> \(hex(to)) via \(hex(object))" }
}

/// Watches a trace step by step and reports the IPC each step achieved.
public struct IPCObserver: Sendable {
  /// The threads that signalled each active notification since its word was last taken.
  var pendingSignals: [ObjectRef: [ObjectRef]] = [:]

  public init() {}

  /// The IPC `event` achieved, taking `before` to `after`.
  public mutating func observe(before: AbstractState, event: Event, after: AbstractState) -> [AchievedIPC] {
    let current = before.currentThread
    var call: Syscall?
    var args = SyscallArguments(capRegister: 0, messageInfo: 0)
    if case .syscall(let c, let a) = event { (call, args) = (c, a) }
    func cap(_ cptr: UInt64) -> Capability? { try? before.lookupCap(current, cptr).cap }
    let invoked = call == nil ? nil : cap(args.capRegister)
    let receives: Set<Syscall> = [.recv, .nbRecv, .wait, .nbWait, .replyRecv, .nbSendRecv, .nbSendWait]
    let sends: Set<Syscall> = [.send, .nbSend, .call]
    let callerWaits: Bool
    if case .blockedOnReply? = after.tcb(at: current)?.state { callerWaits = true } else { callerWaits = false }
    var out: [AchievedIPC] = []
    for (thread, object) in before.kheap {
      guard thread != current, case .tcb(let was) = object, let now = after.tcb(at: thread)?.state else { continue }
      switch was.state {
      // A receiver woken to run: by the current thread's message, or by a signal of its bound
      // notification (a cancelled receive restarts or stops it instead).
      case .blockedOnReceive(let endpoint, _):
        guard now == .running else { continue }
        if let bound = was.boundNotification, call.map(sends.contains) == true,
          case .notification(bound, _, _)? = invoked
        {
          out.append(AchievedIPC(from: current, kind: .signal, to: thread, object: bound))
        } else {
          out.append(AchievedIPC(from: current, kind: callerWaits ? .call : .send, to: thread, object: endpoint))
        }
      // A queued sender taken by the current thread's receive: it runs, waits for the reply, or
      // (a Call met by a receive without a reply object) stops.
      case .blockedOnSend(let endpoint, let fields):
        guard call.map(receives.contains) == true, now == .running || now == .inactive || now.isBlockedOnReply
        else { continue }
        let kind: AchievedIPC.Kind = fields.isCall && (fields.canGrant || fields.canGrantReply) ? .call : .send
        out.append(AchievedIPC(from: thread, kind: kind, to: current, object: endpoint))
      // A caller answered through the reply object: ReplyRecv's reply, or the reply cap's own
      // invocation (a Recv that reuses the reply object cancels the call instead).
      case .blockedOnReply(let reply):
        guard !now.isBlockedOnReply else { continue }
        let through: Capability? =
          switch call {
          case .replyRecv?: cap(args.replyRegister)
          case .send?, .nbSend?: invoked
          default: nil
          }
        guard case .reply(reply, _)? = through else { continue }
        out.append(AchievedIPC(from: current, kind: .reply, to: thread, object: reply))
      // A waiter woken by the current thread's signal.
      case .blockedOnNotification(let notification):
        guard now == .running, call.map(sends.contains) == true, case .notification(notification, _, _)? = invoked
        else { continue }
        out.append(AchievedIPC(from: current, kind: .signal, to: thread, object: notification))
      default: continue
      }
    }
    // A signal nobody waited for sets the word; whoever takes the word next receives it.
    if call.map(sends.contains) == true, case .notification(let n, _, _)? = invoked,
      case .active? = after.notification(at: n)?.state, !out.contains(where: { $0.object == n })
    {
      pendingSignals[n, default: []].append(current)
    }
    for (n, signallers) in pendingSignals {
      guard let now = after.notification(at: n) else {
        pendingSignals[n] = nil
        continue
      }
      guard case .active? = before.notification(at: n)?.state, case .idle = now.state else { continue }
      for signaller in Set(signallers).sorted() where signaller != current {
        out.append(AchievedIPC(from: signaller, kind: .signal, to: current, object: n))
      }
      pendingSignals[n] = nil
    }
    return out
  }
}

extension ThreadState {
  var isBlockedOnReply: Bool { if case .blockedOnReply = self { true } else { false } }
}

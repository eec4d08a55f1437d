// The operations table: one entry per operation the campaigns exercise, grouped by kernel
// concept (CNode's invocations, Untyped_Retype, TCB's, Yield, random invocations, what the layers
// do not model).
// Each entry says what the operation is called in a swarm and in coverage (`copy/deleteFirst`),
// which invocations it makes, the kernel paths its events are counted under, how the random
// generator makes one of its events, and which events the exhaustive alphabet tries for it. The
// generator (`EventGenerator`), the alphabet (`ExhaustiveAlphabet.swift`), the coverage bias, the
// kernel fuzz test and the explorer's completion all read it, so a new operation is one entry here.

import AbstractSpec
public import KernelABI

/// The operations the generator can choose, in the operations table's order.
public enum GeneratedOperation: String, CaseIterable, Sendable, Codable {
  case copy, mint, move, mutate, rotate, delete, revoke, cancelBadgedSends, retype
  /// TCB_ReadRegisters, TCB_WriteRegisters, TCB_CopyRegisters, TCB_Suspend, TCB_Resume,
  /// TCB_Configure, TCB_SetPriority, TCB_SetMCPriority, TCB_SetSchedParams, TCB_SetIPCBuffer,
  /// TCB_SetSpace, TCB_BindNotification, TCB_UnbindNotification, TCB_SetTimeoutEndpoint,
  /// TCB_SetTLSBase, TCB_SetFlags (seL4's decode order): every TCB method.
  case readRegisters, writeRegisters, copyRegisters, suspend, resume, configure, setPriority, setMCPriority
  case setSchedParams, setIPCBuffer, setSpace, bindNotification, unbindNotification, setTimeoutEndpoint
  case setTLSBase, setFlags
  /// `seL4_Yield`.
  case yield
  /// SchedContext_Bind, SchedContext_Unbind, SchedContext_UnbindObject, SchedContext_Consumed and
  /// SchedContext_YieldTo on a scheduling-context cap (`EventGenerator+SchedContext.swift`).
  case schedContext
  /// `seL4_Signal` (Send, NBSend or Call through a notification cap).
  case signal
  /// `seL4_Wait` (Wait or Recv on a notification cap: blocks, or takes the word at once).
  case wait
  /// `seL4_Poll` (NBWait or NBRecv on a notification cap: never blocks).
  case poll
  /// `seL4_Send` or `seL4_NBSend` through an endpoint cap, with a message (some with extra caps).
  case send
  /// `seL4_Call` through an endpoint cap, with a message (some with extra caps).
  case call
  /// `seL4_Wait` or `seL4_NBWait` on an endpoint cap, or `seL4_Recv` or `seL4_NBRecv` with a
  /// reply cap.
  case receive
  /// `seL4_ReplyRecv` with a reply cap, or a reply cap's own invocation (`seL4_Send`,
  /// `seL4_NBSend` through it).
  case replyRecv
  /// `seL4_NBSendRecv` or `seL4_NBSendWait`.
  case sendRecv
  /// An invocation with random label and arguments.
  case garbage
  /// An unmodelled event (interrupt, time, an unknown syscall): all layers must agree it is not modelled.
  case unmodelled
  /// IRQControl_Get, IRQ_SetIRQHandler, IRQ_ClearIRQHandler and IRQ_AckIRQ; a device interrupt
  /// (`Event.interrupt`); DomainSet_Set and the domain schedule's two methods
  /// (`EventGenerator+Interrupt.swift`, `EventGenerator+Domain.swift`). Last, so that a trace's
  /// swarm of the operations before them is drawn as it was before they joined.
  case irq, interrupt, domain
}

/// One operation of the table.
public struct OperationEntry: Sendable {
  /// The kernel concepts operations belong to.
  public enum Concept: String, Sendable, CaseIterable {
    case cnode = "CNode"
    case untyped = "Untyped"
    case tcb = "TCB"
    /// System calls that give the scheduler work (Yield), and the SchedContext methods.
    case scheduling
    /// Signal, Wait and Poll on notifications.
    case notification = "Notification"
    /// Send, Call, receive, ReplyRecv, NBSendRecv and NBSendWait on endpoints and reply caps.
    case ipc = "IPC"
    /// IRQControl's and IRQHandler's methods, and device interrupts.
    case interrupt = "Interrupt"
    /// DomainSet's methods.
    case domain = "Domain"
    /// Invocations with random labels and arguments, of any object.
    case random
    /// Everything the layers report as not modelled: the other objects' methods, IPC, interrupts, time.
    case notModelled = "not modelled"
  }

  /// The operation: its name in a swarm, and in coverage (`copy/ok`).
  public let operation: GeneratedOperation
  public let concept: Concept
  /// The invocations it makes; the table's labels are every `InvocationLabel`, each once.
  public let labels: [InvocationLabel]
  /// The kernel paths its events are counted under, without the outcome (docs/campaigns.md):
  /// `KIND` is a cap kind (`Operations.kinds`), `TYPE` an object type or `invalidType`, `LABEL` a
  /// libsel4 method name or `unknownLabel`, `EVENT` an unmodelled event.
  public let kernelPaths: [String]
  /// Whether a share of its random events get malformed arguments (`EventGenerator.perturb`).
  public let perturbed: Bool
  /// How often the generator chooses it among a trace's swarm, relative to the others (times the
  /// coverage bias's weight): 6 for CNode's methods, 4 for most, 2 for Call and ReplyRecv, 1 for
  /// NBSendRecv and NBSendWait and the TCB methods that change no capability and no scheduling
  /// (`lightMethod`: the register methods, SetIPCBuffer, Configure, SetSpace and SetFlags). So
  /// capability, thread and notification events stay the
  /// bulk of a trace, and the TCB methods do not thin out the mints and revokes that the
  /// derivation-tree bugs need (`PlantedBugTests`).
  public internal(set) var weight: UInt64 = 4
  /// Outcomes no event of it can have, which the coverage bias does not count as missing: `ok`
  /// for TCB_Configure and TCB_SetSpace, since no cap here is a VSpace root (`checkSpaceRoots`).
  public internal(set) var unreachableOutcomes: Set<String> = []
  /// One random event of this operation in the generator's view of a state.
  let generate: @Sendable (inout EventGenerator, EventGenerator.View) -> Event
  /// Its events in the exhaustive alphabet at one site of a state.
  let alphabet: @Sendable (AlphabetSite) -> [AlphabetEvent]

  /// The coverage name (`copy`, `retype`, ...).
  public var coverageName: String { operation.rawValue }
}

/// A place in a state where the exhaustive alphabet tries operations: `c` is the cptr of an
/// invocable CNode cap, slots are addressed relative to it.
enum AlphabetSite {
  /// A thread cap the thread can invoke (`cptr`).
  case thread(cptr: UInt64)
  /// A notification cap the thread can invoke (`cptr`).
  case notification(cptr: UInt64)
  /// The current thread itself (system calls that name no cap), once per state.
  case currentThread
  /// A full slot `source` and the CNode's first empty slot `destination`.
  case pair(c: UInt64, destination: ReachableSlot, source: ReachableSlot)
  /// `pivot` rotated into the empty `destination`, and the next full slot `source` into `pivot`.
  case rotation(c: UInt64, destination: ReachableSlot, pivot: ReachableSlot, source: ReachableSlot)
  /// One full slot.
  case slot(c: UInt64, ReachableSlot)
  /// The malformed variants: of the CNode's first full slot, and of its first non-endpoint one.
  case malformed(c: UInt64, first: ReachableSlot?, firstNotEndpoint: ReachableSlot?)
  /// An untyped cap `u`, retyping into the first empty slot `offset` of the CNode `destination`
  /// (the cptr of its cap, which addresses it at depth 0).
  case untyped(u: UInt64, destination: UInt64, offset: UInt64)
  /// Any other cap the thread can invoke.
  case otherCap(UInt64)
  /// An endpoint cap the thread can invoke (`cptr`), with every reply cap it can invoke.
  case endpoint(cptr: UInt64, replies: [UInt64])
  /// A reply cap the thread can invoke.
  case reply(cptr: UInt64)
  /// A thread cap with the caps TCB methods take as arguments (`ThreadControlSite`).
  case threadControl(ThreadControlSite)
  /// An IRQControl cap (`cptr`), with the CNode (cptr `c`) and its first empty slot to issue a
  /// handler into, and the first inactive line above the timer's (`irq`).
  case irqControl(cptr: UInt64, c: UInt64, destination: ReachableSlot?, irq: UInt64?)
  /// An IRQHandler cap (`cptr`), with the first notification cap with Write the thread can name.
  case irqHandler(cptr: UInt64, notification: UInt64?)
  /// A line with a handler (IRQSignal), once per state.
  case irqLine(UInt64)
  /// A DomainSet cap (`cptr`), with the first thread cap the thread can invoke.
  case domain(cptr: UInt64, thread: UInt64?)
}

/// A thread cap (`thread`) with the caps TCB methods take as arguments, the first of each kind the
/// thread can name: a notification cap with Read, a scheduling-context cap, an endpoint cap that is
/// a valid fault handler, an empty slot (a Null cap), a thread cap (`source`, for CopyRegisters),
/// an invocable CNode cap and an untyped cap (CSpace and VSpace roots for Configure and SetSpace);
/// `isCaller` when `thread` names the current thread itself.
struct ThreadControlSite {
  var thread: UInt64
  var notification: UInt64?
  var schedContext: UInt64?
  var handler: UInt64?
  var empty: UInt64?
  var source: UInt64?
  var cnode: UInt64?
  var untyped: UInt64?
  var isCaller: Bool
}

/// The operations table.
public enum Operations {
  /// CNode's invocations.
  static let cnode: [OperationEntry] = [
    twoSlot(.copy, .cnodeCopy) { d, s, rights in [d.index, d.depth, s.index, s.depth, rights] },
    twoSlot(.mint, .cnodeMint) { d, s, rights in [d.index, d.depth, s.index, s.depth, rights, 1] },
    twoSlot(.move, .cnodeMove, rights: false) { d, s, _ in [d.index, d.depth, s.index, s.depth] },
    twoSlot(.mutate, .cnodeMutate, rights: false) { d, s, _ in [d.index, d.depth, s.index, s.depth, 0] },
    OperationEntry(
      operation: .rotate, concept: .cnode, labels: [.cnodeRotate], kernelPaths: ["rotate.KIND"], perturbed: true,
      weight: 6, generate: { g, view in g.rotate(view) },
      alphabet: { site in
        switch site {
        case .rotation(let c, let d, let pivot, let s):
          [
            alphabetEvent(
              .rotate, c, .cnodeRotate, [d.index, d.depth, 0, pivot.index, pivot.depth, 0, s.index, s.depth],
              extraCaps: [c, c])
          ]
        // A depth beyond the word: RangeError.
        case .malformed(let c, let f?, _):
          [
            alphabetEvent(
              .rotate, c, .cnodeRotate, [f.index, 65, 0, f.index, f.depth, 0, f.index, f.depth], extraCaps: [c, c],
              malformed: true)
          ]
        default: []
        }
      }),
    oneSlot(.delete, .cnodeDelete, paths: ["delete.KIND", "delete.KIND.final", "delete.KIND.shared"]),
    oneSlot(.revoke, .cnodeRevoke, paths: ["revoke.KIND", "revoke.KIND.children", "revoke.KIND.leaf"]),
    OperationEntry(
      operation: .cancelBadgedSends, concept: .cnode, labels: [.cnodeCancelBadgedSends],
      kernelPaths: ["cancelBadgedSends.KIND"], perturbed: true, weight: 6,
      generate: { g, view in g.oneSlotOperation(.cancelBadgedSends, .cnodeCancelBadgedSends, view) },
      alphabet: { site in
        switch site {
        case .slot(let c, let s):
          guard case .endpoint = s.cap else { return [] }
          return [alphabetEvent(.cancelBadgedSends, c, .cnodeCancelBadgedSends, [s.index, s.depth])]
        // A cap that is not an endpoint: IllegalOperation.
        case .malformed(let c, _, let other?):
          return [
            alphabetEvent(.cancelBadgedSends, c, .cnodeCancelBadgedSends, [other.index, other.depth], malformed: true)
          ]
        default: return []
        }
      }),
  ]

  /// Untyped's one invocation.
  static let untyped: [OperationEntry] = [
    OperationEntry(
      operation: .retype, concept: .untyped, labels: [.untypedRetype],
      kernelPaths: ["retype.TYPE", "retype.TYPE.many", "retype.TYPE.nested", "retype.TYPE.many.nested"],
      perturbed: true, generate: { g, view in g.retype(view) },
      alphabet: { site in
        guard case .untyped(let u, let destination, let offset) = site else { return [] }
        // An object type that does not exist: InvalidArgument.
        return AbstractState.alphabetRetypes.map { type, sizeBits in
          alphabetEvent(
            .retype, u, .untypedRetype, [type.rawValue, sizeBits, 0, 0, offset, 1], extraCaps: [destination])
        } + [
          alphabetEvent(
            .retype, u, .untypedRetype, [ObjectType.count, 0, 0, 0, offset, 1], extraCaps: [destination],
            malformed: true)
        ]
      })
  ]

  /// TCB's invocations, every one, in seL4's decode order.
  static let tcb: [OperationEntry] = [
    // All 36 registers, the source left running.
    lightMethod(
      .readRegisters, .tcbReadRegisters, facts: ["suspend"], generate: { g, view in g.readRegisters(view) },
      arguments: { _ in ([0, Register.userContextCount], []) }),
    // The PC and SP, and resume.
    lightMethod(
      .writeRegisters, .tcbWriteRegisters, facts: ["resume"], generate: { g, view in g.writeRegisters(view) },
      arguments: { _ in ([1, 2, 0x40_0000, 0x7f_f000], []) }),
    // The frame and integer registers of the first thread cap.
    lightMethod(
      .copyRegisters, .tcbCopyRegisters, facts: ["same"], generate: { g, view in g.copyRegisters(view) },
      arguments: { s in s.source.map { ([0b1100], [$0]) } }),
    suspendOrResume(.suspend, .tcbSuspend),
    suspendOrResume(.resume, .tcbResume),
    // No buffer (address 0), the first CNode cap as CSpace root and the first untyped cap as
    // VSpace root: the call gets to the VSpace root, which derives (IllegalOperation: no VSpace
    // root) until the untyped has a child (RevokeFirst).
    lightMethod(
      .configure, .tcbConfigure, facts: EventGenerator.configureStages, unreachable: ["ok"],
      generate: { g, view in g.configure(view) },
      arguments: { s in
        guard let cnode = s.cnode, let empty = s.empty else { return nil }
        return ([0, 0, 0], [cnode, s.untyped ?? cnode, empty])
      }),
    priority(.setPriority, .tcbSetPriority),
    priority(.setMCPriority, .tcbSetMCPriority),
    OperationEntry(
      operation: .setSchedParams, concept: .tcb, labels: [.tcbSetSchedParams], kernelPaths: ["setSchedParams.KIND"],
      perturbed: true, generate: { g, view in g.setSchedParams(view) },
      alphabet: { site in
        // The thread as its own authority, priority and MCP 0, its SC cap if it can name one (else
        // Null: it loses its SC, or IllegalOperation for the caller), the handler if there is one.
        guard case .threadControl(let s) = site, let empty = s.empty else { return [] }
        return [
          alphabetEvent(
            .setSchedParams, s.thread, .tcbSetSchedParams, [0, 0],
            extraCaps: [s.thread, s.schedContext ?? empty, s.handler ?? empty])
        ]
      }),
    // Address 0 (no buffer) with the first empty slot.
    lightMethod(
      .setIPCBuffer, .tcbSetIPCBuffer, facts: ["zero", "nonzero"], withoutFact: false,
      generate: { g, view in g.setIPCBuffer(view) }, arguments: { s in s.empty.map { ([0], [$0]) } }),
    // The handler (else Null), the first untyped cap as CSpace root and the first CNode cap as
    // VSpace root: the call stops at the CSpace root, no CNode (IllegalOperation) until the
    // untyped has a child (RevokeFirst).
    lightMethod(
      .setSpace, .tcbSetSpace, facts: EventGenerator.setSpaceStages, unreachable: ["ok"],
      generate: { g, view in g.setSpace(view) },
      arguments: { s in
        guard let cnode = s.cnode, let handler = s.handler ?? s.empty else { return nil }
        return ([0, 0], [handler, s.untyped ?? cnode, cnode])
      }),
    OperationEntry(
      operation: .bindNotification, concept: .tcb, labels: [.tcbBindNotification],
      kernelPaths: ["bindNotification.KIND"], perturbed: true, generate: { g, view in g.bindNotification(view) },
      alphabet: { site in
        guard case .threadControl(let s) = site, let ntfn = s.notification else { return [] }
        return [alphabetEvent(.bindNotification, s.thread, .tcbBindNotification, [], extraCaps: [ntfn])]
      }),
    OperationEntry(
      operation: .unbindNotification, concept: .tcb, labels: [.tcbUnbindNotification],
      kernelPaths: ["unbindNotification.KIND"], perturbed: true, generate: { g, view in g.unbindNotification(view) },
      alphabet: { site in
        guard case .threadControl(let s) = site else { return [] }
        return [alphabetEvent(.unbindNotification, s.thread, .tcbUnbindNotification, [])]
      }),
    OperationEntry(
      operation: .setTimeoutEndpoint, concept: .tcb, labels: [.tcbSetTimeoutEndpoint],
      kernelPaths: ["setTimeoutEndpoint.KIND"], perturbed: true, generate: { g, view in g.setTimeoutEndpoint(view) },
      alphabet: { site in
        guard case .threadControl(let s) = site, let cap = s.handler ?? s.empty else { return [] }
        return [alphabetEvent(.setTimeoutEndpoint, s.thread, .tcbSetTimeoutEndpoint, [], extraCaps: [cap])]
      }),
    lightMethod(
      .setTLSBase, .tcbSetTLSBase, facts: [], generate: { g, view in g.setTLSBase(view) },
      arguments: { _ in ([0x10_0000], []) }),
    // Clear every flag, then set every flag: the thread's flags become `tcbFlagMask` (the bits
    // beyond it are dropped).
    lightMethod(
      .setFlags, .tcbSetFlags, facts: ["outsideMask"], generate: { g, view in g.setFlags(view) },
      arguments: { _ in ([~0, ~0], []) }),
  ]

  /// A TCB method that changes no capability and no scheduling, at weight 1: a method of
  /// `TCB+Registers.swift`, SetIPCBuffer (`EventGenerator+Registers`), Configure, SetSpace or
  /// SetFlags (`EventGenerator+Configure`). In the alphabet, one event of each thread cap but the
  /// caller's own (on which ReadRegisters and WriteRegisters are IllegalOperations, an error reply
  /// other methods already leave), so that the small system's alphabet grows by one event per
  /// method: `arguments` makes its message and extra caps from the site (nil: no event). Its
  /// kernel paths are `operation.KIND` (unless `withoutFact` is false) and `operation.KIND.fact`;
  /// `unreachable` its outcomes no event can have (`OperationEntry.unreachableOutcomes`).
  static func lightMethod(
    _ operation: GeneratedOperation, _ label: InvocationLabel, facts: [String], withoutFact: Bool = true,
    unreachable: Set<String> = [], generate: @escaping @Sendable (inout EventGenerator, EventGenerator.View) -> Event,
    arguments: @escaping @Sendable (ThreadControlSite) -> (args: [UInt64], extraCaps: [UInt64])?
  ) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .tcb, labels: [label],
      kernelPaths: (withoutFact ? ["\(operation.rawValue).KIND"] : [])
        + facts.map { "\(operation.rawValue).KIND.\($0)" }, perturbed: true, weight: 1,
      unreachableOutcomes: unreachable, generate: generate,
      alphabet: { site in
        guard case .threadControl(let s) = site, !s.isCaller, let message = arguments(s) else { return [] }
        return [alphabetEvent(operation, s.thread, label, message.args, extraCaps: message.extraCaps)]
      })
  }

  /// TCB_Suspend or TCB_Resume: no arguments. In the alphabet, of each thread cap the thread can
  /// invoke, itself included.
  static func suspendOrResume(_ operation: GeneratedOperation, _ label: InvocationLabel) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .tcb, labels: [label], kernelPaths: ["\(operation.rawValue).KIND"],
      perturbed: true, generate: { g, view in g.suspendOrResume(view, operation, label) },
      alphabet: { site in
        guard case .thread(let cptr) = site else { return [] }
        return [alphabetEvent(operation, cptr, label, [])]
      })
  }

  /// TCB_SetPriority or TCB_SetMCPriority: MR0 the value, extra cap 0 the authority thread.
  static func priority(_ operation: GeneratedOperation, _ label: InvocationLabel) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .tcb, labels: [label], kernelPaths: ["\(operation.rawValue).KIND"],
      perturbed: true, generate: { g, view in g.priorityInvocation(view, operation, label) },
      alphabet: { site in
        guard case .thread(let cptr) = site else { return [] }
        // The thread as its own authority: 0 is within any MCP; 256 is above every MCP
        // (RangeError).
        return [
          alphabetEvent(operation, cptr, label, [0], extraCaps: [cptr]),
          alphabetEvent(operation, cptr, label, [KernelConstants.maxPriority + 1], extraCaps: [cptr], malformed: true),
        ]
      })
  }

  /// System calls that give the scheduler work, and the SchedContext methods.
  static let scheduling: [OperationEntry] = [
    OperationEntry(
      operation: .yield, concept: .scheduling, labels: [], kernelPaths: ["yield"], perturbed: false,
      generate: { g, _ in g.yield() },
      alphabet: { site in
        guard case .currentThread = site else { return [] }
        return [AlphabetEvent(operation: .yield, event: EventGenerator.yieldEvent, malformed: false)]
      }),
    // The SchedContext methods, at weight 2. In the alphabet, once per state (at the caller's own
    // thread cap): Consumed and YieldTo of the first scheduling-context cap.
    OperationEntry(
      operation: .schedContext, concept: .scheduling,
      labels: EventGenerator.schedContextMethods.map(\.label),
      kernelPaths: [
        "schedContext.SchedContext_Bind.KIND", "schedContext.SchedContext_Unbind",
        "schedContext.SchedContext_UnbindObject.KIND", "schedContext.SchedContext_Consumed",
        "schedContext.SchedContext_YieldTo",
      ], perturbed: true, weight: 2, generate: { g, view in g.schedContextInvocation(view) },
      alphabet: { site in
        guard case .threadControl(let s) = site, s.isCaller, let sc = s.schedContext else { return [] }
        return [
          alphabetEvent(.schedContext, sc, .schedContextConsumed, []),
          alphabetEvent(.schedContext, sc, .schedContextYieldTo, []),
        ]
      }),
  ]

  /// Signal, Wait and Poll: a send or receive system call through a notification cap, one event
  /// each per notification cap in the alphabet (a cap without the right is the error path: an
  /// InvalidCapability for Signal, a capability fault for Wait and Poll).
  static let notification: [OperationEntry] = [
    notificationEntry(.signal, syscall: .send) { g, view in g.signal(view) },
    notificationEntry(.wait, syscall: .wait) { g, view in g.wait(view) },
    notificationEntry(.poll, syscall: .nbWait) { g, view in g.poll(view) },
  ]

  /// Endpoint IPC (`EventGenerator+Endpoint.swift`). `GRANT` says whether a message with extra
  /// caps went through a cap with Grant, `REPLY` whether a caller waits on the reply object. In
  /// the alphabet, of each endpoint cap the thread can invoke, with each reply cap it can invoke:
  /// Send and NBSend; Call; Wait and NBWait, Recv and NBRecv with each reply cap; ReplyRecv with
  /// each reply cap; NBSendRecv (sending to and receiving on that endpoint) with each reply cap,
  /// and NBSendWait; and of each reply cap its own invocation, Send and NBSend. Every message is
  /// `ipcAlphabetMessage`, with no extra caps and no receive slot.
  static let ipc: [OperationEntry] = [
    OperationEntry(
      operation: .send, concept: .ipc, labels: [], kernelPaths: ["send.KIND.EP", "send.KIND.EP.GRANT"],
      perturbed: false, generate: { g, view in g.send(view) },
      alphabet: { site in
        guard case .endpoint(let e, _) = site else { return [] }
        return [ipcEvent(.send, .send, e, message: true), ipcEvent(.send, .nbSend, e, message: true)]
      }),
    OperationEntry(
      operation: .call, concept: .ipc, labels: [], kernelPaths: ["call.KIND.EP", "call.KIND.EP.GRANT"],
      perturbed: false, weight: 2, generate: { g, view in g.call(view) },
      alphabet: { site in
        guard case .endpoint(let e, _) = site else { return [] }
        return [ipcEvent(.call, .call, e, message: true)]
      }),
    OperationEntry(
      operation: .receive, concept: .ipc, labels: [], kernelPaths: ["receive.KIND.EP", "receive.KIND.EP.reply"],
      perturbed: false, generate: { g, view in g.receive(view) },
      alphabet: { site in
        guard case .endpoint(let e, let replies) = site else { return [] }
        return [ipcEvent(.receive, .wait, e), ipcEvent(.receive, .nbWait, e)]
          + replies.flatMap { r in [ipcEvent(.receive, .recv, e, reply: r), ipcEvent(.receive, .nbRecv, e, reply: r)] }
      }),
    OperationEntry(
      operation: .replyRecv, concept: .ipc, labels: [],
      kernelPaths: ["replyRecv.KIND.REPLY", "replyRecv.sendReply.REPLY"], perturbed: false, weight: 2,
      generate: { g, view in g.replyRecv(view) },
      alphabet: { site in
        switch site {
        case .endpoint(let e, let replies):
          return replies.map { r in ipcEvent(.replyRecv, .replyRecv, e, reply: r, message: true) }
        // The reply cap's own invocation.
        case .reply(let r):
          return [ipcEvent(.replyRecv, .send, r, message: true), ipcEvent(.replyRecv, .nbSend, r, message: true)]
        default: return []
        }
      }),
    OperationEntry(
      operation: .sendRecv, concept: .ipc, labels: [],
      kernelPaths: ["sendRecv.nbSendRecv.EP", "sendRecv.nbSendWait.EP"], perturbed: false, weight: 1,
      generate: { g, view in g.sendRecv(view) },
      alphabet: { site in
        guard case .endpoint(let e, let replies) = site else { return [] }
        // NBSendWait names its send destination in the reply register.
        return replies.map { r in ipcEvent(.sendRecv, .nbSendRecv, e, reply: r, destination: e, message: true) }
          + [ipcEvent(.sendRecv, .nbSendWait, e, reply: e, message: true)]
      }),
  ]

  /// The message of every alphabet IPC event that sends one: label 1, one message register.
  static let ipcAlphabetMessage = (info: MessageInfo(label: 1, extraCaps: 0, length: 1), registers: [UInt64(0x5eed)])

  /// An alphabet IPC event: `syscall` on `cptr`, with the reply register `reply` and NBSendRecv's
  /// destination `destination`, and `ipcAlphabetMessage` when `message`.
  static func ipcEvent(
    _ operation: GeneratedOperation, _ syscall: Syscall, _ cptr: UInt64, reply: UInt64 = 0, destination: UInt64 = 0,
    message: Bool = false
  ) -> AlphabetEvent {
    AlphabetEvent(
      operation: operation,
      event: .syscall(
        syscall,
        SyscallArguments(
          capRegister: cptr, messageInfo: message ? ipcAlphabetMessage.info.word : 0,
          messageRegisters: message ? ipcAlphabetMessage.registers : [], replyRegister: reply,
          nbSendRecvDestination: destination)),
      malformed: false)
  }

  /// The IRQ methods (`irq`, at weight 1) and device interrupts (`interrupt`, at weight 1;
  /// `EventGenerator+Interrupt.swift`). In the alphabet: of each IRQControl cap, IssueIRQHandler
  /// of the first inactive line above the timer's into the first empty slot, and the malformed
  /// variant, a line beyond `maxIRQ` (RangeError); of each IRQHandler cap AckIRQ,
  /// ClearIRQHandler, and SetIRQHandler to the first notification cap with Write; an interrupt on
  /// each line with a handler. None of the small systems' threads has an IRQControl cap, so their
  /// exhaustive searches are unchanged.
  static let interrupt: [OperationEntry] = [
    OperationEntry(
      operation: .irq, concept: .interrupt, labels: EventGenerator.irqMethods.map(\.label),
      kernelPaths: [
        "irq.IRQ_IssueIRQHandler.LINE", "irq.IRQ_AckIRQ.LINE", "irq.IRQ_SetIRQHandler.LINE.KIND",
        "irq.IRQ_ClearIRQHandler.LINE",
      ], perturbed: true, weight: 1, generate: { g, view in g.irqInvocation(view) },
      alphabet: { site in
        switch site {
        case .irqControl(let cptr, let c, let d?, let irq?):
          return [
            alphabetEvent(.irq, cptr, .irqIssueIRQHandler, [irq, d.index, d.depth], extraCaps: [c]),
            alphabetEvent(
              .irq, cptr, .irqIssueIRQHandler, [IRQConstants.numIRQs, d.index, d.depth], extraCaps: [c],
              malformed: true),
          ]
        case .irqHandler(let cptr, let notification):
          return [alphabetEvent(.irq, cptr, .irqAckIRQ, []), alphabetEvent(.irq, cptr, .irqClearIRQHandler, [])]
            + (notification.map { [alphabetEvent(.irq, cptr, .irqSetIRQHandler, [], extraCaps: [$0])] } ?? [])
        default: return []
        }
      }),
    OperationEntry(
      operation: .interrupt, concept: .interrupt, labels: [], kernelPaths: ["interrupt.LINE", "interrupt.LINE.NTFN"],
      perturbed: false, weight: 1, generate: { g, view in g.interrupt(view) },
      alphabet: { site in
        guard case .irqLine(let irq) = site else { return [] }
        return [AlphabetEvent(operation: .interrupt, event: .interrupt(irq: irq), malformed: false)]
      }),
  ]

  /// DomainSet's methods (`EventGenerator+Domain.swift`), at weight 1. In the alphabet, of each
  /// DomainSet cap: the first thread cap moved to domain 1, and the malformed variant, a domain the
  /// kernel has not (InvalidArgument).
  static let domain: [OperationEntry] = [
    OperationEntry(
      operation: .domain, concept: .domain, labels: EventGenerator.domainMethods.map(\.label),
      kernelPaths: [
        "domain.DomainSet_Set.KIND", "domain.DomainSet_ScheduleConfigure", "domain.DomainSet_ScheduleSetStart",
      ],
      perturbed: true, weight: 1, generate: { g, view in g.domainInvocation(view) },
      alphabet: { site in
        guard case .domain(let cptr, let thread?) = site else { return [] }
        return [
          alphabetEvent(.domain, cptr, .domainSetSet, [1], extraCaps: [thread]),
          alphabetEvent(
            .domain, cptr, .domainSetSet, [KernelConstants.numDomains], extraCaps: [thread], malformed: true),
        ]
      })
  ]

  /// Invocations with random labels and arguments.
  static let random: [OperationEntry] = [
    OperationEntry(
      operation: .garbage, concept: .random, labels: [], kernelPaths: ["garbage.LABEL"], perturbed: false,
      generate: { g, view in g.garbage(view) }, alphabet: { _ in [] })
  ]

  /// What no layer models yet: every other object's methods (the alphabet invokes each other cap
  /// once, with the invalid label: IllegalOperation for a thread cap), interrupts and time (the
  /// generator). (NBSendRecv and NBSendWait, modelled now, are `sendRecv`'s.) Every TCB method is
  /// one of `tcb`'s.
  static let notModelled: [OperationEntry] = [
    OperationEntry(
      operation: .unmodelled, concept: .notModelled,
      labels: InvocationLabel.allCases.filter {
        $0.target != .cnode && $0.target != .untyped && !tcb.flatMap(\.labels).contains($0)
          && !scheduling.flatMap(\.labels).contains($0)
          && !(interrupt + domain).flatMap(\.labels).contains($0)
      },
      kernelPaths: ["unmodelled.EVENT"], perturbed: false, generate: { g, _ in g.unmodelled() },
      alphabet: { site in
        guard case .otherCap(let cptr) = site else { return [] }
        return [alphabetEvent(.unmodelled, cptr, .invalidInvocation, [])]
      })
  ]

  /// The whole table, in `GeneratedOperation.allCases` order.
  public static let all: [OperationEntry] =
    cnode + untyped + tcb + scheduling + notification + ipc + random + notModelled + interrupt + domain

  /// The entry of `operation`.
  public static func entry(_ operation: GeneratedOperation) -> OperationEntry {
    // The table lists every operation once, in case order.
    all[GeneratedOperation.allCases.firstIndex(of: operation) ?? 0]
  }

  /// The operations of `concept`, in table order.
  public static func operations(of concept: OperationEntry.Concept) -> [GeneratedOperation] {
    all.filter { $0.concept == concept }.map(\.operation)
  }

  /// The invocation labels of `concept`'s operations, by label number.
  public static func labels(of concept: OperationEntry.Concept) -> [InvocationLabel] {
    all.filter { $0.concept == concept }.flatMap(\.labels).sorted { $0.rawValue < $1.rawValue }
  }

  /// Every invocation the table's operations make, by label number: the methods a user can name.
  public static var invocationLabels: [InvocationLabel] { all.flatMap(\.labels).sorted { $0.rawValue < $1.rawValue } }

  // MARK: Kernel path names

  /// The cap kinds kernel paths and derivation-tree shapes name (`KIND`).
  public static let kinds = [
    "null", "untyped", "endpoint", "badgedEndpoint", "notification", "badgedNotification", "reply", "cnode",
    "thread", "schedContext", "schedControl", "irqControl", "irqHandler", "domain",
  ]

  /// The values each placeholder of `kernelPaths` stands for.
  static var placeholders: [String: Set<String>] {
    [
      "KIND": Set(kinds),
      "TYPE": Set(
        ObjectType.allCases.map { $0.libsel4Name.replacingOccurrences(of: "seL4_", with: "") } + ["invalidType"]),
      "LABEL": Set(InvocationLabel.allCases.map(\.libsel4Name) + ["unknownLabel"]),
      "EVENT": Set(["interrupt", "timerTick", "unknownSyscall"] + Syscall.allCases.map(\.libsel4Name)),
      "NTFN": Set(["idle", "waiting", "active", "none"]),
      "EP": Set(["idle", "send", "recv", "none"]),
      "GRANT": Set(["grant", "noGrant"]),
      "REPLY": Set(["caller", "none"]),
      "LINE": Set(EventGenerator.lineNames),
    ]
  }

  /// Whether `path` (a kernel path without its outcome) is one the table names for `operation`.
  public static func names(_ path: String, for operation: GeneratedOperation) -> Bool {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    let values = placeholders
    return entry(operation).kernelPaths.contains { template in
      let slots = template.split(separator: ".")
      return slots.count == parts.count
        && zip(slots, parts).allSatisfy { slot, part in
          values[String(slot)].map { $0.contains(String(part)) } ?? (slot == part)
        }
    }
  }

  // MARK: Entries of one shape

  /// Signal, Wait or Poll: `syscall` through a notification cap, without a message.
  static func notificationEntry(
    _ operation: GeneratedOperation, syscall: Syscall,
    generate: @escaping @Sendable (inout EventGenerator, EventGenerator.View) -> Event
  ) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .notification, labels: [], kernelPaths: ["\(operation.rawValue).KIND.NTFN"],
      perturbed: false, generate: generate,
      alphabet: { site in
        guard case .notification(let cptr) = site else { return [] }
        return [
          AlphabetEvent(
            operation: operation, event: .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0)),
            malformed: false)
        ]
      })
  }

  /// Copy, Mint, Move or Mutate: a source slot into a destination slot. `arguments` gives the
  /// message registers from the destination, the source and (Copy, Mint) a rights mask.
  static func twoSlot(
    _ operation: GeneratedOperation, _ label: InvocationLabel, rights: Bool = true,
    arguments: @escaping @Sendable (ReachableSlot, ReachableSlot, UInt64) -> [UInt64]
  ) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .cnode, labels: [label], kernelPaths: ["\(operation.rawValue).KIND"],
      perturbed: true, weight: 6, generate: { g, view in g.twoSlotOperation(operation, label, view) },
      alphabet: { site in
        switch site {
        case .pair(let c, let d, let s):
          return (rights ? AbstractState.alphabetRights.map(\.rawValue) : [0]).map {
            alphabetEvent(operation, c, label, arguments(d, s, $0), extraCaps: [c])
          }
        // A full destination: DeleteFirst.
        case .malformed(let c, let f?, _):
          return [
            alphabetEvent(
              operation, c, label, arguments(f, f, CapRights.all.rawValue), extraCaps: [c], malformed: true)
          ]
        default: return []
        }
      })
  }

  /// Delete or Revoke: one slot.
  static func oneSlot(_ operation: GeneratedOperation, _ label: InvocationLabel, paths: [String]) -> OperationEntry {
    OperationEntry(
      operation: operation, concept: .cnode, labels: [label], kernelPaths: paths, perturbed: true, weight: 6,
      generate: { g, view in g.oneSlotOperation(operation, label, view) },
      alphabet: { site in
        switch site {
        case .slot(let c, let s): return [alphabetEvent(operation, c, label, [s.index, s.depth])]
        // A depth beyond the word: RangeError.
        case .malformed(let c, let f?, _): return [alphabetEvent(operation, c, label, [f.index, 65], malformed: true)]
        default: return []
        }
      })
  }
}

/// An alphabet event: a Call of `cptr` with `label`, `args` and `extraCaps`.
func alphabetEvent(
  _ operation: GeneratedOperation, _ cptr: UInt64, _ label: InvocationLabel, _ args: [UInt64],
  extraCaps: [UInt64] = [], malformed: Bool = false
) -> AlphabetEvent {
  AlphabetEvent(
    operation: operation, event: invocationEvent(cptr, label: label.rawValue, args, extraCaps: extraCaps),
    malformed: malformed)
}

// The abstract kernel state: what the kernel knows, said as plainly as possible.
//
// Memory is a map from addresses to live kernel objects (`kheap`); capabilities live in the slots
// of CNodes and TCBs; the capability derivation tree (`cdt`) is a map from each derived slot to
// the slot it was derived from, and `isOriginalCap` marks the slots whose capability may parent
// others (l4v `is_original_cap`, `mdbRevocable` below). Nothing here is laid out: there are no
// linked lists, no packed words, no queues. A slot that holds no capability holds `.null`; the
// maps only mention non-null slots. This mirrors l4v `abstract_state` restricted to the
// capability core (`l4v:spec/abstract/Structures_A.thy`).

public import Bitwise
public import HashTreeCollections
public import KernelABI

// MARK: - Kernel objects

/// The non-null capabilities of an object's slots, by index. A map like any other; it is kept as
/// a hash trie so that a state sharing it with the state before a step (the checker keeps that
/// one) copies only the path to the slot the step writes, not a CNode of thousands of caps.
public typealias CapSlots = TreeDictionary<UInt64, Capability>

/// A CNode: `2^radix` capability slots. Only non-null slots appear in `slots`.
public struct CNode: Hashable, Sendable {
  public var radix: UInt64
  public var slots: CapSlots

  public init(radix: UInt64, slots: CapSlots = [:]) {
    self.radix = radix
    self.slots = slots
  }
}

/// How far a thread is from running (the states this slice reaches).
public enum ThreadState: Hashable, Sendable {
  /// The thread runs (or would, if chosen).
  case running
  /// The thread will re-run its system call when next chosen.
  case restart
  /// The thread is stopped.
  case inactive
  /// The thread waits in the queue of the notification at this address (`BlockedOnNotification`).
  case blockedOnNotification(ObjectRef)
  /// The thread waits in the send queue of the endpoint at this address, with what it sends
  /// (`BlockedOnSend`).
  case blockedOnSend(ObjectRef, IPCSendFields)
  /// The thread waits in the receive queue of the endpoint at this address (`BlockedOnReceive`),
  /// with the reply object it received with (MCS Recv and NBRecv; nil for Wait), which a Call
  /// it meets will block on (l4v-rt `BlockedOnReceive ep reply_opt`).
  case blockedOnReceive(ObjectRef, reply: ObjectRef?)
  /// The thread called and waits for the reply through the reply object at this address
  /// (`BlockedOnReply`, MCS `reply_push`).
  case blockedOnReply(ObjectRef)
  /// The idle thread's state (`IdleThreadState`): only the idle thread is in it (`only_idle`).
  case idleThreadState
}

/// The registers of a thread the kernel writes (l4v `tcb_context`; seL4 `tcbArch.tcbContext` and
/// the IPC buffer): the message-info register, the badge register and the message registers.
/// seL4 keeps the first message registers in machine registers and the rest, up to
/// `seL4_MsgMaxLength` (120), in the thread's IPC buffer (`setMR`); this slice has no IPC
/// buffers, so all of them are here. The machine registers are AArch64's (`KernelABI.Register`),
/// and the named ones alias some of them as on seL4: the badge register is X0, the message-info
/// register X1, MR0...MR3 are X2...X5, so they are stored once, in the fields below, and
/// `getRegister`/`setRegister` of X0...X5 read and write those; the 31 others (X6 up to
/// TPIDRRO_EL0) are `registers`. Only the message registers and the other registers up to the
/// last non-zero one are stored, and every one after it reads 0 (as in a fresh TCB), so that
/// equal contexts are equal values. Twins: `ExecutableSpec.UserContext`, the kernel's TCB words (`Kernel/State.swift`).
public struct UserContext: Hashable, Sendable {
  /// The message-info register (`msgInfoRegister`): a packed `MessageInfo` word.
  public var msgInfoRegister: UInt64
  /// The badge register (`badgeRegister`).
  public var badgeRegister: UInt64
  /// MR0, MR1, ... up to the last non-zero one (`msgRegisters`, then the IPC buffer).
  public private(set) var msgRegisters: [UInt64]

  /// X6 up to TPIDRRO_EL0 (`Register.otherRegisterIndex`), up to the last non-zero one: the
  /// registers that are neither the badge, the message-info nor a fast message register.
  public private(set) var registers: [UInt64]

  /// The IPC buffer's `caps_or_badges` words (`seL4_MsgMaxExtraCaps` of them, always three): the
  /// cptrs of the extra caps a sender names (`getExtraCPtr`), and the badges of the endpoint caps
  /// a receiver is handed unwrapped (`setExtraBadge`, `seL4:src/object/tcb.c`).
  public var capsOrBadges: [UInt64] = Array(repeating: 0, count: KernelConstants.msgMaxExtraCaps)
  /// The IPC buffer's receive slot (`receiveCNode`, `receiveIndex`, `receiveDepth`;
  /// `loadCapTransfer`, `seL4:src/object/cnode.c`): where a receiver accepts a transferred cap.
  /// All zero (a fresh buffer) names none: depth 0 resolves no slot.
  public var receiveSlot = ReceiveSlot(cnode: 0, index: 0, depth: 0)

  public init(
    msgInfoRegister: UInt64 = 0, badgeRegister: UInt64 = 0, msgRegisters: [UInt64] = [], registers: [UInt64] = []
  ) {
    self.msgInfoRegister = msgInfoRegister
    self.badgeRegister = badgeRegister
    self.msgRegisters = msgRegisters
    self.registers = Array(registers.prefix(Register.otherRegisterCount))
    trim()
  }

  /// `getRegister`: the badge register is X0, the message-info register X1, MR0...MR3 are X2...X5.
  public func getRegister(_ register: Register) -> UInt64 {
    switch register {
    case Register.badgeRegister: return badgeRegister
    case Register.msgInfoRegister: return msgInfoRegister
    default:
      if let index = register.messageRegisterIndex { return msgRegister(index) }
      let index = register.otherRegisterIndex ?? 0
      return index < registers.count ? registers[index] : 0
    }
  }

  /// `setRegister`: write one register (the badge, message-info or a message register when it is
  /// X0...X5).
  public mutating func setRegister(_ register: Register, _ value: UInt64) {
    switch register {
    case Register.badgeRegister: badgeRegister = value
    case Register.msgInfoRegister: msgInfoRegister = value
    default:
      if let index = register.messageRegisterIndex { return setMR(index, value) }
      let index = register.otherRegisterIndex ?? 0
      if index >= registers.count { registers += repeatElement(0, count: index + 1 - registers.count) }
      registers[index] = value
      trim()
    }
  }

  /// Message register `index` (0 when never written or beyond `seL4_MsgMaxLength`).
  public func msgRegister(_ index: Int) -> UInt64 {
    index >= 0 && index < msgRegisters.count ? msgRegisters[index] : 0
  }

  /// `setMR`: write message register `index`; an index beyond `seL4_MsgMaxLength` is ignored.
  public mutating func setMR(_ index: Int, _ value: UInt64) {
    guard index >= 0 && index < KernelConstants.msgMaxLength else { return }
    if index >= msgRegisters.count { msgRegisters += repeatElement(0, count: index + 1 - msgRegisters.count) }
    msgRegisters[index] = value
    trim()
  }

  private mutating func trim() {
    while msgRegisters.last == 0 { msgRegisters.removeLast() }
    while registers.last == 0 { registers.removeLast() }
  }
}

/// A thread control block: its run state, priorities, domain, bound scheduling context,
/// capability slots (`TCBSlot` indices) and user context.
public struct TCB: Hashable, Sendable {
  public var state: ThreadState
  public var priority: UInt64
  public var maxControlledPriority: UInt64
  /// `tcb_domain`.
  public var domain: UInt64
  /// `tcb_sched_context`: the scheduling context bound to the thread, if any.
  public var schedContext: ObjectRef?
  /// `tcb_bound_notification`: the notification bound to the thread, if any.
  public var boundNotification: ObjectRef?
  /// Non-null capabilities by `TCBSlot` raw value (0...4).
  public var slots: CapSlots
  /// The registers the kernel writes (`tcb_context`).
  public var context: UserContext
  /// The thread's feature flags (seL4 `tcbFlags`, `seL4_TCBFlag`: bit 0 disables the FPU), 0 in a
  /// new thread; only TCB_SetFlags changes them.
  public var flags: UInt64
  /// `tcb_fault`: the fault the thread is waiting to have handled (sent to its fault handler, or
  /// waiting for the handler's reply); nil when none (`Fault.swift`).
  public var fault: ThreadFault?
  /// `tcb_yield_to` (MCS): the scheduling context the thread yielded to by SchedContext_YieldTo and
  /// waits to hear back from (`SchedContext.swift`); nil when none.
  public var yieldTo: ObjectRef?

  public init(
    state: ThreadState, priority: UInt64, maxControlledPriority: UInt64, domain: UInt64 = 0,
    schedContext: ObjectRef? = nil, boundNotification: ObjectRef? = nil, slots: CapSlots = [:],
    context: UserContext = UserContext(), flags: UInt64 = 0, fault: ThreadFault? = nil, yieldTo: ObjectRef? = nil
  ) {
    self.yieldTo = yieldTo
    self.fault = fault
    self.flags = flags
    self.state = state
    self.priority = priority
    self.maxControlledPriority = maxControlledPriority
    self.domain = domain
    self.schedContext = schedContext
    self.boundNotification = boundNotification
    self.slots = slots
    self.context = context
  }
}

/// A scheduling context (l4v-rt `sched_context`, `spec/abstract/Structures_A.thy`): its size,
/// the thread bound to it, its budget as a list of refills, and the words SchedControl and the
/// SchedContext invocations set. No time passes yet (docs/time.md): boot gives a configured
/// context its refills (`refill_new`), and nothing reads or charges them; a context with refills
/// (`sc_active`: `refillMax > 0`) never runs out.
public struct SchedContext: Hashable, Sendable {
  public var sizeBits: UInt64
  /// `sc_period`: ticks between replenishments; 0 for round robin.
  public var period: UInt64
  /// `sc_budget`: the budget its refills hold, a ghost (l4v-rt `Structures_A.thy`; no word of the
  /// C `sched_context_t` holds it): set only by `refill_new` and `refill_update` (and at boot, by
  /// the `refill_new` boot runs), never by a charge, so `active_sc_valid_refills`' sum clause
  /// (the refills sum to it) sees a charge that loses or makes budget. 0 until configured. R2
  /// does not relate it, as l4v's `sc_relation` does not.
  public var budget: UInt64
  /// `sc_consumed`: ticks charged to it since the last SchedContext_Consumed.
  public var consumed: UInt64
  /// `sc_tcb`: the thread bound to it, if any.
  public var tcb: ObjectRef?
  /// `sc_refills`: the live refills, head first (l4v's list; the concrete layers keep a circular
  /// buffer whose live window this is: `refills_map`). Empty until configured.
  public var refills: [Refill<UInt64>]
  /// `sc_refill_max`: 0 until SchedControl_Configure gives it refills.
  public var refillMax: UInt64
  /// `sc_badge`: the badge its timeout faults carry.
  public var badge: UInt64
  /// `sc_yield_from`: the thread that yielded to it (SchedContext_YieldTo), if any.
  public var yieldFrom: ObjectRef?
  /// `sc_replies`: the call stack of scheduling-context donation, the newest reply first: each
  /// reply object a Call that donated this scheduling context blocks on (`reply_push`). Only the
  /// head names it back (`reply_sc`).
  public var replies: [ObjectRef]
  /// `sc_sporadic`: a sporadic server (true) or constant bandwidth (false).
  public var sporadic: Bool
  /// `sc_ntfn`: the notification bound to it (SchedContext_Bind), if any; its `sc` names it back.
  public var ntfn: ObjectRef?

  public init(
    sizeBits: UInt64, period: UInt64 = 0, budget: UInt64 = 0, consumed: UInt64 = 0, tcb: ObjectRef? = nil,
    refills: [Refill<UInt64>] = [], refillMax: UInt64 = 0, badge: UInt64 = 0, yieldFrom: ObjectRef? = nil,
    replies: [ObjectRef] = [], sporadic: Bool = false, ntfn: ObjectRef? = nil
  ) {
    self.ntfn = ntfn
    self.sizeBits = sizeBits
    self.period = period
    self.budget = budget
    self.consumed = consumed
    self.tcb = tcb
    self.refills = refills
    self.refillMax = refillMax
    self.badge = badge
    self.yieldFrom = yieldFrom
    self.replies = replies
    self.sporadic = sporadic
  }
}

/// What a notification holds (l4v `ntfn`): nothing, threads waiting for a signal, or the signals
/// sent while no one waited, OR-ed into one badge word.
public enum NotificationState: Hashable, Sendable {
  /// `IdleNtfn`.
  case idle
  /// `WaitingNtfn`: the waiting threads, in the order they will be woken (never empty).
  case waiting([ObjectRef])
  /// `ActiveNtfn`: the badges signalled, OR-ed.
  case active(UInt64)
}

/// What an endpoint holds (l4v `endpoint`): nothing, or a queue of senders or of receivers, in
/// the order they will be served (never empty): by priority, first come first served within a
/// priority (MCS `tcbEPAppend`).
public enum EndpointState: Hashable, Sendable {
  /// `IdleEP`.
  case idle
  /// `SendEP`.
  case send([ObjectRef])
  /// `RecvEP`.
  case recv([ObjectRef])
}

/// An endpoint object (l4v `endpoint`).
public struct Endpoint: Hashable, Sendable {
  public var state: EndpointState

  public init(state: EndpointState = .idle) { self.state = state }
}

/// An MCS reply object (l4v-rt `reply`): the thread it links to, `reply_tcb`: a receiver
/// BlockedOnReceive with it, or a caller BlockedOnReply on it (`sym_refs`, `reply_tcb_reply_at`);
/// and `reply_sc`: the scheduling context whose call stack (`sc_replies`) it heads, if it does.
public struct Reply: Hashable, Sendable {
  /// `reply_tcb`.
  public var tcb: ObjectRef?
  /// `reply_sc`.
  public var sc: ObjectRef?

  public init(tcb: ObjectRef? = nil, sc: ObjectRef? = nil) {
    self.tcb = tcb
    self.sc = sc
  }
}

/// A notification object (l4v `notification`): its state, the thread bound to it and (MCS) the
/// scheduling context bound to it (SchedContext_Bind, `SchedContext.swift`).
public struct Notification: Hashable, Sendable {
  /// `ntfn_obj`.
  public var state: NotificationState
  /// `ntfn_bound_tcb`.
  public var boundTCB: ObjectRef?
  /// `ntfn_sc`: the scheduling context bound to it, if any; its `ntfn` names it back.
  public var sc: ObjectRef?

  public init(state: NotificationState = .idle, boundTCB: ObjectRef? = nil, sc: ObjectRef? = nil) {
    self.state = state
    self.boundTCB = boundTCB
    self.sc = sc
  }
}

/// A live kernel object (l4v `kernel_object`). Untyped memory is not an object: it is described
/// by its capabilities only.
public indirect enum KernelObject: Hashable, Sendable {
  case cnode(CNode)
  case tcb(TCB)
  case endpoint(Endpoint)
  case notification(Notification)
  case reply(Reply)
  case schedContext(SchedContext)
  /// An object this slice does not model (frames, page tables): it occupies memory, nothing more.
  case opaque(kind: String, sizeBits: UInt64)

  /// log2 of the object's size in bytes (`obj_bits`).
  public var sizeBits: UInt64 {
    switch self {
    case .cnode(let cnode): cnode.radix &+ KernelConstants.slotBits
    case .tcb: ObjectType.tcb.objectSizeBits(userSizeBits: 0)
    case .endpoint: ObjectType.endpoint.objectSizeBits(userSizeBits: 0)
    case .notification: ObjectType.notification.objectSizeBits(userSizeBits: 0)
    case .reply: ObjectType.reply.objectSizeBits(userSizeBits: 0)
    case .schedContext(let sc): sc.sizeBits
    case .opaque(_, let sizeBits): sizeBits
    }
  }

  /// The non-null capabilities in the object's slots, by index; nil for an object without slots
  /// (anything but a CNode or TCB).
  public var capSlots: CapSlots? {
    switch self {
    case .cnode(let cnode): cnode.slots
    case .tcb(let tcb): tcb.slots
    case .endpoint, .notification, .reply, .schedContext, .opaque: nil
    }
  }

  /// How many slots the object has: `2^radix` for a CNode (0 when that does not fit a word), the
  /// five of `TCBSlot` for a TCB, none for any other object.
  public var slotCount: UInt64 {
    switch self {
    case .cnode(let cnode): bit(cnode.radix)
    case .tcb: TCBSlot.count
    case .endpoint, .notification, .reply, .schedContext, .opaque: 0
    }
  }

  /// Put `cap` (nil: nothing) in slot `index` of a CNode or TCB; an object without slots is left
  /// as it is. The slots are unshared before the write, so a uniquely held object is changed in
  /// place rather than copied (a large CNode's copy would cost every step its size).
  mutating func setCapSlot(_ index: UInt64, _ cap: Capability?) {
    switch self {
    case .cnode(var cnode):
      self = .reply(Reply())
      cnode.slots[index] = cap
      self = .cnode(cnode)
    case .tcb(var tcb):
      self = .reply(Reply())
      tcb.slots[index] = cap
      self = .tcb(tcb)
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      return
    }
  }
}

// MARK: - The state

/// The abstract kernel state of the capability slice.
public struct AbstractState: KernelModel, Hashable, Sendable {
  /// The simulated physical memory is `[memoryBase, memoryBase + 2^memorySizeBits)`.
  public var memoryBase: UInt64
  public var memorySizeBits: UInt64
  /// Live objects by address (`kheap`).
  public var kheap: LoggedDictionary<ObjectRef, KernelObject>
  /// The derivation tree: child slot → parent slot (`cdt`); only non-null slots appear.
  public var cdt: LoggedDictionary<SlotRef, SlotRef>
  /// Slots whose capability is original (`is_original_cap`); only non-null slots appear.
  public var isOriginalCap: LoggedSet<SlotRef>
  /// The running thread's TCB (`cur_thread`); `idleThread` when the idle thread runs (its TCB
  /// is in the heap, `Invariants+Idle.swift`). What user space sees names the idle thread by nil
  /// (`Observe.swift`).
  public var currentThread: ObjectRef
  /// `ready_queues`: by (domain, priority), the threads ready to run, head first; a queue that is
  /// empty is absent.
  public var readyQueues: [ReadyQueueIndex: [ObjectRef]] = [:]
  /// `release_queue` (MCS): the threads waiting for their scheduling context's head refill to
  /// become ready, sorted by that refill's `r_time`, first in first out among equal times. Empty
  /// at boot; nothing fills it until time passes.
  public var releaseQueue: [ObjectRef] = []
  /// `scheduler_action`: what `schedule` does at the end of this kernel entry.
  public var schedulerAction: SchedulerAction = .resumeCurrentThread
  /// `cur_domain`: the domain whose threads run (`Domain.swift`).
  public var curDomain: UInt64 = 0
  /// `domain_list` (seL4 `ksDomSchedule`): the domain schedule, `DomainConfig.domScheduleLength`
  /// entries, the last an end marker; seL4's boot schedule unless the plan gives one.
  public var domainList: [DomainScheduleEntry] = DomainConfig.bootSchedule
  /// `ksDomScheduleStart` (seL4 HEAD): where the schedule goes after an end marker.
  public var domainStart: UInt64 = 0
  /// `domain_index` (`ksDomScheduleIdx`): the entry the current domain came from.
  public var domainIndex: UInt64 = 0
  /// `domain_time` (`ksDomainTime`): the ticks the current domain has left.
  public var domainTime: UInt64 = DomainConfig.maxDuration
  /// `cur_time`: the kernel's clock, in ticks, as the last kernel entry read it (0 at boot; no
  /// time passes yet).
  public var curTime: UInt64 = 0
  /// `consumed_time`: the ticks the current scheduling context has used since they were last
  /// charged to it.
  public var consumedTime: UInt64 = 0
  /// `cur_sc`: the scheduling context the current thread runs on (the time charged goes to it).
  public var curSC: ObjectRef = KernelConstants.idleSCPtr
  /// `reprogram_timer`: the timer's deadline must be recomputed at the end of this kernel entry
  /// (`schedule` runs `setNextInterrupt` and clears it). False between events: every kernel
  /// entry ends in `schedule`.
  public var reprogramTimer: Bool = false
  /// The machine's clock, in ticks (l4v-rt's `last_machine_time`): it runs while a thread runs
  /// (`.timerTick`); `cur_time` is what the last kernel entry read of it.
  public var clock: UInt64 = 0
  /// The machine's timer deadline, in ticks: the timer interrupt fires when the clock reaches it
  /// (`setDeadline`, written by `setNextInterrupt`; `UInt64.max` until the first is programmed).
  public var deadline: UInt64 = .max
  /// `interrupt_states`: each interrupt line's state, by line (`Interrupt.swift`).
  public var interruptStates: [IRQState] = Array(repeating: .irqInactive, count: Int(IRQConstants.numIRQs))
  /// The machine's interrupt masks (l4v `irq_masks`), by line: true when the line is masked.
  public var irqMasks: [Bool] = Array(repeating: true, count: Int(IRQConstants.numIRQs))
  /// The steps of the code a test of the checker may replace (`PlantedBugs.swift`); the spec's code
  /// in every real use. Not part of the state.
  @NotCompared var seams = Seams()
  /// A bug planted in every layer alike (KernelABI `SpecBug`; tests of the availability property
  /// only, nil in every real use). Not part of the state.
  @NotCompared public var specBug: SpecBug? = nil
  /// The slots `setCap` wrote since the logs were last cleared: with `kheap.replaced` (the objects
  /// written any other way), what the lockstep checker compares instead of every slot of a
  /// changed CNode. Not part of the state.
  @NotCompared public private(set) var slotLog = KeyLog<SlotRef>()

  /// Forget which objects, slots, tree edges and original flags were written (the lockstep
  /// checker has looked at them). The maps log their writes for it (`Logged.swift`).
  public mutating func clearLogs() {
    kheap.clearLog()
    cdt.clearLog()
    isOriginalCap.clearLog()
    slotLog.clear()
  }
}

// MARK: - Slot access

extension AbstractState {
  /// True iff `slot` is a slot of a live CNode or TCB (`cte_at`).
  public func slotExists(_ slot: SlotRef) -> Bool {
    guard let object = kheap[slot.container] else { return false }
    return slot.index < object.slotCount
  }

  /// The capability in `slot` (`get_cap`); `.null` for an empty slot or one that does not exist.
  public func getCap(_ slot: SlotRef) -> Capability {
    kheap[slot.container]?.capSlots?[slot.index] ?? .null
  }

  /// Put `cap` in `slot` (`set_cap`), leaving the CDT alone; a slot that does not exist is ignored.
  public mutating func setCap(_ slot: SlotRef, _ cap: Capability) {
    guard slotExists(slot) else { return }
    // The object is taken out of the heap while it changes (`update`), so that its slots are
    // written in place rather than copied; the slot is logged for the checker.
    slotLog.record(slot)
    kheap.update(slot.container) { $0.setCapSlot(slot.index, cap.isNull ? nil : cap) }
  }

  /// Every non-null capability with its slot, in slot order (`caps_of_state`).
  public var capsOfState: [(slot: SlotRef, cap: Capability)] {
    var all: [(slot: SlotRef, cap: Capability)] = []
    all.reserveCapacity(512)
    for (address, object) in kheap {
      guard let slots = object.capSlots else { continue }
      all += slots.map { (SlotRef(address, $0.key), $0.value) }
    }
    return all.sorted { $0.slot < $1.slot }
  }

  /// The TCB at `address`, if there is one.
  public func tcb(at address: ObjectRef) -> TCB? {
    if case .tcb(let tcb) = kheap[address] { return tcb }
    return nil
  }

  /// Set the run state of the thread at `address`, then let the scheduler know
  /// (`set_thread_state`, which ends in `set_thread_state_act`: `scheduleTCB`).
  mutating func setThreadState(_ address: ObjectRef, _ state: ThreadState) {
    updateTCB(address) { $0.state = state }
    scheduleTCB(address)
  }

  /// The notification at `address`, if there is one.
  public func notification(at address: ObjectRef) -> Notification? {
    if case .notification(let ntfn) = kheap[address] { return ntfn }
    return nil
  }

  /// The endpoint at `address`, if there is one.
  public func endpoint(at address: ObjectRef) -> Endpoint? {
    if case .endpoint(let ep) = kheap[address] { return ep }
    return nil
  }

  /// The reply object at `address`, if there is one.
  public func reply(at address: ObjectRef) -> Reply? {
    if case .reply(let reply) = kheap[address] { return reply }
    return nil
  }

  /// Set the `reply_tcb` of the reply object at `address` (nothing if there is none).
  mutating func setReplyTCB(_ address: ObjectRef, _ tcb: ObjectRef?) {
    guard case .reply(var reply) = kheap[address] else { return }
    reply.tcb = tcb
    kheap[address] = .reply(reply)
  }

  /// Set the `reply_sc` of the reply object at `address` (nothing if there is none).
  mutating func setReplySC(_ address: ObjectRef, _ sc: ObjectRef?) {
    guard case .reply(var reply) = kheap[address] else { return }
    reply.sc = sc
    kheap[address] = .reply(reply)
  }

  /// Change the notification at `address` (nothing if there is none).
  mutating func updateNotification(_ address: ObjectRef, _ change: (inout Notification) -> Void) {
    guard var ntfn = notification(at: address) else { return }
    change(&ntfn)
    kheap[address] = .notification(ntfn)
  }

  /// The scheduling context at `address`, if there is one.
  public func schedContext(at address: ObjectRef) -> SchedContext? {
    if case .schedContext(let sc) = kheap[address] { return sc }
    return nil
  }

  /// Change the scheduling context at `address` (nothing if there is none).
  mutating func updateSchedContext(_ address: ObjectRef, _ change: (inout SchedContext) -> Void) {
    guard var sc = schedContext(at: address) else { return }
    change(&sc)
    kheap[address] = .schedContext(sc)
  }

  /// Change the TCB at `address` (nothing if there is none).
  mutating func updateTCB(_ address: ObjectRef, _ change: (inout TCB) -> Void) {
    guard case .tcb = kheap[address] else { return }
    // Changed in place (one walk of the heap), the box let go of before the TCB changes, so that
    // a TCB this step already wrote has its arrays written in place.
    kheap.modify(address) { object in
      guard case .tcb(var tcb) = object else { return }
      object = .endpoint(Endpoint())
      change(&tcb)
      object = .tcb(tcb)
    }
  }
}

// MARK: - Word arithmetic that cannot trap

/// `2^n`, or 0 when it does not fit a word.
func bit(_ n: UInt64) -> UInt64 { n >= 64 ? 0 : 1 << n }

/// The low `n` bits set (`mask n`).
func mask(_ n: UInt64) -> UInt64 { n >= 64 ? UInt64.max : (1 << n) &- 1 }

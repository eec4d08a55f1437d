// A system plan: the initial state of a system as plain data, with every object already placed.
//
// Every layer builds its initial state from the same plan, so the refinement relations hold at
// step 0. capDL text (a later front end) and tests written in Swift both produce plans.
//
// What a valid plan promises (checked by `SystemPlan.validate()`):
// - objects are aligned to their size, pairwise disjoint, and inside `memory`;
// - untyped regions (from untyped caps) are inside `memory`, and nested or disjoint;
// - every object lies either outside every untyped region, or below the watermark
//   (`base + freeIndex`) of each untyped cap whose region contains it;
// - caps sit in slots of CNode or TCB objects of the plan, within the container's slot count, and
//   name objects of the plan with the right kind (endpoint caps name endpoints, ...);
// - the derivation tree (`cdtParent`, child → parent) has no cycles and links non-null slots only;
// - threads name TCB objects; `currentThread`, when given, is one of them and is running.

/// The kinds of objects a plan can place.
public enum PlanObjectKind: Hashable, Sendable, Codable {
  case tcb
  case endpoint
  case notification
  /// A CNode of `2^radix` slots.
  case cnode(radix: UInt64)
  case schedContext(sizeBits: UInt64)
  case reply
  /// An object the kernel does not model (frames, page tables, ...): memory and caps only.
  case opaque(kind: String, sizeBits: UInt64)

  /// log2 of the object's size in bytes.
  public var sizeBits: UInt64 {
    switch self {
    case .tcb: ObjectType.tcb.objectSizeBits(userSizeBits: 0)
    case .endpoint: ObjectType.endpoint.objectSizeBits(userSizeBits: 0)
    case .notification: ObjectType.notification.objectSizeBits(userSizeBits: 0)
    case .cnode(let radix): radix &+ KernelConstants.slotBits
    case .schedContext(let sizeBits): sizeBits
    case .reply: ObjectType.reply.objectSizeBits(userSizeBits: 0)
    case .opaque(_, let sizeBits): sizeBits
    }
  }

  /// True iff the object holds capability slots (a CNode or a TCB).
  public var hasCapSlots: Bool {
    switch self {
    case .cnode, .tcb: true
    case .endpoint, .notification, .schedContext, .reply, .opaque: false
    }
  }

  /// The cap Untyped_Retype makes for an object of this kind at `r` (seL4's `createObject`: all
  /// rights, no badge, no guard); nil for an object no layer models.
  public func retypeCap(at r: ObjectRef) -> Capability? {
    switch self {
    case .tcb: .thread(r)
    case .endpoint: .endpoint(r, badge: 0, rights: .all)
    case .notification: .notification(r, badge: 0, rights: [.read, .write])
    case .cnode(let radix): .cnode(r, radix: radix, guardSize: 0, guard: 0)
    case .schedContext(let bits): .schedContext(r, sizeBits: bits)
    case .reply: .reply(r, canGrant: true)
    case .opaque: nil
    }
  }

  /// The data word that turns retype's cap `made` into `cap` by a move: 0 for the same cap
  /// (CNode_Move), a CNode guard word for a guarded CNode cap (CNode_Mutate); nil when no move
  /// can (fewer rights or a badge: Mutate masks no rights and sets no endpoint badge here).
  public static func moveData(from made: Capability, to cap: Capability) -> UInt64? {
    if made == cap { return 0 }
    guard case .cnode(let r, let radix, 0, 0) = made, case .cnode(r, radix, let size, let guardValue) = cap,
      size > 0
    else { return nil }
    return (guardValue << 6) | size
  }
}

/// The initial state of a system.
public struct SystemPlan: Hashable, Sendable, Codable {
  /// One placed object.
  public struct Object: Hashable, Sendable, Codable {
    /// The name a person gave it (capDL name); used in reports instead of addresses.
    public var name: String
    public var address: ObjectRef
    public var kind: PlanObjectKind

    public init(name: String, address: ObjectRef, kind: PlanObjectKind) {
      self.name = name
      self.address = address
      self.kind = kind
    }
  }

  /// The run state a plan can give a thread.
  public enum ThreadState: String, Hashable, Sendable, Codable {
    case running, inactive
  }

  /// One thread.
  public struct Thread: Hashable, Sendable, Codable {
    /// Its TCB object.
    public var tcb: ObjectRef
    public var state: ThreadState
    public var priority: UInt64
    public var maxControlledPriority: UInt64
    /// Its domain (`tcbDomain`; capDL `dom:`).
    public var domain: UInt64
    /// The scheduling context bound to it (`tcbSchedContext`; capDL `sc_slot`), if any. MCS runs
    /// a thread only on a bound, configured one (`isSchedulable`).
    public var schedContext: ObjectRef?
    /// The notification bound to it (`tcbBoundNotification`; capDL `bound_notification`), if
    /// any: only this thread may then wait on it.
    public var boundNotification: ObjectRef?
    /// The receive a running thread that is not current is blocked in at step 0 (capDL
    /// `recv_ep`/`recv_reply`, an extension), if any: what a passive server's start-up leaves
    /// (CAmkES's passive components run their initialisation on a scheduling context, block in
    /// Recv on their endpoint with their reply object, and lose the scheduling context; neither
    /// capDL nor its loader can say that, so the plan states the result).
    public var receive: Receive?

    /// A blocking Recv on `endpoint` with the reply object `reply` (nil: none).
    public struct Receive: Hashable, Sendable, Codable {
      public var endpoint: ObjectRef
      public var reply: ObjectRef?

      public init(endpoint: ObjectRef, reply: ObjectRef? = nil) {
        self.endpoint = endpoint
        self.reply = reply
      }
    }

    public init(
      tcb: ObjectRef, state: ThreadState = .running, priority: UInt64 = 100, maxControlledPriority: UInt64 = 255,
      domain: UInt64 = 0, schedContext: ObjectRef? = nil, boundNotification: ObjectRef? = nil,
      receive: Receive? = nil
    ) {
      self.tcb = tcb
      self.state = state
      self.priority = priority
      self.maxControlledPriority = maxControlledPriority
      self.domain = domain
      self.schedContext = schedContext
      self.boundNotification = boundNotification
      self.receive = receive
    }

    enum CodingKeys: String, CodingKey {
      case tcb, state, priority, maxControlledPriority, domain, schedContext, boundNotification, receive
    }

    /// Plans written before threads had a domain and a scheduling context read as domain 0 with
    /// none bound.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      tcb = try c.decode(ObjectRef.self, forKey: .tcb)
      state = try c.decode(ThreadState.self, forKey: .state)
      priority = try c.decode(UInt64.self, forKey: .priority)
      maxControlledPriority = try c.decode(UInt64.self, forKey: .maxControlledPriority)
      domain = try c.decodeIfPresent(UInt64.self, forKey: .domain) ?? 0
      schedContext = try c.decodeIfPresent(ObjectRef.self, forKey: .schedContext)
      boundNotification = try c.decodeIfPresent(ObjectRef.self, forKey: .boundNotification)
      receive = try c.decodeIfPresent(Receive.self, forKey: .receive)
    }
  }

  /// A scheduling context SchedControl_ConfigureFlags has configured before step 0 (capDL `sc`
  /// with a budget), as the capDL initialiser calls it: boot gives it the refills `refill_new`
  /// makes (`refillNewArguments`). A configured scheduling context has refills (`sc_active`:
  /// `refillMax > 0`), an unconfigured one has none and runs nothing. No time passes yet, so the
  /// refills are never charged (docs/time.md).
  public struct SchedContextConfiguration: Hashable, Sendable, Codable {
    /// The budget in µs, as capDL and ConfigureFlags' message give it.
    public var budget: UInt64
    /// The period in µs; equal to the budget for round robin.
    public var period: UInt64
    /// The refill buffer's capacity (`scRefillMax`): `MIN_REFILLS` plus the extra refills asked for.
    public var refillMax: UInt64
    /// ConfigureFlags' `seL4_SchedContext_Sporadic` flag (`scSporadic`): a sporadic server, whose
    /// refills `refill_unblock_check` adjusts when its thread wakes; false (the default) is
    /// constant bandwidth, adjusted when `switchSchedContext` switches to it.
    public var sporadic: Bool
    /// ConfigureFlags' badge (`scBadge`): what the context's Timeout faults carry in MR0.
    public var badge: UInt64

    public init(
      budget: UInt64, period: UInt64, refillMax: UInt64 = KernelConstants.minRefills, sporadic: Bool = false,
      badge: UInt64 = 0
    ) {
      self.budget = budget
      self.period = period
      self.refillMax = refillMax
      self.sporadic = sporadic
      self.badge = badge
    }

    enum CodingKeys: String, CodingKey {
      case budget, period, refillMax, sporadic, badge
    }

    /// Configurations written before the flag and badge existed read as constant bandwidth, badge 0.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      budget = try c.decode(UInt64.self, forKey: .budget)
      period = try c.decode(UInt64.self, forKey: .period)
      refillMax = try c.decode(UInt64.self, forKey: .refillMax)
      sporadic = try c.decodeIfPresent(Bool.self, forKey: .sporadic) ?? false
      badge = try c.decodeIfPresent(UInt64.self, forKey: .badge) ?? 0
    }
  }

  /// The arguments of the `refill_new` SchedControl_ConfigureFlags makes for a configuration (on a
  /// scheduling context with no running thread, as at boot; `seL4:src/object/schedcontrol.c`
  /// `invokeSchedControl_ConfigureFlags`), budget and period in ticks (`TimeConfig.usToTicks`):
  /// budget = period is round robin, `refill_new(MIN_REFILLS, budget, 0)`; otherwise a sporadic
  /// server, `refill_new(refillMax, budget, period)`. Valid only for a configuration
  /// `SystemPlan.validate` accepts (the ranges ConfigureFlags checks).
  public static func refillNewArguments(
    _ configuration: SchedContextConfiguration
  ) -> (refillMax: UInt64, budget: UInt64, period: UInt64) {
    let budget = TimeConfig.usToTicks(configuration.budget)
    let period = TimeConfig.usToTicks(configuration.period)
    return budget == period
      ? (KernelConstants.minRefills, budget, 0) : (configuration.refillMax, budget, period)
  }

  /// The `refill_new` arguments of the idle thread's scheduling context (`seL4:src/kernel/boot.c`
  /// `create_idle_thread`: `configure_sched_context(idle, idle SC, MAX_PERIOD_TICKS)`, which is
  /// `refill_new(MIN_REFILLS, MAX_PERIOD, 0)`).
  public static let idleRefillNewArguments: (refillMax: UInt64, budget: UInt64, period: UInt64) = (
    KernelConstants.minRefills, TimeConfig.maxPeriod, 0
  )

  /// The simulated physical memory: `[memoryBase, memoryBase + 2^memorySizeBits)`.
  public var memoryBase: UInt64
  public var memorySizeBits: UInt64
  public var objects: [Object]
  /// Non-null capabilities by slot.
  public var caps: [SlotRef: Capability]
  /// The derivation tree: child slot → parent slot.
  public var cdtParent: [SlotRef: SlotRef]
  /// Slots whose cap is original (`is_original_cap`; `mdbRevocable` in the executable spec).
  public var originals: Set<SlotRef>
  public var threads: [Thread]
  /// The thread running at step 0 (its TCB address); nil: the idle thread.
  public var currentThread: ObjectRef?
  /// The scheduling contexts configured before step 0, by address; the others are unconfigured.
  public var schedContexts: [ObjectRef: SchedContextConfiguration]
  /// The domain schedule the system runs (`ksDomSchedule`, as the initialiser would leave it after
  /// DomainSet_ScheduleConfigure for each entry; starting at entry 0); nil: seL4's boot schedule,
  /// one entry of domain 0 that never ends (`DomainConfig`, `Domain.swift` in each layer).
  public var domainSchedule: [DomainScheduleEntry]?
  /// The notification each interrupt line signals from step 0 (capDL: the `irq maps` line's IRQ
  /// object holds a notification cap in its slot 0), as capdl-loader-app's `init_irq` leaves it:
  /// line → the plan slot holding the cap it gave IRQHandler_SetNotification (the unbadged
  /// original, or its mint with the described badge). Every layer's start runs SetIRQHandler's
  /// own operation on it (`cteDeleteOne` of the node slot, `cteInsert` from that slot), so the IRQ
  /// node slot holds a copy of the cap, a child of that slot in the derivation tree. The line needs
  /// an IRQHandler cap in the plan (it is IRQSignal from step 0).
  public var irqNotifications: [UInt64: SlotRef] = [:]

  public init(
    memoryBase: UInt64, memorySizeBits: UInt64, objects: [Object], caps: [SlotRef: Capability],
    cdtParent: [SlotRef: SlotRef] = [:], originals: Set<SlotRef> = [], threads: [Thread] = [],
    currentThread: ObjectRef? = nil, schedContexts: [ObjectRef: SchedContextConfiguration] = [:],
    domainSchedule: [DomainScheduleEntry]? = nil, irqNotifications: [UInt64: SlotRef] = [:]
  ) {
    self.memoryBase = memoryBase
    self.memorySizeBits = memorySizeBits
    self.objects = objects
    self.caps = caps
    self.cdtParent = cdtParent
    self.originals = originals
    self.threads = threads
    self.currentThread = currentThread
    self.schedContexts = schedContexts
    self.domainSchedule = domainSchedule
    self.irqNotifications = irqNotifications
  }

  enum CodingKeys: String, CodingKey {
    case memoryBase, memorySizeBits, objects, caps, cdtParent, originals, threads, currentThread, schedContexts,
      domainSchedule, irqNotifications
  }

  /// Plans written before scheduling contexts were configured read with none configured.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    memoryBase = try c.decode(UInt64.self, forKey: .memoryBase)
    memorySizeBits = try c.decode(UInt64.self, forKey: .memorySizeBits)
    objects = try c.decode([Object].self, forKey: .objects)
    caps = try c.decode([SlotRef: Capability].self, forKey: .caps)
    cdtParent = try c.decode([SlotRef: SlotRef].self, forKey: .cdtParent)
    originals = try c.decode(Set<SlotRef>.self, forKey: .originals)
    threads = try c.decode([Thread].self, forKey: .threads)
    currentThread = try c.decodeIfPresent(ObjectRef.self, forKey: .currentThread)
    schedContexts =
      try c.decodeIfPresent([ObjectRef: SchedContextConfiguration].self, forKey: .schedContexts) ?? [:]
    domainSchedule = try c.decodeIfPresent([DomainScheduleEntry].self, forKey: .domainSchedule)
    irqNotifications = try c.decodeIfPresent([UInt64: SlotRef].self, forKey: .irqNotifications) ?? [:]
  }

  /// The thread the plan places at `tcb`, if any.
  public func thread(at tcb: ObjectRef) -> Thread? { threads.first { $0.tcb == tcb } }

  /// The thread bound to the scheduling context at `sc`, if any.
  public func thread(boundTo sc: ObjectRef) -> Thread? { threads.first { $0.schedContext == sc } }

  /// The thread bound to the notification at `ntfn`, if any.
  public func thread(boundToNotification ntfn: ObjectRef) -> Thread? {
    threads.first { $0.boundNotification == ntfn }
  }

  /// Whether the plan's thread at `tcb` can run (MCS `isSchedulable` at step 0): it is running
  /// and bound to a configured scheduling context.
  public func isSchedulable(_ tcb: ObjectRef) -> Bool {
    guard let t = thread(at: tcb), t.state == .running, let sc = t.schedContext else { return false }
    return (schedContexts[sc]?.refillMax ?? 0) > 0
  }

  // How the capDL initialiser leaves the threads it starts (`capdl-loader-app`'s `start_threads`,
  // then its `main` suspends the root task). The root task runs at the highest priority in domain 0
  // and starts each thread by TCB_Resume. seL4's MCS `restart` makes the thread Restart and, when
  // it can run, `possibleSwitchTo` asks to switch to it; `schedule` then finds the root task of
  // higher priority and queues the thread at the head of its queue (`tcbSchedEnqueue`), or, at the
  // root task's own priority, at the tail (`tcbSchedAppend`); a thread of another domain is queued
  // at the head at once (`seL4:src/kernel/thread.c` `restart`, `possibleSwitchTo`, `schedule`).
  // When the root task suspends itself, `chooseThread` runs the head of the highest non-empty
  // queue of domain 0 and `activateThread` makes it Running; the others stay Restart, queued.
  // Which thread is started first is the order of the objects in the initialiser's spec, which the
  // capDL translator chooses (the description does not fix it); here it is the last declared
  // first, so that the threads of one priority below the root task's wait in declaration order
  // and the first declared runs first.

  /// The order the capDL initialiser starts the plan's threads in: the last declared first.
  public var startOrder: [Thread] { threads.reversed() }

  /// Whether a thread the initialiser starts joins its ready queue at the head (`tcbSchedEnqueue`)
  /// rather than the tail (`tcbSchedAppend`): unless it is of domain 0 and of the root task's own
  /// priority (`KernelConstants.maxPriority`).
  public static func startsAtHead(priority: UInt64, domain: UInt64) -> Bool {
    domain != 0 || priority < KernelConstants.maxPriority
  }

  /// The thread seL4 runs once the initialiser has started every running thread of the plan (in
  /// `startOrder`) and suspended itself: the head of the highest non-empty ready queue of domain
  /// 0; nil (the idle thread) when no thread of domain 0 can run. A thread the plan starts in Recv
  /// waits there, queued nowhere.
  public var firstToRun: ObjectRef? {
    var queues: [UInt64: [ObjectRef]] = [:]
    for t in startOrder where t.domain == 0 && t.receive == nil && isSchedulable(t.tcb) {
      if SystemPlan.startsAtHead(priority: t.priority, domain: t.domain) {
        queues[t.priority, default: []].insert(t.tcb, at: 0)
      } else {
        queues[t.priority, default: []].append(t.tcb)
      }
    }
    return queues.max { $0.key < $1.key }?.value.first
  }

  /// The object at `address`, if the plan places one there.
  public func object(at address: ObjectRef) -> Object? { objects.first { $0.address == address } }

  /// The name of the object at `address`, or the address in hex.
  public func name(of address: ObjectRef) -> String {
    object(at: address)?.name ?? "0x" + String(address, radix: 16)
  }
}

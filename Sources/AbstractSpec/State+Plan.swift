// The initial state of a system plan.
//
// Objects, caps, the derivation tree and the original flags come straight from the plan: the
// abstract state keeps the tree as the plan states it (child slot → parent slot), so there is
// nothing to build. A TCB takes its thread's run state, priorities, domain and scheduling
// context from the plan, and a scheduling context its thread and, when the plan configured it,
// its period and the refills `refill_new` makes at time 0 (`SystemPlan.refillNewArguments`:
// budget and period converted to ticks, round robin when they are equal); the idle scheduling
// context gets `refill_new(MIN_REFILLS, MAX_PERIOD, 0)` as seL4's boot gives it, and `cur_sc` is
// the current thread's scheduling context. The threads are as the capDL initialiser leaves them
// (`SystemPlan.startOrder`): the current thread Running, every other running one Restart (started
// by `restart`, not yet run) and, if it can run, queued as `restart` queues it, in start order: at
// the head of its ready queue, or at the tail at the initialiser's own priority
// (`SystemPlan.startsAtHead`; `valid_blocked`: a thread that can run is current or queued).
// A thread the plan starts in Recv (`SystemPlan.Thread.receive`, a passive server after its
// start-up) is first blocked there by `receiveIPC` itself, so that it joins no ready queue.
// Twins: `ExecutableSpec/State+Plan.swift`, `Kernel/State+Plan.swift`.

public import KernelABI

extension AbstractState {
  /// The initial state a system plan describes: every object in place, every cap in its slot.
  public init(plan: SystemPlan) {
    memoryBase = plan.memoryBase
    memorySizeBits = plan.memorySizeBits
    kheap = [:]
    for object in plan.objects {
      kheap[object.address] = AbstractState.initialObject(object, plan)
    }
    cdt = LoggedDictionary(plan.cdtParent)
    isOriginalCap = LoggedSet(plan.originals)
    currentThread = plan.currentThread ?? KernelConstants.idleThreadPtr
    placeIdleObjects()
    initIRQs()
    for (slot, cap) in plan.caps { setCap(slot, cap) }
    issuePlanIRQHandlers(plan.caps)
    bindPlanIRQNotifications(plan)
    for (sc, configuration) in plan.schedContexts.sorted(by: { $0.key < $1.key }) {
      let (refillMax, budget, period) = SystemPlan.refillNewArguments(configuration)
      configureSchedContext(
        sc, refillMax: refillMax, budget: budget, period: period, sporadic: configuration.sporadic,
        badge: configuration.badge)
    }
    curSC = tcb(at: currentThread)?.schedContext ?? idleSC
    // The plan's domain schedule, started at entry 0 (`Domain.swift`); the boot one by default.
    domainList = DomainConfig.schedule(plan.domainSchedule)
    curDomain = domainList[0].domain
    domainTime = domainList[0].duration
    for thread in plan.threads where thread.tcb != plan.currentThread && thread.state == .running {
      guard let receive = thread.receive else { continue }
      receiveIPC(thread.tcb, receive.endpoint, isBlocking: true, reply: receive.reply)
    }
    for thread in plan.startOrder where thread.tcb != plan.currentThread && isSchedulable(thread.tcb) {
      if SystemPlan.startsAtHead(priority: thread.priority, domain: thread.domain) {
        tcbSchedEnqueue(thread.tcb)
      } else {
        tcbSchedAppend(thread.tcb)
      }
    }
    // The timer's first deadline, as the first `schedule` programs it (seL4's boot sets
    // `ksReprogram`): the end of the current thread's head refill.
    setNextInterrupt()
  }

  /// `create_idle_thread` (`seL4:src/kernel/boot.c`): the idle thread's TCB and scheduling
  /// context, outside the plan's memory (`KernelConstants.idleThreadPtr`, `idleSCPtr`), in
  /// IdleThreadState at priority 0, bound to each other, with no caps and no notification; the
  /// scheduling context has `MIN_REFILLS` refills (`configure_sched_context`; l4v `idle_sc_at`).
  mutating func placeIdleObjects() {
    kheap[idleThread] = .tcb(
      TCB(state: .idleThreadState, priority: 0, maxControlledPriority: 0, schedContext: idleSC))
    kheap[idleSC] = .schedContext(SchedContext(sizeBits: KernelConstants.minSchedContextBits, tcb: idleThread))
    let (refillMax, budget, period) = SystemPlan.idleRefillNewArguments
    configureSchedContext(idleSC, refillMax: refillMax, budget: budget, period: period)
  }

  /// `refill_new(sc, refillMax, budget, period)` at boot, as `configure_sched_context`
  /// (`seL4:src/kernel/boot.c`) and the capDL initialiser's SchedControl_ConfigureFlags make it
  /// (`l4v-rt:spec/abstract/SchedContext_A.thy` `refill_new`): the period and refill limit
  /// recorded, the ghost `sc_budget` set, and the whole budget usable from `cur_time`
  /// (`Sporadic.refillNew`); `sporadic` the flag and `badge` the badge ConfigureFlags was given.
  mutating func configureSchedContext(
    _ sc: ObjectRef, refillMax: UInt64, budget: UInt64, period: UInt64, sporadic: Bool = false,
    badge: UInt64 = 0
  ) {
    let now = curTime
    updateSchedContext(sc) {
      $0.period = period
      $0.budget = budget
      $0.refillMax = refillMax
      $0.refills = Sporadic.refillNew(budget: budget, period: period, now: now)
      $0.sporadic = sporadic
      $0.badge = badge
    }
  }

  /// The object a plan places, empty; a TCB takes its thread's state, priorities, domain and
  /// scheduling context (a TCB with no thread is inactive at priority 0), a scheduling context
  /// its thread and its configuration's refills.
  static func initialObject(_ object: SystemPlan.Object, _ plan: SystemPlan) -> KernelObject {
    switch object.kind {
    case .tcb:
      let thread = plan.thread(at: object.address)
      // Started and not yet run (seL4's `restart`) unless it is the thread that runs.
      let state: ThreadState =
        thread?.state != .running ? .inactive : object.address == plan.currentThread ? .running : .restart
      return .tcb(
        TCB(
          state: state, priority: thread?.priority ?? 0, maxControlledPriority: thread?.maxControlledPriority ?? 0,
          domain: thread?.domain ?? 0, schedContext: thread?.schedContext,
          boundNotification: thread?.boundNotification))
    case .endpoint: return .endpoint(Endpoint())
    case .notification:
      return .notification(Notification(boundTCB: plan.thread(boundToNotification: object.address)?.tcb))
    case .cnode(let radix): return .cnode(CNode(radix: radix))
    case .schedContext(let sizeBits):
      return .schedContext(
        SchedContext(
          sizeBits: sizeBits, tcb: plan.thread(boundTo: object.address)?.tcb))
    case .reply: return .reply(Reply())
    case .opaque(let name, let sizeBits): return .opaque(kind: name, sizeBits: sizeBits)
    }
  }
}

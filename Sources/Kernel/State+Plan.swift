// The initial state of a system plan.
//
// Every object is placed at its address (zeroed), each thread's TCB words take its run state,
// priorities, domain and scheduling context (whose words name the thread back; a configured one
// takes the period and the refills `refill_new` makes at time 0, `SystemPlan.refillNewArguments`,
// and the idle one `refill_new(MIN_REFILLS, MAX_PERIOD, 0)`; `ksCurSC` is the current thread's), and each cap is written into its CTE; every thread that can run,
// other than the current one, is Restart and waits in its ready queue as the capDL initialiser's
// TCB_Resume leaves it (`SystemPlan.startOrder`, `startsAtHead`). The plan's derivation tree becomes MDB lists
// as seL4's boot code makes them: every root of the tree (a cap with no parent) starts a chain of
// its own, holding the root and then its subtree in prefix order (children sorted by slot);
// roots are not linked to each other. `mdbRevocable` is the plan's original flag; `mdbFirstBadged`
// is set on original badged EP/Ntfn caps. A thread the plan starts in Recv is blocked there by
// `receiveIPC` before the ready queues are built.
// Twins: `AbstractSpec/State+Plan.swift`, `ExecutableSpec/State+Plan.swift`.

public import KernelABI

extension KernelState {
  /// The initial state of `plan`: objects at their addresses, caps in their slots, and the
  /// derivation tree as MDB lists, one per root, each in prefix order (children sorted by slot).
  public init(plan: SystemPlan) {
    memory = Memory(base: plan.memoryBase, sizeBits: plan.memorySizeBits)
    objects = [:]
    for object in plan.objects { objects[object.address] = KernelObjectKind(object.kind) }
    for thread in plan.threads where objects[thread.tcb] == .tcb {
      // Started and not yet run (seL4's `restart`) unless it is the thread that runs.
      setThreadState(
        thread.tcb,
        thread.state != .running ? .inactive : thread.tcb == plan.currentThread ? .running : .restart)
      memory.store(thread.tcb &+ ObjectLayout.tcbPriority, thread.priority)
      memory.store(thread.tcb &+ ObjectLayout.tcbMCP, thread.maxControlledPriority)
      memory.store(thread.tcb &+ ObjectLayout.tcbDomain, thread.domain)
      if let sc = thread.schedContext, case .schedContext? = objects[sc] {
        memory.store(thread.tcb &+ ObjectLayout.tcbSchedContext, sc)
        memory.store(sc &+ ObjectLayout.scTcb, thread.tcb)
      }
      if let ntfn = thread.boundNotification, objects[ntfn] == .notification {
        memory.store(thread.tcb &+ ObjectLayout.tcbBoundNotification, ntfn)
        memory.store(ntfn &+ ObjectLayout.ntfnBoundTCB, thread.tcb)
      }
    }
    for (sc, configuration) in plan.schedContexts.sorted(by: { $0.key < $1.key }) {
      let (refillMax, budget, period) = SystemPlan.refillNewArguments(configuration)
      configureSchedContext(
        sc, refillMax: refillMax, budget: budget, period: period, sporadic: configuration.sporadic,
        badge: configuration.badge)
    }
    var live: [SlotRef: UInt64] = [:]
    for (slot, cap) in plan.caps where cap != .null {
      guard let cte = cteAddress(of: slot) else { continue }
      setCap(cte, cap)
      live[slot] = cte
    }
    // The derivation tree: every root (a cap with no parent among the plan's caps) starts a chain
    // of its own, the root and then its subtree in prefix order, children sorted by slot; roots
    // are not linked to each other (as seL4's boot code builds the MDB).
    var children: [SlotRef: [SlotRef]] = [:]
    var roots: [SlotRef] = []
    for slot in live.keys.sorted() {
      if let parent = plan.cdtParent[slot], live[parent] != nil, parent != slot {
        children[parent, default: []].append(slot)
      } else {
        roots.append(slot)
      }
    }
    var visited: Set<SlotRef> = []
    for root in roots {
      var previous: UInt64 = 0
      var stack = [root]
      while let slot = stack.popLast() {
        guard visited.insert(slot).inserted, let cte = live[slot] else { continue }
        stack.append(contentsOf: (children[slot] ?? []).reversed())
        let revocable = plan.originals.contains(slot)
        var firstBadged = false
        switch plan.caps[slot] {
        case .endpoint(_, let badge, _), .notification(_, let badge, _): firstBadged = revocable && badge != 0
        default: break
        }
        writeMDB(cte, MDBNode(prev: previous, next: 0, revocable: revocable, firstBadged: firstBadged))
        if previous != 0 { setMDBNext(previous, cte) }
        previous = cte
      }
    }
    placeIdleObjects()
    initIRQs()
    issuePlanIRQHandlers(plan.caps)
    bindPlanIRQNotifications(plan)
    if let current = plan.currentThread, objects[current] == .tcb {
      ksCurThread = current
    } else {
      ksCurThread = ksIdleThread
    }
    let currentSC = schedContextWord(of: ksCurThread) ?? 0
    ksCurSC = currentSC == 0 ? KernelConstants.idleSCPtr : currentSC
    // The plan's domain schedule, started at entry 0 (`Domain.swift`); the boot one by default.
    let schedule = DomainConfig.schedule(plan.domainSchedule)
    for (index, entry) in schedule.enumerated() { setDomScheduleWord(UInt64(index), entry.word) }
    ksCurDomain = schedule.first?.domain ?? 0
    ksDomainTime = schedule.first?.duration ?? 0
    // A thread the plan starts in Recv blocks there now, as its own Recv would block it (before
    // the ready queues, which it must not join).
    for thread in plan.threads where thread.tcb != plan.currentThread && thread.state == .running {
      guard let receive = thread.receive else { continue }
      receiveIPC(thread.tcb, receive.endpoint, isBlocking: true, reply: receive.reply ?? 0)
    }
    // Every thread that can run, other than the current one, waits in its queue as the capDL
    // initialiser's TCB_Resume left it, in start order (`SystemPlan.startsAtHead`).
    for thread in plan.startOrder where thread.tcb != plan.currentThread && isSchedulable(thread.tcb) {
      if SystemPlan.startsAtHead(priority: thread.priority, domain: thread.domain) {
        tcbSchedEnqueue(thread.tcb)
      } else {
        tcbSchedAppend(thread.tcb)
      }
    }
    // The timer's first deadline, as the first `schedule` programs it.
    setNextInterrupt()
  }
}

extension KernelState {
  /// `create_idle_thread` (`seL4:src/kernel/boot.c`): the idle TCB and scheduling context in the
  /// globals frame (`GlobalsLayout.idleThreadTCB`, `idleThreadSC`), `ksIdleThread` naming the TCB,
  /// which is in IdleThreadState at priority 0 and bound to the scheduling context, bound back to
  /// it with `MIN_REFILLS` refills (`configure_sched_context`); no cap names either.
  mutating func placeIdleObjects() {
    let (tcb, sc) = (KernelConstants.idleThreadPtr, KernelConstants.idleSCPtr)
    objects[tcb] = .tcb
    objects[sc] = .schedContext(sizeBits: KernelConstants.minSchedContextBits)
    ksIdleThread = tcb
    memory.store(tcb &+ ObjectLayout.tcbState, KernelThreadState.idleThreadState.rawValue)
    memory.store(tcb &+ ObjectLayout.tcbSchedContext, sc)
    memory.store(sc &+ ObjectLayout.scTcb, tcb)
    let (refillMax, budget, period) = SystemPlan.idleRefillNewArguments
    configureSchedContext(sc, refillMax: refillMax, budget: budget, period: period)
  }

  /// `refill_new(sc, refillMax, budget, period)` at boot, as `configure_sched_context`
  /// (`seL4:src/kernel/boot.c`) and the capDL initialiser's SchedControl_ConfigureFlags make it:
  /// `scPeriod` written, and the shared core's `refillNew` run on the buffer loaded from the
  /// object's words and stored back (indices checked against the object: `storeRefillBuffer`).
  /// `scSporadic` the flag and `scBadge` the badge ConfigureFlags was given. Nothing happens when
  /// no scheduling context is at `sc`.
  mutating func configureSchedContext(
    _ sc: ObjectRef, refillMax: UInt64, budget: UInt64, period: UInt64, sporadic: Bool = false,
    badge: UInt64 = 0
  ) {
    guard var buffer = refillBufferToConfigure(sc) else { return }
    buffer.refillNew(refillMax: refillMax, budget: budget, period: period, now: ksCurTime)
    storeRefillBuffer(buffer, of: sc)
    storeIfChanged(sc &+ ObjectLayout.scPeriod, period)
    storeIfChanged(sc &+ ObjectLayout.scSporadic, sporadic ? 1 : 0)
    storeIfChanged(sc &+ ObjectLayout.scBadge, badge)
  }
}

extension KernelObjectKind {
  /// The kind of object a plan places.
  init(_ kind: PlanObjectKind) {
    switch kind {
    case .tcb: self = .tcb
    case .endpoint: self = .endpoint
    case .notification: self = .notification
    case .cnode(let radix): self = .cnode(radix: radix)
    case .schedContext(let sizeBits): self = .schedContext(sizeBits: sizeBits)
    case .reply: self = .reply
    case .opaque(let kind, let sizeBits): self = .opaque(kind: kind, sizeBits: sizeBits)
    }
  }
}

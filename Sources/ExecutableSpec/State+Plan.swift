// The initial state of a system plan.
//
// Objects and caps come straight from the plan; threads and scheduling contexts take their fields
// from it (a configured scheduling context its period and the refills `refillNew` makes at time 0,
// `SystemPlan.refillNewArguments`; the idle one `refillNew MIN_REFILLS MAX_PERIOD 0`; `ksCurSC` the
// current thread's), and every running thread other than the current one is Restart and, if it can
// run, waits in its ready queue as the capDL initialiser's TCB_Resume leaves it
// (`SystemPlan.startOrder`, `startsAtHead`; as in `AbstractSpec/State+Plan.swift`). The plan's derivation tree (`cdtParent`,
// `originals`) becomes MDB lists as seL4's boot code makes them: every root of the tree (a cap with
// no parent) starts a chain of its own, holding the root and then its subtree in prefix order
// (children sorted by `SlotRef`); roots are not linked to each other. `mdbRevocable` is the plan's
// original flag; `mdbFirstBadged` is set on original badged EP/Ntfn caps, so that `isMDBParentOf`
// computes exactly the plan's parent relation: without it a badged subtree would swallow a
// following sibling with the same badge. A thread the plan starts in Recv is blocked there by
// `receiveIPC` before the ready queues are built.
// Twins: `AbstractSpec/State+Plan.swift`, `Kernel/State+Plan.swift`.

public import KernelABI

extension ExecState {
  /// The state a valid plan describes.
  public init(plan: SystemPlan) {
    var space: [ObjectRef: KernelObject] = [:]
    for object in plan.objects {
      switch object.kind {
      case .tcb: space[object.address] = .tcb(.fresh)
      case .endpoint: space[object.address] = .endpoint(.idleEP)
      case .notification:
        space[object.address] = .notification(
          Notification(ntfnBoundTCB: plan.thread(boundToNotification: object.address)?.tcb))
      case .cnode(let radix): space[object.address] = .cnode(CNode(radix: radix))
      case .schedContext(let sizeBits):
        space[object.address] = .schedContext(
          SchedContext(sizeBits: sizeBits, tcb: plan.thread(boundTo: object.address)?.tcb))
      case .reply: space[object.address] = .reply(Reply())
      case .opaque(let kind, let sizeBits): space[object.address] = .opaque(kind: kind, sizeBits: sizeBits)
      }
    }
    self.init(
      memoryBase: plan.memoryBase, memorySizeBits: plan.memorySizeBits, ksPSpace: space,
      ksCurThread: plan.currentThread ?? KernelConstants.idleThreadPtr)
    placeIdleObjects()
    initIRQs()
    for thread in plan.threads {
      updateTCB(thread.tcb) { tcb in
        // Started and not yet run (seL4's `restart`) unless it is the thread that runs.
        tcb.state = thread.state != .running ? .inactive : thread.tcb == plan.currentThread ? .running : .restart
        tcb.priority = thread.priority
        tcb.maxControlledPriority = thread.maxControlledPriority
        tcb.domain = thread.domain
        tcb.schedContext = thread.schedContext
        tcb.tcbBoundNotification = thread.boundNotification
      }
    }
    for (sc, configuration) in plan.schedContexts.sorted(by: { $0.key < $1.key }) {
      let (refillMax, budget, period) = SystemPlan.refillNewArguments(configuration)
      configureSchedContext(
        sc, refillMax: refillMax, budget: budget, period: period, sporadic: configuration.sporadic,
        badge: configuration.badge)
    }
    ksCurSC = tcb(at: ksCurThread)?.schedContext ?? ksIdleSC
    // The plan's domain schedule, started at entry 0 (`Domain.swift`); the boot one by default.
    ksDomSchedule = DomainConfig.schedule(plan.domainSchedule)
    ksCurDomain = ksDomSchedule[0].domain
    ksDomainTime = ksDomSchedule[0].duration
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
    for (slot, cap) in plan.caps where !cap.isNull { setCap(slot, cap) }
    issuePlanIRQHandlers(plan.caps)
    linkPlanTree(plan)
    bindPlanIRQNotifications(plan)
    // The timer's first deadline, as the first `schedule` programs it.
    setNextInterrupt()
  }

  /// `createIdleThread` (`seL4:src/kernel/boot.c` `create_idle_thread`): the idle thread's TCB and
  /// scheduling context, outside the plan's memory (`KernelConstants.idleThreadPtr`, `idleSCPtr`),
  /// in IdleThreadState at priority 0, bound to each other, with no caps and no notification; the
  /// scheduling context has `MIN_REFILLS` refills (`configure_sched_context`).
  mutating func placeIdleObjects() {
    var idle = TCB.fresh
    idle.state = .idleThreadState
    idle.schedContext = ksIdleSC
    ksPSpace[ksIdleThread] = .tcb(idle)
    ksPSpace[ksIdleSC] = .schedContext(SchedContext(sizeBits: KernelConstants.minSchedContextBits, tcb: ksIdleThread))
    let (refillMax, budget, period) = SystemPlan.idleRefillNewArguments
    configureSchedContext(ksIdleSC, refillMax: refillMax, budget: budget, period: period)
  }

  /// `refillNew sc refillMax budget period` at boot, as `configure_sched_context`
  /// (`seL4:src/kernel/boot.c`) and the capDL initialiser's SchedControl_ConfigureFlags make it:
  /// `scPeriod` recorded, and the shared core's `refillNew` on the buffer (slot 0 the whole
  /// budget from `ksCurTime`, head = tail = 0; round robin adds the empty tail). The other slots
  /// keep their words. `scSporadic` the flag and `badge` the badge ConfigureFlags was given.
  mutating func configureSchedContext(
    _ sc: ObjectRef, refillMax: UInt64, budget: UInt64, period: UInt64, sporadic: Bool = false,
    badge: UInt64 = 0
  ) {
    guard let context = schedContext(at: sc) else { return }
    var buffer = refillBufferToConfigure(context)
    buffer.refillNew(refillMax: refillMax, budget: budget, period: period, now: ksCurTime)
    updateSchedContext(sc) {
      $0.setConfiguredRefills(buffer)
      $0.scPeriod = period
      $0.scSporadic = sporadic
      $0.scBadge = badge
    }
  }

  /// The plan's derivation tree as MDB chains: one chain per root (a cap with no parent among the
  /// plan's caps), in root order; each chain is the root and then its subtree in prefix order,
  /// children sorted by `SlotRef`.
  static func planChains(_ plan: SystemPlan, occupied: Set<SlotRef>) -> [[SlotRef]] {
    var children: [SlotRef: [SlotRef]] = [:]
    var roots: [SlotRef] = []
    for slot in occupied.sorted() {
      if let parent = plan.cdtParent[slot], parent != slot, occupied.contains(parent) {
        children[parent, default: []].append(slot)
      } else {
        roots.append(slot)
      }
    }
    var chains: [[SlotRef]] = []
    var visited: Set<SlotRef> = []
    for root in roots {
      var chain: [SlotRef] = []
      var stack = [root]
      while let slot = stack.popLast() {
        guard visited.insert(slot).inserted else { continue }
        chain.append(slot)
        stack.append(contentsOf: (children[slot] ?? []).reversed())
      }
      chains.append(chain)
    }
    return chains
  }

  /// Build the MDB lists of the plan's tree (see the top of this file).
  mutating func linkPlanTree(_ plan: SystemPlan) {
    let occupied = Set(plan.caps.keys.filter { !getCap($0).isNull })
    for chain in ExecState.planChains(plan, occupied: occupied) {
      var previous: SlotRef? = nil
      for slot in chain {
        let cap = getCap(slot)
        let original = plan.originals.contains(slot)
        let badged = (cap.badge ?? 0) != 0
        updateMDB(slot) { node in
          node = MDBNode(prev: previous, next: nil, revocable: original, firstBadged: original && badged)
        }
        updateMDB(previous) { $0.next = slot }
        previous = slot
      }
    }
  }
}

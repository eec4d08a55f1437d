// The simulation relations between whole states, by l4v's name for them (`state_relation` in
// `proof/refine/StateRelation.thy`), and the dispatch to the relation of each object kind.
//
// R1 (`lift`): the kernel's memory, read back as the executable specification's state. Every live
// object the kernel's heap type description lists is decoded by its kind's lift, in the kind's
// own file beside this one (`CNode+Relation.swift`: `cte_relation`; `TCB+Relation.swift`:
// `tcb_relation`; `Endpoint+Relation.swift`, ...), and the kernel's globals frame by
// `liftGlobals` (the executable spec's global fields: the current thread, the scheduler's
// globals, the time globals `ksCurTime`, `ksConsumed`, `ksCurSC`, `ksReprogram`, the machine's
// clock and timer deadline, the IRQ state table and the line masks: `Interrupt+Relation.swift`;
// the IRQ node is a CNode, lifted as any). The relation
// holds when the lifted state equals the executable spec's.
//
// R2 (`abstraction`): the executable specification's state, with its data structures forgotten, as
// the abstract specification's state: each object by its kind's abstraction, the MDB list as the
// derivation tree (`CDT+Relation.swift`: `cdt_relation`), `mdbRevocable` as `is_original_cap`,
// the IRQ state table and masks as themselves (`interrupt_states`, `irq_masks`).
//
// A new object kind adds one file here with its lift and its abstraction, and one arm to each
// dispatch below.

public import AbstractSpec
public import ExecutableSpec
public import Kernel
import KernelABI

// MARK: - R1: lift(kernel) == exec

extension KernelState {
  /// The executable-spec state this kernel state stands for; nil fields become failures in the
  /// returned list (a slot whose words do not decode, a thread whose fields do not).
  public func lift() -> (state: ExecState, problems: [String]) {
    var (space, problems) = liftObjects()
    var state = ExecState(
      memoryBase: memoryBase, memorySizeBits: memorySizeBits, ksPSpace: space,
      ksCurThread: KernelConstants.idleThreadPtr)
    liftGlobals(into: &state, problems: &problems)
    return (state, problems)
  }

  /// Every object lifted (`pspace_relation`), with what did not decode.
  func liftObjects() -> (space: [ObjectRef: ExecutableSpec.KernelObject], problems: [String]) {
    var problems: [String] = []
    var space: [ObjectRef: ExecutableSpec.KernelObject] = [:]
    let locator = cteLocator  // resolves MDB links in a few lookups; `objects` does not change here
    for (address, kind) in objects {
      space[address] = liftObject(at: address, kind, locator: locator, problems: &problems)
    }
    return (space, problems)
  }

  /// The executable spec's global fields, read from the kernel's globals frame (`GlobalsLayout`):
  /// `ksCurThread` (the idle TCB's address when idle runs), `ksSchedulerAction`, `ksCurDomain`,
  /// the bitmaps and the ready queues; `ksIdleThread` is a constant of the executable spec, so a
  /// frame word that differs is a problem (`state_relation`: `idle_thread s = ksIdleThread s'`).
  /// A global that lands adds its field here and in
  /// `globalsLift(to:)`; the incremental check calls that whenever the write log shows a word of
  /// the frame (or the executable spec's globals changed).
  /// The ready queues lift from the lists their head words start (every head word is read, and
  /// each list walked along the threads' links: `readyQueueWalks`); a list that is not well
  /// formed is a problem, so that R1 does not rest on the kernel's own invariants.
  func liftGlobals(into state: inout ExecState, problems: inout [String]) {
    state.ksCurThread = ksCurThread
    if ksIdleThread != state.ksIdleThread {
      problems.append("ksIdleThread is \(hex(ksIdleThread)), not the idle thread \(hex(state.ksIdleThread))")
    }
    state.ksSchedulerAction = ksSchedulerAction
    state.ksCurDomain = ksCurDomain
    state.ksDomSchedule = (0..<DomainConfig.domScheduleLength).map { DomainScheduleEntry(word: domScheduleWord($0)) }
    state.ksDomScheduleStart = ksDomScheduleStart
    state.ksDomScheduleIdx = ksDomScheduleIdx
    state.ksDomainTime = ksDomainTime
    state.ksCurTime = ksCurTime
    state.ksConsumed = ksConsumed
    state.ksCurSC = ksCurSC
    if ksReprogramWord > 1 { problems.append("ksReprogram is \(hex(ksReprogramWord)), neither 0 nor 1") }
    state.ksReprogram = ksReprogram
    state.clock = clock
    state.deadline = deadline
    liftIRQGlobals(into: &state, problems: &problems)
    state.ksReadyQueuesBitmap = (0..<KernelConstants.numDomains).map { bitmap($0) }
    var queues: [ReadyQueueIndex: [ObjectRef]] = [:]
    for walk in readyQueueWalks() {
      if let problem = walk.problem { problems.append(problem) }
      if !walk.threads.isEmpty { queues[walk.index] = walk.threads }
    }
    state.ksReadyQueues = queues
    let release = releaseQueueWalk()
    if let problem = release.problem { problems.append(problem) }
    state.ksReleaseQueue = release.threads
  }

  /// Whether the globals frame (and the queues' links) lift to `exec`'s global fields
  /// (`liftGlobals`, field by field, each queue compared as it is walked). With
  /// `domainSchedule` false the `ksDomSchedule` words are not read (the caller knows that
  /// neither side changed them since they last lifted to the same schedule); every other
  /// domain global still is.
  func globalsLift(to exec: ExecState, domainSchedule: Bool = true) -> Bool {
    guard ksCurThread == exec.ksCurThread, ksIdleThread == exec.ksIdleThread,
      ksSchedulerAction == exec.ksSchedulerAction,
      ksCurDomain == exec.ksCurDomain, ksCurTime == exec.ksCurTime, ksConsumed == exec.ksConsumed,
      domainGlobalsLift(to: exec, schedule: domainSchedule),
      ksCurSC == exec.ksCurSC, ksReprogramWord == (exec.ksReprogram ? 1 : 0), clock == exec.clock,
      deadline == exec.deadline, irqGlobalsLift(to: exec),
      exec.ksReadyQueuesBitmap.count == Int(KernelConstants.numDomains),
      (0..<KernelConstants.numDomains).allSatisfy({ bitmap($0) == exec.ksReadyQueuesBitmap[Int($0)] })
    else { return false }
    let release = releaseQueueWalk()
    guard release.problem == nil, release.threads == exec.ksReleaseQueue else { return false }
    // Every walk is well formed and equals exec's queue, and exec has no other queue (a walk
    // that is well formed from a non-zero head has threads).
    var queues = 0
    for walk in readyQueueWalks() {
      guard walk.problem == nil, !walk.threads.isEmpty, exec.ksReadyQueues[walk.index] == walk.threads else {
        return false
      }
      queues += 1
    }
    return queues == exec.ksReadyQueues.count
  }

  /// Whether the domain scheduler's words lift to `exec`'s (`Domain.swift`): start, index and
  /// time, and (when `schedule`) the schedule entry by entry (each word as
  /// `DomainScheduleEntry(word:)` decodes it: `DomainConfig.domScheduleLength` words).
  func domainGlobalsLift(to exec: ExecState, schedule: Bool = true) -> Bool {
    guard ksDomScheduleStart == exec.ksDomScheduleStart, ksDomScheduleIdx == exec.ksDomScheduleIdx,
      ksDomainTime == exec.ksDomainTime
    else { return false }
    guard schedule else { return true }
    guard exec.ksDomSchedule.count == Int(DomainConfig.domScheduleLength) else { return false }
    for (index, entry) in exec.ksDomSchedule.enumerated()
    where DomainScheduleEntry(word: domScheduleWord(UInt64(index))) != entry {
      return false
    }
    return true
  }

  /// The executable-spec object the kernel object of `kind` at `address` stands for, decoded from
  /// its words alone (MDB links resolved by `locator`, made from this state); what does not decode
  /// is added to `problems`. (`pspace_relation`: each object by its kind's relation.)
  func liftObject(
    at address: ObjectRef, _ kind: KernelObjectKind, locator: CTELocator, problems: inout [String]
  ) -> ExecutableSpec.KernelObject {
    switch kind {
    case .cnode(let radix): .cnode(liftCNode(at: address, radix: radix, locator: locator, problems: &problems))
    case .tcb: .tcb(liftTCB(at: address, locator: locator, problems: &problems))
    case .endpoint: liftEndpoint(at: address, problems: &problems)
    case .notification: liftNotification(at: address, problems: &problems)
    case .reply: liftReply(at: address, problems: &problems)
    case .schedContext(let sizeBits): liftSchedContext(at: address, sizeBits: sizeBits, problems: &problems)
    case .opaque(let kind, let sizeBits): .opaque(kind: kind, sizeBits: sizeBits)
    }
  }

  /// Whether the kernel object at `address` lifts to `object`, looking only at what may differ
  /// from `before` (what the object lifted to, and equalled, in a state whose memory differs from
  /// this one only in `writtenCTEs` and the object's non-slot fields): the slots `object` changed
  /// (`changedSlots`, the indices of `object.changedSlotIndices(from: before)`, which the caller
  /// has worked out), the CTEs in `writtenCTEs`, the slots in `alsoSlots` (those linked to a
  /// removed object's slots: their links decode differently now), and the object's other fields.
  func liftsTo(
    _ object: ExecutableSpec.KernelObject, at address: ObjectRef, _ kind: KernelObjectKind,
    before: ExecutableSpec.KernelObject, changedSlots: [SlotRef], writtenCTEs: Set<UInt64>, alsoSlots: [SlotRef],
    locator: CTELocator
  ) -> Bool {
    let count: UInt64
    switch (kind, object, before) {
    case (.cnode(let radix), .cnode(let node), .cnode(let old)):
      guard node.radix == radix, old.radix == radix, node.ctes.count == old.ctes.count else { return false }
      count = UInt64(node.ctes.count)
    case (.tcb, .tcb(let tcb), .tcb(let old)):
      guard tcbFieldsLift(to: tcb, at: address, before: old, writtenCTEs: writtenCTEs), tcb.ctes.count == old.ctes.count
      else { return false }
      count = UInt64(tcb.ctes.count)
    default:
      var problems: [String] = []
      return liftObject(at: address, kind, locator: locator, problems: &problems) == object && problems.isEmpty
    }
    var indices = Set(changedSlots.lazy.map(\.index))
    for cte in writtenCTEs where cte >= address {
      let index = (cte &- address) >> KernelConstants.slotBits
      if index < count { indices.insert(index) }
    }
    for slot in alsoSlots where slot.container == address && slot.index < count {
      indices.insert(slot.index)
    }
    for index in indices {
      let expected: CTE
      switch object {
      case .cnode(let node): expected = node.ctes[Int(truncatingIfNeeded: index)]
      case .tcb(let tcb): expected = tcb.ctes[Int(truncatingIfNeeded: index)]
      default: return false
      }
      guard liftCTE(SlotRef(address, index), locator: locator) == expected else { return false }
    }
    return true
  }
}

// MARK: - R2: abstraction(exec) == abstract

extension ExecState {
  /// The abstract state this executable state stands for.
  public func abstraction() -> AbstractState {
    var kheap: [ObjectRef: AbstractSpec.KernelObject] = [:]
    var original: Set<SlotRef> = []
    for (address, object) in ksPSpace {
      kheap[address] = abstractObject(at: address, object, originals: &original)
    }
    var state = AbstractState(
      memoryBase: memoryBase, memorySizeBits: memorySizeBits, kheap: kheap, cdt: derivationTree(),
      isOriginalCap: original, currentThread: ksCurThread)
    state.setSchedulerGlobals(from: self)
    return state
  }

  /// Whether the scheduler's globals abstract to `abstract`'s: the same queues, action and domain
  /// (the bitmap and the `tcbQueued` flags are forgotten).
  func schedulerGlobalsAbstract(to abstract: AbstractState) -> Bool {
    ksReadyQueues == abstract.readyQueues && ksReleaseQueue == abstract.releaseQueue
      && ksSchedulerAction == abstract.schedulerAction && ksCurDomain == abstract.curDomain
      && ksDomSchedule == abstract.domainList && ksDomScheduleStart == abstract.domainStart
      && ksDomScheduleIdx == abstract.domainIndex && ksDomainTime == abstract.domainTime
      && ksCurTime == abstract.curTime
      && ksConsumed == abstract.consumedTime && ksCurSC == abstract.curSC
      && ksReprogram == abstract.reprogramTimer && clock == abstract.clock && deadline == abstract.deadline
      && intStateIRQTable == abstract.interruptStates && irqMasks == abstract.irqMasks
  }

  /// Whether the scheduler's globals are those of `other` (queues, bitmap, action, domain).
  func sameSchedulerGlobals(as other: ExecState) -> Bool {
    ksCurThread == other.ksCurThread && ksReadyQueues == other.ksReadyQueues && ksReleaseQueue == other.ksReleaseQueue
      && ksReadyQueuesBitmap == other.ksReadyQueuesBitmap && ksSchedulerAction == other.ksSchedulerAction
      && ksCurDomain == other.ksCurDomain && ksCurTime == other.ksCurTime && ksConsumed == other.ksConsumed
      && ksDomainTime == other.ksDomainTime && ksDomScheduleIdx == other.ksDomScheduleIdx
      && ksDomScheduleStart == other.ksDomScheduleStart && ksDomSchedule == other.ksDomSchedule
      && ksCurSC == other.ksCurSC && ksReprogram == other.ksReprogram && clock == other.clock
      && deadline == other.deadline && intStateIRQTable == other.intStateIRQTable && irqMasks == other.irqMasks
  }

  /// The abstract object `object` (at `address`) stands for; the slots of its revocable caps are
  /// added to `originals` (`is_original_cap`).
  func abstractObject(
    at address: ObjectRef, _ object: ExecutableSpec.KernelObject, originals: inout Set<SlotRef>
  ) -> AbstractSpec.KernelObject {
    switch object {
    case .cnode(let cnode): .cnode(abstractCNode(cnode, at: address, originals: &originals))
    case .tcb(let tcb): .tcb(abstractTCB(tcb, at: address, originals: &originals))
    case .endpoint(let ep): abstractEndpoint(ep)
    case .notification(let ntfn): abstractNotification(ntfn)
    case .reply(let reply): abstractReply(reply)
    case .schedContext(let sc): abstractSchedContext(sc)
    case .opaque(let kind, let sizeBits): .opaque(kind: kind, sizeBits: sizeBits)
    }
  }
}

extension ExecState {
  /// R2 for an object both layers had at the last verified step, where they agreed: its slots at
  /// `indices` (those either side changed since) and everything but its slots. The original flags
  /// of those slots go into `originals`. A CNode's other slots abstract as they did; any other
  /// object is abstracted whole (it has at most a TCB's few slots).
  func abstractsTo(
    _ abstractObject: AbstractSpec.KernelObject?, at address: ObjectRef, _ object: ExecutableSpec.KernelObject,
    indices: some Sequence<UInt64>, originals: inout Set<SlotRef>
  ) -> Bool {
    guard case .cnode(let cnode) = object, case .cnode(let abstractCNode)? = abstractObject else {
      return self.abstractObject(at: address, object, originals: &originals).withGhosts(of: abstractObject)
        == abstractObject
    }
    guard cnode.radix == abstractCNode.radix else { return false }
    for index in indices {
      let entry = index < UInt64(cnode.ctes.count) ? cnode.ctes[Int(index)] : .null
      let expected: Capability? = entry.cap.isNull ? nil : entry.cap
      guard abstractCNode.slots[index] == expected else { return false }
      if !entry.cap.isNull && entry.mdb.revocable { originals.insert(SlotRef(address, index)) }
    }
    return true
  }
}

extension AbstractState {
  /// An abstract state with the given contents.
  init(
    memoryBase: UInt64, memorySizeBits: UInt64, kheap: [ObjectRef: AbstractSpec.KernelObject],
    cdt: [SlotRef: SlotRef], isOriginalCap: Set<SlotRef>, currentThread: ObjectRef
  ) {
    self.init(plan: SystemPlan(memoryBase: memoryBase, memorySizeBits: memorySizeBits, objects: [], caps: [:]))
    self.kheap = LoggedDictionary(kheap)
    self.cdt = LoggedDictionary(cdt)
    self.isOriginalCap = LoggedSet(isOriginalCap)
    self.currentThread = currentThread
  }

  /// The scheduler's globals `exec`'s stand for.
  mutating func setSchedulerGlobals(from exec: ExecState) {
    readyQueues = exec.ksReadyQueues
    releaseQueue = exec.ksReleaseQueue
    schedulerAction = exec.ksSchedulerAction
    curDomain = exec.ksCurDomain
    domainList = exec.ksDomSchedule
    domainStart = exec.ksDomScheduleStart
    domainIndex = exec.ksDomScheduleIdx
    domainTime = exec.ksDomainTime
    curTime = exec.ksCurTime
    consumedTime = exec.ksConsumed
    curSC = exec.ksCurSC
    reprogramTimer = exec.ksReprogram
    clock = exec.clock
    deadline = exec.deadline
    interruptStates = exec.intStateIRQTable
    irqMasks = exec.irqMasks
  }
}

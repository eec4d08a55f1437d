// The abstract kernel state: what the kernel knows, said as plainly as possible.
//
// Memory is a map from addresses to live kernel objects (`kheap`); capabilities live in the slots
// of CNodes and TCBs; the capability derivation tree (`cdt`) is a map from each derived slot to
// the slot it was derived from, and `isOriginalCap` marks the slots whose capability may parent
// others (l4v `is_original_cap`, `mdbRevocable` below). Nothing here is laid out: there are no
// linked lists, no packed words, no queues. A slot that holds no capability holds `.null`; the
// maps only mention non-null slots. This mirrors l4v `abstract_state` restricted to the
// capability core (`l4v:spec/abstract/Structures_A.thy`).

public import KernelABI

// MARK: - Kernel objects

/// A CNode: `2^radix` capability slots. Only non-null slots appear in `slots`.
public struct CNode: Hashable, Sendable {
  public var radix: UInt64
  public var slots: [UInt64: Capability]

  public init(radix: UInt64, slots: [UInt64: Capability] = [:]) {
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
}

/// A thread control block: its run state, priorities and capability slots (`TCBSlot` indices).
public struct TCB: Hashable, Sendable {
  public var state: ThreadState
  public var priority: UInt64
  public var maxControlledPriority: UInt64
  /// Non-null capabilities by `TCBSlot` raw value (0...4).
  public var slots: [UInt64: Capability]

  public init(state: ThreadState, priority: UInt64, maxControlledPriority: UInt64, slots: [UInt64: Capability] = [:]) {
    self.state = state
    self.priority = priority
    self.maxControlledPriority = maxControlledPriority
    self.slots = slots
  }
}

/// A live kernel object (l4v `kernel_object`). Untyped memory is not an object: it is described
/// by its capabilities only.
public enum KernelObject: Hashable, Sendable {
  case cnode(CNode)
  case tcb(TCB)
  case endpoint
  case notification
  case reply
  case schedContext(sizeBits: UInt64)
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
    case .schedContext(let sizeBits): sizeBits
    case .opaque(_, let sizeBits): sizeBits
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
  /// The running thread's TCB (`cur_thread`); nil when the idle thread runs.
  public var currentThread: ObjectRef?
  /// A deliberate bug to run with (tests of the checker only; nil in every real use). Not part of
  /// the state: it is a switch, and states that differ only in it are equal.
  @NotCompared public var plantedBug: PlantedBug? = nil

  /// The initial state a system plan describes: every object in place, every cap in its slot.
  public init(plan: SystemPlan) {
    memoryBase = plan.memoryBase
    memorySizeBits = plan.memorySizeBits
    kheap = [:]
    for object in plan.objects {
      kheap[object.address] = AbstractState.initialObject(object.kind, plan.threads.first { $0.tcb == object.address })
    }
    cdt = LoggedDictionary(plan.cdtParent)
    isOriginalCap = LoggedSet(plan.originals)
    currentThread = plan.currentThread
    for (slot, cap) in plan.caps { setCap(slot, cap) }
  }

  /// Forget which objects, tree edges and original flags were written (the lockstep checker has
  /// looked at them). The maps log their writes for it (`Logged.swift`).
  public mutating func clearLogs() {
    kheap.clearLog()
    cdt.clearLog()
    isOriginalCap.clearLog()
  }

  /// The object a plan places, empty; a TCB takes its thread's state and priorities (a TCB with
  /// no thread is inactive at priority 0).
  static func initialObject(_ kind: PlanObjectKind, _ thread: SystemPlan.Thread?) -> KernelObject {
    switch kind {
    case .tcb:
      let state: ThreadState = thread?.state == .running ? .running : .inactive
      return .tcb(
        TCB(state: state, priority: thread?.priority ?? 0, maxControlledPriority: thread?.maxControlledPriority ?? 0))
    case .endpoint: return .endpoint
    case .notification: return .notification
    case .cnode(let radix): return .cnode(CNode(radix: radix))
    case .schedContext(let sizeBits): return .schedContext(sizeBits: sizeBits)
    case .reply: return .reply
    case .opaque(let name, let sizeBits): return .opaque(kind: name, sizeBits: sizeBits)
    }
  }
}

// MARK: - Slot access

extension AbstractState {
  /// True iff `slot` is a slot of a live CNode or TCB (`cte_at`).
  public func slotExists(_ slot: SlotRef) -> Bool {
    switch kheap[slot.container] {
    // A CNode has 2^radix slots.
    case .cnode(let cnode): return slot.index < bit(cnode.radix)
    // A TCB has the five slots of `TCBSlot`.
    case .tcb: return slot.index < TCBSlot.count
    case .endpoint, .notification, .reply, .schedContext, .opaque, nil: return false
    }
  }

  /// The capability in `slot` (`get_cap`); `.null` for an empty slot or one that does not exist.
  public func getCap(_ slot: SlotRef) -> Capability {
    switch kheap[slot.container] {
    case .cnode(let cnode): return cnode.slots[slot.index] ?? .null
    case .tcb(let tcb): return tcb.slots[slot.index] ?? .null
    case .endpoint, .notification, .reply, .schedContext, .opaque, nil: return .null
    }
  }

  /// Put `cap` in `slot` (`set_cap`), leaving the CDT alone; a slot that does not exist is ignored.
  public mutating func setCap(_ slot: SlotRef, _ cap: Capability) {
    guard slotExists(slot) else { return }
    let stored: Capability? = cap.isNull ? nil : cap
    // The object is taken out of the heap while it changes, so that its slots are written in
    // place rather than copied (a large CNode's copy would cost every step its size).
    // (`object` is overwritten before the write, so that the slots it shared are unshared.)
    guard var object = kheap.removeValue(forKey: slot.container) else { return }
    switch object {
    case .cnode(var cnode):
      object = .endpoint
      cnode.slots[slot.index] = stored
      kheap[slot.container] = .cnode(cnode)
    case .tcb(var tcb):
      object = .endpoint
      tcb.slots[slot.index] = stored
      kheap[slot.container] = .tcb(tcb)
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      kheap[slot.container] = object
    }
  }

  /// Every non-null capability with its slot, in slot order (`caps_of_state`).
  public var capsOfState: [(slot: SlotRef, cap: Capability)] {
    var all: [(slot: SlotRef, cap: Capability)] = []
    all.reserveCapacity(512)
    for (address, object) in kheap {
      switch object {
      case .cnode(let cnode): all += cnode.slots.map { (SlotRef(address, $0.key), $0.value) }
      case .tcb(let tcb): all += tcb.slots.map { (SlotRef(address, $0.key), $0.value) }
      case .endpoint, .notification, .reply, .schedContext, .opaque: break
      }
    }
    return all.sorted { $0.slot < $1.slot }
  }

  /// The TCB at `address`, if there is one.
  public func tcb(at address: ObjectRef) -> TCB? {
    if case .tcb(let tcb) = kheap[address] { return tcb }
    return nil
  }

  /// Set the run state of the thread at `address` (`set_thread_state`).
  mutating func setThreadState(_ address: ObjectRef, _ state: ThreadState) {
    guard var tcb = tcb(at: address) else { return }
    tcb.state = state
    kheap[address] = .tcb(tcb)
  }
}

// MARK: - Word arithmetic that cannot trap

/// `2^n`, or 0 when it does not fit a word.
func bit(_ n: UInt64) -> UInt64 { n >= 64 ? 0 : 1 << n }

/// The low `n` bits set (`mask n`).
func mask(_ n: UInt64) -> UInt64 { n >= 64 ? UInt64.max : (1 << n) &- 1 }

// The initial state of a system plan.
//
// Objects, caps, the derivation tree and the original flags come straight from the plan: the
// abstract state keeps the tree as the plan states it (child slot → parent slot), so there is
// nothing to build. A TCB takes its thread's run state and priorities from the plan.
// Twins: `ExecutableSpec/State+Plan.swift`, `Kernel/State+Plan.swift`.

public import KernelABI

extension AbstractState {
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

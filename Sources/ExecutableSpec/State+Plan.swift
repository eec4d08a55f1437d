// The initial state of a system plan.
//
// Objects and caps come straight from the plan. The plan's derivation tree (`cdtParent`,
// `originals`) becomes MDB lists: the trees are walked in prefix order (roots, then each node's
// children, sorted by `SlotRef`), and consecutive nodes of the same cap class are linked, so there is
// one list per class (`class_links` forbids a link between classes, as seL4's boot code never makes
// one). `mdbRevocable` is the plan's original flag; `mdbFirstBadged` is set on original badged
// EP/Ntfn caps, so that `isMDBParentOf` computes exactly the plan's parent relation: without it a
// badged subtree would swallow a following sibling with the same badge.

public import KernelABI

extension ExecState {
  /// The state a valid plan describes.
  public init(plan: SystemPlan) {
    var space: [ObjectRef: KernelObject] = [:]
    for object in plan.objects {
      switch object.kind {
      case .tcb: space[object.address] = .tcb(.fresh)
      case .endpoint: space[object.address] = .endpoint
      case .notification: space[object.address] = .notification
      case .cnode(let radix): space[object.address] = .cnode(CNode(radix: radix))
      case .schedContext(let sizeBits): space[object.address] = .schedContext(sizeBits: sizeBits)
      case .reply: space[object.address] = .reply
      case .opaque(let kind, let sizeBits): space[object.address] = .opaque(kind: kind, sizeBits: sizeBits)
      }
    }
    self.init(
      memoryBase: plan.memoryBase, memorySizeBits: plan.memorySizeBits, ksPSpace: space,
      ksCurThread: plan.currentThread)
    for thread in plan.threads {
      updateTCB(thread.tcb) { tcb in
        tcb.state = thread.state == .running ? .running : .inactive
        tcb.priority = thread.priority
        tcb.maxControlledPriority = thread.maxControlledPriority
      }
    }
    for (slot, cap) in plan.caps where !cap.isNull { updateCap(slot, cap) }
    linkPlanTree(plan)
  }

  /// The plan's caps in prefix order of its derivation tree.
  static func prefixOrder(_ plan: SystemPlan, occupied: Set<SlotRef>) -> [SlotRef] {
    var children: [SlotRef: [SlotRef]] = [:]
    var roots: [SlotRef] = []
    for slot in occupied.sorted() {
      if let parent = plan.cdtParent[slot], occupied.contains(parent) {
        children[parent, default: []].append(slot)
      } else {
        roots.append(slot)
      }
    }
    var order: [SlotRef] = []
    var visited: Set<SlotRef> = []
    var stack = Array(roots.reversed())
    while let slot = stack.popLast() {
      guard visited.insert(slot).inserted else { continue }
      order.append(slot)
      stack.append(contentsOf: (children[slot] ?? []).reversed())
    }
    return order
  }

  /// Build the MDB lists of the plan's tree (see the top of this file).
  mutating func linkPlanTree(_ plan: SystemPlan) {
    let occupied = Set(plan.caps.keys.filter { !cap(at: $0).isNull })
    let order = ExecState.prefixOrder(plan, occupied: occupied)
    var lastOfClass: [CapClass: SlotRef] = [:]
    for slot in order {
      let cap = cap(at: slot)
      let original = plan.originals.contains(slot)
      let badged = (cap.badge ?? 0) != 0
      let previous = lastOfClass[cap.capClass]
      updateMDB(slot) { node in
        node = MDBNode(prev: previous, next: nil, revocable: original, firstBadged: original && badged)
      }
      updateMDB(previous) { $0.next = slot }
      lastOfClass[cap.capClass] = slot
    }
  }
}

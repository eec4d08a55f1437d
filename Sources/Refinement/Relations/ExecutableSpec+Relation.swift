// R2: the executable specification's state, with its data structures forgotten, as the abstract
// specification's state.
//
// Objects keep their contents, with slots as maps of non-null capabilities. The MDB list becomes
// the abstract derivation tree: walking each chain in list order, a node's parent is the nearest
// earlier node of which it is an MDB descendant (seL4's descendants are the run of following
// nodes for which `isMDBParentOf` holds, so a stack of open ancestors finds it in one pass).
// `mdbRevocable` becomes `is_original_cap`.

public import AbstractSpec
public import ExecutableSpec
import KernelABI

extension ExecState {
  /// The abstract state this executable state stands for.
  public func abstraction() -> AbstractState {
    var kheap: [ObjectRef: AbstractSpec.KernelObject] = [:]
    var original: Set<SlotRef> = []
    for (address, object) in ksPSpace {
      kheap[address] = abstractObject(at: address, object, originals: &original)
    }
    return AbstractState(
      memoryBase: memoryBase, memorySizeBits: memorySizeBits, kheap: kheap, cdt: derivationTree(),
      isOriginalCap: original, currentThread: ksCurThread)
  }

  /// The abstract object `object` (at `address`) stands for; the slots of its revocable caps are
  /// added to `originals` (`is_original_cap`).
  func abstractObject(
    at address: ObjectRef, _ object: ExecutableSpec.KernelObject, originals: inout Set<SlotRef>
  ) -> AbstractSpec.KernelObject {
    func slots(_ container: ObjectRef, _ ctes: [(index: UInt64, entry: CTE)]) -> [UInt64: Capability] {
      var result: [UInt64: Capability] = [:]
      for (index, cte) in ctes where !cte.cap.isNull {
        result[index] = cte.cap
        if cte.mdb.revocable { originals.insert(SlotRef(container, index)) }
      }
      return result
    }
    switch object {
    case .cnode(let cnode):
      return .cnode(AbstractSpec.CNode(radix: cnode.radix, slots: slots(address, object.execSlots)))
    case .tcb(let tcb):
      let state: AbstractSpec.ThreadState =
        switch tcb.state {
        case .running: .running
        case .restart: .restart
        case .inactive: .inactive
        }
      return .tcb(
        AbstractSpec.TCB(
          state: state, priority: tcb.priority, maxControlledPriority: tcb.maxControlledPriority,
          slots: slots(address, object.execSlots)))
    case .endpoint: return .endpoint
    case .notification: return .notification
    case .reply: return .reply
    case .schedContext(let sizeBits): return .schedContext(sizeBits: sizeBits)
    case .opaque(let kind, let sizeBits): return .opaque(kind: kind, sizeBits: sizeBits)
    }
  }

  /// The abstract CDT (child → parent) the MDB list encodes.
  func derivationTree() -> [SlotRef: SlotRef] {
    // Sized up front: growing these tables (rehashing every slot) was a visible cost per step.
    var parent: [SlotRef: SlotRef] = Dictionary(minimumCapacity: 512)
    var visited: Set<SlotRef> = Set(minimumCapacity: 512)
    // Every chain starts at a non-null node without a predecessor; sorted for determinism.
    var heads: [SlotRef] = []
    for (address, object) in ksPSpace {
      for (index, cte) in object.execSlots where !cte.cap.isNull && cte.mdb.prev == nil {
        heads.append(SlotRef(address, index))
      }
    }
    for head in heads.sorted() { parents(alongListFrom: head, into: &parent, visited: &visited) }
    return parent
  }

  /// `derivationTree()` on the lists through `slots` alone (a set closed under MDB lists): the
  /// parents of their slots, found the same way.
  func derivationParents(in slots: Set<SlotRef>) -> [SlotRef: SlotRef]? {
    var parent: [SlotRef: SlotRef] = [:]
    var visited: Set<SlotRef> = []
    for head in slots.sorted() {
      guard let cte = cteAt(head), !cte.cap.isNull, cte.mdb.prev == nil else { continue }
      parents(alongListFrom: head, into: &parent, visited: &visited)
    }
    return parent
  }

  /// The parents of the slots of the list from `head`: each node's parent is the nearest earlier
  /// node still open (whose descendants' run has not ended) that `isMDBParentOf` it.
  private func parents(
    alongListFrom head: SlotRef, into parent: inout [SlotRef: SlotRef], visited: inout Set<SlotRef>
  ) {
    var open: [(slot: SlotRef, cte: CTE)] = []
    var at: SlotRef? = head
    while let slot = at, visited.insert(slot).inserted, let cte = cteAt(slot) {
      while let top = open.last, !ExecState.isMDBParentOf(top.cte, cte) { open.removeLast() }
      if let top = open.last { parent[slot] = top.slot }
      open.append((slot, cte))
      at = cte.mdb.next
    }
  }

  func cteAt(_ slot: SlotRef) -> CTE? { cte(at: slot) }
}

extension AbstractState {
  /// An abstract state with the given contents.
  init(
    memoryBase: UInt64, memorySizeBits: UInt64, kheap: [ObjectRef: AbstractSpec.KernelObject],
    cdt: [SlotRef: SlotRef], isOriginalCap: Set<SlotRef>, currentThread: ObjectRef?
  ) {
    self.init(plan: SystemPlan(memoryBase: memoryBase, memorySizeBits: memorySizeBits, objects: [], caps: [:]))
    self.kheap = LoggedDictionary(kheap)
    self.cdt = LoggedDictionary(cdt)
    self.isOriginalCap = LoggedSet(isOriginalCap)
    self.currentThread = currentThread
  }
}

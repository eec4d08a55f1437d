// `cdt_relation` (l4v `proof/refine/StateRelation.thy`): the executable spec's MDB list, read as
// the abstract derivation tree. Walking each chain in list order, a node's parent is the nearest
// earlier node of which it is an MDB descendant (seL4's descendants are the run of following nodes
// for which `isMDBParentOf` holds, so a stack of open ancestors finds it in one pass). Twins: the
// abstract spec's `CDT.swift` and the executable spec's and kernel's `MDB.swift`.

import AbstractSpec
import ExecutableSpec
import KernelABI

extension ExecState {
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

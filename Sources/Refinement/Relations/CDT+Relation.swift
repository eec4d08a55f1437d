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

  /// The parents of the slots of the list from `head`: each node's parent is the nearest earlier
  /// node still open (whose descendants' run has not ended) that `isMDBParentOf` it.
  private func parents(
    alongListFrom head: SlotRef, into parent: inout [SlotRef: SlotRef], visited: inout Set<SlotRef>
  ) {
    var open: [(slot: SlotRef, cte: CTE)] = []
    var at: SlotRef? = head
    while let slot = at, visited.insert(slot).inserted, let cte = cte(at: slot) {
      while let top = open.last, !ExecState.isMDBParentOf(top.cte, cte) { open.removeLast() }
      if let top = open.last { parent[slot] = top.slot }
      open.append((slot, cte))
      at = cte.mdb.next
    }
  }

}

/// The derivation parents of the executable spec's MDB after a step, found from the parents before
/// it (the verified abstract tree, which equalled them) and what the step changed, without walking
/// whole lists: the incremental `cdt_relation`.
///
/// Walking a list, the stack of open nodes at a node's predecessor `p` is `p` and its ancestors,
/// so a node's parent is the first of `p`, `parent(p)`, `parent(parent(p))`, ... that
/// `isMDBParentOf` it. What that reads of the node `x` (its footprint): `x`'s cap, flags and
/// `prev` link, and the caps, flags and parents of the ancestors of `prev(x)` up to the parent.
/// So `x`'s parent can change only if `x` changed (cap, flags or `prev`), or one of those
/// ancestors changed its cap or flags or its own parent; and a node `b`'s ancestors are read by
/// exactly the nodes whose predecessor lies in `b`'s subtree (the subtree, and the node after
/// it). From the changed nodes, `affected` grows to a fixpoint along those subtrees, through the
/// nodes whose parent turns out to change: a step that copies one cap beside 4,000 copies of it
/// looks at two nodes. Valid lists (no loop, `prev` and `next` agreeing) are assumed; the
/// incremental check holds only when its own look at the changed links confirms them, and a walk
/// that goes round answers nil (undecided).
struct DerivedParents {
  let exec: ExecState
  let before: ExecState
  /// The parents and children before the step.
  let oldParents: LoggedDictionary<SlotRef, SlotRef>
  let oldChildren: [SlotRef: Set<SlotRef>]
  /// The nodes whose parent may differ from before (all of them, once `init` returns).
  private(set) var affected: Set<SlotRef> = []
  /// The parents of `affected` now (of those in `computed`; the others have none).
  private var parents: [SlotRef: SlotRef] = [:]
  private var computed: Set<SlotRef> = []
  /// Whether a walk of this round went round (see `init`).
  private var wentRound = false

  /// Nil when a walk goes round (the lists are not valid; the full check decides).
  init?(
    exec: ExecState, before: ExecState, oldParents: LoggedDictionary<SlotRef, SlotRef>,
    oldChildren: [SlotRef: Set<SlotRef>], changedSlots: some Sequence<SlotRef>
  ) {
    self.exec = exec
    self.before = before
    self.oldParents = oldParents
    self.oldChildren = oldChildren
    // Nodes whose cap or flags changed (what `isMDBParentOf` reads of them), and nodes whose
    // `prev` changed.
    var statusChanged: Set<SlotRef> = []
    for slot in changedSlots {
      let (now, old) = (exec.cte(at: slot) ?? .null, before.cte(at: slot) ?? .null)
      if now.cap != old.cap || now.mdb.revocable != old.mdb.revocable || now.mdb.firstBadged != old.mdb.firstBadged {
        statusChanged.insert(slot)
        affected.insert(slot)
      }
      if now.mdb.prev != old.mdb.prev { affected.insert(slot) }
    }
    var expanded: Set<SlotRef> = []
    while true {
      parents = [:]
      computed = []
      var computing: Set<SlotRef> = []
      wentRound = false
      for slot in affected { compute(slot, &computing) }
      // The readers of every node whose cap, flags or parent changed: its old subtree and the
      // node after each of them.
      var grown = false
      for slot in affected where !expanded.contains(slot) {
        guard statusChanged.contains(slot) || parents[slot] != oldParents[slot] else { continue }
        expanded.insert(slot)
        var frontier = [slot]
        var seen: Set<SlotRef> = [slot]
        while let node = frontier.popLast() {
          if let next = before.cte(at: node)?.mdb.next, affected.insert(next).inserted { grown = true }
          for child in oldChildren[node] ?? [] where seen.insert(child).inserted {
            frontier.append(child)
            if affected.insert(child).inserted { grown = true }
          }
        }
      }
      // Before the fixpoint, a walk may mix a new parent with an old one that no longer holds
      // and go round; only a walk of the last round, when every parent it reads is new where it
      // changed, says the lists are not valid.
      if !grown {
        if wentRound { return nil }
        return
      }
    }
  }

  /// The parent of `slot` now.
  func parent(of slot: SlotRef) -> SlotRef? {
    affected.contains(slot) ? parents[slot] : oldParents[slot]
  }

  /// Whether `slot` descends from `ancestor` now; nil when the walk up goes round.
  func descends(_ slot: SlotRef, from ancestor: SlotRef) -> Bool? {
    var at = slot
    var steps = 0
    while let up = parent(of: at) {
      if up == ancestor { return true }
      steps += 1
      if steps > oldParents.count &+ affected.count { return nil }
      at = up
    }
    return false
  }

  /// The parent of `slot` now, found as the top of this file says, with the parents of the
  /// affected nodes it passes computed first; nil: no parent. A walk that goes round answers nil
  /// and sets `wentRound`.
  @discardableResult
  private mutating func compute(_ slot: SlotRef, _ computing: inout Set<SlotRef>) -> SlotRef? {
    if computed.contains(slot) { return parents[slot] }
    guard computing.insert(slot).inserted else {
      wentRound = true
      return nil
    }
    defer {
      computing.remove(slot)
      computed.insert(slot)
    }
    guard let entry = exec.cte(at: slot), !entry.cap.isNull else { return nil }
    var candidate = entry.mdb.prev
    var walked: Set<SlotRef> = []
    while let node = candidate {
      // New parents and old ones may make a loop in a corrupted state.
      guard walked.insert(node).inserted else {
        wentRound = true
        return nil
      }
      guard let nodeEntry = exec.cte(at: node) else { return nil }
      if ExecState.isMDBParentOf(nodeEntry, entry) {
        parents[slot] = node
        return node
      }
      if affected.contains(node) {
        candidate = compute(node, &computing)
      } else {
        candidate = oldParents[node]
      }
    }
    return nil
  }
}

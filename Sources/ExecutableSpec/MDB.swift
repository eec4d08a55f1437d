// The mapping database (`SEL4.Object.CNode` in the Haskell model): the capability derivation tree
// as a doubly linked list through the slots.
//
// The list is in prefix order: a cap's descendants are the run of nodes right after it for which
// `isMDBParentOf` holds. That needs three facts per node: the cap (its region), `mdbRevocable`
// (only a revocable cap has children) and `mdbFirstBadged` (a badged cap that starts its own
// subtree is no child of the equal badge before it). Insertion puts a derived cap right after its
// source; Retype's `insertNewCap` puts each new cap right after the untyped; removal unlinks a node
// and hands its `mdbFirstBadged` to the next one; a move carries cap and node to a new slot.
// Twins: `AbstractSpec/CDT.swift` (the tree as a map), `Kernel/MDB.swift` (the list in memory words).

public import KernelABI

extension ExecState {
  // MARK: The parent relation

  /// `isMDBParentOf a b`: `b`, following `a` in the list, is `a`'s descendant.
  public static func isMDBParentOf(_ a: CTE, _ b: CTE) -> Bool {
    guard a.mdb.revocable, a.cap.sameRegionAs(b.cap) else { return false }
    switch a.cap {
    // A badged EP/Ntfn cap's children carry the same badge and do not start a subtree of their own.
    case .endpoint(_, let badge, _), .notification(_, let badge, _):
      return badge == 0 || (badge == b.cap.badge && !b.mdb.firstBadged)
    default:
      return true
    }
  }

  /// The descendants of `slot` (`descendants_of'`): the run of following nodes that `isMDBParentOf`
  /// relates to it. Bounded by the number of slots, so a corrupted (looping) list still ends.
  public func descendantsOf(_ slot: SlotRef) -> [SlotRef] {
    guard let root = cte(at: slot), !root.cap.isNull else { return [] }
    var result: [SlotRef] = []
    var seen: Set<SlotRef> = [slot]
    var at = root.mdb.next
    while let next = at, seen.insert(next).inserted, let entry = cte(at: next), ExecState.isMDBParentOf(root, entry) {
      result.append(next)
      at = entry.mdb.next
    }
    return result
  }

  /// True iff the cap in `slot` has a descendant: the next node is its child.
  public func hasChildren(_ slot: SlotRef) -> Bool {
    guard let entry = cte(at: slot), let next = entry.mdb.next, let nextEntry = cte(at: next) else { return false }
    return ExecState.isMDBParentOf(entry, nextEntry)
  }

  /// `ensureNoChildren`: RevokeFirst when the cap in `slot` has a descendant.
  func ensureNoChildren(_ slot: SlotRef) throws(SyscallError) {
    if hasChildren(slot) { throw .revokeFirst }
  }

  /// `ensureEmptySlot`: DeleteFirst when `slot` holds a cap.
  func ensureEmptySlot(_ slot: SlotRef) throws(SyscallError) {
    if !getCap(slot).isNull { throw .deleteFirst }
  }

  // MARK: Insertion

  /// `setUntypedCapAsFull`: a copy of an untyped with its exact range marks the source full, so
  /// that only one of the two can retype.
  mutating func setUntypedCapAsFull(_ srcCap: Capability, _ newCap: Capability, _ srcSlot: SlotRef) {
    guard case .untyped(let base, let sizeBits, let isDevice, _) = srcCap,
      case .untyped(let newBase, let newSizeBits, _, _) = newCap, base == newBase, sizeBits == newSizeBits
    else { return }
    setCap(srcSlot, .untyped(base: base, sizeBits: sizeBits, isDevice: isDevice, freeIndex: UInt64(1) << sizeBits))
  }

  /// `cteInsert newCap srcSlot destSlot`: put `newCap`, derived from the cap in `srcSlot`, into the
  /// empty `destSlot`, right after the source in the list. It is revocable (and first-badged) iff
  /// `isCapRevocable`; whether it is the source's child or sibling follows from `isMDBParentOf`.
  mutating func cteInsert(_ newCap: Capability, from srcSlot: SlotRef, to destSlot: SlotRef) {
    guard let source = cte(at: srcSlot) else { return }
    setUntypedCapAsFull(source.cap, newCap, srcSlot)
    let revocable = newCap.isCapRevocable(source: source.cap)
    let node = MDBNode(prev: srcSlot, next: source.mdb.next, revocable: revocable, firstBadged: revocable)
    setCTE(destSlot, CTE(cap: newCap, mdb: node))
    updateMDB(srcSlot) { $0.next = destSlot }
    updateMDB(node.next) { $0.prev = destSlot }
  }

  /// `insertNewCap parent slot cap`: Retype's insertion of a fresh cap right after the untyped in
  /// `parent`, revocable and first-badged (`mdb_node_new(next, true, true, parent)`).
  mutating func insertNewCap(parent: SlotRef, slot: SlotRef, _ cap: Capability) {
    let next = cte(at: parent)?.mdb.next
    setCTE(slot, CTE(cap: cap, mdb: MDBNode(prev: parent, next: next, revocable: true, firstBadged: true)))
    updateMDB(next) { $0.prev = slot }
    updateMDB(parent) { $0.next = slot }
  }

  // MARK: Moving and swapping

  /// `cteMove newCap srcSlot destSlot`: move the cap (replaced by `newCap`) and its MDB node from
  /// `srcSlot` to the empty `destSlot`; the neighbours now point at `destSlot`.
  mutating func cteMove(_ newCap: Capability, from srcSlot: SlotRef, to destSlot: SlotRef) {
    guard let source = cte(at: srcSlot) else { return }
    setCTE(destSlot, CTE(cap: newCap, mdb: source.mdb))
    setCTE(srcSlot, .null)
    updateMDB(source.mdb.prev) { $0.next = destSlot }
    updateMDB(source.mdb.next) { $0.prev = destSlot }
  }

  /// `cteSwap cap1 slot1 cap2 slot2`: `slot1` gets `cap2` and `slot2` gets `cap1`, and the two MDB
  /// nodes trade places. The steps follow the Haskell model's order, which also handles two slots
  /// that are neighbours in the list.
  mutating func cteSwap(_ cap1: Capability, _ slot1: SlotRef, _ cap2: Capability, _ slot2: SlotRef) {
    guard let mdb1 = cte(at: slot1)?.mdb else { return }
    setCap(slot1, cap2)
    setCap(slot2, cap1)
    updateMDB(mdb1.prev) { $0.next = slot2 }
    updateMDB(mdb1.next) { $0.prev = slot2 }
    guard let mdb2 = cte(at: slot2)?.mdb else { return }
    updateMDB(slot1) { $0 = mdb2 }
    updateMDB(slot2) { $0 = mdb1 }
    updateMDB(mdb2.prev) { $0.next = slot1 }
    updateMDB(mdb2.next) { $0.prev = slot1 }
  }

  // MARK: Removal

  /// `emptySlot`: unlink the node of `slot` and clear the slot; the next node inherits
  /// `mdbFirstBadged`, so a badged subtree after it keeps its own root. An empty slot is left alone.
  mutating func emptySlot(_ slot: SlotRef) {
    guard let entry = cte(at: slot), !entry.cap.isNull else { return }
    updateMDB(entry.mdb.prev) { $0.next = entry.mdb.next }
    updateMDB(entry.mdb.next) { node in
      node.prev = entry.mdb.prev
      node.firstBadged = node.firstBadged || entry.mdb.firstBadged
    }
    setCTE(slot, .null)
  }
}

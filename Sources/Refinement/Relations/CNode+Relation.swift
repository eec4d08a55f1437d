// `cte_relation` (l4v `proof/refine/StateRelation.thy`): a slot's two kernel words are the
// executable spec's CTE (cap and MDB node); a CNode is its slots. Abstracted, a slot is its cap
// (null slots dropped) and its `mdbRevocable` flag is `is_original_cap`.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The executable-spec entry the CTE of `slot` stands for; nil when its words do not decode.
  func liftCTE(_ slot: SlotRef, locator: CTELocator) -> CTE? {
    guard let cap = capability(at: slot), let node = mdbNode(at: slot, locator: locator) else { return nil }
    return CTE(
      cap: cap, mdb: MDBNode(prev: node.prev, next: node.next, revocable: node.revocable, firstBadged: node.firstBadged)
    )
  }

  /// `liftCTE`, with a slot that does not decode reported in `problems` and lifted as empty.
  func liftCTE(_ slot: SlotRef, locator: CTELocator, problems: inout [String]) -> CTE {
    guard let cte = liftCTE(slot, locator: locator) else {
      problems.append("slot \(slot) does not decode")
      return CTE(cap: .null, mdb: .null)
    }
    return cte
  }

  /// The CNode of 2^`radix` slots at `address`. Its slots in memory never written read as zero
  /// words: the null cap, unlinked. Only the slots in backed pages are decoded, so a large CNode
  /// lifts in the time its use takes.
  func liftCNode(at address: ObjectRef, radix: UInt64, locator: CTELocator, problems: inout [String])
    -> ExecutableSpec.CNode
  {
    var table = SlotTable(count: radix < 63 ? Int(truncatingIfNeeded: UInt64(1) << radix) : 0)
    for cte in backedCTEs(of: address) {
      let index = (cte &- address) >> KernelConstants.slotBits
      table[Int(truncatingIfNeeded: index)] = liftCTE(SlotRef(address, index), locator: locator, problems: &problems)
    }
    return ExecutableSpec.CNode(radix: radix, ctes: table)
  }
}

extension ExecState {
  /// The non-null caps of `ctes` (slots of the container at `address`) by index; the slots of the
  /// revocable ones are added to `originals`.
  func abstractSlots(
    _ address: ObjectRef, _ ctes: some Sequence<(index: UInt64, entry: CTE)>, originals: inout Set<SlotRef>
  ) -> AbstractSpec.CapSlots {
    var result: AbstractSpec.CapSlots = [:]
    for (index, cte) in ctes where !cte.cap.isNull {
      result[index] = cte.cap
      if cte.mdb.revocable { originals.insert(SlotRef(address, index)) }
    }
    return result
  }

  /// The abstract CNode `cnode` (at `address`) stands for.
  func abstractCNode(_ cnode: ExecutableSpec.CNode, at address: ObjectRef, originals: inout Set<SlotRef>)
    -> AbstractSpec.CNode
  {
    AbstractSpec.CNode(radix: cnode.radix, slots: abstractSlots(address, cnode.ctes.occupied, originals: &originals))
  }
}

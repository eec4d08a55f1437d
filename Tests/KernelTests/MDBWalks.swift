// KernelState inspection only the kernel tests need: the MDB list a slot is in, and the CDT parent a
// C-style kernel would compute. Events, sample states and answers come from TestSupport.

import KernelABI

@testable import Kernel

extension KernelState {
  /// The slots of the MDB list, from the head of the list holding `slot`.
  func mdbList(containing slot: SlotRef) -> [SlotRef] {
    var head = slot
    var guardCount = 0
    while let prev = mdbNode(at: head)?.prev, guardCount < 100_000 {
      head = prev
      guardCount += 1
    }
    var list: [SlotRef] = [head]
    var at = head
    while let next = mdbNode(at: at)?.next, list.count < 100_000 {
      list.append(next)
      at = next
    }
    return list
  }

  /// The CDT parent a C-style kernel would compute: the nearest earlier node whose subtree holds `slot`.
  func mdbParent(of slot: SlotRef) -> SlotRef? {
    guard let cte = cteAddress(of: slot) else { return nil }
    var candidate = mdbPrev(cte)
    while candidate != 0 {
      // `candidate` is the parent iff every node from it to `slot` is in its subtree.
      var at = mdbNext(candidate)
      var inSubtree = true
      while at != 0 {
        if !isMDBParentOf(candidate, at) {
          inSubtree = false
          break
        }
        if at == cte { break }
        at = mdbNext(at)
      }
      if inSubtree && at == cte { return slotRef(ofCTE: candidate) }
      candidate = mdbPrev(candidate)
    }
    return nil
  }
}

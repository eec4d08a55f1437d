// ExecState inspection only the executable-spec tests need: walks of the MDB lists and a way to
// corrupt them by hand. Events, sample states and answers come from TestSupport.

import KernelABI

@testable import ExecutableSpec

extension ExecState {
  /// The slots of the list through `start`, following `next` (bounded).
  func list(from start: SlotRef) -> [SlotRef] {
    var result: [SlotRef] = []
    var at: SlotRef? = start
    while let slot = at, result.count < 10_000 {
      result.append(slot)
      at = cte(at: slot)?.mdb.next
    }
    return result
  }

  /// The head of the list containing `slot`.
  func head(of slot: SlotRef) -> SlotRef {
    var at = slot
    var steps = 0
    while let prev = cte(at: at)?.mdb.prev, steps < 10_000 {
      at = prev
      steps += 1
    }
    return at
  }

  /// The MDB parent of each cap: the nearest earlier node whose descendants include it.
  func derivedParents() -> [SlotRef: SlotRef] {
    var parents: [SlotRef: SlotRef] = [:]
    for slot in occupiedSlots {
      var at = cte(at: slot)?.mdb.prev
      while let candidate = at {
        if descendantsOf(candidate).contains(slot) {
          parents[slot] = candidate
          break
        }
        at = cte(at: candidate)?.mdb.prev
      }
    }
    return parents
  }

  /// Rewrite prev/next so that `order` is one list (for corrupting states by hand).
  mutating func relink(_ order: [SlotRef]) {
    for (i, slot) in order.enumerated() {
      updateMDB(slot) { node in
        node.prev = i > 0 ? order[i - 1] : nil
        node.next = i + 1 < order.count ? order[i + 1] : nil
      }
    }
  }
}

// The kernel layer's invariants: what must hold of memory after every step.
//
// - `pspace_aligned'`: every object is aligned to its size;
// - `pspace_in_memory`: every object lies inside simulated memory;
// - `pspace_distinct'`: objects do not overlap;
// - `valid_objs'.valid_cap'`: the two words of every slot of every live CNode and TCB decode;
// - `valid_mdb'.mdb_cte_at`: every MDB link points at a CTE of a live object;
// - `valid_mdb'.valid_dlist`: prev and next links agree;
// - `valid_mdb'.valid_nullcaps`: an empty slot has a null MDB node;
// - `cur_tcb'`: the current thread is a live TCB.

import Bitwise
public import KernelABI

extension KernelState {
  /// Every broken conjunct, with the concrete object, slot and values.
  public func invariantViolations() -> [InvariantViolation] {
    var (violations, inMemory) = layoutViolations()
    let sorted = objects.sorted { $0.key < $1.key }
    if let current = ksCurThread, objects[current] != .tcb {
      violations.append(.init("cur_tcb'", "the current thread \(hex(current)) is not a live TCB"))
    }
    let locator = cteLocator
    // Slots in memory never written are zero words (the null cap, unlinked), which every
    // slot-wise conjunct holds of: only the backed ones are read.
    for (container, _) in sorted where inMemory.contains(container) {
      for cte in backedCTEs(of: container) {
        checkSlot(
          SlotRef(container, (cte &- container) >> KernelConstants.slotBits), cte, locator, &violations)
      }
    }
    return violations
  }

  /// `pspace_aligned'`, `pspace_in_memory` and `pspace_distinct'`, and the objects inside memory.
  func layoutViolations() -> (violations: [InvariantViolation], inMemory: Set<ObjectRef>) {
    var violations: [InvariantViolation] = []
    let sorted = objects.sorted { $0.key < $1.key }
    var inMemory: Set<ObjectRef> = []
    for (address, kind) in sorted {
      let bits = kind.sizeBits
      if bits >= 64 || !UInt64.isAligned(address, bits: bits) {
        violations.append(.init("pspace_aligned'", "\(kind) at \(hex(address)) is not aligned to 2^\(bits)"))
      }
      let size: UInt64 = 1 << bits
      let offset = address &- memory.base
      if bits >= 64 || address < memory.base || size > memory.backedBytes || offset > memory.backedBytes &- size {
        violations.append(.init("pspace_in_memory", "\(kind) at \(hex(address)) lies outside memory"))
      } else {
        inMemory.insert(address)
      }
    }
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      let bits = a.value.sizeBits
      let (end, overflow) = a.key.addingReportingOverflow(bits >= 64 ? 0 : 1 << bits)
      if bits >= 64 || overflow || end > b.key {
        violations.append(
          .init("pspace_distinct'", "\(a.value) at \(hex(a.key)) overlaps \(b.value) at \(hex(b.key))"))
      }
    }
    return (violations, inMemory)
  }

  func checkSlot(
    _ slot: SlotRef, _ cte: UInt64, _ locator: CTELocator, _ violations: inout [InvariantViolation]
  ) {
    let w0 = memory.word(cte)
    let w1 = memory.word(cte &+ ObjectLayout.cteCapWord1)
    let cap = KernelState.decodeCap(w0, w1)
    if cap == nil {
      violations.append(
        .init(
          "valid_objs'", conjunct: "valid_cap'", "slot \(slot) holds words \(hex(w0)), \(hex(w1)) that encode no cap"))
    }
    let node = readMDB(cte)
    if cap == .null {
      if node != .null {
        violations.append(
          .init("valid_mdb'", conjunct: "valid_nullcaps", "empty slot \(slot) has MDB node \(node)"))
      }
      return
    }
    if node.next != 0 {
      if locator.slotRef(ofCTE: node.next) == nil {
        violations.append(
          .init("valid_mdb'", conjunct: "mdb_cte_at", "slot \(slot)'s next link \(hex(node.next)) is not a live CTE"))
      } else if mdbPrev(node.next) != cte {
        violations.append(
          .init(
            "valid_mdb'", conjunct: "valid_dlist",
            "slot \(slot)'s next \(hex(node.next)) has prev \(hex(mdbPrev(node.next))), not \(hex(cte))"))
      }
    }
    if node.prev != 0 {
      if locator.slotRef(ofCTE: node.prev) == nil {
        violations.append(
          .init("valid_mdb'", conjunct: "mdb_cte_at", "slot \(slot)'s prev link \(hex(node.prev)) is not a live CTE"))
      } else if mdbNext(node.prev) != cte {
        violations.append(
          .init(
            "valid_mdb'", conjunct: "valid_dlist",
            "slot \(slot)'s prev \(hex(node.prev)) has next \(hex(mdbNext(node.prev))), not \(hex(cte))"))
      }
    }
  }
}

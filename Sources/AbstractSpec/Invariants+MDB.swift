// `valid_mdb`: the derivation tree agrees with the caps it links.
//
// Twins: `ExecutableSpec/Invariants+MDB.swift` (`valid_mdb'`); the Kernel layer's MDB conjuncts
// are in `Kernel/Invariants.swift`, which has few enough to keep in one file.
//
// The tree must link only filled slots (`mdb_cte_at`) and have no cycles (`no_mloop`). Untyped
// memory explains every object made from it: a cap to an object inside an untyped region descends
// from that region's cap (`untyped_mdb`); untyped regions nest or are disjoint, and memory still
// free in one region is not used by another (`untyped_inc`); a descendant covers no more than its
// ancestor (`descendants_inc`). Untyped caps and the IRQControl cap are originals
// (`ut_revocable`, `irq_revocable`), and only filled slots are marked original (`valid_ioc`).
// (`l4v:proof/invariant-abstract/Invariants_AI.thy`.)

import KernelABI

extension AbstractState {
  /// Every broken conjunct of `valid_mdb` (and `valid_ioc`).
  func validMDB(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    var found = mdbCteAt() + noMloop()
    guard found.isEmpty else { return found }  // the remaining conjuncts assume a finite tree of caps
    // The descendants of every untyped cap, from one inversion of the tree.
    let children = childrenMap()
    var below: [SlotRef: Set<SlotRef>] = [:]
    for (slot, cap) in caps where AbstractState.isUntyped(cap) && below[slot] == nil {
      below[slot] = descendantsOf(slot, children: children)
    }
    found += untypedMDB(caps, below)
    found += untypedInc(caps, below)
    found += descendantsInc()
    found += revocable(caps)
    return found
  }

  /// `mdb_cte_at` and `valid_ioc`: the tree and the original flags mention only filled slots.
  func mdbCteAt() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (child, parent) in cdt.sorted(by: { $0.key < $1.key }) where getCap(child).isNull || getCap(parent).isNull {
      found.append(
        InvariantViolation("valid_mdb", conjunct: "mdb_cte_at", "the tree links \(child) → \(parent), and one is empty")
      )
    }
    for slot in isOriginalCap.sorted() where getCap(slot).isNull {
      found.append(InvariantViolation("valid_ioc", "empty slot \(slot) is marked original"))
    }
    return found
  }

  /// `no_mloop`: no slot is its own ancestor.
  func noMloop() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for start in cdt.keys.sorted() {
      var at = start
      for _ in 0..<cdt.count {
        guard let parent = cdt[at] else { break }
        if parent == start {
          found.append(InvariantViolation("valid_mdb", conjunct: "no_mloop", "\(start) is its own ancestor"))
          break
        }
        at = parent
      }
    }
    return found
  }

  /// `untyped_mdb`: a cap to an object inside an untyped region descends from the region's cap.
  func untypedMDB(_ caps: [(slot: SlotRef, cap: Capability)], _ belowOf: [SlotRef: Set<SlotRef>])
    -> [InvariantViolation]
  {
    var found: [InvariantViolation] = []
    for (untypedSlot, untyped) in caps {
      guard case .untyped(let base, let sizeBits, _, _) = untyped else { continue }
      let below = belowOf[untypedSlot] ?? descendantsOf(untypedSlot)
      let top = base &+ mask(sizeBits)
      for (slot, cap) in caps where !AbstractState.isUntyped(cap) {
        guard let object = cap.objectRef, object >= base && object <= top, !below.contains(slot) else { continue }
        found.append(
          InvariantViolation(
            "valid_mdb", conjunct: "untyped_mdb",
            "\(cap) in \(slot) is inside untyped \(untypedSlot) but not derived from it"))
      }
    }
    return found
  }

  /// `untyped_inc`: two untyped regions nest or are disjoint; a region strictly inside another
  /// that is not derived from it keeps clear of the other's free memory, and never is its ancestor;
  /// of two caps to one region, one is the other's ancestor and the ancestor is full.
  ///
  /// The free memory is l4v's `usable_untyped_range` (`Invariants_AI.thy`): from `base + freeIndex`
  /// to the region's last byte while `freeIndex < 2^sizeBits`, else none (the region is full). It
  /// is decided on the free index, never on the address `base + freeIndex`, which wraps to 0 for a
  /// full region ending at the top of memory.
  func untypedInc(_ caps: [(slot: SlotRef, cap: Capability)], _ belowOf: [SlotRef: Set<SlotRef>])
    -> [InvariantViolation]
  {
    let untypeds = caps.compactMap { slot, cap -> UntypedExtent? in
      guard case .untyped(let base, let sizeBits, _, let freeIndex) = cap else { return nil }
      return UntypedExtent(slot: slot, base: base, sizeBits: sizeBits, freeIndex: freeIndex)
    }
    var below = belowOf
    for u in untypeds where below[u.slot] == nil { below[u.slot] = descendantsOf(u.slot) }
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_mdb", conjunct: "untyped_inc", text)) }
    for a in untypeds {
      let belowA = below[a.slot, default: []]
      for b in untypeds where a.slot != b.slot {
        let aInB = b.base <= a.base && a.top <= b.top
        let bInA = a.base <= b.base && b.top <= a.top
        let disjoint = a.top < b.base || b.top < a.base
        if !aInB && !bInA && !disjoint { fail("untyped \(a.slot) and \(b.slot) overlap without nesting") }
        // b strictly inside a (checked from both sides as the pair comes round twice).
        if bInA && !aInB {
          if !belowA.contains(b.slot) && a.freeMemoryReaches(b.top) {
            fail("untyped \(b.slot) is inside \(a.slot)'s free memory but not derived from it")
          }
          if below[b.slot, default: []].contains(a.slot) {
            fail("untyped \(a.slot) descends from the smaller \(b.slot)")
          }
        }
        // Same region: one derives from the other, and the ancestor has nothing left to give.
        if aInB && bInA && a.slot < b.slot {
          let aAbove = belowA.contains(b.slot) && a.isFull
          let bAbove = below[b.slot, default: []].contains(a.slot) && b.isFull
          if !aAbove && !bAbove {
            fail("untyped \(a.slot) and \(b.slot) share a region without one deriving from the full other")
          }
        }
      }
    }
    return found
  }

  /// `descendants_inc`: a descendant is of its ancestor's class and covers no more than it.
  func descendantsInc() -> [InvariantViolation] {
    cdt.sorted { $0.key < $1.key }.compactMap { child, parent in
      let (c, p) = (getCap(child), getCap(parent))
      let sameClass = AbstractState.capClass(c) == AbstractState.capClass(p)
      guard !sameClass || !AbstractState.rangeInside(c, p) else { return nil }
      return InvariantViolation(
        "valid_mdb", conjunct: "descendants_inc", "\(c) in \(child) is not covered by its parent \(p) in \(parent)")
    }
  }

  /// `ut_revocable` and `irq_revocable`: untyped caps and the IRQControl cap are original.
  func revocable(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    caps.compactMap { slot, cap in
      guard !isOriginalCap.contains(slot) else { return nil }
      switch cap {
      case .untyped:
        return InvariantViolation("valid_mdb", conjunct: "ut_revocable", "untyped \(cap) in \(slot) is not original")
      case .irqControl:
        return InvariantViolation("valid_mdb", conjunct: "irq_revocable", "IRQControl in \(slot) is not original")
      default: return nil
      }
    }
  }

  /// The class of a cap (`cap_class`): caps to memory, to interrupts, to scheduling control, to domains.
  static func capClass(_ cap: Capability) -> Int {
    switch cap {
    case .untyped, .endpoint, .notification, .reply, .cnode, .thread, .schedContext: 1
    case .irqControl, .irqHandler: 2
    case .schedControl: 3
    case .domain: 4
    case .null: 0
    }
  }

  /// True iff `inner`'s range (`cap_range`: an untyped region, or an object's address) lies in `outer`'s.
  static func rangeInside(_ inner: Capability, _ outer: Capability) -> Bool {
    guard let i = inner.memoryRange else { return true }
    guard let o = outer.memoryRange else { return false }
    let innerTop = isUntyped(inner) ? i.base &+ mask(i.sizeBits) : i.base
    let outerTop = isUntyped(outer) ? o.base &+ mask(o.sizeBits) : o.base
    return o.base <= i.base && innerTop <= outerTop
  }
}

/// An untyped cap's region and free memory, for `untyped_inc`.
struct UntypedExtent {
  let slot: SlotRef
  /// The region's first and last byte.
  let base: UInt64
  let top: UInt64
  /// The free index and the region's size, in bytes minus one (`mask(sizeBits)`).
  let freeIndex: UInt64
  let sizeMask: UInt64

  init(slot: SlotRef, base: UInt64, sizeBits: UInt64, freeIndex: UInt64) {
    self.slot = slot
    self.base = base
    self.top = base &+ mask(sizeBits)
    self.freeIndex = freeIndex
    self.sizeMask = mask(sizeBits)
  }

  /// Nothing is left to retype: `freeIndex ≥ 2^sizeBits` (`usable_untyped_range` is empty).
  var isFull: Bool { freeIndex > sizeMask }

  /// The free memory (`usable_untyped_range`: `base + freeIndex` to `top`) holds a byte at or below
  /// `address`; for an address inside the region, whether a region ending there meets it.
  func freeMemoryReaches(_ address: UInt64) -> Bool { !isFull && address >= base &+ freeIndex }
}

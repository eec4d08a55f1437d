// `valid_mdb'` (`valid_mdb_ctes` in `Invariants_H.thy`), conjunct by conjunct.
//
// The Haskell model's null pointer 0 is nil here, and no slot can be nil, so `no_0` (slot 0 is not
// in the heap) becomes its purpose stated directly: no link names a slot that does not exist.
// `valid_dlist` then asks that linked slots point back at each other, `mdb_chain_0` that every
// chain ends (no loop). `distinct_zombies` and `reply_masters_rvk_fb` hold trivially (no Zombies,
// no master reply caps in MCS) and are not checked.

import KernelABI

extension ExecState {
  func mdbViolation(_ conjunct: String, _ explanation: String) -> InvariantViolation {
    InvariantViolation("valid_mdb'", conjunct: conjunct, explanation)
  }

  /// Every broken conjunct of `valid_mdb'`.
  func validMDBViolations() -> [InvariantViolation] {
    var entries: [SlotRef: CTE] = [:]
    for slot in allSlots { entries[slot] = cte(at: slot) }
    let slots = entries.keys.sorted()
    let occupied = slots.filter { entries[$0].map { !$0.cap.isNull } ?? false }
    var found = linkViolations(entries, slots)
    let chainsEnd = !found.contains { $0.conjunct == "mdb_chain_0" }
    for slot in occupied {
      guard let entry = entries[slot] else { continue }
      if entry.cap.isUntyped && !entry.mdb.revocable {
        found.append(mdbViolation("ut_revocable'", "untyped cap in \(slot) is not revocable"))
      }
      if let next = entry.mdb.next, let nextEntry = entries[next] {
        if entry.cap.capClass != nextEntry.cap.capClass {
          found.append(mdbViolation(
            "class_links", "\(slot) (\(entry.cap.capClass)) links to \(next) (\(nextEntry.cap.capClass))"))
        }
        if let badge = entry.cap.badge, let nextBadge = nextEntry.cap.badge, entry.cap.sameRegionAs(nextEntry.cap),
          badge != nextBadge, nextBadge != 0, !nextEntry.mdb.firstBadged
        {
          found.append(mdbViolation(
            "valid_badges", "\(next) (badge \(nextBadge)) follows \(slot) (badge \(badge)) but is not firstBadged"))
        }
      }
    }
    let irqControls = occupied.filter { entries[$0]?.cap == .irqControl }
    if irqControls.count > 1 {
      found.append(mdbViolation("irq_control", "IRQControl caps in \(irqControls.map(\.description))"))
    }
    for slot in irqControls where entries[slot]?.mdb.revocable == false {
      found.append(mdbViolation("irq_control", "IRQControl cap in \(slot) is not revocable"))
    }
    found += untypedViolations(entries, occupied)
    if chainsEnd { found += chunkViolations(entries, occupied) }
    return found
  }

  /// `valid_nullcaps`, `no_0`, `valid_dlist`, `mdb_chain_0`.
  func linkViolations(_ entries: [SlotRef: CTE], _ slots: [SlotRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for slot in slots {
      guard let entry = entries[slot] else { continue }
      if entry.cap.isNull && entry.mdb != .null {
        found.append(mdbViolation("valid_nullcaps", "empty slot \(slot) has MDB node \(entry.mdb)"))
      }
      for (name, link) in [("prev", entry.mdb.prev), ("next", entry.mdb.next)] {
        guard let link else { continue }
        guard let target = entries[link] else {
          found.append(mdbViolation("no_0", "\(name) of \(slot) names \(link), which is not a slot"))
          continue
        }
        let back = name == "prev" ? target.mdb.next : target.mdb.prev
        if back != slot {
          found.append(mdbViolation(
            "valid_dlist", "\(name) of \(slot) is \(link), whose \(name == "prev" ? "next" : "prev") is \(back.map(\.description) ?? "null")"))
        }
      }
    }
    // Follow `next` from every node; a walk that meets itself is a loop. Each node is walked once.
    var ends: Set<SlotRef> = []
    for start in slots where !ends.contains(start) {
      var path: [SlotRef] = []
      var onPath: Set<SlotRef> = []
      var at: SlotRef? = start
      while let slot = at, entries[slot] != nil, !ends.contains(slot) {
        guard onPath.insert(slot).inserted else {
          found.append(mdbViolation("mdb_chain_0", "the list through \(slot) loops back to it"))
          break
        }
        path.append(slot)
        at = entries[slot]?.mdb.next
      }
      ends.formUnion(path)
    }
    return found
  }

  /// `caps_contained'`, `untyped_mdb'`, `untyped_inc'`.
  func untypedViolations(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    typealias Untyped = (slot: SlotRef, range: (base: UInt64, sizeBits: UInt64), free: UInt64, below: Set<SlotRef>)
    let untypeds: [Untyped] = occupied.compactMap { slot in
      guard case .untyped(let base, let bits, _, let free) = entries[slot]?.cap else { return nil }
      return (slot, (base, bits), free, Set(descendants(of: slot)))
    }
    for u in untypeds {
      for slot in occupied {
        guard let cap = entries[slot]?.cap, !cap.isUntyped, let range = cap.capRange else { continue }
        if rangesOverlap(range, u.range) && !rangeContains(outer: u.range, inner: range) {
          found.append(mdbViolation("caps_contained'", "cap in \(slot) overlaps untyped \(u.slot) without lying inside"))
        }
        if rangeContains(outer: u.range, inner: range) && !u.below.contains(slot) {
          found.append(mdbViolation("untyped_mdb'", "cap in \(slot) lies in untyped \(u.slot) but is not its descendant"))
        }
      }
    }
    // Untyped ranges nest or are disjoint; a nested one descends from the outer one and lies
    // outside its free (usable) part.
    func usable(_ u: Untyped) -> (base: UInt64, sizeBits: UInt64, empty: Bool) {
      (u.range.base &+ u.free, u.range.sizeBits, u.free >= UInt64(1) << u.range.sizeBits)
    }
    func hitsUsable(_ inner: Untyped, _ outer: Untyped) -> Bool {
      let free = usable(outer)
      return !free.empty && rangeLast(inner.range) >= free.base
    }
    for (i, a) in untypeds.enumerated() {
      for b in untypeds.dropFirst(i + 1) {
        let aInB = rangeContains(outer: b.range, inner: a.range), bInA = rangeContains(outer: a.range, inner: b.range)
        let name = "untyped_inc'"
        if !aInB && !bInA && rangesOverlap(a.range, b.range) {
          found.append(mdbViolation(name, "untypeds \(a.slot) and \(b.slot) overlap without nesting"))
        } else if aInB && bInA {
          let ok = (b.below.contains(a.slot) && usable(b).empty) || (a.below.contains(b.slot) && usable(a).empty)
          if !ok { found.append(mdbViolation(name, "untypeds \(a.slot) and \(b.slot) share a range, neither descends from a full other")) }
        } else if aInB || bInA {
          let (inner, outer) = aInB ? (a, b) : (b, a)
          if !outer.below.contains(inner.slot) {
            found.append(mdbViolation(name, "untyped \(inner.slot) lies in \(outer.slot) but is not its descendant"))
          } else if hitsUsable(inner, outer) {
            found.append(mdbViolation(name, "untyped \(inner.slot) overlaps the free part of \(outer.slot) (free index \(outer.free))"))
          }
        }
      }
    }
    return found
  }

  /// `mdb_chunked`: caps with the same region sit in one list, and everything between two of them
  /// shares the earlier one's region.
  func chunkViolations(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    var chainOf: [SlotRef: Int] = [:]
    var chains: [[SlotRef]] = []
    for head in occupied where entries[head]?.mdb.prev == nil {
      var chain: [SlotRef] = []
      var at: SlotRef? = head
      while let slot = at, chainOf[slot] == nil, let entry = entries[slot] {
        chainOf[slot] = chains.count
        chain.append(slot)
        at = entry.mdb.next
      }
      chains.append(chain)
    }
    // The caps and chain numbers by position in `occupied`, so that the pairwise scans below index
    // arrays instead of hashing slots.
    let caps = occupied.map { entries[$0]?.cap ?? .null }
    let chainNumbers = occupied.map { chainOf[$0] ?? -1 }
    func related(_ x: Capability, _ y: Capability) -> Bool { x.sameRegionAs(y) || y.sameRegionAs(x) }
    for i in caps.indices {
      for j in caps.indices.dropFirst(i + 1) where chainNumbers[i] != chainNumbers[j] && related(caps[i], caps[j]) {
        found.append(mdbViolation("mdb_chunked", "\(occupied[i]) and \(occupied[j]) have the same region but are in different lists"))
      }
    }
    for chain in chains {
      let chainCaps = chain.map { entries[$0]?.cap ?? .null }
      for (i, first) in chain.enumerated() {
        let firstCap = chainCaps[i]
        var broken: SlotRef? = nil
        for k in chainCaps.indices.dropFirst(i + 1) {
          let laterCap = chainCaps[k]
          if let gap = broken, related(firstCap, laterCap) {
            found.append(mdbViolation("mdb_chunked", "\(gap) sits between same-region caps \(first) and \(chain[k])"))
            break
          }
          if broken == nil && !firstCap.sameRegionAs(laterCap) { broken = chain[k] }
        }
      }
    }
    return found
  }
}

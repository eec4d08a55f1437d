// `valid_mdb'` (`valid_mdb_ctes` in `Invariants_H.thy`), conjunct by conjunct.
//
// Twins: `AbstractSpec/Invariants+MDB.swift` (`valid_mdb`); the Kernel layer's MDB conjuncts are
// in `Kernel/Invariants.swift`, which has few enough to keep in one file.
//
// The Haskell model's null pointer 0 is nil here, and no slot can be nil, so `no_0` (slot 0 is not
// in the heap) becomes its purpose stated directly: no link names a slot that does not exist.
// `valid_dlist` then asks that linked slots point back at each other, `mdb_chain_0` that every
// chain ends (no loop). `distinct_zombies` and `reply_masters_rvk_fb` hold trivially (no Zombies,
// no master reply caps in MCS) and are not checked.

public import KernelABI

extension ExecState {
  func mdbViolation(_ conjunct: String, _ explanation: String) -> InvariantViolation {
    InvariantViolation("valid_mdb'", conjunct: conjunct, explanation)
  }

  /// Every broken conjunct of `valid_mdb'`.
  func validMDBViolations() -> [InvariantViolation] {
    // Every slot with its entry, in slot order (the sorted keys of `entries`), read in one pass.
    // Empty CNode slots are not stored; those a link names are added, so that every lookup below
    // reads what it read when every slot was listed.
    var all = slotEntries()
    var entries: [SlotRef: CTE] = Dictionary(minimumCapacity: all.count)
    for (slot, entry) in all { entries[slot] = entry }
    for (_, entry) in all {
      for link in [entry.mdb.prev, entry.mdb.next] {
        if let link, entries[link] == nil, let target = cte(at: link) {
          entries[link] = target
          all.append((link, target))
        }
      }
    }
    all.sort { $0.slot < $1.slot }
    let slots = all.map(\.slot)
    let occupied = all.compactMap { $0.entry.cap.isNull ? nil : $0.slot }
    var found = linkViolations(entries, slots)
    let chainsEnd = !found.contains { $0.conjunct == "mdb_chain_0" }
    for slot in occupied {
      guard let entry = entries[slot] else { continue }
      if entry.cap.isUntyped && !entry.mdb.revocable {
        found.append(mdbViolation("ut_revocable'", "untyped cap in \(slot) is not revocable"))
      }
      if let next = entry.mdb.next, let nextEntry = entries[next] {
        if entry.cap.capClass != nextEntry.cap.capClass {
          found.append(
            mdbViolation(
              "class_links", "\(slot) (\(entry.cap.capClass)) links to \(next) (\(nextEntry.cap.capClass))"))
        }
        if let badge = entry.cap.badge, let nextBadge = nextEntry.cap.badge, entry.cap.sameRegionAs(nextEntry.cap),
          badge != nextBadge, nextBadge != 0, !nextEntry.mdb.firstBadged
        {
          found.append(
            mdbViolation(
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
    func checkLink(_ slot: SlotRef, _ link: SlotRef?, prev: Bool) {
      guard let link else { return }
      let name = prev ? "prev" : "next"
      guard let target = entries[link] else {
        found.append(mdbViolation("no_0", "\(name) of \(slot) names \(link), which is not a slot"))
        return
      }
      let back = prev ? target.mdb.next : target.mdb.prev
      if back != slot {
        found.append(
          mdbViolation(
            "valid_dlist",
            "\(name) of \(slot) is \(link), whose \(prev ? "next" : "prev") is \(back.map(\.description) ?? "null")"))
      }
    }
    for slot in slots {
      guard let entry = entries[slot] else { continue }
      if entry.cap.isNull && entry.mdb != .null {
        found.append(mdbViolation("valid_nullcaps", "empty slot \(slot) has MDB node \(entry.mdb)"))
      }
      checkLink(slot, entry.mdb.prev, prev: true)
      checkLink(slot, entry.mdb.next, prev: false)
    }
    // Follow `next` from every node; a walk that meets itself is a loop. Each node is walked once:
    // `walkOf` holds the number of the walk that reached it, so meeting an earlier walk ends this one.
    var walkOf: [SlotRef: Int] = [:]
    for (walk, start) in slots.enumerated() where walkOf[start] == nil {
      var at: SlotRef? = start
      while let slot = at, let entry = entries[slot] {
        if let seen = walkOf[slot] {
          if seen == walk { found.append(mdbViolation("mdb_chain_0", "the list through \(slot) loops back to it")) }
          break
        }
        walkOf[slot] = walk
        at = entry.mdb.next
      }
    }
    return found
  }

  /// `caps_contained'`, `untyped_mdb'`, `untyped_inc'`.
  func untypedViolations(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    typealias Untyped = (slot: SlotRef, range: (base: UInt64, sizeBits: UInt64), free: UInt64, below: Set<SlotRef>)
    let untypeds: [Untyped] = occupied.compactMap { slot in
      guard case .untyped(let base, let bits, _, let free) = entries[slot]?.cap else { return nil }
      return (slot, (base, bits), free, Set(descendantsOf(slot)))
    }
    // The non-untyped physical caps with their ranges, once, so the per-untyped scan below reads
    // an array instead of hashing every slot again.
    let physical: [(slot: SlotRef, range: (base: UInt64, sizeBits: UInt64))] = occupied.compactMap { slot in
      guard let cap = entries[slot]?.cap, !cap.isUntyped, let range = cap.capRange else { return nil }
      return (slot, range)
    }
    for u in untypeds {
      let uLast = rangeLast(u.range)
      for (slot, range) in physical {
        // Disjoint from the untyped: neither conjunct can fail.
        guard range.base <= uLast && u.range.base <= rangeLast(range) else { continue }
        if !rangeContains(outer: u.range, inner: range) {
          found.append(
            mdbViolation("caps_contained'", "cap in \(slot) overlaps untyped \(u.slot) without lying inside"))
        } else if !u.below.contains(slot) {
          found.append(
            mdbViolation("untyped_mdb'", "cap in \(slot) lies in untyped \(u.slot) but is not its descendant"))
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
        let aInB = rangeContains(outer: b.range, inner: a.range)
        let bInA = rangeContains(outer: a.range, inner: b.range)
        let name = "untyped_inc'"
        if !aInB && !bInA && rangesOverlap(a.range, b.range) {
          found.append(mdbViolation(name, "untypeds \(a.slot) and \(b.slot) overlap without nesting"))
        } else if aInB && bInA {
          let ok = (b.below.contains(a.slot) && usable(b).empty) || (a.below.contains(b.slot) && usable(a).empty)
          if !ok {
            found.append(
              mdbViolation(name, "untypeds \(a.slot) and \(b.slot) share a range, neither descends from a full other"))
          }
        } else if aInB || bInA {
          let (inner, outer) = aInB ? (a, b) : (b, a)
          if !outer.below.contains(inner.slot) {
            found.append(mdbViolation(name, "untyped \(inner.slot) lies in \(outer.slot) but is not its descendant"))
          } else if hitsUsable(inner, outer) {
            found.append(
              mdbViolation(
                name, "untyped \(inner.slot) overlaps the free part of \(outer.slot) (free index \(outer.free))"))
          }
        }
      }
    }
    return found
  }

  /// `mdb_chunked`: caps with the same region sit in one list, and everything between two of them
  /// shares the earlier one's region. `chunkBroken` decides whether it holds in about linear time;
  /// only when it does not are the offending pairs listed by the pairwise scan.
  func chunkViolations(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> [InvariantViolation] {
    chunkBroken(entries, occupied) ? chunkViolationsByPairs(entries, occupied) : []
  }

  /// What `sameRegionAs` compares for every cap but an untyped: two caps with equal keys are in the
  /// same region, except that IRQControl's region also holds every IRQHandler.
  public enum RegionKey: Hashable, Sendable {
    case endpoint(UInt64)
    case notification(UInt64)
    case reply(UInt64)
    case thread(UInt64)
    case cnode(UInt64, radix: UInt64)
    case schedContext(UInt64, sizeBits: UInt64)
    case irqControl
    case irqHandler(UInt64)
    case schedControl, domain
    /// Untyped and Null caps: no key (an untyped's region is its range).
    case none

    public init(_ cap: Capability) {
      switch cap {
      case .endpoint(let r, _, _): self = .endpoint(r)
      case .notification(let r, _, _): self = .notification(r)
      case .reply(let r, _): self = .reply(r)
      case .thread(let r): self = .thread(r)
      case .cnode(let r, let radix, _, _): self = .cnode(r, radix: radix)
      case .schedContext(let r, let bits): self = .schedContext(r, sizeBits: bits)
      case .irqControl: self = .irqControl
      case .irqHandler(let irq): self = .irqHandler(irq)
      case .schedControl: self = .schedControl
      case .domain: self = .domain
      case .untyped, .null: self = .none
      }
    }

    public var isIRQ: Bool {
      switch self {
      case .irqControl, .irqHandler: true
      default: false
      }
    }
  }

  /// Whether `mdb_chunked` fails, decided without comparing every pair of caps: caps are grouped by
  /// `RegionKey`, and only pairs involving an untyped (whose region is a range) are compared
  /// directly, which costs (number of untypeds) × (number of caps).
  func chunkBroken(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> Bool {
    // The same chains, numbered the same way, as `chunkViolationsByPairs`.
    var chainOf: [SlotRef: Int] = Dictionary(minimumCapacity: occupied.count)
    var chains: [[Capability]] = []
    for head in occupied where entries[head]?.mdb.prev == nil {
      var chain: [Capability] = []
      var at: SlotRef? = head
      while let slot = at, chainOf[slot] == nil, let entry = entries[slot] {
        chainOf[slot] = chains.count
        chain.append(entry.cap)
        at = entry.mdb.next
      }
      chains.append(chain)
    }
    func related(_ x: Capability, _ y: Capability) -> Bool { x.sameRegionAs(y) || y.sameRegionAs(x) }

    // Same region, different lists. Keyed caps: one list per key, and one list for all IRQ caps
    // when there is an IRQControl cap. Untypeds: every cap inside one (untyped or not) is in its list.
    let caps = occupied.map { entries[$0]?.cap ?? .null }
    let chainNumbers = occupied.map { chainOf[$0] ?? -1 }
    var chainOfKey: [RegionKey: Int] = Dictionary(minimumCapacity: occupied.count)
    var irqChains: Set<Int> = []
    var hasIRQControl = false
    var untypeds: [(range: (base: UInt64, sizeBits: UInt64), chain: Int)] = []
    var ranged: [(range: (base: UInt64, sizeBits: UInt64), chain: Int)] = []
    for (cap, chain) in zip(caps, chainNumbers) {
      if case .untyped(let base, let bits, _, _) = cap { untypeds.append(((base, bits), chain)) }
      if let range = cap.capRange { ranged.append((range, chain)) }
      let key = RegionKey(cap)
      guard key != .none else { continue }
      if let seen = chainOfKey.updateValue(chain, forKey: key), seen != chain { return true }
      if key.isIRQ { irqChains.insert(chain) }
      if key == .irqControl { hasIRQControl = true }
    }
    if hasIRQControl && irqChains.count > 1 { return true }
    for u in untypeds {
      for c in ranged where c.chain != u.chain && rangeContains(outer: u.range, inner: c.range) { return true }
    }

    // Within a list: after the run of caps in the region of cap i ends (at `broken`), no later cap
    // may be related to cap i.
    // A list of one cap has nothing after it to break the run.
    // One table for every list, emptied between lists, so that it is allocated once.
    var lastOfKey: [RegionKey: Int] = [:]
    for chain in chains where chain.count > 1 {
      let keys = chain.map(RegionKey.init)
      lastOfKey.removeAll(keepingCapacity: true)
      var lastIRQ = -1
      var untypedIndices: [Int] = []
      for (k, cap) in chain.enumerated() {
        if keys[k] != .none { lastOfKey[keys[k]] = k }
        if keys[k].isIRQ { lastIRQ = k }
        if cap.isUntyped { untypedIndices.append(k) }
      }
      // `runEnd[i]`: the first index after i whose key differs from key i (chain.count if none);
      // for an IRQControl, the first after i that is no IRQ cap.
      var runEnd = Array(repeating: chain.count, count: chain.count)
      var irqRunEnd = Array(repeating: chain.count, count: chain.count)
      for i in chain.indices.reversed().dropFirst() {
        runEnd[i] = keys[i + 1] == keys[i] ? runEnd[i + 1] : i + 1
        irqRunEnd[i] = keys[i + 1].isIRQ ? irqRunEnd[i + 1] : i + 1
      }
      for (i, cap) in chain.enumerated() {
        let key = keys[i]
        switch cap {
        case .null:
          continue
        case .untyped(let base, let bits, _, _):
          // The run: following caps whose range lies inside this one.
          var broken = i + 1
          while broken < chain.count, let inner = chain[broken].capRange,
            rangeContains(outer: (base, bits), inner: inner)
          {
            broken += 1
          }
          for k in chain.indices.dropFirst(broken + 1) where related(cap, chain[k]) { return true }
        case .irqControl:
          if lastIRQ > irqRunEnd[i] { return true }
        case .irqHandler:
          if max(lastOfKey[key] ?? -1, lastOfKey[.irqControl] ?? -1) > runEnd[i] { return true }
        case .endpoint, .notification, .reply, .thread, .cnode, .schedContext, .schedControl, .domain:
          let broken = runEnd[i]
          if (lastOfKey[key] ?? -1) > broken { return true }
          // An untyped after the run whose range holds this cap.
          if let range = cap.capRange {
            for k in untypedIndices where k > broken {
              if let outer = chain[k].capRange, rangeContains(outer: outer, inner: range) { return true }
            }
          }
        }
      }
    }
    return false
  }

  /// `mdb_chunked` spelled out pairwise (quadratic): only run when `chunkBroken` has found that the
  /// conjunct fails, to list every offending pair.
  func chunkViolationsByPairs(_ entries: [SlotRef: CTE], _ occupied: [SlotRef]) -> [InvariantViolation] {
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
        found.append(
          mdbViolation(
            "mdb_chunked", "\(occupied[i]) and \(occupied[j]) have the same region but are in different lists"))
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

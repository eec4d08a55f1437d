// `mdb_chunked` is decided by a fast pre-check (`chunkBroken`) that only hands over to the pairwise
// scan (`chunkViolationsByPairs`) when it says the conjunct fails. If the pre-check ever said "holds"
// where the pairwise definition finds a violation, the violation would go unreported; if it said
// "broken" where none exists, the conjunct would be reported broken with no pair to show. So the two
// must agree exactly: on states reached by random CNode and Untyped invocations (fixed seeds), and
// on those states with their MDB lists deliberately reordered, cut and joined, and with caps the
// events never make linked in anywhere (1,440 states, 4,320 corrupted ones, about 3/4 of them
// broken); and on every arrangement of up to four caps from a pool whose regions overlap in every
// way the rules distinguish (28,602 cases). Weakening any one rule of the pre-check, one at a time
// by hand, failed at least one of the two tests (the random one alone misses a dropped IRQHandler
// rule: the events never make IRQHandlers, so it rests on the arrangements for that).

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct ChunkPrecheckTests {
  /// What the pre-check and the pairwise scan say about `state`'s MDB, and how many caps it has.
  func verdicts(_ state: ExecState) -> (fast: Bool, pairs: Bool, caps: Int) {
    let all = state.slotEntries()
    var entries: [SlotRef: CTE] = [:]
    for (slot, entry) in all { entries[slot] = entry }
    let occupied = all.compactMap { $0.entry.cap.isNull ? nil : $0.slot }
    return (
      state.chunkBroken(entries, occupied), !state.chunkViolationsByPairs(entries, occupied).isEmpty, occupied.count
    )
  }

  /// Root slots the thread reaches its CNodes through (the root CNode cap, the aux CNode cap): never
  /// deleted, moved or revoked, so that every later invocation can still be made.
  static let kept: Set<UInt64> = [2, 13]

  /// One random CNode or Untyped invocation on the root CNode's slots.
  func randomEvent(_ rng: inout SplitMix64) -> Event {
    func slot() -> UInt64 { UInt64.random(in: 1...48, using: &rng) }
    func mutable() -> UInt64 {
      var s = slot()
      while Self.kept.contains(s) { s = slot() }
      return s
    }
    let rights = CapRights(rawValue: UInt64.random(in: 0...15, using: &rng))
    let badge = [0, 0, 5, 7, UInt64.random(in: 1...3, using: &rng)].randomElement(using: &rng) ?? 0
    switch Int.random(in: 0..<10, using: &rng) {
    case 0, 1:
      return cnodeCopy(.root(slot()), from: .root(slot()), rights: rights)
    case 2, 3:
      return cnodeMint(.root(slot()), from: .root(slot()), rights: rights, data: badge)
    case 4:
      return cnodeMutate(.root(slot()), from: .root(mutable()), data: badge)
    case 5:
      return cnodeMove(.root(slot()), from: .root(mutable()))
    case 6:
      return cnodeDelete(.root(mutable()))
    case 7:
      return cnodeRevoke(.root(mutable()))
    default:
      // Retype from one of the sample's untypeds or from anything else in a low slot (an untyped
      // made by an earlier retype, or a cap that is not one: an error).
      let from: UInt64 = [10, 11, 12, slot()].randomElement(using: &rng) ?? 10
      let (type, bits): (ObjectType, UInt64) =
        [
          (.endpoint, 0), (.notification, 0), (.reply, 0), (.capTable, UInt64.random(in: 1...3, using: &rng)),
          (.untyped, UInt64.random(in: 12...15, using: &rng)), (.schedContext, 8),
        ].randomElement(using: &rng) ?? (.endpoint, 0)
      let count = UInt64.random(in: 1...3, using: &rng)
      return retype(from, type, sizeBits: bits, offset: UInt64.random(in: 14...46, using: &rng), count: count)
    }
  }

  /// The MDB lists of `state`, each from its head.
  func lists(_ state: ExecState) -> [[SlotRef]] {
    state.occupiedSlots.filter { state.cte(at: $0)?.mdb.prev == nil }.map { state.list(from: $0) }
  }

  /// `state` with its lists corrupted in one of five ways; every result is still a set of
  /// well-formed, loop-free doubly linked lists, so only `mdb_chunked` (and perhaps the conjuncts
  /// about parents and classes) can see the change.
  func corrupted(_ state: ExecState, _ rng: inout SplitMix64) -> ExecState {
    var state = state
    let all = lists(state)
    let long = all.filter { $0.count >= 2 }
    guard var list = long.randomElement(using: &rng) else { return state }
    switch Int.random(in: 0..<5, using: &rng) {
    case 0:
      // Two nodes swap places.
      let i = Int.random(in: 0..<list.count, using: &rng)
      let j = Int.random(in: 0..<list.count, using: &rng)
      list.swapAt(i, j)
      state.relink(list)
    case 1:
      // One node moves elsewhere in its list (out of its chunk, or back into it).
      let node = list.remove(at: Int.random(in: 0..<list.count, using: &rng))
      list.insert(node, at: Int.random(in: 0...list.count, using: &rng))
      state.relink(list)
    case 2:
      // The list is cut in two.
      let cut = Int.random(in: 1..<list.count, using: &rng)
      state.relink(Array(list[..<cut]))
      state.relink(Array(list[cut...]))
    case 3:
      // A cap the events never make (an IRQHandler, whose region is shared with IRQControl) or a
      // copy of a cap already there is written into an empty slot and linked in anywhere.
      guard let empty = (60..<120).map({ S.root(UInt64($0)) }).first(where: { state.getCap($0).isNull }) else {
        return state
      }
      let existing = state.occupiedSlots.randomElement(using: &rng).map { state.getCap($0) } ?? .irqControl
      let cap: Capability =
        Bool.random(using: &rng) ? .irqHandler(irq: UInt64.random(in: 0...2, using: &rng)) : existing
      state.setCap(empty, cap)
      // Half the time into the list holding IRQControl, where the IRQ rules apply.
      let irqList = all.first { $0.contains { state.getCap($0) == .irqControl } }
      var target = (Bool.random(using: &rng) ? irqList : nil) ?? all.randomElement(using: &rng) ?? []
      target.insert(empty, at: Int.random(in: 0...target.count, using: &rng))
      state.relink(target)
    default:
      // One node leaves its list and is put into another one (half the time the IRQ list), or
      // starts a list of its own.
      let node = list.remove(at: Int.random(in: 0..<list.count, using: &rng))
      state.relink(list)
      let others = all.filter { !$0.contains(node) }
      let irqList = others.first { $0.contains { state.getCap($0) == .irqControl } }
      var other = (Bool.random(using: &rng) ? irqList : nil) ?? others.randomElement(using: &rng) ?? []
      other.insert(node, at: Int.random(in: 0...other.count, using: &rng))
      state.relink(other)
    }
    return state
  }

  @Test func preCheckAgreesWithThePairwiseDefinition() {
    var reached = 0
    var corruptions = 0
    var brokenCorruptions = 0
    var brokenReached = 0
    var largest = 0
    for seed in UInt64(1)...24 {
      var rng = SplitMix64(seed: seed)
      var state = ExecState.sample
      for step in 0..<60 {
        _ = state.step(randomEvent(&rng))
        let v = verdicts(state)
        reached += 1
        largest = max(largest, v.caps)
        if v.pairs { brokenReached += 1 }
        #expect(v.fast == v.pairs, "seed \(seed) step \(step): pre-check \(v.fast), pairwise \(v.pairs)")
        for _ in 0..<3 {
          // One to three corruptions in a row (some breakages need two: an IRQHandler linked in,
          // then another cap moved between it and IRQControl).
          var bad = state
          for _ in 0..<Int.random(in: 1...3, using: &rng) { bad = corrupted(bad, &rng) }
          let w = verdicts(bad)
          corruptions += 1
          if w.pairs { brokenCorruptions += 1 }
          #expect(
            w.fast == w.pairs,
            "seed \(seed) step \(step), corrupted: pre-check \(w.fast), pairwise \(w.pairs); lists \(lists(bad))")
        }
      }
    }
    // Not vacuous: states grew well beyond the sample's 19 caps, reachable states satisfy the
    // conjunct (the spec keeps it), and the corruptions break it often but not always.
    #expect(largest >= 30, "largest state has \(largest) caps")
    #expect(brokenReached == 0)
    #expect(brokenCorruptions >= corruptions / 5, "\(brokenCorruptions) of \(corruptions) corruptions broke it")
    #expect(
      corruptions - brokenCorruptions >= corruptions / 10, "\(brokenCorruptions) of \(corruptions) corruptions broke it"
    )
  }

  /// Caps whose regions overlap in every way the rules distinguish: IRQControl and two IRQHandlers,
  /// an untyped with a smaller one inside it, an endpoint inside only the larger untyped (twice,
  /// with different badges), one inside both, and a notification outside both.
  static let pool: [Capability] = [
    .irqControl, .irqHandler(irq: 0), .irqHandler(irq: 1),
    .untyped(base: 0x40_0000, sizeBits: 12, isDevice: false, freeIndex: 0),
    .untyped(base: 0x40_0000, sizeBits: 10, isDevice: false, freeIndex: 0),
    .endpoint(0x40_0400, badge: 0, rights: .all), .endpoint(0x40_0400, badge: 5, rights: [.write]),
    .endpoint(0x40_0000, badge: 0, rights: .all), .notification(0x50_0000, badge: 0, rights: [.read]),
  ]

  /// Entries holding `lists`, each linked in order, in slots of one made-up container.
  func entries(_ lists: [[Capability]]) -> (entries: [SlotRef: CTE], occupied: [SlotRef]) {
    var entries: [SlotRef: CTE] = [:]
    var occupied: [SlotRef] = []
    for list in lists {
      let slots = list.indices.map { SlotRef(0x90_0000, UInt64(occupied.count + $0)) }
      for (i, cap) in list.enumerated() {
        entries[slots[i]] = CTE(
          cap: cap,
          mdb: MDBNode(
            prev: i > 0 ? slots[i - 1] : nil, next: i + 1 < slots.count ? slots[i + 1] : nil, revocable: true,
            firstBadged: false))
      }
      occupied += slots
    }
    return (entries, occupied)
  }

  /// Every sequence of up to four pool caps, as one list and cut into two lists at each point: the
  /// pre-check agrees with the pairwise definition on all of them.
  @Test func preCheckAgreesOnEverySmallArrangement() {
    let state = ExecState(plan: .oneThread)
    var sequences: [[Capability]] = [[]]
    var all: [[Capability]] = []
    for _ in 1...4 {
      sequences = sequences.flatMap { s in Self.pool.map { s + [$0] } }
      all += sequences
    }
    var cases = 0
    var broken = 0
    var disagreements: [String] = []
    for sequence in all {
      for cut in 0..<sequence.count {
        let lists = cut == 0 ? [sequence] : [Array(sequence[..<cut]), Array(sequence[cut...])]
        let (entries, occupied) = entries(lists)
        let fast = state.chunkBroken(entries, occupied)
        let pairs = !state.chunkViolationsByPairs(entries, occupied).isEmpty
        cases += 1
        if pairs { broken += 1 }
        if fast != pairs && disagreements.count < 10 {
          disagreements.append("\(lists): pre-check \(fast), pairwise \(pairs)")
        }
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    #expect(cases == 9 + 2 * 81 + 3 * 729 + 4 * 6561)
    #expect(broken > cases / 10 && broken < cases - cases / 10, "\(broken) of \(cases) broken")
  }
}

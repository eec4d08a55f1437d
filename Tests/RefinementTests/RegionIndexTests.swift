import KernelABI
import Testing

@testable import AbstractSpec
@testable import ExecutableSpec
@testable import Refinement

/// The indices behind the incremental check of the whole-state conjuncts
/// (`Lockstep+Regions.swift`): what they find must be what a scan of everything finds.
@Suite struct RegionIndexTests {
  /// Overlap queries on a `RangeIndex` find exactly the ranges a scan finds, after random
  /// insertions and removals (misaligned and overlapping ranges among them).
  @Test func rangeQueriesEqualAScan() {
    var rng = SplitMix64(seed: 0x5EED_2026)
    var index = RangeIndex<Int>()
    var ranges: [(base: UInt64, sizeBits: UInt64, payload: Int)] = []
    func randomRange(_ payload: Int) -> (base: UInt64, sizeBits: UInt64, payload: Int) {
      let sizeBits = [4, 4, 4, 5, 10, 12, 20, 40, 63, 64][Int(rng.next() % 10)]
      // Near one another, so that they overlap; aligned or not; some at the top of the space.
      let base = rng.next() % 4 == 0 ? UInt64.max &- (rng.next() % 4096) : (rng.next() % (1 << 22)) << 2
      return (base, UInt64(sizeBits), payload)
    }
    for payload in 0..<3_000 {
      if !ranges.isEmpty && rng.next() % 4 == 0 {
        let gone = ranges.remove(at: Int(rng.next() % UInt64(ranges.count)))
        index.remove(base: gone.base, sizeBits: gone.sizeBits, gone.payload)
      } else {
        let range = randomRange(payload)
        ranges.append(range)
        index.insert(base: range.base, sizeBits: range.sizeBits, range.payload)
      }
    }
    var checked = 0
    for _ in 0..<500 {
      let query = randomRange(-1)
      let last = RangeIndex<Int>.last(query.base, query.sizeBits)
      var found: Set<Int> = []
      index.forEachOverlapping(query.base, last) { _, _, payload in found.insert(payload) }
      let scanned = Set(
        ranges.filter { $0.base <= last && query.base <= RangeIndex<Int>.last($0.base, $0.sizeBits) }.map(\.payload))
      #expect(found == scanned, "query \(query)")
      checked += scanned.count
    }
    // The queries are worth something only if they find ranges.
    #expect(checked > 1_000)
    // A bulk-built index answers as the incrementally built one.
    let bulk = RangeIndex(ranges)
    var a: [Int] = []
    var b: [Int] = []
    bulk.forEachOverlapping(0, .max) { _, _, payload in a.append(payload) }
    index.forEachOverlapping(0, .max) { _, _, payload in b.append(payload) }
    #expect(a.sorted() == b.sorted() && a.count == ranges.count)
  }

  /// The index files caps by the executable spec's `capRange`, and the abstract spec's invariants
  /// relate caps by `memoryRange`: they must agree on every cap, or a related cap could be missed.
  @Test func capRangeEqualsMemoryRange() {
    let caps: [Capability] = [
      .null, .untyped(base: 0x10_0000, sizeBits: 20, isDevice: false, freeIndex: 0),
      .endpoint(0x100, badge: 3, rights: .all), .notification(0x200, badge: 0, rights: [.read]),
      .reply(0x300, canGrant: true), .cnode(0x4000, radix: 8, guardSize: 3, guard: 1),
      .cnode(0x8000, radix: 0, guardSize: 0, guard: 0),
      .thread(0x1000), .schedContext(0x2000, sizeBits: 8), .schedControl(core: 0), .irqControl,
      .irqHandler(irq: 5), .domain,
    ]
    for cap in caps {
      let a = cap.capRange.map { [$0.base, $0.sizeBits] }
      let b = cap.memoryRange.map { [$0.base, $0.sizeBits] }
      #expect(a == b, "\(cap)")
    }
  }

  /// The index finds the sites of a change the incremental check asks for: on the sample, the caps
  /// inside an untyped (its contents), the untyped around each of them, and a cap naming an
  /// address, without a scan of every cap.
  @Test func theIndexFindsContentsAndTheUntypedsAround() throws {
    let state = ExecState(plan: .sample)
    let index = state.regionIndex()
    func inside(_ untyped: SlotRef) -> [SlotRef] {
      guard case .untyped(let base, let sizeBits, _, _) = state.getCap(untyped) else { return [] }
      return state.occupiedSlots.filter { slot in
        guard slot != untyped, let range = state.getCap(slot).capRange else { return false }
        return base <= range.base && range.base <= RangeIndex<SlotRef>.last(base, sizeBits)
      }
    }
    let untyped = try #require(state.occupiedSlots.max { inside($0).count < inside($1).count })
    guard case .untyped(let base, let sizeBits, _, _) = state.getCap(untyped) else { return }
    let inside = inside(untyped)
    #expect(inside.count > 1)
    var contents: Set<SlotRef> = []
    index.forEachCap(overlapping: base, sizeBits: sizeBits) { contents.insert($0) }
    for slot in inside {
      #expect(contents.contains(slot), "\(slot) lies in the untyped but is not among its contents")
      guard let range = state.getCap(slot).capRange else { continue }
      var around: [SlotRef] = []
      index.forEachUntyped(overlapping: range.base, sizeBits: range.sizeBits) { around.append($0) }
      #expect(around.contains(untyped))
      #expect(around.allSatisfy { state.getCap($0).isUntyped })
      let naming = index.firstCap(at: range.base) { $0 == slot }
      #expect(naming == slot)
    }
  }

  /// A copy of a cap put into an empty slot as a list (tree) of its own, original, breaks only
  /// conjuncts that relate it to caps elsewhere (`mdb_chunked`, `untyped_inc'` for an untyped;
  /// `untyped_inc` in the abstract spec): the incremental check must find those caps through the
  /// region index and say what the full check says. (Checking only the changed slots' own lists
  /// or trees passes these corruptions.)
  @Test(arguments: ["ExecutableSpec", "AbstractSpec"], [false, true])
  func aCapInAListOfItsOwnIsCaughtIncrementally(layer: String, untyped: Bool) throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    checker.checksRelations = false
    let exec = checker.exec
    // A cap to an object (region) that some other cap also names, and an empty slot of a CNode.
    let shared = exec.occupiedSlots.filter { slot in
      let cap = exec.getCap(slot)
      if untyped { return cap.isUntyped }
      guard case .endpoint = cap else { return false }
      return exec.occupiedSlots.contains { $0 != slot && exec.getCap($0).objectRef == cap.objectRef }
    }
    let source = try #require(shared.first)
    let empty = try #require(
      exec.allSlots.first { slot in
        exec.getCap(slot).isNull && { if case .cnode = exec.ksPSpace[slot.container] { true } else { false } }()
      })
    let cap = exec.getCap(source)
    if layer == "ExecutableSpec" {
      checker.exec.setCTE(empty, CTE(cap: cap, mdb: MDBNode(prev: nil, next: nil, revocable: true, firstBadged: true)))
    } else {
      checker.abstract.setCap(empty, cap)
      checker.abstract.isOriginalCap.insert(empty)
    }
    let full = checker.checkFull(event: nil)
    var incremental = checker
    let verdict = incremental.checkIncremental(event: nil)
    if untyped || layer == "ExecutableSpec" { #expect(full != nil, "the corruption broke nothing in \(layer)") }
    #expect(verdict == full, "incremental \(String(describing: verdict)) full \(String(describing: full))")
  }
}

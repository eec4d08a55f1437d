// The symbolic twin agrees with AbstractSpec (differential, on the states campaigns reach): the
// CDT operations give the same slots, tree and flags in both, and each twin conjunct's verdict is
// the abstract invariant table's, on clean states and on deliberately corrupted ones. This is the
// tested half of "proved on the symbolic twin, twin agrees with AbstractSpec" (docs/abstract-proofs.md).

import Foundation
import KernelABI
import Refinement
import SymbolicSpec
import TestSupport
import Testing

@testable import AbstractSpec

@Suite struct TwinAgreementTests {
  /// States seeded campaigns reach on the sample system: every 5th state of 60-step traces.
  static let reached: [AbstractState] = {
    var states: [AbstractState] = []
    for seed in UInt64(1)...UInt64(12) {
      var abstract = AbstractState(plan: .sample)
      var generator = EventGenerator(seed: seed)
      for i in 0..<60 {
        guard abstract.currentThread != KernelConstants.idleThreadPtr else { break }
        let (_, event) = generator.next(for: abstract)
        _ = abstract.step(event)
        if i % 5 == 4 { states.append(abstract) }
      }
    }
    return states
  }()

  /// A fixed-seed generator (SplitMix64) for the operations' arguments.
  struct Choices {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  /// The empty slots of the state's CNodes (the first 16 of each).
  static func emptySlots(_ state: AbstractState) -> [SlotRef] {
    let cnodes = Set(state.capsOfState.map(\.slot.container)).filter {
      if case .cnode = state.kheap[$0] { true } else { false }
    }
    return cnodes.sorted().flatMap { container in
      (0..<UInt64(16)).map { SlotRef(container, $0) }.filter { state.slotExists($0) && state.getCap($0).isNull }
    }
  }

  @Test func campaignsReachStatesWithATree() {
    #expect(Self.reached.count >= 60)
    #expect(Self.reached.contains { $0.cdt.count >= 3 })
  }

  /// cteInsert, cteMove, cteSwap and emptySlot on both layers from every reached state, with
  /// arguments the decoders could give, the twin in `domain` with `mutant` planted: how many runs
  /// were compared, and where the twin's post-state is not the abstract post-state's projection.
  /// In `Opaque` no slot id is known, so the twin reads and writes through the `select` chains a
  /// symbolic run (and so every proof) goes through; in `Concrete` it indexes directly.
  static func agreement<D: SpecDomain>(
    in domain: D, planting mutant: TwinMutant? = nil
  ) throws -> (compared: Int, differences: [String]) where D.Word == UInt64 {
    var choices = Choices(state: 16)
    var compared = 0
    var found: [String] = []
    for (n, state) in reached.enumerated() {
      let filled = state.capsOfState.map(\.slot)
      let empty = emptySlots(state)
      guard filled.count >= 2, let dest = empty.isEmpty ? nil : empty[choices.next(empty.count)] else { continue }
      for operation in ["cteInsert", "cteMove", "cteSwap", "emptySlot"] {
        var abstract = state
        var twin = TwinState(importing: state, extra: [dest], domain: domain)
        twin.plant(mutant)
        let source = filled[choices.next(filled.count)]
        var other = filled[choices.next(filled.count)]
        if other == source { other = filled.first { $0 != source } ?? other }
        let (s, o, d) = (
          try #require(twin.id(of: source)), try #require(twin.id(of: other)), try #require(twin.id(of: dest))
        )
        var newCap = state.getCap(source)
        // A Mint's badge on an unbadged endpoint or notification makes the copy original.
        if case .endpoint(let r, 0, let rights) = newCap, choices.next(2) == 0 {
          newCap = .endpoint(r, badge: 7, rights: rights)
        }
        switch operation {
        case "cteInsert":
          guard newCap != .irqControl else { continue }
          abstract.cteInsert(newCap, from: source, to: dest)
          twin.cteInsert(TwinCap(newCap), from: s, to: d)
        case "cteMove":
          abstract.cteMove(state.getCap(source), from: source, to: dest)
          twin.cteMove(TwinCap(state.getCap(source)), from: s, to: d)
        case "cteSwap":
          let (cap1, cap2) = (state.getCap(source), state.getCap(other))
          abstract.cteSwap(cap1, source, cap2, other)
          twin.cteSwap(TwinCap(cap1), s, TwinCap(cap2), o)
        default:
          abstract.emptySlot(source)
          twin.emptySlot(s)
        }
        let differences = twinRelation(abstract, twin)
        if !differences.isEmpty { found.append("state \(n) \(operation) \(source) \(other) \(dest): \(differences)") }
        compared += 1
      }
    }
    return (compared, found)
  }

  @Test func operationsAgreeOnReachedStates() throws {
    let concrete = try Self.agreement(in: Concrete())
    let opaque = try Self.agreement(in: Opaque())
    #expect(concrete.differences.isEmpty, "Concrete: \(concrete.differences.prefix(3))")
    #expect(opaque.differences.isEmpty, "Opaque: \(opaque.differences.prefix(3))")
    #expect(concrete.compared >= 200)
    #expect(opaque.compared == concrete.compared)
  }

  /// The comparison catches a twin that drifts: each planted slip shows on some reached state, in
  /// both domains.
  @Test(arguments: TwinMutant.allCases)
  func plantedSlipIsCaught(_ mutant: TwinMutant) throws {
    #expect(!(try Self.agreement(in: Concrete(), planting: mutant).differences.isEmpty), "\(mutant) drifts unnoticed")
    #expect(!(try Self.agreement(in: Opaque(), planting: mutant).differences.isEmpty), "\(mutant) drifts unnoticed")
  }

  /// `Opaque` really takes the select-chain branches: it knows no word, yet reads and writes each
  /// slot, an id outside the state and `noSlot` as `Concrete` does.
  @Test func opaqueLooksUpThroughSelects() throws {
    let state = try #require(Self.reached.first { $0.cdt.count >= 3 })
    let concrete = TwinState(importing: state)
    var opaque = TwinState(importing: state, extra: [], domain: Opaque())
    #expect(Opaque().known(0) == nil)
    for id in UInt64(0)...UInt64(concrete.count) + 1 {
      #expect(opaque.lookup(id) == concrete.lookup(id), "slot \(id)")
    }
    #expect(opaque.lookup(noSlot) == .empty)
    let last = UInt64(concrete.count - 1)
    opaque.update(last) { $0.original = 1 - $0.original }
    #expect(opaque.slots.dropLast() == concrete.slots.dropLast())
    #expect(opaque.slots.last?.original == 1 - (concrete.slots.last?.original ?? 0))
    opaque.update(UInt64(concrete.count)) { $0.original = 7 }
    #expect(!opaque.slots.contains { $0.original == 7 })
  }

  /// A full untyped region ending at 2^64 with a copy below it satisfies `untyped_inc` in both the
  /// table and the twin (its free address `base + freeIndex` wraps to 0; fullness is read from the
  /// free index), and the same pair with free memory left breaks it in both.
  @Test func untypedIncAtTheTopOfMemory() throws {
    let state = try #require(Self.reached.first { Self.emptySlots($0).count >= 2 })
    let variants = Dictionary(uniqueKeysWithValues: Self.capCorruptions(state).map { ($0.0, $0.1) })
    for (what, holds) in [
      ("full untyped at the top of memory with a copy", true),
      ("untyped at the top of memory with free memory and a copy", false),
    ] {
      let variant = try #require(variants[what])
      let table = !variant.invariantViolations().contains { $0.conjunct == "untyped_inc" }
      #expect(table == holds, "\(what): table says untyped_inc \(table)")
      #expect(TwinState(importing: variant).untypedInc() == holds, "\(what): twin disagrees")
    }
  }

  /// The twin's verdict on each conjunct is the table's (`invariantViolations`): true on every
  /// reached state, and false exactly where a corruption breaks it.
  @Test func conjunctVerdictsAreTheTables() throws {
    var corrupted = 0
    var broken: [String: Int] = [:]
    for (n, state) in Self.reached.enumerated() {
      var variants = [("clean", state)]
      let filled = state.capsOfState.map(\.slot)
      let empty = Self.emptySlots(state)
      if let slot = empty.first {
        var flagged = state
        flagged.isOriginalCap.insert(slot)
        variants.append(("empty slot marked original", flagged))
        if let child = filled.first {
          var linked = state
          linked.cdt[child] = slot
          variants.append(("link to an empty slot", linked))
        }
      }
      if filled.count >= 2 {
        var loop = state
        loop.cdt[filled[0]] = filled[1]
        loop.cdt[filled[1]] = filled[0]
        variants.append(("two-slot loop", loop))
      }
      if let (slot, _) = state.capsOfState.first(where: { AbstractState.isUntyped($0.cap) }) {
        var plain = state
        plain.isOriginalCap.remove(slot)
        variants.append(("untyped not original", plain))
      }
      if let slot = filled.last {
        var irq = state
        irq.setCap(slot, .irqControl)
        irq.isOriginalCap.remove(slot)
        variants.append(("IRQControl not original", irq))
      }
      variants += Self.capCorruptions(state)
      for (what, variant) in variants {
        let violated = Set(variant.invariantViolations().map(\.conjunct))
        Self.expectVerdicts(
          TwinState(importing: variant), violated, "state \(n), \(what), Concrete", clean: what == "clean")
        Self.expectVerdicts(
          TwinState(importing: variant, domain: Opaque()), violated, "state \(n), \(what), Opaque",
          clean: what == "clean")
        if what != "clean" { corrupted += 1 }
        for name in violated { broken[name, default: 0] += 1 }
      }
    }
    #expect(corrupted >= 100)
    // Every twin conjunct is seen broken, so each comparison above can fail both ways.
    for conjunct in TwinState<Concrete>.statedConjuncts {
      #expect(broken[conjunct.name, default: 0] >= 1, "\(conjunct.name) never broken: \(broken)")
    }
  }

  /// A reached state with an issued IRQ handler and a notification bound to its line (the IRQ
  /// node's slot filled): the table and the twin agree that `if_unsafe_then_cap` holds, the node
  /// slot being named by the line's handler cap; with that cap deleted and the node slot left
  /// filled (a forgotten deletingIRQHandler), both say it fails.
  @Test func anIRQNodeSlotIsNamedByItsLinesHandlerCap() throws {
    typealias I = InterruptTests
    var checker = LockstepChecker(plan: .sample)
    for event in [I.issue(I.line), I.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)])] {
      #expect(checker.step(event).failure == nil)
    }
    let bound = checker.abstract
    #expect(bound.getCap(bound.irqNodeSlot(I.line)) != .null)
    var forgot = bound
    let handler = S.root(I.handlerSlot)
    forgot.setCap(handler, .null)
    forgot.cdt[handler] = nil
    forgot.isOriginalCap.remove(handler)
    #expect(forgot.invariantViolations().map(\.conjunct) == ["if_unsafe_then_cap"])
    for (what, variant) in [("bound", bound), ("handler cap deleted", forgot)] {
      let violated = Set(variant.invariantViolations().map(\.conjunct))
      Self.expectVerdicts(TwinState(importing: variant), violated, "\(what), Concrete", clean: what == "bound")
      Self.expectVerdicts(
        TwinState(importing: variant, domain: Opaque()), violated, "\(what), Opaque", clean: what == "bound")
    }
  }

  /// Corruptions for the later conjuncts (`descendants_inc`, `untyped_mdb`, `untyped_inc`,
  /// `valid_caps`, `if_unsafe_then_cap`), none naming a dead object (the twin's `valid_caps` does
  /// not see liveness): an untyped cap misaligned or with its watermark past its end, a notification
  /// cap with Grant, a CNode guard wider than its guard size, a cap made the child of a cap to a
  /// different object, a cap unlinked from its untyped ancestor, an unlinked copy of an untyped cap
  /// (same region, neither derived), and a CNode whose every cap is deleted while its slots stay.
  /// Also two states at the top of memory, where the free address `base + freeIndex` of a full
  /// region wraps to 0: a full untyped of 2^47 bytes at 0xffff800000000000 with a copy below it
  /// (`untyped_inc` holds), and the same with free memory left (broken).
  static func capCorruptions(_ state: AbstractState) -> [(String, AbstractState)] {
    var variants: [(String, AbstractState)] = []
    let caps = state.capsOfState
    let empty = emptySlots(state)
    if empty.count >= 2 {
      let base: UInt64 = 0xffff_8000_0000_0000
      for (what, freeIndex) in [
        ("full untyped at the top of memory with a copy", UInt64(1) << 47),
        ("untyped at the top of memory with free memory and a copy", UInt64(1) << 46),
      ] {
        var top = state
        top.setCap(empty[0], .untyped(base: base, sizeBits: 47, isDevice: false, freeIndex: freeIndex))
        top.isOriginalCap.insert(empty[0])
        top.setCap(empty[1], .untyped(base: base, sizeBits: 47, isDevice: false, freeIndex: 0))
        top.cdt[empty[1]] = empty[0]
        variants.append((what, top))
      }
    }
    if let (slot, cap) = caps.first(where: { AbstractState.isUntyped($0.cap) }),
      case .untyped(let base, let sizeBits, let isDevice, let freeIndex) = cap
    {
      var misaligned = state
      misaligned.setCap(slot, .untyped(base: base &+ 1, sizeBits: sizeBits, isDevice: isDevice, freeIndex: freeIndex))
      variants.append(("untyped misaligned", misaligned))
      var overfull = state
      overfull.setCap(
        slot, .untyped(base: base, sizeBits: sizeBits, isDevice: isDevice, freeIndex: (UInt64(1) << sizeBits) + 1))
      variants.append(("untyped watermark past its end", overfull))
      if let empty = emptySlots(state).first {
        var copy = state
        copy.setCap(empty, cap)
        copy.isOriginalCap.insert(empty)
        variants.append(("unlinked copy of an untyped cap", copy))
      }
    }
    if let (slot, cap) = caps.first(where: { if case .notification = $0.cap { true } else { false } }),
      case .notification(let r, let badge, let rights) = cap
    {
      var granted = state
      granted.setCap(slot, .notification(r, badge: badge, rights: rights.union(.grant)))
      variants.append(("notification cap with Grant", granted))
    }
    if let (slot, cap) = caps.first(where: { if case .cnode = $0.cap { true } else { false } }),
      case .cnode(let r, let radix, let guardSize, let capGuard) = cap, guardSize < 63
    {
      var wide = state
      wide.setCap(slot, .cnode(r, radix: radix, guardSize: guardSize, guard: capGuard | (UInt64(1) << guardSize)))
      variants.append(("CNode guard wider than its guard size", wide))
    }
    let objects = caps.filter { !AbstractState.isUntyped($0.cap) && $0.cap.objectRef != nil }
    if let child = objects.first, let parent = objects.first(where: { $0.cap.objectRef != child.cap.objectRef }) {
      var misparented = state
      misparented.cdt[child.slot] = parent.slot
      variants.append(("child of a cap to another object", misparented))
    }
    if let endpoint = objects.first(where: { if case .endpoint = $0.cap { true } else { false } }),
      let ref = endpoint.cap.objectRef, let empty = emptySlots(state).first
    {
      var clash = state
      clash.setCap(empty, .notification(ref, badge: 0, rights: [.read]))
      variants.append((Self.deadObject, clash))
    }
    if let linked = objects.first(where: { state.cdt[$0.slot] != nil }) {
      var orphan = state
      orphan.cdt[linked.slot] = nil
      variants.append(("object unlinked from its ancestors", orphan))
    }
    if let cnode = caps.first(where: { if case .cnode = $0.cap { true } else { false } })?.cap.objectRef {
      var unnamed = state
      for (slot, cap) in caps where cap.objectRef == cnode && !AbstractState.isUntyped(cap) {
        unnamed.setCap(slot, .null)
        unnamed.cdt[slot] = nil
        unnamed.isOriginalCap.remove(slot)
        for (child, parent) in unnamed.cdt where parent == slot { unnamed.cdt[child] = nil }
      }
      variants.append(("a CNode no cap names", unnamed))
    }
    return variants
  }

  /// The one corruption that names a dead object (a notification cap at an endpoint's address):
  /// the table's `valid_caps` sees it and the twin's, which has no objects, does not.
  static let deadObject = "notification cap at an endpoint's address"

  /// Each twin conjunct's verdict on `twin` is the table's (`violated`).
  static func expectVerdicts<D: SpecDomain>(_ twin: TwinState<D>, _ violated: Set<String>, _ what: String, clean: Bool)
  where D.Word == UInt64 {
    // The table reports ut_revocable and irq_revocable only of a tree that passes mdb_cte_at and
    // no_mloop (`validMDB` returns early); compare them only there.
    // The same holds of the later valid_mdb conjuncts.
    let treeBroken = violated.contains("mdb_cte_at") || violated.contains("no_mloop")
    let afterTree: Set = ["ut_revocable", "irq_revocable", "descendants_inc", "untyped_mdb", "untyped_inc"]
    for conjunct in TwinState<D>.statedConjuncts {
      if treeBroken && afterTree.contains(conjunct.name) { continue }
      if what.contains(deadObject) && conjunct.name == "valid_caps" { continue }
      #expect(
        conjunct.holds(twin) == !violated.contains(conjunct.name),
        "\(what): twin says \(conjunct.name) \(conjunct.holds(twin)), table \(violated.sorted())")
    }
    if clean {
      #expect(twin.invariantsHold(), "\(what): a reached state breaks a twin conjunct")
      for conjunct in TwinState<D>.statedConjuncts {
        #expect(conjunct.holds(twin), "\(what): a reached state breaks \(conjunct.name)")
      }
    }
  }

  /// The caps the leaves are compared on (review finding 2): every cap of the reached states; caps
  /// derived from them by AbstractSpec's own `maskCapRights` and `updateCapData` with seeded words;
  /// for each untyped cap, a sub-untyped, objects inside it and one straddling its end; IRQControl
  /// with handlers; and edge cases (sizeBits 63 and 64, a region ending at 2^64).
  static let leafCaps: [Capability] = {
    var caps = Set<Capability>()
    for state in reached { for (_, cap) in state.capsOfState { caps.insert(cap) } }
    var choices = Choices(state: 99)
    for cap in caps.sorted(by: { "\($0)" < "\($1)" }) {
      let word = UInt64(choices.next(1 << 16)) | (UInt64(choices.next(4)) << 60)
      caps.insert(cap.maskCapRights(CapRights(word: word)))
      caps.insert(cap.updateCapData(preserve: false, word))
      caps.insert(cap.updateCapData(preserve: true, word & 0xFFF))
      if case .untyped(let base, let sizeBits, let isDevice, _) = cap, sizeBits >= 10 {
        let half = UInt64(1) << (sizeBits - 1)
        caps.insert(.untyped(base: base &+ half, sizeBits: sizeBits - 1, isDevice: isDevice, freeIndex: 0))
        caps.insert(.endpoint(base &+ 64, badge: 0, rights: .all))
        caps.insert(.notification(base &+ 64, badge: 5, rights: [.read]))
        caps.insert(.cnode(base, radix: 2, guardSize: 0, guard: 0))
        caps.insert(.thread(base &+ half &- 1024))
        caps.insert(.endpoint(base &+ (UInt64(1) << sizeBits) &- 8, badge: 0, rights: .all))
      }
    }
    caps.formUnion([
      .irqControl, .irqHandler(irq: 3), .irqHandler(irq: 4), .domain, .schedControl(core: 0),
      .untyped(base: 0, sizeBits: 64, isDevice: false, freeIndex: 0),
      .untyped(base: 1 << 63, sizeBits: 63, isDevice: false, freeIndex: 0),
      .untyped(base: UInt64.max - 15, sizeBits: 4, isDevice: false, freeIndex: 0),
      .endpoint(UInt64.max - 15, badge: 0, rights: .all), .notification(1 << 63, badge: 0, rights: .all),
      .notification(1 << 63, badge: 9, rights: .all), .endpoint(1 << 63, badge: 9, rights: .all),
      .schedContext(1 << 63, sizeBits: 8), .reply(1 << 63, canGrant: true),
    ])
    return caps.sorted(by: { "\($0)" < "\($1)" })
  }()

  /// Review finding 2: the twin's `sameRegionAs`, `isCapRevocable` and `shouldBeParentOf` agree
  /// with AbstractSpec's on every pair of the caps above, with every branch taken (counted).
  @Test func capabilityLeavesAgreeOnPairs() {
    var counts: [String: Int] = [:]
    var differences: [String] = []
    for a in Self.leafCaps {
      for b in Self.leafCaps {
        let (twinA, twinB) = (TwinCap(a), TwinCap(b))
        let region = a.sameRegionAs(b)
        if twinA.sameRegionAs(twinB) != region { differences.append("sameRegionAs(\(a), \(b))") }
        let revocable = AbstractState.isCapRevocable(b, source: a)
        if TwinState<Concrete>.isCapRevocable(twinB, source: twinA) != revocable {
          differences.append("isCapRevocable(\(b), source: \(a))")
        }
        counts["region \(region)", default: 0] += 1
        counts["revocable \(revocable)", default: 0] += 1
        if case .untyped = a, region, b != a { counts["untyped covers another", default: 0] += 1 }
        if case .irqControl = a, case .irqHandler = b { counts["revocable handler from IRQControl", default: 0] += 1 }
        if case .notification = b, revocable { counts["revocable notification", default: 0] += 1 }
        for (sourceOriginal, newOriginal) in [(true, false), (true, true), (false, false)] {
          let parented = AbstractState.shouldBeParentOf(
            a, sourceIsOriginal: sourceOriginal, b, newIsOriginal: newOriginal)
          let twinParented = TwinState<Concrete>.shouldBeParentOf(
            twinA, sourceIsOriginal: sourceOriginal, twinB, newIsOriginal: newOriginal)
          if twinParented != parented {
            differences.append("shouldBeParentOf(\(a), \(sourceOriginal), \(b), \(newOriginal))")
          }
          counts["parented \(parented)", default: 0] += 1
          switch a {
          case .endpoint(_, let badge, _) where badge != 0, .notification(_, let badge, _) where badge != 0:
            if region && sourceOriginal { counts["badge rule \(parented)", default: 0] += 1 }
          default: break
          }
        }
      }
    }
    #expect(differences.isEmpty, "\(differences.count) differences: \(differences.prefix(5))")
    #expect(Self.leafCaps.count >= 60)
    for branch in [
      "region true", "region false", "revocable true", "revocable false", "parented true", "parented false",
      "untyped covers another", "revocable handler from IRQControl", "revocable notification", "badge rule true",
      "badge rule false",
    ] {
      #expect(counts[branch, default: 0] >= 1, "\(branch) never taken: \(counts)")
    }
  }

  /// The twin's `maskCapRights` and `updateCapData` (Copy, Mint, Mutate and Rotate's cap changes)
  /// give AbstractSpec's caps, for every cap above and seeded words (guard sizes past the radix,
  /// every rights pattern, badges on badged and unbadged caps).
  @Test func capChangesAgree() {
    var choices = Choices(state: 5)
    var nulled = 0
    for cap in Self.leafCaps {
      for _ in 0..<8 {
        let word = UInt64(choices.next(1 << 20)) | (UInt64(choices.next(64)) << 58)
        let twin = TwinCap(cap)
        #expect(twin.maskCapRights(word) == TwinCap(cap.maskCapRights(CapRights(word: word))), "mask \(cap) \(word)")
        for preserve in [false, true] {
          let expected = cap.updateCapData(preserve: preserve, word)
          #expect(twin.updateCapData(preserve: preserve, word) == TwinCap(expected), "update \(cap) \(word)")
          if expected.isNull && !cap.isNull { nulled += 1 }
        }
      }
    }
    #expect(nulled > 0)
  }

  /// The twin's files name the operations in AbstractSpec's files' order (the mirror rule).
  @Test func twinMirrorsAbstractSpecOrder() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
    func order(_ layer: String, _ file: String, _ names: [String]) throws -> [String] {
      let text = try String(contentsOf: sources.appendingPathComponent("\(layer)/\(file)"), encoding: .utf8)
      return names.compactMap { name in text.range(of: "func \(name)(").map { (name, $0.lowerBound) } }
        .sorted { $0.1 < $1.1 }.map(\.0)
    }
    let files: [(String, [String])] = [
      (
        "CDT.swift",
        [
          "hasChildren", "ensureNoChildren", "ensureEmptySlot", "setUntypedCapAsFull", "cteInsert", "cteMove",
          "cteSwap", "renameSlots", "setOriginal", "emptySlot", "removeFromTree",
        ]
      ),
      ("CSpace.swift", ["resolveAddressBits", "lookupSlot", "lookupSlotForCNodeOp"]),
      ("CNode.swift", ["decodeCNodeInvocation", "decodeCNodeCopyOrMove", "decodeCNodeRotate", "invokeCNode"]),
      (
        "Capability.swift",
        [
          "sameRegionAs", "sameObjectAs", "maskCapRights", "updateCapData", "isCapRevocable", "deriveCap",
          "shouldBeParentOf", "badgeOf",
        ]
      ),
      ("Delete.swift", ["isFinalCapability", "cteDelete"]),
      (
        "Notification.swift",
        [
          "tcbEPAppend", "tcbEPDequeue", "sendSignal", "receiveSignal", "doNBRecvFailedTransfer", "cancelSignal",
          "bindNotification", "unbindNotification",
        ]
      ),
    ]
    for (file, names) in files {
      #expect(try order("SymbolicSpec", file, names) == names, "SymbolicSpec/\(file)")
      #expect(try order("AbstractSpec", file, names) == names, "AbstractSpec/\(file)")
    }
  }

}

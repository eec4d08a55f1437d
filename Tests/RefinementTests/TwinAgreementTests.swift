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

  /// The twin's verdict on each conjunct is the table's (`invariantViolations`): true on every
  /// reached state, and false exactly where a corruption breaks it.
  @Test func conjunctVerdictsAreTheTables() throws {
    var corrupted = 0
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
      for (what, variant) in variants {
        let violated = Set(variant.invariantViolations().map(\.conjunct))
        Self.expectVerdicts(
          TwinState(importing: variant), violated, "state \(n), \(what), Concrete", clean: what == "clean")
        Self.expectVerdicts(
          TwinState(importing: variant, domain: Opaque()), violated, "state \(n), \(what), Opaque",
          clean: what == "clean")
        if what != "clean" { corrupted += 1 }
      }
    }
    #expect(corrupted >= 100)
  }

  /// Each twin conjunct's verdict on `twin` is the table's (`violated`).
  static func expectVerdicts<D: SpecDomain>(_ twin: TwinState<D>, _ violated: Set<String>, _ what: String, clean: Bool)
  where D.Word == UInt64 {
    // The table reports ut_revocable and irq_revocable only of a tree that passes mdb_cte_at and
    // no_mloop (`validMDB` returns early); compare them only there.
    let treeBroken = violated.contains("mdb_cte_at") || violated.contains("no_mloop")
    for conjunct in TwinState<D>.conjuncts {
      if treeBroken && conjunct.name.hasSuffix("_revocable") { continue }
      #expect(
        conjunct.holds(twin) == !violated.contains(conjunct.name),
        "\(what): twin says \(conjunct.name) \(conjunct.holds(twin)), table \(violated.sorted())")
    }
    if clean { #expect(twin.invariantsHold(), "\(what): a reached state breaks a twin conjunct") }
  }

  /// The twin's CDT file names the operations in AbstractSpec's CDT file's order (the mirror rule).
  @Test func twinMirrorsAbstractSpecOrder() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
    func order(_ layer: String, _ names: [String]) throws -> [String] {
      let text = try String(contentsOf: sources.appendingPathComponent("\(layer)/CDT.swift"), encoding: .utf8)
      return names.compactMap { name in text.range(of: "func \(name)(").map { (name, $0.lowerBound) } }
        .sorted { $0.1 < $1.1 }.map(\.0)
    }
    let names = [
      "setUntypedCapAsFull", "cteInsert", "cteMove", "cteSwap", "renameSlots", "setOriginal", "emptySlot",
      "removeFromTree",
    ]
    #expect(try order("SymbolicSpec", names) == names)
    #expect(try order("AbstractSpec", names) == names)
  }
}

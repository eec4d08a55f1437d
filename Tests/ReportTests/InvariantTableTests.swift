// Each layer's invariant table (KernelABI `InvariantTable`) is the one list of its invariants: the
// full check is the fold of its checks, the catalogue reports list and the incremental check's
// declared reads are read from it. What remains to test is that each check keeps to what its
// entry declares: it reports only the names of its entry (and of the entries checked with it).
// That is tested on corrupted states of every layer, and shown able to fail by planting a wrong
// name in a test-only copy of a table.

import AbstractSpec
import ExecutableSpec
import Foundation
import KernelABI
import Refinement
import Report
import Testing

@testable import Kernel

@Suite struct InvariantTableTests {
  /// The catalogue of `layer`, as the trust report lists it.
  func catalogue(_ layer: String) -> [InvariantDefinition] {
    layerInvariantCatalogues.first { $0.layer == layer }?.invariants ?? []
  }

  /// A description of each violation whose check may not report it, for a failure message.
  func described(_ undeclared: [(check: String, violation: InvariantViolation)]) -> [String] {
    undeclared.map { "the check of \($0.check) reports \($0.violation)" }
  }

  @Test func everyTableIsWellFormed() {
    #expect(AbstractState.invariants.problems.isEmpty, "\(AbstractState.invariants.problems)")
    #expect(ExecState.invariants.problems.isEmpty, "\(ExecState.invariants.problems)")
    #expect(KernelState.invariants.problems.isEmpty, "\(KernelState.invariants.problems)")
  }

  @Test func theCataloguesAreTheTables() {
    #expect(catalogue("AbstractSpec") == AbstractState.invariants.catalogue)
    #expect(catalogue("ExecutableSpec") == ExecState.invariants.catalogue)
    #expect(catalogue("Kernel") == KernelState.invariants.catalogue)
  }

  /// The incremental checks' declarations, read from the tables, are the ones the incremental
  /// checks and `FootprintTests` were written against: the same conjuncts and reads in the same
  /// order, `untyped_mdb` twice, told apart by its reads.
  @Test func theIncrementalConjunctsAreTheTablesReads() {
    let exec: [FootprintConjunct] = [
      FootprintConjunct("valid_objs'", conjunct: "valid_cap'", reads: [.cap, .namedObject]),
      FootprintConjunct("valid_mdb'", conjunct: "valid_nullcaps", reads: [.cap, .flags, .links]),
      FootprintConjunct("valid_mdb'", conjunct: "ut_revocable'", reads: [.cap, .flags]),
      FootprintConjunct("valid_mdb'", conjunct: "no_0", reads: [.links, .neighbours]),
      FootprintConjunct("valid_mdb'", conjunct: "valid_dlist", reads: [.links, .neighbours]),
      FootprintConjunct("valid_mdb'", conjunct: "mdb_chain_0", reads: [.links]),
      FootprintConjunct("valid_mdb'", conjunct: "class_links", reads: [.cap, .links, .neighbours]),
      FootprintConjunct("valid_mdb'", conjunct: "valid_badges", reads: [.cap, .links, .neighbours]),
      FootprintConjunct("valid_mdb'", conjunct: "irq_control", reads: [.cap, .flags, .links]),
      FootprintConjunct("valid_mdb'", conjunct: "mdb_chunked", reads: [.cap, .links, .neighbours]),
      FootprintConjunct("valid_mdb'", conjunct: "untyped_mdb'", reads: [.ancestry]),
      FootprintConjunct("valid_mdb'", conjunct: "caps_contained'", reads: [.cap]),
      FootprintConjunct("valid_mdb'", conjunct: "untyped_mdb'", reads: [.region, .contents]),
      FootprintConjunct("valid_mdb'", conjunct: "untyped_inc'", reads: [.ancestry]),
      FootprintConjunct("if_live_then_nonz_cap'", reads: [.cap]),
    ]
    let abstract: [FootprintConjunct] = [
      FootprintConjunct("valid_caps", reads: [.cap, .namedObject]),
      FootprintConjunct("valid_ioc", reads: [.cap, .flags]),
      FootprintConjunct("valid_mdb", conjunct: "mdb_cte_at", reads: [.cap, .links, .neighbours]),
      FootprintConjunct("valid_mdb", conjunct: "no_mloop", reads: [.links]),
      FootprintConjunct("valid_mdb", conjunct: "descendants_inc", reads: [.cap, .links, .neighbours]),
      FootprintConjunct("valid_mdb", conjunct: "ut_revocable", reads: [.cap, .flags]),
      FootprintConjunct("valid_mdb", conjunct: "irq_revocable", reads: [.cap, .flags]),
      FootprintConjunct("valid_mdb", conjunct: "untyped_mdb", reads: [.cap, .ancestry]),
      FootprintConjunct("valid_mdb", conjunct: "untyped_mdb", reads: [.region, .contents]),
      FootprintConjunct("valid_mdb", conjunct: "untyped_inc", reads: [.cap, .ancestry]),
      FootprintConjunct("if_unsafe_then_cap", reads: [.cap]),
      FootprintConjunct("if_live_then_nonz_cap", reads: [.cap]),
      FootprintConjunct("no_cap_to_obj_with_diff_ref", reads: [.cap, .sameAddress]),
    ]
    #expect(ExecState.incrementalConjuncts == exec)
    #expect(AbstractState.incrementalConjuncts == abstract)
    #expect(KernelState.invariants.footprint.isEmpty)
  }

  /// The text of `Sources/<layer>/Invariants*.swift`.
  func invariantSources(_ layer: String) throws -> String {
    let folder = packageRoot.appendingPathComponent("Sources/\(layer)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasPrefix("Invariants") && $0.hasSuffix(".swift") }
      .sorted()
    #expect(!files.isEmpty, "no Invariants*.swift in \(folder.path)")
    return try files.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }.joined(
      separator: "\n")
  }

  /// String literals that look like l4v invariant names: lower snake case with an underscore or
  /// a trailing prime (`valid_mdb`, `no_0`, `valid_cap'`).
  func nameLiterals(in source: String) -> Set<String> {
    var names: Set<String> = []
    let pattern = /"([a-z][a-z0-9]*(?:_[a-z0-9]+)*'?)"/
    for match in source.matches(of: pattern) {
      let name = String(match.1)
      if name.contains("_") || name.hasSuffix("'") { names.insert(name) }
    }
    return names
  }

  /// A name spelled in a layer's invariant sources is one its table declares, so that a check
  /// no corrupted state below reaches cannot report a name the table lacks either.
  @Test(arguments: ["AbstractSpec", "ExecutableSpec", "Kernel"])
  func everyNameInTheChecksIsInTheTable(_ layer: String) throws {
    let declared = Set(catalogue(layer).flatMap { [$0.name] + $0.conjuncts })
    let used = nameLiterals(in: try invariantSources(layer))
    #expect(used.count >= catalogue(layer).count, "\(layer): found only \(used.sorted()) in the checks")
    #expect(
      used.subtracting(declared).isEmpty,
      "\(layer): names in the checks but not in the table: \(used.subtracting(declared).sorted())")
  }

  // MARK: - Corrupted states: each check reports only what its entry declares

  /// Abstract states each with one invariant broken.
  func corruptedAbstractStates() -> [AbstractState] {
    let sample = AbstractState(plan: .sample)
    let endpoint = sample.kheap.first { $0.value == .endpoint(Endpoint()) }?.key ?? 0
    var misaligned = sample
    misaligned.kheap[endpoint &+ 8] = .endpoint(Endpoint())
    var outside = sample
    outside.kheap[0x7FFF_0000_0000] = .notification(Notification())
    var loop = sample
    let slots = sample.capsOfState.map(\.slot).sorted()
    if slots.count >= 2 {
      loop.cdt[slots[0]] = slots[1]
      loop.cdt[slots[1]] = slots[0]
    }
    var notThread = sample
    notThread.currentThread = endpoint
    var emptyOriginal = sample
    emptyOriginal.isOriginalCap.insert(SlotRef(slots.first?.container ?? 0, 250))
    return [misaligned, outside, loop, notThread, emptyOriginal]
  }

  /// Executable states each with one invariant broken.
  func corruptedExecutableStates() -> [ExecState] {
    let sample = ExecState(plan: .sample)
    let occupied = sample.occupiedSlots
    let endpoint = sample.ksPSpace.first { $0.value == .endpoint(.idleEP) }?.key ?? 0
    var misaligned = sample
    misaligned.ksPSpace[endpoint &+ 8] = .endpoint(.idleEP)
    var notThread = sample
    notThread.ksCurThread = endpoint
    var badLinks = sample
    if let first = occupied.first, case .cnode(var node)? = badLinks.ksPSpace[first.container] {
      node.ctes[Int(first.index)].mdb.prev = SlotRef(0xdead_0000, 0)
      if let empty = node.ctes.indices.first(where: { node.ctes[$0] == .null }) {
        node.ctes[empty].mdb.next = first
      }
      badLinks.ksPSpace[first.container] = .cnode(node)
    }
    return [misaligned, notThread, badLinks]
  }

  /// Kernel states each with one invariant broken in memory.
  func corruptedKernelStates() -> [KernelState] {
    let sample = KernelState(plan: .sample)
    let cnodes = sample.objects.filter { if case .cnode = $0.value { true } else { false } }.map(\.key).sorted()
    guard let root = cnodes.first else {
      Issue.record("the sample has no CNode")
      return []
    }
    var badCap = sample
    badCap.store(root &+ 200 * 32, UInt64(1) << 59)
    var badLink = sample
    badLink.store(root &+ 3 * 32 &+ 16, 0x1F_0000)
    var emptyLinked = sample
    emptyLinked.store(root &+ 200 * 32 &+ 16, root &+ 3 * 32)
    var outside = sample
    outside.objects[0x40_0000] = .endpoint
    var notThread = sample
    notThread.ksCurThread = cnodes.first ?? 0
    return [badCap, badLink, emptyLinked, outside, notThread]
  }

  @Test func abstractChecksReportOnlyTheirEntries() {
    let states = corruptedAbstractStates()
    let reported = states.flatMap { $0.invariantViolations() }
    #expect(Set(reported.map(\.invariant)).count >= 4, "\(reported)")
    let undeclared = states.flatMap { AbstractState.invariants.undeclaredViolations(of: .init($0)) }
    #expect(undeclared.isEmpty, "\(described(undeclared))")
  }

  @Test func executableChecksReportOnlyTheirEntries() {
    let states = corruptedExecutableStates()
    let reported = states.flatMap { $0.invariantViolations() }
    #expect(Set(reported.map(\.conjunct)).count >= 3, "\(reported)")
    let undeclared = states.flatMap { ExecState.invariants.undeclaredViolations(of: $0) }
    #expect(undeclared.isEmpty, "\(described(undeclared))")
  }

  @Test func kernelChecksReportOnlyTheirEntries() {
    let states = corruptedKernelStates()
    let reported = states.flatMap { $0.invariantViolations() }
    #expect(Set(reported.map(\.conjunct)).count >= 4, "\(reported)")
    let undeclared = states.flatMap { KernelState.invariants.undeclaredViolations(of: $0) }
    #expect(undeclared.isEmpty, "\(described(undeclared))")
  }

  // MARK: - The test can fail

  /// `table` with the entry named `name` replaced by `change` of it.
  func planted(
    _ table: InvariantTable<KernelState>, _ name: String,
    _ change: (Invariant<KernelState>) -> Invariant<KernelState>
  ) -> InvariantTable<KernelState> {
    InvariantTable(table.entries.map { $0.name == name ? change($0) : $0 })
  }

  @Test func aCheckReportingAWrongNameIsCaught() {
    // The slot check misspells a conjunct of `valid_mdb'`.
    let misspelt = planted(KernelState.invariants, "valid_objs'") { entry in
      guard case .own(let check) = entry.check else { return entry }
      return Invariant(
        entry.name, reads: entry.reads, conjuncts: entry.conjuncts, entry.summary,
        .own { state in
          check(state).map { v in
            v.conjunct == "valid_nullcaps"
              ? InvariantViolation(v.invariant, conjunct: "valid_nullcap", v.explanation) : v
          }
        })
    }
    let states = corruptedKernelStates()
    let caught = states.flatMap { misspelt.undeclaredViolations(of: $0) }
    #expect(caught.map(\.violation.conjunct) == ["valid_nullcap"], "\(described(caught))")
    #expect(misspelt.problems.isEmpty)
    // The fold is unchanged but for the name: the table, not the check, was wrong.
    #expect(states.map { misspelt.violations(of: $0).count } == states.map { $0.invariantViolations().count })
  }

  @Test func aCheckReportingAnotherEntrysNameIsCaught() {
    // `valid_mdb'` claims a check of its own (finding nothing), so the slot check may no longer
    // report it.
    let detached = planted(KernelState.invariants, "valid_mdb'") { entry in
      Invariant(entry.name, reads: entry.reads, conjuncts: entry.conjuncts, entry.summary, .own { _ in [] })
    }
    let caught = corruptedKernelStates().flatMap { detached.undeclaredViolations(of: $0) }
    #expect(!caught.isEmpty)
    #expect(caught.allSatisfy { $0.check == "valid_objs'" && $0.violation.invariant == "valid_mdb'" })
    // An entry checked with one that has no check is a problem of the table.
    let orphaned = planted(KernelState.invariants, "valid_objs'") { entry in
      Invariant(entry.name, reads: entry.reads, conjuncts: entry.conjuncts, entry.summary, .checkedWith("cur_tcb"))
    }
    #expect(orphaned.problems.count == 2, "\(orphaned.problems)")
  }

  // MARK: - Campaigns

  @Test func invariantFailuresOfPlantedBugCampaignsAreCatalogued() {
    for bug in PlantedBug.allCases {
      let report = smallCampaign(bug: bug, traces: 4, steps: 100)
      for v in report.violations where v.failure.kind == .invariant {
        let layer = v.failure.layer ?? ""
        let name = v.failure.name
        let known = catalogue(layer).contains { d in
          name == d.name || d.conjuncts.contains { name == "\(d.name).\($0)" }
        }
        #expect(known, "\(bug): \(layer) \(name) is not in the catalogue")
      }
    }
  }
}

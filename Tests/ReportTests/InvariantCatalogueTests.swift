// The invariant catalogues the trust report lists must match what the invariant checks can
// actually report: every name a check can produce is in its layer's catalogue, and every name in a
// catalogue is one the layer's checks use.

import AbstractSpec
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import Refinement
import Report
import Testing

@Suite struct InvariantCatalogueTests {
  /// The catalogue of `layer`.
  func catalogue(_ layer: String) -> [InvariantDefinition] {
    layerInvariantCatalogues.first { $0.layer == layer }?.invariants ?? []
  }

  /// Violations that no catalogue entry of `layer` accounts for.
  func unaccounted(_ violations: [InvariantViolation], in layer: String) -> [InvariantViolation] {
    violations.filter { v in !catalogue(layer).contains { $0.accounts(for: v) } }
  }

  /// The text of `Sources/<layer>/Invariants*.swift`, the catalogue file left out.
  func invariantSources(_ layer: String) throws -> String {
    let folder = packageRoot.appendingPathComponent("Sources/\(layer)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0.hasPrefix("Invariants") && $0.hasSuffix(".swift") && $0 != "Invariants+Catalogue.swift" }
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

  @Test(arguments: ["AbstractSpec", "ExecutableSpec", "Kernel"])
  func catalogueMatchesTheNamesInTheChecks(_ layer: String) throws {
    let source = try invariantSources(layer)
    let listed = Set(catalogue(layer).flatMap { [$0.name] + $0.conjuncts })
    // Every name the checks spell out is catalogued ...
    let used = nameLiterals(in: source)
    #expect(used.count >= catalogue(layer).count, "\(layer): found only \(used.sorted()) in the checks")
    #expect(
      used.subtracting(listed).isEmpty,
      "\(layer): names in the checks but not in the catalogue: \(used.subtracting(listed).sorted())")
    // ... and every catalogued name is spelled out by some check.
    let unused = listed.filter { !source.contains("\"\($0)\"") }
    #expect(unused.isEmpty, "\(layer): catalogued but never reported: \(unused.sorted())")
    #expect(Set(catalogue(layer).map(\.name)).count == catalogue(layer).count, "duplicate invariant in \(layer)")
  }

  @Test func corruptedAbstractStatesReportOnlyCataloguedNames() {
    let sample = AbstractState(plan: .sample)
    var reported: [InvariantViolation] = []
    let endpoint = sample.kheap.first { $0.value == .endpoint }?.key ?? 0
    var misaligned = sample
    misaligned.kheap[endpoint &+ 8] = .endpoint
    var outside = sample
    outside.kheap[0x7FFF_0000_0000] = .notification
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
    for state in [misaligned, outside, loop, notThread, emptyOriginal] { reported += state.invariantViolations() }
    #expect(Set(reported.map(\.invariant)).count >= 4, "\(reported)")
    #expect(unaccounted(reported, in: "AbstractSpec").isEmpty, "\(unaccounted(reported, in: "AbstractSpec"))")
  }

  @Test func corruptedExecutableStatesReportOnlyCataloguedNames() {
    let sample = ExecState(plan: .sample)
    var reported: [InvariantViolation] = []
    let occupied = sample.occupiedSlots
    let endpoint = sample.ksPSpace.first { $0.value == .endpoint }?.key ?? 0
    var misaligned = sample
    misaligned.ksPSpace[endpoint &+ 8] = .endpoint
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
    for state in [misaligned, notThread, badLinks] { reported += state.invariantViolations() }
    #expect(Set(reported.map(\.conjunct)).count >= 3, "\(reported)")
    #expect(unaccounted(reported, in: "ExecutableSpec").isEmpty, "\(unaccounted(reported, in: "ExecutableSpec"))")
  }

  @Test func corruptedKernelMemoryReportsOnlyCataloguedNames() {
    let sample = KernelState(plan: .sample)
    var reported: [InvariantViolation] = []
    let cnodes = sample.objects.filter { if case .cnode = $0.value { true } else { false } }.map(\.key).sorted()
    guard let root = cnodes.first else {
      Issue.record("the sample has no CNode")
      return
    }
    var badCap = sample
    badCap.store(root &+ 200 * 32, UInt64(1) << 59)
    var badLink = sample
    badLink.store(root &+ 3 * 32 &+ 16, 0x1F_0000)
    var emptyLinked = sample
    emptyLinked.store(root &+ 200 * 32 &+ 16, root &+ 3 * 32)
    for state in [badCap, badLink, emptyLinked] { reported += state.invariantViolations() }
    #expect(Set(reported.map(\.conjunct)).count >= 2, "\(reported)")
    #expect(unaccounted(reported, in: "Kernel").isEmpty, "\(unaccounted(reported, in: "Kernel"))")
  }

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

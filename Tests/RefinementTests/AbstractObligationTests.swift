// The abstract-invariant obligations (`abstract.<op>.preserves.<conjunct>`): all proved for the
// twin's code, each planted slip in the twin refuted by the obligation it names, and a refutation's
// counterexample, read back into a concrete twin state, really breaks the conjunct when the
// mutated operation runs on it.

import AbstractSpec
import Bitwise
import Foundation
import KernelABI
import Refinement
import SMT
import SymbolicSpec
import Testing

@Suite struct AbstractObligationTests {
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  @Test func everyOperationPreservesEveryConjunct() {
    let obligations = Obligation.abstractInvariants()
    #expect(obligations.count == TwinOperation.cdtCore.count * TwinState<Concrete>.conjuncts.count)
    for r in discharger.discharge(obligations) {
      #expect(r.status == .proved, "\(r.name): \(r.status) \(r.detail ?? "") \(r.counterexample ?? [])")
    }
  }

  @Test func namesFollowThePatternAndConjunctsAreTheTables() {
    let names = Obligation.abstractInvariants().map(\.name)
    #expect(Set(names).count == names.count)
    let tableNames = Set(AbstractState.invariantCatalogue.flatMap { [$0.name] + $0.conjuncts })
    for conjunct in TwinState<Concrete>.conjuncts {
      #expect(tableNames.contains(conjunct.name), "\(conjunct.name) is not in the abstract invariant table")
      #expect(tableNames.contains(conjunct.invariant))
    }
    for operation in TwinOperation.cdtCore {
      for conjunct in TwinState<Concrete>.conjuncts {
        #expect(names.contains("abstract.\(operation.name).preserves.\(conjunct.name)"))
      }
    }
  }

  /// The bound goes into the SMT-LIB2 header of a bounded obligation (and no other: the kernel's
  /// hashes stay as recorded), and each query stays small.
  @Test func boundInTheHeaderAndQueriesSmall() throws {
    for obligation in Obligation.abstractInvariants() {
      let text = try Discharger.smtFile(of: obligation)
      #expect(text.contains("; bound: for every state of shape (1 CNode × 4 slots)"))
      #expect(text.utf8.count < 100_000, "\(obligation.name): \(text.utf8.count) bytes")
    }
    let kernel = try #require(Obligation.notificationBadge().first)
    #expect(try !Discharger.smtFile(of: kernel).contains("; bound:"))
  }

  /// Each realistic slip refutes the obligation it names; the counterexample is a pre-state
  /// satisfying every twin conjunct on which the slipped operation breaks that conjunct, and on
  /// which the twin's own code keeps it.
  @Test(arguments: TwinMutant.allCases)
  func mutantIsRefutedWithARealCounterexample(_ mutant: TwinMutant) throws {
    let obligation = try #require(Obligation.abstractInvariants(mutant: mutant).first { $0.name == mutant.refutes })
    let result = discharger.discharge(obligation)
    #expect(result.status == .refuted, "\(mutant): \(result.status) \(result.detail ?? "")")
    let values = Dictionary(uniqueKeysWithValues: (result.counterexample ?? []).map { ($0.name, $0.value) })
    try #require(!values.isEmpty, "\(mutant): the refutation carries no model values to replay")
    let parts = mutant.refutes.split(separator: ".")
    let (operation, conjunctName) = (String(parts[1]), String(parts[3]))
    try Self.replay(mutant, operation, conjunctName, values, in: Concrete())
    // Opaque knows no slot id, so the replay also runs the select chains the proof was built from.
    try Self.replay(mutant, operation, conjunctName, values, in: Opaque())
  }

  /// An event slip also refutes the further obligations it names (`alsoRefutes`), so those are not
  /// refuted by the post-state havoc alone.
  @Test func eventSlipsRefuteTheirFurtherObligations() {
    let pairs = TwinEventMutant.allCases.flatMap { mutant in
      Obligation.abstractEvents(eventMutant: mutant).filter { mutant.alsoRefutes.contains($0.name) }.map {
        (mutant, $0)
      }
    }
    #expect(pairs.count == TwinEventMutant.allCases.map(\.alsoRefutes.count).reduce(0, +))
    #expect(!pairs.isEmpty)
    for ((mutant, _), r) in zip(pairs, discharger.discharge(pairs.map(\.1))) {
      #expect(r.status == .refuted, "\(mutant): \(r.name) \(r.status) \(r.detail ?? "")")
    }
  }

  /// The counterexample `values` read back into a twin state in `domain`: it satisfies every
  /// conjunct, `mutant` breaks `conjunctName` with `operation`, the twin's own code keeps it.
  static func replay<D: SpecDomain>(
    _ mutant: TwinMutant, _ operation: String, _ conjunctName: String, _ values: [String: UInt64], in domain: D
  ) throws where D.Word == UInt64 {
    let conjunct = try #require(TwinState<D>.conjuncts.first { $0.name == conjunctName })
    let pre = TwinState(domain: domain, slotRefs: AbstractShape.default.slotRefs) {
      values["pre.\($0)", default: 0]
    }
    #expect(
      pre.typeOK() && pre.hypothesesHold(for: conjunctName), "\(mutant): the decoded pre-state breaks the hypotheses")
    var mutated = pre
    mutated.plant(mutant)
    Self.run(operation, on: &mutated, values)
    #expect(!conjunct.holds(mutated), "\(mutant) in \(D.self): \(conjunctName) holds after the mutated \(operation)")
    var correct = pre
    Self.run(operation, on: &correct, values)
    #expect(conjunct.holds(correct), "\(mutant) in \(D.self): \(conjunctName) fails after the twin's own \(operation)")
  }

  /// Run `operation` with the arguments a counterexample gives.
  static func run<D: SpecDomain>(_ operation: String, on state: inout TwinState<D>, _ values: [String: UInt64])
  where D.Word == UInt64 {
    func word(_ name: String) -> UInt64 { values[name, default: 0] }
    func cap(_ name: String) -> TwinCap<UInt64> {
      TwinCap(
        tag: word("\(name).tag"), ref: word("\(name).ref"), w1: word("\(name).w1"), w2: word("\(name).w2"),
        w3: word("\(name).w3"))
    }
    switch operation {
    case "cteInsert": state.cteInsert(cap("arg.newCap"), from: word("arg.source"), to: word("arg.dest"))
    case "cteMove": state.cteMove(cap("arg.newCap"), from: word("arg.source"), to: word("arg.dest"))
    case "cteSwap": state.cteSwap(cap("arg.cap1"), word("arg.slot1"), cap("arg.cap2"), word("arg.slot2"))
    default: state.emptySlot(word("arg.slot"))
    }
  }
}

@Suite struct AbstractWitnessTests {
  /// Review finding 6: each operation's hypotheses admit a non-trivial pre-state (an untyped cap
  /// with a child, an IRQControl cap, an empty slot), so the obligations are not proved only of
  /// empty or unlinked CSpaces.
  @Test func hypothesesAdmitLinkedTrees() {
    let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)
    let witnesses = Obligation.abstractWitnesses()
    #expect(witnesses.count == TwinOperation.cdtCore.count)
    for r in discharger.discharge(witnesses) {
      #expect(r.status == .refuted, "\(r.name): \(r.status) \(r.detail ?? "")")
      let values = Dictionary(uniqueKeysWithValues: (r.counterexample ?? []).map { ($0.name, $0.value) })
      #expect(values["pre.s1.parent"] == 0, "\(r.name): \(values)")
    }
  }
}

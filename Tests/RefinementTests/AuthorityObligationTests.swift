// Issue 16: integrity and authority confinement of the CNode events, for every state of the shape
// (`abstract.<event>.integrity`, `abstract.<event>.authorityConfinement`). A slip that writes
// outside the invoker's authority turns the matching obligation refuted, and the counterexample,
// replayed on the concrete twin, breaks the property with the slip and keeps it without.

import Refinement
import SMT
import SymbolicSpec
import Testing

@Suite struct AuthorityObligationTests {
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  @Test func everyEventHasBothProperties() {
    let names = Obligation.abstractAuthority().map(\.name)
    let expected = ["integrity", "authorityConfinement"].flatMap { property in
      TwinEvent.cnodeEvents.map { "abstract.\($0.name).\(property)" }
    }
    #expect(names == expected)
    #expect(Set(Obligation.catalogue.map(\.name)).isSuperset(of: expected))
    // Every authority slip names one of them, and both properties have one.
    let slips = TwinEventMutant.allCases.filter(\.isAuthoritySlip)
    #expect(Set(slips.map(\.refutes)).isSubset(of: Set(expected)))
    #expect(Set(slips.map { $0.refutes.split(separator: ".")[2] }) == ["integrity", "authorityConfinement"])
  }

  @Test(arguments: TwinEventMutant.allCases.filter(\.isAuthoritySlip))
  func authoritySlipIsRefutedAndReplays(_ mutant: TwinEventMutant) throws {
    let obligation = try #require(
      Obligation.abstractAuthority(eventMutant: mutant).first { $0.name == mutant.refutes })
    let result = discharger.discharge(obligation)
    try #require(result.status == .refuted, "\(mutant): \(result.status) \(result.detail ?? "")")
    let values = Dictionary((result.counterexample ?? []).map { ($0.name, $0.value) }) { first, _ in first }
    let parts = mutant.refutes.split(separator: ".").map(String.init)
    let event = try #require(TwinEvent.cnodeEvents.first { $0.name == parts[1] })
    let shape = AbstractShape.default
    let pre = TwinState(domain: Concrete(), slotRefs: shape.slotRefs) { values["pre.\($0)", default: 0] }
    #expect(pre.typeOK(), "\(mutant): the counterexample's pre-state is not well typed")
    let invoked = values["arg.invoked", default: 0]
    let extraCapSlots = event.extraCaps.map { values["arg.\($0)", default: 0] }
    let registers = event.registers.map { values["arg.\($0)", default: 0] }
    func run(_ planted: TwinEventMutant?) -> TwinState<Concrete> {
      var state = pre
      state.plant(planted)
      state.maxWalkLevels = TwinEvent.walkLevels
      _ = state.invokeCap(invoked, label: event.label.rawValue, registers: registers, extraCapSlots: extraCapSlots)
      return state
    }
    let named = Obligation.namedSlots(
      event, invoked: invoked, extraCapSlots: extraCapSlots, registers: registers, pre, shape)
    func holds(_ post: TwinState<Concrete>) -> Bool {
      parts[2] == "integrity"
        ? Obligation.integrity(pre: pre, post: post, named: named)
        : Obligation.authorityConfined(pre: pre, post: post, named: named)
    }
    #expect(!holds(run(mutant)), "\(mutant): the slipped run keeps \(parts[2]) on the counterexample")
    #expect(holds(run(nil)), "\(mutant): the twin's own code breaks \(parts[2]) on the counterexample")
  }

  /// The confinement order on caps: derivation may drop rights and badge an unbadged cap, never
  /// add a right, rebadge, or change the object.
  @Test func dominanceOnlyDiminishes() {
    let endpoint = TwinCap<UInt64>(tag: TwinCapTag.endpoint.rawValue, ref: 0x1000, w1: 0, w2: 0b0011)
    var fewer = endpoint
    fewer.w2 = 0b0001
    var more = endpoint
    more.w2 = 0b0111
    var badged = endpoint
    badged.w1 = 7
    var rebadged = badged
    rebadged.w1 = 8
    var elsewhere = endpoint
    elsewhere.ref = 0x2000
    #expect(Obligation.dominates(endpoint, endpoint))
    #expect(Obligation.dominates(endpoint, fewer))
    #expect(Obligation.dominates(endpoint, badged))
    #expect(!Obligation.dominates(endpoint, more))
    #expect(!Obligation.dominates(badged, rebadged))
    #expect(!Obligation.dominates(endpoint, elsewhere))
    #expect(!Obligation.dominates(fewer, endpoint))
  }
}

// Issue 16: a slip in an abstract CNode operation turns the matching event obligation refuted, and
// the counterexample, decoded into an abstract pre-state and event and written as a scenario,
// replays the failure: the script passes on the three correct layers and fails with the same slip
// planted in AbstractSpec (`AbstractSlip`). Each slip is a value planted in one state's seams (the
// twin's for the proof, AbstractSpec's for the scenario run), so no other test runs it.

import AbstractSpec
import Refinement
import SMT
import Scenario
import SymbolicSpec
import Testing

@Suite struct RefutationScenarioTests {
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  @Test func everyEventHasASlipOfItsOwnAndFiveConjunctsAreCovered() {
    let names = TwinEventMutant.invariantSlips.map(\.refutes)
    let events = Set(names.map { $0.split(separator: ".")[1] })
    let conjuncts = Set(names.map { $0.split(separator: ".")[3] })
    #expect(events.count == TwinEvent.cnodeEvents.count)
    #expect(conjuncts.count >= 5)
    #expect(Set(TwinEventMutant.invariantSlips.map(\.rawValue)) == Set(AbstractSlip.allCases.map(\.rawValue)))
  }

  @Test(arguments: TwinEventMutant.invariantSlips)
  func slipIsRefutedAndItsScenarioReproducesIt(_ mutant: TwinEventMutant) throws {
    let obligation = try #require(Obligation.abstractEvents(eventMutant: mutant).first { $0.name == mutant.refutes })
    // Refuted as it stands, and again within the family of pre-states capDL builds.
    let raw = discharger.discharge(obligation)
    #expect(raw.status == .refuted, "\(mutant): \(raw.status) \(raw.detail ?? "")")
    let result = discharger.discharge(Obligation.constructible(obligation))
    try #require(result.status == .refuted, "\(mutant): \(result.status) \(result.detail ?? "")")
    let values = Dictionary((result.counterexample ?? []).map { ($0.name, $0.value) }) { first, _ in first }
    let counterexample = try #require(AbstractCounterexample(obligation: mutant.refutes, values: values))
    #expect(counterexample.isConstructible)
    #expect(
      counterexample.pre.typeOK() && counterexample.pre.hypothesesHold(for: counterexample.conjunct),
      "\(mutant): pre-state breaks a hypothesis")
    // The decoded event breaks the conjunct with the slip and keeps it without.
    let slipped = AbstractCounterexample.failingClauses(
      counterexample.conjunct, counterexample.run(planting: mutant).post)
    #expect(!slipped.isEmpty, "\(mutant): \(counterexample.report(planting: mutant))")
    #expect(AbstractCounterexample.failingClauses(counterexample.conjunct, counterexample.run().post).isEmpty)
    #expect(counterexample.report(planting: mutant).contains("smallest failing clause: \(counterexample.conjunct)"))
    // The scenario parses, passes on the correct layers, fails with the slip in AbstractSpec.
    let text = try #require(counterexample.scenario(planting: mutant))
    let loaded = try LoadedScenario.load(text: text, file: "\(mutant.rawValue).scenario")
    let correct = loaded.run()
    #expect(correct.passed, "\(mutant): \(correct.message ?? "")\n\(text)")
    let slip = try #require(AbstractSlip(rawValue: mutant.rawValue))
    let reproduced = loaded.run(plantingAbstractSlip: slip)
    #expect(!reproduced.passed, "\(mutant): the scenario passes with the slip planted\n\(text)")

    // AbstractSpec alone, with the slip, breaks the very conjunct the obligation names (the
    // lockstep run above stops at the first disagreement between the layers, before it).
    let step = try #require(text.split(separator: "\n").first { $0.hasPrefix("t: ") }.map(String.init))
    var resolver = StatementResolver(plan: loaded.plan, names: loaded.names)
    let resolved = try resolver.resolve(StatementResolver.parse(step), in: LockstepChecker(plan: loaded.plan)).get()
    guard case .event(let event) = resolved else { throw ResolveFailed() }
    var abstract = AbstractState(plan: loaded.plan)
    abstract.plantedSlip = slip
    _ = abstract.step(event)
    let broken = abstract.invariantViolations().map(\.conjunct)
    #expect(broken.contains(counterexample.conjunct), "\(mutant): AbstractSpec breaks \(broken)")
    // The same slip planted in the lockstep checker's twin (and nowhere else) is caught there as a
    // `twin` failure on this event, without trapping; the other layers agree.
    var checker = LockstepChecker(plan: loaded.plan)
    checker.plantInTwin(mutant)
    let twinFailure = try #require(checker.step(event).failure, "\(mutant): the twin's slip passes the lockstep step")
    #expect(twinFailure.kind == .twin, "\(mutant): \(twinFailure)")
    var correctAbstract = AbstractState(plan: loaded.plan)
    _ = correctAbstract.step(event)
    #expect(correctAbstract.invariantViolations().isEmpty)
  }

  struct ResolveFailed: Error {}

  /// A slip planted in one scenario run stays there: the same loaded scenario run again without it
  /// passes, and a state the slip was never planted in runs the spec's code.
  @Test func aPlantedSlipStaysInItsRun() throws {
    let mutant = TwinEventMutant.copySkipsEnsureEmpty
    let obligation = try #require(Obligation.abstractEvents(eventMutant: mutant).first { $0.name == mutant.refutes })
    let result = discharger.discharge(Obligation.constructible(obligation))
    let values = Dictionary((result.counterexample ?? []).map { ($0.name, $0.value) }) { first, _ in first }
    let counterexample = try #require(AbstractCounterexample(obligation: mutant.refutes, values: values))
    let loaded = try LoadedScenario.load(text: try #require(counterexample.scenario(planting: mutant)), file: "x")
    #expect(!loaded.run(plantingAbstractSlip: .copySkipsEnsureEmpty).passed)
    #expect(loaded.run().passed)
  }
}

// The notification obligations (`abstract.<event>.preserves.<conjunct>` for Signal, Wait, Poll,
// BindNotification, UnbindNotification and Suspend): all proved for the twin's code, each object conjunct in
// at least one, each planted slip refuted by the obligation it names, every post-state havoc
// refuted, and the hypotheses of every event satisfiable by a state with a waiter or a bound thread.

import AbstractSpec
import Refinement
import SMT
import SymbolicSpec
import Testing

@Suite struct NotificationObligationTests {
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  @Test func everyEventPreservesTheConjunctsItWrites() {
    let obligations = Obligation.abstractNotifications()
    #expect(obligations.count == 26)
    let names = Set(obligations.map(\.name))
    #expect(names.count == obligations.count)
    // Every object conjunct appears, and each is a conjunct of the abstract invariant table.
    let tableNames = Set(AbstractState.invariantCatalogue.flatMap { [$0.name] + $0.conjuncts })
    for conjunct in TwinState<Concrete>.objectConjuncts {
      #expect(names.contains { $0.hasSuffix(".preserves.\(conjunct.name)") }, "\(conjunct.name) in no obligation")
      #expect(tableNames.contains(conjunct.name), "\(conjunct.name) is not in the abstract invariant table")
    }
    for r in discharger.discharge(obligations) {
      #expect(r.status == .proved, "\(r.name): \(r.status) \(r.detail ?? "") \(r.counterexample ?? [])")
    }
  }

  @Test(arguments: TwinObjectMutant.allCases)
  func slipIsRefuted(_ mutant: TwinObjectMutant) throws {
    let obligation = try #require(Obligation.abstractNotifications(mutant: mutant).first { $0.name == mutant.refutes })
    let result = discharger.discharge(obligation)
    #expect(result.status == .refuted, "\(mutant): \(result.status) \(result.detail ?? "")")
    #expect(!(result.counterexample ?? []).isEmpty)
  }

  @Test func havocRefutesEveryObligation() {
    for r in discharger.discharge(Obligation.abstractNotifications(havoc: true)) {
      #expect(r.status == .refuted, "\(r.name): \(r.status) \(r.detail ?? "")")
    }
  }

  /// The goal of each witness is false: `refuted` shows the hypotheses admit the state it describes.
  @Test func hypothesesAdmitWaitersAndBoundThreads() {
    let witnesses = Obligation.abstractNotificationWitnesses()
    #expect(witnesses.count == TwinNotificationEvent.notificationEvents.count)
    for r in discharger.discharge(witnesses) {
      #expect(r.status == .refuted, "\(r.name): \(r.status) \(r.detail ?? "")")
    }
  }
}

// SchedControl_ConfigureFlags in the abstract spec (`AbstractSpec/SchedControl.swift`): the
// decoding checks in seL4's order (each failing alone, and with the next one also failing), round
// robin and sporadic configurations, a running context reconfigured (`refill_update`), the badge
// and the sporadic flag, and the refills each leaves: the cases are TestSupport's
// `ConfigureFlagsCases`, shared by the three layers, each read here as this layer holds it. No
// time passes, so every refill starts at 0.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedControlTests {
  /// What the shared cases read (`ConfigureFlagsCases`): the abstract scheduling context's list
  /// of live refills and its fields, the current thread, the ready queues.
  func read(_ k: AbstractState) -> SchedControlReading {
    SchedControlReading(
      context: { sc in
        k.schedContext(at: sc).map {
          ConfiguredContext(
            refills: $0.refills, period: $0.period, refillMax: $0.refillMax, badge: $0.badge, sporadic: $0.sporadic)
        }
      }, currentThread: k.currentThread, readyQueues: k.readyQueues, isQueued: k.isQueued)
  }

  @Test(arguments: ConfigureFlagsChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { ConfigureFlagsChecks.expectFailsAlone(.abstract, index) }

  @Test(arguments: ConfigureFlagsChecks.checks.indices.dropLast())
  func eachCheckComesBeforeTheNext(_ index: Int) { ConfigureFlagsChecks.expectComesBeforeTheNext(.abstract, index) }

  @Test func theSmallestContextTakesNoExtraRefill() {
    ConfigureFlagsChecks.expectTheSmallestContextTakesNoExtraRefill(.abstract)
  }

  @Test(arguments: ConfigureFlagsCases.cases)
  func configures(_ testCase: ConfigureFlagsCases.Case) {
    ConfigureFlagsCases.run(testCase, from: AbstractState(plan: .sampleWithSpareSC), step: { $0.run($1) }, read: read)
  }
}

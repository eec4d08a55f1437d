// SchedControl_ConfigureFlags in the executable spec (`ExecutableSpec/SchedControl.swift`): the
// decoding checks in seL4's order (each failing alone, and with the next one also failing), round
// robin and sporadic configurations, a running context reconfigured (`refill_update`), the badge
// and the sporadic flag, and the refills each leaves: the cases are TestSupport's
// `ConfigureFlagsCases`, shared by the three layers, each read here as this layer holds it. No
// time passes, so every refill starts at 0.

import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedControlTests {
  /// What the shared cases read (`ConfigureFlagsCases`): each scheduling context's fields, its
  /// refills the buffer's live window; the current thread, the ready queues, `tcbQueued`.
  func read(_ k: ExecState) -> SchedControlReading {
    SchedControlReading(
      context: { sc in
        k.schedContext(at: sc).map {
          ConfiguredContext(
            refills: $0.refillBuffer.liveRefills, period: $0.scPeriod, refillMax: $0.refillMax, badge: $0.scBadge,
            sporadic: $0.scSporadic)
        }
      }, currentThread: k.ksCurThread, readyQueues: k.ksReadyQueues,
      isQueued: { k.tcb(at: $0)?.tcbQueued == true })
  }

  @Test(arguments: ConfigureFlagsChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { ConfigureFlagsChecks.expectFailsAlone(.executable, index) }

  @Test(arguments: ConfigureFlagsChecks.checks.indices.dropLast())
  func eachCheckComesBeforeTheNext(_ index: Int) { ConfigureFlagsChecks.expectComesBeforeTheNext(.executable, index) }

  @Test func theSmallestContextTakesNoExtraRefill() {
    ConfigureFlagsChecks.expectTheSmallestContextTakesNoExtraRefill(.executable)
  }

  @Test(arguments: ConfigureFlagsCases.cases)
  func configures(_ testCase: ConfigureFlagsCases.Case) {
    ConfigureFlagsCases.run(testCase, from: ExecState(plan: .sampleWithSpareSC), step: { $0.run($1) }, read: read)
  }
}

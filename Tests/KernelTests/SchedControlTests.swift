// SchedControl_ConfigureFlags in the kernel (`Kernel/SchedControl.swift`), read from its words: the
// decoding checks in seL4's order (each failing alone, and with the next one also failing), round
// robin and sporadic configurations, a running context reconfigured (`refill_update`), the badge
// and the sporadic flag, and the refills each leaves: the cases are TestSupport's
// `ConfigureFlagsCases`, shared by the three layers, each read here as this layer holds it. No
// time passes, so every refill starts at 0.

import Kernel
import KernelABI
import TestSupport
import Testing

@Suite struct SchedControlTests {
  /// What the shared cases read (`ConfigureFlagsCases`): each scheduling context from its words,
  /// its refills the buffer's live window; the current thread, the ready queues walked from
  /// their words, the `tcbQueued` bits.
  func read(_ k: KernelState) -> SchedControlReading {
    var queues: [ReadyQueueIndex: [ObjectRef]] = [:]
    for walk in k.readyQueueWalks() where !walk.threads.isEmpty { queues[walk.index] = walk.threads }
    return SchedControlReading(
      context: { sc in
        guard let buffer = k.refillBuffer(of: sc), let period = k.scPeriod(of: sc), let badge = k.scBadge(of: sc),
          let sporadic = k.scSporadic(of: sc)
        else { return nil }
        return ConfiguredContext(
          refills: buffer.liveRefills, period: period, refillMax: buffer.refillMax, badge: badge,
          sporadic: sporadic == 1)
      }, currentThread: k.ksCurThread, readyQueues: queues, isQueued: k.isQueued)
  }

  @Test(arguments: ConfigureFlagsChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { ConfigureFlagsChecks.expectFailsAlone(.kernel, index) }

  @Test(arguments: ConfigureFlagsChecks.checks.indices.dropLast())
  func eachCheckComesBeforeTheNext(_ index: Int) { ConfigureFlagsChecks.expectComesBeforeTheNext(.kernel, index) }

  @Test func theSmallestContextTakesNoExtraRefill() {
    ConfigureFlagsChecks.expectTheSmallestContextTakesNoExtraRefill(.kernel)
  }

  @Test(arguments: ConfigureFlagsCases.cases)
  func configures(_ testCase: ConfigureFlagsCases.Case) {
    ConfigureFlagsCases.run(testCase, from: KernelState(plan: .sampleWithSpareSC), step: { $0.run($1) }, read: read)
  }
}

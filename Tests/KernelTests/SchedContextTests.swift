// The SchedContext methods in the kernel (`Kernel/SchedContext.swift`), on its words: every
// decoding check in seL4's order (each failing alone, and with the next one also failing), the
// calls that pass them, and the effects of Bind, Unbind, UnbindObject, Consumed and YieldTo:
// TestSupport's `SchedContextChecks` and `SchedContextCases`, shared by the three layers, each read
// here from the kernel's words (`scNotification`, `ntfnSchedContext`, `tcbYieldTo`, `scYieldFrom`).

import Kernel
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextTests {
  let initial = KernelState(plan: .sampleForSchedContext)

  func read(_ k: KernelState) -> SchedContextReading {
    func ref(_ word: UInt64?) -> ObjectRef? { (word ?? 0) == 0 ? nil : word }
    return SchedContextReading(
      threadSC: { ref(k.schedContextWord(of: $0)) }, scThread: { ref(k.scTcb(of: $0)) },
      scNtfn: { ref(k.scNotification(of: $0)) }, ntfnSC: { ref(k.ntfnSchedContext(of: $0)) },
      yieldTo: { ref(k.tcbYieldTo(of: $0)) }, yieldFrom: { ref(k.scYieldFrom(of: $0)) },
      consumed: { k.scConsumed(of: $0) }, currentThread: k.ksCurThread, reply: { k.replyMessage(of: $0) })
  }

  func setConsumed(_ k: inout KernelState, _ sc: ObjectRef, _ ticks: UInt64) {
    k.store(sc &+ ObjectLayout.scConsumed, ticks)
  }

  @Test(arguments: SchedContextChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { SchedContextChecks.expectFailsAlone(.kernel, index) }

  @Test(arguments: SchedContextChecks.pairedIndices)
  func eachCheckComesBeforeTheNext(_ index: Int) { SchedContextChecks.expectComesBeforeTheNext(.kernel, index) }

  @Test func validCallsPass() { SchedContextChecks.expectValidCallsPass(.kernel) }

  @Test func aCallerAlreadyYieldingIsRefused() {
    SchedContextCases.alreadyYielding(initial, read: read) { k, thread, sc in
      k.store(thread &+ ObjectLayout.tcbYieldTo, sc)
    }
  }

  @Test func bindAndUnbind() { SchedContextCases.bindAndUnbind(initial, read: read) }

  @Test func consumed() { SchedContextCases.consumed(initial, read: read, setConsumed: setConsumed) }

  @Test func yieldTo() { SchedContextCases.yieldTo(initial, read: read, setConsumed: setConsumed) }
}

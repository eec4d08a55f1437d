// The SchedContext methods in the abstract spec (`AbstractSpec/SchedContext.swift`): every decoding
// check in seL4's order (each failing alone, and with the next one also failing), the calls that
// pass them, and the effects of Bind, Unbind, UnbindObject, Consumed and YieldTo: TestSupport's
// `SchedContextChecks` and `SchedContextCases`, shared by the three layers, each read here as this
// layer holds it.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextTests {
  let initial = AbstractState(plan: .sampleForSchedContext)

  func read(_ k: AbstractState) -> SchedContextReading {
    SchedContextReading(
      threadSC: { k.tcb(at: $0)?.schedContext }, scThread: { k.schedContext(at: $0)?.tcb },
      scNtfn: { k.schedContext(at: $0)?.ntfn }, ntfnSC: { k.notification(at: $0)?.sc },
      yieldTo: { k.tcb(at: $0)?.yieldTo }, yieldFrom: { k.schedContext(at: $0)?.yieldFrom },
      consumed: { k.schedContext(at: $0)?.consumed }, currentThread: k.currentThread,
      reply: { k.replyMessage(of: $0) })
  }

  func setConsumed(_ k: inout AbstractState, _ address: ObjectRef, _ ticks: UInt64) {
    guard case .schedContext(var sc)? = k.kheap[address] else { return }
    sc.consumed = ticks
    k.kheap[address] = .schedContext(sc)
  }

  @Test(arguments: SchedContextChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { SchedContextChecks.expectFailsAlone(.abstract, index) }

  @Test(arguments: SchedContextChecks.pairedIndices)
  func eachCheckComesBeforeTheNext(_ index: Int) { SchedContextChecks.expectComesBeforeTheNext(.abstract, index) }

  @Test func validCallsPass() { SchedContextChecks.expectValidCallsPass(.abstract) }

  @Test func aCallerAlreadyYieldingIsRefused() {
    SchedContextCases.alreadyYielding(initial, read: read) { k, thread, sc in
      guard case .tcb(var tcb)? = k.kheap[thread] else { return }
      tcb.yieldTo = sc
      k.kheap[thread] = .tcb(tcb)
    }
  }

  @Test func bindAndUnbind() { SchedContextCases.bindAndUnbind(initial, read: read) }

  @Test func consumed() { SchedContextCases.consumed(initial, read: read, setConsumed: setConsumed) }

  @Test func yieldTo() { SchedContextCases.yieldTo(initial, read: read, setConsumed: setConsumed) }
}

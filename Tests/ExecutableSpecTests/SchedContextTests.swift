// The SchedContext methods in the executable spec (`ExecutableSpec/SchedContext.swift`): every decoding
// check in seL4's order (each failing alone, and with the next one also failing), the calls that
// pass them, and the effects of Bind, Unbind, UnbindObject, Consumed and YieldTo: TestSupport's
// `SchedContextChecks` and `SchedContextCases`, shared by the three layers, each read here as this
// layer holds it.

import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SchedContextTests {
  let initial = ExecState(plan: .sampleForSchedContext)

  func read(_ k: ExecState) -> SchedContextReading {
    SchedContextReading(
      threadSC: { k.tcb(at: $0)?.schedContext }, scThread: { k.schedContext(at: $0)?.tcb },
      scNtfn: { k.schedContext(at: $0)?.scNtfn }, ntfnSC: { k.notification(at: $0)?.ntfnSc },
      yieldTo: { k.tcb(at: $0)?.tcbYieldTo }, yieldFrom: { k.schedContext(at: $0)?.scYieldFrom },
      consumed: { k.schedContext(at: $0)?.scConsumed }, currentThread: k.ksCurThread,
      reply: { k.replyMessage(of: $0) })
  }

  func setConsumed(_ k: inout ExecState, _ address: ObjectRef, _ ticks: UInt64) {
    guard case .schedContext(var sc)? = k.ksPSpace[address] else { return }
    sc.scConsumed = ticks
    k.ksPSpace[address] = .schedContext(sc)
  }

  @Test(arguments: SchedContextChecks.checks.indices)
  func eachCheckFailsAloneWithItsError(_ index: Int) { SchedContextChecks.expectFailsAlone(.executable, index) }

  @Test(arguments: SchedContextChecks.pairedIndices)
  func eachCheckComesBeforeTheNext(_ index: Int) { SchedContextChecks.expectComesBeforeTheNext(.executable, index) }

  @Test func validCallsPass() { SchedContextChecks.expectValidCallsPass(.executable) }

  @Test func aCallerAlreadyYieldingIsRefused() {
    SchedContextCases.alreadyYielding(initial, read: read) { k, thread, sc in
      guard case .tcb(var tcb)? = k.ksPSpace[thread] else { return }
      tcb.tcbYieldTo = sc
      k.ksPSpace[thread] = .tcb(tcb)
    }
  }

  @Test func bindAndUnbind() { SchedContextCases.bindAndUnbind(initial, read: read) }

  @Test func consumed() { SchedContextCases.consumed(initial, read: read, setConsumed: setConsumed) }

  @Test func yieldTo() { SchedContextCases.yieldTo(initial, read: read, setConsumed: setConsumed) }
}

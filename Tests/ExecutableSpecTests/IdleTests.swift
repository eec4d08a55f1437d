// The idle thread is an object (`Invariants+Idle.swift`), as in the abstract spec: placed at boot
// outside memory, current when nothing else can run, seen by user space as no thread, and
// `valid_idle'`/`only_idle'` catch a broken one, in the full and the incremental check.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct IdleTests {
  /// The invariants `state` reports as broken.
  func broken(_ state: ExecState) -> Set<String> { Set(state.invariantViolations().map(\.invariant)) }

  /// `state` with the idle TCB changed by `change`.
  func withIdleTCB(_ state: ExecState, _ change: (inout TCB) -> Void) -> ExecState {
    var s = state
    s.updateTCB(s.ksIdleThread, change)
    return s
  }

  @Test func theIdleObjectsArePlacedAtBootAndHold() {
    let k = ExecState.sample
    #expect(k.ksIdleThread == KernelConstants.idleThreadPtr && k.ksIdleSC == KernelConstants.idleSCPtr)
    let idle = k.tcb(at: k.ksIdleThread)
    #expect(idle?.state == .idleThreadState && idle?.priority == 0 && idle?.schedContext == k.ksIdleSC)
    #expect(idle?.tcbBoundNotification == nil && idle?.tcbQueued == false)
    #expect(k.schedContext(at: k.ksIdleSC)?.tcb == k.ksIdleThread)
    #expect(k.ksPSpace[k.ksIdleThread].map(ExecState.isLive) == false)
    #expect(k.ksPSpace[k.ksIdleSC].map(ExecState.isLive) == false)
    #expect(k.validIdle() == [] && k.onlyIdle() == [] && k.invariantViolations() == [])
  }

  @Test func anIdleTCBThatIsRunningBreaksValidIdle() {
    let k = withIdleTCB(.sample) { $0.state = .running }
    #expect(broken(k).contains("valid_idle'"))
    #expect(!broken(k).contains("only_idle'"))
    #expect(!k.idleInvariantsHold(changed: [k.ksIdleThread], removed: []))
  }

  @Test func anIdleTCBWithANotificationOrAnotherSCBreaksValidIdle() {
    let bound = withIdleTCB(.sample) { $0.tcbBoundNotification = S.notification }
    #expect(bound.validIdle().contains { $0.explanation.contains("notification") })
    let unbound = withIdleTCB(.sample) { $0.schedContext = nil }
    #expect(broken(unbound).contains("valid_idle'"))
  }

  @Test func anUnboundIdleSCBreaksValidIdle() {
    var k = ExecState.sample
    k.updateSchedContext(k.ksIdleSC) { $0.tcb = nil }
    #expect(k.validIdle().contains { $0.explanation.contains("bound to none") })
    #expect(!k.idleInvariantsHold(changed: [k.ksIdleSC], removed: []))
  }

  @Test func anotherThreadInIdleThreadStateBreaksOnlyIdle() {
    var k = ExecState.sample
    k.updateTCB(S.mainTCB) { $0.state = .idleThreadState }
    #expect(k.onlyIdle().contains { $0.explanation.contains(hex(S.mainTCB)) })
    #expect(broken(k).contains("only_idle'"))
    #expect(!k.idleInvariantsHold(changed: [S.mainTCB], removed: []))
    #expect(ExecState.sample.idleInvariantsHold(changed: [S.mainTCB], removed: []))
  }

  @Test func schedulingToIdleAndBackSetsTheCurrentThread() {
    var k = ExecState(plan: .oneThread)
    let observation = k.run(waitEvent(S.cptr(root: SystemPlan.Threads.ntfnSlot)))
    #expect(observation.current == nil && observation.caller == S.mainTCB)
    #expect(k.ksCurThread == k.ksIdleThread && k.isIdle(k.ksCurThread))
    let before = k
    #expect(k.run(yieldEvent) == Observation(caller: nil, current: nil))
    #expect(k == before)
    k.restart(S.mainTCB)
    k.schedule()
    #expect(k.ksCurThread == S.mainTCB)
    #expect(k.invariantViolations() == [])
  }
}

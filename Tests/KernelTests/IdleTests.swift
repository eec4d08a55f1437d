// The idle thread is an object of kernel data (`Invariants+Idle.swift`): its TCB and scheduling
// context lie in the globals frame, `ksIdleThread` names the TCB, `ksCurThread` is the idle TCB
// when nothing else can run (user space sees no thread), and `valid_idle'`/`only_idle'` catch a
// broken one.

import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct IdleTests {
  /// The invariants `state` reports as broken.
  func broken(_ state: KernelState) -> Set<String> { Set(state.invariantViolations().map(\.invariant)) }

  let idle = KernelConstants.idleThreadPtr
  let idleSC = KernelConstants.idleSCPtr

  @Test func theIdleObjectsLieInTheGlobalsFrameAndHold() {
    let k = KernelState.sample
    #expect(GlobalsLayout.contains(idle) && GlobalsLayout.contains(idleSC + 127))
    #expect(GlobalsLayout.idleThreadTCB == 0x3_8000 && GlobalsLayout.idleThreadSC == 0x3_8800)
    #expect(GlobalsLayout.name(at: GlobalsLayout.ksIdleThread) == "ksIdleThread")
    #expect(k.ksIdleThread == idle && k.load(GlobalsLayout.frame + GlobalsLayout.ksIdleThread) == idle)
    #expect(k.objects[idle] == .tcb && k.objects[idleSC] == .schedContext(sizeBits: 7))
    #expect(k.threadState(of: idle) == .idleThreadState && k.priority(of: idle) == 0)
    #expect(k.schedContextWord(of: idle) == idleSC && k.scTcb(of: idleSC) == idle)
    #expect(!k.isLive(idle) && !k.isLive(idleSC))
    #expect(!k.isQueued(idle) && !k.isSchedulable(idle))
    #expect(k.validIdle() == [] && k.onlyIdle() == [] && k.invariantViolations() == [])
  }

  @Test func theIdleThreadStateIsSeL4sTag() {
    #expect(KernelThreadState.idleThreadState.rawValue == 7)
  }

  @Test func anIdleTCBThatIsRunningBreaksValidIdle() {
    var k = KernelState.sample
    k.store(idle + ObjectLayout.tcbState, KernelThreadState.running.rawValue)
    #expect(broken(k).contains("valid_idle'"))
    #expect(!broken(k).contains("only_idle'"))
    #expect(!k.idleInvariantsHold(k.schedulerObjects()))
  }

  @Test func anIdleTCBWithANotificationBreaksValidIdle() {
    var k = KernelState.sample
    k.store(idle + ObjectLayout.tcbBoundNotification, S.notification)
    #expect(k.validIdle().contains { $0.explanation.contains("notification") })
  }

  @Test func anUnboundIdleSCOrAMovedIdleThreadBreaksValidIdle() {
    var k = KernelState.sample
    k.store(idleSC + ObjectLayout.scTcb, 0)
    #expect(broken(k).contains("valid_idle'"))
    #expect(!k.idleInvariantsHold(k.schedulerObjects()))
    var moved = KernelState.sample
    moved.store(GlobalsLayout.frame + GlobalsLayout.ksIdleThread, S.mainTCB)
    #expect(moved.validIdle().contains { $0.explanation.contains("ksIdleThread") })
  }

  @Test func anotherThreadInIdleThreadStateBreaksOnlyIdle() {
    var k = KernelState.sample
    k.store(S.mainTCB + ObjectLayout.tcbState, KernelThreadState.idleThreadState.rawValue)
    #expect(k.onlyIdle().contains { $0.explanation.contains(hex(S.mainTCB)) })
    #expect(broken(k).contains("only_idle'"))
    #expect(!k.idleInvariantsHold(k.schedulerObjects()))
  }

  @Test func schedulingToIdleAndBackSetsTheCurrentThread() {
    var k = KernelState(plan: .oneThread)
    let observation = k.run(waitEvent(S.cptr(root: SystemPlan.Threads.ntfnSlot)))
    #expect(observation.current == nil && observation.caller == S.mainTCB)
    #expect(k.ksCurThread == idle && k.load(GlobalsLayout.frame + GlobalsLayout.ksCurThread) == idle)
    let before = k
    #expect(k.run(yieldEvent) == Observation(caller: nil, current: nil))
    #expect(k == before)
    k.restart(S.mainTCB)
    k.schedule()
    #expect(k.ksCurThread == S.mainTCB)
    #expect(k.invariantViolations() == [])
  }
}

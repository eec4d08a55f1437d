// The idle thread is an object (`Invariants+Idle.swift`): its TCB and scheduling context lie at
// fixed addresses outside memory, it is the current thread when nothing else can run, user space
// sees it as no thread, and `valid_idle`/`only_idle` catch a broken one, in the full and the
// incremental check.

import KernelABI
import TestSupport
import Testing

@testable import AbstractSpec

@Suite struct IdleTests {
  /// The conjuncts `state` reports as broken.
  func broken(_ state: AbstractState) -> Set<String> { Set(state.invariantViolations().map(\.invariant)) }

  /// `state` with the idle TCB changed by `change`.
  func withIdleTCB(_ state: AbstractState, _ change: (inout TCB) -> Void) -> AbstractState {
    var s = state
    guard case .tcb(var tcb)? = s.kheap[s.idleThread] else { return s }
    change(&tcb)
    s.kheap[s.idleThread] = .tcb(tcb)
    return s
  }

  @Test func theIdleObjectsArePlacedAtBootAndHold() {
    let k = AbstractState.sample
    #expect(k.idleThread == KernelConstants.idleThreadPtr && k.idleSC == KernelConstants.idleSCPtr)
    #expect(k.idleThread >= 1 << 48, "outside every untyped region and plan memory")
    let idle = k.tcb(at: k.idleThread)
    #expect(idle?.state == .idleThreadState && idle?.priority == 0 && idle?.schedContext == k.idleSC)
    #expect(idle?.boundNotification == nil && idle?.slots.isEmpty == true)
    #expect(k.schedContext(at: k.idleSC)?.tcb == k.idleThread)
    #expect(!k.isQueued(k.idleThread) && !k.isSchedulable(k.idleThread))
    // Not live (l4v-rt `live0`, `live_sc`), so no cap need name them.
    #expect(k.kheap[k.idleThread].map(AbstractState.isLive) == false)
    #expect(k.kheap[k.idleSC].map(AbstractState.isLive) == false)
    #expect(k.validIdle() == [] && k.onlyIdle() == [] && k.invariantViolations() == [])
  }

  @Test func anIdleTCBThatIsRunningBreaksValidIdle() {
    let k = withIdleTCB(.sample) { $0.state = .running }
    #expect(broken(k).contains("valid_idle"))
    #expect(!broken(k).contains("only_idle"))
    #expect(!k.idleInvariantsHold(changed: [k.idleThread], removed: []))
  }

  @Test func anIdleTCBWithANotificationOrAnotherSCBreaksValidIdle() {
    let bound = withIdleTCB(.sample) { $0.boundNotification = S.notification }
    #expect(bound.validIdle().contains { $0.explanation.contains("notification") })
    let unbound = withIdleTCB(.sample) { $0.schedContext = nil }
    #expect(broken(unbound).contains("valid_idle"))
    #expect(!unbound.idleInvariantsHold(changed: [unbound.idleThread], removed: []))
  }

  @Test func anUnboundIdleSCBreaksValidIdle() {
    var k = AbstractState.sample
    k.kheap[k.idleSC] = .schedContext(
      SchedContext(sizeBits: KernelConstants.minSchedContextBits, tcb: nil, refillMax: KernelConstants.minRefills))
    #expect(k.validIdle().contains { $0.explanation.contains("bound to none") })
    #expect(!k.idleInvariantsHold(changed: [k.idleSC], removed: []))
    var gone = AbstractState.sample
    gone.kheap[gone.idleSC] = nil
    #expect(broken(gone).contains("valid_idle"))
    #expect(!gone.idleInvariantsHold(changed: [], removed: [gone.idleSC]))
  }

  @Test func anotherThreadInIdleThreadStateBreaksOnlyIdle() {
    var k = AbstractState.sample
    k.updateTCB(S.mainTCB) { $0.state = .idleThreadState }
    #expect(k.onlyIdle().contains { $0.explanation.contains(hex(S.mainTCB)) })
    #expect(broken(k).contains("only_idle"))
    #expect(!k.idleInvariantsHold(changed: [S.mainTCB], removed: []))
    #expect(AbstractState.sample.idleInvariantsHold(changed: [S.mainTCB], removed: []))
  }

  @Test func schedulingToIdleAndBackSetsTheCurrentThread() {
    var k = AbstractState(plan: .oneThread)
    // The only thread waits: the idle thread runs, and user space sees no thread.
    let observation = k.run(waitEvent(S.cptr(root: SystemPlan.Threads.ntfnSlot)))
    #expect(observation.current == nil && observation.caller == S.mainTCB)
    #expect(k.currentThread == k.idleThread && k.isIdle(k.currentThread))
    // An event while idle has no caller and changes nothing.
    let before = k
    #expect(k.run(yieldEvent) == Observation(caller: nil, current: nil))
    #expect(k == before)
    // The thread is restarted (as an interrupt's signal would): `schedule` leaves idle for it.
    k.restart(S.mainTCB)
    k.schedule()
    #expect(k.currentThread == S.mainTCB)
    #expect(k.invariantViolations() == [])
  }
}

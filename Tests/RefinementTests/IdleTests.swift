// The idle thread in all three layers, through the lockstep checker: the layers start in agreement
// with the idle objects in place (R1 relates them like any other object), each layer's current
// thread is the idle TCB when nothing else can run while every observation says nil, and a change
// to an idle object's words is caught by the incremental check as by the full one.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct IdleTests {
  let idle = KernelConstants.idleThreadPtr

  /// The current thread in each layer.
  func current(_ checker: LockstepChecker) -> [ObjectRef] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  @Test func aPlanStartingIdleStartsInAgreement() {
    var checker = LockstepChecker(plan: .idleSample)
    #expect(checker.verify() == nil)
    #expect(validateStartingState(.idleSample) == [])
    #expect(current(checker) == [idle, idle, idle])
    // R1 lifts the idle objects from the globals frame to the executable spec's.
    let lifted = checker.kernel.lift()
    #expect(lifted.problems == [])
    #expect(lifted.state.ksPSpace[idle] == checker.exec.ksPSpace[idle])
    #expect(lifted.state.ksPSpace[KernelConstants.idleSCPtr] == checker.exec.ksPSpace[KernelConstants.idleSCPtr])
    // The idle thread makes no system call: no caller, no current thread, in every layer.
    let (observation, failure) = checker.step(yieldEvent)
    #expect(failure == nil)
    #expect(observation == Observation(caller: nil, current: nil))
  }

  @Test func aThreadThatBlocksLeavesTheIdleThreadRunningInEveryLayer() {
    var checker = LockstepChecker(plan: .oneThread)
    let (observation, failure) = checker.step(waitEvent(S.cptr(root: SystemPlan.Threads.ntfnSlot)))
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
    #expect(observation.caller == S.mainTCB && observation.current == nil)
    #expect(current(checker) == [idle, idle, idle])
    #expect(checker.step(.interrupt(irq: 1)).failure == nil)
  }

  /// A word of the idle TCB is a word of the globals frame; the incremental check must still
  /// re-lift the idle TCB (not only the globals) when one is written.
  @Test(arguments: [Mode.incremental, .full])
  func aChangedIdleTCBWordIsCaught(mode: Mode) {
    var checker = LockstepChecker(plan: .idleSample)
    checker.mode = mode
    #expect(checker.step(.interrupt(irq: 1)).failure == nil)
    checker.kernel.store(idle &+ ObjectLayout.tcbPriority, 5)
    #expect(checker.step(.interrupt(irq: 1)).failure != nil)
  }

  @Test(arguments: [Mode.incremental, .full])
  func aBrokenIdleThreadInEveryLayerIsCaught(mode: Mode) {
    var checker = LockstepChecker(plan: .idleSample)
    checker.mode = mode
    // Inactive, in every layer alike (so R1 and R2 still hold): only `valid_idle` is broken.
    checker.kernel.store(idle &+ ObjectLayout.tcbState, KernelThreadState.inactive.rawValue)
    if case .tcb(var tcb)? = checker.exec.ksPSpace[idle] {
      tcb.state = .inactive
      checker.exec.ksPSpace[idle] = .tcb(tcb)
    }
    if case .tcb(var tcb)? = checker.abstract.kheap[idle] {
      tcb.state = .inactive
      checker.abstract.kheap[idle] = .tcb(tcb)
    }
    let failure = checker.step(.interrupt(irq: 1)).failure
    #expect(failure?.name.hasPrefix("valid_idle") == true, "\(failure.map { "\($0)" } ?? "")")
  }

  /// `state_relation`'s `idle_thread s = ksIdleThread s'`: the kernel's `ksIdleThread` word must
  /// name the idle TCB; a frame that names another thread does not lift.
  @Test(arguments: [Mode.incremental, .full])
  func aChangedIdleThreadGlobalIsCaught(mode: Mode) {
    var checker = LockstepChecker(plan: .sample)
    checker.mode = mode
    #expect(checker.step(.interrupt(irq: 1)).failure == nil)
    checker.kernel.store(GlobalsLayout.frame &+ GlobalsLayout.ksIdleThread, S.mainTCB)
    #expect(checker.kernel.lift().problems.contains { $0.hasPrefix("ksIdleThread is") })
    #expect(checker.step(.interrupt(irq: 1)).failure != nil)
  }

  /// Another thread in IdleThreadState, in every layer alike (so that R1 and R2 hold): `only_idle`.
  @Test(arguments: [Mode.incremental, .full])
  func aSecondThreadInIdleThreadStateIsCaught(mode: Mode) {
    var checker = LockstepChecker(plan: .idleSample)
    checker.mode = mode
    let thread = S.mainTCB
    checker.kernel.store(thread &+ ObjectLayout.tcbState, KernelThreadState.idleThreadState.rawValue)
    if case .tcb(var tcb)? = checker.exec.ksPSpace[thread] {
      tcb.state = .idleThreadState
      checker.exec.ksPSpace[thread] = .tcb(tcb)
    }
    if case .tcb(var tcb)? = checker.abstract.kheap[thread] {
      tcb.state = .idleThreadState
      checker.abstract.kheap[thread] = .tcb(tcb)
    }
    // Caught; which check speaks first depends on the layers' steps from this broken state (the
    // thread is queued, so the interrupt's schedule may pick it): each layer's own `IdleTests`
    // see `only_idle` itself name it.
    #expect(checker.step(.interrupt(irq: 1)).failure != nil)
  }

  /// The idle thread bound to a notification that is bound back to it, in every layer alike:
  /// `valid_idle` (the idle thread has no bound notification) and `if_live_then_nonz_cap`, caught
  /// by the incremental check from the written notification words as by the full check.
  @Test(arguments: [Mode.incremental, .full])
  func anIdleThreadWithABoundNotificationIsCaught(mode: Mode) {
    var checker = LockstepChecker(plan: .idleSample)
    checker.mode = mode
    let ntfn = S.notification
    checker.kernel.store(idle &+ ObjectLayout.tcbBoundNotification, ntfn)
    checker.kernel.store(ntfn &+ ObjectLayout.ntfnBoundTCB, idle)
    if case .tcb(var tcb)? = checker.exec.ksPSpace[idle], case .notification(var n)? = checker.exec.ksPSpace[ntfn] {
      tcb.tcbBoundNotification = ntfn
      n.ntfnBoundTCB = idle
      checker.exec.ksPSpace[idle] = .tcb(tcb)
      checker.exec.ksPSpace[ntfn] = .notification(n)
    }
    if case .tcb(var tcb)? = checker.abstract.kheap[idle], case .notification(var n)? = checker.abstract.kheap[ntfn] {
      tcb.boundNotification = ntfn
      n.boundTCB = idle
      checker.abstract.kheap[idle] = .tcb(tcb)
      checker.abstract.kheap[ntfn] = .notification(n)
    }
    // A bound notification makes the idle thread live (l4v `live0`), and no cap names it:
    // `if_live_then_nonz_cap` speaks before `valid_idle`.
    let failure = checker.step(.interrupt(irq: 1)).failure
    let name = failure?.name ?? ""
    #expect(name.hasPrefix("valid_idle") || name.hasPrefix("if_live_then_nonz_cap"), "\(failure.map { "\($0)" } ?? "")")
  }

  typealias Mode = LockstepChecker.Mode
}

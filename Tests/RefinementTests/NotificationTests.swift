// Notifications in all three layers, through the lockstep checker: Signal on an idle, active and
// waiting notification, Wait blocking and returning at once, Poll never blocking, the queue's
// priority order, a woken waiter preempting, the rights each call needs, and deleting a
// notification with waiters or a waiting thread. Every step is checked in lockstep (R1, R2,
// observations, invariants); the expectations read each layer's own representation.

import AbstractSpec
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct NotificationTests {
  typealias T = SystemPlan.Threads
  /// The badged cap (badge 6, Read and Write) all three threads hold, and the unbadged one.
  static let badged = S.cptr(root: T.ntfnSlot)
  static let unbadged = S.cptr(root: 4)

  /// Step `event` on all three layers, expecting every check to pass.
  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation?
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// The notification's state in each layer, as the abstract spec says it.
  func ntfnState(_ checker: LockstepChecker, _ ntfn: ObjectRef = S.notification) -> [NotificationState?] {
    let exec: NotificationState? = checker.exec.notification(at: ntfn).map {
      switch $0.ntfnObj {
      case .idleNtfn: .idle
      case .waitingNtfn(let q): .waiting(q)
      case .activeNtfn(let w): .active(w)
      }
    }
    let kernel: NotificationState? = checker.kernel.ntfnState(of: ntfn).map {
      switch $0 {
      case .idle: .idle
      case .waiting: .waiting(checker.kernel.ntfnQueueWalk(ntfn).threads)
      case .active: .active(checker.kernel.ntfnMsgIdentifier(of: ntfn))
      }
    }
    return [checker.abstract.notification(at: ntfn)?.state, exec, kernel]
  }

  /// The badge register of `thread` in each layer.
  func badge(_ checker: LockstepChecker, _ thread: ObjectRef) -> [UInt64?] {
    [
      checker.abstract.tcb(at: thread)?.context.badgeRegister, checker.exec.tcb(at: thread)?.context.badgeRegister,
      checker.kernel.userContext(of: thread)?.badgeRegister,
    ]
  }

  /// The current thread in each layer.
  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  func all<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

  @Test func signalMakesAnIdleNotificationActiveAndORsIntoAnActiveOne() {
    var checker = LockstepChecker(plan: .sample)
    #expect(ntfnState(checker) == all(.idle))
    // Signal is not answered, even to a Call: decoding set the caller Running.
    #expect(step(&checker, signalEvent(Self.badged, syscall: .call))?.reply == nil)
    #expect(ntfnState(checker) == all(.active(6)))
    step(&checker, cnodeMint(.root(16), from: .root(4), rights: .all, data: 9))
    step(&checker, signalEvent(S.cptr(root: 16), syscall: .nbSend))
    #expect(ntfnState(checker) == all(.active(6 | 9)))
    // An unbadged signal adds nothing.
    step(&checker, signalEvent(Self.unbadged))
    #expect(ntfnState(checker) == all(.active(15)))
    // Wait returns at once with the word, and the notification is idle again.
    step(&checker, waitEvent(Self.badged))
    #expect(badge(checker, S.mainTCB) == all(15))
    #expect(ntfnState(checker) == all(.idle))
    #expect(current(checker) == all(S.mainTCB))
  }

  @Test func waitBlocksAndASignalWakesTheWaiterWithTheBadge() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, waitEvent(Self.badged, syscall: .recv))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB])))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnNotification(S.notification))
    #expect(checker.kernel.threadState(of: S.mainTCB) == .blockedOnNotification)
    #expect(checker.kernel.blockingObject(of: S.mainTCB) == S.notification)
    #expect(current(checker) == all(T.second))
    // `second` signals with the unbadged cap after a badged one was minted for it.
    step(&checker, cnodeMint(.root(16), from: .root(4), rights: .all, data: 0x30))
    step(&checker, signalEvent(S.cptr(root: 16)))
    #expect(ntfnState(checker) == all(.idle))
    #expect(badge(checker, S.mainTCB) == all(0x30))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    // Of the signaller's priority, the woken thread waits its turn at the tail of the queue.
    #expect(current(checker) == all(T.second))
    #expect(checker.abstract.readyQueue(ReadyQueueIndex(domain: 0, priority: 100)) == [S.mainTCB])
  }

  /// The queue is ordered by priority, first come first served within one; a woken waiter of
  /// higher priority than the signaller runs at once (`possibleSwitchTo`).
  @Test func theQueueIsInPriorityOrderAndAHigherWaiterPreempts() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var checker = LockstepChecker(plan: plan)
    #expect(checker.verify() == nil)
    // `low` (50) waits first; `main` (100) runs and waits: it goes ahead of `low`.
    step(&checker, waitEvent(Self.badged))
    #expect(current(checker) == all(S.mainTCB))
    step(&checker, waitEvent(Self.badged))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB, T.low])))
    #expect(current(checker) == all(T.second))
    #expect(checker.kernel.ntfnQueue(of: S.notification) == (head: S.mainTCB, tail: T.low))
    // `second` (100) signals with a new badge: `main` wakes, of its priority, and waits its turn.
    step(&checker, cnodeMint(.root(16), from: .root(4), rights: .all, data: 1))
    step(&checker, yieldEvent)
    #expect(current(checker) == all(T.second))
    step(&checker, signalEvent(S.cptr(root: 16)))
    #expect(ntfnState(checker) == all(.waiting([T.low])))
    #expect(badge(checker, S.mainTCB) == all(1))
    // `second` waits: after nobody of its priority, before `low`.
    step(&checker, waitEvent(Self.badged))
    #expect(ntfnState(checker) == all(.waiting([T.second, T.low])))
    #expect(current(checker) == all(S.mainTCB))
    // `main` signals: `second` wakes (head); of main's priority, it does not preempt.
    step(&checker, signalEvent(Self.badged))
    #expect(ntfnState(checker) == all(.waiting([T.low])))
    #expect(badge(checker, T.second) == all(6))
    #expect(current(checker) == all(S.mainTCB))
    // `main` signals `low`, which has a lower priority and waits its turn in the ready queue.
    step(&checker, signalEvent(Self.badged))
    #expect(ntfnState(checker) == all(.idle))
    #expect(current(checker) == all(S.mainTCB))
    #expect(checker.abstract.readyQueue(ReadyQueueIndex(domain: 0, priority: 50)) == [T.low])
  }

  @Test func aWaiterOfHigherPriorityPreemptsTheSignaller() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, waitEvent(Self.badged))
    #expect(current(checker) == all(T.second))
    step(&checker, waitEvent(Self.badged))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB, T.second])))
    #expect(current(checker) == all(T.low))
    // `low` (50) signals: `main` (100) wakes and runs at once.
    step(&checker, signalEvent(Self.badged))
    #expect(current(checker) == all(S.mainTCB))
    #expect(badge(checker, S.mainTCB) == all(6))
    #expect(ntfnState(checker) == all(.waiting([T.second])))
    #expect(checker.abstract.readyQueue(ReadyQueueIndex(domain: 0, priority: 50)) == [T.low])
  }

  @Test func pollNeverBlocks() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, signalEvent(Self.badged))
    step(&checker, pollEvent(Self.badged, syscall: .nbRecv))
    #expect(badge(checker, S.mainTCB) == all(6))
    #expect(ntfnState(checker) == all(.idle))
    // Nothing there: badge 0, still running.
    step(&checker, pollEvent(Self.badged))
    #expect(badge(checker, S.mainTCB) == all(0))
    #expect(current(checker) == all(S.mainTCB))
    #expect(ntfnState(checker) == all(.idle))
    // A waiting queue is no signal either.
    step(&checker, waitEvent(Self.badged))
    step(&checker, pollEvent(Self.badged))
    #expect(current(checker) == all(T.second))
    #expect(badge(checker, T.second) == all(0))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB])))
  }

  @Test func signalNeedsWriteAndWaitNeedsRead() {
    var checker = LockstepChecker(plan: .sample)
    // A cap with Read only: a Call of it is InvalidCapability(0); a Send of it does nothing.
    step(&checker, cnodeMint(.root(16), from: .root(4), rights: [.read], data: 2))
    expectError(step(&checker, signalEvent(S.cptr(root: 16), syscall: .call))!, .invalidCapability(index: 0))
    #expect(step(&checker, signalEvent(S.cptr(root: 16)))?.reply == nil)
    #expect(ntfnState(checker) == all(.idle))
    // Aux slot 1 has Write only: waiting on it is a capability fault of the receive phase.
    let o = step(&checker, waitEvent(S.cptr(aux: 1)))
    #expect(
      o?.fault == .capFault(address: S.cptr(aux: 1), inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(current(checker) == all(T.second))
    // A cap that is no notification (a CNode cap) faults too, and so does an empty slot (the
    // lookup's own failure); Wait on an endpoint cap with Read receives IPC (`EndpointTests`).
    let p = step(&checker, pollEvent(S.cptr(root: 13) | 4))
    #expect(p?.fault != nil)
    #expect(current(checker) == all(T.low))
    #expect(step(&checker, waitEvent(S.cptr(root: 3)))?.notModelled == nil)
    #expect(checker.abstract.tcb(at: T.low)?.state == .blockedOnReceive(S.endpoint, reply: nil))
  }

  @Test func aNotificationBoundToAnotherThreadCannotBeWaitedOn() {
    var plan = SystemPlan.sample
    plan.threads[1].boundNotification = S.notification
    #expect(plan.validate().isEmpty)
    var checker = LockstepChecker(plan: plan)
    #expect(checker.verify() == nil)
    #expect(checker.abstract.notification(at: S.notification)?.boundTCB == T.second)
    let o = step(&checker, pollEvent(Self.badged))
    #expect(o?.fault == .capFault(address: Self.badged, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
    // The bound thread may.
    #expect(current(checker) == all(T.second))
    step(&checker, signalEvent(Self.badged))
    step(&checker, waitEvent(Self.badged))
    #expect(badge(checker, T.second) == all(6))
  }

  @Test func deletingANotificationRestartsItsWaiters() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, waitEvent(Self.badged))
    step(&checker, waitEvent(Self.badged))
    #expect(current(checker) == all(T.low))
    // `low` deletes every cap to the notification: the copies under root slot 4, then it.
    step(&checker, cnodeRevoke(.root(4)))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB, T.second])))
    step(&checker, cnodeDelete(.root(4)))
    #expect(checker.abstract.notification(at: S.notification) == nil)
    #expect(checker.kernel.objects[S.notification] == nil)
    // Both waiters re-run their system call: each is made ready (`possibleSwitchTo`), so the
    // last of them is at the head of the queue and runs first.
    #expect(current(checker) == all(T.second))
    #expect(checker.abstract.tcb(at: T.second)?.state == .running)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .restart)
    #expect(checker.abstract.readyQueue(ReadyQueueIndex(domain: 0, priority: 100)) == [S.mainTCB])
  }

  @Test func deletingAWaitingThreadTakesItOutOfTheQueue() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, waitEvent(Self.badged))
    step(&checker, waitEvent(Self.badged))
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB, T.second])))
    // `low` deletes the last cap to `second` (root slot 20).
    step(&checker, cnodeDelete(.root(T.secondSlot)))
    #expect(checker.abstract.tcb(at: T.second) == nil)
    #expect(ntfnState(checker) == all(.waiting([S.mainTCB])))
    #expect(checker.kernel.epLinks(of: S.mainTCB) == (next: 0, prev: 0))
    // And the head: the queue empties and the notification is idle.
    step(&checker, cnodeDelete(.root(1)))
    #expect(ntfnState(checker) == all(.idle))
    #expect(current(checker) == all(T.low))
  }

  @Test func deletingABoundThreadUnbindsItsNotification() {
    var plan = SystemPlan.sample
    plan.threads[1].boundNotification = S.notification
    var checker = LockstepChecker(plan: plan)
    step(&checker, cnodeDelete(.root(T.secondSlot)))
    #expect(checker.abstract.notification(at: S.notification)?.boundTCB == nil)
    #expect(checker.exec.notification(at: S.notification)?.ntfnBoundTCB == nil)
    #expect(checker.kernel.ntfnBoundTCB(of: S.notification) == 0)
  }
}

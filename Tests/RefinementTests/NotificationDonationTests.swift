// A scheduling context bound to a notification through the lockstep checker (R1, R2, observations
// and every layer's invariants after each step), with each layer's links read out one by one: a
// thread running on the notification's context gives it back when it waits on the notification
// (`maybeReturnSchedContext` in `receiveSignal`) or, bound to the notification, on an endpoint
// (`receiveIPC`); a signal then donates it to the passive waiter, which can run again
// (`maybeDonateSchedContext` in `sendSignal`, queue head and bound-thread cases). A kernel that
// does not donate (seam `ntfnDonatesSchedContext`) is caught the step the signal arrives.
// (`seL4:src/object/notification.c`, `include/object/notification.h`, `src/object/endpoint.c`
// `receiveIPC`.)

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct NotificationDonationTests {
  typealias P = SystemPlan.SampleServer

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(
      failure == nil, "\(event): \(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")", sourceLocation: sourceLocation)
    #expect(observation.notModelled == nil, sourceLocation: sourceLocation)
    return observation
  }

  func all<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

  /// The scheduling context of `thread` in each layer (nil: none).
  func sc(_ checker: LockstepChecker, _ thread: ObjectRef) -> [ObjectRef?] {
    let word = checker.kernel.schedContextWord(of: thread)
    return [
      checker.abstract.tcb(at: thread)?.schedContext, checker.exec.tcb(at: thread)?.schedContext,
      word == 0 ? nil : word,
    ]
  }

  /// The thread bound to the scheduling context at `sc` in each layer (nil: none).
  func scTCB(_ checker: LockstepChecker, _ sc: ObjectRef) -> [ObjectRef?] {
    let word = checker.kernel.scTcb(of: sc)
    return [checker.abstract.schedContext(at: sc)?.tcb, checker.exec.schedContext(at: sc)?.tcb, word == 0 ? nil : word]
  }

  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  func state(_ checker: LockstepChecker, _ thread: ObjectRef) -> [String] {
    [
      checker.abstract.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.exec.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.kernel.threadState(of: thread).map { "\($0)" } ?? "none",
    ]
  }

  /// `main`'s own scheduling context bound to the sample's notification too.
  static let bindMainSCToNtfn = schedContextCall(.schedContextBind, mainSCCptr, SCCaps.ntfn)

  /// The reviewer's example: S bound to T (`main`) and to N; T waits on N and gives S back.
  @Test func waitingOnTheNotificationGivesItsSchedulingContextBack() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    step(&checker, Self.bindMainSCToNtfn)
    #expect(sc(checker, S.mainTCB) == all(S.schedContext))
    step(&checker, waitEvent(SCCaps.ntfn))
    #expect(sc(checker, S.mainTCB) == all(nil))
    #expect(scTCB(checker, S.schedContext) == all(nil))
    #expect(current(checker) != all(S.mainTCB))
    #expect(checker.abstract.notification(at: S.notification)?.sc == S.schedContext)
  }

  /// The passive `main` waiting on N is signalled: it receives S and runs again.
  @Test func aSignalDonatesTheSchedulingContextToThePassiveWaiter() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    step(&checker, Self.bindMainSCToNtfn)
    step(&checker, waitEvent(SCCaps.ntfn))
    let signaller = checker.abstract.currentThread
    #expect(signaller != S.mainTCB)
    step(&checker, signalEvent(SCCaps.ntfn))
    #expect(sc(checker, S.mainTCB) == all(S.schedContext))
    #expect(scTCB(checker, S.schedContext) == all(S.mainTCB))
    #expect(state(checker, S.mainTCB)[0] == "running")
    // `main` can run again (R1/R2 hold the exec spec's ready queues to the others').
    #expect(checker.abstract.isSchedulable(S.mainTCB))
    #expect(checker.kernel.isSchedulable(S.mainTCB))
  }

  /// `main`, bound to N whose context is `main`'s, blocks on an endpoint: it gives the context back
  /// (`receiveIPC`); a signal to N wakes it from the endpoint with the context donated again.
  @Test func aBlockingReceiveWithABoundNotificationGivesTheContextBack() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    step(&checker, Self.bindMainSCToNtfn)
    step(&checker, invoke(SCCaps.main, .tcbBindNotification, [], caps: [SCCaps.ntfn]))
    step(&checker, receiveEvent(SCCaps.endpoint, syscall: .recv, reply: S.cptr(root: 5)))
    #expect(sc(checker, S.mainTCB) == all(nil))
    #expect(scTCB(checker, S.schedContext) == all(nil))
    #expect(state(checker, S.mainTCB)[0].hasPrefix("blockedOnReceive"))
    step(&checker, signalEvent(SCCaps.ntfn))
    #expect(sc(checker, S.mainTCB) == all(S.schedContext))
    #expect(state(checker, S.mainTCB)[0] == "running")
  }

  /// A kernel whose notifications never donate their scheduling context is caught the step the
  /// passive waiter is signalled (each layer alone would accept its own run).
  @Test func aKernelThatDoesNotDonateIsCaught() {
    var kernel = KernelState(plan: .sampleForSchedContext)
    kernel.seams.ntfnDonatesSchedContext = { false }
    var checker = LockstepChecker(plan: .sampleForSchedContext, kernel: kernel)
    #expect(checker.step(Self.bindMainSCToNtfn).failure == nil)
    #expect(checker.step(waitEvent(SCCaps.ntfn)).failure == nil)
    #expect(checker.step(signalEvent(SCCaps.ntfn)).failure != nil)
  }
}

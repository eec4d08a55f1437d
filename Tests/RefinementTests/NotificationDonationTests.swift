// A scheduling context bound to a notification through the lockstep checker (R1, R2, observations
// and every layer's invariants after each step), with each layer's links read out one by one: a
// thread running on the notification's context gives it back when it waits on the notification
// (`maybeReturnSchedContext` in `receiveSignal`) or, bound to the notification, on an endpoint
// (`receiveIPC`); a signal then donates it to the passive waiter, which can run again
// (`maybeDonateSchedContext` in `sendSignal`, queue head and bound-thread cases). A kernel that
// does not donate (seam `ntfnDonatesSchedContext`) is caught the step the signal arrives; one that
// does not give it back (seam `ntfnReturnsSchedContext`) the step the thread blocks, on the
// notification or on an endpoint. A blocking receive that finds a sender queued gives it back
// all the same (seL4 returns it before looking at the endpoint). A passive server bound to a notification that was signalled while it ran takes the
// notification's sporadic context in ReplyRecv's receive phase (`completeSignal`), whose
// `refill_unblock_check` moves the head refill to the time now; a kernel without that site (seam
// `completeSignalUnblockChecks`) is caught there.
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

  /// `main`'s own scheduling context bound to the sample's notification too.
  static let bindMainSCToNtfn = schedContextCall(.schedContextBind, mainSCCptr, SCCaps.ntfn)

  /// The reviewer's example: S bound to T (`main`) and to N; T waits on N and gives S back.
  @Test func waitingOnTheNotificationGivesItsSchedulingContextBack() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&checker, Self.bindMainSCToNtfn)
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(S.schedContext))
    lockstepStep(&checker, waitEvent(SCCaps.ntfn))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(checker.threadOfSchedContext(S.schedContext) == inEveryLayer(nil))
    #expect(checker.currentThreads != inEveryLayer(S.mainTCB))
    #expect(checker.abstract.notification(at: S.notification)?.sc == S.schedContext)
  }

  /// The passive `main` waiting on N is signalled: it receives S and runs again.
  @Test func aSignalDonatesTheSchedulingContextToThePassiveWaiter() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&checker, Self.bindMainSCToNtfn)
    lockstepStep(&checker, waitEvent(SCCaps.ntfn))
    let signaller = checker.abstract.currentThread
    #expect(signaller != S.mainTCB)
    lockstepStep(&checker, signalEvent(SCCaps.ntfn))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(S.schedContext))
    #expect(checker.threadOfSchedContext(S.schedContext) == inEveryLayer(S.mainTCB))
    #expect(checker.threadStateNames(S.mainTCB)[0] == "running")
    // `main` can run again (R1/R2 hold the exec spec's ready queues to the others').
    #expect(checker.abstract.isSchedulable(S.mainTCB))
    #expect(checker.kernel.isSchedulable(S.mainTCB))
  }

  /// `main`, bound to N whose context is `main`'s, blocks on an endpoint: it gives the context back
  /// (`receiveIPC`); a signal to N wakes it from the endpoint with the context donated again.
  @Test func aBlockingReceiveWithABoundNotificationGivesTheContextBack() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&checker, Self.bindMainSCToNtfn)
    lockstepStep(&checker, invoke(SCCaps.main, .tcbBindNotification, [], caps: [SCCaps.ntfn]))
    lockstepStep(&checker, receiveEvent(SCCaps.endpoint, syscall: .recv, reply: S.cptr(root: 5)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(checker.threadOfSchedContext(S.schedContext) == inEveryLayer(nil))
    #expect(checker.threadStateNames(S.mainTCB)[0].hasPrefix("blockedOnReceive"))
    lockstepStep(&checker, signalEvent(SCCaps.ntfn))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(S.schedContext))
    #expect(checker.threadStateNames(S.mainTCB)[0] == "running")
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

  /// A kernel that keeps the notification's scheduling context with a thread that blocks is caught
  /// the step it blocks: waiting on the notification (`receiveSignal`) and, bound to it,
  /// receiving on an endpoint (`receiveIPC`). Both runs pass with the site in place (above).
  @Test func aKernelThatDoesNotGiveTheContextBackIsCaught() {
    var kernel = KernelState(plan: .sampleForSchedContext)
    kernel.seams.ntfnReturnsSchedContext = { false }
    var waiting = LockstepChecker(plan: .sampleForSchedContext, kernel: kernel)
    #expect(waiting.step(Self.bindMainSCToNtfn).failure == nil)
    #expect(waiting.step(waitEvent(SCCaps.ntfn)).failure != nil)

    var receiving = LockstepChecker(plan: .sampleForSchedContext, kernel: kernel)
    #expect(receiving.step(Self.bindMainSCToNtfn).failure == nil)
    #expect(receiving.step(invoke(SCCaps.main, .tcbBindNotification, [], caps: [SCCaps.ntfn])).failure == nil)
    #expect(
      receiving.step(receiveEvent(SCCaps.endpoint, syscall: .recv, reply: S.cptr(root: 5))).failure != nil)
  }

  /// `main`, bound to N whose context is its own, receives on an endpoint where `second` waits to
  /// send: seL4's `receiveIPC` gives the notification's context back on every blocking receive
  /// that finds no pending signal, before it looks at the endpoint, so `main` takes the message
  /// (Running) without a context, cannot run, and `second`, woken, runs.
  @Test func aReceiveThatFindsAQueuedSenderStillGivesTheContextBack() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&checker, Self.bindMainSCToNtfn)
    lockstepStep(&checker, invoke(SCCaps.main, .tcbBindNotification, [], caps: [SCCaps.ntfn]))
    // `main` yields to `second` (same priority), which blocks sending; `main` runs again.
    lockstepStep(&checker, yieldEvent)
    #expect(checker.currentThreads == inEveryLayer(SystemPlan.Threads.second))
    lockstepStep(&checker, sendEvent(SCCaps.endpoint, label: 5, [11]))
    #expect(checker.threadStateNames(SystemPlan.Threads.second)[0].hasPrefix("blockedOnSend"))
    // The client thread (also priority 100) may run first: it yields until `main` runs.
    for _ in 0..<3 where checker.currentThreads != inEveryLayer(S.mainTCB) { lockstepStep(&checker, yieldEvent) }
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
    lockstepStep(&checker, receiveEvent(SCCaps.endpoint, syscall: .recv, reply: S.cptr(root: 5)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(checker.threadOfSchedContext(S.schedContext) == inEveryLayer(nil))
    #expect(checker.threadStateNames(S.mainTCB)[0] == "running")
    #expect(checker.threadStateNames(SystemPlan.Threads.second)[0] == "running")
    #expect(checker.currentThreads == inEveryLayer(SystemPlan.Threads.second))
  }

  /// The sample with `ReadySC` a sporadic server (budget 500, period 1,000), bound to nothing.
  static var sporadicNtfnPlan: SystemPlan {
    var plan = SystemPlan.sample
    plan.objects.append(
      SystemPlan.Object(name: "ready_sc", address: ReadySC.address, kind: .schedContext(sizeBits: ReadySC.sizeBits)))
    plan.caps[S.root(ReadySC.slot)] = .schedContext(ReadySC.address, sizeBits: ReadySC.sizeBits)
    plan.originals.insert(S.root(ReadySC.slot))
    plan.schedContexts[ReadySC.address] = SystemPlan.SchedContextConfiguration(
      budget: 500, period: 1_000, sporadic: true)
    return plan
  }

  /// `main` as a passive server bound to N, whose context is the sporadic `ReadySC`: `second`
  /// calls it (donating `secondSC`), `main` signals N while it runs (N goes Active), time passes,
  /// and ReplyRecv gives `secondSC` back and, in the receive phase, completes the signal: N's
  /// context is donated to `main` and `refill_unblock_check` moves its head to the time now.
  /// Returns the checker, whether the set-up steps all passed, and whether the ReplyRecv did.
  func replyRecvCompletesTheSignal(_ kernel: KernelState? = nil) -> (LockstepChecker, setUp: Bool, done: Bool) {
    let plan = Self.sporadicNtfnPlan
    var checker = kernel.map { LockstepChecker(plan: plan, kernel: $0) } ?? LockstepChecker(plan: plan)
    let ep = S.cptr(root: 3)
    let reply = S.cptr(root: 5)
    let ntfn = SCCaps.ntfn
    var setUp = true
    for event in [
      invoke(SCCaps.main, .tcbBindNotification, [], caps: [ntfn]),
      schedContextCall(.schedContextBind, ReadySC.cptr, ntfn),
      receiveEvent(ep, syscall: .recv, reply: reply),
      cnodeDelete(.root(6)),
      sendEvent(ep, label: 9, [1], syscall: .call),
      signalEvent(ntfn),
      Event.timerTick(ticks: 40),
    ] {
      setUp = setUp && checker.step(event).failure == nil
    }
    let done = checker.step(replyRecvEvent(ep, reply: reply, label: 4, [7])).failure == nil
    return (checker, setUp, done)
  }

  @Test func replyRecvCompletesASignalWithTheNotificationsSporadicContext() {
    let (checker, setUp, done) = replyRecvCompletesTheSignal()
    #expect(setUp && done)
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(ReadySC.address))
    #expect(checker.schedContextOfThread(SystemPlan.Threads.second) == inEveryLayer(SystemPlan.Threads.secondSC))
    #expect(checker.threadStateNames(S.mainTCB)[0] == "running")
    // `refill_unblock_check` ran: the head refill is released at the time now.
    let now = checker.abstract.curTime
    #expect(now > 0)
    #expect(checker.abstract.schedContext(at: ReadySC.address)?.refills.first?.rTime == now)
    #expect(checker.kernel.refillWindow(of: ReadySC.address).first?.rTime == now)
  }

  @Test func aCompleteSignalWithoutRefillUnblockCheckIsCaught() {
    var kernel = KernelState(plan: Self.sporadicNtfnPlan)
    kernel.seams.completeSignalUnblockChecks = { false }
    // The set-up passes; the step the planted kernel gets wrong is the ReplyRecv.
    let (_, setUp, done) = replyRecvCompletesTheSignal(kernel)
    #expect(setUp && !done)
  }
}

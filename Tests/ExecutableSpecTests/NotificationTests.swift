// The executable spec's notifications: Signal, Wait and Poll on the sample's notification (badged
// cap in root slot 15, unbadged in root slot 4, Write-only in aux slot 1), the queue's priority
// order, and deletion.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct NotificationTests {
  typealias T = SystemPlan.Threads
  static let badged = S.cptr(root: 15)

  func state(_ k: ExecState) -> NtfnState? { k.notification(at: S.notification)?.ntfnObj }

  @Test func signalsAccumulateAndAWaitTakesThem() {
    var k = ExecState.sample
    #expect(k.run(signalEvent(Self.badged)).reply == nil)
    #expect(state(k) == .activeNtfn(6))
    expectSuccess(k.run(cnodeMint(.root(16), from: .root(4), rights: .all, data: 9)))
    _ = k.run(signalEvent(S.cptr(root: 16), syscall: .call))
    #expect(state(k) == .activeNtfn(15))
    _ = k.run(waitEvent(Self.badged))
    #expect(k.tcb(at: S.mainTCB)?.context.badgeRegister == 15)
    #expect(state(k) == .idleNtfn)
  }

  @Test func pollReportsNothingAsBadgeZeroAndWaitBlocks() {
    var k = ExecState.sample
    _ = k.run(signalEvent(Self.badged))
    _ = k.run(pollEvent(Self.badged))
    #expect(k.tcb(at: S.mainTCB)?.context.badgeRegister == 6)
    _ = k.run(pollEvent(S.cptr(root: 4), syscall: .nbRecv))
    #expect(k.tcb(at: S.mainTCB)?.context.badgeRegister == 0)
    #expect(k.ksCurThread == S.mainTCB)
    _ = k.run(waitEvent(Self.badged))
    #expect(k.tcb(at: S.mainTCB)?.state == .blockedOnNotification(waitingOnNotification: S.notification))
    #expect(state(k) == .waitingNtfn([S.mainTCB]))
    #expect(k.ksCurThread == KernelConstants.idleThreadPtr)
  }

  @Test func rights() {
    var k = ExecState.sample
    expectSuccess(k.run(cnodeMint(.root(16), from: .root(4), rights: [.read], data: 1)))
    expectError(k.run(signalEvent(S.cptr(root: 16), syscall: .call)), .invalidCapability(index: 0))
    let o = k.run(waitEvent(S.cptr(aux: 1)))
    #expect(
      o.fault == .capFault(address: S.cptr(aux: 1), inReceivePhase: true, failure: .missingCapability(bitsLeft: 0)))
    #expect(k.tcb(at: S.mainTCB)?.state == .inactive)
  }

  /// `tcbEPAppend`: before the first thread of lower priority, after those of equal or higher.
  @Test func theQueueIsOrderedByPriority() {
    var k = ExecState(plan: .sample)
    k.tcbEPAppend(T.low, S.notification)
    k.tcbEPAppend(S.mainTCB, S.notification)
    k.tcbEPAppend(T.second, S.notification)
    #expect(state(k) == .waitingNtfn([S.mainTCB, T.second, T.low]))
    k.tcbEPDequeue(T.second, S.notification)
    #expect(state(k) == .waitingNtfn([S.mainTCB, T.low]))
    k.tcbEPDequeue(S.mainTCB, S.notification)
    k.tcbEPDequeue(T.low, S.notification)
    #expect(state(k) == .idleNtfn)
  }

  @Test func deletingTheNotificationRestartsItsWaiters() {
    var k = ExecState(plan: .sample)
    _ = k.run(waitEvent(Self.badged))
    _ = k.run(waitEvent(Self.badged))
    #expect(k.ksCurThread == T.low)
    expectSuccess(k.run(cnodeRevoke(.root(4))))
    expectSuccess(k.run(cnodeDelete(.root(4))))
    #expect(k.notification(at: S.notification) == nil)
    #expect(k.ksCurThread == T.second)
    #expect(k.tcb(at: S.mainTCB)?.state == .restart)
  }

  // MARK: - A notification's scheduling context (`maybeDonateSchedContext`, `maybeReturnSchedContext`)

  /// The reviewer's example: `main`'s context S also bound to the notification N; `main` waits on
  /// N and gives S back; the next thread signals N and the passive `main` receives S again.
  @Test func waitingGivesTheNotificationsContextBackAndASignalDonatesIt() {
    var k = ExecState(plan: .sampleForSchedContext)
    expectSuccess(k.run(schedContextCall(.schedContextBind, mainSCCptr, SCCaps.ntfn)))
    #expect(k.tcb(at: S.mainTCB)?.schedContext == S.schedContext)
    _ = k.run(waitEvent(SCCaps.ntfn))
    #expect(k.tcb(at: S.mainTCB)?.schedContext == nil)
    #expect(k.schedContext(at: S.schedContext)?.tcb == nil)
    #expect(k.ksCurThread != S.mainTCB)
    _ = k.run(signalEvent(SCCaps.ntfn))
    #expect(k.tcb(at: S.mainTCB)?.schedContext == S.schedContext)
    #expect(k.schedContext(at: S.schedContext)?.tcb == S.mainTCB)
    #expect(k.isSchedulable(S.mainTCB))
  }

  /// A pending signal taken by a passive thread (the blocked server, by a direct call) donates the
  /// notification's context, in `receiveSignal` and in `completeSignal` alike; taken by a thread
  /// with a context of its own, nothing moves.
  @Test func aPendingSignalDonatesTheContextToAPassiveThread() {
    typealias P = SystemPlan.SampleServer
    var k = ExecState(plan: .sampleForSchedContext)
    k.schedContextBindNtfn(ReadySC.address, S.notification)
    k.sendSignal(S.notification, 5)
    var viaComplete = k
    var ownContext = k
    k.receiveSignal(P.serverTCB, S.notification, isBlocking: true)
    #expect(k.tcb(at: P.serverTCB)?.schedContext == ReadySC.address)
    #expect(k.schedContext(at: ReadySC.address)?.tcb == P.serverTCB)
    viaComplete.completeSignal(S.notification, P.serverTCB)
    #expect(viaComplete == k)
    ownContext.completeSignal(S.notification, S.mainTCB)
    #expect(ownContext.schedContext(at: ReadySC.address)?.tcb == nil)
  }
}

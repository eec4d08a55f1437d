// The kernel's notifications on words: the state and badge words, the queue linked through the
// waiting threads' `tcbEPNext`/`tcbEPPrev` in priority order, the blocking-object word, and the
// links cleared when a thread leaves the queue.

import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct NotificationTests {
  typealias T = SystemPlan.Threads
  static let badged = S.cptr(root: 15)

  @Test func signalsAccumulateInTheBadgeWordAndAWaitTakesThem() {
    var k = KernelState.sample
    #expect(k.ntfnState(of: S.notification) == .idle)
    _ = k.run(signalEvent(Self.badged))
    #expect(k.ntfnState(of: S.notification) == .active && k.ntfnMsgIdentifier(of: S.notification) == 6)
    expectSuccess(k.run(cnodeMint(.root(16), from: .root(4), rights: .all, data: 9)))
    _ = k.run(signalEvent(S.cptr(root: 16), syscall: .nbSend))
    #expect(k.ntfnMsgIdentifier(of: S.notification) == 15)
    _ = k.run(waitEvent(Self.badged, syscall: .recv))
    #expect(k.userContext(of: S.mainTCB)?.badgeRegister == 15)
    #expect(k.ntfnState(of: S.notification) == .idle)
  }

  @Test func waitersAreLinkedInPriorityOrder() {
    var k = KernelState(plan: .sample)
    k.tcbEPAppend(T.low, S.notification)
    k.tcbEPAppend(S.mainTCB, S.notification)
    k.tcbEPAppend(T.second, S.notification)
    #expect(k.ntfnQueue(of: S.notification) == (head: S.mainTCB, tail: T.low))
    #expect(k.epLinks(of: S.mainTCB) == (next: T.second, prev: 0))
    #expect(k.epLinks(of: T.second) == (next: T.low, prev: S.mainTCB))
    #expect(k.epLinks(of: T.low) == (next: 0, prev: T.second))
    #expect(k.ntfnState(of: S.notification) == .waiting)
    // Out of the middle, then the rest: links cleared, the notification idle.
    k.tcbEPDequeue(T.second, S.notification)
    #expect(k.epLinks(of: T.second) == (next: 0, prev: 0))
    #expect(k.epLinks(of: S.mainTCB) == (next: T.low, prev: 0))
    k.tcbEPDequeue(S.mainTCB, S.notification)
    k.tcbEPDequeue(T.low, S.notification)
    #expect(k.ntfnQueue(of: S.notification) == (head: 0, tail: 0))
    #expect(k.ntfnState(of: S.notification) == .idle)
  }

  @Test func aBlockedThreadNamesItsNotificationAndTheSignalWakesIt() {
    var k = KernelState(plan: .sample)
    _ = k.run(waitEvent(Self.badged))
    #expect(k.threadState(of: S.mainTCB) == .blockedOnNotification)
    #expect(k.blockingObject(of: S.mainTCB) == S.notification)
    #expect(k.ksCurThread == T.second)
    _ = k.run(signalEvent(S.cptr(root: 4)))
    #expect(k.threadState(of: S.mainTCB) == .running)
    #expect(k.userContext(of: S.mainTCB)?.badgeRegister == 0)
    #expect(k.ntfnQueue(of: S.notification) == (head: 0, tail: 0))
    #expect(k.ntfnInvariantViolations().isEmpty)
  }

  @Test func theInvariantsSeeABrokenLink() {
    var k = KernelState(plan: .sample)
    _ = k.run(waitEvent(Self.badged))
    _ = k.run(waitEvent(Self.badged))
    k.store(T.second &+ ObjectLayout.tcbEPPrev, 0)
    #expect(k.ntfnInvariantViolations().contains { $0.invariant == "sym_heap_ep_pointers" })
  }

  /// The planted bug: the woken waiter's badge register gets 0.
  @Test func signalDropsBadgeGivesTheWaiterZero() {
    var k = KernelState(plan: .sample)
    k.plantedBug = .signalDropsBadge
    _ = k.run(waitEvent(Self.badged))
    _ = k.run(signalEvent(Self.badged))
    #expect(k.userContext(of: S.mainTCB)?.badgeRegister == 0)
  }

  // MARK: - A notification's scheduling context (`maybeDonateSchedContext`, `maybeReturnSchedContext`)

  /// The reviewer's example: `main`'s context S also bound to the notification N; `main` waits on
  /// N and gives S back; the next thread signals N and the passive `main` receives S again.
  @Test func waitingGivesTheNotificationsContextBackAndASignalDonatesIt() {
    var k = KernelState(plan: .sampleForSchedContext)
    expectSuccess(k.run(schedContextCall(.schedContextBind, mainSCCptr, SCCaps.ntfn)))
    #expect(nonZero(k.schedContextWord(of: S.mainTCB)) == S.schedContext)
    _ = k.run(waitEvent(SCCaps.ntfn))
    #expect(nonZero(k.schedContextWord(of: S.mainTCB)) == nil)
    #expect(nonZero(k.scTcb(of: S.schedContext)) == nil)
    #expect(k.ksCurThread != S.mainTCB)
    _ = k.run(signalEvent(SCCaps.ntfn))
    #expect(nonZero(k.schedContextWord(of: S.mainTCB)) == S.schedContext)
    #expect(nonZero(k.scTcb(of: S.schedContext)) == S.mainTCB)
    #expect(k.isSchedulable(S.mainTCB))
  }

  /// A pending signal taken by a passive thread (the blocked server, by a direct call) donates the
  /// notification's context, in `receiveSignal` and in `completeSignal` alike; taken by a thread
  /// with a context of its own, nothing moves.
  @Test func aPendingSignalDonatesTheContextToAPassiveThread() {
    typealias P = SystemPlan.SampleServer
    var k = KernelState(plan: .sampleForSchedContext)
    k.schedContextBindNtfn(ReadySC.address, S.notification)
    k.sendSignal(S.notification, 5)
    var viaComplete = k
    var ownContext = k
    k.receiveSignal(P.serverTCB, S.notification, isBlocking: true)
    #expect(nonZero(k.schedContextWord(of: P.serverTCB)) == ReadySC.address)
    #expect(nonZero(k.scTcb(of: ReadySC.address)) == P.serverTCB)
    viaComplete.completeSignal(S.notification, P.serverTCB)
    #expect(viaComplete == k)
    ownContext.completeSignal(S.notification, S.mainTCB)
    #expect(nonZero(ownContext.scTcb(of: ReadySC.address)) == nil)
  }

  /// A word read as an optional reference (0: none).
  func nonZero(_ word: UInt64?) -> UInt64? { word == 0 ? nil : word }
}

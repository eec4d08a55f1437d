// The kernel's endpoints on words: the head word and the tail-and-state word, the queue linked
// through the queued threads' `tcbEPNext`/`tcbEPPrev` in priority order, a sender's
// `tcbBlockingIPC...` words, and `valid_ep'`, the endpoint part of `sym_refs'` and
// `sym_heap_ep_pointers` seeing a planted broken endpoint.

import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct EndpointTests {
  typealias T = SystemPlan.Threads

  @Test func aBlockedSenderKeepsItsBadgeInItsWordsAndAReceiverTakesIt() {
    var k = KernelState(plan: .sample)
    _ = k.run(sendEvent(S.cptr(aux: 0), label: 4, [7]))
    #expect(k.epState(of: S.endpoint) == .send)
    #expect(k.epQueue(of: S.endpoint) == (head: S.mainTCB, tail: S.mainTCB))
    #expect(k.threadState(of: S.mainTCB) == .blockedOnSend && k.blockingObject(of: S.mainTCB) == S.endpoint)
    #expect(
      k.blockingIPCFields(of: S.mainTCB) == IPCSendFields(badge: 5, canGrant: true, canGrantReply: false, isCall: false)
    )
    _ = k.run(receiveEvent(S.cptr(root: 3), syscall: .nbWait))
    #expect(k.epState(of: S.endpoint) == .idle && k.epQueue(of: S.endpoint) == (head: 0, tail: 0))
    let context = k.userContext(of: T.second)
    #expect(context?.badgeRegister == 5 && context?.msgRegister(0) == 7)
    #expect(k.threadState(of: S.mainTCB) == .running)
    #expect(k.invariantViolations().isEmpty)
  }

  /// Capability transfer with Grant: main waits naming root slot 20 as its receive slot;
  /// `second` sends a notification cap, which goes into the slot as the CDT child of the
  /// sender's slot (which keeps its cap), and an endpoint cap to the same endpoint, unwrapped
  /// into its badge. Without Grant the send goes on, no cap moves.
  @Test func aSendWithGrantTransfersItsExtraCaps() {
    let slot20 = ReceiveSlot(cnode: S.rootCNodeCptr, index: 20, depth: 56)
    var k = KernelState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    let granted = k.run(sendEvent(S.cptr(aux: 0), label: 2, [8], caps: [S.cptr(root: 4), S.cptr(aux: 0)]))
    #expect(granted.notModelled == nil)
    let ntfn = Capability.notification(S.notification, badge: 0, rights: [.read, .write])
    let (dest, source) = (k.cteAddress(of: S.root(20)) ?? 0, k.cteAddress(of: S.root(4)) ?? 0)
    #expect(k.getCap(dest) == ntfn && k.getCap(source) == ntfn)
    #expect(k.mdbPrev(dest) == source && k.mdbNext(source) == dest)
    let context = k.userContext(of: S.mainTCB)
    #expect(context?.msgInfoRegister == MessageInfo(label: 2, capsUnwrapped: 0b10, extraCaps: 2, length: 1).word)
    #expect(context?.capsOrBadges == [0, 5, 0])
    #expect(k.invariantViolations().isEmpty)
    var plain = KernelState(plan: .sample)
    _ = plain.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    _ = plain.run(sendEvent(S.cptr(root: 14), label: 2, [8], caps: [S.cptr(root: 4)]))
    #expect(plain.getCap((plain.cteAddress(of: S.root(20)) ?? 0)) == .null)
  }

  @Test func queuedThreadsAreLinkedInPriorityOrder() {
    var k = KernelState(plan: .sample)
    k.tcbEPAppend(T.low, endpoint: S.endpoint, .recv)
    k.tcbEPAppend(S.mainTCB, endpoint: S.endpoint, .recv)
    k.tcbEPAppend(T.second, endpoint: S.endpoint, .recv)
    #expect(k.epQueue(of: S.endpoint) == (head: S.mainTCB, tail: T.low))
    #expect(k.epState(of: S.endpoint) == .recv)
    #expect(k.epQueueWalk(S.endpoint).threads == [S.mainTCB, T.second, T.low])
    k.tcbEPDequeue(T.second, endpoint: S.endpoint)
    #expect(k.epLinks(of: T.second) == (next: 0, prev: 0))
    #expect(k.epLinks(of: S.mainTCB) == (next: T.low, prev: 0))
    k.tcbEPDequeue(S.mainTCB, endpoint: S.endpoint)
    k.tcbEPDequeue(T.low, endpoint: S.endpoint)
    #expect(k.epState(of: S.endpoint) == .idle)
  }

  /// `sorted_ipc_queues'`: a queue whose priority words rise from the head is caught.
  @Test func anUnsortedQueueIsCaught() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var k = KernelState(plan: plan)
    _ = k.run(sendEvent(S.cptr(root: 3)))
    _ = k.run(sendEvent(S.cptr(root: 3)))
    #expect(k.epQueueWalk(S.endpoint).threads == [S.mainTCB, T.low])
    var raised = k
    raised.store(T.low &+ ObjectLayout.tcbPriority, 200)
    #expect(raised.invariantViolations().map(\.invariant) == ["sorted_ipc_queues'"])
  }

  @Test func brokenEndpointsAreCaught() {
    var k = KernelState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    #expect(k.invariantViolations().isEmpty)
    func names(_ s: KernelState) -> [String] { s.invariantViolations().map(\.conjunct) }
    var link = k
    link.store(T.second &+ ObjectLayout.tcbEPPrev, 0)
    #expect(names(link).contains("sym_heap_ep_pointers"))
    var idle = k
    idle.store(S.endpoint &+ ObjectLayout.epWord1, ObjectLayout.epQueueTail.set(0, to: T.second >> 2))
    #expect(names(idle).contains("valid_ep'"))
    var notBlocked = k
    notBlocked.store(T.second &+ ObjectLayout.tcbState, KernelThreadState.blockedOnSend.rawValue)
    #expect(names(notBlocked).contains("ep_queue'"))
  }

  /// The planted bug: the receiver gets the badge with its lowest bit flipped.
  @Test func ipcWrongBadgeFlipsTheBadge() {
    var k = KernelState(plan: .sample)
    k.plantedBug = .ipcWrongBadge
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    _ = k.run(sendEvent(S.cptr(aux: 0)))
    #expect(k.userContext(of: S.mainTCB)?.badgeRegister == 4)
  }
}

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

  /// Capability transfer is not modelled: a send through a cap with Grant that names an extra cap
  /// writes nothing, even with a receiver waiting; without Grant the send goes on, no cap moves.
  @Test func aSendWithGrantAndExtraCapsIsNotModelled() {
    var k = KernelState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    let before = k
    let granted = k.run(sendEvent(S.cptr(aux: 0), label: 2, [8], caps: [S.cptr(root: 3)]))
    #expect(granted.notModelled == .ipc)
    #expect(k == before)
    let plain = k.run(sendEvent(S.cptr(root: 14), label: 2, [8], caps: [S.cptr(root: 3)]))
    #expect(plain.notModelled == nil)
    #expect(k.epState(of: S.endpoint) == .idle)
    #expect(k.userContext(of: S.mainTCB)?.msgInfoRegister == MessageInfo(label: 2, length: 1).word)
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

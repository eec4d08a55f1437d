// The executable spec's endpoints: a blocked receiver given a sender's message and badge, the
// queue ordered by priority, and `valid_ep'` and the endpoint part of `sym_refs'` seeing a
// planted broken queue.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct EndpointTests {
  typealias T = SystemPlan.Threads
  func state(_ k: ExecState) -> Endpoint? { k.endpoint(at: S.endpoint) }

  @Test func aReceiverWaitsForASenderWhoseMessageAndBadgeItTakes() {
    var k = ExecState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    #expect(state(k) == .recvEP([S.mainTCB]))
    #expect(k.tcb(at: S.mainTCB)?.state == .blockedOnReceive(blockingObject: S.endpoint, replyObject: nil))
    _ = k.run(sendEvent(S.cptr(aux: 0), label: 2, [8]))
    #expect(state(k) == .idleEP)
    let context = k.tcb(at: S.mainTCB)?.context
    #expect(context?.badgeRegister == 5 && context?.msgRegister(0) == 8)
    #expect(context?.msgInfoRegister == MessageInfo(label: 2, length: 1).word)
    #expect(k.invariantViolations().isEmpty)
  }

  /// Capability transfer with Grant: main waits naming root slot 20 as its receive slot;
  /// `second` sends a notification cap, which goes into the slot as the CDT child of the
  /// sender's slot (which keeps its cap), and an endpoint cap to the same endpoint, unwrapped
  /// into its badge. Without Grant the send goes on, no cap moves.
  @Test func aSendWithGrantTransfersItsExtraCaps() {
    let slot20 = ReceiveSlot(cnode: S.rootCNodeCptr, index: 20, depth: 56)
    var k = ExecState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    let granted = k.run(sendEvent(S.cptr(aux: 0), label: 2, [8], caps: [S.cptr(root: 4), S.cptr(aux: 0)]))
    #expect(granted.notModelled == nil)
    let ntfn = Capability.notification(S.notification, badge: 0, rights: [.read, .write])
    #expect(k.getCap(S.root(20)) == ntfn && k.getCap(S.root(4)) == ntfn)
    #expect(k.cte(at: S.root(20))?.mdb.prev == S.root(4) && k.cte(at: S.root(4))?.mdb.next == S.root(20))
    let context = k.tcb(at: S.mainTCB)?.context
    #expect(context?.msgInfoRegister == MessageInfo(label: 2, capsUnwrapped: 0b10, extraCaps: 2, length: 1).word)
    #expect(context?.capsOrBadges == [0, 5, 0])
    #expect(k.invariantViolations().isEmpty)
    var plain = ExecState(plan: .sample)
    _ = plain.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    _ = plain.run(sendEvent(S.cptr(root: 14), label: 2, [8], caps: [S.cptr(root: 4)]))
    #expect(plain.getCap(S.root(20)) == .null)
  }

  @Test func theQueueIsOrderedByPriority() {
    var k = ExecState(plan: .sample)
    k.tcbEPAppend(T.low, endpoint: S.endpoint, .send)
    k.tcbEPAppend(S.mainTCB, endpoint: S.endpoint, .send)
    k.tcbEPAppend(T.second, endpoint: S.endpoint, .send)
    #expect(state(k) == .sendEP([S.mainTCB, T.second, T.low]))
    k.tcbEPDequeue(S.mainTCB, endpoint: S.endpoint)
    k.tcbEPDequeue(T.second, endpoint: S.endpoint)
    k.tcbEPDequeue(T.low, endpoint: S.endpoint)
    #expect(state(k) == .idleEP)
  }

  /// `sorted_ipc_queues'`: a queue whose priorities rise from the head is caught.
  @Test func anUnsortedQueueIsCaught() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var k = ExecState(plan: plan)
    _ = k.run(sendEvent(S.cptr(root: 3)))
    _ = k.run(sendEvent(S.cptr(root: 3)))
    #expect(state(k) == .sendEP([S.mainTCB, T.low]))
    #expect(k.sortedIPCQueues().isEmpty)
    var swapped = k
    swapped.ksPSpace[S.endpoint] = .endpoint(.sendEP([T.low, S.mainTCB]))
    #expect(swapped.invariantViolations().map(\.invariant) == ["sorted_ipc_queues'"])
  }

  @Test func brokenQueuesAreCaught() {
    var k = ExecState(plan: .sample)
    _ = k.run(sendEvent(S.cptr(root: 3)))
    #expect(k.invariantViolations().isEmpty)
    var notBlocked = k
    notBlocked.ksPSpace[S.endpoint] = .endpoint(.sendEP([S.mainTCB, T.low]))
    #expect(
      notBlocked.invariantViolations().contains { $0.invariant == "sym_refs'" && $0.conjunct == "ep_queue'" })
    var notQueued = k
    notQueued.ksPSpace[S.endpoint] = .endpoint(.idleEP)
    #expect(notQueued.invariantViolations().contains { $0.conjunct == "ep_queue'" })
    var twice = k
    twice.ksPSpace[S.endpoint] = .endpoint(.sendEP([S.mainTCB, S.mainTCB]))
    #expect(twice.invariantViolations().contains { $0.conjunct == "valid_ep'" })
  }
}

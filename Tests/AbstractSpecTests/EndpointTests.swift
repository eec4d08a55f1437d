// The abstract spec's endpoints: a blocked sender's message taken by a receiver with the badge,
// the queue ordered by priority, and `valid_ep` and the endpoint part of `sym_refs` seeing a
// planted broken queue.

import KernelABI
import TestSupport
import Testing

@testable import AbstractSpec

@Suite struct EndpointTests {
  typealias T = SystemPlan.Threads
  func state(_ k: AbstractState) -> EndpointState? { k.endpoint(at: S.endpoint)?.state }

  @Test func aSendWaitsForAReceiverThatTakesTheMessageAndBadge() {
    var k = AbstractState(plan: .sample)
    _ = k.run(sendEvent(S.cptr(root: 14), label: 9, [4, 5]))
    #expect(state(k) == .send([S.mainTCB]))
    #expect(k.currentThread == T.second)
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    #expect(state(k) == .idle)
    let context = k.tcb(at: T.second)?.context
    #expect(context?.badgeRegister == 5 && context?.msgRegister(0) == 4 && context?.msgRegister(1) == 5)
    #expect(context?.msgInfoRegister == MessageInfo(label: 9, length: 2).word)
    #expect(k.invariantViolations().isEmpty)
  }

  /// Capability transfer with Grant: main waits naming root slot 20 as its receive slot;
  /// `second` sends a notification cap, which goes into the slot as the CDT child of the
  /// sender's slot (which keeps its cap), and an endpoint cap to the same endpoint, unwrapped
  /// into its badge. Without Grant the send goes on, no cap moves.
  @Test func aSendWithGrantTransfersItsExtraCaps() {
    let slot20 = ReceiveSlot(cnode: S.rootCNodeCptr, index: 20, depth: 56)
    var k = AbstractState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    let granted = k.run(sendEvent(S.cptr(aux: 0), label: 2, [8], caps: [S.cptr(root: 4), S.cptr(aux: 0)]))
    #expect(granted.notModelled == nil)
    let ntfn = Capability.notification(S.notification, badge: 0, rights: [.read, .write])
    #expect(k.getCap(S.root(20)) == ntfn && k.getCap(S.root(4)) == ntfn)
    #expect(k.cdt[S.root(20)] == S.root(4))
    let context = k.tcb(at: S.mainTCB)?.context
    #expect(context?.msgInfoRegister == MessageInfo(label: 2, capsUnwrapped: 0b10, extraCaps: 2, length: 1).word)
    #expect(context?.capsOrBadges == [0, 5, 0])
    #expect(k.invariantViolations().isEmpty)
    var plain = AbstractState(plan: .sample)
    _ = plain.run(receiveEvent(S.cptr(root: 3), receiveSlot: slot20))
    _ = plain.run(sendEvent(S.cptr(root: 14), label: 2, [8], caps: [S.cptr(root: 4)]))
    #expect(plain.getCap(S.root(20)) == .null)
  }

  @Test func theQueueIsOrderedByPriority() {
    var k = AbstractState(plan: .sample)
    k.tcbEPAppend(T.low, endpoint: S.endpoint, .recv)
    k.tcbEPAppend(S.mainTCB, endpoint: S.endpoint, .recv)
    k.tcbEPAppend(T.second, endpoint: S.endpoint, .recv)
    #expect(state(k) == .recv([S.mainTCB, T.second, T.low]))
    k.tcbEPDequeue(T.second, endpoint: S.endpoint)
    #expect(state(k) == .recv([S.mainTCB, T.low]))
  }

  /// `sorted_ipc_queues`: a queue whose priorities rise from the head is caught.
  @Test func anUnsortedQueueIsCaught() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var k = AbstractState(plan: plan)
    _ = k.run(sendEvent(S.cptr(root: 3)))
    _ = k.run(sendEvent(S.cptr(root: 3)))
    #expect(state(k) == .send([S.mainTCB, T.low]))
    #expect(k.sortedIPCQueues().isEmpty)
    var raised = k
    raised.updateTCB(T.low) { $0.priority = 200 }
    #expect(raised.invariantViolations().map(\.invariant) == ["sorted_ipc_queues"])
  }

  @Test func brokenQueuesAreCaught() {
    var k = AbstractState(plan: .sample)
    _ = k.run(receiveEvent(S.cptr(root: 3)))
    #expect(k.invariantViolations().isEmpty)
    // A queued thread that is not blocked on the endpoint.
    var notBlocked = k
    notBlocked.kheap[S.endpoint] = .endpoint(Endpoint(state: .recv([S.mainTCB, T.second])))
    #expect(notBlocked.invariantViolations().contains { $0.invariant == "sym_refs" && $0.conjunct == "ep_queue" })
    // A blocked thread in no queue.
    var notQueued = k
    notQueued.kheap[S.endpoint] = .endpoint(Endpoint())
    #expect(notQueued.invariantViolations().contains { $0.conjunct == "ep_queue" })
    // A queue naming a thread twice, and an empty one.
    var twice = k
    twice.kheap[S.endpoint] = .endpoint(Endpoint(state: .recv([S.mainTCB, S.mainTCB])))
    #expect(twice.invariantViolations().contains { $0.invariant == "valid_objs" && $0.conjunct == "valid_ep" })
    var empty = AbstractState(plan: .sample)
    empty.kheap[S.endpoint] = .endpoint(Endpoint(state: .send([])))
    #expect(empty.invariantViolations().contains { $0.conjunct == "valid_ep" })
  }
}

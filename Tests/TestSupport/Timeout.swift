// Timeout faults and the wake-up `refill_unblock_check`, for every test target: the sporadic
// sample (`SystemPlan.sporadicSample`) with an endpoint cap (badge 5) in the main thread's
// timeout-handler slot, and the scenarios each layer's `TimeoutFaultTests` runs.
// (`seL4:src/kernel/thread.c` `endTimeslice`, `doReplyTransfer`; `src/kernel/faulthandler.c`
// `handleTimeout`; `src/api/faults.c` `setMRs_fault`, `handleFaultReply`;
// `src/object/notification.c` `sendSignal`; docs/time.md.)

import AbstractSpec
import ExecutableSpec
import Kernel
public import KernelABI
public import Testing

/// The timeout-fault scenarios' numbers and events.
public enum Timeout {
  /// The badge of the main thread's timeout-handler cap (the handler's badge register).
  public static let handlerBadge: UInt64 = 5
  /// The low thread receives on the sample's endpoint (root slot 3) with the reply object (root
  /// slot 5).
  public static let receive = receiveEvent(S.cptr(root: 3), syscall: .recv, reply: S.cptr(root: 5))
  /// The low thread replies through the reply object with `label` and receives again.
  public static func reply(label: UInt64) -> Event {
    replyRecvEvent(S.cptr(root: 3), reply: S.cptr(root: 5), label: label)
  }
  /// The main thread waits on the sample's notification (root slot 15, Read).
  public static let wait = receiveEvent(S.cptr(root: 15))
}

extension SystemPlan {
  /// `plan` with a timeout handler for the main thread: a copy of aux slot 0's endpoint cap
  /// (badge `Timeout.handlerBadge`; Read, Write and Grant).
  public static func withTimeoutHandler(_ plan: SystemPlan) -> SystemPlan {
    var plan = plan
    plan.caps[mainSlot(.timeoutHandler)] = .endpoint(
      S.endpoint, badge: Timeout.handlerBadge, rights: [.read, .write, .grant])
    plan.cdtParent[mainSlot(.timeoutHandler)] = S.aux(0)
    return plan
  }
}

extension LayerUnderTest {
  /// The fault `thread` waits to have handled, in this layer.
  public func fault(of thread: ObjectRef) -> ThreadFault? {
    switch state {
    case let s as AbstractState: s.tcb(at: thread)?.fault
    case let s as ExecState: s.tcb(at: thread)?.tcbFault
    case let s as KernelState: s.tcbFault(of: thread)
    default: nil
    }
  }

  /// Whether `thread` is Inactive in this layer.
  public func isInactive(_ thread: ObjectRef) -> Bool {
    switch state {
    case let s as AbstractState: s.tcb(at: thread)?.state == .inactive
    case let s as ExecState: s.tcb(at: thread)?.state == .inactive
    case let s as KernelState: s.threadState(of: thread) == .inactive
    default: false
    }
  }
}

/// The scenarios every layer's `TimeoutFaultTests` runs, invariants checked after every step.
public enum TimeoutScenarios {
  /// The main thread's sporadic budget runs out with a timeout handler: it sends a Timeout fault
  /// (badge: its context's, 0) and queues on the endpoint instead of being postponed; the low
  /// thread's Recv takes the message: label 5, MR0 the context's badge, MR1 the 200 µs consumed,
  /// length 2, the handler cap's badge in the badge register; the context's consumed count is
  /// reset. Its reply with `label` 0 restarts the main thread, whose refill is not ready, and
  /// the fault just answered was a Timeout, so it is postponed (no second fault); any other
  /// label leaves it Inactive.
  public static func faultAndReply(
    _ layer: Layer, label: UInt64, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var run = LayerUnderTest(layer, plan: .withTimeoutHandler(.sporadicSample))
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(run.fault(of: S.mainTCB) == .timeout(badge: 0), "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.consumed[S.schedContext] == Budget.budget, "\(layer)", sourceLocation: sourceLocation)

    run.run(Timeout.receive, sourceLocation: sourceLocation)
    let context = run.userContext(of: S.lowTCB)
    let consumedMicroseconds = Budget.budget / TimeConfig.ticksPerMicrosecond
    #expect(
      context?.reply == ReplyMessage(info: MessageInfo(label: 5, length: 2), registers: [0, consumedMicroseconds]),
      "\(layer): \(String(describing: context))", sourceLocation: sourceLocation)
    #expect(context?.badgeRegister == Timeout.handlerBadge, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.consumed[S.schedContext] == 0, "\(layer)", sourceLocation: sourceLocation)

    run.run(Timeout.reply(label: label), sourceLocation: sourceLocation)
    #expect(run.fault(of: S.mainTCB) == nil, "\(layer)", sourceLocation: sourceLocation)
    if label == 0 {
      #expect(run.time.releaseQueue == [S.mainTCB], "\(layer)", sourceLocation: sourceLocation)
      #expect(!run.isInactive(S.mainTCB), "\(layer)", sourceLocation: sourceLocation)
    } else {
      #expect(run.time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
      #expect(run.isInactive(S.mainTCB), "\(layer)", sourceLocation: sourceLocation)
    }
  }

  /// Without a timeout handler the exhausted sporadic thread is postponed, with no fault; a
  /// round-robin thread with a timeout handler takes no timeout fault either: its timeslice ends
  /// and the second thread (round robin, same priority) runs.
  public static func noFaultWithoutHandlerOrOnRoundRobin(
    _ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var sporadic = LayerUnderTest(layer, plan: .sporadicSample)
    sporadic.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(sporadic.fault(of: S.mainTCB) == nil, "\(layer)", sourceLocation: sourceLocation)
    #expect(sporadic.time.releaseQueue == [S.mainTCB], "\(layer)", sourceLocation: sourceLocation)

    var roundRobin = LayerUnderTest(layer, plan: .withTimeoutHandler(.sample))
    roundRobin.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(roundRobin.fault(of: S.mainTCB) == nil, "\(layer)", sourceLocation: sourceLocation)
    #expect(roundRobin.time.current == S.secondTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(roundRobin.time.queued.contains(S.mainTCB), "\(layer)", sourceLocation: sourceLocation)
  }

  /// The wake-up `refill_unblock_check` of `sendSignal`: the main thread runs 700 ticks and waits
  /// on the notification (its refills: 1,300 ticks from 700, and the 700 used back at 10,000, a
  /// period after they began); the low thread
  /// runs 1,000 ticks and signals it. The woken thread's context is sporadic and not `ksCurSC`,
  /// and its head is ready, so the head starts now: 1,300 ticks from 1,700.
  public static func signalUnblocksTheRefills(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sporadicSample)
    run.run(.timerTick(ticks: 700), sourceLocation: sourceLocation)
    run.run(Timeout.wait, sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(
      run.time.refills[S.schedContext] == [Refill(rTime: 700, rAmount: 1_300), Refill(rTime: 10_000, rAmount: 700)],
      "\(layer): \(String(describing: run.time.refills[S.schedContext]))", sourceLocation: sourceLocation)
    run.run(.timerTick(ticks: 1_000), sourceLocation: sourceLocation)
    run.run(Budget.signal, sourceLocation: sourceLocation)
    #expect(run.time.current == S.mainTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(
      run.time.refills[S.schedContext] == [Refill(rTime: 1_700, rAmount: 1_300), Refill(rTime: 10_000, rAmount: 700)],
      "\(layer): \(String(describing: run.time.refills[S.schedContext]))", sourceLocation: sourceLocation)
  }
}

extension TimeoutScenarios {
  /// The event that ends the budget reports the Timeout fault it raised: the timer interrupt that
  /// exhausts the main thread's sporadic budget, and a system call made when the head refill no
  /// longer covers the time used (the call is not handled: its thread faults instead).
  public static func theEventReportsTheFault(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var timer = LayerUnderTest(layer, plan: .withTimeoutHandler(.sporadicSample))
    let observation = timer.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(observation.fault == .timeout(badge: 0), "\(layer)", sourceLocation: sourceLocation)

    var call = LayerUnderTest(layer, plan: .withTimeoutHandler(.sporadicSample))
    #expect(call.run(.timerTick(ticks: 1_990), sourceLocation: sourceLocation).fault == nil, "\(layer)")
    let refused = call.run(Budget.signal, sourceLocation: sourceLocation)
    #expect(refused.fault == .timeout(badge: 0), "\(layer)", sourceLocation: sourceLocation)
    #expect(call.fault(of: S.mainTCB) == .timeout(badge: 0), "\(layer)", sourceLocation: sourceLocation)
  }
}

// Timeout faults and the wake-up `refill_unblock_check`, for every test target: the sporadic
// sample (`SystemPlan.sporadicSample`) with an endpoint cap (badge 5) in the main thread's
// timeout-handler slot and its context badged `Timeout.contextBadge`, a sample whose context is a
// sporadic server by ConfigureFlags' flag, and the scenarios each layer's `TimeoutFaultTests`
// runs. (`seL4:src/kernel/thread.c` `endTimeslice`, `doReplyTransfer`;
// `src/kernel/faulthandler.c` `handleTimeout`; `src/api/faults.c` `setMRs_fault`,
// `handleFaultReply`; `src/object/notification.c` `sendSignal`; `src/object/endpoint.c`
// `sendIPC`, `receiveIPC`; docs/time.md.)

import AbstractSpec
import ExecutableSpec
import Kernel
public import KernelABI
public import Testing

/// The timeout-fault scenarios' numbers and events.
public enum Timeout {
  /// The badge of the main thread's timeout-handler cap (the handler's badge register).
  public static let handlerBadge: UInt64 = 5
  /// The badge the main thread's scheduling context is configured with (ConfigureFlags' badge):
  /// its Timeout faults carry it in MR0. Not 0, so a layer that sends a constant 0 is caught.
  public static let contextBadge: UInt64 = 0x5C
  /// The low thread receives on the sample's endpoint (root slot 3) with the reply object (root
  /// slot 5).
  public static let receive = receiveEvent(S.cptr(root: 3), syscall: .recv, reply: S.cptr(root: 5))
  /// The low thread replies through the reply object with `label` and receives again.
  public static func reply(label: UInt64) -> Event {
    replyRecvEvent(S.cptr(root: 3), reply: S.cptr(root: 5), label: label)
  }
  /// The main thread waits on the sample's notification (root slot 15, Read).
  public static let wait = receiveEvent(S.cptr(root: 15))
  /// The current thread sends on the sample's endpoint (root slot 3), blocking until a receiver
  /// takes the message.
  public static let send = invoke(S.cptr(root: 3), label: 0, [], syscall: .send)
  /// The current thread calls on the sample's endpoint (root slot 3).
  public static let call = invoke(S.cptr(root: 3), label: 0, [], syscall: .call)
}

extension SystemPlan {
  /// `plan` with a timeout handler for the main thread: a copy of aux slot 0's endpoint cap
  /// (badge `Timeout.handlerBadge`; Read, Write and Grant, masked by `rights`), and the main
  /// thread's scheduling context configured with badge `Timeout.contextBadge`.
  public static func withTimeoutHandler(_ plan: SystemPlan, rights: CapRights = .all) -> SystemPlan {
    var plan = plan
    plan.caps[mainSlot(.timeoutHandler)] = .endpoint(
      S.endpoint, badge: Timeout.handlerBadge, rights: CapRights([.read, .write, .grant]).intersection(rights))
    plan.cdtParent[mainSlot(.timeoutHandler)] = S.aux(0)
    plan.schedContexts[S.schedContext]?.badge = Timeout.contextBadge
    return plan
  }

  /// `withTimeoutHandler(.sporadicSample)` with the second thread a passive timeout handler: no
  /// scheduling context, started in Recv on the endpoint with the reply object.
  public static var passiveTimeoutHandler: SystemPlan {
    var plan = SystemPlan.withTimeoutHandler(.sporadicSample)
    for (i, thread) in plan.threads.enumerated() where thread.tcb == S.secondTCB {
      plan.threads[i].schedContext = nil
      plan.threads[i].receive = Thread.Receive(endpoint: S.endpoint, reply: S.reply)
    }
    return plan
  }

  /// `sporadicSample` with the main thread's context a sporadic server (ConfigureFlags' flag) and
  /// the main thread at priority 30, below the low (50) and second (40) threads: the thread that
  /// wakes it is not preempted by it, so `switchSchedContext` (which checks constant-bandwidth
  /// contexts only) never runs for it and only the wake-up site can change its refills.
  public static var sporadicWakeUpSample: SystemPlan {
    var plan = SystemPlan.sporadicSample
    plan.schedContexts[S.schedContext]?.sporadic = true
    for (i, thread) in plan.threads.enumerated() where thread.tcb == S.mainTCB {
      plan.threads[i].priority = 30
    }
    return plan
  }
}

/// Where seL4 runs the wake-up `refill_unblock_check` on a woken thread's sporadic context that
/// is not `ksCurSC` (`ifSporadicCurSCRefillUnblockCheck`), and how the main thread blocks and
/// the low thread wakes it there.
public enum WakeUpSite: String, CaseIterable, Sendable {
  /// The main thread waits on the notification; the low thread signals it (`sendSignal`).
  case signal
  /// The main thread receives on the endpoint; the low thread sends to it (`sendIPC`).
  case send
  /// The main thread sends on the endpoint; the low thread receives the message (`receiveIPC`).
  case receive
  /// The main thread calls on the endpoint; the low thread receives the call and replies
  /// (`doReplyTransfer`).
  case reply

  /// The main thread's blocking call.
  public var block: Event {
    switch self {
    case .signal: Timeout.wait
    case .send: Timeout.receive
    case .receive: Timeout.send
    case .reply: Timeout.call
    }
  }

  /// The low thread's events before it runs its 1,000 ticks.
  public var before: [Event] { self == .reply ? [Timeout.receive] : [] }

  /// The low thread's event that wakes the main thread.
  public var wake: Event {
    switch self {
    case .signal: Budget.signal
    case .send: Timeout.send
    case .receive: Timeout.receive
    case .reply: Timeout.reply(label: 0)
    }
  }

  /// The thread that runs after the wake-up: the low thread, or, after its ReplyRecv leaves it
  /// waiting, the second thread (priority 40, above the woken main thread's 30).
  public var currentAfter: ObjectRef { self == .reply ? S.secondTCB : S.lowTCB }
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

  /// The scheduling context bound to `thread` in this layer, if any.
  public func boundSchedContext(of thread: ObjectRef) -> ObjectRef? {
    switch state {
    case let s as AbstractState: s.tcb(at: thread)?.schedContext
    case let s as ExecState: s.tcb(at: thread)?.schedContext
    case let s as KernelState: s.schedContextWord(of: thread).flatMap { $0 == 0 ? nil : $0 }
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
  /// (badge: its context's, `Timeout.contextBadge`) and queues on the endpoint instead of being postponed; the low
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
    #expect(
      run.fault(of: S.mainTCB) == .timeout(badge: Timeout.contextBadge), "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.consumed[S.schedContext] == Budget.budget, "\(layer)", sourceLocation: sourceLocation)

    run.run(Timeout.receive, sourceLocation: sourceLocation)
    let context = run.userContext(of: S.lowTCB)
    let consumedMicroseconds = Budget.budget / TimeConfig.ticksPerMicrosecond
    #expect(
      context?.reply
        == ReplyMessage(
          info: MessageInfo(label: 5, length: 2), registers: [Timeout.contextBadge, consumedMicroseconds]),
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

  /// The wake-up `refill_unblock_check` at `site`, on the sporadic wake-up sample: the main
  /// thread runs 700 ticks and blocks (its refills: 1,300 ticks from 700, and the 700 used back at
  /// 10,000, a period after they began); the low thread runs 1,000 ticks and wakes it. The woken
  /// thread's context is sporadic and not `ksCurSC`, and its head is ready, so the head starts
  /// now: 1,300 ticks from 1,700. The woken thread (priority 30) does not run, so no
  /// `switchSchedContext` can have moved the head; without the site's check it stays at 700.
  public static func wakeUpUnblocksTheRefills(
    _ layer: Layer, at site: WakeUpSite, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var run = LayerUnderTest(layer, plan: .sporadicWakeUpSample)
    run.run(.timerTick(ticks: 700), sourceLocation: sourceLocation)
    #expect(run.time.current == S.mainTCB, "\(layer) \(site)", sourceLocation: sourceLocation)
    run.run(site.block, sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer) \(site)", sourceLocation: sourceLocation)
    #expect(
      run.time.refills[S.schedContext] == [Refill(rTime: 700, rAmount: 1_300), Refill(rTime: 10_000, rAmount: 700)],
      "\(layer) \(site): \(String(describing: run.time.refills[S.schedContext]))", sourceLocation: sourceLocation)
    for event in site.before { run.run(event, sourceLocation: sourceLocation) }
    run.run(.timerTick(ticks: 1_000), sourceLocation: sourceLocation)
    run.run(site.wake, sourceLocation: sourceLocation)
    #expect(run.time.current == site.currentAfter, "\(layer) \(site)", sourceLocation: sourceLocation)
    #expect(run.time.queued.contains(S.mainTCB), "\(layer) \(site)", sourceLocation: sourceLocation)
    #expect(
      run.time.refills[S.schedContext] == [Refill(rTime: 1_700, rAmount: 1_300), Refill(rTime: 10_000, rAmount: 700)],
      "\(layer) \(site): \(String(describing: run.time.refills[S.schedContext]))", sourceLocation: sourceLocation)
  }

  /// A Timeout fault does not donate the faulting thread's scheduling context (`handleTimeout`
  /// sends with `canDonate` false): the passive handler, waiting in Recv with a reply object,
  /// takes the message (label 5, the context's badge, the 200 µs consumed) and stays without a
  /// context, so it does not run; the main thread keeps its context and waits for the reply.
  public static func aTimeoutFaultDonatesNothing(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .passiveTimeoutHandler)
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(
      run.fault(of: S.mainTCB) == .timeout(badge: Timeout.contextBadge), "\(layer)", sourceLocation: sourceLocation)
    #expect(run.boundSchedContext(of: S.mainTCB) == S.schedContext, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.boundSchedContext(of: S.secondTCB) == nil, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(!run.isInactive(S.secondTCB), "\(layer)", sourceLocation: sourceLocation)
    let context = run.userContext(of: S.secondTCB)
    let consumedMicroseconds = Budget.budget / TimeConfig.ticksPerMicrosecond
    #expect(
      context?.reply
        == ReplyMessage(
          info: MessageInfo(label: 5, length: 2), registers: [Timeout.contextBadge, consumedMicroseconds]),
      "\(layer): \(String(describing: context))", sourceLocation: sourceLocation)
  }
}

extension TimeoutScenarios {
  /// The event that ends the budget reports the Timeout fault it raised: the timer interrupt that
  /// exhausts the main thread's sporadic budget, and a system call made when the head refill no
  /// longer covers the time used (the call is not handled: its thread faults instead).
  public static func theEventReportsTheFault(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var timer = LayerUnderTest(layer, plan: .withTimeoutHandler(.sporadicSample))
    let observation = timer.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(observation.fault == .timeout(badge: Timeout.contextBadge), "\(layer)", sourceLocation: sourceLocation)

    var call = LayerUnderTest(layer, plan: .withTimeoutHandler(.sporadicSample))
    #expect(call.run(.timerTick(ticks: 1_990), sourceLocation: sourceLocation).fault == nil, "\(layer)")
    let refused = call.run(Budget.signal, sourceLocation: sourceLocation)
    #expect(refused.fault == .timeout(badge: Timeout.contextBadge), "\(layer)", sourceLocation: sourceLocation)
    #expect(
      call.fault(of: S.mainTCB) == .timeout(badge: Timeout.contextBadge), "\(layer)", sourceLocation: sourceLocation)
  }
}

// TCB_BindNotification, TCB_UnbindNotification, TCB_SetSchedParams (MCS: binding and unbinding a
// scheduling context, installing the fault handler) and TCB_SetTimeoutEndpoint, through the
// lockstep checker on the sample (main and `second` at priority 100, `low` at 50, each on its own
// configured scheduling context). Every step is checked in lockstep (R1, R2, observations,
// invariants); each test also reads the result in all three layers. The order of each method's
// errors is in `ErrorOrderTests`.

import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct TCBControlTests {
  typealias T = SystemPlan.Threads
  static let main = S.cptr(root: 1)
  static let second = S.cptr(root: T.secondSlot)
  static let low = S.cptr(root: T.lowSlot)
  static let ntfn = S.cptr(root: 4)
  static let lowSC = S.cptr(root: T.lowSCSlot)
  static let empty = S.cptr(root: 30)
  static let endpoint = S.cptr(root: 3)

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  func setSchedParams(_ target: UInt64, _ mcp: UInt64, _ prio: UInt64, sc: UInt64, handler: UInt64 = empty) -> Event {
    invoke(target, .tcbSetSchedParams, [mcp, prio], caps: [Self.main, sc, handler])
  }

  /// The notification bound to `thread` in each layer (kernel: 0 for none).
  func boundNotification(_ checker: LockstepChecker, _ thread: ObjectRef) -> [ObjectRef?] {
    let kernel = checker.kernel.boundNotificationWord(of: thread)
    return [
      checker.abstract.tcb(at: thread)?.boundNotification, checker.exec.tcb(at: thread)?.tcbBoundNotification,
      kernel == 0 ? nil : kernel,
    ]
  }

  /// The scheduling context bound to `thread` in each layer, and the thread bound to `sc`.
  func binding(_ checker: LockstepChecker, _ thread: ObjectRef, _ sc: ObjectRef) -> [[ObjectRef?]] {
    let kernelSC = checker.kernel.schedContextWord(of: thread) ?? 0
    let kernelTCB = checker.kernel.scTcb(of: sc) ?? 0
    return [
      [checker.abstract.tcb(at: thread)?.schedContext, checker.abstract.schedContext(at: sc)?.tcb],
      [checker.exec.tcb(at: thread)?.schedContext, checker.exec.schedContext(at: sc)?.tcb],
      [kernelSC == 0 ? nil : kernelSC, kernelTCB == 0 ? nil : kernelTCB],
    ]
  }

  func queue(_ checker: LockstepChecker, _ priority: UInt64) -> [[ObjectRef]] {
    let index = ReadyQueueIndex(domain: 0, priority: priority)
    return [
      checker.abstract.readyQueue(index), checker.exec.readyQueue(index),
      checker.kernel.readyQueueWalk(0, priority).threads,
    ]
  }

  /// The cap in `thread`'s slot `index` in each layer.
  func tcbCap(_ checker: LockstepChecker, _ thread: ObjectRef, _ index: TCBSlot) -> [Capability] {
    let slot = SlotRef(thread, index.rawValue)
    let kernel = checker.kernel.capability(at: slot) ?? .null
    return [checker.abstract.getCap(slot), checker.exec.getCap(slot), kernel]
  }

  // MARK: - BindNotification, UnbindNotification

  /// Binding links the thread and the notification both ways in every layer; unbinding undoes it.
  @Test func bindThenUnbindLinksAndUnlinksBothWays() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.low, .tcbBindNotification, [], caps: [Self.ntfn])))
    #expect(boundNotification(checker, T.low) == Array(repeating: S.notification, count: 3))
    #expect(checker.abstract.notification(at: S.notification)?.boundTCB == T.low)
    #expect(checker.exec.notification(at: S.notification)?.ntfnBoundTCB == T.low)
    #expect(checker.kernel.ntfnBoundTCB(of: S.notification) == T.low)
    expectSuccess(step(&checker, invoke(Self.low, .tcbUnbindNotification, [])))
    #expect(boundNotification(checker, T.low) == [nil, nil, nil])
    #expect(checker.kernel.ntfnBoundTCB(of: S.notification) == 0)
  }

  /// Once bound to low, the notification can be waited on by low only: main's Wait is a capability
  /// fault (in the receive phase), and with no fault handler main stops.
  @Test func onlyTheBoundThreadMayWait() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.low, .tcbBindNotification, [], caps: [Self.ntfn]))
    let observation = step(&checker, waitEvent(Self.ntfn))
    #expect(observation.fault != nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(checker.kernel.threadState(of: S.mainTCB) == .inactive)
  }

  /// A signal to a bound notification whose thread is not waiting (on an endpoint: not modelled
  /// yet) makes the notification active, and the bound thread takes the badge with its next Wait.
  @Test func aBoundThreadReceivesTheSignal() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.main, .tcbBindNotification, [], caps: [Self.ntfn]))
    step(&checker, signalEvent(S.cptr(root: T.ntfnSlot)))
    step(&checker, waitEvent(Self.ntfn))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.context.badgeRegister == 6)
    #expect(checker.kernel.threadState(of: S.mainTCB) == .running)
  }

  /// Deleting the bound thread's TCB (its last cap) unbinds the notification, which can be bound
  /// again.
  @Test func deletingTheBoundThreadUnbindsTheNotification() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.low, .tcbBindNotification, [], caps: [Self.ntfn]))
    expectSuccess(step(&checker, cnodeDelete(.root(T.lowSlot))))
    #expect(checker.abstract.notification(at: S.notification)?.boundTCB == nil)
    #expect(checker.kernel.ntfnBoundTCB(of: S.notification) == 0)
    expectSuccess(step(&checker, invoke(Self.main, .tcbBindNotification, [], caps: [Self.ntfn])))
  }

  // MARK: - SetSchedParams

  /// Unbinding low's scheduling context takes it out of its ready queue; binding it again queues it
  /// at the head and the scheduler chooses (main, at 100, keeps running).
  @Test func unbindingAndRebindingAContextDequeuesAndRequeues() {
    var checker = LockstepChecker(plan: .sample)
    #expect(queue(checker, 50) == Array(repeating: [T.low], count: 3))
    expectSuccess(step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.empty)))
    #expect(binding(checker, T.low, T.lowSC) == Array(repeating: [nil, nil], count: 3))
    #expect(queue(checker, 50) == [[], [], []])
    expectSuccess(step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.lowSC)))
    #expect(binding(checker, T.low, T.lowSC) == Array(repeating: [T.lowSC, T.low], count: 3))
    #expect(queue(checker, 50) == Array(repeating: [T.low], count: 3))
    #expect(checker.abstract.currentThread == S.mainTCB && checker.kernel.ksCurThread == S.mainTCB)
  }

  /// Priority and scheduling context in one call: low, given priority 120 and its context back, runs
  /// at once (the bind's reschedule); main, still Restart when the invocation ends, is answered first.
  @Test func rebindingAboveTheCallerPreemptsIt() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.empty))
    step(&checker, setSchedParams(Self.low, 200, 120, sc: Self.lowSC))
    #expect(checker.abstract.currentThread == T.low && checker.exec.ksCurThread == T.low)
    #expect(checker.kernel.ksCurThread == T.low)
    #expect(checker.kernel.maxControlledPriority(of: T.low) == 200)
  }

  /// A context with no refills (just retyped: not configured) binds, but the thread cannot run on
  /// it (`isSchedulable`), so it is not queued.
  @Test func anUnconfiguredContextBindsButDoesNotSchedule() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.empty))
    expectSuccess(step(&checker, retype(10, .schedContext, sizeBits: 8, offset: 31)))
    expectSuccess(step(&checker, setSchedParams(Self.low, 50, 50, sc: S.cptr(root: 31))))
    #expect(queue(checker, 50) == [[], [], []])
    let sc = checker.abstract.getCap(S.root(31)).objectRef ?? 0
    #expect(binding(checker, T.low, sc) == Array(repeating: [sc, T.low], count: 3))
  }

  /// A thread waiting on a notification may take back a configured context but not an unconfigured
  /// one (MCS: blocked and not `sc_released` is IllegalOperation).
  @Test func aBlockedThreadTakesOnlyAReleasedContext() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, waitEvent(S.cptr(root: T.ntfnSlot)))
    #expect(checker.abstract.currentThread == T.second)
    expectSuccess(step(&checker, setSchedParams(Self.main, 255, 100, sc: Self.empty)))
    step(&checker, retype(10, .schedContext, sizeBits: 8, offset: 31))
    let refused = step(&checker, setSchedParams(Self.main, 255, 100, sc: S.cptr(root: 31)))
    #expect(refused.reply == ReplyMessage(error: .illegalOperation))
    expectSuccess(step(&checker, setSchedParams(Self.main, 255, 100, sc: S.cptr(root: 6))))
    #expect(binding(checker, S.mainTCB, S.schedContext) == Array(repeating: [S.schedContext, S.mainTCB], count: 3))
  }

  /// The fault handler goes into the TCB's fault-handler slot as a copy of the caller's cap (a
  /// child of nothing new: the endpoint cap's sibling), and a Null handler empties the slot.
  @Test func theFaultHandlerIsInstalledAndRemoved() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.lowSC, handler: Self.endpoint)))
    let installed = Capability.endpoint(S.endpoint, badge: 0, rights: .all)
    #expect(tcbCap(checker, T.low, .faultHandler) == Array(repeating: installed, count: 3))
    expectSuccess(step(&checker, setSchedParams(Self.low, 50, 50, sc: Self.lowSC)))
    #expect(tcbCap(checker, T.low, .faultHandler) == [.null, .null, .null])
  }

  /// With a handler installed, a capability fault is delivered to it as IPC instead of stopping
  /// the thread: with no one receiving, the thread queues on the handler's endpoint.
  @Test func aThreadWithAHandlerDoesNotStopOnAFault() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, setSchedParams(Self.main, 255, 100, sc: S.cptr(root: 6), handler: Self.endpoint))
    // A cptr with a guard bit set: the lookup fails, a capability fault.
    let observation = step(&checker, invoke(1 << 63, .cnodeDelete, [0, 0]))
    #expect(observation.notModelled == nil && observation.fault != nil)
    #expect(checker.kernel.threadState(of: S.mainTCB) == .blockedOnSend)
  }

  // MARK: - SetTimeoutEndpoint

  /// The timeout handler goes into the timeout-handler slot; replacing it deletes the old copy.
  @Test func theTimeoutHandlerIsInstalledAndReplaced() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.low, .tcbSetTimeoutEndpoint, [], caps: [Self.endpoint])))
    #expect(
      tcbCap(checker, T.low, .timeoutHandler)
        == Array(repeating: .endpoint(S.endpoint, badge: 0, rights: .all), count: 3))
    expectSuccess(step(&checker, invoke(Self.low, .tcbSetTimeoutEndpoint, [], caps: [S.cptr(aux: 0)])))
    #expect(
      tcbCap(checker, T.low, .timeoutHandler)
        == Array(repeating: .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]), count: 3))
  }
}

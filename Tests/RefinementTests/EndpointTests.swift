// Endpoint IPC in all three layers, through the lockstep checker: a blocking send queued until a
// receiver comes, a receiver queued until a sender comes, the message (label, registers, length
// clamped) and the sender's badge delivered, non-blocking sends dropped and polls answered with
// badge 0, the queues' priority order and a reorder on a priority change, the rights each call
// needs, MCS Recv's reply-cap lookup, a bound notification's signal taken instead or waking a
// receiver, a pending bound signal taken before a queued sender, first come first served within a
// priority, capability transfer with Grant (an endpoint cap unwrapped into its badge, another
// cap into the receive slot as a child of the sender's, nothing without Grant, an occupied or
// missing slot, three caps stopping at the first that cannot go, a lookup failure; a kernel that
// does not unwrap caught), a Send without Write refused silently,
// and cancelling: a queued thread suspended, CancelBadgedSends, the endpoint deleted with one or
// two queued threads; `sorted_ipc_queues` planted broken in each layer.
// Every step is checked in lockstep (R1, R2, observations, invariants); the expectations read
// each layer's own representation. A planted kernel bug (a wrong badge) is caught.

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct EndpointTests {
  typealias T = SystemPlan.Threads
  /// The unbadged endpoint cap with every right, the write-only cap with badge 5, the cap with
  /// badge 5 and Read, Write, Grant.
  static let ep = S.cptr(root: 3)
  static let writeOnly = S.cptr(root: 14)
  static let badged = S.cptr(aux: 0)
  static let second = S.cptr(root: T.secondSlot)
  static let low = S.cptr(root: T.lowSlot)

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation?
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// The endpoint's state in each layer, as the abstract spec says it.
  func epState(_ checker: LockstepChecker, _ ep: ObjectRef = S.endpoint) -> [EndpointState?] {
    let exec: EndpointState? = checker.exec.endpoint(at: ep).map {
      switch $0 {
      case .idleEP: .idle
      case .sendEP(let q): .send(q)
      case .recvEP(let q): .recv(q)
      }
    }
    let kernel: EndpointState? = checker.kernel.epState(of: ep).map {
      switch $0 {
      case .idle: .idle
      case .send: .send(checker.kernel.epQueueWalk(ep).threads)
      case .recv: .recv(checker.kernel.epQueueWalk(ep).threads)
      }
    }
    return [checker.abstract.endpoint(at: ep)?.state, exec, kernel]
  }

  /// The badge register, message-info register and first message registers of `thread`.
  func received(_ checker: LockstepChecker, _ thread: ObjectRef, count: Int = 4) -> [[UInt64]] {
    func of(_ c: AbstractSpec.UserContext?) -> [UInt64] {
      guard let c else { return [] }
      return [c.badgeRegister, c.msgInfoRegister] + (0..<count).map { c.msgRegister($0) }
    }
    let exec = checker.exec.tcb(at: thread)?.context
    let kernel = checker.kernel.userContext(of: thread)
    return [
      of(checker.abstract.tcb(at: thread)?.context),
      exec.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
      kernel.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
    ]
  }

  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  func all<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

  @Test func aBlockedSenderIsReceivedFromWithItsMessageAndBadge() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, sendEvent(Self.writeOnly, label: 7, [11, 12, 13, 14, 15]))
    #expect(epState(checker) == all(.send([S.mainTCB])))
    #expect(checker.kernel.threadState(of: S.mainTCB) == .blockedOnSend)
    #expect(
      checker.abstract.tcb(at: S.mainTCB)?.state
        == .blockedOnSend(S.endpoint, IPCSendFields(badge: 5, canGrant: false, canGrantReply: false, isCall: false)))
    #expect(current(checker) == all(T.second))
    // `second` waits on the unbadged cap: it takes main's message and badge 5 at once.
    step(&checker, receiveEvent(Self.ep))
    let info = MessageInfo(label: 7, length: 5).word
    #expect(received(checker, T.second, count: 6) == all([5, info, 11, 12, 13, 14, 15, 0]))
    #expect(epState(checker) == all(.idle))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    // Of the receiver's priority, the sender waits its turn in the ready queue.
    #expect(current(checker) == all(T.second))
  }

  @Test func aBlockedReceiverTakesTheNextMessageAndALongLengthIsClamped() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep))
    #expect(epState(checker) == all(.recv([S.mainTCB])))
    #expect(checker.kernel.threadState(of: S.mainTCB) == .blockedOnReceive)
    // A length field of 127 is read as 120: every register is copied, the receiver sees 120.
    let mrs = (0..<120).map { UInt64($0) &+ 100 }
    step(&checker, sendEvent(Self.badged, label: 3, mrs, length: 127, syscall: .nbSend))
    #expect(epState(checker) == all(.idle))
    let info = MessageInfo(label: 3, length: 120).word
    #expect(received(checker, S.mainTCB, count: 120) == all([5, info] + mrs))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
  }

  @Test func nonBlockingSendsAreDroppedAndPollsFindNothing() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, sendEvent(Self.ep, label: 1, [1], syscall: .nbSend))
    #expect(epState(checker) == all(.idle))
    #expect(current(checker) == all(S.mainTCB))
    step(&checker, receiveEvent(Self.ep, syscall: .nbWait))
    #expect(epState(checker) == all(.idle))
    #expect(received(checker, S.mainTCB, count: 0).map { $0.first } == all(0))
    #expect(current(checker) == all(S.mainTCB))
  }

  /// Senders queue by priority, first come first served within one; a priority change while
  /// queued moves the thread (`reorderEP`).
  @Test func theQueueIsInPriorityOrderAndFollowsAPriorityChange() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var checker = LockstepChecker(plan: plan)
    #expect(checker.verify() == nil)
    step(&checker, sendEvent(Self.ep, label: 1, [1]))
    #expect(current(checker) == all(S.mainTCB))
    step(&checker, sendEvent(Self.badged, label: 2, [2]))
    #expect(epState(checker) == all(.send([S.mainTCB, T.low])))
    #expect(current(checker) == all(T.second))
    // Raise `low` above `main`: it moves to the head.
    step(&checker, invoke(Self.low, .tcbSetPriority, [120], caps: [S.cptr(root: 1)]))
    #expect(epState(checker) == all(.send([T.low, S.mainTCB])))
    // `second` receives `low`'s message, with the unbadged cap's badge 0; `low` preempts it.
    step(&checker, receiveEvent(Self.ep, syscall: .nbWait))
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 1, length: 1).word, 1]))
    #expect(epState(checker) == all(.send([S.mainTCB])))
    #expect(current(checker) == all(T.low))
  }

  @Test func rightsAndTheReplyCapOfRecvAreChecked() {
    var checker = LockstepChecker(plan: .sample)
    // A send through a cap without Write is InvalidCapability, answered to a Call only.
    step(&checker, cnodeMint(.root(16), from: .root(3), rights: [.read], data: 0))
    let observation = step(&checker, sendEvent(S.cptr(root: 16), label: 1, [], syscall: .call))
    #expect(observation?.reply?.info.label == SeL4Error.invalidCapability.rawValue)
    // A Call through a cap with Write, nobody waiting: the caller queues as a Call.
    let call = step(&checker, sendEvent(Self.ep, label: 1, [], syscall: .call))
    #expect(call?.notModelled == nil)
    #expect(epState(checker) == all(.send([S.mainTCB])))
    // Recv names a reply cap: with one, `second` takes the Call and the caller blocks on the
    // reply object (`ReplyTests`).
    let withReply = step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: S.cptr(root: 5)))
    #expect(withReply?.notModelled == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReply(S.reply))
    // A cap that is no reply cap is a fault on the reply register (the thread has no fault
    // handler: it stops).
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: S.cptr(root: 3)))
    #expect(checker.abstract.tcb(at: T.second)?.state == .inactive)
    #expect(epState(checker) == all(.idle))
    // Waiting through a cap without Read is a capability fault: `low` stops too.
    #expect(current(checker) == all(T.low))
    step(&checker, receiveEvent(Self.writeOnly))
    #expect(checker.abstract.tcb(at: T.low)?.state == .inactive)
  }

  /// Root slot 20 of the sample as a receive slot: the root CNode through `rootCNodeCptr`, index
  /// 20 at depth 56 (`S.rootCNodeCptr`'s addressing).
  static let slot20 = ReceiveSlot(cnode: S.rootCNodeCptr, index: 20, depth: 56)

  /// The message-info word, the `caps_or_badges` words and the receive slot 20's cap of
  /// `thread`, in each layer.
  func transfer(_ checker: LockstepChecker, _ thread: ObjectRef) -> [[UInt64]] {
    let abstract = checker.abstract.tcb(at: thread)?.context
    let exec = checker.exec.tcb(at: thread)?.context
    let kernel = checker.kernel.userContext(of: thread)
    return [
      [abstract?.msgInfoRegister ?? 0] + (abstract?.capsOrBadges ?? []),
      [exec?.msgInfoRegister ?? 0] + (exec?.capsOrBadges ?? []),
      [kernel?.msgInfoRegister ?? 0] + (kernel?.capsOrBadges ?? []),
    ]
  }

  /// The cap in root slot 20 in each layer.
  func slot20(_ checker: LockstepChecker) -> [Capability] {
    [
      checker.abstract.getCap(S.root(20)), checker.exec.getCap(S.root(20)),
      checker.kernel.capability(at: S.root(20)) ?? .null,
    ]
  }

  /// A Send through a cap with Grant naming an endpoint cap to the same endpoint hands the
  /// receiver its badge (`capsUnwrapped` bit 0, the badge in `caps_or_badges[0]`), the receive
  /// slot left empty; sent to a waiting receiver, and taken by a receiver from a queued sender.
  @Test func aGrantedEndpointCapToTheSameEndpointIsUnwrappedIntoItsBadge() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    #expect(current(checker) == all(T.second))
    step(&checker, sendEvent(Self.badged, label: 1, [9], caps: [Self.badged]))
    #expect(
      transfer(checker, S.mainTCB)
        == all([MessageInfo(label: 1, capsUnwrapped: 1, extraCaps: 1, length: 1).word, 5, 0, 0]))
    #expect(slot20(checker) == all(.null))
    // Queued: main sends first, naming the badged cap and the unbadged one (badge 0); `second`
    // takes the message, the caps looked up in main's CSpace then.
    var queued = LockstepChecker(plan: .sample)
    step(&queued, sendEvent(Self.badged, label: 2, [], caps: [Self.badged, Self.ep]))
    #expect(epState(queued) == all(.send([S.mainTCB])))
    #expect(current(queued) == all(T.second))
    step(&queued, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    #expect(
      transfer(queued, T.second)
        == all([MessageInfo(label: 2, capsUnwrapped: 0b11, extraCaps: 2, length: 0).word, 5, 0, 0]))
    #expect(slot20(queued) == all(.null))
  }

  /// A cap of another kind is derived and inserted into the receive slot, a CDT child of the
  /// sender's slot, which keeps its cap; the receiver is told of one extra cap, none unwrapped.
  @Test func aGrantedCapOfAnotherKindGoesIntoTheReceiveSlotAsAChild() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    step(&checker, sendEvent(Self.badged, label: 1, [], caps: [S.cptr(root: 4)]))
    let ntfn = Capability.notification(S.notification, badge: 0, rights: [.read, .write])
    #expect(slot20(checker) == all(ntfn))
    #expect(checker.abstract.cdt[S.root(20)] == S.root(4))
    #expect(checker.abstract.getCap(S.root(4)) == ntfn)
    #expect(transfer(checker, S.mainTCB) == all([MessageInfo(label: 1, extraCaps: 1, length: 0).word, 0, 0, 0]))
  }

  /// Without Grant the extra caps are looked up but none is transferred or counted.
  @Test func withoutGrantNothingIsTransferred() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    step(&checker, sendEvent(Self.writeOnly, label: 3, [3], caps: [S.cptr(root: 4), Self.badged]))
    #expect(slot20(checker) == all(.null))
    #expect(transfer(checker, S.mainTCB) == all([MessageInfo(label: 3, length: 1).word, 0, 0, 0]))
    #expect(received(checker, S.mainTCB, count: 1) == all([5, MessageInfo(label: 3, length: 1).word, 3]))
  }

  /// An occupied receive slot, or none (the event names none: all-zero words), stops the
  /// transfer at the first cap that needs the slot; an endpoint cap to the same endpoint before
  /// it is still unwrapped.
  @Test func anOccupiedOrMissingReceiveSlotStopsTheTransfer() {
    for receiveSlot in [ReceiveSlot(cnode: S.rootCNodeCptr, index: 3, depth: 56), nil] {
      var checker = LockstepChecker(plan: .sample)
      step(&checker, receiveEvent(Self.ep, receiveSlot: receiveSlot))
      step(&checker, sendEvent(Self.badged, label: 1, [], caps: [Self.badged, S.cptr(root: 4), Self.badged]))
      #expect(
        transfer(checker, S.mainTCB)
          == all([MessageInfo(label: 1, capsUnwrapped: 1, extraCaps: 1, length: 0).word, 5, 0, 0]))
      #expect(checker.abstract.getCap(S.root(3)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    }
  }

  /// Three extra caps: the slot takes one cap only, and the loop goes on unwrapping endpoint caps
  /// after it (seL4's `transferCaps` breaks only on a cap that needs a slot); a first cap that
  /// cannot be derived (IRQControl derives to Null) stops everything at once.
  @Test func threeExtraCapsStopAtTheFirstThatCannotGo() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    step(&checker, sendEvent(Self.badged, label: 1, [], caps: [S.cptr(root: 4), Self.badged, S.cptr(root: 11)]))
    #expect(
      transfer(checker, S.mainTCB)
        == all([MessageInfo(label: 1, capsUnwrapped: 0b10, extraCaps: 2, length: 0).word, 0, 5, 0]))
    #expect(slot20(checker) == all(.notification(S.notification, badge: 0, rights: [.read, .write])))
    var first = LockstepChecker(plan: .sample)
    step(&first, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    step(&first, sendEvent(Self.badged, label: 1, [], caps: [S.cptr(root: 8), Self.badged, S.cptr(root: 4)]))
    #expect(transfer(first, S.mainTCB) == all([MessageInfo(label: 1, length: 0).word, 0, 0, 0]))
    #expect(slot20(first) == all(.null))
    // A cptr that names no slot fails the lookup when Send decodes: a capability fault, and
    // `second` (no fault handler) stops; NBSend raises none and sends nothing.
    var failing = LockstepChecker(plan: .sample)
    step(&failing, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    step(&failing, sendEvent(Self.badged, label: 1, [], syscall: .nbSend, caps: [S.cptr(root: 4), 0xFFFF_0000]))
    #expect(epState(failing) == all(.recv([S.mainTCB])))
    step(&failing, sendEvent(Self.badged, label: 1, [], caps: [S.cptr(root: 4), 0xFFFF_0000]))
    #expect(failing.abstract.tcb(at: T.second)?.state == .inactive)
    #expect(slot20(failing) == all(.null))
  }

  /// A kernel that does not unwrap (an endpoint cap to the same endpoint inserted into the slot
  /// like any other) is caught by the lockstep checker at the send.
  @Test func aKernelThatDoesNotUnwrapIsCaught() {
    var checker = LockstepChecker(plan: .sample)
    checker.kernel.seams.transferUnwraps = { false }
    step(&checker, receiveEvent(Self.ep, receiveSlot: Self.slot20))
    let (_, failure) = checker.step(sendEvent(Self.badged, label: 1, [], caps: [Self.badged]))
    #expect(failure != nil)
  }

  @Test func aBoundNotificationsSignalWakesAReceiverOrIsTakenFirst() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(S.cptr(root: 1), .tcbBindNotification, [], caps: [S.cptr(root: 4)]))
    step(&checker, receiveEvent(Self.ep))
    #expect(epState(checker) == all(.recv([S.mainTCB])))
    // `second` signals the bound notification: main leaves the endpoint with the badge.
    step(&checker, signalEvent(S.cptr(root: 15)))
    #expect(epState(checker) == all(.idle))
    #expect(received(checker, S.mainTCB, count: 0).map { $0.first } == all(6))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
  }

  /// `receiveIPC`: a signal pending on the receiver's bound notification is taken before the
  /// endpoint is looked at (`completeSignal`), even with a sender queued there.
  @Test func aPendingBoundSignalIsTakenBeforeAQueuedSender() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.second, .tcbBindNotification, [], caps: [S.cptr(root: 4)]))
    // main signals `second`'s notification, which is not waiting: the signal stays pending.
    step(&checker, signalEvent(S.cptr(root: 15)))
    #expect(checker.abstract.notification(at: S.notification)?.state == .active(6))
    step(&checker, sendEvent(Self.ep, label: 1, [1]))
    #expect(epState(checker) == all(.send([S.mainTCB])))
    #expect(current(checker) == all(T.second))
    step(&checker, receiveEvent(Self.ep))
    #expect(received(checker, T.second, count: 0).map { $0.first } == all(6))
    #expect(epState(checker) == all(.send([S.mainTCB])))
    #expect(checker.abstract.notification(at: S.notification)?.state == .idle)
    #expect(checker.abstract.tcb(at: T.second)?.state == .running)
    #expect(current(checker) == all(T.second))
  }

  /// Two senders of one priority are served first come first served.
  @Test func sendersOfOnePriorityAreServedInArrivalOrder() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, sendEvent(Self.ep, label: 1, [1]))
    #expect(current(checker) == all(T.second))
    step(&checker, sendEvent(Self.ep, label: 2, [2]))
    #expect(epState(checker) == all(.send([S.mainTCB, T.second])))
    #expect(current(checker) == all(T.low))
    step(&checker, receiveEvent(Self.ep, syscall: .nbWait))
    #expect(received(checker, T.low, count: 1) == all([0, MessageInfo(label: 1, length: 1).word, 1]))
    #expect(epState(checker) == all(.send([T.second])))
    #expect(current(checker) == all(S.mainTCB))
  }

  /// Deleting an endpoint with two queued threads restarts both, head first, each offered to
  /// the scheduler (`cancelAllIPC`, `possibleSwitchTo`); a thread it queues goes to the head of
  /// its ready queue (`tcbSchedEnqueue`), so the later of the two, both above the deleter, runs.
  @Test func deletingAnEndpointRestartsEveryQueuedThreadHeadFirst() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, sendEvent(Self.ep, label: 1, [1]))
    step(&checker, sendEvent(Self.ep, label: 2, [2]))
    #expect(epState(checker) == all(.send([S.mainTCB, T.second])))
    #expect(current(checker) == all(T.low))
    step(&checker, cnodeRevoke(.root(3)))
    step(&checker, cnodeDelete(.root(3)))
    #expect(checker.abstract.endpoint(at: S.endpoint) == nil && checker.kernel.objects[S.endpoint] == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .restart)
    #expect(checker.abstract.tcb(at: T.second)?.state == .running)
    #expect(current(checker) == all(T.second))
  }

  /// A plain Send (not a Call) through a cap without Write is InvalidCapability, which only a
  /// Call hears: nothing changes and the sender runs on.
  @Test func aSendWithoutWriteIsSilentlyRefused() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, cnodeMint(.root(16), from: .root(3), rights: [.read], data: 0))
    for syscall in [Syscall.send, .nbSend] {
      let observation = step(&checker, sendEvent(S.cptr(root: 16), label: 1, [1], syscall: syscall))
      #expect(observation?.reply == nil && observation?.fault == nil && observation?.notModelled == nil)
      #expect(epState(checker) == all(.idle))
      #expect(current(checker) == all(S.mainTCB))
      #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    }
  }

  @Test func suspendingOrDeletingCancelsAndCancelBadgedSendsRestartsOneBadge() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var checker = LockstepChecker(plan: plan)
    // A cap with badge 5 and every right, for CancelBadgedSends.
    step(&checker, cnodeMint(.root(16), from: .root(3), rights: .all, data: 5))
    step(&checker, sendEvent(Self.ep, label: 1, [1]))  // low, badge 0
    step(&checker, sendEvent(Self.badged, label: 2, [2]))  // main, badge 5
    #expect(epState(checker) == all(.send([S.mainTCB, T.low])))
    step(&checker, cnodeCancelBadgedSends(.root(16)))
    #expect(epState(checker) == all(.send([T.low])))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .restart)
    // Suspending the queued `low` takes it out: the endpoint is Idle again.
    step(&checker, invoke(Self.low, .tcbSuspend, []))
    #expect(epState(checker) == all(.idle))
    #expect(checker.abstract.tcb(at: T.low)?.state == .inactive)
    // `second` blocks receiving; deleting every cap to the endpoint restarts it.
    #expect(current(checker) == all(T.second))
    step(&checker, receiveEvent(Self.ep))
    #expect(epState(checker) == all(.recv([T.second])))
    #expect(current(checker) == all(S.mainTCB))
    step(&checker, cnodeRevoke(.root(3)))
    step(&checker, cnodeDelete(.root(3)))
    #expect(checker.abstract.endpoint(at: S.endpoint) == nil)
    #expect(checker.kernel.objects[S.endpoint] == nil)
    #expect(checker.abstract.tcb(at: T.second)?.state == .restart)
  }

  /// A broken endpoint planted in one layer after a step that queued a thread is caught by the
  /// invariants alone, and the incremental check agrees with the full one.
  @Test func aBrokenEndpointInAnyLayerIsCaughtByBothChecks() {
    var checker = LockstepChecker(plan: .sample)
    let event = receiveEvent(Self.ep)
    step(&checker, event)
    var corrupted: [(String, LockstepChecker)] = []
    var abstract = checker
    abstract.abstract.kheap[S.endpoint] = .endpoint(AbstractSpec.Endpoint(state: .recv([S.mainTCB, T.low])))
    corrupted.append(("abstract", abstract))
    var exec = checker
    exec.exec.ksPSpace[S.endpoint] = .endpoint(.idleEP)
    corrupted.append(("exec", exec))
    var kernel = checker
    kernel.kernel.store(S.endpoint &+ ObjectLayout.epWord1, ObjectLayout.epQueueTail.set(0, to: S.mainTCB >> 2))
    corrupted.append(("kernel", kernel))
    for (layer, broken) in corrupted {
      var invariantsOnly = broken
      invariantsOnly.checksRelations = false
      var incremental = invariantsOnly
      let full = invariantsOnly.checkFull(event: event)
      #expect(full != nil, "\(layer): the full check missed it")
      #expect(incremental.checkIncremental(event: event) == full, "\(layer)")
    }
  }

  /// `sorted_ipc_queues` planted broken in one layer (a queued thread's priority raised above the
  /// head's, or two queued threads swapped) is caught by the full check and the incremental one.
  @Test func anUnsortedQueueInAnyLayerIsCaughtByBothChecks() {
    var plan = SystemPlan.sample
    plan.currentThread = T.low
    var checker = LockstepChecker(plan: plan)
    step(&checker, sendEvent(Self.ep, label: 1, [1]))
    let event = sendEvent(Self.ep, label: 2, [2])
    step(&checker, event)
    #expect(epState(checker) == all(.send([S.mainTCB, T.low])))
    var corrupted: [(String, LockstepChecker)] = []
    var abstract = checker
    abstract.abstract.kheap[S.endpoint] = .endpoint(AbstractSpec.Endpoint(state: .send([T.low, S.mainTCB])))
    corrupted.append(("AbstractSpec", abstract))
    var exec = checker
    if case .tcb(var tcb)? = exec.exec.ksPSpace[T.low] {
      tcb.priority = 200
      exec.exec.ksPSpace[T.low] = .tcb(tcb)
    }
    corrupted.append(("ExecutableSpec", exec))
    var kernel = checker
    kernel.kernel.store(T.low &+ ObjectLayout.tcbPriority, 200)
    corrupted.append(("Kernel", kernel))
    for (layer, broken) in corrupted {
      var invariantsOnly = broken
      invariantsOnly.checksRelations = false
      var incremental = invariantsOnly
      let full = invariantsOnly.checkFull(event: event)
      #expect(
        full?.layer == layer && (full?.name ?? "").hasPrefix("sorted_ipc_queues"),
        "\(layer): \(String(describing: full))")
      #expect(incremental.checkIncremental(event: event) == full, "\(layer)")
    }
  }

  /// A seeded campaign of mixed capability, thread, notification and endpoint events, at least
  /// 10,000 of them, with rendezvous both ways, passes every lockstep check (the generator's
  /// IPC operations, `EventGenerator+Endpoint.swift`; `IPCCampaignTests` counts their Calls,
  /// replies and Grant transfers).
  @Test func aMixedCampaignWithEndpointIPCPasses() {
    var events = 0
    var ipcEvents = 0
    var rendezvous = 0
    var failures: [String] = []
    for seed in UInt64(0)..<150 {
      var checker = LockstepChecker(plan: .sample)
      var generator = EventGenerator(seed: 0xE9_0000 &+ seed)
      for _ in 0..<250 {
        guard !checker.abstract.isIdle(checker.abstract.currentThread) else { break }
        let (operation, event) = generator.next(for: checker.abstract)
        events += 1
        if Operations.entry(operation).concept == .ipc { ipcEvents += 1 }
        if (generator.lastPath ?? "").hasSuffix("ndpoint.recv") && operation == .send { rendezvous += 1 }
        if (generator.lastPath ?? "").hasSuffix("ndpoint.send") && operation == .receive { rendezvous += 1 }
        if let failure = checker.step(event).failure {
          failures.append("seed \(seed): \(failure)")
          break
        }
      }
    }
    #expect(failures.isEmpty, "\(failures)")
    #expect(events >= 10_000, "only \(events) events")
    // Measured 2026-12-06 (100 seeds): more than 10,000 events, more than 500 sends and
    // receives on endpoints, 35 of them meeting a queued partner. Since fault IPC (2026-12-07) a
    // faulting thread blocks on its handler's endpoint, so traces end sooner: 100 seeds gave
    // 9,748 events, hence 110. Since the generator makes Calls, ReplyRecvs and NBSendRecvs too
    // (2026-12-07), a caller met by a Wait stops, and 110 seeds gave 7,977 events: 150 seeds give
    // 11,399 events, 1,146 of them endpoint IPC, 28 sends and receives meeting a queued partner.
    // Since the irq, interrupt and domain operations joined (2026-12-08): 23 meeting a queued
    // partner (the event bounds still hold; their figures not re-measured), hence 20.
    #expect(ipcEvents >= 1_000, "only \(ipcEvents) endpoint events")
    #expect(rendezvous >= 20, "only \(rendezvous) rendezvous")
  }

  /// The checker catches a kernel that delivers the wrong badge, at the rendezvous.
  @Test func aWrongBadgeIsCaught() {
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = .ipcWrongBadge
    var checker = LockstepChecker(plan: .sample, kernel: kernel)
    #expect(checker.step(sendEvent(Self.writeOnly, label: 7, [1])).failure == nil)
    #expect(checker.step(receiveEvent(Self.ep)).failure != nil)
  }
}

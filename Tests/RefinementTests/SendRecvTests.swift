// MCS NBSendRecv and NBSendWait in all three layers, through the lockstep checker: a
// non-blocking first phase (`handleInvocation(false, false, true, true, dest)`: NBSendRecv's
// destination in its own register, NBSendWait's in the reply register) and then a blocking
// receive on the cap register's cap (`handleRecv(true, true)` with the reply register's reply
// object for NBSendRecv, `handleRecv(true, false)` with none for NBSendWait;
// `seL4:src/api/syscall.c` handleSyscall, `l4v:spec/abstract/Syscall_A.thy` handle_event).
// Covered: a message to a waiting receiver, then the sender waiting (with or without the reply
// object) or taking a queued Call; the send dropped when nobody waits; a notification as the
// destination (a signal) and as the receive source (a wait); first phases that fail (a cap that
// does not resolve, an empty slot, a thread, CNode, scheduling or domain cap refused with
// InvalidCapability(0)) heard by nobody, the receive running all the same; a receive phase that
// faults after a first phase that went through; a passive receiver taking the sender's
// scheduling context; and a kernel that reads NBSendRecv's destination from the wrong register,
// caught. Every step is checked in lockstep (R1, R2, observations, invariants).

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct SendRecvTests {
  typealias T = SystemPlan.Threads
  /// The unbadged endpoint cap with every right, the write-only cap with badge 5, the cap with
  /// badge 5 and Read, Write, Grant, the reply cap, the notification cap with badge 6.
  static let ep = S.cptr(root: 3)
  static let writeOnly = S.cptr(root: 14)
  static let badged = S.cptr(aux: 0)
  static let reply = S.cptr(root: 5)
  static let ntfn = S.cptr(root: T.ntfnSlot)

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation?
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    #expect(observation.notModelled == nil, sourceLocation: sourceLocation)
    return observation
  }

  func all<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

  func current(_ checker: LockstepChecker) -> [ObjectRef?] {
    [checker.abstract.currentThread, checker.exec.ksCurThread, checker.kernel.ksCurThread]
  }

  /// The badge, message-info and first message registers of `thread` in each layer.
  func received(_ checker: LockstepChecker, _ thread: ObjectRef, count: Int = 2) -> [[UInt64]] {
    let a = checker.abstract.tcb(at: thread)?.context
    let e = checker.exec.tcb(at: thread)?.context
    let k = checker.kernel.userContext(of: thread)
    return [
      a.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
      e.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
      k.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
    ]
  }

  /// The run state of `thread` in each layer, as the views name it.
  func state(_ checker: LockstepChecker, _ thread: ObjectRef) -> [String] {
    [
      checker.abstract.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.exec.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.kernel.threadState(of: thread).map { "\($0)" } ?? "none",
    ]
  }

  /// The thread the sample's reply object is tied to, in each layer (nil: none).
  func replyTCB(_ checker: LockstepChecker) -> [ObjectRef?] {
    let kernel = checker.kernel.replyTCB(of: S.reply) ?? 0
    return [
      checker.abstract.reply(at: S.reply)?.tcb, checker.exec.reply(at: S.reply)?.replyTCB,
      kernel == 0 ? nil : kernel,
    ]
  }

  /// The endpoint's queue in each layer: "idle", "send [..]" or "recv [..]".
  func queue(_ checker: LockstepChecker) -> [String] {
    let abstract: String =
      switch checker.abstract.endpoint(at: S.endpoint)?.state {
      case .idle?: "idle"
      case .send(let q)?: "send \(q)"
      case .recv(let q)?: "recv \(q)"
      case nil: "none"
      }
    let exec: String =
      switch checker.exec.endpoint(at: S.endpoint) {
      case .idleEP?: "idle"
      case .sendEP(let q)?: "send \(q)"
      case .recvEP(let q)?: "recv \(q)"
      case nil: "none"
      }
    let kernel: String =
      switch checker.kernel.epState(of: S.endpoint) {
      case .idle?: "idle"
      case .send?: "send \(checker.kernel.epQueueWalk(S.endpoint).threads)"
      case .recv?: "recv \(checker.kernel.epQueueWalk(S.endpoint).threads)"
      case nil: "none"
      }
    return [abstract, exec, kernel]
  }

  /// The scheduling context of `thread` in each layer (nil: none).
  func sc(_ checker: LockstepChecker, _ thread: ObjectRef) -> [ObjectRef?] {
    let word = checker.kernel.schedContextWord(of: thread)
    return [
      checker.abstract.tcb(at: thread)?.schedContext, checker.exec.tcb(at: thread)?.schedContext,
      word == 0 ? nil : word,
    ]
  }

  /// `main` yields, `second` waits on the endpoint (Wait, no reply object): `main` runs again
  /// with a receiver waiting.
  func receiverWaiting(kernel: KernelState? = nil) -> LockstepChecker {
    var checker =
      if let kernel { LockstepChecker(plan: .sample, kernel: kernel) } else { LockstepChecker(plan: .sample) }
    step(&checker, EventGenerator.yieldEvent)
    #expect(current(checker) == all(T.second))
    step(&checker, receiveEvent(Self.ep))
    #expect(current(checker) == all(S.mainTCB))
    #expect(queue(checker) == all("recv \([T.second])"))
    return checker
  }

  // MARK: - Send, then receive

  /// NBSendRecv through the badged cap: the waiting receiver takes the message and the badge;
  /// the sender then waits on the endpoint tied to its reply object. `second` calls it and
  /// `main`, as a server, answers with another NBSendRecv whose destination is the reply cap.
  @Test func nbSendRecvSendsToTheWaitingReceiverThenWaitsWithItsReplyObject() {
    var checker = receiverWaiting()
    let sent = step(&checker, nbSendRecvEvent(Self.ep, dest: Self.badged, reply: Self.reply, label: 9, [1, 2]))
    #expect(sent?.reply == nil && sent?.fault == nil)
    #expect(received(checker, T.second) == all([5, MessageInfo(label: 9, length: 2).word, 1, 2]))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReceive(S.endpoint, reply: S.reply))
    #expect(checker.kernel.threadState(of: S.mainTCB) == .blockedOnReceive)
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(queue(checker) == all("recv \([S.mainTCB])"))
    #expect(current(checker) == all(T.second))
    // `second` calls: `main` takes the call on its reply object.
    step(&checker, sendEvent(Self.ep, label: 3, [5], syscall: .call))
    #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
    #expect(received(checker, S.mainTCB, count: 1) == all([0, MessageInfo(label: 3, length: 1).word, 5]))
    #expect(current(checker) == all(S.mainTCB))
    // NBSendRecv through the reply cap replies, as ReplyRecv would, and waits again.
    step(&checker, nbSendRecvEvent(Self.ep, dest: Self.reply, reply: Self.reply, label: 4, [7]))
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 4, length: 1).word, 7]))
    #expect(state(checker, T.second)[2] == "running")
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReceive(S.endpoint, reply: S.reply))
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(current(checker) == all(T.second))
  }

  /// NBSendWait: the same send, its destination in the reply register, then a Wait with no
  /// reply object: the reply object stays free, and a Call the sender then takes leaves the
  /// caller Inactive (no reply object to block on).
  @Test func nbSendWaitSendsToTheWaitingReceiverThenWaitsWithoutAReplyObject() {
    var checker = receiverWaiting()
    step(&checker, nbSendWaitEvent(Self.ep, dest: Self.badged, label: 9, [1, 2]))
    #expect(received(checker, T.second) == all([5, MessageInfo(label: 9, length: 2).word, 1, 2]))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReceive(S.endpoint, reply: nil))
    #expect(replyTCB(checker) == all(nil))
    #expect(current(checker) == all(T.second))
    step(&checker, sendEvent(Self.ep, label: 3, [5], syscall: .call))
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(received(checker, S.mainTCB, count: 1) == all([0, MessageInfo(label: 3, length: 1).word, 5]))
    #expect(current(checker) == all(S.mainTCB))
  }

  /// With nobody waiting the send is dropped (no sender queued), and the receive blocks; the
  /// next message `main` gets is `second`'s, not its own.
  @Test func theSendIsDroppedWhenNobodyWaitsAndTheReceiveBlocks() {
    for syscall in [Syscall.nbSendRecv, .nbSendWait] {
      var checker = LockstepChecker(plan: .sample)
      let event =
        syscall == .nbSendRecv
        ? nbSendRecvEvent(Self.ep, dest: Self.ep, reply: Self.reply, label: 1, [1])
        : nbSendWaitEvent(Self.ep, dest: Self.ep, label: 1, [1])
      step(&checker, event)
      #expect(queue(checker) == all("recv \([S.mainTCB])"), "\(syscall)")
      #expect(
        checker.abstract.tcb(at: S.mainTCB)?.state
          == .blockedOnReceive(S.endpoint, reply: syscall == .nbSendRecv ? S.reply : nil), "\(syscall)")
      #expect(current(checker) == all(T.second), "\(syscall)")
      step(&checker, sendEvent(Self.ep, label: 2, [8]))
      #expect(received(checker, S.mainTCB, count: 1) == all([0, MessageInfo(label: 2, length: 1).word, 8]))
      #expect(queue(checker) == all("idle"), "\(syscall)")
    }
  }

  /// The receive phase finds a Call queued (from `second`) and takes it at once: `main` runs with
  /// the message, the caller blocks on the reply object. The send phase, through the endpoint
  /// whose queue holds only a sender, is dropped.
  @Test func nbSendRecvsReceiveTakesAQueuedCall() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, EventGenerator.yieldEvent)
    step(&checker, sendEvent(Self.ep, label: 3, [5], syscall: .call))
    #expect(current(checker) == all(S.mainTCB))
    step(&checker, nbSendRecvEvent(Self.ep, dest: Self.ep, reply: Self.reply, label: 1, [9]))
    #expect(received(checker, S.mainTCB, count: 1) == all([0, MessageInfo(label: 3, length: 1).word, 5]))
    #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
    #expect(replyTCB(checker) == all(T.second))
    #expect(queue(checker) == all("idle"))
    #expect(current(checker) == all(S.mainTCB))
  }

  // MARK: - Notifications

  /// A notification as the destination signals it (the waiter wakes with the badge); a
  /// notification as the receive source is waited on, and its reply register is not looked at.
  @Test func aNotificationIsSignalledAsTheDestinationAndWaitedOnAsTheSource() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, EventGenerator.yieldEvent)
    step(&checker, receiveEvent(Self.ntfn))
    #expect(current(checker) == all(S.mainTCB))
    // The reply register names an empty slot: no fault, as a notification's receive needs none.
    let signalled = step(&checker, nbSendRecvEvent(Self.ntfn, dest: Self.ntfn, reply: S.cptr(root: 30)))
    #expect(signalled?.fault == nil)
    #expect(received(checker, T.second, count: 0).map(\.first) == all(UInt64?(6)))
    #expect(state(checker, T.second)[2] == "running")
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnNotification(S.notification))
    #expect(checker.abstract.notification(at: S.notification)?.state == .waiting([S.mainTCB]))
    #expect(current(checker) == all(T.second))
    // NBSendWait signalling the notification it then waits on: it takes its own signal at once.
    var own = LockstepChecker(plan: .sample)
    let observation = step(&own, nbSendWaitEvent(Self.ntfn, dest: Self.ntfn))
    #expect(observation?.fault == nil)
    #expect(received(own, S.mainTCB, count: 0).map(\.first) == all(UInt64?(6)))
    #expect(own.abstract.notification(at: S.notification)?.state == .idle)
    #expect(state(own, S.mainTCB)[2] == "running")
    #expect(current(own) == all(S.mainTCB))
  }

  // MARK: - A first phase that fails; a receive phase that faults

  /// A destination that does not resolve (a guard mismatch), an empty slot, and the caps a first
  /// phase refuses with InvalidCapability(0) (thread, CNode, scheduling context, scheduling
  /// control, domain; the message reads as a method of each) are heard by nobody: no fault, no
  /// reply, nothing the method would do; the receive runs all the same.
  @Test func aFirstPhaseThatFailsIsSilentAndTheReceiveRuns() {
    let refused: [(UInt64, InvocationLabel, [UInt64])] = [
      (1 << 63, .cnodeDelete, Address.root(14).registers),
      (S.cptr(root: 30), .cnodeDelete, Address.root(14).registers),
      (S.cptr(root: 1), .tcbSuspend, []),
      (rootCNodeCptr, .cnodeDelete, Address.root(14).registers),
      (S.cptr(root: 6), .invalidInvocation, []),
      (S.cptr(root: 7), .invalidInvocation, []),
      (S.cptr(root: 9), .invalidInvocation, []),
    ]
    for syscall in [Syscall.nbSendRecv, .nbSendWait] {
      for (dest, label, mrs) in refused {
        var checker = LockstepChecker(plan: .sample)
        let event =
          syscall == .nbSendRecv
          ? nbSendRecvEvent(Self.ep, dest: dest, reply: Self.reply, label: label.rawValue, mrs)
          : nbSendWaitEvent(Self.ep, dest: dest, label: label.rawValue, mrs)
        let observation = step(&checker, event)
        #expect(observation?.fault == nil && observation?.reply == nil, "\(syscall) to \(dest)")
        let kept = Capability.endpoint(S.endpoint, badge: 5, rights: [.write])
        #expect(checker.abstract.getCap(S.root(14)) == kept, "\(syscall) to \(dest)")
        #expect(checker.kernel.capability(at: S.root(14)) == kept, "\(syscall) to \(dest)")
        #expect(queue(checker) == all("recv \([S.mainTCB])"), "\(syscall) to \(dest)")
        #expect(current(checker) == all(T.second), "\(syscall) to \(dest)")
      }
    }
  }

  /// The first phase goes through, then the receive phase faults: on a cap without Read (both
  /// calls), and, for NBSendRecv only, on a reply register that names no reply cap (NBSendWait's
  /// reply register is its destination, and its receive looks up no reply cap). The message
  /// stands; `main`, with no fault handler, stops.
  @Test func aReceivePhaseFaultAfterTheSendLeavesTheMessageDelivered() {
    let cases: [(Event, ThreadFault?)] = [
      (
        nbSendRecvEvent(Self.writeOnly, dest: Self.badged, reply: Self.reply, label: 9, [1]),
        .capFault(address: Self.writeOnly, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0))
      ),
      (
        nbSendWaitEvent(Self.writeOnly, dest: Self.badged, label: 9, [1]),
        .capFault(address: Self.writeOnly, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0))
      ),
      (
        nbSendRecvEvent(Self.ep, dest: Self.badged, reply: Self.ep, label: 9, [1]),
        .capFault(address: Self.ep, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0))
      ),
      // Both wrong: the source's Read is checked before the reply cap is looked up.
      (
        nbSendRecvEvent(Self.writeOnly, dest: Self.badged, reply: Self.ep, label: 9, [1]),
        .capFault(address: Self.writeOnly, inReceivePhase: true, failure: .missingCapability(bitsLeft: 0))
      ),
      // NBSendWait with an endpoint cap in its reply register: the destination, not a reply cap.
      (nbSendWaitEvent(Self.ep, dest: Self.badged, label: 9, [1]), nil),
    ]
    for (event, fault) in cases {
      var checker = receiverWaiting()
      let observation = step(&checker, event)
      #expect(observation?.fault == fault, "\(event)")
      #expect(received(checker, T.second, count: 1) == all([5, MessageInfo(label: 9, length: 1).word, 1]), "\(event)")
      #expect(current(checker) == all(T.second), "\(event)")
      let mainState = fault == nil ? "blockedOnReceive" : "inactive"
      #expect(state(checker, S.mainTCB)[2] == mainState, "\(event)")
    }
  }

  // MARK: - Donation

  /// A passive receiver (its scheduling context deleted while it waits) takes the sender's
  /// scheduling context with the message (`sendIPC` with canDonate, no Call: `schedContext_donate`,
  /// no reply object pushed); the sender waits without one, and the receiver runs on it. With
  /// NBSendRecv, `second` then calls the passive `main` and `main` replies with NBSendRecv through
  /// the reply cap: the scheduling context goes to `main` with the call and comes back.
  @Test func aPassiveReceiverTakesTheSendersSchedulingContext() {
    for syscall in [Syscall.nbSendRecv, .nbSendWait] {
      var checker = receiverWaiting()
      step(&checker, cnodeDelete(.root(T.secondSCSlot)))
      #expect(sc(checker, T.second) == all(nil))
      #expect(current(checker) == all(S.mainTCB))
      let event =
        syscall == .nbSendRecv
        ? nbSendRecvEvent(Self.ep, dest: Self.ep, reply: Self.reply, label: 9, [1])
        : nbSendWaitEvent(Self.ep, dest: Self.ep, label: 9, [1])
      step(&checker, event)
      #expect(sc(checker, T.second) == all(S.schedContext), "\(syscall)")
      #expect(sc(checker, S.mainTCB) == all(nil), "\(syscall)")
      #expect(checker.abstract.schedContext(at: S.schedContext)?.tcb == T.second, "\(syscall)")
      #expect(checker.abstract.schedContext(at: S.schedContext)?.replies == [], "\(syscall)")
      #expect(checker.kernel.scReply(of: S.schedContext) == 0, "\(syscall)")
      #expect(state(checker, S.mainTCB)[2] == "blockedOnReceive", "\(syscall)")
      #expect(current(checker) == all(T.second), "\(syscall)")
      guard syscall == .nbSendRecv else { continue }
      step(&checker, sendEvent(Self.ep, label: 3, [], syscall: .call))
      #expect(sc(checker, S.mainTCB) == all(S.schedContext))
      #expect(checker.abstract.schedContext(at: S.schedContext)?.replies == [S.reply])
      #expect(current(checker) == all(S.mainTCB))
      step(&checker, nbSendRecvEvent(Self.ep, dest: Self.reply, reply: Self.reply, label: 4, []))
      #expect(sc(checker, T.second) == all(S.schedContext))
      #expect(sc(checker, S.mainTCB) == all(nil))
      #expect(checker.abstract.schedContext(at: S.schedContext)?.replies == [])
      #expect(current(checker) == all(T.second))
    }
  }

  // MARK: - A planted kernel bug

  /// A kernel whose NBSendRecv reads its destination from the reply register (NBSendWait's
  /// place for it) invokes the reply cap instead of the endpoint: the waiting receiver gets no
  /// message, and the checker says so at that step.
  @Test func aKernelReadingNBSendRecvsDestinationFromTheReplyRegisterIsCaught() {
    var kernel = KernelState(plan: .sample)
    kernel.seams.nbSendRecvDest = { $0.replyRegister }
    var checker = receiverWaiting(kernel: kernel)
    let (_, failure) = checker.step(nbSendRecvEvent(Self.ep, dest: Self.badged, reply: Self.reply, label: 9, [1]))
    #expect(failure != nil)
    // NBSendWait does not use the seam: the same kernel agrees with the specs there.
    var wait = receiverWaiting(kernel: kernel)
    #expect(wait.step(nbSendWaitEvent(Self.ep, dest: Self.badged, label: 9, [1])).failure == nil)
  }
}

// MCS reply objects in all three layers, through the lockstep checker: a Call meeting a receiver
// that named a reply object blocks on it and the reply (ReplyRecv) wakes it with the message; a
// Call queued first is met by a Recv with a reply object; a Call with no reply object, or
// through a cap without Grant and GrantReply, leaves the caller Inactive; a reply to a caller no
// longer waiting does nothing; a reply object reused by a new Recv cuts off the call it was tied
// to; suspending or deleting the caller, suspending the server, deleting the reply object with a
// caller or a receiver tied to it. Every step is checked in lockstep (R1, R2, observations,
// invariants); the expectations read each layer's own representation. A kernel whose reply leaves
// the caller BlockedOnReply is caught. Scheduling-context donation: `DonationTests.swift`.

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct ReplyTests {
  typealias T = SystemPlan.Threads
  /// The unbadged endpoint cap with every right, the write-only cap with badge 5, the reply cap.
  static let ep = S.cptr(root: 3)
  static let writeOnly = S.cptr(root: 14)
  static let reply = S.cptr(root: 5)
  static let second = S.cptr(root: T.secondSlot)

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation?
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// The thread the sample's reply object is tied to, in each layer (nil: none; the outer nil:
  /// no reply object).
  func replyTCB(_ checker: LockstepChecker) -> [ObjectRef??] {
    let kernel: ObjectRef?? = checker.kernel.replyTCB(of: S.reply).map { $0 == 0 ? nil : $0 }
    return [checker.abstract.reply(at: S.reply).map(\.tcb), checker.exec.reply(at: S.reply).map(\.replyTCB), kernel]
  }

  /// The run state of `thread` in each layer, as the views name it.
  func state(_ checker: LockstepChecker, _ thread: ObjectRef) -> [String] {
    [
      checker.abstract.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.exec.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.kernel.threadState(of: thread).map { "\($0)" } ?? "none",
    ]
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

  /// `main` receives with the reply object, `second` calls: `second` is BlockedOnReply on it and
  /// `main` (the server) runs with the message.
  func callServed() -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReceive(S.endpoint, reply: S.reply))
    #expect(current(checker) == all(T.second))
    let call = step(&checker, sendEvent(Self.ep, label: 9, [1, 2], syscall: .call))
    #expect(call?.reply == nil && call?.notModelled == nil)
    #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
    #expect(checker.kernel.threadState(of: T.second) == .blockedOnReply)
    #expect(replyTCB(checker) == all(T.second))
    #expect(received(checker, S.mainTCB) == all([0, MessageInfo(label: 9, length: 2).word, 1, 2]))
    #expect(current(checker) == all(S.mainTCB))
    return checker
  }

  @Test func aCallBlocksOnTheReplyObjectAndReplyRecvWakesTheCaller() {
    var checker = callServed()
    step(&checker, replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7]))
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 4, length: 1).word, 7]))
    #expect(state(checker, T.second)[0] == "running")
    #expect(checker.kernel.threadState(of: T.second) == .running)
    // The server waits again with the same reply object; the caller runs.
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReceive(S.endpoint, reply: S.reply))
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(current(checker) == all(T.second))
  }

  @Test func aQueuedCallIsMetByARecvWithAReplyObject() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, sendEvent(Self.ep, label: 3, [5], syscall: .call))
    #expect(
      checker.abstract.tcb(at: S.mainTCB)?.state
        == .blockedOnSend(S.endpoint, IPCSendFields(badge: 0, canGrant: true, canGrantReply: true, isCall: true)))
    #expect(current(checker) == all(T.second))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReply(S.reply))
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 3, length: 1).word, 5]))
    #expect(current(checker) == all(T.second))
    // A Send through the reply cap replies too; the caller preempts nobody of its priority.
    let sent = step(&checker, sendEvent(Self.reply, label: 6, [8]))
    #expect(sent?.reply == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    #expect(received(checker, S.mainTCB, count: 1) == all([0, MessageInfo(label: 6, length: 1).word, 8]))
    #expect(replyTCB(checker) == all(.some(nil)))
  }

  @Test func aCallWithoutReplyObjectOrGrantLeavesTheCallerInactive() {
    var checker = LockstepChecker(plan: .sample)
    // Wait names no reply object: the caller stops.
    step(&checker, receiveEvent(Self.ep))
    step(&checker, sendEvent(Self.ep, label: 1, [1], syscall: .call))
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .running)
    // A reply object but a cap with neither Grant nor GrantReply: the caller stops, and the
    // receiver's reply object is let go of.
    var second = LockstepChecker(plan: .sample)
    step(&second, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    step(&second, sendEvent(Self.writeOnly, label: 1, [1], syscall: .call))
    #expect(state(second, T.second) == ["inactive", "inactive", "inactive"])
    #expect(replyTCB(second) == all(.some(nil)))
    #expect(received(second, S.mainTCB, count: 1) == all([5, MessageInfo(label: 1, length: 1).word, 1]))
  }

  @Test func aReplyToACallerNoLongerWaitingDoesNothing() {
    var checker = callServed()
    // The server suspends the caller: it stops and the reply object lets go of it.
    step(&checker, invoke(Self.second, .tcbSuspend, []))
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(replyTCB(checker) == all(.some(nil)))
    step(&checker, replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7]))
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(received(checker, T.second, count: 1)[0] != [0, MessageInfo(label: 4, length: 1).word, 7])
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(current(checker) == all(T.low))
  }

  @Test func aReusedReplyObjectCutsOffTheCallItWasTiedTo() {
    var checker = callServed()
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(current(checker) == all(T.low))
  }

  @Test func deletingTheCallerOrTheReplyObjectCutsTheTie() {
    // The caller's TCB deleted: the reply object lets go; a later reply does nothing.
    var checker = callServed()
    step(&checker, cnodeDelete(.root(T.secondSlot)))
    #expect(replyTCB(checker) == all(.some(nil)))
    step(&checker, replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7]))
    #expect(replyTCB(checker) == all(S.mainTCB))
    // The reply object deleted while a caller waits on it: the caller stops.
    var served = callServed()
    step(&served, cnodeDelete(.root(5)))
    #expect(replyTCB(served) == [nil, nil, nil])
    #expect(state(served, T.second) == ["inactive", "inactive", "inactive"])
    // The reply object deleted while its receiver waits in the queue: the receiver leaves it.
    var waiting = LockstepChecker(plan: .sample)
    step(&waiting, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    step(&waiting, cnodeDelete(.root(5)))
    #expect(state(waiting, S.mainTCB) == ["inactive", "inactive", "inactive"])
    #expect(waiting.abstract.endpoint(at: S.endpoint)?.state == .idle)
  }

  /// Deleting an endpoint restarts a receiver queued on it with a reply object and frees the
  /// object (`removeAndRestartEPQueuedThread` calls `reply_unlink`): a later Recv with the object
  /// leaves the old receiver, now waiting elsewhere, alone.
  @Test func deletingTheEndpointFreesAQueuedReceiversReplyObject() {
    var checker = LockstepChecker(plan: .sample)
    // A second endpoint in root slot 20, for after the first is gone.
    step(&checker, retype(10, .endpoint, offset: 20))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(replyTCB(checker) == all(S.mainTCB))
    #expect(current(checker) == all(T.second))
    // Every cap to the first endpoint deleted: the last deletion restarts `main`.
    step(&checker, cnodeDelete(.root(14)))
    step(&checker, cnodeDelete(.aux(0)))
    step(&checker, cnodeDelete(.root(3)))
    #expect(checker.abstract.endpoint(at: S.endpoint) == nil)
    #expect(replyTCB(checker) == all(.some(nil)))
    #expect(state(checker, S.mainTCB) == ["restart", "restart", "restart"])
    // `second` waits on the notification; `main` runs and waits on the new endpoint without a
    // reply object; `low` receives there with the freed one: `main` keeps waiting.
    #expect(current(checker) == all(T.second))
    step(&checker, receiveEvent(S.cptr(root: 15)))
    #expect(current(checker) == all(S.mainTCB))
    let fresh = S.cptr(root: 20)
    step(&checker, receiveEvent(fresh))
    #expect(current(checker) == all(T.low))
    step(&checker, receiveEvent(fresh, syscall: .recv, reply: Self.reply))
    let waiting = "blockedOnReceive(0x\(String(S.smallUntyped, radix: 16)))"
    #expect(state(checker, S.mainTCB) == [waiting, waiting, "blockedOnReceive"])
    #expect(replyTCB(checker) == all(T.low))
  }

  /// A Call's IPC buffer names its receive slot, and a granted reply puts its cap there
  /// (`doReplyTransfer` → `transferCaps` → `getReceiveSlots(caller)`).
  @Test func aGrantedReplyPutsItsCapInTheCallersReceiveSlot() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    let slot20 = ReceiveSlot(cnode: S.rootCNodeCptr, index: 20, depth: 56)
    let call = SyscallArguments(
      capRegister: Self.ep, messageInfo: MessageInfo(label: 9, length: 0).word, receiveSlot: slot20)
    step(&checker, .syscall(.call, call))
    #expect(replyTCB(checker) == all(T.second))
    let info = MessageInfo(label: 4, extraCaps: 1, length: 0)
    let reply = SyscallArguments(
      capRegister: Self.ep, messageInfo: info.word, extraCaps: [S.cptr(root: 15)], replyRegister: Self.reply)
    step(&checker, .syscall(.replyRecv, reply))
    let granted = Capability.notification(S.notification, badge: 6, rights: [.read, .write])
    #expect(checker.abstract.getCap(S.root(20)) == granted)
    #expect(checker.exec.getCap(S.root(20)) == granted)
    #expect(checker.kernel.capability(at: S.root(20)) == granted)
  }

  @Test func suspendingTheServerLeavesTheCallerWaitingForAnyoneWithTheReplyCap() {
    var checker = callServed()
    step(&checker, invoke(S.cptr(root: 1), .tcbSuspend, []))
    #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
    #expect(current(checker) == all(T.low))
    // `low` holds the reply cap in the same CSpace: its reply wakes the caller, which preempts it.
    step(&checker, replyRecvEvent(Self.ep, reply: Self.reply, label: 2, [3]))
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 2, length: 1).word, 3]))
    #expect(current(checker) == all(T.second))
  }

  /// ReplyRecv's first phase refuses a CNode, scheduling-context, scheduling-control or domain
  /// cap in the reply register with InvalidCapability(0), as it refuses a thread cap (seL4
  /// `decodeInvocation` with `firstPhase`), heard by nobody: no CNode method runs, nothing is
  /// reported not modelled, and the receive phase goes on (its reply-cap lookup finds no reply
  /// cap there: a capability fault, and `main`, with no fault handler, stops).
  @Test func replyRecvsFirstPhaseRefusesCNodeSchedulingAndDomainCaps() {
    for cptr in [rootCNodeCptr, S.cptr(root: 6), S.cptr(root: 7), S.cptr(root: 9)] {
      var checker = callServed()
      // Read as CNode_Delete of root slot 14, were the CNode method decoded.
      let info = MessageInfo(label: InvocationLabel.cnodeDelete.rawValue, length: 2)
      let arguments = SyscallArguments(
        capRegister: Self.ep, messageInfo: info.word, messageRegisters: Address.root(14).registers,
        replyRegister: cptr)
      let observation = step(&checker, .syscall(.replyRecv, arguments))
      #expect(observation?.notModelled == nil, "reply register \(cptr)")
      #expect(observation?.fault != nil, "reply register \(cptr)")
      let kept = Capability.endpoint(S.endpoint, badge: 5, rights: [.write])
      #expect(checker.abstract.getCap(S.root(14)) == kept)
      #expect(checker.exec.getCap(S.root(14)) == kept)
      #expect(checker.kernel.capability(at: S.root(14)) == kept)
      #expect(state(checker, S.mainTCB) == ["inactive", "inactive", "inactive"])
      // No reply happened: the caller still waits on the object.
      #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
      #expect(checker.kernel.threadState(of: T.second) == .blockedOnReply)
      #expect(replyTCB(checker) == all(T.second))
    }
  }

  /// A ReplyRecv whose receive phase faults (no Read on the receive cap) by a thread with a fault
  /// handler: the reply of its first phase stands (the caller is answered and runs) and the
  /// receive phase's capability fault goes to the handler as fault IPC, in every layer alike.
  /// (Before fault IPC was modelled the whole call was not modelled and changed nothing.)
  @Test func aReplyRecvWhoseReceiveFaultsRepliesAndSendsTheFault() {
    var checker = LockstepChecker(plan: .sampleWithFaultHandler)
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    step(&checker, sendEvent(Self.ep, label: 9, [1, 2], syscall: .call))
    #expect(replyTCB(checker) == all(T.second))
    #expect(current(checker) == all(S.mainTCB))
    // The receive phase names the write-only endpoint cap: no Read, a capability fault.
    let observation = step(&checker, replyRecvEvent(Self.writeOnly, reply: Self.reply, label: 4, [7]))
    #expect(observation?.notModelled == nil)
    // The reply went through: the caller took the message and no longer waits.
    #expect(received(checker, T.second, count: 1) == all([0, MessageInfo(label: 4, length: 1).word, 7]))
    #expect(checker.abstract.tcb(at: T.second)?.state != .blockedOnReply(S.reply))
    #expect(replyTCB(checker) == all(ObjectRef??.some(nil)))
    // The replier faulted: its fault is held in its TCB until the handler answers.
    #expect(checker.abstract.tcb(at: S.mainTCB)?.fault != nil)
  }

  /// `sym_refs` conjunct `reply_tcb`, planted broken in one layer after a Call blocked on the
  /// reply object (the object let go of the caller, which still waits on it), is caught by the
  /// full check and by the incremental one alike.
  @Test func aReplyObjectThatForgetsItsCallerIsCaughtInAnyLayerByBothChecks() {
    var checker = callServed()
    let event = sendEvent(Self.ep, label: 9, [1, 2], syscall: .call)
    var corrupted: [(String, LockstepChecker)] = []
    var abstract = checker
    abstract.abstract.kheap[S.reply] = .reply(AbstractSpec.Reply(tcb: nil))
    corrupted.append(("AbstractSpec", abstract))
    var exec = checker
    exec.exec.ksPSpace[S.reply] = .reply(ExecutableSpec.Reply(replyTCB: nil))
    corrupted.append(("ExecutableSpec", exec))
    var kernel = checker
    kernel.kernel.store(S.reply &+ ObjectLayout.replyTCB, 0)
    corrupted.append(("Kernel", kernel))
    for (layer, broken) in corrupted {
      var invariantsOnly = broken
      invariantsOnly.checksRelations = false
      var incremental = invariantsOnly
      let full = invariantsOnly.checkFull(event: event)
      #expect(
        full?.layer == layer && (full?.name ?? "").hasPrefix("sym_refs") && (full?.name ?? "").contains("reply_tcb"),
        "\(layer): \(String(describing: full))")
      #expect(incremental.checkIncremental(event: event) == full, "\(layer)")
    }
    checker.checksRelations = false
    #expect(checker.checkFull(event: event) == nil)
  }

  /// `valid_replies` in each layer: a second thread waiting for a reply on the same object, or a
  /// reply object naming a thread that neither waits on it nor receives with it, is caught.
  @Test func validRepliesCatchesTwoCallersOnOneObjectAndAStrayReplyTCB() {
    let checker = callServed()
    #expect(checker.abstract.validReplies().isEmpty)
    #expect(checker.exec.validReplies().isEmpty)
    #expect(checker.kernel.invariantViolations().isEmpty)
    // `low` waits for a reply on the object too.
    var abstract = checker.abstract
    if case .tcb(var tcb)? = abstract.kheap[T.low] {
      tcb.state = .blockedOnReply(S.reply)
      abstract.kheap[T.low] = .tcb(tcb)
    }
    #expect(abstract.invariantViolations().contains { $0.invariant == "valid_replies" })
    var exec = checker.exec
    if case .tcb(var tcb)? = exec.ksPSpace[T.low] {
      tcb.state = .blockedOnReply(replyObject: S.reply)
      exec.ksPSpace[T.low] = .tcb(tcb)
    }
    #expect(exec.invariantViolations().contains { $0.invariant == "valid_replies'" })
    var kernel = checker.kernel
    kernel.store(T.low &+ ObjectLayout.tcbBlockingReplyObject, S.reply)
    kernel.store(T.low &+ ObjectLayout.tcbState, KernelThreadState.blockedOnReply.rawValue)
    #expect(kernel.invariantViolations().contains { $0.invariant == "valid_replies'" })
    // The object names `low`, which is not blocked on it.
    var strayAbstract = checker.abstract
    strayAbstract.kheap[S.reply] = .reply(AbstractSpec.Reply(tcb: T.low))
    #expect(strayAbstract.validReplies().count == 1)
    var strayExec = checker.exec
    strayExec.ksPSpace[S.reply] = .reply(ExecutableSpec.Reply(replyTCB: T.low))
    #expect(strayExec.validReplies().count == 1)
    var strayKernel = checker.kernel
    strayKernel.store(S.reply &+ ObjectLayout.replyTCB, T.low)
    #expect(strayKernel.invariantViolations().filter { $0.invariant == "valid_replies'" }.count == 1)
  }

  /// A kernel whose reply leaves the caller BlockedOnReply is caught at the reply.
  @Test func aReplyThatDoesNotWakeTheCallerIsCaught() {
    var kernel = KernelState(plan: .sample)
    kernel.seams.replyWakesCaller = { false }
    var checker = LockstepChecker(plan: .sample, kernel: kernel)
    #expect(checker.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(checker.step(sendEvent(Self.ep, label: 9, [1], syscall: .call)).failure == nil)
    #expect(checker.step(replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7])).failure != nil)
  }
}

// Faults delivered as IPC in all three layers, through the lockstep checker: a capability fault
// sent to a handler waiting with a reply object (the fault message, the handler cap's badge, the
// faulter BlockedOnReply) and the reply restarting the faulter with its fault cleared; a fault
// with no handler waiting (the faulter queued BlockedOnSend, the message taken by a later Recv);
// a handler cap without Grant or GrantReply (the faulter stops); an unknown-syscall fault whose
// reply writes the faulter's registers back and restarts it (label 0) or stops it (another
// label); a user-exception fault, its message (FaultIP, SP, SPSR, number, code) and its reply
// (those three registers written back; label 0 restarts, another stops), its number and code
// masked to 32 and 28 bits, and with no handler the thread stopped. Kernels that label the fault
// message wrongly, do not restart the faulter, or swap a user exception's number and code are
// caught. (The passive handler of a user exception: `Scenarios/FAULT0006-user-exception.scenario`.)
// (`seL4:src/kernel/faulthandler.c`, `src/api/faults.c`, `src/kernel/thread.c`.)

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct FaultTests {
  typealias T = SystemPlan.Threads
  /// The endpoint cap with every right, the reply cap, and a cptr whose lookup fails (a guard
  /// mismatch: 64 bits left, guard 0 found, 48 bits).
  static let ep = S.cptr(root: 3)
  static let reply = S.cptr(root: 5)
  static let bad: UInt64 = 0xFF << 56
  static let badFailure = LookupFailure.guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48)

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation?
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  func all<V: Equatable>(_ value: V) -> [V] { [value, value, value] }

  /// The kind of run state of `thread` in each layer, as the views name it (without what it
  /// waits on).
  func state(_ checker: LockstepChecker, _ thread: ObjectRef) -> [String] {
    [
      checker.abstract.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.exec.tcb(at: thread).map { StateView.stateName($0.state) } ?? "none",
      checker.kernel.threadState(of: thread).map { "\($0)" } ?? "none",
    ].map { String($0.prefix { $0 != "(" }) }
  }

  /// The fault `thread` waits to have handled, in each layer.
  func fault(_ checker: LockstepChecker, _ thread: ObjectRef) -> [ThreadFault?] {
    [
      checker.abstract.tcb(at: thread)?.fault, checker.exec.tcb(at: thread)?.tcbFault,
      checker.kernel.tcbFault(of: thread),
    ]
  }

  /// The badge, message-info and first `count` message registers of `thread` in each layer.
  func received(_ checker: LockstepChecker, _ thread: ObjectRef, count: Int) -> [[UInt64]] {
    let a = checker.abstract.tcb(at: thread)?.context
    let e = checker.exec.tcb(at: thread)?.context
    let k = checker.kernel.userContext(of: thread)
    return [
      a.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
      e.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
      k.map { [$0.badgeRegister, $0.msgInfoRegister] + (0..<count).map($0.msgRegister) } ?? [],
    ]
  }

  /// `register` of `thread` in each layer.
  func register(_ checker: LockstepChecker, _ thread: ObjectRef, _ register: Register) -> [UInt64] {
    [
      checker.abstract.tcb(at: thread)?.context.getRegister(register) ?? 0,
      checker.exec.tcb(at: thread)?.context.getRegister(register) ?? 0,
      checker.kernel.getRegister(thread, register),
    ]
  }

  /// The capability fault's message: FaultIP, the address, not in the receive phase, then the
  /// guard mismatch (type 4, bits left, guard found, bits found).
  func capFaultMessage(faultIP: UInt64) -> [UInt64] { [faultIP, Self.bad, 0, 4, 64, 0, 48] }

  /// `main` receives with the reply object; `second`, whose fault handler is the endpoint cap
  /// with badge 5 (Read, Write, Grant), invokes a cptr that does not resolve: `main` takes the fault message and runs,
  /// `second` is BlockedOnReply on the reply object with its fault kept.
  func capFaultDelivered(kernel: KernelState? = nil) -> LockstepChecker {
    let plan = SystemPlan.sample(faultHandlerOf: T.second, copyOf: S.aux(0))
    var checker = LockstepChecker(plan: plan, kernel: kernel ?? KernelState(plan: plan))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(checker.kernel.ksCurThread == T.second)
    let faultIP = register(checker, T.second, .faultIP)[0]
    let sent = step(&checker, sendEvent(Self.bad, label: 1, [1]))
    let expected = ThreadFault.capFault(address: Self.bad, inReceivePhase: false, failure: Self.badFailure)
    #expect(sent?.fault == expected && sent?.notModelled == nil)
    #expect(state(checker, T.second) == ["blockedOnReply", "blockedOnReply", "blockedOnReply"])
    #expect(checker.abstract.tcb(at: T.second)?.state == .blockedOnReply(S.reply))
    #expect(fault(checker, T.second) == all(expected))
    #expect(
      received(checker, S.mainTCB, count: 7)
        == all([5, MessageInfo(label: 1, length: 7).word] + capFaultMessage(faultIP: faultIP)))
    #expect(checker.kernel.ksCurThread == S.mainTCB)
    return checker
  }

  @Test func aCapFaultGoesToTheWaitingHandlerAndItsReplyRestartsTheFaulter() {
    var checker = capFaultDelivered()
    // The handler replies (any label: a CapFault always restarts) through the reply cap.
    step(&checker, sendEvent(Self.reply, label: 3, [9]))
    #expect(fault(checker, T.second) == all(nil))
    let after = state(checker, T.second)
    #expect(after == all(after[0]) && ["restart", "running"].contains(after[0]))
    #expect(checker.abstract.reply(at: S.reply)?.tcb == nil)
  }

  @Test func aFaultWithNoHandlerWaitingQueuesTheFaulterUntilARecvTakesIt() {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: S.mainTCB, copyOf: S.aux(0)))
    let faultIP = register(checker, S.mainTCB, .faultIP)[0]
    let sent = step(&checker, sendEvent(Self.bad, syscall: .call))
    #expect(sent?.fault != nil && sent?.reply == nil)
    // Queued as a send that is no Call: the fault makes it wait for a reply when it is taken.
    #expect(
      checker.abstract.tcb(at: S.mainTCB)?.state
        == .blockedOnSend(S.endpoint, IPCSendFields(badge: 5, canGrant: true, canGrantReply: false, isCall: false)))
    #expect(state(checker, S.mainTCB) == ["blockedOnSend", "blockedOnSend", "blockedOnSend"])
    #expect(checker.kernel.ksCurThread == T.second)
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(
      received(checker, T.second, count: 7)
        == all([5, MessageInfo(label: 1, length: 7).word] + capFaultMessage(faultIP: faultIP)))
    #expect(checker.abstract.tcb(at: S.mainTCB)?.state == .blockedOnReply(S.reply))
    step(&checker, sendEvent(Self.reply))
    #expect(fault(checker, S.mainTCB) == all(nil))
    #expect(!state(checker, S.mainTCB).contains("blockedOnReply"))
  }

  @Test func aHandlerCapWithoutGrantStopsTheFaulter() {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: S.mainTCB, rights: [.write, .read]))
    let sent = step(&checker, sendEvent(Self.bad))
    #expect(sent?.fault != nil && sent?.notModelled == nil)
    #expect(state(checker, S.mainTCB) == ["inactive", "inactive", "inactive"])
    #expect(fault(checker, S.mainTCB) == all(nil))
    #expect(checker.abstract.endpoint(at: S.endpoint)?.state == .idle)
  }

  /// `second` makes an unknown system call; its handler `main` receives the 12 registers and the
  /// number, and replies with `label` and 12 words.
  func unknownSyscallReplied(label: UInt64) -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: T.second))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    let registers = Register.syscallMessage.map { register(checker, T.second, $0)[0] }
    let sent = step(&checker, .unknownSyscall(number: -3))
    #expect(sent?.fault == .unknownSyscall(number: -3))
    #expect(
      received(checker, S.mainTCB, count: 13)
        == all([0, MessageInfo(label: 2, length: 13).word] + registers + [UInt64(bitPattern: -3)]))
    step(&checker, sendEvent(Self.reply, label: label, (1...12).map { UInt64(100 + $0) }))
    #expect(fault(checker, T.second) == all(nil))
    return checker
  }

  @Test func anUnknownSyscallReplyWritesTheRegistersBackAndRestarts() {
    let checker = unknownSyscallReplied(label: 0)
    let after = state(checker, T.second)
    #expect(after == all(after[0]) && ["restart", "running"].contains(after[0]))
    // X7 is the eighth word, SP the tenth; SPSR keeps only its flags and is forced to user mode.
    #expect(register(checker, T.second, .x7) == all(108))
    #expect(register(checker, T.second, .spEL0) == all(110))
    #expect(register(checker, T.second, .spsrEL1) == all(Register.sanitiseRegister(.spsrEL1, 112)))
  }

  @Test func anUnknownSyscallReplyWithALabelStopsTheFaulter() {
    let checker = unknownSyscallReplied(label: 1)
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
    #expect(register(checker, T.second, .x7) == all(108))
  }

  /// `second` takes a user exception (an undefined instruction's number on AArch64, and a code);
  /// its handler `main` receives FaultIP, SP, SPSR, the number and the code with label 3 and
  /// length 5, and replies with `label` and three words.
  func userExceptionReplied(label: UInt64) -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: T.second))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    let registers = Register.exceptionMessage.map { register(checker, T.second, $0)[0] }
    let sent = step(&checker, .userException(number: 0x200_0000, code: 0x15))
    #expect(sent?.fault == .userException(number: 0x200_0000, code: 0x15) && sent?.notModelled == nil)
    #expect(state(checker, T.second) == ["blockedOnReply", "blockedOnReply", "blockedOnReply"])
    #expect(fault(checker, T.second) == all(.userException(number: 0x200_0000, code: 0x15)))
    #expect(
      received(checker, S.mainTCB, count: 5)
        == all([0, MessageInfo(label: 3, length: 5).word] + registers + [0x200_0000, 0x15]))
    #expect(checker.kernel.ksCurThread == S.mainTCB)
    step(&checker, sendEvent(Self.reply, label: label, [0x40_1000, 0x7F_F000, 0xF000_03C5]))
    #expect(fault(checker, T.second) == all(nil))
    // FaultIP and SP as the reply gives them; SPSR keeps its flags and is forced to user mode.
    #expect(register(checker, T.second, .faultIP) == all(0x40_1000))
    #expect(register(checker, T.second, .spEL0) == all(0x7F_F000))
    #expect(register(checker, T.second, .spsrEL1) == all(Register.sanitiseRegister(.spsrEL1, 0xF000_03C5)))
    return checker
  }

  @Test func aUserExceptionReplyWithLabelZeroWritesTheRegistersAndRestarts() {
    let checker = userExceptionReplied(label: 0)
    let after = state(checker, T.second)
    #expect(after == all(after[0]) && ["restart", "running"].contains(after[0]))
  }

  @Test func aUserExceptionReplyWithALabelStopsTheFaulter() {
    let checker = userExceptionReplied(label: 2)
    #expect(state(checker, T.second) == ["inactive", "inactive", "inactive"])
  }

  /// A reply shorter than the three registers writes only those it has.
  @Test func aShortUserExceptionReplyWritesOnlyItsRegisters() {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: T.second))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    let sp = register(checker, T.second, .spEL0)
    step(&checker, .userException(number: 1, code: 1))
    step(&checker, sendEvent(Self.reply, label: 0, [0x40_2000]))
    #expect(register(checker, T.second, .faultIP) == all(0x40_2000))
    #expect(register(checker, T.second, .spEL0) == sp)
  }

  /// The fault keeps the low 32 bits of the number and the low 28 of the code.
  @Test func aUserExceptionsNumberAndCodeAreMasked() {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: T.second))
    step(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    let sent = step(&checker, .userException(number: 0x1_0000_0002, code: 0xF000_0003))
    #expect(sent?.fault == .userException(number: 2, code: 3))
    #expect(fault(checker, T.second) == all(.userException(number: 2, code: 3)))
  }

  @Test func aUserExceptionWithNoHandlerStopsTheThread() {
    // `main` has no fault handler here (only `second` has).
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: T.second))
    #expect(checker.kernel.ksCurThread == S.mainTCB)
    let sent = step(&checker, .userException(number: 0x200_0000, code: 0))
    #expect(sent?.fault == .userException(number: 0x200_0000, code: 0) && sent?.caller == S.mainTCB)
    #expect(state(checker, S.mainTCB) == ["inactive", "inactive", "inactive"])
    #expect(fault(checker, S.mainTCB) == all(nil))
  }

  /// A kernel that keeps a user exception's number and code the wrong way round is caught at the
  /// fault.
  @Test func aUserExceptionWithNumberAndCodeSwappedIsCaught() {
    let plan = SystemPlan.sample(faultHandlerOf: T.second)
    var kernel = KernelState(plan: plan)
    kernel.seams.userExceptionFault = { number, code in .userException(number: code, code: number) }
    var checker = LockstepChecker(plan: plan, kernel: kernel)
    #expect(checker.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(checker.step(.userException(number: 0x200_0000, code: 0x15)).failure != nil)
    // Equal words hide the swap.
    var same = LockstepChecker(plan: plan, kernel: kernel)
    #expect(same.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(same.step(.userException(number: 7, code: 7)).failure == nil)
  }

  /// CancelBadgedSends drops a queued faulter with the badge of its handler cap: it stops instead
  /// of restarting, its fault kept (`restart_thread_if_no_fault`).
  @Test func aCancelledFaultSendStopsTheFaulter() {
    var checker = LockstepChecker(plan: .sample(faultHandlerOf: S.mainTCB, copyOf: S.aux(0)))
    step(&checker, sendEvent(Self.bad))
    #expect(state(checker, S.mainTCB) == ["blockedOnSend", "blockedOnSend", "blockedOnSend"])
    #expect(checker.kernel.ksCurThread == T.second)
    step(&checker, cnodeMint(.root(16), from: .root(3), rights: .all, data: 5))
    step(&checker, cnodeCancelBadgedSends(.root(16)))
    #expect(state(checker, S.mainTCB) == ["inactive", "inactive", "inactive"])
    #expect(fault(checker, S.mainTCB).allSatisfy { $0 != nil })
    #expect(checker.abstract.endpoint(at: S.endpoint)?.state == .idle)
  }

  /// A kernel that labels a fault message with the wrong fault type is caught at the delivery.
  @Test func aWrongFaultLabelIsCaught() {
    let plan = SystemPlan.sample(faultHandlerOf: T.second)
    var kernel = KernelState(plan: plan)
    kernel.seams.faultLabel = { $0 &+ 1 }
    var checker = LockstepChecker(plan: plan, kernel: kernel)
    #expect(checker.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(checker.step(sendEvent(Self.bad)).failure != nil)
  }

  /// A kernel whose fault reply does not restart the faulter is caught at the reply.
  @Test func aFaultReplyThatDoesNotRestartIsCaught() {
    let plan = SystemPlan.sample(faultHandlerOf: T.second)
    var kernel = KernelState(plan: plan)
    kernel.seams.faultReplyRestarts = { false }
    var checker = LockstepChecker(plan: plan, kernel: kernel)
    #expect(checker.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(checker.step(sendEvent(Self.bad)).failure == nil)
    #expect(checker.step(sendEvent(Self.reply)).failure != nil)
  }
}

// TCB_ReadRegisters, TCB_WriteRegisters, TCB_CopyRegisters and TCB_SetTLSBase through the lockstep
// checker on the sample (main current, `second` at priority 100, `low` at 50). Every step is
// checked in lockstep (R1, R2, observations, invariants); each test also reads the registers in all
// three layers. The registers are AArch64's (`KernelABI/Register.swift`): X0 is the badge register,
// X1 the message-info register, X2...X5 MR0...MR3. The order of each method's errors is in
// `ErrorOrderTests`.

import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct TCBRegistersTests {
  typealias T = SystemPlan.Threads
  static let main = S.cptr(root: 1)
  static let second = S.cptr(root: T.secondSlot)
  static let low = S.cptr(root: T.lowSlot)
  /// The values WriteRegisters writes: 0x1000 + i into the i-th register of `seL4_UserContext`.
  static let values: [UInt64] = (0..<36).map { 0x1000 + $0 }

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// `register` of `thread` in each layer.
  func register(_ checker: LockstepChecker, _ thread: ObjectRef, _ register: Register) -> [UInt64] {
    [
      checker.abstract.tcb(at: thread)?.context.getRegister(register) ?? 0,
      checker.exec.tcb(at: thread)?.context.getRegister(register) ?? 0,
      checker.kernel.userContext(of: thread)?.getRegister(register) ?? 0,
    ]
  }

  /// Whether `thread` is Inactive in each layer.
  func inactive(_ checker: LockstepChecker, _ thread: ObjectRef) -> [Bool] {
    [
      checker.abstract.tcb(at: thread)?.state == .inactive, checker.exec.tcb(at: thread)?.state == .inactive,
      checker.kernel.threadState(of: thread) == .inactive,
    ]
  }

  func three(_ value: UInt64) -> [UInt64] { [value, value, value] }

  func writeAll(_ target: UInt64, flags: UInt64 = 0) -> Event {
    invoke(target, .tcbWriteRegisters, [flags, 36] + Self.values)
  }

  // MARK: - SetTLSBase

  /// TLS_BASE is TPIDR_EL0, the 18th integer register: ReadRegisters reads it back.
  @Test func setTLSBaseWritesTPIDREL0() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.second, .tcbSetTLSBase, [0xdead])))
    #expect(register(checker, T.second, .tpidrEL0) == three(0xdead))
    #expect(register(checker, T.second, .tpidrroEL0) == three(0))
    let read = step(&checker, invoke(Self.second, .tcbReadRegisters, [0, 36]))
    #expect(read.reply?.registers[34] == 0xdead)
  }

  /// The caller may set its own TLS base (the scheduler then chooses again, and main, at the head
  /// of its queue, runs on).
  @Test func setTLSBaseOfTheCaller() {
    var checker = LockstepChecker(plan: .sample)
    let observation = step(&checker, invoke(Self.main, .tcbSetTLSBase, [7]))
    expectSuccess(observation)
    #expect(register(checker, S.mainTCB, .tpidrEL0) == three(7))
    #expect(checker.kernel.ksCurThread == S.mainTCB)
  }

  // MARK: - WriteRegisters, ReadRegisters

  /// The 36 registers written are read back in the same order, but SPSR_EL1, which is sanitised;
  /// X0, X1 and X2 are the badge, message-info and first message register; ELR_EL1 (NextIP)
  /// becomes FaultIP. The caller's reply is the registers, with its badge register 0.
  @Test func writeThenReadRoundTrips() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, writeAll(Self.second)))
    #expect(register(checker, T.second, .faultIP) == three(0x1000))
    #expect(register(checker, T.second, .elrEL1) == three(0x1000))
    #expect(register(checker, T.second, .spsrEL1) == three(Register.pstateUser))
    #expect(checker.abstract.tcb(at: T.second)?.context.badgeRegister == 0x1003)
    #expect(checker.exec.tcb(at: T.second)?.context.msgInfoRegister == 0x1004)
    #expect(checker.kernel.userContext(of: T.second)?.msgRegister(0) == 0x1005)
    #expect(register(checker, T.second, .x30) == three(0x1000 + 16))
    #expect(register(checker, T.second, .tpidrroEL0) == three(0x1000 + 35))
    let read = step(&checker, invoke(Self.second, .tcbReadRegisters, [0, 36]))
    var expected = Self.values
    expected[2] = Register.pstateUser
    #expect(read.reply == ReplyMessage(info: MessageInfo(label: 0, length: 36), registers: expected))
    #expect(register(checker, S.mainTCB, .x0) == three(0))
    #expect(inactive(checker, T.second) == [false, false, false])
  }

  /// Fewer registers are read when asked: the first `n` in `seL4_UserContext` order.
  @Test func readRegistersReadsTheFirstN() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, writeAll(Self.low))
    let read = step(&checker, invoke(Self.low, .tcbReadRegisters, [0, 5]))
    #expect(
      read.reply
        == ReplyMessage(info: MessageInfo(label: 0, length: 5), registers: [0x1000, 0x1001, 0x40, 0x1003, 0x1004]))
  }

  /// A ReadRegisters sent (not called) reads and answers nothing; with the suspend flag it still
  /// suspends the thread.
  @Test func readRegistersAsASendGetsNoReply() {
    var checker = LockstepChecker(plan: .sample)
    let before = checker.abstract.tcb(at: S.mainTCB)?.context
    let observation = step(&checker, invoke(Self.second, .tcbReadRegisters, [1, 36], syscall: .send))
    #expect(observation.reply == nil)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.context == before)
    #expect(inactive(checker, T.second) == [true, true, true])
  }

  /// The suspend flag suspends the source before its registers are read.
  @Test func readRegistersCanSuspendTheSource() {
    var checker = LockstepChecker(plan: .sample)
    let read = step(&checker, invoke(Self.second, .tcbReadRegisters, [1, 1]))
    #expect(read.reply == ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [0]))
    #expect(inactive(checker, T.second) == [true, true, true])
  }

  /// The resume flag restarts a suspended thread after the write.
  @Test func writeRegistersCanResume() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.second, .tcbSuspend, [])))
    expectSuccess(step(&checker, invoke(Self.second, .tcbWriteRegisters, [1, 1, 0x400])))
    #expect(inactive(checker, T.second) == [false, false, false])
    #expect(register(checker, T.second, .faultIP) == three(0x400))
  }

  /// A count above 36 is clamped: the first 36 values are written, the rest ignored.
  @Test func writeRegistersClampsTheCount() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.second, .tcbWriteRegisters, [0, 40] + Self.values + [1, 2, 3, 4])))
    #expect(register(checker, T.second, .tpidrroEL0) == three(0x1000 + 35))
  }

  // MARK: - SetIPCBuffer

  /// Address 0 removes the IPC buffer: the buffer slot is emptied, whatever cap is given (this
  /// model has no frame caps, so no other address succeeds); also for the caller itself.
  @Test func setIPCBufferToZeroEmptiesTheBufferSlot() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, invoke(Self.second, .tcbSetIPCBuffer, [0], caps: [S.cptr(root: 3)])))
    expectSuccess(step(&checker, invoke(Self.main, .tcbSetIPCBuffer, [0], caps: [S.cptr(root: 30)])))
    for thread in [T.second, S.mainTCB] {
      let slot = SlotRef(thread, TCBSlot.ipcBuffer.rawValue)
      #expect(checker.abstract.getCap(slot) == .null)
      #expect(checker.exec.getCap(slot) == .null)
      #expect((checker.kernel.capability(at: slot) ?? .null) == .null)
    }
    #expect(checker.kernel.ksCurThread == S.mainTCB)
  }

  // MARK: - CopyRegisters

  /// Frame and integer registers copied: the destination reads as the source.
  @Test func copyRegistersCopiesFrameAndInteger() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, writeAll(Self.second))
    expectSuccess(step(&checker, invoke(Self.low, .tcbCopyRegisters, [0b1100], caps: [Self.second])))
    for register in Register.userContextOrder {
      #expect(self.register(checker, T.low, register) == self.register(checker, T.second, register), "\(register)")
    }
    #expect(register(checker, T.low, .elrEL1) == three(0x1000))
  }

  /// Only the frame registers: the integer registers stay as they were.
  @Test func copyRegistersFrameOnly() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, writeAll(Self.second))
    expectSuccess(step(&checker, invoke(Self.low, .tcbCopyRegisters, [0b0100], caps: [Self.second])))
    #expect(register(checker, T.low, .x30) == three(0x1000 + 16))
    #expect(register(checker, T.low, .x9) == three(0))
    #expect(register(checker, T.low, .tpidrEL0) == three(0))
  }

  /// Suspend the source and resume the destination, copying nothing.
  @Test func copyRegistersSuspendsAndResumes() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, invoke(Self.low, .tcbSuspend, []))
    expectSuccess(step(&checker, invoke(Self.low, .tcbCopyRegisters, [0b0011], caps: [Self.second])))
    #expect(inactive(checker, T.second) == [true, true, true])
    #expect(inactive(checker, T.low) == [false, false, false])
  }

  /// Copying into the caller itself is allowed; its empty success reply then overwrites X0 (the
  /// badge register) and X1 (the message info), and leaves X2 (MR0), as on seL4.
  @Test func copyRegistersIntoTheCaller() {
    var checker = LockstepChecker(plan: .sample)
    step(&checker, writeAll(Self.second))
    expectSuccess(step(&checker, invoke(Self.main, .tcbCopyRegisters, [0b1100], caps: [Self.second])))
    #expect(register(checker, S.mainTCB, .x0) == three(0))
    #expect(register(checker, S.mainTCB, .x1) == three(0))
    #expect(register(checker, S.mainTCB, .x2) == three(0x1005))
    #expect(register(checker, S.mainTCB, .x28) == three(0x1000 + 33))
  }
}

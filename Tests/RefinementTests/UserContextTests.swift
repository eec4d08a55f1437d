import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import TestSupport
import Testing

@testable import Refinement

/// System calls write their results into the caller's user context in every layer, `observe`
/// reads them back from there, and R1 and R2 compare the contexts (so the checker can fail on
/// them).
@Suite struct UserContextTests {
  /// A Call whose source slot is empty: FailedLookup(source: true, MissingCapability(56)), whose
  /// reply is label 6 with three message registers.
  static let failing = cnodeCopy(.root(20), from: .root(30))
  static let failingReply = ReplyMessage(
    error: .failedLookup(source: true, failure: .missingCapability(bitsLeft: 56)))

  /// The contexts of the sample's main thread, one per layer, as (message info, badge, MRs).
  static func contexts(_ checker: LockstepChecker) -> [String: [UInt64]] {
    var result: [String: [UInt64]] = [:]
    if let c = checker.abstract.tcb(at: S.mainTCB)?.context {
      result["AbstractSpec"] = [c.msgInfoRegister, c.badgeRegister] + c.msgRegisters
    }
    if let c = checker.exec.tcb(at: S.mainTCB)?.context {
      result["ExecutableSpec"] = [c.msgInfoRegister, c.badgeRegister] + c.msgRegisters
    }
    if let c = checker.kernel.userContext(of: S.mainTCB) {
      result["Kernel"] = [c.msgInfoRegister, c.badgeRegister] + c.msgRegisters
    }
    return result
  }

  @Test func aFailedCallLeavesTheErrorReplyInTheCallersContextInEveryLayer() {
    var checker = LockstepChecker(plan: .sample)
    #expect(Self.contexts(checker).values.allSatisfy { $0 == [0, 0] }, "a new thread's registers are 0")
    let (observation, failure) = checker.step(Self.failing)
    #expect(failure == nil)
    #expect(observation.reply == Self.failingReply)
    let expected = [MessageInfo(label: 6, length: 3).word, 0, 1, 2, 56]
    #expect(Self.contexts(checker) == ["AbstractSpec": expected, "ExecutableSpec": expected, "Kernel": expected])
    // The kernel's words themselves, where `ObjectLayout` puts them.
    let words = [
      ObjectLayout.tcbMsgInfoRegister, ObjectLayout.tcbBadgeRegister, ObjectLayout.tcbMsgRegisters,
      ObjectLayout.tcbMsgRegisters + 8, ObjectLayout.tcbMsgRegisters + 16,
    ].map { checker.kernel.load(S.mainTCB + $0) }
    #expect(words == expected)
    #expect(checker.kernel.replyMessage(of: S.mainTCB) == Self.failingReply)

    // A later success writes label 0, length 0, and leaves the message registers as they were,
    // as seL4's `replyFromKernel_success_empty` does; `observe` reads only the `length` named.
    let (success, failure2) = checker.step(cnodeCopy(.root(20), from: .root(3)))
    #expect(failure2 == nil)
    #expect(success.reply == .success)
    let afterSuccess: [UInt64] = [0, 0, 1, 2, 56]
    #expect(
      Self.contexts(checker)
        == ["AbstractSpec": afterSuccess, "ExecutableSpec": afterSuccess, "Kernel": afterSuccess])
  }

  @Test func sendAndNBSendWriteNoReply() {
    for call in [Syscall.send, .nbSend] {
      var checker = LockstepChecker(plan: .sample)
      guard case .syscall(_, let arguments) = Self.failing else {
        Issue.record("not a syscall")
        return
      }
      let (observation, failure) = checker.step(.syscall(call, arguments))
      #expect(failure == nil && observation.reply == nil)
      #expect(Self.contexts(checker).values.allSatisfy { $0 == [0, 0] }, "\(call) wrote a reply")
    }
  }

  /// A word of the kernel's user context changed behind the layers' back breaks R1, in the full
  /// check and in the incremental one; each register of the context is compared, including a
  /// message register beyond the length of the last reply.
  @Test(arguments: [
    ("message info", ObjectLayout.tcbMsgInfoRegister), ("badge", ObjectLayout.tcbBadgeRegister),
    ("MR1", ObjectLayout.tcbMsgRegisters + 8), ("MR119", ObjectLayout.tcbMsgRegisters + 119 * 8),
    ("X6", ObjectLayout.tcbRegisters), ("TPIDR_EL0", ObjectLayout.registerOffset(.tpidrEL0)),
    ("TPIDRRO_EL0", ObjectLayout.tcbRegisters + 30 * 8),
  ])
  func aCorruptedContextWordBreaksR1(_ register: String, _ offset: UInt64) throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.step(Self.failing).failure == nil)
    let address = S.mainTCB + offset
    let word = try #require(checker.kernel.load(address))
    checker.kernel.store(address, word ^ 0x10)
    #expect(checker.check()?.kind == .r1, "\(register): the full check missed it")
    // The incremental check, on the next step (an interrupt, which changes nothing itself).
    let failure = checker.step(.interrupt(irq: 1)).failure
    #expect(failure?.kind == .r1, "\(register): the incremental check missed it")
  }

  /// R2 compares the contexts too: an executable-spec context the abstract spec does not share.
  @Test func aContextOnlyTheExecutableSpecHasBreaksR2() {
    let plan = SystemPlan.sample
    var exec = ExecState(plan: plan)
    var abstract = AbstractState(plan: plan)
    _ = exec.step(Self.failing)
    _ = abstract.step(Self.failing)
    #expect(exec.abstraction() == abstract)
    var fresh = AbstractState(plan: plan)
    #expect(exec.abstraction() != fresh, "R2 does not see the context")
    _ = fresh.step(cnodeCopy(.root(20), from: .root(3)))
    #expect(exec.abstraction() != fresh)
  }

  /// The kernel's TCB layout: the user context follows the TCB's fields, inside the TCB.
  @Test func theContextFitsTheTCBAfterItsFields() {
    #expect(ObjectLayout.tcbMsgInfoRegister > ObjectLayout.tcbMCP)
    #expect(ObjectLayout.tcbBadgeRegister == ObjectLayout.tcbMsgInfoRegister + 8)
    #expect(ObjectLayout.tcbMsgRegisters == ObjectLayout.tcbBadgeRegister + 8)
    #expect(ObjectLayout.tcbContextEnd == ObjectLayout.tcbMsgRegisters + 8 * UInt64(KernelConstants.msgMaxLength))
    #expect(ObjectLayout.tcbContextEnd <= UInt64(1) << ObjectType.tcbBits)
    #expect(ObjectLayout.tcbRegisters == ObjectLayout.tcbContextEnd)
    #expect(ObjectLayout.tcbRegistersEnd <= UInt64(1) << ObjectType.tcbBits)
  }

  /// The AArch64 register set as seL4 names it: X0 is the badge register's word, X1 the
  /// message-info register's, X2...X5 MR0...MR3's; every register has a word of its own in the
  /// context; ReadRegisters' 36 are all but ELR_EL1 (NextIP).
  @Test func theNamedRegistersAliasTheirMachineRegisters() {
    #expect(ObjectLayout.registerOffset(.x0) == ObjectLayout.tcbBadgeRegister)
    #expect(ObjectLayout.registerOffset(.x1) == ObjectLayout.tcbMsgInfoRegister)
    #expect(
      Register.msgRegisters.map(ObjectLayout.registerOffset) == (0..<4).map { ObjectLayout.tcbMsgRegisters + 8 * $0 })
    let offsets = Register.allCases.map(ObjectLayout.registerOffset)
    #expect(Set(offsets).count == Register.count)
    #expect(offsets.allSatisfy { $0 >= ObjectLayout.tcbMsgInfoRegister && $0 < ObjectLayout.tcbRegistersEnd })
    #expect(Set(Register.userContextOrder).count == Int(Register.userContextCount))
    #expect(!Register.userContextOrder.contains(.elrEL1))
    #expect(Register.frameRegisters.count == 17 && Register.gpRegisters.count == 19)
  }

  /// In the specs' contexts the same aliasing holds, and a register written back to 0 leaves a
  /// context equal to a fresh one (equal contexts are equal values).
  @Test func theSpecsContextsAliasAndStayCanonical() {
    var abstract = AbstractSpec.UserContext()
    abstract.setRegister(.x2, 9)
    abstract.setRegister(.x0, 5)
    #expect(abstract.msgRegister(0) == 9 && abstract.badgeRegister == 5)
    abstract.setRegister(.tpidrroEL0, 3)
    #expect(abstract.registers.count == Register.otherRegisterCount)
    abstract.setRegister(.tpidrroEL0, 0)
    abstract.setRegister(.x2, 0)
    abstract.setRegister(.x0, 0)
    #expect(abstract == AbstractSpec.UserContext())
    var exec = ExecutableSpec.UserContext()
    exec.setRegister(.x1, 7)
    exec.setRegister(.x6, 8)
    #expect(exec.msgInfoRegister == 7 && exec.registers == [8])
    exec.setRegister(.x6, 0)
    #expect(exec == ExecutableSpec.UserContext(msgInfoRegister: 7))
  }
}

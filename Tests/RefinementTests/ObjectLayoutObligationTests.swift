import Bitwise
import Kernel
import KernelABI
import Refinement
import SMT
import Testing

/// The TCB, notification, endpoint, reply and scheduling-context layout obligations and the notification badge-word obligations: each
/// holds for the kernel's code, and each planted break of that code is refuted by the obligation
/// that should catch it.
@Suite struct ObjectLayoutObligationTests {
  /// The default resource limit (deterministic: the same answer on every machine), and a
  /// wall-clock guard well above it: under a fully loaded test run on 2 cores the retype
  /// obligations took over the default 60 s and came back unknown.
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  /// The names of `obligations` that Z3 refutes (each with a counterexample); any other status
  /// than proved or refuted fails the test.
  func refuted(_ obligations: [Obligation]) -> Set<String> {
    var names = Set<String>()
    for r in discharger.discharge(obligations) {
      #expect(r.status == .proved || r.status == .refuted, "\(r.name): \(r.status) \(r.detail ?? "")")
      if r.status == .refuted {
        #expect(!(r.counterexample ?? []).isEmpty, "\(r.name) refuted without a counterexample")
        names.insert(r.name)
      }
    }
    return names
  }

  @Test func theKernelCodeProves() {
    let obligations = Obligation.kernelObjectLayouts() + Obligation.notificationBadge()
    #expect(obligations.count == 31)
    #expect(refuted(obligations).isEmpty)
    // Every one is in the catalogue, so `prove --check` records it.
    let catalogue = Set(Obligation.catalogue.map(\.name))
    #expect(obligations.allSatisfy { catalogue.contains($0.name) })
  }

  @Test func theObligationsReadTheKernelsConstants() {
    let tcb = ObjectWordsCode.tcb
    #expect(tcb.sizeBits == ObjectType.tcbBits)
    #expect(tcb.capSlots == TCBSlot.count)
    #expect(tcb.fields.first { $0.name == "tcbBoundNotification" }?.offset == ObjectLayout.tcbBoundNotification)
    #expect(
      tcb.arrays.map(\.count) == [
        UInt64(KernelConstants.msgMaxLength), UInt64(Register.otherRegisterCount),
        UInt64(KernelConstants.msgMaxExtraCaps),
      ])
    #expect(
      tcb.arrays.map(\.offset) == [
        ObjectLayout.tcbMsgRegisters, ObjectLayout.tcbRegisters, ObjectLayout.tcbCapsOrBadges,
      ])
    #expect(tcb.fields.first { $0.name == "tcbReceiveDepth" }?.offset == ObjectLayout.tcbReceiveDepth)
    #expect(tcb.fields.first { $0.name == "tcbFault[0]" }?.offset == ObjectLayout.tcbFault)
    #expect(tcb.fields.first { $0.name == "tcbLookupFailure[1]" }?.offset == ObjectLayout.tcbLookupFailure + 8)
    let ntfn = ObjectWordsCode.notification
    #expect(ntfn.sizeBits == ObjectType.notificationBits)
    #expect(
      ntfn.fields.map(\.offset) == [
        ObjectLayout.ntfnQueueHead, ObjectLayout.ntfnQueueTail, ObjectLayout.ntfnState,
        ObjectLayout.ntfnMsgIdentifier, ObjectLayout.ntfnBoundTCB, ObjectLayout.ntfnSchedContext,
      ])
    #expect(ThreadStateCode.kernel.tags.map(\.tag) == KernelThreadState.allCases.map(\.rawValue))
    #expect(NtfnStateCode.kernel.tags.map(\.tag) == KernelNtfnState.allCases.map(\.rawValue))
  }

  /// A changed offset changes the obligation's SMT text, so `prove --check` sees the change.
  @Test func aMovedFieldChangesTheProof() throws {
    let kernel = try #require(Obligation.objectWords(.tcb).first)
    let moved = try #require(
      Obligation.objectWords(Mutants.moving("tcbDomain", to: ObjectLayout.tcbDomain + 8, in: .tcb)).first)
    #expect(kernel.name == moved.name)
    #expect(try Discharger.smtFile(of: kernel) != Discharger.smtFile(of: moved))
  }

  @Test(arguments: [
    ("tcbPriority four bytes into tcbState", ["kernel.layout.tcb.wordsAligned", "kernel.layout.tcb.wordsDisjoint"]),
    ("tcbBoundNotification on tcbBlockingObject", ["kernel.layout.tcb.wordsDisjoint"]),
    ("tcbState inside the last CTE", ["kernel.layout.tcb.wordsClearOfCapSlots"]),
    // 240 message registers also run over `tcbFlags`, the word after the registers.
    ("message registers run past the TCB", ["kernel.layout.tcb.wordsDisjoint", "kernel.layout.tcb.wordsInsideObject"]),
    ("message registers start on tcbBadgeRegister", ["kernel.layout.tcb.wordsDisjoint"]),
    ("tcbReceiveCNode on the last caps_or_badges word", ["kernel.layout.tcb.wordsDisjoint"]),
    ("tcbReceiveDepth past the TCB", ["kernel.layout.tcb.wordsInsideObject"]),
    ("caps_or_badges on the blocking-IPC words", ["kernel.layout.tcb.wordsDisjoint"]),
    ("ntfnBoundTCB past the notification", ["kernel.layout.notification.wordsInsideObject"]),
    (
      "ntfnState four bytes into ntfnQueueTail",
      ["kernel.layout.notification.wordsAligned", "kernel.layout.notification.wordsDisjoint"]
    ),
    ("ntfnQueueTail on ntfnQueueHead", ["kernel.layout.notification.wordsDisjoint"]),
    ("scReply past the scheduling context", ["kernel.layout.schedContext.wordsInsideObject"]),
    (
      "scReply four bytes into scTcb",
      ["kernel.layout.schedContext.wordsAligned", "kernel.layout.schedContext.wordsDisjoint"]
    ),
    ("scReply on scTcb", ["kernel.layout.schedContext.wordsDisjoint"]),
    ("refills from byte 88", ["kernel.layout.schedContext.wordsDisjoint"]),
    ("three refills in the smallest scheduling context", ["kernel.layout.schedContext.wordsInsideObject"]),
  ])
  func aBrokenObjectLayoutIsRefuted(mutant: String, expected: [String]) throws {
    let code = try #require(Mutants.objectWordsMutants.first { $0.0 == mutant }?.1)
    #expect(refuted(Obligation.objectWords(code)) == Set(expected))
  }

  @Test(arguments: [
    ("tsType two bits wide", ["kernel.layout.tcb.threadStateTags"]),
    ("tcbQueued on bit 2", ["kernel.layout.tcb.threadStateTags", "kernel.layout.tcb.queueFlagsIndependent"]),
    ("tcbInReleaseQueue on tcbQueued's bit", ["kernel.layout.tcb.queueFlagsIndependent"]),
    ("a state numbered 16", ["kernel.layout.tcb.threadStateTags"]),
    ("Inactive numbered 7", ["kernel.layout.tcb.zeroIsInactive"]),
  ])
  func aBrokenThreadStateWordIsRefuted(mutant: String, expected: [String]) throws {
    let code = try #require(Mutants.threadStateMutants.first { $0.0 == mutant }?.1)
    #expect(refuted(Obligation.threadStateWord(code)) == Set(expected))
  }

  @Test(arguments: [
    ("Active written as Waiting's tag", ["kernel.layout.notification.stateTags"]),
    ("Idle numbered 3", ["kernel.layout.notification.zeroIsIdle"]),
  ])
  func aBrokenNotificationStateWordIsRefuted(mutant: String, expected: [String]) throws {
    let code = try #require(Mutants.ntfnStateMutants.first { $0.0 == mutant }?.1)
    #expect(refuted(Obligation.ntfnStateWord(code)) == Set(expected))
  }

  @Test(arguments: [
    (
      "the badge replaces the word",
      ["keepsSignalledBits", "commutative", "zeroBadge"]
    ),
    ("the badge is xored in", ["keepsSignalledBits", "addsBadgeBits", "idempotent"]),
    ("the badge is shifted in", ["addsBadgeBits", "nothingElse", "associative"]),
    ("bit 0 is always set", ["nothingElse", "zeroBadge"]),
    ("the word is masked by the badge", ["keepsSignalledBits", "addsBadgeBits", "zeroBadge"]),
  ])
  func aBrokenBadgeOrIsRefuted(mutant: String, expected: [String]) throws {
    let code = try #require(Mutants.notificationBadgeMutants.first { $0.0 == mutant }?.1)
    #expect(
      refuted(Obligation.notificationBadge(code)) == Set(expected.map { "kernel.notification.badgeOr.\($0)" }))
  }

  /// The kernel and the executable spec run the very function the badge obligations prove.
  @Test func theBadgeUpdateRunsAsProved() {
    #expect(NotificationBadge.accumulate(UInt64(0b1010), badge: 0b0110) == 0b1110)
    #expect(NotificationBadge.accumulate(UInt64(0xFFFF_0000_0000_0000), badge: 0) == 0xFFFF_0000_0000_0000)
  }
}

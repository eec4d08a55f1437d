import AbstractSpec
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import Refinement
import Testing

@Suite struct LockstepTests {
  @Test func relationsAndInvariantsHoldAtStepZero() {
    let checker = LockstepChecker(plan: .sample)
    #expect(checker.check() == nil)
  }

  /// The campaign the issues ask for: at least 100,000 capability, thread and notification events,
  /// valid and invalid,
  /// seeded, on every core. (1,250 traces: coverage-biased traces are shorter, about 85 events
  /// on average since deleting the thread's scheduling context stops it, so 1,000 do not reach
  /// 100,000 events. Measured 2026-12-07: 105,507 events just before NBSendRecv and NBSendWait
  /// were modelled, 102,173 since, the generator's register-0 ones now stopping their thread.)
  @Test func hundredThousandCapabilityEventsAgree() {
    let report = runCampaign(
      plan: .sample, options: CampaignOptions(seed: 0x5EED_0001, traces: 1_250, stepsPerTrace: 250))
    if let v = report.violations.first {
      Issue.record("trace seed \(v.traceSeed): \(v.failure)")
    }
    #expect(report.violations.isEmpty)
    #expect(report.steps >= 100_000, "\(report.steps) events")
    // Deep and broad: successes and errors of every CNode operation and of retype were reached.
    for op in ["copy", "mint", "move", "mutate", "rotate", "delete", "revoke", "retype"] {
      #expect(report.coverage["\(op)/ok", default: 0] > 0, "\(op) never succeeded")
    }
    for error in [
      "deleteFirst", "failedLookup", "illegalOperation", "rangeError", "truncatedMessage", "invalidArgument",
      "notEnoughMemory", "revokeFirst",
    ] {
      #expect(report.coverage.keys.contains { $0.hasSuffix("/\(error)") }, "\(error) never reached")
    }
    // Mixed: every TCB method the generator makes succeeded (an empty or a register reply), but
    // Configure and SetSpace, which cannot (no cap is a VSpace root): they were refused by their
    // CSpace or VSpace root (IllegalOperation), and by an untyped root with children
    // (RevokeFirst); Yield, Signal, Wait and Poll, which answer nothing, ran without a fault or an
    // error.
    let tcbMethods = Operations.operations(of: .tcb)
    #expect(tcbMethods.count == 16)
    for op in tcbMethods where op != .configure && op != .setSpace {
      #expect(report.coverage["\(op.rawValue)/ok", default: 0] > 0, "\(op.rawValue) never succeeded")
    }
    for op in ["configure", "setSpace"] {
      #expect(report.coverage["\(op)/ok"] == nil, "\(op) succeeded")
      for outcome in ["illegalOperation", "revokeFirst", "truncatedMessage"] {
        #expect(report.coverage["\(op)/\(outcome)", default: 0] > 0, "\(op) never ended in \(outcome)")
      }
    }
    for op in Operations.operations(of: .scheduling) + Operations.operations(of: .notification) {
      let quiet =
        report.coverage["\(op.rawValue)/noReply", default: 0] + report.coverage["\(op.rawValue)/ok", default: 0]
      #expect(quiet > 0, "\(op.rawValue) never ran cleanly")
    }
  }
}

@Suite struct CoverageNamingTests {
  /// Error outcomes are named by the error's case name, as the campaign's expectations spell them.
  @Test func errorOutcomesUseCaseNames() {
    let o = Observation(caller: 1, reply: ReplyMessage(error: .deleteFirst), current: 1)
    #expect(Coverage.outcome(o) == "deleteFirst")
    let n = Observation(caller: 1, reply: ReplyMessage(error: .notEnoughMemory(freeBytes: 3)), current: 1)
    #expect(Coverage.outcome(n) == "notEnoughMemory")
    #expect(Coverage.outcome(Observation(caller: 1, reply: .success, current: 1)) == "ok")
  }
}

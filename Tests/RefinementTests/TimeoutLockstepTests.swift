// Timeout faults, checked in lockstep: the three layers raise, deliver and answer a Timeout fault
// alike (R1, R2 and every layer's invariants after each step), and a kernel whose Timeout fault
// carries the wrong badge is caught; the wake-up sites and a passive timeout handler agree; plan
// validation refuses a timeout handler seL4 would not install. (`seL4:src/kernel/thread.c` `endTimeslice`,
// `doReplyTransfer`; docs/time.md.)

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct TimeoutLockstepTests {
  /// The exhaustion, the handler's Recv, its reply (label 0: restart and postpone), a release,
  /// a second exhaustion and a reply with a label (Inactive), then a wait and a signal (the
  /// wake-up `refill_unblock_check`), on the sporadic sample with a timeout handler.
  static let events: [Event] = [
    Budget.untilTimer, Timeout.receive, Timeout.reply(label: 0), Budget.untilTimer, Budget.untilTimer,
    Budget.untilTimer, Timeout.reply(label: 1), Budget.untilTimer, .timerTick(ticks: 700), Timeout.wait,
    .timerTick(ticks: 1_000), Budget.signal, Budget.untilTimer,
  ]

  @Test func aTimeoutFaultAndItsRepliesAgreeInLockstep() {
    var checker = LockstepChecker(plan: .withTimeoutHandler(.sporadicSample))
    #expect(checker.verify() == nil)
    var faults = 0
    for (i, event) in Self.events.enumerated() {
      let failure = checker.step(event).failure
      #expect(failure == nil, "step \(i) \(event): \(failure.map { "\($0)" } ?? "")")
      if case .timeout? = checker.abstract.tcb(at: S.mainTCB)?.fault { faults += 1 }
    }
    // The first exhaustion raised a fault (seen after step 0 at least).
    #expect(faults > 0)
  }

  /// A kernel whose Timeout fault carries the context's badge with its lowest bit flipped (the
  /// test-only seam `timeoutFaultBadge`): the timer event that raises it reports
  /// `Timeout(badge: 0x5D)` where the specs report the context's 0x5C, and the kernel's fault word
  /// holds 0x5D where R1 expects 0x5C. With the observation set aside (the checker compares it first), R1 catches it.
  @Test func aTimeoutFaultWithTheWrongBadgeIsCaught() {
    var kernel = KernelState(plan: .withTimeoutHandler(.sporadicSample))
    kernel.seams.timeoutFaultBadge = { $0 ^ 1 }
    var planted = LockstepChecker(plan: .withTimeoutHandler(.sporadicSample), kernel: kernel)
    let failure = planted.step(Budget.untilTimer).failure
    #expect(failure?.kind == .observation, "\(failure.map { "\($0)" } ?? "none")")
    #expect(planted.kernel.tcbFault(of: S.mainTCB) == .timeout(badge: Timeout.contextBadge ^ 1))
    #expect(planted.abstract.tcb(at: S.mainTCB)?.fault == .timeout(badge: Timeout.contextBadge))
    let relation = planted.verify()
    #expect(relation?.kind == .r1, "\(relation.map { "\($0)" } ?? "none")")
  }

  /// Each wake-up site's scenario (`TimeoutScenarios.wakeUpUnblocksTheRefills`) and the passive
  /// timeout handler's, in lockstep.
  @Test(arguments: WakeUpSite.allCases)
  func aWakeUpAgreesInLockstep(site: WakeUpSite) {
    var checker = LockstepChecker(plan: .sporadicWakeUpSample)
    #expect(checker.verify() == nil)
    let events: [Event] =
      [.timerTick(ticks: 700), site.block] + site.before + [.timerTick(ticks: 1_000), site.wake, Budget.untilTimer]
    for (i, event) in events.enumerated() {
      let failure = checker.step(event).failure
      #expect(failure == nil, "\(site) step \(i) \(event): \(failure.map { "\($0)" } ?? "")")
    }
  }

  @Test func aPassiveTimeoutHandlerAgreesInLockstep() {
    var checker = LockstepChecker(plan: .passiveTimeoutHandler)
    #expect(checker.verify() == nil)
    for (i, event) in [Budget.untilTimer, Budget.untilTimer].enumerated() {
      let failure = checker.step(event).failure
      #expect(failure == nil, "step \(i) \(event): \(failure.map { "\($0)" } ?? "")")
    }
  }

  /// Plan validation refuses a timeout-handler cap seL4's `validFaultHandler` would not install
  /// (TCB_SetTimeoutEndpoint): without Write, or without both Grant and GrantReply; the full cap
  /// passes.
  @Test func planValidationRefusesATimeoutHandlerSeL4WouldNot() {
    #expect(SystemPlan.withTimeoutHandler(.sporadicSample).validate().isEmpty)
    for rights: CapRights in [[.read, .grant], [.read, .write]] {
      let problems = SystemPlan.withTimeoutHandler(.sporadicSample, rights: rights).validate()
      #expect(problems.count == 1 && problems.allSatisfy { $0.contains("timeout-handler slot") }, "\(problems)")
    }
  }
}

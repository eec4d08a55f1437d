// Timeout faults, checked in lockstep: the three layers raise, deliver and answer a Timeout fault
// alike (R1, R2 and every layer's invariants after each step), and a kernel whose Timeout fault
// carries the wrong badge is caught. (`seL4:src/kernel/thread.c` `endTimeslice`,
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
  /// `Timeout(badge: 1)` where the specs report 0, and the kernel's fault word holds 1 where R1
  /// expects 0. With the observation set aside (the checker compares it first), R1 catches it.
  @Test func aTimeoutFaultWithTheWrongBadgeIsCaught() {
    var kernel = KernelState(plan: .withTimeoutHandler(.sporadicSample))
    kernel.seams.timeoutFaultBadge = { $0 ^ 1 }
    var planted = LockstepChecker(plan: .withTimeoutHandler(.sporadicSample), kernel: kernel)
    let failure = planted.step(Budget.untilTimer).failure
    #expect(failure?.kind == .observation, "\(failure.map { "\($0)" } ?? "none")")
    #expect(planted.kernel.tcbFault(of: S.mainTCB) == .timeout(badge: 1))
    #expect(planted.abstract.tcb(at: S.mainTCB)?.fault == .timeout(badge: 0))
    let relation = planted.verify()
    #expect(relation?.kind == .r1, "\(relation.map { "\($0)" } ?? "none")")
  }
}

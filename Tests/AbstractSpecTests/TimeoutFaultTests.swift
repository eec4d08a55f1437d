// Timeout faults in the AbstractSpec layer: a sporadic thread whose budget runs out sends a Timeout
// fault to its timeout handler (label 5, the context's badge, the microseconds consumed), whose
// reply restarts it (label 0) or stops it; no fault without a handler or on round robin; a Timeout
// fault donates nothing; a signal, send, receive or reply runs refill_unblock_check on the woken
// thread's sporadic context. The scenarios are shared by the three layers
// (`TestSupport/Timeout.swift`), each with this layer's invariants checked after every step.

import TestSupport
import Testing

@Suite struct TimeoutFaultTests {
  @Test func theHandlerGetsTheFaultAndAZeroLabelReplyRestarts() { TimeoutScenarios.faultAndReply(.abstract, label: 0) }
  @Test func aReplyWithALabelLeavesTheThreadInactive() { TimeoutScenarios.faultAndReply(.abstract, label: 1) }
  @Test func noFaultWithoutAHandlerOrOnRoundRobin() { TimeoutScenarios.noFaultWithoutHandlerOrOnRoundRobin(.abstract) }
  @Test func theEventThatEndsTheBudgetReportsTheFault() { TimeoutScenarios.theEventReportsTheFault(.abstract) }
  @Test(arguments: WakeUpSite.allCases)
  func aWakeUpRunsRefillUnblockCheck(site: WakeUpSite) {
    TimeoutScenarios.wakeUpUnblocksTheRefills(.abstract, at: site)
  }
  @Test func aTimeoutFaultDonatesNothing() { TimeoutScenarios.aTimeoutFaultDonatesNothing(.abstract) }
}

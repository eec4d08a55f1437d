// Time passing in the AbstractSpec layer: budget exhaustion and replenishment, round robin and sporadic,
// over 100 periods; the release queue's order; a release preempting a lower priority; Yield
// charging the whole head refill. The scenarios are shared by the three layers
// (`TestSupport/Budget.swift`), each with this layer's invariants checked after every step.

import TestSupport
import Testing

@Suite struct BudgetTests {
  @Test func roundRobinTimeslicesTakeTurnsForAHundredPeriods() { BudgetScenarios.roundRobin(.abstract) }
  @Test func aSporadicServerIsExhaustedAndReplenishedEveryPeriod() { BudgetScenarios.sporadic(.abstract) }
  @Test func aReleasePreemptsALowerPriorityThread() { BudgetScenarios.awakenPreempts(.abstract) }
  @Test func yieldChargesTheWholeHeadRefill() { BudgetScenarios.yieldChargesTheHead(.abstract) }
  @Test func theReleaseQueueIsSortedByReleaseTime() { BudgetScenarios.releaseOrder(.abstract) }
}

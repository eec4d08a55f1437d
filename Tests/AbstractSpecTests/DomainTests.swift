// The domain scheduler in AbstractSpec alone (`AbstractSpec/Domain.swift`): every DomainSet decoding error in
// seL4 HEAD's order, DomainSet_Set on a ready, the current and a stopped thread, domains taking
// turns over many rounds of a two-entry schedule, and ScheduleConfigure with ScheduleSetStart
// (the bodies: `TestSupport/Domain.swift`).

import KernelABI
import TestSupport
import Testing

@Suite struct DomainTests {
  @Test func decodeErrorsInSeL4Order() { DomainScenarios.decodeErrorsInOrder(.abstract) }
  @Test func setDomainOfAReadyThread() { DomainScenarios.setDomainOfAReadyThread(.abstract) }
  @Test func setDomainOfTheCurrentThread() { DomainScenarios.setDomainOfTheCurrentThread(.abstract) }
  @Test func setDomainOfAStoppedThread() { DomainScenarios.setDomainOfAStoppedThread(.abstract) }
  @Test func domainsTakeTurns() { DomainScenarios.domainsTakeTurns(.abstract) }
  @Test func setStartAppliesAtOnce() { DomainScenarios.setStartAppliesAtOnce(.abstract) }
}

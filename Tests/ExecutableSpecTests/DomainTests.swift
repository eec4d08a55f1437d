// The domain scheduler in ExecutableSpec alone (`ExecutableSpec/Domain.swift`): every DomainSet decoding error in
// seL4 HEAD's order, DomainSet_Set on a ready, the current and a stopped thread, domains taking
// turns over many rounds of a two-entry schedule, and ScheduleConfigure with ScheduleSetStart
// (the bodies: `TestSupport/Domain.swift`).

import KernelABI
import TestSupport
import Testing

@Suite struct DomainTests {
  @Test func decodeErrorsInSeL4Order() { DomainScenarios.decodeErrorsInOrder(.executable) }
  @Test func setDomainOfAReadyThread() { DomainScenarios.setDomainOfAReadyThread(.executable) }
  @Test func setDomainOfTheCurrentThread() { DomainScenarios.setDomainOfTheCurrentThread(.executable) }
  @Test func setDomainOfAStoppedThread() { DomainScenarios.setDomainOfAStoppedThread(.executable) }
  @Test func domainsTakeTurns() { DomainScenarios.domainsTakeTurns(.executable) }
  @Test func setStartAppliesAtOnce() { DomainScenarios.setStartAppliesAtOnce(.executable) }
}

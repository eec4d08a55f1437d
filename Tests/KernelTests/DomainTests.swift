// The domain scheduler in Kernel alone (`Kernel/Domain.swift`): every DomainSet decoding error in
// seL4 HEAD's order, DomainSet_Set on a ready, the current and a stopped thread, domains taking
// turns over many rounds of a two-entry schedule, and ScheduleConfigure with ScheduleSetStart
// (the bodies: `TestSupport/Domain.swift`).

import KernelABI
import TestSupport
import Testing

@Suite struct DomainTests {
  @Test func decodeErrorsInSeL4Order() { DomainScenarios.decodeErrorsInOrder(.kernel) }
  @Test func setDomainOfAReadyThread() { DomainScenarios.setDomainOfAReadyThread(.kernel) }
  @Test func setDomainOfTheCurrentThread() { DomainScenarios.setDomainOfTheCurrentThread(.kernel) }
  @Test func setDomainOfAStoppedThread() { DomainScenarios.setDomainOfAStoppedThread(.kernel) }
  @Test func domainsTakeTurns() { DomainScenarios.domainsTakeTurns(.kernel) }
  @Test func setStartAppliesAtOnce() { DomainScenarios.setStartAppliesAtOnce(.kernel) }
}

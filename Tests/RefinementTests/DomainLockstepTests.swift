// The domain scheduler through the lockstep checker (R1, R2, observations and every layer's
// invariants after each step): every DomainSet decoding error in seL4 HEAD's order; DomainSet_Set
// on ready, current and stopped threads; a two-entry domain schedule over many rounds with the
// threads of each domain asking for the CPU; sel4test's DOMAINS0000–0003 re-expressed; and a
// kernel that forgets to move to the next domain when the current one expires, caught.

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct DomainLockstepTests {
  typealias T = SystemPlan.Threads

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(
      failure == nil, "\(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  @Test func everyErrorInSeL4OrderAgreesInEveryLayer() {
    var checker = LockstepChecker(plan: .sample)
    for check in DomainChecks.all {
      expectError(step(&checker, check.alone), check.error)
      if let next = check.withNext { expectError(step(&checker, next), check.error) }
    }
  }

  @Test func setDomainAgreesInEveryLayer() {
    var checker = LockstepChecker(plan: .sample)
    let second = S.cptr(root: S.secondSlot)
    // A ready thread, a stopped one resumed in its new domain, then the current thread itself.
    expectSuccess(step(&checker, domainSetSet(second, domain: 1)))
    expectSuccess(step(&checker, invoke(second, .tcbSuspend, [])))
    expectSuccess(step(&checker, domainSetSet(second, domain: 2)))
    expectSuccess(step(&checker, invoke(second, .tcbResume, [])))
    let observation = step(&checker, domainSetSet(S.cptr(root: 1), domain: 5))
    #expect(observation.current == T.low)
    #expect(checker.kernel.domain(of: S.mainTCB) == 5)
    #expect(checker.abstract.tcb(at: T.second)?.domain == 2)
  }

  /// Two domains over 60 rounds: each round lets time run to the next deadline, and every few
  /// rounds the running thread yields or moves the low thread back and forth, so that domain
  /// switches meet a queue changed in the other domain.
  @Test func twoDomainsOverManyRoundsAgreeInEveryLayer() {
    var checker = LockstepChecker(plan: .sampleWithDomains)
    var domains: Set<UInt64> = []
    var switches = 0
    var last = checker.kernel.ksCurDomain
    for round in 0..<60 {
      step(&checker, Budget.untilTimer)
      if round % 5 == 2 { step(&checker, Budget.yield) }
      if round % 7 == 3 { step(&checker, domainSetSet(S.cptr(root: S.lowSlot), domain: round % 2 == 0 ? 0 : 1)) }
      let domain = checker.kernel.ksCurDomain
      domains.insert(domain)
      if domain != last { switches += 1 }
      last = domain
      #expect(checker.exec.ksCurDomain == domain && checker.abstract.curDomain == domain)
    }
    #expect(domains == [0, 1])
    #expect(switches >= 20, "\(switches) switches")
  }

  /// sel4test's DOMAINS0000 (configure the schedule), DOMAINS9999 (reset it) and DOMAINS0001–0003
  /// (set domains), said again in this package's terms: the bad indices, domains and durations
  /// are refused with seL4's errors, a schedule of one entry per domain is written after a block
  /// of long domain-0 entries and started there, a thread moves itself to the last domain and back
  /// (the move is rejected for a domain past the last, and a TCB cap is no DomainSet cap), and the
  /// boot schedule is restored.
  @Test func sel4testDomainsScenario() {
    var checker = LockstepChecker(plan: .sample)
    let length = DomainConfig.domScheduleLength
    let d0: UInt64 = 500
    // ScheduleSetStart: the start entry is fine; an index past the schedule and an end marker are not.
    expectSuccess(step(&checker, domainScheduleSetStart(index: 0)))
    expectError(step(&checker, domainScheduleSetStart(index: .max)), .rangeError(min: 0, max: length - 1))
    expectError(step(&checker, domainScheduleSetStart(index: length)), .rangeError(min: 0, max: length - 1))
    expectError(step(&checker, domainScheduleSetStart(index: 1)), .invalidArgument(argument: 0))
    // ScheduleConfigure's refusals.
    expectError(
      step(&checker, domainScheduleConfigure(index: .max, domain: 0, duration: d0)),
      .rangeError(min: 0, max: length - 2))
    expectError(
      step(&checker, domainScheduleConfigure(index: length - 1, domain: 0, duration: d0)),
      .rangeError(min: 0, max: length - 2))
    expectError(
      step(&checker, domainScheduleConfigure(index: 0, domain: 0, duration: 0)), .invalidArgument(argument: 2))
    let badDomain = SyscallError.rangeError(min: 0, max: KernelConstants.numDomains - 1)
    expectError(step(&checker, domainScheduleConfigure(index: 0, domain: .max, duration: d0)), badDomain)
    expectError(
      step(&checker, domainScheduleConfigure(index: 0, domain: KernelConstants.numDomains + 1, duration: d0)), badDomain
    )
    expectError(
      step(&checker, domainScheduleConfigure(index: 1, domain: 1, duration: 0)), .invalidArgument(argument: 1))
    expectError(
      step(&checker, domainScheduleConfigure(index: 0, domain: 0, duration: 1 << 56)), .invalidArgument(argument: 2))
    // Long domain-0 entries first, then one entry per domain from index 10, started there.
    for index: UInt64 in 1..<10 {
      expectSuccess(
        step(&checker, domainScheduleConfigure(index: index, domain: 0, duration: DomainConfig.maxDuration)))
    }
    for domain in 0..<KernelConstants.numDomains {
      expectSuccess(step(&checker, domainScheduleConfigure(index: 10 + domain, domain: domain, duration: d0)))
    }
    expectSuccess(step(&checker, domainScheduleSetStart(index: 10)))
    #expect(checker.kernel.ksCurDomain == 0 && checker.kernel.ksDomScheduleIdx == 10)
    // DomainSet_Set: to the last domain and back; past the last; a TCB cap invoked as a DomainSet cap.
    let main = S.cptr(root: 1)
    expectError(
      step(&checker, domainSetSet(main, domain: KernelConstants.numDomains + 10)), .invalidArgument(argument: 0))
    expectError(
      step(&checker, invoke(main, label: InvocationLabel.domainSetSet.rawValue, [0], caps: [main])), .illegalOperation)
    expectSuccess(step(&checker, domainSetSet(main, domain: KernelConstants.numDomains - 1)))
    // The main thread waits for domain 15; the second thread runs in domain 0 and moves it back.
    #expect(checker.kernel.ksCurThread == T.second)
    expectSuccess(step(&checker, domainSetSet(main, domain: 0)))
    // Time runs through all sixteen domains once: 16 deadlines later domain 0 is back.
    var seen: Set<UInt64> = []
    for _ in 0..<KernelConstants.numDomains {
      step(&checker, Budget.untilTimer)
      seen.insert(checker.kernel.ksCurDomain)
    }
    #expect(seen.count == Int(KernelConstants.numDomains))
    // DOMAINS9999: the boot schedule again.
    expectSuccess(step(&checker, domainScheduleConfigure(index: 0, domain: 0, duration: DomainConfig.maxDuration)))
    expectSuccess(step(&checker, domainScheduleSetStart(index: 0)))
    expectSuccess(step(&checker, domainScheduleConfigure(index: 1, domain: 0, duration: 0)))
    #expect(checker.kernel.ksCurDomain == 0 && checker.kernel.ksDomScheduleIdx == 0)
  }

  /// A kernel whose `nextDomain` stays on the current entry (the domain never changes on expiry)
  /// agrees with the specs until the first domain expires, and is caught there.
  @Test func aKernelThatNeverSwitchesDomainIsCaught() {
    var kernel = KernelState(plan: .sampleWithDomains)
    kernel.seams.nextDomainSwitches = { false }
    var checker = LockstepChecker(plan: .sampleWithDomains, kernel: kernel)
    // The first deadline is domain 0's end, 3,000 ticks in.
    #expect(checker.step(.timerTick(ticks: DomainSample.firstTicks - 1)).failure == nil)
    let failure = checker.step(Budget.untilTimer).failure
    #expect(failure != nil)
    // The same kernel without the bug passes the same two steps.
    var good = LockstepChecker(plan: .sampleWithDomains)
    #expect(good.step(.timerTick(ticks: DomainSample.firstTicks - 1)).failure == nil)
    #expect(good.step(Budget.untilTimer).failure == nil)
  }
}

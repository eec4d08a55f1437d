// The DomainSet cap's methods for every test target: the events, a sample with a two-entry domain
// schedule, and the decoding checks of each method in seL4 HEAD's order as tables of events that
// fail each check (alone, and together with the next one), with the error each must give.
// (`seL4:src/object/domain.c`.)

import AbstractSpec
import ExecutableSpec
import Kernel
public import KernelABI
public import Testing

/// The sample's DomainSet cap (root slot 9).
public let domainCptr = S.cptr(root: 9)

/// DomainSet_Set: MR0 the domain, extra cap `thread` (none when nil). `label` and `length` make
/// malformed messages.
public func domainSetSet(
  _ thread: UInt64?, domain: UInt64, label: UInt64 = InvocationLabel.domainSetSet.rawValue, length: UInt64? = nil
) -> Event {
  invoke(domainCptr, label: label, [domain], caps: thread.map { [$0] } ?? [], length: length)
}

/// DomainSet_ScheduleConfigure: MR0 the index, MR1 the domain, MR2 the duration in ticks.
public func domainScheduleConfigure(index: UInt64, domain: UInt64, duration: UInt64, length: UInt64? = nil)
  -> Event
{
  invoke(domainCptr, .domainScheduleConfigure, [index, domain, duration], length: length)
}

/// DomainSet_ScheduleSetStart: MR0 the index.
public func domainScheduleSetStart(index: UInt64, length: UInt64? = nil) -> Event {
  invoke(domainCptr, .domainScheduleSetStart, [index], length: length)
}

/// The sample with two domains taking turns: domain 0 (the main and second threads) for
/// `DomainSample.firstTicks`, then domain 1 (the low thread, moved there) for
/// `DomainSample.secondTicks`, then domain 0 again.
public enum DomainSample {
  public static let firstTicks: UInt64 = 3_000
  public static let secondTicks: UInt64 = 2_000
  public static let schedule = [
    DomainScheduleEntry(domain: 0, duration: firstTicks), DomainScheduleEntry(domain: 1, duration: secondTicks),
  ]
}

extension SystemPlan {
  /// `SystemPlan.sample` with `DomainSample.schedule` and the low thread in domain 1.
  public static var sampleWithDomains: SystemPlan {
    var plan = SystemPlan.sample
    plan.domainSchedule = DomainSample.schedule
    if let index = plan.threads.firstIndex(where: { $0.tcb == S.lowTCB }) { plan.threads[index].domain = 1 }
    return plan
  }
}

/// A check of a DomainSet method: its name, the error it gives, and the event that fails it (and
/// passes every check before it) and the event that fails it and the next check too.
public struct DomainCheck: Sendable, CustomStringConvertible {
  public let name: String
  public let error: SyscallError
  public let alone: Event
  public let withNext: Event?
  public var description: String { name }
}

/// The decoding checks of the three DomainSet methods in seL4 HEAD's order (`domain.c`), in the
/// sample (schedule start index 0).
public enum DomainChecks {
  static let low = S.cptr(root: S.lowSlot)
  static let endpoint = S.cptr(root: 3)
  static let maxDuration = DomainConfig.maxDuration
  static let length = DomainConfig.domScheduleLength

  /// DomainSet_Set: no message; a domain past numDomains; no extra cap; not a thread cap.
  public static let set: [DomainCheck] = [
    DomainCheck(
      name: "Set: a label that is no DomainSet method", error: .illegalOperation,
      alone: domainSetSet(low, domain: 1, label: InvocationLabel.tcbSuspend.rawValue),
      withNext: domainSetSet(low, domain: 1, label: InvocationLabel.tcbSuspend.rawValue, length: 0)),
    DomainCheck(
      name: "Set: no message", error: .truncatedMessage, alone: domainSetSet(low, domain: 1, length: 0),
      withNext: domainSetSet(low, domain: 16, length: 0)),
    DomainCheck(
      name: "Set: domain ≥ numDomains", error: .invalidArgument(argument: 0), alone: domainSetSet(low, domain: 16),
      withNext: domainSetSet(nil, domain: 16)),
    DomainCheck(
      name: "Set: no extra cap", error: .truncatedMessage, alone: domainSetSet(nil, domain: 1), withNext: nil),
    DomainCheck(
      name: "Set: the extra cap is no thread cap", error: .invalidArgument(argument: 1),
      alone: domainSetSet(endpoint, domain: 1), withNext: nil),
  ]

  /// DomainSet_ScheduleConfigure: fewer than three words; index at or past the last entry; domain
  /// past numDomains; duration past 56 bits; no time for a domain other than 0; no time at the
  /// start index.
  public static let configure: [DomainCheck] = [
    DomainCheck(
      name: "Configure: fewer than three words", error: .truncatedMessage,
      alone: domainScheduleConfigure(index: 1, domain: 1, duration: 10, length: 2),
      withNext: domainScheduleConfigure(index: length - 1, domain: 1, duration: 10, length: 2)),
    DomainCheck(
      name: "Configure: index ≥ length − 1", error: .rangeError(min: 0, max: length - 2),
      alone: domainScheduleConfigure(index: length - 1, domain: 1, duration: 10),
      withNext: domainScheduleConfigure(index: length - 1, domain: 16, duration: 10)),
    DomainCheck(
      name: "Configure: domain ≥ numDomains", error: .rangeError(min: 0, max: KernelConstants.numDomains - 1),
      alone: domainScheduleConfigure(index: 1, domain: 16, duration: 10),
      withNext: domainScheduleConfigure(index: 1, domain: 16, duration: maxDuration + 1)),
    DomainCheck(
      name: "Configure: duration past 56 bits", error: .invalidArgument(argument: 2),
      alone: domainScheduleConfigure(index: 1, domain: 1, duration: maxDuration + 1),
      withNext: nil),
    DomainCheck(
      name: "Configure: no time for domain ≠ 0", error: .invalidArgument(argument: 1),
      alone: domainScheduleConfigure(index: 1, domain: 1, duration: 0),
      withNext: domainScheduleConfigure(index: 0, domain: 1, duration: 0)),
    DomainCheck(
      name: "Configure: no time at the start index", error: .invalidArgument(argument: 2),
      alone: domainScheduleConfigure(index: 0, domain: 0, duration: 0), withNext: nil),
  ]

  /// DomainSet_ScheduleSetStart: no message; an index past the schedule; an end marker.
  public static let setStart: [DomainCheck] = [
    DomainCheck(
      name: "SetStart: no message", error: .truncatedMessage, alone: domainScheduleSetStart(index: 0, length: 0),
      withNext: domainScheduleSetStart(index: length, length: 0)),
    DomainCheck(
      name: "SetStart: index ≥ length", error: .rangeError(min: 0, max: length - 1),
      alone: domainScheduleSetStart(index: length), withNext: nil),
    DomainCheck(
      name: "SetStart: an end marker", error: .invalidArgument(argument: 0),
      alone: domainScheduleSetStart(index: 5), withNext: nil),
  ]

  /// Every check of every method.
  public static var all: [DomainCheck] { Self.set + Self.configure + Self.setStart }
}

// MARK: - Reading a layer's domains

extension LayerUnderTest {
  /// The current domain (`cur_domain`, `ksCurDomain`).
  public var curDomain: UInt64 {
    switch state {
    case let s as AbstractState: s.curDomain
    case let s as ExecState: s.ksCurDomain
    case let s as KernelState: s.ksCurDomain
    default: .max
    }
  }

  /// The domain of the thread at `thread` (`tcb_domain`, `tcbDomain`).
  public func domain(of thread: ObjectRef) -> UInt64? {
    switch state {
    case let s as AbstractState: s.tcb(at: thread)?.domain
    case let s as ExecState: s.tcb(at: thread)?.domain
    case let s as KernelState: s.domain(of: thread)
    default: nil
    }
  }
}

// MARK: - Scenarios, one body for every layer

/// The domain scenarios each layer's `DomainTests` runs on itself.
public enum DomainScenarios {
  typealias T = SystemPlan.Threads

  /// Every decoding check of the three methods fails alone, and together with the next, with its
  /// own error, and changes nothing but the caller's reply.
  public static func decodeErrorsInOrder(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sample)
    for check in DomainChecks.all {
      run.expectError(check.alone, check.error, sourceLocation: sourceLocation)
      if let next = check.withNext { run.expectError(next, check.error, sourceLocation: sourceLocation) }
    }
  }

  /// A ready thread moved to domain 1 (never scheduled: the boot schedule is domain 0 only) no
  /// longer takes its turn: when the main thread yields, the main thread runs on, where before
  /// the move the second thread (same priority) would have run.
  public static func setDomainOfAReadyThread(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var control = LayerUnderTest(layer, plan: .sample)
    #expect(
      control.run(Budget.yield, sourceLocation: sourceLocation).current == T.second, sourceLocation: sourceLocation)
    var run = LayerUnderTest(layer, plan: .sample)
    run.expectSuccess(domainSetSet(S.cptr(root: S.secondSlot), domain: 1), sourceLocation: sourceLocation)
    #expect(run.domain(of: T.second) == 1, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.curDomain == 0, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.run(Budget.yield, sourceLocation: sourceLocation).current == S.mainTCB, sourceLocation: sourceLocation)
  }

  /// The current thread moving itself to another domain stops running at once: the scheduler
  /// chooses afresh among domain 0's threads (the second thread).
  public static func setDomainOfTheCurrentThread(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sample)
    let observation = run.run(domainSetSet(S.cptr(root: 1), domain: 3), sourceLocation: sourceLocation)
    #expect(Answer(observation) == .success, "\(layer)", sourceLocation: sourceLocation)
    #expect(observation.current == T.second, "\(layer)", sourceLocation: sourceLocation)
    #expect(run.domain(of: S.mainTCB) == 3, "\(layer)", sourceLocation: sourceLocation)
  }

  /// A stopped thread takes the domain without being queued; resumed later, it waits in its new
  /// domain's queue and never runs, though it outranks the low thread.
  public static func setDomainOfAStoppedThread(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sample)
    let second = S.cptr(root: S.secondSlot)
    run.expectSuccess(invoke(second, .tcbSuspend, []), sourceLocation: sourceLocation)
    run.expectSuccess(domainSetSet(second, domain: 2), sourceLocation: sourceLocation)
    #expect(run.domain(of: T.second) == 2, "\(layer)", sourceLocation: sourceLocation)
    run.expectSuccess(invoke(second, .tcbResume, []), sourceLocation: sourceLocation)
    // The main thread suspends itself: of domain 0 only the low thread is left.
    let observation = run.run(invoke(S.cptr(root: 1), .tcbSuspend, []), sourceLocation: sourceLocation)
    #expect(observation.current == T.low, "\(layer)", sourceLocation: sourceLocation)
  }

  /// With `SystemPlan.sampleWithDomains`, 40 timer deadlines: the domains take turns (domain 0 for
  /// 3,000 ticks, domain 1 for 2,000), every thread that runs is of the current domain, the low
  /// thread (domain 1) runs only in domain 1 and the others only in domain 0.
  public static func domainsTakeTurns(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sampleWithDomains)
    var switches = 0
    var seen: [UInt64: Set<ObjectRef>] = [:]
    var previous = run.curDomain
    for _ in 0..<40 {
      let observation = run.run(Budget.untilTimer, sourceLocation: sourceLocation)
      let domain = run.curDomain
      if domain != previous { switches += 1 }
      previous = domain
      if let current = observation.current {
        seen[domain, default: []].insert(current)
        #expect(run.domain(of: current) == domain, "\(layer)", sourceLocation: sourceLocation)
      }
    }
    #expect(seen[1] == [T.low], "\(layer): \(seen)", sourceLocation: sourceLocation)
    #expect(seen[0]?.isSubset(of: [S.mainTCB, T.second]) == true, "\(layer): \(seen)", sourceLocation: sourceLocation)
    #expect(seen[0]?.contains(S.mainTCB) == true, "\(layer): \(seen)", sourceLocation: sourceLocation)
    #expect(switches >= 10, "\(layer): \(switches) switches", sourceLocation: sourceLocation)
  }

  /// ScheduleConfigure writes an entry and ScheduleSetStart applies at once: the low thread moved
  /// to domain 1, entry 1 made (domain 1, 500 ticks), the schedule started there, the low thread
  /// runs straight away; the domain, alone in the schedule from entry 1 on, comes round again.
  public static func setStartAppliesAtOnce(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sample)
    run.expectSuccess(domainSetSet(S.cptr(root: S.lowSlot), domain: 1), sourceLocation: sourceLocation)
    run.expectSuccess(domainScheduleConfigure(index: 1, domain: 1, duration: 500), sourceLocation: sourceLocation)
    #expect(run.curDomain == 0, "\(layer)", sourceLocation: sourceLocation)
    let observation = run.run(domainScheduleSetStart(index: 1), sourceLocation: sourceLocation)
    #expect(run.curDomain == 1, "\(layer)", sourceLocation: sourceLocation)
    #expect(observation.current == T.low, "\(layer)", sourceLocation: sourceLocation)
    for _ in 0..<5 {
      #expect(
        run.run(Budget.untilTimer, sourceLocation: sourceLocation).current == T.low, sourceLocation: sourceLocation)
      #expect(run.curDomain == 1, "\(layer)", sourceLocation: sourceLocation)
    }
  }
}

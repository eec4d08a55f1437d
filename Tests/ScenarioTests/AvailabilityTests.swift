// Availability (docs/time.md, "Availability"): Systems/mixed-criticality.cdl loads as written, the
// property holds on the clean system over many control-loop periods, a bug all three layers share
// (`SpecBug.chargeSkipsConstantBandwidth`) breaks it while the lockstep sees nothing, shrunk and
// replayable, and the monitor fails on hand-made observations where each clause breaks alone.
// (Here, beside the capDL loader, because the system is a capDL file.)

import CapDL
import Foundation
import KernelABI
import Refinement
import Testing

@Suite struct AvailabilityTests {
  static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Systems/mixed-criticality.cdl")

  /// The system's plan and its objects' addresses by name.
  static func load() throws -> (SystemPlan, [String: ObjectRef]) {
    let text = try String(contentsOf: file, encoding: .utf8)
    let loaded = try loadSystemPlan(
      from: CapDLModel.parse(text, file: "mixed-criticality.cdl"), growUndersizedUntypeds: true,
      ignoreLinksBetweenObjects: true)
    var addresses: [String: ObjectRef] = [:]
    for (id, address) in loaded.addresses where id.index == nil { addresses[id.name] = address }
    return (loaded.plan, addresses)
  }

  static func workload() throws -> (SystemPlan, AvailabilityWorkload) {
    let (plan, addresses) = try load()
    return (plan, try #require(AvailabilityWorkload.mixedCriticality(plan: plan, addresses: addresses)))
  }

  @Test func theSystemLoadsWithItsTimeAndRoles() throws {
    let (plan, a) = try Self.load()
    func thread(_ name: String) throws -> SystemPlan.Thread {
      let tcb = try #require(a[name])
      return try #require(plan.threads.first { $0.tcb == tcb })
    }
    let control = try thread("control")
    #expect(control.priority == 250)
    let controlSC = try #require(control.schedContext)
    #expect(
      plan.schedContexts[controlSC]
        == SystemPlan.SchedContextConfiguration(budget: 2, period: 3, sporadic: true, badge: 1))
    let net = try thread("net")
    let netSC = try #require(net.schedContext)
    // 25 ms every 100 ms: 250,000 ticks every 1,000,000, within MAX_PERIOD.
    #expect(
      plan.schedContexts[netSC]
        == SystemPlan.SchedContextConfiguration(budget: 25_000, period: 100_000, sporadic: false, badge: 3))
    #expect(TimeConfig.usToTicks(UInt64(100_000)) <= TimeConfig.maxPeriod)
    let linux = try thread("linux")
    let linuxSC = try #require(linux.schedContext)
    #expect(linux.priority == 10 && plan.schedContexts[linuxSC]?.budget == plan.schedContexts[linuxSC]?.period)
    // The passive server has no context of its own and starts in Recv.
    let server = try thread("server")
    #expect(server.schedContext == nil && server.receive != nil)
    // The network driver holds its IRQ's handler cap (IRQ 5, from `irq maps`), and the line is
    // bound to its notification with badge 5 (`net_irq`'s slot 0).
    #expect(plan.caps.values.contains(.irqHandler(irq: 5)))
    let netNtfn = try #require(a["net_ntfn"])
    #expect(
      plan.irqNotifications[5].flatMap { plan.caps[$0] } == .notification(netNtfn, badge: 5, rights: [.read, .write]))
    #expect(plan.currentThread == control.tcb)
    // The property: (a) bounds the network driver's constant-bandwidth context only, (b) guarantees
    // the control loop.
    let (_, workload) = try Self.workload()
    #expect(workload.property.bounded.map(\.name) == ["net"])
    #expect(workload.property.bounded.first?.budget == 250_000 && workload.property.bounded.first?.period == 1_000_000)
    #expect(workload.property.guaranteed.map(\.name) == ["control"])
    #expect(workload.property.guaranteed.first?.budget == 20 && workload.property.guaranteed.first?.period == 30)
  }

  /// The default run's size (seed 1, 12 traces of 2,200 events; measured 2026-12-08: 26,400
  /// events, 366,463 control-loop periods simulated, 10,555 of them with it runnable, 25 device
  /// interrupts on IRQ 5, 13 of them after an Ack that unmasked the line): the control loop is runnable in at least 10,000 periods of adversarial
  /// untrusted behaviour, the network driver's interrupt really fires, and both untrusted threads
  /// run.
  @Test func availabilityHoldsOnTheCleanSystemOverManyPeriods() throws {
    let (plan, workload) = try Self.workload()
    #expect(workload.interruptLines == [5])
    let report = runAvailabilityCampaign(plan: plan, workload: workload, seed: 1, traces: 12, steps: 2_200)
    #expect(report.counterexample == nil, "\(String(describing: report.counterexample?.failure))")
    #expect(report.held)
    #expect(report.events == 26_400)
    #expect(report.periods >= 10_000, "\(report.periods) periods")
    #expect(report.runnablePeriods >= 10_000, "\(report.runnablePeriods) runnable periods")
    #expect(report.interrupts > 0, "no device interrupt")
    // The driver's Ack really unmasks its line: some Ack unmasked it and a later interrupt got in
    // (an Ack that left the line masked, `KernelBug.ackLeavesLineMasked` in every layer, would
    // leave both at 0: after the first interrupt no line would ever be unmasked again).
    #expect(report.acksThatUnmasked > 0, "no Ack unmasked the line")
    #expect(report.interruptsAfterAck > 0, "no interrupt after an Ack")
    #expect((report.ranTicks["net"] ?? 0) > 0 && (report.ranTicks["linux"] ?? 0) > 0)
  }

  /// The traces run on several threads give the same report as on one (they are folded in order).
  @Test func theReportDoesNotDependOnTheThreads() throws {
    let (plan, workload) = try Self.workload()
    let one = runAvailabilityCampaign(plan: plan, workload: workload, seed: 3, traces: 4, steps: 150)
    let two = runAvailabilityCampaign(plan: plan, workload: workload, seed: 3, traces: 4, steps: 150, jobs: 2)
    #expect(one == two)
    #expect(one.traces == 4 && one.events == 600)
  }

  /// Measured (2026-12-08): seed 1, caught in trace 0 (quiet) after 123 events, shrunk to 5.
  @Test func aBudgetChargeSkippedInEveryLayerBreaksAvailabilityAlone() throws {
    let (plan, workload) = try Self.workload()
    let bug = SpecBug.chargeSkipsConstantBandwidth
    let report = runAvailabilityCampaign(plan: plan, workload: workload, seed: 1, traces: 8, steps: 300, specBug: bug)
    let c = try #require(report.counterexample, "not caught")
    #expect(c.failure.kind == .availability && c.failure.name == "availability.budget")
    #expect(c.failure.explanation.hasPrefix("net consumed"))
    #expect(report.events <= 5_000, "caught after \(report.events) events")
    #expect(c.events.count <= 10, "shrunk to \(c.events.count)")
    // The lockstep alone sees nothing: the layers share the bug.
    var checker = LockstepChecker(plan: plan)
    checker.plantSpecBug(bug)
    for event in c.events { #expect(checker.step(event).failure == nil) }
    // Without the bug the shrunk trace passes both checks.
    #expect(replayAvailability(plan: plan, property: workload.property, events: c.events) == nil)
    // The trace file replays it.
    var trace = TraceFile(
      system: .init(path: "Systems/mixed-criticality.cdl", plan: plan), seed: 1, traceSeed: c.traceSeed,
      traceIndex: c.traceIndex, originalLength: c.originalLength, events: c.events, expected: .init(c.failure))
    trace.availability = workload.property
    trace.specBug = bug
    let decoded = try TraceFile.decode(trace.encoded(), file: "availability.json")
    let replayed = try #require(decoded.replay(plan: plan))
    #expect(decoded.expected.matches(replayed))
  }

  // MARK: - The monitor on hand-made observations

  static let bound = AvailabilityBound(name: "untrusted", schedContext: 0x10, budget: 20, period: 100)
  static let guarantee = AvailabilityGuarantee(name: "critical", thread: 0x1, schedContext: 0x2, budget: 20, period: 30)
  static let property = AvailabilityProperty(bounded: [bound], guaranteed: [guarantee])

  /// The first violation of `observations` (one event between each two).
  static func monitor(_ observations: [AvailabilityObservation]) -> AvailabilityViolation? {
    var monitor = AvailabilityMonitor(property: property, initial: observations[0])
    for (i, pair) in zip(observations, observations.dropFirst()).enumerated() {
      if let v = monitor.observe(step: i + 1, before: pair.0, after: pair.1) { return v }
    }
    return nil
  }

  static func at(_ clock: UInt64, _ sc: ObjectRef, runnable: [ObjectRef: UInt64] = [:]) -> AvailabilityObservation {
    AvailabilityObservation(clock: clock, curSC: sc, runnable: runnable)
  }

  @Test func theBudgetClauseFailsAloneOnASlidingWindow() throws {
    // A budget in [80, 100) and again from 100: within budget in every aligned period, but
    // [1, 101) holds 21 ticks.
    let trace = [Self.at(0, 0x2), Self.at(80, 0x10), Self.at(100, 0x10), Self.at(101, 0x2), Self.at(140, 0x2)]
    let v = try #require(Self.monitor(trace))
    #expect(v.clause == .budget && v.name == "untrusted" && v.step == 3)
    #expect(v.windowStart == 1 && v.windowEnd == 101 && v.consumed == 21)
    // Exactly the budget, one period apart, holds.
    let fine = [Self.at(0, 0x10), Self.at(20, 0x2), Self.at(100, 0x10), Self.at(120, 0x2), Self.at(130, 0x2)]
    #expect(Self.monitor(fine) == nil)
  }

  @Test func theGuaranteeClauseFailsAloneWhenTheCriticalThreadIsKeptWaiting() throws {
    // The critical thread can run with its head released at 0, but another context (0x20, not
    // bounded, so that the budget clause stays silent) runs.
    let kept = [Self.at(0, 0x20, runnable: [0x1: 0]), Self.at(5, 0x20, runnable: [0x1: 0])]
    let v = try #require(Self.monitor(kept))
    #expect(v.clause == .guarantee && v.name == "critical" && v.step == 1)
    #expect(v.windowStart == 0 && v.windowEnd == 5 && v.released == 0)
    // Waiting for a release at 30 while another runs is allowed up to the release, not past it.
    let upTo = [Self.at(0, 0x20, runnable: [0x1: 30]), Self.at(30, 0x2, runnable: [0x1: 30]), Self.at(50, 0x2)]
    #expect(Self.monitor(upTo) == nil)
    let past = [Self.at(0, 0x20, runnable: [0x1: 30]), Self.at(31, 0x20, runnable: [0x1: 30])]
    let w = try #require(Self.monitor(past))
    #expect(w.clause == .guarantee && w.windowStart == 30 && w.windowEnd == 31)
    // A blocked critical thread asks for nothing.
    #expect(Self.monitor([Self.at(0, 0x20), Self.at(500, 0x20)]) == nil)
  }
}

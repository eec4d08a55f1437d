// Running the availability property (`Availability.swift`): traces of adversarial untrusted
// behaviour on a mixed-criticality system, every event checked by the lockstep checker and by
// the availability monitor; replaying and shrinking a trace that breaks availability.

import AbstractSpec
internal import Dispatch
import Kernel
public import KernelABI
internal import Synchronization

/// What runs on the system: the trusted threads' own system calls, picked at random when one of
/// them is current (or it lets time pass); every other thread is untrusted and runs the random
/// generator's events and time events.
public struct AvailabilityWorkload: Hashable, Sendable, Codable {
  public var property: AvailabilityProperty
  /// The system calls each trusted thread makes.
  public var scripts: [ObjectRef: [Event]]
  /// How often (percent) a trusted thread makes one of its calls rather than running on.
  public var trustedCallPercent: [ObjectRef: UInt64]
  /// The same in a quiet trace, where given.
  public var quietCallPercent: [ObjectRef: UInt64] = [:]
  /// The system calls each trusted thread makes in a quiet trace, where given (else `scripts`).
  public var quietScripts: [ObjectRef: [Event]] = [:]
  /// How often (percent) an untrusted thread lets time pass rather than making a generated call.
  public var untrustedTimePercent: UInt64 = 85
  /// Calls an untrusted thread makes beside the generator's (its driver loop: wait for the
  /// interrupt, ack it), and how often (percent) a call it makes is one of them.
  public var untrustedScripts: [ObjectRef: [Event]] = [:]
  public var untrustedScriptPercent: UInt64 = 0
  /// Device lines the adversary fires (`.interrupt(irq:)`), whoever runs, and how often (percent of
  /// events) one fires while it is unmasked (a masked line holds its interrupt back: firing it
  /// would change nothing).
  public var interruptLines: [UInt64] = []
  public var interruptPercent: UInt64 = 0
  /// In a busy trace, how often (percent) a time event runs until the timer fires.
  public var busyUntilTimerPercent: UInt64 = 0
  /// Names of threads and scheduling contexts, for reports.
  public var names: [ObjectRef: String] = [:]

  public init(
    property: AvailabilityProperty, scripts: [ObjectRef: [Event]], trustedCallPercent: [ObjectRef: UInt64] = [:]
  ) {
    self.property = property
    self.scripts = scripts
    self.trustedCallPercent = trustedCallPercent
  }

  /// `Systems/mixed-criticality.cdl` as loaded (`plan`, `addresses` by object name): the control
  /// loop (guaranteed) polls its notification or endpoint (NBWait, NBRecv: a periodic thread on its
  /// sporadic server, never blocking) one time in 25 it runs, else runs on; in a quiet trace it
  /// also waits there (half its calls block) one time in two. The sensor signals it or sends to it
  /// (NBSend: it never blocks, so some thread is always runnable or due for release) two times in
  /// five (one in 25 in a quiet trace); the passive server answers its caller (ReplyRecv) one time
  /// in two, on the caller's time. The network driver and Linux are the untrusted threads; the
  /// network driver's calls are one time in two its driver loop (Wait on `net_ntfn`, AckIRQ on its
  /// handler cap, in that order) and else the generator's, and IRQ 5, bound to `net_ntfn`, fires on
  /// one event in 20 while it is unmasked, whoever runs. In a busy trace a time event runs until
  /// the timer fires nine times in ten. The cptrs are the file's (slot i is cptr i).
  public static func mixedCriticality(plan: SystemPlan, addresses: [String: ObjectRef]) -> AvailabilityWorkload? {
    guard let control = addresses["control"], let sensor = addresses["sensor"], let server = addresses["server"]
    else { return nil }
    let net = addresses["net"]
    var names: [ObjectRef: String] = [:]
    for (name, address) in addresses { names[address] = name }
    for t in plan.threads {
      if let sc = t.schedContext, let name = names[t.tcb] { names[sc] = name }
    }
    let property = AvailabilityProperty(plan: plan, critical: [control], names: names)
    func call(_ syscall: Syscall, _ cptr: UInt64, reply: UInt64 = 0) -> Event {
      .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0, replyRegister: reply))
    }
    var workload = AvailabilityWorkload(
      property: property,
      scripts: [
        control: [call(.nbWait, 2), call(.nbRecv, 1, reply: 3)],
        sensor: [call(.send, 2), call(.nbSend, 1)],
        server: [call(.replyRecv, 1, reply: 2)],
      ],
      trustedCallPercent: [control: 4, sensor: 40, server: 50])
    workload.quietScripts = [
      control: [call(.nbWait, 2), call(.nbRecv, 1, reply: 3), call(.wait, 2), call(.recv, 1, reply: 3)]
    ]
    workload.quietCallPercent = [control: 50, sensor: 4]
    workload.busyUntilTimerPercent = 90
    workload.names = names
    // The network driver's loop: wait for its interrupt, ack it (IRQHandler AckIRQ on its handler
    // cap, cptr 3); its line, 5, bound to `net_ntfn` by the loader, fires adversarially.
    if let net, plan.irqNotifications[5] != nil {
      let ack = Event.syscall(
        .call,
        SyscallArguments(
          capRegister: 3,
          messageInfo: MessageInfo.pack(
            label: InvocationLabel.irqAckIRQ.rawValue, capsUnwrapped: 0, extraCaps: 0, length: 0)))
      workload.untrustedScripts = [net: [ack, call(.wait, 1)]]
      workload.untrustedScriptPercent = 50
      workload.interruptLines = [5]
      workload.interruptPercent = 5
    }
    return workload
  }

  /// The calls `thread` (trusted) makes, in a busy or a quiet trace.
  func script(_ thread: ObjectRef, quiet: Bool) -> [Event]? {
    (quiet ? quietScripts[thread] : nil) ?? scripts[thread]
  }

  /// How often `thread` (trusted) makes one of its calls, in a busy or a quiet trace.
  func callPercent(_ thread: ObjectRef, quiet: Bool) -> UInt64 {
    (quiet ? quietCallPercent[thread] : nil) ?? trustedCallPercent[thread] ?? 50
  }

  /// A time event for `state`, biased toward the boundaries budgets and periods make: until the
  /// timer fires, one tick before the programmed deadline, MIN_BUDGET, the next boundary of a
  /// guaranteed thread's period, one tick, or a few hundred.
  func timeEvent(_ rng: inout SplitMix64, clock: UInt64, deadline: UInt64) -> Event {
    let remaining = deadline > clock ? deadline - clock : 0
    switch rng.below(7) {
    case 0, 1, 6: return .timerTick(ticks: .max)
    case 2: return .timerTick(ticks: remaining > 0 ? remaining - 1 : 0)
    case 3: return .timerTick(ticks: TimeConfig.minBudget)
    case 4:
      let period = property.guaranteed.first?.period ?? 1
      return .timerTick(ticks: period - clock % max(period, 1))
    default: return .timerTick(ticks: rng.below(2) == 0 ? 1 : rng.below(500))
    }
  }
}

/// One availability trace: its events, the first failure (the lockstep's or availability's), and
/// what the monitor saw.
public struct AvailabilityTrace: Sendable {
  public var seed: UInt64
  public var events: [Event]
  public var failure: LockstepFailure?
  /// Simulated ticks, the guaranteed threads' runnable ticks, and windows of clause (b) checked.
  public var ticks: UInt64
  public var runnableTicks: UInt64
  public var windowsChecked: Int
  /// Ticks each scheduling context ran.
  public var totals: [ObjectRef: UInt64]
  /// Device interrupts fired (each on an unmasked line, so each entered the kernel).
  public var interrupts: Int = 0
  /// IRQHandler_Ack invocations that unmasked a masked line, and interrupts fired on a line whose
  /// last unmasking was such an Ack (the driver's ack really let its device in again).
  public var acksThatUnmasked: Int = 0
  public var interruptsAfterAck: Int = 0
}

extension LockstepChecker {
  /// Tests and availability demonstrations only: plant `bug` in all three layers alike.
  public mutating func plantSpecBug(_ bug: SpecBug?) {
    abstract.specBug = bug
    exec.specBug = bug
    kernel.specBug = bug
  }
}

/// What a trace's trusted threads and adversary do.
public enum AvailabilityTraceMode: String, Hashable, Sendable, Codable, CaseIterable {
  /// The control loop never blocks, so it can run in every period, and a time event runs until
  /// the timer fires `busyUntilTimerPercent` of the time, so each of its periods costs about two
  /// events (the timer at its budget's end and at its release): the traces that make runnable
  /// periods.
  case busy
  /// The control loop often waits and the untrusted threads have the processor: the traces that
  /// make simulated time (and overrun a bounded context soonest).
  case quiet
  /// Quiet, with untrusted threads that only spin (let time pass), the adversary that asks for the
  /// most time.
  case spinning

  /// The campaign's layout: trace 0 quiet, trace 1 spinning, every other busy.
  public static func forTrace(_ index: Int) -> AvailabilityTraceMode {
    index == 0 ? .quiet : index == 1 ? .spinning : .busy
  }
}

/// Run `length` events of `workload` from `plan` with `seed` in `mode` (and `specBug` planted in
/// every layer, tests only), checking the lockstep and availability after each; stops at the
/// first failure, or when nothing can ever run again.
public func runAvailabilityTrace(
  plan: SystemPlan, workload: AvailabilityWorkload, seed: UInt64, length: Int, mode: AvailabilityTraceMode,
  specBug: SpecBug? = nil
) -> AvailabilityTrace {
  var rng = SplitMix64(seed: seed)
  var generator = EventGenerator(seed: rng.next())
  let quiet = mode != .busy
  let untrustedTimePercent = mode == .spinning ? 100 : workload.untrustedTimePercent
  func timeEvent(_ a: AbstractState) -> Event {
    if !quiet, rng.chance(workload.busyUntilTimerPercent) { return .timerTick(ticks: .max) }
    return workload.timeEvent(&rng, clock: a.clock, deadline: a.deadline)
  }
  var events: [Event] = []
  var interrupts = 0
  var acksThatUnmasked = 0
  var interruptsAfterAck = 0
  // Bit i: `workload.interruptLines[i]` was masked before the last event; was last unmasked by an
  // Ack. (Bitmasks, so the bookkeeping allocates nothing per event; lines past the 64th are not
  // tracked.)
  var maskedBefore: UInt64 = 0
  var unmaskedByAck: UInt64 = 0
  // Where each untrusted thread is in its script (it runs the calls in order, as a driver loop).
  var scriptIndex: [ObjectRef: Int] = [:]
  let result = checkAvailability(plan: plan, property: workload.property, specBug: specBug) { checker in
    guard events.count < length else { return nil }
    let a = checker.abstract
    let current = a.currentThread
    let event: Event
    // The last event's effect on the lines' masks: which it unmasked, and whether it was an Ack.
    var lastWasAck = false
    if case .syscall(_, let arguments) = events.last {
      lastWasAck = arguments.info.label == InvocationLabel.irqAckIRQ.rawValue
    }
    var maskedNow: UInt64 = 0
    for (i, line) in workload.interruptLines.prefix(64).enumerated() where a.irqMasked(line) {
      maskedNow |= 1 << UInt64(i)
    }
    let unmaskedByLast = maskedBefore & ~maskedNow
    if unmaskedByLast != 0 {
      if lastWasAck {
        acksThatUnmasked += 1
        unmaskedByAck |= unmaskedByLast
      } else {
        unmaskedByAck &= ~unmaskedByLast
      }
    }
    maskedBefore = maskedNow
    let unmasked = workload.interruptLines.filter { !a.irqMasked($0) }
    if !unmasked.isEmpty, rng.chance(workload.interruptPercent), let irq = rng.pick(unmasked) {
      // The adversary's device: an interrupt whoever runs.
      event = .interrupt(irq: irq)
      interrupts += 1
      if let i = workload.interruptLines.prefix(64).firstIndex(of: irq), unmaskedByAck & (1 << UInt64(i)) != 0 {
        interruptsAfterAck += 1
        unmaskedByAck &= ~(1 << UInt64(i))
      }
    } else if a.isIdle(current) {
      // Nothing runs until the next release; nothing is programmed: nothing ever will.
      guard a.deadline != .max else { return nil }
      event = .timerTick(ticks: .max)
    } else if let script = workload.script(current, quiet: quiet) {
      event =
        rng.chance(workload.callPercent(current, quiet: quiet))
        ? (rng.pick(script) ?? .timerTick(ticks: .max))
        : timeEvent(a)
    } else if rng.chance(untrustedTimePercent) {
      event = timeEvent(a)
    } else if let script = workload.untrustedScripts[current], !script.isEmpty,
      rng.chance(workload.untrustedScriptPercent)
    {
      let index = scriptIndex[current, default: 0]
      event = script[index % script.count]
      scriptIndex[current] = index &+ 1
    } else {
      event = generator.next(for: a).1
    }
    events.append(event)
    return event
  }
  var trace = AvailabilityTrace(
    seed: seed, events: events, failure: result.failure, ticks: result.monitor.elapsed,
    runnableTicks: result.monitor.runnableTicks.values.reduce(0, &+), windowsChecked: result.monitor.windowsChecked,
    totals: result.monitor.totals)
  trace.interrupts = interrupts
  trace.acksThatUnmasked = acksThatUnmasked
  trace.interruptsAfterAck = interruptsAfterAck
  return trace
}

/// The first failure, lockstep or availability, of `events` from `plan` (nil if none).
public func replayAvailability(
  plan: SystemPlan, property: AvailabilityProperty, events: [Event], specBug: SpecBug? = nil
) -> LockstepFailure? {
  var rest = events[...]
  return checkAvailability(plan: plan, property: property, specBug: specBug) { _ in rest.popFirst() }.failure
}

/// The smallest sub-list of `events` that still breaks the same check as `failure` (delta
/// debugging, simpler arguments, delta debugging again: `shrink`'s steps with availability as the
/// failure predicate).
public func shrinkAvailability(
  plan: SystemPlan, property: AvailabilityProperty, events: [Event], failure: LockstepFailure,
  specBug: SpecBug? = nil
) -> (events: [Event], failure: LockstepFailure) {
  func fails(_ candidate: [Event]) -> Bool {
    let f = replayAvailability(plan: plan, property: property, events: candidate, specBug: specBug)
    return f?.kind == failure.kind && f?.name == failure.name
  }
  var small = shrinkEvents(events, fails: fails)
  small = shrinkArguments(small, variants: \.simplerVariants, fails: fails)
  small = shrinkEvents(small, fails: fails)
  return (small, replayAvailability(plan: plan, property: property, events: small, specBug: specBug) ?? failure)
}

/// The lockstep checker and the availability monitor over the events `next` hands out (nil
/// ends), the monitor reading AbstractSpec's state (the lockstep keeps the other two equal to it).
func checkAvailability(
  plan: SystemPlan, property: AvailabilityProperty, specBug: SpecBug?,
  next: (LockstepChecker) -> Event?
) -> (failure: LockstepFailure?, monitor: AvailabilityMonitor) {
  var checker = LockstepChecker(plan: plan)
  checker.plantSpecBug(specBug)
  let watched = property.watchedThreads
  var before = AvailabilityObservation(checker.abstract, watching: watched)
  var monitor = AvailabilityMonitor(property: property, initial: before)
  if let failure = checker.verify() { return (failure, monitor) }
  while let event = next(checker) {
    if let failure = checker.step(event).failure { return (failure, monitor) }
    let after = AvailabilityObservation(checker.abstract, watching: watched)
    if let violation = monitor.observe(step: checker.steps, before: before, after: after) {
      var failure = violation.failure
      failure.event = event
      return (failure, monitor)
    }
    before = after
  }
  return (nil, monitor)
}

/// What an availability campaign found.
public struct AvailabilityReport: Sendable, Codable, Hashable {
  /// A trace that broke availability (or the lockstep), shrunk.
  public struct Counterexample: Sendable, Codable, Hashable {
    public var traceIndex: Int
    public var traceSeed: UInt64
    public var originalLength: Int
    public var events: [Event]
    public var failure: LockstepFailure
    /// The trace file written for it (the CLI's), if any.
    public var traceFile: String?

    public init(
      traceIndex: Int, traceSeed: UInt64, originalLength: Int, events: [Event], failure: LockstepFailure,
      traceFile: String? = nil
    ) {
      self.traceIndex = traceIndex
      self.traceSeed = traceSeed
      self.originalLength = originalLength
      self.events = events
      self.failure = failure
      self.traceFile = traceFile
    }
  }
  public var seed: UInt64
  public var traces: Int
  public var events: Int
  /// Simulated ticks over all traces, and the same in periods of the (first) guaranteed thread.
  public var ticks: UInt64
  public var periods: UInt64
  /// Periods in which the guaranteed threads were runnable, and windows of clause (b) checked.
  public var runnablePeriods: UInt64
  public var windowsChecked: Int
  /// Device interrupts the adversary fired (each entered the kernel).
  public var interrupts: Int = 0
  /// Over all traces: Acks that unmasked a line, and interrupts on a line an Ack last unmasked
  /// (`AvailabilityTrace.acksThatUnmasked`, `interruptsAfterAck`).
  public var acksThatUnmasked: Int = 0
  public var interruptsAfterAck: Int = 0
  /// Ticks each scheduling context ran over all traces, by the name of its thread.
  public var ranTicks: [String: UInt64] = [:]
  public var specBug: SpecBug?
  public var counterexample: Counterexample?

  public init(
    seed: UInt64, traces: Int, events: Int, ticks: UInt64, periods: UInt64, runnablePeriods: UInt64,
    windowsChecked: Int, specBug: SpecBug?, counterexample: Counterexample?
  ) {
    self.seed = seed
    self.traces = traces
    self.events = events
    self.ticks = ticks
    self.periods = periods
    self.runnablePeriods = runnablePeriods
    self.windowsChecked = windowsChecked
    self.specBug = specBug
    self.counterexample = counterexample
  }

  /// Held: no violation, and something was simulated.
  public var held: Bool { counterexample == nil && ticks > 0 }
}

/// `traces` traces of `steps` events each (trace i from a seed derived from `seed` and i, in mode
/// `AvailabilityTraceMode.forTrace(i)`), stopping at the first failure, which is shrunk. With
/// `jobs` above 1 the traces run on that many threads; the report is the same (traces are folded
/// in order, and those after a failing one are dropped).
public func runAvailabilityCampaign(
  plan: SystemPlan, workload: AvailabilityWorkload, seed: UInt64, traces: Int, steps: Int, specBug: SpecBug? = nil,
  jobs: Int = 1
) -> AvailabilityReport {
  let period = workload.property.guaranteed.first?.period ?? 0
  let names = workload.names
  var report = AvailabilityReport(
    seed: seed, traces: 0, events: 0, ticks: 0, periods: 0, runnablePeriods: 0, windowsChecked: 0, specBug: specBug,
    counterexample: nil)
  var seeds = SplitMix64(seed: seed)
  let traceSeeds = (0..<max(traces, 0)).map { _ in seeds.next() }
  let runs = Mutex<[Int: AvailabilityTrace]>([:])
  let next = Atomic<Int>(0)
  // The first trace known to fail: traces after it need not run.
  let firstFailure = Atomic<Int>(Int.max)
  DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, traceSeeds.count))) { _ in
    while true {
      let index = next.add(1, ordering: .relaxed).oldValue
      guard index < traceSeeds.count, index < firstFailure.load(ordering: .relaxed) else { break }
      let trace = runAvailabilityTrace(
        plan: plan, workload: workload, seed: traceSeeds[index], length: steps, mode: .forTrace(index),
        specBug: specBug)
      if trace.failure != nil { firstFailure.min(index, ordering: .relaxed) }
      runs.withLock { $0[index] = trace }
    }
  }
  let finished = runs.withLock { $0 }
  for (index, traceSeed) in traceSeeds.enumerated() {
    guard let trace = finished[index] else { break }
    report.traces += 1
    report.events += trace.events.count
    report.ticks &+= trace.ticks
    report.windowsChecked += trace.windowsChecked
    report.interrupts += trace.interrupts
    report.acksThatUnmasked += trace.acksThatUnmasked
    report.interruptsAfterAck += trace.interruptsAfterAck
    for (sc, ticks) in trace.totals { report.ranTicks[names[sc] ?? "0x" + String(sc, radix: 16), default: 0] &+= ticks }
    report.periods = period > 0 ? report.ticks / period : 0
    report.runnablePeriods &+= period > 0 ? trace.runnableTicks / period : 0
    if let failure = trace.failure {
      let small = shrinkAvailability(
        plan: plan, property: workload.property, events: trace.events, failure: failure, specBug: specBug)
      report.counterexample = .init(
        traceIndex: index, traceSeed: traceSeed, originalLength: trace.events.count, events: small.events,
        failure: small.failure)
      break
    }
  }
  return report
}

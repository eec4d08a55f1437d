// Availability (issue 15, "the seed's system as the built-in default"): time capabilities give
// bounded access to the CPU. Observed from a layer's state between events (the clock, `cur_sc`,
// and for each critical thread whether it can run and when its head refill is released), the
// monitor builds each scheduling context's consumption as intervals of simulated time and checks
// two clauses on every step:
//
// (a) `availability.budget`: a constant-bandwidth scheduling context (seL4_SchedContext_Sporadic
//     not set) with a period longer than its budget never consumes more than its budget in any
//     window of one period (sliding, not aligned to releases). Checked at the end of every
//     interval it runs: the windows ending there are the ones that can hold the most.
// (b) `availability.guarantee`: the critical thread is never kept from budget it holds. Over every
//     event that lets time pass from t0 to t1, if the thread can run (Running or Restart) then
//     either it is the one running (`cur_sc` is its context), or its head refill is released
//     after t0 and the clock does not pass that release (t1 ≤ rTime of the head).
//
// Why these are seL4's sporadic-server guarantees (seL4:src/kernel/sporadic.c; l4v-rt
// `Sporadic_A.thy`, whose `refill_budget_check`, `schedule_used` and `refill_unblock_check` the
// three layers implement): time is charged to `cur_sc`; an amount a refill gives is used no
// earlier than the refill's release `r` and returns as a refill released at `r + period`, and the
// refills always sum to the budget within one period of the head's release (`refills_window`), so
// no window of one period holds more than the budget once each refill is used from its release
// on. seL4 makes that so for a constant-bandwidth context: `switchSchedContext` runs
// `refill_unblock_check` whenever it switches to one, moving a released head's start to the
// current time, and `refill_budget_check` advances the head's start by what it charges: (a). A
// sporadic server gets `refill_unblock_check` only when its thread wakes, so a thread kept from
// running by a higher priority uses a refill later than its release, and the amount comes back one
// period after the release, not after the use: its consumption can exceed its budget in a
// sliding window (found here on the sensor, 10 µs every 1 ms: 100 ticks used from tick 20 on a
// refill released at 0, one more at 10,000: 101 ticks in [1, 10,001)). Its bound is on the refills'
// release times, which the refill invariants (`valid_refills`, checked in lockstep) state. For (b): kernel entries take no time
// in this model and the timer fires exactly at the earliest release (`setNextInterrupt`), so a
// runnable thread of the highest priority runs at every instant its head refill is released; with
// the refill rules this is "it receives its full budget in every period in which it can run":
// every tick of budget it used comes back one period later and is used the moment it does.
//
// What seL4 does NOT guarantee, and so (b) does not say: that every sliding window of one period
// in which the thread can run holds its whole budget. A kernel entry while the thread is part-way
// through a refill (its own system call, or the timer of another thread's release) charges the
// part used; a head left below MIN_BUDGET merges into the next refill, which starts that much
// earlier but no earlier than one period minus the budget after the charge
// (`merge_nonoverlapping_head_refill`), so the thread waits. On this system's control loop (2 µs
// every 3 µs, one MIN_BUDGET) the first version of this monitor checked the sliding-window lower
// bound and found it broken on the clean kernel in 5 events: 20 ticks used in [0, 20), one tick at
// 30, a system call at 31 that postpones the rest to 41: the window [2, 32) holds 19 ticks.
//
// Consumption is what ran, not what was charged: the time a `timerTick` event lets pass is
// attributed to the `cur_sc` before the event (the current thread's context, or the one donated
// to a passive server). A kernel that forgets to charge is therefore seen (`SpecBug`), even when
// all three layers forget alike and the lockstep check cannot.

public import AbstractSpec
public import Kernel
public import KernelABI

/// What availability reads of a layer's state between two events.
public struct AvailabilityObservation: Hashable, Sendable {
  /// The machine's clock (ticks).
  public var clock: UInt64
  /// The scheduling context the current thread runs on (`ksCurSC`; the idle one when idle).
  public var curSC: ObjectRef
  /// The watched threads that can run (Running or Restart), each with the release time of its
  /// scheduling context's head refill (`.max` if it has no active context).
  public var runnable: [ObjectRef: UInt64]

  public init(clock: UInt64, curSC: ObjectRef, runnable: [ObjectRef: UInt64]) {
    self.clock = clock
    self.curSC = curSC
    self.runnable = runnable
  }

  /// Read from AbstractSpec's state.
  public init(_ state: AbstractState, watching threads: [ObjectRef]) {
    clock = state.clock
    curSC = state.curSC
    runnable = [:]
    for thread in threads {
      guard let tcb = state.tcb(at: thread), tcb.state == .running || tcb.state == .restart else { continue }
      runnable[thread] = tcb.schedContext.flatMap { state.schedContext(at: $0)?.refills.first?.rTime } ?? .max
    }
  }

  /// Read from the Kernel's words.
  public init(_ state: KernelState, watching threads: [ObjectRef]) {
    clock = state.clock
    curSC = state.ksCurSC
    runnable = [:]
    for thread in threads {
      let s = state.threadState(of: thread)
      guard s == .running || s == .restart else { continue }
      let sc = state.schedContextWord(of: thread) ?? 0
      runnable[thread] = sc == 0 ? .max : state.refillBuffer(of: sc)?.headRefill.rTime ?? .max
    }
  }
}

/// A scheduling context whose consumption clause (a) bounds.
public struct AvailabilityBound: Hashable, Sendable, Codable {
  public var name: String
  public var schedContext: ObjectRef
  /// Budget and period in ticks.
  public var budget: UInt64
  public var period: UInt64

  public init(name: String, schedContext: ObjectRef, budget: UInt64, period: UInt64) {
    self.name = name
    self.schedContext = schedContext
    self.budget = budget
    self.period = period
  }
}

/// A critical thread whose budget clause (b) guarantees.
public struct AvailabilityGuarantee: Hashable, Sendable, Codable {
  public var name: String
  public var thread: ObjectRef
  public var schedContext: ObjectRef
  /// Budget and period in ticks.
  public var budget: UInt64
  public var period: UInt64

  public init(name: String, thread: ObjectRef, schedContext: ObjectRef, budget: UInt64, period: UInt64) {
    self.name = name
    self.thread = thread
    self.schedContext = schedContext
    self.budget = budget
    self.period = period
  }
}

/// The property for one system: what (a) bounds and what (b) guarantees.
public struct AvailabilityProperty: Hashable, Sendable, Codable {
  public var bounded: [AvailabilityBound]
  public var guaranteed: [AvailabilityGuarantee]

  public init(bounded: [AvailabilityBound], guaranteed: [AvailabilityGuarantee]) {
    self.bounded = bounded
    self.guaranteed = guaranteed
  }

  /// The property of `plan`: (a) for every configured constant-bandwidth context whose period is
  /// longer than its budget (a round-robin context's budget is a timeslice, not a bandwidth; a
  /// sporadic server's bound is on its refills' release times, not on when it ran: see the file's
  /// header), (b) for each thread in `critical` on its bound context. `names` names objects in
  /// reports.
  public init(plan: SystemPlan, critical: [ObjectRef], names: [ObjectRef: String] = [:]) {
    func ticks(_ us: UInt64) -> UInt64 { us &* TimeConfig.ticksPerMicrosecond }
    bounded = plan.schedContexts.sorted { $0.key < $1.key }.compactMap { sc, c in
      c.period > c.budget && !c.sporadic
        ? AvailabilityBound(
          name: names[sc] ?? hex(sc), schedContext: sc, budget: ticks(c.budget), period: ticks(c.period)) : nil
    }
    guaranteed = critical.compactMap { thread in
      guard let sc = plan.threads.first(where: { $0.tcb == thread })?.schedContext,
        let c = plan.schedContexts[sc]
      else { return nil }
      return AvailabilityGuarantee(
        name: names[thread] ?? hex(thread), thread: thread, schedContext: sc, budget: ticks(c.budget),
        period: ticks(c.period))
    }
  }

  /// The threads whose runnability the property reads.
  public var watchedThreads: [ObjectRef] { guaranteed.map(\.thread) }
}

/// A clause broken: which, by whom, at which step, in which window.
public struct AvailabilityViolation: Error, Hashable, Sendable, Codable, CustomStringConvertible {
  public enum Clause: String, Hashable, Sendable, Codable {
    /// (a): more than the budget consumed in a window of one period.
    case budget = "availability.budget"
    /// (b): the thread could run with its head refill released, and another context ran.
    case guarantee = "availability.guarantee"
  }
  public var clause: Clause
  /// The scheduling context (a) or thread (b), by name.
  public var name: String
  /// The event (1-based) at whose end the window closed.
  public var step: Int
  /// The window [start, end) in ticks.
  public var windowStart: UInt64
  public var windowEnd: UInt64
  /// Ticks consumed in the window, and the budget.
  public var consumed: UInt64
  public var budget: UInt64
  /// (b): the release time of the thread's head refill.
  public var released: UInt64 = 0

  public var description: String {
    switch clause {
    case .budget:
      "\(name) consumed \(consumed) ticks in the window [\(windowStart), \(windowEnd)) of one period, more than its budget of \(budget)"
    case .guarantee:
      "\(name) could run with its head refill released at \(released) but another context ran in [\(windowStart), \(windowEnd)); it received \(consumed) of those ticks"
    }
  }

  /// The violation as a lockstep failure (kind `availability`), so that shrinking, trace files and
  /// replay treat it like any other check.
  public var failure: LockstepFailure {
    LockstepFailure(
      step: step, event: nil, kind: .availability, layer: nil, name: clause.rawValue, explanation: description,
      diff: nil)
  }
}

/// The monitor: fed the observation before and after each event, it keeps each watched context's
/// recent consumption and reports the first clause broken.
public struct AvailabilityMonitor: Sendable {
  public let property: AvailabilityProperty
  /// Consumption intervals [start, end) per scheduling context, oldest first, pruned to the last
  /// two periods.
  var consumption: [ObjectRef: [(start: UInt64, end: UInt64)]] = [:]
  /// The clock when monitoring began, and the latest clock seen.
  public private(set) var startClock: UInt64
  public private(set) var clock: UInt64
  /// Ticks each guaranteed thread was runnable, and intervals (b) checked.
  public private(set) var runnableTicks: [ObjectRef: UInt64] = [:]
  public private(set) var windowsChecked = 0
  /// Ticks each scheduling context ran, over the whole run.
  public private(set) var totals: [ObjectRef: UInt64] = [:]
  /// The longest period the property reads of each context: how much history to keep.
  let horizons: [ObjectRef: UInt64]

  public init(property: AvailabilityProperty, initial: AvailabilityObservation) {
    self.property = property
    var h: [ObjectRef: UInt64] = [:]
    for b in property.bounded { h[b.schedContext] = max(h[b.schedContext] ?? 0, b.period) }
    for g in property.guaranteed { h[g.schedContext] = max(h[g.schedContext] ?? 0, g.period) }
    horizons = h
    startClock = initial.clock
    clock = initial.clock
  }

  /// Simulated ticks so far.
  public var elapsed: UInt64 { clock &- startClock }

  /// Ticks consumed by `sc` in [start, end).
  func consumed(_ sc: ObjectRef, from start: UInt64, to end: UInt64) -> UInt64 {
    var total: UInt64 = 0
    for i in consumption[sc] ?? [] where i.end > start && i.start < end {
      total &+= min(i.end, end) &- max(i.start, start)
    }
    return total
  }

  /// Observe one event (`step`, 1-based) from `before` to `after`; the first clause it breaks.
  public mutating func observe(
    step: Int, before: AvailabilityObservation, after: AvailabilityObservation
  ) -> AvailabilityViolation? {
    let (t0, t1) = (before.clock, max(after.clock, before.clock))
    clock = t1
    // Who ran: `cur_sc` before the event, for the time the event let pass (kernel entries take none).
    if t1 > t0 && before.curSC != KernelConstants.idleSCPtr {
      totals[before.curSC, default: 0] &+= t1 &- t0
      var list = consumption[before.curSC] ?? []
      if let last = list.last, last.end == t0 {
        list[list.count - 1].end = t1
      } else {
        list.append((t0, t1))
      }
      let horizon = 2 &* (horizons[before.curSC] ?? 0)
      if t1 > horizon, let keep = list.firstIndex(where: { $0.end >= t1 &- horizon }), keep > 0 {
        list.removeFirst(keep)
      }
      consumption[before.curSC] = list
    }
    var found: AvailabilityViolation?
    // (a): the windows ending at this interval's end are the ones that can hold the most.
    for b in property.bounded where b.schedContext == before.curSC && t1 > t0 {
      let start = t1 > b.period ? t1 - b.period : 0
      let used = consumed(b.schedContext, from: start, to: t1)
      if used > b.budget, found == nil {
        found = AvailabilityViolation(
          clause: .budget, name: b.name, step: step, windowStart: start, windowEnd: t1, consumed: used,
          budget: b.budget)
      }
    }
    // (b): a runnable critical thread runs, or the clock stops at its release.
    for g in property.guaranteed {
      guard let release = before.runnable[g.thread] else { continue }
      runnableTicks[g.thread, default: 0] &+= t1 &- t0
      guard t1 > t0, found == nil else { continue }
      windowsChecked += 1
      let running = before.curSC == g.schedContext
      if !running && (release <= t0 || t1 > release) {
        let from = max(t0, min(release, t1))
        found = AvailabilityViolation(
          clause: .guarantee, name: g.name, step: step, windowStart: from, windowEnd: t1,
          consumed: consumed(g.schedContext, from: from, to: t1), budget: g.budget, released: release)
      }
    }
    return found
  }
}

/// `0x…` for an address without a name.
private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

// The shared refill core (`KernelABI/Refills.swift`, the circular buffer the executable spec and
// the kernel will both run) against the abstract spec's independent list version
// (`AbstractSpec/Sporadic.swift`, l4v's lists). The executable spec and the kernel run the same
// core, so lockstep between them cannot see a bug in it; this comparison (and, once the layers
// hold refills, R2) can (docs/time-plan.md, risk R4).
//
// Each sample is a valid refill list made by the abstract operations from `refillNew` with a
// random configuration (sporadic, or one time in seven round robin), laid into a buffer at a
// random head (wrapping at `refillMax`), with random garbage in the slots outside the live window
// and sometimes spare slots past `refillMax` (an object's `refill_absolute_max`). Each entry runs
// one core operation on the buffer and the list operation of the same name (or, for the
// round-robin charges, l4v's name) on the list with the same random arguments, in a state seL4
// can call it in (a loop body only where its guard holds, a pop only of more than one refill, a
// budget check only on a sporadic context, the round-robin charges only on round-robin refills),
// and compares the buffer's live window (read here by walking from head to tail, not by the
// core's `refill_size`) and any answer with the list's. A core operation added later is one more
// entry in `entries`.

import AbstractSpec
import KernelABI
import Testing

@Suite struct SporadicDifferentialTests {
  typealias Buffer = RefillBuffer<UInt64>

  /// A valid refill list, its configuration, and the same refills in a buffer.
  struct Sample {
    var refills: [Refill<UInt64>]
    var buffer: Buffer
    /// The context's period, 0 for round robin.
    var period: UInt64
    var budget: UInt64
    var now: UInt64

    var roundRobin: Bool { period == 0 }
    var refillMax: UInt64 { buffer.refillMax }
  }

  /// What an operation left and answered.
  struct Outcome: Equatable, CustomStringConvertible {
    /// The live refills, head first (nil: the buffer's head or tail is outside it).
    var refills: [Refill<UInt64>]?
    /// What a query answered, or what an operation returned (nil when it returns nothing).
    var answer: String?

    var description: String {
      let shown = refills.map { "[" + $0.map { "(\($0.rTime), \($0.rAmount))" }.joined(separator: ", ") + "]" }
      return "\(shown ?? "no window")\(answer.map { " → \($0)" } ?? "")"
    }
  }

  /// One operation run both ways, and which of its cases the state reached (for coverage).
  struct Comparison {
    var core: Outcome
    var abstract: Outcome
    var reached: [String] = []
  }

  /// Which contexts an entry runs on.
  enum Contexts: Sendable { case sporadic, roundRobin, both }

  /// One operation run both ways. `run` answers nil when the sample is not a state seL4 calls
  /// the operation in (it is then not counted). `expects` names the cases (its own, or the
  /// sample's: wrapped, full, spare, single, late) its samples must reach.
  struct Entry: Sendable {
    var name: String
    var contexts: Contexts = .sporadic
    var expects: [String] = []
    var run: @Sendable (_ sample: Sample, _ rng: inout SplitMix64) -> Comparison?
  }

  /// The live window of `buffer`, head to tail, walking the indices modulo `refillMax`.
  static func window(_ buffer: Buffer) -> [Refill<UInt64>]? {
    let max = buffer.refillMax
    guard max > 0, buffer.head < max, buffer.tail < max, max <= UInt64(buffer.slots.count) else { return nil }
    var index = buffer.head
    var live = [buffer.slots[Int(index)]]
    while index != buffer.tail {
      index = (index + 1) % max
      live.append(buffer.slots[Int(index)])
    }
    return live
  }

  /// A changed buffer and list, with what each returned, as a comparison.
  static func outcomes(
    _ buffer: Buffer, _ refills: [Refill<UInt64>], returned: (core: String, abstract: String)? = nil,
    reached: [String] = []
  ) -> Comparison {
    Comparison(
      core: Outcome(refills: window(buffer), answer: returned?.core),
      abstract: Outcome(refills: refills, answer: returned?.abstract), reached: reached)
  }

  /// Two answers to the same query as a comparison (the refills unchanged on both sides).
  static func answers(_ sample: Sample, _ core: some Equatable, _ abstract: some Equatable, reached: [String] = [])
    -> Comparison
  {
    outcomes(sample.buffer, sample.refills, returned: ("\(core)", "\(abstract)"), reached: reached)
  }

  /// A usage up to the head's amount and past it, sometimes exactly on it.
  static func usage(_ sample: Sample, _ rng: inout SplitMix64) -> UInt64 {
    let head = sample.refills[0].rAmount
    switch rng.below(4) {
    case 0: return head
    case 1: return head &- TimeConfig.minBudget
    case 2: return rng.below(2 * head + 1)
    default: return rng.below(head + 1)
    }
  }

  /// A usage for `refill_budget_check` and its parts: none; part of the head; the first k
  /// refills exactly; the first k and part of the next, sometimes leaving it below MIN_BUDGET;
  /// or anything up to three budgets.
  static func chargeUsage(_ sample: Sample, _ rng: inout SplitMix64) -> UInt64 {
    let refills = sample.refills
    let k = Int(rng.below(UInt64(refills.count)))
    let whole = refills[..<k].reduce(0) { $0 + $1.rAmount }
    let next = refills[k].rAmount
    switch rng.below(6) {
    case 0: return 0
    case 1: return whole + next
    case 2: return whole + next - 1 - rng.below(min(next, TimeConfig.minBudget - 1))
    case 3: return whole + rng.below(next)
    case 4: return rng.below(3 * sample.budget + 1)
    default: return rng.below(refills[0].rAmount + 1)
    }
  }

  /// A time before the head's release, at it, or after it (up to two periods, or two budgets for
  /// round robin).
  static func nowAround(_ sample: Sample, _ rng: inout SplitMix64) -> UInt64 {
    let head = sample.refills[0].rTime
    switch rng.below(4) {
    case 0: return head &- 1 &- rng.below(100)
    case 1: return head
    default: return head &+ rng.below(2 * max(sample.period, sample.budget) + 1)
    }
  }

  /// A configuration SchedControl_ConfigureFlags accepts for an object of `slots` refills: round
  /// robin (period 0, `MIN_REFILLS`), or sporadic with budget < period and 2...slots refills.
  static func configuration(slots: Int, _ rng: inout SplitMix64) -> (period: UInt64, budget: UInt64, refillMax: UInt64)
  {
    let span = rng.chance(10) ? TimeConfig.maxPeriod - TimeConfig.minBudget : 300
    if rng.chance(30) {
      return (0, TimeConfig.minBudget + rng.below(span), KernelConstants.minRefills)
    }
    let period = TimeConfig.minBudget + 1 + rng.below(span)
    let budget = TimeConfig.minBudget + rng.below(period - TimeConfig.minBudget)
    return (period, budget, KernelConstants.minRefills + rng.below(UInt64(slots) - KernelConstants.minRefills + 1))
  }

  /// `refill_budget_check` up to its merge loop (`handle_overrun`, then the partial charge), both
  /// ways: the states `head_refill_insufficient` and `merge_nonoverlapping_head_refill` see.
  static func overrunAndPartialCharge(_ sample: Sample, usage: UInt64) -> (core: Buffer, abstract: [Refill<UInt64>]) {
    var buffer = sample.buffer
    let left = buffer.handleOverrun(usage: usage, period: sample.period)
    buffer.refillBudgetCheckPartialCharge(usage: left, period: sample.period, maxReleaseTime: TimeConfig.maxReleaseTime)
    let overrun = Sporadic.handleOverrun(
      sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax)
    let charged = Sporadic.refillBudgetCheckPartialCharge(
      overrun.refills, usage: overrun.usage, period: sample.period, refillMax: sample.refillMax)
    return (buffer, charged)
  }

  /// The first step of `refill_unblock_check` on a ready head, both ways: the head starts at
  /// `now`, the state `refill_head_overlapping` and `merge_overlapping_head_refill` first see.
  static func headMovedTo(_ now: UInt64, _ sample: Sample) -> (core: Buffer, abstract: [Refill<UInt64>]) {
    var buffer = sample.buffer
    buffer.setRefill(at: buffer.head, Refill(rTime: now, rAmount: buffer.headRefill.rAmount))
    return (buffer, [Refill(rTime: now, rAmount: sample.refills[0].rAmount)] + sample.refills.dropFirst())
  }

  /// Whether the next index after `index` wraps to 0.
  static func wrapsAfter(_ index: UInt64, _ buffer: Buffer) -> Bool { index == buffer.refillMax - 1 }

  /// The core operations, each beside its list version.
  static let entries: [Entry] = [
    Entry(name: "refillSize", contexts: .both) { sample, _ in
      answers(sample, sample.buffer.refillSize, Sporadic.refillSize(sample.refills))
    },
    Entry(name: "refillFull", contexts: .both, expects: ["full"]) { sample, _ in
      answers(sample, sample.buffer.refillFull, Sporadic.refillFull(sample.refills, refillMax: sample.refillMax))
    },
    Entry(name: "refillSingle", contexts: .both, expects: ["single"]) { sample, _ in
      answers(sample, sample.buffer.refillSingle, Sporadic.refillSingle(sample.refills))
    },
    Entry(name: "refillCapacity", contexts: .both) { sample, rng in
      let usage = SporadicDifferentialTests.usage(sample, &rng)
      return answers(
        sample, sample.buffer.refillCapacity(usage: usage), Sporadic.refillCapacity(sample.refills, usage: usage))
    },
    Entry(name: "refillSufficient", contexts: .both) { sample, rng in
      let usage = SporadicDifferentialTests.usage(sample, &rng)
      return answers(
        sample, sample.buffer.refillSufficient(usage: usage, minBudget: TimeConfig.minBudget),
        Sporadic.refillSufficient(sample.refills, usage: usage))
    },
    Entry(name: "refillReady", contexts: .both) { sample, rng in
      let now = nowAround(sample, &rng)
      return answers(sample, sample.buffer.refillReady(now: now), Sporadic.refillReady(sample.refills, now: now))
    },
    Entry(name: "scheduleUsed", expects: ["wrapped", "full", "merges", "appends", "delays the tail"]) { sample, rng in
      // A used refill one period after some time around the head: merging, appending, or, when
      // full, delaying the tail.
      let last = sample.refills[sample.refills.count - 1]
      let start = last.rTime &+ last.rAmount &- 30 &+ rng.below(60 + sample.period)
      let new = Refill(rTime: start, rAmount: TimeConfig.minBudget / 2 + rng.below(sample.budget + 1))
      var buffer = sample.buffer
      buffer.scheduleUsed(new)
      let how =
        new.rTime <= last.rTime &+ last.rAmount
        ? "merges" : Sporadic.refillFull(sample.refills, refillMax: sample.refillMax) ? "delays the tail" : "appends"
      return outcomes(
        buffer, Sporadic.scheduleUsed(sample.refills, new, refillMax: sample.refillMax), reached: [how])
    },
    Entry(name: "refillBudgetCheckPartialCharge", expects: ["wrapped", "full", "late"]) { sample, rng in
      // seL4 charges part of the head only when the head holds more than the usage.
      let usage = rng.chance(10) ? 0 : rng.below(sample.refills[0].rAmount)
      var buffer = sample.buffer
      buffer.refillBudgetCheckPartialCharge(
        usage: usage, period: sample.period, maxReleaseTime: TimeConfig.maxReleaseTime)
      return outcomes(
        buffer,
        Sporadic.refillBudgetCheckPartialCharge(
          sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax))
    },
    Entry(name: "refillPopHead", expects: ["wrapped", "full", "pops across the wrap"]) { sample, _ in
      // seL4 asserts more than one refill.
      guard sample.refills.count > 1 else { return nil }
      var buffer = sample.buffer
      let popped = buffer.refillPopHead()
      return outcomes(
        buffer, Array(sample.refills.dropFirst()), returned: ("\(popped)", "\(sample.refills[0])"),
        reached: wrapsAfter(sample.buffer.head, sample.buffer) ? ["pops across the wrap"] : [])
    },
    Entry(name: "refillAddTail", expects: ["wrapped", "spare", "adds across the wrap"]) { sample, rng in
      // seL4 asserts room for it; the new refill starts after the tail ends, as schedule_used's.
      guard !Sporadic.refillFull(sample.refills, refillMax: sample.refillMax) else { return nil }
      let last = sample.refills[sample.refills.count - 1]
      let new = Refill(
        rTime: last.rTime &+ last.rAmount &+ 1 &+ rng.below(sample.period), rAmount: 1 + rng.below(sample.budget))
      var buffer = sample.buffer
      buffer.refillAddTail(new)
      return outcomes(
        buffer, sample.refills + [new],
        reached: wrapsAfter(sample.buffer.tail, sample.buffer) ? ["adds across the wrap"] : [])
    },
    Entry(name: "maybeAddEmptyTail", contexts: .both, expects: ["adds", "leaves", "adds across the wrap"]) {
      sample, rng in
      // seL4 calls it on the one refill refill_new or refill_update has just left, with the
      // new period: here the sample's head alone, at its index.
      let period = sample.roundRobin || rng.chance(50) ? 0 : sample.period
      var buffer = sample.buffer
      buffer.tail = buffer.head
      let single = buffer
      buffer.maybeAddEmptyTail(period: period)
      var reached = [period == 0 ? "adds" : "leaves"]
      if period == 0 && wrapsAfter(single.head, single) { reached.append("adds across the wrap") }
      return outcomes(buffer, Sporadic.maybeAddEmptyTail([sample.refills[0]], period: period), reached: reached)
    },
    Entry(name: "refillNew", contexts: .both, expects: ["round robin", "sporadic", "every slot"]) { sample, rng in
      // On whatever the object held (SchedControl_ConfigureFlags on a context not running).
      let config = configuration(slots: sample.buffer.slots.count, &rng)
      let now = rng.below(1 << 40)
      var buffer = sample.buffer
      buffer.refillNew(refillMax: config.refillMax, budget: config.budget, period: config.period, now: now)
      var reached = [config.period == 0 ? "round robin" : "sporadic"]
      if config.refillMax == UInt64(sample.buffer.slots.count) { reached.append("every slot") }
      return outcomes(
        buffer, Sporadic.refillNew(budget: config.budget, period: config.period, now: now),
        returned: ("refillMax \(buffer.refillMax)", "refillMax \(config.refillMax)"), reached: reached)
    },
    Entry(
      name: "refillUpdate", contexts: .both,
      expects: ["wrapped", "ready", "not ready", "trims", "splits", "to round robin", "from round robin"]
    ) { sample, rng in
      // SchedControl_ConfigureFlags on a running (active) context.
      let config = configuration(slots: sample.buffer.slots.count, &rng)
      let now = nowAround(sample, &rng)
      var buffer = sample.buffer
      buffer.refillUpdate(newPeriod: config.period, newBudget: config.budget, newMax: config.refillMax, now: now)
      var reached = [
        sample.refills[0].rTime <= now ? "ready" : "not ready",
        sample.refills[0].rAmount >= config.budget ? "trims" : "splits",
      ]
      if config.period == 0 { reached.append("to round robin") }
      if sample.roundRobin { reached.append("from round robin") }
      return outcomes(
        buffer, Sporadic.refillUpdate(sample.refills, newPeriod: config.period, newBudget: config.budget, now: now),
        returned: ("refillMax \(buffer.refillMax)", "refillMax \(config.refillMax)"), reached: reached)
    },
    Entry(name: "headRefillOverrun", expects: ["late", "overrun", "no overrun"]) { sample, rng in
      let usage = chargeUsage(sample, &rng)
      let core = sample.buffer.headRefillOverrun(usage: usage)
      return answers(
        sample, core, Sporadic.headRefillOverrun(sample.refills, usage: usage),
        reached: [core ? "overrun" : "no overrun"])
    },
    Entry(name: "chargeEntireHeadRefill", expects: ["wrapped", "moves", "merges", "appends"]) { sample, rng in
      // The body of handle_overrun's loop, where its guard holds.
      let head = sample.refills[0]
      let usage = head.rAmount + (rng.chance(30) ? 0 : rng.below(2 * sample.budget))
      guard head.rTime < TimeConfig.maxReleaseTime else { return nil }
      var buffer = sample.buffer
      let left = buffer.chargeEntireHeadRefill(usage: usage, period: sample.period)
      let charged = Sporadic.chargeEntireHeadRefill(
        sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax)
      let last = sample.refills[sample.refills.count - 1]
      let how =
        sample.refills.count == 1
        ? "moves" : head.rTime &+ sample.period <= last.rTime &+ last.rAmount ? "merges" : "appends"
      return outcomes(buffer, charged.refills, returned: ("\(left)", "\(charged.usage)"), reached: [how])
    },
    Entry(name: "handleOverrun", expects: ["wrapped", "full", "late", "none", "several"]) { sample, rng in
      let usage = chargeUsage(sample, &rng)
      var buffer = sample.buffer
      let left = buffer.handleOverrun(usage: usage, period: sample.period)
      let overrun = Sporadic.handleOverrun(
        sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax)
      let charged = usage - overrun.usage
      let reached = charged == 0 ? "none" : charged > sample.refills[0].rAmount ? "several" : "one"
      return outcomes(buffer, overrun.refills, returned: ("\(left)", "\(overrun.usage)"), reached: [reached])
    },
    Entry(name: "headRefillInsufficient", expects: ["insufficient", "sufficient"]) {
      sample, rng in
      // The merge loop's guard, on the state the overrun and the partial charge leave.
      let (buffer, refills) = overrunAndPartialCharge(sample, usage: chargeUsage(sample, &rng))
      let core = buffer.headRefillInsufficient
      return outcomes(
        buffer, refills, returned: ("\(core)", "\(Sporadic.headRefillInsufficient(refills))"),
        reached: [core ? "insufficient" : "sufficient"])
    },
    Entry(name: "mergeNonoverlappingHeadRefill", expects: ["merges across the wrap", "leaves several"]) { sample, rng in
      // The merge loop's body, where its guard holds (never on a single refill).
      let charged = overrunAndPartialCharge(sample, usage: chargeUsage(sample, &rng))
      var buffer = charged.core
      let refills = charged.abstract
      guard Sporadic.headRefillInsufficient(refills), refills.count > 1 else { return nil }
      var reached = refills.count > 2 ? ["leaves several"] : []
      if wrapsAfter(buffer.head, buffer) { reached.append("merges across the wrap") }
      buffer.mergeNonoverlappingHeadRefill()
      return outcomes(buffer, Sporadic.mergeNonoverlappingHeadRefill(refills), reached: reached)
    },
    Entry(name: "refillBudgetCheck", expects: ["wrapped", "full", "late", "overruns several", "merges"]) {
      sample, rng in
      let usage = chargeUsage(sample, &rng)
      var buffer = sample.buffer
      buffer.refillBudgetCheck(usage: usage, period: sample.period)
      let overrun = Sporadic.handleOverrun(
        sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax)
      var reached: [String] = []
      if usage - overrun.usage > sample.refills[0].rAmount { reached.append("overruns several") }
      if Sporadic.headRefillInsufficient(overrunAndPartialCharge(sample, usage: usage).abstract) {
        reached.append("merges")
      }
      return outcomes(
        buffer,
        Sporadic.refillBudgetCheck(sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax),
        reached: reached)
    },
    Entry(name: "refillHeadOverlapping", expects: ["single", "overlaps", "apart"]) { sample, rng in
      // The unblock loop's guard, once a ready head starts at `now`.
      let now = sample.refills[0].rTime &+ (rng.chance(20) ? 0 : rng.below(2 * sample.period))
      let (buffer, refills) = headMovedTo(now, sample)
      let core = buffer.refillHeadOverlapping
      return outcomes(
        buffer, refills, returned: ("\(core)", "\(Sporadic.refillHeadOverlapping(refills))"),
        reached: [core ? "overlaps" : "apart"])
    },
    Entry(name: "mergeOverlappingHeadRefill", expects: ["wrapped", "merges across the wrap"]) { sample, rng in
      // The unblock loop's body, where its guard holds.
      let now = sample.refills[0].rTime &+ rng.below(2 * sample.period)
      let moved = headMovedTo(now, sample)
      var buffer = moved.core
      let refills = moved.abstract
      guard Sporadic.refillHeadOverlapping(refills) else { return nil }
      let reached = wrapsAfter(buffer.head, buffer) ? ["merges across the wrap"] : []
      buffer.mergeOverlappingHeadRefill()
      return outcomes(buffer, Sporadic.mergeOverlappingHeadRefill(refills), reached: reached)
    },
    Entry(
      name: "refillUnblockCheck", contexts: .both,
      expects: ["wrapped", "full", "not ready", "ready", "merges", "round robin"]
    ) { sample, rng in
      // The abstract version returns the refills only; seL4 sets ksReprogram exactly when a
      // sporadic context's head is ready, which the list's own refillReady says.
      let now = nowAround(sample, &rng)
      var buffer = sample.buffer
      let reprogram = buffer.refillUnblockCheck(period: sample.period, now: now)
      let refills = Sporadic.refillUnblockCheck(sample.refills, period: sample.period, now: now)
      let listReprogram = !sample.roundRobin && Sporadic.refillReady(sample.refills, now: now)
      var reached = [sample.refills[0].rTime <= now ? "ready" : "not ready"]
      if refills.count < sample.refills.count { reached.append("merges") }
      if sample.roundRobin { reached.append("round robin") }
      return outcomes(buffer, refills, returned: ("\(reprogram)", "\(listReprogram)"), reached: reached)
    },
    Entry(
      name: "refillBudgetCheckRoundRobin", contexts: .roundRobin,
      expects: ["wrapped", "spare", "leaves MIN_BUDGET"]
    ) { sample, rng in
      // commitTime charges ksConsumed > 0 that leaves the head sufficient.
      let most = sample.buffer.refillCapacity(usage: TimeConfig.minBudget)
      guard most > 0 else { return nil }
      let consumed = rng.chance(20) ? most : 1 + rng.below(most)
      var buffer = sample.buffer
      buffer.refillBudgetCheckRoundRobin(consumed: consumed)
      return outcomes(
        buffer, Sporadic.refillBudgetCheckRoundRobin(sample.refills, usage: consumed),
        reached: consumed == most ? ["leaves MIN_BUDGET"] : [])
    },
    Entry(
      name: "refillResetRR", contexts: .roundRobin,
      expects: ["wrapped", "spare", "returns used", "nothing used"]
    ) { sample, _ in
      var buffer = sample.buffer
      buffer.refillResetRR()
      return outcomes(
        buffer, Sporadic.refillResetRR(sample.refills),
        reached: [sample.refills[1].rAmount > 0 ? "returns used" : "nothing used"])
    },
  ]

  /// Lays `refills` into a buffer of `refillMax` (and sometimes a few spare) slots from a random
  /// head, wrapping; garbage everywhere else.
  static func lay(_ refills: [Refill<UInt64>], refillMax: UInt64, _ rng: inout SplitMix64) -> Buffer {
    let spare = rng.chance(30) ? rng.below(3) : 0
    var slots = (0..<(refillMax + spare)).map { _ in Refill(rTime: rng.next(), rAmount: rng.next()) }
    let head = rng.below(refillMax)
    for (i, refill) in refills.enumerated() {
      slots[Int((head + UInt64(i)) % refillMax)] = refill
    }
    let tail = (head + UInt64(refills.count) - 1) % refillMax
    return Buffer(refillMax: refillMax, head: head, tail: tail, slots: slots)
  }

  /// A valid refill list in a buffer. Its refills come from the abstract operations on a random
  /// configuration. One sample in seven is round robin (two refills, charged and reset); of the
  /// sporadic ones, one in ten starts near `MAX_RELEASE_TIME`, where the charges stop.
  static func sample(_ rng: inout SplitMix64) -> Sample {
    if rng.below(7) == 0 {
      let budget = TimeConfig.minBudget + rng.below(rng.chance(10) ? TimeConfig.maxPeriod - TimeConfig.minBudget : 300)
      let now = rng.below(1 << 40)
      var refills = Sporadic.refillNew(budget: budget, period: 0, now: now)
      for _ in 0..<rng.below(8) {
        if rng.chance(70) {
          let usage = rng.below(Sporadic.refillCapacity(refills, usage: TimeConfig.minBudget) + 1)
          refills = Sporadic.refillBudgetCheckRoundRobin(refills, usage: usage)
        } else {
          refills = Sporadic.refillResetRR(refills)
        }
      }
      let buffer = lay(refills, refillMax: KernelConstants.minRefills, &rng)
      return Sample(refills: refills, buffer: buffer, period: 0, budget: budget, now: now)
    }
    let period = TimeConfig.minBudget + 1 + rng.below(rng.chance(10) ? TimeConfig.maxPeriod : 300)
    let budget = TimeConfig.minBudget + rng.below(period - TimeConfig.minBudget)
    let refillMax = KernelConstants.minRefills + rng.below(7)
    var now = rng.chance(10) ? TimeConfig.maxReleaseTime - rng.below(2 * period) : rng.below(1 << 40)
    var refills = Sporadic.refillNew(budget: budget, period: period, now: now)
    for _ in 0..<rng.below(12) {
      // Time stays below MAX_RELEASE_TIME plus two periods, as the refills do.
      now = min(now + rng.below(period), TimeConfig.maxReleaseTime + period)
      if rng.chance(70) {
        let usage = rng.below(refills[0].rAmount + 1)
        refills = Sporadic.refillBudgetCheck(refills, usage: usage, period: period, refillMax: refillMax)
      } else {
        refills = Sporadic.refillUnblockCheck(refills, period: period, now: now)
      }
    }
    let buffer = lay(refills, refillMax: refillMax, &rng)
    return Sample(refills: refills, buffer: buffer, period: period, budget: budget, now: now)
  }

  /// What a run of the comparison found.
  struct Run {
    /// Comparisons made, by entry name.
    var comparisons: [String: Int] = [:]
    /// How often each entry's comparisons reached each case, by entry name.
    var reached: [String: [String: Int]] = [:]
    /// The first few disagreements.
    var differences: [String] = []

    var total: Int { comparisons.values.reduce(0, +) }
  }

  /// Runs every entry on `samples` random samples (each entry on the contexts it applies to).
  static func compare(_ entries: [Entry], seed: UInt64, samples: Int) -> Run {
    var rng = SplitMix64(seed: seed)
    var run = Run()
    for _ in 0..<samples {
      let sample = Self.sample(&rng)
      #expect(
        RefillValidity.activeSCValidRefillsViolations(
          sample.refills, refillMax: sample.refillMax, period: sample.period, budget: sample.budget
        ).isEmpty)
      #expect(window(sample.buffer) == sample.refills)
      var shape: [String] = []
      if sample.buffer.head > sample.buffer.tail { shape.append("wrapped") }
      if Sporadic.refillFull(sample.refills, refillMax: sample.refillMax) { shape.append("full") }
      if sample.buffer.slots.count > Int(sample.refillMax) { shape.append("spare") }
      if sample.refills.count == 1 { shape.append("single") }
      if sample.refills[0].rTime >= TimeConfig.maxReleaseTime { shape.append("late") }
      for entry in entries {
        guard entry.contexts == .both || (entry.contexts == .roundRobin) == sample.roundRobin else { continue }
        guard let comparison = entry.run(sample, &rng) else { continue }
        run.comparisons[entry.name, default: 0] += 1
        for reached in shape + comparison.reached {
          run.reached[entry.name, default: [:]][reached, default: 0] += 1
        }
        if comparison.core != comparison.abstract && run.differences.count < 5 {
          run.differences.append(
            "\(entry.name) on \(sample.buffer) (period \(sample.period)): core \(comparison.core), list \(comparison.abstract)"
          )
        }
      }
    }
    return run
  }

  static let seed: UInt64 = 0xD1FF_15
  static let samples = 2_000

  @Test func theCoreAndTheListAgree() {
    let run = Self.compare(Self.entries, seed: Self.seed, samples: Self.samples)
    #expect(run.differences.isEmpty, "\(run.differences)")
    // Every entry compared on many samples (the fewest: measured in `eachEntryReachesItsCases`).
    for entry in Self.entries {
      #expect(
        run.comparisons[entry.name, default: 0] >= 100, "\(entry.name): \(run.comparisons[entry.name, default: 0])")
    }
  }

  @Test func eachEntryReachesItsCases() {
    // The samples of `theCoreAndTheListAgree` (same seed) reach, for each entry, the cases it
    // names: windows that wrap, full buffers, spare slots, single refills, heads past
    // MAX_RELEASE_TIME, and each operation's own branches (merges, overruns past the head, pops
    // and adds across the wrap, ready and unready times, trims and splits). Measured counts are
    // in docs/time.md.
    let run = Self.compare(Self.entries, seed: Self.seed, samples: Self.samples)
    for entry in Self.entries {
      for expected in entry.expects {
        #expect((run.reached[entry.name]?[expected] ?? 0) > 0, "\(entry.name) never reached \(expected)")
      }
    }
  }

  @Test func aPlantedDifferenceIsCaught() {
    // A list version of `schedule_used` whose merge drops the used amount, against the real core.
    let planted = Entry(name: "scheduleUsed (merge drops the used amount)") { sample, rng in
      let last = sample.refills[sample.refills.count - 1]
      let new = Refill(rTime: last.rTime &+ rng.below(last.rAmount + 1), rAmount: TimeConfig.minBudget)
      var buffer = sample.buffer
      buffer.scheduleUsed(new)
      let dropped = Sporadic.scheduleUsed(sample.refills, Refill(rTime: new.rTime, rAmount: 0), refillMax: 99)
      return Self.outcomes(buffer, dropped)
    }
    let run = Self.compare([planted], seed: Self.seed, samples: 200)
    #expect(run.differences.count == 5)
    #expect(run.differences.first?.hasPrefix("scheduleUsed (merge drops the used amount)") == true)
  }

  @Test func aPlantedLossyMergeInTheCoresBudgetCheckIsCaught() {
    // The core's `refill_budget_check` with a `merge_nonoverlapping_head_refill` that pops the
    // head but does not add its amount to the next refill (the issue's planted bug), against the
    // real list version, drawn as the `refillBudgetCheck` entry draws.
    let planted = Entry(name: "refillBudgetCheck (merge loses the popped amount)") { sample, rng in
      let usage = Self.chargeUsage(sample, &rng)
      var buffer = sample.buffer
      let left = buffer.handleOverrun(usage: usage, period: sample.period)
      buffer.refillBudgetCheckPartialCharge(
        usage: left, period: sample.period, maxReleaseTime: TimeConfig.maxReleaseTime)
      while buffer.headRefillInsufficient && !buffer.refillSingle {
        let popped = buffer.refillPopHead()
        let next = buffer.headRefill
        buffer.setRefill(at: buffer.head, Refill(rTime: next.rTime &- popped.rAmount, rAmount: next.rAmount))
      }
      return Self.outcomes(
        buffer,
        Sporadic.refillBudgetCheck(sample.refills, usage: usage, period: sample.period, refillMax: sample.refillMax))
    }
    let run = Self.compare([planted], seed: Self.seed, samples: 200)
    #expect(run.differences.count == 5)
    #expect(run.differences.first?.hasPrefix("refillBudgetCheck (merge loses the popped amount)") == true)
  }
}

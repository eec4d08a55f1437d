// The shared refill core (`KernelABI/Refills.swift`, the circular buffer the executable spec and
// the kernel will both run) against the abstract spec's independent list version
// (`AbstractSpec/Sporadic.swift`, l4v's lists). The executable spec and the kernel run the same
// core, so lockstep between them cannot see a bug in it; this comparison (and, once the layers
// hold refills, R2) can (docs/time-plan.md, risk R4).
//
// Each sample is a valid refill list made by the abstract operations from `refillNew` with a
// random configuration, laid into a buffer at a random head (wrapping at `refillMax`), with random
// garbage in the slots outside the live window and sometimes spare slots past `refillMax` (an
// object's `refill_absolute_max`). Each entry runs one core operation on the buffer and the list
// operation of the same name on the list with the same random arguments, and compares the
// buffer's live window (read here by walking from head to tail, not by the core's `refill_size`)
// and any answer with the list's. A core operation added later is one more entry in `entries`.

import AbstractSpec
import KernelABI
import Testing

@Suite struct SporadicDifferentialTests {
  typealias Buffer = RefillBuffer<UInt64>

  /// A valid refill list, its configuration, and the same refills in a buffer.
  struct Sample {
    var refills: [Refill<UInt64>]
    var buffer: Buffer
    var period: UInt64
    var budget: UInt64
    var now: UInt64
  }

  /// What an operation left and answered.
  struct Outcome: Equatable, CustomStringConvertible {
    /// The live refills, head first (nil: the buffer's head or tail is outside it).
    var refills: [Refill<UInt64>]?
    /// What a query answered (nil for an operation that only changes the refills).
    var answer: String?

    var description: String {
      let shown = refills.map { "[" + $0.map { "(\($0.rTime), \($0.rAmount))" }.joined(separator: ", ") + "]" }
      return "\(shown ?? "no window")\(answer.map { " → \($0)" } ?? "")"
    }
  }

  /// One operation run both ways.
  struct Entry: Sendable {
    var name: String
    var run: @Sendable (_ sample: Sample, _ rng: inout SplitMix64) -> (core: Outcome, abstract: Outcome)
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

  /// A changed buffer and list as outcomes.
  static func outcomes(_ buffer: Buffer, _ refills: [Refill<UInt64>]) -> (core: Outcome, abstract: Outcome) {
    (Outcome(refills: window(buffer)), Outcome(refills: refills))
  }

  /// Two answers to the same query as outcomes (the refills unchanged on both sides).
  static func answers(_ sample: Sample, _ core: some Equatable, _ abstract: some Equatable)
    -> (core: Outcome, abstract: Outcome)
  {
    (
      Outcome(refills: window(sample.buffer), answer: "\(core)"),
      Outcome(refills: sample.refills, answer: "\(abstract)")
    )
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

  /// The core operations on main, each beside its list version.
  static let entries: [Entry] = [
    Entry(name: "refillSize") { sample, _ in
      answers(sample, sample.buffer.refillSize, Sporadic.refillSize(sample.refills))
    },
    Entry(name: "refillCapacity") { sample, rng in
      let usage = SporadicDifferentialTests.usage(sample, &rng)
      return answers(
        sample, sample.buffer.refillCapacity(usage: usage), Sporadic.refillCapacity(sample.refills, usage: usage))
    },
    Entry(name: "refillSufficient") { sample, rng in
      let usage = SporadicDifferentialTests.usage(sample, &rng)
      return answers(
        sample, sample.buffer.refillSufficient(usage: usage, minBudget: TimeConfig.minBudget),
        Sporadic.refillSufficient(sample.refills, usage: usage))
    },
    Entry(name: "refillReady") { sample, rng in
      let head = sample.refills[0].rTime
      let now = rng.chance(30) ? head : head &- 50 &+ rng.below(100)
      return answers(sample, sample.buffer.refillReady(now: now), Sporadic.refillReady(sample.refills, now: now))
    },
    Entry(name: "scheduleUsed") { sample, rng in
      // A used refill one period after some time around the head: merging, appending, or, when
      // full, delaying the tail.
      let last = sample.refills[sample.refills.count - 1]
      let start = last.rTime &+ last.rAmount &- 30 &+ rng.below(60 + sample.period)
      let new = Refill(rTime: start, rAmount: TimeConfig.minBudget / 2 + rng.below(sample.budget + 1))
      var buffer = sample.buffer
      buffer.scheduleUsed(new)
      return outcomes(buffer, Sporadic.scheduleUsed(sample.refills, new, refillMax: sample.buffer.refillMax))
    },
    Entry(name: "refillBudgetCheckPartialCharge") { sample, rng in
      // seL4 charges part of the head only when the head holds more than the usage.
      let usage = rng.chance(10) ? 0 : rng.below(sample.refills[0].rAmount)
      var buffer = sample.buffer
      buffer.refillBudgetCheckPartialCharge(
        usage: usage, period: sample.period, maxReleaseTime: TimeConfig.maxReleaseTime)
      return outcomes(
        buffer,
        Sporadic.refillBudgetCheckPartialCharge(
          sample.refills, usage: usage, period: sample.period, refillMax: sample.buffer.refillMax))
    },
  ]

  /// A valid sporadic refill list in a buffer. Its refills come from the abstract operations on a
  /// random configuration; one sample in ten starts near `MAX_RELEASE_TIME`, where the charges stop.
  static func sample(_ rng: inout SplitMix64) -> Sample {
    let period = TimeConfig.minBudget + 1 + rng.below(rng.chance(10) ? TimeConfig.maxPeriod : 300)
    let budget = TimeConfig.minBudget + rng.below(period - TimeConfig.minBudget)
    let refillMax = Sporadic.minRefills + rng.below(7)
    var now = rng.chance(10) ? TimeConfig.maxReleaseTime - rng.below(2 * period) : rng.below(1 << 40)
    var refills = Sporadic.refillNew(budget: budget, period: period, now: now)
    for _ in 0..<rng.below(12) {
      now += rng.below(period)
      if rng.chance(70) {
        let usage = rng.below(refills[0].rAmount + 1)
        refills = Sporadic.refillBudgetCheck(refills, usage: usage, period: period, refillMax: refillMax)
      } else {
        refills = Sporadic.refillUnblockCheck(refills, period: period, now: now)
      }
    }
    // Lay the list into the buffer from a random head, wrapping; garbage everywhere else.
    let spare = rng.chance(30) ? rng.below(3) : 0
    var slots = (0..<(refillMax + spare)).map { _ in Refill(rTime: rng.next(), rAmount: rng.next()) }
    let head = rng.below(refillMax)
    for (i, refill) in refills.enumerated() {
      slots[Int((head + UInt64(i)) % refillMax)] = refill
    }
    let tail = (head + UInt64(refills.count) - 1) % refillMax
    let buffer = Buffer(refillMax: refillMax, head: head, tail: tail, slots: slots)
    return Sample(refills: refills, buffer: buffer, period: period, budget: budget, now: now)
  }

  /// Runs every entry on `samples` random samples; returns how many comparisons were made and
  /// the first few disagreements.
  static func compare(_ entries: [Entry], seed: UInt64, samples: Int) -> (comparisons: Int, differences: [String]) {
    var rng = SplitMix64(seed: seed)
    var comparisons = 0
    var differences: [String] = []
    for _ in 0..<samples {
      let sample = Self.sample(&rng)
      #expect(
        Sporadic.spValidRefillsViolations(
          sample.refills, refillMax: sample.buffer.refillMax, period: sample.period, budget: sample.budget
        ).isEmpty)
      #expect(window(sample.buffer) == sample.refills)
      for entry in entries {
        let (core, abstract) = entry.run(sample, &rng)
        comparisons += 1
        if core != abstract && differences.count < 5 {
          differences.append("\(entry.name) on \(sample.buffer): core \(core), list \(abstract)")
        }
      }
    }
    return (comparisons, differences)
  }

  @Test func theCoreAndTheListAgree() {
    let run = Self.compare(Self.entries, seed: 0xD1FF_15, samples: 2_000)
    #expect(run.differences.isEmpty, "\(run.differences)")
    #expect(run.comparisons == 2_000 * Self.entries.count)
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
    let run = Self.compare([planted], seed: 0xD1FF_15, samples: 200)
    #expect(run.differences.count == 5)
    #expect(run.differences.first?.hasPrefix("scheduleUsed (merge drops the used amount)") == true)
  }
}

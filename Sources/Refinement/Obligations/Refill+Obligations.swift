// Obligations about the refill circular buffer (KernelABI `RefillBuffer`, seL4:src/kernel/sporadic.c
// and include/kernel/sporadic.h): its index arithmetic, and that the single steps of charging time
// (`schedule_used`, the partial charge of `refill_budget_check`) keep the budget and the order of
// the refills.
//
// The code under proof comes from a `RefillCode`, the shared generic code by default and broken
// variants in the tests that show each obligation can fail. No layer runs this code yet (no layer
// has time); the obligations are about the code as written, ready for when the layers call it.
//
// The live window is described here independently of `refill_size`: position k of the window is
// head + k, less refillMax once that passes the end, and the window ends at the first position that
// is the tail. Sums, order and overflow are over the window only (slots outside it are garbage,
// as l4v's `sc_relation` leaves them unrelated). The hypotheses are the parts of l4v's
// `sp_valid_refills` (DetSchedInvs_AI.thy) and `ordered_disjoint`/`no_overflow`
// (SchedContextInv_AI.thy) each claim needs, with seL4's limits: amounts and the budget at most
// MAX_PERIOD in ticks, and release times below 2^62 (MAX_RELEASE_TIME is 2^64 − 1 − 5 · MAX_PERIOD).

import Bitwise
public import KernelABI
public import SMT

/// The refill code under proof, on symbolic words.
public struct RefillCode: Sendable {
  public typealias Buffer = RefillBuffer<SymbolicWord>
  public typealias Entry = Refill<SymbolicWord>
  public var refillNext: @Sendable (Buffer, SymbolicWord) -> SymbolicWord
  public var refillSize: @Sendable (Buffer) -> SymbolicWord
  public var refillFull: @Sendable (Buffer) -> SymbolicBool
  public var refillSingle: @Sendable (Buffer) -> SymbolicBool
  public var refillCapacity: @Sendable (Buffer, SymbolicWord) -> SymbolicWord
  /// `refill_sufficient(usage)` with the given MIN_BUDGET.
  public var refillSufficient: @Sendable (Buffer, SymbolicWord, SymbolicWord) -> SymbolicBool
  public var scheduleUsed: @Sendable (Buffer, Entry) -> Buffer
  /// The partial charge: (buffer, usage, period, MAX_RELEASE_TIME).
  public var partialCharge: @Sendable (Buffer, SymbolicWord, SymbolicWord, SymbolicWord) -> Buffer

  public init(
    refillNext: @escaping @Sendable (Buffer, SymbolicWord) -> SymbolicWord,
    refillSize: @escaping @Sendable (Buffer) -> SymbolicWord,
    refillFull: @escaping @Sendable (Buffer) -> SymbolicBool,
    refillSingle: @escaping @Sendable (Buffer) -> SymbolicBool,
    refillCapacity: @escaping @Sendable (Buffer, SymbolicWord) -> SymbolicWord,
    refillSufficient: @escaping @Sendable (Buffer, SymbolicWord, SymbolicWord) -> SymbolicBool,
    scheduleUsed: @escaping @Sendable (Buffer, Entry) -> Buffer,
    partialCharge: @escaping @Sendable (Buffer, SymbolicWord, SymbolicWord, SymbolicWord) -> Buffer
  ) {
    self.refillNext = refillNext
    self.refillSize = refillSize
    self.refillFull = refillFull
    self.refillSingle = refillSingle
    self.refillCapacity = refillCapacity
    self.refillSufficient = refillSufficient
    self.scheduleUsed = scheduleUsed
    self.partialCharge = partialCharge
  }

  /// The shared code (`KernelABI/Refills.swift`).
  public static let shared = RefillCode(
    refillNext: { $0.refillNext($1) }, refillSize: { $0.refillSize }, refillFull: { $0.refillFull },
    refillSingle: { $0.refillSingle }, refillCapacity: { $0.refillCapacity(usage: $1) },
    refillSufficient: { $0.refillSufficient(usage: $1, minBudget: $2) },
    scheduleUsed: { buffer, new in
      var buffer = buffer
      buffer.scheduleUsed(new)
      return buffer
    },
    partialCharge: { buffer, usage, period, maxReleaseTime in
      var buffer = buffer
      buffer.refillBudgetCheckPartialCharge(usage: usage, period: period, maxReleaseTime: maxReleaseTime)
      return buffer
    })
}

/// The bounds the refill obligations hold within.
public enum RefillProofBounds {
  /// Slots of the symbolic buffer: every buffer of up to 4 refills. refill_absolute_max is 2 for
  /// the smallest scheduling context (2^7 bytes) and 10 for 2^8; 10 slots exceed the solver's
  /// resource limit for the sums, so the claims stop at 4 (more than the smallest object holds).
  public static let slots: UInt64 = 4
  /// MAX_PERIOD in ticks (`TimeConfig.maxPeriod`: one hour at 10 ticks per µs).
  public static let maxPeriodTicks: UInt64 = TimeConfig.maxPeriod
  /// `MAX_RELEASE_TIME` = 2^64 − 1 − 5 · MAX_PERIOD_TICKS (include/kernel/sporadic.h).
  public static let maxReleaseTime: UInt64 = TimeConfig.maxReleaseTime
  /// Release times of live refills are below this (far below MAX_RELEASE_TIME, so sums of a time
  /// and a few periods never wrap).
  public static let timeLimit: UInt64 = 1 << 62
  /// The statement of the bound for buffers of up to `largest` refills, for `Obligation.bound`.
  public static func text(upTo largest: UInt64 = slots) -> String {
    "refillMax in 2...\(largest) (every buffer of up to \(largest) refills; refill_absolute_max is 2 for a "
      + "2^7-byte and 10 for a 2^8-byte scheduling context), head and tail below refillMax; live amounts, their "
      + "sum, the period and the usage at most MAX_PERIOD = \(maxPeriodTicks) ticks; live release times below 2^62"
  }
}

/// A symbolic refill buffer and its live window, described without `refill_size`.
struct SymbolicRefills {
  typealias Word = SymbolicWord
  var buffer: RefillBuffer<Word>

  /// Position k of the window: head + k, wrapped at refillMax (meaningful for k < refillMax).
  func position(_ k: UInt64) -> Word {
    let raw = buffer.head &+ .known(k)
    return Word.select(raw .>= buffer.refillMax, raw &- buffer.refillMax, raw)
  }

  /// How many refills are live: one more than the first k whose position is the tail.
  var count: Word {
    var result = Word.known(0)
    for k in (0..<RefillProofBounds.slots).reversed() {
      let hit = (Word.known(k) .< buffer.refillMax) .&& (position(k) .== buffer.tail)
      result = .select(hit, .known(k + 1), result)
    }
    return result
  }

  func live(_ k: UInt64) -> SymbolicBool { Word.known(k) .< count }

  func entry(_ k: UInt64) -> Refill<Word> { buffer.refill(at: position(k)) }

  /// Σ of the live amounts.
  var sum: Word {
    (0..<RefillProofBounds.slots).reduce(Word.known(0)) { $0 &+ Word.select(live($1), entry($1).rAmount, 0) }
  }

  /// `ordered_disjoint` and `no_overflow` over the window: each live refill ends (without
  /// wrapping) no later than the next one starts.
  var orderedDisjoint: SymbolicBool {
    var holds = SymbolicBool.known(true)
    for k in 0..<RefillProofBounds.slots {
      let r = entry(k)
      // swift-format-ignore: NoAssignmentInExpressions
      holds = holds .&& (live(k) .=> .!Word.additionOverflows(r.rTime, r.rAmount))
      if k + 1 < RefillProofBounds.slots {
        // swift-format-ignore: NoAssignmentInExpressions
        holds = holds .&& (live(k + 1) .=> (r.rTime &+ r.rAmount .<= entry(k + 1).rTime))
      }
    }
    return holds
  }

  /// The slots' words, fresh: `rTime<i>` and `rAmount<i>` for each of the bound's slots.
  static func slots(_ s: ProofScope) -> [Refill<Word>] {
    (0..<RefillProofBounds.slots).map { i in Refill(rTime: s.word("rTime\(i)"), rAmount: s.word("rAmount\(i)")) }
  }

  /// Every buffer shape with refillMax in 2...`largest`, head and tail below it.
  static func shapes(upTo largest: UInt64) -> [(refillMax: UInt64, head: UInt64, tail: UInt64)] {
    (2...largest).flatMap { m in (0..<m).flatMap { h in (0..<m).map { t in (m, h, t) } } }
  }

  /// The claim for every shape: for each (refillMax, head, tail) within the bound, on the same
  /// slot words, `wellFormed ∧ assumption ⇒ goal`, all conjoined. With known header words every
  /// index is known, so the slot reads fold to single words and the solver sees straight-line
  /// arithmetic per shape (a symbolic index would give select chains, far slower).
  static func forEveryShape(
    _ slots: [Refill<Word>], upTo largest: UInt64 = RefillProofBounds.slots,
    _ claim: (SymbolicRefills) -> (assumption: SymbolicBool, goal: SymbolicBool)
  ) -> SymbolicBool {
    shapes(upTo: largest).reduce(SymbolicBool.known(true)) { holds, shape in
      let r = SymbolicRefills(
        buffer: RefillBuffer(
          refillMax: .known(shape.refillMax), head: .known(shape.head), tail: .known(shape.tail), slots: slots))
      let (assumption, goal) = claim(r)
      return holds .&& ((r.wellFormed .&& assumption) .=> goal)
    }
  }

  /// The live refills within the bounds: release times below 2^62, amounts at most MAX_PERIOD.
  /// (The claims about sums also assume the sum is at most MAX_PERIOD, as the budget is.)
  var wellFormed: SymbolicBool {
    let bounds = RefillProofBounds.self
    var holds = SymbolicBool.known(true)
    for k in 0..<bounds.slots {
      let r = entry(k)
      // swift-format-ignore: NoAssignmentInExpressions
      holds =
        holds
        .&& (live(k) .=> ((r.rTime .< .known(bounds.timeLimit)) .&& (r.rAmount .<= .known(bounds.maxPeriodTicks))))
    }
    return holds
  }
}

/// A refill of fresh words within the bounds: release time below 2^62, amount at most MAX_PERIOD.
private func freshRefill(_ s: ProofScope, _ name: String) -> Refill<SymbolicWord> {
  Refill(
    rTime: s.word("\(name)Time", atMost: RefillProofBounds.timeLimit - 1),
    rAmount: s.word("\(name)Amount", atMost: RefillProofBounds.maxPeriodTicks))
}

extension Obligation {
  /// The refill-buffer obligations for `code`.
  public static func refills(_ code: RefillCode = .shared) -> [Obligation] {
    let bounds = RefillProofBounds.self
    let bound = bounds.text()
    return [
      Obligation(
        "kernel.refill.next.staysInBuffer",
        "refill_next of an index below refillMax is the next index modulo refillMax: index + 1, or 0 after "
          + "refillMax − 1, so it stays below refillMax (any refillMax ≥ 1)"
      ) { s in
        let refillMax = s.word("refillMax")
        let index = s.word("index")
        s.assume((refillMax .>= 1) .&& (index .< refillMax))
        let buffer = RefillBuffer<SymbolicWord>(refillMax: refillMax, head: 0, tail: 0, slots: [])
        let next = code.refillNext(buffer, index)
        let expected = SymbolicWord.select(index &+ 1 .== refillMax, 0, index &+ 1)
        return (next .== expected) .&& (next .< refillMax)
      },
      Obligation(
        "kernel.refill.size.countsWindow",
        "refill_size is the number of live refills, head to tail inclusive stepping by one and wrapping at "
          + "refillMax, and lies in 1...refillMax",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let size = code.refillSize(r.buffer)
          return (.known(true), (size .== r.count) .&& (size .>= 1) .&& (size .<= r.buffer.refillMax))
        }
      },
      Obligation(
        "kernel.refill.fullAndSingle.matchWindow",
        "refill_full holds iff all refillMax slots are live, and refill_single iff exactly one is",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let full = code.refillFull(r.buffer)
          let single = code.refillSingle(r.buffer)
          let allLive = r.count .== r.buffer.refillMax
          let oneLive = r.count .== 1
          return (
            .known(true), (full .=> allLive) .&& (allLive .=> full) .&& (single .=> oneLive) .&& (oneLive .=> single)
          )
        }
      },
      Obligation(
        "kernel.refill.capacity.headLessUsage",
        "refill_capacity(usage) is the head's amount less the usage when the usage does not exceed it, else 0, "
          + "never wrapping; refill_sufficient(usage) holds iff usage + MIN_BUDGET ≤ the head's amount "
          + "(usage at most MAX_PERIOD, MIN_BUDGET in 1...MAX_PERIOD)",
        bound: "usage, MIN_BUDGET and the head's amount at most MAX_PERIOD = \(bounds.maxPeriodTicks) ticks"
      ) { s in
        // Both read only the head refill: one slot, the head's, whatever the shape.
        let head = Refill(rTime: s.word("headTime"), rAmount: s.word("headAmount", atMost: bounds.maxPeriodTicks))
        let buffer = RefillBuffer<SymbolicWord>(refillMax: 2, head: 0, tail: 1, slots: [head, head])
        let usage = s.word("usage", atMost: bounds.maxPeriodTicks)
        let minBudget = s.word("minBudget", atMost: bounds.maxPeriodTicks)
        s.assume(minBudget .>= 1)
        let amount = head.rAmount
        let capacity = code.refillCapacity(buffer, usage)
        let expected = SymbolicWord.select(usage .<= amount, amount &- usage, 0)
        let sufficient = code.refillSufficient(buffer, usage, minBudget)
        let enough = usage &+ minBudget .<= amount
        return (capacity .== expected) .&& (capacity .<= amount) .&& (sufficient .=> enough) .&& (enough .=> sufficient)
      },
      Obligation(
        "kernel.refill.scheduleUsed.addsAmount",
        "schedule_used(new) adds exactly new's amount to the sum of the live amounts, in each of its three cases "
          + "(merge into the tail, append, delay the tail of a full buffer)",
        bound: bound
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let new = freshRefill(s, "new")
        return SymbolicRefills.forEveryShape(slots) { r in
          let after = SymbolicRefills(buffer: code.scheduleUsed(r.buffer, new))
          return (r.sum &+ new.rAmount .<= .known(bounds.maxPeriodTicks), after.sum .== r.sum &+ new.rAmount)
        }
      },
      Obligation(
        "kernel.refill.scheduleUsed.keepsOrder",
        "schedule_used(new) keeps the live refills ordered and disjoint (each ends, without overflow, no later "
          + "than the next starts), whatever new's release time",
        bound: bound
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let new = freshRefill(s, "new")
        return SymbolicRefills.forEveryShape(slots) { r in
          let after = SymbolicRefills(buffer: code.scheduleUsed(r.buffer, new))
          return (r.orderedDisjoint, after.orderedDisjoint)
        }
      },
      Obligation(
        "kernel.refill.scheduleUsed.staysInBuffer",
        "schedule_used(new) leaves refillMax and the head alone, keeps the tail below refillMax, and adds at most "
          + "one live refill, never past refillMax (a full buffer stays full)",
        bound: bound
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let new = freshRefill(s, "new")
        return SymbolicRefills.forEveryShape(slots) { r in
          let b = code.scheduleUsed(r.buffer, new)
          let after = SymbolicRefills(buffer: b)
          let goal =
            (b.refillMax .== r.buffer.refillMax) .&& (b.head .== r.buffer.head) .&& (b.tail .< b.refillMax)
            .&& ((after.count .== r.count) .|| (after.count .== r.count &+ 1)) .&& (after.count .>= 1)
            .&& (after.count .<= b.refillMax)
          return (.known(true), goal)
        }
      },
      Obligation(
        "kernel.refill.budgetCheck.partialCharge.preservesSum",
        "refill_budget_check's partial charge (usage left after handle_overrun, 0 < usage < the head's amount as "
          + "seL4 asserts) leaves the sum of the live amounts unchanged: the head loses usage, the used refill "
          + "one period later gains it",
        bound: bounds.text(upTo: 3)
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let usage = s.word("usage", atMost: bounds.maxPeriodTicks)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        return SymbolicRefills.forEveryShape(slots, upTo: 3) { r in
          let head = r.buffer.refill(at: r.buffer.head)
          let after = SymbolicRefills(
            buffer: code.partialCharge(r.buffer, usage, period, .known(bounds.maxReleaseTime)))
          return (
            (r.sum .<= .known(bounds.maxPeriodTicks)) .&& (usage .> 0) .&& (usage .< head.rAmount), after.sum .== r.sum
          )
        }
      },
      Obligation(
        "kernel.refill.budgetCheck.partialCharge.keepsHeadEnd",
        "refill_budget_check's partial charge (0 < usage < the head's amount) on a buffer of more than one refill "
          + "starts the head usage later with usage less, so it ends where it did and stays before the next refill; "
          + "the used refill is then added by schedule_used (whose order is kernel.refill.scheduleUsed.keepsOrder)",
        bound: bound
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let usage = s.word("usage", atMost: bounds.maxPeriodTicks)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        return SymbolicRefills.forEveryShape(slots) { r in
          let head = r.buffer.refill(at: r.buffer.head)
          let b = code.partialCharge(r.buffer, usage, period, .known(bounds.maxReleaseTime))
          let newHead = b.refill(at: b.head)
          let goal =
            (b.head .== r.buffer.head) .&& (newHead.rTime .== head.rTime &+ usage)
            .&& (newHead.rTime &+ newHead.rAmount .== head.rTime &+ head.rAmount)
          return ((r.count .> 1) .&& (usage .> 0) .&& (usage .< head.rAmount), goal)
        }
      },
    ]
  }
}

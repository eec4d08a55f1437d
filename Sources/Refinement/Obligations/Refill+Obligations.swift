// Obligations about the refill circular buffer (KernelABI `RefillBuffer`, seL4:src/kernel/sporadic.c
// and include/kernel/sporadic.h): its index arithmetic; that `refill_new` and `refill_update`
// establish valid refills; that the single steps of charging time (`schedule_used`, the partial
// charge of `refill_budget_check`, the round-robin charges of commitTime/chargeBudget) keep the
// budget and the order of the refills; and that one iteration of each loop body
// (`charge_entire_head_refill`, `merge_nonoverlapping_head_refill`, `merge_overlapping_head_refill`)
// does, with the loop's guard as a hypothesis (l4v's whileLoop invariants). The loops themselves run
// only on UInt64 (a symbolic guard cannot drive a `while`): that they end, and the whole of
// `refill_budget_check` and `refill_unblock_check`, are not proved here (docs/time.md).
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
  /// `refill_new`: (buffer, refillMax, budget, period, now).
  public var refillNew: @Sendable (Buffer, SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> Buffer = {
    var buffer = $0
    buffer.refillNew(refillMax: $1, budget: $2, period: $3, now: $4)
    return buffer
  }
  /// `refill_update`: (buffer, newPeriod, newBudget, newMax, now).
  public var refillUpdate: @Sendable (Buffer, SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> Buffer = {
    var buffer = $0
    buffer.refillUpdate(newPeriod: $1, newBudget: $2, newMax: $3, now: $4)
    return buffer
  }
  /// `charge_entire_head_refill`: (buffer, usage, period) to the buffer and the usage left.
  public var chargeEntireHeadRefill: @Sendable (Buffer, SymbolicWord, SymbolicWord) -> (Buffer, SymbolicWord) = {
    var buffer = $0
    let left = buffer.chargeEntireHeadRefill(usage: $1, period: $2)
    return (buffer, left)
  }
  /// `merge_nonoverlapping_head_refill`.
  public var mergeNonoverlappingHeadRefill: @Sendable (Buffer) -> Buffer = {
    var buffer = $0
    buffer.mergeNonoverlappingHeadRefill()
    return buffer
  }
  /// `merge_overlapping_head_refill`.
  public var mergeOverlappingHeadRefill: @Sendable (Buffer) -> Buffer = {
    var buffer = $0
    buffer.mergeOverlappingHeadRefill()
    return buffer
  }
  /// The round-robin branch of `commitTime`: (buffer, consumed).
  public var refillBudgetCheckRoundRobin: @Sendable (Buffer, SymbolicWord) -> Buffer = {
    var buffer = $0
    buffer.refillBudgetCheckRoundRobin(consumed: $1)
    return buffer
  }
  /// The round-robin branch of `chargeBudget`.
  public var refillResetRR: @Sendable (Buffer) -> Buffer = {
    var buffer = $0
    buffer.refillResetRR()
    return buffer
  }

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
  /// `MIN_BUDGET` in ticks (`TimeConfig.minBudget`).
  public static let minBudget: UInt64 = TimeConfig.minBudget
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
  var orderedDisjoint: SymbolicBool { orderedDisjoint(from: 0) }

  /// `orderedDisjoint` of the live refills from position `first` on (1: all but the head).
  func orderedDisjoint(from first: UInt64) -> SymbolicBool {
    var holds = SymbolicBool.known(true)
    for k in first..<RefillProofBounds.slots {
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

  /// l4v's `window`: the last live refill starts no later than one `period` after the head.
  func window(period: Word) -> SymbolicBool {
    var holds = SymbolicBool.known(true)
    for k in 0..<RefillProofBounds.slots {
      // swift-format-ignore: NoAssignmentInExpressions
      holds = holds .&& ((count .== .known(k + 1)) .=> (entry(k).rTime .<= entry(0).rTime &+ period))
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

/// `MIN_BUDGET` and MAX_PERIOD as words (computed: symbolic words are not `Sendable`).
private var minBudget: SymbolicWord { .known(RefillProofBounds.minBudget) }
private var maxPeriod: SymbolicWord { .known(RefillProofBounds.maxPeriodTicks) }

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
    ] + loopBodies(code) + updates(code)
  }

  /// `refill_new` and the loop bodies of `handle_overrun`, `refill_budget_check` and
  /// `refill_unblock_check`, each with its guard as a hypothesis.
  static func loopBodies(_ code: RefillCode) -> [Obligation] {
    let bounds = RefillProofBounds.self
    let bound = bounds.text()
    return [
      Obligation(
        "kernel.refill.refillNew.establishesValidRefills",
        "refill_new(refillMax, budget, period, now) on any buffer (garbage header and slots), MIN_BUDGET ≤ budget "
          + "and budget ≤ period or period = 0: head = 0, refillMax as given, the head is (now, budget); round robin "
          + "(period 0) has exactly two live refills, sporadic one; the live amounts sum to the budget and are "
          + "ordered and disjoint",
        bound: bound + "; now below 2^62"
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let budget = s.word("budget", atMost: bounds.maxPeriodTicks)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        let now = s.word("now", atMost: bounds.timeLimit - 1)
        s.assume(budget .>= minBudget)
        s.assume((period .== 0) .|| (budget .<= period))
        let garbage = RefillBuffer(
          refillMax: s.word("oldMax"), head: s.word("oldHead"), tail: s.word("oldTail"), slots: slots)
        return (2...bounds.slots).reduce(SymbolicBool.known(true)) { holds, m in
          let b = code.refillNew(garbage, .known(m), budget, period, now)
          let r = SymbolicRefills(buffer: b)
          let head = r.entry(0)
          let common =
            (b.refillMax .== .known(m)) .&& (b.head .== 0) .&& (head.rTime .== now) .&& (head.rAmount .== budget)
            .&& (r.sum .== budget)
          let roundRobin = (r.count .== 2) .&& (r.entry(1).rAmount .== 0)
          let sporadic = (r.count .== 1) .&& r.orderedDisjoint
          return holds .&& common .&& ((period .== 0) .=> roundRobin) .&& ((period .!= 0) .=> sporadic)
        }
      },
      Obligation(
        "kernel.refill.mergeNonoverlappingHeadRefill.preservesSum",
        "one round of refill_budget_check's last loop: when the head holds less than MIN_BUDGET "
          + "(head_refill_insufficient) and the live amounts sum to at least MIN_BUDGET, "
          + "merge_nonoverlapping_head_refill leaves the sum unchanged and one refill fewer",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let after = SymbolicRefills(buffer: code.mergeNonoverlappingHeadRefill(r.buffer))
          let assumption = r.buffer.headRefillInsufficient .&& (r.sum .>= minBudget) .&& (r.sum .<= maxPeriod)
          return (assumption, (after.sum .== r.sum) .&& (after.count &+ 1 .== r.count))
        }
      },
      Obligation(
        "kernel.refill.mergeNonoverlappingHeadRefill.keepsOrder",
        "one round of refill_budget_check's last loop (head below MIN_BUDGET, sum at least MIN_BUDGET) keeps the "
          + "live refills ordered and disjoint: the merged refill ends where the second did",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let after = SymbolicRefills(buffer: code.mergeNonoverlappingHeadRefill(r.buffer))
          let assumption =
            r.buffer.headRefillInsufficient .&& (r.sum .>= minBudget) .&& (r.sum .<= maxPeriod) .&& r.orderedDisjoint
          return (assumption, after.orderedDisjoint)
        }
      },
      Obligation(
        "kernel.refill.mergeOverlappingHeadRefill.preservesSum",
        "one round of refill_unblock_check's loop: when the next refill starts no later than the head ends "
          + "(refill_head_overlapping), merge_overlapping_head_refill leaves the sum unchanged and one refill fewer",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let after = SymbolicRefills(buffer: code.mergeOverlappingHeadRefill(r.buffer))
          let assumption = r.buffer.refillHeadOverlapping .&& (r.sum .<= maxPeriod)
          return (assumption, (after.sum .== r.sum) .&& (after.count &+ 1 .== r.count))
        }
      },
      Obligation(
        "kernel.refill.mergeOverlappingHeadRefill.keepsHeadStart",
        "one round of refill_unblock_check's loop (refill_head_overlapping): the merged head keeps the head's start "
          + "(so the head refill_unblock_check started at now still starts at now) and the refills after the head, "
          + "ordered and disjoint before, stay so",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let after = SymbolicRefills(buffer: code.mergeOverlappingHeadRefill(r.buffer))
          let assumption = r.buffer.refillHeadOverlapping .&& r.orderedDisjoint(from: 1)
          return (assumption, (after.entry(0).rTime .== r.entry(0).rTime) .&& after.orderedDisjoint(from: 1))
        }
      },
      Obligation(
        "kernel.refill.chargeEntireHeadRefill.preservesSum",
        "one round of handle_overrun's loop: when the usage covers the head refill and it starts before "
          + "MAX_RELEASE_TIME (head_refill_overrun), charge_entire_head_refill leaves the sum unchanged and "
          + "returns the usage less the head's amount, without wrapping (period in MIN_BUDGET...MAX_PERIOD)",
        bound: bounds.text(upTo: 3)
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let usage = s.word("usage", atMost: bounds.maxPeriodTicks)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        s.assume(period .>= minBudget)
        return SymbolicRefills.forEveryShape(slots, upTo: 3) { r in
          let head = r.entry(0)
          let (b, left) = code.chargeEntireHeadRefill(r.buffer, usage, period)
          let after = SymbolicRefills(buffer: b)
          let assumption = r.buffer.headRefillOverrun(usage: usage)
          return (assumption, (after.sum .== r.sum) .&& (left .== usage &- head.rAmount) .&& (left .<= usage))
        }
      },
      Obligation(
        "kernel.refill.chargeEntireHeadRefill.keepsOrder",
        "one round of handle_overrun's loop (head_refill_overrun) keeps the live refills ordered and disjoint, "
          + "without overflow: the charged head comes back one period later through schedule_used",
        bound: bounds.text(upTo: 3)
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let usage = s.word("usage", atMost: bounds.maxPeriodTicks)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        s.assume(period .>= minBudget)
        return SymbolicRefills.forEveryShape(slots, upTo: 3) { r in
          let after = SymbolicRefills(buffer: code.chargeEntireHeadRefill(r.buffer, usage, period).0)
          return (r.buffer.headRefillOverrun(usage: usage) .&& r.orderedDisjoint, after.orderedDisjoint)
        }
      },
      Obligation(
        "kernel.refill.chargeEntireHeadRefill.keepsWindow",
        "one round of handle_overrun's loop (charge_entire_head_refill, with or without its guard: the buffer it "
          + "leaves does not depend on the usage) on refills within one period (the last starts no later than the "
          + "head's start + period, l4v's window) whose second starts no earlier than the head (as ordered refills "
          + "do) keeps them within one period",
        bound: bounds.text(upTo: 2)
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let period = s.word("period", atMost: bounds.maxPeriodTicks)
        s.assume(period .>= minBudget)
        return SymbolicRefills.forEveryShape(slots, upTo: 2) { r in
          let after = SymbolicRefills(buffer: code.chargeEntireHeadRefill(r.buffer, .known(0), period).0)
          // Of the order, only that the second refill starts no earlier than the head is needed.
          let secondAfterHead = (r.count .>= 2) .=> (r.entry(1).rTime .>= r.entry(0).rTime)
          // The buffer it leaves does not depend on the usage, so neither does the claim (no guard).
          let assumption = secondAfterHead .&& r.window(period: period)
          return (assumption, after.window(period: period))
        }
      },
      Obligation(
        "kernel.refill.roundRobin.commitTime.keepsRoundRobinValid",
        "commitTime's round-robin charge of `consumed` (two live refills, the head sufficient for consumed as seL4 "
          + "asserts) keeps two live refills and their sum, and leaves the head at least MIN_BUDGET",
        bound: bound
      ) { s in
        let slots = SymbolicRefills.slots(s)
        let consumed = s.word("consumed", atMost: bounds.maxPeriodTicks)
        return SymbolicRefills.forEveryShape(slots) { r in
          let b = code.refillBudgetCheckRoundRobin(r.buffer, consumed)
          let after = SymbolicRefills(buffer: b)
          let assumption =
            (r.count .== 2) .&& (r.sum .<= maxPeriod)
            .&& r.buffer.refillSufficient(usage: consumed, minBudget: minBudget)
          let goal =
            (b.head .== r.buffer.head) .&& (b.tail .== r.buffer.tail) .&& (after.count .== 2) .&& (after.sum .== r.sum)
            .&& (after.entry(0).rAmount .>= minBudget)
          return (assumption, goal)
        }
      },
      Obligation(
        "kernel.refill.roundRobin.chargeBudget.keepsRoundRobinValid",
        "chargeBudget's round-robin charge (two live refills, head at least MIN_BUDGET) keeps two live refills and "
          + "their sum, all of it in the head, the tail empty",
        bound: bound
      ) { s in
        SymbolicRefills.forEveryShape(SymbolicRefills.slots(s)) { r in
          let b = code.refillResetRR(r.buffer)
          let after = SymbolicRefills(buffer: b)
          let assumption = (r.count .== 2) .&& (r.sum .<= maxPeriod) .&& (r.entry(0).rAmount .>= minBudget)
          let goal =
            (b.head .== r.buffer.head) .&& (b.tail .== r.buffer.tail) .&& (after.count .== 2) .&& (after.sum .== r.sum)
            .&& (after.entry(0).rAmount .== r.sum) .&& (after.entry(1).rAmount .== 0)
          return (assumption, goal)
        }
      },
    ]
  }

  /// The claim over every pre-state shape and new refillMax, with seL4's range checks on the new
  /// budget and period (ConfigureFlags: MIN_BUDGET ≤ budget ≤ period ≤ MAX_PERIOD, or period 0).
  static func update(
    _ s: ProofScope, _ code: RefillCode,
    _ claim: (SymbolicRefills, SymbolicRefills, SymbolicWord, SymbolicWord) -> SymbolicBool
  ) -> SymbolicBool {
    let slots = SymbolicRefills.slots(s)
    let newPeriod = s.word("newPeriod", atMost: RefillProofBounds.maxPeriodTicks)
    let newBudget = s.word("newBudget", atMost: RefillProofBounds.maxPeriodTicks)
    let now = s.word("now", atMost: RefillProofBounds.timeLimit - 1)
    s.assume(newBudget .>= minBudget)
    s.assume((newPeriod .== 0) .|| (newBudget .<= newPeriod))
    // refill_update reads only the head refill of the old buffer, so the old buffer is one of N
    // slots with its head (and tail) at each index in turn.
    let n = RefillProofBounds.slots
    return (0..<n).reduce(SymbolicBool.known(true)) { holds, h in
      let r = SymbolicRefills(
        buffer: RefillBuffer(refillMax: .known(n), head: .known(h), tail: .known(h), slots: slots))
      let goal = (2...n).reduce(SymbolicBool.known(true)) { holds, m in
        let after = SymbolicRefills(buffer: code.refillUpdate(r.buffer, newPeriod, newBudget, .known(m), now))
        return holds .&& claim(r, after, newPeriod, newBudget)
      }
      return holds .&& ((r.wellFormed .&& (r.entry(0).rAmount .>= minBudget)) .=> goal)
    }
  }

  /// `refill_update` from every valid buffer shape to every new refillMax within the bound.
  static func updates(_ code: RefillCode) -> [Obligation] {
    let bounds = RefillProofBounds.self
    let bound =
      "the old buffer's head at every index below \(bounds.slots) (refill_update reads nothing else of it), its "
      + "amount and the new budget and period at most MAX_PERIOD = \(bounds.maxPeriodTicks) ticks, its release time and "
      + "now below 2^62; the new refillMax in 2...\(bounds.slots)"
    return [
      Obligation(
        "kernel.refill.refillUpdate.sumIsBudget",
        "refill_update(newPeriod, newBudget, newMax, now) on an active buffer whose head holds at least MIN_BUDGET "
          + "leaves head = 0, one or two live refills (two for round robin) summing to newBudget, the head at least "
          + "MIN_BUDGET",
        bound: bound
      ) { s in
        update(s, code) { _, after, newPeriod, newBudget in
          (after.buffer.head .== 0) .&& (after.sum .== newBudget) .&& ((after.count .== 1) .|| (after.count .== 2))
            .&& ((newPeriod .== 0) .=> (after.count .== 2)) .&& (after.entry(0).rAmount .>= minBudget)
        }
      },
      Obligation(
        "kernel.refill.refillUpdate.orderedDisjoint",
        "refill_update of a sporadic context (newPeriod ≠ 0) leaves the live refills ordered and disjoint, "
          + "without overflow",
        bound: bound
      ) { s in
        update(s, code) { _, after, newPeriod, _ in (newPeriod .!= 0) .=> after.orderedDisjoint }
      },
      Obligation(
        "kernel.refill.refillUpdate.window",
        "refill_update leaves the last live refill starting no later than one newPeriod after the head (l4v's window)",
        bound: bound
      ) { s in
        update(s, code) { _, after, newPeriod, _ in after.window(period: newPeriod) }
      },
    ]
  }
}

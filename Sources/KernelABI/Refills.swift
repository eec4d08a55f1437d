// The refill circular buffer of an MCS scheduling context: its index arithmetic and the pure,
// single-step parts of charging time, as seL4 writes them (seL4:include/kernel/sporadic.h
// `refill_size`, `refill_full`, `refill_single`, `refill_capacity`, `refill_sufficient`,
// `refill_ready`, `refill_absolute_max`; seL4:src/kernel/sporadic.c `refill_next`,
// `refill_pop_head`, `refill_add_tail`, `maybe_add_empty_tail`, `refill_new`, `refill_update`,
// `schedule_used`, `handle_overrun`, `refill_budget_check`, `refill_unblock_check` with their loop
// guards and bodies; seL4:include/kernel/thread.h `commitTime` and seL4:src/kernel/thread.c
// `chargeBudget`, their round-robin branches).
//
// A scheduling context keeps `refillMax` live-able slots of (rTime, rAmount) after its header
// (`ObjectLayout` in the Kernel: refills from byte 96, 16 bytes each). The live refills run from
// `head` to `tail` inclusive, wrapping from `refillMax − 1` to 0 (`refill_next`, no modulo); the
// buffer is never empty once the context is active. Slots outside the window are garbage.
//
// Written once, generic over `MachineWord`: `UInt64` runs it (`RefillTests`), and `refine-check
// prove` runs the same text on symbolic words (`Refill+Obligations.swift` in Refinement). Every
// branch is a `select`, and a slot at a symbolic index is read and written through a select chain
// over the slots (as `PriorityBitmap.l2Word(at:)`), so the one text serves both.
//
// The executable spec and the kernel run it on their buffers (boot, SchedControl_ConfigureFlags,
// and the budget charged as time passes: `Budget.swift`, `Scheduler.swift`); the abstract spec
// has its own list version (`AbstractSpec/Sporadic.swift`), so R2 can see a bug here (docs/time.md).

public import Bitwise

/// One refill (`refill_t`): `rAmount` ticks of budget usable from time `rTime`.
public struct Refill<Word: MachineWord> {
  public var rTime: Word
  public var rAmount: Word

  @inlinable public init(rTime: Word, rAmount: Word) {
    self.rTime = rTime
    self.rAmount = rAmount
  }

  /// `select` on both words.
  @inlinable public static func select(_ condition: Word.Condition, _ then: Self, _ otherwise: Self) -> Self {
    Refill(
      rTime: Word.select(condition, then.rTime, otherwise.rTime),
      rAmount: Word.select(condition, then.rAmount, otherwise.rAmount))
  }
}

extension Refill: Equatable where Word: Equatable {}
extension Refill: Hashable where Word: Hashable {}
extension Refill: Sendable where Word: Sendable {}

/// A scheduling context's refill buffer: the three header words seL4 indexes it with and the slots.
public struct RefillBuffer<Word: MachineWord> {
  /// `scRefillMax`: how many slots the buffer uses (0: the context is not active).
  public var refillMax: Word
  /// `scRefillHead`: the index of the first live refill.
  public var head: Word
  /// `scRefillTail`: the index of the last live refill.
  public var tail: Word
  /// The slots, `refill_absolute_max` of them for the object's size; only the first `refillMax`
  /// are used, and of those only the window from `head` to `tail` is live.
  public var slots: [Refill<Word>]

  @inlinable public init(refillMax: Word, head: Word, tail: Word, slots: [Refill<Word>]) {
    self.refillMax = refillMax
    self.head = head
    self.tail = tail
    self.slots = slots
  }

  /// `refill_absolute_max`: how many refills fit after the 96-byte `sched_context_t` in an object
  /// of 2^`sizeBits` bytes: (2^sizeBits − 96) / 16.
  @inlinable public static func refillAbsoluteMax(sizeBits: Word) -> Word {
    ((1 << sizeBits) &- 96) >> 4
  }

  /// The slot at `index` (a select chain over the slots; an index past them reads the last).
  @inlinable public func refill(at index: Word) -> Refill<Word> {
    guard var result = slots.last else { return Refill(rTime: 0, rAmount: 0) }
    for i in slots.indices.dropLast().reversed() {
      result = .select(index .== Word(constant: UInt64(i)), slots[i], result)
    }
    return result
  }

  /// Write `refill` to the slot at `index` (an index past the slots writes nothing).
  @inlinable public mutating func setRefill(at index: Word, _ refill: Refill<Word>) {
    for i in slots.indices {
      slots[i] = .select(index .== Word(constant: UInt64(i)), refill, slots[i])
    }
  }

  /// `refill_head`: the first live refill.
  @inlinable public var headRefill: Refill<Word> { refill(at: head) }

  /// `refill_tail`: the last live refill.
  @inlinable public var tailRefill: Refill<Word> { refill(at: tail) }

  /// `refill_next`: the index after `index`, 0 after `refillMax − 1` (seL4 tests for the last
  /// index rather than taking a remainder).
  @inlinable public func refillNext(_ index: Word) -> Word {
    Word.select(index .== refillMax &- 1, 0, index &+ 1)
  }

  /// `refill_size`: how many refills are live, `head` to `tail` inclusive, wrapping at `refillMax`.
  @inlinable public var refillSize: Word {
    Word.select(head .<= tail, tail &- head &+ 1, tail &+ 1 &+ (refillMax &- head))
  }

  /// `refill_full`: every one of the `refillMax` slots is live.
  @inlinable public var refillFull: Word.Condition { refillSize .== refillMax }

  /// `refill_single`: exactly one refill is live.
  @inlinable public var refillSingle: Word.Condition { head .== tail }

  /// `refill_capacity`: what is left of the head refill after `usage`, 0 when the usage exceeds it.
  @inlinable public func refillCapacity(usage: Word) -> Word {
    let headAmount = headRefill.rAmount
    return Word.select(usage .> headAmount, 0, headAmount &- usage)
  }

  /// `refill_sufficient`: the head refill still holds at least `minBudget` (seL4's `MIN_BUDGET`)
  /// after `usage`.
  @inlinable public func refillSufficient(usage: Word, minBudget: Word) -> Word.Condition {
    refillCapacity(usage: usage) .>= minBudget
  }

  /// `refill_sufficient` of a buffer whose head refill is `head`: what `refillSufficient` answers
  /// (the same capacity, `refillCapacity`), for a caller that has read the head slot alone (the
  /// kernel's and the executable spec's `checkBudget` on every entry).
  @inlinable public static func refillSufficient(_ head: Refill<Word>, usage: Word, minBudget: Word) -> Word.Condition {
    Word.select(usage .> head.rAmount, 0, head.rAmount &- usage) .>= minBudget
  }

  /// `refill_ready`: the head refill may be used at time `now` (seL4 reads `ksCurTime`).
  @inlinable public func refillReady(now: Word) -> Word.Condition { headRefill.rTime .<= now }

  /// Which of `schedule_used`'s three cases `new` takes.
  /// `merges`: the tail refill ends at or after `new` starts, so `new` is added to it;
  /// otherwise `appends` when the buffer is not full; otherwise the tail is delayed to end where
  /// `new` would and absorbs it.
  @inlinable public func scheduleUsedMerges(_ new: Refill<Word>) -> Word.Condition {
    let tail = tailRefill
    return tail.rTime &+ tail.rAmount .>= new.rTime
  }

  /// `schedule_used`: add the used refill `new` at the end of the buffer, one step, no loop.
  /// 1. The tail overlaps or touches `new`: the tail's amount grows by `new.rAmount`.
  /// 2. Otherwise, not full: `refill_add_tail(new)` (tail := refill_next(tail), slot := new).
  /// 3. Otherwise (full): the tail moves to start `tail.rAmount` before `new.rTime` and takes
  ///    `new.rAmount` too.
  /// Every case writes one slot (the tail's, old or new), so the step is one select per word.
  @inlinable public mutating func scheduleUsed(_ new: Refill<Word>) {
    let tail = tailRefill
    let merges = scheduleUsedMerges(new)
    let appends = .!merges .&& .!refillFull
    let grown = tail.rAmount &+ new.rAmount
    let merged = Refill(rTime: tail.rTime, rAmount: grown)
    let delayed = Refill(rTime: new.rTime &- tail.rAmount, rAmount: grown)
    let newTail = Word.select(appends, refillNext(self.tail), self.tail)
    let written = Refill.select(merges, merged, .select(appends, new, delayed))
    self.tail = newTail
    setRefill(at: newTail, written)
  }

  /// Whether `refill_budget_check` charges part of the head after `handle_overrun` has left
  /// `usage`: some usage is left and the head starts before `maxReleaseTime` (seL4's
  /// `MAX_RELEASE_TIME`).
  @inlinable public func partialChargeApplies(usage: Word, maxReleaseTime: Word) -> Word.Condition {
    (usage .> 0) .&& (headRefill.rTime .< maxReleaseTime)
  }

  /// The middle step of `refill_budget_check`: when `partialChargeApplies`, the head gives up
  /// `usage` (its amount shrinks and its start moves later by `usage`, so its end stays put) and
  /// the used part comes back one `period` after the head's old start, through `schedule_used`.
  /// seL4 asserts the head's amount exceeds `usage` here (`handle_overrun` has charged every head
  /// refill the usage covered). Otherwise nothing changes.
  @inlinable public mutating func refillBudgetCheckPartialCharge(usage: Word, period: Word, maxReleaseTime: Word) {
    let applies = partialChargeApplies(usage: usage, maxReleaseTime: maxReleaseTime)
    let head = headRefill
    var charged = self
    charged.setRefill(at: self.head, Refill(rTime: head.rTime &+ usage, rAmount: head.rAmount &- usage))
    charged.scheduleUsed(Refill(rTime: head.rTime &+ period, rAmount: usage))
    self = .select(applies, charged, self)
  }

  /// `refill_pop_head` (sporadic.c): the head refill, and the head moves to the next index. The
  /// caller guarantees more than one refill is live (seL4 asserts `!refill_single`); the popped
  /// slot keeps its words, now garbage.
  @inlinable public mutating func refillPopHead() -> Refill<Word> {
    let popped = headRefill
    head = refillNext(head)
    return popped
  }

  /// `refill_add_tail` (sporadic.c): the tail moves to the next index and `refill` is written there.
  /// The caller guarantees the buffer is not full (seL4 asserts `refill_size < scRefillMax`).
  @inlinable public mutating func refillAddTail(_ refill: Refill<Word>) {
    let newTail = refillNext(tail)
    tail = newTail
    setRefill(at: newTail, refill)
  }

  /// `maybe_add_empty_tail` (sporadic.c): a round-robin context (`period` 0, seL4's `isRoundRobin`
  /// reading `sc->scPeriod`) gets an empty tail refill (the head's release time, amount 0), where the
  /// round-robin charges keep the time used; a sporadic one is left alone.
  @inlinable public mutating func maybeAddEmptyTail(period: Word) {
    var added = self
    added.refillAddTail(Refill(rTime: headRefill.rTime, rAmount: 0))
    self = .select(period .== 0, added, self)
  }

  /// `refill_new` (sporadic.c): start the buffer afresh with `refillMax` slots in use and one refill
  /// of the whole `budget` usable from `now` (seL4's `ksCurTime`) in slot 0, head = tail = 0, then
  /// `maybe_add_empty_tail`. seL4 also sets `scPeriod := period`; the period is a field of each
  /// layer's scheduling context, not of this buffer, so the caller stores it. The caller guarantees
  /// `budget ≥ MIN_BUDGET` and `refillMax` at most the slots (seL4 asserts the first; ConfigureFlags
  /// checks the second against `refill_absolute_max`). Slots other than those written keep their
  /// words (garbage, as in seL4).
  @inlinable public mutating func refillNew(refillMax: Word, budget: Word, period: Word, now: Word) {
    self.refillMax = refillMax
    head = 0
    tail = 0
    setRefill(at: 0, Refill(rTime: now, rAmount: budget))
    maybeAddEmptyTail(period: period)
  }

  /// `refill_update` (sporadic.c), on an active context (seL4 asserts `scRefillMax > 0`): keep only
  /// the head refill, moved to slot 0 (head = tail = 0), switch to `newMax` slots; a ready head
  /// (`refill_ready` at `now`) starts at `now`. Then a head holding at least `newBudget` is trimmed
  /// to it (and a round-robin context, `newPeriod` 0, gets its empty tail); otherwise the rest of
  /// `newBudget` comes back one `newPeriod` after the head starts, as a second refill. seL4 also
  /// sets `scPeriod := newPeriod`; the caller stores it in its scheduling context.
  @inlinable public mutating func refillUpdate(newPeriod: Word, newBudget: Word, newMax: Word, now: Word) {
    let old = headRefill
    let moved = Refill(rTime: Word.select(old.rTime .<= now, now, old.rTime), rAmount: old.rAmount)
    head = 0
    tail = 0
    refillMax = newMax
    setRefill(at: 0, moved)
    var trimmed = self
    trimmed.setRefill(at: 0, Refill(rTime: moved.rTime, rAmount: newBudget))
    trimmed.maybeAddEmptyTail(period: newPeriod)
    var extended = self
    extended.refillAddTail(Refill(rTime: moved.rTime &+ newPeriod, rAmount: newBudget &- moved.rAmount))
    self = .select(moved.rAmount .>= newBudget, trimmed, extended)
  }

  /// `head_refill_overrun` (sporadic.c), the guard of `handle_overrun`'s loop: `usage` covers the
  /// whole head refill and the head starts before `MAX_RELEASE_TIME` (`TimeConfig.maxReleaseTime`).
  @inlinable public func headRefillOverrun(usage: Word) -> Word.Condition {
    let head = headRefill
    return (head.rAmount .<= usage) .&& (head.rTime .< Word(constant: TimeConfig.maxReleaseTime))
  }

  /// `charge_entire_head_refill` (sporadic.c), the body of `handle_overrun`'s loop: the whole head
  /// refill is used, so it comes back one `period` later (seL4's `sc->scPeriod`): a single refill
  /// just moves; otherwise it is popped and added at the end by `schedule_used`. Returns what is
  /// left of `usage` (`usage − head.rAmount`; the guard `headRefillOverrun` makes it not wrap).
  @inlinable public mutating func chargeEntireHeadRefill(usage: Word, period: Word) -> Word {
    let old = headRefill
    var moved = self
    moved.setRefill(at: head, Refill(rTime: old.rTime &+ period, rAmount: old.rAmount))
    var popped = self
    let used = popped.refillPopHead()
    popped.scheduleUsed(Refill(rTime: used.rTime &+ period, rAmount: used.rAmount))
    self = .select(refillSingle, moved, popped)
    return usage &- old.rAmount
  }

  /// `head_refill_insufficient` (sporadic.c), the guard of `refill_budget_check`'s last loop: the
  /// head refill holds less than `MIN_BUDGET` (`TimeConfig.minBudget`).
  @inlinable public var headRefillInsufficient: Word.Condition {
    headRefill.rAmount .< Word(constant: TimeConfig.minBudget)
  }

  /// `merge_nonoverlapping_head_refill` (sporadic.c), the body of that loop: the head is popped and
  /// its amount added to the next refill, which starts that much earlier so that it ends no later
  /// than before. The caller guarantees more than one refill is live.
  @inlinable public mutating func mergeNonoverlappingHeadRefill() {
    let old = refillPopHead()
    let next = headRefill
    setRefill(at: head, Refill(rTime: next.rTime &- old.rAmount, rAmount: next.rAmount &+ old.rAmount))
  }

  /// `refill_head_overlapping` (sporadic.c), the guard of `refill_unblock_check`'s loop: more than
  /// one refill is live and the next one starts no later than the head ends.
  @inlinable public var refillHeadOverlapping: Word.Condition {
    let head = headRefill
    let next = refill(at: refillNext(self.head))
    return .!refillSingle .&& (next.rTime .<= head.rTime &+ head.rAmount)
  }

  /// `merge_overlapping_head_refill` (sporadic.c), the body of that loop: the head is popped and
  /// the next refill takes its start and its amount. The caller guarantees more than one refill.
  @inlinable public mutating func mergeOverlappingHeadRefill() {
    let old = refillPopHead()
    let next = headRefill
    setRefill(at: head, Refill(rTime: old.rTime, rAmount: next.rAmount &+ old.rAmount))
  }

  /// The round-robin branch of `commitTime` (seL4:include/kernel/thread.h): `consumed` ticks
  /// (seL4's `ksConsumed`) move from the head refill, being used, to the tail, which keeps what
  /// has been used. The caller guarantees two refills and a head sufficient for `consumed`.
  @inlinable public mutating func refillBudgetCheckRoundRobin(consumed: Word) {
    let oldHead = headRefill
    setRefill(at: head, Refill(rTime: oldHead.rTime, rAmount: oldHead.rAmount &- consumed))
    let oldTail = tailRefill
    setRefill(at: tail, Refill(rTime: oldTail.rTime, rAmount: oldTail.rAmount &+ consumed))
  }

  /// The round-robin branch of `chargeBudget` (seL4:src/kernel/thread.c): the timeslice ends, so
  /// what the tail kept returns to the head (head += tail) and the tail is emptied.
  @inlinable public mutating func refillResetRR() {
    let oldHead = headRefill
    let oldTail = tailRefill
    setRefill(at: head, Refill(rTime: oldHead.rTime, rAmount: oldHead.rAmount &+ oldTail.rAmount))
    setRefill(at: tail, Refill(rTime: oldTail.rTime, rAmount: 0))
  }

  /// `select` on every word of two buffers with the same number of slots.
  @inlinable public static func select(_ condition: Word.Condition, _ then: Self, _ otherwise: Self) -> Self {
    RefillBuffer(
      refillMax: Word.select(condition, then.refillMax, otherwise.refillMax),
      head: Word.select(condition, then.head, otherwise.head),
      tail: Word.select(condition, then.tail, otherwise.tail),
      slots: zip(then.slots, otherwise.slots).map { Refill.select(condition, $0, $1) })
  }
}

extension RefillBuffer: Equatable where Word: Equatable {}
extension RefillBuffer: Hashable where Word: Hashable {}
extension RefillBuffer: Sendable where Word: Sendable {}

// The loops of sporadic.c, run to completion. Their guards and bodies above are generic, and the
// obligations are about one body with its guard as a hypothesis (l4v's whileLoop invariants); a
// symbolic guard cannot drive a `while`, so the drivers exist only for the words that run.
extension RefillBuffer where Word == UInt64 {
  /// Whether `head` and `tail` lie inside the `refillMax` slots in use (`valid_refills'`). seL4
  /// relies on it; the loops below test it so that a corrupt header (an index `refill_next` never
  /// wraps) stops them instead of making them run for ever.
  @inlinable public var indicesInUse: Bool { head < refillMax && tail < refillMax }

  /// How many slots, from 0, the refill code can touch on a buffer with these header words: the
  /// live window and the slot after its tail (`refill_add_tail`), up to `refillMax`. A wrapped
  /// window's slots past its head were all written (they are live), so the layers load the slots
  /// written so far and pad only to this count, not to `refillMax`, which a user may set to
  /// `refill_absolute_max` (2^43 for a 2^47-byte context). A corrupt header (an index at or past
  /// `refillMax`) needs no padding: the loops above do not run on it.
  @inlinable public static func slotsTheWindowUses(refillMax: UInt64, head: UInt64, tail: UInt64) -> UInt64 {
    let last = Swift.max(head, tail)
    guard last < refillMax else { return 0 }
    return refillMax - last >= 2 ? last + 2 : refillMax
  }

  /// `handle_overrun` (sporadic.c): charge whole head refills while `usage` covers them
  /// (`headRefillOverrun`), returning the usage left. Ends because each round lowers the usage by
  /// a positive amount (valid refills have positive amounts and a positive period; seL4 relies on
  /// the same). On states seL4 excludes by assertion (a round-robin period of 0, an empty head
  /// refill) the loop stops instead of spinning: the kernel runs this and must never hang.
  @inlinable public mutating func handleOverrun(usage: UInt64, period: UInt64) -> UInt64 {
    var current = usage
    while indicesInUse, period != 0, headRefill.rAmount != 0, headRefillOverrun(usage: current) {
      current = chargeEntireHeadRefill(usage: current, period: period)
    }
    return current
  }

  /// `refill_budget_check` (sporadic.c), for a sporadic context (seL4 asserts `!isRoundRobin`):
  /// `handle_overrun`, then the partial charge of what is left, then merge head refills below
  /// `MIN_BUDGET` into the next (`head_refill_insufficient`, `merge_nonoverlapping_head_refill`).
  /// The merge stops at a single refill (seL4 asserts the budget, at least `MIN_BUDGET`, makes
  /// that unreachable; popping the last refill would leave the buffer without a head).
  @inlinable public mutating func refillBudgetCheck(usage: UInt64, period: UInt64) {
    let left = handleOverrun(usage: usage, period: period)
    refillBudgetCheckPartialCharge(usage: left, period: period, maxReleaseTime: TimeConfig.maxReleaseTime)
    while indicesInUse, !refillSingle, headRefillInsufficient {
      mergeNonoverlappingHeadRefill()
    }
  }

  /// `refill_unblock_check` (sporadic.c): for a sporadic context (`period` ≠ 0) whose head is ready
  /// at `now`, the head starts at `now` and every refill it then overlaps is merged into it
  /// (`refill_head_overlapping`, `merge_overlapping_head_refill`). Returns whether seL4 sets
  /// `ksReprogram` (exactly when the head was ready); a round-robin context is left alone.
  @inlinable public mutating func refillUnblockCheck(period: UInt64, now: UInt64) -> Bool {
    guard period != 0, refillReady(now: now) else { return false }
    let old = headRefill
    setRefill(at: head, Refill(rTime: now, rAmount: old.rAmount))
    while indicesInUse, refillHeadOverlapping {
      mergeOverlappingHeadRefill()
    }
    return true
  }
}

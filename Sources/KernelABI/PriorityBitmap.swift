// The ready queues' two-level priority bitmap (`ksReadyQueuesL1Bitmap`, `ksReadyQueuesL2Bitmap`):
// which priorities of a domain have a non-empty ready queue, and the highest of them in two
// most-significant-bit steps instead of a scan of 256 queues (seL4:src/object/tcb.c
// `addToBitmap`, `removeFromBitmap`; include/kernel/thread.h `getHighestPrio`, `isHighestPrio`).
//
// With 256 priorities and 64-bit words, L1 has one bit per group of 64 priorities (bit
// `prio >> 6`). L2 has one word per group, the group's word at index `3 − (prio >> 6)` (seL4's
// `invert_l1index`, for cache locality; invisible to user space), and in it bit `prio & 63` is set
// when that priority's queue is non-empty. L1's bit for a group is set exactly when the group's L2
// word is not zero (`wellFormed`).
//
// Written once, generic over `MachineWord`: the executable spec and the kernel will run it on
// `UInt64` (with the scheduler, issue 13), and `refine-check prove` runs the same code on symbolic
// words to prove that `getHighestPrio` is the greatest priority present and that adding or removing
// a priority changes nothing else (`PriorityBitmap+Obligations.swift` in Refinement). An index that
// is a symbolic word selects among the four L2 words (`l2Word(at:)`), so the one text serves both.
// The obligations take the bits' meaning from this layout (`contains`, `wellFormed`): they prove
// the operations consistent with it, not that it is seL4's; `PriorityBitmapTests.theLayoutIsSeL4s`
// checks that (which word and bit a priority has), and user space cannot see it.

public import Bitwise

/// The two-level bitmap of one domain's non-empty ready queues.
public struct PriorityBitmap<Word: MachineWord> {
  /// Bit g: some priority of group g (priorities `64g ... 64g + 63`) has a non-empty queue.
  public var l1: Word
  /// The groups' words, index `3 − g` for group g; bit `p & 63` for priority p.
  public var l2: (Word, Word, Word, Word)

  /// The empty bitmap: every queue empty.
  @inlinable public init() {
    l1 = 0
    l2 = (0, 0, 0, 0)
  }

  @inlinable public init(l1: Word, l2: (Word, Word, Word, Word)) {
    self.l1 = l1
    self.l2 = l2
  }

  /// The group of `prio` (`prio_to_l1index`): its bit in L1.
  @inlinable public static func group(_ prio: Word) -> Word { prio >> 6 }

  /// `invert_l1index`: where a group's word sits in L2.
  @inlinable public static func l2Index(ofGroup group: Word) -> Word { 3 &- group }

  /// The bit of `prio` in its group's L2 word.
  @inlinable public static func l2Bit(_ prio: Word) -> Word { 1 << (prio & 63) }

  /// The L2 word at `index` (0...3; any other index reads the last).
  @inlinable public func l2Word(at index: Word) -> Word {
    Word.select(index .== 0, l2.0, Word.select(index .== 1, l2.1, Word.select(index .== 2, l2.2, l2.3)))
  }

  /// Set the L2 word at `index` (0...3) to `value`.
  @inlinable public mutating func setL2Word(at index: Word, _ value: Word) {
    l2 = (
      Word.select(index .== 0, value, l2.0), Word.select(index .== 1, value, l2.1),
      Word.select(index .== 2, value, l2.2), Word.select(index .== 3, value, l2.3)
    )
  }

  /// `addToBitmap`: note that `prio`'s queue is not empty.
  @inlinable public mutating func addToBitmap(_ prio: Word) {
    let group = Self.group(prio)
    let index = Self.l2Index(ofGroup: group)
    l1 = l1 | (1 << group)
    setL2Word(at: index, l2Word(at: index) | Self.l2Bit(prio))
  }

  /// `removeFromBitmap`: note that `prio`'s queue is empty; the group's L1 bit goes only when its
  /// L2 word becomes zero.
  @inlinable public mutating func removeFromBitmap(_ prio: Word) {
    let group = Self.group(prio)
    let index = Self.l2Index(ofGroup: group)
    let word = l2Word(at: index) & ~Self.l2Bit(prio)
    setL2Word(at: index, word)
    l1 = Word.select(word .== 0, l1 & ~(1 << group), l1)
  }

  /// Whether `prio`'s bit is set (its queue is not empty).
  @inlinable public func contains(_ prio: Word) -> Word.Condition {
    (l2Word(at: Self.l2Index(ofGroup: Self.group(prio))) & Self.l2Bit(prio)) .!= 0
  }

  /// Whether every queue is empty.
  @inlinable public var isEmpty: Word.Condition { l1 .== 0 }

  /// `getHighestPrio`: the highest priority whose bit is set. Meaningful only when the bitmap is
  /// not empty (seL4 asserts it; the caller tests `isEmpty` first).
  @inlinable public func getHighestPrio() -> Word {
    let group = Word.mostSignificantBit(l1)
    let bit = Word.mostSignificantBit(l2Word(at: Self.l2Index(ofGroup: group)))
    return (group << 6) | bit
  }

  /// `isHighestPrio`: no queue of a priority above `prio` is non-empty (ties count as highest).
  @inlinable public func isHighestPrio(_ prio: Word) -> Word.Condition {
    isEmpty .|| (prio .>= getHighestPrio())
  }

  /// L1 has bits for the four groups only, and a group's bit is set exactly when its L2 word is
  /// not zero.
  @inlinable public var wellFormed: Word.Condition {
    var holds = (l1 >> 4) .== 0
    for group in UInt64(0)..<4 {
      let g = Word(constant: group)
      let present = (l1 & (1 << g)) .!= 0
      let word = l2Word(at: Self.l2Index(ofGroup: g))
      // Equal truth values: both or neither.
      // swift-format-ignore: NoAssignmentInExpressions
      holds = holds .&& ((present .&& (word .!= 0)) .|| (.!present .&& (word .== 0)))
    }
    return holds
  }
}

extension PriorityBitmap: Equatable where Word: Equatable {
  @inlinable public static func == (a: Self, b: Self) -> Bool {
    a.l1 == b.l1 && a.l2.0 == b.l2.0 && a.l2.1 == b.l2.1 && a.l2.2 == b.l2.2 && a.l2.3 == b.l2.3
  }
}

extension PriorityBitmap: Hashable where Word: Hashable {
  @inlinable public func hash(into hasher: inout Hasher) {
    hasher.combine(l1)
    hasher.combine(l2.0)
    hasher.combine(l2.1)
    hasher.combine(l2.2)
    hasher.combine(l2.3)
  }
}

extension PriorityBitmap: Sendable where Word: Sendable {}

extension MachineWord {
  /// The index of the most significant set bit of `word` (`wordBits − 1 − clzl(word)`), found by
  /// halving; 0 when `word` is 0 (seL4 leaves that case undefined).
  @inlinable public static func mostSignificantBit(_ word: Self) -> Self {
    var index: Self = 0
    var rest = word
    // One halving step: if `rest` has a bit at `shift` or above, move down by `shift`.
    func step(_ shift: UInt64) {
      let high = rest >> Self(constant: shift)
      let hasHigh = high .!= 0
      index = select(hasHigh, index &+ Self(constant: shift), index)
      rest = select(hasHigh, high, rest)
    }
    step(32)
    step(16)
    step(8)
    step(4)
    step(2)
    step(1)
    return index
  }
}

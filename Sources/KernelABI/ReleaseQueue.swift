// The MCS release queue's ordering: where a thread whose scheduling context's head refill
// becomes ready at time `key` goes among the threads already waiting (seL4:src/object/tcb.c
// `tcbReleaseEnqueue`, `find_time_after`, `time_after`; l4v-rt `tcb_release_enqueue` in
// spec/abstract/SchedContext_A.thy). The queue is kept sorted by each thread's key, the `rTime`
// of its scheduling context's head refill, and a new thread goes after every thread whose key is
// at most its own (first in, first out among equal keys).
//
// seL4 decides in three steps, and the comparisons are written here once:
// - `prependsBefore(headKey:newKey:)`: an empty queue, or a key strictly before the head's,
//   goes first (`new_time < tcbReadyTime(queue.head)`);
// - `appendsAfter(tailKey:newKey:)`: a key at or after the tail's goes last
//   (`tcbReadyTime(queue.end) <= new_time`);
// - otherwise `timeAfter(key:newKey:)` walks from the head past every thread whose key is at
//   most the new one (`time_after`: `rTime <= new_time`) and inserts before the first that is not.
// The kernel runs those predicates while walking its linked list; the executable spec, which
// holds the queue as a list, runs `insertPosition(keys:newKey:)`, which is the same three steps
// over the list of keys. Generic over `MachineWord`: `UInt64` runs it, and `refine-check prove`
// proves on symbolic words that the position keeps a sorted list sorted and is stable
// (`ReleaseQueue+Obligations.swift` in Refinement, lists of up to 4 keys). The abstract spec
// keeps l4v's own formulation (`filter (≤ key) ++ [t] ++ filter (> key)`) so that R2 can catch a
// slip in this shared code.

public import Bitwise

/// The release queue's key comparisons and the insertion position they give.
public enum ReleaseQueue {
  /// `time_after(tcb, new_time)`: the thread with `key` stays ahead of a thread with `newKey`
  /// (its key is at most the new one).
  @inlinable public static func timeAfter<Word: MachineWord>(key: Word, newKey: Word) -> Word.Condition {
    key .<= newKey
  }

  /// The prepend shortcut of `tcbReleaseEnqueue`: a non-empty queue whose head has `headKey` takes
  /// `newKey` at its head (strictly earlier).
  @inlinable public static func prependsBefore<Word: MachineWord>(headKey: Word, newKey: Word) -> Word.Condition {
    newKey .< headKey
  }

  /// The append shortcut of `tcbReleaseEnqueue`: a queue whose tail has `tailKey` takes `newKey`
  /// at its tail (at or after the tail's key).
  @inlinable public static func appendsAfter<Word: MachineWord>(tailKey: Word, newKey: Word) -> Word.Condition {
    tailKey .<= newKey
  }

  /// `releaseQueueInsertPosition`: the index in a queue whose keys are `keys` (head first) at
  /// which `tcbReleaseEnqueue` puts a thread with `newKey`, decided as seL4 decides it: 0 for an
  /// empty queue or a key before the head's; the length when the key is at or after the tail's;
  /// else the first index whose key the new one does not reach (`find_time_after`), the length if
  /// none (which a sorted queue whose tail's key is after the new one never gives).
  @inlinable public static func insertPosition<Word: MachineWord>(keys: [Word], newKey: Word) -> Word {
    insertPosition(
      keys: keys, newKey: newKey, timeAfter: { timeAfter(key: $0, newKey: $1) },
      prependsBefore: { prependsBefore(headKey: $0, newKey: $1) },
      appendsAfter: { appendsAfter(tailKey: $0, newKey: $1) })
  }

  /// `insertPosition(keys:newKey:)` with the three comparisons given (the proofs' mutants replace
  /// one; every layer runs the ones above).
  @inlinable public static func insertPosition<Word: MachineWord>(
    keys: [Word], newKey: Word, timeAfter: (Word, Word) -> Word.Condition,
    prependsBefore: (Word, Word) -> Word.Condition, appendsAfter: (Word, Word) -> Word.Condition
  ) -> Word {
    guard let headKey = keys.first, let tailKey = keys.last else { return 0 }
    let count = Word(constant: UInt64(keys.count))
    // find_time_after: the first index from the head whose key is after the new one.
    var found = count
    for index in keys.indices.reversed() {
      found = Word.select(timeAfter(keys[index], newKey), found, Word(constant: UInt64(index)))
    }
    return Word.select(
      prependsBefore(headKey, newKey), 0, Word.select(appendsAfter(tailKey, newKey), count, found))
  }
}

// Obligations about the MCS release queue's ordering (KernelABI `ReleaseQueue`; seL4:src/object/tcb.c
// `tcbReleaseEnqueue`, l4v-rt `tcb_release_enqueue`): the position the shared code gives a new
// thread among the keys of a sorted queue keeps the queue sorted, and is the one l4v's
// `filter (≤ key) ++ [t] ++ filter (> key)` gives, so threads with equal keys stay first in,
// first out.
//
// The comparisons under proof come from a `ReleaseQueueCode`, the shared code by default and
// broken variants in the tests that show each obligation can fail. The claims are over every
// queue length 0...4 (`ReleaseQueueProofBounds.keys`): a fresh word per key and for the new key,
// all 2^64 values each.

import Bitwise
import KernelABI
public import SMT

/// The release queue's comparisons under proof, on symbolic words.
public struct ReleaseQueueCode: Sendable {
  /// `time_after(key, new)`: a thread with `key` stays ahead of the new one.
  public var timeAfter: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool
  /// The prepend shortcut: (head's key, new key).
  public var prependsBefore: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool
  /// The append shortcut: (tail's key, new key).
  public var appendsAfter: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool

  public init(
    timeAfter: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool,
    prependsBefore: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool,
    appendsAfter: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool
  ) {
    self.timeAfter = timeAfter
    self.prependsBefore = prependsBefore
    self.appendsAfter = appendsAfter
  }

  /// The shared code (`KernelABI/ReleaseQueue.swift`).
  public static let shared = ReleaseQueueCode(
    timeAfter: { ReleaseQueue.timeAfter(key: $0, newKey: $1) },
    prependsBefore: { ReleaseQueue.prependsBefore(headKey: $0, newKey: $1) },
    appendsAfter: { ReleaseQueue.appendsAfter(tailKey: $0, newKey: $1) })

  /// `ReleaseQueue.insertPosition` with these comparisons.
  func insertPosition(keys: [SymbolicWord], newKey: SymbolicWord) -> SymbolicWord {
    ReleaseQueue.insertPosition(
      keys: keys, newKey: newKey, timeAfter: timeAfter, prependsBefore: prependsBefore, appendsAfter: appendsAfter)
  }
}

/// The bound the release-queue obligations hold within.
public enum ReleaseQueueProofBounds {
  /// Queues of 0...4 threads.
  public static let keys = 4
  /// The statement of the bound, for `Obligation.bound`.
  public static let text =
    "release queues of 0...\(keys) threads (each length a separate case), every key and the new key any 64-bit word"
}

extension Obligation {
  /// The release-queue obligations for `code`.
  public static func releaseQueue(_ code: ReleaseQueueCode = .shared) -> [Obligation] {
    /// For each queue length within the bound: sorted keys, the new key, and the position.
    @Sendable func everyLength(
      _ s: ProofScope,
      _ claim: (_ keys: [SymbolicWord], _ newKey: SymbolicWord, _ position: SymbolicWord) -> SymbolicBool
    ) -> SymbolicBool {
      let newKey = s.word("newKey")
      let all = (0..<ReleaseQueueProofBounds.keys).map { s.word("key\($0)") }
      var holds = SymbolicBool.known(true)
      for length in 0...ReleaseQueueProofBounds.keys {
        let keys = Array(all.prefix(length))
        let sorted = zip(keys, keys.dropFirst()).reduce(SymbolicBool.known(true)) { $0 .&& ($1.0 .<= $1.1) }
        let position = code.insertPosition(keys: keys, newKey: newKey)
        // swift-format-ignore: NoAssignmentInExpressions
        holds = holds .&& (sorted .=> claim(keys, newKey, position))
      }
      return holds
    }
    return [
      Obligation(
        "kernel.releaseQueue.insertKeepsSorted",
        "tcbReleaseEnqueue's position in a queue sorted by key lies within it, after every key before it and before "
          + "every key after it, so the queue stays sorted",
        bound: ReleaseQueueProofBounds.text
      ) { s in
        everyLength(s) { keys, newKey, position in
          keys.indices.reduce(position .<= .known(UInt64(keys.count))) { holds, i in
            let index = SymbolicWord.known(UInt64(i))
            return holds .&& ((index .< position) .=> (keys[i] .<= newKey))
              .&& ((position .<= index) .=> (newKey .<= keys[i]))
          }
        }
      },
      Obligation(
        "kernel.releaseQueue.insertIsStable",
        "tcbReleaseEnqueue puts the new thread after exactly the threads whose key is at most its own (l4v's "
          + "filter (≤ key) ++ [t] ++ filter (> key)): after every equal key, first in first out",
        bound: ReleaseQueueProofBounds.text
      ) { s in
        everyLength(s) { keys, newKey, position in
          keys.indices.reduce(SymbolicBool.known(true)) { holds, i in
            let before = SymbolicWord.known(UInt64(i)) .< position
            let reaches = keys[i] .<= newKey
            return holds .&& (before .=> reaches) .&& (reaches .=> before)
          }
        }
      },
    ]
  }
}

// Cheap hashing for the keys the checker looks up most: object addresses and slots.
//
// A checked step looks objects and slots up in the layers' heaps, trees and logs some three
// hundred times. The standard library hashes a `UInt64` with SipHash-1-3 behind a per-process
// seed: about 85 instructions a key, and a `SlotRef` (two words through a `Hasher`) about 170.
// That was the largest single cost of a checked step (BENCHMARKS.md, perf5). These keys are
// addresses and indices the system plan and the generator chose, not input from an adversary, so
// a multiply-xorshift mix is enough: SplitMix64's finaliser, a bijection on 64-bit words in which
// every output bit depends on every input bit, so aligned addresses (whose low bits are zero)
// spread over a hash table's buckets and a trie's levels. A hash never decides anything: equal
// keys hash equal, and the collections still compare keys with `==`.

/// SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number
/// generators", 2014): about ten instructions.
@inlinable
public func mixWord(_ word: UInt64) -> UInt64 {
  var z = word
  z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
  z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
  return z ^ (z >> 31)
}

/// A key with a cheap hash (see the top of this file). `wordHash(seed:)` must be equal for equal
/// keys; types that can, return it from `_rawHashValue(seed:)`, the entry point `Set`,
/// `Dictionary` and the hash tries use, so that every collection of them hashes cheaply.
public protocol WordHashable: Hashable, Sendable {
  /// The key's hash for a table whose hash seed is `seed`.
  func wordHash(seed: Int) -> Int
}

extension UInt64: WordHashable {
  @inlinable
  public func wordHash(seed: Int) -> Int {
    Int(truncatingIfNeeded: mixWord(self ^ UInt64(truncatingIfNeeded: seed)))
  }
}

extension SlotRef: WordHashable {
  @inlinable
  public func wordHash(seed: Int) -> Int {
    Int(truncatingIfNeeded: mixWord(mixWord(container ^ UInt64(truncatingIfNeeded: seed)) &+ index))
  }

  /// The cheap hash for every collection of slots (`hash(into:)`, for slots inside other keys,
  /// is the synthesized one).
  @inlinable
  public func _rawHashValue(seed: Int) -> Int { wordHash(seed: seed) }
}

extension ReadyQueueIndex: WordHashable {
  @inlinable
  public func wordHash(seed: Int) -> Int {
    Int(truncatingIfNeeded: mixWord(mixWord(domain ^ UInt64(truncatingIfNeeded: seed)) &+ priority))
  }

  /// The cheap hash for the ready queues' dictionaries.
  @inlinable
  public func _rawHashValue(seed: Int) -> Int { wordHash(seed: seed) }
}

/// A key that hashes by `wordHash(seed:)`: the logged collections keep their keys in these, so
/// that a `UInt64` key (whose `_rawHashValue` is the standard library's) hashes cheaply too.
@frozen
public struct WordKey<Key: WordHashable>: Hashable, Sendable {
  public var key: Key

  @inlinable
  public init(_ key: Key) { self.key = key }

  @inlinable
  public static func == (a: WordKey, b: WordKey) -> Bool { a.key == b.key }

  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(key) }

  @inlinable
  public func _rawHashValue(seed: Int) -> Int { key.wordHash(seed: seed) }
}

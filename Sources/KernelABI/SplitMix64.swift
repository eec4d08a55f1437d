// A small, fast, seedable generator (SplitMix64, Steele, Lea and Flood 2014): the same seed gives
// the same campaign, trace seed and test input on every machine and every Swift version, which
// `SystemRandomNumberGenerator` cannot promise. Here, below every layer and the campaigns, so that
// the campaigns and every test target share one implementation.

/// Deterministic pseudo-random numbers.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound` (0 when bound is 0).
  public mutating func below(_ bound: UInt64) -> UInt64 {
    bound == 0 ? 0 : next() % bound
  }

  /// True with probability `percent`/100.
  public mutating func chance(_ percent: UInt64) -> Bool { below(100) < percent }

  /// A uniformly chosen element (nil when empty).
  public mutating func pick<T>(_ items: [T]) -> T? {
    items.isEmpty ? nil : items[Int(below(UInt64(items.count)))]
  }
}

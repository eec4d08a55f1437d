// The symbolic domain the twin runs on to build obligations: words are SMT's `SymbolicWord`.
//
// Slice 1's operations are straight-line (every choice is a `select`), so a symbolic run never
// has to decide a symbolic condition. When a later operation does (`decide` on a term), this
// domain records the fork and the obligation built from the run is made false (so it is refuted,
// never proved by mistake) until the path explorer lands (docs/abstract-proofs.md, slice 2).
// Building an obligation makes no solver call, so its SMT-LIB2 text and hash depend only on the code.

import Bitwise
public import SMT
public import SymbolicSpec

/// Symbolic words; decides only known conditions and counts the forks it could not take.
public final class PathDomain: SpecDomain {
  public typealias Word = SymbolicWord
  /// The symbolic conditions the run asked to decide (each would need a fork).
  public private(set) var unsupportedForks = 0

  public init() {}

  public func decide(_ condition: SymbolicBool) -> Bool {
    switch condition {
    case .known(let value): return value
    case .term:
      unsupportedForks += 1
      return false
    }
  }

  public func known(_ word: SymbolicWord) -> UInt64? {
    if case .known(let value) = word { return value }
    return nil
  }
}

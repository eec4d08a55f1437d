// The value domain the symbolic twin is written over.
//
// The twin (`SymbolicSpec`) is AbstractSpec's CSpace and derivation tree restated over machine
// words, so that one source runs two ways: on `UInt64` (`Concrete`), at native speed, for the
// differential tests against AbstractSpec; and on the SMT module's symbolic words, to build the
// `abstract.<op>.preserves.<conjunct>` proof obligations (`Refinement/Obligations/Abstract`).
// A branch on data either merges (`select`, when both sides write the same fields) or asks the
// domain to `decide` (when the sides call different operations or end differently); the concrete
// domain answers at once, a symbolic one explores both sides path by path.

public import Bitwise

/// The words and decisions the twin computes with.
public protocol SpecDomain {
  associatedtype Word: MachineWord
  /// Which side of a branch on `condition` to take. A concrete domain answers from the value; a
  /// symbolic one records the decision (a path condition) and answers as the path it explores says.
  func decide(_ condition: Word.Condition) -> Bool
  /// The value of `word` when it is known (every concrete word; a symbolic word only when constant).
  func known(_ word: Word) -> UInt64?
}

/// The executing domain: words are `UInt64`, conditions `Bool`.
public struct Concrete: SpecDomain, Sendable {
  public typealias Word = UInt64

  @inlinable public init() {}
  @inlinable public func decide(_ condition: Bool) -> Bool { condition }
  @inlinable public func known(_ word: UInt64) -> UInt64? { word }
}

/// An executing domain that recognises no word as known: words are `UInt64`, conditions `Bool`,
/// but `TwinState.lookup` and `update` take the `select`-chain branches that symbolic slot ids
/// take, so the tests run on `UInt64` the very code the proofs are built from.
public struct Opaque: SpecDomain, Sendable {
  public typealias Word = UInt64

  @inlinable public init() {}
  @inlinable public func decide(_ condition: Bool) -> Bool { condition }
  @inlinable public func known(_ word: UInt64) -> UInt64? { nil }
}

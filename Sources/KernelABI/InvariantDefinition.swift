// The catalogue entry of one named invariant: what each layer promises to check, listed so that
// reports can say which invariants exist even when none of them is broken. A layer's catalogue
// is read from its invariant table (`InvariantTable.catalogue`, `Invariant.swift`).

/// One named invariant of a layer with its named conjuncts, as `refine-check report` lists it.
public struct InvariantDefinition: Hashable, Sendable, Codable {
  /// The invariant's name as l4v spells it (`valid_mdb`, `pspace_aligned'`, ...).
  public var name: String
  /// The conjuncts a violation may name besides the invariant itself (`no_mloop`, `untyped_inc`).
  public var conjuncts: [String]
  /// One sentence on what it says.
  public var summary: String

  public init(_ name: String, conjuncts: [String] = [], _ summary: String) {
    self.name = name
    self.conjuncts = conjuncts
    self.summary = summary
  }

  /// Whether `violation` is a broken conjunct of this invariant.
  public func accounts(for violation: InvariantViolation) -> Bool {
    violation.invariant == name && (violation.conjunct == name || conjuncts.contains(violation.conjunct))
  }
}

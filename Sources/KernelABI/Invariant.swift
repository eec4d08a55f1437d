// A layer's invariants as one table: each entry an invariant's l4v name, what it says, its
// conjuncts with what the incremental check reads of each, and the check that finds it broken.
//
// Each layer keeps one table, `invariants` in its `Invariants.swift` (AbstractSpec, ExecutableSpec,
// Kernel), in the order its checks run. Everything else about the layer's invariants is read from
// it: `invariantViolations()` is the fold of its checks, `invariantCatalogue` (what reports and the
// explorer list) its names, conjuncts and summaries, and a spec layer's `incrementalConjuncts`
// (`FootprintConjunct`) its declared reads. A new invariant is one new entry.

/// One conjunct of an invariant, and what a spec layer's incremental check reads when it runs the
/// conjunct at a site.
///
/// A name may occur twice in one invariant, told apart by the reads: `untyped_mdb'` is checked at
/// a cap against the untypeds around it, and at an untyped against its contents.
public struct InvariantConjunct: Hashable, Sendable, ExpressibleByStringLiteral {
  /// The conjunct's name, as `InvariantViolation.conjunct` spells it.
  public var name: String
  /// What the incremental check reads at a site (`FootprintConjunct.reads`); nil when no
  /// incremental check runs this conjunct at sites.
  public var reads: Set<FootprintRead>?

  public init(_ name: String, reads: Set<FootprintRead>? = nil) {
    self.name = name
    self.reads = reads
  }

  public init(stringLiteral name: String) { self.init(name) }
}

/// One entry of a layer's invariant table. `Input` is what the layer's checks read: the state, or
/// the state with what several checks share, computed once per fold.
public struct Invariant<Input>: Sendable {
  /// How an entry's violations are found.
  public enum Check: Sendable {
    /// By its own check, which returns every broken conjunct with the concrete values.
    case own(@Sendable (Input) -> [InvariantViolation])
    /// By the check of the entry named: one pass over the state that finds the violations of
    /// several invariants in the order the layer has always reported them.
    case checkedWith(String)
  }

  /// The invariant's name as l4v spells it (`valid_mdb`, `pspace_aligned'`, ...).
  public let name: String
  /// One sentence on what it says.
  public let summary: String
  /// What the incremental check reads when it checks the invariant as a whole at a site (nil when
  /// it does not, or checks it by its conjuncts).
  public let reads: Set<FootprintRead>?
  /// The conjuncts a violation may name besides the invariant itself.
  public let conjuncts: [InvariantConjunct]
  public let check: Check

  /// An entry with its own check.
  public init(
    _ name: String, reads: Set<FootprintRead>? = nil, conjuncts: [InvariantConjunct] = [], _ summary: String,
    check: @escaping @Sendable (Input) -> [InvariantViolation]
  ) {
    self.init(name, reads: reads, conjuncts: conjuncts, summary, .own(check))
  }

  /// An entry whose violations the check of the entry `other` finds.
  public init(
    _ name: String, reads: Set<FootprintRead>? = nil, conjuncts: [InvariantConjunct] = [], _ summary: String,
    checkedWith other: String
  ) {
    self.init(name, reads: reads, conjuncts: conjuncts, summary, .checkedWith(other))
  }

  public init(
    _ name: String, reads: Set<FootprintRead>?, conjuncts: [InvariantConjunct], _ summary: String, _ check: Check
  ) {
    self.name = name
    self.summary = summary
    self.reads = reads
    self.conjuncts = conjuncts
    self.check = check
  }

  /// The entry as reports list it: its conjuncts' names, each once, in the table's order.
  public var definition: InvariantDefinition {
    var names: [String] = []
    for conjunct in conjuncts where !names.contains(conjunct.name) { names.append(conjunct.name) }
    return InvariantDefinition(name, conjuncts: names, summary)
  }

  /// The entry's declared reads, as the incremental check takes them: the invariant's own, then
  /// each conjunct's, in the table's order.
  public var footprint: [FootprintConjunct] {
    var found: [FootprintConjunct] = []
    if let reads { found.append(FootprintConjunct(name, reads: reads)) }
    for conjunct in conjuncts {
      if let reads = conjunct.reads { found.append(FootprintConjunct(name, conjunct: conjunct.name, reads: reads)) }
    }
    return found
  }
}

/// A layer's invariants, in the order their checks run.
public struct InvariantTable<Input>: Sendable, ExpressibleByArrayLiteral {
  public let entries: [Invariant<Input>]

  public init(_ entries: [Invariant<Input>]) { self.entries = entries }
  public init(arrayLiteral entries: Invariant<Input>...) { self.init(entries) }

  /// Every broken conjunct of `input`: each entry's own check in table order, concatenated.
  public func violations(of input: Input) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for entry in entries {
      if case .own(let check) = entry.check { found += check(input) }
    }
    return found
  }

  /// Every entry as reports list it (`InvariantDefinition`), in table order.
  public var catalogue: [InvariantDefinition] { entries.map(\.definition) }

  /// Every declared read, entry by entry, in table order.
  public var footprint: [FootprintConjunct] { entries.flatMap(\.footprint) }

  /// The violations of `input` that the check finding them may not report: a name that neither
  /// the check's own entry nor an entry checked with it declares. Empty when every check keeps to
  /// what the table says of it.
  public func undeclaredViolations(of input: Input) -> [(check: String, violation: InvariantViolation)] {
    var found: [(check: String, violation: InvariantViolation)] = []
    for entry in entries {
      guard case .own(let check) = entry.check else { continue }
      let declared = entries.filter {
        if case .checkedWith(let other) = $0.check { other == entry.name } else { $0.name == entry.name }
      }.map(\.definition)
      for violation in check(input) where !declared.contains(where: { $0.accounts(for: violation) }) {
        found.append((entry.name, violation))
      }
    }
    return found
  }

  /// What is wrong with the table itself: a name twice, or an entry checked with one that has no
  /// check of its own.
  public var problems: [String] {
    var found: [String] = []
    var seen: Set<String> = []
    for entry in entries where !seen.insert(entry.name).inserted { found.append("\(entry.name) occurs twice") }
    for entry in entries {
      guard case .checkedWith(let other) = entry.check else { continue }
      let owner = entries.first { $0.name == other }
      if case .own? = owner?.check { continue }
      found.append("\(entry.name) is checked with \(other), which has no check of its own")
    }
    return found
  }
}

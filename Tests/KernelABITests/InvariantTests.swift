// Tests for the invariant table: the fold of its checks, the catalogue and the footprint read from
// it, and what it finds wrong with a check or with itself. The layers' own tables are tested in
// `ReportTests/InvariantTableTests.swift`.

import KernelABI
import Testing

@Suite("InvariantTable")
struct InvariantTests {
  /// A toy layer: the state is a list of numbers.
  static let table: InvariantTable<[Int]> = [
    Invariant(
      "positive", "every number is above 0", check: { $0.filter { $0 <= 0 }.map { .init("positive", "\($0)") } }),
    Invariant(
      "small",
      conjuncts: [InvariantConjunct("below_ten", reads: [.cap]), InvariantConjunct("below_ten", reads: [.region])],
      "every number is below 10",
      check: { numbers in
        numbers.flatMap { n -> [InvariantViolation] in
          (n >= 10 ? [.init("small", conjunct: "below_ten", "\(n)")] : []) + (n == 0 ? [.init("even", "\(n)")] : [])
        }
      }),
    Invariant("even", reads: [.flags], "zero is reported with small", checkedWith: "small"),
  ]

  @Test("the fold runs each check once, in table order, and skips entries checked with another")
  func fold() {
    let found = InvariantTests.table.violations(of: [12, 0, -1])
    #expect(found.map(\.description) == ["positive: 0", "positive: -1", "small.below_ten: 12", "even: 0"])
    #expect(InvariantTests.table.violations(of: [1, 2]).isEmpty)
  }

  @Test("the catalogue names each conjunct once; the footprint keeps both reads of one")
  func catalogueAndFootprint() {
    #expect(InvariantTests.table.catalogue.map(\.name) == ["positive", "small", "even"])
    #expect(InvariantTests.table.catalogue[1].conjuncts == ["below_ten"])
    #expect(
      InvariantTests.table.footprint == [
        FootprintConjunct("small", conjunct: "below_ten", reads: [.cap]),
        FootprintConjunct("small", conjunct: "below_ten", reads: [.region]),
        FootprintConjunct("even", reads: [.flags]),
      ])
  }

  @Test("a check may report its entry and those checked with it, nothing else")
  func undeclared() {
    #expect(InvariantTests.table.undeclaredViolations(of: [12, 0, -1]).isEmpty)
    let wrong: InvariantTable<[Int]> = [
      Invariant("positive", "every number is above 0", check: { $0.map { .init("postive", "\($0)") } })
    ]
    #expect(wrong.undeclaredViolations(of: [3]).map(\.check) == ["positive"])
    #expect(wrong.undeclaredViolations(of: []).isEmpty)
  }

  @Test("a name twice, or an entry checked with one that has no check, is a problem of the table")
  func problems() {
    #expect(InvariantTests.table.problems.isEmpty)
    let broken: InvariantTable<[Int]> = [
      Invariant("a", "", check: { _ in [] }), Invariant("a", "", check: { _ in [] }),
      Invariant("b", "", checkedWith: "c"),
    ]
    #expect(broken.problems.count == 2, "\(broken.problems)")
  }
}

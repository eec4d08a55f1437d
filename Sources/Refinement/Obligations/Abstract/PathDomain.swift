// The symbolic domain the twin runs on to build obligations: words are SMT's `SymbolicWord`, and a
// branch on a symbolic condition is explored path by path.
//
// The explorer (`explore`) re-runs an operation from the start once per path. Each run replays a
// recorded decision prefix: the n-th symbolic `decide` takes the prefix's n-th side, and every
// `decide` past the prefix takes `true`, so that a run's decisions name one path. The next path is
// the last `true` decision turned `false`, with everything after it dropped: a depth-first walk of
// the decision tree, true sides first, which visits every path exactly once. Each path carries its
// condition, the conjunction of the conditions it took (negated where it went `false`); nothing
// asks a solver which sides are feasible, so an obligation's SMT-LIB2 text and hash depend only on
// the code. An infeasible path is simply one whose condition contradicts the hypotheses inside the
// obligation's one query. Known conditions (constants) are answered at once and fork nothing.
// (docs/abstract-proofs.md, "Branches and paths".)

import Bitwise
public import SMT
public import SymbolicSpec

/// Symbolic words; `decide` follows the decision prefix of the path being explored.
public final class PathDomain: SpecDomain {
  public typealias Word = SymbolicWord
  /// The sides the current run must take, in order of its symbolic decisions.
  private var prefix: [Bool] = []
  /// The sides the current run took, in order.
  public private(set) var decisions: [Bool] = []
  /// The conditions the current run took, each negated where it went `false`.
  public private(set) var conditions: [SymbolicBool] = []

  public init() {}

  public func decide(_ condition: SymbolicBool) -> Bool {
    switch condition {
    case .known(let value): return value
    case .term:
      let side = decisions.count < prefix.count ? prefix[decisions.count] : true
      decisions.append(side)
      conditions.append(side ? condition : .!condition)
      return side
    }
  }

  public func known(_ word: SymbolicWord) -> UInt64? {
    if case .known(let value) = word { return value }
    return nil
  }

  /// The current run's path condition: every condition it took.
  public var pathCondition: SymbolicBool { conditions.reduce(.known(true)) { $0 .&& $1 } }

  /// Start a run that replays `prefix`.
  func begin(_ prefix: [Bool]) {
    self.prefix = prefix
    decisions = []
    conditions = []
  }

  /// One explored path: its condition and what the run returned on it.
  public struct Path<Result> {
    public let condition: SymbolicBool
    public let result: Result
  }

  /// More paths than the bound allows; the obligation is then an error, never a proof.
  public struct TooManyPaths: Error, CustomStringConvertible {
    public let bound: Int
    public var description: String { "more than \(bound) paths" }
  }

  /// Run `body` once per path of its decision tree (depth first, true sides first), at most
  /// `maxPaths` times. `body` must depend on nothing but this domain's answers (it re-runs from the
  /// same inputs each time).
  /// - Throws: `TooManyPaths` when the tree has more than `maxPaths` paths.
  public func explore<Result>(maxPaths: Int, _ body: () -> Result) throws(TooManyPaths) -> [Path<Result>] {
    var paths: [Path<Result>] = []
    var next: [Bool]? = []
    while let prefix = next {
      guard paths.count < maxPaths else { throw TooManyPaths(bound: maxPaths) }
      begin(prefix)
      let result = body()
      paths.append(Path(condition: pathCondition, result: result))
      // The last decision that went `true` goes `false` next; none left: every path is done.
      next = decisions.lastIndex(of: true).map { Array(decisions[..<$0]) + [false] }
    }
    begin([])
    return paths
  }
}

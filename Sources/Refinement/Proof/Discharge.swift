// Discharging obligations with Z3.
//
// For each obligation, in a context of its own:
//   (a) the hypotheses must be satisfiable together, else the obligation is `vacuous`: a proof
//       from contradictory hypotheses proves nothing;
//   (b) hypotheses ∧ ¬goal must be unsatisfiable for `proved`; a model of it is a counterexample,
//       decoded into named fields, and the obligation is `refuted`;
//   (c) a resource limit, a wall-clock limit or Z3's incompleteness gives `unknown`, never proved.
// A Z3 error while building or solving is `error`. Obligations are independent, so they are
// discharged in parallel, one context per thread (a Z3 context is not thread-safe).

internal import Dispatch
internal import Foundation
public import SMT
internal import Synchronization

/// The outcome of one obligation.
public enum ObligationStatus: String, Codable, Sendable, CaseIterable {
  case proved, refuted, unknown, vacuous, error
}

/// One variable's value in a counterexample.
public struct CounterexampleValue: Codable, Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let value: UInt64
  /// The value field by field, when the variable is a packed word: `[("label", 7), ...]`.
  public let fields: [Field]?

  public struct Field: Codable, Hashable, Sendable {
    public let name: String
    public let value: UInt64
  }

  public var description: String {
    let hex = "0x" + String(value, radix: 16)
    guard let fields else { return "\(name) = \(hex)" }
    return "\(name) = \(hex) {" + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "}"
  }
}

/// What discharging one obligation found.
public struct ObligationResult: Codable, Sendable {
  public let name: String
  public let statement: String
  /// SHA-256 of the obligation's SMT-LIB2 file text (see `ProofRecord.smtFile`).
  public let sha256: String
  public let status: ObligationStatus
  /// Solver time; 0 when served from the cache.
  public let seconds: Double
  /// True when the result came from the cache and nothing was solved.
  public let cached: Bool
  /// The falsifying assignment, when refuted.
  public let counterexample: [CounterexampleValue]?
  /// Why it is unknown or an error.
  public let detail: String?
}

/// An obligation built into SMT-LIB2 text, ready to hash, record and solve.
struct BuiltObligation {
  let scope: ProofScope
  let hypotheses: [Term]
  let negatedGoal: Term
  let smtFile: String
}

/// An obligation whose builder gave up (`ProofScope.fail`).
struct BuildFailure: Error, CustomStringConvertible {
  let reason: String
  var description: String { reason }
}

/// Discharges obligations.
public struct Discharger: Sendable {
  public var limits: SolverLimits
  /// Worker threads; at most the number of obligations.
  public var jobs: Int

  /// `jobs` defaults to the number of active processors.
  public init(limits: SolverLimits = SolverLimits(), jobs: Int? = nil) {
    self.limits = limits
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// The SMT-LIB2 file for `obligation`: a header naming it, then hypotheses ∧ ¬goal, which an
  /// independent solver must find `unsat`.
  static func build(_ obligation: Obligation, in context: Context) throws -> BuiltObligation {
    let scope = ProofScope(context: context)
    let goal = obligation.build(scope).term(in: context)
    if let failure = scope.failure { throw BuildFailure(reason: failure) }
    let hypotheses = scope.hypotheses.map { $0.term(in: context) }
    let negated = .!goal
    let body = try context.smtlib2(asserting: hypotheses + [negated], logic: obligation.logic, name: obligation.name)
    // The bound line only when there is one, so that no unbounded obligation's text (hash) changes.
    let boundLine = obligation.bound.map { "; bound: \($0)\n" } ?? ""
    let header = """
      ; obligation: \(obligation.name)
      ; statement: \(obligation.statement)
      \(boundLine); hypotheses and the negated goal: a proof is `unsat`.
      ; expect: unsat

      """
    return BuiltObligation(scope: scope, hypotheses: hypotheses, negatedGoal: negated, smtFile: header + body)
  }

  /// The SMT-LIB2 file text of `obligation` (deterministic), or an error.
  public static func smtFile(of obligation: Obligation) throws -> String {
    try build(obligation, in: Context()).smtFile
  }

  /// The solver for `obligation`: the symbolic twin's (those with a shape, all QF_BV) go to the
  /// bit-blasting pipeline (`Solver.bitBlasting`), which solves them in a third to two thirds of the
  /// time Z3's own QF_BV pipeline takes; every other obligation to Z3's solver for its logic, as
  /// before (with the pipeline, three refill obligations ran out of time: docs/abstract-proofs.md). The SMT-LIB2 text, and so the record, is the same.
  static func solver(for obligation: Obligation, _ context: Context, _ limits: SolverLimits) -> Solver {
    obligation.shape != nil && obligation.logic == "QF_BV"
      ? .bitBlasting(context, limits: limits) : Solver(context, logic: obligation.logic, limits: limits)
  }

  /// Discharge one obligation. `cached(hash)` may return a known status for an unchanged text.
  public func discharge(
    _ obligation: Obligation, cached: (String) -> ObligationStatus? = { _ in nil }
  ) -> ObligationResult {
    let context = Context()
    let built: BuiltObligation
    do {
      built = try Self.build(obligation, in: context)
    } catch {
      return ObligationResult(
        name: obligation.name, statement: obligation.statement, sha256: "", status: .error, seconds: 0,
        cached: false, counterexample: nil, detail: "building the obligation failed: \(error)")
    }
    let hash = sha256Hex(built.smtFile)
    func result(
      _ status: ObligationStatus, seconds: Double, cached: Bool = false,
      counterexample: [CounterexampleValue]? = nil, detail: String? = nil
    ) -> ObligationResult {
      ObligationResult(
        name: obligation.name, statement: obligation.statement, sha256: hash, status: status,
        seconds: seconds, cached: cached, counterexample: counterexample, detail: detail)
    }
    if let known = cached(hash) { return result(known, seconds: 0, cached: true) }

    let clock = ContinuousClock()
    let start = clock.now
    func elapsed() -> Double {
      let d = clock.now - start
      return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
    do {
      // (a) Vacuity: the hypotheses alone must have a model.
      if !built.hypotheses.isEmpty {
        let solver = Self.solver(for: obligation, context, limits)
        for h in built.hypotheses { try solver.add(h) }
        switch try solver.check() {
        case .unsat:
          return result(.vacuous, seconds: elapsed(), detail: "the hypotheses contradict each other")
        case .unknown(let reason):
          return result(.unknown, seconds: elapsed(), detail: "satisfiability of the hypotheses: \(reason)")
        case .sat: break
        }
      }
      // (b) The goal: no model of hypotheses ∧ ¬goal.
      let solver = Self.solver(for: obligation, context, limits)
      for h in built.hypotheses { try solver.add(h) }
      try solver.add(built.negatedGoal)
      switch try solver.check() {
      case .unsat:
        return result(.proved, seconds: elapsed())
      case .sat(let model):
        let values = try built.scope.variables.map { variable in
          let value = try model.uint64(variable.term)
          return CounterexampleValue(
            name: variable.name, value: value,
            fields: variable.layout.map { layout in
              layout.decode(value).map { CounterexampleValue.Field(name: $0.name, value: $0.value) }
            })
        }
        return result(.refuted, seconds: elapsed(), counterexample: values)
      case .unknown(let reason):
        return result(.unknown, seconds: elapsed(), detail: reason)
      }
    } catch {
      return result(.error, seconds: elapsed(), detail: "\(error)")
    }
  }

  /// Discharge all `obligations` on `jobs` threads; results in the input order. Workers take the
  /// obligations longest first by `expectedSeconds` (the record's solver times; an obligation
  /// without one counts as the longest), so that no worker is left alone with a long one at the end.
  public func discharge(
    _ obligations: [Obligation], cached: @escaping @Sendable (String) -> ObligationStatus? = { _ in nil },
    expectedSeconds: [String: Double] = [:], progress: @escaping @Sendable (ObligationResult) -> Void = { _ in }
  ) -> [ObligationResult] {
    let slots = Mutex([ObligationResult?](repeating: nil, count: obligations.count))
    let next = Atomic<Int>(0)
    let workers = min(jobs, max(1, obligations.count))
    // A stable sort: equal expectations keep the catalogue's order.
    let order = obligations.indices.sorted { a, b in
      let (ca, cb) = (
        expectedSeconds[obligations[a].name] ?? .infinity, expectedSeconds[obligations[b].name] ?? .infinity
      )
      return ca != cb ? ca > cb : a < b
    }
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      while true {
        let k = next.add(1, ordering: .relaxed).oldValue
        guard k < order.count else { return }
        let i = order[k]
        let r = discharge(obligations[i], cached: cached)
        slots.withLock { $0[i] = r }
        progress(r)
      }
    }
    return slots.withLock { $0.compactMap { $0 } }
  }
}

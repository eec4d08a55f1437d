// Solvers, results, models and unsat cores.
//
// Each `check` is bounded twice: by Z3's deterministic resource limit (`rlimit`), which makes a
// query's outcome reproducible across machines, and by a wall-clock guard that calls the
// thread-safe `Z3_interrupt` when the deadline passes. Z3's own `timeout` parameter is not used:
// its timer thread pool can deadlock in Z3 before 4.8.14, and this machine has 4.8.12. Either limit
// ends in `unknown`, which is never a proof. The guard waits on a thread of its own. A model can only be read after `sat`; asking for one
// otherwise is an `SMTError`, not Z3's undefined behaviour.

internal import CZ3
internal import Foundation

/// The answer to a satisfiability query.
public enum CheckResult {
  /// Satisfiable, with a model.
  case sat(Model)
  case unsat
  /// Z3 gave up (resource limit, interruption, incompleteness), with its reason.
  case unknown(reason: String)

  public var isSat: Bool { if case .sat = self { true } else { false } }
  public var isUnsat: Bool { if case .unsat = self { true } else { false } }
}

/// Limits for one query.
public struct SolverLimits: Hashable, Sendable {
  /// Z3 resource units (deterministic); nil for no limit.
  public var resourceLimit: UInt32?
  /// Wall-clock guard in seconds; nil for none.
  public var wallClockSeconds: Double?

  public init(resourceLimit: UInt32? = 100_000_000, wallClockSeconds: Double? = 60) {
    self.resourceLimit = resourceLimit
    self.wallClockSeconds = wallClockSeconds
  }
}

/// A Z3 solver.
public final class Solver {
  public let context: Context
  let raw: Z3_solver
  private var trackers: [(name: String, term: Term)] = []

  /// A solver in `context`. If `logic` is given (e.g. "QF_BV") Z3 may use a specialised tactic.
  public init(_ context: Context, logic: String? = nil, limits: SolverLimits = SolverLimits()) {
    self.context = context
    let solver: Z3_solver? =
      if let logic { Z3_mk_solver_for_logic(context.raw, context.symbol(logic)) } else { Z3_mk_solver(context.raw) }
    // Z3 returns a solver for any logic name it does not know (as a general solver).
    raw = solver ?? Z3_mk_solver(context.raw)
    Z3_solver_inc_ref(context.raw, raw)
    var settings: [(String, UInt32)] = [("random_seed", 0)]
    if let rlimit = limits.resourceLimit { settings.append(("rlimit", rlimit)) }
    if let params = context.params(settings) {
      Z3_solver_set_params(context.raw, raw, params)
      Z3_params_dec_ref(context.raw, params)
    }
    context.checkError()
    wallClock = limits.wallClockSeconds
  }

  private let wallClock: Double?

  /// A solver for quantifier-free bit-vector queries that runs a fixed tactic pipeline instead of
  /// Z3's own for QF_BV: simplify (and-elimination, distinct blasted), propagate values, solve
  /// equations, eliminate unconstrained terms, simplify again (sums of monomials, cheap `ite`s
  /// pulled up), share bit-vector terms, bit-blast, SAT. Z3 4.8.12's QF_BV pipeline differs in its
  /// second simplification (with a local context, `local_ctx`) and in `bv-size-reduction` and
  /// `ackermannize_bv`; on the symbolic twin's obligations, measured with the z3 executable on the
  /// recorded files, it spent 1.5 to 4 times the CPU time of this one (docs/abstract-proofs.md,
  /// "Solver time"). The query and its answer are the same (both decide the same formula; a model
  /// is translated back through the tactics' model converters); `rlimit`, the wall-clock guard and
  /// `random_seed` apply as to every solver.
  public static func bitBlasting(_ context: Context, limits: SolverLimits = SolverLimits()) -> Solver {
    Solver(context, tactic: Self.bitBlastingPipeline, limits: limits)
  }

  /// The pipeline of `bitBlasting`: each tactic with its Boolean parameters.
  static let bitBlastingPipeline: [(tactic: String, settings: [(String, Bool)])] = [
    ("simplify", [("elim_and", true), ("blast_distinct", true)]), ("propagate-values", []), ("solve-eqs", []),
    ("elim-uncnstr", []), ("simplify", [("som", true), ("pull_cheap_ite", true)]), ("max-bv-sharing", []),
    ("bit-blast", []), ("sat", []),
  ]

  /// A solver running `tactic`'s tactics in sequence (a tactic name Z3 does not know is an error of
  /// the context, reported by the first `add` or `check`).
  init(_ context: Context, tactic pipeline: [(tactic: String, settings: [(String, Bool)])], limits: SolverLimits) {
    self.context = context
    let c = context.raw
    var tactics: [Z3_tactic] = []
    for step in pipeline {
      guard var tactic = Z3_mk_tactic(c, step.tactic) else { continue }
      Z3_tactic_inc_ref(c, tactic)
      if !step.settings.isEmpty, let params = Z3_mk_params(c) {
        Z3_params_inc_ref(c, params)
        for (key, value) in step.settings { Z3_params_set_bool(c, params, context.symbol(key), value) }
        if let configured = Z3_tactic_using_params(c, tactic, params) {
          Z3_tactic_inc_ref(c, configured)
          Z3_tactic_dec_ref(c, tactic)
          tactic = configured
        }
        Z3_params_dec_ref(c, params)
      }
      tactics.append(tactic)
    }
    var combined: Z3_tactic? = tactics.first
    if let first = combined { Z3_tactic_inc_ref(c, first) }
    for next in tactics.dropFirst() {
      guard let sofar = combined, let both = Z3_tactic_and_then(c, sofar, next) else { break }
      Z3_tactic_inc_ref(c, both)
      Z3_tactic_dec_ref(c, sofar)
      combined = both
    }
    let solver: Z3_solver? = combined.flatMap { Z3_mk_solver_from_tactic(c, $0) }
    raw = solver ?? Z3_mk_solver(c)
    Z3_solver_inc_ref(c, raw)
    if let combined { Z3_tactic_dec_ref(c, combined) }
    for tactic in tactics { Z3_tactic_dec_ref(c, tactic) }
    var settings: [(String, UInt32)] = [("random_seed", 0)]
    if let rlimit = limits.resourceLimit { settings.append(("rlimit", rlimit)) }
    if let params = context.params(settings) {
      Z3_solver_set_params(c, raw, params)
      Z3_params_dec_ref(c, params)
    }
    context.checkError()
    wallClock = limits.wallClockSeconds
  }

  deinit { Z3_solver_dec_ref(context.raw, raw) }

  /// Assert `term`.
  public func add(_ term: Term) throws {
    try context.validate()
    guard term.context === context else {
      throw SMTError(.foreignContext, "asserted a term from another context")
    }
    Z3_solver_assert(context.raw, raw, try term.validAST())
    if let error = context.checkError() { throw error }
  }

  /// Assert `term` under the name `name`, so that it can appear in an unsat core.
  public func add(_ term: Term, named name: String) throws {
    try context.validate()
    let tracker = context.bool("track:" + name.filter { $0 != "|" })
    Z3_solver_assert_and_track(context.raw, raw, try term.validAST(), try tracker.validAST())
    if let error = context.checkError() { throw error }
    trackers.append((name, tracker))
  }

  /// Decide the conjunction of the assertions.
  public func check() throws -> CheckResult {
    try context.validate()
    let guardian = Interrupter(context: context.raw, seconds: wallClock)
    let answer = Z3_solver_check(context.raw, raw)
    guardian.disarm()
    if let error = context.checkError() { throw error }
    switch answer {
    case Z3_L_TRUE:
      let model: Z3_model? = Z3_solver_get_model(context.raw, raw)
      if let error = context.checkError() { throw error }
      guard let model else { throw SMTError(.noModel, "Z3 answered sat without a model") }
      return .sat(Model(context: context, raw: model))
    case Z3_L_FALSE:
      return .unsat
    default:
      let reason = String(cString: Z3_solver_get_reason_unknown(context.raw, raw))
      return .unknown(reason: guardian.fired ? "wall-clock limit (\(reason))" : reason)
    }
  }

  /// The names (given to `add(_:named:)`) of assertions that together are unsatisfiable; valid
  /// after `check` answered `unsat`.
  public func unsatCore() throws -> [String] {
    let vector: Z3_ast_vector? = Z3_solver_get_unsat_core(context.raw, raw)
    if let error = context.checkError() { throw error }
    guard let vector else { return [] }
    Z3_ast_vector_inc_ref(context.raw, vector)
    defer { Z3_ast_vector_dec_ref(context.raw, vector) }
    var names: [String] = []
    for i in 0..<Z3_ast_vector_size(context.raw, vector) {
      let ast = Z3_ast_vector_get(context.raw, vector, i)
      if let match = trackers.first(where: { $0.term.ast == ast }) { names.append(match.name) }
    }
    return names
  }
}

/// Calls `Z3_interrupt` at most once, when the deadline passes, and never after `disarm` returned.
/// It waits on a thread of its own: a Dispatch timer can starve when every worker thread of the
/// global pool is busy (a parallel campaign, parallel proofs), and then the guard never fires.
private final class Interrupter: @unchecked Sendable {
  private let condition = NSCondition()
  private var armed = true
  private var didFire = false
  private let context: Z3_context

  init(context: Z3_context, seconds: Double?) {
    self.context = context
    guard let seconds else { return }
    let deadline = Date(timeIntervalSinceNow: seconds)
    let thread = Thread { [self] in watch(until: deadline) }
    thread.stackSize = 64 << 10
    thread.start()
  }

  private func watch(until deadline: Date) {
    condition.lock()
    defer { condition.unlock() }
    while armed && Date() < deadline { _ = condition.wait(until: deadline) }
    if armed {
      didFire = true
      Z3_interrupt(context)
    }
  }

  func disarm() {
    condition.lock()
    armed = false
    condition.signal()
    condition.unlock()
  }

  var fired: Bool {
    condition.lock()
    defer { condition.unlock() }
    return didFire
  }
}

/// A satisfying assignment.
public final class Model {
  public let context: Context
  let raw: Z3_model

  init(context: Context, raw: Z3_model) {
    self.context = context
    self.raw = raw
    Z3_model_inc_ref(context.raw, raw)
  }

  deinit { Z3_model_dec_ref(context.raw, raw) }

  /// The value of `term` in this model (unassigned variables completed with defaults).
  public func evaluate(_ term: Term) throws -> Term {
    var out: Z3_ast? = nil
    let ok = Z3_model_eval(context.raw, raw, try term.validAST(), true, &out)
    if let error = context.checkError() { throw error }
    guard ok, let out else { throw SMTError(.noModel, "the model cannot evaluate \(term)") }
    return Term(context: context, ast: out)
  }

  /// The value of a bit-vector term of at most 64 bits.
  public func uint64(_ term: Term) throws -> UInt64 {
    let value = try evaluate(term)
    var result: UInt64 = 0
    guard Z3_get_numeral_uint64(context.raw, try value.validAST(), &result) else {
      context.checkError()
      throw SMTError(.notANumeral, "\(term) evaluates to \(value), not a 64-bit numeral")
    }
    return result
  }

  /// The value of a numeral term (integer or bit-vector of any width) as decimal text.
  public func decimal(_ term: Term) throws -> String {
    let value = try evaluate(term)
    let text: String? = Z3_get_numeral_string(context.raw, try value.validAST()).map { String(cString: $0) }
    if context.checkError() != nil || text == nil {
      throw SMTError(.notANumeral, "\(term) evaluates to \(value), not a numeral")
    }
    return text ?? ""
  }

  /// The value of a Boolean term.
  public func bool(_ term: Term) throws -> Bool {
    let value = try evaluate(term)
    switch Z3_get_bool_value(context.raw, try value.validAST()) {
    case Z3_L_TRUE: return true
    case Z3_L_FALSE: return false
    default: throw SMTError(.notANumeral, "\(term) evaluates to \(value), not a Boolean")
    }
  }
}

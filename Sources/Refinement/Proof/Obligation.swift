// Proof obligations: named claims about the code that runs.
//
// An obligation is built by running the kernel's own generic code on symbolic words inside a
// `ProofScope`: the scope hands out named variables, collects hypotheses, and the builder returns
// the goal. Nothing is transcribed by hand, so the obligation changes exactly when the code does,
// and the SHA-256 of its SMT-LIB2 text (see `ProofRecord`) notices.

public import Bitwise
public import SMT

/// Where an obligation's variables and hypotheses are collected while it is built.
public final class ProofScope {
  /// A variable of the obligation, remembered so that a counterexample can be shown.
  public struct Variable {
    public let name: String
    public let term: Term
    /// The packed layout to show the value with, if it is a packed word.
    public let layout: BitLayout?
  }

  public let context: Context
  public private(set) var variables: [Variable] = []
  public private(set) var hypotheses: [SymbolicBool] = []
  /// Why the obligation could not be built (it is then an error, never a proof); nil when it was.
  public private(set) var failure: String?

  public init(context: Context) { self.context = context }

  /// A fresh, unconstrained 64-bit word called `name`, shown field by field with `layout` in
  /// counterexamples.
  public func word(_ name: String, layout: BitLayout? = nil) -> SymbolicWord {
    let term = context.bitVector(name, width: 64)
    variables.append(Variable(name: name, term: term, layout: layout))
    return .term(term)
  }

  /// A fresh word constrained to `0...maximum`.
  public func word(_ name: String, atMost maximum: UInt64, layout: BitLayout? = nil) -> SymbolicWord {
    let w = word(name, layout: layout)
    assume(w .<= .known(maximum))
    return w
  }

  /// Add a hypothesis: the goal need only hold where every hypothesis does.
  public func assume(_ condition: SymbolicBool) { hypotheses.append(condition) }

  /// Give up building: the obligation becomes an `error` with `reason`, whatever goal is returned.
  public func fail(_ reason: String) { failure = failure ?? reason }
}

/// A named claim about kernel code, discharged by Z3.
public struct Obligation: Sendable {
  /// Dotted name, unique, stable: it names the record in `proofs/`.
  public let name: String
  /// One line saying what the obligation covers.
  public let statement: String
  /// The SMT-LIB logic its queries live in.
  public let logic: String
  /// The bound the claim holds within, when it is not every value of its words (the abstract
  /// invariants: "for every state of shape (1 CNode × 4 slots) ..."); shown by the trust report and
  /// written into the SMT-LIB2 header (only when set, so no other obligation's text changes).
  public let bound: String?
  /// The shape an obligation about the symbolic twin quantifies over (nil for every other one): what
  /// `refine-check prove --shape` rebuilds, and what reports name beside the proof.
  public let shape: AbstractShape?
  /// Builds the goal in a scope (adding variables and hypotheses to it).
  public let build: @Sendable (ProofScope) -> SymbolicBool

  public init(
    _ name: String, _ statement: String, logic: String = "QF_BV", bound: String? = nil,
    shape: AbstractShape? = nil, build: @escaping @Sendable (ProofScope) -> SymbolicBool
  ) {
    self.name = name
    self.statement = statement
    self.logic = logic
    self.bound = bound
    self.shape = shape
    self.build = build
  }
}

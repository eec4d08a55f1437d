// Terms: reference-counted Z3 ASTs with Swift operators.
//
// Bit-vector operators follow SMT-LIB: `+ - *` wrap, `/` and `%` are unsigned, `<<` and `>>` are
// `bvshl` and `bvlshr` (0 on overshift); comparisons `.<`, `.<=`, ... are unsigned on bit-vectors
// and arithmetic on integers. Boolean connectives are `.&&`, `.||`, `.!` and `.=>` (Swift's `&&`
// cannot build a term). Misuse (a width mismatch, a Bool where a bit-vector is needed) does not
// crash: Z3 reports it, the context records it, and the result is a poisoned term (see `Context`).

import Bitwise
internal import CZ3

/// One Z3 term. Not `Sendable`: it belongs to its context's thread.
public final class Term: CustomStringConvertible {
  public let context: Context
  let ast: Z3_ast?

  init(context: Context, ast: Z3_ast?) {
    self.context = context
    self.ast = ast
    if let ast { Z3_inc_ref(context.raw, ast) }
  }

  deinit {
    if let ast { Z3_dec_ref(context.raw, ast) }
  }

  /// False if building this term failed; the context holds the error.
  public var isValid: Bool { ast != nil }

  /// The term's sort, or nil for a poisoned term.
  public var sort: Sort? {
    guard let ast else { return nil }
    return context.swiftSort(Z3_get_sort(context.raw, ast))
  }

  /// SMT-LIB2 text of the term (`<invalid>` when poisoned).
  public var description: String {
    guard let ast else { return "<invalid>" }
    return String(cString: Z3_ast_to_string(context.raw, ast))
  }

  /// The raw AST, throwing the context's error when poisoned.
  func validAST() throws -> Z3_ast {
    guard let ast else {
      throw context.firstError ?? SMTError(.z3, "use of a term whose construction failed")
    }
    return ast
  }
}

// MARK: - Constants and numerals

extension Context {
  /// An uninterpreted constant (a free variable) called `name`.
  public func constant(_ name: String, _ sort: Sort) -> Term {
    guard let z3sort = z3Sort(sort) else { return Term(context: self, ast: nil) }
    return term([]) { Z3_mk_const(raw, symbol(name), z3sort) }
  }

  /// A Boolean variable.
  public func bool(_ name: String) -> Term { constant(name, .bool) }
  /// A bit-vector variable of `width` bits.
  public func bitVector(_ name: String, width: UInt32) -> Term { constant(name, .bitVector(width: width)) }
  /// An integer variable.
  public func int(_ name: String) -> Term { constant(name, .int) }

  /// The Boolean `value`.
  public func literal(_ value: Bool) -> Term {
    term([]) { value ? Z3_mk_true(raw) : Z3_mk_false(raw) }
  }

  /// The bit-vector `value` of `width` bits (`value` is taken modulo 2^width).
  public func literal(_ value: UInt64, width: UInt32) -> Term {
    guard let z3sort = z3Sort(.bitVector(width: width)) else { return Term(context: self, ast: nil) }
    return term([]) { Z3_mk_unsigned_int64(raw, value, z3sort) }
  }

  /// The integer `value`.
  public func literal(_ value: Int64) -> Term {
    guard let z3sort = z3Sort(.int) else { return Term(context: self, ast: nil) }
    return term([]) { Z3_mk_int64(raw, value, z3sort) }
  }

  /// A numeral of any sort from its decimal text (for widths beyond 64 bits).
  public func numeral(_ decimal: String, _ sort: Sort) -> Term {
    guard let z3sort = z3Sort(sort) else { return Term(context: self, ast: nil) }
    return term([]) { Z3_mk_numeral(raw, decimal, z3sort) }
  }

  /// The constant array mapping every index of `domain` to `value`.
  public func constantArray(domain: Sort, value: Term) -> Term {
    guard let d = z3Sort(domain) else { return Term(context: self, ast: nil) }
    return term([value]) { Z3_mk_const_array(raw, d, value.ast) }
  }

  /// Conjunction of any number of terms (true when empty).
  public func and(_ terms: [Term]) -> Term {
    if terms.isEmpty { return literal(true) }
    return term(terms) { withASTs(terms) { Z3_mk_and(raw, UInt32($0.count), $0.baseAddress) } }
  }

  /// Disjunction of any number of terms (false when empty).
  public func or(_ terms: [Term]) -> Term {
    if terms.isEmpty { return literal(false) }
    return term(terms) { withASTs(terms) { Z3_mk_or(raw, UInt32($0.count), $0.baseAddress) } }
  }

  /// All terms pairwise different.
  public func distinct(_ terms: [Term]) -> Term {
    term(terms) { withASTs(terms) { Z3_mk_distinct(raw, UInt32($0.count), $0.baseAddress) } }
  }

  /// ∀ bound. body (each bound term must be a constant made by `constant`).
  public func forall(_ bound: [Term], _ body: Term) -> Term { quantifier(true, bound, body) }
  /// ∃ bound. body.
  public func exists(_ bound: [Term], _ body: Term) -> Term { quantifier(false, bound, body) }

  private func quantifier(_ universal: Bool, _ bound: [Term], _ body: Term) -> Term {
    term(bound + [body]) {
      let apps: [Z3_app?] = bound.map { Z3_to_app(raw, $0.ast) }
      if checkError() != nil { return nil }
      return apps.withUnsafeBufferPointer { buffer in
        universal
          ? Z3_mk_forall_const(raw, 0, UInt32(buffer.count), buffer.baseAddress, 0, nil, body.ast)
          : Z3_mk_exists_const(raw, 0, UInt32(buffer.count), buffer.baseAddress, 0, nil, body.ast)
      }
    }
  }

  func withASTs<R>(_ terms: [Term], _ body: (UnsafeBufferPointer<Z3_ast?>) -> R) -> R {
    let asts: [Z3_ast?] = terms.map(\.ast)
    return asts.withUnsafeBufferPointer(body)
  }
}

// MARK: - Operators

extension Term {
  private func unary(_ f: (Z3_context, Z3_ast?) -> Z3_ast?) -> Term {
    context.term([self]) { f(context.raw, ast) }
  }

  private func binary(_ other: Term, _ f: (Z3_context, Z3_ast?, Z3_ast?) -> Z3_ast?) -> Term {
    context.term([self, other]) { f(context.raw, ast, other.ast) }
  }

  /// True when the term is a bit-vector (used to pick bit-vector or integer arithmetic).
  private var isBitVector: Bool {
    if case .bitVector = sort { return true }
    return false
  }

  private func arithmetic(
    _ other: Term, bv: (Z3_context, Z3_ast?, Z3_ast?) -> Z3_ast?,
    int: (Z3_context, UInt32, UnsafePointer<Z3_ast?>?) -> Z3_ast?
  ) -> Term {
    if isBitVector { return binary(other, bv) }
    return context.term([self, other]) {
      context.withASTs([self, other]) { int(context.raw, 2, $0.baseAddress) }
    }
  }

  public static func + (lhs: Term, rhs: Term) -> Term { lhs.arithmetic(rhs, bv: Z3_mk_bvadd, int: Z3_mk_add) }
  public static func - (lhs: Term, rhs: Term) -> Term { lhs.arithmetic(rhs, bv: Z3_mk_bvsub, int: Z3_mk_sub) }
  public static func * (lhs: Term, rhs: Term) -> Term { lhs.arithmetic(rhs, bv: Z3_mk_bvmul, int: Z3_mk_mul) }
  /// Unsigned division on bit-vectors, integer division on integers.
  public static func / (lhs: Term, rhs: Term) -> Term {
    lhs.isBitVector ? lhs.binary(rhs, Z3_mk_bvudiv) : lhs.binary(rhs, Z3_mk_div)
  }
  /// Unsigned remainder on bit-vectors, modulus on integers.
  public static func % (lhs: Term, rhs: Term) -> Term {
    lhs.isBitVector ? lhs.binary(rhs, Z3_mk_bvurem) : lhs.binary(rhs, Z3_mk_mod)
  }
  public static func & (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_bvand) }
  public static func | (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_bvor) }
  public static func ^ (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_bvxor) }
  public static prefix func ~ (operand: Term) -> Term { operand.unary(Z3_mk_bvnot) }
  public static func << (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_bvshl) }
  /// Logical (unsigned) right shift.
  public static func >> (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_bvlshr) }

  public static func .== (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_eq) }
  public static func .!= (lhs: Term, rhs: Term) -> Term { .!(lhs .== rhs) }
  public static func .< (lhs: Term, rhs: Term) -> Term {
    lhs.isBitVector ? lhs.binary(rhs, Z3_mk_bvult) : lhs.binary(rhs, Z3_mk_lt)
  }
  public static func .<= (lhs: Term, rhs: Term) -> Term {
    lhs.isBitVector ? lhs.binary(rhs, Z3_mk_bvule) : lhs.binary(rhs, Z3_mk_le)
  }
  public static func .> (lhs: Term, rhs: Term) -> Term { rhs .< lhs }
  public static func .>= (lhs: Term, rhs: Term) -> Term { rhs .<= lhs }

  public static func .&& (lhs: Term, rhs: Term) -> Term { lhs.context.and([lhs, rhs]) }
  public static func .|| (lhs: Term, rhs: Term) -> Term { lhs.context.or([lhs, rhs]) }
  public static prefix func .! (operand: Term) -> Term { operand.unary(Z3_mk_not) }
  public static func .=> (lhs: Term, rhs: Term) -> Term { lhs.binary(rhs, Z3_mk_implies) }

  /// `condition ? self : otherwise` where `self` is the then-branch: Z3 `ite`.
  public static func ite(_ condition: Term, _ then: Term, _ otherwise: Term) -> Term {
    condition.context.term([condition, then, otherwise]) {
      Z3_mk_ite(condition.context.raw, condition.ast, then.ast, otherwise.ast)
    }
  }

  /// Bits `high...low` (inclusive) of a bit-vector.
  public func extract(high: UInt32, low: UInt32) -> Term {
    context.term([self]) { Z3_mk_extract(context.raw, high, low, ast) }
  }

  /// Zero-extended by `bits` bits.
  public func zeroExtend(by bits: UInt32) -> Term {
    context.term([self]) { Z3_mk_zero_ext(context.raw, bits, ast) }
  }

  /// `self` followed by `low` (self supplies the high bits).
  public func concat(_ low: Term) -> Term { binary(low, Z3_mk_concat) }

  /// True iff `lhs + rhs` does not overflow as unsigned bit-vectors.
  public static func additionDoesNotOverflow(_ lhs: Term, _ rhs: Term) -> Term {
    lhs.context.term([lhs, rhs]) { Z3_mk_bvadd_no_overflow(lhs.context.raw, lhs.ast, rhs.ast, false) }
  }

  /// The value of an array at `index`.
  public subscript(index: Term) -> Term { binary(index, Z3_mk_select) }

  /// The array with `index` mapped to `value`.
  public func storing(_ value: Term, at index: Term) -> Term {
    context.term([self, index, value]) { Z3_mk_store(context.raw, ast, index.ast, value.ast) }
  }

  /// The unsigned integer a bit-vector denotes.
  public var unsignedInt: Term { context.term([self]) { Z3_mk_bv2int(context.raw, ast, false) } }
}

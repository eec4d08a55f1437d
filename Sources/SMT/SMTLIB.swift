// SMT-LIB2 text, so that an independent solver (z3, cvc5) can re-check a query.

internal import CZ3

extension Context {
  /// A complete SMT-LIB2 script asserting every term in `assertions` and ending in `(check-sat)`.
  /// The text is deterministic for terms built in the same order.
  public func smtlib2(asserting assertions: [Term], logic: String = "ALL", name: String = "") throws -> String {
    try validate()
    for term in assertions where term.context !== self {
      throw SMTError(.foreignContext, "exported a term from another context")
    }
    let asts = try assertions.map { Optional(try $0.validAST()) }
    let head = asts.dropLast()
    let formula = try asts.last ?? literal(true).validAST()
    let text: String? = Array(head).withUnsafeBufferPointer { buffer in
      Z3_benchmark_to_smtlib_string(
        raw, name, logic, "unknown", "", UInt32(buffer.count), buffer.baseAddress, formula
      ).map { String(cString: $0) }
    }
    if let error = checkError() { throw error }
    return text ?? ""
  }
}

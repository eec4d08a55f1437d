// A Z3 context, owned by Swift.
//
// The context is created with `Z3_mk_context_rc`, so every AST, solver and model it hands out is
// reference counted explicitly; the Swift wrappers (`Term`, `Solver`, `Model`) raise the count when
// they take an object and lower it in `deinit`, so nothing leaks and nothing is used after Z3 frees
// it. Z3's default error handler exits the process; this context installs a handler that does
// nothing, reads `Z3_get_error_code` after every call, and records the first error. A term built
// from a failed call is *poisoned*: operations on it build nothing, and the first attempt to assert,
// check or print it throws that error as an `SMTError`. A context is not thread-safe, and `Context`
// is deliberately not `Sendable`: use one context per task or thread.

internal import CZ3

/// An error from Z3 or from misuse of this API, as a Swift value.
public struct SMTError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of failure.
  public enum Kind: String, Hashable, Sendable {
    /// Z3 reported an error code (sort mismatch, invalid argument, ...).
    case z3
    /// Two terms from different contexts were combined.
    case foreignContext
    /// A model was requested where none exists (after `unsat` or `unknown`).
    case noModel
    /// A value could not be read back from a model.
    case notANumeral
  }
  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { "SMT error (\(kind.rawValue)): \(message)" }
}

/// The Z3 library's version, e.g. "4.8.12".
public var z3Version: String {
  var major: UInt32 = 0
  var minor: UInt32 = 0
  var build: UInt32 = 0
  var revision: UInt32 = 0
  Z3_get_version(&major, &minor, &build, &revision)
  return "\(major).\(minor).\(build)"
}

/// One Z3 context. Not thread-safe; not `Sendable`.
public final class Context {
  let raw: Z3_context
  /// The first error any call in this context reported, if one did.
  public private(set) var firstError: SMTError?

  public init() {
    let config = Z3_mk_config()
    raw = Z3_mk_context_rc(config)
    Z3_del_config(config)
    // A handler that returns: Z3 then leaves the error code for us to read instead of exiting.
    Z3_set_error_handler(raw) { _, _ in }
  }

  deinit { Z3_del_context(raw) }

  /// Throws the first recorded error, if any.
  public func validate() throws {
    if let firstError { throw firstError }
  }

  /// Record `error` unless an earlier one is already recorded.
  func record(_ error: SMTError) {
    if firstError == nil { firstError = error }
  }

  /// Read Z3's error code after a call; record and return the error if there was one.
  @discardableResult
  func checkError() -> SMTError? {
    let code = Z3_get_error_code(raw)
    guard code != Z3_OK else { return nil }
    let message = String(cString: Z3_get_error_msg(raw, code))
    let error = SMTError(.z3, message)
    record(error)
    return error
  }

  /// Make a term from an AST-returning Z3 call whose operands are `operands`. Returns a poisoned
  /// term if any operand is poisoned or foreign, or if Z3 reports an error.
  func term(_ operands: [Term], _ make: () -> Z3_ast?) -> Term {
    for operand in operands {
      guard operand.context === self else {
        record(SMTError(.foreignContext, "a term from another context was used in this one"))
        return Term(context: self, ast: nil)
      }
      guard operand.ast != nil else { return Term(context: self, ast: nil) }
    }
    let ast = make()
    if checkError() != nil { return Term(context: self, ast: nil) }
    return Term(context: self, ast: ast)
  }

  func symbol(_ name: String) -> Z3_symbol {
    Z3_mk_string_symbol(raw, name)
  }

  /// Z3's parameter object with the given unsigned settings.
  /// The caller owns one reference and must `Z3_params_dec_ref` it.
  func params(_ settings: [(String, UInt32)]) -> Z3_params? {
    let params: Z3_params? = Z3_mk_params(raw)
    guard let params else { return nil }
    Z3_params_inc_ref(raw, params)
    for (key, value) in settings {
      Z3_params_set_uint(raw, params, symbol(key), value)
    }
    return params
  }
}

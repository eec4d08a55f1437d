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
    return Self.canonicalLetNames(text ?? "")
  }

  /// `text` with Z3's `let` names (`?x357`, `$x12`) renumbered in order of first appearance
  /// (`?x0`, `$x1`, ...). Z3 names them after its internal term ids, which follow the order the
  /// terms were made in the context; a release build made some in another order than a debug
  /// build, so the same formula printed with other names and another hash (`prove --check` from
  /// a release build reported four abstract obligations changed). Renamed, the text depends on
  /// the formula alone. Only a name that starts a symbol (after a space, a parenthesis or a line
  /// break) is renamed; each name keeps its `?` or `$`.
  static func canonicalLetNames(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var names: [ArraySlice<UInt8>: Int] = [:]
    var i = 0
    while i < bytes.count {
      let byte = bytes[i]
      let before = i == 0 ? UInt8(ascii: " ") : bytes[i - 1]
      let startsSymbol = before == UInt8(ascii: " ") || before == UInt8(ascii: "(") || before == UInt8(ascii: "\n")
      if startsSymbol, byte == UInt8(ascii: "?") || byte == UInt8(ascii: "$"), i + 2 < bytes.count,
        bytes[i + 1] == UInt8(ascii: "x"), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i + 2])
      {
        var end = i + 2
        while end < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
        let name = bytes[i..<end]
        let number = names[name] ?? names.count
        names[name] = number
        out.append(byte)
        out.append(UInt8(ascii: "x"))
        out.append(contentsOf: String(number).utf8)
        i = end
      } else {
        out.append(byte)
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}

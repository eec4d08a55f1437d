// The scenario parser: one statement a line, one clear error per problem
// (`file:line:column: expected …, found …`). Grammar: docs/scenarios.md.

public import CapDL
import KernelABI

extension ScenarioScript {
  /// Parse a script.
  /// - Parameters:
  ///   - text: the script.
  ///   - file: the name errors and reports use.
  /// - Throws: `ScenarioError` at the first problem.
  public static func parse(_ text: String, file: String = "<scenario>") throws(ScenarioError) -> ScenarioScript {
    var parser = ScriptParser(text, file: file)
    return try parser.script()
  }
}

/// The recursive-descent parser over `Lexer` tokens.
struct ScriptParser {
  var lexer: Lexer
  let file: String
  let sourceLines: [Substring]
  var token: Token = .end
  var position = SourcePosition(line: 1, column: 1)

  init(_ text: String, file: String) {
    // CRLF line ends read as LF, as capDL reads them. (In a Swift string "\r\n" is one
    // Character, equal to neither "\r" nor "\n", so it must be replaced before lexing.)
    let text = text.replacing("\r\n", with: "\n")
    lexer = Lexer(text)
    self.file = file
    sourceLines = text.split(separator: "\n", omittingEmptySubsequences: false)
    advance()
  }

  mutating func advance() { (token, position) = lexer.next() }

  func error(_ expected: String) -> ScenarioError {
    ScenarioError(file: file, position: position, message: "expected \(expected), found \(token.described)")
  }

  func error(at position: SourcePosition, _ message: String) -> ScenarioError {
    ScenarioError(file: file, position: position, message: message)
  }

  // MARK: Token helpers

  var identifier: String? {
    if case .identifier(let s) = token { return s }
    return nil
  }

  func isPunct(_ p: String) -> Bool { token == .punct(p) }

  mutating func expectPunct(_ p: String, _ what: String? = nil) throws(ScenarioError) {
    guard isPunct(p) else { throw error(what ?? "'\(p)'") }
    advance()
  }

  mutating func name(_ what: String) throws(ScenarioError) -> Name {
    guard let s = identifier else { throw error(what) }
    let n = Name(text: s, position: position)
    advance()
    return n
  }

  mutating func keyword(_ k: String) throws(ScenarioError) {
    guard identifier == k else { throw error("'\(k)'") }
    advance()
  }

  mutating func number(_ what: String) throws(ScenarioError) -> UInt64 {
    guard case .number(let n) = token else { throw error(what) }
    advance()
    return n
  }

  mutating func endOfLine() throws(ScenarioError) {
    switch token {
    case .newline: advance()
    case .end: break
    default: throw error("end of line")
    }
  }

  mutating func skipBlankLines() {
    while token == .newline { advance() }
  }

  // MARK: Script and lines

  mutating func script() throws(ScenarioError) -> ScenarioScript {
    skipBlankLines()
    let systemPosition = position
    guard identifier == "system" else { throw error("'system' (the first line names the system)") }
    advance()
    let system: SystemSource
    switch token {
    case .string(let path):
      advance()
      system = .file(path)
    case .identifier("builtin"):
      advance()
      system = .builtin
    case .punct("{"):
      let start = lexer.position
      guard let text = lexer.rawBlock() else {
        throw error(at: systemPosition, "expected '}' closing the inline capDL system, found end of input")
      }
      advance()
      system = .inline(text, start)
    default:
      throw error("a capDL file name in quotes, '{' or 'builtin' after 'system'")
    }
    try endOfLine()
    var lines: [Line] = []
    while true {
      skipBlankLines()
      if token == .end { break }
      let start = position
      let statement = try statementLine()
      try endOfLine()
      let text = start.line - 1 < sourceLines.count ? String(sourceLines[start.line - 1]) : ""
      lines.append(Line(statement: statement, position: start, text: text.trimmingSpaces()))
    }
    return ScenarioScript(file: file, system: system, systemPosition: systemPosition, lines: lines)
  }

  mutating func statementLine() throws(ScenarioError) -> Statement {
    guard let word = identifier else { throw error("a step, 'expect' or 'name'") }
    switch word {
    case "expect":
      advance()
      return .expect(try expectation())
    case "name":
      advance()
      let n = try name("a name to bind")
      try expectPunct("=")
      return .bind(n, try slotExpr())
    case "system":
      throw error(at: position, "the system is given once, on the first line")
    default:
      return try step()
    }
  }

  // MARK: Steps

  mutating func step() throws(ScenarioError) -> Statement {
    var thread: Name?
    let first = try name("a thread name, 'time' or 'irq'")
    if isPunct(":") {
      advance()
      thread = first
      guard identifier != nil else { throw error("an invocation, a system call, 'time' or 'irq'") }
    } else {
      // Only external events may be written without the thread expected to be current.
      guard first.text == "time" || first.text == "irq" else {
        throw ScenarioError(
          file: file, position: position,
          message: "expected ':' after the thread name '\(first)', found \(token.described)")
      }
      return .step(thread: nil, action: try event(first), outcome: try outcome())
    }
    let actionName = try name("an invocation, a system call, 'time' or 'irq'")
    let action: Action
    if actionName.text == "time" || actionName.text == "irq" {
      action = try event(actionName)
    } else if let label = InvocationLabel(libsel4Name: actionName.text) {
      action = try invocation(label)
    } else if let call = syscallNames[actionName.text] {
      action = .syscall(call, try rawSyscall(call))
    } else if actionName.text == "Syscall" {
      try expectPunct("(")
      let negative = isPunct("-")
      if negative { advance() }
      let n = try number("a syscall number")
      guard negative ? n <= UInt64(Int64.max) + 1 : n <= UInt64(Int64.max) else {
        throw error(at: actionName.position, "syscall number out of the range of a signed word")
      }
      action = .syscallNumber(negative ? Int64(truncatingIfNeeded: 0 &- n) : Int64(n))
      try expectPunct(")")
    } else if actionName.text == "UserException" {
      try expectPunct("(")
      let exceptionNumber = try number("an exception number")
      try expectPunct(",")
      let code = try number("an exception code")
      try expectPunct(")")
      action = .userException(number: exceptionNumber, code: code)
    } else {
      throw error(
        at: actionName.position,
        "expected an invocation (e.g. CNode_Copy), a system call (e.g. Send), 'Syscall', 'UserException', 'time' or 'irq', found '\(actionName)'"
      )
    }
    return .step(thread: thread, action: action, outcome: try outcome())
  }

  mutating func event(_ word: Name) throws(ScenarioError) -> Action {
    let n = try number(word.text == "time" ? "a number of ticks" : "an IRQ number")
    return word.text == "time" ? .time(n) : .irq(n)
  }

  mutating func invocation(_ label: InvocationLabel) throws(ScenarioError) -> Action {
    let params = [Parameter("service", .cap)] + label.parameters
    let signature = "\(label.libsel4Name)(" + params.map(\.name).joined(separator: ", ") + ")"
    try expectPunct("(")
    var values: [Value] = []
    for (i, p) in params.enumerated() {
      if i > 0 {
        guard isPunct(",") else {
          throw error("',' and \(p.name) (\(params.count) arguments: \(signature))")
        }
        advance()
      }
      values.append(try argument(p))
    }
    guard isPunct(")") else { throw error("')' (\(params.count) arguments: \(signature))") }
    advance()
    return .invoke(label, values)
  }

  /// One argument, checked against the parameter's kind.
  mutating func argument(_ p: Parameter) throws(ScenarioError) -> Value {
    let start = position
    switch p.kind {
    case .cap:
      switch token {
      case .number(let n):
        advance()
        return .number(Number(magnitude: n, negative: false, position: start))
      case .identifier:
        return try capValue()
      default:
        throw error("\(p.name) (an object name, slot(cnode, index) or a cptr)")
      }
    case .word:
      return .number(Number(magnitude: try number("\(p.name) (a number)"), negative: false, position: start))
    case .rights:
      if case .number(let n) = token {
        advance()
        return .number(Number(magnitude: n, negative: false, position: start))
      }
      guard let s = identifier, rights(letters: s) != nil else {
        throw error("\(p.name) (rights letters from RWGP, 'none', or a number)")
      }
      advance()
      return .name(Name(text: s, position: start))
    case .type:
      if case .number(let n) = token {
        advance()
        return .number(Number(magnitude: n, negative: false, position: start))
      }
      guard let s = identifier, objectTypeNames[s] != nil else {
        throw error("\(p.name) (Untyped, TCB, Endpoint, Notification, CapTable, SchedContext, Reply or a number)")
      }
      advance()
      return .name(Name(text: s, position: start))
    case .words:
      return .list(
        try numberList("\(p.name)").map { .number(Number(magnitude: $0, negative: false, position: start)) }, start)
    }
  }

  /// A capability argument that is a name or `slot(c, i)`.
  mutating func capValue() throws(ScenarioError) -> Value {
    let start = position
    guard let s = identifier else { throw error("an object name or slot(cnode, index)") }
    if s == "slot" {
      return .slot(try slotExpr())
    }
    advance()
    return .name(Name(text: s, position: start))
  }

  mutating func numberList(_ what: String) throws(ScenarioError) -> [UInt64] {
    try expectPunct("[", "'[' starting \(what)")
    var list: [UInt64] = []
    if isPunct("]") {
      advance()
      return list
    }
    while true {
      list.append(try number("a number in \(what)"))
      if isPunct("]") { break }
      try expectPunct(",", "',' or ']' in \(what)")
    }
    advance()
    return list
  }

  /// `Send(cap, label N, [mrs], caps [c, ...], reply c, dest c)`: everything after the cap optional.
  mutating func rawSyscall(_ call: Syscall) throws(ScenarioError) -> RawSyscall {
    var raw = RawSyscall()
    try expectPunct("(")
    if isPunct(")") {
      advance()
      return raw
    }
    var first = true
    var seen: Set<String> = []
    while true {
      let start = position
      var key = "cap"
      if isPunct("[") {
        key = "message registers"
        guard !seen.contains(key) else { throw error(at: start, "message registers given twice") }
        raw.messageRegisters = try numberList("the message registers")
      } else if let word = identifier, ["label", "caps", "reply", "dest", "receivePath"].contains(word), !isCapName() {
        key = word
        guard !seen.contains(key) else { throw error(at: start, "'\(word)' given twice") }
        advance()
        switch word {
        case "label":
          if let l = identifier.flatMap(InvocationLabel.init(libsel4Name:)) {
            advance()
            raw.label = l.rawValue
          } else {
            raw.label = try number("a label (a number or an invocation name)")
          }
        case "caps":
          try expectPunct("[", "'[' starting the extra caps")
          while !isPunct("]") {
            guard raw.extraCaps.count < 3 else { throw error("']' (at most 3 extra caps)") }
            raw.extraCaps.append(try anyCap())
            if isPunct("]") { break }
            try expectPunct(",", "',' or ']' in the extra caps")
          }
          advance()
        case "reply": raw.reply = try anyCap()
        case "receivePath":
          try expectPunct("(", "'(' after 'receivePath'")
          let cnode = try anyCap()
          try expectPunct(",", "',' after the receive path's CNode")
          let index = try number("the receive slot's index")
          try expectPunct(",", "',' after the receive slot's index")
          let depth = try number("the receive slot's depth")
          try expectPunct(")", "')' closing receivePath(...)")
          raw.receivePath = ReceivePath(cnode: cnode, index: index, depth: depth)
        default: raw.dest = try anyCap()
        }
      } else if first {
        raw.cap = try anyCap()
      } else {
        throw error("'label', '[', 'caps', 'reply', 'dest', 'receivePath' or ')'")
      }
      seen.insert(key)
      first = false
      if isPunct(")") { break }
      try expectPunct(",", "',' or ')'")
    }
    advance()
    return raw
  }

  /// True when the identifier here is followed by ',' or ')': an object name (`Call(reply)`),
  /// not a keyword of a raw system call.
  func isCapName() -> Bool {
    var copy = self
    copy.advance()
    return copy.isPunct(",") || copy.isPunct(")")
  }

  mutating func anyCap() throws(ScenarioError) -> Value {
    if case .number(let n) = token {
      let start = position
      advance()
      return .number(Number(magnitude: n, negative: false, position: start))
    }
    guard identifier != nil else { throw error("a capability (an object name, slot(cnode, index) or a cptr)") }
    return try capValue()
  }

  mutating func slotExpr() throws(ScenarioError) -> SlotExpr {
    let start = position
    try keyword("slot")
    try expectPunct("(", "'(' after 'slot'")
    let container = try name("a CNode or TCB name")
    try expectPunct(",", "',' after the container")
    let index = try number("a slot index")
    try expectPunct(")", "')' closing slot(...)")
    return SlotExpr(container: container, index: index, position: start)
  }

  // MARK: Outcomes

  mutating func outcome() throws(ScenarioError) -> Outcome? {
    guard isPunct("->") else { return nil }
    advance()
    guard let word = identifier else { throw error("an outcome (NoError, an error name, fault, notModelled or ok)") }
    switch word {
    case "NoError":
      advance()
      return .noError
    case "ok":
      advance()
      return .ok
    case "notModelled":
      advance()
      if case .string(let s) = token {
        advance()
        return .notModelled(s)
      }
      return .notModelled(nil)
    case "fault":
      advance()
      if identifier == nil { return .fault(nil) }
      return .fault(try threadFault(try term(depth: 0)))
    default:
      guard let code = SeL4Error.allCases.first(where: { $0.shortName == word }) else {
        throw error("an outcome (NoError, an error name such as DeleteFirst, fault, notModelled or ok)")
      }
      let t = try term(depth: 0)
      if case .name = t { return .error(code, nil) }
      return .error(code, try syscallError(t))
    }
  }

  mutating func term(depth: Int) throws(ScenarioError) -> Term {
    guard depth < 8 else { throw error("a shallower term (at most 8 levels)") }
    let start = position
    switch token {
    case .number(let n):
      advance()
      return .number(Number(magnitude: n, negative: false, position: start))
    case .punct("-"):
      advance()
      let n = try number("a number after '-'")
      return .number(Number(magnitude: n, negative: true, position: start))
    case .identifier(let s):
      advance()
      let n = Name(text: s, position: start)
      guard isPunct("(") else { return .name(n) }
      advance()
      var args: [(label: Name?, value: Term)] = []
      if isPunct(")") {
        advance()
        return .call(n, args)
      }
      while true {
        var label: Name?
        if case .identifier(let l) = token {
          let lp = position
          let saved = (lexer, token, position)
          advance()
          if isPunct(":") {
            advance()
            label = Name(text: l, position: lp)
          } else {
            (lexer, token, position) = saved
          }
        }
        args.append((label, try term(depth: depth + 1)))
        if isPunct(")") { break }
        try expectPunct(",", "',' or ')'")
      }
      advance()
      return .call(n, args)
    default:
      throw error("a number or a name")
    }
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
    while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
    return String(s)
  }
}

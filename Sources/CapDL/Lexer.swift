// Lexing capDL text as the capDL tool's Parsec token parser does.
//
// - `--` starts a line comment and `/* */` comments nest; `//` is not a comment. Nesting is
//   tracked with a counter, so any depth costs constant stack.
// - Identifiers are `[A-Za-z][A-Za-z0-9_@.-]*`, so `foo--x` is one identifier.
// - Numbers are decimal, `0x` hexadecimal or `0o` octal; a leading 0 is still decimal (`010` = 10).
// - The two multi-word keywords, `irq maps` and `- child_of`, are single tokens when written with
//   exactly one space, as Parsec's `reserved` matches them literally.
// - Inside `fill: [ {...} ]` the words between braces are raw (any characters but space and `}`).

/// One token of capDL text.
struct Token: Equatable {
  enum Kind: Equatable {
    case identifier(String)
    case number(UInt64)
    /// Punctuation: `{ } ( ) [ ] , ; : = / < > . ..`
    case symbol(String)
    /// A word inside a `fill` brace group.
    case fillWord(String)
    case end
  }

  var kind: Kind
  var position: SourcePosition

  /// How the token reads in an error message.
  var display: String {
    switch kind {
    case .identifier(let s): "'\(s)'"
    case .number(let n): "number \(n)"
    case .symbol(let s): "'\(s)'"
    case .fillWord(let s): "'\(s)'"
    case .end: "end of input"
    }
  }
}

/// Splits capDL text into tokens.
struct Lexer {
  private let scalars: [Unicode.Scalar]
  private let file: String
  private var index = 0
  private var line = 1
  private var column = 1

  init(text: String, file: String) {
    self.scalars = Array(text.unicodeScalars)
    self.file = file
  }

  /// All tokens of the text, ending with `.end`.
  /// - Throws: `CapDLError` for an unknown character, a malformed number or an unclosed comment.
  /// - Complexity: O(n) in the length of the text.
  static func tokenize(_ text: String, file: String) throws(CapDLError) -> [Token] {
    var lexer = Lexer(text: text, file: file)
    var tokens: [Token] = []
    // The fill state machine: `fill` `:` `[` then brace groups of raw words until `]`.
    var fillStage = 0
    while true {
      try lexer.skipTrivia()
      if fillStage == 3, lexer.peek() == "{" {
        tokens.append(lexer.symbolToken("{"))
        tokens.append(contentsOf: try lexer.fillWords())
        continue
      }
      let token = try lexer.next()
      tokens.append(token)
      switch (fillStage, token.kind) {
      case (_, .identifier("fill")): fillStage = 1
      case (1, .symbol(":")): fillStage = 2
      case (2, .symbol("[")): fillStage = 3
      case (3, .symbol(",")): fillStage = 3
      default: fillStage = 0
      }
      if token.kind == .end { return tokens }
    }
  }

  // MARK: Characters

  private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    index + offset < scalars.count ? scalars[index + offset] : nil
  }

  private var position: SourcePosition { SourcePosition(line: line, column: column) }

  private mutating func advance() {
    if scalars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  private func error(_ message: String, at position: SourcePosition) -> CapDLError {
    CapDLError(file: file, position: position, message: message)
  }

  static func isLetter(_ c: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(c) || ("A"..."Z").contains(c)
  }

  static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

  static func isIdentifierLetter(_ c: Unicode.Scalar) -> Bool {
    isLetter(c) || isDigit(c) || c == "_" || c == "@" || c == "." || c == "-"
  }

  private static func isSpace(_ c: Unicode.Scalar) -> Bool {
    c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
  }

  // MARK: Trivia

  /// Skips white space and comments; block comments nest to any depth.
  private mutating func skipTrivia() throws(CapDLError) {
    while let c = peek() {
      if Lexer.isSpace(c) {
        advance()
      } else if c == "-", peek(1) == "-" {
        while let d = peek(), d != "\n" { advance() }
      } else if c == "/", peek(1) == "*" {
        let start = position
        advance()
        advance()
        var depth = 1
        while depth > 0 {
          guard let d = peek() else { throw error("unterminated block comment", at: start) }
          if d == "/", peek(1) == "*" {
            depth += 1
            advance()
            advance()
          } else if d == "*", peek(1) == "/" {
            depth -= 1
            advance()
            advance()
          } else {
            advance()
          }
        }
      } else {
        return
      }
    }
  }

  // MARK: Tokens

  private mutating func symbolToken(_ s: String) -> Token {
    let token = Token(kind: .symbol(s), position: position)
    for _ in s.unicodeScalars { advance() }
    return token
  }

  /// True when the text at `index + offset` reads `word` and no identifier letter follows.
  private func matches(_ word: String, at offset: Int) -> Bool {
    var i = offset
    for c in word.unicodeScalars {
      guard peek(i) == c else { return false }
      i += 1
    }
    if let after = peek(i), Lexer.isIdentifierLetter(after) { return false }
    return true
  }

  private mutating func next() throws(CapDLError) -> Token {
    let start = position
    guard let c = peek() else { return Token(kind: .end, position: start) }
    if Lexer.isLetter(c) {
      var text = ""
      while let d = peek(), Lexer.isIdentifierLetter(d) {
        text.unicodeScalars.append(d)
        advance()
      }
      if text == "irq", matches(" maps", at: 0) {
        for _ in 0..<5 { advance() }
        text = "irq maps"
      }
      return Token(kind: .identifier(text), position: start)
    }
    if Lexer.isDigit(c) { return try number() }
    switch c {
    case "{", "}", "(", ")", "[", "]", ",", ";", ":", "=", "/", "<", ">":
      return symbolToken(String(c))
    case ".":
      return peek(1) == "." ? symbolToken("..") : symbolToken(".")
    case "-":
      if matches(" child_of", at: 1) {
        for _ in 0..<10 { advance() }
        return Token(kind: .identifier("- child_of"), position: start)
      }
      throw error("unexpected '-' (only '- child_of' and '--' comments start with '-')", at: start)
    default:
      let shown = c.isASCII && c.value >= 0x20 ? "'\(c)'" : "character U+\(String(c.value, radix: 16, uppercase: true))"
      throw error("unexpected \(shown)", at: start)
    }
  }

  /// A natural number: `0x` hex, `0o` octal, otherwise decimal (a leading 0 stays decimal).
  private mutating func number() throws(CapDLError) -> Token {
    let start = position
    var radix: UInt64 = 10
    if peek() == "0", let p = peek(1), p == "x" || p == "X" || p == "o" || p == "O" {
      radix = (p == "x" || p == "X") ? 16 : 8
      advance()
      advance()
    }
    var value: UInt64 = 0
    var digits = 0
    while let d = peek(), let v = Lexer.digitValue(d), v < radix {
      let (m, o1) = value.multipliedReportingOverflow(by: radix)
      let (s, o2) = m.addingReportingOverflow(v)
      if o1 || o2 { throw error("number too large for 64 bits", at: start) }
      value = s
      digits += 1
      advance()
    }
    if digits == 0 {
      throw error("expected \(radix == 16 ? "hexadecimal" : "octal") digits after the number prefix", at: start)
    }
    return Token(kind: .number(value), position: start)
  }

  private static func digitValue(_ c: Unicode.Scalar) -> UInt64? {
    switch c {
    case "0"..."9": UInt64(c.value - 48)
    case "a"..."f": UInt64(c.value - 87)
    case "A"..."F": UInt64(c.value - 55)
    default: nil
    }
  }

  /// The raw words of one fill brace group (the `{` is already emitted), then its `}`.
  private mutating func fillWords() throws(CapDLError) -> [Token] {
    var tokens: [Token] = []
    while true {
      while let c = peek(), Lexer.isSpace(c) { advance() }
      guard let c = peek() else { throw error("expected '}' to close a fill entry, found end of input", at: position) }
      if c == "}" {
        tokens.append(symbolToken("}"))
        return tokens
      }
      let start = position
      var word = ""
      while let d = peek(), !Lexer.isSpace(d), d != "}" {
        word.unicodeScalars.append(d)
        advance()
      }
      tokens.append(Token(kind: .fillWord(word), position: start))
    }
  }
}

// Tokens of a scenario script. Lines matter (one statement a line), so the end of a line is a
// token; `--` starts a comment that runs to the end of the line. The parser can also take the raw
// text of a braced block (inline capDL), which the lexer skips without tokenising.

import CapDL

/// One token.
enum Token: Hashable, Sendable {
  case identifier(String)
  case number(UInt64)
  case string(String)
  /// Punctuation: `( ) [ ] { } , : = == != -> - .`
  case punct(String)
  case newline
  case end
  /// A character or literal the lexer cannot read, with why.
  case bad(String)

  /// How an error message names the token.
  var described: String {
    switch self {
    case .identifier(let s): "'\(s)'"
    case .number(let n): "number \(n)"
    case .string(let s): "string \"\(s.map { Lexer.isShownRaw($0) ? String($0) : "<\(Lexer.shown($0))>" }.joined())\""
    case .punct(let p): "'\(p)'"
    case .newline: "end of line"
    case .end: "end of input"
    case .bad(let why): why
    }
  }
}

/// A cursor over the script's characters.
struct Lexer {
  let chars: [Character]
  var index = 0
  var line = 1
  var column = 1

  /// A lexer over `text`; a CRLF line end is one "\r\n" Character in Swift, read here as "\n".
  init(_ text: String) { chars = Array(text).map { $0 == "\r\n" ? "\n" : $0 } }

  var position: SourcePosition { SourcePosition(line: line, column: column) }

  func peekChar(_ offset: Int = 0) -> Character? {
    index + offset < chars.count ? chars[index + offset] : nil
  }

  mutating func advance() {
    guard index < chars.count else { return }
    if chars[index] == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
    index += 1
  }

  /// Skip blanks and comments on this line (not the newline).
  mutating func skipBlanks() {
    while let c = peekChar() {
      if c == " " || c == "\t" || c == "\r" {
        advance()
      } else if c == "-", peekChar(1) == "-" {
        while let d = peekChar(), d != "\n" { advance() }
      } else {
        return
      }
    }
  }

  /// The next token and where it starts.
  mutating func next() -> (Token, SourcePosition) {
    skipBlanks()
    let start = position
    guard let c = peekChar() else { return (.end, start) }
    if c == "\n" {
      advance()
      return (.newline, start)
    }
    if c.isASCII, c.isLetter || c == "_" {
      var s = ""
      while let d = peekChar(), d.isASCII, d.isLetter || d.isNumber || d == "_" {
        s.append(d)
        advance()
      }
      return (.identifier(s), start)
    }
    if c.isASCII, c.isNumber { return (number(), start) }
    if c == "\"" {
      advance()
      var s = ""
      while let d = peekChar(), d != "\"", d != "\n" {
        s.append(d)
        advance()
      }
      guard peekChar() == "\"" else { return (.bad("an unterminated string"), start) }
      advance()
      return (.string(s), start)
    }
    for two in ["==", "!=", "->"] where peekChar() == two.first && peekChar(1) == two.last {
      advance()
      advance()
      return (.punct(two), start)
    }
    if "()[]{},:=-.".contains(c) {
      advance()
      return (.punct(String(c)), start)
    }
    advance()
    return (.bad("character \(Self.shown(c))"), start)
  }

  /// Whether a message may show `c` as it is (no control, format or separator code point).
  static func isShownRaw(_ c: Character) -> Bool {
    c.unicodeScalars.allSatisfy { !$0.properties.generalCategory.isControlOrFormat }
  }

  /// A character as an error message shows it: quoted when printable, else by its code points
  /// (`U+000D`), so that no message carries a raw control character.
  static func shown(_ c: Character) -> String {
    guard isShownRaw(c) else {
      return c.unicodeScalars.map { "U+" + String(String($0.value, radix: 16, uppercase: true).paddingLeft(to: 4)) }
        .joined(separator: " ")
    }
    return "'\(c)'"
  }

  /// A decimal, `0x` hexadecimal or `0b` binary number; `_` separates digits.
  mutating func number() -> Token {
    var radix: UInt64 = 10
    if peekChar() == "0", let p = peekChar(1), p == "x" || p == "X" || p == "b" || p == "B" {
      radix = (p == "x" || p == "X") ? 16 : 2
      advance()
      advance()
    }
    var value: UInt64 = 0
    var digits = 0
    var overflow = false
    while let d = peekChar(), d.isASCII, d.isLetter || d.isNumber || d == "_" {
      advance()
      if d == "_" { continue }
      guard let v = d.hexDigitValue, UInt64(v) < radix else {
        return .bad("a malformed number (digit '\(d)')")
      }
      let (m, o1) = value.multipliedReportingOverflow(by: radix)
      let (s, o2) = m.addingReportingOverflow(UInt64(v))
      overflow = overflow || o1 || o2
      value = s
      digits += 1
    }
    if digits == 0 { return .bad("a number without digits") }
    if overflow { return .bad("a number above 2^64 - 1") }
    return .number(value)
  }

  /// The raw text after an opening `{` up to its matching `}` (consumed), skipping `--` and
  /// nested `/* */` comments as capDL does; nil when the input ends first.
  mutating func rawBlock() -> String? {
    var depth = 1
    var text = ""
    while let c = peekChar() {
      if c == "-", peekChar(1) == "-" {
        while let d = peekChar(), d != "\n" {
          text.append(d)
          advance()
        }
        continue
      }
      if c == "/", peekChar(1) == "*" {
        var nesting = 0
        repeat {
          if peekChar() == "/", peekChar(1) == "*" {
            nesting += 1
            text += "/*"
            advance()
            advance()
          } else if peekChar() == "*", peekChar(1) == "/" {
            nesting -= 1
            text += "*/"
            advance()
            advance()
          } else if let d = peekChar() {
            text.append(d)
            advance()
          } else {
            return nil
          }
        } while nesting > 0
        continue
      }
      if c == "{" { depth += 1 }
      if c == "}" {
        depth -= 1
        if depth == 0 {
          advance()
          return text
        }
      }
      text.append(c)
      advance()
    }
    return nil
  }
}

extension Unicode.GeneralCategory {
  /// Control, format, separator (other than space) and unassigned code points: not shown raw.
  fileprivate var isControlOrFormat: Bool {
    switch self {
    case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: true
    default: false
    }
  }
}

extension String {
  /// The string with zeros in front up to `width` characters.
  fileprivate func paddingLeft(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

// An allowed-flows policy and the check of a graph against it (format in `docs/authority.md`).
//
//     # comment
//     client_* -> adder_* : Call, Send, Receive
//     adder_*  -> client_* : Reply
//     *        -> *        : none
//
// A flow `from --kind--> to` is allowed when some rule's patterns match both thread names and
// the rule lists the kind (or `all`). Everything else is a violation; `none` allows nothing and
// documents that intent.

/// A malformed policy line: `file:line:column: message`.
public struct PolicyError: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int
  public var message: String

  public init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Allowed flows between threads, by name pattern.
public struct AuthorityPolicy: Sendable, Equatable {
  public struct Rule: Sendable, Equatable {
    /// Glob over thread names: `*` any run of characters, `?` one character.
    public var from: String
    public var to: String
    /// The kinds the rule allows (empty: `none`).
    public var kinds: Set<AuthorityKind>
    /// The rule's line in the policy file.
    public var line: Int

    public init(from: String, to: String, kinds: Set<AuthorityKind>, line: Int) {
      self.from = from
      self.to = to
      self.kinds = kinds
      self.line = line
    }
  }

  public var rules: [Rule]

  public init(rules: [Rule]) { self.rules = rules }

  /// Parses policy text.
  /// - Parameters:
  ///   - text: the policy file's contents.
  ///   - file: the name used in error messages.
  /// - Throws: `PolicyError` at the first malformed line.
  public static func parse(_ text: String, file: String = "<policy>") throws(PolicyError) -> AuthorityPolicy {
    var rules: [Rule] = []
    for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var line = Array(rawLine)
      if let hash = line.firstIndex(of: "#") { line = Array(line[..<hash]) }
      if line.last == "\r" { line.removeLast() }
      if line.allSatisfy(\.isWhitespace) { continue }
      rules.append(try parseRule(line, number: n + 1, file: file))
    }
    return AuthorityPolicy(rules: rules)
  }

  private static func parseRule(_ line: [Character], number: Int, file: String) throws(PolicyError) -> Rule {
    func fail(_ column: Int, _ message: String) -> PolicyError {
      PolicyError(file: file, line: number, column: column + 1, message: message)
    }
    guard let arrow = (0..<max(0, line.count - 1)).first(where: { line[$0] == "-" && line[$0 + 1] == ">" }) else {
      throw fail(line.firstIndex { !$0.isWhitespace } ?? 0, "expected 'FROM -> TO : KINDS'")
    }
    guard let colon = line[(arrow + 2)...].firstIndex(of: ":") else {
      throw fail(line.count, "expected ':' and the allowed kinds after the target pattern")
    }
    let from = try pattern(line, 0..<arrow, what: "source", fail: fail)
    let to = try pattern(line, (arrow + 2)..<colon, what: "target", fail: fail)
    var kinds: Set<AuthorityKind> = []
    var sawNone = false
    var start = colon + 1
    while start <= line.count {
      let end = line[start...].firstIndex(of: ",") ?? line.count
      let (word, column) = trimmed(line, start..<end)
      if word.isEmpty { throw fail(column, "expected a kind (\(kindNames)), found nothing") }
      switch word.lowercased() {
      case "none": sawNone = true
      case "all", "*": kinds.formUnion(AuthorityKind.allCases)
      default:
        guard let kind = AuthorityKind.allCases.first(where: { $0.rawValue.lowercased() == word.lowercased() }) else {
          throw fail(column, "unknown kind '\(word)' (expected one of \(kindNames))")
        }
        kinds.insert(kind)
      }
      if sawNone && !kinds.isEmpty { throw fail(column, "'none' cannot be combined with other kinds") }
      start = end + 1
    }
    return Rule(from: from, to: to, kinds: kinds, line: number)
  }

  static let kindNames = (AuthorityKind.allCases.map(\.rawValue) + ["all", "none"]).joined(separator: ", ")

  /// The pattern between two delimiters: one word of name characters and `*`, `?`.
  private static func pattern(
    _ line: [Character], _ range: Range<Int>, what: String, fail: (Int, String) -> PolicyError
  ) throws(PolicyError) -> String {
    let (word, column) = trimmed(line, range)
    if word.isEmpty { throw fail(column, "expected a \(what) thread name or pattern") }
    for (i, c) in word.enumerated() where !(c.isLetter || c.isNumber || "_@.-*?[]".contains(c)) {
      throw fail(column + i, "unexpected '\(c)' in \(what) pattern '\(word)'")
    }
    return word
  }

  /// The text of a range without surrounding blanks, and the column where it starts.
  private static func trimmed(_ line: [Character], _ range: Range<Int>) -> (String, Int) {
    var lo = range.lowerBound
    var hi = min(range.upperBound, line.count)
    while lo < hi, line[lo].isWhitespace { lo += 1 }
    while hi > lo, line[hi - 1].isWhitespace { hi -= 1 }
    return (String(line[lo..<hi]), lo)
  }

  // MARK: Checking

  /// True when some rule allows `from --kind--> to`.
  public func allows(_ from: String, _ kind: AuthorityKind, _ to: String) -> Bool {
    rules.contains { $0.kinds.contains(kind) && glob($0.from, matches: from) && glob($0.to, matches: to) }
  }

  /// Every edge of the graph the policy does not allow, each with its capability path.
  public func violations(in graph: AuthorityGraph) -> [AuthorityEdge] {
    violationIndices(in: graph).map { graph.edges[$0] }
  }

  /// The places in `graph.edges` of the edges the policy does not allow (the JSON report names
  /// violations by these instead of repeating the edges).
  public func violationIndices(in graph: AuthorityGraph) -> [Int] {
    graph.edges.indices.filter { !allows(graph.edges[$0].from, graph.edges[$0].kind, graph.edges[$0].to) }
  }

  /// Rules with a pattern that matches none of the threads (likely a misspelt name).
  public func unmatchedRules(threads: [String]) -> [Rule] {
    rules.filter { r in !threads.contains { glob(r.from, matches: $0) } || !threads.contains { glob(r.to, matches: $0) }
    }
  }
}

/// Glob matching: `*` matches any run of characters (also none), `?` exactly one; all else literally.
public func glob(_ pattern: String, matches name: String) -> Bool {
  let p = Array(pattern)
  let s = Array(name)
  var (i, j) = (0, 0)
  var star: Int?
  var mark = 0
  while j < s.count {
    if i < p.count, p[i] == "?" || p[i] == s[j] {
      i += 1
      j += 1
    } else if i < p.count, p[i] == "*" {
      star = i
      mark = j
      i += 1
    } else if let st = star {
      i = st + 1
      mark += 1
      j = mark
    } else {
      return false
    }
  }
  while i < p.count, p[i] == "*" { i += 1 }
  return i == p.count
}

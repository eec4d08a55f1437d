// `expect` lines and the terms of expected errors and faults.

import CapDL
import KernelABI

extension ScriptParser {
  // MARK: Expectations

  mutating func expectation() throws(ScenarioError) -> Expectation {
    guard let word = identifier else {
      throw error(
        "what to expect (a thread's state, slot(...), current, queue(...), ep(...), ntfn(...), reply(...),"
          + " stack(...), exists, gone, parent or original)")
    }
    // `ep`, `ntfn`, `reply` and `stack` are also names systems give objects: only `word(` is the form.
    if ["ep", "ntfn", "reply", "stack"].contains(word) && nextIsPunct("(") {
      advance()
      advance()
      let object = try name("an object name")
      try expectPunct(")", "')' closing \(word)(...)")
      try expectPunct("==", "'==' after \(word)(...)")
      switch word {
      case "ep": return .endpoint(object, try queuePattern(["idle", "send", "recv"], of: "an endpoint"))
      case "ntfn": return .notification(object, try queuePattern(["idle", "waiting", "active"], of: "a notification"))
      case "reply": return .reply(object, try replyPattern())
      default: return .replyStack(object, try nameList("a reply object name"))
      }
    }
    switch word {
    case "current":
      advance()
      try expectPunct("==", "'==' after 'current'")
      let n = try name("a thread name or 'idle'")
      return .current(n.text == "idle" ? nil : n)
    case "queue":
      advance()
      try expectPunct("(", "'(' after 'queue'")
      let priority = try number("a priority")
      try expectPunct(")", "')' closing queue(...)")
      try expectPunct("==", "'==' after queue(...)")
      return .readyQueue(priority: priority, try nameList("a thread name"))
    case "exists", "gone":
      advance()
      let n = try name("an object name")
      return word == "exists" ? .exists(n) : .gone(n)
    case "parent":
      advance()
      try expectPunct("(", "'(' after 'parent'")
      let child = try slotExpr()
      try expectPunct(")", "')' closing parent(...)")
      try expectPunct("==", "'==' after parent(...)")
      if identifier == "none" {
        advance()
        return .parent(child, nil)
      }
      guard identifier == "slot" else { throw error("slot(cnode, index) or 'none'") }
      return .parent(child, try slotExpr())
    case "original":
      advance()
      try expectPunct("(", "'(' after 'original'")
      let s = try slotExpr()
      try expectPunct(")", "')' closing original(...)")
      try expectPunct("==", "'==' after original(...)")
      guard let b = identifier, b == "true" || b == "false" else { throw error("'true' or 'false'") }
      advance()
      return .original(s, b == "true")
    case "slot":
      let s = try slotExpr()
      try expectPunct("==", "'==' after slot(...)")
      return .slot(s, try capPattern())
    default:
      let thread = try name("a thread name")
      try expectPunct(
        ".",
        "'.state', '.priority', '.mcp', '.badge', '.ntfn' or '.sc' after the thread name (or current, exists, gone,"
          + " parent, original, slot)"
      )
      if let word = identifier, let binding = ThreadBinding(rawValue: word) {
        advance()
        try expectPunct("==", "'==' after '.\(binding.rawValue)'")
        if identifier == "none" {
          advance()
          return .threadBinding(thread, binding, nil)
        }
        let object = try name("an object name or 'none'")
        // `T.sc == S own` / `T.sc == S donated [by C]`: how the thread has the scheduling context.
        if binding == .sc, let how = identifier, how == "own" || how == "donated" {
          advance()
          var by: Name? = nil
          if how == "donated" && identifier == "by" {
            advance()
            by = try name("the caller that donated it")
          }
          return .schedContextUse(thread, sc: object, donated: how == "donated", by: by)
        }
        return .threadBinding(thread, binding, object)
      }
      if let word = identifier, let field = ThreadField(rawValue: word) {
        advance()
        try expectPunct("==", "'==' after '.\(field.rawValue)'")
        return .threadField(thread, field, try number("a \(field.rawValue)"))
      }
      if let word = identifier,
        let register = Register.allCases.first(where: { $0.name.lowercased() == word.lowercased() })
      {
        advance()
        try expectPunct("==", "'==' after '.\(word)'")
        return .threadRegister(thread, register, try number("a register value"))
      }
      try keyword("state")
      try expectPunct("==", "'==' after '.state'")
      guard let s = identifier, let state = ExpectedThreadState(rawValue: s) else {
        throw error(
          "a thread state (Running, Restart, Inactive, BlockedOnNotification, BlockedOnSend, BlockedOnReceive or"
            + " BlockedOnReply)")
      }
      advance()
      return .threadState(thread, state)
    }
  }

  /// Whether the token after the current one is the punctuation `p`.
  func nextIsPunct(_ p: String) -> Bool {
    var ahead = lexer
    return ahead.next().0 == .punct(p)
  }

  /// `[a, b, ...]` (possibly empty).
  mutating func nameList(_ what: String) throws(ScenarioError) -> [Name] {
    try expectPunct("[", "'[' starting a list")
    var names: [Name] = []
    while !isPunct("]") {
      names.append(try name(what))
      if isPunct("]") { break }
      try expectPunct(",", "',' or ']' in the list")
    }
    advance()
    return names
  }

  /// `idle`, `STATE [threads]` or `active WORD`: one of `states`.
  mutating func queuePattern(_ states: [String], of what: String) throws(ScenarioError) -> QueuePattern {
    guard let state = identifier, states.contains(state) else {
      throw error("the state of \(what) (\(states.joined(separator: ", ")))")
    }
    advance()
    switch state {
    case "idle": return QueuePattern(state: state, threads: [])
    case "active": return QueuePattern(state: state, threads: [], word: try number("the notification's word"))
    default:
      let listStart = position
      let threads = try nameList("a thread name")
      guard !threads.isEmpty else {
        throw error(at: listStart, "a \(state) queue is never empty (an empty queue is 'idle')")
      }
      return QueuePattern(state: state, threads: threads)
    }
  }

  /// `none`, `caller T` or `receiver T`, then `stack S` when the object is on S's reply stack.
  mutating func replyPattern() throws(ScenarioError) -> ReplyPattern {
    var pattern = ReplyPattern()
    if identifier == "none" {
      advance()
    } else if let word = identifier, let role = ReplyRole(rawValue: word) {
      advance()
      pattern.role = role
      pattern.thread = try name("a thread name")
    } else {
      throw error("'none', 'caller T' or 'receiver T'")
    }
    if identifier == "stack" {
      advance()
      pattern.stack = try name("a scheduling context name")
    }
    return pattern
  }

  static let kindNames: [String: CapKind] = {
    var d = Dictionary(uniqueKeysWithValues: CapKind.allCases.map { ($0.rawValue, $0) })
    d["tcb"] = .thread
    d["ep"] = .endpoint
    d["ntfn"] = .notification
    d["sc"] = .schedContext
    return d
  }()

  /// `null` or `kind[(object)] {attribute value}`.
  mutating func capPattern() throws(ScenarioError) -> CapPattern {
    guard let word = identifier, let kind = ScriptParser.kindNames[word] else {
      throw error(
        "a capability kind (null, untyped, endpoint, notification, reply, cnode, thread, schedContext, schedControl, irqControl, irqHandler, domain)"
      )
    }
    advance()
    var pattern = CapPattern(kind: kind)
    if kind == .null { return pattern }
    if isPunct("(") {
      advance()
      pattern.object = try anyCap()
      try expectPunct(")", "')' closing the object")
    }
    var seen: Set<String> = []
    while let attribute = identifier {
      let start = position
      guard !seen.contains(attribute) else { throw error(at: start, "'\(attribute)' given twice") }
      seen.insert(attribute)
      advance()
      switch attribute {
      case "rights":
        if case .number(let n) = token {
          advance()
          pattern.rights = CapRights(word: n)
        } else {
          guard let letters = identifier, let r = rights(letters: letters) else {
            throw error("rights letters from RWGP or 'none'")
          }
          advance()
          pattern.rights = r
        }
      case "badge": pattern.badge = try number("a badge")
      case "guard": pattern.guardValue = try number("a guard")
      case "guardSize": pattern.guardSize = try number("a guard size")
      case "radix": pattern.radix = try number("a radix")
      case "free": pattern.freeIndex = try number("a free index (bytes)")
      case "size": pattern.sizeBits = try number("a size in bits")
      case "device":
        guard let b = identifier, b == "true" || b == "false" else { throw error("'true' or 'false'") }
        advance()
        pattern.device = b == "true"
      default:
        throw error(
          at: start,
          "expected an attribute (rights, badge, guard, guardSize, radix, free, size, device), found '\(attribute)'")
      }
    }
    return pattern
  }

  // MARK: Terms → errors and faults

  /// The arguments of `t` as constructor `ctor` with fields `fields` (labels checked when given).
  func fields(_ t: Term, _ fields: [String]) throws(ScenarioError) -> [Term] {
    switch t {
    case .name where fields.isEmpty:
      return []
    case .call(let n, let args):
      guard args.count == fields.count else {
        throw error(
          at: n.position,
          "expected \(fields.count) field(s) in \(n) (\(fields.joined(separator: ", "))), found \(args.count)")
      }
      for (arg, field) in zip(args, fields) {
        if let label = arg.label, label.text != field {
          throw error(at: label.position, "expected field '\(field)' of \(n), found '\(label.text)'")
        }
      }
      return args.map(\.value)
    default:
      throw error(
        at: t.position, "expected \(fields.isEmpty ? "a name" : "fields (\(fields.joined(separator: ", ")))")")
    }
  }

  func word(_ t: Term) throws(ScenarioError) -> UInt64 {
    guard case .number(let n) = t, !n.negative else { throw error(at: t.position, "expected a non-negative number") }
    return n.magnitude
  }

  func bool(_ t: Term) throws(ScenarioError) -> Bool {
    guard case .name(let n) = t, n.text == "true" || n.text == "false" else {
      throw error(at: t.position, "expected 'true' or 'false'")
    }
    return n.text == "true"
  }

  func name(of t: Term) -> Name? {
    switch t {
    case .name(let n), .call(let n, _): n
    case .number: nil
    }
  }

  func syscallError(_ t: Term) throws(ScenarioError) -> SyscallError {
    guard let n = name(of: t) else { throw error(at: t.position, "expected an error name") }
    switch n.text {
    case "InvalidArgument": return .invalidArgument(argument: try word(try fields(t, ["argument"])[0]))
    case "InvalidCapability": return .invalidCapability(index: try word(try fields(t, ["index"])[0]))
    case "IllegalOperation":
      _ = try fields(t, [])
      return .illegalOperation
    case "RangeError":
      let f = try fields(t, ["min", "max"])
      return .rangeError(min: try word(f[0]), max: try word(f[1]))
    case "AlignmentError":
      _ = try fields(t, [])
      return .alignmentError
    case "FailedLookup":
      let f = try fields(t, ["source", "failure"])
      return .failedLookup(source: try bool(f[0]), failure: try lookupFailure(f[1]))
    case "TruncatedMessage":
      _ = try fields(t, [])
      return .truncatedMessage
    case "DeleteFirst":
      _ = try fields(t, [])
      return .deleteFirst
    case "RevokeFirst":
      _ = try fields(t, [])
      return .revokeFirst
    case "NotEnoughMemory": return .notEnoughMemory(freeBytes: try word(try fields(t, ["freeBytes"])[0]))
    default: throw error(at: n.position, "expected an error name, found '\(n.text)'")
    }
  }

  func lookupFailure(_ t: Term) throws(ScenarioError) -> LookupFailure {
    guard let n = name(of: t) else { throw error(at: t.position, "expected a lookup failure") }
    switch n.text {
    case "InvalidRoot":
      _ = try fields(t, [])
      return .invalidRoot
    case "MissingCapability": return .missingCapability(bitsLeft: try word(try fields(t, ["bitsLeft"])[0]))
    case "DepthMismatch":
      let f = try fields(t, ["bitsLeft", "bitsFound"])
      return .depthMismatch(bitsLeft: try word(f[0]), bitsFound: try word(f[1]))
    case "GuardMismatch":
      let f = try fields(t, ["bitsLeft", "guardFound", "bitsFound"])
      return .guardMismatch(bitsLeft: try word(f[0]), guardFound: try word(f[1]), bitsFound: try word(f[2]))
    default:
      throw error(
        at: n.position,
        "expected a lookup failure (InvalidRoot, MissingCapability, DepthMismatch, GuardMismatch), found '\(n.text)'")
    }
  }

  func threadFault(_ t: Term) throws(ScenarioError) -> ThreadFault {
    guard let n = name(of: t) else { throw error(at: t.position, "expected a fault") }
    switch n.text {
    case "CapFault":
      let f = try fields(t, ["address", "inReceivePhase", "failure"])
      return .capFault(address: try word(f[0]), inReceivePhase: try bool(f[1]), failure: try lookupFailure(f[2]))
    case "UnknownSyscall":
      let f = try fields(t, ["number"])
      guard case .number(let num) = f[0], num.magnitude <= (num.negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max))
      else { throw error(at: f[0].position, "expected a syscall number") }
      return .unknownSyscall(
        number: num.negative ? Int64(truncatingIfNeeded: 0 &- num.magnitude) : Int64(num.magnitude))
    case "UserException":
      let f = try fields(t, ["number", "code"])
      return .userException(number: try word(f[0]), code: try word(f[1]))
    case "Timeout":
      let f = try fields(t, ["badge"])
      return .timeout(badge: try word(f[0]))
    default:
      throw error(
        at: n.position, "expected a fault (CapFault, UnknownSyscall, UserException or Timeout), found '\(n.text)'")
    }
  }
}

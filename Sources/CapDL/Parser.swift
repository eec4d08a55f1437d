// A recursive-descent parser for capDL text (the grammar of `capDL-tool/CapDL/Parser.hs` and
// `ParserUtils.hs`), producing the syntax tree of `Syntax.swift`.
//
// Lookahead is bounded except in two places the tool also backtracks: a cap entry's optional
// `name =` prefix and an untyped body member (declaration or reference). Both re-read one name
// reference at most once, so parsing stays linear. Nesting (untyped bodies, CDT subtrees) is
// limited to `maximumNesting` levels so no input can exhaust the stack.

struct Parser {
  private let tokens: [Token]
  private let file: String
  private var index = 0
  private var depth = 0
  static let maximumNesting = 256

  /// The TCB slot keywords usable in place of a slot number (`CapDL/Model.hs` numbering).
  static let tcbSlotKeywords: [String: UInt64] = [
    "cspace": 0, "vspace": 1, "reply_slot": 2, "caller_slot": 3, "ipc_buffer_slot": 4,
    "fault_ep_slot": 5, "sc_slot": 6, "temp_fault_ep_slot": 7, "bound_notification": 8,
    "bound_vcpu": 9,
  ]

  init(tokens: [Token], file: String) {
    self.tokens = tokens
    self.file = file
  }

  /// Parses a whole file.
  static func parse(_ text: String, file: String) throws(CapDLError) -> FileSyntax {
    var parser = Parser(tokens: try Lexer.tokenize(text, file: file), file: file)
    return try parser.parseFile()
  }

  // MARK: Token access

  private var current: Token { tokens[min(index, tokens.count - 1)] }

  private func peek(_ offset: Int) -> Token { tokens[min(index + offset, tokens.count - 1)] }

  private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

  private func error(_ message: String, at position: SourcePosition? = nil) -> CapDLError {
    CapDLError(file: file, position: position ?? current.position, message: message)
  }

  private func expected(_ what: String) -> CapDLError {
    error("expected \(what), found \(current.display)")
  }

  private func isSymbol(_ s: String, _ offset: Int = 0) -> Bool { peek(offset).kind == .symbol(s) }

  private func isKeyword(_ s: String, _ offset: Int = 0) -> Bool { peek(offset).kind == .identifier(s) }

  private mutating func expect(_ s: String, _ context: String) throws(CapDLError) {
    guard isSymbol(s) else { throw expected("'\(s)' \(context)") }
    advance()
  }

  private mutating func expectKeyword(_ s: String, _ context: String) throws(CapDLError) {
    guard isKeyword(s) else { throw expected("'\(s)' \(context)") }
    advance()
  }

  private mutating func identifier(_ what: String) throws(CapDLError) -> String {
    guard case .identifier(let s) = current.kind, s != "irq maps", s != "- child_of" else { throw expected(what) }
    advance()
    return s
  }

  private mutating func number(_ what: String) throws(CapDLError) -> UInt64 {
    guard case .number(let n) = current.kind else { throw expected(what) }
    advance()
    return n
  }

  private mutating func enter() throws(CapDLError) {
    depth += 1
    if depth > Parser.maximumNesting { throw error("nesting deeper than \(Parser.maximumNesting) levels") }
  }

  // MARK: File and sections

  private mutating func parseFile() throws(CapDLError) -> FileSyntax {
    try expectKeyword("arch", "at the start of the file")
    let archPosition = current.position
    let arch = try identifier("an architecture (ia32, arm11, x86_64, aarch64, riscv)")
    guard ["ia32", "arm11", "x86_64", "aarch64", "riscv"].contains(arch) else {
      throw error("unknown architecture '\(arch)'", at: archPosition)
    }
    var declarations: [DeclarationSyntax] = []
    var sections = 0
    while current.kind != .end {
      let start = current.position
      switch current.kind {
      case .identifier("objects"):
        advance()
        try expect("{", "after 'objects'")
        while !isSymbol("}") { declarations.append(.object(try objectDeclaration())) }
        advance()
      case .identifier("caps"):
        advance()
        try expect("{", "after 'caps'")
        while !isSymbol("}") { declarations.append(try capDeclaration()) }
        advance()
      case .identifier("irq maps"):
        advance()
        try expect("{", "after 'irq maps'")
        var maps: [IRQMappingSyntax] = []
        while !isSymbol("}") {
          let position = current.position
          let slot = try optionalSlot()
          let target = try nameRef("an IRQ object name")
          maps.append(IRQMappingSyntax(slot: slot, target: target, position: position))
          if isSymbol(";") { advance() }
        }
        advance()
        declarations.append(.irqMaps(maps, start))
      case .identifier("cdt"):
        advance()
        try expect("{", "after 'cdt'")
        while !isSymbol("}") { declarations.append(.cdt(try cdtDeclaration())) }
        advance()
      case .identifier("domains"):
        advance()
        try expect("{", "after 'domains'")
        var items: [DomainItemSyntax] = []
        while !isSymbol("}") { items.append(try domainItem()) }
        advance()
        declarations.append(.domains(items, start))
      default:
        throw expected(
          sections == 0 ? "a section ('objects', 'caps', 'irq maps', 'cdt' or 'domains')" : "a section or end of input")
      }
      sections += 1
    }
    if sections == 0 { throw expected("a section ('objects', 'caps', 'irq maps', 'cdt' or 'domains')") }
    return FileSyntax(arch: arch, archPosition: archPosition, declarations: declarations)
  }

  // MARK: Names and ranges

  /// `name`, `name[ranges]` or `name[]`.
  private mutating func nameRef(_ what: String) throws(CapDLError) -> NameRefSyntax {
    let position = current.position
    let name = try identifier(what)
    guard isSymbol("[") else { return NameRefSyntax(name: name, ranges: nil, position: position) }
    advance()
    if isSymbol("]") {
      advance()
      return NameRefSyntax(name: name, ranges: [.all], position: position)
    }
    var ranges: [RangeSyntax] = []
    while true {
      if isSymbol("..") {
        advance()
        ranges.append(.to(try number("a number after '..'")))
      } else {
        let a = try number("an index or range")
        if isSymbol("..") {
          advance()
          if case .number(let b) = current.kind {
            advance()
            ranges.append(.fromTo(a, b))
          } else {
            ranges.append(.from(a))
          }
        } else {
          ranges.append(.only(a))
        }
      }
      if isSymbol(",") {
        advance()
        continue
      }
      try expect("]", "to close the index list")
      return NameRefSyntax(name: name, ranges: ranges, position: position)
    }
  }

  /// True when a name reference followed by `=` starts here (no tokens consumed).
  private mutating func nameRefFollowedByEquals() -> Bool {
    let saved = index
    defer { index = saved }
    guard (try? nameRef("")) != nil else { return false }
    return isSymbol("=")
  }

  // MARK: Objects

  private mutating func objectDeclaration() throws(CapDLError) -> ObjectDeclSyntax {
    let position = current.position
    var qualifiedName = [try nameRef("an object name")]
    while isSymbol("/") {
      advance()
      qualifiedName.append(try nameRef("an object name after '/'"))
    }
    try expect("=", "after object name")
    let typePosition = current.position
    let type = try identifier("an object type")
    guard CapDLObjectType(rawValue: type) != nil else { throw error("unknown object type '\(type)'", at: typePosition) }
    var params: [ObjectParamSyntax] = []
    if isSymbol("(") {
      advance()
      if !isSymbol(")") {
        while true {
          params.append(try objectParam())
          if isSymbol(",") {
            advance()
            continue
          }
          break
        }
      }
      try expect(")", "to close the object parameters")
    }
    var body: [UntypedMemberSyntax]?
    if isSymbol("{") {
      advance()
      try enter()
      var members: [UntypedMemberSyntax] = []
      while !isSymbol("}") {
        if nameRefFollowedByEquals() || peekQualifiedDeclaration() {
          members.append(.declaration(try objectDeclaration()))
        } else {
          members.append(.reference(try nameRef("an object name or declaration in the untyped's body")))
        }
        if isSymbol(",") { advance() }
      }
      advance()
      depth -= 1
      body = members
    }
    return ObjectDeclSyntax(
      qualifiedName: qualifiedName, type: type, typePosition: typePosition, params: params, body: body,
      position: position)
  }

  /// True when `a/b...` starts here: a qualified declaration inside a body.
  private mutating func peekQualifiedDeclaration() -> Bool {
    let saved = index
    defer { index = saved }
    guard (try? nameRef("")) != nil else { return false }
    return isSymbol("/")
  }

  private mutating func objectParam() throws(CapDLError) -> ObjectParamSyntax {
    let position = current.position
    if case .number(let n) = current.kind {
      advance()
      switch current.kind {
      case .identifier("bits"):
        advance()
        return ObjectParamSyntax(key: "bits", value: .number(n), position: position)
      case .identifier("k"), .identifier("M"):
        let shift: UInt64 = isKeyword("k") ? 10 : 20
        advance()
        guard n <= UInt64.max >> shift else { throw error("frame size too large", at: position) }
        return ObjectParamSyntax(key: "size", value: .number(n << shift), position: position)
      case .symbol(":"):
        advance()
        let device = try number("a PCI device number after ':'")
        try expect(".", "between PCI device and function")
        let function = try number("a PCI function number")
        return ObjectParamSyntax(key: "pci", value: .pci(n, device, function), position: position)
      default:
        throw expected("'bits', 'k', 'M' or ':' after a number in object parameters")
      }
    }
    let key = try identifier("an object parameter")
    try expect(":", "after parameter '\(key)'")
    let value: ParamSyntaxValue
    switch key {
    case "init":
      try expect("[", "to open the init argument list")
      var list: [UInt64] = []
      if !isSymbol("]") {
        while true {
          list.append(try number("an init argument"))
          if isSymbol(",") {
            advance()
            continue
          }
          break
        }
      }
      try expect("]", "to close the init argument list")
      value = .list(list)
    case "ports":
      try expect("[", "to open the port range")
      let a = try number("the first port")
      try expect("..", "in the port range")
      let b = try number("the last port")
      try expect("]", "to close the port range")
      value = .range(a, b)
    case "resume", "fpu_disabled", "sporadic":
      if isKeyword("True") {
        value = .flag(true)
      } else if isKeyword("False") {
        value = .flag(false)
      } else {
        throw expected("'True' or 'False'")
      }
      advance()
    case "recv_ep", "recv_reply":
      // This package's extension: the object a TCB starts blocked in Recv on, and its reply
      // object (a passive server after its start-up, which capDL cannot say).
      guard case .identifier(let name) = current.kind else { throw expected("an object name") }
      value = .word(name)
      advance()
    case "trigger":
      if isKeyword("level") || isKeyword("edge") {
        value = .word(isKeyword("level") ? "level" : "edge")
        advance()
      } else {
        throw expected("'level' or 'edge'")
      }
    case "fill":
      try expect("[", "to open the fill list")
      var groups: [[String]] = []
      while isSymbol("{") {
        advance()
        var words: [String] = []
        while case .fillWord(let w) = current.kind {
          words.append(w)
          advance()
        }
        if words.isEmpty { throw expected("a fill word") }
        try expect("}", "to close a fill entry")
        groups.append(words)
        if isSymbol(",") { advance() } else { break }
      }
      try expect("]", "to close the fill list")
      value = .fill(groups)
    default:
      value = .number(try number("a number for parameter '\(key)'"))
    }
    return ObjectParamSyntax(key: key, value: value, position: position)
  }

  // MARK: Caps

  private mutating func capDeclaration() throws(CapDLError) -> DeclarationSyntax {
    let position = current.position
    if case .identifier = current.kind, isSymbol("=", 1) {
      let name = try identifier("a cap name")
      advance()
      try expect("(", "to open the slot reference of cap name '\(name)'")
      let container = try nameRef("a container name")
      try expect(",", "between container and slot")
      let slot = try slotNumber()
      try expect(")", "to close the slot reference")
      return .capName(name: name, container: container, slot: slot, position: position)
    }
    let container = try nameRef("a container name or cap name declaration")
    try expect("{", "after container name")
    var mappings: [CapMappingSyntax] = []
    while !isSymbol("}") {
      mappings.append(try capMapping())
      if isSymbol(";") { advance() }
    }
    advance()
    return .caps(container: container, mappings: mappings)
  }

  /// A slot number or TCB slot keyword.
  private mutating func slotNumber() throws(CapDLError) -> UInt64 {
    if case .identifier(let s) = current.kind, let n = Parser.tcbSlotKeywords[s] {
      advance()
      return n
    }
    return try number("a slot number or TCB slot keyword")
  }

  /// `slot:` if present.
  private mutating func optionalSlot() throws(CapDLError) -> UInt64? {
    switch current.kind {
    case .number:
      let n = try number("a slot")
      try expect(":", "after slot number")
      return n
    case .identifier(let s) where Parser.tcbSlotKeywords[s] != nil && isSymbol(":", 1):
      let n = try slotNumber()
      advance()
      return n
    default:
      return nil
    }
  }

  private mutating func capMapping() throws(CapDLError) -> CapMappingSyntax {
    let position = current.position
    let slot = try optionalSlot()
    var name: NameRefSyntax?
    if nameRefFollowedByEquals() {
      name = try nameRef("a slot name")
      advance()
    }
    let source: CapMappingSyntax.Source
    if isSymbol("<") {
      advance()
      source = .copy(try nameRef("a cap name to copy"))
      try expect(">", "to close the cap copy")
    } else {
      source = .target(try nameRef("a cap target"))
    }
    var params: [CapParamSyntax] = []
    if isSymbol("(") {
      advance()
      while true {
        params.append(try capParam())
        if isSymbol(",") {
          advance()
          continue
        }
        break
      }
      try expect(")", "to close the cap parameters")
    }
    var parent: SlotRefSyntax?
    if isKeyword("- child_of") {
      advance()
      parent = try slotRef()
    }
    return CapMappingSyntax(slot: slot, name: name, source: source, params: params, parent: parent, position: position)
  }

  private static func isRights(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy { "RWGXP".unicodeScalars.contains($0) }
  }

  /// Rights letters, possibly split over several tokens (`R W`).
  private mutating func rights() throws(CapDLError) -> String {
    var letters = ""
    while case .identifier(let s) = current.kind, Parser.isRights(s) {
      letters += s
      advance()
    }
    if letters.isEmpty { throw expected("rights letters (R, W, G, X, P)") }
    return letters
  }

  private mutating func capParam() throws(CapDLError) -> CapParamSyntax {
    let position = current.position
    guard case .identifier(let key) = current.kind else { throw expected("a cap parameter") }
    if Parser.isRights(key) { return CapParamSyntax(value: .rights(try rights()), position: position) }
    advance()
    let value: CapParamSyntax.Value
    switch key {
    case "reply": value = .reply
    case "master_reply": value = .masterReply
    case "cached": value = .cached(true)
    case "uncached": value = .cached(false)
    case "masked":
      try expect(":", "after 'masked'")
      value = .masked(try rights())
    case "guard", "guard_size", "badge", "core":
      try expect(":", "after '\(key)'")
      let n = try number("a number for '\(key)'")
      value =
        key == "guard" ? .guardValue(n) : key == "guard_size" ? .guardSize(n) : key == "badge" ? .badge(n) : .core(n)
    case "asid":
      try expect(":", "after 'asid'")
      try expect("(", "to open the ASID pair")
      let high = try number("the high ASID")
      try expect(",", "in the ASID pair")
      let low = try number("the low ASID")
      try expect(")", "to close the ASID pair")
      value = .asid(high, low)
    case "mapping":
      try expect(":", "after 'mapping'")
      try expect("(", "to open the mapping slot reference")
      let container = try nameRef("a container name")
      try expect(",", "in the mapping slot reference")
      let slot = try slotNumber()
      try expect(")", "to close the mapping slot reference")
      value = .mapping(container, slot)
    default:
      throw error("unknown cap parameter '\(key)'", at: position)
    }
    return CapParamSyntax(value: value, position: position)
  }

  private mutating func slotRef() throws(CapDLError) -> SlotRefSyntax {
    let position = current.position
    if isSymbol("(") {
      advance()
      let container = try nameRef("a container name")
      try expect(",", "between container and slot")
      let slot = try slotNumber()
      try expect(")", "to close the slot reference")
      return .explicit(container, slot, position)
    }
    return .named(try nameRef("a slot reference"))
  }

  // MARK: CDT and domains

  private mutating func cdtDeclaration() throws(CapDLError) -> CDTDeclSyntax {
    try enter()
    defer { depth -= 1 }
    let parent = try slotRef()
    try expect("{", "after a CDT parent")
    var children: [CDTChildSyntax] = []
    while !isSymbol("}") {
      let saved = index
      let child = try slotRef()
      if isSymbol("{") {
        index = saved
        children.append(.subtree(try cdtDeclaration()))
      } else {
        children.append(.leaf(child))
      }
      if isSymbol(";") { advance() }
    }
    advance()
    return CDTDeclSyntax(parent: parent, children: children)
  }

  private mutating func domainItem() throws(CapDLError) -> DomainItemSyntax {
    let position = current.position
    switch current.kind {
    case .identifier("domain_set_start"):
      advance()
      try expect(":", "after 'domain_set_start'")
      if isKeyword("no_start") {
        advance()
        return .start(nil, position)
      }
      return .start(try number("a schedule index or 'no_start'"), position)
    case .identifier("index_shift"):
      advance()
      try expect(":", "after 'index_shift'")
      return .indexShift(try number("an index shift"), position)
    case .identifier("schedule"):
      advance()
      try expect(":", "after 'schedule'")
      try expect("[", "to open the schedule")
      var entries: [(domain: UInt64, time: UInt64)] = []
      repeat {
        try expect("(", "to open a schedule entry")
        let d = try number("a domain")
        try expect(",", "in a schedule entry")
        let t = try number("a duration")
        try expect(")", "to close a schedule entry")
        entries.append((d, t))
        if isSymbol(",") { advance() } else { break }
      } while !isSymbol("]")
      try expect("]", "to close the schedule")
      return .schedule(entries, position)
    default:
      throw expected("'schedule', 'domain_set_start' or 'index_shift'")
    }
  }
}

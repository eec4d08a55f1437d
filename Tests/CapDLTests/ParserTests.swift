// Lexing, each grammar construct, and each error with its exact line and column.

import Testing

@testable import CapDL

/// Parses, failing the test with the error if there is one.
func parse(_ text: String) throws -> CapDLModel { try CapDLModel.parse(text, file: "t.cdl") }

/// The error parsing `text` gives, as `line:column: message`.
func failure(_ text: String) -> String? {
  do {
    _ = try CapDLModel.parse(text, file: "t.cdl")
    return nil
  } catch {
    return "\(error.position): \(error.message)"
  }
}

@Suite struct LexerTests {
  func kinds(_ text: String) throws -> [Token.Kind] { try Lexer.tokenize(text, file: "t").map(\.kind) }

  @Test func commentsNestAndSlashSlashIsNotAComment() throws {
    #expect(
      try kinds("a /* x /* y */ z */ b -- c\n d") == [.identifier("a"), .identifier("b"), .identifier("d"), .end])
    #expect(try kinds("a // b") == [.identifier("a"), .symbol("/"), .symbol("/"), .identifier("b"), .end])
  }

  @Test func identifiersTakeDashesDotsAndAts() throws {
    #expect(try kinds("foo--x a.b@c-d") == [.identifier("foo--x"), .identifier("a.b@c-d"), .end])
    #expect(try kinds("foo --x") == [.identifier("foo"), .end])
  }

  @Test func numbers() throws {
    #expect(
      try kinds("010 0o17 0x1F 0X1f 0 4k") == [
        .number(10), .number(15), .number(31), .number(31), .number(0), .number(4), .identifier("k"), .end,
      ])
    #expect(
      try kinds("0..2 10.3") == [.number(0), .symbol(".."), .number(2), .number(10), .symbol("."), .number(3), .end])
  }

  @Test func multiWordKeywordsNeedExactlyOneSpace() throws {
    #expect(try kinds("irq maps - child_of") == [.identifier("irq maps"), .identifier("- child_of"), .end])
    #expect(try kinds("irq  maps") == [.identifier("irq"), .identifier("maps"), .end])
    #expect(try kinds("irq mapsx") == [.identifier("irq"), .identifier("mapsx"), .end])
  }

  @Test func lexicalErrors() {
    #expect(failure("arch arm11 /* open /* nested */") == "1:12: unterminated block comment")
    #expect(failure("arch arm11\n  objects { x = ep } $") == "2:22: unexpected '$'")
    #expect(
      failure("arch arm11 objects { x = cnode (0x bits) }")
        == "1:33: expected hexadecimal digits after the number prefix")
    #expect(
      failure("arch arm11 objects { x = cnode (99999999999999999999 bits) }") == "1:33: number too large for 64 bits")
    #expect(
      failure("arch arm11 - objects") == "1:12: unexpected '-' (only '- child_of' and '--' comments start with '-')")
  }

  @Test func deepCommentNestingNeedsNoStack() {
    let open = String(repeating: "/*", count: 10_000)
    #expect(failure("arch arm11 " + open) == "1:12: unterminated block comment")
    let closed = "arch arm11 " + open + String(repeating: "*/", count: 10_000) + " objects { e = ep }"
    #expect(failure(closed) == nil)
  }
}

@Suite struct GrammarTests {
  @Test func objectsArraysAndParams() throws {
    let m = try parse(
      """
      arch aarch64
      objects {
        e[3] = ep
        t = tcb (addr: 0x1000, ip: 1, sp: 2, prio: 3, max_prio: 4, affinity: 0, resume: False, init: [1, 2], fault_ep: 5)
        f = frame (2M, paddr: 0x200000, fill: [{0 CDL_FrameFill_FileData "a.bin" 0}, {1}])
        s = sc (period: 10, budget: 5, 9 bits)
        d = io_device (domainID: 3, 1:2.3)
        g = arm_irq (trigger: edge, target: 1)
      }
      """)
    #expect(m.arch == .aarch64)
    #expect(m.objects[CapDLObjectID("e", 2)]?.type == .ep)
    #expect(m.objects[CapDLObjectID("e", 3)] == nil)
    #expect(m.objects[CapDLObjectID("t")]?.params["init"] == .list([1, 2]))
    #expect(m.objects[CapDLObjectID("t")]?.params["resume"] == .flag(false))
    #expect(m.objects[CapDLObjectID("t")]?.params["dom"] == .number(0))
    #expect(m.objects[CapDLObjectID("f")]?.params["size"] == .number(2 << 20))
    #expect(
      m.objects[CapDLObjectID("f")]?.params["fill"]
        == .fill([["0", "CDL_FrameFill_FileData", "\"a.bin\"", "0"], ["1"]]))
    #expect(m.objects[CapDLObjectID("s")]?.params["bits"] == .number(9))
    #expect(m.objects[CapDLObjectID("d")]?.params["pci"] == .pci(bus: 1, device: 2, function: 3))
    #expect(m.objects[CapDLObjectID("g")]?.params["trigger"] == .word("edge"))
    #expect(m.declarationOrder.first == CapDLObjectID("e", 0))
    #expect(try parse(m.description) == m)
  }

  @Test func untypedNesting() throws {
    let m = try parse("arch riscv objects { a/b/c = tcb  u = ut (12 bits) { x = ep, y[2] = notification  a } }")
    #expect(m.untypedCovers[CapDLObjectID("a")] == [CapDLObjectID("b")])
    #expect(m.untypedCovers[CapDLObjectID("b")] == [CapDLObjectID("c")])
    // References first, then declarations, as the tool orders covers.
    #expect(
      m.untypedCovers[CapDLObjectID("u")] == [
        CapDLObjectID("a"), CapDLObjectID("x"), CapDLObjectID("y", 0), CapDLObjectID("y", 1),
      ])
    #expect(m.objects[CapDLObjectID("b")] == CapDLObject(type: .ut))
  }

  @Test func ranges() throws {
    let m = try parse(
      """
      arch arm11 objects { c = cnode (8 bits) e[6] = ep }
      caps { c { 0: e[4..2]  10: e[..1]  20: e[4..]  30: e[]  40: e[5, 0..1] } }
      """)
    let slots = m.caps[CapDLObjectID("c")] ?? [:]
    func at(_ s: UInt64) -> UInt64? { slots[s]?.object?.index }
    #expect([0, 1, 2].map(at) == [4, 3, 2])
    #expect([10, 11].map(at) == [0, 1])
    #expect(at(12) == nil)
    #expect([20, 21].map(at) == [4, 5])
    #expect((30...35).map(at) == [0, 1, 2, 3, 4, 5])
    #expect([40, 41, 42].map(at) == [5, 0, 1])
  }

  @Test func capParamsAndDefaults() throws {
    let m = try parse(
      """
      arch ia32 objects { c = cnode (4 bits) e = ep f = frame (4k) p = pd t = tcb }
      caps { c {
        e (R W X P, badge: 0x10)
        c (guard: 2, guard_size: 3)
        f (RWX, asid: (1, 2), uncached, mapping: (p, 3))
        t (reply)
        e
      } }
      """)
    let s = m.caps[CapDLObjectID("c")] ?? [:]
    #expect(s[0]?.rights == [.read, .write, .grant, .grantReply])
    #expect(s[0]?.badge == 16)
    #expect(s[1]?.guardValue == 2 && s[1]?.guardSize == 3)
    #expect(s[2]?.asid == [1, 2] && s[2]?.cached == false && s[2]?.mapping == CapDLSlotRef(CapDLObjectID("p"), 3))
    #expect(s[3]?.replyKind == .reply)
    #expect(s[4]?.rights == [] && s[4]?.badge == 0)
    #expect(try parse(m.description) == m)
  }

  @Test func copiesSlotNamesAndChildOf() throws {
    let m = try parse(
      """
      arch arm11 objects { c = cnode (4 bits) d = cnode (4 bits) e = ep }
      caps {
        named = (c, 1)
        c { 1: e (RW, badge: 1)  2: two = <named> (masked: R) }
        d { 0: <two> - child_of named  1: <named> - child_of (c, 2) }
      }
      """)
    #expect(m.caps[CapDLObjectID("c")]?[2]?.rights == [.read])
    #expect(m.caps[CapDLObjectID("c")]?[2]?.badge == 1)
    #expect(m.caps[CapDLObjectID("d")]?[0]?.rights == [.read])
    #expect(m.caps[CapDLObjectID("d")]?[1]?.rights == [.read, .write])
    #expect(m.cdt[CapDLSlotRef(CapDLObjectID("d"), 0)] == CapDLSlotRef(CapDLObjectID("c"), 1))
    #expect(m.cdt[CapDLSlotRef(CapDLObjectID("d"), 1)] == CapDLSlotRef(CapDLObjectID("c"), 2))
  }

  @Test func tcbSlotKeywordsCdtIrqsAndDomains() throws {
    let m = try parse(
      """
      arch aarch64 objects { t = tcb c = cnode (2 bits) i[4] = irq }
      caps { t { cspace: c  fault_ep_slot: c; bound_notification: c } c { 0: c 1: c } }
      cdt { (c, 0) { (c, 1) } }
      irq maps { 5: i[0..1] i[3] }
      domains { schedule: [(1, 10), (0, 0),] index_shift: 2 domain_set_start: no_start }
      """)
    #expect(m.caps[CapDLObjectID("t")]?.keys.sorted() == [0, 5, 8])
    #expect(m.cdt == [CapDLSlotRef(CapDLObjectID("c"), 1): CapDLSlotRef(CapDLObjectID("c"), 0)])
    #expect(m.irqs == [5: CapDLObjectID("i", 0), 6: CapDLObjectID("i", 1), 7: CapDLObjectID("i", 3)])
    #expect(m.domains?.schedule?.count == 2)
    #expect(m.domains?.start == nil)
    #expect(m.domains?.indexShift == 2)
    #expect(try parse(m.description) == m)
  }

  @Test func sectionsRepeatAndCapsMerge() throws {
    let m = try parse("arch arm11 caps { } objects { c = cnode (2 bits) } caps { c { 0: c } } caps { c { 1: c } }")
    #expect(m.caps[CapDLObjectID("c")]?.count == 2)
  }
}

@Suite struct ErrorTests {
  @Test func syntaxErrors() {
    #expect(failure("objects {}") == "1:1: expected 'arch' at the start of the file, found 'objects'")
    #expect(failure("arch mips objects {}") == "1:6: unknown architecture 'mips'")
    #expect(
      failure("arch arm11")
        == "1:11: expected a section ('objects', 'caps', 'irq maps', 'cdt' or 'domains'), found end of input")
    #expect(failure("arch arm11\nobjects {\n  x { }\n}") == "3:5: expected '=' after object name, found '{'")
    #expect(failure("arch arm11 objects { x = widget }") == "1:26: unknown object type 'widget'")
    #expect(
      failure("arch arm11 objects { x = cnode (4 bytes) }")
        == "1:35: expected 'bits', 'k', 'M' or ':' after a number in object parameters, found 'bytes'")
    #expect(failure("arch arm11 objects { x = ep } caps { x { 0: x (Q) } }") == "1:48: unknown cap parameter 'Q'")
    #expect(
      failure("arch arm11 objects { x = ep } caps { x { 0: x[1.. } }")
        == "1:51: expected ']' to close the index list, found '}'")
    #expect(failure("arch arm11 objects { x = ep") == "1:28: expected an object name, found end of input")
  }

  @Test func semanticErrors() {
    #expect(failure("arch arm11 objects { x = ep }\ncaps { x { 0: y } }") == "2:8: 'x' is a 'ep', which holds no caps")
    #expect(failure("arch arm11 objects { c = cnode (2 bits) }\ncaps { c { 0: y } }") == "2:15: undeclared object 'y'")
    #expect(
      failure("arch arm11 objects { c = cnode (2 bits) }\ncaps { c { 0: c\n 0: c } }")
        == "3:2: slot 0 of 'c' is filled twice")
    #expect(
      failure("arch arm11 objects { c = cnode (2 bits) e[2] = ep }\ncaps { c { 0: e[2] } }")
        == "2:15: index 2 is out of range for 'e', which has 2 elements")
    #expect(
      failure("arch arm11 objects { i = irq j = irq }\nirq maps { 3: i\n 3: j }")
        == "3:2: IRQ 3 is mapped twice ('i' and 'j')")
    #expect(
      failure(
        "arch arm11 objects { c = cnode (2 bits) }\ncaps { c { c c c } }\ncdt { (c, 0) { (c, 2) }\n (c, 1) { (c, 2) } }"
      ) == "4:11: slot 2 of 'c' has two CDT parents ((c, 0) and (c, 1))")
    #expect(
      failure("arch arm11 objects { e = ep (4 bits) }")
        == "1:30: '\'bits\'' is not a parameter of 'ep'".replacingOccurrences(of: "'\'bits\''", with: "'bits'"))
    #expect(
      failure("arch arm11 objects { x = ep\n x = ep }") == "2:2: duplicate declaration of 'x' (first declared at 1:22)")
    #expect(failure("arch arm11 objects { c = cnode }") == "1:26: 'cnode' needs the parameter 'N bits'")
    #expect(
      failure("arch arm11 objects { c = cnode (2 bits) e = ep }\ncaps { c { 0: e (masked: R) } }")
        == "2:18: a cap to a 'ep' does not take 'masked:' (only copies '<name>' are masked)")
    #expect(
      failure("arch arm11 objects { c = cnode (2 bits) }\ncaps { c { <nope> } }")
        == "2:12: a cap list with copies ('<name>') must number every slot")
    #expect(
      failure("arch arm11 objects { c = cnode (2 bits) }\ncaps { c { 0: <nope> } }") == "2:16: unknown cap name 'nope'")
    #expect(
      failure("arch arm11 domains { schedule: [(0, 0)] }") == "1:22: domain_set_start 0 points at the end marker (0, 0)"
    )
    #expect(
      failure("arch arm11 objects { e = ep { f = ep } }")
        == "1:22: only untyped objects ('ut') have a body; 'e' is a 'ep'")
  }
}

// The policy format: parsing, positioned errors, glob matching and the check.

import Authority
import Testing

@Suite struct AuthorityPolicyTests {
  @Test func parsesRulesCommentsAndKinds() throws {
    let p = try AuthorityPolicy.parse(
      """
      # header
      client -> adder : Call, send   # trailing comment

      * -> * : none
      a? -> b* : all
      """)
    #expect(p.rules.count == 3)
    #expect(p.rules[0] == .init(from: "client", to: "adder", kinds: [.call, .send], line: 2))
    #expect(p.rules[1].kinds.isEmpty && p.rules[1].line == 4)
    #expect(p.rules[2].kinds == Set(AuthorityKind.allCases))
  }

  @Test(arguments: [
    ("client adder : Call", 1, 1, "expected 'FROM -> TO : KINDS'"),
    ("client -> adder Call", 1, 21, "expected ':'"),
    ("client -> adder : Cal", 1, 19, "unknown kind 'Cal'"),
    ("ok -> ok : Send\n  -> adder : Call", 2, 3, "expected a source thread"),
    ("a -> b : Send,", 1, 15, "expected a kind"),
    ("a -> b : none, Send", 1, 16, "'none' cannot be combined"),
    ("a -> b c : Send", 1, 7, "unexpected ' '"),
  ])
  func malformedLinesAreReportedWithPosition(_ text: String, _ line: Int, _ column: Int, _ message: String) {
    #expect {
      _ = try AuthorityPolicy.parse(text, file: "p.policy")
    } throws: { error in
      guard let e = error as? PolicyError else { return false }
      return e.line == line && e.column == column && e.message.hasPrefix(message)
        && e.description.hasPrefix("p.policy:\(line):\(column): ")
    }
  }

  @Test func globs() {
    #expect(glob("client_*", matches: "client_client_0_control_tcb"))
    #expect(glob("*_tcb", matches: "adder_tcb") && !glob("*_tcb", matches: "adder_tcb2"))
    #expect(glob("a?c", matches: "abc") && !glob("a?c", matches: "ac"))
    #expect(glob("*", matches: "") && glob("a*b*c", matches: "axxbyyc") && !glob("a*b*c", matches: "axxbyy"))
    #expect(glob("t[1]", matches: "t[1]") && !glob("t[1]", matches: "t1"))
  }

  @Test func checkListsEveryFlowNotAllowed() throws {
    let g = try system(caps: "a_cn { 1: ep1 (WP) }\nb_cn { 1: ep1 (R) }")
    let allowAll = try AuthorityPolicy.parse("a -> b : Send, Call\nb -> a : Receive, Reply")
    #expect(allowAll.violations(in: g).isEmpty)
    let noCall = try AuthorityPolicy.parse("a -> b : Send\nb -> a : Receive, Reply")
    let v = noCall.violations(in: g)
    #expect(v.map(\.kind) == [.call])
    #expect(v.first?.description == "a --Call--> b via a_cn[1] ep(ep1) WP; b holds b_cn[1] ep(ep1) R")
    // The empty policy forbids everything; `none` allows nothing.
    #expect(try AuthorityPolicy.parse("* -> * : none").violations(in: g).count == g.edges.count)
    #expect(try AuthorityPolicy.parse("").violations(in: g).count == 4)
  }

  @Test func unmatchedRulesAreFound() throws {
    let p = try AuthorityPolicy.parse("a -> b : Send\nclinet -> a : Call")
    #expect(p.unmatchedRules(threads: ["a", "b"]).map(\.line) == [2])
  }
}

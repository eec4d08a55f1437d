// The real CAmkES "adder" system (`camkes-adder-arm.cdl` of the corpus, skipped without it): what its caps let
// the client and adder threads do, and the example policies in docs/authority-examples.

import Authority
import CapDL
import Foundation
import TestSupport
import Testing

enum Files {
  /// The package root, found from this file's path.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func adder() throws -> AuthorityGraph {
    let name = "camkes-adder-arm.cdl"
    return AuthorityGraph(model: try CapDLModel.parse(try Corpus.text(name), file: name))
  }

  static func policy(_ name: String) throws -> AuthorityPolicy {
    let url = root.appendingPathComponent("docs/authority-examples/\(name)")
    return try AuthorityPolicy.parse(try String(contentsOf: url, encoding: .utf8), file: name)
  }
}

@Suite(Corpus.enabled) struct CamkesAdderTests {
  static let clients = ["client_client_0_control_tcb", "client_client_0_fault_handler_tcb"]
  static let adders = ["adder_adder_0_control_tcb", "adder_adder_0_fault_handler_tcb", "adder_adder_a_0000_tcb"]

  @Test func threadsAreTheFiveTCBs() throws {
    let g = try Files.adder()
    #expect(Set(g.threads) == Set(Self.clients + Self.adders))
  }

  @Test func clientCallsTheAdderInterface() throws {
    let g = try Files.adder()
    for c in Self.clients {
      for a in Self.adders {
        let call = try #require(g.edges(c, .call, a).first)
        // client_cnode[8]: p_ep (WP, badge: 1); adder_cnode[10]: p_ep (R).
        #expect(call.object == "p_ep")
        #expect(call.path.cap.location == "client_cnode[8]" && call.path.cap.rights == "WP" && call.path.cap.badge == 1)
        #expect(call.peer?.cap.location == "adder_cnode[10]" && call.peer?.cap.rights == "R")
        #expect(call.description.hasPrefix("\(c) --Call--> \(a) via client_cnode[8] ep(p_ep) WP badge 1"))
        #expect(g.has(a, .receive, c) && g.has(a, .reply, c))
      }
    }
  }

  @Test func adderCannotCallSendSignalGrantOrControlTheClient() throws {
    let g = try Files.adder()
    let adderToClient = g.edges.filter { Self.adders.contains($0.from) && Self.clients.contains($0.to) }
    #expect(Set(adderToClient.map(\.kind)) == [.receive, .reply])
    let clientToAdder = g.edges.filter { Self.clients.contains($0.from) && Self.adders.contains($0.to) }
    #expect(Set(clientToAdder.map(\.kind)) == [.send, .call])
    // No cap in the file has Grant (P is GrantReply), so nothing is derived.
    #expect(!g.edges.contains { $0.kind == .grant || $0.isDerived })
  }

  @Test func threadsOfAComponentControlEachOther() throws {
    let g = try Files.adder()
    // adder_cnode[1], [3], [5] and client_cnode[1], [3] are TCB caps.
    for group in [Self.adders, Self.clients] {
      for x in group {
        for y in group where x != y { #expect(g.has(x, .control, y)) }
      }
    }
    let e = try #require(g.edges("client_client_0_control_tcb", .control, "client_client_0_fault_handler_tcb").first)
    #expect(e.path.cap.location == "client_cnode[3]")
  }

  @Test func policyAllowingTheExpectedFlowsPasses() throws {
    let g = try Files.adder()
    let policy = try Files.policy("camkes-adder.policy")
    #expect(policy.violations(in: g).isEmpty)
    #expect(policy.unmatchedRules(threads: g.threads).isEmpty)
    // Exact: every allow rule is needed (dropping any one leaves a violation).
    for i in policy.rules.indices where !policy.rules[i].kinds.isEmpty {
      var fewer = policy
      fewer.rules.remove(at: i)
      #expect(!fewer.violations(in: g).isEmpty, "rule on line \(policy.rules[i].line) is not needed")
    }
  }

  @Test func policyForbiddingCallFailsAndNamesThePath() throws {
    let g = try Files.adder()
    let violations = try Files.policy("camkes-adder-no-call.policy").violations(in: g)
    let calls = violations.filter { $0.kind == .call }
    #expect(calls.count == Self.clients.count * Self.adders.count)
    #expect(calls.allSatisfy { $0.path.cap.location == "client_cnode[8]" && $0.object == "p_ep" })
    #expect(Set(violations.map(\.kind)) == [.call, .reply])
  }

  @Test func reportAndDotDescribeTheGraph() throws {
    let g = try Files.adder()
    let report = AuthorityReport(file: "adder.cdl", graph: g, policy: ("p", try Files.policy("camkes-adder.policy")))
    #expect(report.nodes.count == 5 && report.policy?.passed == true && report.policy?.violations == [])
    let back = try JSONDecoder().decode(AuthorityReport.self, from: Data(report.json.utf8))
    #expect(back == report)
    #expect(back.fullEdges() == g.edges)
    #expect(report.json.contains("\"derived\":false"))
    let dot = g.dot(highlight: g.edges("client_client_0_control_tcb", .call, "adder_adder_a_0000_tcb"))
    #expect(dot.contains("\"client_client_0_control_tcb\" -> \"adder_adder_a_0000_tcb\" [label=\"Call\""))
    #expect(dot.components(separatedBy: "fontcolor=red").count == 2)
  }
}

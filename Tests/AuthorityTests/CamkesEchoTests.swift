// The CAmkES-style checks of CamkesAdderTests on a system written for this package
// (Tests/TestSupport/CapDL/camkes-echo.cdl), so they run without the corpus: two components, an
// RPC endpoint the client Calls through a badged cap, a badged notification the server signals.

import Authority
import CapDL
import Foundation
import TestSupport
import Testing

@Suite struct CamkesEchoTests {
  static let clients = ["client_0_control_tcb", "client_0_fault_handler_tcb"]
  static let servers = ["echo_0_control_tcb", "echo_0_fault_handler_tcb"]

  static func graph() throws -> AuthorityGraph {
    AuthorityGraph(model: try CapDLModel.parse(try Fixtures.capDL("camkes-echo"), file: "camkes-echo.cdl"))
  }

  static func policy(_ name: String) throws -> AuthorityPolicy {
    try AuthorityPolicy.parse(try Fixtures.text(name), file: name)
  }

  @Test func threadsAreTheFourTCBs() throws {
    #expect(try Self.graph().threads == Self.servers + Self.clients)
  }

  @Test func clientCallsTheEchoInterface() throws {
    let g = try Self.graph()
    for c in Self.clients {
      for s in Self.servers {
        let call = try #require(g.edges(c, .call, s).first)
        // client_cnode[6]: rpc_echo_ep (WP, badge: 7); echo_cnode[6]: rpc_echo_ep (R).
        #expect(call.object == "rpc_echo_ep")
        #expect(call.path.cap.location == "client_cnode[6]" && call.path.cap.rights == "WP" && call.path.cap.badge == 7)
        #expect(call.peer?.cap.location == "echo_cnode[6]" && call.peer?.cap.rights == "R")
        #expect(g.has(s, .receive, c) && g.has(s, .reply, c))
      }
    }
  }

  @Test func echoSignalsTheClientThroughTheBadgedNotification() throws {
    let g = try Self.graph()
    for s in Self.servers {
      for c in Self.clients {
        let signal = try #require(g.edges(s, .signal, c).first)
        #expect(signal.object == "done_ntfn")
        #expect(
          signal.path.cap.location == "echo_cnode[7]" && signal.path.cap.rights == "W" && signal.path.cap.badge == 4)
        #expect(signal.peer?.cap.location == "client_cnode[7]")
        #expect(g.has(c, .wait, s))
      }
    }
  }

  @Test func nothingElseCrossesTheBoundary() throws {
    let g = try Self.graph()
    let serverToClient = g.edges.filter { Self.servers.contains($0.from) && Self.clients.contains($0.to) }
    #expect(Set(serverToClient.map(\.kind)) == [.receive, .reply, .signal])
    let clientToServer = g.edges.filter { Self.clients.contains($0.from) && Self.servers.contains($0.to) }
    #expect(Set(clientToServer.map(\.kind)) == [.send, .call, .wait])
    // No cap has Grant, so no edge is derived and nobody controls the other component.
    #expect(!g.edges.contains { $0.kind == .grant || $0.isDerived })
  }

  @Test func threadsOfAComponentControlEachOther() throws {
    let g = try Self.graph()
    for group in [Self.servers, Self.clients] {
      for x in group {
        for y in group where x != y { #expect(g.has(x, .control, y)) }
      }
    }
    let e = try #require(g.edges("echo_0_control_tcb", .control, "echo_0_fault_handler_tcb").first)
    #expect(e.path.cap.location == "echo_cnode[3]")
  }

  @Test func policyAllowingTheExpectedFlowsPasses() throws {
    let g = try Self.graph()
    let policy = try Self.policy("camkes-echo.policy")
    #expect(policy.violations(in: g).isEmpty)
    #expect(policy.unmatchedRules(threads: g.threads).isEmpty)
    // Exact: every allow rule is needed (dropping any one leaves a violation).
    let allows = policy.rules.indices.filter { !policy.rules[$0].kinds.isEmpty }
    #expect(allows.count == 4)
    for i in allows {
      var fewer = policy
      fewer.rules.remove(at: i)
      #expect(!fewer.violations(in: g).isEmpty, "rule on line \(policy.rules[i].line) is not needed")
    }
  }

  @Test func oneWayPolicyFailsAndNamesThePaths() throws {
    let g = try Self.graph()
    let violations = try Self.policy("camkes-echo-one-way.policy").violations(in: g)
    #expect(Set(violations.map(\.kind)) == [.call, .reply, .signal, .wait])
    let calls = violations.filter { $0.kind == .call }
    #expect(calls.count == Self.clients.count * Self.servers.count)
    #expect(calls.allSatisfy { $0.path.cap.location == "client_cnode[6]" && $0.object == "rpc_echo_ep" })
    #expect(violations.filter { $0.kind == .signal }.allSatisfy { $0.path.cap.location == "echo_cnode[7]" })
  }
}

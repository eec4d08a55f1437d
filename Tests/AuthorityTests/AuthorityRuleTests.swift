// Each authority rule on a small hand-written capDL system: the edge the rule creates, and the
// edge it must not create.

import Authority
import CapDL
import Testing

/// Parses a system of threads `a`, `b`, `c`, `d` (those in `roots` with their own 4-bit CSpace
/// `a_cn`, ...) plus the given extra objects and caps.
func system(objects: String = "", caps: String, roots: [String] = ["a", "b", "c", "d"]) throws -> AuthorityGraph {
  let text = """
    arch aarch64
    objects {
      a = tcb
      b = tcb
      c = tcb
      d = tcb
      a_cn = cnode (4 bits)
      b_cn = cnode (4 bits)
      c_cn = cnode (4 bits)
      d_cn = cnode (4 bits)
      ep1 = ep
      ep2 = ep
      ep3 = ep
      n1 = notification
    \(objects)
    }
    caps {
    \(roots.map { "  \($0) { cspace: \($0)_cn }" }.joined(separator: "\n"))
    \(caps)
    }
    """
  return AuthorityGraph(model: try CapDLModel.parse(text, file: "test.cdl"))
}

/// The (from, kind, to) triples of a graph, as `a Send b` strings.
func triples(_ g: AuthorityGraph) -> Set<String> {
  Set(g.edges.map { "\($0.from) \($0.kind.rawValue) \($0.to)" })
}

@Suite struct AuthorityRuleTests {
  @Test func writeSendsAndReadReceives() throws {
    let g = try system(caps: "a_cn { 1: ep1 (W) }\nb_cn { 2: ep1 (R) }")
    #expect(g.threads == ["a", "b", "c", "d"])
    #expect(triples(g) == ["a Send b", "b Receive a"])
    let e = try #require(g.edges("a", .send, "b").first)
    #expect(e.object == "ep1")
    #expect(e.path.cap.location == "a_cn[1]" && e.path.cap.rights == "W")
    #expect(e.peer?.cap.location == "b_cn[2]")
    #expect(e.description == "a --Send--> b via a_cn[1] ep(ep1) W; b holds b_cn[2] ep(ep1) R")
    #expect(!e.isDerived)
  }

  @Test func callNeedsWriteWithGrantOrGrantReply() throws {
    // Write alone: Send but no Call.
    let w = try system(caps: "a_cn { 1: ep1 (W) }\nb_cn { 1: ep1 (R) }")
    #expect(!w.has("a", .call, "b") && !w.has("b", .reply, "a"))
    // Write + GrantReply: Call, and the receiver can Reply; no cap transfer.
    let wp = try system(caps: "a_cn { 1: ep1 (WP) }\nb_cn { 1: ep1 (R) }")
    #expect(triples(wp) == ["a Send b", "a Call b", "b Receive a", "b Reply a"])
    // Write + Grant: Call and Grant.
    let wg = try system(caps: "a_cn { 1: ep1 (WG) }\nb_cn { 1: ep1 (R) }")
    #expect(wg.has("a", .call, "b") && wg.has("a", .grant, "b") && wg.has("b", .reply, "a"))
    // GrantReply without Write: nothing at all.
    let rp = try system(caps: "a_cn { 1: ep1 (GP) }\nb_cn { 1: ep1 (R) }")
    #expect(rp.edges.isEmpty)
  }

  @Test func notificationSignalWaitAndBinding() throws {
    let g = try system(
      caps: """
        a_cn { 1: n1 (W) }
        b_cn { 1: n1 (R) }
        c { bound_notification: n1 (R) }
        d { bound_notification: n1 }
        """)
    #expect(g.has("a", .signal, "b") && g.has("b", .wait, "a"))
    let bound = try #require(g.edges("a", .signal, "c").first)
    #expect(bound.peer?.cap.location == "c.bound_notification")
    // Binding needs Read on the cap (BindNotification checks it).
    #expect(!g.has("a", .signal, "d"))
    // Notifications carry no Call, Send or Grant.
    #expect(triples(g) == ["a Signal b", "b Wait a", "a Signal c", "c Wait a"])
  }

  @Test func grantHandsOnEveryCapTransitively() throws {
    // a grants to b over ep1; b grants to d over ep3; a alone can send to c over ep2.
    let g = try system(
      caps: """
        a_cn { 1: ep1 (WG) 2: ep2 (W) }
        b_cn { 1: ep1 (R) 3: ep3 (WG) }
        c_cn { 1: ep2 (R) }
        d_cn { 1: ep3 (R) }
        """)
    #expect(g.has("a", .send, "c"))
    let bc = try #require(g.edges("b", .send, "c").first)
    #expect(bc.isDerived)
    #expect(bc.path.origin == "a" && bc.path.cap.location == "a_cn[2]")
    #expect(bc.path.gains.map(\.kind) == [.grant] && bc.path.gains[0].from == "a" && bc.path.gains[0].to == "b")
    #expect(bc.path.gains[0].via.last?.location == "a_cn[1]")
    #expect(
      bc.description
        == "b --Send--> c via a_cn[2] ep(ep2) W (held by a; b is granted caps by a via a_cn[1] ep(ep1) WG); c holds c_cn[1] ep(ep2) R [derived]"
    )
    // Two grants: a's ep2 cap reaches d through b.
    let dc = try #require(g.edges("d", .send, "c").first)
    #expect(dc.path.gains.map { "\($0.from)>\($0.to)" } == ["a>b", "b>d"])
    #expect(dc.description.contains("[derived]"))
    // Grant does not flow backwards: c and d gain nothing they could use towards a.
    #expect(!g.has("c", .send, "a") && !g.has("d", .send, "a") && !g.has("c", .grant, "a"))
  }

  @Test func receiverGrantFlowsBackThroughTheReply() throws {
    // b receives with Grant; a can Call (WP): b's reply can carry b's caps to a.
    let g = try system(
      caps: """
        a_cn { 1: ep1 (WP) }
        b_cn { 1: ep1 (RG) 2: ep2 (W) }
        c_cn { 1: ep2 (R) }
        """)
    #expect(g.has("b", .grant, "a") && !g.has("a", .grant, "b"))
    let ac = try #require(g.edges("a", .send, "c").first)
    #expect(ac.isDerived && ac.path.origin == "b")
    // Without a way to Call (Write only), the receiver's Grant transfers nothing.
    let h = try system(caps: "a_cn { 1: ep1 (W) }\nb_cn { 1: ep1 (RG) 2: ep2 (W) }\nc_cn { 1: ep2 (R) }")
    #expect(!h.has("b", .grant, "a") && !h.has("a", .send, "c"))
  }

  @Test func tcbCapControlsTheThreadAndAllItsAuthority() throws {
    let g = try system(
      caps: """
        a_cn { 1: b }
        b_cn { 1: ep1 (W) }
        c_cn { 1: ep1 (R) }
        """)
    let e = try #require(g.edges("a", .control, "b").first)
    #expect(e.path.cap.targetType == "tcb" && e.peer == nil)
    #expect(!g.has("b", .control, "a"))
    let ac = try #require(g.edges("a", .send, "c").first)
    #expect(ac.isDerived && ac.path.gains.first?.kind == .control)
    // Control is transitive: d controls a, so it controls b through a's TCB cap.
    let chain = try system(caps: "d_cn { 1: a }\na_cn { 1: b }")
    #expect(chain.has("d", .control, "b"))
    #expect(chain.edges("d", .control, "b").first?.path.gains.map(\.kind) == [.control])
  }

  @Test func cnodeCapIntoAnotherCSpaceGivesItsCaps() throws {
    let g = try system(
      caps: """
        a_cn { 1: b_cn }
        b_cn { 3: ep1 (W) }
        c_cn { 1: ep1 (R) }
        """)
    let control = try #require(g.edges("a", .control, "b").first)
    #expect(control.object == "b_cn" && control.path.cap.location == "a_cn[1]")
    // The caps are reachable through the CNode cap: a holds them directly, not by a gain.
    let send = try #require(g.edges("a", .send, "c").first)
    #expect(!send.isDerived)
    #expect(send.path.steps.map(\.location) == ["a.cspace", "a_cn[1]", "b_cn[3]"])
    #expect(send.description.hasPrefix("a --Send--> c via a_cn[1] → b_cn[3] ep(ep1) W"))
  }

  @Test func sharingACSpaceRootIsNotControl() throws {
    // a and b have the same CSpace root but no cap to it inside it: equal authority, no Control.
    let g = try system(caps: "a { cspace: c_cn }\nb { cspace: c_cn }\nc_cn { 1: ep1 (RW) }", roots: ["c", "d"])
    #expect(!g.has("a", .control, "b") && !g.has("b", .control, "a"))
    #expect(g.has("a", .send, "b") && g.has("b", .send, "a"))
  }

  @Test func noCapsNoAuthority() throws {
    let g = try system(caps: "a_cn { 1: ep1 (RWG) 2: n1 (RW) }\nb_cn { 1: ep2 (RW) }")
    // a only talks to itself; b only to itself; c and d hold nothing.
    #expect(g.edges.isEmpty)
    #expect(g.threads.count == 4)
  }

  @Test func rightslessCapsGiveNothing() throws {
    let g = try system(caps: "a_cn { 1: ep1 2: n1 }\nb_cn { 1: ep1 2: n1 }\nc { bound_notification: n1 }")
    #expect(g.edges.isEmpty)
    // Read alone on both sides: nobody can send.
    let r = try system(caps: "a_cn { 1: ep1 (R) }\nb_cn { 1: ep1 (RG) }")
    #expect(r.edges.isEmpty)
  }

  @Test func faultSlotSendsFaultsButCannotGrant() throws {
    let g = try system(caps: "a { fault_ep_slot: ep1 (WG) }\nb_cn { 1: ep1 (R) 2: ep2 (W) }\nc_cn { 1: ep2 (R) }")
    let call = try #require(g.edges("a", .call, "b").first)
    #expect(call.path.cap.location == "a.fault_ep_slot")
    // The thread cannot name a TCB-slot cap, so it cannot transfer caps with it.
    #expect(!g.has("a", .grant, "b"))
    // A fault slot cap receives nothing: the handler must hold Read in its CSpace.
    let h = try system(caps: "a { fault_ep_slot: ep1 (RW) }\nb_cn { 1: ep1 (W) }")
    #expect(!h.has("b", .send, "a"))
  }

  @Test func replyCapInCallerSlotRepliesWithoutControl() throws {
    let g = try system(caps: "a { caller_slot: b (reply) }")
    #expect(triples(g) == ["a Reply b"])
  }
}

// The JSON report of `refine-check authority` (format 2, docs/authority.md): it reads back into
// the graph it was written from, names each path, gain and cap once, and grows with the number of
// edges. Format 1 wrote every edge's paths out in full: about 3 KB an edge, 650 MB for the ring
// of 200 granting threads, which took 20–37 s and 3 GB to encode (BENCHMARKS.md).

import Authority
import CapDL
import Foundation
import Testing

/// `a` grants to `b` over `ep1` and sends to `c` over a badged `ep2`; `b` faults to `f`, which `a`
/// receives on; `c` holds a reply cap to `b`. So the graph has direct and derived edges, a TCB
/// slot, a badge and a reply cap.
private let smallSystem = """
  arch aarch64
  objects {
    a = tcb
    b = tcb
    c = tcb
    a_cn = cnode (2 bits)
    b_cn = cnode (2 bits)
    c_cn = cnode (2 bits)
    ep1 = ep
    ep2 = ep
    f = ep
  }
  caps {
    a { cspace: a_cn }
    b { cspace: b_cn fault_ep_slot: f (W) }
    c { cspace: c_cn }
    a_cn { 1: ep1 (WG) 2: ep2 (W, badge: 3) 3: f (R) }
    b_cn { 1: ep1 (R) }
    c_cn { 1: ep2 (R) 2: b (reply) }
  }
  """

@Suite struct AuthorityJSONTests {
  static func graph(_ text: String) throws -> AuthorityGraph {
    AuthorityGraph(model: try CapDLModel.parse(text, file: "t.cdl"))
  }

  /// Every edge comes back whole from the tables (paths, gains, their caps, counts, `derived`), and
  /// the violations name the edges the policy rejects. The file name needs escaping.
  @Test func jsonReadsBackIntoTheGraph() throws {
    let g = try Self.graph(smallSystem)
    #expect(g.edges.contains { $0.isDerived } && g.edges.contains { !$0.isDerived })
    #expect(g.edges.contains { $0.path.steps.contains { $0.slotName == "fault_ep_slot" } })
    #expect(g.edges.contains { $0.path.cap.replyKind == "reply" })
    #expect(g.edges.contains { $0.path.steps.contains { $0.badge == 3 } })
    let rules = try AuthorityPolicy.parse("a -> * : all\nb -> a : Send, Call\n", file: "p.policy")
    let file = "dir\\\"quoted\"\tname\u{1}.cdl"
    let report = AuthorityReport(file: file, graph: g, policy: ("p.policy", rules))
    let text = report.json
    let back = try JSONDecoder().decode(AuthorityReport.self, from: Data(text.utf8))
    #expect(back == report)
    #expect(back.formatVersion == 2 && back.file == file)
    #expect(back.fullEdges() == g.edges)
    #expect(back.edges.map(\.derived) == g.edges.map(\.isDerived))
    let violations = try #require(back.policy?.violations)
    #expect(!violations.isEmpty && back.policy?.passed == false && back.policy?.file == "p.policy")
    #expect(violations.map { g.edges[$0] } == rules.violations(in: g))
    #expect(back.nodes.map(\.name) == ["a", "b", "c"])
    for n in back.nodes {
      #expect(n.outgoing == g.edges.filter { $0.from == n.name }.count)
      #expect(n.incoming == g.edges.filter { $0.to == n.name }.count)
    }
  }

  /// The text of a ring of 3: the documented keys in their order, one entry a line, each cap once,
  /// and a derived edge that reads back as the text output prints it.
  @Test func jsonOfASmallRing() throws {
    let g = try Self.graph(ringSystem(3))
    let report = AuthorityReport(file: "ring.cdl", graph: g)
    let lines = report.json.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      Array(lines.prefix(5)) == [
        "{", "  \"formatVersion\": 2,", "  \"file\": \"ring.cdl\",", "  \"nodes\": [",
        "    {\"name\":\"t0\",\"outgoing\":10,\"incoming\":10},",
      ])
    #expect(lines.suffix(3) == ["  ]", "}", ""])
    // Three caps a thread: its CSpace root, its endpoint (WG) and the one before (R).
    let steps = lines.drop { $0 != "  \"steps\": [" }.dropFirst().prefix { $0 != "  ]," }
    #expect(steps.count == 9)
    #expect(Set(steps).count == 9)
    #expect(
      steps.first
        == "    {\"container\":\"t0\",\"slot\":0,\"slotName\":\"cspace\",\"target\":\"cn0\",\"targetType\":\"cnode\",\"rights\":\"\",\"badge\":0},"
    )
    #expect(
      lines.contains(
        "    {\"from\":\"t0\",\"kind\":\"Send\",\"to\":\"t1\",\"object\":\"ep0\",\"path\":0,\"peer\":1,\"otherPaths\":0,\"derived\":false},"
      ))
    #expect(lines.contains("    {\"origin\":\"t0\",\"steps\":[0,1],\"gains\":[]},"))
    #expect(!report.json.contains("\"policy\""))

    // The keys as docs/authority.md lists them, read by a parser that knows nothing of the types.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["formatVersion", "file", "nodes", "steps", "gains", "paths", "edges"])
    func keys(_ table: String) -> Set<String> {
      Set((object[table] as? [[String: Any]] ?? []).flatMap(\.keys))
    }
    #expect(keys("nodes") == ["name", "outgoing", "incoming"])
    #expect(keys("steps") == ["container", "slot", "slotName", "target", "targetType", "rights", "badge"])
    #expect(keys("gains") == ["from", "to", "kind", "via"])
    #expect(keys("paths") == ["origin", "steps", "gains"])
    #expect(keys("edges") == ["from", "kind", "to", "object", "path", "peer", "otherPaths", "derived"])

    let edges = try #require(report.fullEdges())
    #expect(edges == g.edges)
    let derived = try #require(edges.first { $0.from == "t0" && $0.kind == .receive && $0.to == "t1" })
    #expect(
      derived.description
        == "t0 --Receive--> t1 via cn2[2] ep(ep1) R (held by t2; t0 is granted caps by t2 via cn2[1] ep(ep2) WG); t1 holds cn1[1] ep(ep1) WG [derived]"
    )
  }

  /// The size that would have caught format 1 without a clock: the JSON of a ring of N has
  /// 5·N·(N−1) edges and grows with them (about 130 bytes an edge, where format 1 wrote about
  /// 3,000 and JSONEncoder held far more); the tables stay within the holdings and links of the
  /// closure; and the text is handed out in pieces, never whole.
  @Test func jsonGrowsWithTheEdges() throws {
    var sizes: [(edges: Int, bytes: Int)] = []
    for n in [20, 40] {
      let g = try Self.graph(ringSystem(n))
      let report = AuthorityReport(file: "ring.cdl", graph: g)
      var pieces: [[UInt8]] = []
      report.writeJSON(chunk: 4096) { pieces.append($0) }
      let bytes = pieces.reduce(0) { $0 + $1.count }
      #expect(report.edges.count == 5 * n * (n - 1))
      #expect(bytes <= 160 * report.edges.count, "\(bytes) bytes for \(report.edges.count) edges")
      #expect(report.steps.count == 3 * n)
      #expect(report.paths.count <= 2 * n * n, "at most one path per (thread, cap) holding")
      #expect(report.gains.count <= n * (n - 1), "at most one gain per (giver, gainer) link")
      #expect(pieces.count > bytes / 8192)
      #expect(pieces.allSatisfy { $0.count <= 4096 + 512 })
      #expect(String(decoding: pieces.joined(), as: UTF8.self) == report.json)
      sizes.append((report.edges.count, bytes))
    }
    let edgeRatio = Double(sizes[1].edges) / Double(sizes[0].edges)
    let byteRatio = Double(sizes[1].bytes) / Double(sizes[0].bytes)
    #expect(byteRatio <= 1.1 * edgeRatio, "\(sizes)")
  }
}

// Presenting a graph: one line per edge, Graphviz, and a JSON report with nodes, edges and paths.

/// The JSON report of `refine-check authority`.
public struct AuthorityReport: Codable, Sendable {
  public struct Node: Codable, Sendable, Equatable {
    public var name: String
    /// Edges out of and into the thread.
    public var outgoing: Int
    public var incoming: Int
  }

  public struct PolicyResult: Codable, Sendable {
    public var file: String
    public var passed: Bool
    public var violations: [AuthorityEdge]
  }

  public var file: String
  public var nodes: [Node]
  public var edges: [AuthorityEdge]
  public var policy: PolicyResult?

  public init(file: String, graph: AuthorityGraph, policyFile: String? = nil, violations: [AuthorityEdge]? = nil) {
    self.file = file
    // Counted in one pass over the edges (a ring of 200 threads has 199,000 of them).
    var outgoing: [String: Int] = [:]
    var incoming: [String: Int] = [:]
    for e in graph.edges {
      outgoing[e.from, default: 0] += 1
      incoming[e.to, default: 0] += 1
    }
    nodes = graph.threads.map { t in Node(name: t, outgoing: outgoing[t] ?? 0, incoming: incoming[t] ?? 0) }
    edges = graph.edges
    if let policyFile, let violations {
      policy = PolicyResult(file: policyFile, passed: violations.isEmpty, violations: violations)
    }
  }
}

extension AuthorityGraph {
  /// One line per edge (`AuthorityEdge.description`).
  public var lines: [String] { edges.map(\.description) }

  /// Graphviz: one node per thread, one arrow per (from, kind, to) labelled with the kind;
  /// derived edges dashed, edges in `highlight` red.
  public func dot(highlight: [AuthorityEdge] = []) -> String {
    struct Triple: Hashable {
      var from: String
      var kind: AuthorityKind
      var to: String
    }
    let red = Set(highlight.map { Triple(from: $0.from, kind: $0.kind, to: $0.to) })
    // A flow is dashed when no edge of it is direct: one set, not a scan of every edge per flow.
    let direct = Set(edges.filter { !$0.isDerived }.map { Triple(from: $0.from, kind: $0.kind, to: $0.to) })
    var seen: Set<Triple> = []
    var out = ["digraph authority {", "  rankdir=LR;", "  node [shape=box];"]
    for t in threads { out.append("  \(quote(t));") }
    for e in edges {
      let t = Triple(from: e.from, kind: e.kind, to: e.to)
      guard seen.insert(t).inserted else { continue }
      let derived = !direct.contains(t)
      var attrs = ["label=\(quote(e.kind.rawValue))", "tooltip=\(quote(e.path.description))"]
      if derived { attrs.append("style=dashed") }
      if red.contains(t) { attrs.append("color=red, fontcolor=red") }
      out.append("  \(quote(e.from)) -> \(quote(e.to)) [\(attrs.joined(separator: ", "))];")
    }
    out.append("}")
    return out.joined(separator: "\n")
  }
}

private func quote(_ s: String) -> String {
  var out = "\""
  for c in s {
    if c == "\"" || c == "\\" { out.append("\\") }
    out.append(c)
  }
  return out + "\""
}

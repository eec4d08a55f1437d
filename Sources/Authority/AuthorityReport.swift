// Presenting a graph: one line per edge, Graphviz, and a JSON report with nodes, edges and paths.

/// The JSON report of `refine-check authority`, format 2 (`docs/authority.md`). Every capability
/// path, gain and cap is written once, in a table, and named by its index: an edge names its two
/// paths, a path its caps and gains, a gain its cap. Format 1 wrote each edge's paths out in full,
/// repeating every gain's cap in every edge that used it: 650 MB for a ring of 200 granting
/// threads (BENCHMARKS.md), which JSONEncoder took 20–37 s and 3 GB to build.
public struct AuthorityReport: Codable, Sendable, Equatable {
  /// The format this version of refine-check writes.
  public static let currentFormatVersion = 2

  public struct Node: Codable, Sendable, Equatable {
    public var name: String
    /// Edges out of and into the thread.
    public var outgoing: Int
    public var incoming: Int
  }

  /// A `Gain`, its cap given as indices into `steps`.
  public struct GainEntry: Codable, Sendable, Hashable {
    public var from: String
    public var to: String
    public var kind: AuthorityKind
    public var via: [Int]
  }

  /// A `CapPath`: indices into `steps` and into `gains`.
  public struct PathEntry: Codable, Sendable, Hashable {
    public var origin: String
    public var steps: [Int]
    public var gains: [Int]
  }

  /// An `AuthorityEdge`: `path` and `peer` are indices into `paths`.
  public struct Edge: Codable, Sendable, Equatable {
    public var from: String
    public var kind: AuthorityKind
    public var to: String
    public var object: String
    public var path: Int
    public var peer: Int?
    public var otherPaths: Int
    /// True when either cap came through Grant or Control.
    public var derived: Bool
  }

  public struct PolicyResult: Codable, Sendable, Equatable {
    public var file: String
    public var passed: Bool
    /// Indices into `edges` of the flows the policy does not allow.
    public var violations: [Int]
  }

  public var formatVersion: Int
  public var file: String
  public var nodes: [Node]
  /// Every cap a path or a gain goes through, once.
  public var steps: [CapStep]
  public var gains: [GainEntry]
  public var paths: [PathEntry]
  public var edges: [Edge]
  public var policy: PolicyResult?

  /// The report of `graph`; with `policy`, its file name and the flows it does not allow.
  public init(file: String, graph: AuthorityGraph, policy: (file: String, rules: AuthorityPolicy)? = nil) {
    formatVersion = Self.currentFormatVersion
    self.file = file
    // Counted in one pass over the edges (a ring of 200 threads has 199,000 of them).
    var outgoing: [String: Int] = [:]
    var incoming: [String: Int] = [:]
    for e in graph.edges {
      outgoing[e.from, default: 0] += 1
      incoming[e.to, default: 0] += 1
    }
    nodes = graph.threads.map { t in Node(name: t, outgoing: outgoing[t] ?? 0, incoming: incoming[t] ?? 0) }
    var tables = Tables()
    edges = graph.edges.map { e in
      Edge(
        from: e.from, kind: e.kind, to: e.to, object: e.object, path: tables.index(e.path),
        peer: e.peer.map { tables.index($0) }, otherPaths: e.otherPaths, derived: e.isDerived)
    }
    (steps, gains, paths) = (tables.steps, tables.gains, tables.paths)
    if let policy {
      let violations = policy.rules.violationIndices(in: graph)
      self.policy = PolicyResult(file: policy.file, passed: violations.isEmpty, violations: violations)
    }
  }

  /// Each edge with its paths written out in full, as the graph has it; nil when an index is out
  /// of range (a report not written by `init`).
  public func fullEdges() -> [AuthorityEdge]? {
    var out: [AuthorityEdge] = []
    out.reserveCapacity(edges.count)
    for e in edges {
      guard let path = fullPath(e.path) else { return nil }
      var edge = AuthorityEdge(from: e.from, kind: e.kind, to: e.to, object: e.object, path: path, peer: nil)
      if let p = e.peer {
        guard let peer = fullPath(p) else { return nil }
        edge.peer = peer
      }
      edge.otherPaths = e.otherPaths
      out.append(edge)
    }
    return out
  }

  /// The path at `index` in `paths`, written out in full.
  public func fullPath(_ index: Int) -> CapPath? {
    guard paths.indices.contains(index) else { return nil }
    let p = paths[index]
    guard let steps = fullSteps(p.steps) else { return nil }
    var gains: [Gain] = []
    for g in p.gains {
      guard self.gains.indices.contains(g), let via = fullSteps(self.gains[g].via) else { return nil }
      let entry = self.gains[g]
      gains.append(Gain(from: entry.from, to: entry.to, kind: entry.kind, via: via))
    }
    return CapPath(origin: p.origin, steps: steps, gains: gains)
  }

  private func fullSteps(_ indices: [Int]) -> [CapStep]? {
    var out: [CapStep] = []
    for i in indices {
      guard steps.indices.contains(i) else { return nil }
      out.append(steps[i])
    }
    return out
  }
}

/// The tables of a report being built: each cap, gain and path gets an index the first time it
/// is seen.
private struct Tables {
  var steps: [CapStep] = []
  var gains: [AuthorityReport.GainEntry] = []
  var paths: [AuthorityReport.PathEntry] = []
  private var stepIndex: [CapStep: Int] = [:]
  private var gainIndex: [AuthorityReport.GainEntry: Int] = [:]
  private var pathIndex: [AuthorityReport.PathEntry: Int] = [:]

  mutating func index(_ path: CapPath) -> Int {
    let entry = AuthorityReport.PathEntry(
      origin: path.origin, steps: path.steps.map { index($0) }, gains: path.gains.map { index($0) })
    return Self.intern(entry, &paths, &pathIndex)
  }

  private mutating func index(_ gain: Gain) -> Int {
    let entry = AuthorityReport.GainEntry(
      from: gain.from, to: gain.to, kind: gain.kind, via: gain.via.map { index($0) })
    return Self.intern(entry, &gains, &gainIndex)
  }

  private mutating func index(_ step: CapStep) -> Int { Self.intern(step, &steps, &stepIndex) }

  /// Static: a method of `self` would hold a copy of the tables while they grow, copying them on every append.
  private static func intern<T: Hashable>(_ value: T, _ table: inout [T], _ index: inout [T: Int]) -> Int {
    if let i = index[value] { return i }
    index[value] = table.count
    table.append(value)
    return table.count - 1
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

// System properties from the authority analysis of the system's capDL text (docs/authority.md).

import Authority
public import CapDL

/// The authority facts about `model` (nil: the system has no capDL text), named after `system`.
///
/// The analysis reads the initial capability distribution exactly (including what Grant and
/// Control let threads gain), so the graph is `checked`; that system calls never let authority
/// grow beyond it (integrity) is not established by anything yet.
public func authorityProperties(model: CapDLModel?, system: String) -> [TrustProperty] {
  guard let model else {
    return [
      TrustProperty(
        name: "authority: flows between threads", kind: .system, status: .notCovered,
        evidence: "the system has no capDL text to analyse",
        statement: "which thread can send to, call, signal, grant to or control which other")
    ]
  }
  let graph = AuthorityGraph(model: model)
  let threads = graph.threads.count == 1 ? "1 thread (\(graph.threads[0]))" : "\(graph.threads.count) threads"
  let evidence: String
  if graph.edges.isEmpty {
    evidence =
      "\(threads), no authority edge between distinct threads: no thread can send to, call, signal, grant to or control another"
  } else {
    let shown = graph.edges.prefix(5).map {
      "\($0.from) \($0.kind.rawValue) \($0.to)\($0.isDerived ? " (derived)" : "")"
    }
    evidence =
      "\(threads), \(graph.edges.count) edge(s): " + shown.joined(separator: ", ")
      + (graph.edges.count > 5 ? ", ..." : "") + " (`refine-check authority` lists them with their caps)"
  }
  return [
    TrustProperty(
      name: "authority: flows between threads", kind: .system, status: .checked,
      evidence: evidence
        + "; computed exactly from the initial capabilities of \(system), with the take-grant closure of Grant and Control",
      statement: "which thread can send to, call, signal, grant to or control which other, in the initial state"),
    TrustProperty(
      name: "integrity: system calls never raise authority beyond the initial graph", kind: .system,
      status: .notCovered,
      evidence:
        "the graph is computed from the capDL text only; that this system's steps stay within it is neither proved nor tested; what is proved, on the symbolic twin for every state of a bounded shape, is integrity and authority confinement of the CNode invocations (`abstract.<event>.integrity`, `abstract.<event>.authorityConfinement` among the obligations)",
      statement: "no write without authority (seL4's integrity theorem)"),
  ]
}

// Checking the `expect` lines about IPC state on all three layers: an endpoint's or
// notification's queue, a reply object, a scheduling context's reply stack and the scheduling
// context a thread runs on. Each is read through the layer's `StateView` (the one the explorer and
// the HTML page show), so a line passes only when the abstract spec, the executable spec and the
// kernel's memory all say what it says; when the layers disagree the failure shows each one.

import AbstractSpec
import KernelABI
import Refinement

extension Runner {
  /// The three layers' views, named.
  var layerViews: [(layer: String, view: StateView)] {
    [
      ("abstract", StateView(abstract: checker.abstract)), ("exec", StateView(exec: checker.exec)),
      ("kernel", StateView(kernel: checker.kernel)),
    ]
  }

  /// Passes when `matches` holds of what every layer shows (`actual`); fails with `expected`, and
  /// the layers' `actual` texts (one line when they agree).
  func onEveryLayer(
    _ subject: String, expected: String, actual: (StateView) -> String, matches: (String) -> Bool
  ) throws(RunFailure) {
    let seen = layerViews.map { (layer: $0.layer, text: actual($0.view)) }
    if let details = Runner.layerMismatch(subject, expected: expected, seen: seen, matches: matches) {
      throw fail(details)
    }
  }

  /// The failure's lines when some layer's text does not match, else nil: one `actual:` line when
  /// the layers agree, else one per layer, each naming its layer.
  static func layerMismatch(
    _ subject: String, expected: String, seen: [(layer: String, text: String)], matches: (String) -> Bool
  ) -> [String]? {
    guard !seen.allSatisfy({ matches($0.text) }) else { return nil }
    var details = ["expected: \(subject) == \(expected)"]
    if Set(seen.map(\.text)).count == 1, let first = seen.first {
      details.append("actual:   \(subject) == \(first.text) (on all three layers)")
    } else {
      for s in seen {
        details.append("actual:   \(subject) == \(s.text) (\(s.layer)\(matches(s.text) ? ", as expected" : ""))")
      }
    }
    return details
  }

  func checkOnLayers(_ e: Expectation) throws(RunFailure) {
    switch e {
    case .endpoint(let n, let p), .notification(let n, let p):
      let r = try objectRef(n)
      let isEndpoint: Bool
      if case .endpoint = e { isEndpoint = true } else { isEndpoint = false }
      let kind = isEndpoint ? "ep" : "ntfn"
      var expected = p.state
      if !p.threads.isEmpty {
        expected += " " + describer.list(try p.threads.map { (t) throws(RunFailure) in try objectRef(t) })
      }
      if let w = p.word { expected += " \(hex(w))" }
      try onEveryLayer(
        "\(kind)(\(n))", expected: expected,
        actual: { v in
          guard let o = v.objects[r] else { return "(no object here)" }
          if isEndpoint {
            guard let ep = o.endpoint else { return "(\(o.kind), not an endpoint)" }
            return ep.state == "idle" ? "idle" : "\(ep.state) \(describer.list(ep.queue))"
          }
          guard let ntfn = o.notification else { return "(\(o.kind), not a notification)" }
          switch ntfn.state {
          case "waiting": return "waiting \(describer.list(ntfn.queue))"
          case "active": return "active \(hex(ntfn.word ?? 0))"
          default: return ntfn.state
          }
        }, matches: { $0 == expected })
    case .reply(let n, let p):
      let r = try objectRef(n)
      var expected = "none"
      if let role = p.role, let t = p.thread { expected = "\(role.rawValue) \(describer.name(of: try objectRef(t)))" }
      if let s = p.stack { expected += " stack \(describer.name(of: try objectRef(s)))" }
      try onEveryLayer(
        "reply(\(n))", expected: expected,
        actual: { v in
          guard let o = v.objects[r] else { return "(no object here)" }
          guard let reply = o.reply else { return "(\(o.kind), not a reply object)" }
          var text = "none"
          if let t = reply.tcb {
            // How the thread holds the object, from its state (the same words on every layer).
            let state = v.objects[t]?.thread?.state ?? ""
            let role =
              state.hasPrefix("blockedOnReply(") ? "caller" : state.hasPrefix("blockedOnReceive(") ? "receiver" : state
            text = "\(role) \(describer.name(of: t))"
          }
          if let sc = v.callStack(holding: r) { text += " stack \(describer.name(of: sc))" }
          return text
        }, matches: { $0 == expected })
    case .replyStack(let n, let names):
      let sc = try objectRef(n)
      let expected = describer.list(try names.map { (r) throws(RunFailure) in try objectRef(r) })
      try onEveryLayer(
        "stack(\(n))", expected: expected,
        actual: { v in
          guard let o = v.objects[sc] else { return "(no object here)" }
          guard let view = o.schedContext else { return "(\(o.kind), not a scheduling context)" }
          return describer.list(view.replies)
        }, matches: { $0 == expected })
    case .schedContextUse(let n, let scName, let donated, let by):
      let thread = try objectRef(n)
      let sc = try objectRef(scName)
      let byRef: ObjectRef? = try by.map { (b) throws(RunFailure) in try objectRef(b) }
      let expected =
        donated
        ? "SC \(describer.name(of: sc)) donated" + (byRef.map { " by \(describer.name(of: $0))" } ?? "")
        : "own SC \(describer.name(of: sc))"
      try onEveryLayer(
        "\(n).sc", expected: expected,
        actual: { v in
          guard let use = v.schedContextUse(of: thread) else { return "(not a thread here)" }
          return describer.schedContextUse(use)
        },
        matches: { actual in
          // `donated` without `by` accepts any caller.
          donated && byRef == nil ? actual.hasPrefix(expected + " by ") : actual == expected
        })
    default:
      return
    }
  }
}

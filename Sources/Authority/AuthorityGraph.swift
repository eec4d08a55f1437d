// The authority graph of a capDL system: which thread can do what to which other thread, and the
// capability path that lets it.
//
// Nodes are the system's threads (TCB objects). An edge `from --kind--> to` says that `from`, by
// invoking caps it holds (or caps it can come to hold through Grant or Control), can affect or
// hear from `to` in the way `kind` names. Each edge carries the capability paths that create it
// so a reader can see why. The rules are those of l4v's access-control abstraction
// (`proof/access-control/Access.thy`, `cap_auth_conferred`), lifted from objects to threads; see
// `docs/authority.md`.

public import CapDL

/// What one thread can do to another.
public enum AuthorityKind: String, CaseIterable, Codable, Hashable, Sendable, Comparable {
  /// Send a message on an endpoint the other thread can receive on (Write on the sender's cap).
  case send = "Send"
  /// Call: send and wait for a reply (Write with Grant or GrantReply on the sender's cap).
  case call = "Call"
  /// Receive messages the other thread sends (Read on the receiver's cap).
  case receive = "Receive"
  /// Reply to the other thread's Call (it can Call an endpoint this thread receives on), or hold
  /// a reply cap to it.
  case reply = "Reply"
  /// Signal a notification the other thread waits on or has bound (Write).
  case signal = "Signal"
  /// Wait for the other thread's signals (Read, or Read on the bound notification).
  case wait = "Wait"
  /// Transfer caps to the other thread: its receiver can gain every cap this thread holds.
  case grant = "Grant"
  /// Control the thread (a TCB cap), or its CSpace (a CNode cap into it): all its authority.
  case control = "Control"

  public static func < (a: AuthorityKind, b: AuthorityKind) -> Bool {
    let order = AuthorityKind.allCases
    return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
  }
}

/// One link of a capability path: the cap in slot `slot` of `container`.
public struct CapStep: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The object holding the cap (a TCB or a CNode).
  public var container: String
  public var slot: UInt64
  /// The TCB slot's capDL keyword (`cspace`, `fault_ep_slot`, ...) when the container is a TCB.
  public var slotName: String?
  /// What the cap names: an object's name, or a reserved target such as `irq_control`.
  public var target: String
  /// The target's capDL type (`ep`, `notification`, `tcb`, `cnode`, ...).
  public var targetType: String
  /// Rights in capDL letters (`R`, `W`, `G`, `P`), empty for none.
  public var rights: String
  public var badge: UInt64
  /// `reply` or `master_reply` on a TCB cap.
  public var replyKind: String?

  public init(
    container: String, slot: UInt64, slotName: String? = nil, target: String, targetType: String,
    rights: String, badge: UInt64 = 0, replyKind: String? = nil
  ) {
    self.container = container
    self.slot = slot
    self.slotName = slotName
    self.target = target
    self.targetType = targetType
    self.rights = rights
    self.badge = badge
    self.replyKind = replyKind
  }

  /// `client_cnode[8]` or `client_tcb.fault_ep_slot`.
  public var location: String { slotName.map { "\(container).\($0)" } ?? "\(container)[\(slot)]" }

  /// The cap itself: `ep(p_ep) WP badge 1`.
  public var capText: String {
    var s = "\(targetType)(\(target))"
    if let replyKind { s += " \(replyKind)" }
    if !rights.isEmpty { s += " \(rights)" }
    if badge != 0 { s += " badge \(badge)" }
    return s
  }

  public var description: String { "\(location) \(capText)" }
}

/// How a thread came to hold a cap it did not start with.
public struct Gain: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The thread that held the cap.
  public var from: String
  /// The thread that gains it.
  public var to: String
  /// `.grant` (transferred in a message or a reply) or `.control` (the gainer controls `from`).
  public var kind: AuthorityKind
  /// The cap whose authority makes the gain possible.
  public var via: [CapStep]

  public init(from: String, to: String, kind: AuthorityKind, via: [CapStep]) {
    self.from = from
    self.to = to
    self.kind = kind
    self.via = via
  }

  public var description: String {
    let how = kind == .control ? "controls \(from)" : "is granted caps by \(from)"
    return "\(to) \(how) via \(CapPath.render(via))"
  }
}

/// A cap a thread holds, and how: the path from the original holder's TCB to the cap, plus the
/// gains (Grant, Control) that handed it on, if any.
public struct CapPath: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The thread whose TCB the path starts at.
  public var origin: String
  /// From the TCB (its `cspace` slot, or the TCB slot holding the cap) through CNode caps to the cap.
  public var steps: [CapStep]
  /// Empty when the thread holds the cap itself; otherwise the chain of gains, first to last.
  public var gains: [Gain]

  public init(origin: String, steps: [CapStep], gains: [Gain] = []) {
    self.origin = origin
    self.steps = steps
    self.gains = gains
  }

  /// The cap at the end of the path.
  public var cap: CapStep { steps[steps.count - 1] }

  /// True when the cap came through Grant or Control.
  public var isDerived: Bool { !gains.isEmpty }

  /// `client_cnode[8] ep(p_ep) WP`: the CSpace root's TCB slot is left out; intermediate CNodes
  /// appear as `root[3] → sub[2] ep(x) RW`.
  static func render(_ steps: [CapStep]) -> String {
    var shown = steps
    if shown.count > 1, shown[0].slotName == "cspace" { shown.removeFirst() }
    let links = shown.dropLast().map(\.location)
    return (links + [shown[shown.count - 1].description]).joined(separator: " → ")
  }

  public var description: String {
    var s = CapPath.render(steps)
    if !gains.isEmpty { s += " (held by \(origin); " + gains.map(\.description).joined(separator: ", then ") + ")" }
    return s
  }
}

/// One edge of the graph: `from` can do `kind` to `to`, by the cap `path`; `peer` is the other
/// thread's cap on the same object (nil for Control and reply caps).
public struct AuthorityEdge: Hashable, Sendable, Codable, CustomStringConvertible {
  public var from: String
  public var kind: AuthorityKind
  public var to: String
  /// The object the flow goes through (endpoint, notification, TCB or CNode).
  public var object: String
  public var path: CapPath
  public var peer: CapPath?
  /// Further pairs of caps on the same object that create the same flow (not listed).
  public var otherPaths: Int = 0

  public init(from: String, kind: AuthorityKind, to: String, object: String, path: CapPath, peer: CapPath?) {
    self.from = from
    self.kind = kind
    self.to = to
    self.object = object
    self.path = path
    self.peer = peer
  }

  /// True when either cap came through Grant or Control (take-grant closure).
  public var isDerived: Bool { path.isDerived || (peer?.isDerived ?? false) }

  private enum CodingKeys: String, CodingKey {
    case from, kind, to, object, path, peer, otherPaths, derived
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    from = try c.decode(String.self, forKey: .from)
    kind = try c.decode(AuthorityKind.self, forKey: .kind)
    to = try c.decode(String.self, forKey: .to)
    object = try c.decode(String.self, forKey: .object)
    path = try c.decode(CapPath.self, forKey: .path)
    peer = try c.decodeIfPresent(CapPath.self, forKey: .peer)
    otherPaths = try c.decodeIfPresent(Int.self, forKey: .otherPaths) ?? 0
  }

  /// Encodes the stored fields and `derived` (true when a cap came through Grant or Control).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(from, forKey: .from)
    try c.encode(kind, forKey: .kind)
    try c.encode(to, forKey: .to)
    try c.encode(object, forKey: .object)
    try c.encode(path, forKey: .path)
    try c.encodeIfPresent(peer, forKey: .peer)
    try c.encode(otherPaths, forKey: .otherPaths)
    try c.encode(isDerived, forKey: .derived)
  }

  /// `client --Call--> adder via client_cnode[2] ep(adder_ep) RWG; adder holds adder_cnode[1] ep(adder_ep) R`
  public var description: String {
    var s = "\(from) --\(kind.rawValue)--> \(to) via \(path)"
    if let peer { s += "; \(to) holds \(peer)" }
    if otherPaths > 0 { s += " (+\(otherPaths) more on \(object))" }
    if isDerived { s += " [derived]" }
    return s
  }
}

/// The threads of a capDL system and the authority between them.
public struct AuthorityGraph: Sendable, Codable {
  /// Every TCB, in declaration order.
  public var threads: [String]
  /// Every edge, sorted by source, target, kind. A direct flow is listed once per object it goes
  /// through (with the first pair of caps, and a count of the others); a (from, kind, to)
  /// reachable only through Grant or Control is listed once.
  public var edges: [AuthorityEdge]

  public init(threads: [String], edges: [AuthorityEdge]) {
    self.threads = threads
    self.edges = edges
  }

  /// Builds the graph of a model (see `docs/authority.md` for the rules).
  /// - Complexity: polynomial of low degree: each (thread, cap) holding is handed along each
  ///   transfer link once, and each pair of threads holding caps to one object is examined once
  ///   (`AuthorityAnalysis+Closure.swift`). A ring of 200 granting threads takes well under 5 s.
  public init(model: CapDLModel) {
    self = AuthorityAnalysis(model: model).run()
  }

  /// True when some edge `from --kind--> to` exists.
  public func has(_ from: String, _ kind: AuthorityKind, _ to: String) -> Bool {
    edges.contains { $0.from == from && $0.kind == kind && $0.to == to }
  }

  /// The edges `from --kind--> to`.
  public func edges(_ from: String, _ kind: AuthorityKind, _ to: String) -> [AuthorityEdge] {
    edges.filter { $0.from == from && $0.kind == kind && $0.to == to }
  }
}

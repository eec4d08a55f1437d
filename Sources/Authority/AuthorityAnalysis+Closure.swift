// The take-grant closure, computed once over what changes (semi-naive evaluation) rather than by
// recomputing every edge each round until nothing changes, which grew about as N^3.8 on a ring of
// N granting threads.
//
// 1. Holdings, in rounds: round r + 1 hands on, along every transfer link the holdings after round
//    r give (g → t: t gains g's invocable caps, because g Grants to t or t Controls g), every cap
//    the giver held after round r. Only changes are looked at: a cap gained in round r goes along
//    the giver's links once, and a link formed in round r hands on the giver's caps once. A new
//    holding may also give the thread a new role on the cap's object (a sender with Grant, a
//    reader, ...), which forms links with the threads already in the matching role.
// 2. Gains: each gained cap records the thread that handed it on (of several in one round, the
//    one whose link is oldest, then the first declared), so its chain of gains is one that could
//    have happened in that order, and its length is the number of gains.
// 3. Edges: the direct edges come from the threads' own caps, as before; for every other flow, the
//    edge with the fewest gains (fewest on both caps together) is chosen from the best cap each
//    thread holds in each role on each object, without listing every pair of caps.

import CapDL

/// Counts of the work the closure did; tests assert on them instead of on time.
struct AuthorityWork: Equatable {
  /// (thread, cap) holdings the worklist processed, each once.
  var holdings = 0
  /// Transfer links formed, each once.
  var links = 0
  /// Attempts to hand one cap along one link (most find the cap already held).
  var handOns = 0
  /// Pairs of threads holding caps to one object, examined when choosing the derived edges.
  var pairs = 0
}

/// A cap a thread holds, as the edge selection sees it: how many gains brought it, its place in
/// the thread's holdings (for ties), and which one it is.
private struct Pick {
  var cost: Int
  var rank: Int
  var thread: Int
  /// An index into the thread's own holdings, or -1 for a gained cap.
  var own: Int
  /// The cap's key index for a gained cap.
  var key: Int

  func better(than other: Pick?) -> Bool {
    guard let other else { return true }
    return cost < other.cost || (cost == other.cost && rank < other.rank)
  }
}

/// The roles a cap gives its holder on its object, for the edge rules.
private enum Role: Int, CaseIterable {
  /// Endpoint: Write (invocable, or in a fault slot).
  case sender
  /// Endpoint: Write with Grant or GrantReply (invocable or fault slot): can Call.
  case caller
  /// Endpoint: invocable Write with Grant.
  case grantingSender
  /// Endpoint: invocable Write with Grant or GrantReply: its receiver can grant back.
  case invocableCaller
  /// Endpoint: invocable Read.
  case receiver
  /// Endpoint: invocable Read with Grant.
  case grantingReceiver
  /// Notification: invocable Write.
  case signaller
  /// Notification: Read, invocable or as the bound notification.
  case waiter
  /// TCB: a reply cap (anywhere).
  case replier
  /// TCB or CNode: an invocable cap (not a reply cap) that controls the thread or CSpace.
  case controller

  static let count = 10
}

extension AuthorityKind {
  /// The kind's place in `allCases`, without building that array (the edge selection's inner loop).
  fileprivate var index: Int {
    switch self {
    case .send: 0
    case .call: 1
    case .receive: 2
    case .reply: 3
    case .signal: 4
    case .wait: 5
    case .grant: 6
    case .control: 7
    }
  }

  fileprivate static let count = 8
}

/// The best cap a thread holds in each role on one object.
private struct Roles {
  var picks = [Pick?](repeating: nil, count: Role.count)
  subscript(_ role: Role) -> Pick? {
    get { picks[role.rawValue] }
    set { picks[role.rawValue] = newValue }
  }
}

/// The chosen edge for each (from, kind, to): dense for up to 1,024 threads, a dictionary beyond.
private struct Choices {
  struct Choice {
    var cost: Int
    /// An index into the sorted objects.
    var object: Int
    var path: Pick
    var peer: Pick?
  }
  let threads: Int
  private var dense: [Int32]
  private var sparse: [Int: Int32] = [:]
  private(set) var chosen: [(from: Int, kind: AuthorityKind, to: Int, choice: Choice)] = []

  init(threads: Int, denseLimit: Int) {
    self.threads = threads
    dense = threads <= denseLimit ? [Int32](repeating: -1, count: threads * threads * AuthorityKind.count) : []
  }

  /// Keeps the edge if it has fewer gains than the one chosen so far (the first one wins ties).
  mutating func consider(
    _ from: Int, _ kind: AuthorityKind, _ to: Int, _ object: Int, _ path: Pick, _ peer: Pick?
  ) {
    let cost = path.cost + (peer?.cost ?? 0)
    let index = (from * AuthorityKind.count + kind.index) * threads + to
    let slot = dense.isEmpty ? sparse[index] ?? -1 : dense[index]
    if slot >= 0 {
      if chosen[Int(slot)].choice.cost > cost {
        chosen[Int(slot)].choice = Choice(cost: cost, object: object, path: path, peer: peer)
      }
      return
    }
    if dense.isEmpty { sparse[index] = Int32(chosen.count) } else { dense[index] = Int32(chosen.count) }
    chosen.append((from, kind, to, Choice(cost: cost, object: object, path: path, peer: peer)))
  }
}

/// Which (thread, key) holdings exist: a bit table while it is small enough (32 MiB), else sets.
private struct Holdings {
  private let keys: Int
  private var bits: [UInt64]
  private var sets: [Set<Int>]

  init(threads: Int, keys: Int, allowTable: Bool) {
    self.keys = keys
    let total = threads * keys
    bits = allowTable && total <= 1 << 28 ? [UInt64](repeating: 0, count: (total + 63) / 64) : []
    sets = bits.isEmpty ? [Set<Int>](repeating: [], count: threads) : []
  }

  func contains(_ thread: Int, _ key: Int) -> Bool {
    guard sets.isEmpty else { return sets[thread].contains(key) }
    let i = thread * keys + key
    return bits[i >> 6] & (1 << UInt64(i & 63)) != 0
  }

  /// False when it was there already.
  mutating func insert(_ thread: Int, _ key: Int) -> Bool {
    guard sets.isEmpty else { return sets[thread].insert(key).inserted }
    let i = thread * keys + key
    let mask: UInt64 = 1 << UInt64(i & 63)
    if bits[i >> 6] & mask != 0 { return false }
    bits[i >> 6] |= mask
    return true
  }
}

/// The round each transfer link (giver, gainer) was formed in: a table for up to 2,048 threads,
/// else a dictionary.
private struct LinkRounds {
  private let threads: Int
  private var table: [Int32]
  private var dictionary: [Int: Int] = [:]

  init(threads: Int, allowTable: Bool) {
    self.threads = threads
    table = allowTable && threads <= 2048 ? [Int32](repeating: -1, count: threads * threads) : []
  }

  subscript(_ giver: Int, _ gainer: Int) -> Int? {
    get {
      let i = giver * threads + gainer
      if table.isEmpty { return dictionary[i] }
      return table[i] < 0 ? nil : Int(table[i])
    }
    set {
      let i = giver * threads + gainer
      if table.isEmpty { dictionary[i] = newValue } else { table[i] = Int32(newValue ?? -1) }
    }
  }
}

extension AuthorityAnalysis {
  /// The graph: direct edges and the closure's derived ones.
  func run() -> AuthorityGraph { analyse().graph }

  /// The graph, and how much work the closure did.
  /// - Parameter denseLimit: up to this many threads, the chosen edges are kept in a dense table
  ///   (threads² × 8 entries); beyond it, in a dictionary. 0 also keeps holdings and links in
  ///   sets and dictionaries instead of tables (tests give 0 to check those forms).
  func analyse(denseLimit: Int = 1024) -> (graph: AuthorityGraph, work: AuthorityWork) {
    var work = AuthorityWork()
    let n = threads.count
    let index = Dictionary(threads.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let own = threads.map { held[$0] ?? [] }

    // Every invocable cap by its slot, and who holds it from the start.
    var keyIndex: [CapDLSlotRef: Int] = [:]
    var keyCaps: [CapDLCap] = []
    var sources: [[(thread: Int, own: Int)]] = []
    for t in 0..<n {
      for (i, h) in own[t].enumerated() where h.use == .invocable {
        let k = keyIndex[h.key] ?? keyCaps.count
        if k == keyCaps.count {
          keyIndex[h.key] = k
          keyCaps.append(h.cap)
          sources.append([])
        }
        sources[k].append((t, i))
      }
    }

    // 1. Holdings and links in rounds: round r + 1 hands on, along the links the holdings after
    // round r give, every cap the giver held after round r. Only what changed is looked at: the
    // caps gained in round r along every link, and everything along the links formed in round r.
    var cnodeOwners: [CapDLObjectID: [Int]] = [:]
    for t in 0..<n {
      for c in cspaceCNodes[threads[t]] ?? [] { cnodeOwners[c, default: []].append(t) }
    }
    let keyCount = max(1, keyCaps.count)
    var has = Holdings(threads: n, keys: keyCount, allowTable: denseLimit > 0)
    var hasList = [[Int]](repeating: [], count: n)
    /// Per (thread, key): the thread that handed the cap on (-1: held from the start) and the gains.
    var gained: [Int: (giver: Int, gains: Int)] = [:]
    var out = [[Int]](repeating: [], count: n)
    var formed = LinkRounds(threads: n, allowTable: denseLimit > 0)
    var members: [CapDLObjectID: [[Int]]] = [:]
    var memberSets: [CapDLObjectID: [Set<Int>]] = [:]
    var round = 0
    /// This round's offers: per (thread, key), the best giver so far, the oldest link first, then
    /// the giver first in declaration order.
    var offers: [Int: (formed: Int, giver: Int)] = [:]
    func offer(_ giver: Int, _ gainer: Int, _ k: Int) {
      work.handOns += 1
      guard !has.contains(gainer, k) else { return }
      let candidate = (formed: formed[giver, gainer] ?? round, giver: giver)
      let slot = gainer * keyCount + k
      if let old = offers[slot], (old.formed, old.giver) <= (candidate.formed, candidate.giver) { return }
      offers[slot] = candidate
    }
    func link(_ giver: Int, _ gainer: Int) {
      guard giver != gainer, formed[giver, gainer] == nil else { return }
      work.links += 1
      formed[giver, gainer] = round
      out[giver].append(gainer)
      for k in hasList[giver] { offer(giver, gainer, k) }
    }
    /// Puts `t` in `role` on `object`; false when it was there already.
    func join(_ object: CapDLObjectID, _ role: Role, _ t: Int) -> Bool {
      if members[object] == nil {
        members[object] = [[Int]](repeating: [], count: Role.count)
        memberSets[object] = [Set<Int>](repeating: [], count: Role.count)
      }
      guard memberSets[object]?[role.rawValue].insert(t).inserted == true else { return false }
      members[object]?[role.rawValue].append(t)
      return true
    }
    func inRole(_ object: CapDLObjectID, _ role: Role) -> [Int] { members[object]?[role.rawValue] ?? [] }
    /// The links a new holding makes (and hands the holding along the thread's links).
    func process(_ t: Int, _ k: Int) {
      work.holdings += 1
      for u in out[t] { offer(t, u, k) }
      let cap = keyCaps[k]
      guard let object = cap.object else { return }
      let r = cap.rights
      switch model.objects[object]?.type {
      case .ep:
        let canCall = r.contains(.write) && (r.contains(.grant) || r.contains(.grantReply))
        if r.contains(.write) && r.contains(.grant), join(object, .grantingSender, t) {
          for x in inRole(object, .receiver) { link(t, x) }
        }
        if r.contains(.read), join(object, .receiver, t) {
          for s in inRole(object, .grantingSender) { link(s, t) }
        }
        if canCall, join(object, .invocableCaller, t) {
          for x in inRole(object, .grantingReceiver) { link(x, t) }
        }
        if r.contains(.read) && r.contains(.grant), join(object, .grantingReceiver, t) {
          for s in inRole(object, .invocableCaller) { link(t, s) }
        }
      case .tcb:
        // Control: the holder gains the controlled thread's caps.
        if cap.replyKind == nil, let target = index[object.description] { link(target, t) }
      case .cnode:
        if join(object, .controller, t) { for u in cnodeOwners[object] ?? [] { link(u, t) } }
      default: break
      }
    }

    var changed: [(thread: Int, key: Int)] = []
    for (k, holders) in sources.enumerated() {
      for h in holders where has.insert(h.thread, k) {
        hasList[h.thread].append(k)
        gained[h.thread * keyCount + k] = (-1, 0)
        changed.append((h.thread, k))
      }
    }
    while !changed.isEmpty {
      for (t, k) in changed { process(t, k) }
      round += 1
      changed = offers.keys.sorted().map { ($0 / keyCount, $0 % keyCount) }
      for (t, k) in changed {
        let giver = offers[t * keyCount + k]?.giver ?? t
        _ = has.insert(t, k)
        hasList[t].append(k)
        gained[t * keyCount + k] = (giver, (gained[giver * keyCount + k]?.gains ?? 0) + 1)
      }
      offers = [:]
    }

    // 3. The best cap of each thread in each role on each object: its own caps, then gained ones.
    var roles: [CapDLObjectID: [Int: Roles]] = [:]
    func offer(_ h: (cap: CapDLCap, use: CapUse), _ pick: Pick) {
      guard let object = h.cap.object else { return }
      let r = h.cap.rights
      var found: [Role] = []
      let invocable = h.use == .invocable
      switch model.objects[object]?.type {
      case .ep:
        let write: Bool
        switch h.use {
        case .invocable: write = r.contains(.write)
        case .tcbSlot(let slot): write = r.contains(.write) && faultSlots.contains(slot)
        }
        let canCall = write && (r.contains(.grant) || r.contains(.grantReply))
        if write { found.append(.sender) }
        if canCall { found.append(.caller) }
        if write && invocable && r.contains(.grant) { found.append(.grantingSender) }
        if canCall && invocable { found.append(.invocableCaller) }
        if invocable && r.contains(.read) { found.append(.receiver) }
        if invocable && r.contains(.read) && r.contains(.grant) { found.append(.grantingReceiver) }
      case .notification:
        if invocable && r.contains(.write) { found.append(.signaller) }
        if r.contains(.read) && (invocable || h.use == .tcbSlot(boundNotificationSlot)) { found.append(.waiter) }
      case .tcb:
        if h.cap.replyKind != nil {
          found.append(.replier)
        } else if invocable {
          found.append(.controller)
        }
      case .cnode:
        if invocable { found.append(.controller) }
      default: break
      }
      guard !found.isEmpty else { return }
      var entry = roles[object]?[pick.thread] ?? Roles()
      for role in found where pick.better(than: entry[role]) { entry[role] = pick }
      roles[object, default: [:]][pick.thread] = entry
    }
    for t in 0..<n {
      for (i, h) in own[t].enumerated() {
        offer((h.cap, h.use), Pick(cost: 0, rank: i, thread: t, own: i, key: -1))
      }
      for k in hasList[t] {
        let cost = gained[t * keyCount + k]?.gains ?? 0
        guard cost > 0 else { continue }
        offer((keyCaps[k], .invocable), Pick(cost: cost, rank: own[t].count + k, thread: t, own: -1, key: k))
      }
    }

    // 4. For each (from, kind, to), the edge with the fewest gains, the first in object order.
    var choices = Choices(threads: n, denseLimit: denseLimit)
    let objects = roles.keys.sorted()
    for (place, object) in objects.enumerated() {
      let holders = (roles[object] ?? [:]).sorted { $0.key < $1.key }
      switch model.objects[object]?.type {
      case .ep:
        // Each role's picks as a flat array, so the pair loop copies no `Roles`.
        let ids = holders.map(\.key)
        func column(_ role: Role) -> [Pick?] { holders.map { $0.value[role] } }
        let (senders, callers, granting) = (column(.sender), column(.caller), column(.grantingSender))
        let (invocableCallers, receivers, grantingBack) =
          (column(.invocableCaller), column(.receiver), column(.grantingReceiver))
        for i in ids.indices {
          guard let send = senders[i] else { continue }
          let x = ids[i]
          for j in ids.indices where i != j {
            guard let receive = receivers[j] else { continue }
            let y = ids[j]
            work.pairs += 1
            choices.consider(x, .send, y, place, send, receive)
            choices.consider(y, .receive, x, place, receive, send)
            if let call = callers[i] {
              choices.consider(x, .call, y, place, call, receive)
              choices.consider(y, .reply, x, place, receive, call)
            }
            if let grant = granting[i] { choices.consider(x, .grant, y, place, grant, receive) }
            if let call = invocableCallers[i], let back = grantingBack[j] {
              choices.consider(y, .grant, x, place, back, call)
            }
          }
        }
      case .notification:
        for (x, bx) in holders {
          guard let signal = bx[.signaller] else { continue }
          for (y, by) in holders where x != y {
            guard let wait = by[.waiter] else { continue }
            work.pairs += 1
            choices.consider(x, .signal, y, place, signal, wait)
            choices.consider(y, .wait, x, place, wait, signal)
          }
        }
      case .tcb:
        guard let target = index[object.description] else { continue }
        for (x, bx) in holders where x != target {
          work.pairs += 1
          if let reply = bx[.replier] { choices.consider(x, .reply, target, place, reply, nil) }
          if let control = bx[.controller] { choices.consider(x, .control, target, place, control, nil) }
        }
      case .cnode:
        for (x, bx) in holders {
          guard let control = bx[.controller] else { continue }
          for u in cnodeOwners[object] ?? [] where u != x {
            work.pairs += 1
            choices.consider(x, .control, u, place, control, nil)
          }
        }
      default: break
      }
    }

    // 5. The direct edges, and the derived ones: a flow with a direct edge is listed directly.
    let direct = directEdges(currentEdges())
    let derived = choices.chosen.filter { $0.choice.cost > 0 }
    /// The thread that held the cap from the start, and the (giver, gainer) pairs from it, in order.
    func chain(_ t: Int, _ k: Int) -> (origin: Int, links: [(giver: Int, gainer: Int)]) {
      var links: [(giver: Int, gainer: Int)] = []
      var at = t
      while let g = gained[at * keyCount + k], g.giver >= 0 {
        links.append((g.giver, at))
        at = g.giver
      }
      return (at, links.reversed())
    }
    func steps(_ pick: Pick) -> [CapStep] {
      if pick.own >= 0 { return own[pick.thread][pick.own].path.steps }
      let origin = chain(pick.thread, pick.key).origin
      let start = sources[pick.key].first { $0.thread == origin } ?? sources[pick.key][0]
      return own[start.thread][start.own].path.steps
    }
    // A gain names the cap of the Grant (or Control) flow the graph lists between the two threads.
    var via: [Int: (kind: AuthorityKind, steps: [CapStep])] = [:]
    for kind in [AuthorityKind.grant, .control] {
      for e in direct where e.kind == kind {
        guard let from = index[e.from], let to = index[e.to] else { continue }
        let pair = kind == .grant ? from * n + to : to * n + from
        if via[pair] == nil { via[pair] = (kind, e.path.steps) }
      }
      for d in derived where d.kind == kind {
        let pair = kind == .grant ? d.from * n + d.to : d.to * n + d.from
        if via[pair] == nil { via[pair] = (kind, steps(d.choice.path)) }
      }
    }
    func path(_ pick: Pick) -> CapPath {
      if pick.own >= 0 { return own[pick.thread][pick.own].path }
      let (origin, links) = chain(pick.thread, pick.key)
      let gains = links.map { l in
        let how = via[l.giver * n + l.gainer] ?? (.grant, [])
        return Gain(from: threads[l.giver], to: threads[l.gainer], kind: how.kind, via: how.steps)
      }
      return CapPath(origin: threads[origin], steps: steps(pick), gains: gains)
    }
    let derivedEdges = derived.map { d in
      AuthorityEdge(
        from: threads[d.from], kind: d.kind, to: threads[d.to], object: objects[d.choice.object].description,
        path: path(d.choice.path), peer: d.choice.peer.map(path))
    }
    return (AuthorityGraph(threads: threads, edges: sortedEdges(direct + derivedEdges)), work)
  }

  /// One direct edge per (from, kind, to, object): the first pair of caps, counting the others.
  private func directEdges(_ edges: [AuthorityEdge]) -> [AuthorityEdge] {
    struct Flow: Hashable {
      var from: String
      var kind: AuthorityKind
      var to: String
      var object: String
    }
    var direct: [AuthorityEdge] = []
    var directIndex: [Flow: Int] = [:]
    for e in edges where !e.isDerived {
      let f = Flow(from: e.from, kind: e.kind, to: e.to, object: e.object)
      if let i = directIndex[f] {
        direct[i].otherPaths += 1
      } else {
        directIndex[f] = direct.count
        direct.append(e)
      }
    }
    return direct
  }

  /// By source, then target (declaration order), then kind, then text. Sorts indices on integer
  /// keys (the text is compared only between edges of one flow), not the edges themselves.
  private func sortedEdges(_ edges: [AuthorityEdge]) -> [AuthorityEdge] {
    let order = Dictionary(threads.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    let keys = edges.map { (order[$0.from] ?? 0, order[$0.to] ?? 0, $0.kind.index) }
    let sorted = edges.indices.sorted { i, j in
      if keys[i] != keys[j] { return keys[i] < keys[j] }
      return edges[i].description < edges[j].description
    }
    return sorted.map { edges[$0] }
  }

}

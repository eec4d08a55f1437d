// Two references for the worklist closure, both straightforward and slow:
// - `run()`: the closure as it was before issue 11, unchanged: every round recomputes every edge
//   from every holding and hands caps on along each Grant and Control edge as it goes, until a
//   round changes nothing (about N^3.8 on a ring of N granting threads; `rounds` and
//   `edgesExamined` counts the edges it builds, with their gains). The worklist must give the same flows.
// - `layered()`: the same rules with the worklist's choice of explanation stated directly: round
//   r + 1 hands on what the holdings after round r allow, each gained cap from the giver whose link
//   is oldest (then first declared). The worklist must give exactly this graph.

import Authority
import CapDL

/// How a thread may use a cap it holds.
enum ReferenceCapUse: Hashable {
  /// In its CSpace, or gained from another thread: the thread can invoke it and pass it on.
  case invocable
  /// In a TCB slot (capDL slot number): the kernel uses it for the thread (faults, the bound
  /// notification, reply caps); the thread cannot name it in a system call.
  case tcbSlot(UInt64)
}

/// One cap a thread holds: where the cap sits, the cap, and how the thread reaches it.
struct ReferenceHeld {
  var key: CapDLSlotRef
  var cap: CapDLCap
  var use: ReferenceCapUse
  var path: CapPath
}

/// capDL's TCB slot keywords (`CapDL/Model.hs`).
let referenceTCBSlotNames: [UInt64: String] = [
  0: "cspace", 1: "vspace", 2: "reply_slot", 3: "caller_slot", 4: "ipc_buffer_slot", 5: "fault_ep_slot",
  6: "sc_slot", 7: "temp_fault_ep_slot", 8: "bound_notification", 9: "bound_vcpu",
]

/// TCB slots whose endpoint cap the kernel sends fault messages through (as a Call).
let referenceFaultSlots: Set<UInt64> = [5, 7]
/// The TCB slot of the bound notification.
let referenceBoundNotificationSlot: UInt64 = 8

struct ReferenceAuthority {
  let model: CapDLModel
  /// Every TCB, by name, in declaration order.
  let threads: [String]
  var held: [String: [ReferenceHeld]] = [:]
  var heldKeys: [String: Set<CapDLSlotRef>] = [:]
  /// The CNodes of each thread's own CSpace (reachable from its `cspace` slot).
  private var cspaceCNodes: [String: Set<CapDLObjectID>] = [:]

  init(model: CapDLModel) {
    self.model = model
    var ids = model.declarationOrder.filter { model.objects[$0]?.type == .tcb }
    let listed = Set(ids)
    ids += model.objects.filter { $0.value.type == .tcb && !listed.contains($0.key) }.keys.sorted()
    threads = ids.map(\.description)
    for id in ids { collect(id) }
  }

  // MARK: Holdings

  /// The caps in a thread's TCB slots and everything reachable from its CSpace root.
  private mutating func collect(_ tcb: CapDLObjectID) {
    let name = tcb.description
    held[name] = []
    heldKeys[name] = []
    cspaceCNodes[name] = []
    for (slot, cap) in (model.caps[tcb] ?? [:]).sorted(by: { $0.key < $1.key }) {
      let step = self.step(tcb, slot, cap, slotName: referenceTCBSlotNames[slot])
      // The CSpace root itself is not invocable (it sits in the TCB); the caps inside it are.
      if slot == 0 {
        if let root = cap.object, model.objects[root]?.type == .cnode { collectCSpace(of: name, root: root, via: step) }
        continue
      }
      add(
        ReferenceHeld(
          key: CapDLSlotRef(tcb, slot), cap: cap, use: .tcbSlot(slot), path: CapPath(origin: name, steps: [step])),
        to: name)
    }
  }

  /// Breadth first through CNode caps, so each cap gets a shortest path.
  private mutating func collectCSpace(of thread: String, root: CapDLObjectID, via rootStep: CapStep) {
    var visited: Set<CapDLObjectID> = [root]
    var queue: [(CapDLObjectID, [CapStep])] = [(root, [rootStep])]
    var next = 0
    while next < queue.count {
      let (cnode, prefix) = queue[next]
      next += 1
      for (slot, cap) in (model.caps[cnode] ?? [:]).sorted(by: { $0.key < $1.key }) {
        let steps = prefix + [step(cnode, slot, cap, slotName: nil)]
        add(
          ReferenceHeld(
            key: CapDLSlotRef(cnode, slot), cap: cap, use: .invocable, path: CapPath(origin: thread, steps: steps)),
          to: thread)
        if let target = cap.object, model.objects[target]?.type == .cnode, !visited.contains(target) {
          visited.insert(target)
          queue.append((target, steps))
        }
      }
    }
    cspaceCNodes[thread] = visited
  }

  mutating func add(_ h: ReferenceHeld, to thread: String) {
    guard heldKeys[thread, default: []].insert(h.key).inserted else { return }
    held[thread, default: []].append(h)
  }

  private func step(_ container: CapDLObjectID, _ slot: UInt64, _ cap: CapDLCap, slotName: String?) -> CapStep {
    let (target, type): (String, String)
    switch cap.target {
    case .object(let id): (target, type) = (id.description, model.objects[id]?.type.rawValue ?? "?")
    case .irqControl: (target, type) = ("irq_control", "control")
    case .asidControl: (target, type) = ("asid_control", "control")
    case .ioSpaceMaster: (target, type) = ("io_space_master", "control")
    case .domain: (target, type) = ("domain", "control")
    case .schedControl(let core): (target, type) = ("sched_control core \(core)", "control")
    }
    return CapStep(
      container: container.description, slot: slot, slotName: slotName, target: target, targetType: type,
      rights: cap.rights.letters(grantAsX: false), badge: cap.badge, replyKind: cap.replyKind?.rawValue)
  }

  // MARK: Edges

  /// The edges the current holdings create (before deduplication).
  func currentEdges() -> [AuthorityEdge] {
    var byObject: [CapDLObjectID: [(thread: String, held: ReferenceHeld)]] = [:]
    for t in threads {
      for h in held[t] ?? [] {
        if let o = h.cap.object { byObject[o, default: []].append((t, h)) }
      }
    }
    var out: [AuthorityEdge] = []
    for (object, holders) in byObject.sorted(by: { $0.key < $1.key }) {
      switch model.objects[object]?.type {
      case .ep: out += endpointEdges(object, holders)
      case .notification: out += notificationEdges(object, holders)
      case .tcb: out += threadEdges(object, holders)
      case .cnode: out += cnodeEdges(object, holders)
      default: break
      }
    }
    return out
  }

  /// Write on one side and Read on the other: Send/Receive; the sender's Grant or GrantReply
  /// adds Call/Reply; the sender's Grant lets it transfer caps to the receiver, and the
  /// receiver's Grant lets it transfer caps back in its reply to a Call.
  private func endpointEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: ReferenceHeld)])
    -> [AuthorityEdge]
  {
    let o = object.description
    let senders = holders.filter { h in
      guard h.held.cap.rights.contains(.write) else { return false }
      switch h.held.use {
      case .invocable: return true
      // The kernel delivers the thread's faults through these slots' endpoint.
      case .tcbSlot(let slot): return referenceFaultSlots.contains(slot)
      }
    }
    let receivers = holders.filter { $0.held.use == .invocable && $0.held.cap.rights.contains(.read) }
    var out: [AuthorityEdge] = []
    for s in senders {
      for r in receivers where s.thread != r.thread {
        let (sp, rp) = (s.held.path, r.held.path)
        let sr = s.held.cap.rights
        out.append(AuthorityEdge(from: s.thread, kind: .send, to: r.thread, object: o, path: sp, peer: rp))
        out.append(AuthorityEdge(from: r.thread, kind: .receive, to: s.thread, object: o, path: rp, peer: sp))
        let canCall = sr.contains(.grant) || sr.contains(.grantReply)
        if canCall {
          out.append(AuthorityEdge(from: s.thread, kind: .call, to: r.thread, object: o, path: sp, peer: rp))
          out.append(AuthorityEdge(from: r.thread, kind: .reply, to: s.thread, object: o, path: rp, peer: sp))
        }
        guard s.held.use == .invocable else { continue }
        if sr.contains(.grant) {
          out.append(AuthorityEdge(from: s.thread, kind: .grant, to: r.thread, object: o, path: sp, peer: rp))
        }
        if canCall && r.held.cap.rights.contains(.grant) {
          out.append(AuthorityEdge(from: r.thread, kind: .grant, to: s.thread, object: o, path: rp, peer: sp))
        }
      }
    }
    return out
  }

  /// Write signals; Read (or Read on the bound notification) waits.
  private func notificationEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: ReferenceHeld)])
    -> [AuthorityEdge]
  {
    let o = object.description
    let signallers = holders.filter { $0.held.use == .invocable && $0.held.cap.rights.contains(.write) }
    let waiters = holders.filter { h in
      guard h.held.cap.rights.contains(.read) else { return false }
      switch h.held.use {
      case .invocable: return true
      // BindNotification needs Read on the cap; a bound thread receives signals in any Recv.
      case .tcbSlot(let slot): return slot == referenceBoundNotificationSlot
      }
    }
    var out: [AuthorityEdge] = []
    for s in signallers {
      for w in waiters where s.thread != w.thread {
        out.append(
          AuthorityEdge(from: s.thread, kind: .signal, to: w.thread, object: o, path: s.held.path, peer: w.held.path))
        out.append(
          AuthorityEdge(from: w.thread, kind: .wait, to: s.thread, object: o, path: w.held.path, peer: s.held.path))
      }
    }
    return out
  }

  /// A TCB cap in the CSpace controls the thread; a reply cap (anywhere) replies to it.
  private func threadEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: ReferenceHeld)])
    -> [AuthorityEdge]
  {
    let o = object.description
    var out: [AuthorityEdge] = []
    for h in holders where h.thread != o {
      if h.held.cap.replyKind != nil {
        out.append(AuthorityEdge(from: h.thread, kind: .reply, to: o, object: o, path: h.held.path, peer: nil))
      } else if h.held.use == .invocable {
        out.append(AuthorityEdge(from: h.thread, kind: .control, to: o, object: o, path: h.held.path, peer: nil))
      }
    }
    return out
  }

  /// A CNode cap in the CSpace to a CNode of another thread's CSpace controls that CSpace.
  private func cnodeEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: ReferenceHeld)])
    -> [AuthorityEdge]
  {
    var out: [AuthorityEdge] = []
    for h in holders where h.held.use == .invocable {
      for u in threads where u != h.thread && cspaceCNodes[u]?.contains(object) == true {
        out.append(
          AuthorityEdge(from: h.thread, kind: .control, to: u, object: object.description, path: h.held.path, peer: nil)
        )
      }
    }
    return out
  }

  // MARK: Closure

  /// Hands caps on along Grant and Control edges until nothing changes, then the final edges.
  func run() -> (graph: AuthorityGraph, rounds: Int, edgesExamined: Int) {
    var state = self
    var rounds = 0
    var examined = 0
    while true {
      let edges = state.currentEdges()
      rounds += 1
      // Each edge is built with both its paths, gains and all.
      examined += edges.reduce(0) { $0 + 1 + $1.path.gains.count + ($1.peer?.gains.count ?? 0) }
      var changed = false
      for e in edges where e.kind == .grant || e.kind == .control {
        // Grant: the receiving side gains the granter's caps. Control: the controller gains the
        // controlled thread's caps (it can make that thread invoke them, or read its CSpace).
        let (giver, gainer) = e.kind == .grant ? (e.from, e.to) : (e.to, e.from)
        for h in state.held[giver] ?? [] where h.use == .invocable {
          guard !(state.heldKeys[gainer]?.contains(h.key) ?? false) else { continue }
          var gained = h
          gained.path.gains.append(Gain(from: giver, to: gainer, kind: e.kind, via: e.path.steps))
          state.add(gained, to: gainer)
          changed = true
        }
      }
      if !changed { return (AuthorityGraph(threads: threads, edges: state.finish(edges)), rounds, examined) }
    }
  }

  /// Direct edges, one per (from, kind, to, object); for a (from, kind, to) with no direct edge,
  /// the derived edge with the fewest gains.
  func finish(_ edges: [AuthorityEdge]) -> [AuthorityEdge] {
    struct Flow: Hashable {
      var from: String
      var kind: AuthorityKind
      var to: String
      var object: String?
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
    let directTriples = Set(direct.map { Flow(from: $0.from, kind: $0.kind, to: $0.to, object: nil) })
    var derived: [Flow: AuthorityEdge] = [:]
    for e in edges where e.isDerived {
      let t = Flow(from: e.from, kind: e.kind, to: e.to, object: nil)
      guard !directTriples.contains(t) else { continue }
      let cost = e.path.gains.count + (e.peer?.gains.count ?? 0)
      if let old = derived[t], old.path.gains.count + (old.peer?.gains.count ?? 0) <= cost { continue }
      derived[t] = e
    }
    let order = Dictionary(uniqueKeysWithValues: threads.enumerated().map { ($1, $0) })
    return (direct + derived.values).sorted { a, b in
      let (fa, fb) = (order[a.from] ?? 0, order[b.from] ?? 0)
      if fa != fb { return fa < fb }
      let (ta, tb) = (order[a.to] ?? 0, order[b.to] ?? 0)
      if ta != tb { return ta < tb }
      if a.kind != b.kind { return a.kind < b.kind }
      return a.description < b.description
    }
  }
}

extension ReferenceAuthority {
  /// The closure in rounds, each computed from all holdings, with the worklist's explanations.
  func layered() -> AuthorityGraph {
    let order = Dictionary(uniqueKeysWithValues: threads.enumerated().map { ($1, $0) })
    var keyIndex: [CapDLSlotRef: Int] = [:]
    for t in threads {
      for h in held[t] ?? [] where h.use == .invocable && keyIndex[h.key] == nil { keyIndex[h.key] = keyIndex.count }
    }
    struct Pair: Hashable {
      var giver: String
      var gainer: String
    }
    var state = self
    let ownCount = threads.map { held[$0]?.count ?? 0 }
    var formed: [Pair: Int] = [:]
    var giverOf: [String: [CapDLSlotRef: String]] = [:]
    var round = 0
    let placeholder = Gain(from: "", to: "", kind: .grant, via: [])
    while true {
      for e in state.currentEdges() where e.kind == .grant || e.kind == .control {
        let pair = e.kind == .grant ? Pair(giver: e.from, gainer: e.to) : Pair(giver: e.to, gainer: e.from)
        if formed[pair] == nil { formed[pair] = round }
      }
      var offers: [(gainer: String, held: ReferenceHeld, giver: String)] = []
      for t in threads {
        var best: [CapDLSlotRef: (formed: Int, order: Int, giver: String, held: ReferenceHeld)] = [:]
        for (pair, when) in formed where pair.gainer == t {
          for h in state.held[pair.giver] ?? []
          where h.use == .invocable && !(state.heldKeys[t]?.contains(h.key) ?? false) {
            let rank = (when, order[pair.giver] ?? 0)
            if let b = best[h.key], (b.formed, b.order) <= rank { continue }
            best[h.key] = (rank.0, rank.1, pair.giver, h)
          }
        }
        for (_, b) in best { offers.append((t, b.held, b.giver)) }
      }
      if offers.isEmpty { break }
      round += 1
      for o in offers {
        var h = o.held
        h.path.gains.append(placeholder)
        state.add(h, to: o.gainer)
        giverOf[o.gainer, default: [:]][h.key] = o.giver
      }
    }
    // Own caps first, then gained ones in the order their caps were first found.
    for (i, t) in threads.enumerated() {
      let items = state.held[t] ?? []
      state.held[t] =
        Array(items.prefix(ownCount[i]))
        + items.dropFirst(ownCount[i]).sorted { (keyIndex[$0.key] ?? 0) < (keyIndex[$1.key] ?? 0) }
    }
    let edges = state.finish(state.currentEdges())
    // A gain names the cap of the first Grant (or else Control) flow listed between the two
    // threads, a direct one before a derived one.
    var via: [Pair: (kind: AuthorityKind, steps: [CapStep])] = [:]
    for kind in [AuthorityKind.grant, .control] {
      for derived in [false, true] {
        for e in state.directOrder(state.currentEdges()) + edges.filter(\.isDerived)
        where e.kind == kind && e.isDerived == derived {
          let pair = kind == .grant ? Pair(giver: e.from, gainer: e.to) : Pair(giver: e.to, gainer: e.from)
          if via[pair] == nil { via[pair] = (kind, e.path.steps) }
        }
      }
    }
    func explained(_ path: CapPath, heldBy holder: String) -> CapPath {
      guard path.isDerived, let last = path.steps.last else { return path }
      let key = keyIndex.keys.first { $0.object.description == last.container && $0.slot == last.slot }
      var links: [Pair] = []
      var at = holder
      while let key, let g = giverOf[at]?[key] {
        links.append(Pair(giver: g, gainer: at))
        at = g
      }
      var result = path
      result.gains = links.reversed().map { l in
        let how = via[l] ?? (.grant, [])
        return Gain(from: l.giver, to: l.gainer, kind: how.kind, via: how.steps)
      }
      return result
    }
    let rebuilt = edges.map { e in
      var e = e
      e.path = explained(e.path, heldBy: e.from)
      e.peer = e.peer.map { explained($0, heldBy: e.to) }
      return e
    }
    return AuthorityGraph(threads: threads, edges: rebuilt)
  }

  /// The direct edges in the order `finish` first meets them.
  func directOrder(_ edges: [AuthorityEdge]) -> [AuthorityEdge] {
    var seen: Set<String> = []
    return edges.filter { e in !e.isDerived && seen.insert("\(e.from) \(e.kind) \(e.to) \(e.object)").inserted }
  }
}

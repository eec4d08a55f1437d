// Computing the authority graph: what each thread holds and the edges those caps create. The
// take-grant closure (a Grant edge or a Control edge hands caps on, which may create new edges,
// until nothing changes) is in `AuthorityAnalysis+Closure.swift`.

import CapDL

/// How a thread may use a cap it holds.
enum CapUse: Hashable {
  /// In its CSpace, or gained from another thread: the thread can invoke it and pass it on.
  case invocable
  /// In a TCB slot (capDL slot number): the kernel uses it for the thread (faults, the bound
  /// notification, reply caps); the thread cannot name it in a system call.
  case tcbSlot(UInt64)
}

/// One cap a thread holds: where the cap sits, the cap, and how the thread reaches it.
struct Held {
  var key: CapDLSlotRef
  var cap: CapDLCap
  var use: CapUse
  var path: CapPath
}

/// capDL's TCB slot keywords (`CapDL/Model.hs`).
let tcbSlotNames: [UInt64: String] = [
  0: "cspace", 1: "vspace", 2: "reply_slot", 3: "caller_slot", 4: "ipc_buffer_slot", 5: "fault_ep_slot",
  6: "sc_slot", 7: "temp_fault_ep_slot", 8: "bound_notification", 9: "bound_vcpu",
]

/// TCB slots whose endpoint cap the kernel sends fault messages through (as a Call).
let faultSlots: Set<UInt64> = [5, 7]
/// The TCB slot of the bound notification.
let boundNotificationSlot: UInt64 = 8

struct AuthorityAnalysis {
  let model: CapDLModel
  /// Every TCB, by name, in declaration order.
  let threads: [String]
  /// What each thread holds from the start, in the order it was found.
  private(set) var held: [String: [Held]] = [:]
  private var heldKeys: [String: Set<CapDLSlotRef>] = [:]
  /// The CNodes of each thread's own CSpace (reachable from its `cspace` slot).
  private(set) var cspaceCNodes: [String: Set<CapDLObjectID>] = [:]

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
      let step = self.step(tcb, slot, cap, slotName: tcbSlotNames[slot])
      // The CSpace root itself is not invocable (it sits in the TCB); the caps inside it are.
      if slot == 0 {
        if let root = cap.object, model.objects[root]?.type == .cnode { collectCSpace(of: name, root: root, via: step) }
        continue
      }
      add(
        Held(key: CapDLSlotRef(tcb, slot), cap: cap, use: .tcbSlot(slot), path: CapPath(origin: name, steps: [step])),
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
          Held(key: CapDLSlotRef(cnode, slot), cap: cap, use: .invocable, path: CapPath(origin: thread, steps: steps)),
          to: thread)
        if let target = cap.object, model.objects[target]?.type == .cnode, !visited.contains(target) {
          visited.insert(target)
          queue.append((target, steps))
        }
      }
    }
    cspaceCNodes[thread] = visited
  }

  private mutating func add(_ h: Held, to thread: String) {
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

  /// The edges the holdings create (before deduplication); the closure calls it on the threads'
  /// own holdings, for the direct edges.
  func currentEdges() -> [AuthorityEdge] {
    var byObject: [CapDLObjectID: [(thread: String, held: Held)]] = [:]
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
  private func endpointEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: Held)]) -> [AuthorityEdge] {
    let o = object.description
    let senders = holders.filter { h in
      guard h.held.cap.rights.contains(.write) else { return false }
      switch h.held.use {
      case .invocable: return true
      // The kernel delivers the thread's faults through these slots' endpoint.
      case .tcbSlot(let slot): return faultSlots.contains(slot)
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
  private func notificationEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: Held)]) -> [AuthorityEdge]
  {
    let o = object.description
    let signallers = holders.filter { $0.held.use == .invocable && $0.held.cap.rights.contains(.write) }
    let waiters = holders.filter { h in
      guard h.held.cap.rights.contains(.read) else { return false }
      switch h.held.use {
      case .invocable: return true
      // BindNotification needs Read on the cap; a bound thread receives signals in any Recv.
      case .tcbSlot(let slot): return slot == boundNotificationSlot
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
  private func threadEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: Held)]) -> [AuthorityEdge] {
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
  private func cnodeEdges(_ object: CapDLObjectID, _ holders: [(thread: String, held: Held)]) -> [AuthorityEdge] {
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
}

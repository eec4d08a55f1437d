// Checking `expect` lines on the abstract state.

import AbstractSpec
import KernelABI
import Refinement

extension Runner {
  func check(_ e: Expectation) throws(RunFailure) {
    let s = state
    switch e {
    case .endpoint, .notification, .reply, .replyStack, .schedContextUse:
      try checkOnLayers(e)
    case .current(let n):
      let expected: ObjectRef? = try n.map { (n) throws(RunFailure) in try objectRef(n) }
      // The idle thread is written `idle` (nil).
      let actual: ObjectRef? = s.isIdle(s.currentThread) ? nil : s.currentThread
      guard actual != expected else { return }
      throw fail([
        "expected: current == \(n?.text ?? "idle")",
        "actual:   current == \(actual.map { describer.name(of: $0) } ?? "idle")",
        "objects:  "
          + ([expected, actual].compactMap { $0 }.map { describer.object($0, in: s) }
            .joined(separator: "; ")),
      ])
    case .readyQueue(let priority, let names):
      let expected = try names.map { (n) throws(RunFailure) in try objectRef(n) }
      let actual = s.readyQueue(ReadyQueueIndex(domain: s.curDomain, priority: priority))
      guard actual != expected else { return }
      func list(_ threads: [ObjectRef]) -> String {
        "[" + threads.map { describer.name(of: $0) }.joined(separator: ", ") + "]"
      }
      throw fail([
        "expected: queue(\(priority)) == [\(names.map(\.text).joined(separator: ", "))]",
        "actual:   queue(\(priority)) == \(list(actual))",
      ])
    case .threadState(let n, let expectedState):
      let r = try objectRef(n)
      guard case .tcb(let tcb)? = s.kheap[r] else {
        throw fail([
          "expected: \(n) is a thread in state \(expectedState.rawValue)", "actual:   \(describer.object(r, in: s))",
        ])
      }
      let actual = Describer.state(tcb.state)
      guard actual != expectedState.rawValue else { return }
      throw fail([
        "expected: \(n).state == \(expectedState.rawValue)", "actual:   \(n).state == \(actual)",
        "objects:  \(describer.object(r, in: s))",
      ])
    case .threadField(let n, let field, let expected):
      let r = try objectRef(n)
      guard case .tcb(let tcb)? = s.kheap[r] else {
        throw fail([
          "expected: \(n) is a thread with \(field.rawValue) \(expected)", "actual:   \(describer.object(r, in: s))",
        ])
      }
      let actual =
        switch field {
        case .priority: tcb.priority
        case .mcp: tcb.maxControlledPriority
        case .badge: tcb.context.badgeRegister
        }
      guard actual != expected else { return }
      throw fail([
        "expected: \(n).\(field.rawValue) == \(expected)", "actual:   \(n).\(field.rawValue) == \(actual)",
        "objects:  \(describer.object(r, in: s))",
      ])
    case .threadBinding(let n, let binding, let expectedName):
      let r = try objectRef(n)
      guard case .tcb(let tcb)? = s.kheap[r] else {
        throw fail([
          "expected: \(n) is a thread bound to \(expectedName?.text ?? "no \(binding.rawValue)")",
          "actual:   \(describer.object(r, in: s))",
        ])
      }
      let expected: ObjectRef? = try expectedName.map { (o) throws(RunFailure) in try objectRef(o) }
      let actual =
        switch binding {
        case .ntfn: tcb.boundNotification
        case .sc: tcb.schedContext
        }
      guard actual != expected else { return }
      throw fail([
        "expected: \(n).\(binding.rawValue) == \(expectedName?.text ?? "none")",
        "actual:   \(n).\(binding.rawValue) == \(actual.map { describer.name(of: $0) } ?? "none")",
        "objects:  \(describer.object(r, in: s))",
      ])
    case .threadRegister(let n, let register, let expected):
      let r = try objectRef(n)
      guard case .tcb(let tcb)? = s.kheap[r] else {
        throw fail([
          "expected: \(n) is a thread with \(register.name) \(expected)", "actual:   \(describer.object(r, in: s))",
        ])
      }
      let actual = tcb.context.getRegister(register)
      guard actual != expected else { return }
      throw fail([
        "expected: \(n).\(register.name) == \(hex(expected))", "actual:   \(n).\(register.name) == \(hex(actual))",
      ])
    case .exists(let n), .gone(let n):
      let wanted: Bool
      if case .exists = e { wanted = true } else { wanted = false }
      let present: Bool
      let detail: String
      switch try named(n) {
      case .object(let r):
        present = s.kheap[r] != nil
        detail = describer.object(r, in: s)
      case .untyped(let base, let sizeBits):
        let holders = s.capsOfState.filter {
          if case .untyped(base, sizeBits, _, _) = $0.cap { return true }
          return false
        }
        present = !holders.isEmpty
        detail =
          "\(n): "
          + (holders.isEmpty
            ? "no untyped cap to this region"
            : holders.map { describer.slotDetails($0.slot, in: s) }.joined(separator: "; "))
      }
      guard present != wanted else { return }
      throw fail([
        "expected: \(n) \(wanted ? "exists" : "is gone")", "actual:   \(n) \(present ? "exists" : "is gone")",
        "objects:  \(detail)",
      ])
    case .parent(let child, let parent):
      let c = try slotRef(child)
      let expected = try parent.map { (p) throws(RunFailure) in try slotRef(p) }
      guard s.cdt[c] != expected else { return }
      throw fail([
        "expected: parent(\(child)) == \(parent.map { "\($0)" } ?? "none")",
        "actual:   parent(\(child)) == \(s.cdt[c].map { describer.slot($0) } ?? "none")",
        "objects:  "
          + ([c] + [expected, s.cdt[c]].compactMap { $0 }).map { describer.slotDetails($0, in: s) }
          .joined(separator: "; "),
      ])
    case .original(let slot, let wanted):
      let r = try slotRef(slot)
      guard s.isOriginalCap.contains(r) != wanted else { return }
      throw fail([
        "expected: original(\(slot)) == \(wanted)", "actual:   original(\(slot)) == \(!wanted)",
        "objects:  \(describer.slotDetails(r, in: s))",
      ])
    case .slot(let slot, let pattern):
      let r = try slotRef(slot)
      let cap = s.getCap(r)
      if let problem = try mismatch(cap, pattern) {
        throw fail([
          "expected: \(slot) == \(describe(pattern))", "actual:   \(slot) == \(describer.cap(cap)) (\(problem))",
          "objects:  \(describer.slotDetails(r, in: s)); \(describer.object(r.container, in: s))",
        ])
      }
    }
  }

  func describe(_ p: CapPattern) -> String {
    var text = p.kind.rawValue
    if let o = p.object {
      switch o {
      case .name(let n): text += "(\(n))"
      case .number(let n): text += "(\(n.magnitude))"
      case .slot(let s): text += "(\(s))"
      case .list: break
      }
    }
    if let r = p.rights { text += " rights \(Describer.rights(r))" }
    if let b = p.badge { text += " badge \(b)" }
    if let g = p.guardValue { text += " guard \(g)" }
    if let g = p.guardSize { text += " guardSize \(g)" }
    if let r = p.radix { text += " radix \(r)" }
    if let f = p.freeIndex { text += " free \(f)" }
    if let z = p.sizeBits { text += " size \(z)" }
    if let d = p.device { text += " device \(d)" }
    return text
  }

  /// Why `cap` does not match `p`, or nil when it does.
  func mismatch(_ cap: Capability, _ p: CapPattern) throws(RunFailure) -> String? {
    var kind: CapKind
    var rights: CapRights?
    var badge: UInt64?
    var guardValue: UInt64?
    var guardSize: UInt64?
    var radix: UInt64?
    var freeIndex: UInt64?
    var sizeBits: UInt64?
    var device: Bool?
    var number: UInt64?
    switch cap {
    case .null: kind = .null
    case .untyped(let base, let size, let isDevice, let free):
      (kind, number, sizeBits, device, freeIndex) = (.untyped, base, size, isDevice, free)
    case .endpoint(let r, let b, let rs): (kind, number, badge, rights) = (.endpoint, r, b, rs)
    case .notification(let r, let b, let rs): (kind, number, badge, rights) = (.notification, r, b, rs)
    case .reply(let r, let g): (kind, number, rights) = (.reply, r, g ? CapRights.grant : CapRights())
    case .cnode(let r, let rad, let gs, let g): (kind, number, radix, guardSize, guardValue) = (.cnode, r, rad, gs, g)
    case .thread(let r): (kind, number) = (.thread, r)
    case .schedContext(let r, let size): (kind, number, sizeBits) = (.schedContext, r, size)
    case .schedControl(let core): (kind, number) = (.schedControl, core)
    case .irqControl: kind = .irqControl
    case .irqHandler(let irq): (kind, number) = (.irqHandler, irq)
    case .domain: kind = .domain
    }
    if kind != p.kind { return "a different kind of cap" }
    if let o = p.object {
      switch o {
      case .number(let n): if number != n.magnitude { return "a different object" }
      case .name(let n):
        switch try named(n) {
        case .object(let r): if kind == .untyped || number != r { return "a different object" }
        case .untyped(let base, let size):
          if kind != .untyped || number != base || sizeBits != size { return "a different region" }
        }
      case .slot, .list: throw fail(["name the object by its name or address"])
      }
    }
    func differs<T: Equatable>(_ want: T?, _ have: T?, _ what: String) -> String? {
      guard let want else { return nil }
      return want == have ? nil : "\(what) differs"
    }
    return differs(p.rights, rights ?? (kind == .null ? nil : CapRights()), "rights")
      ?? differs(p.badge, badge, "badge") ?? differs(p.guardValue, guardValue, "guard")
      ?? differs(p.guardSize, guardSize, "guard size") ?? differs(p.radix, radix, "radix")
      ?? differs(p.freeIndex, freeIndex, "free index") ?? differs(p.sizeBits, sizeBits, "size")
      ?? differs(p.device, device, "device flag")
  }
}

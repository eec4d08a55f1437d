// Human-readable dumps of the three layers' states, one line per thing a reader looks for: the
// current thread, each object, each filled slot. Objects and slots are named from the system plan
// where it names them (`root_cnode[3]`), by address otherwise. A line's key is stable across steps,
// so that two dumps can be compared line by line to show what a step changed.

public import AbstractSpec
public import ExecutableSpec
public import Kernel
public import KernelABI

/// One line of a state dump.
public struct DumpLine: Codable, Sendable, Hashable {
  /// Stable across steps and sorting in display order.
  public var key: String
  /// What the line is about (`current thread`, `main`, `root_cnode[3]`).
  public var label: String
  public var text: String

  public init(key: String, label: String, text: String) {
    self.key = key
    self.label = label
    self.text = text
  }
}

/// Names for addresses and slots, from a system plan.
public struct PlanNames: Sendable {
  private let names: [ObjectRef: String]

  public init(plan: SystemPlan) {
    var names: [ObjectRef: String] = [:]
    for object in plan.objects where names[object.address] == nil { names[object.address] = object.name }
    self.names = names
  }

  /// The plan's name of the object at `address`, or the address in hex.
  public func object(_ address: ObjectRef) -> String { names[address] ?? hex(address) }

  public func slot(_ slot: SlotRef) -> String { "\(object(slot.container))[\(slot.index)]" }

  public func slot(_ slot: SlotRef?) -> String { slot.map { self.slot($0) } ?? "-" }

  /// A capability with the objects it names given by name.
  public func cap(_ cap: Capability) -> String {
    switch cap {
    case .null: return "null"
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      return "untyped(\(object(base)), 2^\(sizeBits)\(isDevice ? ", device" : ""), free index \(hex(freeIndex)))"
    case .endpoint(let r, let badge, let rights):
      return "endpoint(\(object(r))\(badge == 0 ? "" : ", badge \(badge)"), \(self.rights(rights)))"
    case .notification(let r, let badge, let rights):
      return "notification(\(object(r))\(badge == 0 ? "" : ", badge \(badge)"), \(self.rights(rights)))"
    case .reply(let r, let canGrant): return "reply(\(object(r))\(canGrant ? ", grant" : ""))"
    case .cnode(let r, let radix, let guardSize, let guardValue):
      return "cnode(\(object(r)), radix \(radix), guard \(hex(guardValue))/\(guardSize))"
    case .thread(let r): return "thread(\(object(r)))"
    case .schedContext(let r, let sizeBits): return "schedContext(\(object(r)), 2^\(sizeBits))"
    case .schedControl(let core): return "schedControl(core \(core))"
    case .irqControl: return "irqControl"
    case .irqHandler(let irq): return "irqHandler(\(irq))"
    case .domain: return "domain"
    }
  }

  /// `RWGP` style, `-` for none.
  public func rights(_ rights: CapRights) -> String {
    let letters: [(CapRights, String)] = [(.read, "R"), (.write, "W"), (.grant, "G"), (.grantReply, "P")]
    let text = letters.filter { rights.contains($0.0) }.map(\.1).joined()
    return text.isEmpty ? "-" : text
  }
}

/// Zero-padded hex, so that keys sort in address order.
private func sortable(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}

private func currentLine(_ names: PlanNames, _ current: ObjectRef?) -> DumpLine {
  DumpLine(key: "0", label: "current thread", text: current.map { names.object($0) } ?? "idle")
}

private func objectLine(_ names: PlanNames, _ address: ObjectRef, _ text: String) -> DumpLine {
  DumpLine(key: "1 \(sortable(address))", label: names.object(address), text: "\(text) at \(hex(address))")
}

private func slotLine(_ names: PlanNames, _ slot: SlotRef, _ text: String) -> DumpLine {
  DumpLine(key: "2 \(sortable(slot.container)) \(sortable(slot.index))", label: names.slot(slot), text: text)
}

// MARK: - The three layers

extension AbstractState {
  /// One line for the current thread, each object, and each filled slot (cap, CDT parent, original).
  public func dump(names: PlanNames) -> [DumpLine] {
    var lines = [currentLine(names, currentThread)]
    for (address, object) in kheap.sorted(by: { $0.key < $1.key }) {
      let text: String
      switch object {
      case .cnode(let cnode): text = "CNode, radix \(cnode.radix)"
      case .tcb(let tcb): text = "TCB \(tcb.state), priority \(tcb.priority), MCP \(tcb.maxControlledPriority)"
      case .endpoint: text = "endpoint"
      case .notification: text = "notification"
      case .reply: text = "reply"
      case .schedContext(let sizeBits): text = "scheduling context, 2^\(sizeBits) bytes"
      case .opaque(let kind, let sizeBits): text = "\(kind), 2^\(sizeBits) bytes"
      }
      lines.append(objectLine(names, address, text))
    }
    for (slot, cap) in capsOfState.sorted(by: { $0.slot < $1.slot }) where !cap.isNull {
      var text = names.cap(cap)
      if let parent = cdt[slot] { text += "; parent \(names.slot(parent))" }
      if isOriginalCap.contains(slot) { text += "; original" }
      lines.append(slotLine(names, slot, text))
    }
    return lines
  }
}

extension ExecState {
  /// One line for the current thread, each object, and each filled slot (cap and MDB node).
  public func dump(names: PlanNames) -> [DumpLine] {
    var lines = [currentLine(names, ksCurThread)]
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      let text: String
      switch object {
      case .cnode(let cnode): text = "CNode, radix \(cnode.radix)"
      case .tcb(let tcb): text = "TCB \(tcb.state), priority \(tcb.priority), MCP \(tcb.maxControlledPriority)"
      case .endpoint: text = "endpoint"
      case .notification: text = "notification"
      case .reply: text = "reply"
      case .schedContext(let sizeBits): text = "scheduling context, 2^\(sizeBits) bytes"
      case .opaque(let kind, let sizeBits): text = "\(kind), 2^\(sizeBits) bytes"
      }
      lines.append(objectLine(names, address, text))
    }
    for slot in allSlots {
      guard let cte = cte(at: slot), cte != .null else { continue }
      let m = cte.mdb
      var text = "\(names.cap(cte.cap)); prev \(names.slot(m.prev)), next \(names.slot(m.next))"
      if m.revocable { text += ", revocable" }
      if m.firstBadged { text += ", firstBadged" }
      lines.append(slotLine(names, slot, text))
    }
    return lines
  }
}

extension KernelState {
  /// One line for the current thread, each object, and each slot whose words are not all zero:
  /// the cap decoded from its two words (shown raw too), and the MDB node.
  public func dump(names: PlanNames) -> [DumpLine] {
    var lines = [currentLine(names, ksCurThread)]
    let locator = cteLocator
    var slots: [SlotRef] = []
    for (address, kind) in objects.sorted(by: { $0.key < $1.key }) {
      var text = "\(kind)"
      switch kind {
      case .tcb:
        let state = threadState(of: address).map { "\($0)" } ?? "?"
        text = "tcb \(state), priority \(priority(of: address) ?? 0), MCP \(maxControlledPriority(of: address) ?? 0)"
        slots += (0..<TCBSlot.count).map { SlotRef(address, $0) }
      case .cnode(let radix) where radix < 32:
        slots += (0..<(UInt64(1) << radix)).map { SlotRef(address, $0) }
      case .cnode, .endpoint, .notification, .schedContext, .reply, .opaque:
        break
      }
      lines.append(objectLine(names, address, text))
    }
    for slot in slots {
      guard let cte = cteAddress(of: slot), let w0 = load(cte &+ ObjectLayout.cteCapWord0),
        let w1 = load(cte &+ ObjectLayout.cteCapWord1)
      else { continue }
      let node = mdbNode(at: slot, locator: locator)
      let m0 = load(cte &+ ObjectLayout.cteMDBWord0) ?? 0
      let m1 = load(cte &+ ObjectLayout.cteMDBWord1) ?? 0
      if w0 == 0 && w1 == 0 && m0 == 0 && m1 == 0 { continue }
      var text = capability(at: slot).map { names.cap($0) } ?? "undecodable"
      text += " [\(hex(w0)) \(hex(w1))]"
      if let node {
        text += "; prev \(names.slot(node.prev)), next \(names.slot(node.next))"
        if node.revocable { text += ", revocable" }
        if node.firstBadged { text += ", firstBadged" }
      }
      lines.append(slotLine(names, slot, text))
    }
    return lines
  }
}

// How reports name things: objects by their names, caps as `expect slot` lines write them,
// observations as `->` outcomes write them, so that a failure message can be pasted back.

import AbstractSpec
import KernelABI

/// Names for addresses, slots, caps and observations, from the system's and the script's names.
struct Describer {
  var names: [String: NamedObject]

  func name(of address: ObjectRef) -> String {
    let hits = names.filter { $0.value == .object(address) }.keys.sorted()
    return hits.first ?? "0x" + String(address, radix: 16)
  }

  func untypedName(base: UInt64, sizeBits: UInt64) -> String {
    let hits = names.filter { $0.value == .untyped(base: base, sizeBits: sizeBits) }.keys.sorted()
    return hits.first ?? "0x" + String(base, radix: 16)
  }

  func slot(_ s: SlotRef) -> String { "slot(\(name(of: s.container)), \(s.index))" }

  static func rights(_ r: CapRights) -> String { r.isEmpty ? "none" : r.description }

  func cap(_ c: Capability) -> String {
    switch c {
    case .null: "null"
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      "untyped(\(untypedName(base: base, sizeBits: sizeBits))) size \(sizeBits) free \(freeIndex)"
        + (isDevice ? " device true" : "")
    case .endpoint(let r, let badge, let rights):
      "endpoint(\(name(of: r))) rights \(Describer.rights(rights)) badge \(badge)"
    case .notification(let r, let badge, let rights):
      "notification(\(name(of: r))) rights \(Describer.rights(rights)) badge \(badge)"
    case .reply(let r, let canGrant): "reply(\(name(of: r))) rights \(canGrant ? "G" : "none")"
    case .cnode(let r, let radix, let guardSize, let guardValue):
      "cnode(\(name(of: r))) radix \(radix) guard \(guardValue) guardSize \(guardSize)"
    case .thread(let r): "thread(\(name(of: r)))"
    case .schedContext(let r, let sizeBits): "schedContext(\(name(of: r))) size \(sizeBits)"
    case .schedControl(let core): "schedControl(\(core))"
    case .irqControl: "irqControl"
    case .irqHandler(let irq): "irqHandler(\(irq))"
    case .domain: "domain"
    }
  }

  static func fault(_ f: ThreadFault) -> String {
    switch f {
    case .capFault(let address, let inReceivePhase, let failure):
      "CapFault(address: 0x\(String(address, radix: 16)), inReceivePhase: \(inReceivePhase), failure: \(failure))"
    case .unknownSyscall(let number): "UnknownSyscall(number: \(number))"
    }
  }

  func observation(_ o: Observation) -> String {
    var text: String
    if let n = o.notModelled {
      text = "notModelled \"\(n)\""
    } else if let f = o.fault {
      text = "fault \(Describer.fault(f))"
    } else if let r = o.reply {
      text = r == .success ? "NoError" : "\(r)"
    } else {
      text = "ok (no reply)"
    }
    if o.current != o.caller { text += "; current is now \(o.current.map { name(of: $0) } ?? "idle")" }
    return text
  }

  static func outcome(_ o: Outcome) -> String {
    switch o {
    case .noError: "NoError"
    case .error(let code, nil): code.shortName
    case .error(_, let e?): "\(e)"
    case .fault(nil): "fault"
    case .fault(let f?): "fault \(fault(f))"
    case .notModelled(nil): "notModelled"
    case .notModelled(let n?): "notModelled \"\(n)\""
    case .ok: "ok"
    }
  }

  /// An object as it is in the abstract state.
  func object(_ address: ObjectRef, in state: AbstractState) -> String {
    let head = "\(name(of: address)) @ 0x\(String(address, radix: 16))"
    switch state.kheap[address] {
    case nil: return "\(head): no object"
    case .cnode(let c)?:
      let filled = c.slots.keys.sorted().map { "\($0): \(cap(c.slots[$0] ?? .null))" }
      let shown = filled.prefix(8).joined(separator: "; ") + (filled.count > 8 ? "; … \(filled.count - 8) more" : "")
      return "\(head): CNode radix \(c.radix) {\(shown)}"
    case .tcb(let t)?:
      let slots = t.slots.keys.sorted().map { "\($0): \(cap(t.slots[$0] ?? .null))" }.joined(separator: "; ")
      return
        "\(head): TCB \(Describer.state(t.state)), priority \(t.priority), MCP \(t.maxControlledPriority) {\(slots)}"
    case .endpoint?: return "\(head): endpoint"
    case .notification?: return "\(head): notification"
    case .reply?: return "\(head): reply"
    case .schedContext(let bits)?: return "\(head): scheduling context of 2^\(bits) bytes"
    case .opaque(let kind, let bits)?: return "\(head): \(kind) of 2^\(bits) bytes"
    }
  }

  /// A slot with its cap, CDT parent and originality.
  func slotDetails(_ s: SlotRef, in state: AbstractState) -> String {
    let c = state.getCap(s)
    var text = "\(slot(s)) = \(cap(c))"
    if c != .null {
      text += ", CDT parent " + (state.cdt[s].map { slot($0) } ?? "none")
      text += state.isOriginalCap.contains(s) ? ", original" : ", derived"
    }
    return text
  }

  static func state(_ s: ThreadState) -> String {
    switch s {
    case .running: "Running"
    case .restart: "Restart"
    case .inactive: "Inactive"
    }
  }
}

// How the explorer names things: objects by the names the system description gave them, slots as
// `slot(CNODE, INDEX)` (the scenario language's form, so a slot can be pasted into `do`), caps as
// `expect slot` lines write them. Addresses appear only for objects that have no name (made by
// retype during the trace).

public import KernelABI
public import Scenario

/// Names for addresses, slots and caps, and the reverse lookup for commands.
public struct Naming: Sendable {
  /// What each name stands for (system objects, untyped regions, scenario `name` bindings).
  public var byName: [String: NamedObject]
  /// The preferred name of each named object.
  var objectNames: [ObjectRef: String] = [:]
  var untypedNames: [UInt64: [UInt64: String]] = [:]

  public init(_ byName: [String: NamedObject]) {
    self.byName = byName
    // Sorted, so that of several names for one object the same one always wins.
    for (name, named) in byName.sorted(by: { $0.key < $1.key }) {
      switch named {
      case .object(let address): if objectNames[address] == nil { objectNames[address] = name }
      case .untyped(let base, let sizeBits):
        if untypedNames[base]?[sizeBits] == nil { untypedNames[base, default: [:]][sizeBits] = name }
      }
    }
  }

  /// The object's name, or its address in hex.
  public func object(_ address: ObjectRef) -> String { objectNames[address] ?? hex(address) }

  /// The object's name, if it has one.
  func nameIfAny(_ address: ObjectRef) -> String? { objectNames[address] }

  public func slot(_ s: SlotRef) -> String { "slot(\(object(s.container)), \(s.index))" }

  func untyped(base: UInt64, sizeBits: UInt64) -> String {
    untypedNames[base]?[sizeBits] ?? hex(base)
  }

  static func rights(_ r: CapRights) -> String { r.isEmpty ? "none" : r.description }

  /// A capability in the words of an `expect slot` line.
  public func cap(_ c: Capability) -> String {
    switch c {
    case .null: "null"
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      "untyped(\(untyped(base: base, sizeBits: sizeBits))) size \(sizeBits) free \(freeIndex)"
        + (isDevice ? " device" : "")
    case .endpoint(let r, let badge, let rights):
      "endpoint(\(object(r))) rights \(Naming.rights(rights)) badge \(badge)"
    case .notification(let r, let badge, let rights):
      "notification(\(object(r))) rights \(Naming.rights(rights)) badge \(badge)"
    case .reply(let r, let canGrant): "reply(\(object(r))) rights \(canGrant ? "G" : "none")"
    case .cnode(let r, let radix, let guardSize, let guardValue):
      "cnode(\(object(r))) radix \(radix) guard \(guardValue) guardSize \(guardSize)"
    case .thread(let r): "thread(\(object(r)))"
    case .schedContext(let r, let sizeBits): "schedContext(\(object(r))) size \(sizeBits)"
    case .schedControl(let core): "schedControl(\(core))"
    case .irqControl: "irqControl"
    case .irqHandler(let irq): "irqHandler(\(irq))"
    case .domain: "domain"
    }
  }

  /// An observation as a scenario outcome would say it.
  func observation(_ o: Observation) -> String {
    var text: String
    if let n = o.notModelled {
      text = "notModelled \"\(n)\""
    } else if let f = o.fault {
      switch f {
      case .capFault(let address, let inReceivePhase, let failure):
        text = "fault CapFault(address: \(hex(address)), inReceivePhase: \(inReceivePhase), failure: \(failure))"
      case .unknownSyscall(let number): text = "fault UnknownSyscall(number: \(number))"
      }
    } else if let r = o.reply {
      text = r == .success ? "NoError" : "\(r)"
    } else {
      text = "ok (no reply)"
    }
    if o.current != o.caller { text += "; current is now \(thread(o.current))" }
    return text
  }

  /// A thread, or `idle`.
  func thread(_ t: ObjectRef?) -> String { t.map { object($0) } ?? "idle" }

  /// `text` (an explanation written by a layer) with slots `(0x…, i)` as `slot(NAME, i)` and
  /// named objects' addresses as their names.
  public func annotate(_ text: String) -> String {
    let slots = #/\(0x([0-9a-fA-F]+), ([0-9]+)\)/#
    var result = text.replacing(slots) { match in
      guard let address = UInt64(match.output.1, radix: 16), let name = nameIfAny(address) else {
        return String(match.output.0)
      }
      return "slot(\(name), \(match.output.2))"
    }
    let addresses = #/0x([0-9a-fA-F]+)/#
    result = result.replacing(addresses) { match in
      guard let address = UInt64(match.output.1, radix: 16), let name = nameIfAny(address) else {
        return String(match.output.0)
      }
      return name
    }
    return result
  }

  /// The names of objects, sorted: for hints.
  var objectNameList: [String] {
    byName.compactMap { if case .object = $0.value { $0.key } else { nil } }.sorted()
  }
}

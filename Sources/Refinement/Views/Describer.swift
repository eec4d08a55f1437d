// How the tools name things, in the scenario language's own words: objects by the names the
// system and the script gave them, slots as `slot(CNODE, INDEX)`, caps as an `expect slot` line
// writes them and results as a `->` outcome writes them. Scenario failure messages, the explorer,
// the trace report's state dumps and the HTML page all describe with this one type, so whatever
// they print can be pasted back into a script (ScenarioTests' describer round trip parses every
// capability kind and result shape).

public import AbstractSpec
public import KernelABI

/// What a name stands for.
public enum NamedObject: Hashable, Sendable {
  /// A kernel object at this address.
  case object(ObjectRef)
  /// An untyped region (a name for its capabilities, not an object).
  case untyped(base: UInt64, sizeBits: UInt64)
}

/// Names for addresses, slots, caps and observations, from the system's and the script's names.
public struct Describer: Sendable {
  /// What each name stands for (system objects, untyped regions, scenario `name` bindings).
  public var names: [String: NamedObject] { didSet { index() } }
  /// The preferred name of each named object and untyped region.
  private var objectNames: [ObjectRef: String] = [:]
  private var untypedNames: [UInt64: [UInt64: String]] = [:]

  public init(names: [String: NamedObject]) {
    self.names = names
    index()
  }

  /// The names a system plan gives its objects.
  public init(plan: SystemPlan) {
    var names: [String: NamedObject] = [:]
    for object in plan.objects { names[object.name] = .object(object.address) }
    self.init(names: names)
  }

  private mutating func index() {
    objectNames = [:]
    untypedNames = [:]
    // Sorted, so that of several names for one object the same one always wins.
    for (name, named) in names.sorted(by: { $0.key < $1.key }) {
      switch named {
      case .object(let address): if objectNames[address] == nil { objectNames[address] = name }
      case .untyped(let base, let sizeBits):
        if untypedNames[base]?[sizeBits] == nil { untypedNames[base, default: [:]][sizeBits] = name }
      }
    }
  }

  // MARK: Names

  /// The object's name, or its address in hex.
  public func name(of address: ObjectRef) -> String { nameIfAny(address) ?? "0x" + String(address, radix: 16) }

  /// The object's name, if it has one: the idle thread and its scheduling context, which no
  /// system names, are `idle` and `idle_sc` unless the system gives those names to its own objects.
  public func nameIfAny(_ address: ObjectRef) -> String? {
    if let name = objectNames[address] { return name }
    for (name, idle) in Describer.idleNames where idle == address && names[name] == nil { return name }
    return nil
  }

  /// The kernel's own objects by the names the tools give them.
  public static let idleNames: [(name: String, address: ObjectRef)] = [
    ("idle", KernelConstants.idleThreadPtr), ("idle_sc", KernelConstants.idleSCPtr),
  ]

  /// What `name` stands for: a system or script name, or `idle` / `idle_sc` for the idle thread
  /// and its scheduling context when nothing else has that name.
  public func lookup(_ name: String) -> NamedObject? {
    if let named = names[name] { return named }
    return Describer.idleNames.first { $0.name == name }.map { .object($0.address) }
  }

  /// The untyped region's name, or its base in hex.
  public func untypedName(base: UInt64, sizeBits: UInt64) -> String {
    untypedNames[base]?[sizeBits] ?? "0x" + String(base, radix: 16)
  }

  /// A thread, or `idle`.
  public func thread(_ t: ObjectRef?) -> String { t.map { name(of: $0) } ?? "idle" }

  /// `slot(CNODE, INDEX)`, as a script writes a slot.
  public func slot(_ s: SlotRef) -> String { "slot(\(name(of: s.container)), \(s.index))" }

  // MARK: Capabilities

  /// Rights letters as an `expect slot` line writes them (`none` for no rights).
  public static func rights(_ r: CapRights) -> String { r.isEmpty ? "none" : r.description }

  /// A capability in the words of an `expect slot` line: every field, so the line pins the cap.
  public func cap(_ c: Capability) -> String {
    switch c {
    case .null: "null"
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      "untyped(\(untypedName(base: base, sizeBits: sizeBits))) size \(sizeBits) free \(freeIndex) device \(isDevice)"
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

  // MARK: Observations and outcomes

  /// A fault as an outcome term writes it: `CapFault(address: 0x…, inReceivePhase: …, failure: …)`.
  public static func fault(_ f: ThreadFault) -> String {
    switch f {
    case .capFault(let address, let inReceivePhase, let failure):
      "CapFault(address: 0x\(String(address, radix: 16)), inReceivePhase: \(inReceivePhase), failure: \(failure))"
    case .unknownSyscall(let number): "UnknownSyscall(number: \(number))"
    case .userException(let number, let code): "UserException(number: \(number), code: \(code))"
    case .timeout(let badge): "Timeout(badge: \(badge))"
    }
  }

  /// What an event did, as the `->` that expects exactly it writes it (`NoError`, an error with
  /// its payload, `fault …`, `notModelled "…"`, `ok` for no reply), then, when the event changed
  /// the current thread, `; current is now T` (which `expect current == T` checks).
  public func observation(_ o: Observation) -> String {
    var text: String
    if let n = o.notModelled {
      text = "notModelled \"\(n)\""
    } else if let f = o.fault {
      text = "fault \(Describer.fault(f))"
    } else if let r = o.reply {
      // A well-formed error reply reads as its error (`RangeError(min: 1, max: 64)`).
      text = r == .success ? "NoError" : "\(r)"
    } else {
      text = "ok"
    }
    if o.current != o.caller { text += "; current is now \(thread(o.current))" }
    return text
  }

  // MARK: The abstract state

  /// An object as it is in the abstract state.
  public func object(_ address: ObjectRef, in state: AbstractState) -> String {
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
    case .notification(let n)?: return "\(head): notification \(Describer.notification(n))"
    case .reply?: return "\(head): reply"
    case .schedContext(let bits)?: return "\(head): scheduling context of 2^\(bits) bytes"
    case .opaque(let kind, let bits)?: return "\(head): \(kind) of 2^\(bits) bytes"
    }
  }

  /// A slot with its cap, CDT parent and originality.
  public func slotDetails(_ s: SlotRef, in state: AbstractState) -> String {
    let c = state.getCap(s)
    var text = "\(slot(s)) = \(cap(c))"
    if c != .null {
      text += ", CDT parent " + (state.cdt[s].map { slot($0) } ?? "none")
      text += state.isOriginalCap.contains(s) ? ", original" : ", derived"
    }
    return text
  }

  /// A thread state as `expect T.state == S` writes it.
  public static func state(_ s: ThreadState) -> String {
    switch s {
    case .running: "Running"
    case .restart: "Restart"
    case .inactive: "Inactive"
    case .blockedOnNotification: "BlockedOnNotification"
    case .blockedOnSend: "BlockedOnSend"
    case .blockedOnReceive: "BlockedOnReceive"
    case .blockedOnReply: "BlockedOnReply"
    case .idleThreadState: "IdleThreadState"
    }
  }

  /// A notification's state, word or queue, and bound thread, as the views show it.
  public static func notification(_ n: Notification) -> String {
    let state =
      switch n.state {
      case .idle: "Idle"
      case .waiting(let queue): "Waiting [\(queue.map(hex).joined(separator: ", "))]"
      case .active(let word): "Active \(hex(word))"
      }
    return state + (n.boundTCB.map { ", bound to \(hex($0))" } ?? "")
  }
}

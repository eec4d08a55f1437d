// The capDL model: what a capDL file means once names are resolved (the tool's `CapDL/Model.hs`).
//
// Objects are keyed by `CapDLObjectID` (a name, with an index for array elements). Caps are
// resolved: copies (`<name>`) become the caps they copy, slot names disappear, and `- child_of`
// annotations move into `cdt`. Defaults are explicit (rights none, badge 0, guard 0, cached), so
// two files that say the same thing give equal models whatever their order or spelling.

/// An object's identity: `name` or `name[index]`.
public struct CapDLObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var name: String
  /// The array index; nil for a plain name.
  public var index: UInt64?

  public init(_ name: String, _ index: UInt64? = nil) {
    self.name = name
    self.index = index
  }

  public static func < (a: CapDLObjectID, b: CapDLObjectID) -> Bool {
    if a.name != b.name { return a.name < b.name }
    switch (a.index, b.index) {
    case (nil, nil): return false
    case (nil, _): return true
    case (_, nil): return false
    case (let x?, let y?): return x < y
    }
  }

  public var description: String { index.map { "\(name)[\($0)]" } ?? name }
}

/// A slot: slot `slot` of the object `object`.
public struct CapDLSlotRef: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var object: CapDLObjectID
  public var slot: UInt64

  public init(_ object: CapDLObjectID, _ slot: UInt64) {
    self.object = object
    self.slot = slot
  }

  public static func < (a: CapDLSlotRef, b: CapDLSlotRef) -> Bool {
    a.object != b.object ? a.object < b.object : a.slot < b.slot
  }

  public var description: String { "(\(object), \(slot))" }
}

/// The architectures capDL names.
public enum CapDLArch: String, Hashable, Sendable, CaseIterable {
  // capDL's own spelling of the architecture names.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  case ia32, arm11, x86_64, aarch64, riscv
}

/// Every object type the capDL tool's parser accepts.
public enum CapDLObjectType: String, Hashable, Sendable, CaseIterable {
  case ep, notification, tcb, cnode, ut, irq
  case ioapicIRQ = "ioapic_irq"
  case msiIRQ = "msi_irq"
  case armIRQ = "arm_irq"
  case asidPool = "asid_pool"
  case pt, pd, pml4, pdpt, pud, pgd, frame
  case ioPorts = "io_ports"
  case ioDevice = "io_device"
  case armIODevice = "arm_io_device"
  case ioPT = "io_pt"
  case vcpu, sc, rtreply, streamid, contextbank, smc
  case armSGISignal = "arm_sgi_signal"

  /// The parameter keys the type takes (`validObjPars` in `MakeModel.hs`); `size` is a frame's
  /// `Nk`/`NM`, `pci` an I/O device's `bus:dev.fun`.
  public var allowedParams: Set<String> {
    switch self {
    case .tcb:
      [
        "addr", "ip", "sp", "prio", "max_prio", "affinity", "resume", "fpu_disabled", "init", "dom", "fault_ep",
        "recv_ep", "recv_reply",
      ]
    case .cnode: ["bits"]
    case .ut: ["bits", "paddr"]
    case .frame: ["size", "paddr", "fill"]
    case .asidPool: ["asid_high"]
    case .ioPT: ["level"]
    case .ioPorts: ["ports"]
    case .ioDevice: ["domainID", "pci"]
    case .armIODevice: ["iospace"]
    case .sc: ["period", "budget", "data", "bits", "sporadic"]
    case .ioapicIRQ: ["ioapic_num", "ioapic_pin", "ioapic_level", "ioapic_polarity"]
    case .msiIRQ: ["msi_handle", "msi_pci_bus", "msi_pci_dev", "msi_pci_fun"]
    case .armIRQ: ["trigger", "target"]
    case .contextbank: ["bank"]
    case .armSGISignal: ["irq", "target"]
    case .ep, .notification, .irq, .pt, .pd, .pml4, .pdpt, .pud, .pgd, .vcpu, .rtreply, .streamid, .smc: []
    }
  }

  /// Parameters that must be given.
  public var requiredParams: Set<String> {
    switch self {
    case .cnode: ["bits"]
    case .frame: ["size"]
    case .ioPT: ["level"]
    case .ioPorts: ["ports"]
    case .ioDevice: ["domainID", "pci"]
    case .armIODevice: ["iospace"]
    case .ioapicIRQ: ["ioapic_num", "ioapic_pin", "ioapic_level", "ioapic_polarity"]
    case .msiIRQ: ["msi_handle", "msi_pci_bus", "msi_pci_dev", "msi_pci_fun"]
    case .armIRQ: ["trigger", "target"]
    case .armSGISignal: ["irq", "target"]
    default: []
    }
  }

  /// Types whose objects hold caps (`hasSlots` in `Model.hs`).
  public var hasSlots: Bool {
    switch self {
    case .tcb, .cnode, .irq, .ioapicIRQ, .msiIRQ, .armIRQ, .asidPool, .pt, .pd, .pml4, .pdpt, .pud, .pgd,
      .ioDevice, .armIODevice, .ioPT:
      true
    case .ep, .notification, .ut, .frame, .ioPorts, .vcpu, .sc, .rtreply, .streamid, .contextbank, .smc,
      .armSGISignal:
      false
    }
  }

  /// IRQ objects: what `irq maps` may name; their caps are IRQ handler caps.
  public var isIRQ: Bool { self == .irq || self == .ioapicIRQ || self == .msiIRQ || self == .armIRQ }
}

/// An object parameter's value.
public enum CapDLParamValue: Hashable, Sendable {
  case number(UInt64)
  case flag(Bool)
  case list([UInt64])
  case range(UInt64, UInt64)
  case pci(bus: UInt64, device: UInt64, function: UInt64)
  case word(String)
  case fill([[String]])

  public var number: UInt64? {
    if case .number(let n) = self { return n }
    return nil
  }
}

/// One object: its type and parameters (by key; TCBs always carry `dom`, default 0).
public struct CapDLObject: Hashable, Sendable {
  public var type: CapDLObjectType
  public var params: [String: CapDLParamValue]

  public init(type: CapDLObjectType, params: [String: CapDLParamValue] = [:]) {
    self.type = type
    self.params = params
  }

  public func number(_ key: String) -> UInt64? { params[key]?.number }
}

/// Rights as capDL writes them: `R`, `W`, `G` (also spelt `X`), `P`.
public struct CapDLRights: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let read = CapDLRights(rawValue: 1)
  public static let write = CapDLRights(rawValue: 2)
  public static let grant = CapDLRights(rawValue: 4)
  public static let grantReply = CapDLRights(rawValue: 8)
  public static let all: CapDLRights = [.read, .write, .grant, .grantReply]

  /// Rights from letters (`X` is Grant); nil if a letter is not a right.
  public init?(letters: String) {
    var r: CapDLRights = []
    for c in letters {
      switch c {
      case "R": r.insert(.read)
      case "W": r.insert(.write)
      case "G", "X": r.insert(.grant)
      case "P": r.insert(.grantReply)
      default: return nil
      }
    }
    self = r
  }

  /// The letters in printing order; frames print Grant as `X`.
  public func letters(grantAsX: Bool) -> String {
    var s = ""
    if contains(.read) { s += "R" }
    if contains(.write) { s += "W" }
    if contains(.grant) { s += grantAsX ? "X" : "G" }
    if contains(.grantReply) { s += "P" }
    return s
  }
}

/// What a cap names.
public enum CapDLCapTarget: Hashable, Sendable {
  case object(CapDLObjectID)
  case irqControl
  case asidControl
  case ioSpaceMaster
  case domain
  case schedControl(core: UInt64)

  /// The reserved target names.
  static let reservedNames = ["irq_control", "asid_control", "io_space_master", "domain", "sched_control"]
}

/// A resolved cap with every parameter explicit.
public struct CapDLCap: Hashable, Sendable {
  /// `reply` / `master_reply` on a TCB cap (classic reply caps).
  public enum ReplyKind: String, Hashable, Sendable {
    case reply
    case masterReply = "master_reply"
  }

  public var target: CapDLCapTarget
  public var rights: CapDLRights = []
  public var badge: UInt64 = 0
  public var guardValue: UInt64 = 0
  public var guardSize: UInt64 = 0
  public var replyKind: ReplyKind?
  /// `asid: (high, low)`.
  public var asid: [UInt64]?
  public var cached = true
  /// `mapping: (container, slot)` on a frame cap.
  public var mapping: CapDLSlotRef?

  public init(target: CapDLCapTarget) { self.target = target }

  /// The object the cap names, if any.
  public var object: CapDLObjectID? {
    if case .object(let id) = target { return id }
    return nil
  }
}

/// The `domains` section.
public struct CapDLDomains: Hashable, Sendable {
  public struct Entry: Hashable, Sendable {
    public var domain: UInt64
    public var time: UInt64
  }

  public var schedule: [Entry]?
  /// nil: `no_start`.
  public var start: UInt64? = 0
  public var indexShift: UInt64 = 0
}

/// A parsed and resolved capDL file.
public struct CapDLModel: Sendable, Equatable {
  public var arch: CapDLArch
  public var objects: [CapDLObjectID: CapDLObject]
  /// Untyped → the objects it covers, in the order written (no empty lists).
  public var untypedCovers: [CapDLObjectID: [CapDLObjectID]]
  /// Container → slot → cap (no empty maps).
  public var caps: [CapDLObjectID: [UInt64: CapDLCap]]
  /// IRQ number → IRQ object.
  public var irqs: [UInt64: CapDLObjectID]
  /// The derivation tree: child slot → parent slot.
  public var cdt: [CapDLSlotRef: CapDLSlotRef]
  public var domains: CapDLDomains?
  /// Objects in the order the file declared them (not part of equality: printing sorts).
  public var declarationOrder: [CapDLObjectID]
  /// Where the text came from, for messages about the model (not part of equality).
  public var file = ""
  /// Where each object was declared and each cap written (not part of equality): a refusal of
  /// the state they make names `file:line:col`.
  public var objectPositions: [CapDLObjectID: SourcePosition] = [:]
  public var capPositions: [CapDLSlotRef: SourcePosition] = [:]
  /// Where each `irq maps` line was mapped (not part of equality).
  public var irqPositions: [UInt64: SourcePosition] = [:]
  /// Where the `domains` section's schedule (else the section) was written (not part of equality).
  public var domainsPosition: SourcePosition?

  public init(arch: CapDLArch) {
    self.arch = arch
    objects = [:]
    untypedCovers = [:]
    caps = [:]
    irqs = [:]
    cdt = [:]
    domains = nil
    declarationOrder = []
  }

  /// Equality of meaning: everything but declaration order.
  public static func == (a: CapDLModel, b: CapDLModel) -> Bool {
    a.arch == b.arch && a.objects == b.objects && a.untypedCovers == b.untypedCovers && a.caps == b.caps
      && a.irqs == b.irqs && a.cdt == b.cdt && a.domains == b.domains
  }

  /// Parses capDL text.
  /// - Parameters:
  ///   - text: the file's contents.
  ///   - file: the name used in error messages.
  /// - Throws: `CapDLError` for the first syntax or semantic error.
  public static func parse(_ text: String, file: String = "<input>") throws(CapDLError) -> CapDLModel {
    let syntax = try Parser.parse(text, file: file)
    var builder = ModelBuilder(file: file)
    return try builder.build(syntax)
  }
}

// Loading a capDL model into a `SystemPlan`: placing every object in memory as retype from
// untyped memory would, mapping object kinds and caps to the kernel's vocabulary, and keeping
// what the plan cannot hold (caps of unmodelled kinds, extra TCB slots) in side tables.
//
// Placement: the contents of an untyped are placed inside it in the order written, each at the
// next address aligned to its size (retype's watermark rule); an untyped without `N bits` is the
// smallest power of two its contents fit in. Objects in no untyped, and top-level untypeds, go in
// a boot region, largest first so no alignment gap opens; objects with `paddr:` sit at that
// address and the boot region starts above them.

public import KernelABI

/// Why a model cannot become a plan.
public struct CapDLLoadError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { "cannot load capDL model: \(message)" }
}

/// A loaded model: the plan, where everything went, and what the plan cannot express.
public struct CapDLLoadResult: Sendable {
  /// A placed untyped region.
  public struct Region: Hashable, Sendable {
    public var base: UInt64
    public var sizeBits: UInt64
    /// Bytes from `base` in use by its contents.
    public var watermark: UInt64
  }

  public var plan: SystemPlan
  /// Every non-untyped object's address.
  public var addresses: [CapDLObjectID: ObjectRef]
  public var untypeds: [CapDLObjectID: Region]
  /// Caps of kinds `Capability` has no case for (frames, page tables, ASID pools, I/O, classic
  /// reply caps, IRQ handlers of unmapped IRQ objects), by the plan slot they would occupy.
  public var opaqueCaps: [SlotRef: String]
  /// Caps held by objects the plan gives no slots (page tables, ASID pools, I/O objects).
  public var capsInOpaqueObjects: [SlotRef: String]
  /// TCB caps in capDL slots `TCBSlot` has no case for (`reply_slot` 2, `caller_slot` 3,
  /// `sc_slot` 6, `bound_notification` 8, `bound_vcpu` 9), keyed by the TCB's address and the
  /// capDL slot number.
  public var tcbSideCaps: [SlotRef: String]
  /// CDT links with an end outside the plan's caps.
  public var opaqueCDT: [CapDLSlotRef: CapDLSlotRef]
  /// The file the model came from, and where each plan object was declared and each plan cap
  /// written (for messages that name `file:line:col`).
  public var file = ""
  public var objectPositions: [ObjectRef: SourcePosition] = [:]
  public var capPositions: [SlotRef: SourcePosition] = [:]

  /// `file:line:col` of the cap in `slot`, else of the object at `object`; nil when the model
  /// says neither (objects the loader added, plans built in Swift).
  public func location(object: ObjectRef?, slot: SlotRef?) -> String? {
    let position = slot.flatMap { capPositions[$0] } ?? object.flatMap { objectPositions[$0] }
    return position.map { "\(file):\($0.line):\($0.column)" }
  }

  /// The CNode standing for the capDL loader's own CSpace (docs/capdl.md), when the description
  /// leaves some CNode or TCB holding caps unnamed; nil otherwise.
  public var initialiserCSpace: ObjectRef? = nil
  /// CNodes and TCBs that hold caps but that no cap in the description names. The capDL loader's
  /// own CSpace names them in a real boot, and so does the plan's `initialiserCSpace`.
  public var unnamedContainers: [ObjectRef] {
    let described = plan.caps.filter { $0.key.container != initialiserCSpace }
    let named = Set(
      described.values.compactMap { cap -> ObjectRef? in
        switch cap {
        case .cnode(let r, _, _, _), .thread(let r): r
        default: nil
        }
      })
    return Set(described.keys.map(\.container)).subtracting(named).sorted()
  }
}

/// capDL's TCB slot numbers (`CapDL/Model.hs`) as KernelABI's `TCBSlot`, where one exists.
public func tcbSlot(capDLSlot: UInt64) -> TCBSlot? {
  switch capDLSlot {
  case 0: .cspace
  case 1: .vspace
  case 4: .ipcBuffer  // ipc_buffer_slot
  case 5: .faultHandler  // fault_ep_slot
  case 7: .timeoutHandler  // temp_fault_ep_slot: MCS timeout fault endpoint
  default: nil
  }
}

/// The plan a model describes.
/// - Throws: `CapDLLoadError` naming the construct a plan cannot express.
public func systemPlan(from model: CapDLModel) throws -> SystemPlan {
  try loadSystemPlan(from: model).plan
}

/// Loads a model, keeping the side tables.
/// - Parameters:
///   - growUndersizedUntypeds: treat an untyped's `N bits` as a minimum when its contents need
///     more (capDL test files declare sizes the tool never checks). Untypeds with `paddr:` never
///     grow.
/// - Throws: `CapDLLoadError` naming the construct a plan cannot express.
public func loadSystemPlan(from model: CapDLModel, growUndersizedUntypeds: Bool = false) throws(CapDLLoadError)
  -> CapDLLoadResult
{
  var loader = Loader(model: model, grow: growUndersizedUntypeds)
  do {
    return try loader.load()
  } catch {
    throw error.located(in: model)
  }
}

extension CapDLLoadError {
  /// The error with `file:line:col: ` in front: the place of the first object its message names
  /// (`'id'`), else the file alone. Unchanged when it already starts with the file.
  func located(in model: CapDLModel) -> CapDLLoadError {
    guard !model.file.isEmpty, !message.hasPrefix(model.file + ":") else { return self }
    var rest = Substring(message)
    while let open = rest.firstIndex(of: "'") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: "'") else { break }
      let name = String(after[..<close])
      if let position = model.objectPositions[CapDLObjectID(parsing: name)] {
        return CapDLLoadError("\(model.file):\(position.line):\(position.column): \(message)")
      }
      rest = after[after.index(after: close)...]
    }
    return CapDLLoadError("\(model.file): \(message)")
  }
}

extension CapDLObjectID {
  /// The id a message prints as `name` (`cells[0]` is element 0 of the array `cells`).
  init(parsing text: String) {
    if text.hasSuffix("]"), let open = text.lastIndex(of: "["),
      let index = UInt64(text[text.index(after: open)..<text.index(before: text.endIndex)])
    {
      self.init(String(text[..<open]), index)
    } else {
      self.init(text)
    }
  }
}

struct Loader {
  let model: CapDLModel
  var sizes: [CapDLObjectID: UInt64] = [:]
  var addresses: [CapDLObjectID: UInt64] = [:]
  var watermarks: [CapDLObjectID: UInt64] = [:]
  /// Where the boot region starts when no `paddr:` pushes it up.
  static let bootBase: UInt64 = 0x1000_0000

  let grow: Bool

  init(model: CapDLModel, grow: Bool) {
    self.model = model
    self.grow = grow
  }

  static func alignUp(_ x: UInt64, _ bits: UInt64) throws(CapDLLoadError) -> UInt64 {
    guard bits < 64 else { throw CapDLLoadError("an alignment of 2^\(bits) bytes does not fit in 64 bits") }
    let mask: UInt64 = (1 << bits) &- 1
    let (s, o) = x.addingReportingOverflow(mask)
    if o { throw CapDLLoadError("addresses overflow 64 bits") }
    return s & ~mask
  }

  /// The plan kind of a non-untyped object.
  func kind(_ id: CapDLObjectID, _ o: CapDLObject) throws(CapDLLoadError) -> PlanObjectKind {
    switch o.type {
    case .tcb: return .tcb
    case .ep: return .endpoint
    case .notification: return .notification
    case .cnode:
      let bits = o.number("bits") ?? 0
      // The largest CNode memory can hold: 2^(radix + slotBits) bytes within the 47-bit maximum.
      guard bits <= Loader.maxCNodeBits else {
        throw CapDLLoadError(
          "cnode '\(id)' of \(bits) bits is larger than the \(Loader.maxCNodeBits) bits memory can hold")
      }
      return .cnode(radix: bits)
    // An IRQ object is a CNode of one slot (the tool models `irq` as a 0-bit CNode).
    case .irq, .ioapicIRQ, .msiIRQ, .armIRQ: return .cnode(radix: 0)
    case .sc:
      let bits = o.number("bits") ?? 8
      guard bits >= KernelConstants.minSchedContextBits, bits < 48 else {
        throw CapDLLoadError("sc '\(id)' of \(bits) bits is outside \(KernelConstants.minSchedContextBits)...47")
      }
      return .schedContext(sizeBits: bits)
    case .rtreply: return .reply
    case .frame:
      let size = o.number("size") ?? 4096
      guard size != 0, size & (size &- 1) == 0, size.trailingZeroBitCount <= Int(KernelConstants.maxUntypedBits) else {
        throw CapDLLoadError(
          "frame '\(id)' of size \(size) is not a power of two of at most 2^\(KernelConstants.maxUntypedBits) bytes")
      }
      return .opaque(kind: "frame", sizeBits: UInt64(size.trailingZeroBitCount))
    case .pt: return .opaque(kind: "pt", sizeBits: model.arch == .arm11 ? 10 : 12)
    case .pd: return .opaque(kind: "pd", sizeBits: model.arch == .arm11 ? 14 : 12)
    case .pml4, .pdpt, .pud, .pgd, .asidPool, .vcpu, .ioPT: return .opaque(kind: o.type.rawValue, sizeBits: 12)
    // Not memory the kernel allocates: one byte each, so they still have distinct addresses.
    case .ioPorts, .ioDevice, .armIODevice, .streamid, .contextbank, .smc, .armSGISignal:
      return .opaque(kind: o.type.rawValue, sizeBits: 0)
    case .ut: throw CapDLLoadError("'\(id)' is an untyped, not a plan object")
    }
  }

  /// log2 of an object's size; for untypeds, given or computed from their contents.
  mutating func sizeBits(_ id: CapDLObjectID, depth: Int = 0) throws(CapDLLoadError) -> UInt64 {
    if let s = sizes[id] { return s }
    guard let o = model.objects[id] else { throw CapDLLoadError("undeclared object '\(id)'") }
    guard depth < 1000 else { throw CapDLLoadError("untypeds nested deeper than 1000 levels") }
    var bits: UInt64
    if o.type == .ut {
      var end: UInt64 = 0
      var largest: UInt64 = KernelConstants.minUntypedBits
      for child in model.untypedCovers[id] ?? [] {
        let b = try sizeBits(child, depth: depth + 1)
        largest = max(largest, b)
        end = try Loader.alignUp(end, b) &+ (1 << b)
        if end == 0 { throw CapDLLoadError("contents of untyped '\(id)' overflow 64 bits") }
      }
      let needed = max(largest, end <= 1 ? 0 : UInt64(64 - (end - 1).leadingZeroBitCount))
      if let given = o.number("bits") {
        guard given >= KernelConstants.minUntypedBits, given <= KernelConstants.maxUntypedBits else {
          throw CapDLLoadError(
            "untyped '\(id)' of \(given) bits is outside \(KernelConstants.minUntypedBits)...\(KernelConstants.maxUntypedBits)"
          )
        }
        bits = grow && o.number("paddr") == nil ? max(given, needed) : given
      } else {
        bits = needed
        guard bits <= KernelConstants.maxUntypedBits else {
          throw CapDLLoadError("untyped '\(id)' would need \(bits) bits")
        }
      }
      watermarks[id] = end
    } else {
      bits = try kind(id, o).sizeBits
    }
    sizes[id] = bits
    return bits
  }

  /// Places an object at `base`, and an untyped's contents inside it.
  mutating func place(_ id: CapDLObjectID, at base: UInt64) throws(CapDLLoadError) {
    addresses[id] = base
    if let paddr = model.objects[id]?.number("paddr"), paddr != base {
      throw CapDLLoadError(
        "'\(id)' has paddr 0x\(String(paddr, radix: 16)) but its untyped places it at 0x\(String(base, radix: 16))")
    }
    guard model.objects[id]?.type == .ut, let bits = sizes[id] else { return }
    let end = base &+ (1 << bits)
    // Contents with `paddr:` sit there; the rest fill in around them in order.
    var fixed: [(id: CapDLObjectID, base: UInt64, end: UInt64)] = []
    for child in model.untypedCovers[id] ?? [] {
      guard let paddr = model.objects[child]?.number("paddr") else { continue }
      let b = try sizeBits(child)
      let (childEnd, overflow) = paddr.addingReportingOverflow(1 << b)
      guard b < 64, !overflow, paddr >= base, childEnd <= end, paddr & ((1 << b) &- 1) == 0 else {
        throw CapDLLoadError(
          "'\(child)' has paddr 0x\(String(paddr, radix: 16)), not an aligned place inside untyped '\(id)'")
      }
      fixed.append((child, paddr, childEnd))
    }
    var cursor = base
    var high = base
    for child in model.untypedCovers[id] ?? [] {
      let b = try sizeBits(child)
      if let f = fixed.first(where: { $0.id == child }) {
        try place(child, at: f.base)
        high = max(high, f.end)
        continue
      }
      cursor = try Loader.alignUp(cursor, b)
      while let f = fixed.first(where: { $0.base < cursor &+ (1 << b) && cursor < $0.end }) {
        cursor = try Loader.alignUp(f.end, b)
      }
      let (next, overflow) = cursor.addingReportingOverflow(1 << b)
      guard !overflow, next <= end, cursor >= base else {
        throw CapDLLoadError("the contents of untyped '\(id)' do not fit in its 2^\(bits) bytes (full at '\(child)')")
      }
      try place(child, at: cursor)
      cursor = next
      high = max(high, cursor)
    }
    watermarks[id] = high &- base
  }

  mutating func load() throws(CapDLLoadError) -> CapDLLoadResult {
    // Roots: objects in no untyped.
    var covered: Set<CapDLObjectID> = []
    for (_, children) in model.untypedCovers { covered.formUnion(children) }
    let order = Dictionary(model.declarationOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    func rank(_ id: CapDLObjectID) -> Int { order[id] ?? Int.max }
    let roots = model.objects.keys.filter { !covered.contains($0) }.sorted { (rank($0), $0) < (rank($1), $1) }
    var fixed: [(id: CapDLObjectID, base: UInt64, bits: UInt64)] = []
    var floating: [(id: CapDLObjectID, bits: UInt64)] = []
    for id in roots {
      let bits = try sizeBits(id)
      if let paddr = model.objects[id]?.number("paddr") {
        let (_, overflow) = paddr.addingReportingOverflow(bits < 64 ? 1 << bits : 0)
        guard bits < 64, !overflow, paddr & ((1 << bits) &- 1) == 0 else {
          throw CapDLLoadError("'\(id)' has paddr 0x\(String(paddr, radix: 16)), not aligned to its 2^\(bits) bytes")
        }
        fixed.append((id, paddr, bits))
      } else {
        floating.append((id, bits))
      }
    }
    fixed.sort { $0.base < $1.base }
    for (a, b) in zip(fixed, fixed.dropFirst()) where a.base &+ (1 << a.bits) > b.base {
      throw CapDLLoadError("'\(a.id)' and '\(b.id)' overlap at their paddr")
    }
    // Largest first (stable: declaration order among equals), so every object lands aligned.
    floating = floating.enumerated().sorted { ($1.element.bits, $0.offset) < ($0.element.bits, $1.offset) }.map(
      \.element)
    var cursor = max(Loader.bootBase, fixed.map { $0.base &+ (1 << $0.bits) }.max() ?? 0)
    cursor = try Loader.alignUp(cursor, floating.first?.bits ?? 0)
    for f in fixed { try place(f.id, at: f.base) }
    for f in floating {
      try place(f.id, at: cursor)
      let (next, overflow) = cursor.addingReportingOverflow(1 << f.bits)
      if overflow { throw CapDLLoadError("the boot region overflows 64 bits") }
      cursor = next
    }

    // Plan objects (untypeds are regions, not objects).
    var objects: [SystemPlan.Object] = []
    var kinds: [CapDLObjectID: PlanObjectKind] = [:]
    var untypeds: [CapDLObjectID: CapDLLoadResult.Region] = [:]
    var lo = UInt64.max
    var hi: UInt64 = 0
    for (id, o) in model.objects {
      guard let base = addresses[id], let bits = sizes[id] else { continue }
      lo = min(lo, base)
      hi = max(hi, base &+ (1 << bits))
      if o.type == .ut {
        untypeds[id] = .init(base: base, sizeBits: bits, watermark: watermarks[id] ?? 0)
      } else {
        let k = try kind(id, o)
        kinds[id] = k
        objects.append(SystemPlan.Object(name: id.description, address: base, kind: k))
      }
    }
    objects.sort { $0.address < $1.address }

    // Caps.
    var caps: [SlotRef: Capability] = [:]
    var opaqueCaps: [SlotRef: String] = [:]
    var capsInOpaqueObjects: [SlotRef: String] = [:]
    var tcbSideCaps: [SlotRef: String] = [:]
    var boundSC: [ObjectRef: ObjectRef] = [:]
    var planSlot: [CapDLSlotRef: SlotRef] = [:]
    var irqOf: [CapDLObjectID: UInt64] = [:]
    for (irq, id) in model.irqs { irqOf[id] = irq }
    let printer = CapDLPrinter(model: model)
    for (container, slots) in model.caps {
      guard let address = addresses[container], let type = model.objects[container]?.type else {
        throw CapDLLoadError("caps in undeclared container '\(container)'")
      }
      for (slot, cap) in slots {
        let text = printer.capText(cap, indices: cap.object?.index.map { [$0] })
        let ref: SlotRef
        switch (type, kinds[container]) {
        case (.tcb, _):
          // `sc_slot` binds a scheduling context (the capDL loader's SetSchedParams).
          if slot == 6,
            case .schedContext(let sc, _)? = try capability(cap, irqOf: irqOf, kinds: kinds, untypeds: untypeds)
          {
            boundSC[address] = sc
            continue
          }
          guard let t = tcbSlot(capDLSlot: slot) else {
            tcbSideCaps[SlotRef(address, slot)] = text
            continue
          }
          ref = SlotRef(address, t.rawValue)
        case (_, .cnode(let radix)?):
          guard slot < (1 << radix) else {
            throw CapDLLoadError(
              "slot \(slot) of '\(container)' is beyond its \(radix)-bit radix (\(1 << radix) slots)")
          }
          ref = SlotRef(address, slot)
        default:
          capsInOpaqueObjects[SlotRef(address, slot)] = text
          continue
        }
        if let c = try capability(cap, irqOf: irqOf, kinds: kinds, untypeds: untypeds) {
          caps[ref] = c
          planSlot[CapDLSlotRef(container, slot)] = ref
        } else {
          opaqueCaps[ref] = text
        }
      }
    }
    // The initialiser's CSpace (docs/capdl.md): CNodes and TCBs that hold caps but that no cap
    // of the description names are named by the capDL loader's own CSpace in a real boot.
    let initialiser = try Loader.addInitialiserCSpace(at: cursor, objects: &objects, caps: &caps)
    if let initialiser { hi = max(hi, initialiser.end) }
    if lo == UInt64.max { (lo, hi) = (Loader.bootBase, Loader.bootBase + 1) }
    var memoryBits: UInt64 = 0
    while memoryBits < 63, lo &+ (1 << memoryBits) < hi { memoryBits += 1 }
    // More memory than a plan can have: named by the object that ends highest (its line is where
    // the message points) and the largest one.
    if memoryBits > KernelConstants.maxUntypedBits || lo &+ (1 << memoryBits) < hi {
      let placed = model.objects.keys.filter { addresses[$0] != nil && sizes[$0] != nil }.sorted()
      func end(_ id: CapDLObjectID) -> UInt64 {
        let (top, overflow) = (addresses[id] ?? 0).addingReportingOverflow(1 << min(sizes[id] ?? 0, 63))
        return overflow ? .max : top
      }
      let highest = placed.max { end($0) < end($1) }
      let largest = placed.max { (sizes[$0] ?? 0) < (sizes[$1] ?? 0) }
      throw CapDLLoadError(
        "'\(highest.map(\.description) ?? "?")' ends beyond the 2^\(KernelConstants.maxUntypedBits) bytes of memory a "
          + "system may span from its lowest object (the largest object is '\(largest.map(\.description) ?? "?")', "
          + "2^\(largest.flatMap { sizes[$0] } ?? 0) bytes)")
    }

    var cdtParent: [SlotRef: SlotRef] = [:]
    var opaqueCDT: [CapDLSlotRef: CapDLSlotRef] = [:]
    for (child, parent) in model.cdt {
      if let c = planSlot[child], let p = planSlot[parent] { cdtParent[c] = p } else { opaqueCDT[child] = parent }
    }
    // A cap without a parent is original; so is one the cdt section puts under an unbadged cap
    // to the same object with a badge of its own: seL4 makes a minted badged cap revocable.
    var originals = Set(
      caps.keys.filter { slot in
        guard let parent = cdtParent[slot], let cap = caps[slot], let parentCap = caps[parent] else { return true }
        return parentCap.badge == 0 && (cap.badge ?? 0) != 0
      })
    Loader.deriveImplicitly(caps: caps, cdtParent: &cdtParent, originals: &originals)

    var threads: [SystemPlan.Thread] = []
    for id in model.declarationOrder where model.objects[id]?.type == .tcb {
      guard let o = model.objects[id], let address = addresses[id] else { continue }
      let prio = o.number("prio") ?? 0
      let mcp = o.number("max_prio") ?? 0
      guard prio <= KernelConstants.maxPriority, mcp <= KernelConstants.maxPriority else {
        throw CapDLLoadError("tcb '\(id)' has a priority above \(KernelConstants.maxPriority)")
      }
      var running = true
      if case .flag(false)? = o.params["resume"] { running = false }
      threads.append(
        SystemPlan.Thread(
          tcb: address, state: running ? .running : .inactive, priority: prio, maxControlledPriority: mcp,
          domain: o.number("dom") ?? 0, schedContext: boundSC[address]))
    }
    // An `sc` with a budget was configured by the capDL loader (SchedControl_Configure).
    var schedContexts: [ObjectRef: SystemPlan.SchedContextConfiguration] = [:]
    for (id, o) in model.objects where o.type == .sc {
      guard let address = addresses[id], let budget = o.number("budget") else { continue }
      schedContexts[address] = SystemPlan.SchedContextConfiguration(
        budget: budget, period: o.number("period") ?? budget)
    }
    var plan = SystemPlan(
      memoryBase: lo, memorySizeBits: memoryBits, objects: objects, caps: caps, cdtParent: cdtParent,
      originals: originals, threads: threads, schedContexts: schedContexts)
    // The first thread in declaration order that can run (MCS: a bound, configured SC) runs.
    plan.currentThread = threads.first { plan.isSchedulable($0.tcb) }?.tcb
    var objectAddresses: [CapDLObjectID: ObjectRef] = [:]
    for (id, _) in kinds { objectAddresses[id] = addresses[id] }
    var objectPositions: [ObjectRef: SourcePosition] = [:]
    for (id, address) in objectAddresses { objectPositions[address] = model.objectPositions[id] }
    var capPositions: [SlotRef: SourcePosition] = [:]
    for (source, slot) in planSlot { capPositions[slot] = model.capPositions[source] }
    let problems = plan.structuralProblems()
    if let first = problems.first {
      let position = first.slot.flatMap { capPositions[$0] } ?? first.object.flatMap { objectPositions[$0] }
      let place = position.map { "\(model.file):\($0.line):\($0.column): " } ?? ""
      throw CapDLLoadError(place + "the plan is invalid: " + problems.map(\.message).joined(separator: "; "))
    }
    var result = CapDLLoadResult(
      plan: plan, addresses: objectAddresses, untypeds: untypeds, opaqueCaps: opaqueCaps,
      capsInOpaqueObjects: capsInOpaqueObjects, tcbSideCaps: tcbSideCaps, opaqueCDT: opaqueCDT,
      initialiserCSpace: initialiser?.address)
    result.file = model.file
    result.objectPositions = objectPositions
    result.capPositions = capPositions
    return result
  }

  /// The largest CNode radix a plan can hold: its `2^(radix + slotBits)` bytes within memory's
  /// 47-bit maximum.
  static let maxCNodeBits: UInt64 = KernelConstants.maxUntypedBits &- KernelConstants.slotBits

  /// The name of the CNode that stands for the capDL loader's own CSpace.
  public static let initialiserCSpaceName = "capdl_initialiser_cspace"

  /// Adds the initialiser's CSpace when some CNode or TCB holding caps is named by no cap: a
  /// CNode at the first free address from `cursor`, holding a cap to itself in slot 2 (seL4's
  /// `seL4_CapInitThreadCNode`) and, from slot 16 on, a cap to each such container in address
  /// order (a CNode cap with no guard, a TCB cap).
  static func addInitialiserCSpace(
    at cursor: UInt64, objects: inout [SystemPlan.Object], caps: inout [SlotRef: Capability]
  ) throws(CapDLLoadError) -> (address: ObjectRef, end: UInt64)? {
    let named = Set(
      caps.values.compactMap { cap -> ObjectRef? in
        switch cap {
        case .cnode(let r, _, _, _), .thread(let r): r
        default: nil
        }
      })
    let unnamed = Set(caps.keys.map(\.container)).subtracting(named).sorted()
    guard !unnamed.isEmpty else { return nil }
    let kinds = Dictionary(objects.map { ($0.address, $0.kind) }, uniquingKeysWith: { a, _ in a })
    var radix: UInt64 = 5
    while radix < maxCNodeBits, (1 << radix) < 16 &+ UInt64(unnamed.count) { radix += 1 }
    let bits = radix &+ KernelConstants.slotBits
    let address = try alignUp(cursor, bits)
    let (end, overflow) = address.addingReportingOverflow(1 << bits)
    guard !overflow else { throw CapDLLoadError("the initialiser's CSpace does not fit below 2^64") }
    objects.append(SystemPlan.Object(name: initialiserCSpaceName, address: address, kind: .cnode(radix: radix)))
    caps[SlotRef(address, 2)] = .cnode(address, radix: radix, guardSize: 64 &- radix, guard: 0)
    for (i, container) in unnamed.enumerated() {
      let slot = SlotRef(address, 16 &+ UInt64(i))
      switch kinds[container] {
      case .cnode(let r)?: caps[slot] = .cnode(container, radix: r, guardSize: 0, guard: 0)
      case .tcb?: caps[slot] = .thread(container)
      default: continue
      }
    }
    return (address, end)
  }

  static func rights(_ r: CapDLRights) -> CapRights {
    var out: CapRights = []
    if r.contains(.read) { out.insert(.read) }
    if r.contains(.write) { out.insert(.write) }
    if r.contains(.grant) { out.insert(.grant) }
    if r.contains(.grantReply) { out.insert(.grantReply) }
    return out
  }

  /// The `Capability` for a cap, or nil when `Capability` has no case for its kind.
  func capability(
    _ cap: CapDLCap, irqOf: [CapDLObjectID: UInt64], kinds: [CapDLObjectID: PlanObjectKind],
    untypeds: [CapDLObjectID: CapDLLoadResult.Region]
  ) throws(CapDLLoadError) -> Capability? {
    switch cap.target {
    case .irqControl: return .irqControl
    case .domain: return .domain
    case .schedControl(let core): return .schedControl(core: core)
    case .asidControl, .ioSpaceMaster: return nil
    case .object(let id):
      guard let o = model.objects[id] else { throw CapDLLoadError("cap to undeclared '\(id)'") }
      if let u = untypeds[id] {
        return .untyped(base: u.base, sizeBits: u.sizeBits, isDevice: false, freeIndex: u.watermark)
      }
      guard let address = addresses[id] else { throw CapDLLoadError("'\(id)' was not placed") }
      switch o.type {
      case .ep: return .endpoint(address, badge: cap.badge, rights: Loader.rights(cap.rights))
      // The kernel keeps only Write and Read on a notification cap (`maskCapRights`), so a capDL
      // Grant there gives nothing.
      case .notification:
        return .notification(
          address, badge: cap.badge, rights: Loader.rights(cap.rights).intersection([.read, .write]))
      case .cnode:
        guard case .cnode(let radix)? = kinds[id] else { return nil }
        guard cap.guardSize <= 64 &- radix else {
          throw CapDLLoadError("cap to '\(id)': guard size \(cap.guardSize) + radix \(radix) exceeds 64")
        }
        return .cnode(address, radix: radix, guardSize: cap.guardSize, guard: cap.guardValue)
      case .irq, .ioapicIRQ, .msiIRQ, .armIRQ: return irqOf[id].map { .irqHandler(irq: $0) }
      case .tcb: return cap.replyKind == nil ? .thread(address) : nil
      case .sc:
        guard case .schedContext(let bits)? = kinds[id] else { return nil }
        return .schedContext(address, sizeBits: bits)
      // A reply object fresh from retype carries Grant.
      case .rtreply: return .reply(address, canGrant: true)
      default: return nil
      }
    }
  }
}

extension Loader {
  /// The derivation the capDL loader itself creates for caps the `cdt` section leaves without a
  /// parent, so that the state is one seL4 can be in: an object's first cap (in slot order) is
  /// made by retype, so it is original and a child of the smallest untyped cap whose region holds
  /// the object; every further cap to the same object is derived from that first cap (a copy, not
  /// original) or minted from it (a badged endpoint or notification cap with a badge of its own:
  /// original, and a child of the first cap only if that cap is unbadged, else its sibling).
  /// IRQ handler caps descend from the IRQ control cap, as IRQControl's IssueIRQHandler makes them.
  /// Without this, two caps to one object would both be roots in different MDB lists, which
  /// `mdb_chunked` forbids, and objects inside an untyped would not descend from it (`untyped_mdb`).
  static func deriveImplicitly(
    caps: [SlotRef: Capability], cdtParent: inout [SlotRef: SlotRef], originals: inout Set<SlotRef>
  ) {
    let untypeds = caps.compactMap { slot, cap -> (slot: SlotRef, base: UInt64, bits: UInt64)? in
      if case .untyped(let base, let bits, _, _) = cap { (slot, base, bits) } else { nil }
    }.sorted { ($0.bits, $0.slot) < ($1.bits, $1.slot) }
    /// The smallest untyped region strictly larger than `[base, base + 2^bits)` that holds it.
    func enclosing(_ base: UInt64, _ bits: UInt64, _ own: SlotRef) -> SlotRef? {
      untypeds.first { u in
        u.slot != own && u.bits < 64 && bits < 64 && (u.bits > bits || (u.bits == bits && u.base != base))
          && base >= u.base && base &+ (1 << bits) <= u.base &+ (1 << u.bits)
      }?.slot
    }
    func region(_ cap: Capability) -> (key: String, base: UInt64, bits: UInt64)? {
      switch cap {
      case .untyped(let base, let bits, _, _): ("ut:\(base):\(bits)", base, bits)
      case .endpoint(let r, _, _): ("obj:\(r)", r, ObjectType.endpoint.objectSizeBits(userSizeBits: 0))
      case .notification(let r, _, _): ("obj:\(r)", r, ObjectType.notification.objectSizeBits(userSizeBits: 0))
      case .reply(let r, _): ("obj:\(r)", r, ObjectType.reply.objectSizeBits(userSizeBits: 0))
      case .thread(let r): ("obj:\(r)", r, ObjectType.tcb.objectSizeBits(userSizeBits: 0))
      case .cnode(let r, let radix, _, _): ("obj:\(r)", r, radix &+ KernelConstants.slotBits)
      case .schedContext(let r, let bits): ("obj:\(r)", r, bits)
      case .null, .schedControl, .irqControl, .irqHandler, .domain: nil
      }
    }
    /// True iff `ancestor` is `slot` or one of its CDT ancestors.
    func isAncestor(_ ancestor: SlotRef, of slot: SlotRef) -> Bool {
      var at: SlotRef? = slot
      var steps = 0
      while let s = at, steps <= caps.count {
        if s == ancestor { return true }
        at = cdtParent[s]
        steps += 1
      }
      return false
    }
    // IRQ handler caps are issued by IRQControl: an IRQ's first handler cap is a revocable child of
    // the IRQ control cap (when the system has one), so both are in one MDB list (`mdb_chunked`);
    // further caps to the same IRQ are copies of the first.
    let control = caps.keys.filter { caps[$0] == .irqControl }.min()
    var firstHandler: [UInt64: SlotRef] = [:]
    for (slot, cap) in caps.sorted(by: { $0.key < $1.key }) {
      guard case .irqHandler(let irq) = cap, cdtParent[slot] == nil else { continue }
      if let first = firstHandler[irq] {
        cdtParent[slot] = first
        originals.remove(slot)
      } else {
        firstHandler[irq] = slot
        if let control {
          cdtParent[slot] = control
          originals.insert(slot)
        }
      }
    }
    // Only caps the `cdt` section leaves without a parent are given one. Unbadged caps come first,
    // so an object's first cap is unbadged when it has one: a copy of a badged cap keeps its
    // badge, so an unbadged cap can never be derived from a badged one.
    let roots = caps.filter { cdtParent[$0.key] == nil }
      .sorted { a, b in
        let (ab, bb) = ((a.value.badge ?? 0) != 0, (b.value.badge ?? 0) != 0)
        return ab != bb ? !ab : a.key < b.key
      }
    var first: [String: SlotRef] = [:]
    for (slot, cap) in roots {
      guard let r = region(cap) else { continue }
      guard let firstSlot = first[r.key], let firstCap = caps[firstSlot] else {
        first[r.key] = slot
        if let parent = enclosing(r.base, r.bits, slot), !isAncestor(slot, of: parent) { cdtParent[slot] = parent }
        continue
      }
      let own = cap.badge ?? 0
      let firstBadge = firstCap.badge ?? 0
      let parent: SlotRef?
      if own != 0 && own != firstBadge {
        // Minted with a badge of its own: original; under the unbadged cap, beside a badged one.
        parent = firstBadge == 0 ? firstSlot : cdtParent[firstSlot]
        originals.insert(slot)
      } else {
        parent = firstSlot
        originals.remove(slot)
      }
      if let parent, !isAncestor(slot, of: parent) { cdtParent[slot] = parent }
    }
  }
}

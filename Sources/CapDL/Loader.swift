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

  /// An untyped declared smaller than its contents, placed larger (`growUndersizedUntypeds`);
  /// sizes in log2 bytes on the description's architecture.
  public struct GrownUntyped: Hashable, Sendable {
    public var declaredBits: UInt64
    public var placedBits: UInt64
  }

  public var plan: SystemPlan
  /// Untypeds placed larger than declared, so that their contents fit.
  public var grownUntypeds: [CapDLObjectID: GrownUntyped] = [:]
  /// Caps described in a CNode slot beyond the CNode's radix, with the slot seL4 puts them in
  /// (`slot mod 2^radix`: capdl-loader-app mints them with the CNode's radix as depth, and seL4
  /// reads only that many low bits of the index); the plan holds them there.
  public var wrappedSlots: [CapDLSlotRef: UInt64] = [:]
  /// `cdt` links (child → parent) left out under `ignoreLinksBetweenObjects`: links between
  /// caps to two different objects, which no kernel state holds and capdl-loader-app ignores.
  public var ignoredCDT: [CapDLSlotRef: CapDLSlotRef] = [:]
  /// Why the `domains` section's schedule is not the plan's (`Loader.domainSchedule`): an
  /// `index_shift` or a start other than entry 0; nil when it is, or when there is none.
  public var domainScheduleNotRealised: String?
  /// The untyped each object or untyped is declared inside (the description's untyped covers),
  /// by name. Regions alone cannot say it: an untyped holding one untyped of its own size (after
  /// `growUndersizedUntypeds`, `example-arm`'s `name_b { name }`) has the same region as it.
  public var untypedParent: [CapDLObjectID: CapDLObjectID] = [:]
  /// Every non-untyped object's address.
  public var addresses: [CapDLObjectID: ObjectRef]
  public var untypeds: [CapDLObjectID: Region]
  /// Caps of kinds `Capability` has no case for (frames, page tables, ASID pools, I/O, classic
  /// reply caps, IRQ handlers of unmapped IRQ objects), by the plan slot they would occupy.
  public var opaqueCaps: [SlotRef: String]
  /// Caps held by objects the plan gives no slots (page tables, ASID pools, I/O objects).
  public var capsInOpaqueObjects: [SlotRef: String]
  /// TCB caps in capDL slots `TCBSlot` has no case for and that bind nothing (`reply_slot` 2,
  /// `caller_slot` 3, `temp_fault_ep_slot` 7, `bound_vcpu` 9; `sc_slot` 6 and
  /// `bound_notification` 8 bind their object instead), keyed by the TCB's address and the capDL
  /// slot number.
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
  /// The objects whose derivation tree the description states (a `cdt` link or `child_of` names a
  /// cap to them): the loader builds their tree as stated, where for every other object it builds
  /// what the capDL initialiser makes (`Loader.productsTheInitialiserKeeps`).
  public var statedTrees: Set<ObjectRef> = []
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
///   - ignoreLinksBetweenObjects: leave out a `cdt` link (or `child_of`) between caps to two
///     different objects, which seL4's derivation tree cannot hold, instead of refusing it, as
///     capdl-loader-app does (it never reads the cdt); each is listed in `ignoredCDT`.
/// - Throws: `CapDLLoadError` naming the construct a plan cannot express.
public func loadSystemPlan(
  from model: CapDLModel, growUndersizedUntypeds: Bool = false, ignoreLinksBetweenObjects: Bool = false
) throws(CapDLLoadError) -> CapDLLoadResult {
  var loader = Loader(model: model, grow: growUndersizedUntypeds)
  loader.ignoreLinksBetweenObjects = ignoreLinksBetweenObjects
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
  var grown: [CapDLObjectID: CapDLLoadResult.GrownUntyped] = [:]
  /// Where the boot region starts when no `paddr:` pushes it up.
  static let bootBase: UInt64 = 0x1000_0000

  let grow: Bool
  var ignoreLinksBetweenObjects = false
  /// seL4's object sizes on the description's architecture (`ArchSizes.swift`).
  let arch: CapDLArchSizes

  init(model: CapDLModel, grow: Bool) {
    self.model = model
    self.grow = grow
    self.arch = CapDLArchSizes(model.arch)
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
    case .pt: return .opaque(kind: "pt", sizeBits: arch.pageTableBits)
    case .pd: return .opaque(kind: "pd", sizeBits: arch.pageDirectoryBits)
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
        if bits != given { grown[id] = CapDLLoadResult.GrownUntyped(declaredBits: given, placedBits: bits) }
      } else {
        bits = needed
        guard bits <= KernelConstants.maxUntypedBits else {
          throw CapDLLoadError("untyped '\(id)' would need \(bits) bits")
        }
      }
      watermarks[id] = end
    } else {
      bits = arch.placementBits(try kind(id, o))
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

    // The layers' objects are up to 2^shift times seL4's on the description's architecture:
    // every address scales by that factor (`ArchSizes.swift`), after a check that the layout
    // is inside the architecture's physical addresses.
    let shift = arch.placementShift
    let limitBits = min(arch.wordBits, 64 &- shift)
    for (id, base) in addresses.sorted(by: { $0.key < $1.key }) {
      let bits = sizes[id] ?? 0
      let (end, overflow) = base.addingReportingOverflow(bits < 64 ? 1 << bits : 0)
      if overflow || bits >= 64 || (limitBits < 64 && end > 1 << limitBits) {
        throw CapDLLoadError(
          "'\(id)' at 0x\(String(base, radix: 16)) ends beyond the \(limitBits)-bit physical addresses of "
            + "\(model.arch.rawValue) (the layers place a \(arch.wordBits)-bit description at \(1 << shift) times its addresses)"
        )
      }
      addresses[id] = base << shift
    }
    cursor <<= shift

    // Plan objects (untypeds are regions, not objects).
    var objects: [SystemPlan.Object] = []
    var kinds: [CapDLObjectID: PlanObjectKind] = [:]
    var untypeds: [CapDLObjectID: CapDLLoadResult.Region] = [:]
    var lo = UInt64.max
    var hi: UInt64 = 0
    for (id, o) in model.objects {
      guard let base = addresses[id], let archBits = sizes[id] else { continue }
      if o.type == .ut {
        let bits = archBits &+ shift
        untypeds[id] = .init(base: base, sizeBits: bits, watermark: (watermarks[id] ?? 0) << shift)
        lo = min(lo, base)
        hi = max(hi, base &+ (1 << bits))
      } else {
        let k = try kind(id, o)
        kinds[id] = k
        objects.append(SystemPlan.Object(name: id.description, address: base, kind: k))
        lo = min(lo, base)
        hi = max(hi, base &+ (1 << max(k.sizeBits, archBits)))
      }
    }
    objects.sort { $0.address < $1.address }

    // Caps.
    var caps: [SlotRef: Capability] = [:]
    var opaqueCaps: [SlotRef: String] = [:]
    var capsInOpaqueObjects: [SlotRef: String] = [:]
    var tcbSideCaps: [SlotRef: String] = [:]
    var boundSC: [ObjectRef: ObjectRef] = [:]
    var boundNotification: [ObjectRef: ObjectRef] = [:]
    var planSlot: [CapDLSlotRef: SlotRef] = [:]
    var wrappedSlots: [CapDLSlotRef: UInt64] = [:]
    var filledFrom: [SlotRef: UInt64] = [:]
    var irqOf: [CapDLObjectID: UInt64] = [:]
    for (irq, id) in model.irqs { irqOf[id] = irq }
    let printer = CapDLPrinter(model: model)
    for (container, slots) in model.caps.sorted(by: { $0.key < $1.key }) {
      guard let address = addresses[container], let type = model.objects[container]?.type else {
        throw CapDLLoadError("caps in undeclared container '\(container)'")
      }
      for (slot, cap) in slots.sorted(by: { $0.key < $1.key }) {
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
          // `bound_notification` binds a notification (the capDL loader's BindNotification).
          if slot == 8,
            case .notification(let ntfn, _, _)? = try capability(
              cap, irqOf: irqOf, kinds: kinds, untypeds: untypeds)
          {
            boundNotification[address] = ntfn
            continue
          }
          guard let t = tcbSlot(capDLSlot: slot) else {
            tcbSideCaps[SlotRef(address, slot)] = text
            continue
          }
          ref = SlotRef(address, t.rawValue)
        case (_, .cnode(let radix)?):
          let index = slot & ((1 << radix) &- 1)
          if index != slot {
            // A slot beyond the CNode's radix (`example-arm.cdl`'s `test[1] { 0x200: rm_cn }` in
            // an 8-bit CNode). The capDL tool accepts it (`State.hs`: `validObjCap _ (CNode {})
            // _ _ = True`) except in an IRQ object (radix 0: slot 0 only); capdl-loader-app's
            // `init_cnode_slot` mints it with index `slot` and depth the CNode's radix, and seL4's
            // `resolveAddressBits` reads only the low `radix` bits of the index, so the cap lands
            // in slot `slot mod 2^radix` (l4v sys-init's `well_formed` excludes such a
            // description, so no proof covers it). The loader puts it where seL4 does and says so.
            let place = model.capPositions[CapDLSlotRef(container, slot)].map {
              "\(model.file):\($0.line):\($0.column): "
            }
            let beyond = "slot \(slot) of '\(container)' is beyond its \(radix)-bit radix (\(1 << radix) slots)"
            guard radix > 0 else {
              throw CapDLLoadError(
                (place ?? "") + beyond + ": an IRQ object holds a cap in slot 0 only (the capDL tool's validObjCap)")
            }
            if let other = filledFrom[SlotRef(address, index)] {
              throw CapDLLoadError(
                (place ?? "") + beyond + ": capdl-loader-app mints it with depth \(radix), which seL4 resolves to "
                  + "slot \(index), already holding the cap described in slot \(other) (the mint would fail with "
                  + "seL4_DeleteFirst)")
            }
            wrappedSlots[CapDLSlotRef(container, slot)] = index
          }
          ref = SlotRef(address, index)
          filledFrom[ref] = slot
        default:
          capsInOpaqueObjects[SlotRef(address, slot)] = text
          continue
        }
        let at = CapDLSlotRef(container, slot)
        let c: Capability?
        do {
          if type == .tcb { try checkTCBSlot(slot, of: container, holds: cap) }
          c = try capability(cap, irqOf: irqOf, kinds: kinds, untypeds: untypeds)
        } catch {
          throw CapDLLoadError("\(capLocation(at)): \(error.message)")
        }
        if let c {
          caps[ref] = c
          planSlot[at] = ref
        } else {
          opaqueCaps[ref] = text
        }
      }
    }
    // The described derivation links between plan caps; the others are kept aside.
    var described: [SlotRef: SlotRef] = [:]
    var opaqueCDT: [CapDLSlotRef: CapDLSlotRef] = [:]
    var ignoredCDT: [CapDLSlotRef: CapDLSlotRef] = [:]
    for (child, parent) in model.cdt {
      if let c = planSlot[child], let p = planSlot[parent] {
        // A link between caps to different objects (not an untyped over what it holds, not IRQ
        // control over a handler): no kernel state holds it; capdl-loader-app ignores the cdt.
        if ignoreLinksBetweenObjects, let cc = caps[c], let pc = caps[p],
          Loader.regionKey(cc) != Loader.regionKey(pc), case .failure = Loader.describedLink(child: cc, parent: pc),
          !Loader.isUntyped(pc)
        {
          ignoredCDT[child] = parent
          continue
        }
        described[c] = p
      } else {
        opaqueCDT[child] = parent
      }
    }
    var slotSource: [SlotRef: CapDLSlotRef] = [:]
    for (source, slot) in planSlot { slotSource[slot] = source }
    func locate(_ slot: SlotRef) -> String {
      slotSource[slot].map { capLocation($0) } ?? "the initialiser's cap in slot \(slot.index)"
    }
    func slotName(_ slot: SlotRef) -> String {
      slotSource[slot].map { "(\($0.object), \($0.slot))" } ?? "(\(Loader.initialiserCSpaceName), \(slot.index))"
    }
    // The initialiser's CSpace (docs/capdl.md): CNodes and TCBs that hold caps but that no cap
    // of the description names are named by the capDL loader's own CSpace in a real boot, and it
    // keeps the unbadged original of an endpoint or notification the description names only by
    // caps of several badges (they were minted from it), the root task's SchedControl and domain
    // caps when the description has copies of them, retype's cap to each object whose first cap
    // it cannot move into place, and a cap to every object that may be live
    // (`if_live_then_nonz_cap`) that no described cap names.
    // A description with a derivation tree (a `cdt` section or `child_of`) states the whole tree:
    // a cap it lists as no one's child is an original, as the description says, for every object
    // (the refutation scenarios rely on it: their pre-state's originals are exactly the ones
    // written, whatever rights or badge the counterexample gave them).
    let statedTrees = described.isEmpty ? Set<ObjectRef>() : Set(caps.values.compactMap(Loader.objectOf))
    var kept =
      Loader.originalsTheInitialiserKeeps(caps: caps, described: described)
      + Loader.controlCapsTheInitialiserKeeps(caps)
    do {
      // Which first caps cannot be retype's cap moved into place: read off the tree the loader
      // derives without those products.
      var (trialObjects, trialCaps) = (objects, caps)
      let trial = try Loader.addInitialiserCSpace(
        at: cursor, objects: &trialObjects, caps: &trialCaps, originals: kept, bound: Set(boundNotification.values))
      let (trialParent, trialOriginals) = try Loader.derive(
        caps: &trialCaps, described: described, initialiserOriginals: trial?.originals ?? [], where: locate,
        name: slotName)
      kept += Loader.productsTheInitialiserKeeps(
        caps: trialCaps, cdtParent: trialParent, originals: trialOriginals, objects: trialObjects,
        initialiserCSpace: trial?.address, statedTrees: statedTrees)
    }
    let handlers = Loader.handlerMintsTheInitialiserKeeps(caps: caps, objects: objects)
    kept += handlers.filter { !kept.contains($0) }
    // The notification each mapped IRQ signals (capdl-loader-app's `init_irq`): the cap it gives
    // IRQHandler_SetNotification, which the initialiser keeps (a badged one is its mint).
    let irqBindings = try irqNotificationCaps()
    let irqMints = irqBindings.map(\.cap).filter { if case .notification(_, let b, _) = $0 { b != 0 } else { false } }
    for binding in irqBindings where !kept.contains(binding.cap) {
      if binding.badge == 0 && caps.values.contains(binding.cap) { continue }
      kept.append(binding.cap)
    }
    let initialiser = try Loader.addInitialiserCSpace(
      at: cursor, objects: &objects, caps: &caps, originals: kept, bound: Set(boundNotification.values))
    // A badged fault or timeout handler cap is a copy of the initialiser's mint of it.
    for (slot, cap) in caps where handlers.contains(cap) && slot.container != initialiser?.address {
      if let mint = initialiser?.originals.sorted().first(where: { caps[$0] == cap }) { described[slot] = mint }
    }
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

    // The handler mints are badged: the object's unbadged original comes first, as in the boot.
    let (cdtParent, originals) = try Loader.derive(
      caps: &caps, described: described,
      initialiserOriginals: (initialiser?.originals ?? []).filter {
        !handlers.contains(caps[$0] ?? .null) && !irqMints.contains(caps[$0] ?? .null)
      },
      where: locate, name: slotName)
    // The slot whose cap each bound line's SetNotification was given: the initialiser's own, else
    // the first described slot holding that cap (not an IRQ object's).
    let irqObjects = Set(model.irqs.values.compactMap { addresses[$0] })
    var irqNotifications: [UInt64: SlotRef] = [:]
    for binding in irqBindings {
      let holding = caps.filter { $0.value == binding.cap && !irqObjects.contains($0.key.container) }.keys.sorted()
      let own = holding.first { $0.container == initialiser?.address }
      if let slot = own ?? holding.first { irqNotifications[binding.irq] = slot }
    }

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
      // `recv_ep`/`recv_reply` (this package's extension): the endpoint and reply object the
      // thread starts blocked in Recv on.
      func named(_ key: String, _ type: CapDLObjectType) throws(CapDLLoadError) -> ObjectRef? {
        guard case .word(let name)? = o.params[key] else { return nil }
        let target = CapDLObjectID(name, nil)
        guard model.objects[target]?.type == type, let address = addresses[target] else {
          throw CapDLLoadError("tcb '\(id)': \(key) '\(name)' is no '\(type.rawValue)' of the system")
        }
        return address
      }
      let receiveEndpoint = try named("recv_ep", .ep)
      let receiveReply = try named("recv_reply", .rtreply)
      if receiveReply != nil && receiveEndpoint == nil {
        throw CapDLLoadError("tcb '\(id)' has recv_reply without recv_ep")
      }
      threads.append(
        SystemPlan.Thread(
          tcb: address, state: running ? .running : .inactive, priority: prio, maxControlledPriority: mcp,
          domain: o.number("dom") ?? 0, schedContext: boundSC[address],
          boundNotification: boundNotification[address],
          receive: receiveEndpoint.map { SystemPlan.Thread.Receive(endpoint: $0, reply: receiveReply) }))
    }
    // An `sc` with a budget was configured by the capDL loader (SchedControl_Configure): `data` is
    // the tool's badge (`scBadge`), and `sporadic: True` (this package's extension; the capDL tool
    // has no word for it) sets ConfigureFlags' `seL4_SchedContext_Sporadic` flag.
    var schedContexts: [ObjectRef: SystemPlan.SchedContextConfiguration] = [:]
    for (id, o) in model.objects where o.type == .sc {
      guard let address = addresses[id], let budget = o.number("budget") else { continue }
      var sporadic = false
      if case .flag(true)? = o.params["sporadic"] { sporadic = true }
      schedContexts[address] = SystemPlan.SchedContextConfiguration(
        budget: budget, period: o.number("period") ?? budget, sporadic: sporadic, badge: o.number("data") ?? 0)
    }
    let (domainSchedule, domainsNotRealised) = try loadedDomainSchedule()
    var plan = SystemPlan(
      memoryBase: lo, memorySizeBits: memoryBits, objects: objects, caps: caps, cdtParent: cdtParent,
      originals: originals, threads: threads, schedContexts: schedContexts, domainSchedule: domainSchedule,
      irqNotifications: irqNotifications)
    // The thread seL4 runs after the capDL initialiser has started the threads and suspended
    // itself (`SystemPlan.firstToRun`): of the highest priority that can run (MCS: a bound,
    // configured SC), the first declared.
    plan.currentThread = plan.firstToRun
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
      initialiserCSpace: initialiser?.address, statedTrees: statedTrees)
    result.file = model.file
    result.objectPositions = objectPositions
    result.capPositions = capPositions
    result.grownUntypeds = grown
    result.wrappedSlots = wrappedSlots
    result.ignoredCDT = ignoredCDT
    result.domainScheduleNotRealised = domainsNotRealised
    for (untyped, contents) in model.untypedCovers {
      for id in contents { result.untypedParent[id] = untyped }
    }
    return result
  }

  /// The `domains` section's schedule as capdl-loader-app's `init_domains` and
  /// `start_domain_schedule` leave it, when the plan can say it: each entry i written by
  /// DomainSet_ScheduleConfigure at index i (durations in timer ticks, as MCS seL4 reads them),
  /// then DomainSet_ScheduleSetStart of entry 0, where the plan's schedule starts
  /// (`SystemPlan.domainSchedule`), checked as `DomainConfig.problems` checks a plan's (at most the
  /// kernel's schedule length, domains the kernel has, a first entry of a positive time in domain 0,
  /// where the first thread runs; domain 0 is this model's rule, seL4 refuses only the zero time).
  /// nil without a schedule (seL4's boot schedule stays), and, with
  /// the reason, for a schedule the plan cannot start as capdl-loader-app would: an `index_shift`
  /// (the boot entry 0 stays before the written ones), a start other than entry 0, or `no_start`
  /// (the boot entry keeps running, the written schedule waits behind its 2^56 − 1 ticks).
  func loadedDomainSchedule() throws(CapDLLoadError) -> (entries: [DomainScheduleEntry]?, notRealised: String?) {
    guard let domains = model.domains, let schedule = domains.schedule else { return (nil, nil) }
    let place = model.domainsPosition.map { "\(model.file):\($0.line):\($0.column): " } ?? ""
    guard domains.indexShift == 0 else {
      return (nil, place + "index_shift \(domains.indexShift): the plan's domain schedule starts at index 0")
    }
    guard domains.start == 0 else {
      let start = domains.start.map { "domain_set_start \($0)" } ?? "domain_set_start: no_start"
      return (nil, place + "\(start): the plan's domain schedule is started at entry 0")
    }
    let entries = schedule.map { DomainScheduleEntry(domain: $0.domain, duration: $0.time) }
    if let problem = DomainConfig.problems(entries).first { throw CapDLLoadError(place + problem) }
    return (entries, nil)
  }

  /// One `irq maps` line whose IRQ object holds a notification cap in slot 0: the cap
  /// capdl-loader-app's `init_irq` hands IRQHandler_SetNotification (the object's original, all
  /// rights, or a mint of it with the described badge and all rights; the described rights are not
  /// read), and the described badge.
  struct IRQBinding {
    var irq: UInt64
    var cap: Capability
    var badge: UInt64
  }

  /// The model's IRQ maps checked and their bindings, in line order: every mapped line must be one
  /// of the model's (`IRQConstants.maxIRQ`), and a bound one neither the timer's nor bound to
  /// anything but a notification. An IRQ object with no cap is mapped but unbound (capdl-loader-app
  /// issues its handler and binds nothing).
  func irqNotificationCaps() throws(CapDLLoadError) -> [IRQBinding] {
    var bindings: [IRQBinding] = []
    for (irq, id) in model.irqs.sorted(by: { $0.key < $1.key }) {
      let place = model.irqPositions[irq].map { "\(model.file):\($0.line):\($0.column): " } ?? ""
      guard irq <= IRQConstants.maxIRQ else {
        throw CapDLLoadError(
          place
            + "IRQ \(irq) ('\(id)') is out of range: the model's interrupt controller has lines 0...\(IRQConstants.maxIRQ)"
        )
      }
      guard let cap = model.caps[id]?[0] else { continue }
      guard irq != IRQConstants.timerIRQ else {
        throw CapDLLoadError(
          place
            + "IRQ \(irq) ('\(id)') is the kernel's timer line (IRQTimer): IRQControl_Get refuses it (RevokeFirst), "
            + "so no notification can be bound to it")
      }
      guard let target = cap.object, model.objects[target]?.type == .notification, let address = addresses[target]
      else {
        let what =
          cap.object.map { o in "a cap to '\(o)' (\(model.objects[o]?.type.rawValue ?? "?"))" } ?? "a \(cap.target) cap"
        throw CapDLLoadError(
          place
            + "IRQ \(irq)'s object '\(id)' holds \(what) in slot 0: IRQHandler_SetNotification takes a notification "
            + "cap (seL4 refuses any other with InvalidCapability)")
      }
      bindings.append(
        IRQBinding(irq: irq, cap: .notification(address, badge: cap.badge, rights: [.read, .write]), badge: cap.badge))
    }
    return bindings
  }

  /// The largest CNode radix a plan can hold: its `2^(radix + slotBits)` bytes within memory's
  /// 47-bit maximum.
  static let maxCNodeBits: UInt64 = KernelConstants.maxUntypedBits &- KernelConstants.slotBits

  /// The name of the CNode that stands for the capDL loader's own CSpace.
  public static let initialiserCSpaceName = "capdl_initialiser_cspace"

  /// Adds the initialiser's CSpace when some CNode or TCB holding caps is named by no cap, or some
  /// object that can be live is (`if_live_then_nonz_cap`: a TCB, a scheduling context, a
  /// notification of `bound`): a CNode at the first free address from `cursor`, holding a cap to
  /// itself in slot 2 (seL4's `seL4_CapInitThreadCNode`) and, from slot 16 on, a cap to each such
  /// container in address order (a CNode cap with no guard, a TCB cap), then the `kept`
  /// originals, then a cap to each such object that may be live, in address order.
  static func addInitialiserCSpace(
    at cursor: UInt64, objects: inout [SystemPlan.Object], caps: inout [SlotRef: Capability],
    originals kept: [Capability] = [], bound: Set<ObjectRef> = []
  ) throws(CapDLLoadError) -> (address: ObjectRef, end: UInt64, originals: Set<SlotRef>)? {
    let named = Set(
      caps.values.compactMap { cap -> ObjectRef? in
        switch cap {
        case .cnode(let r, _, _, _), .thread(let r): r
        default: nil
        }
      })
    let unnamed = Set(caps.keys.map(\.container)).subtracting(named).sorted()
    // The objects that may be live and that no cap names (`zobj_refs`).
    let namedAtAll = Set(
      caps.values.compactMap { cap -> ObjectRef? in
        switch cap {
        case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .cnode(let r, _, _, _),
          .thread(let r), .schedContext(let r, _):
          r
        default: nil
        }
      })
    let unnamedLive = objects.filter { object in
      guard !namedAtAll.contains(object.address) else { return false }
      switch object.kind {
      case .tcb, .schedContext: return true
      case .notification: return bound.contains(object.address)
      default: return false
      }
    }.sorted { $0.address < $1.address }
    guard !unnamed.isEmpty || !kept.isEmpty || !unnamedLive.isEmpty else { return nil }
    let kinds = Dictionary(objects.map { ($0.address, $0.kind) }, uniquingKeysWith: { a, _ in a })
    var radix: UInt64 = 5
    let needed = 16 &+ UInt64(unnamed.count) &+ UInt64(kept.count) &+ UInt64(unnamedLive.count)
    while radix < maxCNodeBits, (1 << radix) < needed { radix += 1 }
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
    // After them, the originals it keeps.
    var keptSlots: Set<SlotRef> = []
    for (i, cap) in kept.enumerated() {
      let slot = SlotRef(address, 16 &+ UInt64(unnamed.count) &+ UInt64(i))
      caps[slot] = cap
      keptSlots.insert(slot)
    }
    // Then a cap to each object that may be live.
    for (i, object) in unnamedLive.enumerated() {
      let slot = SlotRef(address, 16 &+ UInt64(unnamed.count) &+ UInt64(kept.count) &+ UInt64(i))
      switch object.kind {
      case .tcb: caps[slot] = .thread(object.address)
      case .schedContext(let sizeBits): caps[slot] = .schedContext(object.address, sizeBits: sizeBits)
      case .notification: caps[slot] = .notification(object.address, badge: 0, rights: [.read, .write])
      default: continue
      }
    }
    return (address, end, keptSlots)
  }

  /// The unbadged original caps the initialiser keeps: one for each endpoint or notification that
  /// the plan's caps name only with badges, of at least two values, and with no link in the
  /// description's `cdt`. seL4 minted those caps from an unbadged original; without it their
  /// trees would have no common root (outside every untyped), or be siblings under the untyped
  /// with other objects' caps between them (`mdb_chunked` either way).
  static func originalsTheInitialiserKeeps(caps: [SlotRef: Capability], described: [SlotRef: SlotRef]) -> [Capability] {
    let linked = Set(described.keys).union(described.values)
    var badges: [ObjectRef: Set<UInt64>] = [:]
    var fresh: [ObjectRef: Capability] = [:]
    var excluded: Set<ObjectRef> = []
    for (slot, cap) in caps {
      switch cap {
      case .endpoint(let r, let badge, _):
        badges[r, default: []].insert(badge)
        fresh[r] = .endpoint(r, badge: 0, rights: [.read, .write, .grant, .grantReply])
        if linked.contains(slot) { excluded.insert(r) }
      case .notification(let r, let badge, _):
        badges[r, default: []].insert(badge)
        fresh[r] = .notification(r, badge: 0, rights: [.read, .write])
        if linked.contains(slot) { excluded.insert(r) }
      default: continue
      }
    }
    return badges.keys.sorted().compactMap { r -> Capability? in
      guard let b = badges[r], !b.contains(0), b.count >= 2, !excluded.contains(r) else { return nil }
      return fresh[r]
    }
  }

  /// The root task's SchedControl and domain caps, when the description has caps of those kinds:
  /// capdl-loader-app copies every described one from the root task's (`init_cnode_slot` moves
  /// only IRQ control), so those stay original in its CSpace and the described ones are copies.
  static func controlCapsTheInitialiserKeeps(_ caps: [SlotRef: Capability]) -> [Capability] {
    var kept: [Capability] = []
    let sorted = caps.sorted { $0.key < $1.key }.map(\.value)
    if let control = sorted.first(where: { if case .schedControl = $0 { true } else { false } }) {
      kept.append(control)
    }
    if sorted.contains(.domain) { kept.append(.domain) }
    return kept
  }

  /// Retype's cap to each object whose first cap (the original of its tree, as `derive` placed it
  /// in `caps`, `cdtParent`, `originals`) the initialiser cannot make by moving retype's cap there:
  /// a cap in a TCB slot (the initialiser fills TCB slots by invocations, not moves), or one with
  /// fewer rights, a badge or a reply cap without Grant (seL4 moves and mutates no rights and no
  /// badge: `PlanObjectKind.moveData`). In a real boot the initialiser keeps retype's cap, and the
  /// described caps to the object are copies or mints of it (`Sources/Boot`). Objects whose tree
  /// the description states (`statedTrees`) keep it as stated.
  static func productsTheInitialiserKeeps(
    caps: [SlotRef: Capability], cdtParent: [SlotRef: SlotRef], originals: Set<SlotRef>,
    objects: [SystemPlan.Object], initialiserCSpace: ObjectRef?, statedTrees: Set<ObjectRef>
  ) -> [Capability] {
    let kinds = Dictionary(objects.map { ($0.address, $0.kind) }, uniquingKeysWith: { a, _ in a })
    var kept: [ObjectRef: Capability] = [:]
    for slot in originals.sorted() where slot.container != initialiserCSpace {
      guard let cap = caps[slot], !isUntyped(cap), let r = objectOf(cap), !statedTrees.contains(r),
        let kind = kinds[r], let made = kind.retypeCap(at: r)
      else { continue }
      // The object's first cap: its parent, if any, is an untyped.
      if let parent = cdtParent[slot], let parentCap = caps[parent], !isUntyped(parentCap) { continue }
      let movable: Bool
      if case .cnode(let radix)? = kinds[slot.container], radix > 0 {
        movable = PlanObjectKind.moveData(from: made, to: cap) != nil
      } else {
        movable = false
      }
      if !movable, kept[r] == nil { kept[r] = made }
    }
    return kept.sorted { $0.key < $1.key }.map(\.value)
  }

  /// The badged fault and timeout handler caps of the threads: the initialiser mints each into
  /// its own CSpace and gives it to the thread by TCB_SetSchedParams or TCB_SetTimeoutEndpoint,
  /// which copy it (seL4's `installTCBCap` inserts the thread's cap as a child of the mint, not
  /// original: same badge). Each once, in slot order.
  static func handlerMintsTheInitialiserKeeps(caps: [SlotRef: Capability], objects: [SystemPlan.Object])
    -> [Capability]
  {
    let threads = Set(objects.filter { $0.kind == .tcb }.map(\.address))
    var kept: [Capability] = []
    for (slot, cap) in caps.sorted(by: { $0.key < $1.key }) where threads.contains(slot.container) {
      guard slot.index == TCBSlot.faultHandler.rawValue || slot.index == TCBSlot.timeoutHandler.rawValue,
        case .endpoint(_, let badge, _) = cap, badge != 0, !kept.contains(cap)
      else { continue }
      kept.append(cap)
    }
    return kept
  }

  /// The object a cap names, if it names one.
  static func objectOf(_ cap: Capability) -> ObjectRef? {
    switch cap {
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .thread(let r),
      .cnode(let r, _, _, _), .schedContext(let r, _):
      r
    case .untyped, .irqControl, .irqHandler, .schedControl, .domain, .null: nil
    }
  }

  /// `file:line:col` of a described cap, else its slot and container by name.
  func capLocation(_ at: CapDLSlotRef) -> String {
    guard let p = model.capPositions[at] else { return "slot \(at.slot) of '\(at.object)'" }
    return "\(model.file):\(p.line):\(p.column)"
  }

  /// The object types a TCB slot takes (`CapDL/Model.hs` slot names; seL4's `tcb_cap_cases`,
  /// TCB_Configure and the MCS binding invocations check the same types).
  static func typesForTCBSlot(_ slot: UInt64) -> (name: String, types: Set<CapDLObjectType>)? {
    switch slot {
    case 0: ("cspace", [.cnode])
    case 1: ("vspace", [.pd, .pgd, .pud, .pml4, .pt])
    case 2: ("reply_slot", [.tcb, .rtreply])
    case 3: ("caller_slot", [.tcb, .rtreply])
    case 4: ("ipc_buffer_slot", [.frame])
    case 5: ("fault_ep_slot", [.ep])
    case 6: ("sc_slot", [.sc])
    case 7: ("temp_fault_ep_slot", [.ep])
    case 8: ("bound_notification", [.notification])
    case 9: ("bound_vcpu", [.vcpu])
    default: nil
    }
  }

  /// Refuses a cap in a TCB slot that seL4 would not accept there (a cap to an object of the
  /// wrong type).
  func checkTCBSlot(_ slot: UInt64, of tcb: CapDLObjectID, holds cap: CapDLCap) throws(CapDLLoadError) {
    guard let expected = Loader.typesForTCBSlot(slot) else { return }
    let found: String
    if let id = cap.object, let type = model.objects[id]?.type {
      if expected.types.contains(type) {
        // seL4's `validFaultHandler` (src/object/tcb.c): a fault or timeout handler is an endpoint
        // cap with Write and Grant or GrantReply; TCB_SetSchedParams and TCB_SetTimeoutEndpoint
        // refuse any other, so no initialiser can put it there.
        if slot == 5 || slot == 7, !cap.rights.contains(.write) || cap.rights.isDisjoint(with: [.grant, .grantReply]) {
          throw CapDLLoadError(
            "\(expected.name) of tcb '\(tcb)' holds a cap to '\(id)' with rights \(Loader.letters(cap.rights)), which "
              + "seL4 refuses as a fault handler: it needs an endpoint cap with Write and Grant or GrantReply "
              + "(validFaultHandler), e.g. (WG) or (WP)")
        }
        return
      }
      found = "a cap to '\(id)' (\(type.rawValue))"
    } else {
      found = "a \(cap.target) cap"
    }
    let wanted = expected.types.map(\.rawValue).sorted().joined(separator: " or ")
    throw CapDLLoadError(
      "\(expected.name) of tcb '\(tcb)' holds \(found), a cap to an object of the wrong type (seL4 takes a cap to \(wanted) there)"
    )
  }

  /// Rights as capDL writes them (`RWGP`), `none` for no rights.
  static func letters(_ r: CapDLRights) -> String {
    let out = [(CapDLRights.read, "R"), (.write, "W"), (.grant, "G"), (.grantReply, "P")].filter { r.contains($0.0) }
      .map(\.1).joined()
    return out.isEmpty ? "none" : out
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
      // A badge is `badgeBits` wide on the description's architecture (28 on 32-bit kernels).
      if o.type == .ep || o.type == .notification, arch.badgeBits < 64, cap.badge >> arch.badgeBits != 0 {
        throw CapDLLoadError(
          "badge 0x\(String(cap.badge, radix: 16)) of the cap to '\(id)' is out of range: \(model.arch.rawValue) badges "
            + "have \(arch.badgeBits) bits (at most 0x\(String((1 << arch.badgeBits) - 1 as UInt64, radix: 16)))")
      }
      switch o.type {
      case .ep: return .endpoint(address, badge: cap.badge, rights: Loader.rights(cap.rights))
      // The kernel keeps only Write and Read on a notification cap (`maskCapRights`), so a capDL
      // Grant there gives nothing.
      case .notification:
        return .notification(
          address, badge: cap.badge, rights: Loader.rights(cap.rights).intersection([.read, .write]))
      case .cnode:
        guard case .cnode(let radix)? = kinds[id] else { return nil }
        guard cap.guardSize <= arch.wordBits &- min(radix, arch.wordBits) else {
          throw CapDLLoadError(
            "cap to '\(id)': guard size \(cap.guardSize) + radix \(radix) exceeds the \(arch.wordBits)-bit word of "
              + model.arch.rawValue)
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

// From syntax to model: declaring objects, untyped covers, caps, copies, the CDT, IRQs and domains
// (the tool's `CapDL/MakeModel.hs`), with every semantic error reported at its position.
//
// Passes, as in the tool: (1) declare objects in file order, untypeds before their bodies; (2)
// create the intermediate untypeds of `a/b/c` names; (3) untyped covers; (4) direct caps, slot
// names and cap names; (5) copies; (6) the CDT; (7) IRQ maps and domains. Later passes may name
// objects and caps declared anywhere in the file.

struct ModelBuilder {
  let file: String
  private var model = CapDLModel(arch: .arm11)
  /// Name → array length (nil: a plain object).
  private var arrays: [String: UInt64?] = [:]
  /// Where each name was first declared.
  private var declaredAt: [String: SourcePosition] = [:]
  /// The objects each declaration (by position) declared or re-declared.
  private var declIDs: [SourcePosition: [CapDLObjectID]] = [:]
  /// Untyped child → its untyped.
  private var coveredBy: [CapDLObjectID: CapDLObjectID] = [:]
  /// Cap names (slot names and `x = (c, s)` declarations): name → slot, with the declaring position.
  private var capNames: [CapDLObjectID: (ref: SlotRefTarget, position: SourcePosition)] = [:]
  /// Slots to fill with copies: destination → (source cap name, mask, position).
  private var copies: [CapDLSlotRef: (source: CapDLObjectID, mask: CapDLRights, position: SourcePosition)] = [:]
  private var copyOrder: [CapDLSlotRef] = []
  private var childOf: [(children: [CapDLSlotRef], parent: SlotRefSyntax, position: SourcePosition)] = []

  /// A cap name's slot; the container is resolved when the name is used (the tool lets unused
  /// names point at undeclared containers, as `example-arm.cdl`'s `cap_name2` does).
  enum SlotRefTarget {
    case resolved(CapDLSlotRef)
    case unresolved(NameRefSyntax, UInt64)
  }

  static let maximumArrayLength: UInt64 = 1 << 20

  init(file: String) { self.file = file }

  private func error(_ message: String, at position: SourcePosition) -> CapDLError {
    CapDLError(file: file, position: position, message: message)
  }

  mutating func build(_ syntax: FileSyntax) throws(CapDLError) -> CapDLModel {
    guard let arch = CapDLArch(rawValue: syntax.arch) else {
      throw error("unknown architecture '\(syntax.arch)'", at: syntax.archPosition)
    }
    model.arch = arch
    let objectDecls = syntax.declarations.compactMap { d -> ObjectDeclSyntax? in
      if case .object(let o) = d { return o }
      return nil
    }
    for d in objectDecls { try declare(d) }
    for d in objectDecls { try declareIntermediateUntypeds(d) }
    for d in objectDecls { try addCovers(d, parent: nil) }
    try checkCoverCycles()
    for d in syntax.declarations { try addDirectCaps(d) }
    for d in syntax.declarations { try addCopyNames(d) }
    for dest in copyOrder { try resolveCopy(dest) }
    for d in syntax.declarations {
      if case .cdt(let c) = d { try addCDT(c) }
    }
    for entry in childOf {
      let parent = try resolve(entry.parent)
      for child in entry.children { try link(child: child, parent: parent, at: entry.position) }
    }
    var sawIRQs = false
    var domainItems: [DomainItemSyntax] = []
    for d in syntax.declarations {
      switch d {
      case .irqMaps(let maps, let position):
        if sawIRQs { throw error("a second 'irq maps' section (only one is allowed)", at: position) }
        sawIRQs = true
        try addIRQs(maps)
      case .domains(let items, _): domainItems += items
      default: break
      }
    }
    try addDomains(domainItems, present: syntax.declarations.contains { if case .domains = $0 { true } else { false } })
    model.file = file
    return model
  }

  // MARK: Names

  /// The one object a name reference denotes in a declaration: `x` or `x[i]`.
  private func singleIndex(_ ref: NameRefSyntax, _ what: String) throws(CapDLError) -> UInt64? {
    switch ref.ranges {
    case nil: return nil
    case .some(let r) where r.count == 1:
      if case .only(let n) = r[0] { return n }
      fallthrough
    default: throw error("expected a single index in \(what) '\(ref.name)'", at: ref.position)
    }
  }

  /// The indices `ranges` denote in an array of `count` elements, every index checked.
  private func expand(_ ranges: [RangeSyntax], count: UInt64, name: String, at position: SourcePosition)
    throws(CapDLError) -> [UInt64]
  {
    var out: [UInt64] = []
    func check(_ i: UInt64) throws(CapDLError) -> UInt64 {
      guard i < count else {
        throw error("index \(i) is out of range for '\(name)', which has \(count) elements", at: position)
      }
      return i
    }
    for r in ranges {
      switch r {
      case .only(let i): out.append(try check(i))
      case .fromTo(let a, let b):
        _ = try check(a)
        _ = try check(b)
        out += a <= b ? Array(a...b) : Array((b...a).reversed())
      case .to(let b): out += Array(0...(try check(b)))
      case .from(let a): out += Array((try check(a))..<count)
      case .all: out += Array(0..<count)
      }
    }
    return out
  }

  /// The objects a reference denotes; every one must be declared.
  private func objectIDs(_ ref: NameRefSyntax) throws(CapDLError) -> [CapDLObjectID] {
    guard let entry = arrays[ref.name] else { throw error("undeclared object '\(ref.name)'", at: ref.position) }
    switch (entry, ref.ranges) {
    case (nil, nil): return [CapDLObjectID(ref.name)]
    case (nil, .some): throw error("'\(ref.name)' is not an array", at: ref.position)
    case (.some, nil): throw error("'\(ref.name)' is an array; name its elements with '[...]'", at: ref.position)
    case (.some(let count), .some(let ranges)):
      return try expand(ranges, count: count, name: ref.name, at: ref.position).map { CapDLObjectID(ref.name, $0) }
    }
  }

  private func singleObject(_ ref: NameRefSyntax) throws(CapDLError) -> CapDLObjectID {
    let ids = try objectIDs(ref)
    guard ids.count == 1 else {
      throw error("expected one object, but '\(ref.name)' names \(ids.count)", at: ref.position)
    }
    return ids[0]
  }

  // MARK: Objects

  private mutating func declare(_ d: ObjectDeclSyntax) throws(CapDLError) {
    guard let base = d.qualifiedName.last, let type = CapDLObjectType(rawValue: d.type) else {
      throw error("unknown object type '\(d.type)'", at: d.typePosition)
    }
    let index = try singleIndex(base, "the declaration of")
    if let existing = arrays[base.name] {
      // A second declaration of an untyped only adds children (the tool ignores it otherwise).
      guard type == .ut, let first = model.objects[CapDLObjectID(base.name, existing == nil ? nil : 0)],
        first.type == .ut
      else {
        let at = declaredAt[base.name].map { " (first declared at \($0))" } ?? ""
        throw error("duplicate declaration of '\(base.name)'\(at)", at: base.position)
      }
      let id: CapDLObjectID
      switch (existing, index) {
      case (nil, nil): id = CapDLObjectID(base.name)
      case (.some(let count), .some(let i)):
        guard i < count else {
          throw error("index \(i) is out of range for '\(base.name)', which has \(count) elements", at: base.position)
        }
        id = CapDLObjectID(base.name, i)
      default:
        throw error("'\(base.name)' re-declared with a different shape (array or single)", at: base.position)
      }
      if !d.params.isEmpty {
        let params = try objectParams(d, type: type)
        if params != first.params {
          throw error("untyped '\(id)' re-declared with different parameters", at: d.params[0].position)
        }
      }
      declIDs[d.position] = [id]
    } else {
      let object = CapDLObject(type: type, params: try objectParams(d, type: type))
      var ids: [CapDLObjectID]
      if let count = index {
        guard count > 0, count <= ModelBuilder.maximumArrayLength else {
          throw error(
            "array '\(base.name)' must have 1 to \(ModelBuilder.maximumArrayLength) elements", at: base.position)
        }
        ids = (0..<count).map { CapDLObjectID(base.name, $0) }
      } else {
        ids = [CapDLObjectID(base.name)]
      }
      arrays[base.name] = index
      declaredAt[base.name] = base.position
      for id in ids {
        model.objects[id] = object
        model.objectPositions[id] = base.position
      }
      model.declarationOrder += ids
      declIDs[d.position] = ids
    }
    if let body = d.body, !body.isEmpty, type != .ut {
      throw error("only untyped objects ('ut') have a body; '\(base.name)' is a '\(type.rawValue)'", at: d.position)
    }
    for member in d.body ?? [] {
      if case .declaration(let child) = member { try declare(child) }
    }
  }

  /// Checks and normalises an object's parameters.
  private func objectParams(_ d: ObjectDeclSyntax, type: CapDLObjectType) throws(CapDLError) -> [String:
    CapDLParamValue]
  {
    var params: [String: CapDLParamValue] = [:]
    for p in d.params {
      guard type.allowedParams.contains(p.key) else {
        let shown = p.key == "size" ? "a frame size" : p.key == "pci" ? "a PCI address" : "'\(p.key)'"
        throw error("\(shown) is not a parameter of '\(type.rawValue)'", at: p.position)
      }
      guard params[p.key] == nil else { throw error("parameter '\(p.key)' given twice", at: p.position) }
      params[p.key] = ModelBuilder.value(p.value)
    }
    for key in type.requiredParams.sorted() where params[key] == nil {
      throw error(
        "'\(type.rawValue)' needs the parameter '\(key == "size" ? "Nk or NM" : key == "bits" ? "N bits" : key)'",
        at: d.typePosition)
    }
    switch type {
    case .tcb:
      let extra = ["addr", "ip", "sp", "prio", "max_prio", "affinity"].filter { params[$0] != nil }
      let allowed: [[String]] = [[], ["addr", "affinity"], ["addr", "ip", "sp", "prio", "max_prio", "affinity"]]
      guard allowed.contains(extra) else {
        throw error(
          "a tcb takes all of addr, ip, sp, prio, max_prio, affinity, or addr and affinity only, or none",
          at: d.typePosition)
      }
      // The tool's defaults: domain 0, no init arguments (`init: []` says the same).
      if params["dom"] == nil { params["dom"] = .number(0) }
      if params["init"] == .list([]) { params["init"] = nil }
    case .sc:
      let extra = ["period", "budget", "data"].filter { params[$0] != nil }
      guard extra.isEmpty || extra == ["period", "budget"] || extra.count == 3 else {
        throw error("an sc takes period and budget (and optionally data), or none of them", at: d.typePosition)
      }
    case .frame:
      if let size = params["size"]?.number, size == 0 || size & (size - 1) != 0 {
        throw error("frame size \(size) is not a power of 2", at: d.typePosition)
      }
    default: break
    }
    return params
  }

  private static func value(_ v: ParamSyntaxValue) -> CapDLParamValue {
    switch v {
    case .number(let n): .number(n)
    case .flag(let b): .flag(b)
    case .list(let l): .list(l)
    case .range(let a, let b): .range(a, b)
    case .pci(let a, let b, let c): .pci(bus: a, device: b, function: c)
    case .word(let w): .word(w)
    case .fill(let f): .fill(f)
    }
  }

  /// `a/b/c = T`: `a` and `b` become (empty) untypeds unless declared otherwise.
  private mutating func declareIntermediateUntypeds(_ d: ObjectDeclSyntax) throws(CapDLError) {
    for ref in d.qualifiedName.dropLast() {
      let index = try singleIndex(ref, "the untyped")
      let id = CapDLObjectID(ref.name, index)
      if let object = model.objects[id] {
        if object.type != .ut {
          throw error("'\(id)' is a '\(object.type.rawValue)', not an untyped", at: ref.position)
        }
      } else if arrays[ref.name] != nil || index != nil {
        throw error("undeclared untyped '\(id)'", at: ref.position)
      } else {
        arrays[ref.name] = .some(nil)
        declaredAt[ref.name] = ref.position
        model.objects[id] = CapDLObject(type: .ut)
        model.declarationOrder.append(id)
      }
    }
    for member in d.body ?? [] {
      if case .declaration(let child) = member { try declareIntermediateUntypeds(child) }
    }
  }

  // MARK: Untyped covers

  private mutating func cover(_ children: [CapDLObjectID], by untyped: CapDLObjectID, at position: SourcePosition)
    throws(CapDLError)
  {
    guard let u = model.objects[untyped], u.type == .ut else {
      throw error("'\(untyped)' is not an untyped, so it cannot hold objects", at: position)
    }
    for child in children {
      if let other = coveredBy[child] {
        if other == untyped { continue }  // Named twice in one untyped: the tool de-duplicates.
        throw error("'\(child)' is inside both '\(other)' and '\(untyped)'", at: position)
      }
      if child == untyped { throw error("untyped '\(child)' cannot contain itself", at: position) }
      coveredBy[child] = untyped
      model.untypedCovers[untyped, default: []].append(child)
    }
  }

  private mutating func addCovers(_ d: ObjectDeclSyntax, parent: CapDLObjectID?) throws(CapDLError) {
    guard let base = d.qualifiedName.last else { return }
    var chain: [CapDLObjectID] = parent.map { [$0] } ?? []
    for ref in d.qualifiedName.dropLast() { chain.append(CapDLObjectID(ref.name, try singleIndex(ref, "the untyped"))) }
    let ids = declIDs[d.position] ?? []
    if let innermost = chain.last { try cover(ids, by: innermost, at: base.position) }
    for (outer, inner) in zip(chain, chain.dropFirst()) { try cover([inner], by: outer, at: d.position) }
    guard let body = d.body, let me = ids.first, ids.count == 1 else {
      if let body = d.body, !body.isEmpty {
        throw error("an untyped with a body must be a single object, not an array", at: base.position)
      }
      return
    }
    for member in body {
      if case .reference(let ref) = member { try cover(try objectIDs(ref), by: me, at: ref.position) }
    }
    for member in body {
      if case .declaration(let child) = member { try addCovers(child, parent: me) }
    }
  }

  private func checkCoverCycles() throws(CapDLError) {
    for start in coveredBy.keys.sorted() {
      var at = start
      var steps = 0
      while let up = coveredBy[at] {
        steps += 1
        if up == start || steps > coveredBy.count {
          throw error(
            "untyped '\(start)' contains itself through '\(up)'",
            at: declaredAt[start.name] ?? SourcePosition(line: 1, column: 1))
        }
        at = up
      }
    }
  }

  // MARK: Caps

  private func containers(_ ref: NameRefSyntax) throws(CapDLError) -> [CapDLObjectID] {
    let ids = try objectIDs(ref)
    for id in ids {
      guard let o = model.objects[id], o.type.hasSlots else {
        throw error("'\(id)' is a '\(model.objects[id]?.type.rawValue ?? "?")', which holds no caps", at: ref.position)
      }
    }
    return ids
  }

  private mutating func put(_ cap: CapDLCap, at slot: CapDLSlotRef, position: SourcePosition) throws(CapDLError) {
    if model.caps[slot.object]?[slot.slot] != nil || copies[slot] != nil {
      throw error("slot \(slot.slot) of '\(slot.object)' is filled twice", at: position)
    }
    if model.objects[slot.object]?.type == .tcb, slot.slot > 9 {
      throw error("slot \(slot.slot) is not a TCB slot (capDL's TCB slots are 0 to 9)", at: position)
    }
    model.caps[slot.object, default: [:]][slot.slot] = cap
    model.capPositions[slot] = position
  }

  private static func slots(from first: UInt64, count: Int) -> [UInt64]? {
    guard count > 0 else { return [] }
    let (last, overflow) = first.addingReportingOverflow(UInt64(count - 1))
    return overflow ? nil : Array(first...last)
  }

  private mutating func addDirectCaps(_ d: DeclarationSyntax) throws(CapDLError) {
    switch d {
    case .capName(let name, let container, let slot, let position):
      let id = CapDLObjectID(name)
      if let old = capNames[id] {
        throw error("cap name '\(name)' declared twice (first at \(old.position))", at: position)
      }
      capNames[id] = (.unresolved(container, slot), position)
    case .caps(let containerRef, let mappings):
      let targets = try containers(containerRef)
      let hasCopy = mappings.contains { if case .copy = $0.source { true } else { false } }
      if hasCopy, let unnumbered = mappings.first(where: { $0.slot == nil }) {
        throw error("a cap list with copies ('<name>') must number every slot", at: unnumbered.position)
      }
      for (n, container) in targets.enumerated() {
        var next: UInt64 = 0
        for m in mappings {
          let first = m.slot ?? next
          var slots: [UInt64] = [first]
          switch m.source {
          case .target(let ref):
            let caps = try makeCaps(ref, m.params, in: container)
            guard let s = ModelBuilder.slots(from: first, count: caps.count) else {
              throw error("slot numbers overflow 64 bits", at: m.position)
            }
            slots = s
            for (slot, cap) in zip(s, caps) { try put(cap, at: CapDLSlotRef(container, slot), position: m.position) }
            if let name = m.name, n == 0 { try nameSlots(name, container: container, slots: s) }
          case .copy:
            break  // Filled in `addCopyNames` / `resolveCopy`, once every cap name is known.
          }
          if let last = slots.last { next = last &+ 1 }
          if let parent = m.parent, case .target = m.source {
            childOf.append((slots.map { CapDLSlotRef(container, $0) }, parent, m.position))
          }
        }
      }
    default: break
    }
  }

  /// `name = ...` or `name[] = ...` in a cap list.
  private mutating func nameSlots(_ name: NameRefSyntax, container: CapDLObjectID, slots: [UInt64]) throws(CapDLError) {
    var ids: [CapDLObjectID]
    switch name.ranges {
    case nil:
      guard slots.count == 1 else {
        throw error("cannot give one name to \(slots.count) caps; write '\(name.name)[]'", at: name.position)
      }
      ids = [CapDLObjectID(name.name)]
    case .some([.all]):
      ids = (0..<UInt64(slots.count)).map { CapDLObjectID(name.name, $0) }
    default:
      throw error("a slot name takes no index other than '[]'", at: name.position)
    }
    for (id, slot) in zip(ids, slots) {
      if let old = capNames[id] {
        throw error("cap name '\(id)' declared twice (first at \(old.position))", at: name.position)
      }
      capNames[id] = (.resolved(CapDLSlotRef(container, slot)), name.position)
    }
  }

  /// The cap names a copy source denotes.
  private func capNameIDs(_ ref: NameRefSyntax) throws(CapDLError) -> [CapDLObjectID] {
    guard let ranges = ref.ranges else {
      guard capNames[CapDLObjectID(ref.name)] != nil else {
        throw error("unknown cap name '\(ref.name)'", at: ref.position)
      }
      return [CapDLObjectID(ref.name)]
    }
    guard capNames[CapDLObjectID(ref.name, 0)] != nil else {
      throw error("unknown cap name array '\(ref.name)'", at: ref.position)
    }
    var count: UInt64 = 0
    while capNames[CapDLObjectID(ref.name, count)] != nil { count += 1 }
    return try expand(ranges, count: count, name: ref.name, at: ref.position).map { CapDLObjectID(ref.name, $0) }
  }

  /// Registers the copies of every cap list, and the names given to them.
  private mutating func addCopyNames(_ d: DeclarationSyntax) throws(CapDLError) {
    guard case .caps(let containerRef, let mappings) = d else { return }
    let targets = try containers(containerRef)
    for (n, container) in targets.enumerated() {
      for m in mappings {
        guard case .copy(let source) = m.source, let first = m.slot else { continue }
        var mask = CapDLRights.all
        for p in m.params {
          guard case .masked(let letters) = p.value, let r = CapDLRights(letters: letters) else {
            throw error("a copied cap takes only 'masked:'", at: p.position)
          }
          mask.formIntersection(r)
        }
        let sources = try capNameIDs(source)
        guard let slots = ModelBuilder.slots(from: first, count: sources.count) else {
          throw error("slot numbers overflow 64 bits", at: m.position)
        }
        for (slot, src) in zip(slots, sources) {
          let dest = CapDLSlotRef(container, slot)
          if model.caps[container]?[slot] != nil || copies[dest] != nil {
            throw error("slot \(slot) of '\(container)' is filled twice", at: m.position)
          }
          copies[dest] = (src, mask, m.position)
          copyOrder.append(dest)
        }
        if let name = m.name, n == 0 { try nameSlots(name, container: container, slots: slots) }
        if let parent = m.parent { childOf.append((slots.map { CapDLSlotRef(container, $0) }, parent, m.position)) }
      }
    }
  }

  private mutating func capNameSlot(_ id: CapDLObjectID, at position: SourcePosition) throws(CapDLError) -> CapDLSlotRef
  {
    guard let entry = capNames[id] else { throw error("unknown cap name '\(id)'", at: position) }
    switch entry.ref {
    case .resolved(let s): return s
    case .unresolved(let container, let slot):
      let s = CapDLSlotRef(try singleObject(container), slot)
      capNames[id] = (.resolved(s), entry.position)
      return s
    }
  }

  /// Fills a copy's slot with the cap it copies (following chains of copies), masked.
  private mutating func resolveCopy(_ dest: CapDLSlotRef) throws(CapDLError) {
    var chain: [CapDLSlotRef] = []
    var at = dest
    while let copy = copies[at], model.caps[at.object]?[at.slot] == nil {
      if chain.contains(at) {
        throw error("cap copies form a cycle through slot \(at.slot) of '\(at.object)'", at: copy.position)
      }
      chain.append(at)
      at = try capNameSlot(copy.source, at: copy.position)
    }
    guard var cap = model.caps[at.object]?[at.slot] else {
      let position = copies[chain.last ?? dest]?.position ?? SourcePosition(line: 1, column: 1)
      throw error("the copied cap name refers to slot \(at.slot) of '\(at.object)', which is empty", at: position)
    }
    for link in chain.reversed() {
      guard let copy = copies[link] else { continue }
      if let o = cap.object, let t = model.objects[o]?.type, [.ep, .notification, .frame, .smc].contains(t) {
        cap.rights.formIntersection(copy.mask)
      }
      if model.objects[link.object]?.type == .tcb, link.slot > 9 {
        throw error("slot \(link.slot) is not a TCB slot (capDL's TCB slots are 0 to 9)", at: copy.position)
      }
      model.caps[link.object, default: [:]][link.slot] = cap
      model.capPositions[link] = copy.position
    }
  }

  /// The caps a cap-list entry denotes, one per target object.
  private func makeCaps(_ ref: NameRefSyntax, _ params: [CapParamSyntax], in container: CapDLObjectID)
    throws(CapDLError) -> [CapDLCap]
  {
    if ref.ranges == nil, CapDLCapTarget.reservedNames.contains(ref.name) {
      var core: UInt64?
      for p in params {
        guard ref.name == "sched_control", case .core(let c) = p.value, core == nil else {
          throw error(
            "'\(ref.name)' takes \(ref.name == "sched_control" ? "only one 'core:'" : "no parameters")", at: p.position)
        }
        core = c
      }
      let target: CapDLCapTarget
      switch ref.name {
      case "irq_control": target = .irqControl
      case "asid_control": target = .asidControl
      case "io_space_master": target = .ioSpaceMaster
      case "domain": target = .domain
      default:
        guard let c = core else { throw error("'sched_control' needs 'core:'", at: ref.position) }
        target = .schedControl(core: c)
      }
      return [CapDLCap(target: target)]
    }
    var caps: [CapDLCap] = []
    for id in try objectIDs(ref) {
      guard let object = model.objects[id] else { throw error("undeclared object '\(id)'", at: ref.position) }
      caps.append(try makeCap(id, type: object.type, params))
    }
    return caps
  }

  private func makeCap(_ id: CapDLObjectID, type: CapDLObjectType, _ params: [CapParamSyntax]) throws(CapDLError)
    -> CapDLCap
  {
    var cap = CapDLCap(target: .object(id))
    var seen: Set<String> = []
    for p in params {
      let key: String
      switch p.value {
      case .rights(let letters):
        key = "rights"
        cap.rights.formUnion(CapDLRights(letters: letters) ?? [])
      case .masked: key = "masked"
      case .guardValue(let g):
        key = "guard"
        cap.guardValue = g
      case .guardSize(let g):
        key = "guard_size"
        cap.guardSize = g
      case .badge(let b):
        key = "badge"
        cap.badge = b
      case .core: key = "core"
      case .reply:
        key = "reply"
        cap.replyKind = .reply
      case .masterReply:
        key = "master_reply"
        cap.replyKind = .masterReply
      case .asid(let h, let l):
        key = "asid"
        cap.asid = [h, l]
      case .cached(let c):
        key = "cached"
        cap.cached = c
      case .mapping(let container, let slot):
        key = "mapping"
        cap.mapping = CapDLSlotRef(try singleObject(container), slot)
      }
      let allowed: Set<String>
      switch type {
      case .ep, .notification, .smc: allowed = ["rights", "badge"]
      case .tcb: allowed = ["reply", "master_reply"]
      case .cnode, .irq: allowed = ["guard", "guard_size"]
      case .frame: allowed = ["rights", "asid", "cached", "mapping"]
      case .pt, .pd, .pml4, .pdpt, .pud, .pgd: allowed = ["asid"]
      default: allowed = []
      }
      guard allowed.contains(key) else {
        let what = key == "masked" ? "'masked:' (only copies '<name>' are masked)" : "'\(key)'"
        throw error("a cap to a '\(type.rawValue)' does not take \(what)", at: p.position)
      }
      let group = key == "master_reply" ? "reply" : key == "uncached" ? "cached" : key
      if key != "rights", !seen.insert(group).inserted {
        throw error("cap parameter '\(key)' given twice or with its opposite", at: p.position)
      }
    }
    return cap
  }

  // MARK: CDT

  private mutating func resolve(_ ref: SlotRefSyntax) throws(CapDLError) -> CapDLSlotRef {
    switch ref {
    case .explicit(let container, let slot, _): return CapDLSlotRef(try singleObject(container), slot)
    case .named(let name):
      guard name.ranges == nil || name.ranges?.count == 1 else {
        throw error("a slot reference names one cap", at: name.position)
      }
      var index: UInt64?
      if let r = name.ranges?.first {
        guard case .only(let i) = r else { throw error("a slot reference names one cap", at: name.position) }
        index = i
      }
      return try capNameSlot(CapDLObjectID(name.name, index), at: name.position)
    }
  }

  private mutating func link(child: CapDLSlotRef, parent: CapDLSlotRef, at position: SourcePosition) throws(CapDLError)
  {
    for s in [child, parent] where model.caps[s.object]?[s.slot] == nil {
      throw error("the CDT names slot \(s.slot) of '\(s.object)', which holds no cap", at: position)
    }
    if let old = model.cdt[child] {
      throw error("slot \(child.slot) of '\(child.object)' has two CDT parents (\(old) and \(parent))", at: position)
    }
    if child == parent {
      throw error("slot \(child.slot) of '\(child.object)' cannot be its own CDT parent", at: position)
    }
    var at = parent
    var steps = 0
    while let up = model.cdt[at] {
      steps += 1
      if up == child || steps > model.cdt.count {
        throw error("the CDT would have a cycle through \(child)", at: position)
      }
      at = up
    }
    model.cdt[child] = parent
  }

  private mutating func addCDT(_ decl: CDTDeclSyntax) throws(CapDLError) {
    let parent = try resolve(decl.parent)
    for child in decl.children {
      switch child {
      case .leaf(let ref): try link(child: try resolve(ref), parent: parent, at: ref.position)
      case .subtree(let sub):
        try link(child: try resolve(sub.parent), parent: parent, at: sub.parent.position)
        try addCDT(sub)
      }
    }
  }

  // MARK: IRQs and domains

  private mutating func addIRQs(_ maps: [IRQMappingSyntax]) throws(CapDLError) {
    var next: UInt64 = 0
    for m in maps {
      let ids = try objectIDs(m.target)
      guard let irqs = ModelBuilder.slots(from: m.slot ?? next, count: ids.count) else {
        throw error("IRQ numbers overflow 64 bits", at: m.position)
      }
      for (irq, id) in zip(irqs, ids) {
        guard let t = model.objects[id]?.type, t.isIRQ else {
          throw error("'\(id)' is not an IRQ object, so it cannot be mapped to IRQ \(irq)", at: m.target.position)
        }
        if let old = model.irqs[irq] {
          throw error("IRQ \(irq) is mapped twice ('\(old)' and '\(id)')", at: m.position)
        }
        model.irqs[irq] = id
        model.irqPositions[irq] = m.position
      }
      if let last = irqs.last { next = last &+ 1 }
    }
  }

  private mutating func addDomains(_ items: [DomainItemSyntax], present: Bool) throws(CapDLError) {
    guard present else { return }
    var domains = CapDLDomains()
    var seen: Set<String> = []
    var startPosition: SourcePosition?
    var schedulePosition = SourcePosition(line: 1, column: 1)
    for item in items {
      switch item {
      case .schedule(let entries, let p):
        guard seen.insert("schedule").inserted else { throw error("a second domain schedule", at: p) }
        schedulePosition = p
        for e in entries {
          if e.time == 0 && e.domain != 0 {
            throw error("schedule entry (\(e.domain), 0): only the end marker (0, 0) has duration 0", at: p)
          }
          if e.domain > 255 { throw error("schedule entry domain \(e.domain) is not in 0...255", at: p) }
          if e.time >= 1 << 56 { throw error("schedule entry duration \(e.time) is not below 2^56", at: p) }
        }
        domains.schedule = entries.map { CapDLDomains.Entry(domain: $0.domain, time: $0.time) }
      case .start(let s, let p):
        guard seen.insert("start").inserted else { throw error("a second 'domain_set_start'", at: p) }
        domains.start = s
        startPosition = p
      case .indexShift(let n, let p):
        guard seen.insert("shift").inserted else { throw error("a second 'index_shift'", at: p) }
        domains.indexShift = n
      }
    }
    if let schedule = domains.schedule, let start = domains.start {
      let p = startPosition ?? schedulePosition
      if start >= UInt64(schedule.count) {
        throw error("domain_set_start \(start) is outside the schedule of \(schedule.count) entries", at: p)
      }
      if schedule[Int(start)] == CapDLDomains.Entry(domain: 0, time: 0) {
        throw error("domain_set_start \(start) points at the end marker (0, 0)", at: p)
      }
    }
    model.domains = domains
    model.domainsPosition = startPosition ?? (seen.contains("schedule") ? schedulePosition : nil)
  }
}

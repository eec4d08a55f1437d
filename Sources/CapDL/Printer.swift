// Printing a model as capDL text in the style of the capDL tool's `PrintModel.hs` (the `.right`
// files): objects sorted by name with arrays folded (`x[64] = frame (4k)`), untypeds after the
// other objects with their contents, caps per container with runs of one array folded
// (`12: ut_small[3..5, 7..20]`), then the CDT, IRQ maps and domains. Parsing the output gives
// back an equal model.

import KernelABI

extension CapDLModel: CustomStringConvertible {
  /// The model as capDL text.
  public var description: String { CapDLPrinter(model: self).render() }
}

/// Prints a model as capDL text.
public func print(_ model: CapDLModel) -> String { model.description }

struct CapDLPrinter {
  let model: CapDLModel

  /// `name` or `name[ranges]` for consecutive elements of one array.
  static func ranges(_ indices: [UInt64]) -> String {
    var parts: [String] = []
    var i = 0
    while i < indices.count {
      var j = i
      // A run going up, or else one going down, by steps of one.
      while j + 1 < indices.count, indices[j] != UInt64.max, indices[j + 1] == indices[j] + 1 { j += 1 }
      if j == i {
        while j + 1 < indices.count, indices[j] != 0, indices[j + 1] == indices[j] - 1 { j += 1 }
      }
      parts.append(j == i ? "\(indices[i])" : "\(indices[i])..\(indices[j])")
      i = j + 1
    }
    return parts.joined(separator: ", ")
  }

  /// Groups consecutive IDs of the same name: `[a, y[0], y[1]]` → `a, y[0..1]`.
  static func folded(_ ids: [CapDLObjectID]) -> [String] {
    var out: [String] = []
    var i = 0
    while i < ids.count {
      guard ids[i].index != nil else {
        out.append(ids[i].name)
        i += 1
        continue
      }
      var j = i
      var indices: [UInt64] = []
      while j < ids.count, ids[j].name == ids[i].name, let x = ids[j].index {
        indices.append(x)
        j += 1
      }
      out.append("\(ids[i].name)[\(ranges(indices))]")
      i = j
    }
    return out
  }

  func objectParams(_ o: CapDLObject) -> String {
    var parts: [String] = []
    func num(_ key: String, hexadecimal: Bool = false) {
      if let n = o.number(key) { parts.append("\(key): \(hexadecimal ? hex(n) : String(n))") }
    }
    switch o.type {
    case .tcb:
      for k in ["addr", "ip", "sp", "prio", "max_prio", "affinity"] { num(k) }
      for k in ["resume", "fpu_disabled"] {
        if case .flag(let b)? = o.params[k] { parts.append("\(k): \(b ? "True" : "False")") }
      }
      num("fault_ep")
      num("dom")
      for k in ["recv_ep", "recv_reply"] {
        if case .word(let w)? = o.params[k] { parts.append("\(k): \(w)") }
      }
      if case .list(let l)? = o.params["init"], !l.isEmpty {
        parts.append("init: [" + l.map(String.init).joined(separator: ", ") + "]")
      }
    case .cnode, .ut, .sc:
      if o.type == .sc {
        for k in ["period", "budget", "data"] { num(k) }
        if case .flag(let b)? = o.params["sporadic"] { parts.append("sporadic: \(b ? "True" : "False")") }
      }
      if let b = o.number("bits") { parts.append("\(b) bits") }
      if o.type == .ut { num("paddr", hexadecimal: true) }
    case .frame:
      if let size = o.number("size") {
        parts.append(size % (1 << 20) == 0 ? "\(size >> 20)M" : size % (1 << 10) == 0 ? "\(size >> 10)k" : "\(size)k")
      }
      num("paddr", hexadecimal: true)
      if case .fill(let groups)? = o.params["fill"] {
        parts.append("fill: [" + groups.map { "{" + $0.joined(separator: " ") + "}" }.joined(separator: ", ") + "]")
      }
    case .asidPool: num("asid_high", hexadecimal: true)
    case .ioPorts:
      if case .range(let a, let b)? = o.params["ports"] { parts.append("ports: [\(a)..\(b)]") }
    case .ioDevice:
      num("domainID")
      if case .pci(let bus, let dev, let fun)? = o.params["pci"] { parts.append("\(bus):\(dev).\(fun)") }
    case .armIRQ:
      if case .word(let w)? = o.params["trigger"] { parts.append("trigger: \(w)") }
      num("target")
    default:
      // Every other type prints its keys in sorted order.
      for key in o.params.keys.sorted() { num(key) }
    }
    return o.type.rawValue + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
  }

  /// Object names grouped into arrays, sorted.
  func groups(where include: (CapDLObject) -> Bool) -> [(name: String, ids: [CapDLObjectID])] {
    var byName: [String: [CapDLObjectID]] = [:]
    for (id, o) in model.objects where include(o) { byName[id.name, default: []].append(id) }
    return byName.keys.sorted().map { ($0, byName[$0, default: []].sorted()) }
  }

  func capText(_ cap: CapDLCap, indices: [UInt64]?) -> String {
    var head: String
    var isFrame = false
    switch cap.target {
    case .object(let id):
      head = id.name + (indices.map { "[\(CapDLPrinter.ranges($0))]" } ?? "")
      isFrame = model.objects[id]?.type == .frame
    case .irqControl: head = "irq_control"
    case .asidControl: head = "asid_control"
    case .ioSpaceMaster: head = "io_space_master"
    case .domain: head = "domain"
    case .schedControl(let core): return "sched_control (core: \(core))"
    }
    var parts: [String] = []
    if !cap.rights.isEmpty { parts.append(cap.rights.letters(grantAsX: isFrame)) }
    if cap.guardValue != 0 { parts.append("guard: \(cap.guardValue)") }
    if cap.guardSize != 0 { parts.append("guard_size: \(cap.guardSize)") }
    if cap.badge != 0 { parts.append("badge: \(cap.badge)") }
    if let r = cap.replyKind { parts.append(r.rawValue) }
    if let a = cap.asid, a.count == 2 { parts.append("asid: (\(hex(a[0])), \(hex(a[1])))") }
    if !cap.cached { parts.append("uncached") }
    if let m = cap.mapping { parts.append("mapping: (\(m.object), \(m.slot))") }
    if !parts.isEmpty { head += " (" + parts.joined(separator: ", ") + ")" }
    return head
  }

  /// A container's slots, runs of caps to consecutive elements of one array folded.
  func slotLines(_ slots: [UInt64: CapDLCap]) -> [String] {
    let sorted = slots.keys.sorted()
    var lines: [String] = []
    var i = 0
    while i < sorted.count {
      guard let cap = slots[sorted[i]] else { break }
      guard let id = cap.object, let first = id.index else {
        lines.append("\(sorted[i]): \(capText(cap, indices: nil))")
        i += 1
        continue
      }
      var indices = [first]
      var j = i + 1
      while j < sorted.count, sorted[j] == sorted[j - 1] + 1, let next = slots[sorted[j]], let nid = next.object,
        nid.name == id.name, let x = nid.index
      {
        var same = next
        same.target = cap.target
        guard same == cap else { break }
        indices.append(x)
        j += 1
      }
      lines.append("\(sorted[i]): \(capText(cap, indices: indices))")
      i = j
    }
    return lines
  }

  func block(_ head: String, _ lines: [String], into out: inout [String]) {
    if lines.count == 1 {
      out.append("  \(head) {\(lines[0])}")
    } else {
      out.append("  \(head) {")
      for l in lines { out.append("    " + l) }
      out.append("  }")
    }
    out.append("")
  }

  func render() -> String {
    var out = ["arch \(model.arch.rawValue)", "", "objects {", ""]
    for g in groups(where: { $0.type != .ut }) {
      guard let o = model.objects[g.ids[0]] else { continue }
      let decl = g.ids[0].index == nil ? g.name : "\(g.name)[\(g.ids.count)]"
      out.append("  \(decl) = \(objectParams(o))")
    }
    out.append("")
    for g in groups(where: { $0.type == .ut }) {
      guard let o = model.objects[g.ids[0]] else { continue }
      let params = objectParams(o)
      if g.ids[0].index == nil {
        let cover = model.untypedCovers[g.ids[0]] ?? []
        out.append(
          "  \(g.name) = \(params)"
            + (cover.isEmpty ? "" : " {" + CapDLPrinter.folded(cover).joined(separator: ", ") + "}"))
      } else {
        out.append("  \(g.name)[\(g.ids.count)] = \(params)")
        for id in g.ids {
          if let cover = model.untypedCovers[id], !cover.isEmpty {
            out.append("  \(id) = \(params) {" + CapDLPrinter.folded(cover).joined(separator: ", ") + "}")
          }
        }
      }
    }
    out += ["", "} caps {", ""]
    // Containers: elements of one array with identical caps share a block.
    var byName: [String: [CapDLObjectID]] = [:]
    for (id, slots) in model.caps where !slots.isEmpty { byName[id.name, default: []].append(id) }
    for name in byName.keys.sorted() {
      var pending = byName[name, default: []].sorted()
      while let first = pending.first {
        let slots = model.caps[first] ?? [:]
        let same = pending.filter { model.caps[$0] == slots }
        pending.removeAll { model.caps[$0] == slots }
        let head = first.index == nil ? name : "\(name)[\(CapDLPrinter.ranges(same.compactMap(\.index)))]"
        block(head, slotLines(slots), into: &out)
      }
    }
    out += ["} cdt {", ""]
    var children: [CapDLSlotRef: [CapDLSlotRef]] = [:]
    for (child, parent) in model.cdt { children[parent, default: []].append(child) }
    for parent in children.keys.sorted() {
      block(
        "(\(parent.object), \(parent.slot))",
        children[parent, default: []].sorted().map { "(\($0.object), \($0.slot))" }, into: &out)
    }
    out += ["} irq maps {", ""]
    let irqs = model.irqs.keys.sorted()
    var i = 0
    while i < irqs.count {
      guard let id = model.irqs[irqs[i]] else { break }
      var indices: [UInt64] = id.index.map { [$0] } ?? []
      var j = i + 1
      while id.index != nil, j < irqs.count, irqs[j] == irqs[j - 1] + 1, let next = model.irqs[irqs[j]],
        next.name == id.name,
        let x = next.index
      {
        indices.append(x)
        j += 1
      }
      out.append("  \(irqs[i]): " + (id.index == nil ? id.name : "\(id.name)[\(CapDLPrinter.ranges(indices))]"))
      i = j
    }
    if !irqs.isEmpty { out.append("") }
    out.append("}")
    if let d = model.domains {
      out += ["", "domains {"]
      if let s = d.schedule {
        out.append("  schedule: [" + s.map { "(\($0.domain), \($0.time))" }.joined(separator: ", ") + "]")
      }
      out.append("  domain_set_start: " + (d.start.map(String.init) ?? "no_start"))
      out.append("  index_shift: \(d.indexShift)")
      out.append("}")
    }
    return out.joined(separator: "\n") + "\n"
  }
}

// Checking that a plan describes a state the layers can start from.

extension SystemPlan {
  /// Every way this plan breaks the promises listed in `SystemPlan.swift`, one line each.
  public func validate() -> [String] {
    var problems: [String] = []
    let memoryEnd = memorySizeBits >= 64 ? UInt64.max : memoryBase &+ (1 << memorySizeBits)
    func inMemory(_ base: UInt64, _ sizeBits: UInt64) -> Bool {
      guard sizeBits < 64 else { return false }
      let (end, overflow) = base.addingReportingOverflow(1 << sizeBits)
      return !overflow && base >= memoryBase && end <= memoryEnd
    }
    var byAddress: [ObjectRef: Object] = [:]
    for o in objects {
      let bits = o.kind.sizeBits
      if byAddress[o.address] != nil { problems.append("two objects at 0x\(String(o.address, radix: 16))") }
      byAddress[o.address] = o
      if bits >= 64 || o.address & ((1 << bits) &- 1) != 0 { problems.append("\(o.name) is not aligned to 2^\(bits)") }
      if !inMemory(o.address, bits) { problems.append("\(o.name) lies outside memory") }
    }
    let sorted = objects.sorted { $0.address < $1.address }
    for (a, b) in zip(sorted, sorted.dropFirst()) where a.address &+ (1 << a.kind.sizeBits) > b.address {
      problems.append("\(a.name) overlaps \(b.name)")
    }
    var untypeds: [(slot: SlotRef, base: UInt64, bits: UInt64, free: UInt64)] = []
    for (slot, cap) in caps.sorted(by: { $0.key < $1.key }) {
      guard let container = byAddress[slot.container] else {
        problems.append("cap in slot \(slot) of a container the plan does not place")
        continue
      }
      switch container.kind {
      case .cnode(let radix):
        if radix >= 64 || slot.index >= (1 << radix) {
          problems.append("slot \(slot) is beyond \(container.name)'s \(radix)-bit radix")
        }
      case .tcb:
        if slot.index >= TCBSlot.count { problems.append("slot \(slot) is not a TCB slot") }
      default:
        problems.append("slot \(slot) is in \(container.name), which holds no caps")
      }
      func expect(_ ref: ObjectRef, _ ok: (PlanObjectKind) -> Bool, _ what: String) {
        guard let target = byAddress[ref], ok(target.kind) else {
          problems.append("cap in \(slot) should name \(what) at 0x\(String(ref, radix: 16))")
          return
        }
      }
      switch cap {
      case .null: problems.append("plan lists a null cap at \(slot)")
      case .untyped(let base, let bits, _, let free):
        if !inMemory(base, bits) { problems.append("untyped in \(slot) lies outside memory") }
        if bits < 64 && base & ((1 << bits) &- 1) != 0 { problems.append("untyped in \(slot) is not aligned") }
        if bits < 64 && free > (1 << bits) { problems.append("untyped in \(slot) has free index beyond its size") }
        untypeds.append((slot, base, bits, free))
      case .endpoint(let r, _, _): expect(r, { $0 == .endpoint }, "an endpoint")
      case .notification(let r, _, _): expect(r, { $0 == .notification }, "a notification")
      case .reply(let r, _): expect(r, { $0 == .reply }, "a reply")
      case .thread(let r): expect(r, { $0 == .tcb }, "a TCB")
      case .cnode(let r, let radix, let guardSize, _):
        expect(r, { $0 == .cnode(radix: radix) }, "a \(radix)-bit CNode")
        if guardSize &+ radix > 64 { problems.append("cnode cap in \(slot): guard size + radix exceeds 64") }
      case .schedContext(let r, let bits): expect(r, { $0 == .schedContext(sizeBits: bits) }, "a scheduling context")
      case .schedControl, .irqControl, .irqHandler, .domain: break
      }
    }
    // Untyped regions nest or are disjoint; placed objects inside a region lie below its watermark.
    for a in untypeds {
      for b in untypeds where a.slot < b.slot {
        let aEnd = a.base &+ (1 << a.bits)
        let bEnd = b.base &+ (1 << b.bits)
        let disjoint = aEnd <= b.base || bEnd <= a.base
        let nested = (a.base <= b.base && bEnd <= aEnd) || (b.base <= a.base && aEnd <= bEnd)
        if !disjoint && !nested {
          problems.append("untyped regions in \(a.slot) and \(b.slot) overlap without nesting")
        }
      }
      for o in objects {
        let end = o.address &+ (1 << o.kind.sizeBits)
        let inside = o.address >= a.base && end <= a.base &+ (1 << a.bits)
        let overlaps = o.address < a.base &+ (1 << a.bits) && end > a.base
        if overlaps && (!inside || end > a.base &+ a.free) {
          problems.append("\(o.name) is in untyped \(a.slot)'s free memory")
        }
      }
    }
    for (child, parent) in cdtParent {
      if caps[child] == nil || caps[parent] == nil { problems.append("cdt links an empty slot: \(child) → \(parent)") }
      var seen: Set<SlotRef> = [child]
      var at = parent
      while let next = cdtParent[at] {
        if !seen.insert(at).inserted {
          problems.append("cdt has a cycle through \(child)")
          break
        }
        at = next
      }
    }
    for s in originals where caps[s] == nil { problems.append("original flag on empty slot \(s)") }
    for t in threads where byAddress[t.tcb]?.kind != .tcb {
      problems.append("thread 0x\(String(t.tcb, radix: 16)) is not a TCB")
    }
    if let current = currentThread, !threads.contains(where: { $0.tcb == current && $0.state == .running }) {
      problems.append("the current thread is not a running thread of the plan")
    }
    return problems
  }
}

// Checking that a plan describes a state the layers can start from.

extension SystemPlan {
  /// One way a plan breaks its promises: what, and the object or slot it is about, if one.
  public struct Problem: Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The object the problem is about (for a slot: its container).
    public var object: ObjectRef?
    public var slot: SlotRef?
    public var description: String { message }

    public init(_ message: String, object: ObjectRef? = nil, slot: SlotRef? = nil) {
      self.message = message
      self.object = object ?? slot?.container
      self.slot = slot
    }
  }

  /// Every way this plan breaks the promises listed in `SystemPlan.swift`, one line each.
  public func validate() -> [String] { structuralProblems().map(\.message) }

  /// What is wrong with `irqNotifications`: each line exists and is not the timer's, has an
  /// IRQHandler cap in the plan (capdl-loader-app's IRQControl_Get issued it), and its slot holds a
  /// notification cap with Send (Write), which IRQHandler_SetNotification needs (else
  /// InvalidCapability).
  func irqNotificationProblems() -> [Problem] {
    var problems: [Problem] = []
    for (irq, slot) in irqNotifications.sorted(by: { $0.key < $1.key }) {
      if irq > IRQConstants.maxIRQ {
        problems.append(
          Problem("IRQ \(irq) is bound to a notification but the model has lines 0...\(IRQConstants.maxIRQ)"))
      } else if irq == IRQConstants.timerIRQ {
        problems.append(Problem("IRQ \(irq) is the kernel's timer line and cannot signal a notification"))
      }
      if !caps.values.contains(.irqHandler(irq: irq)) {
        problems.append(Problem("IRQ \(irq) is bound to a notification but no IRQHandler cap for it exists"))
      }
      guard case .notification(_, _, let rights)? = caps[slot], rights.contains(.write) else {
        problems.append(
          Problem("IRQ \(irq) is bound to the cap in \(slot), which is no notification cap with Send", slot: slot))
        continue
      }
    }
    return problems
  }

  /// `validate()` with the object or slot each problem is about.
  public func structuralProblems() -> [Problem] {
    var problems: [Problem] = []
    if memorySizeBits > KernelConstants.maxUntypedBits {
      problems.append(
        Problem("memory of 2^\(memorySizeBits) bytes is larger than the 2^\(KernelConstants.maxUntypedBits) supported"))
    }
    if let domainSchedule {
      problems += DomainConfig.problems(domainSchedule).map { Problem($0) }
    }
    problems += irqNotificationProblems()
    var listed: Set<ObjectRef> = []
    for t in threads {
      if !listed.insert(t.tcb).inserted {
        problems.append(Problem("thread 0x\(String(t.tcb, radix: 16)) is listed twice", object: t.tcb))
      }
      if t.priority > KernelConstants.maxPriority || t.maxControlledPriority > KernelConstants.maxPriority {
        problems.append(
          Problem(
            "thread 0x\(String(t.tcb, radix: 16)) has priority \(t.priority), MCP \(t.maxControlledPriority) (at most \(KernelConstants.maxPriority))",
            object: t.tcb))
      }
    }
    let memoryEnd = memorySizeBits >= 64 ? UInt64.max : memoryBase &+ (1 << memorySizeBits)
    func inMemory(_ base: UInt64, _ sizeBits: UInt64) -> Bool {
      guard sizeBits < 64 else { return false }
      let (end, overflow) = base.addingReportingOverflow(1 << sizeBits)
      return !overflow && base >= memoryBase && end <= memoryEnd
    }
    var byAddress: [ObjectRef: Object] = [:]
    for o in objects {
      let bits = o.kind.sizeBits
      if byAddress[o.address] != nil {
        problems.append(Problem("two objects at 0x\(String(o.address, radix: 16))", object: o.address))
      }
      byAddress[o.address] = o
      if bits >= 64 || o.address & ((1 << bits) &- 1) != 0 {
        problems.append(Problem("\(o.name) is not aligned to 2^\(bits)", object: o.address))
      }
      if !inMemory(o.address, bits) { problems.append(Problem("\(o.name) lies outside memory", object: o.address)) }
      // Its first slot's entry would sit at address 0, which MDB links use for "no slot" (seL4's
      // objects live at kernel addresses, never 0).
      let holdsSlots = o.kind.hasCapSlots
      // The kernel's capability words hold 48-bit addresses (`capPtr`), as x86-64 and AArch64 do.
      if bits < 64, o.address >= 1 << 48 || o.address &+ (1 << bits) > 1 << 48 {
        problems.append(
          Problem("\(o.name) lies above 2^48, beyond the 48-bit addresses the kernel's caps hold", object: o.address))
      }
      if holdsSlots && o.address == 0 {
        problems.append(
          Problem(
            "\(o.name) holds capability slots at address 0, which the kernel's MDB links read as no slot",
            object: o.address))
      }
    }
    let sorted = objects.sorted { $0.address < $1.address }
    for (a, b) in zip(sorted, sorted.dropFirst()) where a.address &+ (1 << a.kind.sizeBits) > b.address {
      problems.append(Problem("\(a.name) overlaps \(b.name)", object: b.address))
    }
    var untypeds: [(slot: SlotRef, base: UInt64, bits: UInt64, free: UInt64)] = []
    for (slot, cap) in caps.sorted(by: { $0.key < $1.key }) {
      guard let container = byAddress[slot.container] else {
        problems.append(Problem("cap in slot \(slot) of a container the plan does not place", slot: slot))
        continue
      }
      switch container.kind {
      case .cnode(let radix):
        if radix >= 64 || slot.index >= (1 << radix) {
          problems.append(Problem("slot \(slot) is beyond \(container.name)'s \(radix)-bit radix", slot: slot))
        }
      case .tcb:
        if slot.index >= TCBSlot.count { problems.append(Problem("slot \(slot) is not a TCB slot", slot: slot)) }
      default:
        problems.append(Problem("slot \(slot) is in \(container.name), which holds no caps", slot: slot))
      }
      func expect(_ ref: ObjectRef, _ ok: (PlanObjectKind) -> Bool, _ what: String) {
        guard let target = byAddress[ref], ok(target.kind) else {
          problems.append(Problem("cap in \(slot) should name \(what) at 0x\(String(ref, radix: 16))", slot: slot))
          return
        }
      }
      // A thread's CSpace root must be a CNode cap (seL4 refuses anything else in that slot).
      if container.kind == .tcb, slot.index == TCBSlot.cspace.rawValue {
        if case .cnode = cap {
        } else {
          problems.append(
            Problem("the CSpace slot \(slot) of \(container.name) holds \(cap), not a CNode cap", slot: slot))
        }
      }
      // A thread's timeout handler is an endpoint cap with Write and Grant or GrantReply: the only
      // caps TCB_SetTimeoutEndpoint's `validFaultHandler` (`seL4:src/object/tcb.c`) installs there;
      // `handleTimeout` sends through it without checking.
      if container.kind == .tcb, slot.index == TCBSlot.timeoutHandler.rawValue, !Self.isValidFaultHandler(cap) {
        problems.append(
          Problem(
            "the timeout-handler slot \(slot) of \(container.name) holds \(cap), not an endpoint cap with Write "
              + "and Grant or GrantReply", slot: slot))
      }
      switch cap {
      case .null: problems.append(Problem("plan lists a null cap at \(slot)", slot: slot))
      case .untyped(let base, let bits, _, let free):
        if !inMemory(base, bits) { problems.append(Problem("untyped in \(slot) lies outside memory", slot: slot)) }
        if bits < 64 && base & ((1 << bits) &- 1) != 0 {
          problems.append(Problem("untyped in \(slot) is not aligned", slot: slot))
        }
        if bits < 64 && free > (1 << bits) {
          problems.append(Problem("untyped in \(slot) has free index beyond its size", slot: slot))
        }
        untypeds.append((slot, base, bits, free))
      case .endpoint(let r, _, _): expect(r, { $0 == .endpoint }, "an endpoint")
      case .notification(let r, _, _): expect(r, { $0 == .notification }, "a notification")
      case .reply(let r, _): expect(r, { $0 == .reply }, "a reply")
      case .thread(let r): expect(r, { $0 == .tcb }, "a TCB")
      case .cnode(let r, let radix, let guardSize, let capGuard):
        expect(r, { $0 == .cnode(radix: radix) }, "a \(radix)-bit CNode")
        if guardSize < 64 && capGuard >> guardSize != 0 {
          problems.append(
            Problem(
              "cnode cap in \(slot): guard 0x\(String(capGuard, radix: 16)) is wider than its \(guardSize) guard bits",
              slot: slot))
        }
        if guardSize &+ radix > 64 {
          problems.append(Problem("cnode cap in \(slot): guard size + radix exceeds 64", slot: slot))
        }
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
          problems.append(Problem("untyped regions in \(a.slot) and \(b.slot) overlap without nesting", slot: b.slot))
        }
      }
      for o in objects {
        let end = o.address &+ (1 << o.kind.sizeBits)
        let inside = o.address >= a.base && end <= a.base &+ (1 << a.bits)
        let overlaps = o.address < a.base &+ (1 << a.bits) && end > a.base
        if overlaps && (!inside || end > a.base &+ a.free) {
          problems.append(Problem("\(o.name) is in untyped \(a.slot)'s free memory", object: o.address))
        }
      }
    }
    for (child, parent) in cdtParent {
      if let childCap = caps[child], let parentCap = caps[parent], !SystemPlan.mayDerive(childCap, from: parentCap) {
        problems.append(
          Problem(
            "cdt makes \(child) (\(childCap)) a child of \(parent) (\(parentCap)), a cap to another object", slot: child
          ))
      }
      if caps[child] == nil || caps[parent] == nil {
        problems.append(Problem("cdt links an empty slot: \(child) → \(parent)", slot: child))
      }
      var seen: Set<SlotRef> = [child]
      var at = parent
      while let next = cdtParent[at] {
        if !seen.insert(at).inserted {
          problems.append(Problem("cdt has a cycle through \(child)", slot: child))
          break
        }
        at = next
      }
    }
    for s in originals where caps[s] == nil { problems.append(Problem("original flag on empty slot \(s)", slot: s)) }
    for t in threads where byAddress[t.tcb]?.kind != .tcb {
      problems.append(Problem("thread 0x\(String(t.tcb, radix: 16)) is not a TCB", object: t.tcb))
    }
    if let current = currentThread, !threads.contains(where: { $0.tcb == current && $0.state == .running }) {
      problems.append(Problem("the current thread is not a running thread of the plan", object: current))
    } else if let current = currentThread, !isSchedulable(current) {
      problems.append(
        Problem(
          "the current thread 0x\(String(current, radix: 16)) has no configured scheduling context bound (MCS runs only a thread that has one)",
          object: current))
    }
    var boundSCs: Set<ObjectRef> = []
    var boundNotifications: Set<ObjectRef> = []
    var receiveReplies: Set<ObjectRef> = []
    for t in threads {
      if let ntfn = t.boundNotification {
        if byAddress[ntfn]?.kind != .notification {
          problems.append(
            Problem(
              "thread 0x\(String(t.tcb, radix: 16)) is bound to 0x\(String(ntfn, radix: 16)), which is no notification",
              object: t.tcb))
        }
        if !boundNotifications.insert(ntfn).inserted {
          problems.append(Problem("notification 0x\(String(ntfn, radix: 16)) is bound to two threads", object: ntfn))
        }
      }
      if t.domain >= KernelConstants.numDomains {
        problems.append(
          Problem(
            "thread 0x\(String(t.tcb, radix: 16)) is in domain \(t.domain) (the kernel has \(KernelConstants.numDomains))",
            object: t.tcb))
      }
      if let receive = t.receive {
        let name = "thread 0x\(String(t.tcb, radix: 16)) starts in Recv"
        if t.state != .running || t.tcb == currentThread {
          problems.append(Problem("\(name) but is not a running thread other than the current one", object: t.tcb))
        }
        if byAddress[receive.endpoint]?.kind != .endpoint {
          let at = String(receive.endpoint, radix: 16)
          problems.append(Problem("\(name) on 0x\(at), which is no endpoint", object: t.tcb))
        }
        if let reply = receive.reply {
          let at = String(reply, radix: 16)
          if byAddress[reply]?.kind != .reply {
            problems.append(Problem("\(name) with 0x\(at), which is no reply object", object: t.tcb))
          }
          if !receiveReplies.insert(reply).inserted {
            problems.append(Problem("reply object 0x\(at) is tied to two receivers", object: reply))
          }
        }
      }
      guard let sc = t.schedContext else { continue }
      if case .schedContext? = byAddress[sc]?.kind {
      } else {
        problems.append(
          Problem(
            "thread 0x\(String(t.tcb, radix: 16)) is bound to 0x\(String(sc, radix: 16)), which is no scheduling context",
            object: t.tcb))
      }
      if !boundSCs.insert(sc).inserted {
        problems.append(Problem("scheduling context 0x\(String(sc, radix: 16)) is bound to two threads", object: sc))
      }
    }
    for sc in schedContexts.keys.sorted() {
      guard case .schedContext(let sizeBits)? = byAddress[sc]?.kind else {
        problems.append(Problem("0x\(String(sc, radix: 16)) is configured but is no scheduling context", object: sc))
        continue
      }
      if let refusal = SystemPlan.configureRefusal(schedContexts[sc], sizeBits: sizeBits) {
        problems.append(
          Problem(
            "scheduling context 0x\(String(sc, radix: 16)): \(refusal); SchedControl_ConfigureFlags would refuse it",
            object: sc))
      }
    }
    return problems
  }
}

extension SystemPlan {
  /// Whether a cap like `child` can be derived from `parent`: from an untyped, a cap to an object
  /// inside its region (or a smaller untyped inside it); IRQ handler caps from IRQControl;
  /// otherwise a cap to the same object.
  /// `validFaultHandler` (`seL4:src/object/tcb.c`): an endpoint cap with Write and Grant or
  /// GrantReply.
  static func isValidFaultHandler(_ cap: Capability) -> Bool {
    guard case .endpoint(_, _, let rights) = cap else { return false }
    return rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
  }

  static func mayDerive(_ child: Capability, from parent: Capability) -> Bool {
    func range(_ cap: Capability) -> (base: UInt64, bits: UInt64)? {
      switch cap {
      case .untyped(let base, let bits, _, _): (base, bits)
      case .endpoint(let r, _, _): (r, ObjectType.endpoint.objectSizeBits(userSizeBits: 0))
      case .notification(let r, _, _): (r, ObjectType.notification.objectSizeBits(userSizeBits: 0))
      case .reply(let r, _): (r, ObjectType.reply.objectSizeBits(userSizeBits: 0))
      case .thread(let r): (r, ObjectType.tcb.objectSizeBits(userSizeBits: 0))
      case .cnode(let r, let radix, _, _): (r, radix &+ KernelConstants.slotBits)
      case .schedContext(let r, let bits): (r, bits)
      case .null, .schedControl, .irqControl, .irqHandler, .domain: nil
      }
    }
    switch (parent, child) {
    case (.untyped(let base, let bits, _, _), _):
      guard let inner = range(child), bits < 64, inner.bits < 64 else { return false }
      let (end, o1) = base.addingReportingOverflow(1 << bits)
      let (innerEnd, o2) = inner.base.addingReportingOverflow(1 << inner.bits)
      return !o1 && !o2 && inner.base >= base && innerEnd <= end
    case (.irqControl, .irqHandler): return true
    case (.irqHandler(let a), .irqHandler(let b)): return a == b
    default:
      guard let a = range(parent), let b = range(child) else { return parent == child }
      return a.base == b.base
    }
  }
}

extension SystemPlan {
  /// Why SchedControl_ConfigureFlags would refuse `configuration` for a scheduling context of
  /// 2^`sizeBits` bytes, in the order it checks (`seL4:src/object/schedcontrol.c`
  /// `decodeSchedControl_ConfigureFlags`: budget and period at most `MAX_PERIOD_US`, then each
  /// at least `MIN_BUDGET` in ticks, then budget ≤ period, then the extra refills within the
  /// object's `refill_absolute_max` − `MIN_REFILLS`); nil when it would accept it. Boot's
  /// `refill_new` relies on these (seL4 asserts `budget ≥ MIN_BUDGET`).
  static func configureRefusal(_ configuration: SchedContextConfiguration?, sizeBits: UInt64) -> String? {
    guard let c = configuration else { return nil }
    let (minUs, maxUs) = (TimeConfig.minBudgetMicroseconds, TimeConfig.maxPeriodMicroseconds)
    if c.budget > maxUs { return "budget \(c.budget) µs is above MAX_PERIOD_US (\(maxUs) µs)" }
    if c.period > maxUs { return "period \(c.period) µs is above MAX_PERIOD_US (\(maxUs) µs)" }
    if TimeConfig.usToTicks(c.budget) < TimeConfig.minBudget {
      return "budget \(c.budget) µs is below MIN_BUDGET_US (\(minUs) µs)"
    }
    if TimeConfig.usToTicks(c.period) < TimeConfig.minBudget {
      return "period \(c.period) µs is below MIN_BUDGET_US (\(minUs) µs)"
    }
    if c.budget > c.period { return "budget \(c.budget) µs is above its period \(c.period) µs" }
    let absoluteMax =
      sizeBits >= KernelConstants.minSchedContextBits && sizeBits < 64
      ? RefillBuffer<UInt64>.refillAbsoluteMax(sizeBits: sizeBits) : 0
    if c.refillMax < KernelConstants.minRefills || c.refillMax > absoluteMax {
      return
        "refillMax \(c.refillMax) is outside \(KernelConstants.minRefills)...\(absoluteMax) (MIN_REFILLS plus at most refill_absolute_max − MIN_REFILLS extra refills for 2^\(sizeBits) bytes)"
    }
    return nil
  }
}

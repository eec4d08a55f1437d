// The realisation check: does the booted state realise the description?
//
// l4v's sys-init work states what the capDL initialiser must achieve as `object_initialised`:
// every object of the description exists in the booted state, renamed through the map from
// description names to the addresses the initialiser got (`t`), with the described type and
// contents, and every cap of the description is in its slot, naming the renamed object. Here the
// same relation is checked between the loaded description (`CapDLLoadResult`) and the booted
// abstract state, and everything that does not hold is named:
// - objects: each described object the layers model exists at its mapped address, of its kind
//   and size (TCB, endpoint, notification, CNode radix, scheduling-context size, reply);
// - caps: each described cap is in its slot of the mapped container, naming the mapped object,
//   with its rights, badge, guard and guard size (untyped caps: base and size; their free index is
//   what the initialiser's retypes leave, which the description does not state), and a described
//   CNode holds no other cap;
// - threads: priority, MCP, bound scheduling context and notification as described; a thread the
//   description starts has been started (Running or Restart), the others are Inactive;
// - scheduling contexts: the period, refill limit and refills SchedControl_ConfigureFlags's
//   `refill_new` makes of the described budget, period and refill limit.
// What the boot cannot realise because no layer models it (frames, page tables and every cap to
// them, VSpace and IPC-buffer slots, IRQ handler caps, domains) and
// what the layers model but no modelled invocation reaches (a thread's CSpace root: TCB_SetSpace
// and TCB_Configure need a VSpace root cap) is listed apart, by name: it is not a failure of the
// initialiser, but it is not realised either.

public import AbstractSpec
import CapDL
public import KernelABI

/// The verdict of the realisation check.
public struct Realisation: Hashable, Sendable, Codable {
  /// What the description says and the booted state does not: each a located sentence.
  public var problems: [String]
  /// What the boot cannot realise because no layer or invocation models it yet.
  public var notModelled: [String]

  public init(problems: [String], notModelled: [String]) {
    self.problems = problems
    self.notModelled = notModelled
  }

  /// "realised", "realised except what is not modelled", or "not realised".
  public var verdict: String {
    problems.isEmpty ? (notModelled.isEmpty ? "realised" : "realised except what is not modelled") : "not realised"
  }

  public var holds: Bool { problems.isEmpty }
}

extension Boot {
  /// The object map: each object the initialiser created (by its address in the loaded plan) →
  /// its address in `state`, read from the initialiser's cap to it.
  public func objectMap(in state: AbstractState) -> [ObjectRef: ObjectRef] {
    var map: [ObjectRef: ObjectRef] = [:]
    for (planned, slot) in dupSlot {
      if let r = Boot.object(of: state.getCap(SlotRef(rootCNode, slot))) { map[planned] = r }
    }
    return map
  }

  static func object(of cap: Capability) -> ObjectRef? {
    switch cap {
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .thread(let r),
      .cnode(let r, _, _, _), .schedContext(let r, _):
      r
    case .untyped(let base, _, _, _): base
    case .null, .irqControl, .irqHandler, .schedControl, .domain: nil
    }
  }

  /// The region map: each described untyped region → the base of the untyped the initialiser made.
  func untypedMap(in state: AbstractState, objects: [ObjectRef: ObjectRef]) -> [UntypedRegion: UInt64] {
    var map: [UntypedRegion: UInt64] = [:]
    for (region, slot) in untypedProductSlot {
      var at = SlotRef(rootCNode, slot)
      if let home = untypedHome[region] {
        guard let container = objects[home.container] else { continue }
        at = SlotRef(container, home.index)
      }
      if case .untyped(let base, _, _, _) = state.getCap(at) { map[region] = base }
    }
    return map
  }

  /// Checks that `state` (the abstract state after the boot) realises the description.
  public func realisation(of state: AbstractState) -> Realisation {
    var problems: [String] = []
    var notModelled: [String] = []
    let plan = loaded.plan
    let skip = loaded.initialiserCSpace
    let map = objectMap(in: state)
    let regions = untypedMap(in: state, objects: map)
    func name(_ r: ObjectRef) -> String { "'\(plan.name(of: r))'" }
    func at(object: ObjectRef?, slot: SlotRef?) -> String {
      loaded.location(object: object, slot: slot).map { $0 + ": " } ?? ""
    }
    // Objects.
    for o in plan.objects.sorted(by: { $0.address < $1.address }) where o.address != skip {
      if case .opaque(let kind, _) = o.kind {
        notModelled.append("\(at(object: o.address, slot: nil))object \(name(o.address)) (\(kind)): no layer models it")
        continue
      }
      if case .cnode(0) = o.kind {
        notModelled.append(
          "\(at(object: o.address, slot: nil))object \(name(o.address)) (an IRQ object: IRQControl_Get is not modelled)"
        )
        continue
      }
      guard let booted = map[o.address], let object = state.kheap[booted] else {
        problems.append("\(at(object: o.address, slot: nil))object \(name(o.address)) was not created")
        continue
      }
      let same: Bool
      switch (o.kind, object) {
      case (.tcb, .tcb), (.endpoint, .endpoint), (.notification, .notification), (.reply, .reply): same = true
      case (.cnode(let radix), .cnode(let c)): same = c.radix == radix
      case (.schedContext(let bits), .schedContext(let sc)): same = sc.sizeBits == bits
      default: same = false
      }
      if !same {
        problems.append(
          "\(at(object: o.address, slot: nil))object \(name(o.address)) is described as \(o.kind) but the boot made "
            + "\(Boot.kindName(object)) of 2^\(object.sizeBits) bytes")
      }
    }
    for (id, r) in loaded.untypeds.sorted(by: { $0.key < $1.key }) {
      guard let base = regions[UntypedRegion(base: r.base, sizeBits: r.sizeBits)] else {
        problems.append("untyped '\(id)' was not created")
        continue
      }
      // What the description places inside an untyped was retyped from it: it lies in the
      // booted untyped's region.
      let inside = { (address: UInt64) -> Bool in
        r.sizeBits < 64 && address >= r.base && address &- r.base < 1 << r.sizeBits
      }
      for o in plan.objects.sorted(by: { $0.address < $1.address }) where o.address != skip && inside(o.address) {
        guard let booted = map[o.address] else { continue }
        if !(booted >= base && booted &- base < 1 << r.sizeBits) {
          problems.append(
            "\(at(object: o.address, slot: nil))object \(name(o.address)) is described inside untyped '\(id)' but was "
              + "made outside it, at 0x\(String(booted, radix: 16))")
        }
      }
    }
    // Caps.
    func renamed(_ cap: Capability) -> Capability? { Boot.rename(cap, map: map, regions: regions) }
    let kinds = Dictionary(plan.objects.map { ($0.address, $0.kind) }, uniquingKeysWith: { a, _ in a })
    for (slot, cap) in plan.caps.sorted(by: { $0.key < $1.key }) where slot.container != skip {
      let place = at(object: slot.container, slot: slot)
      let described = "slot \(slot.index) of \(name(slot.container))"
      if case .tcb? = kinds[slot.container], slot.index == TCBSlot.cspace.rawValue {
        notModelled.append(
          "\(place)the CSpace root of \(name(slot.container)): TCB_SetSpace and TCB_Configure need a VSpace root cap, "
            + "which no layer models")
        continue
      }
      if case .cnode(0)? = kinds[slot.container] {
        notModelled.append("\(place)\(described): a cap in an IRQ object (IRQ handlers are not modelled)")
        continue
      }
      if case .tcb? = kinds[slot.container],
        slot.index == TCBSlot.faultHandler.rawValue || slot.index == TCBSlot.timeoutHandler.rawValue,
        !Boot.isValidFaultHandler(cap)
      {
        problems.append(
          "\(place)\(described) holds \(cap), which seL4 takes as no fault handler: it needs an endpoint cap with "
            + "Write and Grant or GrantReply (validFaultHandler), so no TCB invocation can put it there")
        continue
      }
      if case .irqHandler(let irq) = cap {
        notModelled.append("\(place)\(described): the handler cap of IRQ \(irq) (IRQControl_Get is not modelled)")
        continue
      }
      guard let container = map[slot.container], let expected = renamed(cap) else {
        problems.append("\(place)\(described): its container or the object its cap names was not created")
        continue
      }
      let found = state.getCap(SlotRef(container, slot.index))
      let matches: Bool
      if case .untyped(let b, let s, let d, _) = expected, case .untyped(let fb, let fs, let fd, _) = found {
        matches = (b, s, d) == (fb, fs, fd)
      } else {
        matches = found == expected
      }
      if !matches {
        var why = ""
        if expected == .irqControl, found == .null {
          why = " (seL4 derives no copy of IRQ control: the initialiser moves its one cap to the first slot)"
        }
        if case .untyped = expected, found == .null {
          why =
            " (the initialiser moves its cap to a described untyped once: seL4 derives no copy of an untyped cap "
            + "with children, RevokeFirst)"
        }
        problems.append("\(place)\(described) should hold \(expected) (renamed), but holds \(found)\(why)")
      }
    }
    // Nothing more: a described CNode holds no cap the description does not give it (l4v's
    // `object_initialised` asks for the described contents exactly).
    for o in plan.objects.sorted(by: { $0.address < $1.address }) where o.address != skip {
      guard case .cnode(let radix) = o.kind, radix > 0, let booted = map[o.address],
        case .cnode(let cnode)? = state.kheap[booted]
      else { continue }
      for (index, cap) in cnode.slots.sorted(by: { $0.key < $1.key }) where cap != .null {
        guard plan.caps[SlotRef(o.address, index)] == nil, loaded.opaqueCaps[SlotRef(o.address, index)] == nil else {
          continue
        }
        problems.append(
          "\(at(object: o.address, slot: nil))slot \(index) of \(name(o.address)) holds \(cap), which the description "
            + "does not give it")
      }
    }
    // The derivation tree: a cap the description derives from another cap to the same object
    // (both in CNodes) is its child in the booted state, where the initialiser's algorithm can
    // make that link: the parent is the object's original (the moved product) or a badged mint
    // the cap is a copy of. Other described links are listed: the boot derives such a cap from
    // the initialiser's own cap.
    let cnodeCaps = plan.caps.filter { slot, _ in
      guard slot.container != skip, case .cnode? = kinds[slot.container] else { return false }
      return true
    }
    let moved = Set(movedTo.values)
    for (slot, cap) in cnodeCaps.sorted(by: { $0.key < $1.key }) {
      guard let parent = plan.cdtParent[slot], let parentCap = cnodeCaps[parent], !Boot.isUntyped(cap),
        !Boot.isUntyped(parentCap), let r = Boot.object(of: cap), Boot.object(of: parentCap) == r,
        let container = map[slot.container], let parentContainer = map[parent.container]
      else { continue }
      let place = at(object: slot.container, slot: slot)
      let link =
        "slot \(slot.index) of \(name(slot.container)) derives from slot \(parent.index) of \(name(parent.container))"
      guard
        moved.contains(parent)
          || Boot.derivableParent(slot, caps: cnodeCaps, cdtParent: plan.cdtParent, originals: plan.originals) == parent
      else {
        notModelled.append(
          "\(place)\(link) in the description; the boot derives it from the initialiser's cap (its parent is not an "
            + "original the initialiser can make with those rights)")
        continue
      }
      let booted = state.cdt[SlotRef(container, slot.index)]
      if booted != SlotRef(parentContainer, parent.index) {
        problems.append(
          "\(place)\(link) in the description, but its parent in the booted state is "
            + (booted.map { "slot \($0.index) of 0x\(String($0.container, radix: 16))" } ?? "none"))
      }
    }
    for (slot, text) in loaded.opaqueCaps.sorted(by: { $0.key < $1.key }) where slot.container != skip {
      notModelled.append(
        "\(at(object: slot.container, slot: slot))slot \(slot.index) of \(name(slot.container)): \(text) (no layer models this cap)"
      )
    }
    // Links the loader left out (`ignoreLinksBetweenObjects`): between caps to two different
    // objects, which no kernel state holds and capdl-loader-app ignores.
    for (child, parent) in loaded.ignoredCDT.sorted(by: { $0.key < $1.key }) {
      let slot = loaded.addresses[child.object].map { SlotRef($0, loaded.wrappedSlots[child] ?? child.slot) }
      notModelled.append(
        "\(at(object: slot?.container, slot: slot))the cdt makes (\(child.object), \(child.slot)) a child of "
          + "(\(parent.object), \(parent.slot)), a cap to another object: no kernel can hold this link (seL4's "
          + "isMDBParentOf needs sameRegionAs) and capdl-loader-app ignores the cdt, so it is not made")
    }
    for (slot, text) in loaded.capsInOpaqueObjects.sorted(by: { $0.key < $1.key }) {
      notModelled.append(
        "\(at(object: slot.container, slot: slot))slot \(slot.index) of \(name(slot.container)): \(text) (in an object no layer models)"
      )
    }
    for (slot, text) in loaded.tcbSideCaps.sorted(by: { $0.key < $1.key }) where slot.index != 6 && slot.index != 8 {
      notModelled.append(
        "\(at(object: slot.container, slot: slot))capDL TCB slot \(slot.index) of \(name(slot.container)): \(text) (no layer models it)"
      )
    }
    // Threads.
    for thread in plan.threads {
      let place = at(object: thread.tcb, slot: nil)
      guard let booted = map[thread.tcb], let tcb = state.tcb(at: booted) else { continue }
      if tcb.priority != thread.priority || tcb.maxControlledPriority != thread.maxControlledPriority {
        problems.append(
          "\(place)thread \(name(thread.tcb)) has priority \(tcb.priority) and MCP \(tcb.maxControlledPriority), "
            + "described \(thread.priority) and \(thread.maxControlledPriority)")
      }
      if tcb.schedContext != thread.schedContext.flatMap({ map[$0] }) {
        problems.append("\(place)thread \(name(thread.tcb)) is not bound to its described scheduling context")
      }
      if tcb.boundNotification != thread.boundNotification.flatMap({ map[$0] }) {
        problems.append("\(place)thread \(name(thread.tcb)) is not bound to its described notification")
      }
      let started: Bool
      switch tcb.state {
      case .running, .restart: started = true
      default: started = false
      }
      if started != (thread.state == .running) {
        problems.append(
          "\(place)thread \(name(thread.tcb)) is \(started ? "started" : "not started"), described "
            + (thread.state == .running ? "running" : "not resumed"))
      }
      if thread.domain != 0 {
        notModelled.append(
          "\(place)the domain \(thread.domain) of thread \(name(thread.tcb)) (DomainSet_Set is not modelled)")
      }
    }
    // Scheduling contexts: what SchedControl_ConfigureFlags's `refill_new` makes of the described
    // budget, period and refill limit (`SystemPlan.refillNewArguments`), at the booted clock (no
    // boot event lets time pass): the period, the refill limit and the refills themselves; and the
    // badge and sporadic flag it was given.
    for (sc, config) in plan.schedContexts.sorted(by: { $0.key < $1.key }) where sc != rootSC {
      guard let booted = map[sc], case .schedContext(let got)? = state.kheap[booted] else { continue }
      let (refillMax, budget, period) = SystemPlan.refillNewArguments(config)
      let refills = Sporadic.refillNew(budget: budget, period: period, now: state.curTime)
      if got.badge != config.badge || got.sporadic != config.sporadic {
        problems.append(
          "\(at(object: sc, slot: nil))scheduling context \(name(sc)) has badge \(got.badge) and sporadic "
            + "\(got.sporadic); described badge \(config.badge) and sporadic \(config.sporadic)")
      }
      if got.period != period || got.refillMax != refillMax || got.refills != refills {
        let show = { (r: [Refill<UInt64>]) in r.map { "(\($0.rTime), \($0.rAmount))" }.joined(separator: ", ") }
        problems.append(
          "\(at(object: sc, slot: nil))scheduling context \(name(sc)) has period \(got.period), "
            + "\(got.refillMax) refills and refills [\(show(got.refills))] (ticks); described budget "
            + "\(config.budget) µs and period \(config.period) µs make period \(period), \(refillMax) refills "
            + "and refills [\(show(refills))]")
      }
    }
    return Realisation(problems: problems, notModelled: notModelled)
  }

  static func kindName(_ object: KernelObject) -> String {
    switch object {
    case .cnode(let c): "a CNode of radix \(c.radix)"
    case .tcb: "a TCB"
    case .endpoint: "an endpoint"
    case .notification: "a notification"
    case .reply: "a reply"
    case .schedContext: "a scheduling context"
    case .opaque(let kind, _): "an opaque \(kind)"
    }
  }
}

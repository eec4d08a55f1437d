// Boot by system calls: the root task's start state and the capDL initialiser's algorithm as events.
//
// seL4 starts one thread, the root task, with a CSpace of its own that holds caps to its own TCB,
// CNode and scheduling context, the control caps, and an untyped cap for every block of free
// memory (boot info's untyped list). The capDL initialiser (seL4's `capdl-loader-app`) is such a
// root task: it creates every described object by Untyped_Retype into its own CSpace, copies or
// mints every described cap from those into the described CNodes, configures the threads and
// starts them. `Boot` computes that start state (`start`) and that algorithm as a sequence of the
// events the layers take (`steps`); `Boot+Run.swift` runs them in lockstep, and
// `Boot+Realisation.swift` checks that the booted state is what the description says.
//
// The order is capdl-loader-app's (`capdl-loader-app/src/main.c`, `init_system`: create objects,
// duplicate caps, configure scheduling contexts, configure threads, fill the CSpaces with a copy pass then a move pass, start
// threads), restricted to what the layers model:
// 1. Untyped_Retype of every object the layers model, each from the untyped that holds it in the
//    description (a described untyped is retyped from its own parent first, and its contents
//    from it), in address order, so each lands at the address the loader placed it: where the
//    description leaves a gap (an object no layer models, a `paddr:`), filler untypeds are
//    retyped to step over it. Each product cap goes to the next free slot of the root CNode.
// 2. A copy of each product in the root CNode (`duplicate_caps`), through which the scheduling
//    contexts and threads are configured, the threads started and the CNodes named.
// 3. Each described scheduling context (`init_scs`): SchedControl_ConfigureFlags through the
//    root task's SchedControl cap (slot 15) with the described budget and period (µs), the extra
//    refills beyond MIN_REFILLS, the described badge and flags (bit 0: sporadic).
// 4. Each thread: TCB_SetSchedParams (MCP, priority, bound scheduling context, fault handler,
//    minted first into the root CNode with its rights and badge), TCB_SetTimeoutEndpoint when a
//    timeout handler is described, TCB_BindNotification.
// 5. Each described cap in a CNode slot: CNode_Mint for a badge or a guard, CNode_Copy
//    otherwise, with the described rights, from the product (or from a badged mint it copies).
// 6. Moves: each object's described original, when retype's cap can become it by a move, is the
//    product itself (CNode_Move, or CNode_Mutate for a guard); the first cap to each described
//    untyped is that untyped's product (seL4 derives no copy of an untyped cap with children);
//    IRQ control is moved (capdl-loader-app moves it too: seL4 derives no copy of it).
// 7. TCB_Resume of every thread the description runs (`start_threads`), the last declared first
//    (`SystemPlan.startOrder`), then TCB_Suspend of the root task itself (capdl-loader-app's
//    `main`), so that the scheduler runs the system's first thread.
// Not done, since no layer models the invocation: a thread's CSpace and VSpace roots and IPC
// buffer (TCB_SetSpace / TCB_Configure need a VSpace root cap, TCB_SetIPCBuffer a frame cap),
// registers, IRQ handlers (IRQControl_Get), domains (DomainSet_Set), frames and paging
// structures. The realisation check lists each such element of a description as not modelled.
//
// The root task's CSpace (`rootCNode`): one CNode with guard size `64 − radix`, so a cptr is the
// slot number. Slots follow seL4's `seL4_RootCNodeCapSlots` where the layers have the cap: 1 the
// root TCB, 2 the root CNode, 4 IRQ control, 11 the domain cap, 14 the root's scheduling context;
// 15 holds SchedControl (seL4 lists it in boot info after the untypeds); from 16 on, the untyped
// caps of the memory map, then every object the initialiser creates, in creation order.
//
// The memory map: the description's memory (the loaded plan's `[memoryBase, memoryBase +
// 2^memorySizeBits)`, rounded out to 16 bytes) split into the largest aligned blocks, as seL4
// splits each free region into untyped caps (`create_untypeds_for_region`); the root task's own
// objects lie above it, outside every untyped.

public import CapDL
public import KernelABI

/// One event of the boot and what it does, in the description's words.
public struct BootStep: Hashable, Sendable {
  public var event: Event
  public var what: String

  public init(event: Event, what: String) {
    self.event = event
    self.what = what
  }
}

/// A boot refused before it runs (the description cannot be booted as written).
public struct BootError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The root task's start state and the initialiser's events for one loaded description.
public struct Boot: Sendable {
  /// The description as the loader read it (names, addresses, positions).
  public var loaded: CapDLLoadResult
  /// The start state: the root task alone, with the memory map's untyped caps.
  public var start: SystemPlan
  /// The initialiser's events, in order.
  public var steps: [BootStep]
  public var rootCNode: ObjectRef
  public var rootTCB: ObjectRef
  public var rootSC: ObjectRef
  public var rootRadix: UInt64
  /// The memory map: the untyped blocks the root task starts with (base, log2 size), by slot.
  public var memoryMap: [(slot: UInt64, base: UInt64, sizeBits: UInt64)]
  /// Where retype put the initialiser's cap to each object it created: the object's address in
  /// the loaded plan → the root CNode slot (untypeds by their region's base and size). An
  /// object's product may later be moved to the described slot of its original (`movedTo`).
  public var productSlot: [ObjectRef: UInt64]
  public var untypedProductSlot: [UntypedRegion: UInt64]
  /// Slots of the root CNode holding filler untypeds (retyped to step over memory the layers do
  /// not use: objects no layer models, `paddr:` gaps).
  public var fillers: [UInt64]
  /// Described untypeds whose cap the initialiser moved out of its CSpace: the slot (in the loaded
  /// plan's names) it moved it to.
  public var untypedHome: [UntypedRegion: SlotRef]
  /// Where the initialiser keeps its copy of each product (planned address → root slot): the
  /// boot's object map is read from these.
  public var dupSlot: [ObjectRef: UInt64]
  /// The described slot each object's product was moved to, if any (planned names).
  public var movedTo: [ObjectRef: SlotRef]

  /// A described untyped's region in the layers' addresses.
  public struct UntypedRegion: Hashable, Sendable {
    public var base: UInt64
    public var sizeBits: UInt64
  }

  // The root task's slots (`seL4_RootCNodeCapSlots`).
  public static let tcbSlot: UInt64 = 1
  public static let cnodeSlot: UInt64 = 2
  public static let irqControlSlot: UInt64 = 4
  public static let domainSlot: UInt64 = 11
  public static let schedContextSlot: UInt64 = 14
  public static let schedControlSlot: UInt64 = 15
  public static let firstFreeSlot: UInt64 = 16
  /// The root thread's priority and MCP: the highest, as seL4 gives it.
  public static let rootPriority = KernelConstants.maxPriority

  /// The boot of `loaded`.
  /// - Parameter badgeOffset: tests only: added to every badge the initialiser mints (a planted
  ///   bug in the initialiser, which the realisation check must catch).
  /// - Parameter periodOffset: tests only: added to every period (µs) the initialiser configures a
  ///   scheduling context with (a planted bug the realisation check must catch).
  public init(_ loaded: CapDLLoadResult, badgeOffset: UInt64 = 0, periodOffset: UInt64 = 0) throws(BootError) {
    self.loaded = loaded
    let plan = loaded.plan
    let skip = loaded.initialiserCSpace
    let objects = plan.objects.filter { $0.address != skip }
    // The memory map.
    let lo = plan.memoryBase & ~15
    let (top, overflow) = plan.memoryBase.addingReportingOverflow(1 << min(plan.memorySizeBits, 63))
    guard !overflow, plan.memorySizeBits < KernelConstants.maxUntypedBits else {
      throw BootError("the description's memory does not fit below 2^47 bytes with the root task's")
    }
    let hi = (top &+ 15) & ~15
    var blocks: [(base: UInt64, sizeBits: UInt64)] = []
    var cursor = lo
    while cursor < hi {
      var bits = KernelConstants.maxUntypedBits
      while bits > KernelConstants.minUntypedBits
        && ((cursor & ((1 << bits) - 1)) != 0 || cursor &+ (1 << bits) > hi)
      {
        bits -= 1
      }
      blocks.append((cursor, bits))
      cursor &+= 1 << bits
    }
    var next = Boot.firstFreeSlot
    memoryMap = blocks.map { b in
      defer { next += 1 }
      return (next, b.base, b.sizeBits)
    }
    // Containers: the described untypeds (nested), then the blocks.
    struct Container {
      var slot: UInt64
      var base: UInt64
      var sizeBits: UInt64
      var free: UInt64
    }
    let described = loaded.untypeds.sorted { $0.key < $1.key }.map { (id: $0.key, region: $0.value) }
    func contains(_ outer: (base: UInt64, bits: UInt64), _ inner: (base: UInt64, bits: UInt64)) -> Bool {
      guard outer.bits < 64, inner.bits < 64 else { return false }
      return inner.base >= outer.base && inner.base &+ (1 << inner.bits) <= outer.base &+ (1 << outer.bits)
    }
    /// The smallest described untyped holding the range (strictly, for an untyped's own range
    /// `excluding` that untyped; an object may fill its untyped), if any.
    func parentUntyped(_ base: UInt64, _ bits: UInt64, excluding: CapDLObjectID?) -> CapDLObjectID? {
      described.filter { u in
        u.id != excluding && contains((u.region.base, u.region.sizeBits), (base, bits))
          && (excluding == nil || u.region.sizeBits > bits || u.region.base != base)
      }.min { $0.region.sizeBits < $1.region.sizeBits }?.id
    }
    enum Item {
      case object(SystemPlan.Object)
      case untyped(CapDLObjectID, CapDLLoadResult.Region)
      var base: UInt64 {
        switch self {
        case .object(let o): o.address
        case .untyped(_, let r): r.base
        }
      }
    }
    // Items by the container they are retyped from: a described untyped (by name) or a block.
    var inUntyped: [CapDLObjectID: [Item]] = [:]
    var inBlock: [Int: [Item]] = [:]
    // The untyped the description declares an item inside, when the loader placed it (equal
    // regions cannot tell a nested untyped from its parent), else the smallest holding its range.
    let idOf = Dictionary(loaded.addresses.map { ($0.value, $0.key) }, uniquingKeysWith: { a, b in min(a, b) })
    func file(_ item: Item, base: UInt64, bits: UInt64, excluding: CapDLObjectID?) {
      let id: CapDLObjectID?
      switch item {
      case .object(let o): id = idOf[o.address]
      case .untyped(let u, _): id = u
      }
      let declared = id.flatMap { loaded.untypedParent[$0] }.flatMap { loaded.untypeds[$0] != nil ? $0 : nil }
      if let parent = declared ?? parentUntyped(base, bits, excluding: excluding) {
        inUntyped[parent, default: []].append(item)
      } else if let b = blocks.firstIndex(where: { contains(($0.base, $0.sizeBits), (base, bits)) }) {
        inBlock[b, default: []].append(item)
      }
    }
    for o in objects { file(.object(o), base: o.address, bits: o.kind.sizeBits, excluding: nil) }
    for u in described { file(.untyped(u.id, u.region), base: u.region.base, bits: u.region.sizeBits, excluding: u.id) }

    var steps: [BootStep] = []
    var productSlot: [ObjectRef: UInt64] = [:]
    var untypedProductSlot: [UntypedRegion: UInt64] = [:]
    var untypedChain: [UntypedRegion: [UInt64]] = [:]
    // How many described CNode slots hold a cap to each untyped range.
    var describedUntypedCaps: [UntypedRegion: Int] = [:]
    for (slot, cap) in loaded.plan.caps where slot.container != skip {
      guard case .untyped(let base, let bits, _, _) = cap,
        case .cnode(let radix)? = objects.first(where: { $0.address == slot.container })?.kind, radix > 0
      else { continue }
      describedUntypedCaps[UntypedRegion(base: base, sizeBits: bits), default: 0] += 1
    }
    var fillers: [UInt64] = []
    let names = Dictionary(objects.map { ($0.address, $0.name) }, uniquingKeysWith: { a, _ in a })
    func retype(_ from: inout Container, type: ObjectType, sizeBits: UInt64, userBits: UInt64, what: String)
      -> UInt64
    {
      let slot = next
      next += 1
      steps.append(
        BootStep(
          event: Boot.invoke(
            from.slot, .untypedRetype, [type.rawValue, userBits, 0, 0, slot, 1], caps: [Boot.cnodeSlot]),
          what: what))
      let size: UInt64 = 1 << sizeBits
      from.free = ((from.free &+ size &- 1) & ~(size &- 1)) &+ size
      return slot
    }
    /// Retypes filler untypeds from `container` until an object of `2^bits` bytes would land at
    /// `target` (or beyond): the largest aligned blocks that fit below `target`.
    func stepOver(_ container: inout Container, to target: UInt64, alignedTo bits: UInt64, in name: String) {
      while true {
        let size: UInt64 = 1 << bits
        let at = (container.free &+ size &- 1) & ~(size &- 1)
        guard at < target else { break }
        let start = (container.free &+ 15) & ~15
        var fill = KernelConstants.maxUntypedBits
        while fill > KernelConstants.minUntypedBits
          && ((start & ((1 << fill) - 1)) != 0 || start &+ (1 << fill) > target)
        {
          fill -= 1
        }
        guard start &+ (1 << fill) <= target else { break }
        container.free = start
        fillers.append(
          retype(&container, type: .untyped, sizeBits: fill, userBits: fill, what: "a filler untyped in \(name)"))
      }
    }
    func process(_ container: inout Container, _ items: [Item], in name: String) {
      for item in items.sorted(by: { $0.base < $1.base }) {
        let (type, bits, userBits): (ObjectType, UInt64, UInt64)
        switch item {
        case .object(let o):
          switch o.kind {
          case .tcb: (type, bits, userBits) = (.tcb, o.kind.sizeBits, 0)
          case .endpoint: (type, bits, userBits) = (.endpoint, o.kind.sizeBits, 0)
          case .notification: (type, bits, userBits) = (.notification, o.kind.sizeBits, 0)
          case .reply: (type, bits, userBits) = (.reply, o.kind.sizeBits, 0)
          // A 0-radix CNode is an IRQ object (the loader's stand-in): seL4 retypes no such CNode,
          // and an IRQ's handler cap comes from IRQControl_Get, which is not modelled.
          case .cnode(0): continue
          case .cnode(let radix): (type, bits, userBits) = (.capTable, o.kind.sizeBits, radix)
          case .schedContext(let b): (type, bits, userBits) = (.schedContext, b, b)
          case .opaque: continue  // No layer models it: the realisation check names it.
          }
        case .untyped(_, let r): (type, bits, userBits) = (.untyped, r.sizeBits, r.sizeBits)
        }
        // Step over memory the layers leave unused (by retyping filler untypeds) so that the
        // object lands where the description placed it.
        stepOver(&container, to: item.base, alignedTo: bits, in: name)
        switch item {
        case .object(let o):
          productSlot[o.address] = retype(
            &container, type: type, sizeBits: bits, userBits: userBits, what: "create '\(o.name)' from \(name)")
        case .untyped(let id, let r):
          let slot = retype(
            &container, type: .untyped, sizeBits: bits, userBits: userBits, what: "create untyped '\(id)' from \(name)")
          let region = UntypedRegion(base: r.base, sizeBits: r.sizeBits)
          untypedProductSlot[region] = slot
          // Several described caps to one untyped range: seL4 derives no copy of an untyped cap
          // with children (RevokeFirst), so each further cap is an untyped of the same size
          // retyped from the previous one (which that makes full), as the loader's derivation
          // has them (a chain in slot order), and what lies inside is retyped from the last.
          // Described untypeds nested with the same region are links of that chain (they are
          // retyped from it in turn), so only the caps beyond them need retypes of their own.
          var last = slot
          if untypedChain[region] != nil {
            untypedChain[region]?.append(slot)
          } else {
            var chain = [slot]
            let nested = described.filter { $0.region.base == r.base && $0.region.sizeBits == r.sizeBits }.count
            while chain.count + nested - 1 < (describedUntypedCaps[region] ?? 0) {
              var holder = Container(slot: last, base: r.base, sizeBits: r.sizeBits, free: r.base)
              last = retype(
                &holder, type: .untyped, sizeBits: bits, userBits: userBits,
                what: "another cap to untyped '\(id)', retyped from the previous one")
              chain.append(last)
            }
            untypedChain[region] = chain
          }
          var inner = Container(slot: last, base: r.base, sizeBits: r.sizeBits, free: r.base)
          process(&inner, inUntyped[id] ?? [], in: "untyped '\(id)'")
          // The described watermark is the end of the untyped's last content, modelled or not
          // (docs/capdl.md, Placement): objects no layer models after the last modelled one are
          // stepped over too, so that the booted untyped's free index is the described one.
          let watermark = r.base &+ r.watermark
          if watermark > inner.free {
            stepOver(&inner, to: watermark, alignedTo: KernelConstants.minUntypedBits, in: "untyped '\(id)'")
          }
        }
      }
    }
    for (i, block) in memoryMap.enumerated() {
      var container = Container(slot: block.slot, base: block.base, sizeBits: block.sizeBits, free: block.base)
      process(&container, inBlock[i] ?? [], in: "the boot untyped at 0x\(String(block.base, radix: 16))")
    }

    // Duplicates: a copy of each product, kept in the root CNode (capdl-loader-app's
    // `duplicate_caps`). The threads are configured and started and the CNodes named through
    // them, so that the products themselves can be moved into the described slots at the end.
    let kinds = Dictionary(objects.map { ($0.address, $0.kind) }, uniquingKeysWith: { a, _ in a })
    var dupSlot: [ObjectRef: UInt64] = [:]
    for o in objects.sorted(by: { $0.address < $1.address }) {
      guard let product = productSlot[o.address] else { continue }
      let slot = next
      next += 1
      steps.append(
        BootStep(
          event: Boot.invoke(
            Boot.cnodeSlot, .cnodeCopy, [slot, 64, product, 64, CapRights.all.rawValue], caps: [Boot.cnodeSlot]),
          what: "keep a copy of the cap to '\(o.name)'"))
      dupSlot[o.address] = slot
    }

    // Deriving a described cap: from a slot named by (the root task's cap to its CNode, index,
    // depth), into a slot named the same way.
    typealias Place = (root: UInt64, index: UInt64, depth: UInt64)
    var scratch: [(cap: Capability, slot: UInt64)] = []
    var untypedHome: [UntypedRegion: SlotRef] = [:]
    /// The root task's own cap to what `cap` names (the product, before it is moved).
    func product(_ cap: Capability) -> Place? {
      let slot: UInt64?
      switch cap {
      case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .thread(let r),
        .cnode(let r, _, _, _), .schedContext(let r, _):
        slot = productSlot[r]
      case .untyped(let base, let bits, _, _): slot = untypedProductSlot[UntypedRegion(base: base, sizeBits: bits)]
      case .irqControl: slot = Boot.irqControlSlot
      case .domain: slot = Boot.domainSlot
      case .schedControl: slot = Boot.schedControlSlot
      case .irqHandler, .null: slot = nil
      }
      return slot.map { (Boot.cnodeSlot, $0, 64) }
    }
    /// The CNode_Copy or CNode_Mint that makes `cap` from the cap at `from` into `into`.
    /// `copying`: the source already has the cap's badge (a copy of a badged mint): CNode_Copy,
    /// since seL4 sets no badge on a badged cap.
    func derive(_ cap: Capability, from: Place, into: Place, copying: Bool = false, what: String) {
      let head: [UInt64] = [into.index, into.depth, from.index, from.depth]
      let event: Event
      switch cap {
      case .endpoint(_, _, let rights) where copying, .notification(_, _, let rights) where copying:
        event = Boot.invoke(into.root, .cnodeCopy, head + [rights.rawValue], caps: [from.root])
      case .endpoint(_, let badge, let rights), .notification(_, let badge, let rights):
        event =
          badge == 0 && badgeOffset == 0
          ? Boot.invoke(into.root, .cnodeCopy, head + [rights.rawValue], caps: [from.root])
          : Boot.invoke(into.root, .cnodeMint, head + [rights.rawValue, badge &+ badgeOffset], caps: [from.root])
      case .cnode(_, _, let guardSize, let guardValue):
        event =
          guardSize == 0
          ? Boot.invoke(into.root, .cnodeCopy, head + [CapRights.all.rawValue], caps: [from.root])
          : Boot.invoke(
            into.root, .cnodeMint, head + [CapRights.all.rawValue, (guardValue << 6) | guardSize], caps: [from.root])
      default:
        event = Boot.invoke(into.root, .cnodeCopy, head + [CapRights.all.rawValue], caps: [from.root])
      }
      steps.append(BootStep(event: event, what: what))
    }
    /// A cap as a described TCB slot holds it, made in a scratch slot of the root CNode.
    func inRoot(_ cap: Capability, what: String) -> UInt64? {
      if let found = scratch.first(where: { $0.cap == cap }) { return found.slot }
      guard let from = product(cap) else { return nil }
      let slot = next
      next += 1
      derive(cap, from: from, into: (Boot.cnodeSlot, slot, 64), what: what)
      scratch.append((cap, slot))
      return slot
    }
    // Scheduling contexts (capdl-loader-app's `init_scs`, before `init_tcbs`): each described one
    // is configured through its kept copy by SchedControl_ConfigureFlags with its budget and
    // period (µs), the extra refills beyond MIN_REFILLS its refill limit asks for, its badge and
    // its flags (bit 0: sporadic). A scheduling context with no configuration is left as retype
    // made it.
    for (sc, configuration) in plan.schedContexts.sorted(by: { $0.key < $1.key }) {
      guard let slot = dupSlot[sc] else { continue }
      let extra =
        configuration.refillMax > KernelConstants.minRefills ? configuration.refillMax - KernelConstants.minRefills : 0
      steps.append(
        BootStep(
          event: Boot.invoke(
            Boot.schedControlSlot, .schedControlConfigureFlags,
            [
              configuration.budget, configuration.period &+ periodOffset, extra, configuration.badge,
              configuration.sporadic ? 1 : 0,
            ], caps: [slot]),
          what: "configure the scheduling context '\(names[sc] ?? "?")'"))
    }

    // Threads: scheduling parameters, fault and timeout handlers, bound notification.
    let nullSlot: UInt64 = 0
    for thread in plan.threads {
      guard let tcb = dupSlot[thread.tcb] else { continue }
      let name = names[thread.tcb] ?? "?"
      // A fault handler seL4 refuses (`validFaultHandler`) is left out, so that the rest of the
      // call is made; the realisation check names it.
      let fault = plan.caps[SlotRef(thread.tcb, TCBSlot.faultHandler.rawValue)].flatMap {
        Boot.isValidFaultHandler($0)
          ? inRoot($0, what: "make the fault handler cap of '\(name)' in the root CNode") : nil
      }
      let sc = thread.schedContext.flatMap { dupSlot[$0] }
      steps.append(
        BootStep(
          event: Boot.invoke(
            tcb, .tcbSetSchedParams, [thread.maxControlledPriority, thread.priority],
            caps: [Boot.tcbSlot, sc ?? nullSlot, fault ?? nullSlot]),
          what: "set the MCP, priority, scheduling context and fault handler of '\(name)'"))
      if let timeout = plan.caps[SlotRef(thread.tcb, TCBSlot.timeoutHandler.rawValue)].flatMap({
        Boot.isValidFaultHandler($0)
          ? inRoot($0, what: "make the timeout handler cap of '\(name)' in the root CNode") : nil
      }) {
        steps.append(
          BootStep(
            event: Boot.invoke(tcb, .tcbSetTimeoutEndpoint, [], caps: [timeout]),
            what: "set the timeout handler of '\(name)'"))
      }
      if let ntfn = thread.boundNotification, let slot = dupSlot[ntfn] {
        steps.append(
          BootStep(
            event: Boot.invoke(tcb, .tcbBindNotification, [], caps: [slot]),
            what: "bind '\(names[ntfn] ?? "?")' to '\(name)'"))
      }
    }

    // The described CNodes' caps. As capdl-loader-app (`init_cnode_slot`) does, each is derived
    // from the initialiser's own cap to the object (the product), the destination named through
    // the kept copy; except a copy of a badged cap the description derives from that badged cap
    // (a badged mint is original, so its copies are its children). capdl-loader-app moves only
    // IRQ control, noting that moving originals needs a description with a derivation tree; the
    // loader gives every description one, so here an object's original, when retype's cap can
    // become it by a move, is the product itself, moved there last, carrying every cap derived
    // from it along as its children. Parents before children, then by slot.
    var cnodeCaps: [SlotRef: Capability] = [:]
    for (slot, cap) in plan.caps where slot.container != skip {
      if case .cnode? = kinds[slot.container], dupSlot[slot.container] != nil { cnodeCaps[slot] = cap }
    }
    func describedParent(_ slot: SlotRef) -> SlotRef? {
      Boot.derivableParent(slot, caps: cnodeCaps, cdtParent: plan.cdtParent, originals: plan.originals)
    }
    var movedTo: [ObjectRef: SlotRef] = [:]
    for (slot, cap) in cnodeCaps.sorted(by: { $0.key < $1.key }) where plan.originals.contains(slot) {
      guard let r = Boot.object(of: cap), !Boot.isUntyped(cap), movedTo[r] == nil, let kind = kinds[r],
        let made = Boot.productCap(kind, at: r), Boot.mutateData(from: made, to: cap) != nil
      else { continue }
      movedTo[r] = slot
    }
    let moved = Set(movedTo.values)
    func depth(_ slot: SlotRef) -> Int {
      var (at, n) = (slot, 0)
      while let parent = describedParent(at), n <= cnodeCaps.count { (at, n) = (parent, n + 1) }
      return n
    }
    // A cap the description puts beyond its CNode's radix is named by its described index, as
    // capdl-loader-app names it (index and depth the radix): each layer's address resolution
    // reads the low `radix` bits, and the loader placed the cap in that slot (`wrappedSlots`).
    var describedIndex: [SlotRef: UInt64] = [:]
    for (at, index) in loaded.wrappedSlots {
      if let container = loaded.addresses[at.object] { describedIndex[SlotRef(container, index)] = at.slot }
    }
    func place(of slot: SlotRef) -> Place? {
      guard case .cnode(let radix)? = kinds[slot.container], let root = dupSlot[slot.container] else { return nil }
      return (root, describedIndex[slot] ?? slot.index, radix)
    }
    var irqControlMoved = false
    var untypedCapsMoved: [UntypedRegion: Int] = [:]
    for slot in cnodeCaps.keys.sorted(by: { (depth($0), $0) < (depth($1), $1) }) where !moved.contains(slot) {
      guard let cap = cnodeCaps[slot], !Boot.isUntyped(cap), cap != .irqControl, let into = place(of: slot) else {
        continue
      }
      let parent = describedParent(slot)
      guard let from = parent.flatMap(place(of:)) ?? product(cap) else { continue }
      derive(
        cap, from: from, into: into, copying: parent != nil,
        what: "put the cap in slot \(slot.index) of '\(names[slot.container] ?? "?")'")
    }
    // The moves: each object's original, and the first cap to each described untyped (seL4
    // derives no copy of an untyped cap with children: RevokeFirst).
    for (slot, cap) in cnodeCaps.sorted(by: { $0.key < $1.key }) {
      guard let into = place(of: slot) else { continue }
      if cap == .irqControl {
        // seL4 derives no copy of IRQ control (`deriveCap` gives Null): the root task's one cap
        // is moved to the first slot the description gives one; a second stays empty.
        guard !irqControlMoved, let from = product(cap) else { continue }
        irqControlMoved = true
        steps.append(
          BootStep(
            event: Boot.invoke(
              into.root, .cnodeMove, [into.index, into.depth, from.index, from.depth], caps: [from.root]),
            what: "move IRQ control to slot \(slot.index) of '\(names[slot.container] ?? "?")'"))
      } else if case .untyped(let base, let bits, _, _) = cap {
        let region = UntypedRegion(base: base, sizeBits: bits)
        // The described caps to one range, in slot order, take the chain of untypeds the
        // creation made for them; a range with no chain (no described untyped) gives one cap.
        let used = untypedCapsMoved[region, default: 0]
        let chain = untypedChain[region] ?? []
        let source: Place? =
          used < chain.count ? (Boot.cnodeSlot, chain[used], 64) : (used == 0 ? product(cap) : nil)
        guard let from = source else { continue }
        untypedCapsMoved[region] = used + 1
        if used == 0 { untypedHome[region] = slot }
        steps.append(
          BootStep(
            event: Boot.invoke(
              into.root, .cnodeMove, [into.index, into.depth, from.index, from.depth], caps: [from.root]),
            what: "move the untyped's cap to slot \(slot.index) of '\(names[slot.container] ?? "?")'"))
      } else if moved.contains(slot), let from = product(cap), let r = Boot.object(of: cap), let kind = kinds[r],
        let made = Boot.productCap(kind, at: r), let data = Boot.mutateData(from: made, to: cap)
      {
        // CNode_Mutate when the original carries a guard (a move that sets it), else CNode_Move.
        let head: [UInt64] = [into.index, into.depth, from.index, from.depth]
        steps.append(
          BootStep(
            event: data == 0
              ? Boot.invoke(into.root, .cnodeMove, head, caps: [from.root])
              : Boot.invoke(into.root, .cnodeMutate, head + [data], caps: [from.root]),
            what: "move the original cap to slot \(slot.index) of '\(names[slot.container] ?? "?")'"))
      }
    }
    // Start the threads (`start_threads`), in the initialiser's start order (`SystemPlan.startOrder`:
    // the last declared first, so that seL4's `restart` leaves the threads of a priority queued
    // in declaration order).
    for thread in plan.startOrder where thread.state == .running {
      guard let tcb = dupSlot[thread.tcb] else { continue }
      steps.append(
        BootStep(event: Boot.invoke(tcb, .tcbResume, []), what: "start '\(names[thread.tcb] ?? "?")'"))
    }
    // capdl-loader-app's `main` ends by suspending the root task (TCB_Suspend on its own TCB):
    // the scheduler then runs the head of the highest ready queue, and the system is on its own.
    steps.append(
      BootStep(event: Boot.invoke(Boot.tcbSlot, .tcbSuspend, []), what: "suspend the initialiser (the root task)"))

    // The root task's objects, above the memory map.
    var radix: UInt64 = 5
    while radix < 40, (1 << radix) <= next { radix += 1 }
    let cnodeBits = radix &+ KernelConstants.slotBits
    let tcbBits = PlanObjectKind.tcb.sizeBits
    let scBits = KernelConstants.minSchedContextBits
    func place(_ at: inout UInt64, _ bits: UInt64) -> UInt64 {
      let placed = (at &+ (1 << bits) &- 1) & ~((1 << bits) &- 1)
      at = placed &+ (1 << bits)
      return placed
    }
    // Largest first, so each is aligned with no gap before the next.
    var end = hi
    var rootAt: [UInt64] = [0, 0, 0]
    for (i, bits) in [cnodeBits, tcbBits, scBits].enumerated().sorted(by: { $0.element > $1.element }) {
      rootAt[i] = place(&end, bits)
    }
    let (cnodeAt, tcbAt, scAt) = (rootAt[0], rootAt[1], rootAt[2])
    var memoryBits: UInt64 = 4
    while memoryBits < 63, lo &+ (1 << memoryBits) < end { memoryBits += 1 }
    guard memoryBits <= KernelConstants.maxUntypedBits, end > hi else {
      throw BootError("the description's memory and the root task's do not fit in 2^47 bytes")
    }
    rootCNode = cnodeAt
    rootTCB = tcbAt
    rootSC = scAt
    rootRadix = radix
    var startCaps: [SlotRef: Capability] = [
      SlotRef(cnodeAt, Boot.tcbSlot): .thread(tcbAt),
      SlotRef(cnodeAt, Boot.cnodeSlot): .cnode(cnodeAt, radix: radix, guardSize: 64 &- radix, guard: 0),
      SlotRef(cnodeAt, Boot.irqControlSlot): .irqControl,
      SlotRef(cnodeAt, Boot.domainSlot): .domain,
      SlotRef(cnodeAt, Boot.schedContextSlot): .schedContext(scAt, sizeBits: scBits),
      SlotRef(cnodeAt, Boot.schedControlSlot): .schedControl(core: 0),
      SlotRef(tcbAt, TCBSlot.cspace.rawValue): .cnode(cnodeAt, radix: radix, guardSize: 64 &- radix, guard: 0),
    ]
    for block in memoryMap {
      startCaps[SlotRef(cnodeAt, block.slot)] = .untyped(
        base: block.base, sizeBits: block.sizeBits, isDevice: false, freeIndex: 0)
    }
    // seL4's boot makes every one of these caps original, with no parent; the TCB's CSpace root
    // is a copy of the CNode cap (its child).
    var originals = Set(startCaps.keys)
    originals.remove(SlotRef(tcbAt, TCBSlot.cspace.rawValue))
    let cdt = [SlotRef(tcbAt, TCBSlot.cspace.rawValue): SlotRef(cnodeAt, Boot.cnodeSlot)]
    start = SystemPlan(
      memoryBase: lo, memorySizeBits: memoryBits,
      objects: [
        SystemPlan.Object(name: "root_cnode", address: cnodeAt, kind: .cnode(radix: radix)),
        SystemPlan.Object(name: "root_tcb", address: tcbAt, kind: .tcb),
        SystemPlan.Object(name: "root_sc", address: scAt, kind: .schedContext(sizeBits: scBits)),
      ],
      caps: startCaps, cdtParent: cdt, originals: originals,
      threads: [
        SystemPlan.Thread(
          tcb: tcbAt, state: .running, priority: Boot.rootPriority, maxControlledPriority: Boot.rootPriority,
          schedContext: scAt)
      ],
      currentThread: tcbAt,
      schedContexts: [scAt: SystemPlan.SchedContextConfiguration(budget: 1000, period: 1000)])
    self.steps = steps
    self.productSlot = productSlot
    self.untypedProductSlot = untypedProductSlot
    self.fillers = fillers
    self.untypedHome = untypedHome
    self.dupSlot = dupSlot
    self.movedTo = movedTo
  }

  /// A Call of `label` on the root task's cap in slot `cptr`.
  static func invoke(_ cptr: UInt64, _ label: InvocationLabel, _ mrs: [UInt64], caps: [UInt64] = []) -> Event {
    let info = MessageInfo(label: label.rawValue, extraCaps: UInt64(caps.count), length: UInt64(mrs.count))
    return .syscall(
      .call, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps))
  }

  /// The cap retype makes for an object of `kind` at `r` (`default_cap`).
  static func productCap(_ kind: PlanObjectKind, at r: ObjectRef) -> Capability? { kind.retypeCap(at: r) }

  /// The data word that turns retype's cap `made` into the described `cap` by a move
  /// (`PlanObjectKind.moveData`): 0 for CNode_Move, a guard word for CNode_Mutate, nil for none.
  static func mutateData(from made: Capability, to cap: Capability) -> UInt64? {
    PlanObjectKind.moveData(from: made, to: cap)
  }

  /// The described parent a cap is derived from in the boot: a badged endpoint or notification
  /// cap that is original in the description (a mint), when the cap is a copy of it (same object
  /// and badge, no more rights). Every other cap is derived from the initialiser's own cap.
  static func derivableParent(
    _ slot: SlotRef, caps: [SlotRef: Capability], cdtParent: [SlotRef: SlotRef], originals: Set<SlotRef>
  ) -> SlotRef? {
    guard let parent = cdtParent[slot], originals.contains(parent), let parentCap = caps[parent], let cap = caps[slot]
    else { return nil }
    switch (parentCap, cap) {
    case (.endpoint(let pr, let pb, let prights), .endpoint(let r, let b, let rights)),
      (.notification(let pr, let pb, let prights), .notification(let r, let b, let rights)):
      return pr == r && pb != 0 && pb == b && prights.isSuperset(of: rights) ? parent : nil
    default:
      return nil
    }
  }

  /// seL4's `validFaultHandler`: an endpoint cap with Write and Grant or GrantReply.
  static func isValidFaultHandler(_ cap: Capability) -> Bool {
    guard case .endpoint(_, _, let rights) = cap else { return false }
    return rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
  }

  static func isUntyped(_ cap: Capability) -> Bool {
    if case .untyped = cap { return true }
    return false
  }

  /// The events alone.
  public var events: [Event] { steps.map(\.event) }
}

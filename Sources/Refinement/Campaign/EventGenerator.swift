// Random capability events, biased toward what reaches deep states: valid cptrs read off the
// abstract state, empty destination slots, live untypeds, retype bursts followed by revokes; with a
// share of malformed arguments so that every error path is exercised.
//
// Swarm testing: each trace enables a random subset of operations (`Swarm`), so that traces differ
// in kind and not only in detail. Which function makes an operation's events is the operations
// table's (`Operations.swift`).

public import AbstractSpec
public import KernelABI

/// The operations one trace uses.
public struct Swarm: Sendable {
  public var enabled: [GeneratedOperation]

  public init(enabled: [GeneratedOperation]) { self.enabled = enabled }

  /// A random non-empty subset; `retype` and one CNode operation are always in, so the state grows.
  public static func random(_ rng: inout SplitMix64) -> Swarm {
    var ops = Operations.all.map(\.operation).filter { _ in rng.chance(60) }
    if !ops.contains(.retype) { ops.append(.retype) }
    if !ops.contains(where: { [.copy, .mint, .move, .mutate, .rotate].contains($0) }) { ops.append(.copy) }
    return Swarm(enabled: ops)
  }

  public static let all = Swarm(enabled: Operations.all.map(\.operation))
}

/// Produces events for a state.
public struct EventGenerator: Sendable {
  public var rng: SplitMix64
  public var swarm: Swarm
  /// Percentage of events whose arguments are deliberately perturbed.
  public var malformedPercent: UInt64 = 10
  /// Coverage bias from earlier traces of the same lane (nil: every enabled operation equally
  /// likely, `malformedPercent` for all).
  public var bias: CoverageBias?
  /// The kernel path (docs/campaigns.md) of the last event `next` made, without its outcome.
  public internal(set) var lastPath: String?
  /// The slots the last event writes a new cap into if it succeeds (for derivation-tree shape
  /// coverage, `Coverage.mdbShape`).
  public internal(set) var lastDestinations: [SlotRef] = []
  /// Percentage of events that, when the thread could complete a rendezvous (`aimAtRendezvous`:
  /// Call an endpoint a receiver with a reply object waits on, or reply to a caller), do so if
  /// the swarm has the operation: such a moment passes quickly (the other thread is suspended,
  /// the reply object reused), and at the operations' table weights few Calls and replies would
  /// meet their partner.
  public var rendezvousAimPercent: UInt64 = 25
  /// Percentage of copies, mints, revokes, deletes and badged-send cancels aimed at endpoint and
  /// notification caps, with mints reusing a badge the object already has: so that chains of
  /// badged caps, copies of copies, and runs of one badge minted twice (distinct subtrees that
  /// `mdbFirstBadged` keeps apart) are built and then revoked in every default run.
  public var shapeAimPercent: UInt64 = 30
  /// The slot the last Mint of an endpoint or notification cap wrote (kept across events): an
  /// aimed revoke or delete takes it 70% of the time while it still holds a badgeable cap, so that a
  /// badge run, once minted, is revoked before other operations bury it (the derivation-tree bugs
  /// show only then).
  var lastBadgeableMint: SlotRef?
  /// The IRQ method `aimAtDriver` chose for the `irq` event it aimed at (nil: by weight).
  var aimedIRQMethod: InvocationLabel?

  public init(seed: UInt64, swarm: Swarm? = nil, bias: CoverageBias? = nil) {
    var rng = SplitMix64(seed: seed)
    self.swarm = swarm ?? Swarm.random(&rng)
    self.rng = rng
    self.bias = bias
  }

  /// The next event for `state`, and the operation it exercises.
  public mutating func next(for state: AbstractState) -> (GeneratedOperation, Event) {
    let chosen = chooseOperation()
    lastPath = nil
    lastDestinations = []
    guard let root = state.currentRoot else { return (chosen, call(0, label: 0, [])) }
    let slots = state.reachableSlots(from: root)
    let view = View(slots: slots, state: state)
    let op = aimAtDriver(aimAtRendezvous(chosen, view), view)
    let entry = Operations.entry(op)
    var event = entry.generate(&self, view)
    if entry.perturbed {
      if rng.chance(malformedPercent) {
        event = perturb(event)
      } else if let extra = bias?.malformedPercent[op], extra > malformedPercent,
        rng.chance(extra - malformedPercent)
      {
        // The bias's extra malformed events aim at a missing outcome, and keep the cap register
        // unless a fault is what is missing: a wrong one faults the thread and ends the trace.
        let target = rng.pick(bias?.missing[op] ?? [])
        event = perturb(event, mode: target.map(Self.perturbation(for:)) ?? rng.below(4), view: view)
      }
    }
    return (op, event)
  }

  /// An enabled operation, by its weight in the operations table (`OperationEntry.weight`) times
  /// the bias's weight.
  mutating func chooseOperation() -> GeneratedOperation {
    let weights = swarm.enabled.map { Operations.entry($0).weight * (bias?.weights[$0] ?? 1) }
    var r = rng.below(weights.reduce(0, +))
    for (op, w) in zip(swarm.enabled, weights) {
      if r < w { return op }
      r -= w
    }
    return swarm.enabled.last ?? .copy
  }

  // MARK: - Kernel paths

  /// The kind of a capability, as kernel paths name it.
  static func kind(_ cap: Capability) -> String {
    switch cap {
    case .null: "null"
    case .untyped: "untyped"
    case .endpoint(_, let badge, _): badge == 0 ? "endpoint" : "badgedEndpoint"
    case .notification(_, let badge, _): badge == 0 ? "notification" : "badgedNotification"
    case .reply: "reply"
    case .cnode: "cnode"
    case .thread: "thread"
    case .schedContext: "schedContext"
    case .schedControl: "schedControl"
    case .irqControl: "irqControl"
    case .irqHandler: "irqHandler"
    case .domain: "domain"
    }
  }

  /// Whether `slot`'s cap is the only cap in `state` naming its object (deleting it finalises
  /// the object), for caps that name one.
  static func isFinal(_ slot: ReachableSlot, _ view: View) -> Bool? {
    guard case let ref? = slot.cap.objectRef, !{ if case .untyped = slot.cap { true } else { false } }() else {
      return nil
    }
    // Another cap to the object among the thread's own slots answers at once; else every slot.
    let seen = view.slots.contains { other in
      other.slot != slot.slot && other.cap.objectRef == ref && !other.cap.isUntyped
    }
    if seen { return false }
    let state = view.state
    var count = 0
    for object in state.kheap.values {
      let caps: CapSlots.Values
      switch object {
      case .cnode(let cnode): caps = cnode.slots.values
      case .tcb(let tcb): caps = tcb.slots.values
      default: continue
      }
      for cap in caps where cap.objectRef == ref {
        if case .untyped = cap { continue }
        count += 1
        if count > 1 { return false }
      }
    }
    return true
  }

  // MARK: - The state as the generator sees it

  struct View {
    let slots: [ReachableSlot]
    let state: AbstractState
    /// Slots holding CNode caps that a 64-bit lookup stops at: invocable CNodes.
    var invocableCNodes: [ReachableSlot] { slots.filter { if case .cnode = $0.cap { $0.depth == 64 } else { false } } }
    var full: [ReachableSlot] { slots.filter { !$0.cap.isNull } }
    var empty: [ReachableSlot] { slots.filter { $0.cap.isNull } }
    var untypeds: [ReachableSlot] {
      slots.filter { if case .untyped = $0.cap { $0.invocationCptr != nil } else { false } }
    }

    /// Whether `cap` is an endpoint or notification cap (the caps that carry badges).
    static func isBadgeable(_ cap: Capability) -> Bool { cap.badge != nil }

    /// The non-zero badges caps to `object` carry in the reachable slots.
    func badges(of object: ObjectRef) -> [UInt64] {
      var result: Set<UInt64> = []
      for slot in slots {
        switch slot.cap {
        case .endpoint(let r, let badge, _) where r == object && badge != 0: result.insert(badge)
        case .notification(let r, let badge, _) where r == object && badge != 0: result.insert(badge)
        default: break
        }
      }
      return result.sorted()
    }
  }

  /// With `shapeAimPercent`, an endpoint or notification cap among `slots` for `op` (nil otherwise,
  /// or if there is none): for a mint an unbadged one (a badged cap cannot be minted again), for a
  /// revoke or delete usually a badged original (the root of a badge run), else any.
  mutating func aimedAtBadgeable(_ slots: [ReachableSlot], for op: GeneratedOperation, _ view: View) -> ReachableSlot? {
    guard rng.chance(shapeAimPercent) else { return nil }
    let badgeable = slots.filter { View.isBadgeable($0.cap) }
    switch op {
    case .mint:
      return rng.pick(badgeable.filter { $0.cap.badge == 0 }) ?? rng.pick(badgeable)
    case .revoke, .delete:
      if let recent = lastBadgeableMint, let minted = badgeable.first(where: { $0.slot == recent }), rng.chance(70) {
        return minted
      }
      let runRoots = badgeable.filter { $0.cap.badge != 0 && view.state.isOriginalCap.contains($0.slot) }
      return rng.chance(60) ? (rng.pick(runRoots) ?? rng.pick(badgeable)) : rng.pick(badgeable)
    default:
      return rng.pick(badgeable)
    }
  }

  /// A CNode to invoke, and the slots addressed relative to its cap.
  mutating func chooseCNode(_ view: View) -> (cptr: UInt64, slots: [ReachableSlot])? {
    guard let target = rng.pick(view.invocableCNodes) else { return nil }
    return (target.index, view.state.reachableSlots(from: target.cap))
  }

  mutating func pickSlot(_ slots: [ReachableSlot], wantEmpty: Bool) -> ReachableSlot? {
    let preferred = slots.filter { $0.cap.isNull == wantEmpty }
    return rng.chance(90) ? (rng.pick(preferred) ?? rng.pick(slots)) : rng.pick(slots)
  }

  /// A slot to empty or overwrite: usually not one holding a CNode cap or the thread's own cap,
  /// since losing those ends the trace (the thread faults or is destroyed). Sometimes it is, so
  /// that those paths stay covered.
  mutating func pickVictim(_ slots: [ReachableSlot], _ view: View) -> ReachableSlot? {
    let full = slots.filter { !$0.cap.isNull }
    let harmless = full.filter { slot in
      switch slot.cap {
      case .cnode: false
      case .thread(let t): t != view.state.currentThread
      default: true
      }
    }
    return rng.chance(97) ? (rng.pick(harmless) ?? rng.pick(full)) : rng.pick(slots)
  }

  // MARK: - Operations

  mutating func twoSlotOperation(_ op: GeneratedOperation, _ label: InvocationLabel, _ view: View) -> Event {
    guard let cnode = chooseCNode(view), let dest = pickSlot(cnode.slots, wantEmpty: true),
      let srcRoot = chooseCNode(view),
      let src = (op == .copy || op == .mint)
        ? (aimedAtBadgeable(srcRoot.slots, for: op, view) ?? pickSlot(srcRoot.slots, wantEmpty: false))
        : pickVictim(srcRoot.slots, view)
    else { return garbage(view) }
    let rights = rng.chance(70) ? CapRights.all.rawValue : rng.below(16)
    var badge = rng.chance(50) ? rng.below(8) : rng.next()
    // A badge the object already has: a second run of the same badge.
    if op == .mint, View.isBadgeable(src.cap), let object = src.cap.objectRef, rng.chance(75),
      let existing = rng.pick(view.badges(of: object))
    {
      badge = existing
    }
    lastPath = "\(op.rawValue).\(Self.kind(src.cap))"
    lastDestinations = [dest.slot]
    if op == .mint && View.isBadgeable(src.cap) { lastBadgeableMint = dest.slot }
    var args = [dest.index, dest.depth, src.index, src.depth]
    switch op {
    case .copy: args.append(rights)
    case .mint: args += [rights, badge]
    case .move: break
    default: args.append(rng.chance(50) ? 0 : badge)
    }
    return call(cnode.cptr, label: label.rawValue, args, extraCaps: [srcRoot.cptr])
  }

  mutating func rotate(_ view: View) -> Event {
    guard let cnode = chooseCNode(view), let dest = pickSlot(cnode.slots, wantEmpty: rng.chance(50)),
      let pivotRoot = chooseCNode(view), let pivot = pickVictim(pivotRoot.slots, view),
      let srcRoot = chooseCNode(view), let src = pickVictim(srcRoot.slots, view)
    else { return garbage(view) }
    lastPath = "rotate.\(Self.kind(pivot.cap))"
    lastDestinations = [dest.slot, pivot.slot]
    let args = [dest.index, dest.depth, rng.below(4), pivot.index, pivot.depth, rng.below(4), src.index, src.depth]
    return call(
      cnode.cptr, label: InvocationLabel.cnodeRotate.rawValue, args, extraCaps: [pivotRoot.cptr, srcRoot.cptr])
  }

  mutating func oneSlotOperation(_ op: GeneratedOperation, _ label: InvocationLabel, _ view: View) -> Event {
    guard let cnode = chooseCNode(view),
      let target = aimedAtBadgeable(cnode.slots, for: op, view) ?? pickVictim(cnode.slots, view)
    else { return garbage(view) }
    var path = "\(op.rawValue).\(Self.kind(target.cap))"
    switch op {
    // Deleting the last cap to an object finalises it: a different branch of the kernel.
    case .delete: if let final = Self.isFinal(target, view) { path += final ? ".final" : ".shared" }
    // Revoke walks the children, if there are any.
    case .revoke where !target.cap.isNull: path += view.state.cdt.values.contains(target.slot) ? ".children" : ".leaf"
    default: break
    }
    lastPath = path
    return call(cnode.cptr, label: label.rawValue, [target.index, target.depth])
  }

  mutating func retype(_ view: View) -> Event {
    guard let untyped = rng.pick(view.untypeds), let cptr = untyped.invocationCptr,
      let root = rng.pick(view.invocableCNodes)
    else { return garbage(view) }
    // The destination CNode: the root cap itself (depth 0), or a CNode cap reachable from it.
    var destination = root.cap
    var nodeIndex: UInt64 = 0
    var nodeDepth: UInt64 = 0
    let nested = view.state.reachableSlots(from: root.cap).filter { if case .cnode = $0.cap { true } else { false } }
    if rng.chance(30), let node = rng.pick(nested) {
      (destination, nodeIndex, nodeDepth) = (node.cap, node.index, node.depth)
    }
    guard case .cnode(let ref, let radix, _, _) = destination, case .cnode(let cnode)? = view.state.kheap[ref]
    else { return garbage(view) }
    let slotCount = UInt64(1) << min(radix, 12)
    let emptyIndexes = (0..<slotCount).filter { cnode.slots[$0] == nil }
    let offset = rng.chance(90) ? (rng.pick(emptyIndexes) ?? 0) : rng.below(slotCount + 2)
    let count: UInt64 = rng.chance(5) ? 100 + rng.below(150) : 1 + rng.below(4)
    let type = rng.chance(95) ? rng.below(UInt64(ObjectType.allCases.count)) : rng.below(12)
    let sizeBits: UInt64
    switch ObjectType(rawValue: type) {
    case .untyped?: sizeBits = 4 + rng.below(12)
    case .capTable?: sizeBits = rng.below(6)
    case .schedContext?: sizeBits = 6 + rng.below(4)
    default: sizeBits = rng.chance(90) ? 0 : rng.below(70)
    }
    lastDestinations = (0..<min(count, 4)).map { SlotRef(ref, offset &+ $0) }
    lastPath =
      "retype.\(ObjectType(rawValue: type).map { "\($0)".replacingOccurrences(of: "seL4_", with: "") } ?? "invalidType")"
      + (count > 1 ? ".many" : "") + (destination == root.cap ? "" : ".nested")
    return call(
      cptr, label: InvocationLabel.untypedRetype.rawValue,
      [type, sizeBits, nodeIndex, nodeDepth, offset, count], extraCaps: [root.index])
  }

  /// TCB_SetPriority or TCB_SetMCPriority (`label`) on a thread cap, with a thread cap as the
  /// authority (sometimes another cap: InvalidCapability), asking for a value within the
  /// authority's MCP (sometimes above it: RangeError).
  mutating func priorityInvocation(_ view: View, _ operation: GeneratedOperation, _ label: InvocationLabel) -> Event {
    let threads = threadCaps(view)
    guard let target = rng.pick(threads), let cptr = target.invocationCptr else { return garbage(view) }
    let authority =
      rng.chance(90)
      ? rng.pick(threads) : rng.pick(view.full.filter { $0.invocationCptr != nil })
    guard let authority, let authorityCptr = authority.invocationCptr else { return garbage(view) }
    var mcp: UInt64 = 0
    if case .thread(let ref) = authority.cap, let tcb = view.state.tcb(at: ref) {
      mcp = tcb.maxControlledPriority
    }
    let value: UInt64 =
      rng.chance(80) ? (rng.chance(50) ? mcp : rng.below(mcp &+ 1)) : (rng.chance(50) ? mcp &+ 1 : rng.next())
    lastPath = "\(operation.rawValue).\(Self.kind(authority.cap))"
    return call(cptr, label: label.rawValue, [value], extraCaps: [authorityCptr])
  }

  /// TCB_Suspend or TCB_Resume (`label`) of a thread cap, usually another thread's: a thread that
  /// suspends itself lets another run, and with none left the rest of the trace idles, so it is
  /// rare (1 in 10, and a random invocation instead when no other thread's cap is at hand).
  mutating func suspendOrResume(_ view: View, _ operation: GeneratedOperation, _ label: InvocationLabel) -> Event {
    let threads = threadCaps(view)
    let others = threads.filter { $0.cap != .thread(view.state.currentThread) }
    let target = rng.chance(90) ? rng.pick(others) : rng.pick(threads)
    guard let target, let cptr = target.invocationCptr else { return garbage(view) }
    lastPath = "\(operation.rawValue).\(Self.kind(target.cap))"
    return call(cptr, label: label.rawValue, [])
  }

  mutating func garbage(_ view: View) -> Event {
    let cptr = rng.chance(95) ? (rng.pick(view.full.compactMap(\.invocationCptr)) ?? rng.next()) : rng.next()
    let label = rng.chance(80) ? rng.below(40) : rng.next() >> 12
    let args = (0..<rng.below(9)).map { _ in rng.chance(50) ? rng.below(300) : rng.next() }
    let extra = (0..<rng.below(4)).map { _ in rng.pick(view.invocableCNodes.map(\.index)) ?? rng.next() }
    let syscall: Syscall = rng.chance(80) ? .call : (rng.chance(50) ? .send : .nbSend)
    lastPath = "garbage." + (InvocationLabel(rawValue: label).map { "\($0)" } ?? "unknownLabel")
    return call(cptr, label: label, args, extraCaps: extra, syscall: syscall)
  }

  /// `seL4_Yield` (no arguments).
  static let yieldEvent = Event.syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0))

  mutating func yield() -> Event {
    lastPath = "yield"
    return Self.yieldEvent
  }

  mutating func unmodelled() -> Event {
    let event = unmodelledEvent()
    switch event {
    case .interrupt: lastPath = "unmodelled.interrupt"
    case .timerTick: lastPath = "unmodelled.timerTick"
    case .syscall(let s, _): lastPath = "unmodelled.\(s)"
    case .unknownSyscall: lastPath = "unmodelled.unknownSyscall"
    // Never generated (`unmodelledEvent`): user exceptions come from scenarios and the explorer.
    case .userException: lastPath = "unmodelled.userException"
    }
    return event
  }

  /// An interrupt, a timer tick or (rarely) an unknown syscall. The IPC system calls are all
  /// IPC operations now (NBSendRecv and NBSendWait are `sendRecv`'s). A user exception is never
  /// generated (`userException` events come from scenarios and the explorer).
  mutating func unmodelledEvent() -> Event {
    switch rng.below(3) {
    case 0: return .interrupt(irq: rng.below(16))
    case 1: return .timerTick(ticks: rng.below(1000))
    // An unknown syscall faults the thread, which ends the trace: rare.
    default: return rng.chance(2) ? .unknownSyscall(number: -Int64(rng.below(5)) - 12) : .timerTick(ticks: 1)
    }
  }

  /// The event with one argument, the length, the extra-cap count or the syscall changed.
  /// The perturbation (`perturb`'s mode) most likely to produce `outcome`.
  static func perturbation(for outcome: String) -> UInt64 {
    switch outcome {
    case "truncatedMessage": 1
    case "noReply", "notModelled", "illegalOperation": 3
    case "invalidCapability": 5
    case "deleteFirst": 6
    case "rangeError": 7
    // A fault ends the trace: never aimed at.
    default: 0
    }
  }

  /// `mode`: 0 one message register, 1 the length, 2 the extra-cap count, 3 the syscall, 4 the cap
  /// register (random); with a view (the bias's aimed perturbations), 5 the cap register to an
  /// empty slot's cptr, 6 the first slot argument to a full slot, 7 its depth beyond the word.
  mutating func perturb(_ event: Event, mode: UInt64? = nil, view: View? = nil) -> Event {
    guard case .syscall(var syscall, var args) = event else { return event }
    var info = MessageInfo(word: args.messageInfo)
    // Changing the cap register usually faults the thread and ends the trace: rarely.
    switch mode ?? (rng.chance(5) ? 4 : rng.below(4)) {
    case 0 where !args.messageRegisters.isEmpty:
      args.messageRegisters[Int(rng.below(UInt64(args.messageRegisters.count)))] =
        rng.chance(50) ? rng.below(70) : rng.next()
    case 1: info.length = rng.below(info.length + 1)
    case 2: info.extraCaps = rng.below(4)
    case 3: syscall = rng.pick([.send, .nbSend, .call]) ?? .call
    case 5 where view != nil:
      if let cptr = rng.pick(view?.empty.compactMap(\.invocationCptr) ?? []) { args.capRegister = cptr }
    case 6 where view != nil && args.messageRegisters.count >= 2:
      if let slot = rng.pick(view?.full ?? []) {
        (args.messageRegisters[0], args.messageRegisters[1]) = (slot.index, slot.depth)
      }
    case 7 where args.messageRegisters.count >= 2:
      args.messageRegisters[1] = 65 + rng.below(4)
    case 5, 6, 7: break
    default: args.capRegister = rng.chance(50) ? rng.next() : args.capRegister ^ (1 << rng.below(64))
    }
    args.messageInfo = info.word
    return .syscall(syscall, args)
  }

  func call(_ cptr: UInt64, label: UInt64, _ args: [UInt64], extraCaps: [UInt64] = [], syscall: Syscall = .call)
    -> Event
  {
    let info = MessageInfo(label: label, extraCaps: UInt64(extraCaps.count), length: UInt64(args.count))
    return .syscall(
      syscall,
      SyscallArguments(
        capRegister: cptr, messageInfo: info.word, messageRegisters: args, extraCaps: extraCaps))
  }
}

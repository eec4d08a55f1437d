// A refuted event obligation's counterexample, read back: the abstract pre-state of the shape (one
// CNode's slots: caps, CDT parents, original flags) and the event (invoked slot, extra caps'
// slots, message registers), decoded from Z3's model; the smallest failing clause of the
// obligation's conjunct on the post-state; and a scenario script (`refine-check run` syntax) that
// builds the pre-state from capDL, runs the event on the three layers and checks what the correct
// post-state holds, so that the failure replays with the same slip planted in AbstractSpec.
//
// Z3's first model may use words no capDL system can give (an endpoint at an address the loader
// does not choose, a CDT link seL4 never makes). `Obligation.constructible` adds hypotheses that
// keep the model inside a family capDL can build (docs/abstract-proofs.md, "Refutations as
// scenarios"); a refutation is asked again under them, and when none is found there the raw model
// is reported and no scenario is written (the report says so).

public import Bitwise
import KernelABI
import SMT
public import SymbolicSpec

/// A decoded counterexample to `abstract.<event>.preserves.<conjunct>`.
public struct AbstractCounterexample {
  public let obligation: String
  public let event: TwinEvent
  public let conjunct: String
  public let shape: AbstractShape
  /// The pre-state's slots, by slot id (`shape.slotRefs`).
  public let slots: [TwinSlot<UInt64>]
  /// The invoked slot and the extra caps' slots (`noSlot`: a slot outside the shape, empty).
  public let invoked: UInt64
  public let extraCapSlots: [UInt64]
  /// The message registers, in `event.registers`' order.
  public let registers: [UInt64]

  /// The counterexample in `values` (a model of the obligation `name`, variables named as the
  /// obligation names them); nil when `name` is not an event obligation.
  public init?(obligation name: String, values: [String: UInt64], shape: AbstractShape = .default) {
    let parts = name.split(separator: ".").map(String.init)
    guard parts.count == 4, parts[0] == "abstract", parts[2] == "preserves",
      let event = TwinEvent.cnodeEvents.first(where: { $0.name == parts[1] })
    else { return nil }
    self.obligation = name
    self.event = event
    self.conjunct = parts[3]
    self.shape = shape
    let state = TwinState(domain: Concrete(), slotRefs: shape.slotRefs) { values["pre.\($0)", default: 0] }
    slots = state.slots
    invoked = values["arg.invoked", default: 0]
    extraCapSlots = event.extraCaps.map { values["arg.\($0)", default: 0] }
    registers = event.registers.map { values["arg.\($0)", default: 0] }
  }

  /// The pre-state as a concrete twin state.
  public var pre: TwinState<Concrete> { TwinState(domain: Concrete(), slotRefs: shape.slotRefs, slots: slots) }

  /// Run the event from the pre-state, with `mutant` planted (nil: the twin's own code).
  public func run(planting mutant: TwinEventMutant? = nil) -> (
    post: TwinState<Concrete>, outcome: TwinInvocationOutcome<UInt64>
  ) {
    var state = pre
    state.plant(mutant)
    state.maxWalkLevels = TwinEvent.walkLevels
    let outcome = state.invokeCap(
      invoked, label: event.label.rawValue, registers: registers, extraCapSlots: extraCapSlots)
    return (state, outcome)
  }

  // MARK: - The smallest failing clause

  /// The clauses of conjunct `name` that `state` breaks, smallest first: each conjunct is a
  /// conjunction over the slots (over each slot's ancestors for `no_mloop`), and a clause is one
  /// slot's part, phrased with the slots' numbers.
  public static func failingClauses(_ name: String, _ state: TwinState<Concrete>) -> [String] {
    var failing: [String] = []
    for (k, slot) in state.slots.enumerated() {
      let filled = slot.cap.tag != TwinCapTag.null.rawValue
      switch name {
      case "mdb_cte_at":
        if slot.parent != noSlot {
          if !filled { failing.append("mdb_cte_at: slot \(k) is empty but has CDT parent slot \(slot.parent)") }
          if state.lookup(slot.parent).cap.tag == TwinCapTag.null.rawValue {
            failing.append("mdb_cte_at: slot \(k)'s CDT parent, slot \(slot.parent), is empty")
          }
        }
      case "valid_ioc":
        if slot.original != 0 && !filled { failing.append("valid_ioc: slot \(k) is empty but marked original") }
      case "no_mloop":
        var ancestor = slot.parent
        var chain = [k]
        for _ in state.slots.indices where ancestor != noSlot {
          chain.append(Int(clamping: ancestor))
          if ancestor == UInt64(k) {
            failing.append(
              "no_mloop: slot \(k) is its own ancestor (\(chain.map(String.init).joined(separator: " → ")))")
            break
          }
          ancestor = state.lookup(ancestor).parent
        }
      case "ut_revocable", "irq_revocable":
        let tag: TwinCapTag = name == "ut_revocable" ? .untyped : .irqControl
        if slot.cap.tag == tag.rawValue && slot.original == 0 {
          failing.append(
            "\(name): slot \(k) holds \(tag == .untyped ? "an untyped" : "the IRQControl") cap but is not original")
        }
      case "valid_caps":
        if !slot.cap.isWellFormed {
          failing.append("valid_caps: slot \(k)'s cap \(describe(slot.cap)) is not well formed")
        }
      case "if_unsafe_then_cap":
        // An IRQ node slot is named by a handler cap of its line (`TwinState.ifUnsafeThenCap`).
        let ref = state.slotRefs[k]
        let named =
          ref.container == IRQConstants.irqNodePtr
          ? state.slots.contains { $0.cap.tag == TwinCapTag.irqHandler.rawValue && $0.cap.ref == ref.index }
          : state.slots.contains {
            ($0.cap.tag == TwinCapTag.cnode.rawValue || $0.cap.tag == TwinCapTag.thread.rawValue)
              && $0.cap.ref == ref.container
          }
        if filled && !named { failing.append("if_unsafe_then_cap: slot \(k) is filled but no cap names its CNode") }
      default:
        break
      }
    }
    return failing.sorted { $0.count < $1.count }
  }

  // MARK: - Reading it

  /// A cap in words a reader knows: the `expect slot` syntax of scenarios.
  public static func describe(_ cap: TwinCap<UInt64>) -> String {
    guard let capability = cap.capability else { return "unknown tag \(cap.tag)" }
    switch capability {
    case .null: return "null"
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      return "untyped(0x\(String(base, radix: 16))) size \(sizeBits) free \(freeIndex)\(isDevice ? " device true" : "")"
    case .endpoint(let r, let badge, let rights):
      return "endpoint(0x\(String(r, radix: 16))) rights \(letters(rights)) badge \(badge)"
    case .notification(let r, let badge, let rights):
      return "notification(0x\(String(r, radix: 16))) rights \(letters(rights)) badge \(badge)"
    case .cnode(let r, let radix, let guardSize, let guardBits):
      return "cnode(0x\(String(r, radix: 16))) radix \(radix) guardSize \(guardSize) guard \(guardBits)"
    default: return "\(capability)"
    }
  }

  /// Rights as scenario letters (`RWGP`, or `none`).
  static func letters(_ rights: CapRights) -> String {
    let text = [(CapRights.read, "R"), (.write, "W"), (.grant, "G"), (.grantReply, "P")]
      .filter { rights.contains($0.0) }.map(\.1).joined()
    return text.isEmpty ? "none" : text
  }

  /// The slot id `id` in words.
  static func slotName(_ id: UInt64) -> String { id == noSlot ? "a slot outside the shape" : "slot \(id)" }

  /// The pre-state, the event and what it did, readable.
  public func report(planting mutant: TwinEventMutant? = nil) -> String {
    var lines = ["counterexample to \(obligation) (\(shape)):", "  pre-state:"]
    for (k, slot) in slots.enumerated() {
      let parent = slot.parent == noSlot ? "no parent" : "parent slot \(slot.parent)"
      lines.append("    slot \(k): \(Self.describe(slot.cap)), \(parent)\(slot.original != 0 ? ", original" : "")")
    }
    let arguments =
      zip(event.registers, registers).map { "\($0) = 0x\(String($1, radix: 16))" }
      + zip(event.extraCaps, extraCapSlots).map { "\($0) = \(Self.slotName($1))" }
    lines.append(
      "  event: CNode \(event.name) invoking \(Self.slotName(invoked)), \(arguments.joined(separator: ", "))")
    let (post, outcome) = run(planting: mutant)
    lines.append("  outcome\(mutant.map { " with \($0.rawValue) planted" } ?? ""): \(Self.outcomeName(outcome))")
    let failing = Self.failingClauses(conjunct, post)
    lines.append(
      failing.first.map { "  smallest failing clause: \($0)" } ?? "  \(conjunct) holds on the decoded post-state")
    return lines.joined(separator: "\n")
  }

  /// The outcome in a scenario's `->` words (the code only, any payload).
  static func outcomeName(_ outcome: TwinInvocationOutcome<UInt64>) -> String {
    switch outcome {
    case .uncovered: return "notModelled"
    case .done: return "NoError"
    case .failed(let error):
      switch error {
      case .illegalOperation: return "IllegalOperation"
      case .rangeError: return "RangeError"
      case .failedLookup: return "FailedLookup"
      case .truncatedMessage: return "TruncatedMessage"
      case .deleteFirst: return "DeleteFirst"
      case .revokeFirst: return "RevokeFirst"
      }
    }
  }
}

// MARK: - A family of states capDL can build

extension AbstractCounterexample {
  /// Where the scenario's untyped region and endpoint sit in the constructible family (their
  /// addresses in the model; the scenario names them `u` and `e`, and the loader places them).
  public static let untypedBase: UInt64 = 0x10_0000
  public static let untypedSizeBits: UInt64 = 12
  public static let endpointRef: UInt64 = 0x20_0000
  /// The guard size of every CNode cap of the family: with radix 2 a walk of depth 64 resolves in
  /// one level, as the event obligations' walks do.
  public static let guardSize: UInt64 = 62
}

extension Obligation {
  /// `obligation` (an event obligation) with hypotheses that keep its counterexamples inside a
  /// family of pre-states a capDL system builds as the scenario writes it: slots hold Null, one
  /// untyped cap (`u`, 12 bits, nothing retyped, no CDT links), the IRQControl cap (no links),
  /// endpoint caps to one endpoint `e` (an unbadged original root, badged originals under it,
  /// non-original copies under an original of their badge) and CNode caps to the shape's CNode
  /// (guard 0 of 62 bits; one original root, copies under it), every unused word 0; the extra caps
  /// are CNode caps or outside the shape; depths are 64, indices name the shape's slots, rights
  /// and data words are small. A model found under them is a counterexample of the obligation too.
  public static func constructible(_ obligation: Obligation, shape: AbstractShape = .default) -> Obligation {
    Obligation(
      obligation.name + ".constructible", obligation.statement + "; the pre-state one capDL can build",
      logic: obligation.logic, bound: obligation.bound
    ) { scope in
      let goal = obligation.build(scope)
      let words = Dictionary(scope.variables.map { ($0.name, SymbolicWord.term($0.term)) }) { first, _ in first }
      func word(_ name: String) -> SymbolicWord { words[name] ?? .known(0) }
      let state = TwinState(domain: PathDomain(), slotRefs: shape.slotRefs) { word("pre.\($0)") }
      scope.assume(constructibleState(state))
      let none = SymbolicWord(constant: noSlot)
      for name in ["arg.srcRoot", "arg.pivotRoot"] where words[name] != nil {
        scope.assume((word(name) .== none) .|| state.lookup(word(name)).cap.is(.cnode))
      }
      for (name, value) in words where name.hasPrefix("arg.") {
        if name.hasSuffix("Depth") { scope.assume(value .== 64) }
        if name.hasSuffix("Index") { scope.assume(value .< SymbolicWord(constant: UInt64(shape.slotRefs.count))) }
        if name.hasSuffix("rights") { scope.assume(value .<= 15) }
        if name.hasSuffix("data") || name.hasSuffix("Data") { scope.assume(value .<= 0xFFFF) }
      }
      return goal
    }
  }

  /// The hypotheses on the pre-state behind `constructible`.
  static func constructibleState(_ state: TwinState<PathDomain>) -> SymbolicBool {
    typealias W = SymbolicWord
    let none = W(constant: noSlot)
    let zero = W(constant: 0)
    var all: [SymbolicBool] = []
    func unbadgedRoot(_ slot: TwinSlot<W>) -> SymbolicBool {
      slot.cap.is(.endpoint) .&& (slot.cap.w1 .== zero) .&& (slot.original .== 1)
    }
    func originalCNode(_ slot: TwinSlot<W>) -> SymbolicBool { slot.cap.is(.cnode) .&& (slot.original .== 1) }
    for slot in state.slots {
      let c = slot.cap
      let parent = state.lookup(slot.parent)
      let kinds = c.is(.null) .|| c.is(.untyped) .|| c.is(.endpoint) .|| c.is(.cnode) .|| c.is(.irqControl)
      let null = c.is(.null) .=> ((c.ref .== zero) .&& (c.w1 .== zero) .&& (c.w2 .== zero) .&& (c.w3 .== zero))
      let irq =
        c.is(.irqControl)
        .=> ((c.ref .== zero) .&& (c.w1 .== zero) .&& (c.w2 .== zero) .&& (c.w3 .== zero) .&& (slot.parent .== none))
      let untyped =
        c.is(.untyped)
        .=> ((c.ref .== W(constant: AbstractCounterexample.untypedBase))
          .&& (c.w1 .== W(constant: AbstractCounterexample.untypedSizeBits)) .&& (c.w2 .== zero)
          .&& (c.w3 .== zero) .&& (slot.parent .== none))
      let endpointWords =
        (c.ref .== W(constant: AbstractCounterexample.endpointRef)) .&& (c.w2 .>= 1) .&& (c.w2 .<= 15)
        .&& (c.w1 .<= 0xFFFF) .&& (c.w3 .== zero)
      let endpointPlace =
        ((slot.original .== 1) .&& (c.w1 .== zero) .&& (slot.parent .== none))
        .|| ((slot.original .== 1) .&& (c.w1 .!= zero) .&& unbadgedRoot(parent))
        .|| ((slot.original .== zero) .&& parent.cap.is(.endpoint) .&& (parent.original .== 1)
          .&& (parent.cap.w1 .== c.w1))
      let endpoint = c.is(.endpoint) .=> (endpointWords .&& endpointPlace)
      let cnodePlace =
        ((slot.original .== 1) .&& (slot.parent .== none)) .|| ((slot.original .== zero) .&& originalCNode(parent))
      let cnode =
        c.is(.cnode)
        .=> ((c.w2 .== W(constant: AbstractCounterexample.guardSize)) .&& (c.w3 .== zero) .&& cnodePlace)
      all += [kinds, null, irq, untyped, endpoint, cnode]
    }
    // At most one untyped cap, one IRQControl cap, one unbadged endpoint root, one CNode root.
    for j in state.slots.indices {
      for k in state.slots.indices where k > j {
        let (a, b) = (state.slots[j], state.slots[k])
        all.append(.!(a.cap.is(.untyped) .&& b.cap.is(.untyped)))
        all.append(.!(a.cap.is(.irqControl) .&& b.cap.is(.irqControl)))
        all.append(.!(unbadgedRoot(a) .&& unbadgedRoot(b)))
        all.append(.!(originalCNode(a) .&& originalCNode(b)))
      }
    }
    return all.reduce(.known(true)) { $0 .&& $1 }
  }
}

// MARK: - The scenario

extension AbstractCounterexample {
  /// Whether the pre-state lies in the family `Obligation.constructible` describes (so that the
  /// scenario builds it exactly, up to the objects' addresses).
  public var isConstructible: Bool {
    let state = TwinState(domain: PathDomain(), slotRefs: shape.slotRefs) { name in
      let k = Int(name.dropFirst().prefix { $0 != "." }) ?? 0
      let field = name.split(separator: ".").last.map(String.init) ?? ""
      let slot = slots[k]
      let value: UInt64 =
        switch field {
        case "tag": slot.cap.tag
        case "ref": slot.cap.ref
        case "w1": slot.cap.w1
        case "w2": slot.cap.w2
        case "w3": slot.cap.w3
        case "parent": slot.parent
        default: slot.original
        }
      return SymbolicWord(constant: value)
    }
    if case .known(true) = Obligation.constructibleState(state) { return true }
    return false
  }

  /// The scenario script (`refine-check run` syntax) that replays this counterexample: a capDL
  /// system whose CNode `shape` (2 bits) holds the pre-state's caps, CDT links and (as the loader
  /// derives them) original flags, and a thread `t` whose CSpace root `top` (4 bits) holds the
  /// invoked cap in slot 5 and the extra caps in slots 6 and 7; the event; the outcome and the
  /// post-state facts of the correct run (every slot of `shape` where the run with `mutant` planted
  /// differs from it). `first`, when given and not this one, is Z3's first counterexample, which
  /// the header quotes as the one the system does not build. Nil when the pre-state is outside
  /// the constructible family.
  public func scenario(planting mutant: TwinEventMutant?, first: AbstractCounterexample? = nil) -> String? {
    guard isConstructible else { return nil }
    let (post, outcome) = run()
    let mutated = run(planting: mutant).post
    var lines = [
      "-- Written by `refine-check prove --counterexamples` from Z3's counterexample to",
      "-- \(obligation) (\(shape)).",
    ]
    lines += report(planting: mutant).split(separator: "\n").map { "-- " + $0 }
    if let first,
      first.slots != slots || first.registers != registers || first.invoked != invoked
        || first.extraCapSlots != extraCapSlots
    {
      lines.append("-- Z3's first counterexample is not a state this capDL builds (or not one the family below")
      lines.append("-- allows); the one above was found under `Obligation.constructible`. The first:")
      lines += first.report(planting: mutant).split(separator: "\n").map { "--   " + $0 }
    }
    lines += [
      "-- The addresses of `u`, `e` and `shape` are the loader's; the model's are 0x\(String(Self.untypedBase, radix: 16)), 0x\(String(Self.endpointRef, radix: 16)), 0x\(String(shape.slotRefs.first?.container ?? 0, radix: 16)).",
      "-- Beyond the shape: `top`, the thread, its scheduling context, and copies of the CNode caps the",
      "-- event invokes (children of the shape's original CNode cap), which no clause reads.",
      "system {",
      "  arch aarch64",
      "  objects {",
      "    t = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 10, max_prio: 10, affinity: 0)",
      "    t_sc = sc (period: 1000, budget: 1000)",
      "    top = cnode (4 bits)",
      "    shape = cnode (2 bits)",
    ]
    let caps = slots.map(\.cap)
    if caps.contains(where: { $0.tag == TwinCapTag.endpoint.rawValue }) { lines.append("    e = ep") }
    if caps.contains(where: { $0.tag == TwinCapTag.untyped.rawValue }) {
      lines.append("    u = ut (\(Self.untypedSizeBits) bits) {}")
    }
    lines += ["  }", "  caps {", "    top {", "      1: t", "      2: top (guard: 0, guard_size: 60)", "      3: t_sc"]
    let topCaps = [(5, invoked)] + zip([6, 7], extraCapSlots).map { ($0, $1) }
    for (topSlot, id) in topCaps where id < UInt64(slots.count) {
      if let text = Self.capDL(slots[Int(id)].cap) { lines.append("      \(topSlot): \(text)") }
    }
    lines += ["    }", "    shape {"]
    for (k, cap) in caps.enumerated() {
      if let text = Self.capDL(cap) { lines.append("      \(k): \(text)") }
    }
    lines += [
      "    }", "    t { cspace: top (guard: 0, guard_size: 60); sc_slot: t_sc }", "  }", "  cdt {",
      "    (top, 2) { (t, 0) }",
    ]
    for (k, slot) in slots.enumerated() {
      let children = slots.indices.filter { slots[$0].parent == UInt64(k) }.map { "(shape, \($0))" }
      var all = children
      if slot.cap.tag == TwinCapTag.cnode.rawValue && slot.original != 0 {
        all += topCaps.filter { $0.1 < UInt64(slots.count) && slots[Int($0.1)].cap.tag == TwinCapTag.cnode.rawValue }
          .map { "(top, \($0.0))" }
      }
      if !all.isEmpty { lines.append("    (shape, \(k)) { \(all.joined(separator: " ")) }") }
    }
    lines += ["  }", "}", "expect current == t"]
    // The pre-state, as the loader built it.
    for (k, slot) in slots.enumerated() { lines += Self.expectations(k, slot) }
    lines.append("t: \(invocation) -> \(Self.outcomeName(outcome))")
    lines.append("-- The correct post-state where the slipped run differs from it:")
    let differing = post.slots.indices.filter { post.slots[$0] != mutated.slots[$0] }
    for k in differing { lines += Self.expectations(k, post.slots[k]) }
    if differing.isEmpty { lines.append("-- (none: the slip shows in the outcome or the invariant check)") }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The event as a scenario step (libsel4's argument order; `top` slot 5 is the service). Rotate's
  /// `dest_badge` (MR2) is the data of the cap that leaves the pivot for the destination, which the
  /// twin calls `pivotData`; `pivot_badge` (MR5) that of the source's cap, `srcData`.
  var invocation: String {
    func r(_ name: String) -> String {
      guard let i = event.registers.firstIndex(of: name) else { return "0" }
      return "0x" + String(registers[i], radix: 16)
    }
    func root(_ name: String) -> String {
      guard let i = event.extraCaps.firstIndex(of: name) else { return "0" }
      return extraCapSlots[i] < UInt64(slots.count) ? "slot(top, \(6 + i))" : "0"
    }
    let service = "slot(top, 5)"
    switch event.label {
    case .cnodeCopy:
      return "CNode_Copy(\(service), \(r("destIndex")), 64, \(root("srcRoot")), \(r("srcIndex")), 64, \(r("rights")))"
    case .cnodeMint:
      return
        "CNode_Mint(\(service), \(r("destIndex")), 64, \(root("srcRoot")), \(r("srcIndex")), 64, \(r("rights")), \(r("data")))"
    case .cnodeMove:
      return "CNode_Move(\(service), \(r("destIndex")), 64, \(root("srcRoot")), \(r("srcIndex")), 64)"
    case .cnodeMutate:
      return "CNode_Mutate(\(service), \(r("destIndex")), 64, \(root("srcRoot")), \(r("srcIndex")), 64, \(r("data")))"
    case .cnodeRotate:
      return
        "CNode_Rotate(\(service), \(r("destIndex")), 64, \(r("pivotData")), \(root("pivotRoot")), \(r("pivotIndex")), 64, \(r("srcData")), \(root("srcRoot")), \(r("srcIndex")), 64)"
    default:
      return "CNode_Delete(\(service), \(r("destIndex")), 64)"
    }
  }

  /// A cap of the family in capDL (nil for Null).
  static func capDL(_ cap: TwinCap<UInt64>) -> String? {
    switch TwinCapTag(rawValue: cap.tag) {
    case .untyped?: return "u"
    case .irqControl?: return "irq_control"
    case .endpoint?:
      let rights = letters(CapRights(rawValue: cap.w2))
      return "e (\(rights == "none" ? "" : rights)\(cap.w1 == 0 ? "" : ", badge: \(cap.w1)"))"
    case .cnode?: return "shape (guard: \(cap.w3), guard_size: \(cap.w2))"
    default: return nil
    }
  }

  /// `expect` lines for slot `k` of `shape` holding `slot`.
  static func expectations(_ k: Int, _ slot: TwinSlot<UInt64>) -> [String] {
    let place = "slot(shape, \(k))"
    let cap: String
    switch TwinCapTag(rawValue: slot.cap.tag) {
    case .untyped?: cap = "untyped(u)"
    case .irqControl?: cap = "irqControl"
    case .endpoint?:
      cap = "endpoint(e) rights \(letters(CapRights(rawValue: slot.cap.w2))) badge \(slot.cap.w1)"
    case .cnode?: cap = "cnode(shape) guard \(slot.cap.w3) guardSize \(slot.cap.w2) radix \(slot.cap.w1)"
    default: cap = "null"
    }
    return [
      "expect \(place) == \(cap)",
      "expect parent(\(place)) == \(slot.parent == noSlot ? "none" : "slot(shape, \(slot.parent))")",
      "expect original(\(place)) == \(slot.original != 0)",
    ]
  }
}

// Does the booted state equal the loader's direct construction?
//
// Campaigns, `explore` and `authority` start a capDL system from the loader's direct
// construction (`AbstractState(plan:)` of the loaded plan): every object in place, every cap in
// its slot, with no system call. Issue 17 asks that the initial state of every campaign be the
// booted state, or a state shown equal to it. This check compares the two abstract states through
// the boot's object map (described address → booted address, untyped regions by their booted
// base; the caps the construction keeps in the initialiser's CSpace → the root task's own) and
// names every difference, split in two:
// - explained: what no call of the initialiser can do, each for a stated reason naming the
//   construct: a thread's CSpace root (TCB_SetSpace and TCB_Configure need a VSpace root cap,
//   which no layer models), the root task's own objects (the direct construction has no root
//   task), what is retyped from the root task's memory, `cur_sc` (no layer runs
//   `switchSchedContext`), a thread the description starts blocked in Recv (its own start-up
//   code does that after the boot), a derivation tree the description states that no initialiser
//   can make, and what no layer or modelled invocation reaches (objects no layer models, IRQ
//   objects, domains);
// - differences: everything else. Each is a finding: the direct construction and the boot
//   disagree on something both can express. `Tests/BootTests` requires none on every system the
//   tests use (docs/capdl.md, "The booted state against the direct construction").

public import AbstractSpec
import CapDL
import KernelABI

/// The comparison of the booted abstract state with the loader's direct construction.
public struct DirectConstructionComparison: Hashable, Sendable, Codable {
  /// Differences with no reason the boot states: each a finding.
  public var differences: [String]
  /// Differences the boot cannot avoid today, each with its reason.
  public var explained: [String]

  public init(differences: [String], explained: [String]) {
    self.differences = differences
    self.explained = explained
  }

  /// True iff every difference is explained.
  public var matches: Bool { differences.isEmpty }
}

extension Boot {
  /// `cap` in the booted state's names: objects through `map`, untypeds through `regions`; nil
  /// when the object it names was not created.
  static func rename(
    _ cap: Capability, map: [ObjectRef: ObjectRef], regions: [UntypedRegion: UInt64]
  ) -> Capability? {
    switch cap {
    case .endpoint(let r, let b, let rights): map[r].map { .endpoint($0, badge: b, rights: rights) }
    case .notification(let r, let b, let rights): map[r].map { .notification($0, badge: b, rights: rights) }
    case .reply(let r, let g): map[r].map { .reply($0, canGrant: g) }
    case .thread(let r): map[r].map { .thread($0) }
    case .cnode(let r, let radix, let size, let guardValue):
      map[r].map { .cnode($0, radix: radix, guardSize: size, guard: guardValue) }
    case .schedContext(let r, let bits): map[r].map { .schedContext($0, sizeBits: bits) }
    case .untyped(let base, let bits, let device, let free):
      regions[UntypedRegion(base: base, sizeBits: bits)].map {
        .untyped(base: $0, sizeBits: bits, isDevice: device, freeIndex: free)
      }
    case .null, .irqControl, .irqHandler, .schedControl, .domain: cap
    }
  }

  /// Why a thread the description starts blocked in Recv (`recv_ep`, `recv_reply`: this package's
  /// extension for a passive server after its start-up) differs: it gets there by its own Recv,
  /// run on a scheduling context it then gives up, user code after the initialiser; no call of
  /// the initialiser makes a thread wait.
  static let startsInRecv =
    " (recv_ep: the description starts it blocked in Recv, which its own start-up code does after the boot; "
    + "no initialiser call makes a thread wait)"

  /// Why a derivation link or original flag of an object whose tree the description states
  /// (`cdt`, `child_of`) differs: the loader builds the tree as stated, but the initialiser can
  /// only move retype's cap (all rights, no badge) to an original, so an original with fewer
  /// rights or a badge of its own is a mint or copy of retype's cap, which it keeps.
  static let statedTree =
    " (the description's cdt states this tree, and no initialiser can make it: its original has fewer rights than "
    + "retype gives, or a badge)"

  /// Why an IRQ node slot differs: the direct construction binds the plan's IRQ notifications
  /// (`SystemPlan.irqNotifications`), and the boot issues no IRQControl_Get, so no
  /// IRQHandler_SetNotification either.
  static let irqBinding =
    " (the IRQ's notification: the boot issues no IRQControl_Get, so no IRQHandler_SetNotification binds it)"

  /// Compares `booted` (the abstract state after the boot) with the loader's direct construction
  /// of the same description, through the boot's object map.
  /// - Parameter direct: tests only: a construction to compare instead of `AbstractState(plan:)`
  ///   (one with a planted slip, which the comparison must name).
  public func directConstructionComparison(booted: AbstractState, direct: AbstractState? = nil)
    -> DirectConstructionComparison
  {
    let plan = loaded.plan
    let direct = direct ?? AbstractState(plan: plan)
    let skip = loaded.initialiserCSpace
    var map = objectMap(in: booted)
    // The idle thread and its scheduling context are at the same place in both.
    map[direct.idleThread] = booted.idleThread
    map[direct.idleSC] = booted.idleSC
    map[IRQConstants.irqNodePtr] = IRQConstants.irqNodePtr
    let regions = untypedMap(in: booted, objects: map)
    let inverse = Dictionary(map.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
    var differences: [String] = []
    var explained: [String] = []
    func name(_ r: ObjectRef) -> String {
      r == direct.idleThread ? "the idle thread" : r == direct.idleSC ? "the idle SC" : "'\(plan.name(of: r))'"
    }
    func at(_ r: ObjectRef) -> String { loaded.location(object: r, slot: nil).map { $0 + ": " } ?? "" }
    func renamed(_ r: ObjectRef?) -> ObjectRef? { r.flatMap { map[$0] } }
    func text(_ cap: Capability?) -> String { cap.map { "\($0)" } ?? "nothing" }
    let rootObjects: Set<ObjectRef> = [rootCNode, rootTCB, rootSC]

    // Objects, field by field.
    for (r, object) in direct.kheap.sorted(by: { $0.key < $1.key }) where r != skip {
      guard let b = map[r], let found = booted.kheap[b] else {
        switch object {
        case .opaque(let kind, _):
          explained.append("\(at(r))object \(name(r)) (\(kind)) is not created: no layer models it")
        case .cnode(let c) where c.radix == 0:
          explained.append("\(at(r))object \(name(r)) (an IRQ object) is not created: IRQControl_Get is not modelled")
        default:
          differences.append("\(at(r))object \(name(r)) is in the direct construction but was not booted")
        }
        continue
      }
      func slots(_ mine: CapSlots, _ theirs: CapSlots, isTCB: Bool) {
        let indices = Set(mine.keys).union(theirs.keys).sorted()
        for i in indices {
          let want = mine[i].map { Boot.rename($0, map: map, regions: regions) ?? $0 }
          let got = theirs[i]
          guard want != got else { continue }
          let line = "\(at(r))slot \(i) of \(name(r)) holds \(text(got)) booted, \(text(want)) constructed"
          if got == nil, case .irqHandler? = want {
            explained.append(line + " (an IRQ handler cap: IRQControl_Get is not modelled)")
          } else if got == nil, r == IRQConstants.irqNodePtr {
            explained.append(line + Boot.irqBinding)
          } else if isTCB, i == TCBSlot.cspace.rawValue {
            explained.append(line + " (the CSpace root: TCB_SetSpace and TCB_Configure need a VSpace root cap)")
          } else if isTCB, i == TCBSlot.vspace.rawValue {
            explained.append(line + " (the VSpace root: no layer models a VSpace root object)")
          } else {
            differences.append(line)
          }
        }
      }
      switch (object, found) {
      case (.tcb(let mine), .tcb(let theirs)):
        var fields: [(String, String, String)] = []
        if mine.state != theirs.state {
          if case .blockedOnReceive = mine.state, plan.thread(at: r)?.receive != nil {
            explained.append(
              "\(at(r))thread \(name(r)): state is \(theirs.state) booted, \(mine.state) constructed"
                + Boot.startsInRecv)
          } else {
            fields.append(("state", "\(theirs.state)", "\(mine.state)"))
          }
        }
        if mine.priority != theirs.priority { fields.append(("priority", "\(theirs.priority)", "\(mine.priority)")) }
        if mine.maxControlledPriority != theirs.maxControlledPriority {
          fields.append(("MCP", "\(theirs.maxControlledPriority)", "\(mine.maxControlledPriority)"))
        }
        if renamed(mine.schedContext) != theirs.schedContext {
          fields.append(("scheduling context", "\(theirs.schedContext.map { "\($0)" } ?? "none")", "described"))
        }
        if renamed(mine.boundNotification) != theirs.boundNotification {
          fields.append(("bound notification", "\(theirs.boundNotification.map { "\($0)" } ?? "none")", "described"))
        }
        if mine.context != theirs.context { fields.append(("registers", "\(theirs.context)", "\(mine.context)")) }
        if mine.flags != theirs.flags { fields.append(("flags", "\(theirs.flags)", "\(mine.flags)")) }
        if mine.fault != theirs.fault {
          fields.append(("fault", "\(String(describing: theirs.fault))", "\(String(describing: mine.fault))"))
        }
        for (field, got, want) in fields {
          differences.append("\(at(r))thread \(name(r)): \(field) is \(got) booted, \(want) constructed")
        }
        if mine.domain != theirs.domain {
          explained.append(
            "\(at(r))thread \(name(r)): domain \(theirs.domain) booted, \(mine.domain) constructed "
              + "(DomainSet_Set is not modelled)")
        }
        slots(mine.slots, theirs.slots, isTCB: true)
      case (.cnode(let mine), .cnode(let theirs)):
        if mine.radix != theirs.radix {
          differences.append("\(at(r))CNode \(name(r)): radix \(theirs.radix) booted, \(mine.radix) constructed")
        }
        slots(mine.slots, theirs.slots, isTCB: false)
      case (.notification(let mine), .notification(let theirs)):
        let state: NotificationState =
          switch mine.state {
          case .waiting(let q): .waiting(q.compactMap { map[$0] })
          case .idle, .active: mine.state
          }
        if state != theirs.state || renamed(mine.boundTCB) != theirs.boundTCB {
          differences.append(
            "\(at(r))notification \(name(r)): \(theirs) booted, \(mine) constructed (before renaming)")
        }
      case (.schedContext(let mine), .schedContext(let theirs)):
        if mine.sizeBits != theirs.sizeBits || renamed(mine.tcb) != theirs.tcb || mine.consumed != theirs.consumed
          || renamed(mine.yieldFrom) != theirs.yieldFrom || mine.replies.compactMap({ map[$0] }) != theirs.replies
        {
          differences.append(
            "\(at(r))scheduling context \(name(r)): \(theirs) booted, \(mine) constructed (before renaming)")
        }
        if mine.refillMax != theirs.refillMax || mine.period != theirs.period || mine.refills != theirs.refills
          || mine.badge != theirs.badge || mine.sporadic != theirs.sporadic
        {
          differences.append(
            "\(at(r))scheduling context \(name(r)): period \(theirs.period), \(theirs.refillMax) refills "
              + "\(theirs.refills) booted; period \(mine.period), \(mine.refillMax) refills \(mine.refills) constructed"
          )
        }
      case (.endpoint(let mine), .endpoint(let theirs)):
        let state: EndpointState =
          switch mine.state {
          case .idle: .idle
          case .send(let q): .send(q.compactMap { map[$0] })
          case .recv(let q): .recv(q.compactMap { map[$0] })
          }
        if state != theirs.state {
          let line = "\(at(r))endpoint \(name(r)): \(theirs.state) booted, \(mine.state) constructed (before renaming)"
          if case .recv(let q) = mine.state, q.allSatisfy({ plan.thread(at: $0)?.receive?.endpoint == r }) {
            explained.append(line + Boot.startsInRecv)
          } else {
            differences.append(line)
          }
        }
      case (.reply(let mine), .reply(let theirs)):
        if renamed(mine.tcb) != theirs.tcb || renamed(mine.sc) != theirs.sc {
          let line = "\(at(r))reply \(name(r)): \(theirs) booted, \(mine) constructed (before renaming)"
          if let t = mine.tcb, mine.sc == nil, theirs == Reply(), plan.thread(at: t)?.receive?.reply == r {
            explained.append(line + Boot.startsInRecv)
          } else {
            differences.append(line)
          }
        }
      default:
        differences.append(
          "\(at(r))object \(name(r)) is \(Boot.kindName(found)) booted, \(Boot.kindName(object)) constructed")
      }
    }
    for (b, object) in booted.kheap.sorted(by: { $0.key < $1.key }) where inverse[b] == nil {
      if rootObjects.contains(b) {
        explained.append(
          "the root task's \(Boot.kindName(object)) at 0x\(String(b, radix: 16)) (the initialiser's own; "
            + "the direct construction has no root task)")
      } else {
        differences.append(
          "\(Boot.kindName(object)) at 0x\(String(b, radix: 16)) is in the booted state only")
      }
    }

    // The derivation tree and the original flags, on the slots of described objects.
    func bootedName(_ slot: SlotRef) -> String {
      if slot.container == rootCNode { return "slot \(slot.index) of the root task's CNode" }
      return "slot \(slot.index) of \(inverse[slot.container].map(name) ?? "0x\(String(slot.container, radix: 16))")"
    }
    // A cap the construction keeps in the initialiser's CSpace (`capdl_initialiser_cspace`) is,
    // booted, the root task's own: retype's cap to the object where the boot did not move it, or
    // the root task's SchedControl or domain cap.
    func rootSlot(ofInitialiser slot: SlotRef) -> SlotRef? {
      guard slot.container == skip, let cap = plan.caps[slot] else { return nil }
      switch cap {
      case .schedControl: return SlotRef(rootCNode, Boot.schedControlSlot)
      case .domain: return SlotRef(rootCNode, Boot.domainSlot)
      case .endpoint(_, let badge, _) where badge != 0, .notification(_, let badge, _) where badge != 0:
        // A badged mint the initialiser keeps (a thread's handler cap): the boot's own mint of it.
        let want = Boot.rename(cap, map: map, regions: regions)
        guard case .cnode(let root)? = booted.kheap[rootCNode] else { return nil }
        return root.slots.filter { $0.value == want }.map(\.key).min().map { SlotRef(rootCNode, $0) }
      default:
        guard let r = Boot.object(of: cap), movedTo[r] == nil, let at = productSlot[r] else { return nil }
        return SlotRef(rootCNode, at)
      }
    }
    var wantParent: [SlotRef: SlotRef] = [:]
    for (child, parent) in direct.cdt where child.container != skip {
      guard let c = map[child.container] else { continue }
      wantParent[SlotRef(c, child.index)] =
        map[parent.container].map { SlotRef($0, parent.index) } ?? rootSlot(ofInitialiser: parent) ?? parent
    }
    // Root CNode slots holding untyped memory the root task was given or retyped to step over
    // gaps: what the boot retypes from them is their child, which the direct construction,
    // having no root task, cannot say.
    // So is a described untyped the description gives no cap to: the initialiser keeps its cap.
    let kept = untypedProductSlot.filter { untypedHome[$0.key] == nil }.map(\.value)
    let rootUntypeds = Set(memoryMap.map(\.slot)).union(fillers).union(kept)
    func isCSpaceRoot(_ slot: SlotRef) -> Bool {
      guard case .tcb? = booted.kheap[slot.container] else { return false }
      return slot.index == TCBSlot.cspace.rawValue
    }
    /// Whether the cap the construction puts in booted `slot` names an object whose derivation
    /// tree the description states (`CapDLLoadResult.statedTrees`).
    func statedTree(_ slot: SlotRef) -> Bool {
      guard let cap = inverse[slot.container].flatMap({ direct.kheap[$0]?.capSlots?[slot.index] }),
        let r = Boot.object(of: cap)
      else { return false }
      return loaded.statedTrees.contains(r)
    }
    var children = Set(wantParent.keys)
    for (child, _) in booted.cdt where inverse[child.container] != nil { children.insert(child) }
    for child in children.sorted() {
      let want = wantParent[child]
      let got = booted.cdt[child]
      guard want != got else { continue }
      let line =
        "\(bootedName(child)): parent \(got.map(bootedName) ?? "none") booted, \(want.map(bootedName) ?? "none") constructed"
      let irqHandler: Bool
      if case .irqHandler? = inverse[child.container].flatMap({ direct.kheap[$0]?.capSlots?[child.index] }) {
        irqHandler = booted.getCap(child) == .null
      } else {
        irqHandler = false
      }
      if irqHandler {
        explained.append(line + " (an IRQ handler cap: IRQControl_Get is not modelled)")
      } else if child.container == IRQConstants.irqNodePtr, booted.getCap(child) == .null {
        explained.append(line + Boot.irqBinding)
      } else if isCSpaceRoot(child) {
        explained.append(line + " (the CSpace root: TCB_SetSpace and TCB_Configure need a VSpace root cap)")
      } else if let got, got.container == rootCNode, statedTree(child) {
        explained.append(line + Boot.statedTree)
      } else if let got, got.container == rootCNode, rootUntypeds.contains(got.index), want == nil {
        explained.append(line + " (retyped from the root task's untyped memory, which the direct construction has not)")
      } else if let got, got.container == rootCNode, kept.contains(got.index), let want,
        Boot.isAncestor(want, of: got, bound: booted.cdt.count, parent: { booted.cdt[$0] })
      {
        // A described untyped with no described cap (`example-arm`'s `rm_ut_small[0]`): the
        // initialiser keeps retype's cap to it, between the enclosing untyped's cap (the
        // construction's parent) and what is retyped from it.
        explained.append(
          line + " (retyped from a described untyped the description gives no cap to: the initialiser keeps "
            + "that cap, below the constructed parent, and the direct construction has not)")
      } else if let got, got.container == rootCNode {
        differences.append(line + " (the boot derived it from the initialiser's cap)")
      } else {
        differences.append(line)
      }
    }
    var originals: Set<SlotRef> = []
    for slot in direct.isOriginalCap where slot.container != skip {
      if let c = map[slot.container] { originals.insert(SlotRef(c, slot.index)) }
    }
    var bootedOriginals: Set<SlotRef> = []
    for slot in booted.isOriginalCap where inverse[slot.container] != nil { bootedOriginals.insert(slot) }
    for slot in originals.symmetricDifference(bootedOriginals).sorted() {
      let line =
        "\(bootedName(slot)) is \(bootedOriginals.contains(slot) ? "original" : "not original") booted, "
        + "\(originals.contains(slot) ? "original" : "not original") constructed"
      if isCSpaceRoot(slot) {
        explained.append(line + " (the CSpace root: TCB_SetSpace and TCB_Configure need a VSpace root cap)")
      } else if case .irqHandler? = inverse[slot.container].flatMap({ direct.kheap[$0]?.capSlots?[slot.index] }),
        booted.getCap(slot) == .null
      {
        explained.append(line + " (an IRQ handler cap: IRQControl_Get is not modelled)")
      } else if originals.contains(slot), statedTree(slot) {
        explained.append(line + Boot.statedTree)
      } else {
        differences.append(line)
      }
    }

    // The scheduler.
    func threadName(_ t: ObjectRef) -> String {
      t == rootTCB ? "the root task" : inverse[t].map(name) ?? "0x\(String(t, radix: 16))"
    }
    if booted.currentThread != renamed(direct.currentThread) {
      differences.append(
        "the current thread is \(threadName(booted.currentThread)) booted, \(name(direct.currentThread)) constructed")
    }
    if booted.curSC != renamed(direct.curSC) {
      let line =
        "cur_sc is \(booted.curSC == rootSC ? "the root task's" : threadName(booted.curSC)) booted, "
        + "\(name(direct.curSC)) constructed"
      if booted.curSC == rootSC {
        // `schedule` ends with `switchSchedContext` (seL4:src/kernel/thread.c), which would make the
        // first thread's scheduling context current when the root task suspends itself.
        explained.append(line + " (switchSchedContext is not modelled: docs/time.md)")
      } else {
        differences.append(line)
      }
    }
    if booted.releaseQueue != direct.releaseQueue.compactMap({ map[$0] }) {
      differences.append(
        "the release queue is \(booted.releaseQueue.map(threadName)) booted, "
          + "\(direct.releaseQueue.map(name)) constructed")
    }
    if booted.curDomain != direct.curDomain || booted.curTime != direct.curTime
      || booted.consumedTime != direct.consumedTime
    {
      differences.append(
        "the domain, time and consumed time are \(booted.curDomain), \(booted.curTime), \(booted.consumedTime) "
          + "booted, \(direct.curDomain), \(direct.curTime), \(direct.consumedTime) constructed")
    }
    var wantQueues: [ReadyQueueIndex: [ObjectRef]] = [:]
    for (index, queue) in direct.readyQueues { wantQueues[index] = queue.compactMap { map[$0] } }
    let indices = Set(wantQueues.keys).union(booted.readyQueues.keys).sorted()
    for index in indices where wantQueues[index] ?? [] != booted.readyQueues[index] ?? [] {
      let show = { (q: [ObjectRef]) in q.map { inverse[$0].map(name) ?? "0x\(String($0, radix: 16))" } }
      differences.append(
        "ready queue \(index): \(show(booted.readyQueues[index] ?? [])) booted, "
          + "\(show(wantQueues[index] ?? [])) constructed")
    }
    if booted.schedulerAction != direct.schedulerAction {
      differences.append(
        "the scheduler action is \(booted.schedulerAction) booted, \(direct.schedulerAction) constructed")
    }
    return DirectConstructionComparison(differences: differences, explained: explained)
  }
}

extension Boot {
  /// Whether `ancestor` is a strict ancestor of `slot` in the derivation tree given by `parent`
  /// (of at most `bound` links).
  static func isAncestor(_ ancestor: SlotRef, of slot: SlotRef, bound: Int, parent: (SlotRef) -> SlotRef?) -> Bool {
    var at = parent(slot)
    var steps = 0
    while let s = at, steps <= bound {
      if s == ancestor { return true }
      at = parent(s)
      steps += 1
    }
    return false
  }
}

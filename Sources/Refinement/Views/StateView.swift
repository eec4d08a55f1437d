// One face for the three layers' states: the explorer's inspection commands, the trace report's
// state dumps and the HTML page all read a layer through a `StateView`, and write it with the
// describer (`StateView+Text.swift`), so all three say the same thing the same way.
//
// The abstract spec is read as it is (`kheap`, `cdt`, `is_original_cap`); the executable spec
// with its MDB nodes, and its derivation tree as R2 reads the MDB list; the kernel by decoding its
// memory slot by slot (the kernel's own readers: `capability(at:)`, `mdbNode(at:)`,
// `threadState(of:)`), with the address and the words of every CTE. Nothing here changes a state.
//
// A view holds only the slots that are not empty: a CNode of 2^20 slots costs what it holds, not
// a million entries per command. Any one slot, empty or not, is still there to look up.

public import AbstractSpec
public import Bitwise
public import ExecutableSpec
public import Kernel
public import KernelABI

/// An MDB node as a slot list (executable spec and kernel).
public struct MDBView: Hashable, Sendable {
  public var prev: SlotRef?
  public var next: SlotRef?
  public var revocable: Bool
  public var firstBadged: Bool
}

/// One slot of a CNode or TCB.
public struct SlotView: Hashable, Sendable {
  public var index: UInt64
  public var cap: Capability
  public var mdb: MDBView?
  /// The CTE's address (kernel only).
  public var cteAddress: UInt64?
  /// The CTE's four words as memory holds them: cap word 0 and 1, MDB word 0 and 1 (kernel only).
  public var words: [UInt64]?
  /// The kernel's words did not decode.
  public var undecodable = false
}

/// A thread's fields.
public struct ThreadView: Hashable, Sendable {
  public var state: String
  public var priority: UInt64
  public var maxControlledPriority: UInt64
  /// The user context: the message-info and badge registers, and the message registers up to the
  /// last non-zero one.
  public var msgInfoRegister: UInt64 = 0
  public var badgeRegister: UInt64 = 0
  public var msgRegisters: [UInt64] = []
  /// The other registers, X6 up to TPIDRRO_EL0 (`Register.otherRegisterIndex`), up to the last
  /// non-zero one (`UserContext.registers`).
  public var registers: [UInt64] = []
  /// `tcbFlags`.
  public var flags: UInt64 = 0
  public var domain: UInt64 = 0
  /// The bound scheduling context.
  public var schedContext: ObjectRef? = nil
  /// The scheduling context it runs on and whether it is its own or donated (`StateView`
  /// fills it in from the scheduling context's call stack).
  public var schedContextUse: SchedContextUse = .none
  /// `tcbQueued` (the executable spec and the kernel; the abstract spec has no flag).
  public var queued: Bool? = nil
  /// The bound notification.
  public var boundNotification: ObjectRef? = nil
}

/// A notification's fields.
public struct NotificationView: Hashable, Sendable {
  /// `idle`, `waiting` or `active`.
  public var state: String
  /// The badge word, when active.
  public var word: UInt64?
  /// The waiting threads, head first.
  public var queue: [ObjectRef]
  /// The bound thread.
  public var boundTCB: ObjectRef?

  /// The view of an abstract notification (the lower layers' are abstracted first: R2 keeps
  /// every field).
  init(_ n: AbstractSpec.Notification) {
    switch n.state {
    case .idle: (state, word, queue) = ("idle", nil, [])
    case .waiting(let q): (state, word, queue) = ("waiting", nil, q)
    case .active(let w): (state, word, queue) = ("active", w, [])
    }
    boundTCB = n.boundTCB
  }
}

/// A scheduling context's fields.
public struct SchedContextView: Hashable, Sendable {
  /// The bound thread.
  public var tcb: ObjectRef?
  public var refillMax: UInt64
  /// The call stack of donation (`sc_replies`), the newest reply object first: the reply objects
  /// of the Calls that donated this scheduling context, each of which gives it back when replied
  /// to (the executable spec's and the kernel's list from `scReply` along `replyPrev`).
  public var replies: [ObjectRef] = []
  /// `sc_period` in ticks (0: round robin).
  public var period: UInt64 = 0
  /// `sc_budget` in ticks: what its refills sum to (0 until configured).
  public var budget: UInt64 = 0
  /// `sc_consumed` in ticks.
  public var consumed: UInt64 = 0
  /// `sc_badge`.
  public var badge: UInt64 = 0
  /// `sc_sporadic`.
  public var sporadic: Bool = false
  /// `sc_yield_from`.
  public var yieldFrom: ObjectRef?
  /// The live refills, head first, as (release time, amount) in ticks (the lower layers' live
  /// window of their buffer: R2's `refills_map`).
  public var refills: [Refill<UInt64>] = []

  /// The view of an abstract scheduling context (the lower layers' are abstracted first: R2
  /// keeps every field, and the refills' live window).
  init(_ sc: AbstractSpec.SchedContext) {
    tcb = sc.tcb
    refillMax = sc.refillMax
    replies = sc.replies
    period = sc.period
    budget = sc.budget
    consumed = sc.consumed
    badge = sc.badge
    sporadic = sc.sporadic
    yieldFrom = sc.yieldFrom
    refills = sc.refills
  }
}

/// An endpoint's fields.
public struct EndpointView: Hashable, Sendable {
  /// `idle`, `send` or `recv`.
  public var state: String
  /// The queued threads (senders or receivers), head first: in priority order, FIFO within one.
  public var queue: [ObjectRef]

  /// The view of an abstract endpoint (the lower layers' are abstracted first).
  init(_ e: AbstractSpec.Endpoint) {
    switch e.state {
    case .idle: (state, queue) = ("idle", [])
    case .send(let q): (state, queue) = ("send", q)
    case .recv(let q): (state, queue) = ("recv", q)
    }
  }
}

/// A reply object's fields.
public struct ReplyView: Hashable, Sendable {
  /// `reply_tcb`: the thread tied to it, a receiver BlockedOnReceive with it or a caller
  /// BlockedOnReply on it.
  public var tcb: ObjectRef?
  /// `reply_sc`: the scheduling context whose call stack it heads.
  public var sc: ObjectRef?

  init(_ r: AbstractSpec.Reply) {
    tcb = r.tcb
    sc = r.sc
  }
}

/// The scheduling context a thread runs on, and how it has it.
public enum SchedContextUse: Hashable, Sendable {
  /// No scheduling context: a passive thread (or one whose SC was taken).
  case none
  /// Its own: bound to it with an empty call stack.
  case own(ObjectRef)
  /// Donated along a Call: the SC's call stack is not empty, and a reply through the head reply
  /// object gives it back to `by`, the caller blocked on that object (nil when none is).
  case donated(ObjectRef, by: ObjectRef?)
}

/// The kernel's time, release queue, domain and interrupt lines, as the tools show them.
public struct TimeView: Hashable, Sendable {
  /// `cur_time` / `ksCurTime`, in ticks.
  public var curTime: UInt64 = 0
  /// `consumed_time` / `ksConsumed`, in ticks.
  public var consumedTime: UInt64 = 0
  /// `release_queue` / `ksReleaseQueue`, head (earliest release) first.
  public var releaseQueue: [ObjectRef] = []
  /// `cur_domain` / `ksCurDomain`.
  public var curDomain: UInt64 = 0
  /// `domain_time` / `ksDomainTime`: the ticks the current domain has left.
  public var domainTime: UInt64 = 0
  /// The interrupt lines whose state is not `IRQInactive`, by line, in line order.
  public var activeIRQs: [(line: UInt64, state: IRQState)] = []

  public init() {}

  init(
    curTime: UInt64, consumedTime: UInt64, releaseQueue: [ObjectRef], curDomain: UInt64, domainTime: UInt64,
    irqStates: [IRQState]
  ) {
    self.curTime = curTime
    self.consumedTime = consumedTime
    self.releaseQueue = releaseQueue
    self.curDomain = curDomain
    self.domainTime = domainTime
    activeIRQs = irqStates.enumerated().filter { $0.element != .irqInactive }.map { (UInt64($0.offset), $0.element) }
  }

  public static func == (a: TimeView, b: TimeView) -> Bool {
    a.curTime == b.curTime && a.consumedTime == b.consumedTime && a.releaseQueue == b.releaseQueue
      && a.curDomain == b.curDomain && a.domainTime == b.domainTime
      && a.activeIRQs.map(\.line) == b.activeIRQs.map(\.line) && a.activeIRQs.map(\.state) == b.activeIRQs.map(\.state)
  }

  public func hash(into h: inout Hasher) {
    h.combine(curTime)
    h.combine(consumedTime)
    h.combine(releaseQueue)
    h.combine(curDomain)
    h.combine(domainTime)
    for irq in activeIRQs {
      h.combine(irq.line)
      h.combine(irq.state)
    }
  }
}

/// One object.
public struct ObjectView: Sendable {
  public var address: ObjectRef
  public var kind: String
  public var sizeBits: UInt64
  /// How many slots it has: 2^radix for a CNode, 5 for a TCB, none for other objects.
  public var slotCount: UInt64 = 0
  /// The slots that are not empty (a cap, MDB links, or words that decode to nothing), by index;
  /// every other slot below `slotCount` is empty.
  public var occupied: [UInt64: SlotView] = [:]
  /// Whether this layer's slots have MDB nodes (an empty slot's is the null node).
  public var hasMDB = false
  /// Whether this layer's slots have CTE addresses (the kernel: `address + index << slotBits`).
  public var hasCTEs = false
  public var thread: ThreadView?
  public var schedContext: SchedContextView?
  public var notification: NotificationView?
  public var endpoint: EndpointView?
  public var reply: ReplyView?

  /// Slot `index`, empty or not; nil when the object has no such slot.
  public func slot(_ index: UInt64) -> SlotView? {
    guard index < slotCount else { return nil }
    if let s = occupied[index] { return s }
    return SlotView(
      index: index, cap: .null,
      mdb: hasMDB ? MDBView(prev: nil, next: nil, revocable: false, firstBadged: false) : nil,
      cteAddress: hasCTEs ? address &+ (index << KernelConstants.slotBits) : nil, words: hasCTEs ? [0, 0, 0, 0] : nil)
  }

  /// The slots that are not empty, in index order.
  public var occupiedSlots: [SlotView] { occupied.values.sorted { $0.index < $1.index } }
}

/// A layer's state as the tools show it.
public struct StateView: Sendable {
  public var objects: [ObjectRef: ObjectView]
  public var current: ObjectRef?
  /// child → parent.
  public var cdt: [SlotRef: SlotRef]
  public var originals: Set<SlotRef>
  /// The ready queues that are not empty, head first.
  public var readyQueues: [ReadyQueueIndex: [ObjectRef]] = [:]
  /// The clock, the release queue, the domain and the interrupt lines.
  public var time = TimeView()

  public var sortedObjects: [ObjectView] { objects.values.sorted { $0.address < $1.address } }

  public func cap(at slot: SlotRef) -> Capability { slotView(slot)?.cap ?? .null }

  public func slotView(_ slot: SlotRef) -> SlotView? { objects[slot.container]?.slot(slot.index) }

  /// The scheduling context the thread at `thread` runs on, and whether it is its own or
  /// donated (nil when there is no such thread).
  public func schedContextUse(of thread: ObjectRef) -> SchedContextUse? {
    guard let t = objects[thread]?.thread else { return nil }
    guard let sc = t.schedContext else { return SchedContextUse.none }
    guard let head = objects[sc]?.schedContext?.replies.first else { return .own(sc) }
    return .donated(sc, by: objects[head]?.reply?.tcb)
  }

  /// `objects` with each thread's `schedContextUse` filled in.
  static func withSchedContextUses(_ objects: [ObjectRef: ObjectView]) -> [ObjectRef: ObjectView] {
    let plain = StateView(objects: objects, current: nil, cdt: [:], originals: [])
    var result = objects
    for (address, object) in objects where object.thread != nil {
      result[address]?.thread?.schedContextUse = plain.schedContextUse(of: address) ?? .none
    }
    return result
  }

  /// The scheduling context whose call stack holds the reply object at `reply` (`sc_with_reply`).
  public func callStack(holding reply: ObjectRef) -> ObjectRef? {
    sortedObjects.first { $0.schedContext?.replies.contains(reply) == true }?.address
  }

  /// Every non-null cap with its slot, in slot order.
  public var caps: [(slot: SlotRef, cap: Capability)] {
    sortedObjects.flatMap { o in
      o.occupiedSlots.filter { !$0.cap.isNull }.map { (SlotRef(o.address, $0.index), $0.cap) }
    }
  }
}

extension StateView {
  /// The abstract spec as it is.
  public init(abstract s: AbstractState) {
    var objects: [ObjectRef: ObjectView] = [:]
    // The idle objects (`Invariants+Idle.swift`), the kernel's own thread and scheduling context,
    // are shown like any other (the describer names them `idle` and `idle_sc`); the current
    // thread is still nil when the idle thread runs, as scripts write `current == idle`.
    for (address, object) in s.kheap {
      // The abstract spec stores only non-null slots already.
      func occupied(_ map: AbstractSpec.CapSlots) -> [UInt64: SlotView] {
        var result: [UInt64: SlotView] = [:]
        for (index, cap) in map where !cap.isNull { result[index] = SlotView(index: index, cap: cap) }
        return result
      }
      var view = ObjectView(address: address, kind: StateView.kindName(object), sizeBits: object.sizeBits)
      switch object {
      case .cnode(let c):
        view.slotCount = c.radix < 64 ? UInt64(1) << c.radix : 0
        view.occupied = occupied(c.slots)
      case .tcb(let t):
        view.slotCount = TCBSlot.count
        view.occupied = occupied(t.slots)
        view.thread = ThreadView(
          state: StateView.stateName(t.state), priority: t.priority, maxControlledPriority: t.maxControlledPriority,
          msgInfoRegister: t.context.msgInfoRegister, badgeRegister: t.context.badgeRegister,
          msgRegisters: t.context.msgRegisters, registers: t.context.registers, domain: t.domain,
          schedContext: t.schedContext,
          boundNotification: t.boundNotification)
      case .schedContext(let sc):
        view.schedContext = SchedContextView(sc)
      case .notification(let n):
        view.notification = NotificationView(n)
      case .endpoint(let e):
        view.endpoint = EndpointView(e)
      case .reply(let r):
        view.reply = ReplyView(r)
      case .opaque: break
      }
      objects[address] = view
    }
    self.init(
      objects: StateView.withSchedContextUses(objects), current: s.isIdle(s.currentThread) ? nil : s.currentThread,
      cdt: s.cdt.dictionary,
      originals: s.isOriginalCap.set)
    readyQueues = s.readyQueues
    time = TimeView(
      curTime: s.curTime, consumedTime: s.consumedTime, releaseQueue: s.releaseQueue, curDomain: s.curDomain,
      domainTime: s.domainTime, irqStates: s.interruptStates)
  }

  /// A thread state as the views name it, the same in every layer (`running`,
  /// `blockedOnNotification(0x…)`).
  static func stateName(_ s: AbstractSpec.ThreadState) -> String {
    switch s {
    case .running: "running"
    case .restart: "restart"
    case .inactive: "inactive"
    case .blockedOnNotification(let n): "blockedOnNotification(0x\(String(n, radix: 16)))"
    case .blockedOnSend(let e, let f):
      "blockedOnSend(0x\(String(e, radix: 16)), badge: 0x\(String(f.badge, radix: 16)))"
    case .blockedOnReceive(let e, let r): "blockedOnReceive(0x\(String(e, radix: 16))\(replyName(r)))"
    case .blockedOnReply(let r): "blockedOnReply(0x\(String(r, radix: 16)))"
    case .idleThreadState: "idleThreadState"
    }
  }

  /// A receiver's reply object as the views name it: `, reply: 0x…`, or nothing for none.
  static func replyName(_ reply: ObjectRef?) -> String {
    reply.map { ", reply: 0x\(String($0, radix: 16))" } ?? ""
  }

  static func stateName(_ s: ExecutableSpec.ThreadState) -> String {
    switch s {
    case .running: "running"
    case .restart: "restart"
    case .inactive: "inactive"
    case .blockedOnNotification(let n): "blockedOnNotification(0x\(String(n, radix: 16)))"
    case .blockedOnSend(let e, let f):
      "blockedOnSend(0x\(String(e, radix: 16)), badge: 0x\(String(f.badge, radix: 16)))"
    case .blockedOnReceive(let e, let r): "blockedOnReceive(0x\(String(e, radix: 16))\(replyName(r)))"
    case .blockedOnReply(let r): "blockedOnReply(0x\(String(r, radix: 16)))"
    case .idleThreadState: "idleThreadState"
    }
  }

  static func kindName(_ o: AbstractSpec.KernelObject) -> String {
    switch o {
    case .cnode(let c): "cnode(radix: \(c.radix))"
    case .tcb: "tcb"
    case .endpoint: "endpoint"
    case .notification: "notification"
    case .reply: "reply"
    case .schedContext(let sc): "schedContext(sizeBits: \(sc.sizeBits))"
    case .opaque(let kind, let bits): "\(kind)(sizeBits: \(bits))"
    }
  }

  static func kindName(_ o: ExecutableSpec.KernelObject) -> String {
    switch o {
    case .cnode(let c): "cnode(radix: \(c.radix))"
    case .tcb: "tcb"
    case .endpoint: "endpoint"
    case .notification: "notification"
    case .reply: "reply"
    case .schedContext(let sc): "schedContext(sizeBits: \(sc.sizeBits))"
    case .opaque(let kind, let bits): "\(kind)(sizeBits: \(bits))"
    }
  }

  /// The executable spec, with its MDB nodes and the derivation tree R2 reads off them.
  public init(exec s: ExecState) { self.init(exec: s, cteAddress: nil) }

  init(exec s: ExecState, cteAddress: ((SlotRef) -> UInt64?)?) {
    var objects: [ObjectRef: ObjectView] = [:]
    var originals: Set<SlotRef> = []
    for (address, object) in s.ksPSpace {
      // Only the entries that are not `.null` (a cap or MDB links): a CNode's table is sparse.
      func occupied(_ ctes: [(index: UInt64, entry: CTE)]) -> [UInt64: SlotView] {
        var result: [UInt64: SlotView] = [:]
        for (index, cte) in ctes where cte != .null {
          let slot = SlotRef(address, index)
          if cte.mdb.revocable && !cte.cap.isNull { originals.insert(slot) }
          result[index] = SlotView(
            index: index, cap: cte.cap,
            mdb: MDBView(
              prev: cte.mdb.prev, next: cte.mdb.next, revocable: cte.mdb.revocable, firstBadged: cte.mdb.firstBadged),
            cteAddress: cteAddress?(slot))
        }
        return result
      }
      var view = ObjectView(
        address: address, kind: StateView.kindName(object), sizeBits: object.sizeBits, hasMDB: true,
        hasCTEs: cteAddress != nil)
      switch object {
      case .cnode(let c):
        view.slotCount = UInt64(c.ctes.count)
        view.occupied = occupied(c.ctes.occupied)
      case .tcb(let t):
        view.slotCount = UInt64(t.ctes.count)
        view.occupied = occupied(t.ctes.enumerated().map { (UInt64($0.offset), $0.element) })
        view.thread = ThreadView(
          state: StateView.stateName(t.state), priority: t.priority, maxControlledPriority: t.maxControlledPriority,
          msgInfoRegister: t.context.msgInfoRegister, badgeRegister: t.context.badgeRegister,
          msgRegisters: t.context.msgRegisters, registers: t.context.registers, domain: t.domain,
          schedContext: t.schedContext, queued: t.tcbQueued,
          boundNotification: t.tcbBoundNotification)
      case .schedContext(let sc):
        if case .schedContext(let abstract) = s.abstractSchedContext(sc) {
          view.schedContext = SchedContextView(abstract)
        }
      case .notification(let n):
        if case .notification(let abstract) = s.abstractNotification(n) {
          view.notification = NotificationView(abstract)
        }
      case .endpoint(let e):
        if case .endpoint(let abstract) = s.abstractEndpoint(e) { view.endpoint = EndpointView(abstract) }
      case .reply(let r):
        if case .reply(let abstract) = s.abstractReply(r) { view.reply = ReplyView(abstract) }
      case .opaque: break
      }
      objects[address] = view
    }
    self.init(
      objects: StateView.withSchedContextUses(objects), current: s.isIdle(s.ksCurThread) ? nil : s.ksCurThread,
      cdt: s.abstraction().cdt.dictionary,
      originals: originals)
    readyQueues = s.ksReadyQueues
    time = TimeView(
      curTime: s.ksCurTime, consumedTime: s.ksConsumed, releaseQueue: s.ksReleaseQueue, curDomain: s.ksCurDomain,
      domainTime: s.ksDomainTime, irqStates: s.intStateIRQTable)
  }

  /// The kernel, decoded from memory (R1's lift), with CTE addresses and undecodable slots marked.
  public init(kernel k: KernelState) {
    let lifted = k.lift().state
    self.init(exec: lifted, cteAddress: { k.cteAddress(of: $0) })
    func words(_ cte: UInt64) -> [UInt64] { (0..<4).map { k.load(cte &+ UInt64($0) * 8) ?? 0 } }
    for (address, var object) in objects {
      for index in Array(object.occupied.keys) {
        if let cte = object.occupied[index]?.cteAddress { object.occupied[index]?.words = words(cte) }
      }
      // A slot whose words decode to no cap lifts as an empty one; only slots in backed memory can
      // hold such words (the rest read as zeros, the null cap).
      for cte in k.backedCTEs(of: address) {
        let index = (cte &- address) >> KernelConstants.slotBits
        guard k.capability(at: SlotRef(address, index)) == nil, var slot = object.slot(index) else { continue }
        slot.undecodable = true
        slot.words = words(cte)
        object.occupied[index] = slot
      }
      objects[address] = object
    }
  }
}

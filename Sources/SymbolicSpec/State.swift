// The twin's state: the CSpace and derivation-tree projection of `AbstractState`, as words.
//
// Twin of `AbstractSpec/State.swift`. Where the abstract state keeps a heap of CNodes, a
// child → parent map (`cdt`) and a set of original slots (`is_original_cap`), the twin keeps a
// fixed array of slots, each a capability of five words, its parent's slot id (or `noSlot`) and
// its original flag (0 or 1). Every field is a word, so a symbolic state is nothing but named
// 64-bit variables, and a symbolic slot id reads and writes through a chain of `select`s (one Z3
// `ite` per slot). The slots are named by `slotRefs`, position = slot id: a twin state of a
// campaign's state holds the slots that are filled, linked or marked (and any the caller adds, or
// its lookups reach: `slot(_:_:)`), a symbolic one the slots of the proof's shape.

public import Bitwise
public import KernelABI

/// The kind of a capability, as a word: `Capability`'s cases in order, null 0.
public enum TwinCapTag: UInt64, CaseIterable, Sendable {
  case null, untyped, endpoint, notification, reply, cnode, thread, schedContext, schedControl, irqControl,
    irqHandler, domain
}

/// A capability as five words. Which word holds what depends on the tag:
///
/// | tag | `ref` | `w1` | `w2` | `w3` |
/// |---|---|---|---|---|
/// | untyped | base | sizeBits | isDevice (0/1) | freeIndex |
/// | endpoint, notification | object | badge | rights word | 0 |
/// | reply | object | canGrant (0/1) | 0 | 0 |
/// | cnode | object | radix | guardSize | guard |
/// | thread | object | 0 | 0 | 0 |
/// | schedContext | object | sizeBits | 0 | 0 |
/// | schedControl | core | 0 | 0 | 0 |
/// | irqHandler | irq | 0 | 0 | 0 |
/// | null, irqControl, domain | 0 | 0 | 0 | 0 |
public struct TwinCap<W: MachineWord> {
  public var tag: W
  public var ref: W
  public var w1: W
  public var w2: W
  public var w3: W

  public init(tag: W, ref: W = 0, w1: W = 0, w2: W = 0, w3: W = 0) {
    self.tag = tag
    self.ref = ref
    self.w1 = w1
    self.w2 = w2
    self.w3 = w3
  }

  /// The empty slot's cap.
  public static var null: TwinCap { TwinCap(tag: W(constant: TwinCapTag.null.rawValue)) }

  /// True iff the cap has kind `tag`.
  public func `is`(_ tag: TwinCapTag) -> W.Condition { self.tag .== W(constant: tag.rawValue) }

  /// Field by field: `condition ? a : b`.
  public static func select(_ condition: W.Condition, _ a: TwinCap, _ b: TwinCap) -> TwinCap {
    TwinCap(
      tag: W.select(condition, a.tag, b.tag), ref: W.select(condition, a.ref, b.ref),
      w1: W.select(condition, a.w1, b.w1), w2: W.select(condition, a.w2, b.w2), w3: W.select(condition, a.w3, b.w3))
  }
}

/// One slot: its cap, its parent in the derivation tree and its original flag.
public struct TwinSlot<W: MachineWord> {
  public var cap: TwinCap<W>
  /// The parent's slot id, `TwinState.noSlot` for none (`cdt`).
  public var parent: W
  /// 1 iff the cap is original (`is_original_cap`), else 0.
  public var original: W

  public init(cap: TwinCap<W>, parent: W, original: W) {
    self.cap = cap
    self.parent = parent
    self.original = original
  }

  /// A slot outside the state: empty, unlinked, not original (as `getCap` reads a missing slot).
  public static var empty: TwinSlot {
    TwinSlot(cap: .null, parent: W(constant: noSlot), original: 0)
  }

  /// Field by field: `condition ? a : b`.
  public static func select(_ condition: W.Condition, _ a: TwinSlot, _ b: TwinSlot) -> TwinSlot {
    TwinSlot(
      cap: .select(condition, a.cap, b.cap), parent: W.select(condition, a.parent, b.parent),
      original: W.select(condition, a.original, b.original))
  }
}

/// The parent id of a slot with no parent.
public let noSlot: UInt64 = .max

/// The twin of `AbstractState` (its CSpace and derivation tree).
public struct TwinState<D: SpecDomain> {
  public typealias Word = D.Word
  /// How branches are decided and constants recognised.
  public let domain: D
  /// The slot each id names (id = position). Fixed for a symbolic state; a concrete one may grow
  /// (`slot(_:_:)` adds a slot a lookup reaches that the state does not hold).
  public private(set) var slotRefs: [SlotRef]
  /// The id of each slot of `slotRefs`.
  public private(set) var slotIDs: [SlotRef: Int]
  /// The slots, by id.
  public var slots: [TwinSlot<Word>]
  /// The steps a mutant may replace (`PlantedBugs.swift`); the twin's code when empty.
  public var seams = Seams()
  /// The most levels a CSpace walk may take (`resolveAddressBits`): 65, more than a 64-bit pointer
  /// can need, except in a proof, which explores every path and so bounds the walk.
  public var maxWalkLevels = KernelConstants.wordBits + 1
  /// True once a walk stopped at `maxWalkLevels` levels with bits left to resolve (never with the
  /// default bound); a proof then leaves the path out and says so in its bound.
  public internal(set) var walkBoundReached = false
  /// The threads' addresses (position = index into `threads`); none unless `addObjects` gave some.
  public private(set) var threadRefs: [ObjectRef] = []
  public var threads: [TwinTCB<Word>] = []
  /// The notifications' addresses (position = index into `notifications`).
  public private(set) var notificationRefs: [ObjectRef] = []
  public var notifications: [TwinNotification<Word>] = []
  /// True once a notification operation met a state outside the twin's objects (a third waiter, a
  /// bound thread blocked on an endpoint); the proofs leave such a path out and say so.
  public internal(set) var objectBoundReached = false

  public init(domain: D, slotRefs: [SlotRef], slots: [TwinSlot<Word>]) {
    self.domain = domain
    self.slotRefs = slotRefs
    self.slots = slots
    slotIDs = Dictionary(slotRefs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// A state whose every field is the word `field(name)`, named `s<id>.tag`, `s<id>.ref`,
  /// `s<id>.w1` ... `s<id>.parent`, `s<id>.original`: the symbolic state of a shape, or a
  /// counterexample read back by the same names.
  public init(domain: D, slotRefs: [SlotRef], field: (String) -> Word) {
    self.init(
      domain: domain, slotRefs: slotRefs,
      slots: slotRefs.indices.map { k in
        TwinSlot(
          cap: TwinCap(
            tag: field("s\(k).tag"), ref: field("s\(k).ref"), w1: field("s\(k).w1"), w2: field("s\(k).w2"),
            w3: field("s\(k).w3")),
          parent: field("s\(k).parent"), original: field("s\(k).original"))
      })
  }

  /// The number of slots.
  public var count: Int { slots.count }

  /// The id `k` as a word.
  public func id(_ k: Int) -> Word { Word(constant: UInt64(k)) }

  /// The slot `id` names; `.empty` for an id outside the state (`noSlot` among them). A known id
  /// reads directly, a symbolic one through a chain of selects.
  public func lookup(_ id: Word) -> TwinSlot<Word> {
    if let k = domain.known(id) { return k < UInt64(slots.count) ? slots[Int(k)] : .empty }
    var found = TwinSlot<Word>.empty
    for k in slots.indices.reversed() { found = .select(id .== self.id(k), slots[k], found) }
    return found
  }

  /// Change the slot `id` names with `change` (nothing for an id outside the state, as `setCap`
  /// ignores a slot that does not exist).
  public mutating func update(_ id: Word, _ change: (inout TwinSlot<Word>) -> Void) {
    if let k = domain.known(id) {
      guard k < UInt64(slots.count) else { return }
      change(&slots[Int(k)])
      return
    }
    for k in slots.indices {
      var changed = slots[k]
      change(&changed)
      slots[k] = .select(id .== self.id(k), changed, slots[k])
    }
  }

  /// The id of the slot `index` of the object at `container`. When both words are known, the id
  /// of that slot; a slot the state does not hold is added, empty, unlinked and not original (a
  /// twin of a campaign's state holds every slot that is filled, linked or original, so the slot
  /// is empty in the abstract state too). Otherwise a chain of selects over the state's slots,
  /// `noSlot` for a slot outside them (it reads as empty and ignores writes).
  public mutating func slot(_ container: Word, _ index: Word) -> Word {
    if let c = domain.known(container), let i = domain.known(index) {
      let ref = SlotRef(c, i)
      if let k = slotIDs[ref] { return id(k) }
      slotIDs[ref] = slots.count
      slotRefs.append(ref)
      slots.append(.empty)
      return id(slots.count - 1)
    }
    var found = Word(constant: noSlot)
    for k in slotRefs.indices.reversed() {
      let ref = slotRefs[k]
      found = Word.select(
        (container .== Word(constant: ref.container)) .&& (index .== Word(constant: ref.index)), id(k), found)
    }
    return found
  }

  /// The capability in slot `id` (`get_cap`).
  public func getCap(_ id: Word) -> TwinCap<Word> { lookup(id).cap }

  /// Put `cap` in slot `id` (`set_cap`), leaving the tree alone.
  public mutating func setCap(_ id: Word, _ cap: TwinCap<Word>) { update(id) { $0.cap = cap } }
}

// MARK: - Capabilities as words and back (the concrete domain)

extension TwinCap where W == UInt64 {
  /// The words of `cap`.
  public init(_ cap: Capability) {
    switch cap {
    case .null: self.init(tag: TwinCapTag.null.rawValue)
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      self.init(tag: TwinCapTag.untyped.rawValue, ref: base, w1: sizeBits, w2: isDevice ? 1 : 0, w3: freeIndex)
    case .endpoint(let r, let badge, let rights):
      self.init(tag: TwinCapTag.endpoint.rawValue, ref: r, w1: badge, w2: rights.rawValue)
    case .notification(let r, let badge, let rights):
      self.init(tag: TwinCapTag.notification.rawValue, ref: r, w1: badge, w2: rights.rawValue)
    case .reply(let r, let canGrant): self.init(tag: TwinCapTag.reply.rawValue, ref: r, w1: canGrant ? 1 : 0)
    case .cnode(let r, let radix, let guardSize, let guardBits):
      self.init(tag: TwinCapTag.cnode.rawValue, ref: r, w1: radix, w2: guardSize, w3: guardBits)
    case .thread(let r): self.init(tag: TwinCapTag.thread.rawValue, ref: r)
    case .schedContext(let r, let sizeBits): self.init(tag: TwinCapTag.schedContext.rawValue, ref: r, w1: sizeBits)
    case .schedControl(let core): self.init(tag: TwinCapTag.schedControl.rawValue, ref: core)
    case .irqControl: self.init(tag: TwinCapTag.irqControl.rawValue)
    case .irqHandler(let irq): self.init(tag: TwinCapTag.irqHandler.rawValue, ref: irq)
    case .domain: self.init(tag: TwinCapTag.domain.rawValue)
    }
  }

  /// The capability these words encode; nil for an unknown tag.
  public var capability: Capability? {
    guard let kind = TwinCapTag(rawValue: tag) else { return nil }
    switch kind {
    case .null: return .null
    case .untyped: return .untyped(base: ref, sizeBits: w1, isDevice: w2 != 0, freeIndex: w3)
    case .endpoint: return .endpoint(ref, badge: w1, rights: CapRights(rawValue: w2))
    case .notification: return .notification(ref, badge: w1, rights: CapRights(rawValue: w2))
    case .reply: return .reply(ref, canGrant: w1 != 0)
    case .cnode: return .cnode(ref, radix: w1, guardSize: w2, guard: w3)
    case .thread: return .thread(ref)
    case .schedContext: return .schedContext(ref, sizeBits: w1)
    case .schedControl: return .schedControl(core: ref)
    case .irqControl: return .irqControl
    case .irqHandler: return .irqHandler(irq: ref)
    case .domain: return .domain
    }
  }
}

extension TwinCap: Equatable where W: Equatable {}
extension TwinSlot: Equatable where W: Equatable {}

// MARK: - Well-typed words

extension TwinState {
  /// The encoding's type constraints (what a real state's words always satisfy): every tag names a
  /// `Capability` case, every original flag is 0 or 1, every parent is `noSlot` or a slot id.
  public func typeOK() -> Word.Condition {
    let kinds = Word(constant: UInt64(TwinCapTag.allCases.count))
    return Self.all(
      slots.map { slot in
        (slot.cap.tag .< kinds) .&& (slot.original .<= 1)
          .&& ((slot.parent .== Word(constant: noSlot)) .|| (slot.parent .< id(count)))
      })
  }
}

// MARK: - Threads and notifications (issue 16, stage A)
//
// The objects the notification operations read and write, at fixed addresses (`threadRefs`,
// `notificationRefs`), each field a word. A reference stored in an object (a queue entry, a bound
// thread or notification, the notification a thread waits on) is a word too, 0 for none, and a
// symbolic one reads and writes through a chain of selects over the state's objects, as a symbolic
// slot id does. The projection is partial: a thread keeps its state (a tag, and the notification
// it waits on), its bound notification, its scheduling context, priority and badge register; a
// notification its state (a tag, and the active word), a queue of at most two waiters and its
// bound thread. The scheduler's state (ready queues, `scheduleTCB`, `possibleSwitchTo`) and the
// notifications' scheduling contexts are not in the twin (docs/abstract-proofs.md, "Objects").

/// A thread's state as a word: the `ThreadState` cases the notification operations reach, and
/// `other` for every state outside the twin (blocked on an endpoint or a reply, ...).
public enum TwinThreadStateTag: UInt64, CaseIterable, Sendable {
  case inactive, running, restart, blockedOnNotification, idleThreadState, other
}

/// A notification's state as a word (`NotificationState`'s cases in order).
public enum TwinNotificationStateTag: UInt64, CaseIterable, Sendable {
  case idle, waiting, active
}

/// A thread as words.
public struct TwinTCB<W: MachineWord> {
  /// A `TwinThreadStateTag`.
  public var state: W
  /// The notification a thread in `blockedOnNotification` waits on; 0 in every other state.
  public var waitingOn: W
  /// The bound notification, 0 for none (`tcb_bound_notification`).
  public var boundNotification: W
  /// The scheduling context, 0 for none (`tcb_sched_context`).
  public var schedContext: W
  public var priority: W
  /// The badge register (`badgeRegister` of the user context).
  public var badge: W

  public init(state: W, waitingOn: W = 0, boundNotification: W = 0, schedContext: W = 0, priority: W = 0, badge: W = 0)
  {
    self.state = state
    self.waitingOn = waitingOn
    self.boundNotification = boundNotification
    self.schedContext = schedContext
    self.priority = priority
    self.badge = badge
  }

  /// What a thread the state does not hold reads as: Inactive, unbound, priority 0.
  public static var absent: TwinTCB { TwinTCB(state: W(constant: TwinThreadStateTag.inactive.rawValue)) }

  /// True iff the thread's state is `tag`.
  public func `is`(_ tag: TwinThreadStateTag) -> W.Condition { state .== W(constant: tag.rawValue) }

  /// Field by field: `condition ? a : b`.
  public static func select(_ condition: W.Condition, _ a: TwinTCB, _ b: TwinTCB) -> TwinTCB {
    TwinTCB(
      state: W.select(condition, a.state, b.state), waitingOn: W.select(condition, a.waitingOn, b.waitingOn),
      boundNotification: W.select(condition, a.boundNotification, b.boundNotification),
      schedContext: W.select(condition, a.schedContext, b.schedContext),
      priority: W.select(condition, a.priority, b.priority), badge: W.select(condition, a.badge, b.badge))
  }
}

/// A notification as words. The queue holds at most two waiters (`first`, `second`; an entry at
/// or past `queueLength` is 0), which is every thread of the proofs' shape but the idle thread.
public struct TwinNotification<W: MachineWord> {
  /// A `TwinNotificationStateTag`.
  public var state: W
  /// The word of an active notification; 0 in the other states.
  public var word: W
  /// The number of waiters: 0 unless waiting.
  public var queueLength: W
  public var first: W
  public var second: W
  /// The bound thread, 0 for none (`ntfn_bound_tcb`).
  public var boundTCB: W

  public init(state: W, word: W = 0, queueLength: W = 0, first: W = 0, second: W = 0, boundTCB: W = 0) {
    self.state = state
    self.word = word
    self.queueLength = queueLength
    self.first = first
    self.second = second
    self.boundTCB = boundTCB
  }

  /// What a notification the state does not hold reads as: Idle, unbound.
  public static var absent: TwinNotification {
    TwinNotification(state: W(constant: TwinNotificationStateTag.idle.rawValue))
  }

  /// True iff the notification's state is `tag`.
  public func `is`(_ tag: TwinNotificationStateTag) -> W.Condition { state .== W(constant: tag.rawValue) }

  /// True iff `thread` is one of the waiters.
  public func queues(_ thread: W) -> W.Condition {
    ((queueLength .>= 1) .&& (first .== thread)) .|| ((queueLength .>= 2) .&& (second .== thread))
  }

  /// Field by field: `condition ? a : b`.
  public static func select(_ condition: W.Condition, _ a: TwinNotification, _ b: TwinNotification)
    -> TwinNotification
  {
    TwinNotification(
      state: W.select(condition, a.state, b.state), word: W.select(condition, a.word, b.word),
      queueLength: W.select(condition, a.queueLength, b.queueLength), first: W.select(condition, a.first, b.first),
      second: W.select(condition, a.second, b.second), boundTCB: W.select(condition, a.boundTCB, b.boundTCB))
  }
}

extension TwinTCB: Equatable where W: Equatable {}
extension TwinNotification: Equatable where W: Equatable {}

extension TwinState {
  /// The thread at `ref` (`.absent` for an address the state does not hold): a known address
  /// reads directly, a symbolic one through a chain of selects.
  public func thread(_ ref: Word) -> TwinTCB<Word> {
    if let r = domain.known(ref) { return threadRefs.firstIndex(of: r).map { threads[$0] } ?? .absent }
    var found = TwinTCB<Word>.absent
    for k in threads.indices.reversed() { found = .select(ref .== Word(constant: threadRefs[k]), threads[k], found) }
    return found
  }

  /// Change the thread at `ref` with `change` (nothing for an address the state does not hold, as
  /// `updateTCB` ignores an object that is not a TCB).
  public mutating func updateThread(_ ref: Word, _ change: (inout TwinTCB<Word>) -> Void) {
    if let r = domain.known(ref) {
      if let k = threadRefs.firstIndex(of: r) { change(&threads[k]) }
      return
    }
    for k in threads.indices {
      var changed = threads[k]
      change(&changed)
      threads[k] = .select(ref .== Word(constant: threadRefs[k]), changed, threads[k])
    }
  }

  /// The notification at `ref` (`.absent` for an address the state does not hold).
  public func notification(_ ref: Word) -> TwinNotification<Word> {
    if let r = domain.known(ref) {
      return notificationRefs.firstIndex(of: r).map { notifications[$0] } ?? .absent
    }
    var found = TwinNotification<Word>.absent
    for k in notifications.indices.reversed() {
      found = .select(ref .== Word(constant: notificationRefs[k]), notifications[k], found)
    }
    return found
  }

  /// True iff `ref` is a notification of the state.
  public func isNotification(_ ref: Word) -> Word.Condition {
    Self.any(notificationRefs.map { ref .== Word(constant: $0) })
  }

  /// Change the notification at `ref` with `change` (nothing for an address the state does not hold).
  public mutating func updateNotification(_ ref: Word, _ change: (inout TwinNotification<Word>) -> Void) {
    if let r = domain.known(ref) {
      if let k = notificationRefs.firstIndex(of: r) { change(&notifications[k]) }
      return
    }
    for k in notifications.indices {
      var changed = notifications[k]
      change(&changed)
      notifications[k] = .select(ref .== Word(constant: notificationRefs[k]), changed, notifications[k])
    }
  }

  /// `set_thread_state`: the thread's state only; `scheduleTCB` is the scheduler's, outside the twin.
  public mutating func setThreadState(_ thread: Word, _ tag: TwinThreadStateTag, waitingOn: Word = 0) {
    updateThread(thread) {
      $0.state = Word(constant: tag.rawValue)
      $0.waitingOn = waitingOn
    }
  }

  /// Give the state the threads at `threadRefs` and the notifications at `notificationRefs`, each
  /// field the word `field(name)`, named `t<k>.state`, `t<k>.waitingOn`, ... `n<k>.boundTCB`.
  public mutating func addObjects(threadRefs: [ObjectRef], notificationRefs: [ObjectRef], field: (String) -> Word) {
    let threads = threadRefs.indices.map { k in
      TwinTCB(
        state: field("t\(k).state"), waitingOn: field("t\(k).waitingOn"),
        boundNotification: field("t\(k).boundNotification"), schedContext: field("t\(k).schedContext"),
        priority: field("t\(k).priority"), badge: field("t\(k).badge"))
    }
    let notifications = notificationRefs.indices.map { k in
      TwinNotification(
        state: field("n\(k).state"), word: field("n\(k).word"), queueLength: field("n\(k).queueLength"),
        first: field("n\(k).first"), second: field("n\(k).second"), boundTCB: field("n\(k).boundTCB"))
    }
    setObjects(
      threadRefs: threadRefs, threads: threads, notificationRefs: notificationRefs, notifications: notifications)
  }

  /// Give the state the threads `threads` at `threadRefs` and the notifications `notifications` at
  /// `notificationRefs` (position = index).
  public mutating func setObjects(
    threadRefs: [ObjectRef], threads: [TwinTCB<Word>], notificationRefs: [ObjectRef],
    notifications: [TwinNotification<Word>]
  ) {
    self.threadRefs = threadRefs
    self.threads = threads
    self.notificationRefs = notificationRefs
    self.notifications = notifications
  }

  /// The objects' encoding constraints, for a state whose objects are the whole of their kinds
  /// (the proofs' shape): tags name a case, a notification queues at most two threads with 0 past
  /// its length and keeps a word only when active, every stored thread reference is 0 or one of
  /// the threads, every stored notification reference 0 or one of the notifications, and a thread
  /// waits on a notification exactly when blocked on one.
  public func objectsTypeOK() -> Word.Condition {
    let threadRef = { (w: Word) in (w .== 0) .|| Self.any(self.threadRefs.map { w .== Word(constant: $0) }) }
    let ntfnRef = { (w: Word) in (w .== 0) .|| self.isNotification(w) }
    let tcbs = threads.map { t in
      (t.state .< Word(constant: TwinThreadStateTag.other.rawValue)) .&& ntfnRef(t.boundNotification)
        .&& (t.is(.blockedOnNotification) .=> isNotification(t.waitingOn))
        .&& (.!t.is(.blockedOnNotification) .=> (t.waitingOn .== 0))
    }
    let ntfns = notifications.map { n in
      (n.state .< Word(constant: UInt64(TwinNotificationStateTag.allCases.count)))
        .&& (n.is(.active) .|| (n.word .== 0))
        .&& (n.is(.waiting) .=> (n.queueLength .<= 2)) .&& (.!n.is(.waiting) .=> (n.queueLength .== 0))
        .&& ((n.queueLength .>= 1) .|| (n.first .== 0)) .&& ((n.queueLength .>= 2) .|| (n.second .== 0))
        .&& threadRef(n.first) .&& threadRef(n.second) .&& threadRef(n.boundTCB)
    }
    return Self.all(tcbs + ntfns)
  }
}

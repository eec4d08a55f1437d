// `twin_relation`: the symbolic twin's state as a projection of the abstract state.
//
// The twin (`SymbolicSpec`) models the abstract state's capability slots, derivation tree and
// original flags. A twin state of an `AbstractState` holds every slot that is filled, linked in
// the tree or marked original, plus any slots the caller names (an empty destination, say), in
// slot order; a slot left out is empty, unlinked and not original, as it is in the abstract state.
// The proofs (`abstract.*.preserves.*`) are about the twin; this relation is how the tests
// (`TwinAgreementTests`) check that the twin computes what AbstractSpec computes.

public import AbstractSpec
public import KernelABI
public import SymbolicSpec

extension TwinState where D == Concrete {
  /// The twin of `state`'s CSpace and tree, over its filled, linked and original slots and `extra`.
  public init(importing state: AbstractState, extra: [SlotRef] = []) {
    self.init(importing: state, extra: extra, domain: Concrete())
  }

  /// The twin of `state` over exactly `slotRefs` (a tree link to a slot outside them reads `noSlot`).
  public init(importing state: AbstractState, slotRefs: [SlotRef]) {
    self.init(importing: state, slotRefs: slotRefs, domain: Concrete())
  }
}

extension TwinState where D.Word == UInt64 {
  /// The twin of `state` in `domain` (`Concrete`, or `Opaque` to run the select chains), over its
  /// filled, linked and original slots and `extra`.
  public init(importing state: AbstractState, extra: [SlotRef] = [], domain: D) {
    var refs = Set(extra)
    for (slot, _) in state.capsOfState { refs.insert(slot) }
    for (child, parent) in state.cdt {
      refs.insert(child)
      refs.insert(parent)
    }
    for slot in state.isOriginalCap { refs.insert(slot) }
    self.init(importing: state, slotRefs: refs.sorted(), domain: domain)
  }

  /// The twin of `state` in `domain` over exactly `slotRefs` (a tree link to a slot outside them
  /// reads `noSlot`).
  public init(importing state: AbstractState, slotRefs: [SlotRef], domain: D) {
    let ids = Dictionary(uniqueKeysWithValues: slotRefs.enumerated().map { ($1, UInt64($0)) })
    self.init(
      domain: domain, slotRefs: slotRefs,
      slots: slotRefs.map { slot in
        TwinSlot(
          cap: TwinCap(state.getCap(slot)), parent: state.cdt[slot].flatMap { ids[$0] } ?? noSlot,
          original: state.isOriginalCap.contains(slot) ? 1 : 0)
      })
  }

  /// The id of `slot`, if the state holds it.
  public func id(of slot: SlotRef) -> UInt64? { slotIDs[slot].map { UInt64($0) } }
}

/// Where `twin` and the projection of `abstract` differ (empty: the relation holds). Every slot
/// `abstract` fills, links or marks must be one of the twin's, and each of the twin's slots must
/// hold the same cap, parent and flag.
public func twinRelation<D: SpecDomain>(_ abstract: AbstractState, _ twin: TwinState<D>) -> [String]
where D.Word == UInt64 {
  var differences: [String] = []
  let whole = TwinState(importing: abstract)
  let held = Set(twin.slotRefs)
  for slot in whole.slotRefs where !held.contains(slot) {
    differences.append("\(slot) is filled, linked or original in AbstractSpec but not a slot of the twin")
  }
  let projected = TwinState(importing: abstract, slotRefs: twin.slotRefs)
  for (k, slot) in twin.slotRefs.enumerated() where projected.slots[k] != twin.slots[k] {
    differences.append("\(slot): AbstractSpec \(projected.slots[k]), twin \(twin.slots[k])")
  }
  return differences
}

// MARK: - Threads and notifications

extension TwinTCB where W == UInt64 {
  /// The words of `tcb`: a state outside the twin's (blocked on an endpoint or a reply) is `other`.
  public init(_ tcb: TCB) {
    let tag: TwinThreadStateTag
    var waitingOn: ObjectRef = 0
    switch tcb.state {
    case .inactive: tag = .inactive
    case .running: tag = .running
    case .restart: tag = .restart
    case .blockedOnNotification(let ntfn):
      tag = .blockedOnNotification
      waitingOn = ntfn
    case .idleThreadState: tag = .idleThreadState
    case .blockedOnSend, .blockedOnReceive, .blockedOnReply: tag = .other
    }
    self.init(
      state: tag.rawValue, waitingOn: waitingOn, boundNotification: tcb.boundNotification ?? 0,
      schedContext: tcb.schedContext ?? 0, priority: tcb.priority, badge: tcb.context.badgeRegister)
  }
}

extension TwinNotification where W == UInt64 {
  /// The words of `ntfn`; nil for a queue of more than two waiters, which the twin cannot hold.
  public init?(_ ntfn: Notification) {
    switch ntfn.state {
    case .idle: self.init(state: TwinNotificationStateTag.idle.rawValue)
    case .active(let word): self.init(state: TwinNotificationStateTag.active.rawValue, word: word)
    case .waiting(let queue):
      guard queue.count <= 2 else { return nil }
      self.init(
        state: TwinNotificationStateTag.waiting.rawValue, queueLength: UInt64(queue.count), first: queue.first ?? 0,
        second: queue.count == 2 ? queue[1] : 0)
    }
    boundTCB = ntfn.boundTCB ?? 0
  }
}

extension TwinState where D.Word == UInt64 {
  /// Give the twin `state`'s threads at `threadRefs` and notifications at `notificationRefs` (an
  /// address holding no such object reads as `absent`); false, changing nothing, when a
  /// notification queues more than two threads.
  public mutating func importObjects(
    from state: AbstractState, threadRefs: [ObjectRef], notificationRefs: [ObjectRef]
  ) -> Bool {
    var notifications: [TwinNotification<UInt64>] = []
    for ref in notificationRefs {
      guard let ntfn = state.notification(at: ref) else {
        notifications.append(.absent)
        continue
      }
      guard let twin = TwinNotification(ntfn) else { return false }
      notifications.append(twin)
    }
    setObjects(
      threadRefs: threadRefs, threads: threadRefs.map { state.tcb(at: $0).map(TwinTCB.init) ?? .absent },
      notificationRefs: notificationRefs, notifications: notifications)
    return true
  }
}

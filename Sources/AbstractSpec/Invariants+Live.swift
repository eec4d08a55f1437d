// `if_live_then_nonz_cap` of the abstract state (`l4v:proof/invariant-abstract/Invariants_AI.thy`,
// MCS): every live object has a cap to it that is not a Zombie (`ex_nonz_cap_to`, through
// `zobj_refs`), so that deleting the last cap to an object finds it still in use and cleans it up
// (a thread is suspended, a notification unbound and its waiters cancelled, a scheduling context
// unbound) before its memory can be retyped.
//
// Live (`live0`, l4v branch `rt`) in this slice: a TCB whose state is neither Inactive nor
// IdleThreadState, or that has a bound notification, or a bound scheduling context other than the
// idle one (`idle_sc_ptr`); a notification with waiters or a bound thread (this slice has no
// notification-bound scheduling contexts, `ntfn_sc`); a scheduling context with a bound thread
// other than the idle thread (`live_sc`: no `sc_yield_from`, `sc_ntfn` or replies here). So the
// idle thread and its scheduling context are not live, and need no cap (no cap can name them:
// `Invariants+Idle.swift`). An endpoint with a queue is live (`live0`: not IdleEP); replies
// hold no thread in this slice, so they never are; CNodes never are. The caps that name an
// object (`zobj_refs`, which is `obj_refs` with no Zombies in this slice): endpoint,
// notification, reply, CNode, thread and scheduling-context caps; an untyped cap names none.
//
// The incremental check (`ifLiveThenNonzCapHolds`, called from `Invariants+Incremental.swift`)
// looks where it can have broken: at a slot whose cap changed, at the object the old cap named
// (it may have lost its last cap: the declared read `cap`); and at each object the step changed,
// which may have become live (one
// that was live before had a cap then). Each such object, if live, must be named by a cap, which the
// checker's index of caps by address answers (`CapIndex.firstCap`) without a scan.
// Twins: `ExecutableSpec/Invariants+Live.swift`, `Kernel/Invariants+Live.swift`.

public import KernelABI

extension AbstractState {
  /// l4v `live0`, for the objects of this slice (see the top of this file).
  public static func isLive(_ object: KernelObject) -> Bool {
    switch object {
    case .tcb(let tcb):
      (tcb.state != .inactive && tcb.state != .idleThreadState) || tcb.boundNotification != nil
        || (tcb.schedContext != nil && tcb.schedContext != KernelConstants.idleSCPtr)
    case .notification(let ntfn):
      if case .waiting = ntfn.state { true } else { ntfn.boundTCB != nil }
    case .schedContext(let sc): sc.tcb != nil && sc.tcb != KernelConstants.idleThreadPtr
    case .endpoint(let ep): ep.state != .idle
    // A reply linked to a thread is live (l4v-rt `live0`: `reply_tcb` or `reply_sc` set).
    case .reply(let reply): reply.tcb != nil
    case .cnode, .opaque: false
    }
  }

  /// The object `cap` names for `ex_nonz_cap_to` (l4v `zobj_refs`); nil for a cap naming none.
  public static func zobjRef(_ cap: Capability) -> ObjectRef? {
    switch cap {
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .cnode(let r, _, _, _),
      .thread(let r), .schedContext(let r, _):
      r
    case .untyped, .null, .schedControl, .irqControl, .irqHandler, .domain: nil
    }
  }

  /// `if_live_then_nonz_cap`: every live object, in address order, that no cap of `caps` names.
  func ifLiveThenNonzCap(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    var named: Set<ObjectRef> = Set(minimumCapacity: caps.count)
    for (_, cap) in caps { if let r = AbstractState.zobjRef(cap) { named.insert(r) } }
    var unnamed: [ObjectRef] = []
    for (address, object) in kheap where AbstractState.isLive(object) && !named.contains(address) {
      unnamed.append(address)
    }
    return unnamed.sorted().map { address in
      InvariantViolation(
        "if_live_then_nonz_cap",
        "\(AbstractState.liveDescription(kheap[address])) \(hex(address)) is live but no cap names it")
    }
  }

  /// What a live object is, for a violation's text.
  static func liveDescription(_ object: KernelObject?) -> String {
    switch object {
    case .tcb(let tcb)?:
      "thread (\(tcb.state), notification \(tcb.boundNotification.map(hex) ?? "none"), scheduling context \(tcb.schedContext.map(hex) ?? "none"))"
    case .notification(let ntfn)?: "notification (\(ntfn.state), bound to \(ntfn.boundTCB.map(hex) ?? "none"))"
    case .schedContext(let sc)?: "scheduling context (bound to \(sc.tcb.map(hex) ?? "none"))"
    default: "object"
    }
  }

  /// `if_live_then_nonz_cap` where a step from `before` can have broken it, given that it held
  /// there: each object of `changed` that was not live in `before` (one that was had a cap then,
  /// and keeps it unless a changed slot held it), and each named by a cap of `lostCaps` (the caps
  /// the changed slots held before), if live now, is named by some cap that `index` lists at its
  /// address.
  func ifLiveThenNonzCapHolds(
    after before: AbstractState, changed: [ObjectRef], lostCaps: some Sequence<Capability>, index: some CapIndex
  ) -> Bool {
    func holds(_ address: ObjectRef) -> Bool {
      guard let object = kheap[address], AbstractState.isLive(object) else { return true }
      return index.firstCap(at: address) { AbstractState.zobjRef(getCap($0)) == address } != nil
    }
    for address in changed where !holds(address) {
      if let old = before.kheap[address], AbstractState.isLive(old) { continue }
      return false
    }
    for cap in lostCaps { if let r = AbstractState.zobjRef(cap), !holds(r) { return false } }
    return true
  }
}

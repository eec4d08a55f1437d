// `if_live_then_nonz_cap'` of the executable state (`l4v:proof/refine/Invariants_H.thy`
// `if_live_then_nonz_cap'`, `ko_wp_at' live'`, `ex_nonz_cap_to'`): every live object has a cap to
// it that is not a Zombie, so that deleting the last cap to an object finds it still in use and
// cleans it up before its memory can be retyped.
//
// Live (`live'`, l4v branch `rt`: `live0'`, `live_sc'`) in this slice: a TCB whose state is
// neither Inactive nor IdleThreadState, or that has a bound notification, or a bound scheduling
// context other than the idle one (`idle_sc_ptr`); a notification with waiters or a bound
// thread; a scheduling context with a bound thread other than the idle thread. So the idle
// objects are not live and need no cap (`Invariants+Idle.swift`). Endpoints carry no
// state in this slice and replies no thread, so neither is ever live; CNodes never are. The caps
// that name an object (`zobj_refs'`): endpoint, notification, reply, CNode, thread and
// scheduling-context caps; an untyped cap names none.
//
// The incremental check (`ifLiveThenNonzCapHolds`, called from `Invariants+Incremental.swift`)
// looks where it can have broken: at a slot whose cap changed, at the object the old cap named
// (the declared read `cap`); and at each object the step changed, which may have become live (one
// that was live before had a cap then).
// Each such object, if live, must be named by a cap, which the checker's index of caps by
// address answers (`CapIndex.firstCap`) without a scan.
// Twins: `AbstractSpec/Invariants+Live.swift`, `Kernel/Invariants+Live.swift`.

public import KernelABI

extension ExecState {
  /// l4v `live'`, for the objects of this slice (see the top of this file).
  public static func isLive(_ object: KernelObject) -> Bool {
    switch object {
    case .tcb(let tcb):
      (tcb.state != .inactive && tcb.state != .idleThreadState) || tcb.tcbBoundNotification != nil
        || (tcb.schedContext != nil && tcb.schedContext != KernelConstants.idleSCPtr)
    case .notification(let ntfn):
      if case .waitingNtfn = ntfn.ntfnObj { true } else { ntfn.ntfnBoundTCB != nil }
    case .schedContext(let sc): sc.tcb != nil && sc.tcb != KernelConstants.idleThreadPtr
    case .endpoint(let ep): ep != .idleEP
    // A reply tied to a thread is live (l4v-rt `live'`: `replyTCB` set).
    case .reply(let reply): reply.replyTCB != nil
    case .cnode, .opaque: false
    }
  }

  /// The object `cap` names for `ex_nonz_cap_to'` (l4v `zobj_refs'`); nil for a cap naming none.
  public static func zobjRef(_ cap: Capability) -> ObjectRef? {
    switch cap {
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .cnode(let r, _, _, _),
      .thread(let r), .schedContext(let r, _):
      r
    case .untyped, .null, .schedControl, .irqControl, .irqHandler, .domain: nil
    }
  }

  /// `if_live_then_nonz_cap'`: every live object, in address order, that no cap names.
  func ifLiveThenNonzCapViolations() -> [InvariantViolation] {
    var named: Set<ObjectRef> = []
    for (_, object) in ksPSpace {
      for (_, entry) in object.execSlots { if let r = ExecState.zobjRef(entry.cap) { named.insert(r) } }
    }
    var unnamed: [ObjectRef] = []
    for (address, object) in ksPSpace where ExecState.isLive(object) && !named.contains(address) {
      unnamed.append(address)
    }
    return unnamed.sorted().map { address in
      InvariantViolation(
        "if_live_then_nonz_cap'",
        "\(ExecState.liveDescription(ksPSpace[address])) \(hex(address)) is live but no cap names it")
    }
  }

  /// What a live object is, for a violation's text.
  static func liveDescription(_ object: KernelObject?) -> String {
    switch object {
    case .tcb(let tcb)?:
      "thread (\(tcb.state), notification \(tcb.tcbBoundNotification.map(hex) ?? "none"), scheduling context \(tcb.schedContext.map(hex) ?? "none"))"
    case .notification(let ntfn)?: "notification (\(ntfn.ntfnObj), bound to \(ntfn.ntfnBoundTCB.map(hex) ?? "none"))"
    case .schedContext(let sc)?: "scheduling context (bound to \(sc.tcb.map(hex) ?? "none"))"
    default: "object"
    }
  }

  /// `if_live_then_nonz_cap'` where a step from `before` can have broken it, given that it held
  /// there: each object of `changed` that was not live in `before` (one that was had a cap then,
  /// and keeps it unless a changed slot held it), and each named by a cap of `lostCaps` (the caps
  /// the changed slots held before), if live now, is named by some cap that `index` lists at its
  /// address.
  func ifLiveThenNonzCapHolds(
    after before: ExecState, changed: [ObjectRef], lostCaps: some Sequence<Capability>, index: some CapIndex
  ) -> Bool {
    func holds(_ address: ObjectRef) -> Bool {
      guard let object = ksPSpace[address], ExecState.isLive(object) else { return true }
      return index.firstCap(at: address) { ExecState.zobjRef(cte(at: $0)?.cap ?? .null) == address } != nil
    }
    for address in changed where !holds(address) {
      if let old = before.ksPSpace[address], ExecState.isLive(old) { continue }
      return false
    }
    for cap in lostCaps { if let r = ExecState.zobjRef(cap), !holds(r) { return false } }
    return true
  }
}

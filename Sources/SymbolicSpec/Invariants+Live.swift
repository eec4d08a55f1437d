// `if_live_then_nonz_cap` over the twin's threads and notifications and its slots' caps: the twin
// of `AbstractSpec/Invariants+Live.swift`, for the objects the twin holds (other live objects, such
// as scheduling contexts and endpoints, are not in the twin). Live (`live0`): a thread neither
// Inactive nor in IdleThreadState, or bound to a notification, or to a scheduling context other
// than the idle one; a notification with waiters or a bound thread. A cap names an object when it
// is an endpoint, notification, reply, CNode, thread or scheduling-context cap with its address
// (`zobj_refs`). (`l4v:proof/invariant-abstract/Invariants_AI.thy`: `if_live_then_nonz_cap`.)

public import Bitwise
public import KernelABI

extension TwinState {
  /// True iff some slot's cap names the object at `address` (`ex_nonz_cap_to`).
  public func capNames(_ address: ObjectRef) -> Word.Condition {
    Self.any(slots.map { $0.cap.namesObject .&& ($0.cap.ref .== Word(constant: address)) })
  }

  /// `if_live_then_nonz_cap` for the twin's threads and notifications.
  public func ifLiveThenNonzCap() -> Word.Condition {
    let idleSC = Word(constant: KernelConstants.idleSCPtr)
    let threadsOK = threads.indices.map { k in
      let t = threads[k]
      let live =
        (.!t.is(.inactive) .&& .!t.is(.idleThreadState)) .|| (t.boundNotification .!= 0)
        .|| ((t.schedContext .!= 0) .&& (t.schedContext .!= idleSC))
      return live .=> capNames(threadRefs[k])
    }
    let notificationsOK = notifications.indices.map { k in
      let n = notifications[k]
      return (n.is(.waiting) .|| (n.boundTCB .!= 0)) .=> capNames(notificationRefs[k])
    }
    return Self.all(threadsOK + notificationsOK)
  }
}

extension TwinCap {
  /// True iff the cap names an object for `zobj_refs`: an endpoint, notification, reply, CNode,
  /// thread or scheduling-context cap.
  public var namesObject: W.Condition {
    `is`(.endpoint) .|| `is`(.notification) .|| `is`(.reply) .|| `is`(.cnode) .|| `is`(.thread)
      .|| `is`(.schedContext)
  }
}

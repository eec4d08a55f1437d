// The notifications' invariants as formulas over the twin's threads and notifications: the twin of
// `AbstractSpec/Invariants+Notification.swift` (`valid_ntfn`, and the notification parts of
// `sym_refs`, `ntfn_queue` and `ntfn_bound`), over the objects the twin holds. The list of the
// object conjuncts the obligations prove (`objectConjuncts`) is here; `only_idle`, `valid_idle`
// (`Invariants+Idle.swift`) and `if_live_then_nonz_cap` (`Invariants+Live.swift`) are in it.
// (`l4v:proof/invariant-abstract/Invariants_AI.thy`: `valid_ntfn`, `state_refs_of`, `sym_refs`.)

public import Bitwise

extension TwinState {
  /// `valid_ntfn` of every notification: a Waiting one's queue is not empty and holds no thread
  /// twice, and a bound one has no other thread waiting on it.
  public func validNtfn() -> Word.Condition {
    Self.all(
      notifications.map { n in
        let bound =
          (n.boundTCB .== 0)
          .|| (((n.queueLength .< 1) .|| (n.first .== n.boundTCB))
            .&& ((n.queueLength .< 2) .|| (n.second .== n.boundTCB)))
        let distinct = (n.queueLength .< 2) .|| (n.first .!= n.second)
        return n.is(.waiting) .=> ((n.queueLength .!= 0) .&& distinct .&& bound)
      })
  }

  /// `ntfn_queue`: each thread in a notification's queue is a thread blocked on that
  /// notification, and each thread so blocked is in that queue.
  public func ntfnQueue() -> Word.Condition {
    var conditions: [Word.Condition] = []
    for (k, n) in notifications.enumerated() {
      let address = Word(constant: notificationRefs[k])
      for (position, entry) in [(1, n.first), (2, n.second)] {
        let waiter = thread(entry)
        conditions.append(
          (n.is(.waiting) .&& (n.queueLength .>= Word(constant: UInt64(position))))
            .=> (waiter.is(.blockedOnNotification) .&& (waiter.waitingOn .== address)))
      }
    }
    for (k, t) in threads.enumerated() {
      let me = Word(constant: threadRefs[k])
      let queued = Self.any(
        notifications.indices.map { j in
          (t.waitingOn .== Word(constant: notificationRefs[j])) .&& notifications[j].is(.waiting)
            .&& notifications[j].queues(me)
        })
      conditions.append(t.is(.blockedOnNotification) .=> queued)
    }
    return Self.all(conditions)
  }

  /// `ntfn_bound`: a thread names its bound notification exactly when the notification names it.
  public func ntfnBound() -> Word.Condition {
    var conditions: [Word.Condition] = []
    for (k, n) in notifications.enumerated() {
      let address = Word(constant: notificationRefs[k])
      conditions.append((n.boundTCB .!= 0) .=> (thread(n.boundTCB).boundNotification .== address))
    }
    for (k, t) in threads.enumerated() {
      let me = Word(constant: threadRefs[k])
      conditions.append((t.boundNotification .!= 0) .=> (notification(t.boundNotification).boundTCB .== me))
    }
    return Self.all(conditions)
  }

  /// The conjuncts the notification obligations prove, over the twin's objects (and, for
  /// `if_live_then_nonz_cap`, its slots' caps): `valid_ntfn`, `ntfn_queue`, `ntfn_bound`,
  /// `only_idle`, `valid_idle` (its thread part) and `if_live_then_nonz_cap` (for the threads and
  /// notifications). Each obligation assumes all of them but `if_live_then_nonz_cap` of the
  /// pre-state, and that one too when it is the goal.
  public static var objectConjuncts: [TwinConjunct<D>] {
    [
      TwinConjunct(name: "valid_ntfn", invariant: "valid_objs") { $0.validNtfn() },
      TwinConjunct(name: "ntfn_queue", invariant: "sym_refs") { $0.ntfnQueue() },
      TwinConjunct(name: "ntfn_bound", invariant: "sym_refs") { $0.ntfnBound() },
      TwinConjunct(name: "only_idle", invariant: "only_idle") { $0.onlyIdle() },
      TwinConjunct(name: "valid_idle", invariant: "valid_idle") { $0.validIdle() },
      TwinConjunct(name: "if_live_then_nonz_cap", invariant: "if_live_then_nonz_cap") { $0.ifLiveThenNonzCap() },
    ]
  }

  /// The object conjuncts an obligation whose goal is `goal` assumes of the pre-state.
  public static func objectHypotheses(for goal: String) -> [TwinConjunct<D>] {
    objectConjuncts.filter { $0.name != "if_live_then_nonz_cap" || $0.name == goal }
  }
}

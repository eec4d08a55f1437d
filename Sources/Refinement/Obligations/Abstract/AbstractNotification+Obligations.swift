// Obligations that the notification operations preserve the object invariants, for every state of
// a bounded shape: `abstract.<event>.preserves.<conjunct>` for Signal, Wait, Poll and the TCB's
// BindNotification and UnbindNotification, and the TCB's Suspend (issue 16, stage A).
//
// Each runs the twin's operation (`SymbolicSpec/Notification.swift`: `sendSignal`,
// `receiveSignal`, `bindNotification`, `unbindNotification`; `Scheduler.swift`: `suspend`) on
// `PathDomain`, once per path. The
// pre-state is the shape's slots and its objects (`AbstractShape.threadRefs`: two threads and the
// idle thread; `notificationRefs`: one notification), every field a word; the event's arguments
// are words (the badge, the calling or invoked thread), with the guarantees its decoder and the
// system call path give as hypotheses. The other hypotheses: the objects' encoding constraints
// (`objectsTypeOK`: stored references name objects of the shape, a queue holds at most two), every
// object conjunct but `if_live_then_nonz_cap` of the pre-state (`objectHypotheses(for:)`), that one
// too when it is the goal (with the slots' type constraints). The goal: on every path, its condition
// implies the conjunct of the path's post-state. Paths outside the twin (a bound thread blocked on
// an endpoint, a third waiter) are left out as hypotheses, and the bound says so.
//
// The frame rule (docs/abstract-proofs.md): an event has an obligation for a conjunct only when it
// writes a word the conjunct reads (`TwinNotificationEvent.conjuncts`); Signal, Wait and Poll
// write no bound thread or notification, so `ntfn_bound` is not theirs, and Poll, BindNotification
// and UnbindNotification write no thread state, so `only_idle` is not theirs (nor `valid_idle` for
// Poll); Suspend writes no binding, so `ntfn_bound` is not its.

import Bitwise
public import KernelABI
import SMT
public import SymbolicSpec

/// A notification event as the obligations run it.
public struct TwinNotificationEvent: Sendable {
  /// The event's name in obligation names (`signal`, ...).
  public let name: String
  /// What the decoder and the system call path guarantee, for the statement.
  public let guarantees: String
  /// The object conjuncts whose words the event writes (the frame rule), in `objectConjuncts`' order.
  public let conjuncts: [String]
  /// Declare the arguments in `scope`, assume their guarantees of `state`, and return the run.
  let declare: @Sendable (_ state: TwinState<PathDomain>, _ scope: ProofScope) -> [SymbolicWord]
  /// Run the event with the declared arguments.
  let run: @Sendable (_ state: inout TwinState<PathDomain>, _ arguments: [SymbolicWord]) -> Void

  /// The shape's notification, the one every event names.
  static var ntfn: SymbolicWord { SymbolicWord(constant: AbstractShape.notificationRefs[0]) }

  /// A thread argument: one of the shape's threads other than the idle thread (no cap names the
  /// idle thread, and it makes no system call).
  static func thread(_ name: String, _ scope: ProofScope) -> SymbolicWord {
    let thread = scope.word(name)
    let own = AbstractShape.threadRefs.filter { $0 != KernelConstants.idleThreadPtr }
    scope.assume(own.reduce(SymbolicBool.known(false)) { $0 .|| (thread .== SymbolicWord(constant: $1)) })
    return thread
  }

  /// A cap of kind `tag` to the object at `ref` sits in some slot of the shape (the invoked cap,
  /// or an extra cap the invocation looked up).
  static func capIn(_ state: TwinState<PathDomain>, _ tag: TwinCapTag, _ ref: SymbolicWord) -> SymbolicBool {
    state.slots.reduce(.known(false)) { $0 .|| ($1.cap.is(tag) .&& ($1.cap.ref .== ref)) }
  }

  /// The events, in `AbstractSpec/Notification.swift`'s order of their operations, then TCB
  /// Suspend (`suspend`, `AbstractSpec/Scheduler.swift`: its body without the scheduler).
  public static let notificationEvents: [TwinNotificationEvent] = [
    TwinNotificationEvent(
      name: "signal",
      guarantees:
        "the invoked cap, in a slot of the shape, is a notification cap to the shape's notification (with Write; its badge the argument)",
      conjuncts: ["valid_ntfn", "ntfn_queue", "only_idle", "valid_idle", "if_live_then_nonz_cap"],
      declare: { state, scope in
        scope.assume(capIn(state, .notification, ntfn))
        return [scope.word("arg.badge")]
      },
      run: { state, arguments in state.sendSignal(ntfn, arguments[0]) }),
    TwinNotificationEvent(
      name: "wait",
      guarantees: receiverGuarantees,
      conjuncts: ["valid_ntfn", "ntfn_queue", "only_idle", "valid_idle", "if_live_then_nonz_cap"],
      declare: { state, scope in receiver(state, scope) },
      run: { state, arguments in state.receiveSignal(arguments[0], ntfn, isBlocking: true) }),
    TwinNotificationEvent(
      name: "poll",
      guarantees: receiverGuarantees,
      conjuncts: ["valid_ntfn", "ntfn_queue", "if_live_then_nonz_cap"],
      declare: { state, scope in receiver(state, scope) },
      run: { state, arguments in state.receiveSignal(arguments[0], ntfn, isBlocking: false) }),
    TwinNotificationEvent(
      name: "bindNotification",
      guarantees:
        "the invoked cap, in a slot of the shape, is a thread cap to a thread of the shape other than the idle thread, bound to no notification; the extra cap, in a slot of the shape, is a notification cap to the shape's notification (with Read), which is bound to no thread and not Waiting (`decodeBindNotification`)",
      conjuncts: ["valid_ntfn", "ntfn_bound", "valid_idle", "if_live_then_nonz_cap"],
      declare: { state, scope in
        let tcb = thread("arg.tcb", scope)
        scope.assume(capIn(state, .thread, tcb) .&& capIn(state, .notification, ntfn))
        let notification = state.notification(ntfn)
        scope.assume((state.thread(tcb).boundNotification .== 0) .&& (notification.boundTCB .== 0))
        scope.assume(.!notification.is(.waiting))
        return [tcb]
      },
      run: { state, arguments in state.bindNotification(arguments[0], ntfn) }),
    TwinNotificationEvent(
      name: "unbindNotification",
      guarantees:
        "the invoked cap, in a slot of the shape, is a thread cap to a thread of the shape other than the idle thread, bound to a notification (`decodeUnbindNotification`)",
      conjuncts: ["valid_ntfn", "ntfn_bound", "valid_idle", "if_live_then_nonz_cap"],
      declare: { state, scope in
        let tcb = thread("arg.tcb", scope)
        scope.assume(capIn(state, .thread, tcb) .&& (state.thread(tcb).boundNotification .!= 0))
        return [tcb]
      },
      run: { state, arguments in state.unbindNotification(arguments[0]) }),
    TwinNotificationEvent(
      name: "suspend",
      guarantees:
        "the invoked cap, in a slot of the shape, is a thread cap to a thread of the shape other than the idle thread (TCB_Suspend decodes nothing more)",
      conjuncts: ["valid_ntfn", "ntfn_queue", "only_idle", "valid_idle", "if_live_then_nonz_cap"],
      declare: { state, scope in
        let tcb = thread("arg.tcb", scope)
        scope.assume(capIn(state, .thread, tcb))
        return [tcb]
      },
      run: { state, arguments in state.suspend(arguments[0]) }),
  ]

  /// What `receiver` assumes, for Wait and Poll alike.
  static let receiverGuarantees =
    "the caller is a Running thread of the shape other than the idle thread; the invoked cap, in a slot of the shape, is a notification cap to the shape's notification (with Read), which is bound to no thread or to the caller (`handleRecv`)"

  /// Wait's and Poll's caller and their guarantees.
  static func receiver(_ state: TwinState<PathDomain>, _ scope: ProofScope) -> [SymbolicWord] {
    let caller = thread("arg.caller", scope)
    scope.assume(state.thread(caller).is(.running) .&& capIn(state, .notification, ntfn))
    let bound = state.notification(ntfn).boundTCB
    scope.assume((bound .== 0) .|| (bound .== caller))
    return [caller]
  }

  /// The symbolic pre-state of `shape` with the notification shape's objects, named `<prefix>.`.
  static func state(_ domain: PathDomain, _ shape: AbstractShape, _ scope: ProofScope, _ prefix: String)
    -> TwinState<PathDomain>
  {
    var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("\(prefix).\($0)") }
    state.addObjects(threadRefs: AbstractShape.threadRefs, notificationRefs: AbstractShape.notificationRefs) {
      scope.word("\(prefix).\($0)")
    }
    return state
  }

  /// Assume `state`'s encoding constraints and the object conjuncts a goal of `goal` assumes.
  static func assumeHypotheses(_ state: TwinState<PathDomain>, for goal: String, _ scope: ProofScope) {
    scope.assume(state.objectsTypeOK())
    if goal == "if_live_then_nonz_cap" { scope.assume(state.typeOK()) }
    for conjunct in TwinState<PathDomain>.objectHypotheses(for: goal) { scope.assume(conjunct.holds(state)) }
  }

  /// Every path of the event from `state`, with its post-state and whether it is left out.
  func explore(_ state: TwinState<PathDomain>, _ arguments: [SymbolicWord]) throws(PathDomain.TooManyPaths)
    -> [PathDomain.Path<TwinState<PathDomain>>]
  {
    try state.domain.explore(maxPaths: TwinEvent.maxPaths) {
      var post = state
      run(&post, arguments)
      return post
    }
  }
}

extension AbstractShape {
  /// The threads of the notification obligations' shape: two, and the idle thread.
  public static let threadRefs: [ObjectRef] = [0x20000, 0x20400, KernelConstants.idleThreadPtr]
  /// The notification of the notification obligations' shape.
  public static let notificationRefs: [ObjectRef] = [0x30000]
  /// How statements name the objects.
  static let objectsDescription = "2 threads, the idle thread and 1 notification"
}

extension Obligation {
  /// `abstract.<event>.preserves.<conjunct>` for every notification event and each object conjunct
  /// it writes, over `shape` with the notification shape's objects; with `mutant` planted, or with
  /// every path's post-state replaced by fresh words (`havoc`, the mutation test's catch-all).
  public static func abstractNotifications(
    shape: AbstractShape = .default, mutant: TwinObjectMutant? = nil, havoc: Bool = false
  ) -> [Obligation] {
    let bound =
      "for every state of \(shape) with \(AbstractShape.objectsDescription) of the symbolic twin (SymbolicSpec; its agreement with AbstractSpec is tested, not proved), stored references naming objects of the shape, queues of at most two waiters, no scheduling context on the notification, the scheduler's state outside the twin, no thread blocked on an endpoint or a reply (the twin's `other` state: a Signal to an Idle notification whose bound thread is in it, or the Suspend of such a thread, is not covered)"
    return TwinNotificationEvent.notificationEvents.flatMap { event in
      event.conjuncts.map { goal in
        let hypotheses = TwinState<PathDomain>.objectHypotheses(for: goal).map(\.name).joined(separator: ", ")
        return Obligation(
          "abstract.\(event.name).preserves.\(goal)",
          "for every state of \(shape) with \(AbstractShape.objectsDescription) satisfying the object encoding and the twin invariants \(hypotheses), and every argument word under the event's guarantees (\(event.guarantees)), the \(event.name) event's body (the notification operation, without the scheduler) preserves \(goal)",
          bound: bound, shape: shape
        ) { scope in
          let domain = PathDomain()
          var state = TwinNotificationEvent.state(domain, shape, scope, "pre")
          state.plant(mutant)
          TwinNotificationEvent.assumeHypotheses(state, for: goal, scope)
          let arguments = event.declare(state, scope)
          let paths: [PathDomain.Path<TwinState<PathDomain>>]
          do throws(PathDomain.TooManyPaths) {
            paths = try event.explore(state, arguments)
          } catch {
            scope.fail("abstract.\(event.name): \(error)")
            return .known(false)
          }
          for path in paths where path.result.objectBoundReached { scope.assume(.!path.condition) }
          let havocked = TwinNotificationEvent.state(domain, shape, scope, "post")
          let conjunct = TwinState<PathDomain>.objectConjuncts.first { $0.name == goal }
          return paths.filter { !$0.result.objectBoundReached }.reduce(SymbolicBool.known(true)) { all, path in
            all .&& (.!path.condition .|| (conjunct?.holds(havoc ? havocked : path.result) ?? .known(false)))
          }
        }
      }
    }
  }

  /// Non-vacuity witnesses for the notification obligations (not in the catalogue; a test
  /// discharges them): each event's hypotheses for every goal, with a pre-state that is not
  /// trivial: the second thread bound to the notification and waiting on it (for Signal); the
  /// first thread waiting on it (for Suspend);
  /// the notification Waiting with the second thread and the first thread Running, unbound (for
  /// Wait and Poll); both threads and the notification unbound, the first thread Running (for
  /// BindNotification); the first thread bound (for UnbindNotification). The goal is false, so
  /// `refuted` shows the hypotheses admit such a state.
  public static func abstractNotificationWitnesses(shape: AbstractShape = .default) -> [Obligation] {
    TwinNotificationEvent.notificationEvents.map { event in
      Obligation(
        "witness.abstract.\(event.name)",
        "the hypotheses of abstract.\(event.name).preserves.* admit a notification with a waiter or a bound thread"
      ) { scope in
        let domain = PathDomain()
        let state = TwinNotificationEvent.state(domain, shape, scope, "pre")
        TwinNotificationEvent.assumeHypotheses(state, for: "if_live_then_nonz_cap", scope)
        let (t0, t1) = (state.threads[0], state.threads[1])
        let n = state.notifications[0]
        let (a0, a1) = (
          SymbolicWord(constant: AbstractShape.threadRefs[0]), SymbolicWord(constant: AbstractShape.threadRefs[1])
        )
        switch event.name {
        case "signal":
          scope.assume(n.is(.waiting) .&& (n.first .== a1) .&& (n.boundTCB .== a1))
        case "wait", "poll":
          scope.assume(n.is(.waiting) .&& (n.first .== a1) .&& t0.is(.running) .&& (n.boundTCB .== 0))
        case "bindNotification":
          scope.assume(t0.is(.running) .&& (t0.boundNotification .== 0) .&& (n.boundTCB .== 0) .&& t1.is(.inactive))
        case "suspend":
          scope.assume(n.is(.waiting) .&& (n.first .== a0) .&& t0.is(.blockedOnNotification))
        default:
          scope.assume(t0.boundNotification .== TwinNotificationEvent.ntfn)
        }
        let arguments = event.declare(state, scope)
        // The thread the event names (the caller, or the invoked thread) is the first one.
        if event.name != "signal" { scope.assume(arguments[0] .== a0) }
        return .known(false)
      }
    }
  }
}

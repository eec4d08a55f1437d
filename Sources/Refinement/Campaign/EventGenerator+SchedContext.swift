// The generator's SchedContext events (`SchedContext.swift` in each layer): Bind, Unbind,
// UnbindObject, Consumed and YieldTo on a scheduling-context cap the thread can invoke, each sent
// as a Call (a Send for one in ten: Consumed and YieldTo then answer no one). The arguments lean
// toward calls that pass decoding (Bind an unbound context to a thread without one, or to a
// notification without one; UnbindObject the context's own thread or notification; YieldTo a
// context whose thread is not the caller) and spread the rest over each check's failure: a context
// or thread already bound, a blocked thread with an unreleased context, an object that is not the
// context's, the caller's own context, a cap of another kind, no extra cap. The kernel path names
// the method and, for Bind and UnbindObject, the kind of the extra cap:
// `schedContext.SchedContext_Bind.notification`, `schedContext.SchedContext_YieldTo`.
// (`seL4:src/object/schedcontext.c`.)

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The SchedContext methods, in label order, and how often each is chosen (of 20): Bind 6,
  /// Unbind 2, UnbindObject 4, Consumed 3, YieldTo 5.
  static let schedContextMethods: [(label: InvocationLabel, weight: UInt64)] = [
    (.schedContextBind, 6), (.schedContextUnbind, 2), (.schedContextUnbindObject, 4), (.schedContextConsumed, 3),
    (.schedContextYieldTo, 5),
  ]

  /// The scheduling-context caps the thread can invoke.
  func schedContextCaps(_ view: View) -> [ReachableSlot] {
    view.full.filter { if case .schedContext = $0.cap { $0.invocationCptr != nil } else { false } }
  }

  /// One SchedContext method on a scheduling-context cap (the file's header); garbage when the
  /// thread can name none.
  mutating func schedContextInvocation(_ view: View) -> Event {
    let contexts = schedContextCaps(view)
    guard !contexts.isEmpty else { return garbage(view) }
    var pick = rng.below(20)
    var label = InvocationLabel.schedContextBind
    for method in Self.schedContextMethods {
      if pick < method.weight {
        label = method.label
        break
      }
      pick -= method.weight
    }
    let state = view.state
    func context(_ slot: ReachableSlot) -> SchedContext? { slot.cap.objectRef.flatMap { state.schedContext(at: $0) } }
    let caller = state.currentThread
    let threads = threadCaps(view)
    let notifications = view.full.filter { if case .notification = $0.cap { $0.invocationCptr != nil } else { false } }
    var sc = rng.pick(contexts)
    var extra: ReachableSlot? = nil
    switch label {
    case .schedContextBind:
      if rng.chance(55) {
        // A thread: usually an unbound context and a thread without one.
        sc = (rng.chance(75) ? rng.pick(contexts.filter { context($0)?.tcb == nil }) : nil) ?? sc
        let free = threads.filter { slot in
          slot.cap.objectRef.map { state.tcb(at: $0)?.schedContext == nil } ?? false
        }
        extra = (rng.chance(75) ? rng.pick(free) : nil) ?? rng.pick(threads)
      } else if rng.chance(80) {
        // A notification: usually an unbound context and a notification without one.
        sc = (rng.chance(75) ? rng.pick(contexts.filter { context($0)?.ntfn == nil }) : nil) ?? sc
        let free = notifications.filter { slot in
          slot.cap.objectRef.map { state.notification(at: $0)?.sc == nil } ?? false
        }
        extra = (rng.chance(75) ? rng.pick(free) : nil) ?? rng.pick(notifications)
      } else {
        extra = rng.pick(view.full.filter { $0.invocationCptr != nil })
      }
    case .schedContextUnbindObject:
      if rng.chance(60) {
        // The context's own thread (the caller's own half the time it is current) or notification.
        let bound = contexts.filter { context($0)?.tcb != nil || context($0)?.ntfn != nil }
        sc = rng.pick(bound) ?? sc
        let own = context(sc ?? contexts[0])
        let ownObjects = view.full.filter { slot in
          switch slot.cap {
          case .thread(let t): t == own?.tcb && slot.invocationCptr != nil
          case .notification(let n, _, _): n == own?.ntfn && slot.invocationCptr != nil
          default: false
          }
        }
        extra = rng.pick(ownObjects) ?? rng.pick(threads)
      } else {
        extra = rng.pick(rng.chance(70) ? threads + notifications : view.full.filter { $0.invocationCptr != nil })
      }
    case .schedContextYieldTo, .schedContextUnbind:
      // Usually a context bound to another thread than the caller.
      let others = contexts.filter { context($0)?.tcb != nil && context($0)?.tcb != caller }
      sc = (rng.chance(70) ? rng.pick(others) : nil) ?? sc
    default:
      break
    }
    guard let sc, let cptr = sc.invocationCptr else { return garbage(view) }
    // No extra cap for one in twenty Binds and UnbindObjects: TruncatedMessage.
    let extraCaps = (extra?.invocationCptr).map { rng.chance(95) ? [$0] : [] } ?? []
    let hasExtra = label == .schedContextBind || label == .schedContextUnbindObject
    lastPath =
      "schedContext.\(label.libsel4Name)"
      + (hasExtra ? ".\(Self.kind(extraCaps.isEmpty ? .null : extra?.cap ?? .null))" : "")
    let syscall: Syscall = rng.chance(90) ? .call : .send
    return call(cptr, label: label.rawValue, [], extraCaps: hasExtra ? extraCaps : [], syscall: syscall)
  }
}

// The generator's TCB_SetSchedParams, TCB_BindNotification, TCB_UnbindNotification and
// TCB_SetTimeoutEndpoint events. Mostly well formed (the error paths come from the 10–25% of picks
// that take any cap instead, and from `perturb`): a thread cap, usually another thread's (a thread
// that unbinds its own scheduling context is refused, and one that takes another's is refused
// too), the caps the method takes, and for SetSchedParams values within the authority's MCP. A
// thread that has lost its scheduling context gets one back more often than not (an unbound one
// the thread can name), so that traces do not starve. The kernel path names the kind of the cap
// the method turns on: `setSchedParams.schedContext`, `bindNotification.notification`.

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The thread caps the thread can invoke.
  func threadCaps(_ view: View) -> [ReachableSlot] {
    view.full.filter { if case .thread = $0.cap { $0.invocationCptr != nil } else { false } }
  }

  /// A thread cap to invoke a TCB method on: another thread's 90 times in 100.
  mutating func pickTargetThread(_ view: View) -> ReachableSlot? {
    let threads = threadCaps(view)
    let others = threads.filter { $0.cap != .thread(view.state.currentThread) }
    return (rng.chance(90) ? rng.pick(others) : nil) ?? rng.pick(threads)
  }

  /// The cptr of an empty slot (a Null cap), or of any slot when there is none.
  mutating func emptyCptr(_ view: View) -> UInt64 {
    rng.pick(view.empty.compactMap(\.invocationCptr)) ?? rng.pick(view.slots.compactMap(\.invocationCptr)) ?? 0
  }

  /// A fault or timeout handler: Null half the time, else an endpoint cap (any cap for 10%).
  mutating func pickHandler(_ view: View) -> UInt64 {
    if rng.chance(50) { return emptyCptr(view) }
    let endpoints = view.full.filter { if case .endpoint = $0.cap { $0.invocationCptr != nil } else { false } }
    let pool = rng.chance(90) ? endpoints : view.full.filter { $0.invocationCptr != nil }
    return rng.pick(pool)?.invocationCptr ?? emptyCptr(view)
  }

  /// TCB_SetSchedParams: MR0 the MCP, MR1 the priority (within the authority's MCP 80% of the
  /// time), extra caps the authority thread, a scheduling context (the target's own, an unbound
  /// one, Null, or any cap) and the fault handler.
  mutating func setSchedParams(_ view: View) -> Event {
    let threads = threadCaps(view)
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr,
      let authority = rng.pick(threads), let authorityCptr = authority.invocationCptr,
      case .thread(let targetRef) = target.cap
    else { return garbage(view) }
    var mcp: UInt64 = 0
    if case .thread(let ref) = authority.cap, let tcb = view.state.tcb(at: ref) { mcp = tcb.maxControlledPriority }
    func value() -> UInt64 { rng.chance(80) ? rng.below(mcp &+ 1) : mcp &+ 1 &+ rng.below(4) }
    let (newMCP, newPrio) = (value(), value())
    let own = view.state.tcb(at: targetRef)?.schedContext
    let scCaps = view.full.filter { if case .schedContext = $0.cap { $0.invocationCptr != nil } else { false } }
    let ownCap = scCaps.first { $0.cap.objectRef == own && own != nil }
    let unbound = scCaps.filter { slot in
      slot.cap.objectRef.map { view.state.schedContext(at: $0)?.tcb == nil } ?? false
    }
    let sc: ReachableSlot?
    switch rng.below(100) {
    case 0..<50: sc = own == nil ? rng.pick(unbound) : ownCap
    case 50..<75: sc = nil  // Null: unbind
    case 75..<90: sc = rng.pick(scCaps)
    default: sc = rng.pick(view.full)
    }
    let scCptr = sc?.invocationCptr ?? emptyCptr(view)
    lastPath = "setSchedParams.\(Self.kind(sc?.cap ?? .null))"
    return call(
      cptr, label: InvocationLabel.tcbSetSchedParams.rawValue, [newMCP, newPrio],
      extraCaps: [authorityCptr, scCptr, pickHandler(view)])
  }

  /// TCB_BindNotification: extra cap 0 a notification cap (any cap 10% of the time).
  mutating func bindNotification(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let notifications = view.full.filter { if case .notification = $0.cap { $0.invocationCptr != nil } else { false } }
    let cap =
      (rng.chance(90) ? rng.pick(notifications) : nil) ?? rng.pick(view.full.filter { $0.invocationCptr != nil })
    guard let cap, let capCptr = cap.invocationCptr else { return garbage(view) }
    lastPath = "bindNotification.\(Self.kind(cap.cap))"
    return call(cptr, label: InvocationLabel.tcbBindNotification.rawValue, [], extraCaps: [capCptr])
  }

  /// TCB_UnbindNotification of a thread cap.
  mutating func unbindNotification(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    lastPath = "unbindNotification.\(Self.kind(target.cap))"
    return call(cptr, label: InvocationLabel.tcbUnbindNotification.rawValue, [])
  }

  /// TCB_SetTimeoutEndpoint: extra cap 0 the handler (Null, an endpoint, or any cap).
  mutating func setTimeoutEndpoint(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let handler = pickHandler(view)
    let handlerCap = view.slots.first { $0.invocationCptr == handler }?.cap ?? .null
    lastPath = "setTimeoutEndpoint.\(Self.kind(handlerCap))"
    return call(cptr, label: InvocationLabel.tcbSetTimeoutEndpoint.rawValue, [], extraCaps: [handler])
  }
}

// The generator's Signal, Wait and Poll events: a send or receive system call through a
// notification cap the thread can invoke, mostly one with the right it needs (a Signal without
// Write, 5%, is an InvalidCapability only a Call hears; a Wait or Poll without Read, 1%, is a
// capability fault that stops the thread). A Wait that would block the only thread that can run
// leaves the system idle for the rest of the trace (nothing signals without interrupts), so such
// a Wait is made a Poll 99 times in 100. The kernel path names the cap's kind and the
// notification's state (`wait.badgedNotification.active`).

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// A notification cap the thread can invoke: one with `right`, but for `anyPercent` of picks
  /// any one (the error path).
  mutating func pickNotificationCap(_ view: View, right: CapRights, anyPercent: UInt64) -> ReachableSlot? {
    let caps = view.full.filter { if case .notification = $0.cap { $0.invocationCptr != nil } else { false } }
    let withRight = caps.filter {
      if case .notification(_, _, let rights) = $0.cap { rights.contains(right) } else { false }
    }
    return (rng.chance(100 - anyPercent) ? rng.pick(withRight) : nil) ?? rng.pick(caps)
  }

  /// The path of an event of `operation` through `slot`'s cap: its kind and the notification's state.
  static func notificationPath(_ operation: GeneratedOperation, _ slot: ReachableSlot, _ state: AbstractState) -> String
  {
    var ntfnState = "none"
    if case .notification(let ref, _, _) = slot.cap, let ntfn = state.notification(at: ref) {
      switch ntfn.state {
      case .idle: ntfnState = "idle"
      case .waiting: ntfnState = "waiting"
      case .active: ntfnState = "active"
      }
    }
    return "\(operation.rawValue).\(kind(slot.cap)).\(ntfnState)"
  }

  /// `seL4_Signal`: mostly Send, sometimes NBSend or Call (which is not answered on success).
  mutating func signal(_ view: View) -> Event {
    guard let slot = pickNotificationCap(view, right: .write, anyPercent: 5), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    let syscall: Syscall = rng.chance(70) ? .send : (rng.chance(50) ? .nbSend : .call)
    lastPath = Self.notificationPath(.signal, slot, view.state)
    return .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0))
  }

  /// `seL4_Wait` (or Recv, which on a notification needs no reply cap).
  mutating func wait(_ view: View) -> Event {
    guard let slot = pickNotificationCap(view, right: .read, anyPercent: 1), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    var isActive = false
    if case .notification(let ref, _, _) = slot.cap, case .active? = view.state.notification(at: ref)?.state {
      isActive = true
    }
    // Blocking the last thread that can run idles the system for good (and ends the trace):
    // almost always poll instead.
    if !isActive && view.state.readyQueues.isEmpty && rng.chance(99) { return poll(view) }
    lastPath = Self.notificationPath(.wait, slot, view.state)
    return .syscall(rng.chance(70) ? .wait : .recv, SyscallArguments(capRegister: cptr, messageInfo: 0))
  }

  /// `seL4_Poll` (NBWait, or NBRecv).
  mutating func poll(_ view: View) -> Event {
    guard let slot = pickNotificationCap(view, right: .read, anyPercent: 1), let cptr = slot.invocationCptr else {
      return garbage(view)
    }
    lastPath = Self.notificationPath(.poll, slot, view.state)
    return .syscall(rng.chance(70) ? .nbWait : .nbRecv, SyscallArguments(capRegister: cptr, messageInfo: 0))
  }
}

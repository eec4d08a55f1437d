// The generator's interrupt events (`Interrupt.swift` in each layer, docs/interrupts.md): the
// IRQControl and IRQHandler invocations (`irq`) and a device interrupt arriving (`interrupt`).
//
// `irq` invokes, through caps the thread can invoke, IRQControl_Get (IssueIRQHandler: a handler
// cap for a line into an empty slot; mostly an unused line 1...63, sometimes the timer's line, a
// line already in use or one beyond `maxIRQ`, so that RangeError and RevokeFirst come in seL4's
// order) and the handler's SetIRQHandler (mostly a notification cap with Write; sometimes one
// without, another cap or none), ClearIRQHandler and AckIRQ (mostly of a line its interrupt has
// masked). `interrupt` names a line, mostly one with a handler: usually one whose IRQ node slot
// holds a notification and that is not masked, so that the interrupt signals it (waking a waiter,
// possibly preempting a lower-priority thread) and masks the line until an Ack; sometimes a masked,
// unhandled, the timer's or a non-existent line, which the controller holds back.
//
// Kernel paths name the method (or the event) and the state of the line: `irq.IRQ_AckIRQ.boundMasked`,
// `irq.IRQ_SetIRQHandler.unbound.notification`, `interrupt.bound.waiting` (the bound notification's
// state). (`seL4:src/object/interrupt.c`, `src/api/syscall.c` `handleInterruptEntry`.)

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The IRQ methods, in label order, and how often each is chosen (of 20): IssueIRQHandler 7,
  /// AckIRQ 6, SetIRQHandler 5, ClearIRQHandler 2.
  static let irqMethods: [(label: InvocationLabel, weight: UInt64)] = [
    (.irqIssueIRQHandler, 7), (.irqAckIRQ, 6), (.irqSetIRQHandler, 5), (.irqClearIRQHandler, 2),
  ]

  /// What kernel paths call the state of line `irq` (`LINE`): `outOfRange` beyond `maxIRQ`,
  /// `timer`, `inactive`, `reserved`, and for an IRQSignal line `bound` (its IRQ node slot holds a
  /// notification cap) or `unbound`, with `Masked` appended while its interrupt waits for an Ack.
  static func lineName(_ irq: UInt64, _ state: AbstractState) -> String {
    guard irq <= IRQConstants.maxIRQ else { return "outOfRange" }
    switch state.irqState(irq) {
    case .irqTimer: return "timer"
    case .irqInactive: return "inactive"
    case .irqReserved: return "reserved"
    case .irqSignal:
      let bound = if case .notification = state.getCap(state.irqNodeSlot(irq)) { true } else { false }
      return (bound ? "bound" : "unbound") + (state.irqMasked(irq) ? "Masked" : "")
    }
  }

  /// Every value `lineName` gives (the `LINE` placeholder).
  static let lineNames = [
    "outOfRange", "timer", "inactive", "reserved", "bound", "unbound", "boundMasked", "unboundMasked",
  ]

  /// Percentage of events that, once some line has a handler (IRQSignal), take the next step of
  /// a driver's life if the swarm has its operation: SetIRQHandler for a line with no notification,
  /// an interrupt on a bound unmasked line, an Ack of a masked one (`aimAtDriver`). At weight 1
  /// among 134 the IRQ events are rare, and a trace seldom chose Get, SetIRQHandler, an interrupt
  /// and an Ack in turn: without the aim, a campaign of 34,012 events signalled no notification
  /// from an interrupt. While no line has a handler the aim draws nothing, so such traces are
  /// generated exactly as before it.
  static let driverAimPercent: UInt64 = 20

  /// `chosen`, or with `driverAimPercent` the operation of a driver's next step (above); its method
  /// is left in `aimedIRQMethod` for `irqInvocation`.
  mutating func aimAtDriver(_ chosen: GeneratedOperation, _ view: View) -> GeneratedOperation {
    let state = view.state
    guard state.interruptStates.contains(.irqSignal), rng.chance(Self.driverAimPercent) else { return chosen }
    let names = Set(Self.signalLines(state).map { Self.lineName($0, state) })
    let canInvoke = swarm.enabled.contains(.irq) && !irqHandlerCaps(view).isEmpty
    var steps: [(GeneratedOperation, InvocationLabel?)] = []
    if swarm.enabled.contains(.interrupt) && names.contains("bound") { steps.append((.interrupt, nil)) }
    if canInvoke && names.contains("unbound") { steps.append((.irq, .irqSetIRQHandler)) }
    if canInvoke && (names.contains("boundMasked") || names.contains("unboundMasked")) {
      steps.append((.irq, .irqAckIRQ))
    }
    guard let step = rng.pick(steps) else { return chosen }
    aimedIRQMethod = step.1
    return step.0
  }

  /// The lines IRQControl has issued handlers for (IRQSignal), in order.
  static func signalLines(_ state: AbstractState) -> [UInt64] {
    (0..<IRQConstants.numIRQs).filter { state.irqState($0) == .irqSignal }
  }

  /// The IRQHandler caps the thread can invoke.
  func irqHandlerCaps(_ view: View) -> [ReachableSlot] {
    view.full.filter { if case .irqHandler = $0.cap { $0.invocationCptr != nil } else { false } }
  }

  /// One IRQControl or IRQHandler method (the file's header): IssueIRQHandler when the thread has
  /// an IRQControl cap and no handler cap, or by `irqMethods`' weights; garbage when it can invoke
  /// neither kind of cap.
  mutating func irqInvocation(_ view: View) -> Event {
    let controls = view.full.filter { $0.cap == .irqControl && $0.invocationCptr != nil }
    let handlers = irqHandlerCaps(view)
    var pick = rng.below(20)
    var label = InvocationLabel.irqIssueIRQHandler
    for method in Self.irqMethods {
      if pick < method.weight {
        label = method.label
        break
      }
      pick -= method.weight
    }
    if let aimed = aimedIRQMethod {
      label = aimed
      aimedIRQMethod = nil
    }
    if handlers.isEmpty { label = .irqIssueIRQHandler }
    if controls.isEmpty && label == .irqIssueIRQHandler { label = .irqAckIRQ }
    if label == .irqIssueIRQHandler, let control = rng.pick(controls) {
      return issueIRQHandler(control, view)
    }
    guard !handlers.isEmpty else { return garbage(view) }
    return irqHandlerInvocation(label, handlers, view)
  }

  /// IRQControl_Get of a line into an empty slot of a CNode the thread can invoke: an unused line
  /// of 1...63 85 times in 100, else the timer's line, a line in use (RevokeFirst) or one beyond
  /// `maxIRQ` (RangeError).
  mutating func issueIRQHandler(_ control: ReachableSlot, _ view: View) -> Event {
    guard let controlCptr = control.invocationCptr, let cnode = chooseCNode(view),
      let dest = pickSlot(cnode.slots, wantEmpty: true)
    else { return garbage(view) }
    let state = view.state
    let unused = (1...IRQConstants.maxIRQ).filter { state.irqState($0) == .irqInactive }
    let irq: UInt64
    switch rng.below(100) {
    case 0..<85: irq = rng.pick(unused) ?? 1 + rng.below(IRQConstants.maxIRQ)
    case 85..<90: irq = IRQConstants.timerIRQ
    case 90..<95: irq = rng.pick(Self.signalLines(state)) ?? IRQConstants.timerIRQ
    default: irq = rng.chance(70) ? IRQConstants.numIRQs + rng.below(8) : rng.next()
    }
    lastPath = "irq.\(InvocationLabel.irqIssueIRQHandler.libsel4Name).\(Self.lineName(irq, state))"
    lastDestinations = [dest.slot]
    return call(
      controlCptr, label: InvocationLabel.irqIssueIRQHandler.rawValue, [irq, dest.index, dest.depth],
      extraCaps: [cnode.cptr])
  }

  /// AckIRQ (usually of a masked line), SetIRQHandler (usually of a line with no notification yet,
  /// with a notification cap with Write) or ClearIRQHandler on one of `handlers`.
  mutating func irqHandlerInvocation(_ label: InvocationLabel, _ handlers: [ReachableSlot], _ view: View) -> Event {
    let state = view.state
    func line(_ slot: ReachableSlot) -> UInt64 { if case .irqHandler(let irq) = slot.cap { irq } else { 0 } }
    var handler = rng.pick(handlers)
    var extraCaps: [UInt64] = []
    var extraKind = ""
    switch label {
    case .irqAckIRQ:
      if rng.chance(75) { handler = rng.pick(handlers.filter { state.irqMasked(line($0)) }) ?? handler }
    case .irqSetIRQHandler:
      if rng.chance(70) {
        handler = rng.pick(handlers.filter { !Self.lineName(line($0), state).hasPrefix("bound") }) ?? handler
      }
      let notification: ReachableSlot?
      switch rng.below(100) {
      case 0..<85: notification = pickNotificationCap(view, right: .write, anyPercent: 0)
      case 85..<90: notification = pickNotificationCap(view, right: .write, anyPercent: 100)
      case 90..<95: notification = rng.pick(view.full.filter { $0.invocationCptr != nil })
      default: notification = nil
      }
      if let notification, let cptr = notification.invocationCptr {
        extraCaps = [cptr]
        extraKind = "." + Self.kind(notification.cap)
      } else {
        extraKind = ".null"
      }
    default:
      break
    }
    guard let handler, let cptr = handler.invocationCptr else { return garbage(view) }
    lastPath = "irq.\(label.libsel4Name).\(Self.lineName(line(handler), state))\(extraKind)"
    return call(cptr, label: label.rawValue, [], extraCaps: extraCaps)
  }

  /// A device interrupt (`.interrupt(irq:)`): when some line has a handler, 85 times in 100 one
  /// of those lines (three times in four one that is bound and unmasked, if there is one); else,
  /// or the other times, the timer's line, an inactive line or one beyond `maxIRQ`.
  mutating func interrupt(_ view: View) -> Event {
    let state = view.state
    let handled = Self.signalLines(state)
    let live = handled.filter { Self.lineName($0, state) == "bound" }
    var irq: UInt64
    if !handled.isEmpty && rng.chance(85) {
      irq = (rng.chance(75) ? rng.pick(live) : nil) ?? rng.pick(handled) ?? 1
    } else {
      switch rng.below(10) {
      case 0: irq = IRQConstants.timerIRQ
      case 1: irq = rng.chance(70) ? IRQConstants.numIRQs + rng.below(8) : rng.next()
      default: irq = rng.below(IRQConstants.numIRQs)
      }
    }
    var path = "interrupt.\(Self.lineName(irq, state))"
    // A bound line's interrupt signals its notification: which branch of `sendSignal` it takes.
    if path == "interrupt.bound", case .notification(let ref, _, _) = state.getCap(state.irqNodeSlot(irq)),
      let ntfn = state.notification(at: ref)
    {
      switch ntfn.state {
      case .idle: path += ".idle"
      case .waiting: path += ".waiting"
      case .active: path += ".active"
      }
    }
    lastPath = path
    return .interrupt(irq: irq)
  }
}

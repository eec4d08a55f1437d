// The capDL loader's IRQ binding (docs/interrupts.md, "Boot"): `Systems/mixed-criticality.cdl`
// maps IRQ 5 to `net_irq`, whose slot 0 holds a cap to `net_ntfn` with badge 5. Every layer
// starts with the line IRQSignal and its IRQ node slot holding that cap (a child of the
// initialiser's mint, as IRQHandler_SetNotification leaves it), the three related at step 0, and
// an interrupt on line 5 signals the network driver's notification with the badge.
// (Here, beside the capDL loader, because the system is a capDL file.)

import AbstractSpec
import CapDL
import Foundation
import KernelABI
import Refinement
import TestSupport
import Testing

@Suite struct IRQBindingTests {
  @Test func theLoaderBindsTheNetworkDriversLineInEveryLayer() throws {
    let (plan, a) = try AvailabilityTests.load()
    let ntfn = try #require(a["net_ntfn"])
    let mint = try #require(plan.irqNotifications[5])
    #expect(plan.caps[mint] == .notification(ntfn, badge: 5, rights: [.read, .write]))
    var checker = LockstepChecker(plan: plan)
    // R1, R2 and every layer's invariants (valid_irq_node among them) hold at step 0.
    #expect(checker.verify() == nil)
    let node = checker.abstract.irqNodeSlot(5)
    #expect(checker.abstract.getCap(node) == .notification(ntfn, badge: 5, rights: [.read, .write]))
    #expect(checker.abstract.cdt[node] == mint)
    #expect(checker.abstract.irqState(5) == .irqSignal && !checker.abstract.irqMasked(5))
    // Without the binding the node slot starts empty.
    var unbound = plan
    unbound.irqNotifications = [:]
    #expect(LockstepChecker(plan: unbound).abstract.getCap(node) == .null)
    // The interrupt arrives (the line is unmasked), signals the notification with its badge and
    // masks the line until the driver acks it, in lockstep.
    #expect(checker.step(.interrupt(irq: 5)).failure == nil)
    #expect(checker.abstract.notification(at: ntfn)?.state == .active(5))
    #expect(checker.abstract.irqMasked(5))
    // The driver takes the word (the others yield until it runs; it polls `net_ntfn`, its slot
    // 1), leaving the notification idle, so a second delivery would show.
    let net = try #require(a["net"])
    for _ in 0..<8 where checker.abstract.currentThread != net {
      #expect(checker.step(yieldEvent).failure == nil)
    }
    try #require(checker.abstract.currentThread == net)
    #expect(checker.step(pollEvent(1)).failure == nil)
    #expect(checker.abstract.notification(at: ntfn)?.state == .idle)
    #expect(checker.abstract.irqMasked(5))
    // A second interrupt is held back by the mask: the notification stays idle (delivered, it
    // would be active with badge 5 again).
    #expect(checker.step(.interrupt(irq: 5)).failure == nil)
    #expect(checker.abstract.notification(at: ntfn)?.state == .idle)
    // The check can fail: once the driver acks (IRQHandler AckIRQ on its handler cap, slot 3) the
    // line is unmasked and the same interrupt does reach the notification.
    let ack = Event.syscall(
      .call,
      SyscallArguments(
        capRegister: 3,
        messageInfo: MessageInfo.pack(
          label: InvocationLabel.irqAckIRQ.rawValue, capsUnwrapped: 0, extraCaps: 0, length: 0)
      ))
    #expect(checker.step(ack).failure == nil)
    #expect(!checker.abstract.irqMasked(5))
    #expect(checker.step(.interrupt(irq: 5)).failure == nil)
    #expect(checker.abstract.notification(at: ntfn)?.state == .active(5))
  }

  /// A plan binding a line it cannot is refused by its own validation, naming the problem.
  @Test func aPlanBindingALineItCannotIsInvalid() throws {
    let (plan, _) = try AvailabilityTests.load()
    let mint = try #require(plan.irqNotifications[5])
    var timer = plan
    timer.irqNotifications = [IRQConstants.timerIRQ: mint]
    #expect(timer.validate().contains { $0.contains("is the kernel's timer line") })
    var noHandler = plan
    noHandler.irqNotifications = [6: mint]
    #expect(noHandler.validate() == ["IRQ 6 is bound to a notification but no IRQHandler cap for it exists"])
    var notANotification = plan
    let handler = try #require(plan.caps.first { $0.value == .irqHandler(irq: 5) }?.key)
    notANotification.irqNotifications = [5: handler]
    #expect(notANotification.validate().contains { $0.contains("which is no notification cap with Send") })
  }
}

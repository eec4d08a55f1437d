// Interrupt lines as every layer sees them: how many the model has, which one is the kernel's
// timer, the state each line is in (seL4's `irq_state_t`), and where the kernel keeps the IRQ node.
//
// The model's interrupt controller has `numIRQs` lines, 0 ... `maxIRQ` (seL4's `maxIRQ` is the
// platform's; 64 lines cover every line the project's capDL systems map, up to 41). Line
// `timerIRQ` is the kernel's timer (`KERNEL_TIMER_IRQ`): it is IRQTimer from boot on, so IRQControl
// never hands it out (RevokeFirst), and it fires only as the `.timerTick` event does. Every other
// line starts IRQInactive and masked (`init_irqs`, `seL4:src/kernel/boot.c`), except that every
// line a plan's IRQHandler caps name (capDL `irq maps`) starts IRQSignal and unmasked, as
// capdl-loader-app's IRQControl_Get leaves it, its node slot holding the notification cap the plan
// binds (`SystemPlan.irqNotifications`, the loader's IRQHandler_SetNotification). No line is IRQReserved in this model (seL4 reserves lines for its own
// SMMU or IPI use, which the model has not); the state exists, and `handleInterrupt` handles it as
// seL4 does (nothing but the ack).
// (`seL4:include/object/interrupt.h`, `include/arch/arm/arch/machine/hardware.h`;
// `l4v:spec/abstract/Structures_A.thy` `irq_state`.)

/// `irq_state_t` (`seL4:include/object/structures.h`), with seL4's numbering, which the kernel's
/// IRQ table words hold (`intStateIRQTable`).
public enum IRQState: UInt64, Hashable, Sendable, CaseIterable, CustomStringConvertible {
  /// `IRQInactive`: no handler cap was issued for the line; it stays masked.
  case irqInactive = 0
  /// `IRQSignal`: a handler cap exists; the line's interrupt signals the notification in its IRQ
  /// node slot.
  case irqSignal = 1
  /// `IRQTimer`: the kernel's own timer.
  case irqTimer = 2
  /// `IRQReserved`: kept by the kernel for itself.
  case irqReserved = 3

  public var description: String {
    switch self {
    case .irqInactive: "IRQInactive"
    case .irqSignal: "IRQSignal"
    case .irqTimer: "IRQTimer"
    case .irqReserved: "IRQReserved"
    }
  }
}

/// The model's interrupt lines and where the kernel keeps their IRQ node.
public enum IRQConstants {
  /// log2 of the number of lines.
  public static let irqBits: UInt64 = 6
  /// How many interrupt lines the model's controller has.
  public static let numIRQs: UInt64 = 1 << irqBits
  /// `maxIRQ`: the largest line number; IRQControl_Get of a larger one is a RangeError(0, maxIRQ).
  public static let maxIRQ: UInt64 = numIRQs - 1
  /// `KERNEL_TIMER_IRQ`: the line of the kernel's timer, IRQTimer from boot on.
  public static let timerIRQ: UInt64 = 0
  /// `intStateIRQNode`: the IRQ node, one CTE per line, where the notification cap an interrupt
  /// signals is kept. In seL4 a kernel array; here a CNode of `irqBits` radix in the kernel's
  /// globals frame (`Kernel/Globals.swift`, offset 0x2_8000), outside every untyped region and the
  /// plan's memory, so no cap names it and no retype reaches it. l4v's `interrupt_irq_node` names
  /// one slot per line the same way; the spec layers keep the CNode in their heaps at this address
  /// (so the IRQ node's caps are in the derivation tree like any other: `valid_irq_node`).
  public static let irqNodePtr: UInt64 = 0xFFFF_FF80_0002_8000
  /// The bytes the IRQ node takes: one CTE (2^5 bytes) per line.
  public static let irqNodeBytes: UInt64 = numIRQs << 5
}

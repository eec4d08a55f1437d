// The interrupt invariants (`l4v:proof/invariant-abstract/Invariants_AI.thy`, `Interrupt_AI.thy`):
// - `valid_irq_node`: the IRQ node is a CNode of one slot per line at `IRQConstants.irqNodePtr`
//   (l4v: `interrupt_irq_node` names a cap table per line), and a filled node slot holds a
//   notification cap of a line that is IRQSignal (only SetIRQHandler fills it, and the last handler
//   cap's deletion empties it).
// - `valid_irq_handlers`: every IRQHandler cap names a line that is IRQSignal (`irq_issued`).
// - `valid_irq_states`: every IRQInactive line is masked (`valid_irq_masks`), and the table and
//   masks have one entry per line.
// A filled IRQ node slot is named by its line's handler caps in l4v (`cte_refs` of an
// IRQHandlerCap), not by a CNode cap: `if_unsafe_then_cap` (`Invariants.swift`) asks for one.
// `valid_irq_node`'s second half (a filled slot holds a notification cap of an IRQSignal line) is
// this model's strengthening, not part of l4v's definition.
// Twins: `ExecutableSpec/Invariants+Interrupt.swift`, `Kernel/Invariants+Interrupt.swift`.

import KernelABI

extension AbstractState {
  /// `valid_irq_node`.
  func validIRQNode() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_irq_node", text)) }
    guard case .cnode(let node)? = kheap[IRQConstants.irqNodePtr], node.radix == IRQConstants.irqBits else {
      fail("the IRQ node \(hex(IRQConstants.irqNodePtr)) is not a CNode of \(IRQConstants.irqBits)-bit radix")
      return found
    }
    for (irq, cap) in node.slots.sorted(by: { $0.key < $1.key }) {
      guard case .notification = cap else {
        fail("IRQ node slot \(irq) holds \(cap), not a notification cap")
        continue
      }
      if irqState(irq) != .irqSignal { fail("IRQ node slot \(irq) is filled while the line is \(irqState(irq))") }
    }
    return found
  }

  /// `valid_irq_handlers` over `caps`.
  func validIRQHandlers(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    caps.compactMap { slot, cap in
      guard case .irqHandler(let irq) = cap, irqState(irq) != .irqSignal else { return nil }
      return InvariantViolation(
        "valid_irq_handlers", "the handler cap in \(slot) names IRQ \(irq), which is \(irqState(irq))")
    }
  }

  /// `valid_irq_states`.
  func validIRQStates() -> [InvariantViolation] {
    let n = Int(IRQConstants.numIRQs)
    guard interruptStates.count == n, irqMasks.count == n else {
      return [InvariantViolation("valid_irq_states", "the IRQ table or the masks do not have one entry per line")]
    }
    return (0..<n).compactMap { irq in
      interruptStates[irq] == .irqInactive && !irqMasks[irq]
        ? InvariantViolation("valid_irq_states", "IRQ \(irq) is IRQInactive but not masked") : nil
    }
  }

  /// The interrupt invariants where a step from `before` can have broken them: all three when the
  /// table, the masks or the IRQ node changed; otherwise only `valid_irq_handlers` at the slots
  /// whose cap changed (`changedSlots`), which are the only new handler caps.
  func irqInvariantsHold(after before: AbstractState, changed: [ObjectRef], changedSlots: some Sequence<SlotRef>)
    -> Bool
  {
    if interruptStates != before.interruptStates || irqMasks != before.irqMasks
      || changed.contains(IRQConstants.irqNodePtr)
    {
      return validIRQNode().isEmpty && validIRQHandlers(capsOfState).isEmpty && validIRQStates().isEmpty
    }
    return validIRQHandlers(changedSlots.map { ($0, getCap($0)) }).isEmpty
  }
}

// The interrupt invariants, l4v's Haskell-level names (`l4v:proof/refine/Invariants_H.thy`):
// `valid_irq_node'` (the IRQ node is a CNode of one CTE per line at `IRQConstants.irqNodePtr`; a
// filled CTE holds a notification cap of a line that is IRQSignal), `valid_irq_handlers'` (every
// IRQHandler cap names a line that is IRQSignal), `valid_irq_states'` (every IRQInactive line is
// masked). Twins: `AbstractSpec/Invariants+Interrupt.swift`, `Kernel/Invariants+Interrupt.swift`.

import KernelABI

extension ExecState {
  /// `valid_irq_node'`.
  func validIRQNode() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_irq_node'", text)) }
    guard case .cnode(let node)? = ksPSpace[IRQConstants.irqNodePtr], node.radix == IRQConstants.irqBits else {
      fail("the IRQ node \(hex(IRQConstants.irqNodePtr)) is not a CNode of \(IRQConstants.irqBits)-bit radix")
      return found
    }
    for irq in 0..<IRQConstants.numIRQs {
      let cap = getCap(irqNodeSlot(irq))
      switch cap {
      case .null: continue
      case .notification:
        if irqState(irq) != .irqSignal { fail("IRQ node CTE \(irq) is filled while the line is \(irqState(irq))") }
      default: fail("IRQ node CTE \(irq) holds \(cap), not a notification cap")
      }
    }
    return found
  }

  /// `valid_irq_handlers'` over the caps in `slots`.
  func validIRQHandlers(_ slots: some Sequence<SlotRef>) -> [InvariantViolation] {
    slots.compactMap { slot in
      guard case .irqHandler(let irq) = getCap(slot), irqState(irq) != .irqSignal else { return nil }
      return InvariantViolation(
        "valid_irq_handlers'", "the handler cap in \(slot) names IRQ \(irq), which is \(irqState(irq))")
    }
  }

  /// `valid_irq_states'`.
  func validIRQStates() -> [InvariantViolation] {
    let n = Int(IRQConstants.numIRQs)
    guard intStateIRQTable.count == n, irqMasks.count == n else {
      return [InvariantViolation("valid_irq_states'", "the IRQ table or the masks do not have one entry per line")]
    }
    return (0..<n).compactMap { irq in
      intStateIRQTable[irq] == .irqInactive && !irqMasks[irq]
        ? InvariantViolation("valid_irq_states'", "IRQ \(irq) is IRQInactive but not masked") : nil
    }
  }

  /// The interrupt invariants where a step from `before` can have broken them: all three when the
  /// table, the masks or the IRQ node changed; otherwise `valid_irq_handlers'` at the changed slots.
  func irqInvariantsHold(after before: ExecState, changed: some Sequence<ObjectRef>, changedSlots: [SlotRef]) -> Bool {
    if intStateIRQTable != before.intStateIRQTable || irqMasks != before.irqMasks
      || changed.contains(IRQConstants.irqNodePtr)
    {
      return validIRQNode().isEmpty && validIRQHandlers(occupiedSlots).isEmpty && validIRQStates().isEmpty
    }
    return validIRQHandlers(changedSlots).isEmpty
  }
}

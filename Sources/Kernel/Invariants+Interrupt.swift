// The interrupt invariants, l4v's Haskell-level names (`l4v:proof/refine/Invariants_H.thy`), on the
// kernel's words: `valid_irq_node'` (the IRQ node is a CNode of one CTE per line at
// `IRQConstants.irqNodePtr` in the heap type description; a filled CTE holds a notification cap of
// a line that is IRQSignal), `valid_irq_handlers'` (every IRQHandler cap names a line that is
// IRQSignal), `valid_irq_states'` (every table word is an `IRQState`, every mask word 0 or 1, and
// every IRQInactive line masked). Twins: `AbstractSpec/Invariants+Interrupt.swift`,
// `ExecutableSpec/Invariants+Interrupt.swift`.

import KernelABI

extension GlobalsLayout {
  /// True iff `address` is a word of the IRQ table, the masks or the IRQ node.
  public static func holdsInterruptState(_ address: UInt64) -> Bool {
    let offset = address &- frame
    return (offset >= intStateIRQTable && offset < irqMasks &+ 8 &* IRQConstants.numIRQs)
      || (offset >= intStateIRQNode && offset &- intStateIRQNode < IRQConstants.irqNodeBytes)
  }
}

extension KernelState {
  /// Whether the object of `kind` at `address` is the IRQ node, which lies in the globals frame
  /// rather than in memory (as the idle objects do).
  static func isIRQNode(_ address: ObjectRef, _ kind: KernelObjectKind) -> Bool {
    address == IRQConstants.irqNodePtr && kind == .cnode(radix: IRQConstants.irqBits)
  }

  /// `valid_irq_node'`.
  func validIRQNode() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_irq_node'", text)) }
    guard objects[IRQConstants.irqNodePtr] == .cnode(radix: IRQConstants.irqBits) else {
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

  /// `valid_irq_handlers'` over the CTEs at `ctes`.
  func validIRQHandlers(_ ctes: some Sequence<UInt64>) -> [InvariantViolation] {
    ctes.compactMap { cte in
      guard case .irqHandler(let irq) = getCap(cte), irqState(irq) != .irqSignal else { return nil }
      return InvariantViolation(
        "valid_irq_handlers'", "the handler cap in CTE \(hex(cte)) names IRQ \(irq), which is \(irqState(irq))")
    }
  }

  /// Every backed CTE of every CNode and TCB (the rest are null).
  var allBackedCTEs: [UInt64] {
    objects.keys.sorted().flatMap { backedCTEs(of: $0) }
  }

  /// `valid_irq_states'`.
  func validIRQStates() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_irq_states'", text)) }
    for irq in 0..<IRQConstants.numIRQs {
      let (word, mask) = (irqStateWord(irq), irqMaskWord(irq))
      if IRQState(rawValue: word) == nil { fail("intStateIRQTable[\(irq)] is \(hex(word)), no IRQ state") }
      if mask > 1 { fail("the mask word of IRQ \(irq) is \(hex(mask))") }
      if IRQState(rawValue: word) == .irqInactive && mask == 0 { fail("IRQ \(irq) is IRQInactive but not masked") }
    }
    return found
  }

  /// The interrupt invariants where a step can have broken them: all three when it wrote the IRQ
  /// table, the masks or the IRQ node (`irqWritten`); otherwise `valid_irq_handlers'` at the CTEs
  /// it wrote (`written`: CTE addresses only; the caller filters the write log through its
  /// `CTELocator`, since a non-CTE word, a register say, can read as a handler cap).
  func irqInvariantsHold(irqWritten: Bool, written: some Sequence<UInt64>) -> Bool {
    if irqWritten {
      return validIRQNode().isEmpty && validIRQHandlers(allBackedCTEs).isEmpty && validIRQStates().isEmpty
    }
    return validIRQHandlers(written).isEmpty
  }
}

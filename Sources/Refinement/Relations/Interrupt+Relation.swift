// R1 for the interrupt globals: the kernel's IRQ state table and mask words (`Kernel/Interrupt.swift`,
// offsets 0x2_1000 and 0x2_1200 of the globals frame) read back as the executable spec's
// `intStateIRQTable` and `irqMasks`. A table word that is no `IRQState` value, or a mask word that is
// neither 0 nor 1, is a problem (`state_relation`'s `interrupt_state_relation`:
// `l4v:proof/refine/StateRelation.thy`). The IRQ node is a CNode of the heap in every layer, so
// `cte_relation` covers its slots; R2 relates the table and masks field for field
// (`State+Relation.swift`).

import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The IRQ table and masks into `state`, with the words that do not decode as problems.
  func liftIRQGlobals(into state: inout ExecState, problems: inout [String]) {
    var table: [IRQState] = []
    var masks: [Bool] = []
    for irq in 0..<IRQConstants.numIRQs {
      let word = irqStateWord(irq)
      if IRQState(rawValue: word) == nil { problems.append("intStateIRQTable[\(irq)] is \(hex(word)), no IRQ state") }
      table.append(irqState(irq))
      let mask = irqMaskWord(irq)
      if mask > 1 { problems.append("the mask word of IRQ \(irq) is \(hex(mask)), neither 0 nor 1") }
      masks.append(mask != 0)
    }
    state.intStateIRQTable = table
    state.irqMasks = masks
  }

  /// Whether the IRQ table and masks lift to `exec`'s (`liftIRQGlobals`, word by word).
  func irqGlobalsLift(to exec: ExecState) -> Bool {
    guard exec.intStateIRQTable.count == Int(IRQConstants.numIRQs), exec.irqMasks.count == Int(IRQConstants.numIRQs)
    else { return false }
    for irq in 0..<IRQConstants.numIRQs {
      let i = Int(irq)
      guard IRQState(rawValue: irqStateWord(irq)) == exec.intStateIRQTable[i],
        irqMaskWord(irq) == (exec.irqMasks[i] ? 1 : 0)
      else { return false }
    }
    return true
  }
}

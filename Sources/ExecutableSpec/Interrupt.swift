// Interrupts: the IRQ state table (`intStateIRQTable`), the IRQ node (`intStateIRQNode`), the
// machine's masks, the IRQControl and IRQHandler invocations, and a device interrupt arriving.
//
// The same operations as the abstract spec's, in the Haskell model's terms: the IRQ node is a
// CNode of one CTE per line at `IRQConstants.irqNodePtr` (outside memory, like the idle objects),
// whose CTEs take part in the MDB list like any other; `setIRQState` writes the table and the
// mask; `handleInterrupt` signals, masks, and acks. An `.interrupt(irq:)` event on a line that
// does not exist, is masked or is the timer's does not arrive: nothing happens (see the abstract
// twin for the whole contract).
// Twins: `AbstractSpec/Interrupt.swift`, `Kernel/Interrupt.swift`.
// (`seL4:src/object/interrupt.c`; `l4v:spec/haskell/src/SEL4/Object/Interrupt.lhs`.)

public import KernelABI

/// `IRQControlInvocation`: IssueIRQHandler(irq, handler slot, control slot).
public enum IRQControlInvocation: Hashable, Sendable {
  case issueIRQHandler(irq: UInt64, handlerSlot: SlotRef, controlSlot: SlotRef)
}

/// `IRQHandlerInvocation`: the three IRQHandler methods.
public enum IRQHandlerInvocation: Hashable, Sendable {
  /// `AckIRQ`: unmask the line.
  case ackIRQ(irq: UInt64)
  /// `SetIRQHandler`: copy the notification cap in `slot` into the line's IRQ node CTE.
  case setIRQHandler(irq: UInt64, cap: Capability, slot: SlotRef)
  /// `ClearIRQHandler`: empty the line's IRQ node CTE.
  case clearIRQHandler(irq: UInt64)
}

extension ExecState {
  /// `initIRQs` (`seL4:src/kernel/boot.c` `init_irqs`): the IRQ node (every CTE null), every line
  /// IRQInactive and masked, then the timer's line IRQTimer (unmasked).
  mutating func initIRQs() {
    ksPSpace[IRQConstants.irqNodePtr] = .cnode(CNode(radix: IRQConstants.irqBits))
    for irq in 0..<IRQConstants.numIRQs { setIRQState(.irqInactive, irq) }
    setIRQState(.irqTimer, IRQConstants.timerIRQ)
  }

  /// The plan's IRQHandler caps as capdl-loader-app leaves them: each line named is IRQSignal (and
  /// unmasked).
  mutating func issuePlanIRQHandlers(_ caps: [SlotRef: Capability]) {
    for case .irqHandler(let irq) in caps.values { setIRQState(.irqSignal, irq) }
  }

  /// The plan's IRQ notifications as capdl-loader-app's `init_irq` leaves them: for each line in
  /// order, `invokeIRQHandler` SetIRQHandler with the cap in the plan's slot (the node CTE gets its
  /// copy, inserted after that slot in the MDB). Run once the plan's MDB is linked.
  mutating func bindPlanIRQNotifications(_ plan: SystemPlan) {
    for (irq, slot) in plan.irqNotifications.sorted(by: { $0.key < $1.key }) {
      guard let cap = plan.caps[slot] else { continue }
      invokeIRQHandler(.setIRQHandler(irq: irq, cap: cap, slot: slot))
    }
  }

  /// `getIRQSlot irq`: the line's CTE of the IRQ node.
  public func irqNodeSlot(_ irq: UInt64) -> SlotRef { SlotRef(IRQConstants.irqNodePtr, irq) }

  /// `getIRQState irq`; IRQInactive for a line the model has not.
  public func irqState(_ irq: UInt64) -> IRQState {
    irq < UInt64(intStateIRQTable.count) ? intStateIRQTable[Int(irq)] : .irqInactive
  }

  /// Whether line `irq` is masked; a line the model has not is.
  public func irqMasked(_ irq: UInt64) -> Bool { irq < UInt64(irqMasks.count) ? irqMasks[Int(irq)] : true }

  /// `isIRQActive`: any state but IRQInactive.
  func isIRQActive(_ irq: UInt64) -> Bool { irqState(irq) != .irqInactive }

  /// `setIRQState`: the table entry, then `maskInterrupt (state == IRQInactive) irq`.
  mutating func setIRQState(_ state: IRQState, _ irq: UInt64) {
    guard irq < UInt64(intStateIRQTable.count) else { return }
    intStateIRQTable[Int(irq)] = state
    maskInterrupt(state == .irqInactive, irq)
  }

  /// `maskInterrupt`: mask (true) or unmask the line.
  mutating func maskInterrupt(_ disable: Bool, _ irq: UInt64) {
    guard irq < UInt64(irqMasks.count) else { return }
    irqMasks[Int(irq)] = disable
  }

  /// `decodeIRQControlInvocation` (IssueIRQHandler), checks in seL4's order: label
  /// (IllegalOperation), three registers and an extra cap (TruncatedMessage), irq ≤ maxIRQ
  /// (RangeError(0, maxIRQ)), the line inactive (RevokeFirst), the destination lookup, the
  /// destination empty (DeleteFirst).
  public func decodeIRQControlInvocation(label: UInt64, args: [UInt64], slot: SlotRef, extraCaps: [Capability])
    throws(SyscallError) -> IRQControlInvocation
  {
    guard InvocationLabel(rawValue: label) == .irqIssueIRQHandler else { throw .illegalOperation }
    guard args.count >= 3, let cnodeCap = extraCaps.first else { throw .truncatedMessage }
    let (irq, index, depth) = (args[0], args[1], args[2])
    guard irq <= IRQConstants.maxIRQ else { throw .rangeError(min: 0, max: IRQConstants.maxIRQ) }
    guard !isIRQActive(irq) else { throw .revokeFirst }
    let dest = try lookupSlotForCNodeOp(isSource: false, cnodeCap, index, depth: depth)
    try ensureEmptySlot(dest)
    return .issueIRQHandler(irq: irq, handlerSlot: dest, controlSlot: slot)
  }

  /// `invokeIRQControl`: IRQSignal (unmasked), and the handler cap inserted as the IRQControl
  /// cap's child.
  mutating func invokeIRQControl(_ invocation: IRQControlInvocation) {
    switch invocation {
    case .issueIRQHandler(let irq, let handlerSlot, let controlSlot):
      setIRQState(.irqSignal, irq)
      cteInsert(.irqHandler(irq: irq), from: controlSlot, to: handlerSlot)
    }
  }

  /// `decodeIRQHandlerInvocation`: Ack and Clear need nothing; SetIRQHandler an extra cap
  /// (TruncatedMessage) that is a notification cap with Send (InvalidCapability(0)); other labels
  /// are IllegalOperation.
  public func decodeIRQHandlerInvocation(
    label: UInt64, irq: UInt64, extraCaps: [Capability], extraCapSlots: [SlotRef]
  ) throws(SyscallError) -> IRQHandlerInvocation {
    switch InvocationLabel(rawValue: label) {
    case .irqAckIRQ?:
      return .ackIRQ(irq: irq)
    case .irqSetIRQHandler?:
      guard let cap = extraCaps.first, let slot = extraCapSlots.first else { throw .truncatedMessage }
      guard case .notification(_, _, let rights) = cap, rights.contains(.write) else {
        throw .invalidCapability(index: 0)
      }
      return .setIRQHandler(irq: irq, cap: cap, slot: slot)
    case .irqClearIRQHandler?:
      return .clearIRQHandler(irq: irq)
    default:
      throw .illegalOperation
    }
  }

  /// `invokeIRQHandler`: Ack unmasks; Set deletes the node CTE's cap (`cteDeleteOne`) and inserts
  /// the notification cap from its slot; Clear deletes it.
  mutating func invokeIRQHandler(_ invocation: IRQHandlerInvocation) {
    switch invocation {
    case .ackIRQ(let irq):
      maskInterrupt(false, irq)
    case .setIRQHandler(let irq, let cap, let slot):
      let node = irqNodeSlot(irq)
      cteDeleteOne(node)
      cteInsert(cap, from: slot, to: node)
    case .clearIRQHandler(let irq):
      cteDeleteOne(irqNodeSlot(irq))
    }
  }

  /// `cteDeleteOne`: delete the cap in `slot`, finalising its object if it was final.
  mutating func cteDeleteOne(_ slot: SlotRef) { cteDelete(slot) }

  /// `deletingIRQHandler`: the node CTE's cap goes (`cteDeleteOne`, here inside the delete under
  /// way, so `inProgress` is shared), and the line becomes IRQInactive (`deletedIRQHandler`).
  mutating func deletingIRQHandler(_ irq: UInt64, inProgress: inout Set<SlotRef>) {
    finaliseSlot(irqNodeSlot(irq), inProgress: &inProgress)
    setIRQState(.irqInactive, irq)
  }

  /// Whether an `.interrupt(irq:)` event reaches the kernel: the line exists, is unmasked and is
  /// not the timer's.
  public func interruptArrives(_ irq: UInt64) -> Bool {
    irq <= IRQConstants.maxIRQ && !irqMasked(irq) && irqState(irq) != .irqTimer
  }

  /// `handleInterrupt`: IRQSignal signals the node CTE's notification cap (with Send) and masks;
  /// IRQTimer sets `ksReprogram`; IRQInactive masks; IRQReserved does nothing; then the ack at the
  /// controller (no state).
  mutating func handleInterrupt(_ irq: UInt64) {
    guard irq <= IRQConstants.maxIRQ else {
      maskInterrupt(true, irq)
      return
    }
    switch irqState(irq) {
    case .irqSignal:
      if case .notification(let ntfn, let badge, let rights) = getCap(irqNodeSlot(irq)), rights.contains(.write) {
        sendSignal(ntfn, badge)
      }
      maskInterrupt(true, irq)
    case .irqTimer:
      ksReprogram = true
    case .irqInactive:
      maskInterrupt(true, irq)
    case .irqReserved:
      break
    }
  }
}

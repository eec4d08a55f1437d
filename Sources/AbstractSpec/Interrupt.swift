// Interrupts: the IRQ state table, the IRQ node, the machine's masks, the IRQControl and
// IRQHandler invocations, and a device interrupt arriving.
//
// Each line has a state (`IRQState`): a line with no handler is IRQInactive and masked; IRQControl
// IssueIRQHandler makes it IRQSignal (unmasking it) and puts a handler cap for it, a child of the
// IRQControl cap, in an empty slot the caller names; the handler's SetIRQHandler puts a copy of a
// notification cap with Send (Write) into the line's IRQ node slot (a child or sibling of the cap it
// was given), ClearIRQHandler empties that slot, and AckIRQ unmasks the line. An interrupt on an
// IRQSignal line signals the notification in its node slot with that cap's badge (if the slot
// holds a notification cap with Send) and masks the line until the handler acks it; an IRQInactive
// line is masked again (a spurious interrupt); an IRQReserved one is only acked. Deleting the last
// handler cap of a line empties its node slot and makes it IRQInactive (`Delete.swift`).
//
// What "an interrupt arrives" means in this model: the `.interrupt(irq:)` event names a line; it
// enters the kernel only if the line exists (≤ maxIRQ), is not masked and is not the timer's
// (the timer's interrupt is the `.timerTick` event, `Budget.swift`). Otherwise the controller
// holds it back and nothing happens (no kernel entry, no time read). An interrupt that does arrive
// is the MCS interrupt entry: the clock is read and the budget checked (its answer unused), the
// line handled, then the scheduler runs, so a signal that wakes a higher-priority thread preempts
// the current one (`possibleSwitchTo` in `sendSignal`). The controller's end-of-interrupt
// (`ackInterrupt`) has no state here: the model keeps no pending bit.
//
// Not modelled: the Arm-specific IRQControl methods (trigger mode, SGIs), IRQ reporting, SMP.
// Twins: `ExecutableSpec/Interrupt.swift`, `Kernel/Interrupt.swift`.
// (`seL4:src/object/interrupt.c`, `include/object/interrupt.h`, `src/api/syscall.c`
// `handleInterruptEntry`; `l4v:spec/abstract/Interrupt_A.thy`, `spec/abstract/Structures_A.thy`.)

public import KernelABI

/// `irq_control_invocation`: IssueIRQHandler(irq, handler slot, control slot).
public enum IRQControlInvocation: Hashable, Sendable {
  case issueIRQHandler(irq: UInt64, handlerSlot: SlotRef, controlSlot: SlotRef)
}

/// `irq_handler_invocation`: the three IRQHandler methods.
public enum IRQHandlerInvocation: Hashable, Sendable {
  /// `ACKIrq`: unmask the line.
  case ackIRQ(irq: UInt64)
  /// `SetIRQHandler`: copy the notification cap in `slot` into the line's IRQ node slot.
  case setIRQHandler(irq: UInt64, cap: Capability, slot: SlotRef)
  /// `ClearIRQHandler`: empty the line's IRQ node slot.
  case clearIRQHandler(irq: UInt64)
}

extension AbstractState {
  /// `init_irqs` (`seL4:src/kernel/boot.c`): the IRQ node (a CNode of one slot per line, kept out
  /// of memory at `IRQConstants.irqNodePtr`), every line IRQInactive and masked, then the timer's
  /// line IRQTimer (unmasked).
  mutating func initIRQs() {
    kheap[IRQConstants.irqNodePtr] = .cnode(CNode(radix: IRQConstants.irqBits))
    for irq in 0..<IRQConstants.numIRQs { setIRQState(.irqInactive, irq) }
    setIRQState(.irqTimer, IRQConstants.timerIRQ)
  }

  /// The plan's IRQHandler caps as capdl-loader-app leaves them: each line named is IRQSignal (and
  /// unmasked), as its IRQControl_Get made it.
  mutating func issuePlanIRQHandlers(_ caps: [SlotRef: Capability]) {
    for case .irqHandler(let irq) in caps.values { setIRQState(.irqSignal, irq) }
  }

  /// The plan's IRQ notifications as capdl-loader-app's `init_irq` leaves them: for each line in
  /// order, IRQHandler_SetNotification's own operation (`invoke_irq_handler` SetIRQHandler) with
  /// the cap in the plan's slot, so the node slot holds its copy, a child of that slot. Run once the
  /// plan's caps and derivation tree are in place.
  mutating func bindPlanIRQNotifications(_ plan: SystemPlan) {
    for (irq, slot) in plan.irqNotifications.sorted(by: { $0.key < $1.key }) {
      guard let cap = plan.caps[slot] else { continue }
      invokeIRQHandler(.setIRQHandler(irq: irq, cap: cap, slot: slot))
    }
  }

  /// `interrupt_irq_node irq`: the line's slot of the IRQ node.
  public func irqNodeSlot(_ irq: UInt64) -> SlotRef { SlotRef(IRQConstants.irqNodePtr, irq) }

  /// The state of line `irq` (`interrupt_states`); IRQInactive for a line the model has not.
  public func irqState(_ irq: UInt64) -> IRQState {
    irq < UInt64(interruptStates.count) ? interruptStates[Int(irq)] : .irqInactive
  }

  /// Whether line `irq` is masked (`irq_masks`); a line the model has not is.
  public func irqMasked(_ irq: UInt64) -> Bool { irq < UInt64(irqMasks.count) ? irqMasks[Int(irq)] : true }

  /// `is_irq_active`: the line is in any state but IRQInactive.
  func isIRQActive(_ irq: UInt64) -> Bool { irqState(irq) != .irqInactive }

  /// `set_irq_state`: the line's state, and the mask set exactly when it becomes IRQInactive.
  mutating func setIRQState(_ state: IRQState, _ irq: UInt64) {
    guard irq < UInt64(interruptStates.count) else { return }
    interruptStates[Int(irq)] = state
    maskInterrupt(state == .irqInactive, irq)
  }

  /// `maskInterrupt` (machine operation): mask (true) or unmask the line.
  mutating func maskInterrupt(_ disable: Bool, _ irq: UInt64) {
    guard irq < UInt64(irqMasks.count) else { return }
    irqMasks[Int(irq)] = disable
  }

  /// `decode_irq_control_invocation` (IssueIRQHandler), in seL4's order: the label (any other is an
  /// IllegalOperation: the Arm-specific methods are not modelled), then fewer than three registers
  /// or no extra cap → TruncatedMessage; irq > maxIRQ → RangeError(0, maxIRQ); a line already
  /// active → RevokeFirst; the destination's lookup through the extra cap (registers 1 and 2:
  /// index and depth) and its errors; a non-empty destination → DeleteFirst.
  public func decodeIRQControlInvocation(_ args: InvocationArguments, _ slot: SlotRef) throws(SyscallError)
    -> IRQControlInvocation
  {
    guard InvocationLabel(rawValue: args.label) == .irqIssueIRQHandler else { throw .illegalOperation }
    guard args.length >= 3, let cnodeCap = args.extraCaps.first else { throw .truncatedMessage }
    let (irq, index, depth) = (args.registers[0], args.registers[1], args.registers[2])
    guard irq <= IRQConstants.maxIRQ else { throw .rangeError(min: 0, max: IRQConstants.maxIRQ) }
    guard !isIRQActive(irq) else { throw .revokeFirst }
    let dest = try lookupSlotForCNodeOp(isSource: false, cnodeCap, index, depth: depth)
    try ensureEmptySlot(dest)
    return .issueIRQHandler(irq: irq, handlerSlot: dest, controlSlot: slot)
  }

  /// `invoke_irq_control`: the line becomes IRQSignal (and unmasked), and a handler cap for it goes
  /// into the destination as the IRQControl cap's child.
  mutating func invokeIRQControl(_ invocation: IRQControlInvocation) {
    switch invocation {
    case .issueIRQHandler(let irq, let handlerSlot, let controlSlot):
      setIRQState(.irqSignal, irq)
      cteInsert(.irqHandler(irq: irq), from: controlSlot, to: handlerSlot)
    }
  }

  /// `decode_irq_handler_invocation`: AckIRQ and ClearIRQHandler need nothing; SetIRQHandler needs
  /// an extra cap (TruncatedMessage) that is a notification cap with Send (InvalidCapability(0));
  /// any other label is an IllegalOperation.
  public func decodeIRQHandlerInvocation(_ args: InvocationArguments, _ irq: UInt64) throws(SyscallError)
    -> IRQHandlerInvocation
  {
    switch InvocationLabel(rawValue: args.label) {
    case .irqAckIRQ?:
      return .ackIRQ(irq: irq)
    case .irqSetIRQHandler?:
      guard let cap = args.extraCaps.first, let slot = args.extraCapSlots.first else { throw .truncatedMessage }
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

  /// `invoke_irq_handler`: Ack unmasks the line; SetIRQHandler deletes what the node slot held
  /// (`cap_delete_one`) and inserts the notification cap there from its slot; Clear deletes it.
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

  /// `cap_delete_one`: delete the cap in `slot`, finalising its object if it was the final cap.
  mutating func cteDeleteOne(_ slot: SlotRef) { cteDelete(slot) }

  /// `deleting_irq_handler`: the last handler cap of the line goes, so its node slot is emptied
  /// (`cap_delete_one`); `deleted_irq_handler` then makes the line IRQInactive (masked).
  mutating func deletingIRQHandler(_ irq: UInt64) {
    cteDeleteOne(irqNodeSlot(irq))
    setIRQState(.irqInactive, irq)
  }

  /// Whether an `.interrupt(irq:)` event reaches the kernel: the line exists, is not masked and
  /// is not the timer's (its interrupt is `.timerTick`). Otherwise nothing happens.
  public func interruptArrives(_ irq: UInt64) -> Bool {
    irq <= IRQConstants.maxIRQ && !irqMasked(irq) && irqState(irq) != .irqTimer
  }

  /// `handle_interrupt`: by the line's state. IRQSignal: signal the notification in the node slot
  /// (if it is a notification cap with Send) with its badge, then mask the line until the handler
  /// acks it. IRQTimer: the timer is reprogrammed. IRQInactive: masked again. IRQReserved: nothing.
  /// Every line is then acked at the controller (`ackInterrupt`, no state here).
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
      reprogramTimer = true
    case .irqInactive:
      maskInterrupt(true, irq)
    case .irqReserved:
      break
    }
  }
}

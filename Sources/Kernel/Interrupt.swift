// Interrupts: the IRQ state table (`intStateIRQTable`), the IRQ node (`intStateIRQNode`), the
// machine's masks, the IRQControl and IRQHandler invocations, and a device interrupt arriving.
//
// Where they lie (words of the globals frame, `GlobalsLayout`, in the room Globals.swift kept for
// them at 0x2_1000 ..< 0x3_0000):
//
// | offset | what | word |
// |---|---|---|
// | 0x2_1000 + 8·irq | `intStateIRQTable[irq]` | the line's `IRQState` raw value (0 Inactive, 1 Signal, 2 Timer, 3 Reserved: seL4's `irq_state_t`) |
// | 0x2_1200 + 8·irq | the controller's mask of the line | 1 masked, 0 unmasked (machine state, as `clock`) |
// | 0x2_8000 + 32·irq (64 lines: ..< 0x2_8800) | `intStateIRQNode[irq]` | the line's CTE, laid out as every CTE (`CapabilityWords`, MDB words) |
//
// The IRQ node is a CNode of `IRQConstants.irqBits` radix at `IRQConstants.irqNodePtr` in the heap
// type description (`objects`), so R1 lifts it as any CNode and its CTEs take part in the MDB
// list; `GlobalsLayout.holdsGlobal` counts its words as an object's, not a global's. A table word
// that is not an `IRQState` value reads as IRQInactive here and is a problem for R1.
// An `.interrupt(irq:)` event on a line that does not exist, is masked or is the timer's does
// not arrive: nothing happens (the abstract twin states the whole contract).
// Twins: `AbstractSpec/Interrupt.swift`, `ExecutableSpec/Interrupt.swift`.
// (`seL4:src/object/interrupt.c`, `include/object/interrupt.h`, `src/api/syscall.c`
// `handleInterruptEntry`.)

public import KernelABI

extension GlobalsLayout {
  /// `intStateIRQTable[0]`; line `irq`'s word is 8·irq further.
  public static let intStateIRQTable: UInt64 = 0x2_1000
  /// The controller's mask word of line 0; line `irq`'s is 8·irq further.
  public static let irqMasks: UInt64 = 0x2_1200
  /// `intStateIRQNode`: the IRQ node's first CTE (`IRQConstants.irqNodePtr`).
  public static let intStateIRQNode: UInt64 = IRQConstants.irqNodePtr &- frame
}

/// `IRQControlInvocation`: IssueIRQHandler(irq, handler CTE, control CTE).
enum IRQControlInvocation {
  case issueIRQHandler(irq: UInt64, handlerSlot: UInt64, controlSlot: UInt64)
}

/// `IRQHandlerInvocation`: the three IRQHandler methods.
enum IRQHandlerInvocation {
  /// `invokeIRQHandler_AckIRQ`: unmask the line.
  case ackIRQ(irq: UInt64)
  /// `invokeIRQHandler_SetIRQHandler`: copy the notification cap in the CTE at `slot` into the
  /// line's IRQ node CTE.
  case setIRQHandler(irq: UInt64, cap: Capability, slot: UInt64)
  /// `invokeIRQHandler_ClearIRQHandler`: empty the line's IRQ node CTE.
  case clearIRQHandler(irq: UInt64)
}

extension KernelState {
  /// `init_irqs` (`seL4:src/kernel/boot.c`): the IRQ node in the heap type description (its
  /// words are zero: null caps), every line IRQInactive and masked, then the timer's line IRQTimer
  /// (unmasked).
  mutating func initIRQs() {
    objects[IRQConstants.irqNodePtr] = .cnode(radix: IRQConstants.irqBits)
    for irq in 0..<IRQConstants.numIRQs { setIRQState(.irqInactive, irq) }
    setIRQState(.irqTimer, IRQConstants.timerIRQ)
  }

  /// The plan's IRQHandler caps as capdl-loader-app leaves them: each line named is IRQSignal (and
  /// unmasked).
  mutating func issuePlanIRQHandlers(_ caps: [SlotRef: Capability]) {
    for case .irqHandler(let irq) in caps.values { setIRQState(.irqSignal, irq) }
  }

  /// The plan's IRQ notifications as capdl-loader-app's `init_irq` leaves them: for each line in
  /// order, `invokeIRQHandler` SetIRQHandler with the cap in the plan slot's CTE (the node CTE gets
  /// its copy, inserted after that CTE in the MDB). Run once the plan's MDB is written.
  mutating func bindPlanIRQNotifications(_ plan: SystemPlan) {
    for (irq, slot) in plan.irqNotifications.sorted(by: { $0.key < $1.key }) {
      guard let cap = plan.caps[slot], let cte = cteAddress(of: slot) else { continue }
      invokeIRQHandler(.setIRQHandler(irq: irq, cap: cap, slot: cte))
    }
  }

  /// The line's CTE of the IRQ node (`intStateIRQNode + irq`).
  public func irqNodeSlot(_ irq: UInt64) -> UInt64 { IRQConstants.irqNodePtr &+ (irq << KernelConstants.slotBits) }

  /// The word of `intStateIRQTable[irq]`.
  public func irqStateWord(_ irq: UInt64) -> UInt64 {
    memory.word(GlobalsLayout.frame &+ GlobalsLayout.intStateIRQTable &+ (irq &<< 3))
  }

  /// `intStateIRQTable[irq]`; IRQInactive for a line the model has not or a word that is no state.
  public func irqState(_ irq: UInt64) -> IRQState {
    guard irq <= IRQConstants.maxIRQ else { return .irqInactive }
    return IRQState(rawValue: irqStateWord(irq)) ?? .irqInactive
  }

  /// The word of line `irq`'s mask.
  public func irqMaskWord(_ irq: UInt64) -> UInt64 {
    memory.word(GlobalsLayout.frame &+ GlobalsLayout.irqMasks &+ (irq &<< 3))
  }

  /// Whether line `irq` is masked; a line the model has not is.
  public func irqMasked(_ irq: UInt64) -> Bool { irq > IRQConstants.maxIRQ || irqMaskWord(irq) != 0 }

  /// `isIRQActive`: any state but IRQInactive.
  func isIRQActive(_ irq: UInt64) -> Bool { irqState(irq) != .irqInactive }

  /// `setIRQState`: the table word, then `maskInterrupt(state == IRQInactive, irq)`.
  mutating func setIRQState(_ state: IRQState, _ irq: UInt64) {
    guard irq <= IRQConstants.maxIRQ else { return }
    storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.intStateIRQTable &+ (irq &<< 3), state.rawValue)
    maskInterrupt(state == .irqInactive, irq)
  }

  /// `maskInterrupt(disable, irq)`: the line's mask word.
  mutating func maskInterrupt(_ disable: Bool, _ irq: UInt64) {
    guard irq <= IRQConstants.maxIRQ else { return }
    storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.irqMasks &+ (irq &<< 3), disable ? 1 : 0)
  }

  /// `decodeIRQControlInvocation` (IssueIRQHandler), checks in seL4's order: label
  /// (IllegalOperation: `Arch_decodeIRQControlInvocation`'s methods are not modelled), length ≥ 3
  /// and an extra cap (TruncatedMessage), `Arch_checkIRQ` (RangeError(0, maxIRQ)), `isIRQActive`
  /// (RevokeFirst), `lookupTargetSlot`, `ensureEmptySlot` (DeleteFirst).
  func decodeIRQControlInvocation(_ label: UInt64, _ srcSlot: UInt64, _ message: Message) throws(SyscallError)
    -> IRQControlInvocation
  {
    guard InvocationLabel(rawValue: label) == .irqIssueIRQHandler else { throw .illegalOperation }
    guard message.length >= 3, let cnodeSlot = message.extraCap(0) else { throw .truncatedMessage }
    let (irq, index, depth) = (message.arg(0), message.arg(1), message.arg(2))
    let cnodeCap = getCap(cnodeSlot)
    guard irq <= IRQConstants.maxIRQ else { throw .rangeError(min: 0, max: IRQConstants.maxIRQ) }
    guard !isIRQActive(irq) else { throw .revokeFirst }
    let destSlot = try lookupSlotForCNodeOp(isSource: false, cnodeCap, index, depth: depth)
    try ensureEmptySlot(destSlot)
    return .issueIRQHandler(irq: irq, handlerSlot: destSlot, controlSlot: srcSlot)
  }

  /// `invokeIRQControl`: `setIRQState(IRQSignal)`, then `cteInsert` of the handler cap as the
  /// IRQControl cap's child.
  mutating func invokeIRQControl(_ invocation: IRQControlInvocation) {
    switch invocation {
    case .issueIRQHandler(let irq, let handlerSlot, let controlSlot):
      setIRQState(.irqSignal, irq)
      cteInsert(.irqHandler(irq: irq), from: controlSlot, to: handlerSlot)
    }
  }

  /// `decodeIRQHandlerInvocation`: Ack and Clear need nothing; SetIRQHandler an extra cap
  /// (TruncatedMessage) that is a notification cap with `capNtfnCanSend` (InvalidCapability(0));
  /// other labels are IllegalOperation.
  func decodeIRQHandlerInvocation(_ label: UInt64, _ irq: UInt64, _ message: Message) throws(SyscallError)
    -> IRQHandlerInvocation
  {
    switch InvocationLabel(rawValue: label) {
    case .irqAckIRQ?:
      return .ackIRQ(irq: irq)
    case .irqSetIRQHandler?:
      guard let slot = message.extraCap(0) else { throw .truncatedMessage }
      let cap = getCap(slot)
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

  /// `invokeIRQHandler_AckIRQ` (`maskInterrupt(false, irq)`), `_SetIRQHandler` (`cteDeleteOne` of
  /// the node CTE, then `cteInsert` of the notification cap from its CTE), `_ClearIRQHandler`
  /// (`cteDeleteOne`).
  mutating func invokeIRQHandler(_ invocation: IRQHandlerInvocation) {
    switch invocation {
    case .ackIRQ(let irq):
      if seams.ackUnmasks?() ?? true { maskInterrupt(false, irq) }
    case .setIRQHandler(let irq, let cap, let slot):
      let node = irqNodeSlot(irq)
      cteDeleteOne(node)
      cteInsert(cap, from: slot, to: node)
    case .clearIRQHandler(let irq):
      cteDeleteOne(irqNodeSlot(irq))
    }
  }

  /// `cteDeleteOne`: delete the cap in the CTE at `slot`, finalising its object if it was final.
  mutating func cteDeleteOne(_ slot: UInt64) { cteDelete(slot) }

  /// `deletingIRQHandler`: the node CTE's cap goes (queued on the delete under way's work list,
  /// as `cteDeleteOne` would run it), and after it, the line becomes IRQInactive
  /// (`deletedIRQHandler`, from `postCapDeletion`; `seL4:src/object/objecttype.c`). The list runs
  /// last in first out, so the line's item goes on first.
  mutating func deletingIRQHandler(_ irq: UInt64, _ work: inout [DeleteWork]) {
    work.append(.irqInactive(irq))
    work.append(.slot(irqNodeSlot(irq)))
  }

  /// Whether an `.interrupt(irq:)` event reaches the kernel: the line exists, is unmasked and is
  /// not the timer's.
  public func interruptArrives(_ irq: UInt64) -> Bool {
    irq <= IRQConstants.maxIRQ && !irqMasked(irq) && irqState(irq) != .irqTimer
  }

  /// `handleInterrupt(irq)`: IRQSignal signals the node CTE's notification cap (with
  /// `capNtfnCanSend`) with its badge and masks the line; IRQTimer sets `ksReprogram`
  /// (`ackDeadlineIRQ`); IRQInactive masks; IRQReserved does nothing (`handleReservedIRQ`); then
  /// `ackInterrupt` at the controller (no state).
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

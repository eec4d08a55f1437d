// `tcb_relation` (l4v `proof/refine/StateRelation.thy`): a TCB's words are the executable spec's
// thread (state, `tcbQueued` and `tcbInReleaseQueue`, the notification a blocked thread waits on, priority, maximum
// controlled priority, domain, scheduling context, bound notification, user context, flags, the
// scheduling context it yielded to (`tcbYieldTo`), and the fault it waits to have handled: `tcbFault` with, for a CapFault, `tcbLookupFailure`) and its slots (`cte_relation`, in `CNode+Relation.swift`); abstracted, the same
// fields but the two flags (the abstract queues say them), and the slots' caps. The sched link words
// are no field of the thread: they lift as the ready queues and the release queue (`State+Relation.swift`); nor are the
// notification-queue links: they lift as the notifications' queues (`Notification+Relation.swift`).
// The user context (message-info, badge and message registers, the other 31 AArch64
// registers, and the IPC buffer's caps-or-badges and receive-slot words) is read from its words in full, all 120 message registers, so a word written behind
// the layers' back breaks R1; after a step, only the message registers written (by the kernel, as
// its log says, or by the executable spec), and the other registers all (31 words) when the kernel
// wrote one of their words or the executable spec changed one, none otherwise.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The executable-spec thread state the kernel's state word of the TCB at `address` encodes.
  func liftThreadState(at address: ObjectRef) -> ExecutableSpec.ThreadState? {
    switch threadState(of: address) {
    case .running?: .running
    case .restart?: .restart
    case .inactive?: .inactive
    case .blockedOnNotification?: .blockedOnNotification(waitingOnNotification: blockingObject(of: address) ?? 0)
    case .blockedOnSend?:
      .blockedOnSend(
        blockingObject: blockingObject(of: address) ?? 0,
        blockingIPCFields(of: address) ?? IPCSendFields(badge: 0, canGrant: false, canGrantReply: false, isCall: false))
    case .blockedOnReceive?:
      .blockedOnReceive(
        blockingObject: blockingObject(of: address) ?? 0,
        replyObject: blockingReplyObject(of: address).flatMap { $0 == 0 ? nil : $0 })
    case .blockedOnReply?: .blockedOnReply(replyObject: blockingReplyObject(of: address) ?? 0)
    case .idleThreadState?: .idleThreadState
    case nil: nil
    }
  }

  /// The TCB at `address`.
  func liftTCB(at address: ObjectRef, locator: CTELocator, problems: inout [String]) -> ExecutableSpec.TCB {
    let state = liftThreadState(at: address)
    if state == nil { problems.append("thread \(hex(address)) has no decodable state") }
    let sc = schedContextWord(of: address) ?? 0
    return ExecutableSpec.TCB(
      state: state ?? .inactive, priority: priority(of: address) ?? 0,
      maxControlledPriority: maxControlledPriority(of: address) ?? 0, domain: domain(of: address) ?? 0,
      schedContext: sc == 0 ? nil : sc, tcbQueued: isQueued(address), tcbInReleaseQueue: isInReleaseQueue(address),
      tcbBoundNotification: boundNotificationWord(of: address).flatMap { $0 == 0 ? nil : $0 },
      ctes: (0..<TCBSlot.count).map { liftCTE(SlotRef(address, $0), locator: locator, problems: &problems) },
      context: liftUserContext(at: address), tcbFlags: tcbFlags(of: address) ?? 0, tcbFault: tcbFault(of: address),
      tcbYieldTo: tcbYieldTo(of: address).flatMap { $0 == 0 ? nil : $0 })
  }

  /// The executable-spec user context the words of the TCB at `address` hold.
  func liftUserContext(at address: ObjectRef) -> ExecutableSpec.UserContext {
    guard let context = userContext(of: address) else { return ExecutableSpec.UserContext() }
    var lifted = ExecutableSpec.UserContext(
      msgInfoRegister: context.msgInfoRegister, badgeRegister: context.badgeRegister,
      msgRegisters: context.msgRegisters, registers: context.registers)
    lifted.capsOrBadges = context.capsOrBadges
    lifted.receiveSlot = context.receiveSlot
    return lifted
  }

  /// Whether the TCB at `address` lifts to `tcb` in every field other than its slots, after a
  /// step, for a TCB whose fields lifted to `old` before: every field but the registers; of the
  /// message registers only the ones the kernel wrote (in the CTE-sized chunks at `writtenCTEs`,
  /// the write log's words rounded down) or the executable spec changed, and the other registers
  /// all if the kernel wrote or the executable spec changed one of them. The others are words no
  /// one wrote, and lift as before, to what the executable spec still holds.
  func tcbFieldsLift(
    to tcb: ExecutableSpec.TCB, at address: ObjectRef, before old: ExecutableSpec.TCB, writtenCTEs: Set<UInt64>
  )
    -> Bool
  {
    guard let state = liftThreadState(at: address), tcb.state == state, tcb.priority == priority(of: address) ?? 0,
      tcb.maxControlledPriority == maxControlledPriority(of: address) ?? 0, tcb.domain == domain(of: address) ?? 0,
      tcb.schedContext ?? 0 == schedContextWord(of: address) ?? 0, tcb.tcbQueued == isQueued(address),
      tcb.tcbInReleaseQueue == isInReleaseQueue(address),
      tcb.tcbBoundNotification ?? 0 == boundNotificationWord(of: address) ?? 0,
      tcb.tcbFlags == tcbFlags(of: address) ?? 0, tcb.tcbFault == tcbFault(of: address),
      tcb.tcbYieldTo ?? 0 == tcbYieldTo(of: address) ?? 0,
      tcb.context.msgInfoRegister == load(address &+ ObjectLayout.tcbMsgInfoRegister) ?? 0,
      tcb.context.badgeRegister == load(address &+ ObjectLayout.tcbBadgeRegister) ?? 0,
      ipcBufferWordsLift(tcb.context, address)
    else { return false }
    let (now, was) = (tcb.context, old.context)
    // The other registers' 31 words: all of them when the kernel wrote a word among them or the
    // executable spec changed one; otherwise none was written and each lifts as before.
    let (firstOther, endOther) = (address &+ ObjectLayout.tcbRegisters, address &+ ObjectLayout.tcbRegistersEnd)
    let othersWritten =
      now.registers != was.registers
      || writtenCTEs.contains { $0 < endOther && $0 &+ (UInt64(1) << KernelConstants.slotBits) > firstOther }
    if othersWritten
      && !Register.allCases.allSatisfy({ $0.otherRegisterIndex == nil || otherRegisterLifts($0, now, address) })
    {
      return false
    }
    func liftsAt(_ index: Int) -> Bool {
      index < KernelConstants.msgMaxLength
        && load(address &+ ObjectLayout.tcbMsgRegisters &+ UInt64(index) &* 8) ?? 0 == now.msgRegister(index)
    }
    for index in 0..<max(now.msgRegisters.count, was.msgRegisters.count)
    where now.msgRegister(index) != was.msgRegister(index) && !liftsAt(index) {
      return false
    }
    let (first, end) = (address &+ ObjectLayout.tcbMsgRegisters, address &+ ObjectLayout.tcbContextEnd)
    for chunk in writtenCTEs where chunk < end && chunk &+ (UInt64(1) << KernelConstants.slotBits) > first {
      for word in stride(from: chunk, to: chunk &+ (UInt64(1) << KernelConstants.slotBits), by: 8)
      where word >= first && word < end && !liftsAt(Int((word &- first) / 8)) {
        return false
      }
    }
    return true
  }

  /// Whether the IPC buffer's six words past the message in the TCB at `address` (its
  /// `caps_or_badges` and receive slot) are the ones `context` holds; read at every step, they
  /// are few.
  func ipcBufferWordsLift(_ context: ExecutableSpec.UserContext, _ address: ObjectRef) -> Bool {
    for index in 0..<KernelConstants.msgMaxExtraCaps
    where load(address &+ ObjectLayout.tcbCapsOrBadges &+ UInt64(index) &* 8) ?? 0 != context.capsOrBadges[index] {
      return false
    }
    return context.receiveSlot
      == ReceiveSlot(
        cnode: load(address &+ ObjectLayout.tcbReceiveCNode) ?? 0,
        index: load(address &+ ObjectLayout.tcbReceiveIndex) ?? 0,
        depth: load(address &+ ObjectLayout.tcbReceiveDepth) ?? 0)
  }

  /// Whether the word of `register` (one of X6 up to TPIDRRO_EL0) in the TCB at `address` is the
  /// one `context` holds.
  func otherRegisterLifts(_ register: Register, _ context: ExecutableSpec.UserContext, _ address: ObjectRef) -> Bool {
    load(address &+ ObjectLayout.registerOffset(register)) ?? 0 == context.getRegister(register)
  }
}

extension ExecState {
  /// The abstract TCB `tcb` (at `address`) stands for.
  func abstractTCB(_ tcb: ExecutableSpec.TCB, at address: ObjectRef, originals: inout Set<SlotRef>)
    -> AbstractSpec.TCB
  {
    let state: AbstractSpec.ThreadState =
      switch tcb.state {
      case .running: .running
      case .restart: .restart
      case .inactive: .inactive
      case .blockedOnNotification(let ntfn): .blockedOnNotification(ntfn)
      case .blockedOnSend(let ep, let fields): .blockedOnSend(ep, fields)
      case .blockedOnReceive(let ep, let reply): .blockedOnReceive(ep, reply: reply)
      case .blockedOnReply(let reply): .blockedOnReply(reply)
      case .idleThreadState: .idleThreadState
      }
    return AbstractSpec.TCB(
      state: state, priority: tcb.priority, maxControlledPriority: tcb.maxControlledPriority, domain: tcb.domain,
      schedContext: tcb.schedContext, boundNotification: tcb.tcbBoundNotification,
      slots: abstractSlots(
        address, tcb.ctes.enumerated().lazy.map { (UInt64($0.offset), $0.element) }, originals: &originals),
      context: abstractUserContext(tcb.context), flags: tcb.tcbFlags, fault: tcb.tcbFault, yieldTo: tcb.tcbYieldTo)
  }

  /// The abstract user context `context` stands for: the same registers.
  func abstractUserContext(_ context: ExecutableSpec.UserContext) -> AbstractSpec.UserContext {
    var abstract = AbstractSpec.UserContext(
      msgInfoRegister: context.msgInfoRegister, badgeRegister: context.badgeRegister,
      msgRegisters: context.msgRegisters, registers: context.registers)
    abstract.capsOrBadges = context.capsOrBadges
    abstract.receiveSlot = context.receiveSlot
    return abstract
  }
}

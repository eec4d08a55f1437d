// Invocation labels: which method a message sent to a kernel object asks for.
//
// The label field of the message-info word selects the method. Labels are numbered in the order the
// libsel4 object interface lists its methods, with each configuration's conditional methods left in or
// out. This is the MCS numbering without SMP, hardware debug or architecture methods: MCS inserts
// TCB_SetTimeoutEndpoint at 9 and TCB_SetFlags lands at 17, the classic-only CNode_SaveCaller is
// absent, and the scheduling-context methods follow the domain methods at 33...38. Each label belongs
// to one kind of object; invoking an object with another kind's label is an IllegalOperation.

// MARK: - The objects labels address

/// The kind of capability an invocation label is meant for.
public enum InvocationTarget: Hashable, Sendable, Codable, CaseIterable {
  /// An Untyped capability.
  case untyped
  /// A TCB capability.
  case tcb
  /// A CNode capability.
  case cnode
  /// The IRQControl capability.
  case irqControl
  /// An IRQHandler capability.
  case irqHandler
  /// The DomainSet capability.
  case domain
  /// The MCS SchedControl capability.
  case schedControl
  /// An MCS SchedContext capability.
  case schedContext
  /// No object: the invalid label.
  case none
}

// MARK: - Labels

/// An invocation label (`invocation_label`), MCS numbering.
public enum InvocationLabel: UInt64, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
  /// Label 0: no method.
  case invalidInvocation = 0
  /// `Untyped_Retype`: make new objects from an untyped region.
  case untypedRetype = 1
  /// `TCB_ReadRegisters`: copy a thread's registers into the reply.
  case tcbReadRegisters = 2
  /// `TCB_WriteRegisters`: set a thread's registers.
  case tcbWriteRegisters = 3
  /// `TCB_CopyRegisters`: copy registers from one thread to another.
  case tcbCopyRegisters = 4
  /// `TCB_Configure`: set CSpace, VSpace and IPC buffer at once.
  case tcbConfigure = 5
  /// `TCB_SetPriority`.
  case tcbSetPriority = 6
  /// `TCB_SetMCPriority`: set the maximum controlled priority.
  case tcbSetMCPriority = 7
  /// `TCB_SetSchedParams`: MCP, priority, scheduling context and fault handler.
  case tcbSetSchedParams = 8
  /// `TCB_SetTimeoutEndpoint` (MCS): install the timeout-fault handler.
  case tcbSetTimeoutEndpoint = 9
  /// `TCB_SetIPCBuffer`.
  case tcbSetIPCBuffer = 10
  /// `TCB_SetSpace`: fault handler, CSpace and VSpace roots.
  case tcbSetSpace = 11
  /// `TCB_Suspend`.
  case tcbSuspend = 12
  /// `TCB_Resume`.
  case tcbResume = 13
  /// `TCB_BindNotification`.
  case tcbBindNotification = 14
  /// `TCB_UnbindNotification`.
  case tcbUnbindNotification = 15
  /// `TCB_SetTLSBase`.
  case tcbSetTLSBase = 16
  /// `TCB_SetFlags`.
  case tcbSetFlags = 17
  /// `CNode_Revoke`: delete every capability derived from a slot's capability.
  case cnodeRevoke = 18
  /// `CNode_Delete`: empty a slot.
  case cnodeDelete = 19
  /// `CNode_CancelBadgedSends`: abort sends queued with one badge.
  case cnodeCancelBadgedSends = 20
  /// `CNode_Copy`: derive a copy, possibly with fewer rights.
  case cnodeCopy = 21
  /// `CNode_Mint`: derive a copy with new rights and badge or guard.
  case cnodeMint = 22
  /// `CNode_Move`: move a capability to another slot.
  case cnodeMove = 23
  /// `CNode_Mutate`: move a capability, changing its guard.
  case cnodeMutate = 24
  /// `CNode_Rotate`: move two capabilities in one step.
  case cnodeRotate = 25
  /// `IRQ_IssueIRQHandler` (on IRQControl): make a handler capability for one IRQ.
  case irqIssueIRQHandler = 26
  /// `IRQ_AckIRQ` (on an IRQHandler): re-enable the interrupt.
  case irqAckIRQ = 27
  /// `IRQ_SetIRQHandler`: name the notification the interrupt signals.
  case irqSetIRQHandler = 28
  /// `IRQ_ClearIRQHandler`: stop signalling.
  case irqClearIRQHandler = 29
  /// `DomainSet_Set`: move a thread to a scheduling domain.
  case domainSetSet = 30
  /// `DomainSet_ScheduleConfigure`: write one domain-schedule entry.
  case domainScheduleConfigure = 31
  /// `DomainSet_ScheduleSetStart`: choose where the domain schedule starts.
  case domainScheduleSetStart = 32
  /// `SchedControl_ConfigureFlags`: set a scheduling context's budget, period, refills, badge, flags.
  case schedControlConfigureFlags = 33
  /// `SchedContext_Bind`: bind a TCB or notification.
  case schedContextBind = 34
  /// `SchedContext_Unbind`: unbind everything.
  case schedContextUnbind = 35
  /// `SchedContext_UnbindObject`: unbind one TCB or notification.
  case schedContextUnbindObject = 36
  /// `SchedContext_Consumed`: report and reset consumed time.
  case schedContextConsumed = 37
  /// `SchedContext_YieldTo`: run the bound thread on this context now.
  case schedContextYieldTo = 38

  /// The kind of object the label addresses.
  public var target: InvocationTarget {
    switch self {
    case .invalidInvocation:
      .none
    case .untypedRetype:
      .untyped
    case .tcbReadRegisters, .tcbWriteRegisters, .tcbCopyRegisters, .tcbConfigure, .tcbSetPriority,
      .tcbSetMCPriority, .tcbSetSchedParams, .tcbSetTimeoutEndpoint, .tcbSetIPCBuffer, .tcbSetSpace,
      .tcbSuspend, .tcbResume, .tcbBindNotification, .tcbUnbindNotification, .tcbSetTLSBase, .tcbSetFlags:
      .tcb
    case .cnodeRevoke, .cnodeDelete, .cnodeCancelBadgedSends, .cnodeCopy, .cnodeMint, .cnodeMove,
      .cnodeMutate, .cnodeRotate:
      .cnode
    case .irqIssueIRQHandler:
      .irqControl
    case .irqAckIRQ, .irqSetIRQHandler, .irqClearIRQHandler:
      .irqHandler
    case .domainSetSet, .domainScheduleConfigure, .domainScheduleSetStart:
      .domain
    case .schedControlConfigureFlags:
      .schedControl
    case .schedContextBind, .schedContextUnbind, .schedContextUnbindObject, .schedContextConsumed,
      .schedContextYieldTo:
      .schedContext
    }
  }

  /// The interface-and-method name, e.g. `CNode_Copy`; `InvalidInvocation` for label 0.
  public var libsel4Name: String {
    switch self {
    case .invalidInvocation: "InvalidInvocation"
    case .untypedRetype: "Untyped_Retype"
    case .tcbReadRegisters: "TCB_ReadRegisters"
    case .tcbWriteRegisters: "TCB_WriteRegisters"
    case .tcbCopyRegisters: "TCB_CopyRegisters"
    case .tcbConfigure: "TCB_Configure"
    case .tcbSetPriority: "TCB_SetPriority"
    case .tcbSetMCPriority: "TCB_SetMCPriority"
    case .tcbSetSchedParams: "TCB_SetSchedParams"
    case .tcbSetTimeoutEndpoint: "TCB_SetTimeoutEndpoint"
    case .tcbSetIPCBuffer: "TCB_SetIPCBuffer"
    case .tcbSetSpace: "TCB_SetSpace"
    case .tcbSuspend: "TCB_Suspend"
    case .tcbResume: "TCB_Resume"
    case .tcbBindNotification: "TCB_BindNotification"
    case .tcbUnbindNotification: "TCB_UnbindNotification"
    case .tcbSetTLSBase: "TCB_SetTLSBase"
    case .tcbSetFlags: "TCB_SetFlags"
    case .cnodeRevoke: "CNode_Revoke"
    case .cnodeDelete: "CNode_Delete"
    case .cnodeCancelBadgedSends: "CNode_CancelBadgedSends"
    case .cnodeCopy: "CNode_Copy"
    case .cnodeMint: "CNode_Mint"
    case .cnodeMove: "CNode_Move"
    case .cnodeMutate: "CNode_Mutate"
    case .cnodeRotate: "CNode_Rotate"
    case .irqIssueIRQHandler: "IRQ_IssueIRQHandler"
    case .irqAckIRQ: "IRQ_AckIRQ"
    case .irqSetIRQHandler: "IRQ_SetIRQHandler"
    case .irqClearIRQHandler: "IRQ_ClearIRQHandler"
    case .domainSetSet: "DomainSet_Set"
    case .domainScheduleConfigure: "DomainSet_ScheduleConfigure"
    case .domainScheduleSetStart: "DomainSet_ScheduleSetStart"
    case .schedControlConfigureFlags: "SchedControl_ConfigureFlags"
    case .schedContextBind: "SchedContext_Bind"
    case .schedContextUnbind: "SchedContext_Unbind"
    case .schedContextUnbindObject: "SchedContext_UnbindObject"
    case .schedContextConsumed: "SchedContext_Consumed"
    case .schedContextYieldTo: "SchedContext_YieldTo"
    }
  }

  /// The label whose libsel4 name is `libsel4Name`, if any.
  public init?(libsel4Name: String) {
    guard let found = InvocationLabel.allCases.first(where: { $0.libsel4Name == libsel4Name }) else {
      return nil
    }
    self = found
  }

  /// The labels that address objects of kind `target`, in numeric order.
  public static func labels(for target: InvocationTarget) -> [InvocationLabel] {
    allCases.filter { $0.target == target }
  }

  public var description: String { libsel4Name }
}

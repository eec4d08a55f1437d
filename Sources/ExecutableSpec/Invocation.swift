// Decoding and performing an invocation (`decodeInvocation` and `performInvocation` in
// `SEL4.Object.ObjectType`), by the invoked cap's type.
//
// A CNode cap reads the message as a CNode method, an untyped cap as Untyped_Retype, a thread cap
// as a TCB method; a notification cap with Write signals its notification, an endpoint cap with
// Write sends IPC, a reply cap replies. A Null cap, and an endpoint or notification cap without
// Write, cannot be invoked (nor a thread, CNode, domain, scheduling-control or scheduling-context
// cap in ReplyRecv's first phase). A SchedControl cap reads it as SchedControl_ConfigureFlags
// (`SchedControl.swift`), a SchedContext cap as a SchedContext method (`SchedContext.swift`), a
// DomainSet cap as a DomainSet method (`Domain.swift`); the IRQ methods are reported as not
// modelled.
// Twins: `AbstractSpec/Invocation.swift`, `Kernel/Invocation.swift`.

public import KernelABI

/// A decoded invocation (`Invocation` in the Haskell model): what `performInvocation` performs.
public enum Invocation: Hashable, Sendable {
  /// A CNode method.
  case cnode(CNodeInvocation)
  /// Untyped_Retype.
  case untyped(RetypeInvocation)
  /// A TCB method.
  case tcb(TCBInvocation)
  /// A SchedControl method (`InvokeSchedControl`).
  case schedControl(SchedControlInvocation)
  /// A DomainSet method (`Domain.swift`).
  case domain(DomainInvocation)
  /// A SchedContext method (`InvokeSchedContext`).
  case schedContext(SchedContextInvocation)
  /// An IRQControl method (`InvokeIRQControl`, `Interrupt.swift`).
  case irqControl(IRQControlInvocation)
  /// An IRQHandler method (`InvokeIRQHandler`, `Interrupt.swift`).
  case irqHandler(IRQHandlerInvocation)
  /// `InvokeEndpoint`: send through the endpoint at this address with the cap's badge and its
  /// Grant and GrantReply rights.
  case endpoint(ObjectRef, badge: UInt64, canGrant: Bool, canGrantReply: Bool)
  /// `InvokeNotification`: signal the notification at this address with the cap's badge.
  case notification(ObjectRef, badge: UInt64)
  /// A reply through the reply object at this address, with the reply cap's Grant right
  /// (`InvokeReply`).
  case reply(ObjectRef, canGrant: Bool)
  /// An operation this slice does not model: performing it changes nothing.
  case notModelled(NotModelled)
}

extension ExecState {
  /// `decodeInvocation label args capIndex slot cap extraCaps`: decode by the invoked cap's type;
  /// it changes nothing.
  /// - Parameters: as `decodeCNodeInvocation`; `slot` is where the invoked cap lives, and
  ///   `extraCapSlots` where the extra caps were found (`excaprefs`).
  /// - Throws: InvalidCapability(0) for a Null cap or an EP/Ntfn cap without Write; the object
  ///   decoder's first failing check otherwise.
  public func decodeInvocation(
    label: UInt64, args: [UInt64], cap: Capability, slot: SlotRef, extraCaps: [Capability],
    extraCapSlots: [SlotRef] = [], firstPhase: Bool = false
  ) throws(SyscallError) -> Invocation {
    switch cap {
    case .null:
      throw .invalidCapability(index: 0)
    // Sending through an EP or Ntfn cap needs Write; the send itself is IPC.
    case .endpoint(let ep, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      // The extra caps, looked up already, go with the message when it is taken, with Grant
      // (`doIPCTransfer`).
      return .endpoint(
        ep, badge: badge, canGrant: rights.contains(.grant), canGrantReply: rights.contains(.grantReply))
    // A Signal needs Write too; its badge is the cap's (`capNtfnBadge`).
    case .notification(let ntfn, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      return .notification(ntfn, badge: badge)
    case .reply(let reply, let canGrant):
      return .reply(reply, canGrant: canGrant)
    // MCS refuses a CNode, thread, domain, scheduling-control or scheduling-context cap in the
    // first phase of ReplyRecv, NBSendRecv and NBSendWait (InvalidCapability(0), before the
    // object's decoder: `seL4:src/object/objecttype.c` decodeInvocation).
    case .cnode:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .cnode(try decodeCNodeInvocation(label: label, args: args, cap: cap, extraCaps: extraCaps))
    case .untyped:
      return .untyped(
        try decodeUntypedInvocation(label: label, args: args, slot: slot, cap: cap, extraCaps: extraCaps))
    case .thread:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .tcb(
        try decodeTCBInvocation(
          label: label, args: args, cap: cap, slot: slot, extraCaps: extraCaps, extraCapSlots: extraCapSlots))
    case .schedContext(let sc, _):
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedContext(try decodeSchedContextInvocation(label: label, extraCaps: extraCaps, sc))
    case .schedControl:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedControl(try decodeSchedControlInvocation(label: label, args: args, extraCaps: extraCaps))
    // The IRQ caps are decoded in the first phase too (`Interrupt.swift`).
    case .irqControl:
      return .irqControl(
        try decodeIRQControlInvocation(label: label, args: args, slot: slot, extraCaps: extraCaps))
    case .irqHandler(let irq):
      return .irqHandler(
        try decodeIRQHandlerInvocation(label: label, irq: irq, extraCaps: extraCaps, extraCapSlots: extraCapSlots))
    case .domain:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .domain(try decodeDomainInvocation(label: label, args: args, extraCaps: extraCaps))
    }
  }

  /// `performInvocation`: perform a decoded invocation. Nothing here can fail (no preemption).
  /// `isBlocking`, `isCall`, `canDonate`: how a send through an endpoint goes.
  public mutating func performInvocation(
    _ invocation: Invocation, isBlocking: Bool = true, isCall: Bool = false, canDonate: Bool = false
  ) -> InvocationOutcome {
    switch invocation {
    case .endpoint(let ep, let badge, let canGrant, let canGrantReply):
      guard !isIdle(ksCurThread) else { return .notModelled(.ipc) }
      sendIPC(isBlocking, isCall, badge, canGrant, canGrantReply, canDonate, ksCurThread, ep)
      return .doneRunning
    case .reply(let reply, let canGrant):
      guard !isIdle(ksCurThread) else { return .notModelled(.ipc) }
      doReplyTransfer(ksCurThread, reply, canGrant)
      return .done
    case .cnode(let cnodeInvocation):
      invokeCNode(cnodeInvocation)
      return .done
    case .untyped(let retype):
      invokeUntyped(retype)
      return .done
    case .tcb(let tcbInvocation):
      return invokeTCB(tcbInvocation)
    case .schedControl(let schedControlInvocation):
      invokeSchedControlConfigureFlags(schedControlInvocation)
      return .done
    case .domain(let domainInvocation):
      invokeDomain(domainInvocation)
      return .done
    case .schedContext(let schedContextInvocation):
      return invokeSchedContext(schedContextInvocation)
    case .irqControl(let irqControlInvocation):
      invokeIRQControl(irqControlInvocation)
      return .done
    case .irqHandler(let irqHandlerInvocation):
      invokeIRQHandler(irqHandlerInvocation)
      return .done
    case .notification(let ntfn, let badge):
      sendSignal(ntfn, badge)
      return .doneRunning
    // Not modelled: nothing happens.
    case .notModelled(let what):
      return .notModelled(what)
    }
  }
}

// Decoding and performing an invocation of a capability, by the capability's type.
//
// The invoked cap decides what the message means: a CNode cap reads it as a CNode method, an
// untyped cap as Untyped_Retype, a thread cap as a TCB method, and a notification cap with Write
// signals the notification (whatever the message), an endpoint cap with Write sends IPC and a
// reply cap replies. Null caps and endpoint or notification caps without Write cannot be
// invoked; in the first phase of ReplyRecv neither can thread, CNode, domain, scheduling-control
// or scheduling-context caps. A SchedControl cap reads it as SchedControl_ConfigureFlags
// (`SchedControl.swift`), a SchedContext cap as a SchedContext method (`SchedContext.swift`), a
// DomainSet cap as a DomainSet method (`Domain.swift`), the IRQControl and IRQHandler caps as
// their methods (`Interrupt.swift`).
// Twins: `ExecutableSpec/Invocation.swift`, `Kernel/Invocation.swift`.
// (`seL4:src/object/objecttype.c` `decodeInvocation`; contract: docs/capability-core.md.)

public import KernelABI

/// A decoded invocation (l4v `invocation`): what `performInvocation` performs.
public enum Invocation: Hashable, Sendable {
  /// A CNode method.
  case cnode(CNodeInvocation)
  /// Untyped_Retype.
  case untyped(RetypeInvocation)
  /// A TCB method.
  case tcb(TCBInvocation)
  /// A SchedControl method (`InvokeSchedControl`).
  case schedControl(SchedControlInvocation)
  /// A DomainSet method (`InvokeDomain`, `Domain.swift`).
  case domain(DomainInvocation)
  /// A SchedContext method (`InvokeSchedContext`).
  case schedContext(SchedContextInvocation)
  /// An IRQControl method (`InvokeIRQControl`, `Interrupt.swift`).
  case irqControl(IRQControlInvocation)
  /// An IRQHandler method (`InvokeIRQHandler`, `Interrupt.swift`).
  case irqHandler(IRQHandlerInvocation)
  /// A send through the endpoint at this address with the invoked cap's badge and Grant and
  /// GrantReply rights (`InvokeEndpoint`).
  case endpoint(ObjectRef, badge: UInt64, canGrant: Bool, canGrantReply: Bool)
  /// A reply through the reply object at this address, with the reply cap's Grant right
  /// (`InvokeReply`).
  case reply(ObjectRef, canGrant: Bool)
  /// A Signal of the notification at this address with the invoked cap's badge
  /// (`InvokeNotification`).
  case signal(ObjectRef, badge: UInt64)
  /// An operation this slice does not model: performing it changes nothing.
  case notModelled(NotModelled)
}

extension AbstractState {
  /// Decode the invocation of `cap` (found in `slot`) by the cap's type (`decode_invocation`); it
  /// changes nothing.
  /// - Throws: InvalidCapability(0) for a Null cap or an endpoint or notification cap without
  ///   Write; the object decoder's first failing check otherwise.
  public func decodeInvocation(
    _ args: InvocationArguments, _ cap: Capability, _ slot: SlotRef, firstPhase: Bool = false
  )
    throws(SyscallError) -> Invocation
  {
    switch cap {
    // Nothing to invoke.
    case .null:
      throw .invalidCapability(index: 0)
    // Sending on an endpoint or notification needs Write; the send itself is IPC.
    case .endpoint(let ep, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      // The extra caps, looked up already, go with the message when it is taken, with Grant
      // (`doIPCTransfer`).
      return .endpoint(
        ep, badge: badge, canGrant: rights.contains(.grant), canGrantReply: rights.contains(.grantReply))
    // A Signal needs Write too; its badge is the cap's.
    case .notification(let ntfn, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      return .signal(ntfn, badge: badge)
    // A reply through a reply object (`InvokeReply`).
    case .reply(let reply, let canGrant):
      return .reply(reply, canGrant: canGrant)
    // The kinds this slice models. MCS refuses a CNode cap in the first phase of ReplyRecv,
    // NBSendRecv and NBSendWait (InvalidCapability(0), before decodeCNodeInvocation), as it does
    // thread, domain, scheduling-control and scheduling-context caps.
    case .cnode:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .cnode(try decodeCNodeInvocation(args, cap))
    case .untyped:
      return .untyped(try decodeUntypedInvocation(args, slot))
    // MCS refuses a thread cap in the first phase of ReplyRecv, NBSendRecv and NBSendWait
    // (InvalidCapability(0), before decodeTCBInvocation).
    case .thread:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .tcb(try decodeTCBInvocation(args, cap, slot))
    // The other objects' methods come with their slices; the first phase refuses a scheduling
    // context, scheduling control or domain cap before its decoder, as a thread cap.
    // SchedControl_ConfigureFlags (`SchedControl.swift`) and the SchedContext methods
    // (`SchedContext.swift`) are modelled.
    case .schedContext(let sc, _):
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedContext(try decodeSchedContextInvocation(args, sc))
    case .schedControl:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedControl(try decodeSchedControlInvocation(args))
    // The IRQ caps are decoded in the first phase too (`Interrupt.swift`).
    case .irqControl:
      return .irqControl(try decodeIRQControlInvocation(args, slot))
    case .irqHandler(let irq):
      return .irqHandler(try decodeIRQHandlerInvocation(args, irq))
    case .domain:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .domain(try decodeDomainInvocation(args))
    }
  }

  /// Perform a decoded invocation (`perform_invocation`), making the spec's own choices; it cannot
  /// fail.
  public mutating func performInvocation(_ invocation: Invocation) -> InvocationOutcome {
    var choices = AbstractChoices()
    return performInvocation(invocation, choices: &choices)
  }

  /// `performInvocation` with the nondeterminism of the operation resolved by `choices`;
  /// `isBlocking`, `isCall` and `canDonate` say how a send through an endpoint goes (l4v-rt
  /// `perform_invocation block call can_donate`).
  public mutating func performInvocation(
    _ invocation: Invocation, isBlocking: Bool = true, isCall: Bool = false, canDonate: Bool = false,
    choices: inout AbstractChoices
  )
    -> InvocationOutcome
  {
    switch invocation {
    case .endpoint(let ep, let badge, let canGrant, let canGrantReply):
      guard !isIdle(currentThread) else { return .notModelled(.ipc) }
      sendIPC(isBlocking, isCall, badge, canGrant, canGrantReply, canDonate, currentThread, ep)
      return .doneRunning
    case .reply(let reply, let canGrant):
      guard !isIdle(currentThread) else { return .notModelled(.ipc) }
      doReplyTransfer(currentThread, reply, canGrant)
      return .done
    case .cnode(let cnodeInvocation):
      invokeCNode(cnodeInvocation, choices: &choices)
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
    case .signal(let ntfn, let badge):
      sendSignal(ntfn, badge)
      return .doneRunning
    // Not modelled: nothing happens.
    case .notModelled(let what):
      return .notModelled(what)
    }
  }
}

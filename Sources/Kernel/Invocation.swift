// Decoding and performing an invocation (seL4 `src/object/objecttype.c`: `decodeInvocation`,
// `performInvocation`), by the invoked cap's type.
//
// A CNode cap reads the message as a CNode method, an untyped cap as Untyped_Retype, a thread cap
// as a TCB method; a notification cap with Write signals its notification, an endpoint cap with
// Write sends IPC, a reply cap replies. A Null cap, and an endpoint or notification cap without
// Write, cannot be invoked (nor a thread, CNode, domain, scheduling-control or scheduling-context
// cap in ReplyRecv's first phase). A SchedControl cap reads it as SchedControl_ConfigureFlags
// (`SchedControl.swift`), a SchedContext cap as a SchedContext method (`SchedContext.swift`), the
// IRQ caps as their methods (`Interrupt.swift`); the domain method is reported as not modelled.
// Decoding only reads memory; performing writes it.
// Twins: `AbstractSpec/Invocation.swift`, `ExecutableSpec/Invocation.swift`.

import KernelABI

/// What an invocation reads from the caller: message length, registers and extra-cap slots.
struct Message {
  let length: UInt64
  let registers: [UInt64]
  let extraCapCount: Int
  let extraCaps: (UInt64, UInt64, UInt64)

  /// Message register `i` (0 beyond the message length or when the event gives fewer).
  func arg(_ i: Int) -> UInt64 {
    guard UInt64(truncatingIfNeeded: i) < length, i < registers.count else { return 0 }
    return registers[i]
  }

  /// The CTE address of extra cap `i`, if the message carries that many.
  func extraCap(_ i: Int) -> UInt64? {
    guard i < extraCapCount else { return nil }
    switch i {
    case 0: return extraCaps.0
    case 1: return extraCaps.1
    case 2: return extraCaps.2
    default: return nil
    }
  }
}

/// A decoded invocation: what `performInvocation` performs.
enum Invocation {
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
  /// An IRQControl method (`invokeIRQControl`, `Interrupt.swift`).
  case irqControl(IRQControlInvocation)
  /// An IRQHandler method (`invokeIRQHandler`, `Interrupt.swift`).
  case irqHandler(IRQHandlerInvocation)
  /// `performInvocation_Endpoint`: send through the endpoint at this address with the cap's
  /// badge, Grant and GrantReply.
  case endpoint(ObjectRef, badge: UInt64, canGrant: Bool, canGrantReply: Bool)
  /// `performInvocation_Notification`: signal the notification at this address with the badge.
  case notification(ObjectRef, badge: UInt64)
  /// `performInvocation_Reply`: reply through the reply object at this address, with the reply
  /// cap's Grant right.
  case reply(ObjectRef, canGrant: Bool)
  /// An operation this slice does not model: performing it changes nothing.
  case notModelled(NotModelled)
}

extension KernelState {
  /// `decodeInvocation(label, capSlot, message)`: dispatch on the invoked cap's type; it writes
  /// nothing.
  func decodeInvocation(_ label: UInt64, _ capSlot: UInt64, _ message: Message, firstPhase: Bool = false)
    throws(SyscallError) -> Invocation
  {
    let cap = getCap(capSlot)
    switch cap {
    case .null:
      throw .invalidCapability(index: 0)
    // Sending needs Write; a send through a cap without it is an error, not IPC.
    case .endpoint(let ep, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      // The extra caps, looked up already, go with the message when it is taken, with Grant
      // (`doIPCTransfer`).
      return .endpoint(
        ep, badge: badge, canGrant: rights.contains(.grant), canGrantReply: rights.contains(.grantReply))
    // A Signal needs `capNtfnCanSend`; it sends `capNtfnBadge`.
    case .notification(let ntfn, let badge, let rights):
      guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
      return .notification(ntfn, badge: badge)
    case .reply(let reply, let canGrant):
      return .reply(reply, canGrant: canGrant)
    // MCS refuses a CNode, thread, domain, scheduling-control or scheduling-context cap in the
    // first phase of ReplyRecv, NBSendRecv and NBSendWait (InvalidCapability(0), before the
    // object's decoder).
    case .cnode:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .cnode(try decodeCNodeInvocation(label, cap, message))
    case .untyped:
      return .untyped(try decodeUntypedInvocation(label, capSlot, message))
    case .thread:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .tcb(try decodeTCBInvocation(label, cap, capSlot, message))
    case .schedContext(let sc, _):
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedContext(try decodeSchedContextInvocation(label, sc, message))
    case .schedControl:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .schedControl(try decodeSchedControlInvocation(label, message))
    // The IRQ caps are decoded in the first phase too (`Interrupt.swift`).
    case .irqControl:
      return .irqControl(try decodeIRQControlInvocation(label, capSlot, message))
    case .irqHandler(let irq):
      return .irqHandler(try decodeIRQHandlerInvocation(label, irq, message))
    case .domain:
      guard !firstPhase else { throw .invalidCapability(index: 0) }
      return .domain(try decodeDomainInvocation(label, message))
    }
  }

  /// `performInvocation`: perform a decoded invocation; it cannot fail (no preemption).
  /// `isBlocking`, `isCall`, `canDonate`: how a send through an endpoint goes.
  mutating func performInvocation(
    _ invocation: Invocation, isBlocking: Bool = true, isCall: Bool = false, canDonate: Bool = false
  ) -> InvocationOutcome {
    switch invocation {
    case .endpoint(let ep, let badge, let canGrant, let canGrantReply):
      guard ksCurThread != ksIdleThread else { return .notModelled(.ipc) }
      sendIPC(isBlocking, isCall, badge, canGrant, canGrantReply, canDonate, ksCurThread, ep)
      return .doneRunning
    case .reply(let reply, let canGrant):
      guard ksCurThread != ksIdleThread else { return .notModelled(.ipc) }
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

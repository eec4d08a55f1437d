// Decoding and performing an invocation of a capability, by the capability's type.
//
// The invoked cap decides what the message means: a CNode cap reads it as a CNode method, an
// untyped cap as Untyped_Retype. Null caps and endpoint or notification caps without Write cannot
// be invoked; the remaining kinds (IPC through endpoints and replies, TCB, scheduling and IRQ
// methods) belong to later slices and are reported as not modelled.
// (`seL4:src/object/objecttype.c` `decodeInvocation`; contract: docs/capability-core.md.)

public import KernelABI

/// How an invocation ended.
public enum InvocationOutcome: Hashable, Sendable {
  /// It was performed.
  case done
  /// Decoding refused it with this error; nothing changed.
  case failed(SyscallError)
  /// It reached an operation this slice does not model (the name reports say); nothing changed.
  case notModelled(String)
}

extension AbstractState {
  /// Decode the invocation of `cap` (found in `slot`) and perform it (`decode_invocation` then
  /// `perform_invocation`).
  public mutating func performInvocation(_ args: InvocationArguments, _ cap: Capability, _ slot: SlotRef)
    -> InvocationOutcome
  {
    var choices = AbstractChoices()
    return performInvocation(args, cap, slot, choices: &choices)
  }

  /// `performInvocation` with the nondeterminism of the operation resolved by `choices`.
  public mutating func performInvocation(
    _ args: InvocationArguments, _ cap: Capability, _ slot: SlotRef, choices: inout AbstractChoices
  ) -> InvocationOutcome {
    do throws(SyscallError) {
      switch cap {
      // Nothing to invoke.
      case .null:
        throw .invalidCapability(index: 0)
      // Sending on an endpoint or notification needs Write; the send itself is IPC.
      case .endpoint(_, _, let rights), .notification(_, _, let rights):
        guard rights.contains(.write) else { throw .invalidCapability(index: 0) }
        return .notModelled("IPC")
      case .reply:
        return .notModelled("IPC")
      // The two kinds this slice models.
      case .cnode:
        invokeCNode(try decodeCNodeInvocation(args, cap), choices: &choices)
        return .done
      case .untyped:
        invokeUntypedRetype(try decodeUntypedInvocation(args, slot))
        return .done
      // The other objects' methods come with their slices.
      case .thread: return .notModelled("TCB invocation")
      case .schedContext: return .notModelled("SchedContext invocation")
      case .schedControl: return .notModelled("SchedControl invocation")
      case .irqControl: return .notModelled("IRQControl invocation")
      case .irqHandler: return .notModelled("IRQHandler invocation")
      case .domain: return .notModelled("DomainSet invocation")
      }
    } catch {
      return .failed(error)
    }
  }
}

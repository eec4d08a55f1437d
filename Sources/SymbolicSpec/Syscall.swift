// A system call that invokes a capability, projected on the CSpace: the twin of the part of
// `AbstractSpec/Syscall.swift` (`handleInvocation`) that a CNode invocation runs.
//
// The invoked cap and the extra caps are looked up in the thread's CSpace, the invocation is
// decoded and performed. What the twin does not model is reported `uncovered` and changes
// nothing the lockstep checker compares: a failed lookup (a fault), a cap other than a CNode cap,
// and the CNode methods `invokeCNode` leaves out. The caller's answer is reported as the outcome
// (an error, or success), for the checker to compare with the caller's registers.

public import Bitwise

/// What a twinned invocation did.
public enum TwinInvocationOutcome<W: MachineWord> {
  /// Not modelled by the twin; the twin's state is to be brought up to date from the abstract spec.
  case uncovered
  /// Decoding failed with this error; nothing changed.
  case failed(TwinSyscallError<W>)
  /// Performed.
  case done
}

extension TwinState {
  /// Invoke the cap `capRegister` names in the CSpace of the thread at `thread`
  /// (`handle_invocation`), with the message registers `registers` (as many as the message's
  /// length) and the extra caps `extraCapPointers` names (as many as the message says).
  public mutating func handleInvocation(
    _ thread: Word, capRegister: Word, label: UInt64, registers: [Word], extraCapPointers: [Word]
  ) -> TwinInvocationOutcome<Word> {
    // A lookup failure is a fault, which the twin does not model.
    let invokedSlot: Word
    var extraCapSlots: [Word] = []
    do throws(LookupFailed) {
      invokedSlot = try lookupSlot(thread, capRegister)
      for cptr in extraCapPointers { extraCapSlots.append(try lookupSlot(thread, cptr)) }
    } catch {
      return .uncovered
    }
    return invokeCap(invokedSlot, label: label, registers: registers, extraCapSlots: extraCapSlots)
  }

  /// The rest of `handle_invocation` once the lookups are done: decode the invocation of the cap in
  /// slot `invokedSlot`, with the extra caps in `extraCapSlots`, and perform it.
  public mutating func invokeCap(_ invokedSlot: Word, label: UInt64, registers: [Word], extraCapSlots: [Word])
    -> TwinInvocationOutcome<Word>
  {
    let invoked = getCap(invokedSlot)
    guard domain.decide(invoked.is(.cnode)) else { return .uncovered }
    let args = TwinInvocationArguments(label: label, registers: registers, extraCaps: extraCapSlots.map { getCap($0) })
    do throws(SyscallFailed) {
      let invocation = try decodeCNodeInvocation(args, invoked)
      return invokeCNode(invocation) ? .done : .uncovered
    } catch {
      return .failed(error.failure)
    }
  }
}

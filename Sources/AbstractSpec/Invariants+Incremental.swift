// The abstract invariants re-checked after a step from what the step changed, for the lockstep
// checker.
//
// `invariantsHold(after:changed:removed:)` answers what `invariantViolations().isEmpty` answers,
// for the common step that changes only the scheduling fields of threads (state, priority, MCP)
// and perhaps the current thread: no cap, no object's kind or size, no derivation-tree edge and no
// original flag. Every conjunct but two reads only those, so it holds as it held before; the two
// that read a thread's other fields, `valid_objs` (priorities) and `cur_tcb`, are checked directly.
// For any other step it answers false ("undecided"), and the caller checks the whole state.

public import KernelABI

extension AbstractState {
  /// True only if every invariant holds in this state, given that every invariant held in
  /// `before`, that `changed` lists every object whose value differs from `before`'s (added ones
  /// included) and `removed` every object of `before` missing here. False means "broken or
  /// undecided": check the whole state.
  public func invariantsHold(after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>) -> Bool {
    guard removed.isEmpty else { return false }
    for address in changed {
      // A thread before and after, holding the same caps: only its scheduling fields changed.
      guard case .tcb(let tcb)? = kheap[address], case .tcb(let old)? = before.kheap[address], tcb.slots == old.slots
      else { return false }
      // The rest of `valid_objs` for a TCB: its slots' caps are those that passed before.
      if tcb.priority > KernelConstants.maxPriority || tcb.maxControlledPriority > KernelConstants.maxPriority {
        return false
      }
    }
    // Checked last: on most steps a cap changed, and the loop above has already said so.
    return memoryBase == before.memoryBase && memorySizeBits == before.memorySizeBits && cdt == before.cdt
      && isOriginalCap == before.isOriginalCap && curTCB().isEmpty
  }
}

// The kernel layer's invariants by name, for reports (`refine-check report`). The checks
// themselves live in `Invariants.swift`; a test keeps this list and the names those checks can
// report in agreement.

public import KernelABI

extension KernelState {
  /// Every invariant `invariantViolations()` checks, with the conjuncts it can name.
  public static let invariantCatalogue: [InvariantDefinition] = [
    InvariantDefinition("pspace_aligned'", "every object is aligned to its size"),
    InvariantDefinition("pspace_in_memory", "every object lies inside simulated memory"),
    InvariantDefinition("pspace_distinct'", "objects do not overlap"),
    InvariantDefinition(
      "valid_objs'", conjuncts: ["valid_cap'"],
      "the two words of every slot of every live CNode and TCB decode to a cap"),
    InvariantDefinition(
      "valid_mdb'", conjuncts: ["valid_nullcaps", "mdb_cte_at", "valid_dlist"],
      "empty slots have null MDB nodes, links point at live CTEs, and prev and next links agree"),
    InvariantDefinition("cur_tcb'", "the current thread, if any, is a live TCB"),
  ]
}

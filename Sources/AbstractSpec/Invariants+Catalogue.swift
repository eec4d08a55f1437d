// The abstract layer's invariants by name, for reports (`refine-check report`). The checks
// themselves live in `Invariants.swift` and `Invariants+MDB.swift`; a test keeps this list and the
// names those checks can report in agreement.

public import KernelABI

extension AbstractState {
  /// Every invariant `invariantViolations()` checks, with the conjuncts it can name.
  public static let invariantCatalogue: [InvariantDefinition] = [
    InvariantDefinition(
      "valid_objs",
      "objects are well formed: CNode slots below 2^radix, TCB slots hold only what tcb_cap_cases allows, priorities at most 255, scheduling contexts at least 2^7 bytes"
    ),
    InvariantDefinition("pspace_aligned", "every object lies at a multiple of its size"),
    InvariantDefinition(
      "pspace_distinct", conjuncts: ["in_memory"], "no two objects overlap, and every object lies in memory"),
    InvariantDefinition(
      "valid_caps",
      "every cap names a live object of the right kind and size; untyped caps and CNode guards are well formed"),
    InvariantDefinition(
      "valid_mdb",
      conjuncts: [
        "mdb_cte_at", "no_mloop", "untyped_mdb", "untyped_inc", "descendants_inc", "ut_revocable", "irq_revocable",
      ],
      "the derivation tree links filled slots only, has no cycle, and agrees with untyped memory and the original flags"
    ),
    InvariantDefinition("valid_ioc", "only filled slots are marked original"),
    InvariantDefinition(
      "if_unsafe_then_cap", "every filled slot belongs to a CNode or TCB that some cap names"),
    InvariantDefinition(
      "no_cap_to_obj_with_diff_ref", "caps to the same address agree on the object that lives there"),
    InvariantDefinition("cur_tcb", "the current thread, if any, is a TCB"),
  ]
}

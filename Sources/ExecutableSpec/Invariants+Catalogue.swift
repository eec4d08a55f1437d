// The executable layer's invariants by name, for reports (`refine-check report`). The checks
// themselves live in `Invariants.swift` and `Invariants+MDB.swift`; a test keeps this list and the
// names those checks can report in agreement.

public import KernelABI

extension ExecState {
  /// Every invariant `invariantViolations()` checks, with the conjuncts it can name.
  public static let invariantCatalogue: [InvariantDefinition] = [
    InvariantDefinition("pspace_aligned'", "every object is aligned to its size"),
    InvariantDefinition("pspace_in_kernel_mappings'", "every object lies inside memory"),
    InvariantDefinition("pspace_distinct'", "objects do not overlap"),
    InvariantDefinition(
      "valid_objs'", conjuncts: ["valid_cap'"],
      "CNodes have 2^radix slots and TCBs their five, priorities are in range, and every cap is valid"),
    InvariantDefinition(
      "valid_mdb'",
      conjuncts: [
        "no_0", "valid_dlist", "valid_nullcaps", "mdb_chain_0", "ut_revocable'", "class_links", "valid_badges",
        "irq_control", "caps_contained'", "untyped_mdb'", "untyped_inc'", "mdb_chunked",
      ],
      "the MDB is a set of well-linked, finite doubly linked lists consistent with caps, badges and untyped memory"),
    InvariantDefinition("cur_tcb'", "the current thread, if any, is a live TCB"),
  ]
}

// The abstract spec's invariant on scheduling contexts' refills, `active_sc_valid_refills`
// (l4v `HE_proofs` `DetSchedInvs_AI.thy`; l4v-rt's `active_scs_valid`): every active scheduling
// context (`sc_active`: refillMax > 0) holds refills valid for its configuration
// (`cfg_valid_refills`: `rr_valid_refills` when its period is 0, `sp_valid_refills` otherwise)
// with a head released early enough (`bounded_release_time`). The clauses are stated once, in
// `KernelABI/RefillValidity.swift`; the budget they compare the refills' sum with is the ghost
// `sc_budget` (`SchedContext.budget`), which only `refill_new` and `refill_update` set, so a
// charge that loses or makes budget breaks the sum clause here.
// An entry of `invariants` (`Invariants.swift`), run with the scheduler's invariants.
// Twins: `ExecutableSpec/Invariants+Sporadic.swift`, `Kernel/Invariants+Sporadic.swift`
// (`valid_sched_context'` and `active_sc_valid_refills'`).

import Bitwise
import KernelABI

extension AbstractState {
  /// `active_sc_valid_refills`: every active scheduling context's refills, each failing clause
  /// reported as `rr_valid_refills`, `sp_valid_refills`, `ordered_disjoint`, `no_overflow`,
  /// `window` or `bounded_release_time`.
  func activeSCValidRefills() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      guard case .schedContext(let sc) = object, sc.refillMax > 0 else { continue }
      found += RefillValidity.activeSCValidRefills(
        "active_sc_valid_refills", at: address, sc.refills, refillMax: sc.refillMax, period: sc.period,
        budget: sc.budget)
    }
    return found.sorted { $0.explanation < $1.explanation }
  }
}

extension AbstractState {
  /// What l4v-rt's `active_scs_valid` (`DetSchedInvs_AI.thy`) says besides
  /// `active_sc_valid_refills`: an inactive scheduling context (`refillMax` 0) has the ghost
  /// budget 0, and a sporadic one (`sc_sporadic`) is active.
  func activeSCsValid() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in kheap {
      guard case .schedContext(let sc) = object, sc.refillMax == 0 else { continue }
      if sc.budget != 0 {
        found.append(
          InvariantViolation(
            "active_scs_valid", "scheduling context \(hex(address)) is inactive with budget \(sc.budget)"))
      }
      if sc.sporadic {
        found.append(
          InvariantViolation("active_scs_valid", "scheduling context \(hex(address)) is sporadic but inactive"))
      }
    }
    return found.sorted { $0.explanation < $1.explanation }
  }
}

// The domain scheduler's invariants, primed (l4v `proof/refine/Invariants_H.thy`): see
// `AbstractSpec/Invariants+Domain.swift`.
// - `ct_idle_or_in_cur_domain'`: at kernel exit the current thread is idle or of `ksCurDomain`;
// - `valid_dom_schedule'`: `ksDomSchedule` has its length, valid entries, an end marker last,
//   `ksDomScheduleIdx` before it, `ksDomScheduleStart` inside it and on no end marker.
// Twins: `AbstractSpec/Invariants+Domain.swift`, `Kernel/Invariants+Domain.swift`.

import KernelABI

extension ExecState {
  /// `ct_idle_or_in_cur_domain'`.
  func ctIdleOrInCurDomain() -> [InvariantViolation] {
    guard ksSchedulerAction == .resumeCurrentThread, !isIdle(ksCurThread),
      let domain = tcb(at: ksCurThread)?.domain, domain != ksCurDomain
    else { return [] }
    return [
      InvariantViolation(
        "ct_idle_or_in_cur_domain'", "the current thread \(hex(ksCurThread)) is of domain \(domain), not \(ksCurDomain)"
      )
    ]
  }

  /// `valid_dom_schedule'`.
  func validDomSchedule() -> [InvariantViolation] {
    DomainScheduleCheck.problems(
      ksDomSchedule, index: ksDomScheduleIdx, start: ksDomScheduleStart
    ).map { InvariantViolation("valid_dom_schedule'", $0) }
  }
}

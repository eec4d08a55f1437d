// The domain scheduler's invariants, primed (l4v `proof/refine/Invariants_H.thy`): see
// `AbstractSpec/Invariants+Domain.swift`.
// - `ct_idle_or_in_cur_domain'`: at kernel exit the current thread is idle or of `ksCurDomain`;
// - `domain_time_left'`: with more than one domain, at kernel exit `ksDomainTime` is above 0;
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

  /// `domain_time_left'` (l4v `DetSchedDomainTime_AI.thy`, `schedule_domain_time_left` and
  /// `call_kernel_domain_time_inv_det_ext`): with more than one domain, at kernel exit (the action
  /// is ResumeCurrentThread) the current domain has time left; a step that spends it reschedules,
  /// and the next domain starts with its entry's nonzero length.
  func domainTimeLeft() -> [InvariantViolation] {
    guard KernelConstants.numDomains > 1, ksSchedulerAction == .resumeCurrentThread, ksDomainTime == 0 else {
      return []
    }
    return [InvariantViolation("domain_time_left'", "domain \(ksCurDomain) has no time left at kernel exit")]
  }

  /// `valid_dom_schedule'`.
  func validDomSchedule() -> [InvariantViolation] {
    DomainScheduleCheck.problems(
      ksDomSchedule, index: ksDomScheduleIdx, start: ksDomScheduleStart
    ).map { InvariantViolation("valid_dom_schedule'", $0) }
  }
}

// The domain scheduler's invariants of the abstract state (`Domain.swift`):
// - `ct_in_cur_domain` (l4v `DetSchedInvs_AI.thy`): at kernel exit (the action is
//   ResumeCurrentThread) the current thread is the idle thread or of the current domain;
// - `valid_domain_list` (l4v `Invariants_AI.thy`, here with seL4 HEAD's end markers and start
//   index, as `valid_dom_schedule'` of `proof/refine/Invariants_H.thy` has them): the schedule has
//   its length, every entry is of a domain the kernel has, lasts at most 2^56 − 1 ticks, and lasts
//   no time only as an end marker (domain 0); the last entry is an end marker; the current index
//   lies before it; the start index lies in the schedule and is no end marker.
// - `domain_time_left` (l4v `DetSchedDomainTime_AI.thy`): with more than one domain, at kernel
//   exit the current domain's time is above 0.
// All read only globals, so the incremental check runs them after every step (each kernel entry
// writes the domain's time). Twins: `ExecutableSpec/Invariants+Domain.swift`,
// `Kernel/Invariants+Domain.swift` (`ct_idle_or_in_cur_domain'`, `valid_dom_schedule'`).

import KernelABI

extension AbstractState {
  /// `ct_in_cur_domain`.
  func ctInCurDomain() -> [InvariantViolation] {
    guard schedulerAction == .resumeCurrentThread, !isIdle(currentThread),
      let domain = tcb(at: currentThread)?.domain, domain != curDomain
    else { return [] }
    return [
      InvariantViolation(
        "ct_in_cur_domain", "the current thread \(hex(currentThread)) is of domain \(domain), not \(curDomain)")
    ]
  }

  /// `domain_time_left` (l4v `DetSchedDomainTime_AI.thy`, `schedule_domain_time_left` and
  /// `call_kernel_domain_time_inv_det_ext`): with more than one domain, at kernel exit (the action
  /// is ResumeCurrentThread) the current domain has time left; a step that spends it reschedules,
  /// and the next domain starts with its entry's nonzero length.
  func domainTimeLeft() -> [InvariantViolation] {
    guard KernelConstants.numDomains > 1, schedulerAction == .resumeCurrentThread, domainTime == 0 else { return [] }
    return [InvariantViolation("domain_time_left", "domain \(curDomain) has no time left at kernel exit")]
  }

  /// `valid_domain_list`.
  func validDomainList() -> [InvariantViolation] {
    DomainScheduleCheck.problems(
      domainList, index: domainIndex, start: domainStart
    ).map { InvariantViolation("valid_domain_list", $0) }
  }
}

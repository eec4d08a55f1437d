// The domain scheduler's invariants on the kernel's words (`Domain.swift`, the globals frame): see
// `AbstractSpec/Invariants+Domain.swift` and `ExecutableSpec/Invariants+Domain.swift`.
// - `ct_idle_or_in_cur_domain'`: at kernel exit the current thread is idle or its `tcbDomain`
//   word is `ksCurDomain`;
// - `domain_time_left'`: with more than one domain, at kernel exit the `ksDomainTime` word is above 0;
// - `valid_dom_schedule'`: the `ksDomSchedule` words, `ksDomScheduleIdx` and `ksDomScheduleStart`.
// Twins: `AbstractSpec/Invariants+Domain.swift`, `ExecutableSpec/Invariants+Domain.swift`.

import KernelABI

extension KernelState {
  /// `ct_idle_or_in_cur_domain'`.
  func ctIdleOrInCurDomain() -> [InvariantViolation] {
    guard ksSchedulerAction == .resumeCurrentThread, ksCurThread != ksIdleThread,
      let domain = domain(of: ksCurThread), domain != ksCurDomain
    else { return [] }
    return [
      InvariantViolation(
        "ct_idle_or_in_cur_domain'", "the current thread \(hex(ksCurThread)) is of domain \(domain), not \(ksCurDomain)"
      )
    ]
  }

  /// `domain_time_left'` (l4v `DetSchedDomainTime_AI.thy`, `schedule_domain_time_left` and
  /// `call_kernel_domain_time_inv_det_ext`): with more than one domain, at kernel exit (the action
  /// word is ResumeCurrentThread), on the ksDomainTime word; the current domain has time left; a step that spends it reschedules,
  /// and the next domain starts with its entry's nonzero length.
  func domainTimeLeft() -> [InvariantViolation] {
    guard KernelConstants.numDomains > 1, ksSchedulerAction == .resumeCurrentThread, ksDomainTime == 0 else {
      return []
    }
    return [InvariantViolation("domain_time_left'", "domain \(ksCurDomain) has no time left at kernel exit")]
  }

  /// `valid_dom_schedule'`, each entry decoded from its word.
  func validDomSchedule() -> [InvariantViolation] {
    let schedule = (0..<DomainConfig.domScheduleLength).map { DomainScheduleEntry(word: domScheduleWord($0)) }
    return DomainScheduleCheck.problems(
      schedule, index: ksDomScheduleIdx, start: ksDomScheduleStart
    ).map { InvariantViolation("valid_dom_schedule'", $0) }
  }
}

// The domain scheduler's invariants on the kernel's words (`Domain.swift`, the globals frame): see
// `AbstractSpec/Invariants+Domain.swift` and `ExecutableSpec/Invariants+Domain.swift`.
// - `ct_idle_or_in_cur_domain'`: at kernel exit the current thread is idle or its `tcbDomain`
//   word is `ksCurDomain`;
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

  /// `valid_dom_schedule'`, each entry decoded from its word.
  func validDomSchedule() -> [InvariantViolation] {
    let schedule = (0..<DomainConfig.domScheduleLength).map { DomainScheduleEntry(word: domScheduleWord($0)) }
    return DomainScheduleCheck.problems(
      schedule, index: ksDomScheduleIdx, start: ksDomScheduleStart
    ).map { InvariantViolation("valid_dom_schedule'", $0) }
  }
}

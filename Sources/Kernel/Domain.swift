// The domain scheduler and the DomainSet cap's methods, as seL4 HEAD's C has them: see
// `AbstractSpec/Domain.swift`. The state lies in the globals frame (`Globals.swift`):
// `ksDomSchedule` as seL4's words (domain in the top 8 bits, ticks below), `ksDomScheduleStart`,
// `ksDomScheduleIdx`, `ksCurDomain`, `ksDomainTime`. No path here traps: indices are checked
// against the schedule's length before a word is read or written, arithmetic wraps.
// Twins: `AbstractSpec/Domain.swift`, `ExecutableSpec/Domain.swift`, the operations in the same
// order: `decodeDomainInvocation`, `decodeDomainSetSet`, `decodeDomainScheduleConfigure`,
// `decodeDomainScheduleSetStart`, `invokeDomain`, `setDomain`, `isCurDomainExpired`,
// `checkDomainTime`, `nextDomain`, `scheduleChooseNewThread`.
// (`seL4:src/object/domain.c`, `include/object/domain.h`; `src/kernel/thread.c` `setDomain`,
// `nextDomain`, `scheduleChooseNewThread`; `include/kernel/thread.h` `isCurDomainExpired`,
// `checkDomainTime`.)

import KernelABI

/// A decoded DomainSet invocation (seL4 HEAD's three methods).
enum DomainInvocation {
  /// `invokeDomainSetSet`: the thread at `thread` moves to `domain`.
  case setSet(thread: ObjectRef, domain: UInt64)
  /// `invokeDomainScheduleConfigure`: entry `index` becomes (`domain`, `duration`).
  case scheduleConfigure(index: UInt64, domain: UInt64, duration: UInt64)
  /// `invokeDomainScheduleSetStart`: the schedule starts at `index`, now.
  case scheduleSetStart(index: UInt64)
}

extension KernelState {
  /// `decodeDomainInvocation(invLabel, length, buffer)`: the method the label names; any other
  /// label is an IllegalOperation. It writes nothing.
  func decodeDomainInvocation(_ label: UInt64, _ message: Message) throws(SyscallError) -> DomainInvocation {
    switch InvocationLabel(rawValue: label) {
    case .domainSetSet?: return try decodeDomainSetSet(message)
    case .domainScheduleConfigure?: return try decodeDomainScheduleConfigure(message)
    case .domainScheduleSetStart?: return try decodeDomainScheduleSetStart(message)
    default: throw .illegalOperation
    }
  }

  /// `decodeDomainSetSetInvocation`: length 0 → TruncatedMessage; MR0 ≥ numDomains →
  /// InvalidArgument(0); no extra cap → TruncatedMessage; not a thread cap → InvalidArgument(1).
  func decodeDomainSetSet(_ message: Message) throws(SyscallError) -> DomainInvocation {
    guard message.length != 0 else { throw .truncatedMessage }
    let domain = message.arg(0)
    guard domain < KernelConstants.numDomains else { throw .invalidArgument(argument: 0) }
    guard let slot = message.extraCap(0) else { throw .truncatedMessage }
    guard case .thread(let thread) = getCap(slot) else { throw .invalidArgument(argument: 1) }
    return .setSet(thread: thread, domain: domain)
  }

  /// `decodeDomainScheduleConfigure`: length < 2 + TIME_ARG_SIZE (3) → TruncatedMessage; then the
  /// index, the domain, the duration's width, a zero duration of another domain than 0, a zero
  /// duration at the start index (the errors of `AbstractSpec/Domain.swift`).
  func decodeDomainScheduleConfigure(_ message: Message) throws(SyscallError) -> DomainInvocation {
    guard message.length >= 3 else { throw .truncatedMessage }
    let (index, domain, duration) = (message.arg(0), message.arg(1), message.arg(2))
    let length = DomainConfig.domScheduleLength
    guard index < length &- 1 else { throw .rangeError(min: 0, max: length &- 2) }
    guard domain < KernelConstants.numDomains else {
      throw .rangeError(min: 0, max: KernelConstants.numDomains &- 1)
    }
    guard duration <= DomainConfig.maxDuration else { throw .invalidArgument(argument: 2) }
    guard duration != 0 || domain == 0 else { throw .invalidArgument(argument: 1) }
    guard index != ksDomScheduleStart || duration != 0 else { throw .invalidArgument(argument: 2) }
    return .scheduleConfigure(index: index, domain: domain, duration: duration)
  }

  /// `decodeDomainScheduleSetStart`: length 0 → TruncatedMessage; index ≥ length →
  /// RangeError(0, length − 1); an end marker (`dschedule_is_end_marker`: the word is 0) →
  /// InvalidArgument(0).
  func decodeDomainScheduleSetStart(_ message: Message) throws(SyscallError) -> DomainInvocation {
    guard message.length >= 1 else { throw .truncatedMessage }
    let index = message.arg(0)
    let length = DomainConfig.domScheduleLength
    guard index < length else { throw .rangeError(min: 0, max: length &- 1) }
    guard domScheduleWord(index) != 0 else { throw .invalidArgument(argument: 0) }
    return .scheduleSetStart(index: index)
  }

  /// `invokeDomainSetSet` (`prepareSetDomain` saves FPU state: no machine state here),
  /// `invokeDomainScheduleConfigure` (`dschedule_make`), `invokeDomainScheduleSetStart`.
  mutating func invokeDomain(_ invocation: DomainInvocation) {
    switch invocation {
    case .setSet(let thread, let domain):
      setDomain(thread, domain)
    case .scheduleConfigure(let index, let domain, let duration):
      setDomScheduleWord(index, DomainScheduleEntry(domain: domain, duration: duration).word)
    case .scheduleSetStart(let index):
      ksDomScheduleStart = index
      ksDomainTime = 0
      ksDomScheduleIdx = DomainConfig.domScheduleLength &- 2
      rescheduleRequired()
    }
  }

  /// `setDomain(tptr, dom)`: dequeue, write `tcbDomain`, enqueue (head) if schedulable; the
  /// current thread makes the scheduler choose afresh.
  mutating func setDomain(_ thread: ObjectRef, _ domain: UInt64) {
    guard objects[thread] == .tcb else { return }
    tcbSchedDequeue(thread)
    memory.store(thread &+ ObjectLayout.tcbDomain, domain)
    if isSchedulable(thread) { tcbSchedEnqueue(thread) }
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `isCurDomainExpired`: numDomains > 1 and `ksDomainTime` 0.
  public func isCurDomainExpired() -> Bool {
    KernelConstants.numDomains > 1 && ksDomainTime == 0
  }

  /// `checkDomainTime`: an expired domain sets `ksReprogram` and `rescheduleRequired`.
  mutating func checkDomainTime() {
    guard isCurDomainExpired() else { return }
    ksReprogram = true
    rescheduleRequired()
  }

  /// `nextDomain`: `ksDomScheduleIdx` + 1, back to `ksDomScheduleStart` at an end marker; the
  /// entry's domain and duration become `ksCurDomain` and `ksDomainTime`; `ksReprogram`.
  mutating func nextDomain() {
    var index = ksDomScheduleIdx &+ 1
    if domScheduleWord(index) == 0 { index = ksDomScheduleStart }
    // A planted bug (tests only) may stay on the current entry.
    if !(seams.nextDomainSwitches?() ?? true) { index = ksDomScheduleIdx }
    ksDomScheduleIdx = index
    ksReprogram = true
    let entry = DomainScheduleEntry(word: domScheduleWord(index))
    ksCurDomain = entry.domain
    ksDomainTime = entry.duration
  }

  /// `scheduleChooseNewThread`: `nextDomain` when `ksDomainTime` is 0, then `chooseThread`.
  mutating func scheduleChooseNewThread() {
    if ksDomainTime == 0 { nextDomain() }
    chooseThread()
  }
}

// The domain scheduler and the DomainSet cap's methods, as seL4 HEAD's C and the Haskell model
// (`SEL4/Kernel/Thread.lhs` `nextDomain`, `SEL4/Object/TCB.lhs` `setDomain`) have them: see
// `AbstractSpec/Domain.swift`. The schedule is `ksDomSchedule` (its entries as values), with
// `ksDomScheduleStart`, `ksDomScheduleIdx`, `ksCurDomain` and `ksDomainTime`.
// Twins: `AbstractSpec/Domain.swift`, `Kernel/Domain.swift`, the operations in the same order:
// `decodeDomainInvocation`, `decodeDomainSetSet`, `decodeDomainScheduleConfigure`,
// `decodeDomainScheduleSetStart`, `invokeDomain`, `setDomain`, `isCurDomainExpired`,
// `checkDomainTime`, `nextDomain`, `scheduleChooseNewThread`.
// (`seL4:src/object/domain.c`, `src/kernel/thread.c`, `include/kernel/thread.h`.)

public import KernelABI

/// A decoded DomainSet invocation (seL4 HEAD's three methods).
public enum DomainInvocation: Hashable, Sendable {
  /// `invokeDomainSetSet`: the thread at `thread` moves to `domain`.
  case setSet(thread: ObjectRef, domain: UInt64)
  /// `invokeDomainScheduleConfigure`: entry `index` becomes (`domain`, `duration`).
  case scheduleConfigure(index: UInt64, domain: UInt64, duration: UInt64)
  /// `invokeDomainScheduleSetStart`: the schedule starts at `index`, now.
  case scheduleSetStart(index: UInt64)
}

extension ExecState {
  /// `decodeDomainInvocation`: the method the label names; any
  /// other label is an IllegalOperation. It changes nothing.
  public func decodeDomainInvocation(label: UInt64, args: [UInt64], extraCaps: [Capability])
    throws(SyscallError) -> DomainInvocation
  {
    switch InvocationLabel(rawValue: label) {
    case .domainSetSet?: return try decodeDomainSetSet(args: args, extraCaps: extraCaps)
    case .domainScheduleConfigure?: return try decodeDomainScheduleConfigure(args: args)
    case .domainScheduleSetStart?: return try decodeDomainScheduleSetStart(args: args)
    default: throw .illegalOperation
    }
  }

  /// `decodeDomainSetSetInvocation`: no message → TruncatedMessage; a domain the kernel does not
  /// have → InvalidArgument(0); no extra cap → TruncatedMessage; not a thread cap →
  /// InvalidArgument(1) (not InvalidCapability).
  func decodeDomainSetSet(args: [UInt64], extraCaps: [Capability]) throws(SyscallError) -> DomainInvocation {
    guard let domain = args.first else { throw .truncatedMessage }
    guard domain < KernelConstants.numDomains else { throw .invalidArgument(argument: 0) }
    guard let cap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let thread) = cap else { throw .invalidArgument(argument: 1) }
    return .setSet(thread: thread, domain: domain)
  }

  /// `decodeDomainScheduleConfigure`: fewer than three words → TruncatedMessage; an index at or
  /// past the last entry → RangeError(0, length − 2); a domain the kernel does not have →
  /// RangeError(0, numDomains − 1); a duration past 56 bits → InvalidArgument(2); no time for a
  /// domain other than 0 → InvalidArgument(1); no time for the start entry → InvalidArgument(2).
  func decodeDomainScheduleConfigure(args: [UInt64]) throws(SyscallError) -> DomainInvocation {
    guard args.count >= 3 else { throw .truncatedMessage }
    let (index, domain, duration) = (args[0], args[1], args[2])
    let length = DomainConfig.domScheduleLength
    guard index < length - 1 else { throw .rangeError(min: 0, max: length - 2) }
    guard domain < KernelConstants.numDomains else { throw .rangeError(min: 0, max: KernelConstants.numDomains - 1) }
    guard duration <= DomainConfig.maxDuration else { throw .invalidArgument(argument: 2) }
    guard duration != 0 || domain == 0 else { throw .invalidArgument(argument: 1) }
    guard index != ksDomScheduleStart || duration != 0 else { throw .invalidArgument(argument: 2) }
    return .scheduleConfigure(index: index, domain: domain, duration: duration)
  }

  /// `decodeDomainScheduleSetStart`: no message → TruncatedMessage; an index past the schedule →
  /// RangeError(0, length − 1); an end marker → InvalidArgument(0).
  func decodeDomainScheduleSetStart(args: [UInt64]) throws(SyscallError) -> DomainInvocation {
    guard let index = args.first else { throw .truncatedMessage }
    let length = DomainConfig.domScheduleLength
    guard index < length else { throw .rangeError(min: 0, max: length - 1) }
    guard !ksDomSchedule[Int(index)].isEndMarker else { throw .invalidArgument(argument: 0) }
    return .scheduleSetStart(index: index)
  }

  /// `invokeDomainSetSet`, `invokeDomainScheduleConfigure`, `invokeDomainScheduleSetStart`.
  mutating func invokeDomain(_ invocation: DomainInvocation) {
    switch invocation {
    case .setSet(let thread, let domain):
      setDomain(thread, domain)
    case .scheduleConfigure(let index, let domain, let duration):
      ksDomSchedule[Int(index)] = DomainScheduleEntry(domain: domain, duration: duration)
    case .scheduleSetStart(let index):
      ksDomScheduleStart = index
      ksDomainTime = 0
      ksDomScheduleIdx = DomainConfig.domScheduleLength - 2
      rescheduleRequired()
    }
  }

  /// `setDomain`: the thread leaves its ready queue, takes the domain, goes back
  /// to the head of its (new) queue if it can run; the current thread makes the scheduler choose.
  mutating func setDomain(_ thread: ObjectRef, _ domain: UInt64) {
    tcbSchedDequeue(thread)
    updateTCB(thread) { $0.domain = domain }
    if isSchedulable(thread) { tcbSchedEnqueue(thread) }
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `isCurDomainExpired`: more than one domain and no domain time left.
  public func isCurDomainExpired() -> Bool {
    KernelConstants.numDomains > 1 && ksDomainTime == 0
  }

  /// `checkDomainTime`: an expired domain makes the scheduler choose afresh and the timer be
  /// reprogrammed.
  mutating func checkDomainTime() {
    guard isCurDomainExpired() else { return }
    ksReprogram = true
    rescheduleRequired()
  }

  /// `nextDomain`: the next entry of the schedule (the start index at an end
  /// marker) gives the domain and its time; the timer is reprogrammed.
  mutating func nextDomain() {
    var index = ksDomScheduleIdx &+ 1
    if index >= UInt64(ksDomSchedule.count) || ksDomSchedule[Int(index)].isEndMarker { index = ksDomScheduleStart }
    ksDomScheduleIdx = index
    ksReprogram = true
    let entry = index < UInt64(ksDomSchedule.count) ? ksDomSchedule[Int(index)] : .endMarker
    ksCurDomain = entry.domain
    ksDomainTime = entry.duration
  }

  /// `scheduleChooseNewThread`: when the domain's time is up, move to the next domain; then
  /// `chooseThread` picks among the current domain's threads.
  mutating func scheduleChooseNewThread() {
    if ksDomainTime == 0 { nextDomain() }
    chooseThread()
  }
}

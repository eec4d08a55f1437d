// The domain scheduler: the schedule of (domain, ticks) entries, where it starts, where it is,
// the current domain and the time it has left; the DomainSet cap's three methods.
//
// - Domain time: each kernel entry takes the ticks used from `domain_time` (`updateTimestamp`,
//   `Budget.swift`; 0 once fewer than MIN_BUDGET would remain). At `schedule` an expired domain
//   makes the scheduler choose afresh and reprogram the timer (`checkDomainTime`); where it
//   chooses (`scheduleChooseNewThread`) the schedule moves to its next entry (`nextDomain`: the
//   next index, back to the start index at an end marker). `chooseThread` looks only at the
//   current domain's queues, so the threads of other domains wait; with no ready thread of the
//   current domain the idle thread runs. The timer is programmed no later than the domain's end
//   (`setNextInterrupt`). A domain system call entry while the domain has expired is not handled
//   (`checkBudget` fails; the caller restarts it later).
// - DomainSet_Set (MR0 the domain, extra cap 0 the thread): the thread leaves its ready queue, takes
//   the domain, is queued again (head) if it can run, and a current thread makes the scheduler
//   choose afresh (`setDomain`).
// - DomainSet_ScheduleConfigure (MR0 index, MR1 domain, MR2 duration) writes one entry, the last
//   always staying an end marker; DomainSet_ScheduleSetStart (MR0 index) sets the start index and
//   ends the current domain at once (its time 0, the index the one before the last, so the next
//   `nextDomain` finds the final end marker and goes to the start).
// The checks are seL4 HEAD's (the file names below), in its order. l4v-rt's abstract spec predates
// the two schedule methods and the start index (its `domain_list` is fixed at boot), so for them
// seL4 HEAD's C is the reference.
//
// With the boot schedule (one entry of domain 0 lasting 2^56 − 1 ticks) nothing here changes what
// runs: the domain never expires in a run this package can make.
//
// Twins: `ExecutableSpec/Domain.swift`, `Kernel/Domain.swift`, the operations in the same order:
// `decodeDomainInvocation`, `decodeDomainSetSet`, `decodeDomainScheduleConfigure`,
// `decodeDomainScheduleSetStart`, `invokeDomain`, `setDomain`, `isCurDomainExpired`,
// `checkDomainTime`, `nextDomain`, `scheduleChooseNewThread`.
// (`seL4:src/object/domain.c`, `include/object/domain.h`; `src/kernel/thread.c` `setDomain`,
// `nextDomain`, `scheduleChooseNewThread`, `setNextInterrupt`; `include/kernel/thread.h`
// `isCurDomainExpired`, `checkDomainTime`, `updateTimestamp`; l4v `spec/abstract/Decode_A.thy`
// `decode_domain_invocation`, `Schedule_A.thy` `next_domain`, `Tcb_A.thy` `set_domain`, branch
// HE_proofs.)

public import KernelABI

/// A decoded DomainSet invocation (l4v `domain_invocation`, with seL4 HEAD's two schedule methods).
public enum DomainInvocation: Hashable, Sendable {
  /// `invokeDomainSetSet`: the thread at `thread` moves to `domain`.
  case setSet(thread: ObjectRef, domain: UInt64)
  /// `invokeDomainScheduleConfigure`: entry `index` becomes (`domain`, `duration`).
  case scheduleConfigure(index: UInt64, domain: UInt64, duration: UInt64)
  /// `invokeDomainScheduleSetStart`: the schedule starts at `index`, now.
  case scheduleSetStart(index: UInt64)
}

extension AbstractState {
  /// `decode_domain_invocation` (seL4 `decodeDomainInvocation`): the method the label names; any
  /// other label is an IllegalOperation. It changes nothing.
  public func decodeDomainInvocation(_ args: InvocationArguments) throws(SyscallError) -> DomainInvocation {
    switch InvocationLabel(rawValue: args.label) {
    case .domainSetSet?: return try decodeDomainSetSet(args)
    case .domainScheduleConfigure?: return try decodeDomainScheduleConfigure(args)
    case .domainScheduleSetStart?: return try decodeDomainScheduleSetStart(args)
    default: throw .illegalOperation
    }
  }

  /// `decodeDomainSetSetInvocation`: no message → TruncatedMessage; a domain the kernel does not
  /// have → InvalidArgument(0); no extra cap → TruncatedMessage; not a thread cap →
  /// InvalidArgument(1) (not InvalidCapability).
  func decodeDomainSetSet(_ args: InvocationArguments) throws(SyscallError) -> DomainInvocation {
    guard let domain = args.registers.first else { throw .truncatedMessage }
    guard domain < KernelConstants.numDomains else { throw .invalidArgument(argument: 0) }
    guard let cap = args.extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let thread) = cap else { throw .invalidArgument(argument: 1) }
    return .setSet(thread: thread, domain: domain)
  }

  /// `decodeDomainScheduleConfigure`: fewer than three words → TruncatedMessage; an index at or
  /// past the last entry → RangeError(0, length − 2); a domain the kernel does not have →
  /// RangeError(0, numDomains − 1); a duration past 56 bits → InvalidArgument(2); no time for a
  /// domain other than 0 → InvalidArgument(1); no time for the start entry → InvalidArgument(2).
  func decodeDomainScheduleConfigure(_ args: InvocationArguments) throws(SyscallError) -> DomainInvocation {
    guard args.registers.count >= 3 else { throw .truncatedMessage }
    let (index, domain, duration) = (args.registers[0], args.registers[1], args.registers[2])
    let length = DomainConfig.domScheduleLength
    guard index < length - 1 else { throw .rangeError(min: 0, max: length - 2) }
    guard domain < KernelConstants.numDomains else { throw .rangeError(min: 0, max: KernelConstants.numDomains - 1) }
    guard duration <= DomainConfig.maxDuration else { throw .invalidArgument(argument: 2) }
    guard duration != 0 || domain == 0 else { throw .invalidArgument(argument: 1) }
    guard index != domainStart || duration != 0 else { throw .invalidArgument(argument: 2) }
    return .scheduleConfigure(index: index, domain: domain, duration: duration)
  }

  /// `decodeDomainScheduleSetStart`: no message → TruncatedMessage; an index past the schedule →
  /// RangeError(0, length − 1); an end marker → InvalidArgument(0).
  func decodeDomainScheduleSetStart(_ args: InvocationArguments) throws(SyscallError) -> DomainInvocation {
    guard let index = args.registers.first else { throw .truncatedMessage }
    let length = DomainConfig.domScheduleLength
    guard index < length else { throw .rangeError(min: 0, max: length - 1) }
    guard !domainList[Int(index)].isEndMarker else { throw .invalidArgument(argument: 0) }
    return .scheduleSetStart(index: index)
  }

  /// `invoke_domain` and seL4's `invokeDomainScheduleConfigure`, `invokeDomainScheduleSetStart`.
  mutating func invokeDomain(_ invocation: DomainInvocation) {
    switch invocation {
    case .setSet(let thread, let domain):
      setDomain(thread, domain)
    case .scheduleConfigure(let index, let domain, let duration):
      domainList[Int(index)] = DomainScheduleEntry(domain: domain, duration: duration)
    case .scheduleSetStart(let index):
      domainStart = index
      domainTime = 0
      domainIndex = DomainConfig.domScheduleLength - 2
      rescheduleRequired()
    }
  }

  /// `set_domain` (seL4 `setDomain`): the thread leaves its ready queue, takes the domain, goes back
  /// to the head of its (new) queue if it can run; the current thread makes the scheduler choose.
  mutating func setDomain(_ thread: ObjectRef, _ domain: UInt64) {
    tcbSchedDequeue(thread)
    updateTCB(thread) { $0.domain = domain }
    if isSchedulable(thread) { tcbSchedEnqueue(thread) }
    if thread == currentThread { rescheduleRequired() }
  }

  /// `isCurDomainExpired`: more than one domain and no domain time left.
  public func isCurDomainExpired() -> Bool {
    KernelConstants.numDomains > 1 && domainTime == 0
  }

  /// `checkDomainTime`: an expired domain makes the scheduler choose afresh and the timer be
  /// reprogrammed.
  mutating func checkDomainTime() {
    guard isCurDomainExpired() else { return }
    reprogramTimer = true
    rescheduleRequired()
  }

  /// `next_domain` (seL4 `nextDomain`): the next entry of the schedule (the start index at an end
  /// marker) gives the domain and its time; the timer is reprogrammed.
  mutating func nextDomain() {
    var index = domainIndex &+ 1
    if index >= UInt64(domainList.count) || domainList[Int(index)].isEndMarker { index = domainStart }
    domainIndex = index
    reprogramTimer = true
    let entry = index < UInt64(domainList.count) ? domainList[Int(index)] : .endMarker
    curDomain = entry.domain
    domainTime = entry.duration
  }

  /// `scheduleChooseNewThread`: when the domain's time is up, move to the next domain; then
  /// `chooseThread` picks among the current domain's threads.
  mutating func scheduleChooseNewThread() {
    if domainTime == 0 { nextDomain() }
    chooseThread()
  }
}

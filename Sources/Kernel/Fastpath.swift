// The IPC fastpath of seL4 MCS for Call and ReplyRecv (`seL4:src/fastpath/fastpath.c`
// `fastpath_call`, `fastpath_reply_recv`, the `CONFIG_KERNEL_MCS` parts;
// `include/fastpath/fastpath.h`; `include/arch/x86/arch/64/mode/fastpath/fastpath.h`
// `fastpath_mi_check`, `fastpath_copy_mrs`). Kernel layer only: the fastpath exists only in
// seL4's C, so AbstractSpec and ExecutableSpec have no twin of this file, and the lockstep checker
// compares the kernel's fastpath with the spec layers' ordinary Call and ReplyRecv on every step.
//
// `fastpathCallDecision` and `fastpathReplyRecvDecision` are pure: they make seL4's checks, in
// seL4's order, and say `.hit` or the first check that failed (`FastpathFallback`). On a hit,
// `fastpathCall` / `fastpathReplyRecv` do what seL4's fastpath does after its point of no return:
// dequeue, relink the reply object and the call stack, move the scheduling context, copy the
// message registers and switch straight to the other thread. On a fallback the event goes to the
// slowpath (`handleSyscall`), untouched. Whenever the checks hold, the state and the observation
// are the ones the slowpath gives, word for word: `Tests/KernelTests/FastpathTests.swift` runs
// both on random eligible events, and the lockstep checker runs the fastpath on every Call and
// ReplyRecv it sees. Where seL4 checks something this model has no counterpart for (the VSpace
// root, the ASID, hardware debug, SMP), the check is named beside its place and skipped.
//
// Where the model's slowpath writes a word seL4's fastpath leaves (the dequeued receiver's
// `tcbEPNext`/`tcbEPPrev`, cleared by `tcbEPDequeue`) or leaves a word seL4's fastpath clears (the
// `tcbBlockingReplyObject` of the thread a reply object lets go of: the model's `reply_unlink`
// keeps it), the fastpath does what the slowpath does, so that both give the same state.
//
// The equality rests on two kernel invariants, as seL4's fastpath does (docs/ipc.md, "Fastpath"):
// the current thread outranks (or ties) every ready thread of the current domain, so that Call's
// priority check picks the thread `schedule` would; and the reply that heads the current
// scheduling context's call stack names a caller BlockedOnReply on it (l4v `valid_replies`,
// `sym_refs`), so that ReplyRecv's head check finds the caller `doReplyTransfer` would wake. The
// fastpath also writes through the scheduling context, the reply objects and the threads those
// words name without the slowpath's object-kind guards, relying on `sym_refs` as seL4 does.

public import KernelABI

/// Why the fastpath left an event to the slowpath: the first of seL4's checks that failed, in
/// seL4's order (Call's checks first, then ReplyRecv's own).
public enum FastpathFallback: String, CaseIterable, Hashable, Sendable {
  // MARK: Both
  /// `fastpath_mi_check`: extra caps, or more message registers than the fastpath copies
  /// (`fastpathMessageRegisters`).
  case messageInfo
  /// The current thread's `tcbFault` is not NullFault.
  case callerFault
  /// `lookup_fp`: the cap register names no endpoint cap with the right (Write for Call, Read for
  /// ReplyRecv), or the lookup failed.
  case endpointCap
  /// The current thread has no scheduling context (model only: seL4 dereferences it without a
  /// check because a running MCS thread always has one).
  case noSchedContext

  // MARK: Call
  /// The endpoint is not in the Recv state (nobody waits to receive).
  case endpointNotRecv
  /// The receiver's priority is below the caller's and not the highest ready (`isHighestPrio`).
  case receiverPriority
  /// The endpoint cap has neither Grant nor GrantReply.
  case noGrant
  /// The receiver is in another domain (`maxDom > 0`).
  case receiverDomain
  /// The receiver has a scheduling context (it is not passive).
  case receiverHasSchedContext
  /// The receiver gave no reply object.
  case receiverNoReply

  // MARK: ReplyRecv
  /// The reply register names no reply cap.
  case replyCap
  /// The current thread's bound notification is Active.
  case boundNotificationActive
  /// The endpoint is in the Send state (a sender waits).
  case endpointSend
  /// The reply object has no thread, does not head its call stack, or heads another scheduling
  /// context's stack than the current thread's.
  case replyNotHead
  /// The caller the reply answers has a fault (`CONFIG_EXCEPTION_FASTPATH` is off).
  case callerOfReplyFault
  /// The caller's priority is not the highest ready.
  case callerPriority
  /// The caller is in another domain.
  case callerDomain
  /// The caller has a scheduling context.
  case callerHasSchedContext
  /// A test or a planted bug put a seam in a step of the slowpath's route that the fastpath does
  /// inline or skips (`Seams.onTheFastpathsRoute`: `tcbSchedDequeue`'s `dequeueClearsBitmap`,
  /// `doReplyTransfer`'s `replyWakesCaller`, `reply_pop`'s `popReturnsSchedContext`): the
  /// slowpath runs the seam, so that the fastpath hides no planted bug (model only).
  case plantedSeam
}

/// What the fastpath does with a Call or ReplyRecv.
public enum FastpathDecision: Hashable, Sendable {
  /// Every check held: the fastpath handles the event.
  case hit
  /// The slowpath handles it, for this reason.
  case fallback(FastpathFallback)

  /// A kernel path name for coverage: `fastpath.call.hit`, `fastpath.replyRecv.endpointSend`.
  public func pathName(_ call: Syscall) -> String {
    let prefix = call == .call ? "fastpath.call" : "fastpath.replyRecv"
    switch self {
    case .hit: return "\(prefix).hit"
    case .fallback(let reason): return "\(prefix).\(reason.rawValue)"
    }
  }
}

/// A deliberate fastpath bug for tests of the fastpath's equivalence checks (not a `PlantedBug`:
/// the default campaign's planted-bug list is not changed by it). Installed with
/// `KernelState.fastpathBug`.
public enum FastpathBug: Hashable, Sendable {
  /// The check for this fallback reason is skipped (the fastpath goes on as if it held).
  case skips(FastpathFallback)
  /// The fastpath does everything but the switch: the current thread stays current.
  case forgetsSwitch
  /// Call, dequeuing a receiver with others queued behind it, leaves the next one's `tcbEPPrev`.
  case keepsNextReceiverPrev
  /// Call, pushing onto a non-empty call stack, leaves the old head's `replyNext` (its head link).
  case keepsOldHeadLink
  /// ReplyRecv, popping into a non-empty call stack, leaves the new head's `replyNext` unlinked.
  case keepsPrevLink

  /// Every fastpath bug: each check skipped (but `plantedSeam`, no check of seL4's), and the
  /// forgotten switch.
  public static var all: [FastpathBug] {
    FastpathFallback.allCases.filter { $0 != .plantedSeam }.map { .skips($0) } + [.forgetsSwitch]
  }

  /// The writes of the hit path left out where a queue or a call stack is not empty (tests of
  /// the fastpath's branches a single server never reaches).
  public static var writes: [FastpathBug] { [.keepsNextReceiverPrev, .keepsOldHeadLink, .keepsPrevLink] }
}

extension KernelState {
  /// The message registers seL4's fastpath copies (`n_msgRegisters`, 4 on x86-64 and AArch64):
  /// a longer message goes through the slowpath, which in seL4 reads the rest from the IPC
  /// buffer (all 120 are TCB words in this model, so only this bound is seL4's).
  public static let fastpathMessageRegisters: UInt64 = MessageInfo.fastpathMessageRegisters

  /// `fastpath_mi_check(msgInfo)` on the raw word: true (fail) unless `extraCaps` is 0 and
  /// `length` is at most `fastpathMessageRegisters`. The generic `MessageInfo` function the
  /// `kernel.fastpath.messageInfo.*` obligations are proved about, run on `UInt64`.
  @inline(__always)
  public static func fastpathMessageInfoFails(_ word: UInt64) -> Bool {
    MessageInfo.fastpathMessageInfoFails(word)
  }

  /// `cap_capType_equals(cap, cap_endpoint_cap)`.
  @inline(__always)
  static func isEndpointCap(_ cap: Capability) -> Bool {
    if case .endpoint = cap { return true }
    return false
  }

  /// The fastpath bug planted (tests only; nil in every real use).
  public var fastpathBug: FastpathBug? {
    get { seams.fastpathBug }
    set { seams.fastpathBug = newValue }
  }

  /// Whether the planted fastpath bug skips `check`.
  @inline(__always)
  func fastpathSkips(_ check: FastpathFallback) -> Bool {
    guard let bug = seams.fastpathBug else { return false }
    return bug == .skips(check)
  }

  /// What the fastpath would do with `event` by the current thread: nil when the event is no Call
  /// or ReplyRecv or the idle thread is current.
  public func fastpathDecision(for event: Event) -> FastpathDecision? {
    guard case .syscall(let call, let arguments) = event, !isIdle(ksCurThread) else { return nil }
    switch call {
    case .call: return fastpathCallDecision(ksCurThread, arguments).decision
    case .replyRecv: return fastpathReplyRecvDecision(ksCurThread, arguments).decision
    default: return nil
    }
  }

  /// The fastpath's entry (`c_handle_fastpath_call`, `c_handle_fastpath_reply_recv`): a Call or
  /// ReplyRecv whose checks hold is handled here and its record returned; nil sends the event to
  /// the slowpath.
  mutating func fastpath(_ thread: ObjectRef, _ call: Syscall, _ arguments: SyscallArguments) -> EventRecord? {
    switch call {
    case .call:
      guard case .hit(let plan) = fastpathCallDecision(thread, arguments) else { return nil }
      fastpathCall(thread, arguments, plan)
      return EventRecord(caller: thread)
    case .replyRecv:
      guard case .hit(let plan) = fastpathReplyRecvDecision(thread, arguments) else { return nil }
      fastpathReplyRecv(thread, arguments, plan)
      return EventRecord(caller: thread)
    default:
      return nil
    }
  }

  // MARK: Call

  /// What `fastpath_call` found by the time of its point of no return.
  struct FastpathCallPlan {
    var ep: ObjectRef
    var dest: ObjectRef
    var badge: UInt64
    var reply: ObjectRef
    var sc: ObjectRef
  }

  /// A decision with what the fastpath needs on a hit.
  enum FastpathVerdict<Plan> {
    case hit(Plan)
    case fallback(FastpathFallback)

    var decision: FastpathDecision {
      switch self {
      case .hit: .hit
      case .fallback(let reason): .fallback(reason)
      }
    }
  }

  /// `fastpath_call`'s checks, in its order.
  func fastpathCallDecision(_ thread: ObjectRef, _ arguments: SyscallArguments) -> FastpathVerdict<FastpathCallPlan> {
    // Message info (no extra caps, length within the fastpath's registers) and no saved fault.
    if Self.fastpathMessageInfoFails(arguments.messageInfo), !fastpathSkips(.messageInfo) {
      return .fallback(.messageInfo)
    }
    if tcbFault(of: thread) != nil, !fastpathSkips(.callerFault) { return .fallback(.callerFault) }
    // `lookup_fp`: the slowpath's `lookupSlot` gives the same cap for every cptr it resolves;
    // where it fails, `lookup_fp` gives the null cap, so both fall back.
    var cap = Capability.null
    if case .found(let slot, _) = lookupSlot(thread, arguments.capRegister) { cap = getCap(slot) }
    var (ep, badge, rights): (ObjectRef, UInt64, CapRights) = (cap.objectRef ?? 0, cap.badge ?? 0, [])
    if case .endpoint(let e, let b, let r) = cap { (ep, badge, rights) = (e, b, r) }
    if !(Self.isEndpointCap(cap) && rights.contains(.write)), !fastpathSkips(.endpointCap) {
      return .fallback(.endpointCap)
    }
    let dest = memory.word(ep &+ ObjectLayout.epQueueHead)
    let epWord1 = memory.word(ep &+ ObjectLayout.epWord1)
    if ObjectLayout.epState.get(epWord1) != KernelEPState.recv.rawValue, !fastpathSkips(.endpointNotRecv) {
      return .fallback(.endpointNotRecv)
    }
    // Not modelled, skipped: ia32 single-stepping of the receiver (`CONFIG_HARDWARE_DEBUG_API`);
    // the receiver's VSpace root (`isValidVTableRoot_fp`: no VSpace objects here) and its ASID
    // (`findMapForASID`, the stored hardware ASID or VMID: no ASIDs here).
    let destPriority = memory.word(dest &+ ObjectLayout.tcbPriority)
    let curPriority = memory.word(thread &+ ObjectLayout.tcbPriority)
    let domain = KernelConstants.numDomains > 1 ? ksCurDomain : 0
    if destPriority < curPriority, !isHighestPrio(domain, destPriority), !fastpathSkips(.receiverPriority) {
      return .fallback(.receiverPriority)
    }
    if !rights.contains(.grant), !rights.contains(.grantReply), !fastpathSkips(.noGrant) {
      return .fallback(.noGrant)
    }
    if memory.word(dest &+ ObjectLayout.tcbDomain) != ksCurDomain, KernelConstants.numDomains > 1,
      !fastpathSkips(.receiverDomain)
    {
      return .fallback(.receiverDomain)
    }
    if memory.word(dest &+ ObjectLayout.tcbSchedContext) != 0, !fastpathSkips(.receiverHasSchedContext) {
      return .fallback(.receiverHasSchedContext)
    }
    let reply = memory.word(dest &+ ObjectLayout.tcbBlockingReplyObject)
    if reply == 0, !fastpathSkips(.receiverNoReply) { return .fallback(.receiverNoReply) }
    // Not modelled, skipped: SMP affinity (one core here).
    let sc = memory.word(thread &+ ObjectLayout.tcbSchedContext)
    if sc == 0, !fastpathSkips(.noSchedContext) { return .fallback(.noSchedContext) }
    if seams.onTheFastpathsRoute { return .fallback(.plantedSeam) }
    return .hit(FastpathCallPlan(ep: ep, dest: dest, badge: badge, reply: reply, sc: sc))
  }

  /// `fastpath_call` after its point of no return (MCS).
  mutating func fastpathCall(_ thread: ObjectRef, _ arguments: SyscallArguments, _ plan: FastpathCallPlan) {
    let (ep, dest, reply, sc) = (plan.ep, plan.dest, plan.reply, plan.sc)
    // The caller's registers and IPC buffer as it traps, as the slowpath stores them.
    storeSentMessage(thread, arguments)
    storeReceiveSlot(thread, arguments)
    // Dequeue the receiver, the head of the queue (the slowpath's `tcbEPDequeue` also clears its
    // links).
    let next = memory.word(dest &+ ObjectLayout.tcbEPNext)
    memory.store(ep &+ ObjectLayout.epQueueHead, next)
    if next != 0 {
      if seams.fastpathBug != .keepsNextReceiverPrev { memory.store(next &+ ObjectLayout.tcbEPPrev, 0) }
    } else {
      memory.store(
        ep &+ ObjectLayout.epWord1, ObjectLayout.packEndpointWord1(tail: 0, state: KernelEPState.idle.rawValue))
    }
    setEPLinks(dest, next: 0, prev: 0)
    // The caller blocks on the reply object, which lets go of the receiver.
    setThreadStateWord(thread, .blockedOnReply)
    memory.store(thread &+ ObjectLayout.tcbBlockingReplyObject, reply)
    memory.store(reply &+ ObjectLayout.replyTCB, thread)
    // The scheduling context goes to the receiver, the reply object on top of its call stack.
    memory.store(sc &+ ObjectLayout.scTcb, dest)
    memory.store(dest &+ ObjectLayout.tcbSchedContext, sc)
    memory.store(thread &+ ObjectLayout.tcbSchedContext, 0)
    let oldCaller = memory.word(sc &+ ObjectLayout.scReply)
    memory.store(reply &+ ObjectLayout.replyPrev, ObjectLayout.packCallStack(ptr: oldCaller, isHead: 0))
    if oldCaller != 0, seams.fastpathBug != .keepsOldHeadLink {
      memory.store(oldCaller &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: reply, isHead: 0))
    }
    memory.store(reply &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: sc, isHead: 1))
    memory.store(sc &+ ObjectLayout.scReply, reply)
    fastpathCopyMRs(arguments.messageInfo, from: thread, to: dest, badge: plan.badge)
    setThreadStateWord(dest, .running)
    fastpathSwitchTo(dest)
  }

  // MARK: ReplyRecv

  /// What `fastpath_reply_recv` found by the time of its point of no return.
  struct FastpathReplyRecvPlan {
    var ep: ObjectRef
    var reply: ObjectRef
    var caller: ObjectRef
    var sc: ObjectRef
  }

  /// `fastpath_reply_recv`'s checks, in its order.
  func fastpathReplyRecvDecision(_ thread: ObjectRef, _ arguments: SyscallArguments) -> FastpathVerdict<
    FastpathReplyRecvPlan
  > {
    if Self.fastpathMessageInfoFails(arguments.messageInfo), !fastpathSkips(.messageInfo) {
      return .fallback(.messageInfo)
    }
    if tcbFault(of: thread) != nil, !fastpathSkips(.callerFault) { return .fallback(.callerFault) }
    var cap = Capability.null
    if case .found(let slot, _) = lookupSlot(thread, arguments.capRegister) { cap = getCap(slot) }
    var (ep, rights): (ObjectRef, CapRights) = (cap.objectRef ?? 0, [])
    if case .endpoint(let e, _, let r) = cap { (ep, rights) = (e, r) }
    if !(Self.isEndpointCap(cap) && rights.contains(.read)), !fastpathSkips(.endpointCap) {
      return .fallback(.endpointCap)
    }
    var replyCap = Capability.null
    if case .found(let slot, _) = lookupSlot(thread, arguments.replyRegister) { replyCap = getCap(slot) }
    var isReplyCap = false
    if case .reply = replyCap { isReplyCap = true }
    if !isReplyCap, !fastpathSkips(.replyCap) { return .fallback(.replyCap) }
    let reply = replyCap.objectRef ?? 0
    let ntfn = memory.word(thread &+ ObjectLayout.tcbBoundNotification)
    if ntfn != 0, memory.word(ntfn &+ ObjectLayout.ntfnState) == KernelNtfnState.active.rawValue,
      !fastpathSkips(.boundNotificationActive)
    {
      return .fallback(.boundNotificationActive)
    }
    let epWord1 = memory.word(ep &+ ObjectLayout.epWord1)
    if ObjectLayout.epState.get(epWord1) == KernelEPState.send.rawValue, !fastpathSkips(.endpointSend) {
      return .fallback(.endpointSend)
    }
    let sc = memory.word(thread &+ ObjectLayout.tcbSchedContext)
    let caller = memory.word(reply &+ ObjectLayout.replyTCB)
    let next = memory.word(reply &+ ObjectLayout.replyNext)
    // As seL4's: no check that the caller is BlockedOnReply on this reply, which the slowpath's
    // `doReplyTransfer` makes; a head reply's caller always is (`valid_replies`, `sym_refs`).
    if caller == 0 || ObjectLayout.callStackHead(next) == 0 || ObjectLayout.callStackPointer(next) != sc,
      !fastpathSkips(.replyNotHead)
    {
      return .fallback(.replyNotHead)
    }
    // Not modelled, skipped: ia32 single-stepping of the caller.
    if tcbFault(of: caller) != nil, !fastpathSkips(.callerOfReplyFault) { return .fallback(.callerOfReplyFault) }
    // Not modelled, skipped: the caller's VSpace root and ASID (and AArch32's stored ASID).
    let domain = KernelConstants.numDomains > 1 ? ksCurDomain : 0
    if !isHighestPrio(domain, memory.word(caller &+ ObjectLayout.tcbPriority)), !fastpathSkips(.callerPriority) {
      return .fallback(.callerPriority)
    }
    if memory.word(caller &+ ObjectLayout.tcbDomain) != ksCurDomain, KernelConstants.numDomains > 1,
      !fastpathSkips(.callerDomain)
    {
      return .fallback(.callerDomain)
    }
    if memory.word(caller &+ ObjectLayout.tcbSchedContext) != 0, !fastpathSkips(.callerHasSchedContext) {
      return .fallback(.callerHasSchedContext)
    }
    // Not modelled, skipped: SMP affinity.
    if sc == 0, !fastpathSkips(.noSchedContext) { return .fallback(.noSchedContext) }
    if seams.onTheFastpathsRoute { return .fallback(.plantedSeam) }
    return .hit(FastpathReplyRecvPlan(ep: ep, reply: reply, caller: caller, sc: sc))
  }

  /// `fastpath_reply_recv` after its point of no return (MCS).
  mutating func fastpathReplyRecv(_ thread: ObjectRef, _ arguments: SyscallArguments, _ plan: FastpathReplyRecvPlan) {
    let (ep, reply, caller, sc) = (plan.ep, plan.reply, plan.caller, plan.sc)
    // The replier's registers and IPC buffer as it traps, as the slowpath stores them.
    storeSentMessage(thread, arguments)
    storeReceiveSlot(thread, arguments)
    // The replier waits on the endpoint with the reply object, which lets go of the caller.
    memory.store(thread &+ ObjectLayout.tcbBlockingObject, ep)
    setThreadStateWord(thread, .blockedOnReceive)
    memory.store(thread &+ ObjectLayout.tcbBlockingReplyObject, reply)
    memory.store(reply &+ ObjectLayout.replyTCB, thread)
    let queue = tcbAppend(thread, epQueue(of: ep))
    setEPQueue(ep, head: queue.head, tail: queue.tail, .recv)
    // The call stack pops: the scheduling context goes back to the caller.
    let prev = ObjectLayout.callStackPointer(memory.word(reply &+ ObjectLayout.replyPrev))
    memory.store(thread &+ ObjectLayout.tcbSchedContext, 0)
    memory.store(caller &+ ObjectLayout.tcbSchedContext, sc)
    memory.store(sc &+ ObjectLayout.scTcb, caller)
    memory.store(sc &+ ObjectLayout.scReply, prev)
    if prev != 0, seams.fastpathBug != .keepsPrevLink {
      memory.store(prev &+ ObjectLayout.replyNext, memory.word(reply &+ ObjectLayout.replyNext))
    }
    memory.store(reply &+ ObjectLayout.replyPrev, 0)
    memory.store(reply &+ ObjectLayout.replyNext, 0)
    // Replies carry no badge.
    fastpathCopyMRs(arguments.messageInfo, from: thread, to: caller, badge: 0)
    setThreadStateWord(caller, .running)
    fastpathSwitchTo(caller)
  }

  // MARK: Shared steps

  /// `fastpath_copy_mrs` and the registers `fastpath_restore` loads: the first `length` message
  /// registers, the message-info word with `capsUnwrapped` 0, and the badge (through the
  /// `ipcBadge` seam, as `doIPCTransfer` delivers it).
  @inline(__always)
  mutating func fastpathCopyMRs(_ infoWord: UInt64, from sender: ObjectRef, to receiver: ObjectRef, badge: UInt64) {
    let length = MessageInfo.fastpathLength(infoWord)
    var index: UInt64 = 0
    while index < length {
      let offset = ObjectLayout.tcbMsgRegisters &+ index &* 8
      memory.store(receiver &+ offset, memory.word(sender &+ offset))
      index &+= 1
    }
    setMsgInfoRegister(receiver, MessageInfo.fastpathDeliveredWord(infoWord))
    setBadgeRegister(receiver, seams.ipcBadge?(badge) ?? badge)
  }

  /// `thread_state_ptr_set_tsType_np`: the run state alone, without `scheduleTCB` (the fastpath
  /// switches itself).
  @inline(__always)
  mutating func setThreadStateWord(_ tcb: ObjectRef, _ state: KernelThreadState) {
    let address = tcb &+ ObjectLayout.tcbState
    memory.store(address, ObjectLayout.tsType.set(memory.word(address), to: state.rawValue))
  }

  /// `switchToThread_fp`: the thread becomes current, with no ready-queue change (it is in none,
  /// and the checks made sure it is the one `schedule` would choose); the scheduler has nothing
  /// left to do.
  @inline(__always)
  mutating func fastpathSwitchTo(_ thread: ObjectRef) {
    if seams.fastpathBug == .forgetsSwitch { return }
    ksCurThread = thread
    ksSchedulerAction = .resumeCurrentThread
  }
}

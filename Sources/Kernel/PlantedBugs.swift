// The kernel's seams, and the planted bugs a test of the checker installs through them (KernelABI
// `PlantedBug`). Twins: `ExecutableSpec/PlantedBugs.swift`, `AbstractSpec/PlantedBugs.swift`; each
// layer defines its own bugs only.
//
// A seam is one step of seL4's code that a test may replace. The code that takes the step calls it
// as `seams.<step>?(...) ?? <seL4's code>`: every seam is nil unless a bug is planted, so in every
// real use the step is seL4's code at the cost of one test of nil, with no allocation. The seams
// are `@NotCompared` in `KernelState`: two states that differ only there are equal. Setting
// `plantedBug` (a test, `check --plant-bug`, a trace file, `LockstepChecker` handing the bug on)
// installs the seams that bug replaces; no spec file names a bug.

public import KernelABI

extension KernelState {
  /// The steps of the kernel's code a planted bug can replace, each nil (seL4's code) unless one is
  /// planted. A value, and `Sendable`: the closures capture nothing.
  struct Seams: Sendable {
    /// The bug these seams plant; nil in every real use.
    private(set) var plantedBug: PlantedBug?
    /// `decodeCNodeInvocation` (Mint): the rights mask applied to the source cap, in place of
    /// `maskCapRights(rights, cap)`.
    var cnodeMintMaskCapRights: (@Sendable (_ rights: CapRights, _ cap: Capability) -> Capability)?
    /// `isMDBParentOf` for a badged endpoint cap over an endpoint cap with `badgeB` whose node has
    /// `firstBadged`, in place of `badge == badgeB && !firstBadged`.
    var isMDBParentOfBadgedEndpoint: (@Sendable (_ badge: UInt64, _ badgeB: UInt64, _ firstBadged: Bool) -> Bool)?
    /// The same for a badged notification cap.
    var isMDBParentOfBadgedNotification: (@Sendable (_ badge: UInt64, _ badgeB: UInt64, _ firstBadged: Bool) -> Bool)?
    /// `decodeUntypedInvocation`: the free offset a retype into an untyped with children starts
    /// from, in place of its free index (the watermark).
    var retypeFreeIndex: (@Sendable (_ freeIndex: UInt64) -> UInt64)?
    /// `cteRevoke`: whether the loop goes on to delete `next`, the descendant of `slot` after it
    /// in the MDB, in place of `true`.
    var cteRevokeContinues: (@Sendable (_ state: KernelState, _ slot: UInt64, _ next: UInt64) -> Bool)?
    /// `invokeIRQHandler_AckIRQ`: whether the line is unmasked, in place of `true`.
    var ackUnmasks: (@Sendable () -> Bool)?
    /// `checkPrio`: whether `prio` is within the authority's `mcp`, in place of `prio <= mcp`.
    var checkPrioAllows: (@Sendable (_ prio: UInt64, _ mcp: UInt64) -> Bool)?
    /// `tcbSchedDequeue`: whether a queue left empty loses its bitmap bit, in place of `true`.
    var dequeueClearsBitmap: (@Sendable () -> Bool)?
    /// `restart`: whether a resumed thread that can run is offered to the scheduler
    /// (`possibleSwitchTo`), in place of `true`.
    var restartSwitchesTo: (@Sendable () -> Bool)?
    /// `sendSignal`: the badge an idle notification keeps, the waiter gets or an active word ORs
    /// in, in place of the cap's badge.
    var signalBadge: (@Sendable (_ badge: UInt64) -> UInt64)?
    /// `doIPCTransfer`: the badge the receiver gets, in place of the sender's cap's badge.
    var ipcBadge: (@Sendable (_ badge: UInt64) -> UInt64)?
    /// `transferCaps`: whether an endpoint cap to the endpoint the message arrives on is
    /// unwrapped into its badge, in place of `true` (no named bug plants it; a test of the
    /// checker does).
    var transferUnwraps: (@Sendable () -> Bool)?
    /// `blockedCancelIPC`: whether the thread is taken off the endpoint's queue, in place of
    /// `true`.
    var blockedCancelDequeues: (@Sendable () -> Bool)?
    /// `doReplyTransfer`: whether the caller is cut off from the reply object, takes the message
    /// and runs, in place of `true`; false only lets the reply object go of it (the caller stays
    /// BlockedOnReply). Planted by tests only.
    var replyWakesCaller: (@Sendable () -> Bool)?
    /// `doFaultTransfer`: the label of a fault message, in place of the fault type. Planted by
    /// tests only.
    var faultLabel: (@Sendable (_ faultType: UInt64) -> UInt64)?
    /// `doReplyTransfer`: whether a faulter the reply answers restarts, in place of
    /// `handleFaultReply`'s verdict (whose register copy is then skipped). Planted by tests only.
    var faultReplyRestarts: (@Sendable () -> Bool)?
    /// `handleUserLevelFault`: the fault raised for `(w_a, w_b)`, in place of
    /// `seL4_Fault_UserException_new(w_a, w_b)`. Planted by tests only.
    var userExceptionFault: (@Sendable (_ number: UInt64, _ code: UInt64) -> ThreadFault)?
    /// `maybeDonateSchedContext`: whether a notification's scheduling context is donated at all,
    /// in place of `true`. Planted by tests only.
    var ntfnDonatesSchedContext: (@Sendable () -> Bool)?
    /// `maybeReturnSchedContext`: whether a thread blocking on a notification (or on an endpoint,
    /// bound to one) gives the notification's scheduling context back at all, in place of `true`.
    /// Planted by tests only.
    var ntfnReturnsSchedContext: (@Sendable () -> Bool)?
    /// `completeSignal`: whether a sporadic scheduling context the notification donated runs
    /// `refill_unblock_check`, in place of `true`. Planted by tests only.
    var completeSignalUnblockChecks: (@Sendable () -> Bool)?
    /// `reply_pop`: whether the scheduling context goes back to a caller without one, in place of
    /// `true` (false keeps it with the replier).
    var popReturnsSchedContext: (@Sendable () -> Bool)?
    /// `handleSyscall` (SysNBSendRecv): the cptr the send phase invokes, in place of
    /// `getNBSendRecvDest()` (the `nbsendRecvDest` register). Planted by tests only.
    var nbSendRecvDest: (@Sendable (_ arguments: SyscallArguments) -> UInt64)?
    /// `invokeSchedControl_ConfigureFlags`: the badge written to `scBadge`, in place of MR3.
    /// Planted by tests only.
    var schedControlBadge: (@Sendable (_ badge: UInt64) -> UInt64)?
    /// `decodeSchedControl_ConfigureFlags`: whether the extra cap is checked to be a
    /// scheduling-context cap before the budget and period, as l4v's `HE_proofs` abstract decode
    /// orders it, in place of `false` (seL4 checks it after them). Planted by tests only.
    var schedControlChecksTargetFirst: (@Sendable () -> Bool)?
    /// `nextDomain`: whether the domain schedule moves on (index, `ksCurDomain`), in place of
    /// `true`; false only reloads the current domain's time, so the domain never changes on
    /// expiry. Planted by tests only (`Domain.swift`).
    var nextDomainSwitches: (@Sendable () -> Bool)?
    /// `refill_budget_check`'s `merge_nonoverlapping_head_refill` loses the popped head's amount
    /// when this answers true, in place of `false` (`Budget.swift`, `refillBudgetCheck`): the bug
    /// `mergeLosesBudget`. The refill core is shared with the executable spec, so the deviation is
    /// the kernel's own.
    var mergeLosesBudget: (@Sendable () -> Bool)?
    /// `tcbReleaseEnqueue`: whether a thread goes to the end of a non-empty release queue whatever
    /// its release time, in place of `false` (seL4 inserts it in release-time order).
    var releaseEnqueueAppends: (@Sendable () -> Bool)?
    /// `endTimeslice` and `doReplyTransfer`: the badge a Timeout fault carries, in place of the
    /// scheduling context's `scBadge` (`seL4_Fault_Timeout_new(sc->scBadge)`). Planted by tests
    /// only (`TimeoutLockstepTests`): no `PlantedBug` names it, as no generated trace configures a
    /// sporadic scheduling context, so the campaigns that run every `PlantedBug` never raise a
    /// Timeout fault.
    var timeoutFaultBadge: (@Sendable (_ badge: UInt64) -> UInt64)?
    /// `schedContext_cancelYieldTo` clears `scYieldFrom` only when this answers true, in place of
    /// always (`SchedContext.swift`).
    var cancelYieldToClearsYieldFrom: (@Sendable () -> Bool)?
    /// The fastpath's planted bug (`Fastpath.swift`): a check it skips, or the switch it forgets.
    var fastpathBug: FastpathBug?

    /// Whether a seam is planted on the slowpath's route of a Call or ReplyRecv the fastpath would
    /// handle (`Fastpath.swift`, fallback `plantedSeam`): the fastpath does those steps inline, so
    /// with such a seam it leaves the event to the slowpath, which runs the seam. One line a seam;
    /// `ipcBadge` is not here because the fastpath applies it itself. The route: Call's
    /// `sendIPC` and ReplyRecv's `doReplyTransfer`, `reply_pop`, `receiveIPC`, then `schedule`'s
    /// `switchToThread`, whose `tcbSchedDequeue` takes the woken thread off the ready queue
    /// `possibleSwitchTo` put it on. Seams off that route when the fastpath's checks hold:
    /// `transferUnwraps` (no extra caps), `faultReplyRestarts` and `faultLabel` (no faults),
    /// `restartSwitchesTo` (only `restart`: TCB_Resume, WriteRegisters, CopyRegisters).
    var onTheFastpathsRoute: Bool {
      dequeueClearsBitmap != nil
        || replyWakesCaller != nil
        || popReturnsSchedContext != nil
    }

    /// No seam replaced: seL4's code throughout.
    init() {}

    /// The seams that plant `bug`; none for a bug of another layer (only its name is kept).
    init(plantedBug bug: PlantedBug?) {
      plantedBug = bug
      switch bug {
      case .revokeSkipsLastDescendant?:
        // Stop when `next` is the last descendant, leaving it in place.
        cteRevokeContinues = { state, slot, next in
          let after = state.mdbNext(next)
          return after != 0 && state.isMDBParentOf(slot, after)
        }
      case .retypeIgnoresWatermark?:
        retypeFreeIndex = { _ in 0 }
      case .mintIgnoresRightsMask?:
        cnodeMintMaskCapRights = { _, cap in cap }
      case .mdbNotificationIgnoresFirstBadged?:
        isMDBParentOfBadgedNotification = { badge, badgeB, _ in badge == badgeB }
      case .mdbNotificationIgnoresBadge?:
        isMDBParentOfBadgedNotification = { _, _, firstBadged in !firstBadged }
      case .mdbEndpointIgnoresFirstBadged?:
        isMDBParentOfBadgedEndpoint = { badge, badgeB, _ in badge == badgeB }
      case .mdbEndpointIgnoresBadge?:
        isMDBParentOfBadgedEndpoint = { _, _, firstBadged in !firstBadged }
      case .checkPrioRefusesEqual?:
        checkPrioAllows = { prio, mcp in prio < mcp }
      case .dequeueKeepsBitmap?:
        dequeueClearsBitmap = { false }
      case .resumeSkipsReschedule?:
        restartSwitchesTo = { false }
      case .signalDropsBadge?:
        signalBadge = { _ in 0 }
      case .ipcWrongBadge?:
        ipcBadge = { $0 ^ 1 }
      case .ipcDropsBadge?:
        ipcBadge = { _ in 0 }
      case .deleteLeavesQueueDangling?:
        blockedCancelDequeues = { false }
      case .fastpathForgetsSwitch?:
        fastpathBug = .forgetsSwitch
      case .replyKeepsDonatedSC?:
        popReturnsSchedContext = { false }
      case .mergeLosesBudget?:
        mergeLosesBudget = { true }
      case .releaseQueueOutOfOrder?:
        releaseEnqueueAppends = { true }
      case .yieldToKeepsYieldFrom?:
        cancelYieldToClearsYieldFrom = { false }
      case .ackLeavesLineMasked?:
        ackUnmasks = { false }
      case .execCopyIgnoresRightsMask?, .abstractDeleteKeepsObject?, nil:
        break
      }
    }
  }

  /// A deliberate bug to run with (tests of the checker only; nil in every real use). Setting it
  /// installs the seams that plant it; it is not part of the state.
  public var plantedBug: PlantedBug? {
    get { seams.plantedBug }
    set { seams = Seams(plantedBug: newValue) }
  }
}

extension RefillBuffer where Word == UInt64 {
  /// `refill_budget_check` with a `merge_nonoverlapping_head_refill` that drops the popped head
  /// (the next refill keeps its own start and amount): the seam `mergeLosesBudget`.
  mutating func refillBudgetCheckLosingMerges(usage: UInt64, period: UInt64) {
    let left = handleOverrun(usage: usage, period: period)
    refillBudgetCheckPartialCharge(usage: left, period: period, maxReleaseTime: TimeConfig.maxReleaseTime)
    while !refillSingle, headRefillInsufficient {
      _ = refillPopHead()
    }
  }
}

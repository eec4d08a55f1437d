// Deliberate bugs, one set for every layer, for showing that the checker catches a broken layer.
//
// A test, or `refine-check check --plant-bug` when asked to demonstrate, sets `plantedBug` on a
// layer's state; nothing else ever does. Each bug is a one-line departure from seL4 of the kind an
// engineer might really write in that layer, and each must be caught by the lockstep checker.
// `LockstepChecker` hands the planted bug to every layer; each layer acts only on its own bugs.
// No spec file names a bug: each layer's `PlantedBugs.swift` turns the bug into replacements for
// the steps of its code that the bug changes (the layer's `Seams`, nil in every real use and
// outside state equality), and the spec code calls those steps through them.

/// A known way to break one layer.
public enum PlantedBug: String, CaseIterable, Sendable, Codable {
  // MARK: Kernel

  /// `cteRevoke` stops before the last descendant of the revoked cap, leaving it in place.
  case revokeSkipsLastDescendant
  /// `Untyped_Retype` places new objects from the untyped's base, ignoring the free watermark.
  case retypeIgnoresWatermark
  /// `CNode_Mint` ignores the rights mask, so a minted cap keeps every right of its source.
  case mintIgnoresRightsMask
  /// `isMDBParentOf` for a badged notification cap ignores `mdbFirstBadged`, so a second mint of
  /// the same badge becomes a child of the first instead of its sibling.
  case mdbNotificationIgnoresFirstBadged
  /// `isMDBParentOf` for a badged notification cap ignores the badge, so caps of any badge count
  /// as its children.
  case mdbNotificationIgnoresBadge
  /// `isMDBParentOf` for a badged endpoint cap ignores `mdbFirstBadged`.
  case mdbEndpointIgnoresFirstBadged
  /// `isMDBParentOf` for a badged endpoint cap ignores the badge.
  case mdbEndpointIgnoresBadge
  /// `checkPrio` refuses a priority equal to the authority's MCP (`>=` where seL4 has `>`), so
  /// TCB_SetMCPriority of exactly the authority's MCP is a RangeError.
  case checkPrioRefusesEqual
  /// `tcbSchedDequeue` forgets `removeFromBitmap` when the queue becomes empty, so the bitmap
  /// marks an empty queue (and `chooseThread` would look there).
  case dequeueKeepsBitmap
  /// `restart` (TCB_Resume) makes the thread Restart but never offers it to the scheduler
  /// (`possibleSwitchTo`), so a resumed thread is runnable yet in no ready queue and never runs.
  case resumeSkipsReschedule
  /// `sendSignal` drops the badge: an idle notification becomes active with word 0, the waiter it
  /// wakes gets 0 in its badge register, and an active notification's word ORs in 0.
  case signalDropsBadge
  /// `doIPCTransfer` delivers the badge with its lowest bit flipped, so the receiver of an
  /// endpoint message sees another sender's badge.
  case ipcWrongBadge
  /// `doIPCTransfer` delivers no badge: the receiver of an endpoint message gets 0 in its badge
  /// register whatever the sender's cap was minted with, where seL4's `doNormalTransfer`
  /// (`seL4:src/kernel/thread.c`) writes the sender's cap's badge there.
  case ipcDropsBadge
  /// `blockedCancelIPC` forgets `tcbEPDequeue`: a thread queued on an endpoint whose TCB is
  /// deleted (or that is suspended) becomes Inactive but stays in the endpoint's queue, which
  /// then names a thread that waits for nothing (or no thread at all), where seL4
  /// (`seL4:src/object/endpoint.c`, `cancelIPC`) takes it off first.
  case deleteLeavesQueueDangling
  /// The Call/ReplyRecv fastpath does everything but the switch: the caller (or replier) stays
  /// current, where seL4's `fastpath_call`/`fastpath_reply_recv` end in `switchToThread_fp`
  /// (`seL4:src/fastpath/fastpath.c`).
  case fastpathForgetsSwitch
  /// `reply_pop` leaves a donated scheduling context with the replier, where seL4
  /// (`seL4:src/object/reply.c`) gives it back to the caller (`schedContext_donate`) when the
  /// caller has none: the passive server keeps running on its client's time.
  case replyKeepsDonatedSC
  /// `refill_budget_check`'s `merge_nonoverlapping_head_refill` drops the popped head refill: the
  /// next refill keeps its own start and amount, so a head left below MIN_BUDGET by a charge loses
  /// its budget, where seL4 (`seL4:src/kernel/sporadic.c`) adds the head's amount to the next
  /// refill and starts it that much earlier. The "merge that loses budget".
  case mergeLosesBudget
  /// `tcbReleaseEnqueue` appends every thread to the end of the release queue, where seL4
  /// (`seL4:src/object/tcb.c`) inserts it before the first thread whose head refill is released
  /// later: a thread postponed to an earlier release time waits behind one released later. The
  /// issue's "release queue out of order".
  case releaseQueueOutOfOrder
  /// `schedContext_cancelYieldTo` clears the yielder's `tcbYieldTo` but not the scheduling
  /// context's `scYieldFrom`, where seL4 (`seL4:src/object/schedcontext.c`) clears both: after a
  /// SchedContext_YieldTo is answered (or its yielder suspended), the context still names a thread
  /// that yields to nothing.
  case yieldToKeepsYieldFrom
  /// `invokeIRQHandler_AckIRQ` does not unmask the line, where seL4 (`seL4:src/object/interrupt.c`)
  /// calls `maskInterrupt(false, irq)`: after its first interrupt a driver's line stays masked and
  /// no interrupt reaches it again. The "IRQ ack that leaves the line masked".
  case ackLeavesLineMasked

  // MARK: ExecutableSpec

  /// `CNode_Copy` in the executable spec ignores the rights mask.
  case execCopyIgnoresRightsMask

  // MARK: AbstractSpec

  /// Deleting the final cap to an object in the abstract spec leaves the object in the heap.
  case abstractDeleteKeepsObject

  /// Whether the bug lives in the derivation tree's handling of badged caps: it shows only after
  /// one badge has been minted twice from the same cap (or caps of two badges chained) and the
  /// first run revoked, so it needs a longer event sequence than the others (and a notification,
  /// which `SystemPlan.small` does not have, for the notification ones).
  public var needsBadgeRuns: Bool {
    switch self {
    case .mdbNotificationIgnoresFirstBadged, .mdbNotificationIgnoresBadge, .mdbEndpointIgnoresFirstBadged,
      .mdbEndpointIgnoresBadge:
      true
    case .revokeSkipsLastDescendant, .retypeIgnoresWatermark, .mintIgnoresRightsMask, .execCopyIgnoresRightsMask,
      .abstractDeleteKeepsObject, .checkPrioRefusesEqual, .dequeueKeepsBitmap, .resumeSkipsReschedule,
      .signalDropsBadge, .ipcWrongBadge, .ipcDropsBadge, .deleteLeavesQueueDangling, .fastpathForgetsSwitch,
      .replyKeepsDonatedSC, .mergeLosesBudget, .releaseQueueOutOfOrder, .yieldToKeepsYieldFrom, .ackLeavesLineMasked:
      false
    }
  }

  /// Whether the bug shows only through endpoint IPC (a message with a badge, an endpoint deleted
  /// with threads queued, a Call or ReplyRecv on the fastpath, a reply to a caller that donated
  /// its scheduling context), which the exhaustive small system's alphabet does not reach; the
  /// default campaign, whose system has a client and a passive server, catches them.
  public var needsEndpointIPC: Bool {
    switch self {
    case .ipcWrongBadge, .ipcDropsBadge, .deleteLeavesQueueDangling, .fastpathForgetsSwitch, .replyKeepsDonatedSC:
      true
    case .revokeSkipsLastDescendant, .retypeIgnoresWatermark, .mintIgnoresRightsMask,
      .mdbNotificationIgnoresFirstBadged, .mdbNotificationIgnoresBadge, .mdbEndpointIgnoresFirstBadged,
      .mdbEndpointIgnoresBadge, .checkPrioRefusesEqual, .dequeueKeepsBitmap, .resumeSkipsReschedule,
      .signalDropsBadge, .execCopyIgnoresRightsMask, .abstractDeleteKeepsObject, .mergeLosesBudget,
      .releaseQueueOutOfOrder, .yieldToKeepsYieldFrom, .ackLeavesLineMasked:
      false
    }
  }

  /// Whether the bug shows only as time passes on sporadic scheduling contexts: a head refill
  /// charged to below MIN_BUDGET (the merge), or two threads postponed to the release queue
  /// (its order). The default run's system, the sample and the exhaustive search's small system
  /// are round robin (budget = period), where no refill is ever merged and no thread is ever
  /// postponed, so those searches cannot reach these bugs; their searches run on the sample with
  /// sporadic servers (`Tests/TestSupport/Budget.swift`).
  public var needsSporadicTime: Bool {
    switch self {
    case .mergeLosesBudget, .releaseQueueOutOfOrder:
      true
    case .revokeSkipsLastDescendant, .retypeIgnoresWatermark, .mintIgnoresRightsMask,
      .mdbNotificationIgnoresFirstBadged, .mdbNotificationIgnoresBadge, .mdbEndpointIgnoresFirstBadged,
      .mdbEndpointIgnoresBadge, .checkPrioRefusesEqual, .dequeueKeepsBitmap, .resumeSkipsReschedule,
      .signalDropsBadge, .ipcWrongBadge, .ipcDropsBadge, .deleteLeavesQueueDangling, .fastpathForgetsSwitch,
      .replyKeepsDonatedSC, .execCopyIgnoresRightsMask, .abstractDeleteKeepsObject, .yieldToKeepsYieldFrom,
      .ackLeavesLineMasked:
      false
    }
  }

  /// Whether the bug shows only once a thread has yielded to another thread's scheduling context
  /// (SchedContext_YieldTo), which the exhaustive alphabet does not make (it yields only to the
  /// first scheduling-context cap, the caller's own); the random generator does.
  public var needsSchedContextYield: Bool { self == .yieldToKeepsYieldFrom }

  /// Whether the bug shows only once a line has a handler with a notification and has fired: an
  /// IRQControl cap, an interrupt and an ack, which the exhaustive alphabet and the default run's
  /// system (no IRQControl cap) do not make; the random generator on the sample does.
  public var needsInterrupts: Bool { self == .ackLeavesLineMasked }

  /// The layer the bug is planted in: "Kernel", "ExecutableSpec" or "AbstractSpec".
  public var layer: String {
    switch self {
    case .revokeSkipsLastDescendant, .retypeIgnoresWatermark, .mintIgnoresRightsMask,
      .mdbNotificationIgnoresFirstBadged, .mdbNotificationIgnoresBadge, .mdbEndpointIgnoresFirstBadged,
      .mdbEndpointIgnoresBadge, .checkPrioRefusesEqual, .dequeueKeepsBitmap, .resumeSkipsReschedule,
      .signalDropsBadge, .ipcWrongBadge, .ipcDropsBadge, .deleteLeavesQueueDangling, .fastpathForgetsSwitch,
      .replyKeepsDonatedSC, .mergeLosesBudget, .releaseQueueOutOfOrder, .yieldToKeepsYieldFrom, .ackLeavesLineMasked:
      "Kernel"
    case .execCopyIgnoresRightsMask: "ExecutableSpec"
    case .abstractDeleteKeepsObject: "AbstractSpec"
    }
  }
}

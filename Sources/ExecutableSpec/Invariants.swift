// The executable layer's invariants, by their l4v names (`Invariants_H.thy`): the parts of
// `valid_pspace'` this slice has, `valid_mdb'` (in `Invariants+MDB.swift`) and `cur_tcb'`, as one
// table (`ExecState.invariants`, KernelABI `Invariant`) in the order the checks run.
//
// Each check returns every broken conjunct with the concrete slots, objects and values, so that a
// failing trace says what is wrong, not just that something is. The conjuncts the incremental
// check runs at sites (`Invariants+Incremental.swift`) declare here what each reads there.
// Twins: the same names in `Kernel/Invariants.swift`, unprimed ones in
// `AbstractSpec/Invariants.swift`.

public import KernelABI

extension ExecState {
  /// The executable spec's invariants by l4v name, each with its check and, for the conjuncts the
  /// incremental check runs at sites, what it reads there (in the order of `incrementalConjuncts`).
  public static let invariants: InvariantTable<ExecState> = [
    Invariant("pspace_aligned'", "every object is aligned to its size", check: { $0.pspaceViolations() }),
    Invariant("pspace_in_kernel_mappings'", "every object lies inside memory", checkedWith: "pspace_aligned'"),
    Invariant("pspace_distinct'", "objects do not overlap", checkedWith: "pspace_aligned'"),
    Invariant(
      "valid_objs'",
      conjuncts: [InvariantConjunct("valid_cap'", reads: [.cap, .namedObject]), "valid_ntfn'", "valid_ep'"],
      "CNodes have 2^radix slots and TCBs their five, priorities are in range, a waiting notification's queue is non-empty, distinct and only its bound thread's, an endpoint's queue is non-empty and distinct, and every cap is valid",
      check: { $0.validObjsViolations() }),
    Invariant(
      "valid_mdb'",
      conjuncts: [
        InvariantConjunct("valid_nullcaps", reads: [.cap, .flags, .links]),
        InvariantConjunct("ut_revocable'", reads: [.cap, .flags]),
        InvariantConjunct("no_0", reads: [.links, .neighbours]),
        InvariantConjunct("valid_dlist", reads: [.links, .neighbours]),
        InvariantConjunct("mdb_chain_0", reads: [.links]),
        InvariantConjunct("class_links", reads: [.cap, .links, .neighbours]),
        // Not `flags`: the check at a slot reads its own cap and `next`, and the flags of the slot
        // after it, which are its neighbour's (a slot whose flags changed has its `prev` re-checked).
        InvariantConjunct("valid_badges", reads: [.cap, .links, .neighbours]),
        // `links`: an IRQ cap moved out of the other IRQ caps' list splits their chunk.
        InvariantConjunct("irq_control", reads: [.cap, .flags, .links]),
        InvariantConjunct("mdb_chunked", reads: [.cap, .links, .neighbours]),
        // At a cap, against the untypeds around it. Not `cap`, here and for `untyped_inc'`: a slot
        // whose cap (or flags) changed is one whose ancestry may have changed (its parent is read
        // from them), so `ancestry` selects it already.
        InvariantConjunct("untyped_mdb'", reads: [.ancestry]),
        InvariantConjunct("caps_contained'", reads: [.cap]),
        // At an untyped, against its contents.
        InvariantConjunct("untyped_mdb'", reads: [.region, .contents]),
        InvariantConjunct("untyped_inc'", reads: [.ancestry]),
      ],
      "the MDB is a set of well-linked, finite doubly linked lists consistent with caps, badges and untyped memory",
      check: { $0.validMDBViolations() }),
    // `Invariants+Live.swift`.
    Invariant(
      "if_live_then_nonz_cap'", reads: [.cap],
      "every live object (a thread not Inactive or bound to a notification or scheduling context, a notification with waiters or a bound thread, a scheduling context with a thread; the idle thread and its scheduling context are not live) is named by some cap",
      check: { $0.ifLiveThenNonzCapViolations() }),
    Invariant(
      "cur_tcb'", "the current thread (the idle thread's when it runs) is a live TCB",
      check: { $0.curTCBViolations() }),
    // The idle thread's (`Invariants+Idle.swift`).
    Invariant(
      "valid_idle'",
      "the idle thread is a TCB in IdleThreadState with no bound notification, bound to the idle scheduling context, which is bound back to it",
      check: { $0.validIdle() }),
    Invariant("only_idle'", "only the idle thread is in IdleThreadState", check: { $0.onlyIdle() }),
    // The interrupts' (`Invariants+Interrupt.swift`).
    Invariant(
      "valid_irq_node'",
      "the IRQ node is a CNode of one CTE per line, and a filled CTE holds a notification cap of a line that is IRQSignal",
      check: { $0.validIRQNode() }),
    Invariant(
      "valid_irq_handlers'", "every IRQHandler cap names a line that is IRQSignal",
      check: { $0.validIRQHandlers($0.occupiedSlots) }),
    Invariant("valid_irq_states'", "every IRQInactive line is masked", check: { $0.validIRQStates() }),
    // The scheduler's (`Invariants+Sched.swift`).
    Invariant(
      "valid_ready_qs'", conjuncts: ["released_sc"],
      "a queued thread is a TCB of its queue's domain and priority that can run, queued once, whose scheduling context is released (active, its head refill ready at ksCurTime)",
      check: { $0.validReadyQs() + $0.validReadyQsReleased() }),
    Invariant(
      "valid_queues'", "a thread's tcbQueued flag is set exactly when it is queued", check: { $0.validQueues() }),
    Invariant(
      "valid_bitmaps", "each domain's bitmap is well formed and marks exactly the non-empty queues",
      check: { $0.validBitmaps() }),
    Invariant("ct_not_in_q'", "the current thread is in no ready queue", check: { $0.ctNotInQ() }),
    Invariant(
      "valid_sched_action'", "at kernel exit the action is ResumeCurrentThread and the current thread is runnable",
      check: { $0.validSchedAction() }),
    Invariant(
      "valid_blocked'",
      "a runnable thread with an active scheduling context is current, the switch target, or in a ready queue or the release queue",
      check: { $0.validBlocked() }),
    Invariant(
      "valid_release_queue'", conjuncts: ["sorted_release_q"],
      "the release queue holds each thread once, runnable with an active scheduling context, sorted by their head refill's release time, and a thread's tcbInReleaseQueue flag is set exactly when it is in it",
      check: { $0.validReleaseQueue() }),
    Invariant(
      "ready_or_release'", "no thread has both tcbQueued and tcbInReleaseQueue", check: { $0.readyOrRelease() }),
    // The scheduling contexts' refill buffers (`Invariants+Sporadic.swift`).
    Invariant(
      "valid_sched_context'", conjuncts: ["valid_sched_context_size'", "valid_refills'"],
      "a scheduling context is 2^7 to 2^47 bytes, its buffer and scRefillMax fit in its refill_absolute_max slots, and an active one has its head and tail indices below scRefillMax and at most scRefillMax live refills",
      check: { $0.validSchedContexts() }),
    Invariant(
      "active_sc_valid_refills'",
      conjuncts: [
        "rr_valid_refills", "sp_valid_refills", "ordered_disjoint", "no_overflow", "window", "bounded_release_time",
      ],
      "the live refills of every active scheduling context with a well-formed buffer are valid for its configuration, as the abstract active_sc_valid_refills says (the budget being their sum)",
      check: { $0.activeSCValidRefills() }),
    Invariant(
      "active_scs_valid'",
      "a sporadic scheduling context is active (an inactive one's budget, its empty window's sum, is 0)",
      check: { $0.activeSCsValid() }),
    Invariant(
      "cur_sc_chargeable'",
      "the current thread's scheduling context is ksCurSC, and every other thread bound to ksCurSC is Inactive",
      check: { $0.curSCChargeable() }),
    Invariant(
      "cur_sc_tcb'", "ksCurSC is a scheduling context whose thread, at kernel exit, is the current thread",
      check: { $0.curSCTcb() }),
    // The domain scheduler's (`Invariants+Domain.swift`).
    Invariant(
      "ct_idle_or_in_cur_domain'", "at kernel exit the current thread is the idle thread or of ksCurDomain",
      check: { $0.ctIdleOrInCurDomain() }),
    Invariant(
      "domain_time_left'", "with more than one domain, at kernel exit ksDomainTime is above 0",
      check: { $0.domainTimeLeft() }),
    Invariant(
      "valid_dom_schedule'",
      "ksDomSchedule has its length, entries of domains the kernel has lasting at most 2^56 − 1 ticks and no time only as end markers, an end marker last, ksDomScheduleIdx before it, ksDomScheduleStart on no end marker",
      check: { $0.validDomSchedule() }),
    Invariant(
      "released_ipc_queues'",
      "a thread blocked receiving or on a notification has no scheduling context or a released one; one blocked sending has a Timeout fault and an active one, or none or a released one; one blocked on a reply has none or an active one",
      check: { $0.releasedIPCQueues() }),
    Invariant(
      "active_reply_scs'", "a scheduling context whose scReply names a reply is active",
      check: { $0.activeReplySCs() }),
    Invariant(
      "sym_refs'",
      conjuncts: [
        "sc_tcb'", "ntfn_queue'", "ntfn_bound'", "ep_queue'", "reply_tcb'", "sc_replies'", "tcb_yield_to'",
        "ntfn_sc'",
      ],
      "a thread names its scheduling context exactly when that names the thread; a thread is in a notification's queue exactly when it is blocked on it; a thread names its bound notification exactly when that names the thread; a thread is in an endpoint's send or receive queue exactly when it is blocked sending or receiving on it; a thread's state names a reply object exactly when that object's replyTCB is the thread; a scheduling context's scReply and its head reply's replyNext name each other, as do a reply's replyPrev and its predecessor's replyNext; a thread's tcbYieldTo and a scheduling context's scYieldFrom name each other, as do a notification's ntfnSc and a scheduling context's scNtfn",
      check: {
        $0.symRefsSchedContexts() + $0.symRefsNotifications() + $0.symRefsEndpoints() + $0.symRefsReplies()
          + $0.symRefsSCReplies() + $0.symRefsSCLinks()
      }),
    // The endpoints' queue order (`Invariants+Endpoint.swift`; l4v-rt `DetSchedInvs_AI.thy`).
    Invariant(
      "sorted_ipc_queues'", "every endpoint's queue is in priority order, non-increasing from the head",
      check: { $0.sortedIPCQueues() }),
    // The reply objects' (`Invariants+Endpoint.swift`).
    Invariant(
      "valid_replies'",
      "no two threads wait for a reply on one reply object, and a reply object's replyTCB waits for a reply on it or receives with it",
      check: { $0.validReplies() }),
  ]

  /// Every invariant of `invariants`, with its conjuncts, for reports.
  public static let invariantCatalogue: [InvariantDefinition] = invariants.catalogue

  /// Every broken conjunct (empty when all hold).
  public func invariantViolations() -> [InvariantViolation] { ExecState.invariants.violations(of: self) }

  // MARK: pspace_aligned', pspace_distinct', pspace_in_kernel_mappings'

  /// Objects aligned to their size, inside memory, pairwise disjoint.
  func pspaceViolations() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let memory = (base: memoryBase, sizeBits: memorySizeBits)
    let objects = ksPSpace.sorted { $0.key < $1.key }
    for (address, object) in objects {
      let bits = object.sizeBits
      if address & lowMask(bits) != 0 {
        found.append(.init("pspace_aligned'", "object at \(hex(address)) is not aligned to 2^\(bits)"))
      }
      if bits >= 64
        || (!ExecState.isIdleObject(address) && address != IRQConstants.irqNodePtr
          && !rangeContains(outer: memory, inner: (address, bits)))
      {
        found.append(
          .init(
            "pspace_in_kernel_mappings'", "object at \(hex(address)) (2^\(bits) bytes) is outside memory"))
      }
    }
    for (a, b) in zip(objects, objects.dropFirst())
    where rangesOverlap((a.key, a.value.sizeBits), (b.key, b.value.sizeBits)) {
      found.append(
        .init(
          "pspace_distinct'",
          "object at \(hex(a.key)) (2^\(a.value.sizeBits)) overlaps object at \(hex(b.key))"))
    }
    return found
  }

  // MARK: valid_objs'

  /// Objects well formed (slot counts, priorities) and every cap valid (`valid_cap'`).
  func validObjsViolations() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      switch object {
      case .cnode(let node):
        if node.radix >= 64 || UInt64(node.ctes.count) != UInt64(1) << node.radix {
          found.append(
            .init(
              "valid_objs'", "CNode at \(hex(address)) has \(node.ctes.count) slots, radix \(node.radix)"))
        }
      case .tcb(let tcb):
        if UInt64(tcb.ctes.count) != TCBSlot.count {
          found.append(.init("valid_objs'", "TCB at \(hex(address)) has \(tcb.ctes.count) slots"))
        }
        if tcb.priority > KernelConstants.maxPriority || tcb.maxControlledPriority > KernelConstants.maxPriority {
          found.append(
            .init(
              "valid_objs'",
              "TCB at \(hex(address)) has priority \(tcb.priority), MCP \(tcb.maxControlledPriority)"))
        }
      case .notification(let ntfn):
        for text in validNtfn(address, ntfn) { found.append(.init("valid_objs'", conjunct: "valid_ntfn'", text)) }
      case .endpoint(let ep):
        for text in validEp(address, ep) { found.append(.init("valid_objs'", conjunct: "valid_ep'", text)) }
      case .reply, .schedContext, .opaque:
        break
      }
    }
    for (slot, entry) in slotEntries() where !entry.cap.isNull {
      if let problem = capProblem(entry.cap) {
        found.append(.init("valid_objs'", conjunct: "valid_cap'", "cap in \(slot): \(problem)"))
      }
    }
    return found
  }

  /// Why `cap` is not a valid cap in this state, if it is not.
  func capProblem(_ cap: Capability) -> String? {
    func expect(_ ref: ObjectRef, _ ok: (KernelObject) -> Bool, _ what: String) -> String? {
      guard let object = ksPSpace[ref] else { return "names no object at \(hex(ref))" }
      return ok(object) ? nil : "names \(object) at \(hex(ref)), not \(what)"
    }
    switch cap {
    case .null, .schedControl, .irqControl, .irqHandler, .domain:
      return nil
    case .untyped(let base, let sizeBits, _, let freeIndex):
      if sizeBits < KernelConstants.minUntypedBits || sizeBits > KernelConstants.maxUntypedBits {
        return "untyped size 2^\(sizeBits) out of range"
      }
      if base & lowMask(sizeBits) != 0 { return "untyped base \(hex(base)) not aligned" }
      if freeIndex > UInt64(1) << sizeBits { return "free index \(freeIndex) beyond 2^\(sizeBits)" }
      if !rangeContains(outer: (memoryBase, memorySizeBits), inner: (base, sizeBits)) {
        return "untyped outside memory"
      }
      return nil
    case .endpoint(let r, _, _): return expect(r, { if case .endpoint = $0 { true } else { false } }, "an endpoint")
    case .notification(let r, _, _):
      return expect(r, { if case .notification = $0 { true } else { false } }, "a notification")
    case .reply(let r, _): return expect(r, { if case .reply = $0 { true } else { false } }, "a reply")
    case .thread(let r):
      return expect(r, { if case .tcb = $0 { true } else { false } }, "a TCB")
    case .schedContext(let r, let bits):
      return expect(
        r, { if case .schedContext(let sc) = $0 { sc.sizeBits == bits } else { false } }, "an SC of 2^\(bits)")
    case .cnode(let r, let radix, let guardSize, let guardValue):
      if guardSize &+ radix > 64 || guardValue & ~lowMask(guardSize) != 0 {
        return "guard \(guardValue) of size \(guardSize) with radix \(radix)"
      }
      return expect(r, { if case .cnode(let node) = $0 { node.radix == radix } else { false } }, "a \(radix)-bit CNode")
    }
  }

  // MARK: cur_tcb'

  /// The current thread (the idle thread when idle runs) is a TCB.
  func curTCBViolations() -> [InvariantViolation] {
    guard tcb(at: ksCurThread) == nil else { return [] }
    return [.init("cur_tcb'", "current thread \(hex(ksCurThread)) is not a TCB")]
  }
}

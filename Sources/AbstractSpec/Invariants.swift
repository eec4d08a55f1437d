// The invariants of the abstract state, by their l4v names, as one table
// (`AbstractState.invariants`, KernelABI `Invariant`) in the order the checks run.
//
// Each check returns the conjuncts it finds broken, with the slots and values involved, so that a
// failing trace says what went wrong and where. The checks follow l4v's definitions restricted to
// the capability slice (`l4v:proof/invariant-abstract/Invariants_AI.thy`, `CSpaceInv_AI.thy`):
// objects well formed and laid out without overlap, caps naming live objects of the right kind,
// the derivation tree well founded and consistent with untyped memory, every filled slot reachable
// through some cap, and the current thread a thread. The conjuncts the incremental check runs at
// sites (`Invariants+Incremental.swift`) declare here what each reads there. Twins: the primed
// names in `ExecutableSpec/Invariants.swift` and `Kernel/Invariants.swift`.

public import KernelABI

extension AbstractState {
  /// What the abstract checks read: the state, and its caps in slot order (`caps_of_state`),
  /// gathered once for every check that reads them.
  public struct InvariantInput {
    public let state: AbstractState
    public let caps: [(slot: SlotRef, cap: Capability)]

    public init(_ state: AbstractState) {
      self.state = state
      caps = state.capsOfState
    }
  }

  /// The abstract invariants by l4v name, each with its check and, for the conjuncts the
  /// incremental check runs at sites, what it reads there (in the order of `incrementalConjuncts`).
  /// `valid_ioc` is listed before `valid_mdb`, whose check finds it with `mdb_cte_at`.
  public static let invariants: InvariantTable<InvariantInput> = [
    Invariant(
      "valid_objs", conjuncts: ["valid_ntfn", "valid_ep"],
      "objects are well formed: CNode slots below 2^radix, TCB slots hold only what tcb_cap_cases allows, priorities at most 255, scheduling contexts at least 2^7 bytes, a waiting notification's queue is non-empty, distinct and only its bound thread's, an endpoint's queue is non-empty and distinct",
      check: { $0.state.validObjs() }),
    Invariant("pspace_aligned", "every object lies at a multiple of its size", check: { $0.state.pspaceAligned() }),
    Invariant(
      "pspace_distinct", conjuncts: ["in_memory"], "no two objects overlap, and every object lies in memory",
      check: { $0.state.pspaceDistinct() }),
    Invariant(
      "valid_caps", reads: [.cap, .namedObject],
      "every cap names a live object of the right kind and size; untyped caps and CNode guards are well formed",
      check: { $0.state.validCaps($0.caps) }),
    Invariant("valid_ioc", reads: [.cap, .flags], "only filled slots are marked original", checkedWith: "valid_mdb"),
    Invariant(
      "valid_mdb",
      conjuncts: [
        InvariantConjunct("mdb_cte_at", reads: [.cap, .links, .neighbours]),
        InvariantConjunct("no_mloop", reads: [.links]),
        InvariantConjunct("descendants_inc", reads: [.cap, .links, .neighbours]),
        InvariantConjunct("ut_revocable", reads: [.cap, .flags]),
        InvariantConjunct("irq_revocable", reads: [.cap, .flags]),
        // At a cap, against the untypeds around it; at an untyped, against its contents.
        InvariantConjunct("untyped_mdb", reads: [.cap, .ancestry]),
        InvariantConjunct("untyped_mdb", reads: [.region, .contents]),
        InvariantConjunct("untyped_inc", reads: [.cap, .ancestry]),
      ],
      "the derivation tree links filled slots only, has no cycle, and agrees with untyped memory and the original flags",
      check: { $0.state.validMDB($0.caps) }),
    Invariant(
      "if_unsafe_then_cap", reads: [.cap], "every filled slot belongs to a CNode or TCB that some cap names",
      check: { $0.state.ifUnsafeThenCap($0.caps) }),
    // `Invariants+Live.swift`.
    Invariant(
      "if_live_then_nonz_cap", reads: [.cap],
      "every live object (a thread not Inactive or bound to a notification or scheduling context, a notification with waiters or a bound thread, a scheduling context with a thread; the idle thread and its scheduling context are not live) is named by some cap",
      check: { $0.state.ifLiveThenNonzCap($0.caps) }),
    Invariant(
      "no_cap_to_obj_with_diff_ref", reads: [.cap, .sameAddress],
      "caps to the same address agree on the object that lives there",
      check: { $0.state.noCapToObjWithDiffRef($0.caps) }),
    Invariant("cur_tcb", "the current thread (the idle thread's when it runs) is a TCB", check: { $0.state.curTCB() }),
    // The idle thread's (`Invariants+Idle.swift`).
    Invariant(
      "valid_idle",
      "the idle thread is a TCB in IdleThreadState with no bound notification, bound to the idle scheduling context, which is bound back to it",
      check: { $0.state.validIdle() }),
    Invariant("only_idle", "only the idle thread is in IdleThreadState", check: { $0.state.onlyIdle() }),
    // The scheduler's (`Invariants+Sched.swift`).
    Invariant(
      "valid_ready_qs", conjuncts: ["released_sc"],
      "a queued thread is a TCB of its queue's domain and priority that can run, queued once, whose scheduling context is released (active, its head refill ready at cur_time)",
      check: { $0.state.validReadyQs() + $0.state.validReadyQsReleased() }),
    Invariant("ct_not_in_q", "the current thread is in no ready queue", check: { $0.state.ctNotInQ() }),
    Invariant(
      "valid_sched_action", "at kernel exit the action is ResumeCurrentThread and the current thread is runnable",
      check: { $0.state.validSchedAction() }),
    Invariant(
      "valid_blocked",
      "a runnable thread with an active scheduling context is current, the switch target, or in a ready queue or the release queue",
      check: { $0.state.validBlocked() }),
    Invariant(
      "valid_release_q", conjuncts: ["sorted_release_q"],
      "the release queue holds distinct runnable threads with active scheduling contexts, sorted by their head refill's release time",
      check: { $0.state.validReleaseQ() }),
    Invariant(
      "ready_or_release", "no thread is in a ready queue and the release queue at once",
      check: { $0.state.readyOrRelease() }),
    Invariant(
      "active_sc_valid_refills",
      conjuncts: [
        "rr_valid_refills", "sp_valid_refills", "ordered_disjoint", "no_overflow", "window", "bounded_release_time",
      ],
      "every active scheduling context holds refills valid for its configuration: a round-robin one exactly two, the head at least MIN_BUDGET; a sporadic one between one and refillMax, ordered, disjoint, none ending past the largest time, within one period of the head, the head at least MIN_BUDGET, every amount positive, MIN_BUDGET ≤ budget ≤ period ≤ MAX_PERIOD; and its head released at least two maximum periods before the largest time",
      check: { $0.state.activeSCValidRefills() }),
    // l4v-rt's `active_scs_valid` is `active_sc_valid_refills` and this (`Invariants+Sporadic.swift`).
    Invariant(
      "active_scs_valid", "an inactive scheduling context has budget 0, and a sporadic one is active",
      check: { $0.state.activeSCsValid() }),
    Invariant(
      "cur_sc_chargeable",
      "the current thread's scheduling context is cur_sc, and every other thread bound to cur_sc is Inactive",
      check: { $0.state.curSCChargeable() }),
    Invariant(
      "cur_sc_tcb", "cur_sc is a scheduling context whose thread, at kernel exit, is the current thread",
      check: { $0.state.curSCTcb() }),
    // The domain scheduler's (`Invariants+Domain.swift`).
    Invariant(
      "ct_in_cur_domain", "at kernel exit the current thread is the idle thread or of the current domain",
      check: { $0.state.ctInCurDomain() }),
    Invariant(
      "domain_time_left", "with more than one domain, at kernel exit the current domain has time left",
      check: { $0.state.domainTimeLeft() }),
    Invariant(
      "valid_domain_list",
      "the domain schedule has its length, entries of domains the kernel has lasting at most 2^56 − 1 ticks and no time only as end markers, an end marker last, the current index before it, the start index on no end marker",
      check: { $0.state.validDomainList() }),
    Invariant(
      "released_ipc_queues",
      "a thread blocked receiving or on a notification has no scheduling context or a released one; one blocked sending has a Timeout fault and an active one, or none or a released one; one blocked on a reply has none or an active one",
      check: { $0.state.releasedIPCQueues() }),
    Invariant(
      "active_reply_scs", "a scheduling context with a non-empty call stack is active",
      check: { $0.state.activeReplySCs() }),
    Invariant(
      "sym_refs",
      conjuncts: [
        "sc_tcb", "ntfn_queue", "ntfn_bound", "ep_queue", "reply_tcb", "sc_replies", "tcb_yield_to", "ntfn_sc",
      ],
      "a thread names its scheduling context exactly when that names the thread; a thread is in a notification's queue exactly when it is blocked on it; a thread names its bound notification exactly when that names the thread; a thread is in an endpoint's send or receive queue exactly when it is blocked sending or receiving on it; a thread's state names a reply object (receiving with it, waiting for a reply on it) exactly when that object's reply_tcb is the thread; a scheduling context's call stack is headed by a reply that names it, and only that reply names it; a thread's tcb_yield_to and a scheduling context's sc_yield_from name each other, as do a notification's ntfn_sc and a scheduling context's sc_ntfn",
      check: {
        $0.state.symRefsSchedContexts() + $0.state.symRefsNotifications() + $0.state.symRefsEndpoints()
          + $0.state.symRefsReplies() + $0.state.symRefsSCReplies() + $0.state.symRefsSCLinks()
      }),
    // The endpoints' queue order (`Invariants+Endpoint.swift`; l4v-rt `DetSchedInvs_AI.thy`).
    Invariant(
      "sorted_ipc_queues", "every endpoint's queue is in priority order, non-increasing from the head",
      check: { $0.state.sortedIPCQueues() }),
    // The reply objects' (`Invariants+Endpoint.swift`; l4v-rt `Invariants_AI.thy`).
    // The interrupts' (`Invariants+Interrupt.swift`).
    Invariant(
      "valid_irq_node",
      "the IRQ node is a CNode of one slot per line, and a filled slot holds a notification cap of a line that is IRQSignal",
      check: { $0.state.validIRQNode() }),
    Invariant(
      "valid_irq_handlers", "every IRQHandler cap names a line that is IRQSignal",
      check: { $0.state.validIRQHandlers($0.caps) }),
    Invariant(
      "valid_irq_states", "every IRQInactive line is masked", check: { $0.state.validIRQStates() }),
    Invariant(
      "valid_replies",
      "no two threads wait for a reply on one reply object, and a reply object's reply_tcb waits for a reply on it or receives with it",
      check: { $0.state.validReplies() }),
  ]

  /// Every invariant of `invariants`, with its conjuncts, for reports.
  public static let invariantCatalogue: [InvariantDefinition] = invariants.catalogue

  /// Every broken conjunct of the abstract invariants (empty when all hold).
  public func invariantViolations() -> [InvariantViolation] {
    AbstractState.invariants.violations(of: InvariantInput(self))
  }

  // MARK: - Objects

  /// `valid_objs`: CNodes have only slots below `2^radix` (radix 0 is valid: seL4's IRQ-handler
  /// CNodes have one slot, though user retype never makes one, l4v `valid_cs_size`); TCBs only
  /// their five slots, a CNode (or nothing) as CSpace root, endpoints (or nothing) as handlers, and
  /// priorities in range; scheduling contexts are at least `2^7` bytes.
  func validObjs() -> [InvariantViolation] {
    validObjs(of: kheap.sorted(by: { $0.key < $1.key }).map { ($0.key, $0.value) })
  }

  /// `valid_objs` of the objects given (address and object).
  func validObjs(of objects: [(ObjectRef, KernelObject)]) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ text: String) { found.append(InvariantViolation("valid_objs", text)) }
    for (address, object) in objects {
      switch object {
      case .cnode(let cnode):
        for index in cnode.slots.keys.sorted() where index >= bit(cnode.radix) {
          fail("CNode \(hex(address)) has slot \(index) beyond its \(cnode.radix)-bit radix")
        }
      case .tcb(let tcb):
        for (index, cap) in tcb.slots.sorted(by: { $0.key < $1.key }) where !AbstractState.tcbSlotAccepts(index, cap) {
          fail("TCB \(hex(address)) slot \(index) may not hold \(cap)")
        }
        if tcb.priority > KernelConstants.maxPriority || tcb.maxControlledPriority > KernelConstants.maxPriority {
          fail("TCB \(hex(address)) has priority \(tcb.priority), MCP \(tcb.maxControlledPriority) above 255")
        }
      case .schedContext(let sc) where sc.sizeBits < KernelConstants.minSchedContextBits:
        fail("scheduling context \(hex(address)) has only 2^\(sc.sizeBits) bytes")
      case .notification(let ntfn):
        for text in validNtfn(address, ntfn) {
          found.append(InvariantViolation("valid_objs", conjunct: "valid_ntfn", text))
        }
      case .endpoint(let ep):
        for text in validEp(address, ep) {
          found.append(InvariantViolation("valid_objs", conjunct: "valid_ep", text))
        }
      case .reply, .schedContext, .opaque:
        break
      }
    }
    return found
  }

  /// Which caps a TCB slot may hold (`tcb_cap_cases`): a CNode as CSpace root, endpoints as
  /// handlers; the VSpace and IPC-buffer slots take architecture caps this slice does not have.
  static func tcbSlotAccepts(_ index: UInt64, _ cap: Capability) -> Bool {
    switch (TCBSlot(rawValue: index), cap) {
    case (.cspace, .cnode), (.faultHandler, .endpoint), (.timeoutHandler, .endpoint), (.vspace, _), (.ipcBuffer, _):
      return true
    default:
      return false
    }
  }

  /// `pspace_aligned`: every object lies at a multiple of its size.
  func pspaceAligned() -> [InvariantViolation] {
    kheap.sorted { $0.key < $1.key }.compactMap { address, object in
      address & mask(object.sizeBits) == 0
        ? nil
        : InvariantViolation(
          "pspace_aligned", "object at \(hex(address)) is not aligned to its size 2^\(object.sizeBits)")
    }
  }

  /// `pspace_distinct`: no two objects overlap (and each lies in memory).
  func pspaceDistinct() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    let sorted = kheap.sorted { $0.key < $1.key }
    let memoryEnd = memoryBase &+ bit(memorySizeBits) &- 1
    for (address, object) in sorted
    where !AbstractState.isIdleObject(address) && address != IRQConstants.irqNodePtr
      && (address < memoryBase || address &+ mask(object.sizeBits) > memoryEnd)
    {
      found.append(
        InvariantViolation("pspace_distinct", conjunct: "in_memory", "object at \(hex(address)) lies outside memory"))
    }
    for (a, b) in zip(sorted, sorted.dropFirst()) where a.key &+ mask(a.value.sizeBits) >= b.key {
      found.append(
        InvariantViolation(
          "pspace_distinct",
          "object at \(hex(a.key)) (2^\(a.value.sizeBits) bytes) overlaps the object at \(hex(b.key))"))
    }
    return found
  }

  // MARK: - Capabilities

  /// `valid_caps`: every cap names a live object of the right kind and size; untyped caps are
  /// aligned, of a valid size, with the watermark inside; CNode guards fit their guard size.
  func validCaps(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    caps.compactMap { slot, cap in
      capProblem(cap).map { InvariantViolation("valid_caps", "cap \(cap) in \(slot) \($0)") }
    }
  }

  /// What is wrong with `cap` in this state, if anything.
  func capProblem(_ cap: Capability) -> String? {
    switch cap {
    case .untyped(let base, let sizeBits, _, let freeIndex):
      guard sizeBits >= KernelConstants.minUntypedBits && sizeBits <= KernelConstants.maxUntypedBits else {
        return "has a size outside 2^4...2^47"
      }
      if base & mask(sizeBits) != 0 { return "is not aligned to its size" }
      return freeIndex > bit(sizeBits) ? "has its watermark beyond its region" : nil
    case .endpoint(let r, _, _): return endpoint(at: r) != nil ? nil : "names no endpoint"
    case .notification(let r, _, let rights):
      if !rights.isSubset(of: [.read, .write]) { return "has rights beyond Read and Write" }
      return notification(at: r) != nil ? nil : "names no notification"
    case .reply(let r, _):
      guard case .reply? = kheap[r] else { return "names no reply object" }
      return nil
    case .thread(let r): return tcb(at: r) != nil ? nil : "names no TCB"
    case .schedContext(let r, let sizeBits):
      return schedContext(at: r)?.sizeBits == sizeBits ? nil : "names no scheduling context of 2^\(sizeBits) bytes"
    case .cnode(let r, let radix, let guardSize, let capGuard):
      guard case .cnode(let cnode) = kheap[r], cnode.radix == radix else { return "names no CNode of radix \(radix)" }
      if guardSize &+ radix > UInt64(KernelConstants.wordBits) { return "has guard size + radix above 64" }
      return capGuard & ~mask(guardSize) != 0 ? "has a guard wider than its guard size" : nil
    case .null, .schedControl, .irqControl, .irqHandler, .domain:
      return nil
    }
  }

  /// `if_unsafe_then_cap`: every filled slot belongs to a CNode or TCB some cap names, so that
  /// deleting its last cap would find it. An IRQ node slot is named not by a CNode cap but by its
  /// line's IRQHandler caps (l4v `Invariants_AI.thy`: `cte_refs (IRQHandlerCap irq)` is the line's
  /// node slot), so a filled node slot for line i needs some `.irqHandler(irq: i)` cap.
  func ifUnsafeThenCap(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    var named: Set<ObjectRef> = Set(minimumCapacity: caps.count)
    var handled: Set<UInt64> = []
    for (_, cap) in caps {
      switch cap {
      case .cnode(let r, _, _, _), .thread(let r): named.insert(r)
      case .irqHandler(let irq): handled.insert(irq)
      default: break
      }
    }
    return caps.filter {
      $0.slot.container == IRQConstants.irqNodePtr
        ? !handled.contains($0.slot.index) : !named.contains($0.slot.container)
    }.map {
      InvariantViolation("if_unsafe_then_cap", "cap \($0.cap) in \($0.slot) sits in an object no cap names")
    }
  }

  /// Whether some cap in the state is `.irqHandler(irq: irq)`: what names IRQ node slot `irq`
  /// (`if_unsafe_then_cap`).
  func hasIRQHandlerCap(_ irq: UInt64) -> Bool {
    capsOfState.contains { if case .irqHandler(irq) = $0.cap { true } else { false } }
  }

  /// `no_cap_to_obj_with_diff_ref`: caps to the same address agree on what lives there.
  func noCapToObjWithDiffRef(_ caps: [(slot: SlotRef, cap: Capability)]) -> [InvariantViolation] {
    var first: [ObjectRef: (slot: SlotRef, cap: Capability)] = Dictionary(minimumCapacity: caps.count)
    var found: [InvariantViolation] = []
    for (slot, cap) in caps {
      guard case .some = cap.objectRef, !AbstractState.isUntyped(cap), let range = cap.memoryRange else { continue }
      if let seen = first[range.base], let seenRange = seen.cap.memoryRange {
        if !seen.cap.sameObjectAs(cap) || seenRange.sizeBits != range.sizeBits {
          found.append(
            InvariantViolation(
              "no_cap_to_obj_with_diff_ref",
              "caps \(seen.cap) in \(seen.slot) and \(cap) in \(slot) disagree about \(hex(range.base))"))
        }
      } else {
        first[range.base] = (slot, cap)
      }
    }
    return found
  }

  /// `cur_tcb`: the current thread (the idle thread's when it runs) is a TCB.
  func curTCB() -> [InvariantViolation] {
    guard tcb(at: currentThread) == nil else { return [] }
    return [InvariantViolation("cur_tcb", "the current thread \(hex(currentThread)) is not a TCB")]
  }

  static func isUntyped(_ cap: Capability) -> Bool {
    if case .untyped = cap { return true }
    return false
  }
}

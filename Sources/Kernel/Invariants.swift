// The kernel layer's invariants: what must hold of memory after every step, as one table
// (`KernelState.invariants`, KernelABI `Invariant`) in the order the checks run:
//
// - `pspace_aligned'`: every object is aligned to its size;
// - `pspace_in_kernel_mappings'`: every object lies inside simulated memory;
// - `pspace_distinct'`: objects do not overlap;
// - `cur_tcb'`: the current thread is a live TCB;
// - `valid_objs'.valid_cap'`: the two words of every slot of every live CNode and TCB decode;
// - `valid_mdb'.valid_nullcaps`: an empty slot has a null MDB node;
// - `valid_mdb'.no_0`: every MDB link points at a CTE of a live object (the executable spec's
//   name for the same conjunct: no link names what is not a slot);
// - `valid_mdb'.valid_dlist`: prev and next links agree;
// - the scheduler's (`Invariants+Sched.swift`): the ready queues' lists, flags, links and bitmap,
//   and the abstract spec's scheduler invariants primed.
//
// The three `pspace_*` invariants are one pass over the objects, and `valid_objs'` and
// `valid_mdb'` one pass over the slots: each pass reports its invariants' violations in the order
// it meets them. Twins: the same names in `ExecutableSpec/Invariants.swift`.

import Bitwise
public import KernelABI

extension KernelState {
  /// The kernel's invariants by l4v name, each with its check. The kernel's checks are local by
  /// construction (per object, per CTE and the CTEs its links name: `Invariants+Incremental.swift`)
  /// and declare no reads.
  public static let invariants: InvariantTable<KernelState> = [
    Invariant("pspace_aligned'", "every object is aligned to its size", check: { $0.layoutViolations() }),
    Invariant(
      "pspace_in_kernel_mappings'", "every object lies inside simulated memory", checkedWith: "pspace_aligned'"),
    Invariant("pspace_distinct'", "objects do not overlap", checkedWith: "pspace_aligned'"),
    Invariant(
      "cur_tcb'", "the current thread (the idle thread's when it runs) is a live TCB",
      check: { $0.curTCBViolations() }),
    // The idle thread's (`Invariants+Idle.swift`).
    Invariant(
      "valid_idle'",
      "ksIdleThread is the idle TCB, in IdleThreadState with no bound notification, bound to the idle scheduling context, which is bound back to it",
      check: { $0.validIdle() }),
    Invariant("only_idle'", "only the idle thread is in IdleThreadState", check: { $0.onlyIdle() }),
    // The interrupts' (`Invariants+Interrupt.swift`).
    Invariant(
      "valid_irq_node'",
      "the IRQ node is a CNode of one CTE per line, and a filled CTE holds a notification cap of a line that is IRQSignal",
      check: { $0.validIRQNode() }),
    Invariant(
      "valid_irq_handlers'", "every IRQHandler cap names a line that is IRQSignal",
      check: { $0.validIRQHandlers($0.allBackedCTEs) }),
    Invariant(
      "valid_irq_states'", "every IRQ table word is a state, every mask word 0 or 1, every IRQInactive line masked",
      check: { $0.validIRQStates() }),
    Invariant(
      "valid_objs'", conjuncts: ["valid_cap'"],
      "the two words of every slot of every live CNode and TCB decode to a cap",
      check: { $0.slotViolations() }),
    Invariant(
      "valid_mdb'", conjuncts: ["valid_nullcaps", "no_0", "valid_dlist"],
      "empty slots have null MDB nodes, links point at live CTEs, and prev and next links agree",
      checkedWith: "valid_objs'"),
    // `Invariants+Live.swift`.
    Invariant(
      "if_live_then_nonz_cap'",
      "every live object (a thread not Inactive or bound to a notification or scheduling context, a notification with waiters or a bound thread, a scheduling context with a thread; the idle thread and its scheduling context are not live) is named by some cap",
      check: { $0.ifLiveThenNonzCapViolations() }),
    // The scheduler's (`Invariants+Sched.swift`), one pass over the queues and the threads.
    Invariant(
      "sym_heap_sched_pointers",
      "each ready queue and the release queue is a well-formed, loop-free doubly linked list with its head and tail",
      check: { $0.schedInvariantViolations() }),
    Invariant(
      "valid_ready_qs'", conjuncts: ["released_sc"],
      "a queued thread is a TCB of its queue's domain and priority that can run, queued once, whose scheduling context is released (active, its head refill's rTime word at most ksCurTime)",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_queues'", "a thread's tcbQueued flag is set exactly when it is queued",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant("valid_sched_pointers", "a thread in no queue has null links", checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_bitmaps", "each domain's bitmap is well formed and marks exactly the non-empty queues",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant("ct_not_in_q'", "the current thread is in no ready queue", checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_sched_action'", "at kernel exit the action is ResumeCurrentThread and the current thread is runnable",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_blocked'",
      "a runnable thread with an active scheduling context is current, the switch target, or in a ready queue or the release queue",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_release_queue'", conjuncts: ["sorted_release_q"],
      "the release queue holds each thread once, runnable with an active scheduling context, sorted by their head refill's release time, and a thread's tcbInReleaseQueue bit is set exactly when it is in it",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "ready_or_release'",
      "no thread has both tcbQueued and tcbInReleaseQueue, nor is in a ready queue and the release queue",
      checkedWith: "sym_heap_sched_pointers"),
    // The scheduling contexts' refill buffers (`Invariants+Sporadic.swift`), in the same pass.
    Invariant(
      "valid_sched_context'", conjuncts: ["valid_sched_context_size'", "valid_refills'"],
      "a scheduling context is 2^7 to 2^47 bytes, its scRefillMax word is at most its refill_absolute_max, and an active one has its scRefillHead and scRefillTail words below scRefillMax and at most scRefillMax live refills",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "active_sc_valid_refills'",
      conjuncts: [
        "rr_valid_refills", "sp_valid_refills", "ordered_disjoint", "no_overflow", "window", "bounded_release_time",
      ],
      "the live refills of every active scheduling context with well-formed header words are valid for its configuration, as the abstract active_sc_valid_refills says (the budget being their sum)",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "active_scs_valid'", "a scheduling context whose scSporadic word is set is active",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "cur_sc_chargeable'",
      "the current thread's scheduling-context word is ksCurSC, and every other thread whose word names ksCurSC is Inactive",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "cur_sc_tcb'", "ksCurSC is a scheduling context whose scTcb word, at kernel exit, is the current thread",
      checkedWith: "sym_heap_sched_pointers"),
    // The domain scheduler's (`Invariants+Domain.swift`).
    Invariant(
      "ct_idle_or_in_cur_domain'",
      "at kernel exit the current thread is the idle thread or its tcbDomain is ksCurDomain",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "domain_time_left'", "with more than one domain, at kernel exit the ksDomainTime word is above 0",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "valid_dom_schedule'",
      "the ksDomSchedule words have the schedule's length of valid entries, an end marker last, ksDomScheduleIdx before it, ksDomScheduleStart on no end marker",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "released_ipc_queues'",
      "a thread blocked receiving or on a notification has a scheduling-context word of 0 or naming a released context; one blocked sending has a Timeout fault and an active context, or none or a released one; one blocked on a reply has none or an active one",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "active_reply_scs'", "a scheduling context whose scReply word names a reply is active",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "sym_refs'",
      conjuncts: [
        "sc_tcb'", "ntfn_queue'", "ntfn_bound'", "ep_queue'", "reply_tcb'", "sc_replies'", "tcb_yield_to'",
        "ntfn_sc'",
      ],
      "a thread names its scheduling context exactly when that names the thread; a thread is in a notification's queue exactly when its state word blocks it on that notification; a thread names its bound notification exactly when that names the thread; a thread is in an endpoint's queue exactly when its state word blocks it sending (Send queue) or receiving (Recv queue) on that endpoint; a thread's state and tcbBlockingReplyObject words name a reply object exactly when its replyTCB word names the thread; a scheduling context's scReply word and its head reply's replyNext word name each other, as do a reply's replyPrev word and its predecessor's replyNext word; a thread's tcbYieldTo word and a scheduling context's scYieldFrom word name each other, as do a notification's ntfnSchedContext word and a scheduling context's scNotification word",
      checkedWith: "sym_heap_sched_pointers"),
    // The notifications' (`Invariants+Notification.swift`), one pass over the notifications and
    // threads, run with the scheduler's.
    Invariant(
      "valid_ntfn'",
      "a notification's state word decodes, it is Waiting exactly when its queue is not empty, and only its bound thread waits on a bound one",
      checkedWith: "sym_heap_sched_pointers"),
    // The endpoints' (`Invariants+Endpoint.swift`), in the same pass.
    Invariant(
      "valid_ep'", "an endpoint's state bits decode, and it is Idle exactly when its queue is empty",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "sym_heap_ep_pointers",
      "each notification or endpoint queue is a well-formed, loop-free doubly linked list through tcbEPNext/tcbEPPrev with its head and tail; a thread in no queue has null links",
      checkedWith: "sym_heap_sched_pointers"),
    Invariant(
      "sorted_ipc_queues'", "the priorities along every endpoint's queue are non-increasing from the head",
      checkedWith: "sym_heap_sched_pointers"),
    // The reply objects' (`Invariants+Endpoint.swift`), in the same pass.
    Invariant(
      "valid_replies'",
      "no two threads wait for a reply on one reply object, and a reply object's replyTCB word names a thread waiting for a reply on it or receiving with it",
      checkedWith: "sym_heap_sched_pointers"),
  ]

  /// Every invariant of `invariants`, with its conjuncts, for reports.
  public static let invariantCatalogue: [InvariantDefinition] = invariants.catalogue

  /// Every broken conjunct, with the concrete object, slot and values.
  public func invariantViolations() -> [InvariantViolation] { KernelState.invariants.violations(of: self) }

  /// `cur_tcb'`.
  func curTCBViolations() -> [InvariantViolation] {
    guard objects[ksCurThread] != .tcb else { return [] }
    return [.init("cur_tcb'", "the current thread \(hex(ksCurThread)) is not a live TCB")]
  }

  /// `valid_objs'` and `valid_mdb'`, slot by slot: every slot of every live CNode and TCB inside
  /// memory, in address order.
  func slotViolations() -> [InvariantViolation] {
    var violations: [InvariantViolation] = []
    let locator = cteLocator
    // Slots in memory never written are zero words (the null cap, unlinked), which every
    // slot-wise conjunct holds of: only the backed ones are read.
    for (container, kind) in objects.sorted(by: { $0.key < $1.key }) where liesInMemory(container, kind) {
      for cte in backedCTEs(of: container) {
        checkSlot(
          SlotRef(container, (cte &- container) >> KernelConstants.slotBits), cte, locator, &violations)
      }
    }
    return violations
  }

  /// Whether the object of `kind` at `address` lies inside backed memory (`pspace_in_kernel_mappings'`).
  func liesInMemory(_ address: ObjectRef, _ kind: KernelObjectKind) -> Bool {
    let bits = kind.sizeBits
    guard bits < 64 else { return false }
    let size: UInt64 = 1 << bits
    let offset = address &- memory.base
    return address >= memory.base && size <= memory.backedBytes && offset <= memory.backedBytes &- size
  }

  /// `pspace_aligned'`, `pspace_in_kernel_mappings'` and `pspace_distinct'`, object by object in
  /// address order.
  func layoutViolations() -> [InvariantViolation] {
    var violations: [InvariantViolation] = []
    let sorted = objects.sorted { $0.key < $1.key }
    for (address, kind) in sorted {
      let bits = kind.sizeBits
      if bits >= 64 || !UInt64.isAligned(address, bits: bits) {
        violations.append(.init("pspace_aligned'", "\(kind) at \(hex(address)) is not aligned to 2^\(bits)"))
      }
      if !liesInMemory(address, kind) && !KernelState.isIdleObject(address, kind)
        && !KernelState.isIRQNode(address, kind)
      {
        violations.append(.init("pspace_in_kernel_mappings'", "\(kind) at \(hex(address)) lies outside memory"))
      }
    }
    for (a, b) in zip(sorted, sorted.dropFirst()) {
      let bits = a.value.sizeBits
      let (end, overflow) = a.key.addingReportingOverflow(bits >= 64 ? 0 : 1 << bits)
      if bits >= 64 || overflow || end > b.key {
        violations.append(
          .init("pspace_distinct'", "\(a.value) at \(hex(a.key)) overlaps \(b.value) at \(hex(b.key))"))
      }
    }
    return violations
  }

  func checkSlot(
    _ slot: SlotRef, _ cte: UInt64, _ locator: CTELocator, _ violations: inout [InvariantViolation]
  ) {
    let w0 = memory.word(cte)
    let w1 = memory.word(cte &+ ObjectLayout.cteCapWord1)
    let cap = KernelState.decodeCap(w0, w1)
    if cap == nil {
      violations.append(
        .init(
          "valid_objs'", conjunct: "valid_cap'", "slot \(slot) holds words \(hex(w0)), \(hex(w1)) that encode no cap"))
    }
    let node = readMDB(cte)
    if cap == .null {
      if node != .null {
        violations.append(
          .init("valid_mdb'", conjunct: "valid_nullcaps", "empty slot \(slot) has MDB node \(node)"))
      }
      return
    }
    if node.next != 0 {
      if locator.slotRef(ofCTE: node.next) == nil {
        violations.append(
          .init("valid_mdb'", conjunct: "no_0", "slot \(slot)'s next link \(hex(node.next)) is not a live CTE"))
      } else if mdbPrev(node.next) != cte {
        violations.append(
          .init(
            "valid_mdb'", conjunct: "valid_dlist",
            "slot \(slot)'s next \(hex(node.next)) has prev \(hex(mdbPrev(node.next))), not \(hex(cte))"))
      }
    }
    if node.prev != 0 {
      if locator.slotRef(ofCTE: node.prev) == nil {
        violations.append(
          .init("valid_mdb'", conjunct: "no_0", "slot \(slot)'s prev link \(hex(node.prev)) is not a live CTE"))
      } else if mdbNext(node.prev) != cte {
        violations.append(
          .init(
            "valid_mdb'", conjunct: "valid_dlist",
            "slot \(slot)'s prev \(hex(node.prev)) has next \(hex(mdbNext(node.prev))), not \(hex(cte))"))
      }
    }
  }
}

// The invariants hold on the sample and can each be broken: every named conjunct is shown to
// fail on a state corrupted by hand, with the offending slot or address in its explanation.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct InvariantTests {
  let sample = AbstractState(plan: .oneThread)

  /// The `invariant.conjunct` names `state` breaks.
  func broken(_ state: AbstractState) -> Set<String> {
    Set(state.invariantViolations().map { "\($0.invariant).\($0.conjunct)" })
  }

  /// Expect `corrupt` to break `name`, with `detail` in that violation's explanation.
  func expectBroken(
    _ name: String, mentioning detail: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ corrupt: (inout AbstractState) -> Void
  ) {
    var state = sample
    corrupt(&state)
    let matching = state.invariantViolations().filter { "\($0.invariant).\($0.conjunct)" == name }
    #expect(!matching.isEmpty, "expected \(name) among \(broken(state))", sourceLocation: sourceLocation)
    #expect(matching.contains { $0.explanation.contains(detail) }, "\(matching)", sourceLocation: sourceLocation)
  }

  @Test("the sample state satisfies every invariant")
  func sampleHolds() {
    #expect(sample.invariantViolations() == [])
  }

  @Test("valid_objs: a CNode slot beyond the radix; a TCB root that is not a CNode")
  func validObjs() {
    expectBroken("valid_objs.valid_objs", mentioning: "slot 20") { state in
      guard case .cnode(var aux) = state.kheap[S.auxCNode] else { return }
      aux.slots[20] = .domain
      state.kheap[S.auxCNode] = .cnode(aux)
    }
    expectBroken("valid_objs.valid_objs", mentioning: "slot 0") { state in
      state.setCap(mainSlot(.cspace), .domain)
    }
  }

  @Test("pspace_aligned: an endpoint off its 16-byte boundary")
  func pspaceAligned() {
    expectBroken("pspace_aligned.pspace_aligned", mentioning: "0x103018") {
      $0.kheap[0x10_3018] = .endpoint(Endpoint())
    }
  }

  @Test("pspace_distinct: an endpoint inside the TCB; an object outside memory")
  func pspaceDistinct() {
    expectBroken("pspace_distinct.pspace_distinct", mentioning: "0x102800") {
      $0.kheap[0x10_2810] = .endpoint(Endpoint())
    }
    expectBroken("pspace_distinct.in_memory", mentioning: "0x400000") { $0.kheap[0x40_0000] = .endpoint(Endpoint()) }
  }

  @Test("valid_caps: a cap to a missing object, to the wrong kind, a bad untyped")
  func validCaps() {
    expectBroken("valid_caps.valid_caps", mentioning: "(0x100000, 30)") { state in
      state.setCap(S.root(30), .endpoint(0x10_4000, badge: 0, rights: .all))
    }
    expectBroken("valid_caps.valid_caps", mentioning: "names no TCB") { state in
      state.setCap(S.root(30), .thread(S.endpoint))
    }
    expectBroken("valid_caps.valid_caps", mentioning: "watermark") { state in
      state.setCap(S.root(10), .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 1 << 20))
    }
  }

  @Test("valid_mdb.mdb_cte_at and valid_ioc: the tree or the flags name an empty slot")
  func mdbCteAt() {
    expectBroken("valid_mdb.mdb_cte_at", mentioning: "(0x100000, 30)") { $0.cdt[S.root(30)] = S.root(3) }
    expectBroken("valid_ioc.valid_ioc", mentioning: "(0x100000, 31)") { $0.isOriginalCap.insert(S.root(31)) }
  }

  @Test("valid_mdb.no_mloop: a cycle in the derivation tree")
  func noMloop() {
    expectBroken("valid_mdb.no_mloop", mentioning: "(0x100000, 3)") { $0.cdt[S.root(3)] = S.root(14) }
  }

  @Test("valid_mdb.untyped_mdb: an object in untyped memory whose cap does not descend from it")
  func untypedMDB() {
    expectBroken("valid_mdb.untyped_mdb", mentioning: "(0x100000, 30)") { state in
      state.kheap[S.smallUntyped + 0x100] = .endpoint(Endpoint())
      state.setCap(S.root(30), .endpoint(S.smallUntyped + 0x100, badge: 0, rights: .all))
      state.isOriginalCap.insert(S.root(30))
    }
  }

  @Test("valid_mdb.untyped_inc: a region in another's free memory, or a shared region with no full ancestor")
  func untypedInc() {
    expectBroken("valid_mdb.untyped_inc", mentioning: "free memory") { state in
      state.setCap(S.root(30), .untyped(base: S.smallUntyped, sizeBits: 12, isDevice: false, freeIndex: 0))
      state.isOriginalCap.insert(S.root(30))
    }
    expectBroken("valid_mdb.untyped_inc", mentioning: "overlap without nesting") { state in
      state.setCap(S.root(30), .untyped(base: S.smallUntyped + 0x4_0000, sizeBits: 19, isDevice: false, freeIndex: 0))
      state.isOriginalCap.insert(S.root(30))
    }
    expectBroken("valid_mdb.untyped_inc", mentioning: "share a region") { state in
      state.setCap(S.root(30), .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
      state.isOriginalCap.insert(S.root(30))
      state.cdt[S.root(30)] = S.root(10)
    }
  }

  @Test("valid_mdb.untyped_inc: a full region at the top of memory with a copy below it holds")
  func untypedIncAtTopOfMemory() {
    // The free address base + freeIndex of a full region ending at 2^64 wraps to 0; fullness is the
    // free index reaching the size (`usable_untyped_range`), so the copy is no violation.
    var state = sample
    let base: UInt64 = 0xffff_8000_0000_0000
    state.setCap(S.root(30), .untyped(base: base, sizeBits: 47, isDevice: false, freeIndex: 1 << 47))
    state.isOriginalCap.insert(S.root(30))
    state.setCap(S.root(31), .untyped(base: base, sizeBits: 47, isDevice: false, freeIndex: 0))
    state.cdt[S.root(31)] = S.root(30)
    #expect(!broken(state).contains("valid_mdb.untyped_inc"), "\(state.invariantViolations())")
    // Not full, the same pair shares a region with free memory left: broken.
    state.setCap(S.root(30), .untyped(base: base, sizeBits: 47, isDevice: false, freeIndex: 1 << 46))
    #expect(broken(state).contains("valid_mdb.untyped_inc"))
  }

  @Test("valid_mdb.descendants_inc: a notification cap below an endpoint cap")
  func descendantsInc() {
    expectBroken("valid_mdb.descendants_inc", mentioning: "(0x100000, 4)") { $0.cdt[S.root(4)] = S.root(3) }
    expectBroken("valid_mdb.descendants_inc", mentioning: "(0x100000, 7)") { $0.cdt[S.root(7)] = S.root(8) }
  }

  @Test("valid_mdb.ut_revocable and irq_revocable: untyped and IRQControl caps must be original")
  func revocable() {
    expectBroken("valid_mdb.ut_revocable", mentioning: "(0x100000, 10)") { $0.isOriginalCap.remove(S.root(10)) }
    expectBroken("valid_mdb.irq_revocable", mentioning: "(0x100000, 8)") { $0.isOriginalCap.remove(S.root(8)) }
  }

  @Test("if_unsafe_then_cap: caps left in a CNode nobody can name")
  func ifUnsafeThenCap() {
    expectBroken("if_unsafe_then_cap.if_unsafe_then_cap", mentioning: "(0x102000, 0)") { state in
      for slot in [S.root(13), S.aux(3)] {
        state.setCap(slot, .null)
        state.cdt[slot] = nil
        state.isOriginalCap.remove(slot)
      }
    }
  }

  @Test("if_unsafe_then_cap: a filled IRQ node slot whose line has no handler cap")
  func ifUnsafeThenCapAtTheIRQNode() {
    // The line is IRQSignal and the slot holds a notification cap (valid_irq_node holds), but no
    // IRQHandler cap of line 3 names the slot: the state a forgotten deletingIRQHandler leaves.
    let nodeSlot = SlotRef(IRQConstants.irqNodePtr, 3)
    expectBroken("if_unsafe_then_cap.if_unsafe_then_cap", mentioning: "\(nodeSlot)") { state in
      state.interruptStates[3] = .irqSignal
      state.irqMasks[3] = false
      state.setCap(nodeSlot, .notification(S.notification, badge: 0, rights: [.write]))
    }
    // A handler cap of the line names it.
    var handled = sample
    handled.interruptStates[3] = .irqSignal
    handled.irqMasks[3] = false
    handled.setCap(nodeSlot, .notification(S.notification, badge: 0, rights: [.write]))
    handled.setCap(S.root(20), .irqHandler(irq: 3))
    handled.cdt[S.root(20)] = S.root(8)
    #expect(!broken(handled).contains("if_unsafe_then_cap.if_unsafe_then_cap"), "\(broken(handled))")
  }

  @Test("domain_time_left: the current domain has no time left at kernel exit")
  func domainTimeLeft() {
    expectBroken("domain_time_left.domain_time_left", mentioning: "no time left") { $0.domainTime = 0 }
    var pending = sample
    pending.domainTime = 0
    pending.schedulerAction = .chooseNewThread
    #expect(!broken(pending).contains("domain_time_left.domain_time_left"))
  }

  @Test("no_cap_to_obj_with_diff_ref: two caps disagree about the object at one address")
  func noCapToObjWithDiffRef() {
    expectBroken("no_cap_to_obj_with_diff_ref.no_cap_to_obj_with_diff_ref", mentioning: "0x103100") { state in
      state.setCap(S.root(30), .schedContext(S.schedContext, sizeBits: 9))
    }
  }

  @Test("cur_tcb: the current thread must be a TCB")
  func curTCB() {
    expectBroken("cur_tcb.cur_tcb", mentioning: "0x103000") { $0.currentThread = S.endpoint }
  }
}

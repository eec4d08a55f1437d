// Each invariant conjunct holds on the sample and after scenarios, and each one can fail: a
// hand-corrupted state must be reported under the right name with concrete slots.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct InvariantTests {
  /// The conjuncts `state` reports as broken.
  func broken(_ state: ExecState) -> Set<String> { Set(state.invariantViolations().map(\.conjunct)) }

  /// The sample's endpoint chain followed by its notification chain, physical-class caps that
  /// can share one list (each root of the plan's tree starts a chain of its own, so the chain
  /// through `root(1)` holds the thread cap alone).
  var physical: [SlotRef] { ExecState.sample.list(from: S.root(3)) + ExecState.sample.list(from: S.root(4)) }

  @Test func holdAfterAMixedScenario() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(11, .capTable, sizeBits: 2, offset: 20)))
    expectSuccess(state.run(cnodeMint(.root(21), from: .root(3), data: 3)))
    expectSuccess(state.run(cnodeCopy(.root(22), from: .root(21))))
    expectSuccess(state.run(cnodeMove(.root(23), from: .root(21))))
    expectSuccess(state.run(cnodeDelete(.root(23))))
    #expect(state.cte(at: S.root(22))?.mdb.firstBadged == true)
    expectSuccess(state.run(cnodeRevoke(.root(11))))
    #expect(state.invariantViolations() == [])
  }

  @Test func validDlist() {
    var state = ExecState.sample
    state.updateMDB(S.aux(0)) { $0.prev = S.root(4) }
    let violations = state.invariantViolations().filter { $0.conjunct == "valid_dlist" }
    #expect(violations.contains { $0.explanation.contains("prev of \(S.aux(0)) is \(S.root(4))") })
  }

  @Test func no0() {
    var state = ExecState.sample
    state.updateMDB(S.root(13)) { $0.next = SlotRef(0xdead_0000, 0) }
    #expect(broken(state).contains("no_0"))
  }

  @Test func mdbChain0() throws {
    var state = ExecState.sample
    let list = physical
    state.relink(list)
    let last = try #require(list.last)
    let first = try #require(list.first)
    state.updateMDB(last) { $0.next = first }
    state.updateMDB(first) { $0.prev = last }
    #expect(broken(state).contains("mdb_chain_0"))
    #expect(!broken(state).contains("valid_dlist"))
  }

  @Test func validBadges() {
    var state = ExecState.sample
    state.updateMDB(S.aux(0)) { $0.firstBadged = false }
    let violation = state.invariantViolations().first { $0.conjunct == "valid_badges" }
    #expect(violation?.explanation.contains("\(S.aux(0)) (badge 5) follows \(S.root(3)) (badge 0)") == true)
  }

  @Test func capsContained() {
    var state = ExecState.sample
    // An untyped over the first 4 KiB of the 8 KiB root CNode.
    state.setCap(S.root(10), .untyped(base: S.rootCNode, sizeBits: 12, isDevice: false, freeIndex: 1 << 12))
    #expect(broken(state).contains("caps_contained'"))
  }

  @Test func mdbChunked() throws {
    var state = ExecState.sample
    // The notification copy moved out of its own list, between the badge-5 EP caps.
    let endpoints = state.list(from: state.head(of: S.root(3)))
    let notifications = state.list(from: state.head(of: S.root(4)))
    #expect(endpoints.contains(S.root(14)) && notifications.contains(S.aux(1)))
    var order = endpoints
    let at = try #require(order.firstIndex(of: S.root(14)))
    order.insert(S.aux(1), at: at)
    state.relink(notifications.filter { $0 != S.aux(1) })
    state.relink(order)
    #expect(broken(state).contains("mdb_chunked"))
    #expect(broken(state).isDisjoint(with: ["valid_dlist", "mdb_chain_0", "class_links"]))
  }

  @Test func mdbChunkedAcrossLists() {
    var state = ExecState.sample
    // Cut the list between two copies of the root CNode cap (aux slot 2 and the TCB's CSpace slot):
    // both halves are well-formed lists, but same-region caps now sit in different ones.
    let tcbCSpace = SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)
    state.updateMDB(S.aux(2)) { $0.next = nil }
    state.updateMDB(tcbCSpace) { $0.prev = nil }
    let violations = state.invariantViolations()
    #expect(violations.contains { $0.conjunct == "mdb_chunked" && $0.explanation.contains("different lists") })
  }

  @Test func untypedMDB() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .endpoint, offset: 20)))
    // The new cap moved out of the untyped's run, behind another untyped that does not cover it.
    let order = state.list(from: S.root(10)).filter { $0 != S.root(20) } + [S.root(11), S.root(20)]
    state.relink(order)
    #expect(broken(state).contains("untyped_mdb'"))
  }

  @Test func untypedInc() {
    var state = ExecState.sample
    expectSuccess(state.run(retype(10, .untyped, sizeBits: 12, offset: 20)))
    // The parent forgets the child's memory: the child now lies in the parent's free part.
    state.setCap(S.root(10), .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0))
    let violation = state.invariantViolations().first { $0.conjunct == "untyped_inc'" }
    #expect(violation?.explanation.contains("free part of \(S.root(10))") == true)
  }

  @Test func validNullcaps() {
    var state = ExecState.sample
    state.updateMDB(S.root(40)) { $0.revocable = true }
    #expect(broken(state) == ["valid_nullcaps"])
  }

  @Test func utRevocable() {
    var state = ExecState.sample
    state.updateMDB(S.root(12)) { $0.revocable = false }
    #expect(broken(state) == ["ut_revocable'"])
  }

  @Test func classLinks() {
    var state = ExecState.sample
    var order = physical
    order.insert(S.root(8), at: 1)
    state.relink(order)
    #expect(broken(state).contains("class_links"))
  }

  @Test func irqControl() {
    var state = ExecState.sample
    state.setCap(S.root(40), .irqControl)
    let violations = state.invariantViolations().filter { $0.conjunct == "irq_control" }
    #expect(violations.count == 2)
  }

  @Test func pspaceAlignedDistinctAndInMemory() {
    var state = ExecState.sample
    state.ksPSpace[0x10_3008] = .endpoint(.idleEP)
    #expect(broken(state).contains("pspace_aligned'"))
    #expect(broken(state).contains("pspace_distinct'"))
    var outside = ExecState.sample
    outside.ksPSpace[0x40_0000] = .reply(Reply())
    #expect(broken(outside) == ["pspace_in_kernel_mappings'"])
  }

  @Test func validObjs() {
    var state = ExecState.sample
    state.ksPSpace[S.auxCNode] = .cnode(CNode(radix: 4, ctes: [.null]))
    state.ksPSpace[S.reply] = nil
    let explanations = state.invariantViolations().filter { $0.invariant == "valid_objs'" }.map(\.explanation)
    #expect(explanations.contains { $0.contains("has 1 slots, radix 4") })
    #expect(explanations.contains { $0.contains("cap in \(S.root(5)): names no object") })
  }

  @Test func curTCB() {
    var state = ExecState.sample
    state.ksCurThread = S.endpoint
    // The main thread, no longer current and in no queue, is lost as well (`valid_blocked'`), and
    // ksCurSC, still its context, is neither the current thread's nor free of other threads
    // (`cur_sc_tcb'`, `cur_sc_chargeable'`).
    #expect(Set(broken(state)) == ["cur_tcb'", "valid_blocked'", "cur_sc_tcb'", "cur_sc_chargeable'"])
  }

  // MARK: - Scheduling contexts (`Invariants+Sporadic.swift`)

  /// The sample with a sporadic scheduling context (`secondSC`: 2,500 ticks every 10,000, room
  /// for four refills) and round-robin ones.
  static let sporadic = ExecState(plan: .sampleWithSporadicSC)

  /// `invariant.conjunct` for each violation of `state`.
  func named(_ state: ExecState) -> [String] {
    state.invariantViolations().map { "\($0.invariant).\($0.conjunct)" }
  }

  /// `sporadic` with `change` made to the scheduling context at `sc`.
  func changing(_ sc: ObjectRef, _ change: (inout SchedContext) -> Void) -> ExecState {
    var state = Self.sporadic
    state.updateSchedContext(sc, change)
    return state
  }

  /// `sporadic` with the slots of `sc`'s buffer at `indices` set to `refills`.
  func withRefills(_ sc: ObjectRef, _ refills: [UInt64: Refill<UInt64>]) -> ExecState {
    changing(sc) { context in
      var buffer = context.refillBuffer(atLeast: context.refillMax)
      for (index, refill) in refills { buffer.slots[Int(index)] = refill }
      context.setRefillBuffer(buffer)
    }
  }

  @Test func validSchedContextFailsOnEachIndexWord() {
    #expect(Self.sporadic.invariantViolations() == [])
    let shape = ["valid_sched_context'.valid_refills'"]
    #expect(named(changing(S.secondSC) { $0.scRefillHead = 4 }) == shape)
    #expect(named(changing(S.secondSC) { $0.scRefillTail = 7 }).allSatisfy(shape.contains))
    #expect(!named(changing(S.secondSC) { $0.scRefillTail = 7 }).isEmpty)
    // The round-robin context of 2^8 bytes has ten slots: eleven do not fit.
    #expect(named(changing(S.schedContext) { $0.refillMax = 11 }) == shape)
    #expect(named(changing(S.schedContext) { $0.refillMax = 10 }).allSatisfy { !$0.hasPrefix("valid_sched_context'") })
    // An inactive context's indices are not read.
    #expect(
      named(
        changing(S.secondSC) {
          $0.refillMax = 0
          $0.scRefillHead = 9
        }
      ).allSatisfy {
        !$0.hasPrefix("valid_sched_context'") && !$0.hasPrefix("active_sc_valid_refills'")
      })
    let tooBig = named(changing(S.secondSC) { $0.sizeBits = 48 })
    #expect(tooBig.contains("valid_sched_context'.valid_sched_context_size'"), "\(tooBig)")
  }

  @Test func activeSCValidRefillsFailsOnTheWindowOnly() {
    // The sporadic head below MIN_BUDGET (and so the budget below it): `sp_valid_refills`.
    #expect(
      named(withRefills(S.secondSC, [0: Refill(rTime: 0, rAmount: 10)])).allSatisfy {
        $0 == "active_sc_valid_refills'.sp_valid_refills"
      })
    #expect(!named(withRefills(S.secondSC, [0: Refill(rTime: 0, rAmount: 10)])).isEmpty)
    // Two live refills that overlap: `ordered_disjoint`.
    let overlapping = changing(S.secondSC) { context in
      var buffer = context.refillBuffer(atLeast: context.refillMax)
      buffer.slots[0] = Refill(rTime: 0, rAmount: 1_000)
      buffer.slots[1] = Refill(rTime: 500, rAmount: 1_500)
      buffer.tail = 1
      context.setRefillBuffer(buffer)
    }
    #expect(named(overlapping) == ["active_sc_valid_refills'.ordered_disjoint"])
    // The round-robin context's head below MIN_BUDGET: `rr_valid_refills`.
    #expect(
      named(withRefills(S.schedContext, [0: Refill(rTime: 0, rAmount: 5)])).allSatisfy {
        $0 == "active_sc_valid_refills'.rr_valid_refills"
      })
    #expect(!named(withRefills(S.schedContext, [0: Refill(rTime: 0, rAmount: 5)])).isEmpty)
    // Garbage outside the window is not read.
    #expect(named(withRefills(S.secondSC, [2: Refill(rTime: 7, rAmount: 0)])) == [])
  }

  /// `domain_time_left'`: at kernel exit with no domain time left is caught; with a reschedule
  /// pending it is not kernel exit yet.
  @Test func domainTimeLeftFailsOnAnExpiredDomainAtExit() {
    var state = ExecState.sample
    state.ksDomainTime = 0
    #expect(state.invariantViolations().map(\.invariant).contains("domain_time_left'"))
    state.ksSchedulerAction = .chooseNewThread
    #expect(!state.invariantViolations().map(\.invariant).contains("domain_time_left'"))
  }
}

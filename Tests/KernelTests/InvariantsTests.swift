import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct InvariantsTests {
  func conjuncts(_ s: KernelState) -> Set<String> { Set(s.invariantViolations().map(\.conjunct)) }

  @Test func theSampleSatisfiesEveryInvariant() {
    #expect(KernelState.sample.invariantViolations() == [])
  }

  @Test func aCorruptCapWordIsReported() {
    var s = KernelState.sample
    s.store(S.rootCNode + 20 * 32, 1 << 59)
    let v = s.invariantViolations()
    #expect(v.count == 1)
    #expect(v.first?.conjunct == "valid_cap'")
    #expect(v.first?.explanation.contains("(0x100000, 20)") == true)
  }

  @Test func aDanglingLinkIsReported() {
    var s = KernelState.sample
    // root 3's next link to an address that is no CTE of a live object.
    let word = s.load(S.rootCNode + 3 * 32 + 24) ?? 0
    s.store(S.rootCNode + 3 * 32 + 24, ObjectLayout.mdbNext.set(word, to: 0x1F_0000 >> 2))
    #expect(conjuncts(s).contains("no_0"))
    // A prev link that is not a CTE.
    var t = KernelState.sample
    t.store(S.rootCNode + 3 * 32 + 16, S.endpoint)
    #expect(conjuncts(t).contains("no_0"))
  }

  @Test func disagreeingLinksAreReported() {
    var s = KernelState.sample
    s.store(S.auxCNode + 0 * 32 + 16, S.rootCNode + 5 * 32)
    #expect(conjuncts(s).contains("valid_dlist"))
  }

  @Test func anEmptySlotWithLinksIsReported() {
    var s = KernelState.sample
    s.store(S.rootCNode + 40 * 32 + 16, S.rootCNode + 3 * 32)
    #expect(conjuncts(s) == ["valid_nullcaps"])
  }

  @Test func objectPlacementIsChecked() {
    var misaligned = KernelState.sample
    misaligned.objects[0x1F_0008] = .endpoint
    #expect(conjuncts(misaligned) == ["pspace_aligned'"])
    var outside = KernelState.sample
    outside.objects[0x40_0000] = .endpoint
    #expect(conjuncts(outside) == ["pspace_in_kernel_mappings'"])
    var overlapping = KernelState.sample
    overlapping.objects[S.mainTCB + 0x100] = .endpoint
    #expect(conjuncts(overlapping).contains("pspace_distinct'"))
    var noThread = KernelState.sample
    noThread.ksCurThread = S.endpoint
    // The main thread, no longer current and in no queue, is lost as well (`valid_blocked'`), and
    // ksCurSC, still its context, is neither the current thread's nor free of other threads
    // (`cur_sc_tcb'`, `cur_sc_chargeable'`).
    #expect(Set(conjuncts(noThread)) == ["cur_tcb'", "valid_blocked'", "cur_sc_tcb'", "cur_sc_chargeable'"])
  }

  // MARK: - Scheduling contexts (`Invariants+Sporadic.swift`)

  /// The sample with a sporadic scheduling context (`secondSC`: 2,500 ticks every 10,000, room
  /// for four refills) and round-robin ones.
  static let sporadic = KernelState(plan: .sampleWithSporadicSC)

  /// `invariant.conjunct` for each violation of `state`.
  func named(_ state: KernelState) -> [String] {
    state.invariantViolations().map { "\($0.invariant).\($0.conjunct)" }
  }

  /// `sporadic` with the word at byte `offset` of `sc` set to `value`.
  func storing(_ sc: ObjectRef, _ offset: UInt64, _ value: UInt64) -> KernelState {
    var state = Self.sporadic
    state.store(sc &+ offset, value)
    return state
  }

  /// `sporadic` with refill `index` of `sc` set to `refill`.
  func storing(_ sc: ObjectRef, refill index: UInt64, _ refill: Refill<UInt64>) -> KernelState {
    var state = Self.sporadic
    state.store(ObjectLayout.refillAddress(sc, index), refill.rTime)
    state.store(ObjectLayout.refillAddress(sc, index) &+ 8, refill.rAmount)
    return state
  }

  @Test func validSchedContextFailsOnEachIndexWord() {
    #expect(Self.sporadic.invariantViolations() == [])
    let shape = ["valid_sched_context'.valid_refills'"]
    #expect(named(storing(S.secondSC, ObjectLayout.scRefillHead, 4)) == shape)
    let tail = named(storing(S.secondSC, ObjectLayout.scRefillTail, 7))
    #expect(!tail.isEmpty && tail.allSatisfy(shape.contains), "\(tail)")
    // The round-robin context of 2^8 bytes has ten slots: eleven do not fit, and a window that
    // claims them is not read (a refill index past the object never is).
    #expect(named(storing(S.schedContext, ObjectLayout.scRefillMax, 11)) == shape)
    var huge = storing(S.schedContext, ObjectLayout.scRefillMax, .max)
    huge.store(S.schedContext &+ ObjectLayout.scRefillTail, .max &- 1)
    #expect(named(huge) == shape)
    #expect(huge.refillWindow(of: S.schedContext).count <= 10)
    #expect(
      named(storing(S.schedContext, ObjectLayout.scRefillMax, 10)).allSatisfy { !$0.hasPrefix("valid_sched_context'") })
    // An inactive context's indices are not read.
    var inactive = storing(S.secondSC, ObjectLayout.scRefillMax, 0)
    inactive.store(S.secondSC &+ ObjectLayout.scRefillHead, 9)
    #expect(
      named(inactive).allSatisfy { !$0.hasPrefix("valid_sched_context'") && !$0.hasPrefix("active_sc_valid_refills'") })
  }

  @Test func activeSCValidRefillsFailsOnTheWindowOnly() {
    // The sporadic head below MIN_BUDGET (and so the budget below it): `sp_valid_refills`.
    let starved = named(storing(S.secondSC, refill: 0, Refill(rTime: 0, rAmount: 10)))
    #expect(!starved.isEmpty && starved.allSatisfy { $0 == "active_sc_valid_refills'.sp_valid_refills" })
    // Two live refills that overlap: `ordered_disjoint`.
    var overlapping = storing(S.secondSC, refill: 0, Refill(rTime: 0, rAmount: 1_000))
    overlapping.store(ObjectLayout.refillAddress(S.secondSC, 1), 500)
    overlapping.store(ObjectLayout.refillAddress(S.secondSC, 1) &+ 8, 1_500)
    overlapping.store(S.secondSC &+ ObjectLayout.scRefillTail, 1)
    #expect(named(overlapping) == ["active_sc_valid_refills'.ordered_disjoint"])
    // The round-robin context's head below MIN_BUDGET: `rr_valid_refills`.
    let rr = named(storing(S.schedContext, refill: 0, Refill(rTime: 0, rAmount: 5)))
    #expect(!rr.isEmpty && rr.allSatisfy { $0 == "active_sc_valid_refills'.rr_valid_refills" })
    // Garbage outside the window is not read.
    #expect(named(storing(S.secondSC, refill: 2, Refill(rTime: 7, rAmount: 0))) == [])
  }

  /// `domain_time_left'`: a ksDomainTime word of 0 at kernel exit is caught.
  @Test func domainTimeLeftFailsOnAnExpiredDomainAtExit() {
    var s = KernelState.sample
    #expect(!conjuncts(s).contains("domain_time_left'"))
    s.ksDomainTime = 0
    #expect(s.invariantViolations().map(\.invariant).contains("domain_time_left'"))
  }
}

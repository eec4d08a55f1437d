// `if_live_then_nonz_cap` in every layer (`Invariants+Live.swift` in AbstractSpec, ExecutableSpec
// and Kernel): it holds on the built-in systems at step 0; emptying the only slot that names a
// live thread (seL4's `emptySlot` without the `finaliseCap` that would suspend it) breaks it in
// each layer, and the lockstep checker's incremental check reports it exactly as the full check
// does, with and without the relations.

import KernelABI
import TestSupport
import Testing

@testable import AbstractSpec
@testable import ExecutableSpec
@testable import Kernel
@testable import Refinement

@Suite struct LiveInvariantTests {
  typealias T = SystemPlan.Threads
  static let names = ["if_live_then_nonz_cap", "if_live_then_nonz_cap'"]

  /// The violations of `if_live_then_nonz_cap` (primed or not) among `violations`.
  static func live(_ violations: [InvariantViolation]) -> [InvariantViolation] {
    violations.filter { names.contains($0.invariant) }
  }

  /// The built-in systems: the sample (and its one-thread cut), the small systems of exhaustive
  /// exploration (with and without the server's reply object), and the large-CSpace benchmark's. (`Systems/sample.cdl`, the sample as capDL,
  /// is the default run's system: `refine-check` checks it at step 0.)
  static func builtIns() -> [(String, SystemPlan)] {
    [
      ("sample", .sample), ("oneThread", .oneThread), ("small", .small), ("smallIPC", .smallIPC),
      ("largeCSpace", LargeCSpaceWorkload.plan),
    ]
  }

  @Test func holdsOnTheBuiltInSystems() {
    for (name, plan) in Self.builtIns() {
      #expect(Self.live(AbstractState(plan: plan).invariantViolations()).isEmpty, "\(name)")
      #expect(Self.live(ExecState(plan: plan).invariantViolations()).isEmpty, "\(name)")
      #expect(Self.live(KernelState(plan: plan).invariantViolations()).isEmpty, "\(name)")
    }
  }

  /// The sample's root slot holding the only cap to the second thread (ready, bound to its
  /// scheduling context: live).
  static let secondSlot = S.root(T.secondSlot)

  @Test func anUnnamedLiveThreadIsCaughtInEachLayer() throws {
    var abstract = AbstractState(plan: .sample)
    #expect(abstract.capsOfState.filter { AbstractState.zobjRef($0.cap) == T.second }.map(\.slot) == [Self.secondSlot])
    abstract.emptySlot(Self.secondSlot)
    #expect(
      Self.live(abstract.invariantViolations()).map(\.explanation) == [
        // Restart: started and not yet run (`SystemPlan.startOrder`).
        "thread (restart, notification none, scheduling context \(hex(T.secondSC))) \(hex(T.second)) is live but no cap names it"
      ])

    var exec = ExecState(plan: .sample)
    exec.emptySlot(Self.secondSlot)
    #expect(Self.live(exec.invariantViolations()).count == 1)
    #expect(exec.invariantViolations().count == 1)

    var kernel = KernelState(plan: .sample)
    let cte = try #require(kernel.cteAddress(of: Self.secondSlot))
    kernel.emptySlot(cte)
    #expect(Self.live(kernel.invariantViolations()).map(\.explanation).count == 1)
    #expect(kernel.invariantViolations().count == 1)
  }

  /// Its scheduling context, once its thread is gone from every cap, is live too (bound to a
  /// thread); emptying the slot of its only cap as well breaks the invariant twice.
  @Test func anUnnamedBoundSchedContextIsCaught() {
    var abstract = AbstractState(plan: .sample)
    abstract.emptySlot(S.root(T.secondSCSlot))
    #expect(Self.live(abstract.invariantViolations()).map(\.explanation).contains { $0.contains(hex(T.secondSC)) })
    abstract.emptySlot(Self.secondSlot)
    #expect(Self.live(abstract.invariantViolations()).count == 2)
  }

  /// Empty the only slot naming the second thread's scheduling context (bound to the thread, so
  /// live; it holds no slots, so no other invariant minds) in all three layers, after a verified
  /// step 0: the relations still hold (every layer did the same), and the lockstep checker's
  /// incremental check reports `if_live_then_nonz_cap` as the full check does; with the relations
  /// left out, each layer's own check catches it there.
  @Test func theLockstepCheckCatchesABoundSchedContextLeftWithoutCaps() throws {
    let slot = S.root(T.secondSCSlot)
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    checker.abstract.emptySlot(slot)
    checker.exec.emptySlot(slot)
    let cte = try #require(checker.kernel.cteAddress(of: slot))
    checker.kernel.emptySlot(cte)
    var incremental = checker
    let caught = incremental.checkIncremental(event: nil)
    #expect(caught == checker.checkFull(event: nil))
    #expect(
      caught?.kind == .invariant && caught?.layer == "AbstractSpec" && caught?.name == "if_live_then_nonz_cap",
      "\(String(describing: caught))")
    for layer in ["AbstractSpec", "ExecutableSpec", "Kernel"] {
      var one = LockstepChecker(plan: .sample)
      one.checksRelations = false
      #expect(one.verify() == nil)
      switch layer {
      case "AbstractSpec": one.abstract.emptySlot(slot)
      case "ExecutableSpec": one.exec.emptySlot(slot)
      default: one.kernel.emptySlot(cte)
      }
      var oneIncremental = one
      let found = oneIncremental.checkIncremental(event: nil)
      #expect(found == one.checkFull(event: nil), "\(layer)")
      #expect(found?.layer == layer && found?.name.hasPrefix("if_live_then_nonz_cap") == true, "\(layer)")
    }
  }

  /// The planted bug `abstractDeleteKeepsObject` (the abstract spec's `finalise_cap` does nothing,
  /// so the final cap goes and its object stays): CNode_Delete of the only cap to the second
  /// thread's scheduling context leaves it, bound to its thread, with no cap. R2 sees the abstract
  /// spec keep what the others removed; with the relations left out, the abstract spec's
  /// `if_live_then_nonz_cap` catches the same step, incrementally as in full.
  @Test func thePlantedDeleteKeepsObjectBugBreaksItInTheAbstractSpec() {
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = .abstractDeleteKeepsObject
    let delete = cnodeDelete(.root(T.secondSCSlot))
    var checker = LockstepChecker(plan: .sample, kernel: kernel)
    #expect(checker.verify() == nil)
    #expect(checker.step(delete).failure?.kind == .r2)
    var invariantsOnly = LockstepChecker(plan: .sample, kernel: kernel)
    invariantsOnly.checksRelations = false
    #expect(invariantsOnly.verify() == nil)
    let failure = invariantsOnly.step(delete).failure
    #expect(
      failure?.layer == "AbstractSpec" && failure?.name == "if_live_then_nonz_cap", "\(String(describing: failure))")
    // The same step without the bug keeps every invariant.
    var clean = LockstepChecker(plan: .sample)
    clean.checksRelations = false
    #expect(clean.verify() == nil)
    #expect(clean.step(delete).failure == nil)
  }
}

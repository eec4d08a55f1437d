// `sc_relation` and the time globals: R1 and R2 hold at step 0 for every built-in plan, and every
// clause can fail: a scheduling-context word, a refill slot (garbage included) or a time global
// changed in one layer is reported by the relation that reads it, in both check modes.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct SchedContextRelationTests {
  typealias Mode = LockstepChecker.Mode

  /// Every plan the package builds in, and the sporadic variant of the sample.
  static let plans: [(String, SystemPlan)] = [
    ("sample", .sample), ("oneThread", .oneThread), ("idleSample", .idleSample),
    ("sampleWithServer", .sampleWithServer),
    ("small", .small), ("smallIPC", .smallIPC), ("largeCSpace", LargeCSpaceWorkload.plan),
    ("roundTrip", RoundTripBench.plan), ("sampleWithSporadicSC", .sampleWithSporadicSC),
  ]

  @Test(arguments: plans.map(\.0))
  func relationsHoldAtStepZero(name: String) throws {
    let plan = try #require(Self.plans.first { $0.0 == name }?.1)
    // (The large-CSpace workload starts a thread with no configured scheduling context, which
    // validation already refused before time; none is refused for its configuration.)
    #expect(!plan.validate().contains { $0.contains("SchedControl_ConfigureFlags") })
    var checker = LockstepChecker(plan: plan)
    #expect(checker.relationFailure(event: nil) == nil)
    #expect(checker.verify() == nil)
  }

  /// The sporadic sample after one verified step, so the incremental check has a verified state.
  func checker(_ mode: Mode) -> LockstepChecker {
    var checker = LockstepChecker(plan: .sampleWithSporadicSC)
    checker.mode = mode
    // IRQControl_Get for line 1 (a kernel entry, verified), so that the tests' `.interrupt(irq: 1)`
    // arrives on an issued, unmasked line and enters the kernel: updateTimestamp, checkBudget,
    // handleInterrupt (no notification bound: the line is masked), schedule.
    #expect(checker.step(InterruptTests.issue(1)).failure == nil)
    return checker
  }

  /// R1: each header word the relation lifts, each live refill and a garbage slot, and each time
  /// global, changed in the kernel's memory alone.
  static let kernelWords: [(String, UInt64)] = [
    ("scPeriod", S.secondSC &+ ObjectLayout.scPeriod), ("scConsumed", S.secondSC &+ ObjectLayout.scConsumed),
    ("scBadge", S.secondSC &+ ObjectLayout.scBadge), ("scYieldFrom", S.secondSC &+ ObjectLayout.scYieldFrom),
    ("scRefillHead", S.secondSC &+ ObjectLayout.scRefillHead),
    ("scRefillTail", S.secondSC &+ ObjectLayout.scRefillTail), ("scSporadic", S.secondSC &+ ObjectLayout.scSporadic),
    ("rAmount[0]", ObjectLayout.refillAddress(S.secondSC, 0) &+ 8),
    ("rTime[0]", ObjectLayout.refillAddress(S.secondSC, 0)),
    ("garbage rTime[9]", ObjectLayout.refillAddress(S.secondSC, 9)),
    ("idle rAmount[1]", ObjectLayout.refillAddress(KernelConstants.idleSCPtr, 1) &+ 8),
    ("ksCurSC", GlobalsLayout.frame &+ GlobalsLayout.ksCurSC),
    ("ksCurTime", GlobalsLayout.frame &+ GlobalsLayout.ksCurTime),
    ("ksConsumed", GlobalsLayout.frame &+ GlobalsLayout.ksConsumed),
    ("ksReprogram", GlobalsLayout.frame &+ GlobalsLayout.ksReprogram),
    ("clock", GlobalsLayout.frame &+ GlobalsLayout.clock),
    ("deadline", GlobalsLayout.frame &+ GlobalsLayout.deadline),
  ]

  @Test(arguments: kernelWords.map(\.0), [Mode.incremental, .full])
  func aKernelWordChangedAloneBreaksR1(name: String, mode: Mode) throws {
    let address = try #require(Self.kernelWords.first { $0.0 == name }?.1)
    var checker = checker(mode)
    checker.kernel.store(address, 1)
    #expect(checker.relationFailure(event: nil)?.kind == .r1)
    let failure = checker.step(.interrupt(irq: 1)).failure
    if Self.rewrittenByEveryEntry.contains(name) {
      // `schedule` ends every kernel entry by making the current thread's context `ksCurSC` and
      // clearing `ksReprogram`, in both layers: the step itself repairs the word.
      #expect(failure == nil, "\(failure.map { "\($0)" } ?? "none")")
    } else if name == "ksCurTime" {
      // The interrupt entry's updateTimestamp charges the clock minus the corrupt ksCurTime: the
      // kernel then decides the budget otherwise than the executable spec, which the checker sees
      // in the observation before it compares the states.
      #expect(failure?.kind == .observation || failure?.kind == .r1, "\(failure.map { "\($0)" } ?? "none")")
    } else {
      #expect(failure?.kind == .r1, "\(failure.map { "\($0)" } ?? "none")")
    }
  }

  /// The globals every kernel entry writes afresh (`switchSchedContext`, `schedule`).
  static let rewrittenByEveryEntry: Set<String> = ["ksCurSC", "ksReprogram", "curSC", "reprogramTimer"]

  /// A `ksReprogram` word that is no `bool_t` does not lift.
  @Test func aReprogramWordThatIsNoBoolDoesNotLift() {
    var checker = checker(.full)
    checker.kernel.store(GlobalsLayout.frame &+ GlobalsLayout.ksReprogram, 2)
    #expect(checker.kernel.lift().problems.contains { $0.contains("ksReprogram is 0x2") })
  }

  /// A `scSporadic` word that is no `bool_t` does not lift.
  @Test func aSporadicWordThatIsNoBoolDoesNotLift() {
    var checker = checker(.full)
    checker.kernel.store(S.secondSC &+ ObjectLayout.scSporadic, 2)
    #expect(checker.kernel.lift().problems.contains { $0.contains("scSporadic is 2") })
  }

  /// R2: each field changed in the abstract spec alone (the exec and kernel still agree).
  static let abstractChanges: [(String, @Sendable (inout AbstractSpec.SchedContext) -> Void)] = [
    ("period", { $0.period = 1 }), ("consumed", { $0.consumed = 1 }), ("badge", { $0.badge = 1 }),
    ("sporadic", { $0.sporadic = true }), ("yieldFrom", { $0.yieldFrom = S.mainTCB }),
    ("refills", { $0.refills[0].rAmount -= 1 }), ("refills.count", { $0.refills.append(Refill(rTime: 0, rAmount: 0)) }),
  ]

  @Test(arguments: abstractChanges.map(\.0), [Mode.incremental, .full])
  func anAbstractFieldChangedAloneBreaksR2(name: String, mode: Mode) throws {
    let change = try #require(Self.abstractChanges.first { $0.0 == name }?.1)
    var checker = checker(mode)
    guard case .schedContext(var sc)? = checker.abstract.kheap[S.secondSC] else {
      Issue.record("no scheduling context")
      return
    }
    change(&sc)
    checker.abstract.kheap[S.secondSC] = .schedContext(sc)
    #expect(checker.relationFailure(event: nil)?.kind == .r2)
    let failure = checker.step(.interrupt(irq: 1)).failure
    #expect(failure?.kind == .r2, "\(failure.map { "\($0)" } ?? "none")")
  }

  /// The abstract ghost `sc_budget` is not related (as l4v's `sc_relation` leaves it): changed in
  /// the abstract spec alone it breaks no relation, but the abstract invariant
  /// `active_sc_valid_refills`, whose sum clause reads it, in both check modes.
  @Test(arguments: [Mode.incremental, .full])
  func theGhostBudgetIsLeftToTheAbstractInvariant(mode: Mode) {
    var checker = checker(mode)
    guard case .schedContext(var sc)? = checker.abstract.kheap[S.secondSC] else {
      Issue.record("no scheduling context")
      return
    }
    sc.budget -= 1
    checker.abstract.kheap[S.secondSC] = .schedContext(sc)
    #expect(checker.relationFailure(event: nil) == nil)
    let failure = checker.step(.interrupt(irq: 1)).failure
    #expect(failure?.kind == .invariant && failure?.layer == "AbstractSpec", "\(failure.map { "\($0)" } ?? "none")")
    #expect(failure?.name == "active_sc_valid_refills.sp_valid_refills")
  }

  /// R2's time globals, each changed in the abstract spec alone.
  @Test(
    arguments: ["curTime", "consumedTime", "curSC", "reprogramTimer", "clock", "deadline"], [Mode.incremental, .full])
  func anAbstractTimeGlobalChangedAloneBreaksR2(name: String, mode: Mode) {
    var checker = checker(mode)
    switch name {
    case "curTime": checker.abstract.curTime = 1
    case "consumedTime": checker.abstract.consumedTime = 1
    case "reprogramTimer": checker.abstract.reprogramTimer = true
    case "clock": checker.abstract.clock = 1
    case "deadline": checker.abstract.deadline = 1
    default: checker.abstract.curSC = S.secondSC
    }
    #expect(checker.relationFailure(event: nil)?.kind == .r2)
    let failure = checker.step(.interrupt(irq: 1)).failure
    if Self.rewrittenByEveryEntry.contains(name) {
      #expect(failure == nil, "\(failure.map { "\($0)" } ?? "none")")
    } else if name == "curTime" {
      // The interrupt entry's updateTimestamp charges the clock minus the corrupt curTime: the
      // abstract spec then decides the budget otherwise than the executable spec, which the
      // checker sees in the observation before it compares the states.
      #expect(failure?.kind == .observation || failure?.kind == .r2, "\(failure.map { "\($0)" } ?? "none")")
    } else {
      #expect(failure?.kind == .r2, "\(failure.map { "\($0)" } ?? "none")")
    }
  }

  /// R2 reads only the live window: garbage outside it (written in the kernel and the exec alike,
  /// so R1 holds) changes nothing, while a refill inside it does.
  @Test func garbageOutsideTheLiveWindowIsForgottenByR2() throws {
    var checker = checker(.full)
    checker.kernel.store(ObjectLayout.refillAddress(S.secondSC, 3), 42)
    guard case .schedContext(var sc)? = checker.exec.ksPSpace[S.secondSC] else {
      Issue.record("no scheduling context")
      return
    }
    var buffer = sc.refillBuffer(atLeast: sc.refillMax)
    buffer.slots[3] = Refill(rTime: 42, rAmount: 0)
    sc.setRefillBuffer(buffer)
    checker.exec.ksPSpace[S.secondSC] = .schedContext(sc)
    #expect(checker.relationFailure(event: nil) == nil)
  }

  /// `refills_map` wraps at `scRefillMax`: the window from head 2 to tail 0 of four slots is slots
  /// 2, 3, 0; an inactive context has none.
  @Test func theLiveWindowWrapsAtRefillMax() {
    let slots = (0..<4).map { Refill<UInt64>(rTime: UInt64($0), rAmount: 10) }
    let wrapped = ExecutableSpec.SchedContext(
      sizeBits: 8, scRefills: slots, refillMax: 4, scRefillHead: 2, scRefillTail: 0)
    #expect(ExecState.refillsMap(wrapped).map(\.rTime) == [2, 3, 0])
    let straight = ExecutableSpec.SchedContext(
      sizeBits: 8, scRefills: slots, refillMax: 4, scRefillHead: 1, scRefillTail: 2)
    #expect(ExecState.refillsMap(straight).map(\.rTime) == [1, 2])
    #expect(ExecState.refillsMap(ExecutableSpec.SchedContext(sizeBits: 8, scRefills: slots)) == [])
  }
}

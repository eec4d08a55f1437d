// The SchedContext methods through the lockstep checker (R1, R2, observations and every layer's
// invariants after each step): every decoding error in seL4's order; binding and unbinding
// threads and notifications; Consumed after time has passed; YieldTo answered when the yielder
// runs again, cancelled by suspending the yielder, completed by deleting the context or its
// thread; a notification's deletion letting its context go; and 3,000 random events with the
// generator's SchedContext operation switched on. A kernel whose `schedContext_cancelYieldTo`
// leaves `scYieldFrom` set (`PlantedBug.yieldToKeepsYieldFrom`) is caught, by a fixed trace and
// by the random generator, and shrunk. (`seL4:src/object/schedcontext.c`.)

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct SchedContextLockstepTests {
  typealias P = SystemPlan.SampleServer

  @Test func everyErrorInSeL4OrderAgreesInEveryLayer() {
    for check in SchedContextChecks.checks {
      var checker = LockstepChecker(plan: .sampleForSchedContext)
      for event in check.setup { expectSuccess(lockstepStep(&checker, event)) }
      expectError(lockstepStep(&checker, check.alone), check.error)
      guard let withNext = check.withNext else { continue }
      var paired = LockstepChecker(plan: .sampleForSchedContext)
      for event in check.withNextSetup { expectSuccess(lockstepStep(&paired, event)) }
      expectError(lockstepStep(&paired, withNext), check.error)
    }
  }

  @Test func bindingAndUnbindingAgreeInEveryLayer() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    let events: [Event] = [
      schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.server),
      schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.ntfn),
      schedContextCall(.schedContextUnbindObject, ReadySC.cptr, SCCaps.ntfn),
      schedContextCall(.schedContextBind, SpareSC.cptr, SCCaps.ntfn),
      schedContextCall(.schedContextUnbind, ReadySC.cptr),
      schedContextCall(.schedContextUnbindObject, SCCaps.lowSC, SCCaps.low),
      schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.low),
      schedContextCall(.schedContextBind, SCCaps.lowSC, SCCaps.server),
    ]
    for event in events { expectSuccess(lockstepStep(&checker, event)) }
    #expect(checker.abstract.schedContext(at: SpareSC.address)?.ntfn == S.notification)
    #expect(checker.kernel.ntfnSchedContext(of: S.notification) == SpareSC.address)
    #expect(checker.exec.tcb(at: S.lowTCB)?.schedContext == ReadySC.address)
    // The notification's last caps deleted: its context lets it go (`schedContextMaybeUnbindNtfn`).
    for slot in [Address.root(4), Address.root(15), Address(index: S.cptr(aux: 1), depth: 64)] {
      lockstepStep(&checker, cnodeDelete(slot))
    }
    #expect(checker.abstract.schedContext(at: SpareSC.address)?.ntfn == nil)
    #expect(checker.kernel.scNotification(of: SpareSC.address) == 0)
  }

  @Test func consumedTimeAgreesInEveryLayer() {
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    // main runs for 3,000 ticks, then yields: its time is charged to its context.
    lockstepStep(&checker, .timerTick(ticks: 3_000))
    lockstepStep(&checker, schedContextCall(.schedContextYieldTo, SCCaps.lowSC))
    lockstepStep(&checker, yieldEvent)
    let consumed = checker.abstract.schedContext(at: S.schedContext)?.consumed ?? 0
    #expect(consumed > 0)
    if checker.abstract.currentThread == S.mainTCB {
      let observation = lockstepStep(&checker, schedContextCall(.schedContextConsumed, mainSCCptr))
      #expect(observation.reply?.info.label == 0 && observation.reply?.info.length == 1)
    }
    #expect(
      checker.kernel.scConsumed(of: S.schedContext) == checker.abstract.schedContext(at: S.schedContext)?.consumed)
  }

  @Test func yieldToAgreesInEveryLayer() {
    // Answered when the yielder runs again.
    var checker = LockstepChecker(plan: .sampleForSchedContext)
    expectSuccess(lockstepStep(&checker, schedContextCall(.schedContextYieldTo, SCCaps.secondSC)))
    #expect(checker.kernel.ksCurThread == S.secondTCB)
    #expect(checker.kernel.tcbYieldTo(of: S.mainTCB) == S.secondSC)
    lockstepStep(&checker, yieldEvent)
    #expect(checker.abstract.currentThread == S.mainTCB)
    #expect(checker.abstract.replyMessage(of: S.mainTCB) == .consumed(microseconds: 0))
    #expect(checker.kernel.scYieldFrom(of: S.secondSC) == 0)
    // A lower-priority thread's context: answered at once.
    let now = lockstepStep(&checker, schedContextCall(.schedContextYieldTo, SCCaps.lowSC))
    #expect(now.reply == .consumed(microseconds: 0))
    // Cancelled: the yielder suspended by the thread it yielded to.
    var suspended = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&suspended, schedContextCall(.schedContextYieldTo, SCCaps.secondSC))
    expectSuccess(lockstepStep(&suspended, invoke(SCCaps.main, .tcbSuspend, [])))
    #expect(suspended.exec.schedContext(at: S.secondSC)?.scYieldFrom == nil)
    // Completed: the context deleted (its last cap; `second` loses it) while main yields to it.
    var deleted = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&deleted, schedContextCall(.schedContextYieldTo, SCCaps.secondSC))
    lockstepStep(&deleted, cnodeDelete(.root(S.secondSCSlot)))
    #expect(deleted.abstract.tcb(at: S.mainTCB)?.yieldTo == nil)
    #expect(deleted.abstract.replyMessage(of: S.mainTCB) == .consumed(microseconds: 0))
    // Completed: the thread yielded to deleted (its last cap), by itself.
    var threadGone = LockstepChecker(plan: .sampleForSchedContext)
    lockstepStep(&threadGone, schedContextCall(.schedContextYieldTo, SCCaps.secondSC))
    lockstepStep(&threadGone, cnodeDelete(.root(S.secondSlot)))
    #expect(threadGone.kernel.tcbYieldTo(of: S.mainTCB) == 0)
  }

  /// 3,000 events of the random generator with the SchedContext operation on in every trace
  /// (fixed seeds), no failure, and every method reached.
  @Test func randomSchedContextEventsAgreeInLockstep() {
    var reached: Set<String> = []
    var events = 0
    for seed in UInt64(0)..<30 {
      var checker = LockstepChecker(plan: .sampleForSchedContext)
      var rng = SplitMix64(seed: 0x5C_0000 &+ seed)
      var swarm = Swarm.random(&rng)
      if !swarm.enabled.contains(.schedContext) { swarm.enabled.append(.schedContext) }
      var generator = EventGenerator(seed: 0x5C_0000 &+ seed, swarm: swarm)
      for _ in 0..<100 {
        let (op, event) = generator.next(for: checker.abstract)
        if op == .schedContext, let path = generator.lastPath { reached.insert(path) }
        events += 1
        let failure = checker.step(event).failure
        guard failure == nil else {
          Issue.record("seed \(seed), \(event): \(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")")
          return
        }
      }
    }
    #expect(events == 3_000)
    for method in ["Bind", "Unbind", "UnbindObject", "Consumed", "YieldTo"] {
      #expect(reached.contains { $0.hasPrefix("schedContext.SchedContext_\(method)") }, "\(method) not reached")
    }
  }

  /// The planted bug: the context keeps naming its yielder after the yield is answered. R1 sees
  /// the kernel's `scYieldFrom` word where the specs hold none.
  @Test func aYieldThatKeepsItsYielderIsCaught() {
    var kernel = KernelState(plan: .sampleForSchedContext)
    kernel.plantedBug = .yieldToKeepsYieldFrom
    var planted = LockstepChecker(plan: .sampleForSchedContext, kernel: kernel)
    #expect(planted.step(schedContextCall(.schedContextYieldTo, SCCaps.secondSC)).failure == nil)
    let failure = planted.step(yieldEvent).failure
    #expect(failure?.kind == .r1, "\(failure.map { "\($0)" } ?? "none")")
  }

  /// The random generator finds the planted bug on the sample within 5,000 events and the shrunk
  /// trace replays to the same failure.
  @Test func theGeneratorCatchesAYieldThatKeepsItsYielder() {
    let plan = SystemPlan.sampleForSchedContext
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = .yieldToKeepsYieldFrom
    var events = 0
    for i in UInt64(0)..<40 {
      let result = runTrace(plan: plan, seed: 0x5C_B000 &+ i, length: 250, kernel: kernel)
      events += result.events.count
      guard let failure = result.failure else { continue }
      #expect(events <= 5_000, "caught only after \(events) events")
      let shrunk = shrink(plan: plan, events: result.events, failure: failure, kernel: kernel)
      #expect(shrunk.events.count <= 10, "shrunk trace still has \(shrunk.events.count) events")
      #expect(replay(plan: plan, events: shrunk.events) == nil)
      #expect(replay(plan: plan, events: shrunk.events, kernel: kernel)?.kind == failure.kind)
      return
    }
    Issue.record("yieldToKeepsYieldFrom was not caught in \(events) events")
  }
}

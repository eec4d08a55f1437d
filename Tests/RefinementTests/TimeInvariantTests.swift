// The scheduler invariants that read time or name the release queue, in each layer
// (`AbstractSpec/Invariants+Sched.swift` and its twins; l4v-rt `DetSchedInvs_AI.thy`,
// `Invariants_AI.thy`): `valid_ready_qs`'s `released_sc`, `valid_release_q` (runnable, active,
// `sorted_release_q`), `valid_blocked` counting the release queue, `cur_sc_chargeable` and
// `cur_sc_tcb`. Each test starts from a state where every invariant holds in all three layers
// (the release-queue suite's checker), corrupts one field of one layer, and sees exactly the
// conjunct that reads it fail, by `invariant.conjunct`, in that layer's scheduler invariants.

import KernelABI
import TestSupport
import Testing

@testable import AbstractSpec
@testable import ExecutableSpec
@testable import Kernel
@testable import Refinement

extension ReleaseQueueTests {
  /// `invariant.conjunct` of each scheduler-invariant violation of the three layers.
  func broken(_ checker: LockstepChecker) -> [Set<String>] {
    let name = { (v: InvariantViolation) in "\(v.invariant).\(v.conjunct)" }
    return [
      Set(checker.abstract.schedInvariantViolations().map(name)),
      Set(checker.exec.schedInvariantViolations().map(name)),
      Set(checker.kernel.schedInvariantViolations().map(name)),
    ]
  }

  /// The head refill's release time of `sc` set to `rTime` in one layer (`layer`: 0 abstract, 1
  /// executable, 2 kernel); the head is slot 0 (`setHeadRefill`).
  func settingHeadTime(_ checker: LockstepChecker, _ layer: Int, _ sc: ObjectRef, _ rTime: UInt64) -> LockstepChecker {
    var changed = checker
    switch layer {
    case 0:
      changed.abstract.updateSchedContext(sc) { $0.refills[0].rTime = rTime }
    case 1:
      changed.exec.updateSchedContext(sc) { context in
        var buffer = context.refillBuffer
        buffer.slots[0].rTime = rTime
        context.setRefillBuffer(buffer)
      }
    default:
      changed.kernel.store(ObjectLayout.refillAddress(sc, 0), rTime)
    }
    return changed
  }

  @Test(arguments: 0..<3) func releasedSCFailsOnAFutureHeadInAReadyQueue(_ layer: Int) {
    // The second thread is ready (priority 100); its head released at 0, the time now.
    let base = checker(times: [0, 0, 0])
    #expect(broken(base) == [[], [], []])
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [
      ["valid_ready_qs.released_sc", "valid_ready_qs'.released_sc", "valid_ready_qs'.released_sc"][layer]
    ]
    #expect(broken(settingHeadTime(base, layer, T.secondSC, 50)) == expected)
    // Released exactly at the time now: no violation.
    #expect(broken(settingHeadTime(base, layer, T.secondSC, base.abstract.curTime)) == [[], [], []])
  }

  @Test(arguments: 0..<3) func sortedReleaseQFailsOnALaterTimeAhead(_ layer: Int) {
    let base = enqueuedThree()
    #expect(broken(base) == [[], [], []])
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [
      [
        "valid_release_q.sorted_release_q", "valid_release_queue'.sorted_release_q",
        "valid_release_queue'.sorted_release_q",
      ][
        layer]
    ]
    // Times 1, 9, 3: the second thread is ahead of a thread released earlier.
    #expect(broken(settingHeadTime(base, layer, T.secondSC, 9)) == expected)
    // Times 1, 3, 3: equal times are sorted.
    #expect(broken(settingHeadTime(base, layer, T.secondSC, 3)) == [[], [], []])
  }

  @Test(arguments: 0..<3) func validReleaseQFailsOnAnInactiveMember(_ layer: Int) {
    var changed = enqueuedThree()
    switch layer {
    case 0: changed.abstract.updateTCB(T.low) { $0.state = .inactive }
    case 1: changed.exec.updateTCB(T.low) { $0.state = .inactive }
    default:
      let address = T.low &+ ObjectLayout.tcbState
      changed.kernel.store(address, ObjectLayout.tsType.set(changed.kernel.memory.word(address), to: 0))
    }
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [["valid_release_q.valid_release_q", "valid_release_queue'.valid_release_queue'"][min(layer, 1)]]
    #expect(broken(changed) == expected)
  }

  @Test(arguments: 0..<3) func validReleaseQFailsOnAMemberWithoutAnActiveContext(_ layer: Int) {
    var changed = enqueuedThree()
    switch layer {
    case 0: changed.abstract.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    case 1: changed.exec.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    default: changed.kernel.store(T.lowSC &+ ObjectLayout.scRefillMax, 0)
    }
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [["valid_release_q.valid_release_q", "valid_release_queue'.valid_release_queue'"][min(layer, 1)]]
    // The abstract context keeps its ghost budget: an inactive one with a budget also breaks
    // `active_scs_valid` (l4v-rt), which the concrete layers, keeping no budget, cannot state.
    if layer == 0 { expected[0].insert("active_scs_valid.active_scs_valid") }
    #expect(broken(changed) == expected)
  }

  /// A runnable thread with an active context taken out of the release queue (flag and links
  /// too) and put nowhere is lost: `valid_blocked`, which counts the release queue as a place a
  /// runnable thread may wait in (every thread of `enqueuedThree` waits there and it holds).
  @Test(arguments: 0..<3) func validBlockedFailsOnAThreadLeftOutOfTheReleaseQueue(_ layer: Int) {
    var changed = enqueuedThree()
    switch layer {
    case 0: changed.abstract.tcbReleaseRemove(T.low)
    case 1: changed.exec.tcbReleaseRemove(T.low)
    default: changed.kernel.tcbReleaseRemove(T.low)
    }
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [["valid_blocked.valid_blocked", "valid_blocked'.valid_blocked'"][min(layer, 1)]]
    #expect(broken(changed) == expected)
  }

  /// `cur_sc` naming the second thread's context: that thread is bound to it, Running and not
  /// current (`cur_sc_chargeable`), and it is not the current thread's (`cur_sc_chargeable`
  /// again, and `cur_sc_tcb`: its thread is not the current one). With `sym_refs` holding,
  /// `cur_sc_chargeable` cannot fail without `cur_sc_tcb` or `sym_refs` failing too.
  @Test(arguments: 0..<3) func curSCChargeableFailsOnAnotherThreadsContext(_ layer: Int) {
    var changed = checker(times: [0, 0, 0])
    switch layer {
    case 0: changed.abstract.curSC = T.secondSC
    case 1: changed.exec.ksCurSC = T.secondSC
    default: changed.kernel.ksCurSC = T.secondSC
    }
    var expected: [Set<String>] = [[], [], []]
    let names = [
      ["cur_sc_chargeable.cur_sc_chargeable", "cur_sc_tcb.cur_sc_tcb"],
      ["cur_sc_chargeable'.cur_sc_chargeable'", "cur_sc_tcb'.cur_sc_tcb'"],
    ]
    expected[layer] = Set(names[min(layer, 1)])
    #expect(broken(changed) == expected)
    let chargeable =
      [
        changed.abstract.curSCChargeable().count, changed.exec.curSCChargeable().count,
        changed.kernel.curSCChargeable([S.mainTCB, T.second, T.low]).count,
      ][layer]
    #expect(chargeable == 2)
  }

  /// The current thread unbound from its context (both sides, so `sym_refs` holds), `cur_sc`
  /// still naming that context: no thread is bound to `cur_sc` (`cur_sc_chargeable` holds), but
  /// its thread is not the current one: `cur_sc_tcb` alone.
  @Test(arguments: 0..<3) func curSCTcbFailsOnAnUnboundCurSC(_ layer: Int) {
    var changed = checker(times: [0, 0, 0])
    switch layer {
    case 0:
      changed.abstract.updateTCB(S.mainTCB) { $0.schedContext = nil }
      changed.abstract.updateSchedContext(S.schedContext) { $0.tcb = nil }
    case 1:
      changed.exec.updateTCB(S.mainTCB) { $0.schedContext = nil }
      changed.exec.updateSchedContext(S.schedContext) { $0.tcb = nil }
    default:
      changed.kernel.store(S.mainTCB &+ ObjectLayout.tcbSchedContext, 0)
      changed.kernel.store(S.schedContext &+ ObjectLayout.scTcb, 0)
    }
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = [["cur_sc_tcb.cur_sc_tcb", "cur_sc_tcb'.cur_sc_tcb'"][min(layer, 1)]]
    #expect(broken(changed) == expected)
  }
}

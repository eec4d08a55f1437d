// The scheduler invariants of l4v-rt's `valid_sched` and `state_refs_of` that the time slice first
// left out, in each layer: `released_ipc_queues` (`DetSchedInvs_AI.thy`,
// `released_ipc_queued_thread_2`), `active_reply_scs` (`active_if_reply_sc_at`), the rest of
// `active_scs_valid` (an inactive context's budget is 0, a sporadic one is active), and the
// `sym_refs` links of yielding (`tcb_yield_to`) and notification donation (`ntfn_sc`). Each test
// starts from the release-queue suite's state (every invariant holds in all three layers),
// changes one field of one layer, and sees the conjunct that reads it fail there, through the
// layer's table (`invariantViolations()`), and nowhere else.

import KernelABI
import TestSupport
import Testing

@testable import AbstractSpec
@testable import ExecutableSpec
@testable import Kernel
@testable import Refinement

extension ReleaseQueueTests {
  /// The invariant names (`invariant.conjunct`) each layer's whole table reports.
  func tableBroken(_ checker: LockstepChecker) -> [Set<String>] {
    let name = { (v: InvariantViolation) in "\(v.invariant).\(v.conjunct)" }
    return [
      Set(checker.abstract.invariantViolations().map(name)),
      Set(checker.exec.invariantViolations().map(name)),
      Set(checker.kernel.invariantViolations().map(name)),
    ]
  }

  /// `released_ipc_queues` alone, in each layer.
  func releasedBroken(_ checker: LockstepChecker) -> [Int] {
    [
      checker.abstract.releasedIPCQueues().count, checker.exec.releasedIPCQueues().count,
      checker.kernel.releasedIPCQueues([S.mainTCB, T.second, T.low]).count,
    ]
  }

  /// The low thread's state set in one layer (`layer`: 0 abstract, 1 executable, 2 kernel) to
  /// blocked receiving (`kind` 0), sending (1) or on a reply (2) on the endpoint or reply object
  /// at `object`, with `fault` as its fault.
  func blockingLow(
    _ checker: LockstepChecker, _ layer: Int, _ kind: Int, on object: ObjectRef, fault: ThreadFault? = nil
  ) -> LockstepChecker {
    var changed = checker
    let fields = IPCSendFields(badge: 0, canGrant: false, canGrantReply: false, isCall: false)
    switch layer {
    case 0:
      changed.abstract.updateTCB(T.low) {
        $0.state =
          [.blockedOnReceive(object, reply: nil), .blockedOnSend(object, fields), .blockedOnReply(object)][kind]
        $0.fault = fault
      }
    case 1:
      changed.exec.updateTCB(T.low) {
        $0.state =
          [
            .blockedOnReceive(blockingObject: object, replyObject: nil), .blockedOnSend(blockingObject: object, fields),
            .blockedOnReply(replyObject: object),
          ][kind]
        $0.tcbFault = fault
      }
    default:
      let address = T.low &+ ObjectLayout.tcbState
      let type: UInt64 = [3, 4, 5][kind]
      changed.kernel.store(address, ObjectLayout.tsType.set(changed.kernel.memory.word(address), to: type))
      changed.kernel.setTCBFault(T.low, fault)
    }
    return changed
  }

  @Test(arguments: 0..<3) func releasedIPCQueuesFailsOnAReceiverWhoseContextIsNotReleased(_ layer: Int) {
    let base = checker(times: [0, 0, 0])
    #expect(tableBroken(base) == [[], [], []])
    #expect(releasedBroken(base) == [0, 0, 0])
    let receiving = blockingLow(base, layer, 0, on: S.endpoint)
    // Released at the time now (0): no violation of this invariant.
    #expect(releasedBroken(receiving) == [0, 0, 0])
    var expected = [0, 0, 0]
    expected[layer] = 1
    let late = settingHeadTime(receiving, layer, T.lowSC, 50)
    #expect(releasedBroken(late) == expected)
    let name = layer == 0 ? "released_ipc_queues" : "released_ipc_queues'"
    #expect(tableBroken(late)[layer].contains("\(name).\(name)"))
  }

  @Test(arguments: 0..<3) func releasedIPCQueuesLetsATimeoutFaultedSenderWaitUnreleased(_ layer: Int) {
    let base = checker(times: [0, 0, 0])
    var expected = [0, 0, 0]
    expected[layer] = 1
    // A sender whose context is not released: broken unless it waits with a Timeout fault.
    let sending = settingHeadTime(blockingLow(base, layer, 1, on: S.endpoint), layer, T.lowSC, 50)
    #expect(releasedBroken(sending) == expected)
    let faulted = settingHeadTime(
      blockingLow(base, layer, 1, on: S.endpoint, fault: .timeout(badge: 7)), layer, T.lowSC, 50)
    #expect(releasedBroken(faulted) == [0, 0, 0])
    // A Timeout fault does not excuse an inactive context.
    var inactive = faulted
    switch layer {
    case 0: inactive.abstract.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    case 1: inactive.exec.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    default: inactive.kernel.store(T.lowSC &+ ObjectLayout.scRefillMax, 0)
    }
    #expect(releasedBroken(inactive) == expected)
  }

  @Test(arguments: 0..<3) func releasedIPCQueuesFailsOnAReplyWaiterWithAnInactiveContext(_ layer: Int) {
    let base = checker(times: [0, 0, 0])
    var waiting = settingHeadTime(blockingLow(base, layer, 2, on: S.endpoint), layer, T.lowSC, 50)
    // Waiting for a reply needs an active context only, not a released one.
    #expect(releasedBroken(waiting) == [0, 0, 0])
    switch layer {
    case 0: waiting.abstract.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    case 1: waiting.exec.updateSchedContext(T.lowSC) { $0.refillMax = 0 }
    default: waiting.kernel.store(T.lowSC &+ ObjectLayout.scRefillMax, 0)
    }
    var expected = [0, 0, 0]
    expected[layer] = 1
    #expect(releasedBroken(waiting) == expected)
  }

  @Test(arguments: 0..<3) func activeReplySCsFailsOnAnInactiveContextWithACallStack(_ layer: Int) {
    let base = checker(times: [0, 0, 0])
    var changed = base
    // The low thread's context made inactive and given a call stack (the reply is the sample's
    // endpoint address: only whether the stack is empty is read).
    switch layer {
    case 0:
      changed.abstract.updateSchedContext(T.lowSC) {
        $0.refillMax = 0
        $0.replies = [S.endpoint]
      }
    case 1:
      changed.exec.updateSchedContext(T.lowSC) {
        $0.refillMax = 0
        $0.scReply = S.endpoint
      }
    default:
      changed.kernel.store(T.lowSC &+ ObjectLayout.scRefillMax, 0)
      changed.kernel.store(T.lowSC &+ ObjectLayout.scReply, S.endpoint)
    }
    let counts = [
      changed.abstract.activeReplySCs().count, changed.exec.activeReplySCs().count,
      changed.kernel.activeReplySCs(changed.kernel.schedulerObjects()).count,
    ]
    var expected = [0, 0, 0]
    expected[layer] = 1
    #expect(counts == expected)
    let name = ["active_reply_scs", "active_reply_scs'", "active_reply_scs'"][layer]
    #expect(tableBroken(changed)[layer].contains("\(name).\(name)"))
    // The call stack alone, on an active context: holds.
    #expect(base.abstract.activeReplySCs().isEmpty && base.exec.activeReplySCs().isEmpty)
  }

  @Test(arguments: 0..<3) func activeSCsValidFailsOnAnInactiveSporadicContext(_ layer: Int) {
    var changed = checker(times: [0, 0, 0])
    switch layer {
    case 0:
      changed.abstract.updateSchedContext(T.lowSC) {
        $0.refillMax = 0
        $0.sporadic = true
        $0.budget = 0
      }
    case 1:
      changed.exec.updateSchedContext(T.lowSC) {
        $0.refillMax = 0
        $0.scSporadic = true
      }
    default:
      changed.kernel.store(T.lowSC &+ ObjectLayout.scRefillMax, 0)
      changed.kernel.store(T.lowSC &+ ObjectLayout.scSporadic, 1)
    }
    let counts = [
      changed.abstract.activeSCsValid().count, changed.exec.activeSCsValid().count,
      changed.kernel.activeSCsValid(changed.kernel.schedulerObjects()).count,
    ]
    var expected = [0, 0, 0]
    expected[layer] = 1
    #expect(counts == expected)
    let name = ["active_scs_valid", "active_scs_valid'", "active_scs_valid'"][layer]
    #expect(tableBroken(changed)[layer].contains("\(name).\(name)"))
  }

  /// The abstract ghost budget of an inactive context must be 0 (the concrete layers keep no
  /// budget: theirs is the empty window's sum).
  @Test func activeSCsValidFailsOnAnInactiveContextWithABudget() {
    var changed = checker(times: [0, 0, 0])
    changed.abstract.updateSchedContext(T.lowSC) {
      $0.refillMax = 0
      $0.sporadic = false
    }
    let before = changed.abstract.activeSCsValid().count
    changed.abstract.updateSchedContext(T.lowSC) { $0.budget = 0 }
    #expect(before == 1)
    #expect(changed.abstract.activeSCsValid().isEmpty)
  }

  /// `sym_refs`' new links: a thread's yield-to naming a context that does not name it back, and
  /// a context naming a notification that does not name it back.
  @Test(arguments: 0..<3) func symRefsFailsOnOneSidedYieldAndNotificationLinks(_ layer: Int) {
    let base = checker(times: [0, 0, 0])
    var yielding = base
    var donating = base
    switch layer {
    case 0:
      yielding.abstract.updateTCB(T.low) { $0.yieldTo = T.secondSC }
      donating.abstract.updateSchedContext(T.lowSC) { $0.ntfn = S.notification }
    case 1:
      yielding.exec.updateTCB(T.low) { $0.tcbYieldTo = T.secondSC }
      donating.exec.updateSchedContext(T.lowSC) { $0.scNtfn = S.notification }
    default:
      yielding.kernel.store(T.low &+ ObjectLayout.tcbYieldTo, T.secondSC)
      donating.kernel.store(T.lowSC &+ ObjectLayout.scNotification, S.notification)
    }
    let prime = layer == 0 ? "" : "'"
    var expected: [Set<String>] = [[], [], []]
    expected[layer] = ["sym_refs\(prime).tcb_yield_to\(prime)"]
    #expect(tableBroken(yielding) == expected)
    expected[layer] = ["sym_refs\(prime).ntfn_sc\(prime)"]
    #expect(tableBroken(donating) == expected)
  }
}

// TCB_SetMCPriority through the lockstep checker: all three layers set the MCP, answer a Call with
// an empty reply, and agree at every step (R1, R2, invariants).

import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct TCBInvocationTests {
  static let thread = SystemPlan.Sample.cptr(root: 1)

  @Test func setMCPrioritySetsTheMCPInEveryLayer() throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    let tcb = try #require(checker.abstract.currentThread)
    let priority = try #require(checker.abstract.tcb(at: tcb)?.priority)
    #expect(priority == 100 && checker.abstract.tcb(at: tcb)?.maxControlledPriority == 255)
    let (observation, failure) = checker.step(
      invoke(Self.thread, .tcbSetMCPriority, [42], caps: [Self.thread]))
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
    #expect(observation.reply?.info.label == 0 && observation.reply?.info.length == 0)
    #expect(checker.abstract.tcb(at: tcb)?.maxControlledPriority == 42)
    #expect(checker.exec.tcb(at: tcb)?.maxControlledPriority == 42)
    #expect(checker.kernel.maxControlledPriority(of: tcb) == 42)
    // The priority is not the MCP: it is unchanged in every layer.
    #expect(checker.kernel.priority(of: tcb) == priority)
    #expect(checker.exec.tcb(at: tcb)?.priority == priority)
    #expect(checker.abstract.tcb(at: tcb)?.priority == priority)
  }

  /// A TCB method the layers do not model yet is reported as such by all three, and changes
  /// nothing.
  @Test func otherTCBMethodsAreNotModelled() {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    let before = checker.exec
    let (observation, failure) = checker.step(invoke(Self.thread, .tcbSetPriority, [10], caps: [Self.thread]))
    #expect(failure == nil)
    #expect(observation.notModelled == .tcbInvocation)
    #expect(checker.exec == before)
  }
}

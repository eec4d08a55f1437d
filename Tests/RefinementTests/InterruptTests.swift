// Interrupts through the lockstep checker (R1, R2, observations and every layer's invariants after
// each step; `*/Interrupt.swift`): IRQControl_Get's errors in seL4's order, a handler issued and
// bound to a notification, an interrupt delivered with the notification cap's badge, the line
// masked until the handler acks it (an interrupt on a masked line does not arrive), an interrupt
// that wakes a higher-priority thread preempting the current one, ClearIRQHandler, and the last
// handler cap's deletion making the line IRQInactive again. The planted `ackLeavesLineMasked` is
// caught by the checker and by the random campaign (`PlantedBugTests`).

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct InterruptTests {
  typealias S = SystemPlan.Sample

  /// Root slot 20: where the handler cap for line 3 goes; the line the tests use.
  static let handlerSlot: UInt64 = 20
  static let line: UInt64 = 3

  @discardableResult
  func step(_ checker: inout LockstepChecker, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation)
    -> Observation
  {
    let (observation, failure) = checker.step(event)
    #expect(
      failure == nil, "\(failure.map { "\($0)\n\($0.diff ?? "")" } ?? "")", sourceLocation: sourceLocation)
    return observation
  }

  /// IRQControl_Get of `irq` into root slot `dest` (index, depth 56 through the root CNode).
  static func issue(_ irq: UInt64, into dest: UInt64 = handlerSlot, length: UInt64? = nil, caps: [UInt64]? = nil)
    -> Event
  {
    invoke(
      S.cptr(root: 8), .irqIssueIRQHandler, [irq, dest, 56], caps: caps ?? [rootCNodeCptr], length: length)
  }

  /// An IRQHandler method on the handler cap in root slot `slot`.
  static func handler(_ label: InvocationLabel, caps: [UInt64] = [], slot: UInt64 = handlerSlot) -> Event {
    invoke(S.cptr(root: slot), label, [], caps: caps)
  }

  /// The line's state and mask in the three layers, as text.
  func lineState(_ checker: LockstepChecker, _ irq: UInt64) -> [String] {
    [
      "\(checker.abstract.irqState(irq)) \(checker.abstract.irqMasked(irq))",
      "\(checker.exec.irqState(irq)) \(checker.exec.irqMasked(irq))",
      "\(checker.kernel.irqState(irq)) \(checker.kernel.irqMasked(irq))",
    ]
  }

  func all(_ state: IRQState, masked: Bool) -> [String] { Array(repeating: "\(state) \(masked)", count: 3) }

  @Test func bootLeavesEveryLineInactiveAndMaskedButTheTimers() {
    let checker = LockstepChecker(plan: .sample)
    #expect(lineState(checker, IRQConstants.timerIRQ) == all(.irqTimer, masked: false))
    for irq in 1...IRQConstants.maxIRQ { #expect(lineState(checker, irq) == all(.irqInactive, masked: true)) }
  }

  @Test func issueErrorsComeInSeL4Order() {
    var checker = LockstepChecker(plan: .sample)
    // A wrong label on the IRQControl cap.
    expectError(step(&checker, invoke(S.cptr(root: 8), .irqAckIRQ, [])), .illegalOperation)
    // Two registers, or no extra cap: TruncatedMessage, before the line is even looked at.
    expectError(step(&checker, Self.issue(99, length: 2)), .truncatedMessage)
    expectError(step(&checker, Self.issue(99, caps: [])), .truncatedMessage)
    // A line past maxIRQ, before the destination.
    expectError(
      step(&checker, Self.issue(IRQConstants.maxIRQ + 1, into: 1)), .rangeError(min: 0, max: IRQConstants.maxIRQ))
    // The timer's line is active (IRQTimer): RevokeFirst, before the destination's checks.
    expectError(step(&checker, Self.issue(IRQConstants.timerIRQ, into: 1)), .revokeFirst)
    // A destination depth of 0 is outside 1...64: RangeError(1, 64) (`lookupSlotForCNodeOp`'s
    // depth check), after the line's checks: with the timer's line it is RevokeFirst.
    expectError(
      step(&checker, invoke(S.cptr(root: 8), .irqIssueIRQHandler, [Self.line, 20, 0], caps: [rootCNodeCptr])),
      .rangeError(min: 1, max: 64))
    expectError(
      step(
        &checker,
        invoke(S.cptr(root: 8), .irqIssueIRQHandler, [IRQConstants.timerIRQ, 20, 0], caps: [rootCNodeCptr])),
      .revokeFirst)
    // A full destination: DeleteFirst.
    expectError(step(&checker, Self.issue(Self.line, into: 1)), .deleteFirst)
    // Issued; a second IRQControl_Get of the same line is RevokeFirst.
    expectSuccess(step(&checker, Self.issue(Self.line)))
    #expect(checker.abstract.getCap(S.root(Self.handlerSlot)) == .irqHandler(irq: Self.line))
    #expect(checker.abstract.cdt[S.root(Self.handlerSlot)] == S.root(8))
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: false))
    expectError(step(&checker, Self.issue(Self.line, into: 21)), .revokeFirst)
  }

  @Test func handlerErrorsComeInSeL4Order() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    expectError(step(&checker, Self.handler(.irqIssueIRQHandler)), .illegalOperation)
    expectError(step(&checker, Self.handler(.irqSetIRQHandler)), .truncatedMessage)
    // Not a notification cap; a notification cap without Send (aux slot 1 has Write only, root 4
    // has both: a read-only one is made by Copy).
    expectError(step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 3)])), .invalidCapability(index: 0))
    expectSuccess(step(&checker, cnodeCopy(.root(30), from: .root(4), rights: [.read])))
    expectError(
      step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 30)])), .invalidCapability(index: 0))
  }

  @Test func anInterruptSignalsMasksAndWaitsForTheAck() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    expectSuccess(step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)])))
    #expect(
      checker.abstract.getCap(checker.abstract.irqNodeSlot(Self.line))
        == .notification(
          S.notification, badge: 6, rights: [.read, .write]))
    step(&checker, .interrupt(irq: Self.line))
    #expect(checker.abstract.notification(at: S.notification)?.state == .active(6))
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: true))
    // Masked: a second interrupt does not arrive, and nothing changes in any layer.
    let before = (checker.abstract, checker.exec)
    step(&checker, .interrupt(irq: Self.line))
    #expect(checker.abstract == before.0 && checker.exec == before.1)
    // Lines with no handler, the timer's and lines past maxIRQ do not arrive either.
    for irq in [IRQConstants.timerIRQ, 5, IRQConstants.maxIRQ + 1] { step(&checker, .interrupt(irq: irq)) }
    #expect(checker.abstract == before.0 && checker.exec == before.1)
    // The ack unmasks; the next interrupt ORs the badge in again.
    expectSuccess(step(&checker, Self.handler(.irqAckIRQ)))
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: false))
    step(&checker, .interrupt(irq: Self.line))
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: true))
    // Clear empties the node slot: the next interrupt (after an ack) signals nothing but masks.
    expectSuccess(step(&checker, Self.handler(.irqClearIRQHandler)))
    expectSuccess(step(&checker, Self.handler(.irqAckIRQ)))
    #expect(checker.abstract.getCap(checker.abstract.irqNodeSlot(Self.line)) == .null)
    step(&checker, waitEvent(S.cptr(root: 4), syscall: .nbWait))
    step(&checker, .interrupt(irq: Self.line))
    #expect(checker.abstract.notification(at: S.notification)?.state == .idle)
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: true))
  }

  @Test func anInterruptWakingAHigherPriorityThreadPreemptsTheCurrentOne() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    expectSuccess(step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)])))
    // Main (priority 100) and second (100) wait on the notification; low (50) runs.
    step(&checker, waitEvent(S.cptr(root: 4)))
    #expect(checker.abstract.currentThread == S.secondTCB)
    step(&checker, waitEvent(S.cptr(root: 4)))
    #expect(checker.abstract.currentThread == S.lowTCB)
    let observation = step(&checker, .interrupt(irq: Self.line))
    // Main was first in the queue: it takes the badge and preempts low.
    #expect(observation.current == S.mainTCB)
    #expect(checker.abstract.currentThread == S.mainTCB)
    #expect(checker.abstract.tcb(at: S.mainTCB)?.context.badgeRegister == 6)
    #expect(checker.abstract.notification(at: S.notification)?.state == .waiting([S.secondTCB]))
  }

  @Test func deletingTheLastHandlerCapMakesTheLineInactive() {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    expectSuccess(step(&checker, cnodeCopy(.root(21), from: .root(Self.handlerSlot))))
    expectSuccess(step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)])))
    // A copy remains: the line stays IRQSignal and the node slot filled.
    expectSuccess(step(&checker, cnodeDelete(.root(Self.handlerSlot))))
    #expect(lineState(checker, Self.line) == all(.irqSignal, masked: false))
    #expect(checker.abstract.getCap(checker.abstract.irqNodeSlot(Self.line)) != .null)
    // The last one: IRQInactive, masked, the node slot empty; the line can be issued again.
    expectSuccess(step(&checker, cnodeDelete(.root(21))))
    #expect(lineState(checker, Self.line) == all(.irqInactive, masked: true))
    #expect(checker.abstract.getCap(checker.abstract.irqNodeSlot(Self.line)) == .null)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    // Revoking the IRQControl cap deletes every handler it issued.
    expectSuccess(step(&checker, cnodeRevoke(.root(8))))
    #expect(lineState(checker, Self.line) == all(.irqInactive, masked: true))
  }

  /// A spec that forgot `deletingIRQHandler` would delete the last handler cap and leave the node
  /// slot filled and the line IRQSignal; `if_unsafe_then_cap` (the node slot is named only by a
  /// handler cap of its line) catches it, in the incremental check as in the full one. The
  /// corruption is made in the abstract layer, with the relations off.
  @Test func aNodeSlotLeftFilledAfterTheLastHandlerCapIsCaught() throws {
    var checker = LockstepChecker(plan: .sample)
    expectSuccess(step(&checker, Self.issue(Self.line)))
    expectSuccess(step(&checker, Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)])))
    checker.checksRelations = false
    let handler = S.root(Self.handlerSlot)
    checker.abstract.setCap(handler, .null)
    checker.abstract.cdt[handler] = nil
    checker.abstract.isOriginalCap.remove(handler)
    var verified = try #require(checker.verified)
    #expect(!checker.incrementalCheckHolds(&verified))
    let failure = checker.checkFull(event: nil)
    #expect(failure?.name == "if_unsafe_then_cap", "\(failure.map(String.init(describing:)) ?? "none")")
  }

  /// The kernel's incremental `valid_irq_handlers'` looks only at written CTEs: a thread register
  /// on a CTE's alignment holding 0x8000_0000_0000_0000 (capType 16, an IRQHandler cap's tag, of a
  /// line that is not IRQSignal) is no cap, and the check that its write triggers passes.
  @Test func aRegisterWordThatReadsAsAHandlerCapIsNotOne() throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.step(.timerTick(ticks: 0)).failure == nil)
    checker.checksRelations = false
    let register = try #require(
      Register.allCases.first { (S.mainTCB &+ ObjectLayout.registerOffset($0)) % (1 << KernelConstants.slotBits) == 0 })
    let word = S.mainTCB &+ ObjectLayout.registerOffset(register)
    checker.kernel.setRegister(S.mainTCB, register, 0x8000_0000_0000_0000)
    // Read as a CTE, the word is a handler cap that valid_irq_handlers' rejects.
    #expect(checker.kernel.validIRQHandlers([word]).map(\.invariant) == ["valid_irq_handlers'"])
    var verified = try #require(checker.verified)
    #expect(checker.incrementalCheckHolds(&verified))
    #expect(checker.checkFull(event: nil) == nil)
  }

  @Test func anAckThatLeavesTheLineMaskedIsCaught() {
    var checker = LockstepChecker(plan: .sample, plantedBug: .ackLeavesLineMasked)
    for event in [
      Self.issue(Self.line), Self.handler(.irqSetIRQHandler, caps: [S.cptr(root: 15)]), .interrupt(irq: Self.line),
    ] {
      #expect(checker.step(event).failure == nil)
    }
    #expect(checker.step(Self.handler(.irqAckIRQ)).failure != nil)
  }
}

// Event dispatch: syscalls and events the slice does not model, invoked-cap decode by type,
// lookup faults (blocking or not), fault handling, and replies for Call versus Send.

import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec

@Suite struct SyscallTests {
  @Test func nothingRunsWithoutACurrentThread() {
    var state = ExecState(plan: .idleSample)
    let before = state
    #expect(state.run(cnodeDelete(.root(3))) == Observation(caller: nil, current: nil))
    #expect(state.run(.unknownSyscall(number: 7)) == Observation(caller: nil, current: nil))
    #expect(state == before)
  }

  @Test func unmodelledSyscallsAndEventsChangeNothing() {
    var state = ExecState.sample
    let before = state
    // Interrupts are modelled (`Interrupt.swift`): one on a masked line (every line but the
    // timer's at boot) does not arrive and changes nothing.
    #expect(state.run(.interrupt(irq: 3)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(state == before)
    // Time before the deadline enters no kernel: only the machine's clock moves.
    #expect(state.run(.timerTick(ticks: 1)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(state.clock == 1 && state.ksCurTime == 0)
  }

  @Test func invokedCapDecodeByType() {
    var state = ExecState.sample
    // The SchedControl cap (root slot 7), the SchedContext cap (root slot 6), the IRQControl cap
    // (root slot 8, `Interrupt.swift`) and the DomainSet cap (root slot 9, `Domain.swift`) are
    // modelled: label 0 is no method of theirs.
    #expect(state.run(invoke(S.cptr(root: 8), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(state.run(invoke(S.cptr(root: 9), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(state.run(invoke(S.cptr(root: 7), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(state.run(invoke(S.cptr(root: 6), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    // A notification cap with Write signals, whatever the label: modelled, and not answered.
    let signal = state.run(invoke(S.cptr(root: 4), .invalidInvocation, []))
    #expect(signal.notModelled == nil && signal.reply == nil)
    // A thread cap: label 0 is no TCB method (IllegalOperation); every TCB method is modelled
    // (SetFlags answers with the flags it set).
    #expect(state.run(invoke(S.cptr(root: 1), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(
      state.run(invoke(S.cptr(root: 1), .tcbSetFlags, [0, 1])).reply
        == ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [1]))
  }

  @Test func sendThroughAWritelessCapDropsTheError() {
    var state = ExecState.sample
    expectSuccess(state.run(cnodeCopy(.root(20), from: .root(3), rights: .read)))
    // Send drops the error: no reply at all.
    let sent = state.run(invoke(S.cptr(root: 20), .invalidInvocation, [], syscall: .send))
    #expect(sent == Observation(caller: S.mainTCB, current: S.mainTCB))
  }

  @Test func sendPerformsWithoutReplying() {
    var state = ExecState.sample
    let observation = state.run(cnodeCall(.cnodeDelete, Address.root(5).registers, syscall: .nbSend))
    #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(state.getCap(S.root(5)) == .null)
  }

  @Test func aLengthBeyond120IsClamped() {
    var state = ExecState.sample
    // Length beyond 120 is clamped; the extra registers are never read.
    expectSuccess(state.run(invoke(rootCNodeCptr, .cnodeDelete, Address.root(20).registers, length: 127)))
  }

  @Test func invokedCapLookupFailureFaultsTheCaller() {
    var state = ExecState.sample
    let observation = state.run(invoke(1 << 63, .cnodeDelete, Address.root(20).registers))
    let fault = ThreadFault.capFault(
      address: 1 << 63, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
    #expect(observation == Observation(caller: S.mainTCB, fault: fault, current: nil))
    #expect(state.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(state.ksCurThread == KernelConstants.idleThreadPtr)
  }

  @Test func extraCapLookupFailureFaultsWithThatAddress() {
    var state = ExecState.sample
    let bad = S.cptr(root: 2)
    let observation = state.run(cnodeCall(.cnodeCopy, [20, 56, 3, 56, 15], caps: [bad], syscall: .send))
    #expect(
      observation.fault
        == .capFault(
          address: bad, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 48)))
    #expect(observation.reply == nil)
    #expect(state.getCap(S.root(20)) == .null)
  }

  @Test func nbSendDropsALookupFailureSilently() {
    var state = ExecState.sample
    let before = state
    let observation = state.run(invoke(1 << 63, .cnodeDelete, Address.root(20).registers, syscall: .nbSend))
    #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(state == before)
  }

  @Test func unknownSyscallFaults() {
    var state = ExecState.sample
    let observation = state.run(.unknownSyscall(number: 42))
    #expect(observation == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: 42), current: nil))
    #expect(state.tcb(at: S.mainTCB)?.state == .inactive)
  }

  /// With a fault handler and no one waiting on its endpoint, the fault is kept and the thread
  /// queues as a sender (`sendFaultIPC`).
  @Test func aFaultHandlerTakesTheFaultAsIPC() {
    var state = ExecState.sample
    state.setCap(SlotRef(S.mainTCB, TCBSlot.faultHandler.rawValue), .endpoint(S.endpoint, badge: 3, rights: .all))
    let observation = state.step(.unknownSyscall(number: 42))
    #expect(observation.fault == .unknownSyscall(number: 42) && observation.notModelled == nil)
    #expect(state.tcb(at: S.mainTCB)?.tcbFault == .unknownSyscall(number: 42))
    #expect(
      state.tcb(at: S.mainTCB)?.state
        == .blockedOnSend(
          blockingObject: S.endpoint, IPCSendFields(badge: 3, canGrant: true, canGrantReply: true, isCall: false)))
  }
}

// Event dispatch: syscalls and events the slice does not model, invoked-cap decode by type,
// lookup faults (blocking or not), fault handling, and replies for Call versus Send.

@testable import ExecutableSpec
import KernelABI
import Testing

@Suite struct SyscallTests {
  @Test func nothingRunsWithoutACurrentThread() {
    var state = sampleState()
    state.ksCurThread = nil
    let before = state
    #expect(state.run(invocation(rootCNodeCptr, .cnodeDelete, rootArgs(3))) == Observation(caller: nil, current: nil))
    #expect(state.run(.unknownSyscall(number: 7)) == Observation(caller: nil, current: nil))
    #expect(state == before)
  }

  @Test func unmodelledSyscallsAndEventsChangeNothing() {
    var state = sampleState()
    let before = state
    for call in [Syscall.replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield] {
      let observation = state.run(.syscall(call, SyscallArguments(capRegister: S.cptr(root: 3), messageInfo: 0)))
      #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: call.libsel4Name))
    }
    #expect(state.run(.interrupt(irq: 3)).notModelled == "interrupt")
    #expect(state.run(.timerTick(ticks: 1)).notModelled == "time")
    #expect(state == before)
  }

  @Test func invokedCapDecodeByType() {
    var state = sampleState()
    let expectations: [(UInt64, String)] = [
      (S.cptr(root: 1), "TCB invocation"), (S.cptr(root: 3), "IPC"), (S.cptr(root: 4), "IPC"),
      (S.cptr(root: 5), "IPC"), (S.cptr(root: 6), "SchedContext invocation"), (S.cptr(root: 7), "SchedControl invocation"),
      (S.cptr(root: 8), "IRQControl invocation"), (S.cptr(root: 9), "DomainSet invocation"), (S.cptr(root: 14), "IPC"),
    ]
    for (cptr, name) in expectations {
      #expect(state.run(invocation(cptr, .invalidInvocation, [])).notModelled == name, "cptr \(cptr)")
    }
    expectError(state.run(invocation(S.cptr(root: 50), .cnodeCopy, [])), .invalidCapability(index: 0))
  }

  @Test func endpointWithoutWriteIsInvalidCapability() {
    var state = sampleState()
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(20) + rootArgs(3) + [CapRights.read.rawValue]))
    expectError(state.run(invocation(S.cptr(root: 20), .invalidInvocation, [])), .invalidCapability(index: 0))
    expectSuccess(state.cnodeCall(.cnodeCopy, rootArgs(21) + rootArgs(4) + [CapRights.read.rawValue]))
    expectError(state.run(invocation(S.cptr(root: 21), .invalidInvocation, [])), .invalidCapability(index: 0))
    // Send drops the error: no reply at all.
    let sent = state.run(invocation(S.cptr(root: 20), .invalidInvocation, [], syscall: .send))
    #expect(sent == Observation(caller: S.mainTCB, current: S.mainTCB))
  }

  @Test func sendPerformsWithoutReplying() {
    var state = sampleState()
    let observation = state.run(invocation(rootCNodeCptr, .cnodeDelete, rootArgs(5), syscall: .nbSend))
    #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(state.cap(at: S.root(5)) == .null)
  }

  @Test func missingMessageRegistersReadAsZero() {
    var state = sampleState()
    // Length 2 with no registers given: index 0, depth 0.
    expectError(state.run(invocation(rootCNodeCptr, .cnodeDelete, [], length: 2)), .rangeError(min: 1, max: 64))
    // Length beyond 120 is clamped; the extra registers are never read.
    expectSuccess(state.run(invocation(rootCNodeCptr, .cnodeDelete, rootArgs(20), length: 127)))
  }

  @Test func invokedCapLookupFailureFaultsTheCaller() {
    var state = sampleState()
    let observation = state.run(invocation(1 << 63, .cnodeDelete, rootArgs(20)))
    let fault = ThreadFault.capFault(
      address: 1 << 63, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
    #expect(observation == Observation(caller: S.mainTCB, fault: fault, current: nil))
    #expect(state.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(state.ksCurThread == nil)
  }

  @Test func extraCapLookupFailureFaultsWithThatAddress() {
    var state = sampleState()
    let bad = S.cptr(root: 2)
    let observation = state.run(invocation(rootCNodeCptr, .cnodeCopy, rootArgs(20) + rootArgs(3) + [15], extraCaps: [bad], syscall: .send))
    #expect(observation.fault == .capFault(address: bad, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 8, guardFound: 0, bitsFound: 48)))
    #expect(observation.reply == nil)
    #expect(state.cap(at: S.root(20)) == .null)
  }

  @Test func nbSendDropsALookupFailureSilently() {
    var state = sampleState()
    let before = state
    let observation = state.run(invocation(1 << 63, .cnodeDelete, rootArgs(20), syscall: .nbSend))
    #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB))
    // An absent extra-cap pointer reads as 0, which names root slot 0 (empty): no lookup failure.
    expectError(state.run(invocation(rootCNodeCptr, .cnodeCopy, rootArgs(20) + rootArgs(3) + [15], extraCapCount: 1)),
      .failedLookup(source: true, failure: .invalidRoot))
    #expect(state == before)
  }

  @Test func unknownSyscallFaults() {
    var state = sampleState()
    let observation = state.run(.unknownSyscall(number: 42))
    #expect(observation == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: 42), current: nil))
    #expect(state.tcb(at: S.mainTCB)?.state == .inactive)
  }

  @Test func aFaultHandlerMeansFaultIPCWhichIsNotModelled() {
    var state = sampleState()
    state.updateCap(SlotRef(S.mainTCB, TCBSlot.faultHandler.rawValue), .endpoint(S.endpoint, badge: 0, rights: .all))
    let before = state
    let observation = state.step(.unknownSyscall(number: 42))
    #expect(observation == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "fault IPC"))
    #expect(state == before)
  }
}

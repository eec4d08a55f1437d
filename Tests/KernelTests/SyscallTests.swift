import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct SyscallTests {
  @Test func unmodelledSyscallsAndEventsChangeNothing() {
    // Interrupts are modelled (`Interrupt.swift`): one on a masked line (every line but the
    // timer's at boot) does not arrive and changes nothing.
    var s = KernelState.sample
    #expect(s.step(.interrupt(irq: 3)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s == KernelState.sample)
    // Time before the deadline enters no kernel: only the machine's clock moves.
    #expect(s.step(.timerTick(ticks: 1)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s.clock == 1 && s.ksCurTime == 0)
  }

  @Test func invokingEachCapKind() {
    // The SchedControl cap (root slot 7) and the SchedContext cap (root slot 6) are modelled: label
    // 0 is no method of theirs.
    var control = KernelState.sample
    // So is the IRQControl cap (root slot 8, `Interrupt.swift`).
    #expect(control.step(invoke(S.cptr(root: 8), label: 0, [1, 2, 3])).reply == ReplyMessage(error: .illegalOperation))
    #expect(control.step(invoke(S.cptr(root: 7), label: 0, [1, 2, 3])).reply == ReplyMessage(error: .illegalOperation))
    #expect(control.step(invoke(S.cptr(root: 6), label: 0, [1, 2, 3])).reply == ReplyMessage(error: .illegalOperation))
    // So is the DomainSet cap (root slot 9).
    #expect(control.step(invoke(S.cptr(root: 9), label: 0, [1, 2, 3])).reply == ReplyMessage(error: .illegalOperation))
    // A notification cap with Write (root slot 4, aux slot 1) signals, whatever the label: the
    // notification becomes active, and the caller gets no reply.
    for cptr in [S.cptr(root: 4), S.cptr(aux: 1)] {
      var n = KernelState.sample
      #expect(n.step(invoke(cptr, label: 0, [1, 2, 3])) == Observation(caller: S.mainTCB, current: S.mainTCB))
      #expect(n.ntfnState(of: S.notification) == .active)
    }
    // A thread cap: label 0 is no TCB method (IllegalOperation); every TCB method is modelled
    // (SetFlags answers with the flags it set, and keeps them in `tcbFlags`).
    var s = KernelState.sample
    #expect(s.step(invoke(S.cptr(root: 1), label: 0, [1, 2, 3])).reply == ReplyMessage(error: .illegalOperation))
    #expect(
      s.step(invoke(S.cptr(root: 1), .tcbSetFlags, [0, 1]))
        == Observation(
          caller: S.mainTCB, reply: ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [1]),
          current: S.mainTCB))
    #expect(s.tcbFlags(of: S.mainTCB) == 1)
  }

  @Test func sendDropsTheErrorOfAWritelessCapAndSuccessRepliesOnlyToCall() {
    var s = KernelState.sample
    // A read-only copy of the endpoint.
    expectSuccess(s.run(cnodeCopy(.root(20), from: .root(3), rights: .read)))
    // Send drops the error reply.
    let o = s.step(invoke(S.cptr(root: 20), label: 0, [], syscall: .send))
    #expect(o == Observation(caller: S.mainTCB, current: S.mainTCB))
    // Success replies only to Call.
    let sent = s.step(cnodeCall(.cnodeDelete, [20, 56], syscall: .send))
    #expect(sent == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s.capability(at: S.root(20)) == .null)
  }

  @Test func lookupFailuresAreCapFaultsForBlockingCalls() {
    let cptr: UInt64 = 1 << 63
    var s = KernelState.sample
    let nb = s.step(invoke(cptr, label: 0, [], syscall: .nbSend))
    #expect(nb == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s == KernelState.sample)
    let o = s.step(invoke(cptr, label: 0, []))
    let failure = LookupFailure.guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48)
    #expect(
      o
        == Observation(
          caller: S.mainTCB, fault: .capFault(address: cptr, inReceivePhase: false, failure: failure), current: nil))
    #expect(s.ksCurThread == KernelConstants.idleThreadPtr)
    #expect(s.threadState(of: S.mainTCB) == .inactive)
    #expect(s.invariantViolations() == [])
  }

  @Test func extraCapLookupFailuresFaultWithTheirOwnCptr() {
    var s = KernelState.sample
    let bad: UInt64 = 0xFF << 56
    let o = s.step(cnodeCall(.cnodeCopy, [20, 56, 3, 56, 0xF], caps: [bad], syscall: .send))
    #expect(
      o.fault
        == .capFault(
          address: bad, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48)))
    #expect(o.current == nil)
  }

  @Test func faultsGoToAFaultHandlerWhenThereIsOne() {
    var s = KernelState(plan: .sampleWithFaultHandler)
    #expect(s.invariantViolations() == [])
    let o = s.step(.unknownSyscall(number: 7))
    #expect(o.fault == .unknownSyscall(number: 7) && o.notModelled == nil)
    #expect(s.tcbFault(of: S.mainTCB) == .unknownSyscall(number: 7))
    #expect(s.threadState(of: S.mainTCB) == .blockedOnSend)
    #expect(s.invariantViolations() == [])
    var t = KernelState.sample
    let f = t.step(.unknownSyscall(number: 7))
    #expect(f == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: 7), current: nil))
  }

  @Test func anIdleKernelIgnoresSyscalls() {
    var s = KernelState(plan: .idleSample)
    #expect(s.step(cnodeDelete(.root(3))) == Observation(caller: nil, current: nil))
    #expect(s.step(.unknownSyscall(number: 1)) == Observation(caller: nil, current: nil))
    #expect(s.step(.interrupt(irq: 1)) == Observation(caller: nil, current: nil))
    #expect(s.capability(at: S.root(3)) != .null)
  }

}

import KernelABI
import Testing

@testable import Kernel

@Suite struct SyscallTests {
  @Test func unmodelledSyscallsAndEventsChangeNothing() {
    for call in [Syscall.replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield] {
      var s = KernelState.sample
      let o = s.step(event(call, S.cptr(root: 3), label: 0, []))
      #expect(o == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: call.libsel4Name))
      #expect(s == KernelState.sample)
    }
    var s = KernelState.sample
    #expect(s.step(.interrupt(irq: 3)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "interrupt"))
    #expect(s.step(.timerTick(ticks: 1)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "time"))
    #expect(s == KernelState.sample)
  }

  @Test func invokingEachCapKind() {
    let expectations: [(UInt64, String?)] = [
      (S.cptr(root: 1), "TCB invocation"), (S.cptr(root: 3), "IPC"), (S.cptr(root: 4), "IPC"), (S.cptr(root: 5), "IPC"),
      (S.cptr(root: 6), "SchedContext invocation"), (S.cptr(root: 7), "SchedControl invocation"),
      (S.cptr(root: 8), "IRQControl invocation"), (S.cptr(root: 9), "DomainSet invocation"),
      (S.cptr(aux: 1), "IPC"), (S.cptr(root: 14), "IPC"),
    ]
    for (cptr, name) in expectations {
      var s = KernelState.sample
      let o = s.step(event(cptr, label: 0, [1, 2, 3]))
      #expect(o == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: name), "cptr \(cptr)")
      #expect(s == KernelState.sample)
    }
  }

  @Test func nullCapsAndSendsWithoutWriteAreInvalidCapabilities() {
    var s = KernelState.sample
    expectError(s.step(event(S.cptr(root: 50), label: 0, [])), .invalidCapability(index: 0))
    // A read-only copy of the endpoint.
    expectSuccess(s.cnode(.cnodeCopy, [20, 56, 3, 56, CapRights.read.rawValue]))
    expectError(s.step(event(S.cptr(root: 20), label: 0, [])), .invalidCapability(index: 0))
    // Send drops the error reply.
    let o = s.step(event(.send, S.cptr(root: 20), label: 0, []))
    #expect(o == Observation(caller: S.mainTCB, current: S.mainTCB))
    // Success replies only to Call.
    let sent = s.step(event(.send, rootCNodeCptr, .cnodeDelete, [20, 56]))
    #expect(sent == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s.capability(at: S.root(20)) == .null)
  }

  @Test func lookupFailuresAreCapFaultsForBlockingCalls() {
    let cptr: UInt64 = 1 << 63
    var s = KernelState.sample
    let nb = s.step(event(.nbSend, cptr, label: 0, []))
    #expect(nb == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(s == KernelState.sample)
    let o = s.step(event(.call, cptr, label: 0, []))
    let failure = LookupFailure.guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48)
    #expect(o == Observation(caller: S.mainTCB, fault: .capFault(address: cptr, inReceivePhase: false, failure: failure), current: nil))
    #expect(s.ksCurThread == nil)
    #expect(s.threadState(of: S.mainTCB) == .inactive)
    #expect(s.invariantViolations() == [])
  }

  @Test func extraCapLookupFailuresFaultWithTheirOwnCptr() {
    var s = KernelState.sample
    let bad: UInt64 = 0xFF << 56
    let o = s.step(event(.send, rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 0xF], extraCaps: [bad]))
    #expect(o.fault == .capFault(address: bad, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48)))
    #expect(o.current == nil)
    // Extra caps beyond those the event gives are cptr 0: root slot 0 (empty), so the source root is not a CNode.
    var t = KernelState.sample
    let missing = t.step(event(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 0xF], extraCapCount: 1))
    expectError(missing, .failedLookup(source: true, failure: .invalidRoot))
  }

  @Test func faultsGoToAFaultHandlerWhenThereIsOne() {
    var plan = SystemPlan.sample
    plan.caps[SlotRef(S.mainTCB, TCBSlot.faultHandler.rawValue)] = .endpoint(S.endpoint, badge: 0, rights: .all)
    plan.cdtParent[SlotRef(S.mainTCB, TCBSlot.faultHandler.rawValue)] = S.root(3)
    var s = KernelState(plan: plan)
    #expect(s.invariantViolations() == [])
    let before = s
    let o = s.step(.unknownSyscall(number: 7))
    #expect(o == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "fault IPC"))
    #expect(s == before)
    var t = KernelState.sample
    let f = t.step(.unknownSyscall(number: 7))
    #expect(f == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: 7), current: nil))
  }

  @Test func anIdleKernelIgnoresSyscalls() {
    var plan = SystemPlan.sample
    plan.currentThread = nil
    var s = KernelState(plan: plan)
    #expect(s.step(event(rootCNodeCptr, .cnodeDelete, [3, 56])) == Observation(caller: nil, current: nil))
    #expect(s.step(.unknownSyscall(number: 1)) == Observation(caller: nil, current: nil))
    #expect(s.step(.interrupt(irq: 1)) == Observation(caller: nil, current: nil, notModelled: "interrupt"))
    #expect(s.capability(at: S.root(3)) != .null)
  }

  @Test func messageLengthIsClampedAndMissingRegistersReadAsZero() {
    var s = KernelState.sample
    // Length 2 claimed with one register given: depth reads 0, a RangeError.
    expectError(s.step(event(rootCNodeCptr, .cnodeDelete, [3], length: 2)), .rangeError(min: 1, max: 64))
    // Registers beyond the length are not read.
    expectError(s.step(event(rootCNodeCptr, .cnodeDelete, [3, 56], length: 1)), .truncatedMessage)
  }
}

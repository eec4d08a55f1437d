// One step: event dispatch, message info and registers, lookups that fault, the invoked cap's
// type, replies for Call only, and the outcomes that are not modelled.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@Suite struct SyscallTests {
  /// A syscall with cptr 0, label 0 and no message.
  func plain(_ call: Syscall) -> Event { invoke(0, label: 0, [], syscall: call) }

  @Test("with no current thread a syscall does nothing")
  func idle() {
    var state = AbstractState(plan: .oneThread)
    state.currentThread = KernelConstants.idleThreadPtr
    state.curSC = KernelConstants.idleSCPtr
    let before = state
    #expect(state.step(plain(.call)) == Observation(caller: nil, current: nil))
    #expect(state.step(.unknownSyscall(number: -42)) == Observation(caller: nil, current: nil))
    #expect(state.step(.interrupt(irq: 1)) == Observation(caller: nil, current: nil))
    #expect(state == before)
  }

  @Test("a first phase not modelled, interrupts and time are reported as not modelled")
  func notModelled() {
    var k = AbstractState.sample
    let before = k
    // Every syscall is modelled, and so are interrupts (`Interrupt.swift`): one on a masked line
    // (every line but the timer's at boot) does not arrive and changes nothing.
    #expect(k.run(.interrupt(irq: 3)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(k == before)
    // Time before the deadline enters no kernel: only the machine's clock moves.
    #expect(k.run(.timerTick(ticks: 5)) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(k.clock == 5 && k.curTime == 0)
  }

  @Test("an unknown syscall faults; with no fault handler the thread stops")
  func unknownSyscall() {
    var k = AbstractState.sample
    let observation = k.run(.unknownSyscall(number: -20))
    #expect(observation == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: -20), current: nil))
    #expect(k.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(k.currentThread == KernelConstants.idleThreadPtr)
  }

  @Test("Call and Send on an invalid cptr raise a CapFault with the exact lookup failure")
  func capFault() {
    for call: Syscall in [.call, .send] {
      var k = AbstractState.sample
      let event = invoke(1 << 63, label: 0, [], syscall: call)
      let expected = ThreadFault.capFault(
        address: 1 << 63, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
      #expect(k.run(event) == Observation(caller: S.mainTCB, fault: expected, current: nil))
      #expect(k.tcb(at: S.mainTCB)?.state == .inactive)
    }
  }

  @Test("NBSend on an invalid cptr does nothing at all")
  func nbSendDropsFault() {
    var k = AbstractState.sample
    let before = k
    let event = invoke(13 << 8 | 0x10, label: 0, [], syscall: .nbSend)
    #expect(k.run(event) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(k == before)
  }

  @Test("a failed extra-cap lookup is a CapFault on that cptr, not an error reply")
  func extraCapFault() {
    var k = AbstractState.sample
    let event = invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [1 << 62])
    let expected = ThreadFault.capFault(
      address: 1 << 62, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
    #expect(k.run(event).fault == expected)
    #expect(k.currentThread == KernelConstants.idleThreadPtr)
  }

  @Test("with a fault handler and no one waiting, the thread keeps the fault and queues to send it")
  func faultHandler() {
    var k = AbstractState.sample
    k.setCap(mainSlot(.faultHandler), .endpoint(S.endpoint, badge: 0, rights: .all))
    k.cdt[mainSlot(.faultHandler)] = S.root(3)
    let observation = k.run(.unknownSyscall(number: 7))
    #expect(observation.fault == .unknownSyscall(number: 7) && observation.notModelled == nil)
    #expect(k.tcb(at: S.mainTCB)?.fault == .unknownSyscall(number: 7))
    #expect(
      k.tcb(at: S.mainTCB)?.state
        == .blockedOnSend(S.endpoint, IPCSendFields(badge: 0, canGrant: true, canGrantReply: true, isCall: false)))
  }

  @Test("every cap type's methods are modelled: label 0 is no method of theirs")
  func capTypes() {
    var k = AbstractState.sample
    // The SchedControl, SchedContext, IRQControl and DomainSet caps are modelled: label 0 is no
    // method of theirs.
    #expect(k.run(invoke(S.cptr(root: 8), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(k.run(invoke(S.cptr(root: 9), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(k.run(invoke(S.cptr(root: 7), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(k.run(invoke(S.cptr(root: 6), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    // A thread cap: label 0 is no TCB method (IllegalOperation); every TCB
    // method is modelled (SetFlags answers with the flags it set).
    #expect(k.run(invoke(S.cptr(root: 1), .invalidInvocation, [])).reply == ReplyMessage(error: .illegalOperation))
    #expect(
      k.run(invoke(S.cptr(root: 1), .tcbSetFlags, [0, 1]))
        == Observation(
          caller: S.mainTCB, reply: ReplyMessage(info: MessageInfo(label: 0, length: 1), registers: [1]),
          current: S.mainTCB))
    #expect(k.tcb(at: S.mainTCB)?.flags == 1)
  }

  @Test("a success answers Call with an empty reply and leaves the caller running")
  func successReply() {
    var k = AbstractState.sample
    let observation = k.run(cnodeCopy(.root(20), from: .root(3)))
    #expect(observation == Observation(caller: S.mainTCB, reply: .success, current: S.mainTCB))
    #expect(k.tcb(at: S.mainTCB)?.state == .running)
  }

  @Test("an error reply carries the code and the payload registers")
  func errorReply() {
    var k = AbstractState.sample
    let observation = k.run(cnodeCopy(.root(20), from: .root(30)))
    #expect(observation.reply?.info == MessageInfo(label: 6, length: 3))
    #expect(observation.reply?.registers == [1, 2, 56])
  }

  @Test("length is clamped to 120 and missing registers read as 0; extra caps beyond the count are ignored")
  func messageRegisters() {
    var k = AbstractState.sample
    let event = invoke(
      rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [rootCNodeCptr, 1 << 63], length: 127, extraCapCount: 1)
    #expect(k.answer(event) == .success)
    // Mint reads a badge from MR5, absent here: 0, an unbadged copy.
    let minted = invoke(rootCNodeCptr, .cnodeMint, [21, 56, 3, 56, 15], caps: [rootCNodeCptr], length: 6)
    #expect(k.answer(minted) == .success)
    #expect(k.getCap(S.root(21)) == .endpoint(S.endpoint, badge: 0, rights: .all))
  }
}

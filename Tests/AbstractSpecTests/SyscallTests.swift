// One step: event dispatch, message info and registers, lookups that fault, the invoked cap's
// type, replies for Call only, and the outcomes that are not modelled.

import AbstractSpec
import KernelABI
import Testing

@Suite struct SyscallTests {
  let plain = SyscallArguments(capRegister: 0, messageInfo: 0)

  @Test("with no current thread a syscall does nothing")
  func idle() {
    var state = AbstractState(plan: .sample)
    state.currentThread = nil
    let before = state
    #expect(state.step(.syscall(.call, plain)) == Observation(caller: nil, current: nil))
    #expect(state.step(.unknownSyscall(number: -42)) == Observation(caller: nil, current: nil))
    #expect(state.step(.interrupt(irq: 1)) == Observation(caller: nil, current: nil, notModelled: "interrupt"))
    #expect(state == before)
  }

  @Test("receives, replies, yields, interrupts and time are reported as not modelled")
  func notModelled() {
    var k = Harness()
    let before = k.state
    for call: Syscall in [.replyRecv, .nbSendRecv, .nbSendWait, .recv, .nbRecv, .wait, .nbWait, .yield] {
      #expect(k.step(.syscall(call, plain)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: call.libsel4Name))
    }
    #expect(k.step(.interrupt(irq: 3)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "interrupt"))
    #expect(k.step(.timerTick(ticks: 5)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "time"))
    #expect(k.state == before)
  }

  @Test("an unknown syscall faults; with no fault handler the thread stops")
  func unknownSyscall() {
    var k = Harness()
    let observation = k.step(.unknownSyscall(number: -20))
    #expect(observation == Observation(caller: S.mainTCB, fault: .unknownSyscall(number: -20), current: nil))
    #expect(k.state.tcb(at: S.mainTCB)?.state == .inactive)
    #expect(k.state.currentThread == nil)
  }

  @Test("Call and Send on an invalid cptr raise a CapFault with the exact lookup failure")
  func capFault() {
    for call: Syscall in [.call, .send] {
      var k = Harness()
      let event = Event.syscall(call, SyscallArguments(capRegister: 1 << 63, messageInfo: 0))
      let expected = ThreadFault.capFault(address: 1 << 63, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
      #expect(k.step(event) == Observation(caller: S.mainTCB, fault: expected, current: nil))
      #expect(k.state.tcb(at: S.mainTCB)?.state == .inactive)
    }
  }

  @Test("NBSend on an invalid cptr does nothing at all")
  func nbSendDropsFault() {
    var k = Harness()
    let before = k.state
    let event = Event.syscall(.nbSend, SyscallArguments(capRegister: 13 << 8 | 0x10, messageInfo: 0))
    #expect(k.step(event) == Observation(caller: S.mainTCB, current: S.mainTCB))
    #expect(k.state == before)
  }

  @Test("a failed extra-cap lookup is a CapFault on that cptr, not an error reply")
  func extraCapFault() {
    var k = Harness()
    let event = invoke(rootCNodeCptr, .cnodeCopy, [20, 56, 3, 56, 15], caps: [1 << 62])
    let expected = ThreadFault.capFault(address: 1 << 62, inReceivePhase: false, failure: .guardMismatch(bitsLeft: 64, guardFound: 0, bitsFound: 48))
    #expect(k.step(event).fault == expected)
    #expect(k.state.currentThread == nil)
  }

  @Test("an extra cap the message counts but the event omits is cptr 0: root slot 0, empty")
  func missingExtraCapPointer() {
    var k = Harness()
    let info = MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 5)
    let event = Event.syscall(.call, SyscallArguments(capRegister: rootCNodeCptr, messageInfo: info.word, messageRegisters: [20, 56, 3, 56, 15]))
    #expect(k.answer(event) == .error(.failedLookup(source: true, failure: .invalidRoot)))
  }

  @Test("with a fault handler, fault delivery is IPC: not modelled, nothing changes")
  func faultHandler() {
    var k = Harness()
    k.state.setCap(mainSlot(.faultHandler), .endpoint(S.endpoint, badge: 0, rights: .all))
    k.state.cdt[mainSlot(.faultHandler)] = S.root(3)
    let before = k.state
    #expect(k.step(.unknownSyscall(number: 7)) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: "fault IPC"))
    #expect(k.state == before)
  }

  @Test("the invoked cap's type decides: errors for Null and write-less endpoints, names for the rest")
  func capTypes() {
    var k = Harness()
    #expect(k.answer(cnodeCopy(.root(20), from: .root(3), rights: [.read])) == .success)
    #expect(k.answer(cnodeCopy(.root(21), from: .root(4), rights: [.read])) == .success)
    k.state.setCap(S.root(22), .irqHandler(irq: 1))
    k.state.isOriginalCap.insert(S.root(22))
    #expect(k.answer(invoke(S.cptr(root: 30), .cnodeCopy, [])) == .error(.invalidCapability(index: 0)))
    #expect(k.answer(invoke(S.cptr(root: 20), .invalidInvocation, [])) == .error(.invalidCapability(index: 0)))
    #expect(k.answer(invoke(S.cptr(root: 21), .invalidInvocation, [])) == .error(.invalidCapability(index: 0)))
    let names: [(UInt64, String)] = [
      (S.cptr(root: 3), "IPC"), (S.cptr(aux: 1), "IPC"), (S.cptr(root: 5), "IPC"),
      (S.cptr(root: 1), "TCB invocation"), (S.cptr(root: 6), "SchedContext invocation"),
      (S.cptr(root: 7), "SchedControl invocation"), (S.cptr(root: 8), "IRQControl invocation"),
      (S.cptr(root: 22), "IRQHandler invocation"), (S.cptr(root: 9), "DomainSet invocation"),
    ]
    for (cptr, name) in names {
      let before = k.state
      #expect(k.step(invoke(cptr, .invalidInvocation, [])) == Observation(caller: S.mainTCB, current: S.mainTCB, notModelled: name))
      #expect(k.state == before)
    }
  }

  @Test("a success answers Call with an empty reply and leaves the caller running")
  func successReply() {
    var k = Harness()
    let observation = k.step(cnodeCopy(.root(20), from: .root(3)))
    #expect(observation == Observation(caller: S.mainTCB, reply: .success, current: S.mainTCB))
    #expect(k.state.tcb(at: S.mainTCB)?.state == .running)
  }

  @Test("an error reply carries the code and the payload registers")
  func errorReply() {
    var k = Harness()
    let observation = k.step(cnodeCopy(.root(20), from: .root(30)))
    #expect(observation.reply?.info == MessageInfo(label: 6, length: 3))
    #expect(observation.reply?.registers == [1, 2, 56])
  }

  @Test("length is clamped to 120 and missing registers read as 0; extra caps beyond the count are ignored")
  func messageRegisters() {
    var k = Harness()
    let info = MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 127)
    let event = Event.syscall(.call, SyscallArguments(
      capRegister: rootCNodeCptr, messageInfo: info.word, messageRegisters: [20, 56, 3, 56, 15], extraCaps: [rootCNodeCptr, 1 << 63]))
    #expect(k.answer(event) == .success)
    // Mint reads a badge from MR5, absent here: 0, an unbadged copy.
    let mint = MessageInfo(label: InvocationLabel.cnodeMint.rawValue, extraCaps: 1, length: 6)
    let minted = Event.syscall(.call, SyscallArguments(capRegister: rootCNodeCptr, messageInfo: mint.word, messageRegisters: [21, 56, 3, 56, 15], extraCaps: [rootCNodeCptr]))
    #expect(k.answer(minted) == .success)
    #expect(k.cap(S.root(21)) == .endpoint(S.endpoint, badge: 0, rights: .all))
    // Registers beyond the stated length are not read.
    let short = MessageInfo(label: InvocationLabel.cnodeCopy.rawValue, extraCaps: 1, length: 4)
    let truncated = Event.syscall(.call, SyscallArguments(capRegister: rootCNodeCptr, messageInfo: short.word, messageRegisters: [22, 56, 3, 56, 15], extraCaps: [rootCNodeCptr]))
    #expect(k.answer(truncated) == .error(.truncatedMessage))
  }
}

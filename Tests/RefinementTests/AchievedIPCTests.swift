// `IPCObserver` on scripted steps of the small client/server system: a queued Call taken by a
// Recv with the reply object, the reply through ReplyRecv, a Send met by a waiting receiver, a
// signal taken later by a Wait; and what is not IPC (a Recv reusing the reply object, which cuts
// the caller off) reported as nothing.

import AbstractSpec
import KernelABI
import Refinement
import Testing

@Suite struct AchievedIPCTests {
  typealias S = SystemPlan.SmallIPC
  static let ep = SystemPlan.Small.endpoint
  static let ntfn = SystemPlan.Small.notification

  static func syscall(_ call: Syscall, _ cptr: UInt64, reply: UInt64 = 0, length: UInt64 = 0) -> Event {
    .syscall(
      call,
      SyscallArguments(
        capRegister: cptr, messageInfo: MessageInfo(label: 1, extraCaps: 0, length: length).word,
        messageRegisters: Array(repeating: 7, count: Int(length)), replyRegister: reply))
  }

  /// Steps `events` from the small client/server system, with the flows each achieved.
  static func run(_ events: [Event]) -> [[AchievedIPC]] {
    var checker = LockstepChecker(plan: .smallIPC)
    var observer = IPCObserver()
    return events.map { event in
      let before = checker.abstract
      let failure = checker.step(event).failure
      #expect(failure == nil, "\(event)")
      return observer.observe(before: before, event: event, after: checker.abstract)
    }
  }

  @Test func aCallTheReplyAndASend() {
    let flows = Self.run([
      Self.syscall(.call, 3, length: 1),  // the server calls: queued, the client runs
      Self.syscall(.recv, 3, reply: 9),  // the client takes the Call on the reply object
      Self.syscall(.replyRecv, 3, reply: 9, length: 1),  // and replies, then waits again
      Self.syscall(.send, 3, length: 1),  // the server sends to the waiting client
    ])
    #expect(
      flows == [
        [], [AchievedIPC(from: S.server, kind: .call, to: S.client, object: Self.ep)],
        [AchievedIPC(from: S.client, kind: .reply, to: S.server, object: S.reply)],
        [AchievedIPC(from: S.server, kind: .send, to: S.client, object: Self.ep)],
      ])
  }

  @Test func aSignalIsReceivedByTheNextWaitAndACutOffCallIsNoReply() {
    let signal = Self.run([
      Self.syscall(.send, 5),  // the server signals: nobody waits, the word is set
      .syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0)),  // the client runs
      Self.syscall(.wait, 5),  // and takes the word
    ])
    #expect(signal == [[], [], [AchievedIPC(from: S.server, kind: .signal, to: S.client, object: Self.ntfn)]])
    let cutOff = Self.run([
      Self.syscall(.call, 3, length: 1),  // the server calls: queued
      Self.syscall(.recv, 3, reply: 9),  // the client takes it on the reply object
      Self.syscall(.recv, 3, reply: 9),  // and reuses the reply object: the call is cancelled
    ])
    #expect(cutOff.count == 3 && cutOff[1].count == 1 && cutOff[2].isEmpty)
  }
}

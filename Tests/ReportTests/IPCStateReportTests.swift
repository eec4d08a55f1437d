// The HTML trace report's state dumps show IPC state: an endpoint's queue, a reply object's thread
// and the reply stack it heads, a scheduling context's reply stack, the scheduling context each
// thread runs on (own or donated), and the idle thread and its scheduling context.

import Foundation
import KernelABI
import Refinement
import Report
import Testing

@Suite struct IPCStateReportTests {
  typealias S = SystemPlan.Sample

  /// On the built-in system: main waits on ep with its reply object; second makes main passive
  /// (TCB_SetSchedParams with an empty slot as the scheduling context) and calls: main runs on
  /// second's scheduling context.
  static let events: [Event] = [
    .syscall(.recv, SyscallArguments(capRegister: 0x300, messageInfo: 0, replyRegister: 0x500)),
    .syscall(
      .call,
      SyscallArguments(
        capRegister: 0x100,
        messageInfo: MessageInfo(label: InvocationLabel.tcbSetSchedParams.rawValue, extraCaps: 3, length: 2).word,
        messageRegisters: [255, 100], extraCaps: [S.secondSlot << 8, 20 << 8, 0x300])),
    .syscall(
      .call,
      SyscallArguments(
        capRegister: 0x300, messageInfo: MessageInfo(label: 1, extraCaps: 0, length: 1).word, messageRegisters: [5])),
  ]

  @Test func theDumpsShowQueuesReplyStacksDonationAndIdle() throws {
    let trace = TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: 0, traceSeed: nil, traceIndex: 0, originalLength: nil,
      events: IPCStateReportTests.events, expected: .init(kind: .r1, name: "none", step: 0, layer: nil))
    let timeline = TraceTimeline(trace: trace, plan: .sample, file: "ipc.json")
    #expect(timeline.outcome == "passes")
    #expect(timeline.steps.count == 4)
    for layer in 0..<3 {
      // Each layer's state at each step: the initial dump with every step's changes applied.
      var state = Dictionary(timeline.initial[layer].map { ($0.label, $0.text) }, uniquingKeysWith: { a, _ in a })
      func apply(_ step: Int) {
        for line in timeline.steps[step].changes[layer].lines { state[line.label] = line.text }
      }
      #expect(state["idle"]?.contains("tcb, 2^") == true, "\(state["idle"] ?? "no idle line")")
      #expect(state["idle"]?.contains("state idleThreadState") == true)
      #expect(state["idle"]?.contains("own SC idle_sc") == true)
      #expect(state["idle_sc"]?.contains("thread idle") == true)
      #expect(state["ep"]?.contains("endpoint, 2^4 bytes, idle at") == true, "\(state["ep"] ?? "")")
      #expect(state["main"]?.contains("own SC sc") == true)
      apply(1)
      #expect(state["ep"]?.contains("recv queue [main]") == true, "\(state["ep"] ?? "")")
      #expect(state["reply"]?.contains("reply, 2^5 bytes, thread main at") == true, "\(state["reply"] ?? "")")
      apply(2)
      #expect(state["main"]?.contains("SC") == false, "\(state["main"] ?? "")")
      apply(3)
      #expect(state["ep"]?.contains("idle") == true)
      #expect(state["main"]?.contains("SC second_sc donated by second") == true, "\(state["main"] ?? "")")
      #expect(state["second_sc"]?.contains("thread main, refillMax") == true)
      #expect(state["second_sc"]?.contains("reply stack [reply]") == true, "\(state["second_sc"] ?? "")")
      #expect(state["reply"]?.contains("thread second, heads the call stack of second_sc") == true)
    }
    let html = try timeline.html()
    #expect(html.contains("SC second_sc donated by second"))
    #expect(html.contains("reply stack [reply]"))
    #expect(html.contains("recv queue [main]"))
    #expect(html.contains("idleThreadState"))
  }
}

// The explorer shows IPC state on every layer: endpoint and notification queues head first, the
// reply stack of each scheduling context, what a reply object is tied to, the scheduling context
// each thread runs on (own or donated), and the idle thread and its scheduling context.

import Foundation
import Refinement
import Scenario
import Testing

@testable import Explorer

@Suite struct IPCViewTests {
  static let scenario = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scenarios/IPC0002-call-replyrecv-donation.scenario").path

  @Test func queuesReplyStacksAndDonationOnEveryLayer() throws {
    var session = try Session.open(scenario: IPCViewTests.scenario)
    // Step 1: the server waits on e with its reply object.
    _ = session.say("goto 1")
    let queue = session.say("show queue e")
    #expect(queue.hasPrefix("e (endpoint, exec layer): recv queue, 1 receivers, head first"), "\(queue)")
    #expect(queue.contains("1. server         blockedOnReceive("), "\(queue)")
    #expect(session.say("show queue r").contains("thread server; on no reply stack"))
    #expect(session.say("show object e").contains("recv queue [server]"))
    // Step 3: the client's Call donated its scheduling context to the (passive) server.
    _ = session.say("goto 3")
    let stack = session.say("show queue client_sc")
    #expect(stack.contains("runs server; reply stack, newest first"), "\(stack)")
    #expect(stack.contains("1. r              caller client"), "\(stack)")
    #expect(
      session.say("show queue r").contains(
        "thread client, heads the call stack of client_sc; on the reply stack of client_sc"))
    #expect(session.say("show queue server").contains("SC client_sc donated by client"))
    #expect(session.say("show queue client").contains("blockedOnReply("))
    #expect(session.say("show queue client").contains("no SC"))
    let threads = session.say("threads")
    #expect(threads.contains("SC client_sc donated by client"), "\(threads)")
    #expect(session.say("show thread server").contains("SC client_sc donated by client"))
    #expect(session.say("show object client_sc").contains("reply stack [r]"))
    #expect(session.say("show queue e").contains("idle, no thread queued"))
    // The three layers show the same (the kernel's read from its memory).
    for command in ["show queue client_sc", "show queue r", "show queue e", "threads"] {
      let exec = session.say("exec " + command).replacingOccurrences(of: "exec layer", with: "LAYER")
      #expect(session.say("kernel " + command).replacingOccurrences(of: "kernel layer", with: "LAYER") == exec)
      #expect(session.say("abstract " + command).replacingOccurrences(of: "abstract layer", with: "LAYER") == exec)
    }
    // The last step: the SC back with the client, the server waiting again, passive.
    _ = session.say("last")
    #expect(session.say("show queue client_sc").contains("runs client; reply stack empty (not donated)"))
    #expect(session.say("show queue client").contains("own SC client_sc"))
    #expect(session.say("show queue server").contains("no SC"))
  }

  @Test func theIdleThreadAndItsSchedulingContextAreShown() throws {
    var session = try Session.open(scenario: IPCViewTests.scenario)
    for layer in ["abstract", "exec", "kernel"] {
      let idle = session.say("\(layer) show thread idle")
      #expect(idle.contains("idle @ 0xffffff8000038000: tcb"), "\(layer): \(idle)")
      #expect(idle.contains("state idleThreadState"), "\(layer): \(idle)")
      #expect(idle.contains("own SC idle_sc"), "\(layer): \(idle)")
      let sc = session.say("\(layer) show object idle_sc")
      #expect(sc.contains("idle_sc @ 0xffffff8000038800"), "\(layer): \(sc)")
      #expect(sc.contains("thread idle"), "\(layer): \(sc)")
      #expect(session.say("\(layer) objects").contains("idle_sc"))
      #expect(session.say("\(layer) threads").contains("idle "))
    }
  }

  /// A notification's queue, head first (MCS orders it by priority).
  @Test func aNotificationQueue() throws {
    let file = URL(fileURLWithPath: IPCViewTests.scenario).deletingLastPathComponent()
      .appendingPathComponent("IPC0003-priority-ordered-queue.scenario").path
    var session = try Session.open(scenario: file)
    _ = session.say("goto 4")
    let queue = session.say("show queue e")
    #expect(queue.contains("send queue, 2 senders, head first"), "\(queue)")
    #expect(queue.contains("1. b "), "\(queue)")
    #expect(queue.contains("2. a "), "\(queue)")
    _ = session.say("last")
    let ntfn = session.say("show queue n")
    #expect(ntfn.contains("waiting queue, 4 threads, head first"), "\(ntfn)")
    #expect(ntfn.contains("1. d "), "\(ntfn)")
    #expect(ntfn.contains("4. main "), "\(ntfn)")
  }
}

extension IPCViewTests {
  /// `idle` and `idle_sc` are names a user can be hinted toward and complete.
  @Test func theIdleNamesAreHintedAndCompleted() throws {
    var session = try Session.open(scenario: IPCViewTests.scenario)
    #expect(session.say("show thread idel").contains("did you mean 'idle'?"))
    #expect(session.completions(before: "show object ", word: "idle").contains("idle_sc"))
    #expect(session.completions(before: "show thread ", word: "id").contains("idle"))
  }
}

// The `expect` lines about IPC state (endpoint and notification queues, reply objects, reply
// stacks, the scheduling context a thread runs on, the blocked thread states) and the
// `receivePath` part of a receive: each passes on a state that has it, and each wrong one fails
// with the script's line, what it expected and what all three layers show; malformed ones are
// refused at load with their place.

import KernelABI
import Refinement
import Testing

@testable import Scenario

@Suite struct IPCExpectationTests {
  /// The built-in system after `main` waits on `ep` with `reply` and `second` calls it: main (its
  /// own scheduling context, so nothing is donated) runs with the call; second waits for the reply.
  static let prefix = """
    system builtin
    main: Recv(ep, reply reply) -> ok
    expect ep(ep) == recv [main]
    expect reply(reply) == receiver main
    expect main.state == BlockedOnReceive
    second: Call(ep, label 1, [5]) -> ok
    expect current == main
    expect main.x2 == 5
    expect ep(ep) == idle
    expect reply(reply) == caller second
    expect second.state == BlockedOnReply
    expect main.sc == sc own
    expect stack(sc) == []
    expect ntfn(ntfn) == idle

    """

  @Test func theRightExpectationsPass() throws {
    let result = try LoadedScenario.load(text: IPCExpectationTests.prefix, file: "p.scenario").run()
    #expect(result.passed, "\(result.message ?? "")")
    #expect(result.steps == 2)
  }

  @Test(arguments: [
    ("expect ep(ep) == send [main]", "actual:   ep(ep) == idle (on all three layers)"),
    ("expect ep(ep) == recv [second]", "actual:   ep(ep) == idle (on all three layers)"),
    ("expect reply(reply) == caller main", "actual:   reply(reply) == caller second (on all three layers)"),
    ("expect reply(reply) == caller second stack sc", "actual:   reply(reply) == caller second (on all"),
    ("expect reply(reply) == none", "expected: reply(reply) == none"),
    ("expect stack(sc) == [reply]", "actual:   stack(sc) == [] (on all three layers)"),
    ("expect main.sc == sc donated", "actual:   main.sc == own SC sc (on all three layers)"),
    ("expect main.sc == second_sc own", "expected: main.sc == own SC second_sc"),
    ("expect ntfn(ntfn) == active 6", "actual:   ntfn(ntfn) == idle (on all three layers)"),
    ("expect second.state == BlockedOnSend", "actual:   second.state == BlockedOnReply"),
    ("expect reply(ep) == none", "actual:   reply(ep) == (endpoint, not a reply object)"),
  ])
  func aWrongExpectationFailsNamingItsLine(_ line: String, _ detail: String) throws {
    let text = IPCExpectationTests.prefix + line + "\n"
    let lineNumber = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
    let result = try LoadedScenario.load(text: text, file: "w.scenario").run()
    #expect(!result.passed)
    let message = result.message ?? ""
    #expect(message.hasPrefix("w.scenario:\(lineNumber): \(line)\n"), "\(message)")
    #expect(message.contains(detail), "\(message)")
  }

  @Test(arguments: [
    ("expect ep(ep) == recv []", "t.scenario:2:23: a recv queue is never empty (an empty queue is 'idle')"),
    (
      "expect ep(ep) == waiting [main]",
      "t.scenario:2:18: expected the state of an endpoint (idle, send, recv), found 'waiting'"
    ),
    (
      "expect ntfn(ntfn) == recv [main]",
      "t.scenario:2:22: expected the state of a notification (idle, waiting, active), found 'recv'"
    ),
    (
      "expect reply(reply) == owner main", "t.scenario:2:24: expected 'none', 'caller T' or 'receiver T', found 'owner'"
    ),
    ("expect stack(sc) == reply", "t.scenario:2:21: expected '[' starting a list, found 'reply'"),
    ("expect ep(nosuch) == idle", "t.scenario:2:11: expected a name of the system, found 'nosuch' (not defined)"),
    ("expect main.sc == sc lent", "t.scenario:2:22: expected end of line"),
  ])
  func malformedExpectationsAreRefusedWithTheirPlace(_ line: String, _ message: String) {
    var text = ""
    do {
      _ = try LoadedScenario.load(text: "system builtin\n" + line + "\n", file: "t.scenario")
      text = "no error"
    } catch {
      text = error.description
    }
    #expect(text.hasPrefix(message), "\(text)")
  }

  /// When the layers disagree (which the lockstep checker would normally have caught first), the
  /// failure shows each layer's text and which of them matched.
  @Test func disagreeingLayersAreEachShown() {
    let seen = [("abstract", "recv [a]"), ("exec", "recv [a]"), ("kernel", "recv [b]")].map { (layer: $0, text: $1) }
    let lines = Runner.layerMismatch("ep(e)", expected: "recv [a]", seen: seen, matches: { $0 == "recv [a]" })
    #expect(
      lines == [
        "expected: ep(e) == recv [a]", "actual:   ep(e) == recv [a] (abstract, as expected)",
        "actual:   ep(e) == recv [a] (exec, as expected)", "actual:   ep(e) == recv [b] (kernel)",
      ])
    #expect(
      Runner.layerMismatch("ep(e)", expected: "idle", seen: seen.map { ($0.layer, "idle") }, matches: { $0 == "idle" })
        == nil)
  }

  /// `ep`, `ntfn`, `reply` and `stack` stay names: `reply.state` is about an object named reply.
  @Test func theKeywordsAreStillNames() throws {
    let result = try LoadedScenario.load(text: "system builtin\nexpect reply.state == Running\n", file: "k.scenario")
      .run()
    #expect(result.message?.contains("expected: reply is a thread in state Running") == true, "\(result.message ?? "")")
  }

  /// A receive's `receivePath(C, I, D)` is the IPC buffer's receive slot, the CNode as a cptr of
  /// the receiver's CSpace.
  @Test func receivePathSetsTheReceiveSlot() throws {
    let loaded = try LoadedScenario.load(
      text: "system builtin\nmain: Recv(ep, reply reply, receivePath(root_cnode, 20, 56))\n", file: "r.scenario")
    let (events, _, error) = loaded.events()
    #expect(error == nil)
    guard case .syscall(.recv, let args)? = events.first?.event else {
      Issue.record("not a Recv: \(events)")
      return
    }
    #expect(args.receiveSlot == ReceiveSlot(cnode: 0xD02, index: 20, depth: 56))
    #expect(args.replyRegister == 0x500)
  }
}

/// The IPC conformance scripts catch the planted kernel bugs that deliver a wrong badge: each
/// script that sends an endpoint message (`ipcWrongBadge` flips the badge in `doIPCTransfer`) or
/// signals a waiting thread (`signalDropsBadge`) fails with the bug planted, and passes without it
/// (`ScenarioFileTests`). FAULT0004 sends only fault messages, which do not go through
/// `doIPCTransfer`'s badge, so the first bug leaves it passing.
@Suite struct IPCConformancePlantedBugTests {
  static let scripts = [
    "IPC0002-call-replyrecv-donation.scenario", "IPC0004-cap-transfer-grant.scenario",
    "BIND0002-bound-receiver.scenario", "FAULT0004-handler-reply.scenario", "FAULT0005-passive-handler.scenario",
  ]

  func failing(_ bug: PlantedBug) throws -> [String] {
    try IPCConformancePlantedBugTests.scripts.filter { name in
      let loaded = try LoadedScenario.load(path: Files.scenarios.appendingPathComponent(name).path)
      return !loaded.run(plantedBug: bug).passed
    }
  }

  @Test func aWrongEndpointBadgeIsCaught() throws {
    let failed = try failing(.ipcWrongBadge)
    #expect(
      failed == [
        "IPC0002-call-replyrecv-donation.scenario", "IPC0004-cap-transfer-grant.scenario",
        "BIND0002-bound-receiver.scenario", "FAULT0005-passive-handler.scenario",
      ], "\(failed)")
  }

  @Test func aDroppedSignalBadgeIsCaught() throws {
    let failed = try failing(.signalDropsBadge)
    #expect(failed == ["BIND0002-bound-receiver.scenario"], "\(failed)")
  }
}

// Issue 11: nothing typed at the explorer crashes it: every argument parse is total, and nested
// layer prefixes are peeled off in a loop (main recursed once per prefix).

import Testing

@testable import Explorer

@Suite struct BoundedInputTests {
  /// `memory +` indexed an empty split (index out of range) on main.
  @Test(arguments: ["+", " + ", "+8", "main+", "main+x", "++", "root_cnode + 0x20 +"])
  func memoryWithAPlusIsAnsweredNotACrash(_ argument: String) {
    var s = Session(
      plan: .sample, events: [], source: SessionSource(description: "sample", systemPath: "builtin"),
      names: Session.sampleNames)
    let reply = s.say("memory \(argument)")
    #expect(!reply.isEmpty)
    #expect(!reply.contains("\n") || reply.hasPrefix("kernel memory from"), "\(reply)")
    #expect(s.say("memory main+8").hasPrefix("kernel memory from"), "the session goes on")
  }

  /// Thousands of nested layer prefixes recursed once per prefix on main (a stack overflow at about
  /// 700 in the CLI). The innermost layer runs the command and the session's layer is kept.
  @Test func thousandsOfNestedLayerPrefixesRunTheInnermostCommand() {
    var s = Session(
      plan: .sample, events: [], source: SessionSource(description: "sample", systemPath: "builtin"),
      names: Session.sampleNames)
    #expect(s.say("abstract") == "layer abstract")
    let expected = s.say("kernel show slot root_cnode[3]")
    #expect(expected.contains("CTE at"), "the kernel layer shows CTE addresses: \(expected)")
    let nested = String(repeating: "exec abstract ", count: 20_000) + "kernel show slot root_cnode[3]"
    #expect(s.say(nested) == expected)
    #expect(s.layer == .abstract)
    // A prefix followed by a bare layer name switches nothing for good.
    #expect(s.say(String(repeating: "kernel ", count: 20_000) + "exec") == "layer exec")
    #expect(s.layer == .abstract)
  }
}

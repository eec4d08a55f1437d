import Foundation
import Kernel
import KernelABI
import Refinement
import Scenario
import Testing

@testable import Explorer

/// A temporary folder for files a test writes.
func scratchDirectory(_ name: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-tests-\(name)-\(getpid())")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A trace file of the built-in system whose kernel has `mintIgnoresRightsMask` planted: found by
/// the campaign machinery (seeded traces until one fails, then shrunk), as `check` writes them.
func plantedTraceFile(in directory: URL) throws -> (path: String, trace: TraceFile) {
  var kernel = KernelState(plan: .sample)
  kernel.plantedBug = .mintIgnoresRightsMask
  for i in UInt64(0)..<400 {
    let result = runTrace(plan: .sample, seed: 0xE_0000 &+ i, length: 250, kernel: kernel)
    guard let failure = result.failure else { continue }
    let shrunk = shrink(plan: .sample, events: result.events, failure: failure, kernel: kernel)
    let trace = TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: 0xE_0000, traceSeed: nil, traceIndex: Int(i),
      originalLength: result.events.count, events: shrunk.events, expected: .init(shrunk.failure),
      plantedBug: .mintIgnoresRightsMask)
    let path = directory.appendingPathComponent("planted.json").path
    try trace.encoded().write(to: URL(fileURLWithPath: path))
    return (path, trace)
  }
  throw CancellationError()
}

extension Session {
  /// Run `line` and return its text, expecting the session to go on.
  mutating func say(_ line: String) -> String {
    let reply = run(line)
    #expect(!reply.quit, "'\(line)' ended the session")
    return reply.text
  }
}

@Suite struct SessionTests {
  /// The scripted test of issue 6: the failing step, why, diff, a branch, and a replayable save.
  @Test func plantedViolationIsFoundExplainedBranchedAndSaved() throws {
    let directory = try scratchDirectory("planted")
    let (path, trace) = try plantedTraceFile(in: directory)
    var session = try Session.open(trace: path)
    #expect(session.banner.contains("fails at step \(trace.expected.step)"))

    // The failing step.
    let last = session.say("last")
    #expect(last.contains("step \(trace.expected.step)"))
    #expect(last.contains("FAILS: R1"))
    let check = session.say("check")
    let r1Line = check.split(separator: "\n").first { $0.contains("R1 lift(kernel) == exec") }
    #expect(r1Line?.hasSuffix("FAILED") == true, "\(check)")
    #expect(check.split(separator: "\n").filter { $0.hasSuffix("FAILED") }.count == 1)

    // why: the first differing field, the minted cap's rights, with both values.
    let why = session.say("why R1")
    #expect(why.contains("first differing field is ksPSpace["), "\(why)")
    #expect(why.contains(".cnode.ctes"))
    #expect(why.contains("].cap"))
    let sides = why.split(separator: "\n").filter { $0.contains("rights") }
    #expect(sides.count == 2)
    #expect(sides.first?.contains("exec") == true && sides.last?.contains("lift(kernel)") == true)
    #expect(sides.first != sides.last)
    // The planted bug keeps the source's rights: the kernel's cap has strictly more than the
    // executable spec's masked one.
    func rights(_ line: Substring?) -> Set<Character> {
      guard let line, let range = line.range(of: "rights ") else { return [] }
      let word = line[range.upperBound...].prefix { $0 != " " }
      return word == "none" ? [] : Set(word)
    }
    #expect(rights(sides.first).isStrictSubset(of: rights(sides.last)), "the planted bug keeps the rights: \(why)")

    // diff: the differing field, both sides.
    let diff = session.say("diff")
    #expect(diff.contains(".cap"))
    #expect(diff.contains("- exec: endpoint(") || diff.contains("- exec: notification("), "\(diff)")
    #expect(diff.contains("+ lift(kernel):"))

    // Navigation clamps to the trace, whatever the count.
    #expect(session.say("back 9223372036854775807").contains("step 0: the initial state"))
    #expect(session.say("step 9223372036854775807").contains("FAILS: R1"))
    #expect(session.say("goto 1").hasPrefix("step 1:"))

    // do: branch at the initial state with a mint the planted bug gets wrong.
    #expect(session.say("first").contains("step 0"))
    let branched = session.say("do main: CNode_Mint(root_cnode, 20, 56, root_cnode, 3, 56, R, 7)")
    #expect(branched.contains("step 1:"), "\(branched)")
    #expect(branched.contains("FAILS: R1"))
    #expect(branched.contains("branched at step 0"))
    #expect(session.say("where").contains("from:    do main: CNode_Mint"))
    #expect(session.say("why R1").contains("endpoint(ep) rights R badge 7"))

    // save: a trace file that replay reproduces.
    let saved = directory.appendingPathComponent("branch.json").path
    let saveText = session.say("save \(saved)")
    #expect(saveText.contains("reproduces"), "\(saveText)")
    let data = try #require(FileManager.default.contents(atPath: saved))
    let written = try TraceFile.decode(data, file: saved)
    #expect(written.events.count == 1)
    #expect(written.plantedBug == .mintIgnoresRightsMask)
    let failure = try #require(written.replay(plan: .sample))
    #expect(written.expected.matches(failure))
    #expect(session.run("quit").quit)
  }

  /// `why` on an invariant names the broken conjunct and the values, by name.
  @Test func whyNamesTheBrokenConjunctOfAnInvariant() {
    var kernel = KernelState(plan: .sample)
    typealias S = SystemPlan.Sample
    // Slot 3's MDB prev link now points at slot 4, whose next link does not point back.
    let slot3 = S.rootCNode + 3 * 32
    let slot4 = S.rootCNode + 4 * 32
    kernel.store(slot3 + ObjectLayout.cteMDBWord0, slot4)
    var session = Session(
      plan: .sample, events: [], source: SessionSource(description: "a corrupted kernel", systemPath: "builtin"),
      kernel: kernel)
    let check = session.say("check")
    let line = check.split(separator: "\n").first { $0.contains("kernel") && $0.contains("valid_mdb'") }
    #expect(line?.contains("valid_dlist") == true, "\(check)")
    #expect(line?.hasSuffix("FAILED") == true)
    let why = session.say("why valid_dlist")
    #expect(why.contains("kernel valid_mdb', conjunct valid_dlist fails"), "\(why)")
    #expect(why.contains("slot(root_cnode, 3)"))
    #expect(session.say("why valid_mdb").contains("valid_dlist"))
    #expect(session.say("why cur_tcb").contains("holds at step 0"))
    let memory = session.say("memory slot(root_cnode, 3) 4")
    #expect(memory.contains("MDB prev: slot(root_cnode, 4)"), "\(memory)")
  }

  /// `memory globals` shows the kernel's globals frame, each global by name.
  @Test func memoryShowsTheGlobalsFrameByName() {
    var session = Session(
      plan: .sample, events: [], source: SessionSource(description: "sample", systemPath: "builtin"),
      names: Session.sampleNames)
    let memory = session.say("memory globals 2")
    #expect(memory.contains("globals ksCurThread: main"), "\(memory)")
    #expect(memory.contains("globals ksIdleThread: "), "\(memory)")
  }

  /// A bug in the abstract spec breaks R2; `why R2` names the field (an object left in the heap).
  @Test func whyR2NamesTheObjectTheAbstractSpecKept() {
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = .abstractDeleteKeepsObject
    var session = Session(
      plan: .sample, events: [], source: SessionSource(description: "a planted abstract bug", systemPath: "builtin"),
      kernel: kernel)
    // Root slot 5 holds the only cap to the reply object `reply`.
    #expect(session.say("show cap reply").hasPrefix("slot(root_cnode, 5) = reply(reply)"))
    let deleted = session.say("do main: CNode_Delete(root_cnode, 5, 56)")
    #expect(deleted.contains("FAILS: R2"), "\(deleted)")
    let why = session.say("why R2")
    #expect(why.contains("first differing field is kheap[reply]"), "\(why)")
    #expect(why.contains("abstract         : reply"), "\(why)")
    #expect(why.contains("abstraction(exec): (absent)"))
    #expect(session.say("why R1").contains("holds at step 1"))
    #expect(session.say("abstract show object reply").contains("reply @ 0x"))
    #expect(session.say("exec show object reply").contains("not a live object"))
  }

  @Test func badCommandsAndNamesGetOneLineHints() {
    var session = try! Session.open(system: nil)
    let cases: [(String, String)] = [
      ("stpe", "unknown command 'stpe'; did you mean 'step'? (help lists commands)"),
      ("show thread mian", "did you mean 'main'?"),
      ("show thred main", "did you mean 'thread'?"),
      ("why valid_mbd", "did you mean 'valid_mdb'?"),
      ("goto 99", "no step 99"),
      ("step x", "step takes a number"),
      ("step 9223372036854775807", "already at the last step"),
      ("back 9223372036854775807", "already at step 0"),
      ("caps ep", "only threads and CNodes have a CSpace"),
      ("show slot root_cnode[999]", "has slots 0...255"),
      ("memory nowhere", "no object named 'nowhere'"),
      ("show queue ep", "ep (endpoint, exec layer): idle, no thread queued"),
      ("show queue root_cnode", "has no queue"),
      (
        "show refills sc",
        "round robin, not sporadic, budget 10000, refillMax 2, consumed 0, refills [(0, 10000), (0, 0)]"
      ),
      ("show refills ep", "is no scheduling context"),
      ("do main: Frobnicate(ep)", "cannot read"),
      ("do mian: CNode_Delete(root_cnode, 3, 56)", "cannot run"),
      ("save /tmp/x.json", "does not fail"),
    ]
    for (command, hint) in cases {
      let text = session.say(command)
      #expect(text.contains(hint), "\(command) -> \(text)")
      #expect(!text.contains("\n"), "\(command) answered more than one line: \(text)")
    }
    #expect(session.say("!2").contains("did you mean 'main'?"))
    #expect(session.say("!99").contains("no command 99 in the history"))
    // The session went on.
    #expect(session.say("where").contains("step 0 of 0"))
    #expect(session.history.count == cases.count + 2)
  }

  @Test func colourOnlyOnATerminalWithoutNoColor() throws {
    #expect(Style.forOutput(isTerminal: true, environment: [:]).enabled)
    #expect(!Style.forOutput(isTerminal: true, environment: ["NO_COLOR": ""]).enabled)
    #expect(!Style.forOutput(isTerminal: true, environment: ["NO_COLOR": "1"]).enabled)
    #expect(!Style.forOutput(isTerminal: false, environment: [:]).enabled)
    let (path, _) = try plantedTraceFile(in: try scratchDirectory("colour"))
    var plain = try Session.open(trace: path, style: Style(enabled: false))
    var coloured = try Session.open(trace: path, style: Style(enabled: true))
    for command in ["last", "check", "why R1", "diff", "help"] {
      #expect(!plain.say(command).contains("\u{1B}"), "\(command) printed an escape without colour")
      _ = coloured.say(command)
    }
    #expect(coloured.say("check").contains("\u{1B}[31mFAILED"))
  }

  @Test func everyCommandHasHelp() {
    var session = try! Session.open(system: nil)
    let listing = session.say("help")
    for command in Commands.all {
      #expect(listing.contains(command.usage), "help does not list \(command.name)")
      let help = session.say("help \(command.name)")
      #expect(help.hasPrefix(command.usage), "help \(command.name): \(help)")
      #expect(help.contains(command.summary))
      #expect(!help.contains("unknown command"))
    }
    #expect(session.say("help stpe").contains("did you mean 'step'?"))
    // Every command the help lists is one the session knows.
    for command in Commands.all where !["quit", "do", "save", "why", "caps", "goto", "memory"].contains(command.name) {
      #expect(!session.say(command.name).contains("unknown command"), "\(command.name)")
    }
  }

  @Test func aScenarioBecomesATraceWithItsLines() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let file = root.appendingPathComponent("Scenarios/CNODEOP0002-mint.scenario").path
    var session = try Session.open(scenario: file)
    #expect(session.timeline.last > 0)
    _ = session.say("step")
    #expect(session.say("where").contains("from:    \(file):"))
    #expect(session.say("exec threads").contains("main"))
    #expect(session.say("kernel show thread main").contains("cspace"))
    #expect(session.say("abstract cdt").contains("slot(root_cnode, 3)"))
    #expect(session.say("caps main").contains("aux_cnode"))
  }

  /// Every conformance scenario opens, holds at its last step, and saves as a scenario that
  /// runs the same events (the writer round-trips through the scenario parser).
  @Test func everyConformanceScenarioOpensAndSavesBack() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Scenarios")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".scenario") }
      .sorted()
    #expect(files.count >= 10)
    let directory = try scratchDirectory("conformance")
    var unsayable = 0
    for file in files {
      var session = try Session.open(scenario: folder.appendingPathComponent(file).path)
      _ = session.say("last")
      #expect(session.say("check").hasSuffix("all held"), "\(file)")
      for command in ["diff", "cdt", "threads", "objects", "kernel caps main", "abstract diff"] {
        _ = session.say(command)
      }
      let out = directory.appendingPathComponent(file).path
      let saved = session.say("save \(out)")
      if saved.hasPrefix("save:") {
        unsayable += 1
        #expect(saved.contains("instead"), "\(file): \(saved)")
        continue
      }
      let loaded = try LoadedScenario.load(path: out)
      let result = loaded.run()
      #expect(result.passed, "\(file): \(result.message ?? "")")
      #expect(result.steps == session.timeline.last, "\(file)")
    }
    #expect(unsayable == 0, "\(unsayable) of \(files.count) scenarios did not save back")
  }

  /// A branch that does not fail is saved as a scenario that `refine-check run` passes.
  @Test func aBranchSavesAsAScenarioThatRuns() throws {
    let directory = try scratchDirectory("scenario")
    var session = try Session.open(system: nil)
    #expect(!session.say("do main: CNode_Copy(root_cnode, 20, 56, root_cnode, 3, 56, RW)").contains("FAILS"))
    let change = session.say("abstract diff")
    #expect(change.contains("kheap[root_cnode].cnode.slots[20]"), "\(change)")
    #expect(change.contains("+ step 1: endpoint(ep) rights RW badge 0"))
    #expect(session.say("do name ep_copy = slot(root_cnode, 20)").contains("'ep_copy' now names"))
    #expect(session.say("do main: CNode_Delete(root_cnode, 20, 56)").contains("NoError"))
    #expect(session.say("do time 3").contains("step 3"))
    let path = directory.appendingPathComponent("branch.scenario").path
    let saved = session.say("save \(path)")
    #expect(saved.contains("saved 3 events"), "\(saved)")
    let loaded = try LoadedScenario.load(path: path)
    let result = loaded.run()
    #expect(result.passed, "\(result.message ?? "")")
    #expect(result.steps == 3)
    // Going back and branching again drops the later steps.
    _ = session.say("goto 1")
    let again = session.say("do main: CNode_Delete(root_cnode, 3, 56)")
    #expect(again.contains("2 later steps dropped"), "\(again)")
    #expect(session.timeline.last == 2)
  }

  @Test func theBinaryWorksOverAPipe() throws {
    // The tool is built beside the test bundle (whatever the scratch path), or in .build/debug.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let candidates = [
      Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("refine-check"),
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("refine-check"),
      root.appendingPathComponent(".build/debug/refine-check"),
    ].compactMap { $0 }
    let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    let binary = try #require(found, "refine-check is not built beside the tests: \(candidates.map(\.path))")
    let (path, _) = try plantedTraceFile(in: try scratchDirectory("pipe"))
    func run(_ arguments: [String], input: String) throws -> (Int32, String) {
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      var environment = ProcessInfo.processInfo.environment
      environment["NO_COLOR"] = nil
      process.environment = environment
      let stdin = Pipe()
      let stdout = Pipe()
      process.standardInput = stdin
      process.standardOutput = stdout
      process.standardError = Pipe()
      try process.run()
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
      let output = stdout.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
    let (status, output) = try run(["explore", path], input: "last\nwhy R1\nstpe\n")
    #expect(status == 0)
    #expect(output.contains("FAILS: R1"))
    #expect(output.contains("first differing field"))
    #expect(output.contains("did you mean 'step'?"))
    #expect(!output.contains("\u{1B}"), "colour in a pipe")
    #expect(!output.contains("explore 0/"), "a prompt in a pipe")
    let bad = try scratchDirectory("pipe").appendingPathComponent("bad.json")
    try Data("{\"formatVersion\": 2}".utf8).write(to: bad)
    #expect(try run(["explore", bad.path], input: "").0 == 65)
    #expect(try run(["explore", "--system", "/nonexistent.cdl"], input: "").0 == 65)
  }
}

@Suite struct LineEditorTests {
  func type(_ keys: [Key], into editor: inout LineEditor, session: Session? = nil) -> [LineEditor.Action] {
    keys.map { key in
      editor.feed(key) { before, word in session?.completions(before: before, word: word) ?? [] }
    }
  }

  func characters(_ text: String) -> [Key] { text.map { .character($0) } }

  @Test func editingMovesTheCursorAndSubmits() {
    var editor = LineEditor()
    _ = type(characters("stpe") + [.left, .left, .delete, .right, .character("p")], into: &editor)
    #expect(editor.line == "step")
    #expect(editor.cursor == 4)
    _ = type([.end, .backspace] + characters("ep") + [.home, .killAfter] + characters("where"), into: &editor)
    #expect(editor.line == "where")
    #expect(type([.enter], into: &editor) == [.submit("where")])
    #expect(editor.line.isEmpty)
    #expect(type([.backspace], into: &editor) == [.bell])
    #expect(type([.endOfInput], into: &editor) == [.endOfInput])
    _ = type(characters("abc") + [.interrupt], into: &editor)
    #expect(editor.line.isEmpty)
  }

  @Test func upAndDownWalkTheHistory() {
    var editor = LineEditor(history: ["first", "check"])
    _ = type(characters("dr"), into: &editor)
    _ = type([.up], into: &editor)
    #expect(editor.line == "check")
    _ = type([.up], into: &editor)
    #expect(editor.line == "first")
    #expect(type([.up], into: &editor) == [.bell])
    _ = type([.down, .down], into: &editor)
    #expect(editor.line == "dr", "going past the newest entry gives back the line being typed")
  }

  @Test func tabCompletesCommandsKindsAndNames() throws {
    let session = try Session.open(system: nil)
    var editor = LineEditor()
    _ = type(characters("thr") + [.tab], into: &editor, session: session)
    #expect(editor.line == "threads ")
    _ = type(
      [.enter] + characters("sh") + [.tab] + characters("th") + [.tab] + characters("ma") + [.tab], into: &editor,
      session: session)
    #expect(editor.line == "show thread main ")
    _ = type([.enter] + characters("kernel show cap ut_") + [.tab], into: &editor, session: session)
    #expect(editor.line == "kernel show cap ut_")
    #expect(type([.tab], into: &editor, session: session) == [.list(["ut_big", "ut_device", "ut_small"])])
    _ = type([.enter] + characters("do ma") + [.tab] + characters("CNode_Co") + [.tab], into: &editor, session: session)
    #expect(editor.line == "do main: CNode_Copy(")
    _ = type([.enter] + characters("zzz"), into: &editor, session: session)
    #expect(type([.tab], into: &editor, session: session) == [.bell])
  }
}

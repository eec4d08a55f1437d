// One wording per cause for a file that cannot be read, on every command that reads one; JSON
// errors that name the field; scenario scripts with CRLF line ends (issue 11).

import Foundation
import Testing

@Suite struct InputMessageTests {
  /// Every command that reads a file, and what it calls the file.
  static let readers: [(arguments: @Sendable (String) -> [String], what: String)] = [
    ({ ["check", "--system", $0, "--traces", "1", "--steps", "1"] }, "system file"),
    ({ ["authority", $0] }, "system file"),
    ({ ["boot", $0] }, "system file"),
    ({ ["replay", $0] }, "trace file"),
    ({ ["report", "--html", "/dev/null", $0] }, "trace file"),
    ({ ["report", "--campaign", $0] }, "campaign report"),
    ({ ["report", "--exhaustive-report", $0] }, "exhaustive report"),
    ({ ["merge", $0] }, "campaign report"),
    ({ ["run", $0] }, "scenario script"),
  ]

  @Test(arguments: ["missing", "directory", "notUTF8"])
  func everyReaderUsesOneWordingPerCause(cause: String) throws {
    let dir = try CLI.temporaryDirectory()
    let path: String
    let words: String
    switch cause {
    case "missing":
      path = dir.appendingPathComponent("nothing-here").path
      words = "no such file"
    case "directory":
      path = dir.path
      words = "it is a directory"
    default:
      path = dir.appendingPathComponent("latin1").path
      try Data([0x7B, 0x0A, 0xE9, 0x7D]).write(to: URL(fileURLWithPath: path))
      words = "not UTF-8 text (invalid byte at offset 2)"
    }
    for reader in Self.readers {
      let result = try CLI.run(reader.arguments(path))
      expectContract(result)
      #expect(result.status == 65, "\(reader.arguments(path)): \(result)")
      #expect(
        result.stderr.contains("\(path): cannot read the \(reader.what): \(words)"),
        "\(reader.arguments(path)): \(result)")
    }
  }

  @Test func aCapDLFileNamedByAScenarioIsReportedInTheSameWords() throws {
    let dir = try CLI.temporaryDirectory()
    let script = try CLI.write("system \"absent.cdl\"\n", to: "s.scenario", in: dir)
    let result = try CLI.run(["run", script])
    #expect(result.status == 65, "\(result)")
    #expect(
      result.stderr.contains("\(script):1:1: \(dir.path)/absent.cdl: cannot read the system file: no such file"),
      "\(result)")
  }

  @Test func aNumberThatDoesNotFitItsFieldIsNamedNotCalledInvalidJSON() throws {
    let dir = try CLI.temporaryDirectory()
    let report = try CLI.write(
      campaignReportJSON().replacingOccurrences(of: #""traces": 2"#, with: #""traces": 1e30"#), to: "r.json",
      in: dir)
    let merged = try CLI.run(["merge", report])
    #expect(merged.status == 65, "\(merged)")
    #expect(merged.stderr.contains("\(report): "), "\(merged)")
    #expect(merged.stderr.contains("field traces: the number"), "\(merged)")
    #expect(!merged.stderr.contains("not valid JSON"), "\(merged)")

    let trace = try CLI.write(#"{"formatVersion": 99999999999999999999999}"#, to: "t.json", in: dir)
    let replayed = try CLI.run(["replay", trace])
    #expect(replayed.status == 65, "\(replayed)")
    #expect(replayed.stderr.contains("formatVersion"), "\(replayed)")
    #expect(!replayed.stderr.contains("not valid JSON"), "\(replayed)")

    // Text that is not JSON is still called so.
    let broken = try CLI.write(#"{"seed": 1"#, to: "b.json", in: dir)
    let refused = try CLI.run(["merge", broken])
    #expect(refused.status == 65, "\(refused)")
    #expect(refused.stderr.contains("not valid JSON"), "\(refused)")
  }

  @Test func aScenarioWithCRLFLineEndsRunsAndErrorsCarryNoCarriageReturn() throws {
    let dir = try CLI.temporaryDirectory()
    let original = try String(
      contentsOf: packageRoot.appendingPathComponent("Scenarios/CNODEOP0001-copy.scenario"), encoding: .utf8)
    let system = packageRoot.appendingPathComponent("Systems/sample.cdl").path
    let crlf = original.replacingOccurrences(of: "\"../Systems/sample.cdl\"", with: "\"\(system)\"")
      .split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
    let script = try CLI.write(crlf, to: "copy.scenario", in: dir)
    let result = try CLI.run(["run", script])
    expectContract(result)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("passed  copy"), "\(result)")

    let bad = try CLI.write("system builtin\r\nmain: Nonsense(\r\n", to: "bad.scenario", in: dir)
    let refused = try CLI.run(["run", bad])
    #expect(refused.status == 65, "\(refused)")
    #expect(refused.stderr.contains("\(bad):2:7: "), "\(refused)")
    #expect(!refused.stderr.contains("\r"), "\(refused)")
  }
}

// What every reader of a user's file is built on (issue 11): one wording per cause for a file
// that cannot be read, and JSON errors that name the field.

import Foundation
import Refinement
import Testing

@Suite struct InputFileTests {
  func scratch() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("input-file-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func eachCauseHasOneWordingNamingThePath() throws {
    let dir = try scratch()
    let missing = dir.appendingPathComponent("absent").path
    #expect(throws: InputFileError(path: missing, what: "trace file", cause: .missing)) {
      try InputFile.data(missing, what: "trace file")
    }
    #expect(throws: InputFileError(path: dir.path, what: "system file", cause: .directory)) {
      try InputFile.text(dir.path, what: "system file")
    }
    let latin1 = dir.appendingPathComponent("latin1.cdl")
    try Data([0x61, 0x62, 0xE9, 0x0A]).write(to: latin1)
    #expect(throws: InputFileError(path: latin1.path, what: "system file", cause: .notUTF8(offset: 2))) {
      try InputFile.text(latin1.path, what: "system file")
    }
    #expect(
      InputFileError(path: "a.cdl", what: "system file", cause: .permissionDenied).description
        == "a.cdl: cannot read the system file: permission denied")
  }

  @Test func aByteOrderMarkIsDroppedAndUTF8IsKept() throws {
    let file = try scratch().appendingPathComponent("bom.scenario")
    try Data([0xEF, 0xBB, 0xBF] + Array("système".utf8)).write(to: file)
    #expect(try InputFile.text(file.path, what: "scenario script") == "système")
    #expect(InputFile.firstInvalidUTF8Offset(Data("système".utf8)) == nil)
    #expect(InputFile.firstInvalidUTF8Offset(Data([0x41, 0xC3])) == 1)
  }
}

@Suite struct JSONProblemTests {
  struct Inner: Decodable { var step: Int }
  struct Outer: Decodable {
    var seed: UInt64
    var items: [Inner]
  }

  func problem(_ text: String) -> JSONProblem? {
    do {
      _ = try JSONProblem.decode(Outer.self, from: Data(text.utf8))
      return nil
    } catch {
      return error
    }
  }

  @Test func aNumberOutOfRangeNamesItsFieldNotInvalidJSON() throws {
    let huge = try #require(problem(#"{"seed": 1, "items": [{"step": 1}, {"step": 1e30}]}"#))
    #expect(huge.field == "items[1].step", "\(huge)")
    #expect(!huge.description.contains("not valid JSON"))
    let negative = try #require(problem(#"{"seed": -1, "items": []}"#))
    #expect(negative.field == "seed", "\(negative)")
    let fraction = try #require(problem(#"{"seed": 1, "items": [{"step": 2.5}]}"#))
    #expect(fraction.field == "items[0].step", "\(fraction)")
  }

  @Test func missingAndMistypedFieldsAreNamedAndBrokenTextIsNotJSON() throws {
    #expect(problem(#"{"items": []}"#)?.field == "seed")
    #expect(problem(#"{"seed": 1, "items": [{"step": "x"}]}"#)?.field == "items[0].step")
    let broken = try #require(problem(#"{"seed": 1"#))
    #expect(broken.field == nil && broken.message.hasPrefix("not valid JSON"), "\(broken)")
    #expect(problem(#"{"seed": 1, "items": [{"step": 3}]}"#) == nil)
  }
}

// The conformance suite: the scenario scripts in `Scenarios/` (beside `Systems/`), each a kernel
// test in the style of sel4test whose expectations state seL4's behaviour (error codes and their
// payloads, slots, CDT links). The default run (`refine-check`) runs them all on the three layers
// in lockstep, so that a mistake every layer makes alike (in shared code) still fails a check.

public import CapDL
public import Foundation

/// The outcome of running every script in a folder.
public struct ConformanceSuiteReport: Hashable, Sendable, Codable {
  /// The folder the scripts came from.
  public var directory: String
  public var results: [ScenarioResult]
  public var failed: [ScenarioResult] { results.filter { !$0.passed } }
  /// True iff there was at least one script and every one passed.
  public var passed: Bool { !results.isEmpty && failed.isEmpty }
  public var steps: Int { results.reduce(0) { $0 + $1.steps } }
}

extension ConformanceSuiteReport {
  /// The conformance folder: `Scenarios/` in `start` or the nearest folder above it that has one.
  public static func findDirectory(from start: URL) -> URL? {
    var dir = start
    while true {
      let candidate = dir.appendingPathComponent("Scenarios")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue,
        FileManager.default.fileExists(atPath: dir.appendingPathComponent("Systems").path)
      {
        return candidate
      }
      let parent = dir.deletingLastPathComponent()
      if parent.path == dir.path { return nil }
      dir = parent
    }
  }

  /// Load every `.scenario` file in `directory` (sorted by name), then run each on the three layers.
  /// - Throws: `ScenarioError` for an unreadable folder or a malformed script (nothing runs then).
  public static func run(directory: URL) throws(ScenarioError) -> ConformanceSuiteReport {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        .filter { $0.hasSuffix(".scenario") }.sorted()
    } catch {
      throw ScenarioError(
        file: directory.path, position: SourcePosition(line: 1, column: 1), message: "cannot read the scenario folder")
    }
    var loaded: [LoadedScenario] = []
    for name in names { loaded.append(try LoadedScenario.load(path: directory.appendingPathComponent(name).path)) }
    return ConformanceSuiteReport(directory: directory.path, results: loaded.map { $0.run() })
  }
}

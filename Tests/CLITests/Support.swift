// Running the built `refine-check` as a subprocess, bounded by a timeout, to test what a user
// sees: the exit code, standard output and standard error. The binary is the one beside the test
// bundle (what `swift build --build-tests` made), or REFINE_CHECK_BINARY when set (so that these
// tests can be pointed at another build, as at an older one to see them fail).

import Foundation
import Testing

/// The package root (three folders above this file).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// What one run of the command line did.
struct CommandResult: CustomStringConvertible {
  var status: Int32
  /// Ended by a signal (a trap, or the kill after a timeout) rather than by exiting.
  var signalled: Bool
  var timedOut: Bool
  var stdout: String
  var stderr: String

  var description: String {
    "status \(status)\(signalled ? " (signal)" : "")\(timedOut ? " (timed out)" : "")\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))"
  }
}

enum CLI {
  /// The binary under test.
  static var binary: URL {
    if let path = ProcessInfo.processInfo.environment["REFINE_CHECK_BINARY"] { return URL(fileURLWithPath: path) }
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("refine-check")
    if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
    return packageRoot.appendingPathComponent(".build/debug/refine-check")
  }

  /// Run `refine-check arguments` in `directory`; killed after `timeout` seconds.
  static func run(_ arguments: [String], in directory: URL = packageRoot, timeout: Double = 120) throws
    -> CommandResult
  {
    let scratch = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("stdout")
    let err = scratch.appendingPathComponent("stderr")
    try Data().write(to: out)
    try Data().write(to: err)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let done = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in done.signal() }
    try process.run()
    var timedOut = false
    if done.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      // SIGKILL: a process spinning in a loop need not heed SIGTERM.
      kill(process.processIdentifier, SIGKILL)
      done.wait()
    }
    return CommandResult(
      status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
      timedOut: timedOut, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
  }

  /// A fresh, empty folder.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("refine-check-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Write `text` to `name` in `directory`; its path.
  @discardableResult
  static func write(_ text: String, to name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
  }
}

/// The contract every run keeps: it exited (no trap, no hang) with 0, 1, 64 or 65.
func expectContract(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(!result.signalled && !result.timedOut, "\(result)", sourceLocation: sourceLocation)
  #expect([0, 1, 64, 65].contains(result.status), "\(result)", sourceLocation: sourceLocation)
}

/// A campaign report as `check --json` writes one (the fields the tests vary as arguments).
func campaignReportJSON(
  system: String? = "Systems/sample.cdl", traces: Int = 2, steps: Int = 10, shard: (Int, Int)? = nil,
  coverage: String = "{}", violations: String = "[]"
) -> String {
  var fields = [
    #""seed": 1"#, #""traces": \#(traces)"#, #""steps": \#(steps)"#, #""seconds": 1"#,
    #""stepsPerSecond": \#(steps)"#, #""coverage": \#(coverage)"#, #""stepsPerTrace": 250"#,
    #""violations": \#(violations)"#,
  ]
  if let system { fields.append(#""system": "\#(system)""#) }
  if let (index, count) = shard { fields.append(#""shard": {"index": \#(index), "count": \#(count)}"#) }
  return "{" + fields.joined(separator: ", ") + "}"
}

/// A capDL system with no thread: no campaign or exploration can take a step from it.
let threadlessSystem = """
  arch aarch64
  objects {
    ep = ep
  }
  caps {
  }
  """

import Foundation
import Refinement
import Testing

/// The SMT-LIB2 files in proofs/ re-checked by solvers other than the linked libz3: the z3 and
/// cvc5 executables, whichever are installed (Debian packages `z3`, `cvc5`).
@Suite struct IndependentSolverTests {
  static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func executable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  static let solvers: [(name: String, path: String, arguments: [String])] = [
    ("z3", ["-T:60"]), ("cvc5", ["--tlimit=60000"]),
  ].compactMap { name, args in executable(name).map { (name, $0, args) } }

  static func smtFiles() throws -> [URL] {
    let dir = packageRoot.appendingPathComponent("proofs/smt2")
    return try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "smt2" }.sorted { $0.path < $1.path }
  }

  func run(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test(.enabled(if: !solvers.isEmpty, "neither z3 nor cvc5 is installed: the recorded SMT-LIB2 was not re-checked"))
  func recordedObligationsAreUnsatForIndependentSolvers() throws {
    let files = try Self.smtFiles()
    #expect(files.count >= 12)
    for solver in Self.solvers {
      for file in files {
        let answer = try run(solver.path, solver.arguments + [file.path])
        #expect(
          answer.trimmingCharacters(in: .whitespacesAndNewlines) == "unsat",
          "\(solver.name) on \(file.lastPathComponent): \(answer)")
      }
    }
  }

  /// The independent check itself can fail: a satisfiable file is not reported unsat.
  @Test(.enabled(if: !solvers.isEmpty, "neither z3 nor cvc5 is installed"))
  func independentSolverRejectsASatisfiableQuery() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sat-\(UUID().uuidString).smt2")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("(set-logic QF_BV)\n(declare-fun x () (_ BitVec 8))\n(assert (= x #x07))\n(check-sat)\n".utf8).write(
      to: file)
    for solver in Self.solvers {
      #expect(try run(solver.path, solver.arguments + [file.path]).hasPrefix("sat"))
    }
  }
}

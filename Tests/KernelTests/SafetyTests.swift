import Foundation
import Testing

/// The kernel must never trap: no force unwraps, `try!`, `fatalError`, `precondition`, or
/// `as!` anywhere in its sources.
@Suite struct SafetyTests {
  static let sourceDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Sources/Kernel")

  static func offendingLines(in text: String) -> [String] {
    var found: [String] = []
    let forceUnwrap = /[A-Za-z0-9_\)\]\?]!(?!=)/
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      // Comments may say anything.
      let code = line.range(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
      let trapping = [
        "try!", "fatalError(", "precondition(", "preconditionFailure(", "assert(",
        "assertionFailure(", "as!", "unsafelyUnwrapped", "!.", "!)",
      ]
      if trapping.contains(where: { code.contains($0) }) || code.contains(forceUnwrap) {
        found.append(String(line))
      }
    }
    return found
  }

  @Test func theCheckerFindsWhatItLooksFor() {
    #expect(!Self.offendingLines(in: "let x = y!").isEmpty)
    #expect(!Self.offendingLines(in: "let x = f()!.g").isEmpty)
    #expect(!Self.offendingLines(in: "let x = try! f()").isEmpty)
    #expect(!Self.offendingLines(in: "  fatalError(\"no\")").isEmpty)
    #expect(!Self.offendingLines(in: "precondition(x > 0)").isEmpty)
    #expect(!Self.offendingLines(in: "let a = b as! Int").isEmpty)
    #expect(Self.offendingLines(in: "if a != b && !c { } // trap!").isEmpty)
  }

  @Test func kernelSourcesHaveNoTrappingConstructs() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.sourceDirectory.path)
      .filter { $0.hasSuffix(".swift") }
    #expect(files.count >= 10)
    for file in files {
      let text = try String(contentsOf: Self.sourceDirectory.appendingPathComponent(file), encoding: .utf8)
      #expect(Self.offendingLines(in: text) == [], "\(file)")
    }
  }
}

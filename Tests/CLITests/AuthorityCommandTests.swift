// `refine-check authority --json` as a user runs it: the report (format 2) written in pieces to
// stdout is one JSON document, and the exit code still says whether the policy passed.

import Foundation
import Testing

@Suite struct AuthorityCommandTests {
  /// A ring of `n` threads, each granting to the next (as `ringSystem` in the authority tests).
  static func ring(_ n: Int) -> String {
    let objects = (0..<n).map { "t\($0) = tcb\ncn\($0) = cnode (2 bits)\nep\($0) = ep" }
    let caps = (0..<n).map { "t\($0) { cspace: cn\($0) }\ncn\($0) { 1: ep\($0) (WG) 2: ep\(($0 + n - 1) % n) (R) }" }
    return
      "arch aarch64\nobjects {\n\(objects.joined(separator: "\n"))\n}\ncaps {\n\(caps.joined(separator: "\n"))\n}\n"
  }

  @Test func jsonReportAndPolicyExitCode() throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    // 30 threads: 4,350 edges, more than one 64 KiB piece of output.
    let system = try CLI.write(Self.ring(30), to: "ring.cdl", in: dir)
    let policy = try CLI.write("t* -> t* : Send, Call, Receive, Reply\n", to: "ring.policy", in: dir)

    let plain = try CLI.run(["authority", system, "--json"])
    #expect(plain.status == 0, "\(plain)")
    #expect(plain.stdout.utf8.count > 1 << 16)
    let report = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
    #expect(report["formatVersion"] as? Int == 2)
    #expect((report["edges"] as? [Any])?.count == 5 * 30 * 29)
    #expect(report["policy"] == nil)

    let checked = try CLI.run(["authority", system, "--json", "--policy", policy])
    #expect(checked.status == 1, "\(checked)")
    let withPolicy = try #require(
      try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
    let result = try #require(withPolicy["policy"] as? [String: Any])
    #expect(result["passed"] as? Bool == false)
    // The Grant edges, one to every other thread, are the flows the policy leaves out.
    let edges = try #require(withPolicy["edges"] as? [[String: Any]])
    let violations = try #require(result["violations"] as? [Int])
    #expect(violations.count == 30 * 29)
    #expect(violations.allSatisfy { edges[$0]["kind"] as? String == "Grant" })
  }
}

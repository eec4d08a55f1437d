// `refine-check authority`: the authority graph between a capDL system's threads, and its check
// against an allowed-flows policy (`docs/authority.md`).

import ArgumentParser
import Authority
import CapDL
import Foundation

struct AuthorityCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "authority",
    abstract:
      "Show which thread of a capDL system can send to, call, signal, grant to or control which other, and why.",
    discussion: """
      Prints one line per edge with the capability path that creates it. With --policy, lists \
      every flow the policy does not allow and exits 1 when there is any. Exit 65 when the capDL \
      or policy file is malformed (the message gives file:line:column).
      """)

  @Argument(help: "The capDL file.")
  var file: String

  @Option(help: "An allowed-flows policy file (see docs/authority.md).")
  var policy: String?

  @Flag(
    help:
      "Print a JSON report (docs/authority.md, format 2): nodes, edges, the paths, gains and caps they name, violations."
  )
  var json = false

  @Flag(help: "Print the graph in Graphviz dot (violations in red, derived edges dashed).")
  var dot = false

  func validate() throws {
    if json && dot { throw ValidationError("--json and --dot exclude each other") }
  }

  func run() throws {
    let model: CapDLModel
    do {
      model = try CapDLModel.parse(try readInputText(file, what: "system file"), file: file)
    } catch let error as CapDLError {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    let graph = AuthorityGraph(model: model)
    var checked: (file: String, rules: AuthorityPolicy)?
    if let policy {
      do {
        checked = (policy, try AuthorityPolicy.parse(try readInputText(policy, what: "policy file"), file: policy))
      } catch let error as PolicyError {
        standardError("refine-check: error: \(error)")
        throw ExitCode(65)
      }
      for r in checked?.rules.unmatchedRules(threads: graph.threads) ?? [] {
        standardError(
          "refine-check: warning: \(policy):\(r.line): '\(r.from) -> \(r.to)' matches no thread on one side")
      }
    }

    if json {
      // Written in pieces as it is produced (AuthorityReport.writeJSON), not through JSONEncoder.
      let report = AuthorityReport(file: file, graph: graph, policy: checked)
      report.writeJSON { FileHandle.standardOutput.write(Data($0)) }
      if report.policy?.passed == false { throw ExitCode(1) }
      return
    }
    let violations = checked?.rules.violations(in: graph)
    if dot {
      print(graph.dot(highlight: violations ?? []))
    } else {
      print("Authority: \(graph.threads.count) threads, \(graph.edges.count) edges (\(file))")
      for line in graph.lines { print("  \(line)") }
      if let violations, let policy {
        if violations.isEmpty {
          print("Policy \(policy): every flow allowed")
        } else {
          print("Policy \(policy): \(violations.count) flow(s) not allowed:")
          for v in violations { print("  \(v)") }
        }
      }
    }
    if let violations, !violations.isEmpty { throw ExitCode(1) }
  }
}

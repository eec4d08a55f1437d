// `refine-check explore [TRACE.json | --system FILE.cdl | --scenario FILE]`: walk a trace on the
// three layers, one command a line (docs/explorer.md). Works the same over a pipe: a prompt only
// when stdin is a terminal, colours only when stdout is one and NO_COLOR is unset.

import ArgumentParser
import Explorer
import Foundation

struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Explore a trace interactively: step through it, inspect the three layers, see why a check fails, try other events.",
    discussion: """
      Reads one command a line from standard input (type help for the list; docs/explorer.md). With \
      no argument, opens the built-in sample system at its initial state. Exit codes: 0 at quit or \
      end of input, 64 usage error, 65 a trace, system or scenario file that cannot be loaded.
      """)

  @Argument(help: "A trace file written by `refine-check check` or `explore`'s save (docs/traces.md).")
  var trace: String?

  @Option(help: "Start at the initial state of this capDL system instead.")
  var system: String?

  @Option(help: "Explore the steps of this scenario script instead (docs/scenarios.md).")
  var scenario: String?

  func validate() throws {
    let given = [trace, system, scenario].compactMap { $0 }.count
    guard given <= 1 else { throw ValidationError("give one of TRACE.json, --system FILE or --scenario FILE") }
  }

  func run() throws {
    let style = Style.forOutput(isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
    var session: Session
    do {
      if let trace {
        session = try Session.open(trace: trace, style: style)
      } else if let scenario {
        session = try Session.open(scenario: scenario, style: style)
      } else {
        session = try Session.open(system: system, style: style)
      }
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    let interactive = isatty(STDIN_FILENO) == 1
    print(session.banner)
    while true {
      if interactive {
        print(session.prompt, terminator: "")
        fflush(nil)
      }
      guard let line = readLine() else { break }
      let reply = session.run(line)
      if !reply.text.isEmpty { print(reply.text) }
      if reply.quit { break }
    }
  }
}

// Scenario statements one at a time, for the explorer (`refine-check explore`): a person types a
// step in the script syntax (`main: CNode_Copy(...)`) and it runs from whatever state the explorer
// is in. The parser and the step-to-event translation are the script runner's own; nothing here
// parses a second way.

import AbstractSpec
public import CapDL
public import KernelABI
public import Refinement

/// Turns single script statements into events against a given lockstep state.
public struct StatementResolver: Sendable {
  /// The system the statements speak about.
  public var plan: SystemPlan
  /// The names statements may use: the system's, and those bound by `name` lines so far.
  public var names: [String: NamedObject]

  public init(plan: SystemPlan, names: [String: NamedObject]) {
    self.plan = plan
    self.names = names
  }

  /// The names a system plan gives its objects (untyped regions have none in a plan).
  public static func names(of plan: SystemPlan) -> [String: NamedObject] {
    var names: [String: NamedObject] = [:]
    for o in plan.objects { names[o.name] = .object(o.address) }
    return names
  }

  /// Parse `text` as one script line (a step, `expect` or `name`).
  /// - Throws: `ScenarioError` (file `<input>`, line 1) at the first problem.
  public static func parse(_ text: String) throws(ScenarioError) -> Statement {
    var parser = ScriptParser(text, file: "<input>")
    parser.skipBlankLines()
    let statement = try parser.statementLine()
    try parser.endOfLine()
    parser.skipBlankLines()
    guard parser.token == .end else { throw parser.error("one statement") }
    return statement
  }

  /// What resolving a statement did.
  public enum Resolved: Sendable {
    /// A step: the event to run (the named thread, if any, was checked to be current).
    case event(Event)
    /// A `name` line: the name now stands for this object.
    case bound(String)
    /// An `expect` line: the explorer does not check expectations.
    case expectation
  }

  /// Resolve `statement` in `checker`'s current state: a step becomes its event, a `name` line
  /// binds its name. The message of a failure says what did not resolve.
  public mutating func resolve(_ statement: Statement, in checker: LockstepChecker) -> Result<Resolved, ResolveError> {
    let line = Line(statement: statement, position: SourcePosition(line: 1, column: 1), text: "")
    let script = ScenarioScript(
      file: "<input>", system: .builtin, systemPosition: SourcePosition(line: 1, column: 1), lines: [line])
    do {
      try LoadedScenario.checkNames(script, names: names)
    } catch {
      return .failure(ResolveError(message: error.message))
    }
    var runner = Runner(
      scenario: LoadedScenario(name: "<input>", script: script, plan: plan, names: names), checker: checker)
    runner.describer.names = names
    do throws(RunFailure) {
      switch statement {
      case .bind(let n, _):
        try runner.run(line)
        names = runner.describer.names
        return .success(.bound(n.text))
      case .step(let thread, let action, _):
        if let thread { try runner.checkCurrent(thread) }
        return .success(.event(try runner.event(action)))
      case .expect:
        return .success(.expectation)
      }
    } catch {
      // Drop the runner's `file:line: text` heading: the person just typed the line.
      let details = error.message.split(separator: "\n").dropFirst().map { String($0).trimmingSpaces() }
      return .failure(ResolveError(message: details.isEmpty ? error.message : details.joined(separator: "; ")))
    }
  }

  /// A statement that did not resolve.
  public struct ResolveError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}

extension LoadedScenario {
  /// The events of the script's steps in order, with each step's line; `name` lines bind as the
  /// runner binds them and expectations are skipped. Steps run on the three layers to resolve later
  /// names, and a lockstep failure does not stop the walk. Stops at the first step whose names do
  /// not resolve, with its message.
  public func events() -> (events: [(event: Event, line: Line)], names: [String: NamedObject], error: String?) {
    var resolver = StatementResolver(plan: plan, names: names)
    var checker = LockstepChecker(plan: plan)
    var result: [(event: Event, line: Line)] = []
    for line in script.lines {
      switch resolver.resolve(line.statement, in: checker) {
      case .success(.event(let event)):
        _ = checker.step(event)
        result.append((event, line))
      case .success(.bound), .success(.expectation):
        continue
      case .failure(let error):
        return (result, resolver.names, "\(script.file):\(line.position.line): \(line.text): \(error.message)")
      }
    }
    return (result, resolver.names, nil)
  }
}

extension Runner {
  /// A runner over `scenario`'s names that starts from `checker`'s state.
  init(scenario: LoadedScenario, checker: LockstepChecker) {
    self.scenario = scenario
    self.checker = checker
    describer = Describer(names: scenario.names)
  }
}

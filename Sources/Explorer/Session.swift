// An explorer session: a trace on the three layers, a cursor on it, a layer to look at, and one
// command a line (`run(_:)`). The session never ends on a bad command or name: it answers with a
// one-line hint and goes on. The terminal loop (prompt, colours) is the CLI's; everything here works
// the same over a pipe, so a script of commands is also a test.

import AbstractSpec
import Foundation
public import Kernel
public import KernelABI
public import Refinement
import Scenario

/// Where a session's trace and system came from (for `where`, and for `save`).
public struct SessionSource: Sendable {
  /// What was opened, for the banner ("trace t.json", "system Systems/sample.cdl", ...).
  public var description: String
  /// The system's capDL path, or "builtin" (written into saved trace files and scenarios).
  public var systemPath: String
  /// The campaign seed of a recorded trace (0 otherwise).
  public var seed: UInt64
  /// The capDL text of a scenario's inline system (`system { … }`), written back by `save`.
  public var inlineSystem: String?

  public init(description: String, systemPath: String, seed: UInt64 = 0, inlineSystem: String? = nil) {
    self.description = description
    self.systemPath = systemPath
    self.seed = seed
    self.inlineSystem = inlineSystem
  }
}

/// What one command line produced.
public struct Reply: Sendable {
  /// The lines to print (no trailing newline).
  public var text: String
  /// The session is over (`quit`).
  public var quit: Bool
}

/// An interactive exploration of a trace.
public struct Session {
  var timeline: Timeline
  var cursor = 0
  var checker: LockstepChecker
  public internal(set) var layer: Layer = .exec
  var naming: Naming
  var resolver: StatementResolver
  let source: SessionSource
  public var style: Style
  /// Commands typed so far (`history`).
  public private(set) var history: [String] = []
  /// The step where `do` last branched the trace, if it did.
  var branchedAt: Int?

  /// A session on `events` from `plan`.
  /// - Parameters:
  ///   - names: what names stand for (default: the plan's object names).
  ///   - kernel: the kernel's initial state (tests plant bugs here); default the plan's.
  ///   - origins: per event, where it came from (a scenario line), for `where`.
  public init(
    plan: SystemPlan, events: [Event], source: SessionSource, names: [String: NamedObject]? = nil,
    kernel: KernelState? = nil, origins: [String?] = [], style: Style = Style(enabled: false)
  ) {
    let names = names ?? StatementResolver.names(of: plan)
    timeline = Timeline(plan: plan, kernel: kernel, events: events, origins: origins)
    checker = timeline.checker(at: 0)
    naming = Naming(names)
    resolver = StatementResolver(plan: plan, names: names)
    self.source = source
    self.style = style
  }

  /// The prompt for a terminal: the step and the layer.
  public var prompt: String { style.cyan("explore \(cursor)/\(timeline.last) \(layer.rawValue)> ") }

  /// What the session opened and where its trace fails, printed once at the start.
  public var banner: String {
    var lines = [
      "Exploring \(source.description): \(timeline.last) event\(timeline.last == 1 ? "" : "s") on \(timeline.plan.objects.count) objects; layer \(layer.rawValue)."
    ]
    if let bug = timeline.initialKernel.plantedBug {
      lines.append("test only: the layers run with planted bug \(bug.rawValue)")
    }
    if let (step, failure) = timeline.firstFailure {
      lines.append(
        style.red("The trace fails at step \(step): ") + describe(failure) + " (`last`, `goto \(step)`, `check`, `why`)"
      )
    } else {
      lines.append("Every relation and invariant holds on every step.")
    }
    lines.append("Type help for the commands.")
    return lines.joined(separator: "\n")
  }

  /// Run one command line.
  public mutating func run(_ line: String) -> Reply {
    var trimmed = line.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.hasPrefix("#") { return Reply(text: "", quit: false) }
    // `!N` runs command N of the history again, `!!` the last one.
    if trimmed.hasPrefix("!") {
      let n = trimmed == "!!" ? history.count : Int(trimmed.dropFirst()) ?? 0
      guard n >= 1, n <= history.count else {
        return Reply(text: "no command \(trimmed.dropFirst()) in the history (history lists them)", quit: false)
      }
      trimmed = history[n - 1]
    }
    history.append(trimmed)
    let (word, rest) = Session.split(trimmed)
    let name = Commands.aliases[word] ?? word
    if name == "quit" { return Reply(text: "", quit: true) }
    return Reply(text: dispatch(name, rest).joined(separator: "\n"), quit: false)
  }

  static func split(_ line: String) -> (String, String) {
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (trimmed, "") }
    return (String(trimmed[..<space]), trimmed[space...].trimmingCharacters(in: .whitespaces))
  }

  /// The first word of `text` and what follows it (leading blanks skipped, the rest not trimmed):
  /// the work is the length of the word, not of the line, so that peeling many words off a long
  /// line stays linear.
  static func firstWord(_ text: Substring) -> (word: Substring, rest: Substring) {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    let word = text.drop(while: blank).prefix { !blank($0) }
    return (word, text[word.endIndex...].drop(while: blank))
  }

  /// Runs one command. Layer prefixes (`kernel show thread main`, `exec kernel check`, nested any
  /// number of times) are peeled off in a loop, not by recursion, so a line of thousands of them
  /// cannot exhaust the stack; the innermost layer is the one the command sees, and the session's
  /// layer is restored afterwards.
  mutating func dispatch(_ name: String, _ rest: String) -> [String] {
    var name = name
    var rest = Substring(rest).drop { $0 == " " || $0 == "\t" }
    let saved = layer
    var prefixed = false
    while let chosen = Layer(rawValue: name), !rest.isEmpty {
      layer = chosen
      prefixed = true
      let (word, after) = Session.firstWord(rest)
      name = Commands.aliases[String(word)] ?? String(word)
      rest = after
    }
    defer { if prefixed { layer = saved } }
    return command(name, rest.trimmingCharacters(in: .whitespaces))
  }

  /// One command without layer prefixes.
  mutating func command(_ name: String, _ rest: String) -> [String] {
    switch name {
    case "step": return move(by: rest, forward: true)
    case "back": return move(by: rest, forward: false)
    case "goto":
      guard let n = Int(rest) else { return ["goto needs a step number (0...\(timeline.last)); e.g. goto 3"] }
      return go(to: n)
    case "first": return go(to: 0)
    case "last": return go(to: timeline.last)
    case "where": return whereLines()
    case "abstract", "exec", "kernel":
      // With a command after it, `dispatch` has already run that command on this layer.
      let chosen = Layer(rawValue: name) ?? .exec
      layer = chosen
      return ["layer \(chosen.rawValue)"]
    case "show": return show(rest)
    case "threads": return threadsLines()
    case "objects": return objectsLines()
    case "caps":
      guard !rest.isEmpty else { return ["caps needs a thread (or CNode) name; threads lists them"] }
      return cspaceLines(rest)
    case "cdt": return cdtLines()
    case "memory": return memoryLines(rest)
    case "check": return checkLines()
    case "why":
      guard !rest.isEmpty else {
        return ["why needs a relation or invariant name (R1, R2, valid_mdb, ...); check lists them"]
      }
      return whyLines(rest)
    case "diff": return diffLines()
    case "do":
      guard !rest.isEmpty else {
        return ["do needs an event in the scenario language, e.g. do main: CNode_Delete(root_cnode, 20, 56)"]
      }
      return doLines(rest)
    case "save":
      guard !rest.isEmpty else {
        return ["save needs a file name (FILE.json: a trace file; FILE.scenario: a scenario)"]
      }
      return saveLines(rest)
    case "help": return rest.isEmpty ? Commands.listing(style) : Commands.help(rest, style)
    case "history": return history.enumerated().map { "\($0.offset + 1)  \($0.element)" }
    default: return [Commands.unknown(name)]
    }
  }

  // MARK: - Navigation

  mutating func move(by text: String, forward: Bool) -> [String] {
    let n: Int
    if text.isEmpty {
      n = 1
    } else if let parsed = Int(text), parsed >= 0 {
      n = parsed
    } else {
      return ["\(forward ? "step" : "back") takes a number of steps, e.g. \(forward ? "step" : "back") 2"]
    }
    if forward && cursor == timeline.last {
      return ["already at the last step (\(timeline.last)); do runs a new event from here"]
    }
    if !forward && cursor == 0 { return ["already at step 0, the initial state"] }
    let target = forward ? (n >= timeline.last - cursor ? timeline.last : cursor + n) : (n >= cursor ? 0 : cursor - n)
    if forward {
      var lines: [String] = []
      while cursor < target {
        cursor += 1
        if let event = timeline.records[cursor].event { _ = checker.step(event) }
        lines += stepSummary(cursor)
      }
      return lines
    }
    return go(to: target)
  }

  mutating func go(to step: Int) -> [String] {
    guard step >= 0, step <= timeline.last else {
      return ["no step \(step): this trace has steps 0...\(timeline.last)"]
    }
    if step != cursor {
      checker = timeline.checker(at: step)
      cursor = step
    }
    return stepSummary(step)
  }

  /// `step N: EVENT -> RESULT` and the failure there, if any.
  func stepSummary(_ step: Int) -> [String] {
    let record = timeline.records[step]
    var lines: [String]
    if let event = record.event {
      var line = style.bold("step \(step)") + ": \(describe(event))"
      if let o = record.observation { line += " -> \(naming.observation(o))" }
      lines = [line]
    } else {
      lines = [style.bold("step 0") + ": the initial state"]
    }
    if let f = record.failure { lines.append("  " + style.red("FAILS: ") + describe(f)) }
    return lines
  }

  func whereLines() -> [String] {
    let record = timeline.records[cursor]
    var lines = [
      "step \(cursor) of \(timeline.last) (\(source.description)\(branchedAt.map { ", branched at step \($0)" } ?? ""))"
    ]
    if let event = record.event {
      lines.append("event:   \(describe(event))")
      if let origin = record.origin { lines.append("from:    \(origin)") }
      if let o = record.observation { lines.append("result:  \(naming.observation(o))") }
    } else {
      lines.append("event:   none (the initial state)")
    }
    let current = checker.abstract.currentThread
    lines.append("current: \(naming.thread(checker.abstract.isIdle(current) ? nil : current))")
    lines.append("layer:   \(layer.rawValue)")
    let time = view.time
    lines.append("time:    \(naming.clock(time))")
    lines.append("release: \(naming.releaseQueue(time))")
    lines.append("domain:  \(naming.domain(time))")
    lines.append("irqs:    \(naming.interrupts(time))")
    if let f = record.failure {
      lines.append(style.red("fails:   ") + describe(f))
    } else {
      lines.append("fails:   nothing (the lockstep check holds here)")
    }
    return lines
  }

  // MARK: - Words

  /// An event, with an invocation's name where the label is one.
  func describe(_ event: Event) -> String {
    guard case .syscall(let call, let args) = event else { return "\(event)" }
    var parts = ["cptr \(hex(args.capRegister))"]
    let info = args.info
    if let label = InvocationLabel(rawValue: info.label) {
      parts.append(label.libsel4Name)
    } else {
      parts.append("label \(info.label)")
    }
    if !args.messageRegisters.isEmpty {
      parts.append("mrs [" + args.messageRegisters.map { hex($0) }.joined(separator: ", ") + "]")
    }
    if !args.extraCaps.isEmpty {
      parts.append("caps [" + args.extraCaps.map { hex($0) }.joined(separator: ", ") + "]")
    }
    if args.replyRegister != 0 { parts.append("reply \(hex(args.replyRegister))") }
    if args.nbSendRecvDestination != 0 { parts.append("dest \(hex(args.nbSendRecvDestination))") }
    return "\(call.libsel4Name)(" + parts.joined(separator: ", ") + ")"
  }

  func describe(_ f: LockstepFailure) -> String {
    var text = "\(f.kind.rawValue)"
    if let layer = f.layer { text += " in \(layer)" }
    return text + " \(f.name): \(naming.annotate(f.explanation))"
  }

  var view: StateView { StateView(checker, layer) }
}

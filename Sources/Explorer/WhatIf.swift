// What-if: `do` runs an event a person types in the scenario language from the current state, on
// all three layers, and branches the trace there; `save` writes the trace as it now stands, as a
// trace file (docs/traces.md, replayable) or as a scenario (docs/scenarios.md).

import Foundation
import Kernel
import KernelABI
import Refinement
import Scenario

extension Session {
  mutating func doLines(_ text: String) -> [String] {
    let statement: Statement
    do {
      statement = try StatementResolver.parse(text)
    } catch {
      return ["cannot read '\(text)': column \(error.column): \(error.message) (help do shows the form)"]
    }
    switch resolver.resolve(statement, in: checker) {
    case .failure(let e):
      return ["cannot run '\(text)': \(naming.annotate(e.message))"]
    case .success(.expectation):
      return ["expectations are not checked here; check and show look at the state"]
    case .success(.bound(let name)):
      naming = Naming(resolver.names)
      return ["'\(name)' now names \(resolver.names[name].map { describe($0) } ?? "?")"]
    case .success(.event(let event)):
      let dropped = timeline.last - cursor
      checker = timeline.branch(at: cursor, from: checker, event: event, origin: "do \(text)")
      branchedAt = cursor
      cursor += 1
      var lines = stepSummary(cursor)
      if dropped > 0 {
        lines.append(
          style.dim(
            "(branched at step \(cursor - 1): the old trace's \(dropped) later step\(dropped == 1 ? "" : "s") dropped)")
        )
      }
      if timeline.records[cursor].failure == nil { lines.append("  every relation and invariant holds") }
      return lines
    }
  }

  func describe(_ named: NamedObject) -> String {
    switch named {
    case .object(let address): "the object at \(hex(address))"
    case .untyped(let base, let sizeBits): "the untyped region at \(hex(base)) of 2^\(sizeBits) bytes"
    }
  }

  mutating func saveLines(_ path: String) -> [String] {
    if path.hasSuffix(".scenario") { return saveScenario(path) }
    return saveTrace(path)
  }

  /// The trace as a trace file: the first failure is what it is expected to reproduce.
  func traceFile() -> Result<TraceFile, HintError> {
    guard let (step, failure) = timeline.firstFailure else {
      return .failure(
        HintError(
          "this trace does not fail, and a trace file records a failure; save FILE.scenario writes it as a scenario"))
    }
    let events = Array(timeline.events.prefix(step))
    return .success(
      TraceFile(
        system: .init(path: source.systemPath, plan: timeline.plan), seed: source.seed, traceSeed: nil, traceIndex: nil,
        originalLength: nil, events: events, expected: .init(failure), plantedBug: timeline.initialKernel.plantedBug))
  }

  func saveTrace(_ path: String) -> [String] {
    let trace: TraceFile
    switch traceFile() {
    case .failure(let e): return ["save: " + e.message]
    case .success(let t): trace = t
    }
    do {
      try trace.encoded().write(to: URL(fileURLWithPath: path))
    } catch {
      return ["save: cannot write \(path): \(error.localizedDescription)"]
    }
    let replayed = trace.replay(plan: timeline.plan)
    let verdict = replayed.map { trace.expected.matches($0) ? "reproduces" : "FAILS DIFFERENTLY" } ?? "DOES NOT FAIL"
    var lines = [
      "saved \(trace.events.count) events to \(path) (a trace file); replaying it \(verdict): step \(trace.expected.step) \(trace.expected.kind.rawValue) \(trace.expected.name)"
    ]
    if trace.events.count < timeline.last {
      lines.append(
        "  (the \(timeline.last - trace.events.count) step(s) after the failure are not saved: a trace file ends where it fails)"
      )
    }
    lines.append("  refine-check replay \(path)")
    return lines
  }

  // MARK: - Scenarios

  /// The trace in the scenario language: the system line, then one step line per event, each
  /// preceded by a comment with what it returned.
  func scenarioText() -> Result<String, HintError> {
    var lines = ["-- Written by refine-check explore from \(source.description)."]
    if let bug = timeline.initialKernel.plantedBug {
      return .failure(
        HintError(
          "this trace runs with planted bug \(bug.rawValue), which a scenario cannot say; save FILE.json instead"))
    }
    if let (step, f) = timeline.firstFailure {
      lines.append("-- The lockstep check fails at step \(step): \(describe(f))")
    }
    if let inline = source.inlineSystem {
      lines.append("system {" + inline + "}")
    } else if source.systemPath == "builtin" {
      lines.append("system builtin")
    } else {
      let full = URL(fileURLWithPath: source.systemPath).standardizedFileURL.path
      guard FileManager.default.fileExists(atPath: full) else {
        return .failure(
          HintError(
            "the system file \(source.systemPath) is not there, and a scenario names its system by file; save FILE.json instead"
          ))
      }
      lines.append("system \"\(full)\"")
    }
    // One pass from the initial state: the thread that made each event is the current thread of
    // the state before it.
    var walker = LockstepChecker(plan: timeline.plan, kernel: timeline.initialKernel)
    for (i, record) in timeline.records.enumerated().dropFirst() {
      guard let event = record.event else { continue }
      let current: ObjectRef? =
        walker.abstract.isIdle(walker.abstract.currentThread) ? nil : walker.abstract.currentThread
      _ = walker.step(event)
      switch Session.scenarioLine(event, thread: current, naming: naming) {
      case .failure(let e): return .failure(HintError("step \(i): \(e.message); save FILE.json instead"))
      case .success(let line):
        if let o = record.observation {
          lines.append("-- step \(i): \(naming.observation(o))")
          lines.append(line + (Session.outcome(o).map { " -> " + $0 } ?? ""))
        } else {
          lines.append(line)
        }
      }
    }
    return .success(lines.joined(separator: "\n") + "\n")
  }

  /// What a step returned as a scenario outcome that `run` checks: the error code alone (the
  /// comment above the step has the whole reply).
  static func outcome(_ o: Observation) -> String? {
    if let n = o.notModelled { return "notModelled \"\(n)\"" }
    if o.fault != nil { return "fault" }
    guard let reply = o.reply else { return "ok" }
    if reply == .success { return "NoError" }
    // A success reply with registers of its own (TCB_ReadRegisters) is no outcome a script can
    // write (`NoError` is the empty reply): the step is saved without one.
    if reply.info.label == 0 { return nil }
    return SeL4Error(rawValue: reply.info.label)?.shortName
  }

  /// One event as a step line: a system call with its raw registers (the cap register as a cptr,
  /// an invocation's label by name).
  static func scenarioLine(_ event: Event, thread: ObjectRef?, naming: Naming) -> Result<String, HintError> {
    var who = "idle"
    if let thread {
      guard let name = naming.nameIfAny(thread), name.wholeMatch(of: #/[A-Za-z_][A-Za-z0-9_]*/#) != nil else {
        return .failure(
          HintError("the calling thread \(naming.name(of: thread)) has no name the scenario language can write"))
      }
      who = name
    }
    switch event {
    case .timerTick(let n): return .success("time \(n)")
    case .interrupt(let n): return .success("irq \(n)")
    case .unknownSyscall(let n): return .success("\(who): Syscall(\(n))")
    case .userException(let number, let code): return .success("\(who): UserException(\(number), \(code))")
    case .syscall(let call, let args):
      let info = args.info
      let expected = MessageInfo(
        label: info.label, extraCaps: UInt64(args.extraCaps.count), length: UInt64(args.messageRegisters.count))
      guard expected.word == args.messageInfo else {
        return .failure(
          HintError(
            "the event's registers (message info \(hex(args.messageInfo))) cannot be written in the scenario language exactly"
          ))
      }
      var parts = [hex(args.capRegister)]
      if info.label != 0 {
        parts.append("label " + (InvocationLabel(rawValue: info.label).map { $0.libsel4Name } ?? "\(info.label)"))
      }
      if !args.messageRegisters.isEmpty {
        parts.append("[" + args.messageRegisters.map { hex($0) }.joined(separator: ", ") + "]")
      }
      if !args.extraCaps.isEmpty {
        parts.append("caps [" + args.extraCaps.map { hex($0) }.joined(separator: ", ") + "]")
      }
      if args.replyRegister != 0 { parts.append("reply \(hex(args.replyRegister))") }
      if args.nbSendRecvDestination != 0 { parts.append("dest \(hex(args.nbSendRecvDestination))") }
      if let r = args.receiveSlot { parts.append("receivePath(\(hex(r.cnode)), \(hex(r.index)), \(r.depth))") }
      return .success("\(who): \(call.libsel4Name.dropFirst(5))(" + parts.joined(separator: ", ") + ")")
    }
  }

  func saveScenario(_ path: String) -> [String] {
    let text: String
    switch scenarioText() {
    case .failure(let e): return ["save: " + e.message]
    case .success(let t): text = t
    }
    // Read it back the way `refine-check run` will, and refuse a file that would run other events.
    let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      let loaded = try LoadedScenario.load(text: text, file: path, directory: directory)
      let (events, _, error) = loaded.events()
      if let error { return ["save: the written scenario would not run: \(error)"] }
      guard events.map(\.event) == timeline.events else {
        return ["save: the scenario language cannot say these events exactly; save FILE.json instead"]
      }
    } catch {
      return ["save: the written scenario does not load: \(error)"]
    }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    } catch {
      return ["save: cannot write \(path): \(error.localizedDescription)"]
    }
    return ["saved \(timeline.last) events to \(path) (a scenario)", "  refine-check run \(path)"]
  }
}

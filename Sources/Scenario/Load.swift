// Loading a script: parse it, load its system (a capDL file, inline capDL, or the built-in
// sample), check that every name it uses is defined before it is used, and that every slot it
// names of a system object exists. Only a script that passes all of these runs, so a malformed
// one never half-runs.

public import CapDL
import Foundation
public import KernelABI
public import Refinement

/// A script ready to run.
public struct LoadedScenario: Sendable {
  /// The script's name (its file name without the extension).
  public var name: String
  public var script: ScenarioScript
  public var plan: SystemPlan
  /// The names of the system's objects and untypeds.
  public var names: [String: NamedObject]

  /// Parse, load and check the script in `path`.
  /// - Throws: `ScenarioError` for a malformed script, an unreadable or malformed system, or an
  ///   undefined name.
  public static func load(path: String) throws(ScenarioError) -> LoadedScenario {
    let url = URL(fileURLWithPath: path)
    let text: String
    do {
      text = try InputFile.text(path, what: "scenario script")
    } catch {
      throw ScenarioError(file: path, position: .wholeFile, message: error.reason)
    }
    return try load(text: text, file: path, directory: url.deletingLastPathComponent().path)
  }

  /// Parse, load and check a script given as text; a system file is looked for in `directory`.
  public static func load(text: String, file: String, directory: String = ".") throws(ScenarioError) -> LoadedScenario {
    let script = try ScenarioScript.parse(text, file: file)
    let (plan, names) = try loadSystem(script, directory: directory)
    try checkNames(script, names: names)
    try checkSlots(script, plan: plan, names: names)
    var stem = (file as NSString).lastPathComponent
    if stem.hasSuffix(".scenario") { stem.removeLast(".scenario".count) }
    return LoadedScenario(name: stem, script: script, plan: plan, names: names)
  }

  static func loadSystem(_ script: ScenarioScript, directory: String) throws(ScenarioError)
    -> (SystemPlan, [String: NamedObject])
  {
    let at = script.systemPosition
    let model: CapDLModel
    switch script.system {
    case .builtin:
      var names: [String: NamedObject] = [:]
      let plan = SystemPlan.sample
      // Validated as a loaded system is: a mistake in the built-in plan is bad input, not a failure.
      if let problem = validateStartingState(plan).first {
        throw ScenarioError(file: script.file, position: at, message: "not a valid starting state: \(problem)")
      }
      for o in plan.objects { names[o.name] = .object(o.address) }
      typealias S = SystemPlan.Sample
      names["ut_small"] = .untyped(base: S.smallUntyped, sizeBits: 19)
      names["ut_big"] = .untyped(base: S.bigUntyped, sizeBits: 20)
      names["ut_device"] = .untyped(base: S.deviceUntyped, sizeBits: 16)
      return (plan, names)
    case .file(let path):
      let full = path.hasPrefix("/") ? path : (directory as NSString).appendingPathComponent(path)
      let text: String
      do {
        text = try InputFile.text(full, what: "system file")
      } catch {
        throw ScenarioError(file: script.file, position: at, message: error.description)
      }
      do {
        model = try CapDLModel.parse(text, file: full)
      } catch {
        throw error
      }
    case .inline(let text, let start):
      do {
        model = try CapDLModel.parse(text, file: script.file)
      } catch {
        // Positions in the inline text, moved to where the text starts in the script.
        let line = start.line + error.line - 1
        let column = error.line == 1 ? start.column + error.column - 1 : error.column
        throw ScenarioError(
          file: script.file, position: SourcePosition(line: line, column: column), message: error.message)
      }
    }
    let loaded: CapDLLoadResult
    do {
      loaded = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    } catch {
      throw ScenarioError(file: script.file, position: at, message: "\(error)")
    }
    if let problem = validateStartingState(loaded.plan).first {
      throw ScenarioError(
        file: script.file, position: at,
        message:
          "not a valid starting state\(loaded.location(object: problem.objects.first, slot: problem.slot).map { " (\($0))" } ?? ""): \(problem)"
      )
    }
    var names: [String: NamedObject] = [:]
    for o in loaded.plan.objects { names[o.name] = .object(o.address) }
    for (id, region) in loaded.untypeds {
      names[id.description] = .untyped(base: region.base, sizeBits: region.sizeBits)
    }
    return (loaded.plan, names)
  }

  /// Every name is a system name or bound by an earlier `name` line.
  static func checkNames(_ script: ScenarioScript, names: [String: NamedObject]) throws(ScenarioError) {
    var known = Set(names.keys)
    func check(_ n: Name, thread: Bool = false) throws(ScenarioError) {
      if thread && n.text == "idle" { return }
      guard known.contains(n.text) else {
        throw ScenarioError(
          file: script.file, position: n.position,
          message: "expected a name of the system, found '\(n.text)' (not defined)")
      }
    }
    func check(_ v: Value) throws(ScenarioError) {
      switch v {
      case .name(let n): try check(n)
      case .slot(let s): try check(s.container)
      case .number, .list: break
      }
    }
    for line in script.lines {
      switch line.statement {
      case .bind(let n, let s):
        try check(s.container)
        known.insert(n.text)
      case .step(let thread, let action, _):
        if let thread { try check(thread, thread: true) }
        switch action {
        case .invoke(let label, let values):
          let params = [Parameter("service", .cap)] + label.parameters
          for (p, v) in zip(params, values) where p.kind == .cap { try check(v) }
        case .syscall(_, let raw):
          for v in [raw.cap, raw.reply, raw.dest, raw.receivePath?.cnode].compactMap({ $0 }) + raw.extraCaps {
            try check(v)
          }
        case .syscallNumber, .userException, .time, .irq: break
        }
      case .expect(let e):
        switch e {
        case .threadState(let n, _), .threadField(let n, _, _), .exists(let n), .gone(let n): try check(n)
        case .threadBinding(let n, _, let object):
          try check(n)
          if let object { try check(object) }
        case .threadRegister(let n, _, _): try check(n)
        case .current(let n): if let n { try check(n) }
        case .slot(let s, let p):
          try check(s.container)
          if let o = p.object { try check(o) }
        case .parent(let a, let b):
          try check(a.container)
          if let b { try check(b.container) }
        case .original(let s, _): try check(s.container)
        case .readyQueue(_, let threads): for n in threads { try check(n) }
        case .endpoint(let n, let p), .notification(let n, let p):
          try check(n)
          for t in p.threads { try check(t) }
        case .reply(let n, let p):
          try check(n)
          for o in [p.thread, p.stack].compactMap({ $0 }) { try check(o) }
        case .replyStack(let n, let replies):
          try check(n)
          for r in replies { try check(r) }
        case .schedContextUse(let n, let sc, _, let by):
          try check(n)
          try check(sc)
          if let by { try check(by) }
        }
      }
    }
  }
}

// MARK: - Slots

extension LoadedScenario {
  /// Every `slot(c, i)` whose container is an object of the system names a slot that exists: `c` is
  /// a CNode with `i < 2^radix` or a TCB with `i < 5`. (Otherwise an expectation about the slot
  /// would read an empty slot that is not there and pass whatever it said.) A name bound by a
  /// `name` line is checked when the line runs, since what it names is known only then.
  static func checkSlots(_ script: ScenarioScript, plan: SystemPlan, names: [String: NamedObject])
    throws(ScenarioError)
  {
    var bound: Set<String> = []
    for line in script.lines {
      for s in line.statement.slotExpressions where !bound.contains(s.container.text) {
        guard let named = names[s.container.text] else { continue }
        if let problem = missingSlot(s, named, plan) {
          throw ScenarioError(file: script.file, position: problem.position, message: problem.message)
        }
      }
      if case .bind(let n, _) = line.statement { bound.insert(n.text) }
    }
  }

  /// Why `s` names no slot of the system object `named`, and where to point; nil when it names one.
  static func missingSlot(_ s: SlotExpr, _ named: NamedObject, _ plan: SystemPlan) -> (
    position: SourcePosition, message: String
  )? {
    let head = "\(s) does not exist: "
    let kind: PlanObjectKind
    switch named {
    case .untyped:
      return (s.container.position, head + "\(s.container) names an untyped region, which has no slots")
    case .object(let r):
      guard let object = plan.object(at: r) else { return nil }
      kind = object.kind
    }
    switch kind {
    // A CNode has 2^radix slots.
    case .cnode(let radix):
      guard radix < 64, s.index >= UInt64(1) << radix else { return nil }
      return (
        s.position,
        head
          + "index \(s.index) is out of range of \(s.container), a 2^\(radix)-slot CNode (indices 0 to \((UInt64(1) << radix) - 1))"
      )
    // A TCB has the five slots of `TCBSlot`.
    case .tcb:
      guard s.index >= TCBSlot.count else { return nil }
      return (
        s.position,
        head
          + "index \(s.index) is out of range of \(s.container), a TCB (\(TCBSlot.count) slots, indices 0 to \(TCBSlot.count - 1))"
      )
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      return (s.container.position, head + "\(s.container) is \(kind.article), which has no slots")
    }
  }
}

extension PlanObjectKind {
  /// "an endpoint", "a TCB", ...: the kind as a message names it.
  var article: String {
    switch self {
    case .tcb: "a TCB"
    case .endpoint: "an endpoint"
    case .notification: "a notification"
    case .cnode: "a CNode"
    case .schedContext: "a scheduling context"
    case .reply: "a reply object"
    case .opaque(let kind, _): "a \(kind) object"
    }
  }
}

extension Statement {
  /// Every `slot(c, i)` the statement names, in the order written.
  var slotExpressions: [SlotExpr] {
    func slots(_ v: Value) -> [SlotExpr] {
      switch v {
      case .slot(let s): [s]
      case .list(let items, _): items.flatMap(slots)
      case .number, .name: []
      }
    }
    switch self {
    case .bind(_, let s): return [s]
    case .step(_, let action, _):
      switch action {
      case .invoke(_, let values): return values.flatMap(slots)
      case .syscall(_, let raw):
        return ([raw.cap, raw.reply, raw.dest, raw.receivePath?.cnode].compactMap { $0 } + raw.extraCaps).flatMap(slots)
      case .syscallNumber, .userException, .time, .irq: return []
      }
    case .expect(let e):
      switch e {
      case .slot(let s, let p): return [s] + (p.object.map(slots) ?? [])
      case .parent(let a, let b): return [a] + (b.map { [$0] } ?? [])
      case .original(let s, _): return [s]
      case .threadState, .threadField, .threadBinding, .threadRegister, .current, .exists, .gone, .readyQueue,
        .endpoint, .notification, .reply, .replyStack, .schedContextUse:
        return []
      }
    }
  }
}

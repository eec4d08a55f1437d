// Loading a script: parse it, load its system (a capDL file, inline capDL, or the built-in
// sample), and check that every name it uses is defined before it is used. Only a script that
// passes all three runs, so a malformed one never half-runs.

import CapDL
import Foundation
public import KernelABI
import Refinement

/// What a name stands for.
public enum NamedObject: Hashable, Sendable {
  /// A kernel object at this address.
  case object(ObjectRef)
  /// An untyped region (a name for its capabilities, not an object).
  case untyped(base: UInt64, sizeBits: UInt64)
}

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
        throw ScenarioError(
          file: error.file, position: SourcePosition(line: error.line, column: error.column), message: error.message)
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
      loaded = try loadSystemPlan(from: model)
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
          for v in [raw.cap, raw.reply, raw.dest].compactMap({ $0 }) + raw.extraCaps { try check(v) }
        case .syscallNumber, .time, .irq: break
        }
      case .expect(let e):
        switch e {
        case .threadState(let n, _), .exists(let n), .gone(let n): try check(n)
        case .current(let n): if let n { try check(n) }
        case .slot(let s, let p):
          try check(s.container)
          if let o = p.object { try check(o) }
        case .parent(let a, let b):
          try check(a.container)
          if let b { try check(b.container) }
        case .original(let s, _): try check(s.container)
        }
      }
    }
  }
}

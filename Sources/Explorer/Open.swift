// Opening a session: a recorded trace file, a capDL system (no events yet), or a scenario script
// (its steps become the trace). A file that cannot be read or loaded is one error value naming the
// file; the CLI turns it into exit 65.

import CapDL
import Foundation
import KernelABI
import Refinement
import Scenario

/// A file the explorer cannot open, and why (one line).
public struct OpenError: Error, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

extension Session {
  /// The names a capDL system gives: its objects and its untyped regions.
  static func names(capDL path: String) -> (SystemPlan, [String: NamedObject])? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8),
      let model = try? CapDLModel.parse(text, file: path),
      let loaded = try? loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    else { return nil }
    var names = StatementResolver.names(of: loaded.plan)
    for (id, region) in loaded.untypeds {
      names[id.description] = .untyped(base: region.base, sizeBits: region.sizeBits)
    }
    return (loaded.plan, names)
  }

  /// The names of the built-in sample system, untyped regions included (as scenarios name them).
  static var sampleNames: [String: NamedObject] {
    var names = StatementResolver.names(of: .sample)
    typealias S = SystemPlan.Sample
    names["ut_small"] = .untyped(base: S.smallUntyped, sizeBits: 19)
    names["ut_big"] = .untyped(base: S.bigUntyped, sizeBits: 20)
    names["ut_device"] = .untyped(base: S.deviceUntyped, sizeBits: 16)
    return names
  }

  /// A session on a recorded trace file (docs/traces.md).
  public static func open(trace path: String, style: Style = Style(enabled: false)) throws(OpenError) -> Session {
    let data: Data
    do {
      data = try InputFile.utf8Data(path, what: "trace file")
    } catch {
      throw OpenError(message: error.description)
    }
    let trace: TraceFile
    do {
      trace = try TraceFile.decode(data, file: path)
    } catch {
      throw OpenError(message: "\(error)")
    }
    // The recorded plan wins; the capDL file (or the built-in system) also gives untyped names,
    // when it still describes the same plan.
    let described: (SystemPlan, [String: NamedObject])? =
      trace.system.path == "builtin" ? (.sample, sampleNames) : Session.names(capDL: trace.system.path)
    let plan: SystemPlan
    let names: [String: NamedObject]
    switch (trace.system.plan, described) {
    case (let inline?, let (p, n)?):
      plan = inline
      names = inline == p ? n : StatementResolver.names(of: inline)
    case (let inline?, nil):
      plan = inline
      names = StatementResolver.names(of: inline)
    case (nil, let (p, n)?):
      plan = p
      names = n
    case (nil, nil):
      throw OpenError(
        message: "\(path): the trace has no inline plan and its system file '\(trace.system.path)' does not load")
    }
    if let problem = plan.validate().first {
      throw OpenError(message: "\(path): the trace's system is not a valid initial state: \(problem)")
    }
    let kernel = trace.kernel(plan: plan)
    return Session(
      plan: plan, events: trace.events,
      source: SessionSource(description: "trace \(path)", systemPath: trace.system.path, seed: trace.seed),
      names: names, kernel: kernel, style: style)
  }

  /// A session at the initial state of a capDL system (nil: the built-in sample system).
  public static func open(system path: String?, style: Style = Style(enabled: false)) throws(OpenError) -> Session {
    guard let path else {
      return Session(
        plan: .sample, events: [],
        source: SessionSource(description: "the built-in sample system", systemPath: "builtin"),
        names: sampleNames, style: style)
    }
    let text: String
    do {
      text = try InputFile.text(path, what: "system file")
    } catch {
      throw OpenError(message: error.description)
    }
    let loaded: CapDLLoadResult
    do {
      loaded = try loadSystemPlan(
        from: try CapDLModel.parse(text, file: path), growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    } catch {
      throw OpenError(message: "\(error)")
    }
    if let problem = loaded.plan.validate().first {
      throw OpenError(message: "\(path): the system is not a valid initial state: \(problem)")
    }
    var names = StatementResolver.names(of: loaded.plan)
    for (id, region) in loaded.untypeds {
      names[id.description] = .untyped(base: region.base, sizeBits: region.sizeBits)
    }
    return Session(
      plan: loaded.plan, events: [], source: SessionSource(description: "system \(path)", systemPath: path),
      names: names, style: style)
  }

  /// A session on a scenario script's steps (its expectations are not checked).
  public static func open(scenario path: String, style: Style = Style(enabled: false)) throws(OpenError) -> Session {
    let loaded: LoadedScenario
    do {
      loaded = try LoadedScenario.load(path: path)
    } catch {
      throw OpenError(message: "\(error)")
    }
    let (events, names, error) = loaded.events()
    if let error { throw OpenError(message: error) }
    let systemPath: String
    var inlineSystem: String?
    switch loaded.script.system {
    case .builtin: systemPath = "builtin"
    case .file(let file):
      let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
      systemPath = file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
    case .inline(let text, _):
      systemPath = "inline capDL in \(path)"
      inlineSystem = text
    }
    return Session(
      plan: loaded.plan, events: events.map(\.event),
      source: SessionSource(description: "scenario \(path)", systemPath: systemPath, inlineSystem: inlineSystem),
      names: names,
      origins: events.map { "\(path):\($0.line.position.line): \($0.line.text)" }, style: style)
  }
}

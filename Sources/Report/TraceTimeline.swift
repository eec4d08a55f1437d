// A recorded trace replayed step by step on all three layers, with each layer's state after each
// step: the data behind the HTML trace report. States are stored as the first step's full dump
// and then, per step, only the lines that changed, which keeps a report of a hundred steps small.

import Foundation
import Kernel
public import KernelABI
public import Refinement

/// What broke, in the form the report shows it.
/// The event in a few words: the system call, the invocation its label asks for, and the cptr.
func summarize(_ event: Event) -> String {
  switch event {
  case .syscall(let call, let arguments):
    let label = arguments.info.label
    let method = InvocationLabel(rawValue: label).map(\.libsel4Name) ?? "label \(label)"
    return "\(call.libsel4Name) \(method) on \(hex(arguments.capRegister))"
  case .unknownSyscall, .userException, .interrupt, .timerTick:
    return "\(event)"
  }
}

/// `diff` with a comment naming the object after each line that mentions a named object's
/// address (the structural diff prints addresses in decimal).
func annotate(_ diff: String?, plan: SystemPlan) -> String? {
  guard let diff else { return nil }
  let known = Dictionary(plan.objects.map { (String($0.address), $0.name) }, uniquingKeysWith: { a, _ in a })
  return diff.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
    let numbers = line.split(whereSeparator: { !$0.isNumber }).map(String.init)
    let found = numbers.compactMap { known[$0] }
    guard !found.isEmpty else { return String(line) }
    var seen: [String] = []
    for name in found where !seen.contains(name) { seen.append(name) }
    return line + "  // " + seen.joined(separator: ", ")
  }.joined(separator: "\n")
}

public struct FailureView: Codable, Sendable, Hashable {
  public var step: Int
  public var event: String?
  /// `R1`, `R2`, `observation` or `invariant`.
  public var kind: String
  public var layer: String?
  /// Which layers the check compares or belongs to, in words.
  public var between: String
  public var name: String
  public var explanation: String
  public var diff: String?

  public init(_ f: LockstepFailure, plan: SystemPlan? = nil) {
    step = f.step
    event = f.event.map { "\($0)" }
    kind = f.kind.rawValue
    layer = f.layer
    switch f.kind {
    case .r1: between = "Kernel vs ExecutableSpec (R1)"
    case .r2: between = "ExecutableSpec vs AbstractSpec (R2)"
    case .observation: between = "observations of the three layers"
    case .invariant: between = "invariant of \(f.layer ?? "a layer")"
    case .twin: between = "AbstractSpec vs its symbolic twin (twin_relation)"
    case .availability: between = "the availability property (all three layers alike)"
    }
    name = f.name
    explanation = f.explanation
    diff = f.diff
    if let plan { diff = annotate(f.diff, plan: plan) }
  }
}

/// The lines of one layer's dump that a step changed.
public struct DumpDelta: Codable, Sendable, Hashable {
  /// New or changed lines.
  public var lines: [DumpLine]
  /// Keys of lines that are gone.
  public var removed: [String]

  public var isEmpty: Bool { lines.isEmpty && removed.isEmpty }

  /// What turns `old` into `new`.
  public init(from old: [DumpLine], to new: [DumpLine]) {
    let before = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    let after = Set(new.map(\.key))
    lines = new.filter { before[$0.key] != $0 }
    removed = old.map(\.key).filter { !after.contains($0) }
  }
}

/// One step of the timeline: the event, what user space saw, and what changed in each layer.
public struct TimelineStep: Codable, Sendable, Hashable {
  /// 0 is the initial state; step n is the state after the n-th event.
  public var index: Int
  public var event: String?
  /// The event in a few words (`seL4_Call CNode_Copy on 0xd02`), for the timeline.
  public var summary: String?
  /// The thread that made the call.
  public var caller: String?
  /// The outcome as coverage names it (`ok`, `deleteFirst`, `fault`, ...).
  public var outcome: String?
  /// What the caller saw, as a scenario `->` writes it (`NoError`, `fault CapFault(...)`, `ok`, ...).
  public var result: String?
  /// Per layer (in `TraceTimeline.layers` order), the lines this step changed.
  public var changes: [DumpDelta]
  public var failure: FailureView?
}

/// A trace file replayed for the report.
public struct TraceTimeline: Codable, Sendable {
  public static let layers = ["AbstractSpec", "ExecutableSpec", "Kernel"]

  public var title: String
  public var file: String
  public var system: String
  public var seed: UInt64
  public var traceSeed: UInt64?
  public var originalLength: Int?
  public var plantedBug: String?
  /// The failure the trace file says it reproduces.
  public var expected: String
  /// `reproduced`, `fails differently` or `passes` (the trace no longer fails).
  public var outcome: String
  public var layers: [String]
  /// The full dump of each layer at step 0.
  public var initial: [[DumpLine]]
  public var steps: [TimelineStep]
  public var failure: FailureView?
  /// Events of the trace after the failing one (not replayed).
  public var eventsAfterFailure: Int

  /// Replay `trace` from `plan` and record every step. `file` names the trace in the report.
  public init(trace: TraceFile, plan: SystemPlan, file: String) {
    let names = Describer(plan: plan)
    var checker = LockstepChecker(plan: plan, kernel: trace.kernel(plan: plan))
    func dumps() -> [[DumpLine]] {
      [
        names.dump(StateView(abstract: checker.abstract)), names.dump(StateView(exec: checker.exec)),
        names.dump(StateView(kernel: checker.kernel)),
      ]
    }
    let first = dumps()
    var previous = first
    var failure = checker.check()
    var steps = [
      TimelineStep(
        index: 0, event: nil, summary: nil, caller: nil, outcome: nil, result: nil,
        changes: previous.map { _ in DumpDelta(from: [], to: []) },
        failure: failure.map { FailureView($0, plan: plan) })
    ]
    var applied = 0
    if failure == nil {
      for event in trace.events {
        let (observation, f) = checker.step(event)
        applied += 1
        let now = dumps()
        steps.append(
          TimelineStep(
            index: applied, event: "\(event)", summary: summarize(event),
            caller: observation.caller.map { names.name(of: $0) },
            outcome: Coverage.outcome(observation), result: names.observation(observation),
            changes: zip(previous, now).map { DumpDelta(from: $0, to: $1) },
            failure: f.map { FailureView($0, plan: plan) }))
        previous = now
        if let f {
          failure = f
          break
        }
      }
    }
    let e = trace.expected
    title = "Trace \(URL(fileURLWithPath: file).lastPathComponent)"
    self.file = file
    system = trace.system.path
    seed = trace.seed
    traceSeed = trace.traceSeed
    originalLength = trace.originalLength
    plantedBug = trace.plantedBug?.rawValue
    expected = "step \(e.step): \(e.kind.rawValue)\(e.layer.map { " in \($0)" } ?? "") \(e.name)"
    switch failure {
    case nil: outcome = "passes"
    case let f? where e.matches(f): outcome = "reproduced"
    case _?: outcome = "fails differently"
    }
    layers = Self.layers
    initial = first
    self.steps = steps
    self.failure = failure.map { FailureView($0, plan: plan) }
    eventsAfterFailure = failure == nil ? 0 : trace.events.count - applied
  }
}

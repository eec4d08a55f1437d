// The versioned JSON trace file (docs/traces.md): a failing trace that replays on its own.

public import Foundation
public import Kernel
public import KernelABI

/// A recorded trace: the system, the events, and the failure it is expected to reproduce.
public struct TraceFile: Sendable, Codable, Hashable {
  /// The format this code reads and writes.
  public static let currentFormatVersion = 1

  /// Where the system came from, and (normally) the whole plan so no capDL file is needed.
  public struct System: Sendable, Codable, Hashable {
    /// A capDL file's path, or "builtin" for the built-in sample plan.
    public var path: String
    /// The loaded plan; when absent, replay loads `path`.
    public var plan: SystemPlan?

    public init(path: String, plan: SystemPlan?) {
      self.path = path
      self.plan = plan
    }
  }

  /// The failure the trace is expected to reproduce.
  public struct Expected: Sendable, Codable, Hashable {
    public var kind: LockstepFailure.Kind
    public var name: String
    public var step: Int
    public var layer: String?

    public init(kind: LockstepFailure.Kind, name: String, step: Int, layer: String?) {
      self.kind = kind
      self.name = name
      self.step = step
      self.layer = layer
    }

    public init(_ failure: LockstepFailure) {
      self.init(kind: failure.kind, name: failure.name, step: failure.step, layer: failure.layer)
    }

    /// Whether `failure` is this failure: same kind of check, same relation or invariant, same step.
    public func matches(_ failure: LockstepFailure) -> Bool {
      failure.kind == kind && failure.name == name && failure.step == step
    }
  }

  public var formatVersion: Int
  public var system: System
  /// The campaign seed, and the trace's own seed and index in that campaign.
  public var seed: UInt64
  public var traceSeed: UInt64?
  public var traceIndex: Int?
  /// The number of events before shrinking (the events below are the shrunk trace).
  public var originalLength: Int?
  public var events: [Event]
  public var expected: Expected
  /// Test-only: the bug planted in the kernel when the trace was recorded; replay plants it again.
  public var plantedBug: PlantedBug?
  /// For a trace of the availability property (`AvailabilityRun.swift`): the property its replay
  /// checks beside the lockstep; nil for every other trace.
  public var availability: AvailabilityProperty?
  /// The bug planted in every layer alike for the trace (tests and demonstrations only).
  public var specBug: SpecBug?

  public init(
    system: System, seed: UInt64, traceSeed: UInt64?, traceIndex: Int?, originalLength: Int?,
    events: [Event], expected: Expected, plantedBug: PlantedBug? = nil
  ) {
    self.formatVersion = Self.currentFormatVersion
    self.system = system
    self.seed = seed
    self.traceSeed = traceSeed
    self.traceIndex = traceIndex
    self.originalLength = originalLength
    self.events = events
    self.expected = expected
    self.plantedBug = plantedBug
  }

  /// The JSON text of the trace (sorted keys, pretty-printed).
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }

  /// Decode a trace file's `data`; `file` names it in errors. The format version is checked before
  /// anything else, so a trace of another version is refused by that field alone.
  public static func decode(_ data: Data, file: String) throws(TraceFileError) -> TraceFile {
    struct Version: Decodable { var formatVersion: Int? }
    let version: Version
    do {
      version = try JSONDecoder().decode(Version.self, from: data)
    } catch {
      let problem = JSONProblem(error, decoding: Version.self, from: data)
      throw TraceFileError(file: file, field: problem.field, message: problem.message)
    }
    guard let v = version.formatVersion else {
      throw TraceFileError(
        file: file, field: "formatVersion", message: "missing; this is not a refine-check trace file")
    }
    guard v == currentFormatVersion else {
      throw TraceFileError(
        file: file, field: "formatVersion",
        message: "is \(v), but this refine-check reads format version \(currentFormatVersion)")
    }
    let trace: TraceFile
    do {
      trace = try JSONDecoder().decode(TraceFile.self, from: data)
    } catch {
      let problem = JSONProblem(error, decoding: TraceFile.self, from: data)
      throw TraceFileError(file: file, field: problem.field, message: problem.message)
    }
    // The recorded failure happens after 0 (the initial state) to all of the events.
    guard (0...trace.events.count).contains(trace.expected.step) else {
      throw TraceFileError(
        file: file, field: "expected.step",
        message:
          "is \(trace.expected.step), but the trace has \(trace.events.count) event(s): it must be 0...\(trace.events.count)"
      )
    }
    return trace
  }

  /// The kernel to replay on: the plan's, with the recorded planted bug (if any) planted again.
  public func kernel(plan: SystemPlan) -> KernelState {
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = plantedBug
    return kernel
  }

  /// Re-run the events on all three layers from `plan`: the first failure, if any.
  public func replay(plan: SystemPlan) -> LockstepFailure? {
    if let availability {
      return replayAvailability(plan: plan, property: availability, events: events, specBug: specBug)
    }
    return Refinement.replay(plan: plan, events: events, kernel: kernel(plan: plan))
  }
}

/// A trace file that cannot be read: the file, the field (when one is to blame), and why.
public struct TraceFileError: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var field: String?
  public var message: String

  public init(file: String, field: String?, message: String) {
    self.file = file
    self.field = field
    self.message = message
  }

  public var description: String {
    if let field { return "\(file): field '\(field)' \(message)" }
    return "\(file): \(message)"
  }
}

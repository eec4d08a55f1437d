// Coverage: how often each (operation, outcome) pair and each named kernel path was reached, and
// the bias a lane of a campaign derives from it (docs/campaigns.md, "Coverage and bias").
//
// A kernel path names the branch an event took more finely than its outcome: the operation, the
// kind of capability it acted on (or the object type it made), a fact about the state that
// selects a different branch in the kernel (the last cap to an object, a cap with children), and
// the outcome, for example `delete.thread.final/ok` or `retype.capTable/notEnoughMemory`. The
// event generator names the path from the state it generated the event in, so no layer has to
// report anything.

public import AbstractSpec
public import KernelABI

/// How often each (operation, outcome) pair and each kernel path was reached.
public struct Coverage: Hashable, Sendable, Codable {
  public private(set) var counts: [String: Int] = [:]
  /// Named kernel paths (`operation.operand[.fact]/outcome`).
  public private(set) var paths: [String: Int] = [:]
  /// Derivation-tree shapes of the caps events made (`mdbShape`): how often a cap of each kind,
  /// badged or not, original or derived, at each depth of the CDT, was created.
  public private(set) var shapes: [String: Int] = [:]

  public init() {}

  enum CodingKeys: String, CodingKey { case counts, paths, shapes }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    counts = try c.decode([String: Int].self, forKey: .counts)
    paths = try c.decodeIfPresent([String: Int].self, forKey: .paths) ?? [:]
    shapes = try c.decodeIfPresent([String: Int].self, forKey: .shapes) ?? [:]
  }

  /// Count the derivation-tree shape of the cap in `slot` of `state` (nothing for an empty slot).
  public mutating func recordShape(of slot: SlotRef, in state: AbstractState) {
    if let shape = Self.mdbShape(of: slot, in: state) { shapes[shape, default: 0] += 1 }
  }

  /// The shape of the cap in `slot`: `kind.original|derived.depthN`, where kind tells badged from
  /// unbadged endpoint and notification caps (`badgedNotification`), and N counts its CDT
  /// ancestors (4 or more is `depth4+`).
  public static func mdbShape(of slot: SlotRef, in state: AbstractState) -> String? {
    let cap = state.getCap(slot)
    if cap.isNull { return nil }
    var depth = 0
    var at = slot
    while let parent = state.cdt[at], depth < 4 {
      depth += 1
      at = parent
    }
    let origin = state.isOriginalCap.contains(slot) ? "original" : "derived"
    return "\(EventGenerator.kind(cap)).\(origin).depth\(depth < 4 ? "\(depth)" : "4+")"
  }

  /// Count one event of `operation` that ended in `outcome`, along the kernel path `path` (the
  /// generator's name for the branch, without the outcome).
  public mutating func record(_ operation: GeneratedOperation, _ outcome: String, path: String? = nil) {
    counts["\(operation.rawValue)/\(outcome)", default: 0] += 1
    if let path { paths["\(path)/\(outcome)", default: 0] += 1 }
  }

  /// Count one event along a kernel path a layer reported (the Kernel's fastpath decision,
  /// `fastpath.call.hit`, `fastpath.replyRecv.endpointSend`), without an operation count.
  public mutating func recordPath(_ path: String, _ outcome: String) {
    paths["\(path)/\(outcome)", default: 0] += 1
  }

  public mutating func merge(_ other: Coverage) {
    for (key, n) in other.counts { counts[key, default: 0] += n }
    for (key, n) in other.paths { paths[key, default: 0] += n }
    for (key, n) in other.shapes { shapes[key, default: 0] += n }
  }

  public var isEmpty: Bool { counts.isEmpty }

  /// The outcome of an observation, as coverage names it: `ok`, an seL4 error's case name
  /// (`deleteFirst`, `failedLookup`, ...), `fault`,
  /// `noReply`, `notModelled`, or `idle`.
  public static func outcome(_ observation: Observation) -> String {
    if observation.caller == nil { return "idle" }
    if observation.notModelled != nil { return "notModelled" }
    if observation.fault != nil { return "fault" }
    guard let reply = observation.reply else { return "noReply" }
    if reply.info.label == 0 { return "ok" }
    // The error's Swift case name (`deleteFirst`), in the same style as the other outcome names.
    guard let code = SeL4Error(rawValue: reply.info.label) else { return "label\(reply.info.label)" }
    return code.shortName.prefix(1).lowercased() + code.shortName.dropFirst()
  }
}

/// How a lane's earlier traces steer its next one toward the (operation, outcome) pairs they did
/// not reach.
///
/// The outcomes the lane has seen from any CNode or untyped operation form its universe; an
/// operation's *missing* outcomes (for those operations and random invocations) are those of the
/// universe it has not produced yet (an error one operation reached is usually reachable by the
/// others too); a TCB method's are those of the outcomes any TCB method produced that it has
/// not; an outcome the operation cannot have (`OperationEntry.unreachableOutcomes`: `ok` for
/// TCB_Configure and TCB_SetSpace) is never missing. Each operation's weight is 1 + its missing
/// count (times its table weight, `OperationEntry.weight`), against 1 for operations missing
/// nothing, so operations with gaps are chosen more often; its malformed percentage is 10 + 5 per
/// missing outcome, at most 50, since errors come from malformed arguments; each such extra
/// malformed event is perturbed in the way most likely to produce one of the missing outcomes,
/// chosen at random (`EventGenerator.perturb`).
/// Integer arithmetic only: the bias is the same on every
/// machine.
public struct CoverageBias: Hashable, Sendable {
  public var weights: [GeneratedOperation: UInt64]
  public var malformedPercent: [GeneratedOperation: UInt64]
  /// Each operation's missing outcomes, sorted.
  public var missing: [GeneratedOperation: [String]]

  /// The operations whose outcomes make up the universe (the others reach only `notModelled`,
  /// `fault` and errors of random labels).
  static let invocations: [GeneratedOperation] =
    Operations.operations(of: .cnode) + Operations.operations(of: .untyped)
  /// The TCB methods: their missing outcomes are those of the TCB universe, the outcomes any TCB
  /// method produced.
  static let threadMethods: [GeneratedOperation] = Operations.operations(of: .tcb)

  /// The bias of `coverage`; nil when nothing has been covered yet (the first trace of a lane
  /// runs exactly as an unbiased one).
  public init?(_ coverage: Coverage) {
    guard !coverage.isEmpty else { return nil }
    var outcomes: [GeneratedOperation: Set<Substring>] = [:]
    for key in coverage.counts.keys {
      let parts = key.split(separator: "/", maxSplits: 1)
      guard parts.count == 2, let op = GeneratedOperation(rawValue: String(parts[0])) else { continue }
      outcomes[op, default: []].insert(parts[1])
    }
    let universe = Self.invocations.reduce(into: Set<Substring>()) { $0.formUnion(outcomes[$1] ?? []) }
    let tcbUniverse = Self.threadMethods.reduce(into: Set<Substring>()) { $0.formUnion(outcomes[$1] ?? []) }
    weights = [:]
    malformedPercent = [:]
    missing = [:]
    for op in GeneratedOperation.allCases {
      let gaps =
        Self.invocations.contains(op) || op == .garbage
        ? universe.subtracting(outcomes[op] ?? []).map(String.init).sorted()
        : Self.threadMethods.contains(op) ? tcbUniverse.subtracting(outcomes[op] ?? []).map(String.init).sorted() : []
      let unreachable = Operations.entry(op).unreachableOutcomes
      missing[op] = gaps.filter { !unreachable.contains($0) }
      // Random invocations fault (and end the trace) more often than the others: at most 3.
      let count = missing[op]?.count ?? 0
      weights[op] = 1 + UInt64(op == .garbage ? min(count, 2) : count)
      malformedPercent[op] = min(50, 10 + 5 * UInt64(count))
    }
  }
}

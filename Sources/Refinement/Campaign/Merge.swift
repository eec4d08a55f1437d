// Merging the reports of a sharded campaign into the report of the whole campaign, and the
// plausibility check every reader of a report file runs first: a report is evidence only when its
// figures are ones a campaign can write.

/// Why shard reports cannot be merged.
public struct MergeError: Error, Hashable, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) { self.description = description }
}

/// One report for the shards `reports` ran: traces, steps and coverage counts summed, violations
/// concatenated in trace order, `seconds` the maximum (shards run side by side, so the slowest one
/// is the campaign's wall-clock time) and `stepsPerSecond` the sum of the shards' rates (the
/// campaign's throughput).
///
/// Refused: a report with an implausible figure (`implausibleField`, checked for every report
/// before anything is combined), reports of different seeds, steps per trace, bias, shard counts
/// or systems, the same shard twice, and sums that do not fit in an `Int`. The system: every
/// report must name the same one; reports that all name none (written before reports named their
/// system) merge into a report that names none, which `report --campaign` refuses; some naming
/// one and some none is ambiguous and refused.
public func mergeCampaignReports(_ reports: [CampaignReport]) throws(MergeError) -> CampaignReport {
  guard let first = reports.first else { throw MergeError("no reports to merge") }
  // Every figure first, so that no loop below runs on a shard count or a sum no campaign writes.
  for (n, r) in reports.enumerated() {
    if let problem = r.implausibleField {
      throw MergeError("report \(n + 1): field \(problem); no campaign writes that")
    }
  }
  var shards: [Shard] = []
  for (n, r) in reports.enumerated() {
    guard r.seed == first.seed else {
      throw MergeError("report \(n + 1) has seed \(r.seed), report 1 has seed \(first.seed)")
    }
    guard r.stepsPerTrace == first.stepsPerTrace else {
      throw MergeError(
        "report \(n + 1) has \(r.stepsPerTrace.map(String.init) ?? "unknown") steps per trace, report 1 has \(first.stepsPerTrace.map(String.init) ?? "unknown")"
      )
    }
    guard r.biased == first.biased else {
      throw MergeError(
        "report \(n + 1) was \(r.biased == false ? "unbiased" : "biased"), report 1 was not (--no-bias must be the same for every shard)"
      )
    }
    guard r.system == first.system else {
      func named(_ system: String?) -> String { system.map { "the system '\($0)'" } ?? "no system" }
      throw MergeError(
        "report \(n + 1) names \(named(r.system)), report 1 names \(named(first.system)): shards of one campaign check one system"
      )
    }
    for s in r.mergedShards ?? (r.shard.map { [$0] } ?? []) {
      if let other = shards.first, other.count != s.count {
        throw MergeError("report \(n + 1) is shard \(s), but another report is shard \(other) (different shard counts)")
      }
      if shards.contains(s) { throw MergeError("shard \(s) appears twice") }
      shards.append(s)
    }
  }
  func sum(_ field: String, _ values: [Int]) throws(MergeError) -> Int {
    var total = 0
    for v in values {
      let (s, overflow) = total.addingReportingOverflow(v)
      guard !overflow else { throw MergeError("the shards' \(field) add up to more than \(Int.max)") }
      total = s
    }
    return total
  }
  func sum(_ field: String, _ counts: [[String: Int]]) throws(MergeError) -> [String: Int] {
    var total: [String: Int] = [:]
    for c in counts {
      for (key, n) in c {
        let (s, overflow) = total[key, default: 0].addingReportingOverflow(n)
        guard !overflow else { throw MergeError("the shards' \(field)[\(key)] add up to more than \(Int.max)") }
        total[key] = s
      }
    }
    return total
  }
  let violations = reports.flatMap(\.violations).enumerated().sorted { a, b in
    (a.element.traceIndex ?? Int.max, a.offset) < (b.element.traceIndex ?? Int.max, b.offset)
  }.map(\.element)
  let rate = reports.reduce(0) { $0 + $1.stepsPerSecond }
  guard rate.isFinite else { throw MergeError("the shards' stepsPerSecond add up to more than a Double holds") }
  var merged = CampaignReport(
    seed: first.seed, traces: try sum("traces", reports.map(\.traces)), steps: try sum("steps", reports.map(\.steps)),
    seconds: reports.map(\.seconds).max() ?? 0, stepsPerSecond: rate,
    violations: violations, coverage: try sum("coverage", reports.map(\.coverage)), stepsPerTrace: first.stepsPerTrace,
    shard: nil, mergedShards: shards.isEmpty ? nil : shards.sorted { $0.index < $1.index }, system: first.system)
  // Kernel paths, traces asked and early stops, for reports that have them.
  if reports.contains(where: { $0.kernelPaths != nil }) {
    merged.kernelPaths = try sum("kernelPaths", reports.map { $0.kernelPaths ?? [:] })
  }
  if reports.contains(where: { $0.mdbShapes != nil }) {
    merged.mdbShapes = try sum("mdbShapes", reports.map { $0.mdbShapes ?? [:] })
  }
  if reports.allSatisfy({ $0.twinSteps != nil }) {
    merged.twinSteps = try sum("twinSteps", reports.map { $0.twinSteps ?? 0 })
    merged.twinResyncs = try sum("twinResyncs", reports.map { $0.twinResyncs ?? 0 })
  }
  if reports.allSatisfy({ $0.tracesAsked != nil }) {
    merged.tracesAsked = try sum("tracesAsked", reports.map { $0.tracesAsked ?? 0 })
  }
  merged.stoppedBy = reports.compactMap(\.stoppedBy).sorted().first
  merged.biased = reports.first?.biased
  return merged
}

extension Shard {
  /// Why this shard is not one a campaign runs (`check --shard` takes 1 ≤ index ≤ count ≤ the
  /// lane count, a shard being whole lanes); nil when it is one.
  public var implausibility: String? {
    guard (1...CampaignOptions.laneCount).contains(count) else {
      return
        "has \(count) shards; a campaign has \(CampaignOptions.laneCount) lanes, so 1 to \(CampaignOptions.laneCount) shards"
    }
    guard (1...count).contains(index) else { return "is shard \(index) of \(count); the index must be 1...\(count)" }
    return nil
  }
}

extension CampaignReport {
  /// The first field holding a value no campaign writes (a negative count, a negative or infinite
  /// time, a shard outside 1...N, more violations than traces), as `field: why`; nil when every
  /// field is plausible. Readers of report files refuse such a file rather than build evidence on
  /// it.
  public var implausibleField: String? {
    if traces < 0 { return "traces: \(traces) is negative" }
    if steps < 0 { return "steps: \(steps) is negative" }
    if let tracesAsked, tracesAsked < traces {
      return "tracesAsked: \(tracesAsked) is fewer than the \(traces) traces run"
    }
    if let stepsPerTrace, stepsPerTrace < 0 { return "stepsPerTrace: \(stepsPerTrace) is negative" }
    if let stepsPerTrace {
      let (most, overflow) = traces.multipliedReportingOverflow(by: stepsPerTrace)
      if !overflow && steps > most {
        return "steps: \(steps) is more than the \(traces) traces of at most \(stepsPerTrace) steps can run"
      }
    }
    if !(seconds >= 0) || !seconds.isFinite { return "seconds: \(seconds) is not a duration" }
    if !(stepsPerSecond >= 0) || !stepsPerSecond.isFinite { return "stepsPerSecond: \(stepsPerSecond) is not a rate" }
    if violations.count > traces {
      return "violations: \(violations.count) violations in \(traces) traces (a trace stops at its first)"
    }
    if let (key, count) = coverage.first(where: { $0.value < 0 }) { return "coverage[\(key)]: \(count) is negative" }
    if let (key, count) = kernelPaths?.first(where: { $0.value < 0 }) {
      return "kernelPaths[\(key)]: \(count) is negative"
    }
    if let (key, count) = mdbShapes?.first(where: { $0.value < 0 }) { return "mdbShapes[\(key)]: \(count) is negative" }
    for (field, count) in [("twinSteps", twinSteps), ("twinResyncs", twinResyncs)] {
      guard let count else { continue }
      if count < 0 || count > steps { return "\(field): \(count) is not between 0 and the \(steps) steps" }
    }
    if let shard, let why = shard.implausibility { return "shard: \(shard) \(why)" }
    for s in mergedShards ?? [] {
      if let why = s.implausibility { return "mergedShards: \(s) \(why)" }
    }
    return nil
  }
}

extension ExhaustiveReport {
  /// The first field holding a value no exploration writes, as `field: why`; nil when every field
  /// is plausible. `complete` means every sequence up to the depth asked was explored, so a
  /// complete report whose completed depth falls short of it is refused.
  public var implausibleField: String? {
    if depth < 0 { return "depth: \(depth) is negative" }
    if states < 1 { return "states: \(states) (the initial state counts, so at least 1)" }
    if transitions < 0 { return "transitions: \(transitions) is negative" }
    if depthCompleted < 0 || depthCompleted > depth {
      return "depthCompleted: \(depthCompleted) is outside 0...\(depth)"
    }
    if complete && violation != nil { return "complete: true beside a violation" }
    if complete && depthCompleted != depth {
      return "complete: true, but every sequence was explored only up to depth \(depthCompleted) of the \(depth) asked"
    }
    if !(seconds >= 0) || !seconds.isFinite { return "seconds: \(seconds) is not a duration" }
    if let bad = statesPerDepth.first(where: { $0 < 0 }) { return "statesPerDepth: \(bad) is negative" }
    if let (key, count) = coverage.first(where: { $0.value < 0 }) { return "coverage[\(key)]: \(count) is negative" }
    return nil
  }
}

// Merging the reports of a sharded campaign into the report of the whole campaign.

/// Why shard reports cannot be merged.
public struct MergeError: Error, Hashable, Sendable, CustomStringConvertible {
  public var description: String

  public init(_ description: String) { self.description = description }
}

/// One report for the shards `reports` ran: traces, steps and coverage counts summed, violations
/// concatenated in trace order, `seconds` the maximum (shards run side by side, so the slowest one
/// is the campaign's wall-clock time) and `stepsPerSecond` the sum of the shards' rates (the
/// campaign's throughput). Reports of different seeds, steps per trace or shard counts, or the
/// same shard twice, are refused.
public func mergeCampaignReports(_ reports: [CampaignReport]) throws(MergeError) -> CampaignReport {
  guard let first = reports.first else { throw MergeError("no reports to merge") }
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
    for s in r.mergedShards ?? (r.shard.map { [$0] } ?? []) {
      if let other = shards.first, other.count != s.count {
        throw MergeError("report \(n + 1) is shard \(s), but another report is shard \(other) (different shard counts)")
      }
      if shards.contains(s) { throw MergeError("shard \(s) appears twice") }
      shards.append(s)
    }
  }
  var coverage: [String: Int] = [:]
  for r in reports { for (key, n) in r.coverage { coverage[key, default: 0] += n } }
  let violations = reports.flatMap(\.violations).enumerated().sorted { a, b in
    (a.element.traceIndex ?? Int.max, a.offset) < (b.element.traceIndex ?? Int.max, b.offset)
  }.map(\.element)
  let systems = Set(reports.compactMap(\.system))
  var merged = CampaignReport(
    seed: first.seed, traces: reports.reduce(0) { $0 + $1.traces }, steps: reports.reduce(0) { $0 + $1.steps },
    seconds: reports.map(\.seconds).max() ?? 0, stepsPerSecond: reports.reduce(0) { $0 + $1.stepsPerSecond },
    violations: violations, coverage: coverage, stepsPerTrace: first.stepsPerTrace, shard: nil,
    mergedShards: shards.isEmpty ? nil : shards.sorted { $0.index < $1.index },
    system: systems.count == 1 ? systems.first : (systems.isEmpty ? nil : systems.sorted().joined(separator: ", ")))
  // Kernel paths, traces asked and early stops, for reports that have them.
  if reports.contains(where: { $0.kernelPaths != nil }) {
    var paths: [String: Int] = [:]
    for r in reports { for (key, n) in r.kernelPaths ?? [:] { paths[key, default: 0] += n } }
    merged.kernelPaths = paths
  }
  if reports.contains(where: { $0.mdbShapes != nil }) {
    var shapes: [String: Int] = [:]
    for r in reports { for (key, n) in r.mdbShapes ?? [:] { shapes[key, default: 0] += n } }
    merged.mdbShapes = shapes
  }
  if reports.allSatisfy({ $0.tracesAsked != nil }) {
    merged.tracesAsked = reports.reduce(0) { $0 + ($1.tracesAsked ?? 0) }
  }
  merged.stoppedBy = reports.compactMap(\.stoppedBy).sorted().first
  merged.biased = reports.first?.biased
  return merged
}

extension CampaignReport {
  /// The first field holding a value no campaign writes (a negative count, a negative or infinite
  /// time), as `field: why`; nil when every field is plausible. Readers of report files refuse
  /// such a file rather than build evidence on it.
  public var implausibleField: String? {
    if traces < 0 { return "traces: \(traces) is negative" }
    if steps < 0 { return "steps: \(steps) is negative" }
    if let tracesAsked, tracesAsked < traces {
      return "tracesAsked: \(tracesAsked) is fewer than the \(traces) traces run"
    }
    if let stepsPerTrace, stepsPerTrace < 0 { return "stepsPerTrace: \(stepsPerTrace) is negative" }
    if !(seconds >= 0) || !seconds.isFinite { return "seconds: \(seconds) is not a duration" }
    if let (key, count) = coverage.first(where: { $0.value < 0 }) { return "coverage[\(key)]: \(count) is negative" }
    return nil
  }
}

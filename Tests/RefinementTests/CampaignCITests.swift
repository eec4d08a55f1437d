import Foundation
import Kernel
import KernelABI
import Refinement
import Testing

/// Sharded campaigns, merged reports and trace files: what `refine-check check`, `merge` and
/// `replay` are built on.
@Suite struct CampaignCITests {
  @Test func shardParsingAcceptsOnlyIOverN() {
    #expect(Shard(parsing: "1/2") == Shard(index: 1, count: 2))
    #expect(Shard(parsing: "3/3") == Shard(index: 3, count: 3))
    for bad in ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", "", "/2"] {
      #expect(Shard(parsing: bad) == nil, "accepted '\(bad)'")
    }
  }

  @Test func shardIndicesPartitionTheCampaignIntoWholeLanes() {
    let lanes = CampaignOptions.laneCount
    for n in 1...5 {
      let parts = (1...n).map { shardTraceIndices(traces: 40, shard: Shard(index: $0, count: n)) }
      #expect(parts.flatMap { $0 }.sorted() == Array(0..<40))
      #expect(parts.map(\.count).reduce(0, +) == 40)
      // Shard I holds lanes l with l % N == I-1 (trace i is in lane i % 16), whole.
      for (k, part) in parts.enumerated() {
        #expect(part.allSatisfy { ($0 % lanes) % n == k })
        #expect(part.allSatisfy { part.contains($0 + lanes) || $0 + lanes >= 40 })
      }
    }
  }

  @Test func shardsTogetherRunExactlyTheUnshardedCampaign() throws {
    // 40 traces: lanes of two or three, so later traces are biased by earlier ones.
    let whole = CampaignOptions(seed: 7, traces: 40, stepsPerTrace: 60, jobs: 2)
    var first = whole
    first.shard = Shard(index: 1, count: 2)
    var second = whole
    second.shard = Shard(index: 2, count: 2)
    // The same trace seeds.
    let seeds = (first.traceIndices + second.traceIndices).map(whole.traceSeed).sorted()
    #expect(seeds == whole.traceIndices.map(whole.traceSeed).sorted())
    #expect(
      first.traceIndices == Array(stride(from: 0, to: 40, by: 2))
        && second.traceIndices == Array(stride(from: 1, to: 40, by: 2)))
    // The same work: traces, steps and coverage add up.
    let all = runCampaign(plan: .sample, options: whole)
    let a = runCampaign(plan: .sample, options: first)
    let b = runCampaign(plan: .sample, options: second)
    #expect(a.traces == 20 && b.traces == 20)
    #expect(a.shard == Shard(index: 1, count: 2))
    #expect(all.steps > 0)
    #expect(a.steps + b.steps == all.steps)
    let merged = try mergeCampaignReports([b, a])
    #expect(merged.traces == all.traces)
    #expect(merged.steps == all.steps)
    #expect(merged.coverage == all.coverage)
    // The same biased traces, not only as many: the kernel paths add up too.
    var paths = a.kernelPaths ?? [:]
    for (k, n) in b.kernelPaths ?? [:] { paths[k, default: 0] += n }
    #expect(paths == all.kernelPaths)
    #expect(merged.mergedShards == [Shard(index: 1, count: 2), Shard(index: 2, count: 2)])
  }

  @Test func shardViolationsKeepTheUnshardedIndexAndSeed() throws {
    let options = CampaignOptions(
      seed: 11, traces: 12, stepsPerTrace: 100, jobs: 2, shard: Shard(index: 2, count: 2),
      plantedBug: .mintIgnoresRightsMask)
    let report = runCampaign(plan: .sample, options: options)
    #expect(!report.violations.isEmpty)
    for v in report.violations {
      let index = try #require(v.traceIndex)
      #expect(index % 2 == 1)
      #expect(v.traceSeed == options.traceSeed(index))
    }
  }

  func report(shard: Int, traces: Int, steps: Int, seconds: Double, coverage: [String: Int], violations: Int = 0)
    -> CampaignReport
  {
    // LockstepFailure has no public memberwise initializer; decode one as a report would hold it.
    let json = #"{"step": 1, "kind": "R1", "name": "lift(kernel) == exec", "explanation": "x"}"#
    let failure = try! JSONDecoder().decode(LockstepFailure.self, from: Data(json.utf8))
    return CampaignReport(
      seed: 3, traces: traces, steps: steps, seconds: seconds, stepsPerSecond: Double(steps) / seconds,
      violations: (0..<violations).map {
        CampaignViolation(traceSeed: UInt64($0), events: [], failure: failure, traceIndex: shard - 1 + 2 * $0)
      },
      coverage: coverage, stepsPerTrace: 250, shard: Shard(index: shard, count: 2), system: "builtin")
  }

  @Test func mergeSumsCountsAndTakesTheSlowestShard() throws {
    let a = report(
      shard: 1, traces: 10, steps: 1000, seconds: 2, coverage: ["retype/ok": 5, "copy/ok": 1], violations: 1)
    let b = report(shard: 2, traces: 9, steps: 800, seconds: 4, coverage: ["retype/ok": 2, "mint/ok": 3])
    let m = try mergeCampaignReports([a, b])
    #expect(m.traces == 19)
    #expect(m.steps == 1800)
    #expect(m.seconds == 4)
    #expect(m.stepsPerSecond == 500 + 200)
    #expect(m.coverage == ["retype/ok": 7, "copy/ok": 1, "mint/ok": 3])
    #expect(m.violations.count == 1)
    #expect(m.shard == nil && m.system == "builtin")
    // JSON round trip: what `check --json` prints, `merge` reads.
    let data = try JSONEncoder().encode(a)
    let back = try JSONDecoder().decode(CampaignReport.self, from: data)
    #expect(back.shard == a.shard && back.steps == a.steps && back.violations.count == 1)
  }

  @Test func mergeRefusesMismatchedReports() {
    let a = report(shard: 1, traces: 1, steps: 1, seconds: 1, coverage: [:])
    var otherSeed = report(shard: 2, traces: 1, steps: 1, seconds: 1, coverage: [:])
    otherSeed.seed = 4
    #expect(throws: MergeError.self) { try mergeCampaignReports([a, otherSeed]) }
    #expect(throws: MergeError.self) { try mergeCampaignReports([a, a]) }
    var biased = a
    var unbiased = report(shard: 2, traces: 1, steps: 1, seconds: 1, coverage: [:])
    biased.biased = true
    unbiased.biased = false
    #expect(throws: MergeError.self) { try mergeCampaignReports([biased, unbiased]) }
    #expect(throws: MergeError.self) { try mergeCampaignReports([]) }
  }

  /// A planted bug's violation, shrunk and written as a trace file, as `check` does.
  func plantedTrace() throws -> TraceFile {
    let options = CampaignOptions(
      seed: 11, traces: 40, stepsPerTrace: 250, jobs: 2, plantedBug: .retypeIgnoresWatermark)
    let report = runCampaign(plan: .sample, options: options)
    let v = try #require(report.violations.first, "the planted bug was not caught")
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = .retypeIgnoresWatermark
    let small = shrink(plan: .sample, events: v.events, failure: v.failure, kernel: kernel)
    #expect(small.events.count <= v.events.count)
    return TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: 11, traceSeed: v.traceSeed, traceIndex: v.traceIndex,
      originalLength: v.events.count, events: small.events, expected: .init(small.failure),
      plantedBug: .retypeIgnoresWatermark)
  }

  @Test func traceFileRoundTripsAndReplayReproducesThePlantedBug() throws {
    let trace = try plantedTrace()
    let data = try trace.encoded()
    let back = try TraceFile.decode(data, file: "t.json")
    #expect(back == trace)
    #expect(back.formatVersion == 1 && back.plantedBug == .retypeIgnoresWatermark)
    let failure = try #require(back.replay(plan: back.system.plan ?? .sample))
    #expect(back.expected.matches(failure))
    // Without the planted bug the same events pass: the failure is the bug's.
    var fixed = back
    fixed.plantedBug = nil
    #expect(fixed.replay(plan: .sample) == nil)
  }

  @Test func foreignFormatVersionIsRefusedNamingTheField() throws {
    let trace = try TraceFile.decode(try plantedTrace().encoded(), file: "t.json")
    var object = try #require(JSONSerialization.jsonObject(with: trace.encoded()) as? [String: Any])
    object["formatVersion"] = 2
    let data = try JSONSerialization.data(withJSONObject: object)
    do {
      _ = try TraceFile.decode(data, file: "old.json")
      Issue.record("a version 2 trace was accepted")
    } catch {
      #expect(error.field == "formatVersion")
      #expect(error.description.contains("old.json") && error.description.contains("formatVersion"))
    }
    // A missing field is named too; so is malformed JSON's file.
    object["formatVersion"] = 1
    object["events"] = nil
    let noEvents = try JSONSerialization.data(withJSONObject: object)
    do {
      _ = try TraceFile.decode(noEvents, file: "x.json")
      Issue.record("a trace without events was accepted")
    } catch {
      #expect(error.field == "events")
    }
    do {
      _ = try TraceFile.decode(Data("{not json".utf8), file: "bad.json")
      Issue.record("malformed JSON was accepted")
    } catch {
      #expect(error.description.hasPrefix("bad.json"))
    }
    // A version of the wrong type names the field; a recorded step outside the trace is refused.
    object["events"] = try #require(JSONSerialization.jsonObject(with: trace.encoded()) as? [String: Any])["events"]
    object["formatVersion"] = "1"
    let stringVersion = try JSONSerialization.data(withJSONObject: object)
    do {
      _ = try TraceFile.decode(stringVersion, file: "s.json")
      Issue.record("a string format version was accepted")
    } catch {
      #expect(error.field == "formatVersion")
    }
    object["formatVersion"] = 1
    for step in [-1, trace.events.count + 1] {
      var expected = try #require(object["expected"] as? [String: Any])
      expected["step"] = step
      object["expected"] = expected
      let badStep = try JSONSerialization.data(withJSONObject: object)
      do {
        _ = try TraceFile.decode(badStep, file: "step.json")
        Issue.record("expected.step \(step) was accepted for \(trace.events.count) events")
      } catch {
        #expect(error.field == "expected.step")
      }
    }
  }

  @Test func junitReportHasATestcasePerViolationAndEscapes() {
    var r = report(shard: 1, traces: 3, steps: 30, seconds: 1, coverage: [:], violations: 2)
    r.violations[0].failure.explanation = "a < b & \"c\""
    let xml = junitXML(r)
    #expect(xml.components(separatedBy: "<testcase ").count - 1 == 3)
    #expect(xml.components(separatedBy: "<failure ").count - 1 == 3)
    #expect(xml.contains("a &lt; b &amp; &quot;c&quot;"))
    #expect(!xml.contains("a < b"))
  }
}

// The trust report: its JSON shape, honest statuses for proofs whose record no longer holds,
// invariants per layer, and tested evidence taken from the campaign.

import CapDL
import Foundation
import KernelABI
import Refinement
import Report
import TestSupport
import Testing

@Suite struct TrustReportTests {
  func report(
    campaign: CampaignReport?, campaignFile: String? = nil, proofs: URL = proofsDirectory,
    exhaustive: ExhaustiveReport? = nil, exhaustiveFile: String? = nil
  ) throws -> TrustReport {
    let record = try ProofStore(directory: proofs).load()
    return TrustReport(
      TrustInputs(
        system: "builtin", plan: .sample, proofRecord: record, proofRecordPath: "proofs/obligations.json",
        proofsDirectory: proofs, obligations: Obligation.catalogue, campaign: campaign, campaignFile: campaignFile,
        exhaustive: exhaustive, exhaustiveFile: exhaustiveFile))
  }

  /// The exploration `refine-check report` runs by default: depth 2 of the small system.
  func smallExhaustive(bug: PlantedBug? = nil) -> ExhaustiveReport {
    var report = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 2, jobs: 2, plantedBug: bug))
    report.system = "builtin-small"
    return report
  }

  @Test func relationsAndInvariantsCiteTheExhaustiveExploration() throws {
    let exhaustive = smallExhaustive()
    #expect(exhaustive.complete && exhaustive.violation == nil && exhaustive.transitions > exhaustive.states)
    let figures =
      "every event sequence up to depth 2 from the small built-in system: \(exhaustive.states) states, \(exhaustive.transitions) transitions (exhaustive within its alphabet and depth"
    let campaign = smallCampaign(traces: 2, steps: 20)
    for (c, file) in [(Optional(campaign), Optional<String>.none), (nil, "ex.json")] {
      let trust = try report(campaign: c, exhaustive: exhaustive, exhaustiveFile: file)
      let checked = trust.properties(of: .relation) + trust.properties(of: .invariant)
      #expect(checked.count == 4 + layerInvariantCatalogues.map(\.invariants.count).reduce(0, +))
      for p in checked {
        // Still "tested": exhaustive within a bound is evidence, not a proof.
        #expect(p.status == .tested, "\(p.name): \(p.status)")
        #expect(p.evidence.contains(figures), "\(p.name): \(p.evidence)")
        if c != nil { #expect(p.evidence.contains("\(campaign.steps) steps")) }
        if let file { #expect(p.evidence.contains("from \(file)")) }
        #expect(!p.evidence.contains("proved") && !p.evidence.contains("verified"))
      }
      #expect(trust.exhaustive?.states == exhaustive.states && trust.exhaustive?.transitions == exhaustive.transitions)
      #expect(trust.text.contains("tested also means: held on every event sequence up to depth 2"))
      #expect(!trust.hasFailure)
      // The JSON keeps its shape and adds the exploration's figures.
      let object = try JSONSerialization.jsonObject(with: try trust.json()) as? [String: Any]
      let figuresInJSON = try #require(object?["exhaustive"] as? [String: Any])
      #expect(figuresInJSON["states"] as? Int == exhaustive.states)
      #expect((object?["properties"] as? [[String: Any]])?.count == trust.properties.count)
    }
  }

  /// The badge-run bugs need deeper sequences than the trust report's depth-2 exploration, and
  /// `ipcWrongBadge` endpoint IPC, which the exhaustive alphabet has not yet (`docs/ipc.md`); the
  /// sporadic-time bugs a sporadic server, which the small system has not; `yieldToKeepsYieldFrom`
  /// a YieldTo to another thread's scheduling context, where the alphabet yields only to the
  /// caller's own, which is refused (as in `ExhaustiveTests`).
  @Test(
    arguments: PlantedBug.allCases.filter {
      !$0.needsBadgeRuns && !$0.needsEndpointIPC && !$0.needsSporadicTime && !$0.needsSchedContextYield
        && !$0.needsInterrupts
    })
  func anExhaustiveViolationFailsThePropertyItBreaks(_ bug: PlantedBug) throws {
    let exhaustive = smallExhaustive(bug: bug)
    let v = try #require(exhaustive.violation, "\(bug) not caught at depth 2")
    let trust = try report(campaign: smallCampaign(traces: 1, steps: 10), exhaustive: exhaustive)
    #expect(trust.hasFailure)
    let failed = trust.properties.filter { $0.status == .failed }
    // Exactly the property the violation names is failed, citing the exploration.
    let expected: String
    switch v.failure.kind {
    case .r1: expected = "R1: lift(kernel) == exec"
    case .r2: expected = "R2: abstraction(exec) == abstract"
    case .observation: expected = "observations: Kernel == ExecutableSpec == AbstractSpec"
    case .twin: expected = "twin_relation: SymbolicSpec == AbstractSpec"
    case .availability: expected = "availability (never a lockstep campaign's violation)"
    case .invariant:
      let invariant = String(v.failure.name.split(separator: ".").first ?? "")
      expected = "\(v.failure.layer ?? "").\(invariant)"
    }
    #expect(failed.map(\.name) == [expected], "\(v.failure)")
    #expect(failed.first?.evidence.contains("exhaustive exploration") == true)
    #expect(failed.first?.evidence.contains(v.failure.explanation) == true)
    // The others still cite the (partial) exploration and stay tested.
    #expect(
      trust.properties(of: .relation).filter { $0.status == .tested }.count
        + failed.filter { $0.kind == .relation }.count == 4)
    #expect(trust.text.contains("exhaustive: a violation was found"))
  }

  @Test func exhaustiveReportFilesAreReadInEitherShape() throws {
    let exhaustive = smallExhaustive()
    let encoder = JSONEncoder()
    struct AllShape: Encodable { var exhaustive: ExhaustiveReport }
    for data in [try encoder.encode(exhaustive), try encoder.encode(AllShape(exhaustive: exhaustive))] {
      let read = try ExhaustiveReport.read(data, file: "e.json")
      #expect(read.states == exhaustive.states && read.transitions == exhaustive.transitions && read.depth == 2)
    }
    do {
      _ = try ExhaustiveReport.read(Data(#"{"depth": 2}"#.utf8), file: "e.json")
      Issue.record("accepted a report without its fields")
    } catch {
      #expect(error.description.hasPrefix("e.json: not an exhaustive report"))
      #expect(error.description.contains("is missing"))
    }
    var bad = exhaustive
    bad.transitions = -3
    let badData = try encoder.encode(bad)
    do {
      _ = try ExhaustiveReport.read(badData, file: "neg.json")
      Issue.record("accepted negative transitions")
    } catch {
      #expect(error.description.hasPrefix("neg.json: field transitions: -3 is negative"))
    }
  }

  @Test func jsonListsEveryPropertyWithNameKindStatusEvidence() throws {
    let trust = try report(campaign: smallCampaign())
    let object = try JSONSerialization.jsonObject(with: try trust.json()) as? [String: Any]
    let properties = try #require(object?["properties"] as? [[String: Any]])
    #expect(properties.count == trust.properties.count)
    let statuses = Set(PropertyStatus.allCases.map(\.rawValue))
    for p in properties {
      #expect((p["name"] as? String)?.isEmpty == false)
      #expect(statuses.contains(p["status"] as? String ?? ""), "\(p)")
      #expect((p["evidence"] as? String)?.isEmpty == false, "\(p)")
      #expect(PropertyKind(rawValue: p["kind"] as? String ?? "") != nil, "\(p)")
    }
    // Every kind is present: 4 relations (R1, R2, observations, twin), the invariants, all
    // obligations, system properties.
    let kinds = Dictionary(grouping: properties) { $0["kind"] as? String ?? "" }.mapValues(\.count)
    #expect(kinds["relation"] == 4)
    #expect(kinds["obligation"] == Obligation.catalogue.count)
    #expect((kinds["invariant"] ?? 0) == layerInvariantCatalogues.map(\.invariants.count).reduce(0, +))
    #expect((kinds["system"] ?? 0) >= 4)
    let totals = try #require(object?["totals"] as? [String: Int])
    #expect(totals["total"] == properties.count)
    #expect(PropertyStatus.allCases.map { totals[$0.rawValue] ?? -1 }.reduce(0, +) == properties.count)
    // The committed record proves every obligation of the code; nothing has failed.
    #expect(trust.properties(of: .obligation).allSatisfy { $0.status == .proved })
    #expect(!trust.hasFailure)
    // Honest words only: tested things are never called verified.
    let text = String(decoding: try trust.json(), as: UTF8.self) + trust.text
    #expect(!text.lowercased().contains("verified"))
    #expect(trust.text.contains(trust.totalsLine))
  }

  @Test func refutedChangedOrUnknownRecordIsNotProved() throws {
    // A scratch copy of proofs/ with three records edited.
    let scratch = try temporaryDirectory("proofs")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let copy = scratch.appendingPathComponent("proofs")
    try FileManager.default.copyItem(at: proofsDirectory, to: copy)
    var record = try #require(try ProofStore(directory: copy).load())
    let refuted = "capRights.maskNeverAddsRights"
    let changed = "word.alignUp.aligned"
    let unknown = "messageInfo.lengthClamped"
    for i in record.obligations.indices {
      switch record.obligations[i].name {
      case refuted: record.obligations[i].status = .refuted
      case changed: record.obligations[i].sha256 = String(repeating: "0", count: 64)
      case unknown: record.obligations[i].status = .unknown
      default: break
      }
    }
    try JSONEncoder().encode(record).write(to: copy.appendingPathComponent("obligations.json"))
    let trust = try report(campaign: smallCampaign(traces: 1, steps: 5), proofs: copy)
    func property(_ name: String) -> TrustProperty? { trust.properties.first { $0.name == name } }
    #expect(property(refuted)?.status == .failed)
    #expect(property(refuted)?.evidence.contains("refuted") == true)
    #expect(property(changed)?.status == .notCovered)
    #expect(property(changed)?.evidence.contains("changed") == true)
    #expect(property(unknown)?.status == .notCovered)
    #expect(property(unknown)?.evidence.contains("never a proof") == true)
    #expect(trust.hasFailure)
    // The others are still proved.
    #expect(trust.properties(of: .obligation).filter { $0.status == .proved }.count == Obligation.catalogue.count - 3)
  }

  /// A bounded obligation (`abstract.*`) is reported as proved for its shape, and only it: the
  /// kernel's obligations hold for all inputs and say nothing of a shape.
  @Test func boundedObligationsNameTheirShapeAndOthersDoNot() throws {
    let trust = try report(campaign: nil)
    let shape = "for every state of shape (1 CNode × 4 slots)"
    let obligations = trust.properties(of: .obligation)
    let abstract = obligations.filter { $0.name.hasPrefix("abstract.") }
    // 4 CDT operations and 6 CNode events, × 7 conjuncts; 6 CNode events × integrity, confinement;
    // 5 notification events and Suspend × the 3 to 5 object conjuncts each writes (26).
    #expect(abstract.count == 108)
    for property in abstract {
      #expect(property.status == .proved, "\(property.name): \(property.status)")
      #expect(property.bound?.hasPrefix(shape) == true, "\(property.name): \(property.bound ?? "no bound")")
      #expect(property.evidence.contains(shape), "\(property.name): \(property.evidence)")
    }
    let kernel = obligations.filter { !$0.name.hasPrefix("abstract.") }
    #expect(!kernel.isEmpty)
    for property in kernel {
      #expect(property.bound?.contains("shape") != true, "\(property.name): \(property.bound ?? "")")
      #expect(!property.evidence.contains("state of shape"), "\(property.name): \(property.evidence)")
      #expect(!property.evidence.contains("symbolic twin"), "\(property.name): \(property.evidence)")
    }
    // A bound that already says "for every state ..." is printed once, not as "for for every ...".
    #expect(trust.text.contains("  " + shape))
    #expect(!trust.text.contains("for for"))
    // Without a campaign, nothing tested the twin's agreement, and the evidence says so.
    for property in abstract {
      #expect(
        property.evidence.hasPrefix("proved on the symbolic twin; the twin's agreement with AbstractSpec is not tested")
      )
    }
  }

  /// The integrity and authority-confinement obligations are listed under their own headings in
  /// the human report, one per CNode event each, every one proved for the shape.
  @Test func securityObligationsHaveTheirHeadingsAndShape() throws {
    let trust = try report(campaign: nil)
    let lines = trust.text.split(separator: "\n").map(String.init)
    for (suffix, heading) in [("integrity", "  Integrity: "), ("authorityConfinement", "  Authority confinement: ")] {
      let start = try #require(lines.firstIndex { $0.hasPrefix(heading) }, "no heading \(heading)")
      let names = TwinEvent.cnodeEvents.map { "abstract.\($0.name).\(suffix)" }
      for name in names {
        let line = try #require(lines[(start + 1)...].first { $0.contains(" \(name) ") }, "\(name) not listed")
        let index = try #require(lines.firstIndex(of: line))
        #expect(index > start && index <= start + names.count, "\(name) is not under \(heading)")
        #expect(line.contains("proved") && line.contains("for every state of shape (1 CNode × 4 slots)"), "\(line)")
      }
    }
    let security = trust.properties(of: .obligation).filter { TrustReport.securitySection($0.name) != nil }
    #expect(security.count == 2 * TwinEvent.cnodeEvents.count)
  }

  /// With a campaign, each bounded obligation's evidence says how many steps the twin agreed with
  /// AbstractSpec on (the campaign's `twinSteps`), in the issue's words.
  @Test func boundedObligationsCiteTheTwinsAgreement() throws {
    let campaign = smallCampaign(traces: 4, steps: 60)
    let steps = try #require(campaign.twinSteps)
    #expect(steps > 0)
    let trust = try report(campaign: campaign)
    let abstract = trust.properties(of: .obligation).filter { $0.name.hasPrefix("abstract.") }
    #expect(!abstract.isEmpty)
    for property in abstract {
      #expect(
        property.evidence.hasPrefix(
          "proved on the symbolic twin, twin agrees with AbstractSpec on \(steps) steps (tested)"),
        "\(property.name): \(property.evidence)")
    }
    let twin = trust.properties(of: .relation).first { $0.name == "twin_relation: SymbolicSpec == AbstractSpec" }
    #expect(twin?.status == .tested)
  }

  @Test func noRecordMeansNothingProved() throws {
    let empty = try temporaryDirectory("noproofs")
    defer { try? FileManager.default.removeItem(at: empty) }
    let trust = try report(campaign: nil, proofs: empty)
    #expect(trust.properties(of: .obligation).allSatisfy { $0.status == .notCovered })
    #expect(trust.notes.contains { $0.contains("no proof record") })
    // No campaign: relations and invariants are not covered, not "tested".
    #expect(trust.properties(of: .relation).allSatisfy { $0.status == .notCovered })
    #expect(trust.properties(of: .invariant).allSatisfy { $0.status == .notCovered })
  }

  @Test func invariantsAreListedPerLayerWithTheirConjuncts() throws {
    let trust = try report(campaign: smallCampaign(traces: 1, steps: 5))
    let invariants = trust.properties(of: .invariant)
    for (layer, catalogue) in layerInvariantCatalogues {
      let listed = invariants.filter { $0.layer == layer }
      #expect(listed.map(\.name) == catalogue.map { "\(layer).\($0.name)" })
      #expect(listed.map { $0.conjuncts ?? [] } == catalogue.map(\.conjuncts))
    }
    #expect(invariants.contains { $0.name == "AbstractSpec.valid_mdb" && $0.conjuncts?.contains("no_mloop") == true })
    #expect(
      invariants.contains { $0.name == "ExecutableSpec.valid_mdb'" && $0.conjuncts?.contains("mdb_chunked") == true })
    #expect(invariants.contains { $0.name == "Kernel.valid_mdb'" && $0.conjuncts?.contains("valid_dlist") == true })
    // The human table names each layer once, above its invariants.
    for (layer, _) in layerInvariantCatalogues { #expect(trust.text.contains("\n  \(layer)\n")) }
  }

  @Test func testedEvidenceHasTheCampaignsStepCounts() throws {
    let campaign = smallCampaign(traces: 3, steps: 30)
    #expect(campaign.steps > 0)
    let trust = try report(campaign: campaign, campaignFile: "shard-1.json")
    let tested = trust.properties.filter { $0.status == .tested }
    #expect(tested.count >= 3 + 6)
    for p in tested {
      #expect(
        p.evidence.contains("\(campaign.traces) random traces, \(campaign.steps) steps"), "\(p.name): \(p.evidence)")
      #expect(p.evidence.contains("from shard-1.json"))
    }
    #expect(trust.campaign?.steps == campaign.steps)
    #expect(trust.campaign?.coveragePairs == campaign.coverage.filter { $0.value > 0 }.count)
    // Without a file, the report says it ran the campaign itself.
    let own = try report(campaign: campaign)
    #expect(own.properties.filter { $0.status == .tested }.allSatisfy { $0.evidence.contains("run by this command") })
  }

  @Test func campaignReportFilesAreReadInEitherShape() throws {
    let campaign = smallCampaign(traces: 2, steps: 25)
    let encoder = JSONEncoder()
    struct AllShape: Encodable { var campaign: CampaignReport }
    for data in [try encoder.encode(campaign), try encoder.encode(AllShape(campaign: campaign))] {
      let read = try CampaignReport.read(data, file: "c.json")
      #expect(read.steps == campaign.steps && read.traces == campaign.traces && read.seed == campaign.seed)
      let trust = try report(campaign: read, campaignFile: "c.json")
      #expect(trust.properties(of: .relation).allSatisfy { $0.evidence.contains("\(campaign.steps) steps") })
    }
    // Bad input names the file and the field.
    #expect(throws: CampaignReportError.self) { try CampaignReport.read(Data("not json".utf8), file: "x.json") }
    do {
      _ = try CampaignReport.read(Data(#"{"traces": 3}"#.utf8), file: "x.json")
      Issue.record("accepted a report without its fields")
    } catch {
      #expect(error.description.hasPrefix("x.json: not a campaign report"))
      #expect(error.description.contains("is missing"))
    }
    // Values no campaign writes are refused, naming the field.
    for (field, value) in [("traces", -1), ("steps", -5)] {
      var bad = campaign
      if field == "traces" { bad.traces = value } else { bad.steps = value }
      let data = try encoder.encode(bad)
      do {
        _ = try CampaignReport.read(data, file: "neg.json")
        Issue.record("accepted \(field) \(value)")
      } catch {
        #expect(error.description.hasPrefix("neg.json: field \(field): \(value) is negative"))
      }
    }
  }

  @Test func aCampaignViolationFailsTheRelationItBreaks() throws {
    // Four traces: the first two of seed 1 no longer reach the watermark bug since Signal, Wait and
    // Poll joined the operations (every seed's random stream changed).
    let campaign = smallCampaign(bug: .retypeIgnoresWatermark, traces: 4, steps: 250)
    let failure = try #require(campaign.violations.first?.failure)
    let trust = try report(campaign: campaign)
    #expect(trust.hasFailure)
    let failed = trust.properties.filter { $0.status == .failed }
    #expect(!failed.isEmpty)
    #expect(failed.allSatisfy { $0.kind == .relation || $0.kind == .invariant })
    #expect(failed.contains { $0.evidence.contains("step \(failure.step)") })
  }

  @Test func theSampleSystemsAuthorityIsChecked() throws {
    let file = packageRoot.appendingPathComponent("Systems/sample.cdl")
    let model = try CapDLModel.parse(try String(contentsOf: file, encoding: .utf8), file: "Systems/sample.cdl")
    let facts = authorityProperties(model: model, system: "Systems/sample.cdl")
    let flows = try #require(facts.first { $0.name.hasPrefix("authority") })
    #expect(flows.status == .checked)
    // main, second, low and the client/server pair.
    #expect(flows.evidence.contains("5 threads,"))
    #expect(facts.contains { $0.name.hasPrefix("integrity") && $0.status == .notCovered })
    #expect(authorityProperties(model: nil, system: "builtin").allSatisfy { $0.status == .notCovered })
  }

  @Test(Corpus.enabled)
  func aSystemWithFlowsListsThem() throws {
    let text = try Corpus.text("camkes-adder-arm.cdl")
    let facts = authorityProperties(model: try CapDLModel.parse(text, file: "adder.cdl"), system: "adder.cdl")
    let flows = try #require(facts.first { $0.name.hasPrefix("authority") })
    #expect(flows.status == .checked)
    #expect(flows.evidence.contains("5 threads"))
    #expect(flows.evidence.contains(" Call "), "\(flows.evidence)")
  }

  @Test func ourCAmkESStyleSystemListsItsFlows() throws {
    let model = try CapDLModel.parse(try Fixtures.capDL("camkes-echo"), file: "camkes-echo.cdl")
    let facts = authorityProperties(model: model, system: "camkes-echo.cdl")
    let flows = try #require(facts.first { $0.name.hasPrefix("authority") })
    #expect(flows.status == .checked)
    #expect(flows.evidence.hasPrefix("4 threads, 52 edge(s): "), "\(flows.evidence)")
    #expect(flows.evidence.contains(" Call "), "\(flows.evidence)")
  }

  /// A system whose initial state breaks several invariants in several layers: each is reported
  /// failed, not only the first one the lockstep checker would stop at.
  @Test func everyInvariantBrokenByTheInitialStateIsFailed() throws {
    var plan = SystemPlan.sample
    let endpoint = try #require(plan.objects.first { $0.name == "ep" }).address
    plan.objects.append(.init(name: "misplaced", address: endpoint &+ 8, kind: .notification))
    let record = try ProofStore(directory: proofsDirectory).load()
    let trust = TrustReport(
      TrustInputs(
        system: "builtin", plan: plan, proofRecord: record, proofRecordPath: "proofs/obligations.json",
        proofsDirectory: proofsDirectory, obligations: Obligation.catalogue, campaign: nil, campaignFile: nil))
    let failed = trust.properties(of: .invariant).filter { $0.status == .failed }
    #expect(failed.count >= 2, "\(failed.map(\.name))")
    #expect(Set(failed.compactMap(\.layer)).count >= 2, "\(failed.map(\.name))")
    let initial = try #require(trust.properties(of: .system).first { $0.name.hasPrefix("initial state") })
    #expect(initial.status == .failed)
    for property in failed {
      let invariant = String(property.name.split(separator: ".", maxSplits: 1).last ?? "")
      #expect(initial.evidence.contains(invariant), "\(invariant) missing from: \(initial.evidence)")
    }
  }
}

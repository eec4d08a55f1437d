// The trust report: every property the workbench speaks about, and how it is established.
//
// A property is a relation between layers (R1, R2, equal observations), a named invariant of one
// layer, a Z3 proof obligation, or a fact about the system being checked. Its status says how
// much is known, in decreasing strength:
//   proved       Z3 found no counterexample for every input in the obligation's bound;
//   checked      decided exactly by computation on the one finite object it is about (the initial
//                state, the capDL text), not by sampling;
//   tested       held on every step of a randomized campaign: evidence, never a proof;
//   not covered  nothing establishes it (not modelled, not recorded, or its proof is stale);
//   failed       a counterexample exists (a refuted or vacuous obligation, a campaign violation).
// Nothing here says "verified".

public import Foundation

/// What kind of claim a property is.
public enum PropertyKind: String, Codable, Sendable, CaseIterable {
  case relation
  case invariant
  case obligation
  case system

  /// The heading of its group in the human report.
  public var heading: String {
    switch self {
    case .relation: "Relations between the layers"
    case .invariant: "Invariants"
    case .obligation: "Proof obligations (Z3)"
    case .system: "System properties"
    }
  }
}

/// How a property is established (see the file comment for the exact meaning of each).
public enum PropertyStatus: String, Codable, Sendable, CaseIterable {
  case proved
  case checked
  case tested
  case notCovered = "not covered"
  case failed
}

/// One property and the evidence for it.
public struct TrustProperty: Codable, Sendable, Hashable {
  public var name: String
  public var kind: PropertyKind
  public var status: PropertyStatus
  /// The evidence in one or two sentences: the bound and solver of a proof, the steps and
  /// coverage of a test, or why it is not covered.
  public var evidence: String
  /// The layer an invariant belongs to.
  public var layer: String?
  /// An invariant's named conjuncts.
  public var conjuncts: [String]?
  /// What the property says, in a sentence.
  public var statement: String?
  /// For a proved obligation: the inputs it was proved for.
  public var bound: String?

  public init(
    name: String, kind: PropertyKind, status: PropertyStatus, evidence: String, layer: String? = nil,
    conjuncts: [String]? = nil, statement: String? = nil, bound: String? = nil
  ) {
    self.bound = bound
    self.name = name
    self.kind = kind
    self.status = status
    self.evidence = evidence
    self.layer = layer
    self.conjuncts = conjuncts
    self.statement = statement
  }
}

/// The campaign that the tested statuses rest on.
public struct CampaignEvidence: Codable, Sendable, Hashable {
  /// The report file it was read from, or nil when this command ran it itself.
  public var file: String?
  public var seed: UInt64
  public var traces: Int
  public var steps: Int
  public var stepsPerTrace: Int?
  /// (operation, outcome) pairs reached at least once.
  public var coveragePairs: Int
  public var violations: Int
  /// The shard the campaign report covers (`1/2`), if it covers only one.
  public var shard: String?
  /// The steps on which the symbolic twin was run and agreed with AbstractSpec (nil: the report
  /// does not say).
  public var twinSteps: Int?

  /// "12 traces, 1,200 steps (seed 1, run by this command), 17 (operation, outcome) pairs reached".
  public var sentence: String {
    var source = file.map { "from \($0)" } ?? "a short campaign run by this command"
    if let shard { source += ", shard \(shard) only" }
    return
      "\(traces) random traces, \(steps) steps (seed \(seed), \(source)); \(coveragePairs) (operation, outcome) pairs reached"
  }
}

/// The bounded exhaustive exploration that the tested statuses also rest on.
public struct ExhaustiveEvidence: Codable, Sendable, Hashable {
  /// The report file it was read from (`check --exhaustive --json`), or nil when this command ran it.
  public var file: String?
  /// The system it explored, as its report names it ("builtin-small": `SystemPlan.smallIPC`, the small client/server system).
  public var system: String
  /// The depth asked for and the depth up to which every sequence was explored.
  public var depth: Int
  public var depthCompleted: Int
  public var complete: Bool
  public var states: Int
  public var transitions: Int
  /// 0 or 1: the exploration stops at its first violation.
  public var violations: Int

  public init(
    file: String?, system: String, depth: Int, depthCompleted: Int, complete: Bool, states: Int, transitions: Int,
    violations: Int
  ) {
    self.file = file
    self.system = system
    self.depth = depth
    self.depthCompleted = depthCompleted
    self.complete = complete
    self.states = states
    self.transitions = transitions
    self.violations = violations
  }

  /// The system in words: the built-in small system, or the file it names.
  public var systemWords: String {
    switch system {
    case "builtin-small": "the small built-in system"
    case "builtin": "the built-in sample system"
    default: system
    }
  }

  /// "every event sequence up to depth 2 from the small built-in system: 1234 states, 5678
  /// transitions (exhaustive within its alphabet and depth)".
  public var sentence: String {
    let source = file.map { ", from \($0)" } ?? ""
    let reach =
      complete || depthCompleted >= depth
      ? "every event sequence up to depth \(depth)"
      : "every event sequence up to depth \(depthCompleted) only (of \(depth) asked: the exploration stopped early)"
    return
      "\(reach) from \(systemWords): \(states) states, \(transitions) transitions (exhaustive within its alphabet and depth\(source))"
  }
}

/// The whole report (`refine-check report --json`).
public struct TrustReport: Codable, Sendable {
  /// The system the tested and checked properties are about.
  public var system: String
  public var properties: [TrustProperty]
  /// Properties per status (every status present, zero included), and `total`.
  public var totals: [String: Int]
  public var campaign: CampaignEvidence?
  /// The bounded exhaustive exploration, when there is one.
  public var exhaustive: ExhaustiveEvidence?
  /// The proof record read (path), and the solver it names.
  public var proofRecord: String
  public var solver: String?
  /// Remarks that belong to no property (recorded obligations the code no longer builds, ...).
  public var notes: [String]

  public init(
    system: String, properties: [TrustProperty], campaign: CampaignEvidence?, proofRecord: String,
    solver: String?, notes: [String], exhaustive: ExhaustiveEvidence? = nil
  ) {
    self.system = system
    self.exhaustive = exhaustive
    self.properties = properties
    self.campaign = campaign
    self.proofRecord = proofRecord
    self.solver = solver
    self.notes = notes
    var totals = Dictionary(uniqueKeysWithValues: PropertyStatus.allCases.map { ($0.rawValue, 0) })
    for p in properties { totals[p.status.rawValue, default: 0] += 1 }
    totals["total"] = properties.count
    self.totals = totals
  }

  /// True when some property failed (the command then exits 1).
  public var hasFailure: Bool { properties.contains { $0.status == .failed } }

  /// The properties of one kind, in report order.
  public func properties(of kind: PropertyKind) -> [TrustProperty] { properties.filter { $0.kind == kind } }

  /// "95 properties: 64 proved, 1 checked, 27 tested, 3 not covered, 0 failed".
  public var totalsLine: String {
    let parts = PropertyStatus.allCases.map { "\(totals[$0.rawValue] ?? 0) \($0.rawValue)" }
    return "\(properties.count) properties: " + parts.joined(separator: ", ")
  }

  /// The human report: one table per kind, then the totals line.
  public var text: String {
    var lines: [String] = ["Trust report for \(system)"]
    if let campaign, campaign.steps == 0 {
      lines.append("  no campaign steps: the campaign (\(campaign.sentence)) ran 0 steps, so it tests nothing")
    } else if let campaign {
      lines.append("  tested means: held on every step of \(campaign.sentence); evidence, not proof")
      if campaign.violations > 0 {
        lines.append("  the campaign found \(campaign.violations) violation(s): each is a failure below")
      }
    } else {
      lines.append("  no campaign: nothing is tested by a random campaign")
    }
    if let exhaustive, exhaustive.transitions == 0, exhaustive.violations == 0 {
      lines.append("  no exhaustive transitions: the exploration (\(exhaustive.sentence)) tests nothing")
    } else if let exhaustive {
      lines.append(
        exhaustive.violations == 0
          ? "  tested also means: held on \(exhaustive.sentence); not proved"
          : "  exhaustive: a violation was found exploring \(exhaustive.sentence)")
    }
    lines.append(
      "  proved means: \(solver ?? "Z3") found no counterexample for the inputs shown, as recorded in \(proofRecord) for the code's present text"
    )
    let width = PropertyStatus.allCases.map(\.rawValue.count).max() ?? 0
    for kind in PropertyKind.allCases {
      let group = properties(of: kind)
      guard !group.isEmpty else { continue }
      lines.append("")
      lines.append("\(kind.heading) (\(group.count))")
      var layer: String?
      var section: String?
      for p in group {
        if kind == .invariant, p.layer != layer {
          layer = p.layer
          lines.append("  \(p.layer ?? "")")
        }
        if kind == .obligation, Self.securitySection(p.name) != section {
          section = Self.securitySection(p.name)
          lines.append("  \(section ?? "Other obligations")")
        }
        let indent = kind == .invariant ? "    " : "  "
        let status = p.status.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
        var name = p.name
        if kind == .invariant, let l = p.layer, name.hasPrefix(l + ".") { name = String(name.dropFirst(l.count + 1)) }
        if let conjuncts = p.conjuncts, !conjuncts.isEmpty { name += " (" + conjuncts.joined(separator: ", ") + ")" }
        lines.append("\(indent)\(status)  \(name)")
        if p.status == .proved, let bound = p.bound {
          lines[lines.count - 1] += bound.hasPrefix("for ") ? "  \(bound)" : "  for \(bound)"
        } else if p.status != .tested || kind == .system {
          lines.append("\(indent)\(String(repeating: " ", count: width))    \(p.evidence)")
        }
      }
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append("Notes")
      for n in notes { lines.append("  \(n)") }
    }
    lines.append("")
    lines.append(totalsLine)
    return lines.joined(separator: "\n")
  }

  /// The heading an obligation about a security property is listed under in the human report (nil
  /// for the others): `abstract.<event>.integrity` and `abstract.<event>.authorityConfinement`.
  public static func securitySection(_ name: String) -> String? {
    if name.hasSuffix(".integrity") {
      return "Integrity: a step changes only the slots its invoker's caps name (l4v integrity, on slots and the CDT)"
    }
    if name.hasSuffix(".authorityConfinement") {
      return "Authority confinement: no step creates authority beyond the pre-state's take-grant closure"
    }
    return nil
  }

  /// The JSON text (sorted keys, pretty-printed).
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}

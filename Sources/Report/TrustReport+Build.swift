// Building the trust report from what the workbench knows: the proof record and the obligations the
// code builds now, a campaign report, the system's initial state, and system facts from elsewhere.

import AbstractSpec
import ExecutableSpec
public import Foundation
import Kernel
public import KernelABI
public import Refinement
import SMT

/// Everything the report is built from.
public struct TrustInputs: Sendable {
  /// The system's name as printed (a capDL path, or "builtin").
  public var system: String
  public var plan: SystemPlan
  /// The proof record and the path it was read from; nil record: there is none.
  public var proofRecord: ProofRecord?
  public var proofRecordPath: String
  /// The folder holding the record (to check that each recorded SMT-LIB2 file matches its hash).
  public var proofsDirectory: URL?
  /// The obligations the code builds now.
  public var obligations: [Obligation]
  /// The campaign the tested statuses rest on, and the file it came from (nil: run by the command).
  public var campaign: CampaignReport?
  public var campaignFile: String?
  /// The bounded exhaustive exploration the tested statuses also rest on, and the file it came
  /// from (nil: run by the command); nil report: there is none.
  public var exhaustive: ExhaustiveReport?
  public var exhaustiveFile: String?
  /// System facts established elsewhere (the authority analysis of the capDL text, ...).
  public var systemProperties: [TrustProperty]
  /// The availability phase's report and the system it ran on (`refine-check availability`,
  /// docs/time.md); nil: not run for this report.
  public var availability: AvailabilityReport?
  public var availabilitySystem: String?

  public init(
    system: String, plan: SystemPlan, proofRecord: ProofRecord?, proofRecordPath: String,
    proofsDirectory: URL?, obligations: [Obligation], campaign: CampaignReport?, campaignFile: String?,
    systemProperties: [TrustProperty] = [], exhaustive: ExhaustiveReport? = nil, exhaustiveFile: String? = nil
  ) {
    self.exhaustive = exhaustive
    self.exhaustiveFile = exhaustiveFile
    self.system = system
    self.plan = plan
    self.proofRecord = proofRecord
    self.proofRecordPath = proofRecordPath
    self.proofsDirectory = proofsDirectory
    self.obligations = obligations
    self.campaign = campaign
    self.campaignFile = campaignFile
    self.systemProperties = systemProperties
  }
}

/// The invariant catalogue of each layer (read from its invariant table), in the checker's order.
public let layerInvariantCatalogues: [(layer: String, invariants: [InvariantDefinition])] = [
  ("AbstractSpec", AbstractState.invariantCatalogue),
  ("ExecutableSpec", ExecState.invariantCatalogue),
  ("Kernel", KernelState.invariantCatalogue),
]

extension TrustReport {
  /// The report for `inputs`.
  public init(_ inputs: TrustInputs) {
    let campaign = inputs.campaign.map { c in
      CampaignEvidence(
        file: inputs.campaignFile, seed: c.seed, traces: c.traces, steps: c.steps, stepsPerTrace: c.stepsPerTrace,
        coveragePairs: c.coverage.filter { $0.value > 0 }.count, violations: c.violations.count,
        shard: c.shard?.description, twinSteps: c.twinSteps)
    }
    let exhaustive = inputs.exhaustive.map { e in
      ExhaustiveEvidence(
        file: inputs.exhaustiveFile, system: e.system ?? "builtin-small", depth: e.depth,
        depthCompleted: e.depthCompleted,
        complete: e.complete, states: e.states, transitions: e.transitions, violations: e.violation == nil ? 0 : 1)
    }
    var failures = (inputs.campaign?.violations ?? []).map { $0.shrunk?.failure ?? $0.failure }
    // The exhaustive violation is reported by its whole event sequence (its step is the sequence's
    // length; its last event is the sequence's last, so it is not repeated).
    if let v = inputs.exhaustive?.violation {
      var failure = v.failure
      failure.event = nil
      failure.explanation =
        "in the exhaustive exploration of \(exhaustive?.systemWords ?? "the small built-in system"), after the \(v.events.count)-event sequence \(v.events.map { "\($0)" }.joined(separator: "; ")): \(failure.explanation)"
      failures.append(failure)
    }
    let initial = initialStateFailures(inputs.plan)
    let evidence = TestedEvidence(campaign: campaign, exhaustive: exhaustive)
    var properties = relationProperties(evidence, failures, initial)
    properties += invariantProperties(evidence, failures, initial)
    let (obligations, notes) = obligationProperties(inputs)
    properties += obligations
    properties += systemProperties(inputs, campaign, failures, initial)
    // A violation of a property the report does not list (a name from another version, a typo in
    // an edited file) still breaks something: it counts as a failure, never as nothing.
    if let unknown = unrecognisedFailuresProperty(failures) { properties.append(unknown) }
    self.init(
      system: inputs.system, properties: properties, campaign: campaign, proofRecord: inputs.proofRecordPath,
      solver: inputs.proofRecord?.solver, notes: notes, exhaustive: exhaustive)
  }
}

// MARK: - The initial state, every check on its own

/// Every relation and invariant that fails on the initial state of `plan`, each evaluated on its
/// own (the lockstep checker stops at the first failure, which would leave later ones unreported).
private func initialStateFailures(_ plan: SystemPlan) -> [LockstepFailure] {
  var relationsOnly = LockstepChecker(plan: plan)
  relationsOnly.checksInvariants = false
  var failures = relationsOnly.check().map { [$0] } ?? []
  let layers: [(String, [InvariantViolation])] = [
    ("AbstractSpec", relationsOnly.abstract.invariantViolations()),
    ("ExecutableSpec", relationsOnly.exec.invariantViolations()),
    ("Kernel", relationsOnly.kernel.invariantViolations()),
  ]
  for (layer, violations) in layers {
    for v in violations {
      failures.append(
        LockstepFailure(
          step: 0, event: nil, kind: .invariant, layer: layer,
          name: v.conjunct == v.invariant ? v.invariant : "\(v.invariant).\(v.conjunct)", explanation: v.explanation,
          diff: nil))
    }
  }
  return failures
}

// MARK: - Violations of properties the report does not list

/// Whether `failure` breaks one of the relations or invariants the report lists.
private func isRecognised(_ failure: LockstepFailure) -> Bool {
  switch failure.kind {
  case .r1, .r2, .observation, .twin: return true
  // Availability has its own entry, built from the availability phase's report; one in a
  // campaign's violations is listed here rather than dropped.
  case .availability: return false
  case .invariant:
    return layerInvariantCatalogues.contains { layer, catalogue in
      failure.layer == layer
        && catalogue.contains { failure.name == $0.name || failure.name.hasPrefix($0.name + ".") }
    }
  }
}

/// A failed property for the violations in the evidence whose relation or invariant the report
/// does not list; nil when there are none.
private func unrecognisedFailuresProperty(_ failures: [LockstepFailure]) -> TrustProperty? {
  let unknown = failures.filter { !isRecognised($0) }
  guard !unknown.isEmpty else { return nil }
  let listed = unknown.prefix(5).map {
    "\($0.kind.rawValue)\($0.layer.map { " in \($0)" } ?? "") '\($0.name)' at step \($0.step): \($0.explanation)"
  }
  let more = unknown.count > 5 ? " (and \(unknown.count - 5) more)" : ""
  return TrustProperty(
    name: "violations of properties this report does not list", kind: .system, status: .failed,
    evidence:
      "\(unknown.count) violation(s) in the evidence name a relation or invariant this refine-check does not check (another version's report, or an edited one); each counts as a failure: "
      + listed.joined(separator: "; ") + more,
    statement: "every violation in the evidence is of a property this report lists")
}

// MARK: - Relations and invariants: tested by the campaign

/// What relations and invariants are tested by: a random campaign and a bounded exhaustive
/// exploration, each optional.
private struct TestedEvidence {
  var campaign: CampaignEvidence?
  var exhaustive: ExhaustiveEvidence?
}

/// The status of a property the campaign and the exhaustive exploration check at every step:
/// failed if a violation (or the initial state) breaks it, tested if either ran steps without a
/// violation, else not covered.
private func campaignStatus(
  _ evidence: TestedEvidence, _ breaking: [LockstepFailure], what: String
) -> (PropertyStatus, String) {
  if let f = breaking.first {
    let more = breaking.count > 1 ? " (and \(breaking.count - 1) more violation(s))" : ""
    return (.failed, "broken at step \(f.step)\(f.event.map { " (\($0))" } ?? ""): \(f.explanation)\(more)")
  }
  var parts: [String] = []
  if let campaign = evidence.campaign, campaign.steps > 0 {
    parts.append("\(what) on every step of \(campaign.sentence)")
  }
  if let exhaustive = evidence.exhaustive, exhaustive.transitions > 0 {
    parts.append((parts.isEmpty ? "\(what) on " : "and held on ") + exhaustive.sentence)
  }
  guard !parts.isEmpty else { return (.notCovered, "no campaign steps were run, so nothing tests it") }
  return (.tested, parts.joined(separator: "; "))
}

private func relationProperties(
  _ campaign: TestedEvidence, _ failures: [LockstepFailure], _ initial: [LockstepFailure]
) -> [TrustProperty] {
  let all = initial + failures
  let relations: [(String, LockstepFailure.Kind, String)] = [
    ("R1: lift(kernel) == exec", .r1, "the kernel's memory decodes (lifts) to exactly the executable spec's state"),
    (
      "R2: abstraction(exec) == abstract", .r2,
      "the executable spec's state abstracts to exactly the abstract spec's state, and every choice the executable spec makes is one the abstract spec allows"
    ),
    (
      "observations: Kernel == ExecutableSpec == AbstractSpec", .observation,
      "the three layers give the same user-visible result (reply, fault, current thread) for every event"
    ),
    (
      "twin_relation: SymbolicSpec == AbstractSpec", .twin,
      "on every event the symbolic twin covers (CNode Copy, Mint, Move, Mutate, Rotate, the Delete of a cap that is not the last to its object, and their decode errors), the twin computes the same caps, derivation tree, original flags and answer as the abstract spec"
    ),
  ]
  return relations.map { name, kind, statement in
    let (status, evidence) = campaignStatus(campaign, all.filter { $0.kind == kind }, what: "held")
    return TrustProperty(name: name, kind: .relation, status: status, evidence: evidence, statement: statement)
  }
}

private func invariantProperties(
  _ campaign: TestedEvidence, _ failures: [LockstepFailure], _ initial: [LockstepFailure]
) -> [TrustProperty] {
  let all = initial + failures
  var properties: [TrustProperty] = []
  for (layer, catalogue) in layerInvariantCatalogues {
    for invariant in catalogue {
      let breaking = all.filter {
        $0.kind == .invariant && $0.layer == layer
          && ($0.name == invariant.name || $0.name.hasPrefix(invariant.name + "."))
      }
      let (status, evidence) = campaignStatus(campaign, breaking, what: "checked after and held")
      properties.append(
        TrustProperty(
          name: "\(layer).\(invariant.name)", kind: .invariant, status: status, evidence: evidence, layer: layer,
          conjuncts: invariant.conjuncts, statement: invariant.summary))
    }
  }
  return properties
}

// MARK: - Obligations: proved by Z3, as recorded

/// The shape of an obligation's claim: its bound when it has one, its variables and hypotheses.
private func bound(of obligation: Obligation) -> String {
  let scope = ProofScope(context: Context())
  _ = obligation.build(scope)
  let names = scope.variables.map(\.name)
  let shown = names.count <= 4 ? names.joined(separator: ", ") : names.prefix(4).joined(separator: ", ") + ", ..."
  let words =
    names.count == 1
    ? "every value of its 64-bit word \(shown)" : "all values of its \(names.count) 64-bit words (\(shown))"
  let hypotheses = scope.hypotheses.count
  let claim =
    (names.isEmpty ? "its closed formula" : words)
    + (hypotheses == 0 ? "" : " satisfying its \(hypotheses) hypothes\(hypotheses == 1 ? "is" : "es")")
  // A bounded obligation (the abstract invariants) holds for its shape, not for every state.
  guard let shape = obligation.bound else { return claim }
  return "\(shape): \(claim)"
}

/// What an `abstract.*` obligation (one about the symbolic twin; other bounded obligations, the
/// refill arithmetic's, are about the code that runs) rests on besides Z3: the twin's
/// agreement with AbstractSpec on the campaign's steps (`Lockstep+Twin.swift`).
func twinAgreement(_ campaign: CampaignReport?) -> String {
  if let campaign, campaign.violations.contains(where: { ($0.shrunk?.failure ?? $0.failure).kind == .twin }) {
    return "proved on the symbolic twin, but the twin disagreed with AbstractSpec in the campaign (twin_relation)"
  }
  guard let steps = campaign?.twinSteps, steps > 0 else {
    return "proved on the symbolic twin; the twin's agreement with AbstractSpec is not tested by this run"
  }
  return "proved on the symbolic twin, twin agrees with AbstractSpec on \(steps) steps (tested)"
}

private func obligationProperties(_ inputs: TrustInputs) -> ([TrustProperty], [String]) {
  let recorded = Dictionary(
    (inputs.proofRecord?.obligations ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
  let solver = inputs.proofRecord?.solver ?? "z3"
  var properties: [TrustProperty] = []
  for obligation in inputs.obligations {
    func property(_ status: PropertyStatus, _ evidence: String, bound: String? = nil) -> TrustProperty {
      TrustProperty(
        name: obligation.name, kind: .obligation, status: status, evidence: evidence, statement: obligation.statement,
        bound: bound)
    }
    guard let entry = recorded[obligation.name] else {
      properties.append(
        property(
          .notCovered,
          "built by the code but not in \(inputs.proofRecordPath): never proved (run `refine-check prove --update`)"))
      continue
    }
    let text: String
    do {
      text = try Discharger.smtFile(of: obligation)
    } catch {
      properties.append(property(.notCovered, "the code cannot build its SMT-LIB2 text: \(error)"))
      continue
    }
    let hash = sha256Hex(text)
    if hash != entry.sha256 {
      properties.append(
        property(
          .notCovered,
          "changed: its SMT-LIB2 text is no longer the one proved (recorded sha256 \(entry.sha256.prefix(12))..., now \(hash.prefix(12))...); the recorded result no longer applies until `refine-check prove --update`"
        ))
      continue
    }
    if let directory = inputs.proofsDirectory {
      let file = directory.appendingPathComponent(entry.smt2)
      guard let saved = try? String(contentsOf: file, encoding: .utf8), sha256Hex(saved) == entry.sha256 else {
        properties.append(
          property(.notCovered, "damaged: \(entry.smt2) is missing or does not match its recorded sha256"))
        continue
      }
    }
    switch entry.status {
    case .proved:
      let found =
        "\(solver) found no counterexample for \(bound(of: obligation)) (\(obligation.logic); the query is \(entry.smt2))"
      properties.append(
        property(
          .proved, obligation.name.hasPrefix("abstract.") ? "\(twinAgreement(inputs.campaign)): \(found)" : found,
          bound: bound(of: obligation)))
    case .refuted:
      properties.append(
        property(.failed, "refuted: \(solver) found a counterexample (run `refine-check prove` to see it)"))
    case .vacuous:
      properties.append(property(.failed, "vacuous: its hypotheses cannot all hold, so it proves nothing"))
    case .unknown:
      properties.append(
        property(.notCovered, "unknown: \(solver) gave no answer within its limits; unknown is never a proof"))
    case .error:
      properties.append(property(.notCovered, "the recorded run ended in an error"))
    }
  }
  let built = Set(inputs.obligations.map(\.name))
  let gone = (inputs.proofRecord?.obligations ?? []).map(\.name).filter { !built.contains($0) }
  var notes = gone.map { "recorded in \(inputs.proofRecordPath) but no longer built by the code: \($0)" }
  if inputs.proofRecord == nil {
    notes.append("no proof record at \(inputs.proofRecordPath): no obligation counts as proved")
  }
  notes.append(
    "obligations are proved under `prove`'s Z3 resource limit (--rlimit, 100,000,000 per query by default; the record does not say which limit its run used) and time limit; a limit can only make an obligation unknown, never proved"
  )
  return (properties, notes)
}

// MARK: - System properties

private func systemProperties(
  _ inputs: TrustInputs, _ campaign: CampaignEvidence?, _ failures: [LockstepFailure], _ initial: [LockstepFailure]
) -> [TrustProperty] {
  var properties: [TrustProperty] = []
  let invariantCount = layerInvariantCatalogues.map(\.invariants.count).reduce(0, +)
  if !initial.isEmpty {
    let broken = initial.map {
      "\($0.kind.rawValue)\($0.layer.map { " in \($0)" } ?? "") \($0.name): \($0.explanation)"
    }
    properties.append(
      TrustProperty(
        name: "initial state: relations and invariants hold", kind: .system, status: .failed,
        evidence: broken.joined(separator: "; "),
        statement: "the three layers built from the system start related by R1 and R2 with every invariant holding"))
  } else {
    properties.append(
      TrustProperty(
        name: "initial state: relations and invariants hold", kind: .system, status: .checked,
        evidence:
          "R1, R2 and all \(invariantCount) invariants of the three layers evaluated exactly on the one initial state of \(inputs.system)",
        statement: "the three layers built from the system start related by R1 and R2 with every invariant holding"))
  }
  let (status, evidence) = campaignStatus(TestedEvidence(campaign: campaign), [], what: "ran without a trap")
  properties.append(
    TrustProperty(
      name: "Kernel: no event traps", kind: .system, status: status,
      evidence: evidence + (status == .tested ? " (a trap would have ended the run)" : ""),
      statement: "no system call, interrupt or tick makes the Kernel layer crash"))
  properties += inputs.systemProperties
  properties.append(availabilityProperty(inputs.availability, system: inputs.availabilitySystem))
  properties.append(
    TrustProperty(
      name: "confidentiality: no information flow between domains", kind: .system, status: .notCovered,
      evidence: "no noninterference unwinding exists yet; neither proved nor tested",
      statement: "noninterference between domains"))
  return properties
}

/// The availability entry: held over the periods and events the phase ran, violated with its
/// shrunk trace, or not covered when the phase did not run.
private func availabilityProperty(_ report: AvailabilityReport?, system: String?) -> TrustProperty {
  let name = "availability: bounded contexts keep to their budget, the control loop gets its budget"
  let statement =
    "on the mixed-criticality system, no constant-bandwidth scheduling context consumes more than its budget in any window of one period, and the control loop runs whenever it can run with its head refill released (docs/time.md, Availability)"
  guard let report else {
    return TrustProperty(
      name: name, kind: .system, status: .notCovered,
      evidence: "the availability phase did not run for this report (`refine-check availability` runs it)",
      statement: statement)
  }
  if let c = report.counterexample {
    return TrustProperty(
      name: name, kind: .system, status: .failed,
      evidence:
        "\(c.failure.kind.rawValue) \(c.failure.name) at step \(c.failure.step) of a \(c.events.count)-event trace (shrunk from \(c.originalLength)): \(c.failure.explanation)\(c.traceFile.map { "; replay \($0)" } ?? "")",
      statement: statement)
  }
  guard report.held else {
    return TrustProperty(
      name: name, kind: .system, status: .notCovered, evidence: "the availability phase simulated no time",
      statement: statement)
  }
  return TrustProperty(
    name: name, kind: .system, status: .tested,
    evidence:
      "held on \(system ?? "the mixed-criticality system") over \(report.periods) control-loop periods (\(report.runnablePeriods) with it runnable), \(report.traces) traces, \(report.events) events, \(report.interrupts) device interrupts, every event also in lockstep (tested, not proved)",
    statement: statement)
}

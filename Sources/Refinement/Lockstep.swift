// The lockstep checker: one event, three layers, every relation and invariant.
//
// For each event it steps the kernel, the executable spec and the abstract spec; checks R1
// (`lift(kernel) == exec`), R2 (`abstraction(exec) == abstract`), that the three observations are
// equal, and that each layer's invariants hold. A failure is a value carrying the step, the event,
// what broke and a structural diff of the two sides; nothing here traps.

public import AbstractSpec
import CustomDump
public import ExecutableSpec
public import Kernel
public import KernelABI
public import SymbolicSpec

/// What broke, where.
public struct LockstepFailure: Error, Hashable, Sendable, Codable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable, Codable {
    /// `lift(kernel) ≠ exec`.
    case r1 = "R1"
    /// `abstraction(exec) ≠ abstract`.
    case r2 = "R2"
    /// The layers' observations differ.
    case observation
    /// A layer's invariant is broken.
    case invariant
    /// The symbolic twin computed a different post-state or answer than AbstractSpec
    /// (`twin_relation`, `Lockstep+Twin.swift`).
    case twin
    /// The availability property (`Availability.swift`) broke: a budget overrun or a guarantee
    /// missed, which all three layers can share.
    case availability
  }
  /// The number of events applied before the failure was seen (0: the initial state).
  public var step: Int
  public var event: Event?
  public var kind: Kind
  /// The layer, for invariants ("AbstractSpec", "ExecutableSpec", "Kernel"; "SymbolicSpec" for
  /// the twin).
  public var layer: String?
  /// The relation or invariant (with its conjunct) that broke.
  public var name: String
  public var explanation: String
  /// A structural diff of the two sides, where there are two.
  public var diff: String?

  public init(
    step: Int, event: Event?, kind: Kind, layer: String?, name: String, explanation: String, diff: String?
  ) {
    self.step = step
    self.event = event
    self.kind = kind
    self.layer = layer
    self.name = name
    self.explanation = explanation
    self.diff = diff
  }

  public var description: String {
    var text = "step \(step)"
    if let event { text += " (\(event))" }
    text += ": \(kind.rawValue)"
    if let layer { text += " in \(layer)" }
    text += " \(name): \(explanation)"
    if let diff { text += "\n" + diff }
    return text
  }
}

/// Three layers run in lockstep.
public struct LockstepChecker: Sendable {
  public internal(set) var abstract: AbstractState
  public internal(set) var exec: ExecState
  public internal(set) var kernel: KernelState
  /// Events applied so far.
  public private(set) var steps = 0
  /// Check every layer's invariants after each step (the default) or only the relations.
  public var checksInvariants = true
  /// How `step` checks: incrementally (the default) or by the whole-state check.
  public var mode: Mode = .incremental
  /// The states of the last step that passed every check (incremental mode), or nil.
  var verified: VerifiedStates?
  /// Tests only: false checks the invariants alone (so that a test can compare the two modes'
  /// invariant checks on states whose relations are broken).
  var checksRelations = true
  /// The footprint tables the incremental check finds its sites from; tests only change them
  /// (`FootprintTests` leaves one read out to see the check fail).
  var execConjuncts = ExecState.incrementalConjuncts
  var abstractConjuncts = AbstractState.incrementalConjuncts
  /// Tests only: false leaves out the spec layers' incremental checks that run whatever the
  /// tables (`cur_tcb`, a changed object's own `valid_objs`, the layout), so that a table of one
  /// conjunct gives that conjunct's verdict alone.
  var checksObjectInvariants = true
  /// What the relations and the kernel's invariants read (`Lockstep+Footprints.swift`); tests
  /// only change it (`CheckFootprintTests` leaves one read out to see the check fail).
  var checkFootprints = CheckFootprints.declared
  /// Steps the incremental mode checked in full (it could not decide from what changed).
  public internal(set) var fullChecks = 0
  /// The symbolic twin, run as a fourth layer on every step (`Lockstep+Twin.swift`); nil runs
  /// the three layers alone.
  public internal(set) var twin: TwinLayer?

  /// How the relations and invariants are checked after a step.
  public enum Mode: String, Sendable, Hashable, Codable {
    /// Only what the step touched, against results cached from earlier steps; the verdict is the
    /// full check's (`Lockstep+Incremental.swift` and docs/incremental-check.md say what that
    /// rests on).
    case incremental
    /// `checkFull`: lift, compare and check the invariants of the whole state every step.
    case full
  }

  /// The three layers' initial states for `plan`. A `kernel` given here is used as the kernel's
  /// initial state; its planted bug, if any (tests only), is planted in every layer: each installs
  /// the seams of its own bugs (its `PlantedBugs.swift`) and ignores the others'.
  public init(plan: SystemPlan, kernel: KernelState? = nil) {
    abstract = AbstractState(plan: plan)
    exec = ExecState(plan: plan)
    self.kernel = kernel ?? KernelState(plan: plan)
    abstract.plantedBug = kernel?.plantedBug
    exec.plantedBug = kernel?.plantedBug
    twin = TwinLayer(importing: abstract)
  }

  /// Tests only: plant `mutant` in the twin (the checker must then report a `twin` failure once
  /// a covered event reaches the slip).
  public mutating func plantInTwin(_ mutant: TwinMutant?) {
    twin = TwinLayer(importing: abstract, mutant: mutant)
  }

  /// Tests only: plant the invocation slip `mutant` in the twin.
  public mutating func plantInTwin(_ mutant: TwinEventMutant?) {
    twin = TwinLayer(importing: abstract, eventMutant: mutant)
  }

  /// Tests and `refine-check run --plant-slip` only: plant the CNode slip `slip` in AbstractSpec
  /// (the mirror of a `TwinEventMutant`; the checker must then report the layers' disagreement).
  public mutating func plantInAbstract(_ slip: AbstractSlip?) {
    abstract.plantedSlip = slip
  }

  /// Apply `event` to all three layers and check everything.
  public mutating func step(_ event: Event) -> (observation: Observation, failure: LockstepFailure?) {
    // The twin steps from the state before the event; it is compared (or resynced) after
    // AbstractSpec's step, before the logs it reads are cleared, and its failure is reported
    // only when the three layers' checks pass.
    let twinRun = twin?.run(event, in: abstract)
    let k = kernel.step(event)
    let e = exec.step(event)
    let (a, refused) = abstract.step(event, following: exec)
    steps += 1
    let twinFailure = stepTwin(twinRun, event)
    if let problem = refused.first {
      verified = nil
      return (
        k,
        LockstepFailure(
          step: steps, event: event, kind: .r2, layer: "AbstractSpec", name: "witness",
          explanation: "the executable spec made a choice the abstract spec does not allow: \(problem)", diff: nil)
      )
    }
    if k != e || e != a {
      let (left, right, pair) = k != e ? (k, e, "Kernel vs ExecutableSpec") : (e, a, "ExecutableSpec vs AbstractSpec")
      verified = nil
      return (
        k,
        LockstepFailure(
          step: steps, event: event, kind: .observation, layer: nil, name: "observations",
          explanation: "\(pair) observed different results", diff: diff(left, right))
      )
    }
    switch mode {
    case .incremental: return (k, checkIncremental(event: event) ?? twinFailure)
    case .full:
      // The incremental check's last verified states would be stale after a full-mode step.
      kernel.clearWriteLog()
      verified = nil
      return (k, checkFull(event: event) ?? twinFailure)
    }
  }

  /// Check the relations and invariants of the current states (`checkFull`).
  public func check(event: Event? = nil) -> LockstepFailure? { checkFull(event: event) }

  /// The full check: lift the whole kernel state and compare it with the executable spec's (R1),
  /// abstract the whole executable state and compare it with the abstract spec's (R2), and check
  /// every invariant of every layer on the whole state.
  public func checkFull(event: Event? = nil) -> LockstepFailure? {
    if checksRelations, let failure = relationFailure(event: event) { return failure }
    guard checksInvariants else { return nil }
    let layers: [(String, [InvariantViolation])] = [
      ("AbstractSpec", abstract.invariantViolations()),
      ("ExecutableSpec", exec.invariantViolations()),
      ("Kernel", kernel.invariantViolations()),
    ]
    for (layer, violations) in layers {
      if let v = violations.first {
        return LockstepFailure(
          step: steps, event: event, kind: .invariant, layer: layer,
          name: v.conjunct == v.invariant ? v.invariant : "\(v.invariant).\(v.conjunct)",
          explanation: v.explanation + (violations.count > 1 ? " (and \(violations.count - 1) more)" : ""), diff: nil)
      }
    }
    return nil
  }

  /// R1 and R2 on the whole states.
  func relationFailure(event: Event?) -> LockstepFailure? {
    let (lifted, problems) = kernel.lift()
    if let problem = problems.first {
      return LockstepFailure(
        step: steps, event: event, kind: .r1, layer: "Kernel", name: "lift", explanation: problem, diff: nil)
    }
    if lifted != exec {
      return LockstepFailure(
        step: steps, event: event, kind: .r1, layer: nil, name: "lift(kernel) == exec",
        explanation: "the kernel's memory does not decode to the executable spec's state",
        diff: diff(exec, lifted).map { "--- exec\n+++ lift(kernel)\n" + $0 })
    }
    let abstracted = exec.abstraction().withGhosts(of: abstract)
    if abstracted != abstract {
      return LockstepFailure(
        step: steps, event: event, kind: .r2, layer: nil, name: "abstraction(exec) == abstract",
        explanation: "the executable spec's state does not abstract to the abstract spec's",
        diff: diff(abstract, abstracted).map { "--- abstract\n+++ abstraction(exec)\n" + $0 })
    }
    return nil
  }
}

// MARK: - Resolving the abstract spec's choices from the executable spec

extension AbstractState {
  /// Step `event` with the abstract spec's nondeterminism resolved by the choices the executable
  /// spec recorded for the same event (`exec.choiceLog`, after its step); returns the observation
  /// and the recorded choices the abstract spec refused.
  public mutating func step(_ event: Event, following exec: ExecState) -> (Observation, refused: [String]) {
    var choices = AbstractChoices(following: exec.choiceLog)
    let observation = step(event, choices: &choices)
    return (observation, choices.refused)
  }
}

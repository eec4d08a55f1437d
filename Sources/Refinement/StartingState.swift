// One validation of a starting state, for every path that builds one (a capDL system, a scenario's
// inline system, a trace file's embedded plan, the exhaustive small system).
//
// A state the layers start from must be one the kernel can be in: first the plan's structure
// (`SystemPlan.structuralProblems()`: placement, slots, caps naming what they should, the
// derivation tree, threads), then, on a structurally sound plan, every layer's invariants and the
// relations R1/R2 at step 0 (`LockstepChecker.verify()`). Anything that fails is bad input, not a
// kernel violation: a failure at step 0 says nothing about the kernel's transitions.

public import KernelABI

/// Why a plan is not a state the layers can start from.
public struct StartingStateProblem: Hashable, Sendable, CustomStringConvertible {
  public enum Stage: String, Hashable, Sendable {
    /// The plan's structure (`SystemPlan.structuralProblems()`).
    case structure
    /// A layer's invariant at step 0.
    case invariant
    /// R1, R2 or the observations at step 0.
    case relation
  }

  public var stage: Stage
  /// The invariant or relation that fails ("plan" for structural problems).
  public var name: String
  /// The layer, for invariants.
  public var layer: String?
  public var message: String
  /// The objects the problem is about, most specific first (for a slot: its container).
  public var objects: [ObjectRef]
  /// The slot the problem is about, if one.
  public var slot: SlotRef?

  public var description: String {
    switch stage {
    case .structure: "the plan is invalid: \(message)"
    case .invariant: "invariant \(name)\(layer.map { " (\($0))" } ?? "") fails in the starting state: \(message)"
    case .relation: "\(name) fails in the starting state: \(message)"
    }
  }
}

/// Every reason `plan` is not a valid starting state; empty when it is one. Structural problems
/// come first and, when there are any, alone (the layers cannot be built from such a plan).
/// - Complexity: one full check of the initial state when the structure is sound.
public func validateStartingState(_ plan: SystemPlan) -> [StartingStateProblem] {
  let structural = plan.structuralProblems()
  guard structural.isEmpty else {
    return structural.map { problem in
      StartingStateProblem(
        stage: .structure, name: "plan", layer: nil, message: problem.message,
        objects: problem.object.map { [$0] } ?? [], slot: problem.slot)
    }
  }
  var checker = LockstepChecker(plan: plan)
  guard let failure = checker.verify() else { return [] }
  let text = failure.explanation + "\n" + (failure.diff ?? "")
  let known = Set(plan.objects.map(\.address))
  let mentioned = hexNumbers(in: text).filter { known.contains($0) }
  var unique: [ObjectRef] = []
  for address in mentioned where !unique.contains(address) { unique.append(address) }
  return [
    StartingStateProblem(
      stage: failure.kind == .invariant ? .invariant : .relation, name: failure.name, layer: failure.layer,
      message: failure.explanation, objects: unique, slot: nil)
  ]
}

/// The `0x…` numbers in `text`, in order (addresses an explanation names).
func hexNumbers(in text: String) -> [UInt64] {
  var result: [UInt64] = []
  var scalars = text.unicodeScalars[...]
  while let start = scalars.firstRange(of: "0x".unicodeScalars) {
    scalars = scalars[start.upperBound...]
    let digits = scalars.prefix { $0.properties.isASCIIHexDigit }
    if !digits.isEmpty, digits.count <= 16, let value = UInt64(String(String.UnicodeScalarView(digits)), radix: 16) {
      result.append(value)
    }
    scalars = scalars.dropFirst(digits.count)
  }
  return result
}

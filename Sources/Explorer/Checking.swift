// Checking commands: every relation and invariant at the current step (`check`), why one of them
// fails (`why`), and what differs (`diff`). Each is checked on its own here, not stopping at the
// first failure as the lockstep checker does, so that `check` can say held or FAILED for all.

import AbstractSpec
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import Refinement

/// The invariants each layer checks, from the layers' catalogues (read from their invariant
/// tables, in the order the checks run), in the order `check` lists them.
enum InvariantCatalogue {
  static func definitions(_ layer: Layer) -> [InvariantDefinition] {
    switch layer {
    case .abstract: AbstractState.invariantCatalogue
    case .exec: ExecState.invariantCatalogue
    case .kernel: KernelState.invariantCatalogue
    }
  }

  /// Every name `why` knows: relations, invariants and conjuncts.
  static var allNames: [String] {
    let invariants = Layer.allCases.flatMap { definitions($0).flatMap { [$0.name] + $0.conjuncts } }
    return Array(Set(invariants + ["R1", "R2", "observations", "lift", "witness"])).sorted()
  }
}

/// The relations and invariants at one step, each checked on its own.
struct StepChecks {
  /// R1: nil when `lift(kernel) == exec`; else the lift's problems or the differences.
  var r1Problems: [String]
  var r1Differences: [Difference]
  var r2Differences: [Difference]
  var violations: [Layer: [InvariantViolation]]

  var r1Held: Bool { r1Problems.isEmpty && r1Differences.isEmpty }
  var r2Held: Bool { r2Differences.isEmpty }

  init(_ checker: LockstepChecker, naming: Naming) {
    let differ = Differ(naming: naming)
    let (lifted, problems) = checker.kernel.lift()
    r1Problems = problems
    r1Differences = lifted == checker.exec ? [] : differ.differences(checker.exec, lifted)
    let abstracted = checker.exec.abstraction().withGhosts(of: checker.abstract)
    r2Differences = abstracted == checker.abstract ? [] : differ.differences(checker.abstract, abstracted)
    violations = [
      .abstract: checker.abstract.invariantViolations(),
      .exec: checker.exec.invariantViolations(),
      .kernel: checker.kernel.invariantViolations(),
    ]
  }
}

extension Session {
  func checkLines() -> [String] {
    let checks = StepChecks(checker, naming: naming)
    let record = timeline.records[cursor]
    var rows: [(String, Bool?)] = []
    if cursor == 0 {
      rows.append(("observations (no event at step 0)", nil))
    } else {
      let observationFailed = record.failure?.kind == .observation
      rows.append(("observations of the three layers agree", !observationFailed))
      if record.failure?.name == "witness" {
        rows.append(("abstract spec allows the exec spec's choice (witness)", false))
      }
    }
    rows.append(("R1 lift(kernel) == exec", checks.r1Held))
    rows.append(("R2 abstraction(exec) == abstract", checks.r2Held))
    for layer in Layer.allCases {
      let found = checks.violations[layer] ?? []
      var names = InvariantCatalogue.definitions(layer).map(\.name)
      for v in found where !names.contains(v.invariant) { names.append(v.invariant) }
      for name in names {
        let broken = found.filter { $0.invariant == name }
        var label = "\(layer.rawValue.padded(8)) \(name)"
        if !broken.isEmpty {
          let conjuncts = Set(broken.map(\.conjunct)).sorted().filter { $0 != name }
          label += conjuncts.isEmpty ? "" : " (\(conjuncts.joined(separator: ", ")))"
        }
        rows.append((label, broken.isEmpty))
      }
    }
    let width = rows.map(\.0.count).max() ?? 0
    var lines = ["step \(cursor): every relation and invariant, each checked on its own"]
    for (label, held) in rows {
      lines.append("  " + label.padded(width + 2) + (held.map { style.verdict($0) } ?? style.dim("n/a")))
    }
    let failed = rows.filter { $0.1 == false }.count
    lines.append(failed == 0 ? "all held" : "\(failed) FAILED: why NAME says why, diff shows what differs")
    return lines
  }

  /// `why NAME`.
  func whyLines(_ raw: String) -> [String] {
    let name = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`\""))
    let key = name.lowercased()
    let record = timeline.records[cursor]
    if ["r1", "lift", "lift(kernel) == exec"].contains(key) {
      let checks = StepChecks(checker, naming: naming)
      if checks.r1Held { return ["R1 lift(kernel) == exec holds at step \(cursor)"] }
      if let p = checks.r1Problems.first {
        return ["R1 fails at step \(cursor): the kernel's memory does not decode: " + naming.annotate(p)]
          + checks.r1Problems.dropFirst().prefix(5).map { "  also: " + naming.annotate($0) }
      }
      return relationWhy("R1 lift(kernel) == exec", "exec", "lift(kernel)", checks.r1Differences)
    }
    if ["r2", "abstraction", "abstraction(exec) == abstract"].contains(key) {
      let checks = StepChecks(checker, naming: naming)
      if checks.r2Held { return ["R2 abstraction(exec) == abstract holds at step \(cursor)"] }
      return relationWhy("R2 abstraction(exec) == abstract", "abstract", "abstraction(exec)", checks.r2Differences)
    }
    if ["observations", "observation", "witness"].contains(key) {
      guard cursor > 0 else { return ["step 0 has no event, so nothing was observed"] }
      if let f = record.failure, f.kind == .observation || f.name == "witness" {
        var lines = ["\(f.name) fails at step \(cursor): \(naming.annotate(f.explanation))"]
        if let diff = f.diff { lines += diff.split(separator: "\n").map { "  " + naming.annotate(String($0)) } }
        return lines
      }
      return [
        "the three layers observed the same result at step \(cursor): \(record.observation.map { naming.observation($0) } ?? "")"
      ]
    }
    // An invariant or a conjunct, on every layer that has it ("valid_mdb" also finds "valid_mdb'").
    func base(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "'", with: "") }
    let wanted = base(name)
    let known = Set(InvariantCatalogue.allNames.map(base))
    var lines: [String] = []
    var matchedName = known.contains(wanted)
    for layer in Layer.allCases {
      let found =
        (layer == .abstract
          ? checker.abstract.invariantViolations()
          : layer == .exec ? checker.exec.invariantViolations() : checker.kernel.invariantViolations())
      for v in found
      where base(v.invariant) == wanted || base(v.conjunct) == wanted || base("\(v.invariant).\(v.conjunct)") == wanted
      {
        matchedName = true
        let title = v.conjunct == v.invariant ? v.invariant : "\(v.invariant), conjunct \(v.conjunct)"
        lines.append(style.red("\(layer.rawValue) \(title)") + " fails: " + naming.annotate(v.explanation))
      }
    }
    if !lines.isEmpty { return ["at step \(cursor):"] + lines }
    if matchedName {
      var lines = ["\(name) holds at step \(cursor) on every layer that checks it"]
      for layer in Layer.allCases {
        for d in InvariantCatalogue.definitions(layer)
        where base(d.name) == wanted || d.conjuncts.map(base).contains(wanted) {
          lines.append("  \(layer.rawValue) \(d.name): \(d.summary)")
        }
      }
      return lines
    }
    var hint = "no relation or invariant named '\(name)'"
    if let guess = closest(to: name, in: InvariantCatalogue.allNames) { hint += "; did you mean '\(guess)'?" }
    return [hint + " (check lists them)"]
  }

  func relationWhy(_ title: String, _ left: String, _ right: String, _ differences: [Difference]) -> [String] {
    guard let first = differences.first else { return ["\(title) holds at step \(cursor)"] }
    var lines = [
      style.red("\(title) fails") + " at step \(cursor): the first differing field is " + style.bold(first.path),
      "  \(left.padded(max(left.count, right.count))): \(first.left)",
      "  \(right.padded(max(left.count, right.count))): \(first.right)",
    ]
    if differences.count > 1 {
      lines.append(
        "  (\(differences.count - 1)\(differences.count >= 60 ? "+" : "") more differing field\(differences.count == 2 ? "" : "s"): diff lists them)"
      )
    }
    return lines
  }

  /// `diff`: the failing relation's two sides, else this step against the previous one.
  mutating func diffLines() -> [String] {
    let checks = StepChecks(checker, naming: naming)
    func listing(_ d: [Difference], _ left: String, _ right: String) -> [String] {
      d.flatMap {
        [
          "  " + style.bold($0.path), "    " + style.red("- \(left): \($0.left)"),
          "    " + style.green("+ \(right): \($0.right)"),
        ]
      }
    }
    if !checks.r1Held && checks.r1Differences.isEmpty {
      return ["R1 fails at step \(cursor) before any comparison: the kernel's memory does not decode"]
        + checks.r1Problems.prefix(10).map { "  " + naming.annotate($0) }
    }
    if !checks.r1Held {
      return [
        "R1 lift(kernel) == exec at step \(cursor): \(checks.r1Differences.count) differing field(s), - exec, + lift(kernel)"
      ]
        + listing(checks.r1Differences, "exec", "lift(kernel)")
    }
    if !checks.r2Held {
      return [
        "R2 abstraction(exec) == abstract at step \(cursor): \(checks.r2Differences.count) differing field(s), - abstract, + abstraction(exec)"
      ]
        + listing(checks.r2Differences, "abstract", "abstraction(exec)")
    }
    if let f = timeline.records[cursor].failure, f.kind == .observation, let text = f.diff {
      return ["the observations differ at step \(cursor): \(f.explanation)"]
        + text.split(separator: "\n").map { "  " + naming.annotate(String($0)) }
    }
    guard cursor > 0 else {
      return ["step 0 is the initial state: nothing before it to compare with, and R1 and R2 hold"]
    }
    let before = timeline.checker(at: cursor - 1)
    let differ = Differ(naming: naming)
    let d: [Difference]
    switch layer {
    case .abstract: d = differ.differences(before.abstract, checker.abstract)
    case .exec: d = differ.differences(before.exec, checker.exec)
    case .kernel: d = differ.differences(before.kernel.lift().state, checker.kernel.lift().state)
    }
    var lines = [
      "step \(cursor - 1) -> \(cursor) on the \(layer.rawValue) layer\(layer == .kernel ? " (decoded from memory)" : ""): \(d.isEmpty ? "no change" : "\(d.count)\(d.count >= 60 ? "+" : "") changed field(s)")"
    ]
    lines += listing(d, "step \(cursor - 1)", "step \(cursor)")
    if layer == .kernel {
      var changed = 0
      var address = checker.kernel.memoryBase
      let end = address &+ (checker.kernel.memorySizeBits >= 30 ? 1 << 30 : 1 << checker.kernel.memorySizeBits)
      while address < end, let now = checker.kernel.load(address) {
        if before.kernel.load(address) != now { changed += 1 }
        address &+= 8
      }
      lines.append("  \(changed) memory word(s) changed")
    }
    return lines
  }
}

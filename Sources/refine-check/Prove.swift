// `refine-check prove`: discharge the proof obligations and gate on the `proofs/` record.

import ArgumentParser
import Foundation
import Refinement
import SMT
import SymbolicSpec

struct Prove: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Discharge every proof obligation with Z3 (cached by hash) and compare with proofs/.",
    discussion: """
      Exit 1 when an obligation is refuted, unknown, vacuous or fails to build; with --check also \
      when one is unrecorded, recorded but gone, or changed since it was recorded; 64 for a usage \
      error (a bad --shape among them).

      --shape CNODESxSLOTS builds the symbolic twin's obligations (abstract.*) for another bounded \
      shape: CNODES CNodes (1 to \(AbstractShape.maxCNodes)) of SLOTS slots each (\(AbstractShape.slotCounts.map(String.init).joined(separator: ", ")): \
      a CNode has 2^radix slots, radix at least 1), at most \(AbstractShape.maxSlots) slots in all; \
      the default, \(AbstractShape.default.argument), is what `refine-check` proves and proofs/ \
      records. Another shape runs only the abstract.* obligations and proves and reports them \
      without comparing them with proofs/ or writing it (it excludes --check, --update and --counterexamples); \
      their statements and SMT-LIB2 bound lines name the shape. Example: \
      refine-check prove --shape 1x2 --only abstract.copy.
      """)

  @OptionGroup var location: ProofLocation

  @Flag(help: "Fail unless every obligation is proved and agrees with the record.")
  var check = false

  @Flag(help: "Rewrite proofs/obligations.json and proofs/smt2/ from this run.")
  var update = false

  @Option(parsing: .unconditional, help: "Worker threads (default: one per core).")
  var jobs: Int?

  @Option(help: "Only obligations whose name contains this text.")
  var only: String?

  @Flag(help: "Print a JSON report.")
  var json = false

  @Flag(name: .shortAndLong, help: "List every obligation.")
  var verbose = false

  @Option(
    help: """
      For each refuted abstract event obligation, print the decoded pre-state and event and the \
      smallest failing clause, and write a scenario that replays it into this folder \
      (docs/abstract-proofs.md).
      """)
  var counterexamples: String?

  @Option(
    help: """
      Build the abstract event obligations with this slip planted in the symbolic twin (tests of \
      the checker: \(TwinEventMutant.allCases.map(\.rawValue).joined(separator: ", "))); excludes \
      --check and --update.
      """)
  var plantSlip: String?

  @Option(
    help: ArgumentHelp(
      "The bounded shape of the abstract.* obligations: CNODESxSLOTS (default \(AbstractShape.default.argument)); another shape is proved without the record (see above).",
      valueName: "CNODESxSLOTS"))
  var shape: String?

  /// The shape `--shape` names (the default when none is given); `validate()` has refused a bad one.
  var abstractShape: AbstractShape { (try? shape.map { try AbstractShape(parsing: $0) }) ?? .default }

  func validate() throws {
    if let shape {
      let parsed: AbstractShape
      do throws(AbstractShape.ParseError) {
        parsed = try AbstractShape(parsing: shape)
      } catch {
        throw ValidationError(error.description)
      }
      if parsed != .default && (check || update || counterexamples != nil) {
        throw ValidationError(
          "--shape \(shape): only the default shape (\(AbstractShape.default.argument)) is recorded in proofs/ and written as scenarios; drop --check, --update and --counterexamples"
        )
      }
    }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let plantSlip {
      guard TwinEventMutant(rawValue: plantSlip) != nil else { throw ValidationError("unknown slip \(plantSlip)") }
      if check || update { throw ValidationError("--plant-slip excludes --check and --update") }
    }
    if check && update {
      throw ValidationError("--check and --update exclude each other: check the record, or rewrite it")
    }
  }

  func run() throws {
    let mutant = plantSlip.flatMap(TwinEventMutant.init(rawValue:))
    let shape = abstractShape
    let recorded = shape == .default
    let obligations = Self.obligations(planting: mutant, shape: shape)
    if !recorded {
      standardError(
        "\(shape): the symbolic twin's \(obligations.count) obligations, proved and reported, not compared with proofs/ (which records \(AbstractShape.default))"
      )
    }
    let report = try location.run(
      obligations, check: check, update: update, jobs: jobs, filter: only, progress: !json,
      compareWithRecord: recorded)
    if json {
      printJSON(report)
    } else {
      printSummary(report, verbose: verbose)
      if !recorded { print("  shape     \(shape), not recorded (proofs/ records \(AbstractShape.default))") }
    }
    if let counterexamples {
      try writeCounterexamples(report, obligations, mutant: mutant, to: URL(fileURLWithPath: counterexamples))
    }
    let failed = report.proved != report.total || (check && !report.problems.isEmpty)
    if failed { throw ExitCode(1) }
  }
}

extension Prove {
  /// The catalogue, with the abstract event obligations built with `mutant` planted in the twin;
  /// for another shape than the default, only the twin's obligations (those with a shape), built
  /// for `shape` (the others do not depend on it, and the default run proves them).
  static func obligations(planting mutant: TwinEventMutant?, shape: AbstractShape = .default) -> [Obligation] {
    let catalogue =
      shape == .default ? Obligation.catalogue : Obligation.catalogue(shape: shape).filter { $0.shape != nil }
    guard let mutant else { return catalogue }
    let planted = Dictionary(
      (Obligation.abstractEvents(shape: shape, eventMutant: mutant)
        + Obligation.abstractAuthority(shape: shape, eventMutant: mutant)).map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    return catalogue.map { planted[$0.name] ?? $0 }
  }

  /// For each refuted event obligation: its decoded counterexample printed (to standard error with
  /// `--json`, which keeps standard output for the report), then the obligation asked again within
  /// the states capDL builds (`Obligation.constructible`) and that model written as
  /// `DIR/<name>.scenario`. A folder or file that cannot be written exits 65.
  func writeCounterexamples(
    _ report: ProofReport, _ obligations: [Obligation], mutant: TwinEventMutant?, to folder: URL
  )
    throws
  {
    let say: (String) -> Void = json ? { standardError($0) } : { print($0) }
    let byName = Dictionary(obligations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let discharger = Discharger(limits: SolverLimits(wallClockSeconds: location.timeout), jobs: 1)
    for entry in report.obligations where entry.status == .refuted {
      let values = Dictionary((entry.counterexample ?? []).map { ($0.name, $0.value) }) { first, _ in first }
      guard let raw = AbstractCounterexample(obligation: entry.name, values: values),
        let obligation = byName[entry.name]
      else { continue }
      say(raw.report(planting: mutant))
      let again = discharger.discharge(Obligation.constructible(obligation))
      let constructibleValues = Dictionary((again.counterexample ?? []).map { ($0.name, $0.value) }) { first, _ in
        first
      }
      guard again.status == .refuted,
        let counterexample = AbstractCounterexample(obligation: entry.name, values: constructibleValues),
        let script = counterexample.scenario(planting: mutant, first: raw)
      else {
        say(
          "  no counterexample among the states the scenario's capDL builds (\(again.status.rawValue)): no scenario written"
        )
        continue
      }
      let file = folder.appendingPathComponent(entry.name + ".scenario")
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try script.write(to: file, atomically: true, encoding: .utf8)
      } catch {
        standardError("refine-check: error: cannot write the scenario \(file.path): \(error.localizedDescription)")
        throw ExitCode(65)
      }
      if counterexample.slots != raw.slots || counterexample.registers != raw.registers
        || counterexample.invoked != raw.invoked || counterexample.extraCapSlots != raw.extraCapSlots
      {
        say("  the scenario replays another counterexample, one a capDL system builds:")
        say(counterexample.report(planting: mutant).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
      }
      say("  scenario: \(file.path)")
    }
  }
}

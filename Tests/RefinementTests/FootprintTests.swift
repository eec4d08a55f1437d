// The declared footprints of the incremental check, and a test of them that can fail.
//
// Each spec layer's incremental check runs a conjunct only at the sites whose reads changed
// (`incrementalConjuncts`, KernelABI `FootprintRead`). `IncrementalCheckTests` shows that the
// incremental verdict equals the full check's on random and corrupted states with the tables as
// declared. Here a read is left out of its conjunct's declaration, and the same kind of comparison
// (the invariants alone, on corrupted states) must find a state where the incremental check then
// passes what the full check catches.
//
// This is shown for the reads in `shownNecessary`. For the others, leaving the read out is masked
// on the whole-state verdict: the corruptions that need the read also break another conjunct whose
// sites still include them (a cap copied into the wrong list breaks `mdb_chunked` and
// `untyped_mdb'` at once). Showing those takes a comparison per conjunct and per site, not per
// verdict; docs/incremental-check.md lists it as still to do.

import AbstractSpec
import KernelABI
import Testing

@testable import ExecutableSpec
@testable import Refinement

@Suite struct FootprintTests {
  /// The (conjunct, read) pairs, named `layer/conjunct/read`, that the whole-state comparison shows
  /// to be needed.
  static let shownNecessary: [String] = [
    "ExecutableSpec/mdb_chunked/cap", "ExecutableSpec/ut_revocable'/flags", "ExecutableSpec/valid_dlist/links",
    "ExecutableSpec/valid_dlist/neighbours", "ExecutableSpec/valid_nullcaps/cap", "ExecutableSpec/valid_nullcaps/flags",
    "AbstractSpec/descendants_inc/cap", "AbstractSpec/descendants_inc/links", "AbstractSpec/descendants_inc/neighbours",
    "AbstractSpec/if_unsafe_then_cap/cap", "AbstractSpec/irq_revocable/flags", "AbstractSpec/mdb_cte_at/links",
    "AbstractSpec/no_mloop/links", "AbstractSpec/untyped_inc/cap", "AbstractSpec/untyped_mdb/cap",
    "AbstractSpec/ut_revocable/flags", "AbstractSpec/valid_ioc/cap", "AbstractSpec/valid_ioc/flags",
  ]

  /// Every (conjunct, read) of both tables, named `layer/conjunct/read`.
  static let declared: [String] = {
    var names: [String] = []
    for conjunct in ExecState.incrementalConjuncts {
      for read in conjunct.reads.sorted(by: { $0.rawValue < $1.rawValue }) {
        names.append("ExecutableSpec/\(conjunct.conjunct)/\(read.rawValue)")
      }
    }
    for conjunct in AbstractState.incrementalConjuncts {
      for read in conjunct.reads.sorted(by: { $0.rawValue < $1.rawValue }) {
        names.append("AbstractSpec/\(conjunct.conjunct)/\(read.rawValue)")
      }
    }
    return names
  }()

  /// `table` with `read` left out of `conjunct`'s declaration.
  static func without(_ table: [FootprintConjunct], _ conjunct: String, _ read: FootprintRead) -> [FootprintConjunct] {
    table.map { entry in
      var entry = entry
      if entry.conjunct == conjunct { entry.reads.remove(read) }
      return entry
    }
  }

  /// The names above are reads the tables declare.
  @Test func theNamedReadsAreDeclared() {
    for name in FootprintTests.shownNecessary { #expect(FootprintTests.declared.contains(name), "\(name)") }
    #expect(FootprintTests.declared.count == 55)
  }

  @Test(arguments: shownNecessary)
  func aReadLeftOutIsCaught(_ name: String) throws {
    let parts = name.split(separator: "/").map(String.init)
    let (layer, conjunct) = (parts[0], parts[1])
    let read = try #require(FootprintRead(rawValue: parts[2]))
    var found = false
    var rng = SplitMix64(seed: 0xF00D)
    for trial in UInt64(0)..<400 where !found {
      var checker = LockstepChecker(plan: trial % 2 == 0 ? .sample : .small)
      checker.checksRelations = false
      if layer == "ExecutableSpec" {
        checker.execConjuncts = FootprintTests.without(ExecState.incrementalConjuncts, conjunct, read)
      } else {
        checker.abstractConjuncts = FootprintTests.without(AbstractState.incrementalConjuncts, conjunct, read)
      }
      _ = checker.verify()
      var generator = EventGenerator(seed: 0xF0_0000 &+ trial)
      let corruptAt = Int(rng.next() % 40)
      for n in 0..<120 {
        guard checker.abstract.currentThread != nil else { break }
        let event = generator.next(for: checker.abstract).1
        guard checker.step(event).failure == nil else { break }
        guard n == corruptAt else { continue }
        FootprintCorruption.corrupt(&checker, layer: layer, &rng)
        var incremental = checker
        let a = incremental.checkIncremental(event: event)
        let b = checker.checkFull(event: event)
        if a != b { found = true }
        break
      }
    }
    #expect(found, "leaving \(read) out of \(conjunct) (\(layer)) changed no verdict")
  }
}

/// Corruptions of one spec layer, through its write paths, of every kind a footprint read covers:
/// caps (copied from another slot, or naming no object), MDB links and flags, tree edges and
/// original flags, and removed objects.
enum FootprintCorruption {
  static func corrupt(_ checker: inout LockstepChecker, layer: String, _ rng: inout SplitMix64) {
    let slots = checker.exec.allSlots
    let occupied = checker.exec.occupiedSlots
    guard !slots.isEmpty, !occupied.isEmpty else { return }
    func pick(_ from: [SlotRef]) -> SlotRef { from[Int(rng.next() % UInt64(from.count))] }
    let slot = rng.next() % 3 == 0 ? pick(slots) : pick(occupied)
    let other = rng.next() % 2 == 0 ? pick(slots) : pick(occupied)
    if layer == "ExecutableSpec" {
      guard var entry = checker.exec.cte(at: slot) else { return }
      switch rng.next() % 8 {
      case 0: entry.cap = checker.exec.getCap(other)
      case 1: entry.mdb.next = rng.next() % 4 == 0 ? nil : other
      case 2: entry.mdb.prev = rng.next() % 4 == 0 ? nil : other
      case 3: entry.mdb.revocable.toggle()
      case 4: entry.mdb.firstBadged.toggle()
      case 5: entry.cap = .null
      case 6:
        // Remove an object some cap names.
        guard let named = checker.exec.getCap(slot).objectRef, named != checker.exec.ksCurThread else { return }
        checker.exec.ksPSpace[named] = nil
        return
      default:
        // Copy the cap and node of another slot (a second list head, or a cap in the wrong list).
        entry = checker.exec.cte(at: other) ?? entry
      }
      checker.exec.setCTE(slot, entry)
    } else {
      switch rng.next() % 6 {
      case 0: checker.abstract.setCap(slot, checker.abstract.getCap(other))
      case 1: checker.abstract.cdt[slot] = rng.next() % 4 == 0 ? nil : other
      case 2:
        if checker.abstract.isOriginalCap.contains(slot) {
          checker.abstract.isOriginalCap.remove(slot)
        } else {
          checker.abstract.isOriginalCap.insert(slot)
        }
      case 3: checker.abstract.setCap(slot, .null)
      case 4:
        guard let named = checker.abstract.getCap(slot).objectRef, named != checker.abstract.currentThread else {
          return
        }
        checker.abstract.kheap[named] = nil
      default:
        // Re-parent a whole subtree: the slot's parent moves to another slot.
        guard let parent = checker.abstract.cdt[slot] else { return }
        checker.abstract.cdt[parent] = other
      }
    }
  }
}

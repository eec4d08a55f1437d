// The declared footprints of the relations and the kernel's invariants (`CheckFootprints`), and a
// test of them that can fail.
//
// The incremental check re-runs R1, R2, `cdt_relation` and the kernel's invariants only where the
// changes their footprints read happened (`Lockstep+Footprints.swift`). Here each check is judged
// alone: the incremental check with that check's footprint and every other check reading nothing
// (the relations with the invariants off; the kernel's invariants with the relations off and the
// spec layers' tables empty), against the full check's verdict on what that check covers. On
// seeded random traces, states are corrupted through each layer's write paths
// (`StepCorruption`), and on each corrupted state (one corruption per state; several in one step
// are `IncrementalCheckTests`' part):
// - with the footprint as declared, a check that the incremental check passes also passes the
//   full check (`soundPerCheck`);
// - for each declared read, a witness is sought: a state where the full check finds the check
//   broken, the declared footprint catches it, and the footprint without that read does not
//   (`everyDeclaredReadIsNecessary`). A read with no witness fails the test, so declaring a read
//   the check does not need shows here, and leaving out one it needs shows in `soundPerCheck`.
// "Alone" is as alone as the checker allows: some checks run whatever the footprints (the
// layers must add and remove the same objects and agree on the current thread, `cur_tcb'`, and a
// step whose derived parents or changed slots cannot be worked out goes to the full check). They
// only make the incremental check more cautious, so they cannot hide an unsound footprint, but
// no witness can come from them.

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@testable import ExecutableSpec
@testable import Kernel
@testable import Refinement

@Suite struct CheckFootprintTests {
  /// Every (check, read) declared, named `check/read`.
  static let declared: [String] = {
    var names: [String] = []
    for check in StepCheck.allCases {
      for read in (CheckFootprints.declared.reads[check] ?? []).sorted() {
        names.append("\(check.rawValue)/\(read.rawValue)")
      }
    }
    return names
  }()

  /// The full check's verdict on what `check` covers.
  static func fullHolds(_ checker: LockstepChecker, _ check: StepCheck) -> Bool {
    let layout: Set<String> = ["pspace_aligned'", "pspace_distinct'", "pspace_in_kernel_mappings'"]
    switch check {
    case .lift:
      // The objects alone: a malformed ready queue is R1 of the globals.
      let (space, problems) = checker.kernel.liftObjects()
      return problems.isEmpty && LoggedDictionary(space) == checker.exec.ksPSpace
    case .liftGlobals:
      // Every global, and every ready queue walked from every head word.
      var lifted = checker.exec
      var problems: [String] = []
      checker.kernel.liftGlobals(into: &lifted, problems: &problems)
      return problems.isEmpty && lifted.sameSchedulerGlobals(as: checker.exec)
    case .abstraction:
      let abstracted = checker.exec.abstraction().withGhosts(of: checker.abstract)
      return abstracted.kheap == checker.abstract.kheap && abstracted.isOriginalCap == checker.abstract.isOriginalCap
    case .cdtRelation:
      return checker.exec.derivationTree() == Dictionary(uniqueKeysWithValues: checker.abstract.cdt.map { ($0, $1) })
    case .kernelCTE:
      return checker.kernel.invariantViolations().allSatisfy {
        layout.contains($0.invariant) || $0.invariant == "cur_tcb'"
      }
    case .kernelLayout:
      return checker.kernel.invariantViolations().allSatisfy { !layout.contains($0.invariant) }
    }
  }

  /// The incremental check of `check` alone with `footprints` (of which only `check`'s entry is
  /// read): true when it passes, false when it finds the check broken or the step is not one it
  /// decides.
  static func incrementalHolds(_ checker: LockstepChecker, _ check: StepCheck, _ footprints: CheckFootprints) -> Bool {
    var checker = checker
    checker.checkFootprints = footprints.only(check)
    switch check {
    case .lift, .liftGlobals, .abstraction, .cdtRelation:
      checker.checksInvariants = false
    case .kernelCTE, .kernelLayout:
      checker.checksRelations = false
      checker.execConjuncts = []
      checker.abstractConjuncts = []
      checker.checksObjectInvariants = false
    }
    guard var last = checker.verified else { return false }
    return checker.incrementalCheckHolds(&last)
  }

  /// Whether the incremental check of `check` rests on an invariant the corrupted state breaks,
  /// which the whole-state verdict then reports: `cdt_relation` derives a slot's parent from its
  /// `prev` where the full check walks `next` from the list heads, which agree only while the
  /// executable spec's lists are doubly linked lists of caps (`valid_dlist`, `no_0`,
  /// `valid_nullcaps`).
  static func assumesHeld(_ checker: LockstepChecker, _ check: StepCheck) -> Bool {
    guard check == .cdtRelation else { return false }
    let lists: Set<String> = ["valid_dlist", "no_0", "valid_nullcaps"]
    return checker.exec.invariantViolations().contains { lists.contains($0.conjunct) }
  }

  /// What the search over corrupted states found.
  struct Findings: Sendable {
    /// For each read shown necessary, the trial that showed it.
    var witnesses: [String: String] = [:]
    /// Checks the incremental check passed and the full check did not.
    var mismatches: [String] = []
    /// Corrupted states examined, and the (state, check) pairs the full check finds broken.
    var states = 0
    var broken = 0
  }

  /// Compare, on one corrupted state, each check's incremental verdict with the full check's, and
  /// look for witnesses of reads not yet shown.
  static func examine(_ checker: LockstepChecker, _ label: String, _ findings: inout Findings) {
    findings.states += 1
    for check in StepCheck.allCases {
      let full = fullHolds(checker, check)
      let declared = CheckFootprints.declared
      let incremental = incrementalHolds(checker, check, declared)
      if incremental && !full && !assumesHeld(checker, check) {
        findings.mismatches.append(
          "\(label): \(check.rawValue) holds incrementally, not in full; the executable spec's invariants: "
            + "\(checker.exec.invariantViolations().map { "\($0.conjunct): \($0.explanation)" })")
      }
      guard !full else { continue }
      findings.broken += 1
      guard !incremental else { continue }
      for read in declared.reads[check] ?? [] {
        let key = "\(check.rawValue)/\(read.rawValue)"
        if findings.witnesses[key] == nil && incrementalHolds(checker, check, declared.without(check, read)) {
          findings.witnesses[key] = label
        }
      }
    }
  }

  /// The search: seeded traces on the sample with only its main thread, the small system and the
  /// sample itself (three threads: its ready queues are not empty), each corrupted in every way at a few points (every
  /// corruption of a copy of the state reached).
  static let findings: Findings = {
    var findings = Findings()
    var rng = SplitMix64(seed: 0x5EED_F00D)
    for trial in UInt64(0)..<30 {
      var checker = LockstepChecker(plan: trial >= 24 ? .sample : trial % 2 == 0 ? .oneThread : .small)
      _ = checker.verify()
      var generator = EventGenerator(seed: 0x5F_0000 &+ trial)
      let stops = Set((0..<4).map { _ in Int(rng.next() % 50) })
      for n in 0..<50 {
        guard !checker.abstract.isIdle(checker.abstract.currentThread) else { break }
        let event = generator.next(for: checker.abstract).1
        guard checker.step(event).failure == nil else { break }
        guard stops.contains(n), checker.verified != nil else { continue }
        for kind in StepCorruption.allCases {
          for attempt in 0..<2 {
            var corrupted = checker
            guard StepCorruption.corrupt(&corrupted, kind, &rng) else { continue }
            examine(corrupted, "trial \(trial) step \(n) \(kind) attempt \(attempt)", &findings)
          }
        }
      }
    }
    return findings
  }()

  @Test func theTableDeclaresWhatTheCountsSay() {
    #expect(CheckFootprintTests.declared.count == 23)
    // The masks the checker reads agree with the sets, through `without` and `only` too.
    let declared = CheckFootprints.declared
    for check in StepCheck.allCases {
      for read in StepRead.allCases {
        let listed = declared.reads[check]?.contains(read) ?? false
        #expect(declared.reads(check, read) == listed)
        #expect(!declared.without(check, read).reads(check, read))
        #expect(declared.only(check).reads(check, read) == listed)
        for other in StepCheck.allCases where other != check {
          #expect(!declared.only(other).reads(check, read))
        }
      }
    }
    #expect(Set(StepRead.allCases.map(\.bit)).count == StepRead.allCases.count)
    #expect(StepCheck.allCases.enumerated().allSatisfy { $0.offset == $0.element.position })
  }

  /// A check the declared footprint passes incrementally passes the full check.
  @Test func soundPerCheck() {
    let findings = CheckFootprintTests.findings
    #expect(
      findings.states >= 1_000 && findings.broken >= 1_000, "\(findings.states) states, \(findings.broken) broken")
    #expect(findings.mismatches.isEmpty, "\(findings.mismatches.count) mismatches: \(findings.mismatches.prefix(12))")
  }

  /// Zeroing a whole CNode in the kernel drops its pages, so none of its CTEs is backed; the
  /// kernel's check still reads the CTEs that held caps, and so finds their neighbours in other
  /// objects linked to nothing.
  @Test func aCNodeZeroedWholeIsCaughtByTheKernelsCheck() throws {
    var checker = LockstepChecker(plan: .sample)
    #expect(checker.verify() == nil)
    let kernel = checker.kernel
    // The largest CNode (whole pages), with a cap linked to a slot of another object.
    let cnodes = kernel.objects.filter { if case .cnode = $0.value { true } else { false } }
    let root = try #require(cnodes.max { $0.value.sizeBits < $1.value.sizeBits }).key
    let linkedOut = checker.exec.occupiedSlots.contains { slot in
      guard slot.container == root, let entry = checker.exec.cte(at: slot) else { return false }
      return [entry.mdb.prev, entry.mdb.next].contains { $0 != nil && $0?.container != root }
    }
    try #require(linkedOut, "no cap of the root CNode is linked outside it")
    let bits = try #require(kernel.objects[root]).sizeBits
    checker.kernel.memory.zero(root, bits: bits)
    #expect(checker.kernel.backedCTEs(of: root).isEmpty)
    #expect(!CheckFootprintTests.fullHolds(checker, .kernelCTE))
    #expect(!CheckFootprintTests.incrementalHolds(checker, .kernelCTE, .declared))
  }

  @Test(arguments: declared)
  func everyDeclaredReadIsNecessary(_ name: String) {
    #expect(CheckFootprintTests.findings.witnesses[name] != nil, "no state shows \(name) needed")
  }
}

/// Corruptions of a verified state through each layer's write paths, of every kind a step
/// footprint read covers.
enum StepCorruption: String, CaseIterable, Sendable {
  /// A bit of a word of an occupied CTE flipped (cap or MDB words).
  case kernelBitFlip
  /// An occupied CTE's `next` or `prev` link set to 0, to another CTE, or to itself.
  case kernelLink
  /// An occupied CTE zeroed (`Memory.zero`), or the whole object holding it.
  case kernelZero
  /// A CNode added to the kernel's heap in free memory that holds words from before.
  case kernelAddStale
  /// A CNode added inside another object.
  case kernelAddOverlapping
  /// The current-thread word of the globals frame set to another thread or to none.
  case kernelGlobals
  /// A thread's `tcbSchedNext` or `tcbSchedPrev` word set to 0, to another thread, or to itself
  /// (a word of the thread, not of the globals frame: the ready queues' lists run through it).
  case kernelSchedLink
  /// An executable slot's cap replaced by another slot's, or rebadged.
  case execCap
  /// An executable slot's `mdbRevocable` or `mdbFirstBadged` flipped.
  case execFlags
  /// An executable slot's `prev` or `next` set to another slot.
  case execLink
  /// The executable spec's current thread (and the abstract spec's) set to another thread or to
  /// none.
  case execCurrentThread
  /// An abstract slot's cap replaced or rebadged.
  case abstractCap
  /// An abstract original flag flipped.
  case abstractOriginal
  /// An abstract tree edge moved to another slot, or removed.
  case abstractTreeEdge
  /// An object with slots removed from all three layers, its slots' neighbours left linked to
  /// them, and, every other time, its slots' original flags left in the abstract spec.
  case removeObject
  /// The same CNode added to all three layers, the kernel's over words from before (hidden from
  /// the step's log).
  case addEverywhere

  /// Apply the corruption; false when the state offers nothing to corrupt this way.
  static func corrupt(_ checker: inout LockstepChecker, _ kind: StepCorruption, _ rng: inout SplitMix64) -> Bool {
    let occupied = checker.exec.occupiedSlots
    let slots = checker.exec.allSlots
    guard !occupied.isEmpty else { return false }
    func pick<T>(_ from: [T]) -> T { from[Int(rng.next() % UInt64(from.count))] }
    let slot = pick(occupied)
    let other = pick(rng.next() % 2 == 0 ? occupied : slots)
    // The plan's threads and objects: the idle ones, in the globals frame, are left alone.
    let idleObjects: Set<ObjectRef> = [KernelConstants.idleThreadPtr, KernelConstants.idleSCPtr]
    let threads = checker.kernel.objects.keys.filter { checker.kernel.objects[$0] == .tcb && !idleObjects.contains($0) }
      .sorted()
    switch kind {
    case .kernelBitFlip:
      guard let cte = checker.kernel.cteAddress(of: slot) else { return false }
      let word = cte &+ 8 &* (rng.next() % 4)
      checker.kernel.store(word, (checker.kernel.load(word) ?? 0) ^ (UInt64(1) << (rng.next() % 64)))
    case .kernelLink:
      guard let cte = checker.kernel.cteAddress(of: slot), let target = checker.kernel.cteAddress(of: other) else {
        return false
      }
      let word = cte &+ (rng.next() % 2 == 0 ? 16 : 24)
      checker.kernel.store(word, [0, target, cte][Int(rng.next() % 3)])
    case .kernelZero:
      guard let cte = checker.kernel.cteAddress(of: slot), let kind = checker.kernel.objects[slot.container] else {
        return false
      }
      if rng.next() % 3 == 0 {
        checker.kernel.memory.zero(slot.container, bits: kind.sizeBits)
      } else {
        checker.kernel.memory.zero(cte, bits: KernelConstants.slotBits)
      }
    case .kernelAddStale:
      guard let free = freeAddress(checker.kernel, bits: 7) else { return false }
      // Words written before this step, hidden from its log: a cap that decodes, or not, and
      // links to a live CTE or to none.
      let live = checker.kernel.cteAddress(of: other) ?? 0
      checker.kernel.store(
        free, pick([0xDEAD_BEEF, checker.kernel.load(checker.kernel.cteAddress(of: slot) ?? 0) ?? 0]))
      checker.kernel.store(free &+ 24, pick([live, 0x40]))
      checker.kernel.clearWriteLog()
      checker.kernel.objects[free] = .cnode(radix: 2)
    case .kernelAddOverlapping:
      let big = checker.kernel.objects.filter { $0.value.sizeBits >= 8 && $0.value.sizeBits < 64 }.map(\.key)
        .filter { !idleObjects.contains($0) }.sorted()
      guard !big.isEmpty else { return false }
      checker.kernel.objects[pick(big) &+ 0x80] = .cnode(radix: 2)
    case .kernelGlobals:
      let word = GlobalsLayout.frame &+ GlobalsLayout.ksCurThread
      checker.kernel.store(word, rng.next() % 3 == 0 || threads.isEmpty ? 0 : pick(threads))
    case .kernelSchedLink:
      guard !threads.isEmpty else { return false }
      let queued = threads.filter { checker.kernel.isQueued($0) }
      let thread = pick(queued.isEmpty ? threads : queued)
      let word = thread &+ (rng.next() % 2 == 0 ? ObjectLayout.tcbSchedNext : ObjectLayout.tcbSchedPrev)
      checker.kernel.store(word, [0, pick(threads), thread][Int(rng.next() % 3)])
    case .execCap:
      guard var entry = checker.exec.cte(at: slot) else { return false }
      entry.cap = rng.next() % 2 == 0 ? checker.exec.getCap(other) : FootprintCorruption.rebadged(entry.cap, &rng)
      checker.exec.setCTE(slot, entry)
    case .execFlags:
      guard var entry = checker.exec.cte(at: slot) else { return false }
      if rng.next() % 2 == 0 { entry.mdb.revocable.toggle() } else { entry.mdb.firstBadged.toggle() }
      checker.exec.setCTE(slot, entry)
    case .execLink:
      guard var entry = checker.exec.cte(at: slot) else { return false }
      if rng.next() % 2 == 0 { entry.mdb.prev = other } else { entry.mdb.next = other }
      checker.exec.setCTE(slot, entry)
    case .execCurrentThread:
      // The abstract spec's alike: R2 compares the two whatever the footprints.
      let thread = rng.next() % 3 == 0 || threads.isEmpty ? KernelConstants.idleThreadPtr : pick(threads)
      checker.exec.ksCurThread = thread
      checker.abstract.currentThread = thread
    case .abstractCap:
      let cap = checker.abstract.getCap(slot)
      checker.abstract.setCap(
        slot, rng.next() % 2 == 0 ? checker.abstract.getCap(other) : FootprintCorruption.rebadged(cap, &rng))
    case .abstractOriginal:
      if checker.abstract.isOriginalCap.contains(slot) {
        checker.abstract.isOriginalCap.remove(slot)
      } else {
        checker.abstract.isOriginalCap.insert(slot)
      }
    case .abstractTreeEdge:
      checker.abstract.cdt[slot] = rng.next() % 3 == 0 ? nil : other
    case .removeObject:
      // An object with a cap linked to a slot of another object, not the current thread.
      let candidates = occupied.filter { candidate in
        guard candidate.container != checker.exec.ksCurThread, let entry = checker.exec.cte(at: candidate) else {
          return false
        }
        return [entry.mdb.prev, entry.mdb.next].contains { $0 != nil && $0?.container != candidate.container }
      }
      guard !candidates.isEmpty else { return false }
      let object = pick(candidates).container
      let keepsFlags = rng.next() % 2 == 0
      for (index, _) in checker.exec.ksPSpace[object]?.execSlots ?? [] {
        let gone = SlotRef(object, index)
        checker.abstract.cdt[gone] = nil
        if !keepsFlags { checker.abstract.isOriginalCap.remove(gone) }
      }
      checker.kernel.objects[object] = nil
      checker.exec.ksPSpace[object] = nil
      checker.abstract.kheap[object] = nil
    case .addEverywhere:
      guard let free = freeAddress(checker.kernel, bits: 7), let source = checker.kernel.cteAddress(of: slot) else {
        return false
      }
      for word in UInt64(0)..<2 {
        checker.kernel.store(free &+ 8 &* word, checker.kernel.load(source &+ 8 &* word) ?? 0)
      }
      checker.kernel.clearWriteLog()
      checker.kernel.objects[free] = .cnode(radix: 2)
      checker.exec.ksPSpace[free] = .cnode(ExecutableSpec.CNode(radix: 2, ctes: Array(repeating: .null, count: 4)))
      checker.abstract.kheap[free] = .cnode(AbstractSpec.CNode(radix: 2))
    }
    return true
  }

  /// An address of `2^bits` bytes, aligned, inside the kernel's memory and overlapping none of
  /// its objects; nil if there is none among the first few thousand.
  static func freeAddress(_ kernel: KernelState, bits: UInt64) -> UInt64? {
    let size = UInt64(1) << bits
    var candidate = (kernel.memoryBase &+ size &- 1) & ~(size &- 1)
    let end = kernel.memoryBase &+ (UInt64(1) << min(kernel.memorySizeBits, 40))
    let spans = kernel.objects.map { ($0.key, $0.key &+ (UInt64(1) << min($0.value.sizeBits, 63))) }
    for _ in 0..<4_096 where candidate &+ size <= end {
      if !spans.contains(where: { $0.0 < candidate &+ size && candidate < $0.1 }) { return candidate }
      candidate &+= size
    }
    return nil
  }
}

// The incremental lockstep check: after a step, look only at what the step touched, and give
// exactly the verdict the full check (`checkFull`) would give. docs/incremental-check.md explains
// it at more length.
//
// It compares the current states with the states of the last step that passed every check
// (`VerifiedStates`), and works out what changed:
// - Kernel: every memory write goes through `Memory.store` or `Memory.zero`, which log it
//   (`KernelState.writeLog`); a written word belongs to the objects whose range holds it, a
//   zeroed range to every object it overlaps; added and removed objects come from comparing
//   `objects`, and an object that changed kind in place sends the step to the full check.
// - ExecutableSpec and AbstractSpec: objects are compared with the verified state's, one by one;
//   an object a step did not write still shares its storage with the verified copy, so comparing
//   it costs one identity test (Swift's `Array` and `Dictionary` equality try that first).
//
// Then R1 and R2 are checked on the changed objects only (on their changed slots, for objects both
// sides had before): an unchanged object lifts (abstracts) to what it lifted to before, which was
// equal to the other side's unchanged object. That rests on facts each checked here: the object's
// words (fields) are unchanged; the CTEs its MDB links name are still live (the verified kernel
// state had `mdb_cte_at'` and `valid_nullcaps`, and the CTEs linked to a removed object's CTEs are
// re-lifted); no object was added over it (`pspace_distinct'` is re-checked whenever objects are
// added). The derivation tree, the original-cap set and the current thread are compared whole
// whenever anything changed.
//
// Invariants are re-checked per layer only when that layer's state changed (an unchanged state
// satisfies what it satisfied before); the Kernel and ExecutableSpec use `invariantsHold`, which
// looks at the changed slots and their neighbours; the AbstractSpec's `invariantsHold` decides
// steps that changed only threads' scheduling fields, its whole-state check the rest.
//
// Whenever the incremental check cannot conclude that everything holds (something is broken, or
// the kernel's write log overflowed, or there is no verified state), it runs `checkFull`, so a
// failure is reported exactly as the full check reports it. What it assumes: that every change to
// kernel memory goes through the kernel's own write paths, so the log sees it (the spec layers
// are compared, not logged). `IncrementalCheckTests` changes kernel memory behind the log's back
// to show that only the full check notices that.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

/// The states of the last step that passed every relation and invariant.
struct VerifiedStates: Sendable {
  var exec: ExecState
  var abstract: AbstractState
  var kernelObjects: [ObjectRef: KernelObjectKind]
  var kernelCurrent: ObjectRef?
  /// The distinct sizes (log2 bytes) of the kernel's objects, ascending.
  var kernelWidths: [UInt64]
}

extension LockstepChecker {
  /// `checkFull` of the current states; when everything holds, they become the states later steps
  /// are checked against incrementally (without this, the first step is checked in full).
  public mutating func verify() -> LockstepFailure? {
    defer { kernel.clearWriteLog() }
    let failure = checkFull()
    if failure == nil && checksInvariants && mode == .incremental {
      recordVerified(previous: nil)
    } else {
      verified = nil
    }
    return failure
  }

  /// The incremental check (see the top of this file); its verdict is `checkFull`'s.
  mutating func checkIncremental(event: Event?) -> LockstepFailure? {
    defer { kernel.clearWriteLog() }
    if checksInvariants, let verified, incrementalCheckHolds(verified) {
      recordVerified(previous: verified)
      return nil
    }
    fullChecks += 1
    let failure = checkFull(event: event)
    if failure == nil && checksInvariants { recordVerified(previous: nil) } else { verified = nil }
    return failure
  }

  private mutating func recordVerified(previous: VerifiedStates?) {
    let widths: [UInt64]
    if let previous, previous.kernelObjects == kernel.objects {
      widths = previous.kernelWidths
    } else {
      widths = Set(kernel.objects.values.map(\.sizeBits)).filter { $0 < 64 }.sorted()
    }
    verified = VerifiedStates(
      exec: exec, abstract: abstract, kernelObjects: kernel.objects, kernelCurrent: kernel.ksCurThread,
      kernelWidths: widths)
  }

  /// True only if every relation and invariant holds; false when something is broken or when
  /// this check cannot tell (the full check then decides).
  func incrementalCheckHolds(_ verified: VerifiedStates) -> Bool {
    let log = kernel.writeLog
    guard log.isComplete else { return false }

    // What changed in each layer.
    guard let (kernelAdded, kernelRemoved) = addedAndRemovedKeys(kernel.objects, verified.kernelObjects) else {
      return false
    }
    let execChanged = changedKeys(exec.ksPSpace, verified.exec.ksPSpace)
    let abstractChanged = changedKeys(abstract.kheap, verified.abstract.kheap)
    let kernelObjectsChanged = !kernelAdded.isEmpty || !kernelRemoved.isEmpty
    let kernelChanged = kernelObjectsChanged || !log.isEmpty || kernel.ksCurThread != verified.kernelCurrent
    let execChangedAtAll =
      !execChanged.changed.isEmpty || !execChanged.removed.isEmpty || exec.ksCurThread != verified.exec.ksCurThread
    let originalsSame = abstract.isOriginalCap == verified.abstract.isOriginalCap
    let cdtSame = abstract.cdt == verified.abstract.cdt
    let abstractChangedAtAll =
      !abstractChanged.changed.isEmpty || !abstractChanged.removed.isEmpty || !originalsSame || !cdtSame
      || abstract.currentThread != verified.abstract.currentThread

    // R1: lift(kernel) == exec, on the objects either side changed.
    guard kernel.ksCurThread == exec.ksCurThread, kernelAdded == execChanged.added,
      kernelRemoved == execChanged.removed
    else { return false }
    // The slots that were linked to a slot of a removed object: their links now name no CTE.
    var neighboursOfRemoved: [SlotRef] = []
    for address in execChanged.removed {
      for (_, entry) in verified.exec.ksPSpace[address]?.execSlots ?? [] {
        for link in [entry.mdb.prev, entry.mdb.next] {
          if let link, exec.ksPSpace[link.container] != nil { neighboursOfRemoved.append(link) }
        }
      }
    }
    let locator = kernel.cteLocator
    // The CTEs the kernel wrote (by address): those of logged words, and every CTE of an object
    // that was added or lies in a zeroed range.
    var writtenCTEs: Set<UInt64> = []
    if kernelChanged || execChangedAtAll {
      var touched = Set(execChanged.changed)
      for slot in neighboursOfRemoved { touched.insert(slot.container) }
      var wholly = kernelAdded
      if !log.isEmpty {
        let widths =
          kernelObjectsChanged
          ? Set(kernel.objects.values.map(\.sizeBits)).filter { $0 < 64 }.sorted() : verified.kernelWidths
        for word in log.words {
          kernel.addContainers(of: word, widths: widths, to: &touched)
          writtenCTEs.insert(word & ~((UInt64(1) << KernelConstants.slotBits) &- 1))
        }
        for range in log.zeroedRanges { kernel.addObjects(overlapping: range, to: &wholly) }
      }
      touched.formUnion(wholly)
      // Of an added or zeroed object, the CTEs in backed memory: the rest read as zero words, the
      // null cap unlinked, and no link of a verified slot names them (it would have named a CTE
      // of no object, or of the old object whose slots are re-lifted through `execChanged`).
      for container in wholly { writtenCTEs.formUnion(kernel.backedCTEs(of: container)) }
      var problems: [String] = []
      for address in touched where checksRelations {
        guard let kind = kernel.objects[address], let object = exec.ksPSpace[address] else { return false }
        // An object both sides had before: only its slots that either side changed, and its
        // other fields (unchanged slots lift as before, to what the exec object still holds).
        if !wholly.contains(address), let before = verified.exec.ksPSpace[address] {
          guard
            kernel.liftsTo(
              object, at: address, kind, before: before, writtenCTEs: writtenCTEs, alsoSlots: neighboursOfRemoved,
              locator: locator)
          else { return false }
          continue
        }
        let lifted = kernel.liftObject(at: address, kind, locator: locator, problems: &problems)
        guard problems.isEmpty, lifted == object else { return false }
      }
    }

    // R2: abstraction(exec) == abstract, on the objects either side changed.
    guard abstract.currentThread == exec.ksCurThread, abstractChanged.added == execChanged.added,
      abstractChanged.removed == execChanged.removed
    else { return false }
    if checksRelations && (execChangedAtAll || abstractChangedAtAll) {
      var touched = Set(execChanged.changed)
      touched.formUnion(abstractChanged.changed)
      touched.formUnion(execChanged.removed)
      if !originalsSame {
        for slot in abstract.isOriginalCap.symmetricDifference(verified.abstract.isOriginalCap) {
          touched.insert(slot.container)
        }
      }
      for address in touched {
        guard let object = exec.ksPSpace[address] else {
          // A removed object: gone from the abstract heap too, with its original flags.
          guard abstract.kheap[address] == nil, !abstract.isOriginalCap.contains(where: { $0.container == address })
          else { return false }
          continue
        }
        var originals: Set<SlotRef> = []
        guard exec.abstractObject(at: address, object, originals: &originals) == abstract.kheap[address] else {
          return false
        }
        for slot in originals where !abstract.isOriginalCap.contains(slot) { return false }
        let claimed = abstract.isOriginalCap.lazy.filter { $0.container == address }.count
        guard claimed == originals.count else { return false }
      }
      if !execChanged.changed.isEmpty || !cdtSame {
        guard exec.derivationTree() == abstract.cdt else { return false }
      }
    }

    // Invariants, for each layer whose state changed; the kernel's and the executable spec's from
    // what changed (`invariantsHold`), the abstract spec's from what changed when only threads'
    // scheduling fields did (`invariantsHold`), else on the whole state.
    if kernelChanged {
      var oldNeighbours: [UInt64] = neighboursOfRemoved.compactMap { kernel.cteAddress(of: $0) }
      for cte in writtenCTEs {
        guard let slot = locator.slotRef(ofCTE: cte), let old = verified.exec.cte(at: slot) else { continue }
        for link in [old.mdb.prev, old.mdb.next] {
          if let link, let address = kernel.cteAddress(of: link) { oldNeighbours.append(address) }
        }
      }
      guard
        kernel.invariantsHold(written: writtenCTEs, oldNeighbours: oldNeighbours, objectsChanged: kernelObjectsChanged)
      else { return false }
    }
    if execChangedAtAll,
      !exec.invariantsHold(after: verified.exec, changed: execChanged.changed, removed: execChanged.removed)
    {
      return false
    }
    if abstractChangedAtAll,
      !abstract.invariantsHold(
        after: verified.abstract, changed: abstractChanged.changed, removed: abstractChanged.removed),
      !abstract.invariantViolations().isEmpty
    {
      return false
    }
    return true
  }
}

/// The keys `new` has and `old` lacks, and the other way round; nil if a key of both holds
/// different values (an object replaced by another kind of object).
func addedAndRemovedKeys<Key: Hashable, Value: Equatable>(
  _ new: [Key: Value], _ old: [Key: Value]
) -> (added: Set<Key>, removed: Set<Key>)? {
  if new == old { return ([], []) }
  var added: Set<Key> = []
  var kept = 0
  for (key, value) in new {
    if let before = old[key] {
      guard before == value else { return nil }
      kept += 1
    } else {
      added.insert(key)
    }
  }
  let removed = kept == old.count ? [] : Set(old.keys.filter { new[$0] == nil })
  return (added, removed)
}

/// The keys whose values differ between `new` and `old` (added ones included, and also listed
/// apart), and the keys of `old` missing from `new`.
func changedKeys<Key: Hashable, Value: Equatable>(
  _ new: [Key: Value], _ old: [Key: Value]
) -> (changed: [Key], added: Set<Key>, removed: Set<Key>) {
  if new == old { return ([], [], []) }
  var changed: [Key] = []
  var added: Set<Key> = []
  var kept = 0
  for (key, value) in new {
    if let before = old[key] {
      kept += 1
      if before != value { changed.append(key) }
    } else {
      changed.append(key)
      added.insert(key)
    }
  }
  let removed = kept == old.count ? [] : Set(old.keys.filter { new[$0] == nil })
  return (changed, added, removed)
}

extension KernelState {
  /// Add to `set` every object whose range holds the word at `address`, trying objects of each of
  /// `widths` (log2 sizes).
  func addContainers(of address: UInt64, widths: [UInt64], to set: inout Set<ObjectRef>) {
    for bits in widths {
      let base = address & ~((UInt64(1) << bits) &- 1)
      if let kind = objects[base], kind.sizeBits == bits { set.insert(base) }
    }
  }

  /// Add to `set` every object that overlaps `[range.address, range.address + 2^range.bits)`.
  func addObjects(overlapping range: (address: UInt64, bits: UInt64), to set: inout Set<ObjectRef>) {
    let last = range.bits >= 64 ? UInt64.max : range.address.saturatingAdd((1 << range.bits) &- 1)
    for (base, kind) in objects {
      let bits = kind.sizeBits
      let top = bits >= 64 ? UInt64.max : base.saturatingAdd((1 << bits) &- 1)
      if base <= last && range.address <= top { set.insert(base) }
    }
  }
}

extension UInt64 {
  /// `self + other`, or `UInt64.max` when that overflows.
  fileprivate func saturatingAdd(_ other: UInt64) -> UInt64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? .max : sum
  }
}

// What the incremental lockstep check reads for the relations and the kernel's invariants, as
// data: the footprints of the checks that are not a spec layer's invariant conjuncts (those are in
// each layer's invariant table, KernelABI `FootprintConjunct`).
//
// After a step the checker finds each kind of change (`StepRead`): the words the kernel's write
// log holds, the objects and slots the executable spec changed, the tree edges the abstract spec
// changed, and so on. A check (`StepCheck`) declares the kinds of change it reads, and is re-run
// exactly where a change of one of those kinds happened: R1 on the objects and CTEs they select,
// the kernel's invariants at the CTEs they select, and so on. `Lockstep+Incremental.swift` reads
// the table (`LockstepChecker.checkFootprints`) at each place it gathers sites.
// `CheckFootprintTests` shows every declared read needed: for each, a corrupted state where the
// full check finds the check broken, the declared footprint catches it, and the footprint without
// that read does not.

/// A kind of change the incremental lockstep check finds in a step.
public enum StepRead: String, CaseIterable, Sendable, Codable, Comparable {
  /// Words in the kernel's write log, outside its globals frame: the objects and CTEs that hold
  /// them.
  case kernelWords
  /// Ranges the kernel zeroed: every object overlapping one, with its CTEs in backed memory and
  /// those that held caps before (zeroing a whole page drops it).
  case zeroedRanges
  /// Objects added to the kernel's heap, with all their CTEs in backed memory.
  case addedObjects
  /// Words of the kernel's globals frame in the write log.
  case globalsFrame
  /// Objects the executable spec's heap log shows changed or added.
  case execObjects
  /// The executable spec's changed slots (cap, MDB links or flags), in changed and removed objects.
  case execSlots
  /// The executable spec's global fields (`ksCurThread`, the ready queues and bitmap, the
  /// scheduler action, the domain).
  case execGlobals
  /// The slots whose MDB links named a slot of an object the step removed: their links now name
  /// no CTE.
  case removedLinks
  /// The objects the step removed (from the executable spec's heap), with their slots.
  case removedObjects
  /// The CTEs that the links of a written CTE named before the step (its old neighbours).
  case oldNeighbours
  /// Objects the abstract spec's heap log shows changed or added.
  case abstractObjects
  /// Slots the abstract spec's `setCap` logged.
  case abstractSlots
  /// Slots whose abstract original flag (`is_original_cap`) changed.
  case originalFlags
  /// Slots whose abstract derivation-tree parent changed.
  case treeEdges
  /// Slots whose parent, derived from the executable spec's MDB list, may have changed
  /// (`DerivedParents`: a slot's cap, flags and `prev`, and its ancestors').
  case derivedParents

  public static func < (a: StepRead, b: StepRead) -> Bool { a.rawValue < b.rawValue }

  /// This read's bit in a `CheckFootprints` mask.
  var bit: UInt32 {
    switch self {
    case .kernelWords: 1 << 0
    case .zeroedRanges: 1 << 1
    case .addedObjects: 1 << 2
    case .globalsFrame: 1 << 3
    case .execObjects: 1 << 4
    case .execSlots: 1 << 5
    case .execGlobals: 1 << 6
    case .removedLinks: 1 << 7
    case .removedObjects: 1 << 8
    case .oldNeighbours: 1 << 9
    case .abstractObjects: 1 << 10
    case .abstractSlots: 1 << 11
    case .originalFlags: 1 << 12
    case .treeEdges: 1 << 13
    case .derivedParents: 1 << 14
    }
  }
}

/// A check the incremental lockstep check re-runs where the changes it reads happened.
public enum StepCheck: String, CaseIterable, Sendable, Codable {
  /// R1 of each object: the kernel object at an address lifts to the executable spec's (l4v
  /// `pspace_relation`, by kind: `cte_relation`, `tcb_relation`, ...), on the CTEs and fields
  /// that may differ.
  case lift = "R1 pspace_relation"
  /// R1 of the kernel's globals frame and the ready queues' lists: the executable spec's global
  /// fields (`ksCurThread`, the queues, the bitmap, the scheduler action, the domain).
  case liftGlobals = "R1 globals"
  /// R2 of each object, with the original flags of its slots (l4v `pspace_relation`,
  /// `revokable_relation`).
  case abstraction = "R2 pspace_relation"
  /// R2 of the derivation tree (`cdt_relation`).
  case cdtRelation = "R2 cdt_relation"
  /// The kernel's invariants at a CTE: `valid_objs'` (`valid_cap'`) and `valid_mdb'`
  /// (`valid_nullcaps`, `no_0`, `valid_dlist`), each about a CTE and the CTEs its links name.
  case kernelCTE = "Kernel valid_objs', valid_mdb' at a CTE"
  /// The kernel's layout at an object: `pspace_aligned'`, `pspace_distinct'`,
  /// `pspace_in_kernel_mappings'`.
  case kernelLayout = "Kernel pspace layout"

  /// This check's place in `allCases` (and in a `CheckFootprints`' masks).
  var position: Int {
    switch self {
    case .lift: 0
    case .liftGlobals: 1
    case .abstraction: 2
    case .cdtRelation: 3
    case .kernelCTE: 4
    case .kernelLayout: 5
    }
  }
}

/// What each `StepCheck` reads.
public struct CheckFootprints: Sendable, Hashable {
  public var reads: [StepCheck: Set<StepRead>] {
    didSet { masks = CheckFootprints.masks(reads) }
  }
  /// `reads` as bit masks by check, for the checker's tests of them (a dictionary of sets is
  /// hashed at every lookup).
  private var masks: [UInt32]

  public init(_ reads: [StepCheck: Set<StepRead>]) {
    self.reads = reads
    self.masks = CheckFootprints.masks(reads)
  }

  private static func masks(_ reads: [StepCheck: Set<StepRead>]) -> [UInt32] {
    StepCheck.allCases.map { check in
      (reads[check] ?? []).reduce(0) { $0 | $1.bit }
    }
  }

  /// The footprints the incremental check runs with, and why each read is there.
  public static let declared = CheckFootprints([
    // The kernel object at an address lifts from its own words (a CTE's cap and links, a
    // thread's fields), and its links decode only if the CTEs they name are live. So it is
    // re-lifted where the kernel wrote or zeroed it, where the executable spec changed it (its
    // changed slots), and where its links named a removed object's CTE. An added object needs no
    // read of its own: the kernel and the executable spec must add the same objects, and an
    // object the executable spec added is lifted whole. A notification's queue lifts through the
    // waiting threads' `tcbEPNext`/`tcbEPPrev` words, so a link written in a TCB (and in no
    // notification) re-lifts the notifications (`kernelWords` here too).
    .lift: [.kernelWords, .zeroedRanges, .execObjects, .execSlots, .removedLinks],
    // The globals lift from the frame's words, and the ready queues from the lists their heads
    // start, through the threads' `tcbSchedNext`/`tcbSchedPrev` words: a link written in a TCB
    // (and in no head or tail) changes a queue too (`kernelWords` here: the logged link words),
    // and so does a thread removed while a list still runs through it.
    .liftGlobals: [.globalsFrame, .execGlobals, .kernelWords, .removedObjects],
    // An executable object abstracts from its own slots and flags; the abstract object is
    // compared where either side changed it, on the slots either side changed and those whose
    // original flag changed. An object the executable spec removed must be gone from the
    // abstract spec with its slots' original flags (the removed sets are compared whatever the
    // footprints; the flags only here).
    .abstraction: [.execObjects, .execSlots, .removedObjects, .abstractObjects, .abstractSlots, .originalFlags],
    .cdtRelation: [.derivedParents, .treeEdges],
    // A CTE's check reads its words and its neighbours' links. A broken link has a written end,
    // checked there both ways (so the CTEs a written CTE links to now need no check of their
    // own: `CheckFootprintTests` finds no state where they do), or an unwritten end whose other
    // end was written, zeroed or removed: that end was its neighbour before (the lists were
    // doubly linked). A zeroed CTE is read at its address whether or not its page is still
    // backed (zeroing a whole page drops it).
    .kernelCTE: [.kernelWords, .zeroedRanges, .addedObjects, .oldNeighbours, .removedLinks],
    // Removing an object cannot break the layout; moving one is a removal and an addition.
    .kernelLayout: [.addedObjects],
  ])

  /// Whether `check` reads `read`.
  public func reads(_ check: StepCheck, _ read: StepRead) -> Bool {
    masks[check.position] & read.bit != 0
  }

  /// These footprints with `read` left out of `check`'s (tests: a read left out must be missed).
  public func without(_ check: StepCheck, _ read: StepRead) -> CheckFootprints {
    var copy = self
    copy.reads[check]?.remove(read)
    return copy
  }

  /// `check`'s footprint alone, every other check reading nothing (tests: one check's verdict).
  public func only(_ check: StepCheck) -> CheckFootprints {
    CheckFootprints([check: reads[check] ?? []])
  }
}

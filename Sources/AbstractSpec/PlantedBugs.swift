// The abstract spec's seams, and the planted bugs a test of the checker installs through them
// (KernelABI `PlantedBug`). Twins: `Kernel/PlantedBugs.swift`, `ExecutableSpec/PlantedBugs.swift`;
// each layer defines its own bugs only.
//
// A seam is one step of the spec's code that a test may replace. The code that takes the step calls
// it through `seams.<step>`, which is nil unless a bug is planted, so in every real use the step is
// the spec's code at the cost of one test of nil, with no allocation. The seams are `@NotCompared`
// in `AbstractState`: two states that differ only there are equal. Setting `plantedBug` (a test,
// `check --plant-bug`, `LockstepChecker` handing the kernel's bug on) installs the seams that bug
// replaces; no spec file names a bug.

public import KernelABI

extension AbstractState {
  /// The steps of the abstract spec's code a planted bug can replace, each nil (the spec's code)
  /// unless one is planted. A value, and `Sendable`: the closures capture nothing.
  struct Seams: Sendable {
    /// The bug these seams plant; nil in every real use.
    private(set) var plantedBug: PlantedBug?
    /// `finaliseCap` (`finalise_cap`, then the object's removal), in place of the spec's.
    var finaliseCap: (@Sendable (_ state: inout AbstractState, _ cap: Capability) -> Void)?
    /// The CNode slip these seams plant; nil in every real use.
    private(set) var plantedSlip: AbstractSlip?
    /// Whether Copy, Mint, Move and Mutate of `label` check that the destination is empty.
    var checksEmptyDestination: (@Sendable (_ label: InvocationLabel) -> Bool)?
    /// Whether Copy and Mint of `label` call `deriveCap`.
    var derivesCap: (@Sendable (_ label: InvocationLabel) -> Bool)?
    /// Whether Copy, Mint, Move and Mutate of `label` refuse a Null new cap.
    var refusesNullCap: (@Sendable (_ label: InvocationLabel) -> Bool)?
    /// `cteMove`, in place of the spec's.
    var cteMove:
      (@Sendable (_ state: inout AbstractState, _ newCap: Capability, _ source: SlotRef, _ dest: SlotRef) -> Void)?
    /// Rotate's two moves (when the source is not the destination), in place of the spec's.
    var rotateMoves:
      (
        @Sendable (
          _ state: inout AbstractState, _ newSource: Capability, _ newPivot: Capability, _ source: SlotRef,
          _ pivot: SlotRef, _ dest: SlotRef
        ) -> Void
      )?
    /// `emptySlot` in `cteDelete`, in place of the spec's.
    var deleteEmpties: (@Sendable (_ state: inout AbstractState, _ slot: SlotRef) -> Void)?

    /// No seam replaced: the spec's code throughout.
    init() {}

    /// The seams that plant `bug`; none for a bug of another layer (only its name is kept).
    init(plantedBug bug: PlantedBug?) {
      plantedBug = bug
      switch bug {
      case .abstractDeleteKeepsObject?:
        // The final cap goes, its object stays in the heap.
        finaliseCap = { _, _ in }
      case .revokeSkipsLastDescendant?, .retypeIgnoresWatermark?, .mintIgnoresRightsMask?,
        .mdbNotificationIgnoresFirstBadged?, .mdbNotificationIgnoresBadge?, .mdbEndpointIgnoresFirstBadged?,
        .mdbEndpointIgnoresBadge?, .checkPrioRefusesEqual?, .dequeueKeepsBitmap?, .resumeSkipsReschedule?,
        .signalDropsBadge?, .ipcWrongBadge?, .ipcDropsBadge?, .deleteLeavesQueueDangling?,
        .fastpathForgetsSwitch?, .replyKeepsDonatedSC?, .mergeLosesBudget?, .releaseQueueOutOfOrder?,
        .yieldToKeepsYieldFrom?, .ackLeavesLineMasked?,
        .execCopyIgnoresRightsMask?, nil:
        break
      }
    }
  }

  /// A deliberate bug to run with (tests of the checker only; nil in every real use). Setting it
  /// installs the seams that plant it (and removes a planted slip); it is not part of the state.
  public var plantedBug: PlantedBug? {
    get { seams.plantedBug }
    set { seams = Seams(plantedBug: newValue) }
  }

  /// A CNode slip to run with (tests and `refine-check run --plant-slip` only; nil in every real
  /// use). Setting it installs the seams that plant it (and removes a planted bug); it is not part
  /// of the state.
  public var plantedSlip: AbstractSlip? {
    get { seams.plantedSlip }
    set { seams = Seams(plantedSlip: newValue) }
  }
}

/// A slip in one CNode invocation of the abstract spec: the mirror of the symbolic twin's
/// `TwinEventMutant` of the same name, so that the scenario a refuted event obligation writes
/// replays the same slip on AbstractSpec (it must fail there and pass on the correct layers). Not
/// a `PlantedBug`: those must each be caught by campaigns and the exhaustive search, whereas each
/// slip here is shown by the scenario its obligation's counterexample writes.
public enum AbstractSlip: String, CaseIterable, Sendable, Codable {
  /// CNode_Copy skips `ensure_empty`.
  case copySkipsEnsureEmpty
  /// CNode_Mint skips `derive_cap` (so IRQControl is minted).
  case mintSkipsDeriveCap
  /// `cap_move` leaves the source's cap where it was.
  case moveKeepsSource
  /// CNode_Mutate moves a Null result of `update_cap_data`.
  case mutateSkipsNullCheck
  /// CNode_Rotate moves the source onto the pivot before the pivot to the destination.
  case rotateMovesSourceFirst
  /// CNode_Delete empties the slot but leaves its CDT links and original flag.
  case deleteKeepsCDTLink
}

extension AbstractState.Seams {
  /// The seams that plant `slip` (none for nil).
  init(plantedSlip slip: AbstractSlip?) {
    self.init()
    plantedSlip = slip
    switch slip {
    case .copySkipsEnsureEmpty?:
      checksEmptyDestination = { $0 != .cnodeCopy }
    case .mintSkipsDeriveCap?:
      derivesCap = { $0 != .cnodeMint }
    case .moveKeepsSource?:
      cteMove = { state, newCap, source, dest in
        state.renameSlots(source, dest)
        state.setCap(dest, newCap)
      }
    case .mutateSkipsNullCheck?:
      refusesNullCap = { $0 != .cnodeMutate }
    case .rotateMovesSourceFirst?:
      rotateMoves = { state, newSource, newPivot, source, pivot, dest in
        state.cteMove(newSource, from: source, to: pivot)
        state.cteMove(newPivot, from: pivot, to: dest)
      }
    case .deleteKeepsCDTLink?:
      deleteEmpties = { state, slot in state.setCap(slot, .null) }
    case nil:
      break
    }
  }
}

// The executable spec's seams, and the planted bugs a test of the checker installs through them
// (KernelABI `PlantedBug`). Twins: `Kernel/PlantedBugs.swift`, `AbstractSpec/PlantedBugs.swift`;
// each layer defines its own bugs only.
//
// A seam is one step of the spec's code that a test may replace. The code that takes the step calls
// it as `seams.<step>?(...) ?? <the spec's code>`: every seam is nil unless a bug is planted, so in
// every real use the step is the spec's code at the cost of one test of nil, with no allocation.
// The seams are `@NotCompared` in `ExecState`: two states that differ only there are equal. Setting
// `plantedBug` (a test, `check --plant-bug`, `LockstepChecker` handing the kernel's bug on) installs
// the seams that bug replaces; no spec file names a bug.

public import KernelABI

extension ExecState {
  /// The steps of the executable spec's code a planted bug can replace, each nil (the spec's code)
  /// unless one is planted. A value, and `Sendable`: the closures capture nothing.
  struct Seams: Sendable {
    /// The bug these seams plant; nil in every real use.
    private(set) var plantedBug: PlantedBug?
    /// `decodeCNodeInvocation` (Copy): the rights mask applied to the source cap, in place of
    /// `cap.maskCapRights(rights)`.
    var cnodeCopyMaskCapRights: (@Sendable (_ rights: CapRights, _ cap: Capability) -> Capability)?

    /// No seam replaced: the spec's code throughout.
    init() {}

    /// The seams that plant `bug`; none for a bug of another layer (only its name is kept).
    init(plantedBug bug: PlantedBug?) {
      plantedBug = bug
      switch bug {
      case .execCopyIgnoresRightsMask?:
        cnodeCopyMaskCapRights = { _, cap in cap.maskCapRights(.all) }
      case .revokeSkipsLastDescendant?, .retypeIgnoresWatermark?, .mintIgnoresRightsMask?,
        .mdbNotificationIgnoresFirstBadged?, .mdbNotificationIgnoresBadge?, .mdbEndpointIgnoresFirstBadged?,
        .mdbEndpointIgnoresBadge?, .checkPrioRefusesEqual?, .dequeueKeepsBitmap?, .resumeSkipsReschedule?,
        .signalDropsBadge?, .ipcWrongBadge?, .ipcDropsBadge?, .deleteLeavesQueueDangling?,
        .fastpathForgetsSwitch?, .replyKeepsDonatedSC?, .mergeLosesBudget?, .releaseQueueOutOfOrder?,
        .yieldToKeepsYieldFrom?, .ackLeavesLineMasked?,
        .abstractDeleteKeepsObject?, nil:
        break
      }
    }
  }

  /// A deliberate bug to run with (tests of the checker only; nil in every real use). Setting it
  /// installs the seams that plant it; it is not part of the state.
  public var plantedBug: PlantedBug? {
    get { seams.plantedBug }
    set { seams = Seams(plantedBug: newValue) }
  }
}

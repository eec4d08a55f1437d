// Deliberate bugs, one set for every layer, for showing that the checker catches a broken layer.
//
// A test, or `refine-check check --plant-bug` when asked to demonstrate, sets `plantedBug` on a
// layer's state; nothing else ever does. Each bug is a one-line departure from seL4 of the kind an
// engineer might really write in that layer, and each must be caught by the lockstep checker.
// `LockstepChecker` hands the planted bug to every layer; each layer acts only on its own bugs.

/// A known way to break one layer.
public enum PlantedBug: String, CaseIterable, Sendable, Codable {
  // MARK: Kernel

  /// `cteRevoke` stops before the last descendant of the revoked cap, leaving it in place.
  case revokeSkipsLastDescendant
  /// `Untyped_Retype` places new objects from the untyped's base, ignoring the free watermark.
  case retypeIgnoresWatermark
  /// `CNode_Mint` ignores the rights mask, so a minted cap keeps every right of its source.
  case mintIgnoresRightsMask

  // MARK: ExecutableSpec

  /// `CNode_Copy` in the executable spec ignores the rights mask.
  case execCopyIgnoresRightsMask

  // MARK: AbstractSpec

  /// Deleting the final cap to an object in the abstract spec leaves the object in the heap.
  case abstractDeleteKeepsObject

  /// The layer the bug is planted in: "Kernel", "ExecutableSpec" or "AbstractSpec".
  public var layer: String {
    switch self {
    case .revokeSkipsLastDescendant, .retypeIgnoresWatermark, .mintIgnoresRightsMask: "Kernel"
    case .execCopyIgnoresRightsMask: "ExecutableSpec"
    case .abstractDeleteKeepsObject: "AbstractSpec"
    }
  }
}

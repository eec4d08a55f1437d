// Deliberate kernel bugs, for showing that the checker catches a broken kernel.
//
// A test (or `refine-check` when asked to demonstrate) sets `KernelState.plantedBug`; nothing
// else ever does. Each bug is a one-line departure from seL4 of the kind a kernel engineer might
// really write, and each must be caught by the lockstep checker.

/// A known way to break the kernel.
public enum PlantedBug: String, CaseIterable, Sendable, Codable {
  /// `cteRevoke` stops before the last descendant of the revoked cap, leaving it in place.
  case revokeSkipsLastDescendant
  /// `Untyped_Retype` places new objects from the untyped's base, ignoring the free watermark.
  case retypeIgnoresWatermark
  /// `CNode_Mint` ignores the rights mask, so a minted cap keeps every right of its source.
  case mintIgnoresRightsMask
}

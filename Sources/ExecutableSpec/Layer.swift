// The ExecutableSpec layer. See ../../../shared/DESIGN.md ("One step, three layers").
//
// The layer models the capability core (see docs/capability-core.md); the checker and its reports
// read `isModelled`.

/// Facts about the ExecutableSpec layer that reports print.
public enum ExecutableSpecLayer {
  /// The layer's name in reports.
  public static let name = "ExecutableSpec"
  /// Whether the layer models any kernel operation yet.
  public static let isModelled = true
}

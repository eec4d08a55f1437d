// The AbstractSpec layer. See ../../../shared/DESIGN.md ("One step, three layers").
//
// This layer's kernel objects arrive with the capability core; until then it models nothing,
// and says so through `isModelled`, which the checker and its reports read.

/// Facts about the AbstractSpec layer that reports print.
public enum AbstractSpecLayer {
  /// The layer's name in reports.
  public static let name = "AbstractSpec"
  /// Whether the layer models any kernel operation yet.
  public static let isModelled = false
}

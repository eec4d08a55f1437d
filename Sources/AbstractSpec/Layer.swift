// The AbstractSpec layer. See ../../../shared/DESIGN.md ("One step, three layers").
//
// This layer models the capability core (docs/capability-core.md): CSpace lookup, the CNode
// methods, deletion and revocation, and Untyped_Retype, with the rest reported as not modelled.

/// Facts about the AbstractSpec layer that reports print.
public enum AbstractSpecLayer {
  /// The layer's name in reports.
  public static let name = "AbstractSpec"
  /// Whether the layer models any kernel operation yet.
  public static let isModelled = true
}

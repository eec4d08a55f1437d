// The Kernel layer. See ../../../shared/DESIGN.md ("One step, three layers").
//
// The capability core is modelled (CNode invocations, Untyped_Retype, deletion and revocation);
// `isModelled` tells the checker and its reports so.

/// Facts about the Kernel layer that reports print.
public enum KernelLayer {
  /// The layer's name in reports.
  public static let name = "Kernel"
  /// Whether the layer models any kernel operation yet.
  public static let isModelled = true
}

// Every obligation the code builds, in one list: what `refine-check prove` discharges and
// `proofs/` records.

extension Obligation {
  /// All obligations over the kernel's code and the abstract spec's symbolic twin, names unique;
  /// the twin's for the default shape (what `proofs/` records).
  public static var catalogue: [Obligation] { catalogue(shape: .default) }

  /// All obligations, the symbolic twin's (those with a `shape`) built for `shape`.
  public static func catalogue(shape: AbstractShape) -> [Obligation] {
    messageInfo() + capRights() + alignment() + kernelEncodings() + kernelCSpace() + kernelRetype()
      + priorityBitmap() + kernelObjectLayouts() + notificationBadge() + fastpathMessageInfo() + refills()
      + releaseQueue()
      + abstractInvariants(shape: shape)
      + abstractEvents(shape: shape)
      + abstractAuthority(shape: shape)
      + abstractNotifications(shape: shape)
  }
}

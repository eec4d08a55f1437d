// Every obligation the code builds, in one list: what `refine-check prove` discharges and
// `proofs/` records.

extension Obligation {
  /// All obligations over the kernel's code and the abstract spec's symbolic twin, names unique.
  public static var catalogue: [Obligation] {
    messageInfo() + capRights() + alignment() + kernelEncodings() + kernelCSpace() + kernelRetype()
      + priorityBitmap() + kernelObjectLayouts() + notificationBadge() + fastpathMessageInfo() + refills()
      + releaseQueue()
      + abstractInvariants()
      + abstractEvents()
      + abstractAuthority()
  }
}

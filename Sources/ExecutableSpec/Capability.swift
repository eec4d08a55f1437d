// Pure functions on capabilities (`SEL4.Object.ObjectType` and `SEL4.Object.Structures` in the
// Haskell model): which region and object a cap names, whether a new cap is revocable, and how
// rights masks and cap data change a cap. Only `deriveCap` reads the state (whether an untyped
// has children). Twins: `AbstractSpec/Capability.swift`, `Kernel/Capability.swift`.

public import KernelABI

/// The class of a capability (`capClass`): MDB neighbours always share one.
public enum CapClass: Hashable, Sendable {
  case null
  /// Caps naming memory: untyped regions and kernel objects.
  case physical
  /// IRQControl and IRQHandler caps.
  case irq
  case schedControl
  case domain
}

extension Capability {
  /// `capClass`.
  public var capClass: CapClass {
    switch self {
    case .null: .null
    case .untyped, .endpoint, .notification, .reply, .cnode, .thread, .schedContext: .physical
    case .irqControl, .irqHandler: .irq
    case .schedControl: .schedControl
    case .domain: .domain
    }
  }

  /// The memory a physical cap covers (`capRange`): base and log2 size; nil for other classes.
  public var capRange: (base: UInt64, sizeBits: UInt64)? {
    switch self {
    case .untyped(let base, let sizeBits, _, _): (base, sizeBits)
    case .endpoint(let r, _, _): (r, ObjectType.endpoint.objectSizeBits(userSizeBits: 0))
    case .notification(let r, _, _): (r, ObjectType.notification.objectSizeBits(userSizeBits: 0))
    case .reply(let r, _): (r, ObjectType.reply.objectSizeBits(userSizeBits: 0))
    case .cnode(let r, let radix, _, _): (r, radix &+ KernelConstants.slotBits)
    case .thread(let r): (r, ObjectType.tcb.objectSizeBits(userSizeBits: 0))
    case .schedContext(let r, let sizeBits): (r, sizeBits)
    case .null, .schedControl, .irqControl, .irqHandler, .domain: nil
    }
  }

  public var isUntyped: Bool {
    if case .untyped = self { return true }
    return false
  }

  /// The badge of an endpoint or notification cap; nil for other caps.
  public var badge: UInt64? {
    switch self {
    case .endpoint(_, let badge, _), .notification(_, let badge, _): badge
    default: nil
    }
  }

  /// `sameRegionAs a b`: `b` names memory or authority inside what `self` names.
  public func sameRegionAs(_ other: Capability) -> Bool {
    switch (self, other) {
    // An untyped region contains every physical cap whose range lies inside it.
    case (.untyped(let base, let sizeBits, _, _), _):
      guard let inner = other.capRange else { return false }
      return rangeContains(outer: (base, sizeBits), inner: inner)
    case (.endpoint(let a, _, _), .endpoint(let b, _, _)),
      (.notification(let a, _, _), .notification(let b, _, _)),
      (.reply(let a, _), .reply(let b, _)),
      (.thread(let a), .thread(let b)):
      return a == b
    case (.cnode(let a, let radixA, _, _), .cnode(let b, let radixB, _, _)):
      return a == b && radixA == radixB
    case (.schedContext(let a, let bitsA), .schedContext(let b, let bitsB)):
      return a == b && bitsA == bitsB
    // IRQControl's region is every interrupt line.
    case (.irqControl, .irqControl), (.irqControl, .irqHandler):
      return true
    case (.irqHandler(let a), .irqHandler(let b)):
      return a == b
    case (.schedControl, .schedControl), (.domain, .domain):
      return true
    default:
      return false
    }
  }

  /// `sameObjectAs a b`: `b` names the very object `self` names. Untyped caps name no object, and
  /// IRQControl is not the object of an IRQHandler.
  public func sameObjectAs(_ other: Capability) -> Bool {
    switch (self, other) {
    case (.untyped, _): false
    case (.irqControl, .irqHandler): false
    default: sameRegionAs(other)
    }
  }

  /// `maskCapRights`: EP caps keep all four rights, notifications Write and Read, a reply its Grant;
  /// other caps carry no rights and ignore the mask.
  public func maskCapRights(_ mask: CapRights) -> Capability {
    switch self {
    case .endpoint(let r, let badge, let rights): .endpoint(r, badge: badge, rights: rights.masked(by: mask))
    case .notification(let r, let badge, let rights):
      .notification(r, badge: badge, rights: rights.masked(by: mask.intersection([.write, .read])))
    case .reply(let r, let canGrant): .reply(r, canGrant: canGrant && mask.contains(.grant))
    case .null, .untyped, .cnode, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain: self
    }
  }

  /// `updateCapData preserve w cap`: badge an unbadged EP/Ntfn cap (else Null), or set a CNode
  /// cap's guard (bits 63..6) and guard size (bits 5..0; Null when guard size + radix > 64).
  public func updateCapData(preserve: Bool, _ word: UInt64) -> Capability {
    switch self {
    case .endpoint(let r, let badge, let rights):
      return badge == 0 && !preserve ? .endpoint(r, badge: word, rights: rights) : .null
    case .notification(let r, let badge, let rights):
      return badge == 0 && !preserve ? .notification(r, badge: word, rights: rights) : .null
    case .cnode(let r, let radix, _, _):
      let guardSize = word & 0x3F
      guard guardSize &+ radix <= UInt64(KernelConstants.wordBits) else { return .null }
      let guardBits = (word >> 6) & lowMask(guardSize)
      return .cnode(r, radix: radix, guardSize: guardSize, guard: guardBits)
    case .null, .untyped, .reply, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain:
      return self
    }
  }

  /// `isCapRevocable newCap srcCap`: whether a cap derived from `source` roots its own subtree.
  public func isCapRevocable(source: Capability) -> Bool {
    switch self {
    case .endpoint, .notification: badge != source.badge
    case .irqHandler: source == .irqControl
    case .untyped: true
    case .null, .reply, .cnode, .thread, .schedContext, .schedControl, .irqControl, .domain: false
    }
  }

  /// `hasCancelSendRights`: an endpoint cap with all four rights.
  public var hasCancelSendRights: Bool {
    if case .endpoint(_, _, let rights) = self { return rights == .all }
    return false
  }
}

// MARK: - Derivation

extension ExecState {
  /// `deriveCap slot cap`: the cap a copy of `cap` (from `slot`) gets. An untyped with children
  /// cannot be copied (RevokeFirst); IRQControl derives to Null (there is only one); MCS reply caps
  /// and every other cap derive unchanged.
  func deriveCap(_ slot: SlotRef, _ cap: Capability) throws(SyscallError) -> Capability {
    switch cap {
    case .untyped:
      try ensureNoChildren(slot)
      return cap
    case .irqControl:
      return .null
    case .null, .endpoint, .notification, .reply, .cnode, .thread, .schedContext, .schedControl, .irqHandler, .domain:
      return cap
    }
  }
}

// MARK: - Word helpers

/// `mask n`: the low `n` bits set (all 64 when `n` ≥ 64).
func lowMask(_ bits: UInt64) -> UInt64 {
  bits >= 64 ? UInt64.max : (UInt64(1) << bits) &- 1
}

/// The last byte of `[base, base + 2^sizeBits)`, saturating at the top of the address space.
func rangeLast(_ range: (base: UInt64, sizeBits: UInt64)) -> UInt64 {
  let (last, overflow) = range.base.addingReportingOverflow(lowMask(range.sizeBits))
  return overflow ? UInt64.max : last
}

/// True iff `inner` lies within `outer`.
func rangeContains(outer: (base: UInt64, sizeBits: UInt64), inner: (base: UInt64, sizeBits: UInt64)) -> Bool {
  outer.base <= inner.base && rangeLast(inner) <= rangeLast(outer)
}

/// True iff the two ranges share a byte.
func rangesOverlap(_ a: (base: UInt64, sizeBits: UInt64), _ b: (base: UInt64, sizeBits: UInt64)) -> Bool {
  a.base <= rangeLast(b) && b.base <= rangeLast(a)
}

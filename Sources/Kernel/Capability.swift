// Operations on capabilities (seL4 `src/object/objecttype.c`, `cnode.c`): regions and objects,
// rights masks, cap data, derivation and whether a new cap is revocable.
// Twins: `AbstractSpec/Capability.swift`, `ExecutableSpec/Capability.swift`.

import Bitwise
import KernelABI

extension Capability {
  /// True iff the cap names memory (`cap_get_capIsPhysical`).
  var isPhysical: Bool {
    switch self {
    case .untyped, .endpoint, .notification, .reply, .cnode, .thread, .schedContext: true
    case .null, .schedControl, .irqControl, .irqHandler, .domain: false
    }
  }

  /// The address a physical cap names (`cap_get_capPtr`); 0 for others.
  var capPtr: UInt64 { objectRef ?? 0 }

  /// log2 of the size of the memory a physical cap names (`cap_get_capSizeBits`); 0 for others.
  var capSizeBits: UInt64 {
    switch self {
    case .untyped(_, let sizeBits, _, _): sizeBits
    case .endpoint: ObjectType.endpointBits
    case .notification: ObjectType.notificationBits
    case .reply: ObjectType.replyBits
    case .cnode(_, let radix, _, _): radix &+ KernelConstants.slotBits
    case .thread: ObjectType.tcbBits
    case .schedContext(_, let sizeBits): sizeBits
    case .null, .schedControl, .irqControl, .irqHandler, .domain: 0
    }
  }
}

extension KernelState {
  /// `sameRegionAs(a, b)`: b's authority lies within a's region.
  static func sameRegionAs(_ a: Capability, _ b: Capability) -> Bool {
    switch a {
    // An untyped's region contains every physical cap inside [base, base + 2^sizeBits).
    case .untyped(let aBase, let aBits, _, _):
      guard b.isPhysical else { return false }
      let bBase = b.capPtr
      let aTop = aBase &+ UInt64.mask(bits: aBits)
      let bTop = bBase &+ UInt64.mask(bits: b.capSizeBits)
      return aBase <= bBase && bTop <= aTop && bBase <= bTop
    // EP and Ntfn: the object, whatever the badge.
    case .endpoint(let p, _, _):
      if case .endpoint(let q, _, _) = b { return p == q }
      return false
    case .notification(let p, _, _):
      if case .notification(let q, _, _) = b { return p == q }
      return false
    case .cnode(let p, let radix, _, _):
      if case .cnode(let q, let radixB, _, _) = b { return p == q && radix == radixB }
      return false
    case .thread(let p):
      if case .thread(let q) = b { return p == q }
      return false
    case .reply(let p, _):
      if case .reply(let q, _) = b { return p == q }
      return false
    case .schedContext(let p, let bits):
      if case .schedContext(let q, let bitsB) = b { return p == q && bits == bitsB }
      return false
    // IRQControl's region holds every IRQ handler.
    case .irqControl:
      switch b {
      case .irqControl, .irqHandler: return true
      default: return false
      }
    case .irqHandler(let irq):
      if case .irqHandler(let irqB) = b { return irq == irqB }
      return false
    // SchedControl and Domain are same-region with their own kind only.
    case .schedControl:
      if case .schedControl = b { return true }
      return false
    case .domain:
      return b == .domain
    case .null:
      return false
    }
  }

  /// `sameObjectAs(a, b)`: both name the same object (an untyped names none; IRQControl is not
  /// the object of an IRQ handler).
  static func sameObjectAs(_ a: Capability, _ b: Capability) -> Bool {
    if case .untyped = a { return false }
    if case .irqControl = a, case .irqHandler = b { return false }
    return sameRegionAs(a, b)
  }

  /// `maskCapRights`: EP caps keep all four rights, Ntfn caps Write and Read, Reply caps Grant;
  /// every other cap ignores the mask.
  static func maskCapRights(_ mask: CapRights, _ cap: Capability) -> Capability {
    switch cap {
    case .endpoint(let p, let badge, let rights):
      return .endpoint(p, badge: badge, rights: rights.masked(by: mask))
    case .notification(let p, let badge, let rights):
      return .notification(p, badge: badge, rights: rights.masked(by: mask).masked(by: [.write, .read]))
    case .reply(let p, let canGrant):
      return .reply(p, canGrant: canGrant && mask.contains(.grant))
    case .null, .untyped, .cnode, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain:
      return cap
    }
  }

  /// `updateCapData(preserve, data, cap)`: badge an unbadged EP/Ntfn (else Null), set a CNode's
  /// guard (Null when guard size + radix exceeds a word); other caps unchanged.
  static func updateCapData(preserve: Bool, _ data: UInt64, _ cap: Capability) -> Capability {
    switch cap {
    case .endpoint(let p, let badge, let rights):
      return !preserve && badge == 0 ? .endpoint(p, badge: data, rights: rights) : .null
    case .notification(let p, let badge, let rights):
      return !preserve && badge == 0 ? .notification(p, badge: data, rights: rights) : .null
    case .cnode(let p, let radix, _, _):
      let guardSize = CNodeCapData.guardSizeField.get(data)
      guard guardSize &+ radix <= UInt64(KernelConstants.wordBits) else { return .null }
      let capGuard = CNodeCapData.guardField.get(data) & UInt64.mask(bits: guardSize)
      return .cnode(p, radix: radix, guardSize: guardSize, guard: capGuard)
    case .null, .untyped, .reply, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain:
      return cap
    }
  }

  /// `isCapRevocable(new, src)`: the new cap is original (`mdbRevocable`).
  static func isCapRevocable(_ new: Capability, _ source: Capability) -> Bool {
    switch new {
    case .endpoint(_, let badge, _):
      if case .endpoint(_, let sourceBadge, _) = source { return badge != sourceBadge }
      return badge != 0
    case .notification(_, let badge, _):
      if case .notification(_, let sourceBadge, _) = source { return badge != sourceBadge }
      return badge != 0
    case .irqHandler:
      return source == .irqControl
    case .untyped:
      return true
    case .null, .reply, .cnode, .thread, .schedContext, .schedControl, .irqControl, .domain:
      return false
    }
  }

  /// `hasCancelSendRights`: an EP cap with all four rights.
  static func hasCancelSendRights(_ cap: Capability) -> Bool {
    if case .endpoint(_, _, let rights) = cap { return rights == .all }
    return false
  }

  /// `deriveCap(slot, cap)`: IRQControl derives to Null; an untyped with children must be revoked
  /// first; every other cap (MCS Reply included) derives unchanged.
  func deriveCap(_ slot: UInt64, _ cap: Capability) throws(SyscallError) -> Capability {
    switch cap {
    case .irqControl:
      return .null
    case .untyped:
      try ensureNoChildren(slot)
      return cap
    case .null, .endpoint, .notification, .reply, .cnode, .thread, .schedContext, .schedControl, .irqHandler,
      .domain:
      return cap
    }
  }
}

/// The CNode cap-data word (`cnode_capdata`): guard bits 63..6, guard size bits 5..0.
enum CNodeCapData {
  static let guardField = BitField("guard", offset: 6, width: 58)
  static let guardSizeField = BitField("guardSize", offset: 0, width: 6)
  static let layout = BitLayout("cnode_capdata", [guardField, guardSizeField])
}

// Capabilities as user space and system descriptions see them: the object a capability names,
// with its rights, badge, guard or memory range. Every layer speaks of capabilities in these
// terms at its boundary (system plans, observations, relations); each layer stores them its own
// way (the abstract and executable specs as these values, the kernel as packed words).
//
// Object references are physical addresses of objects (aligned to the object's size), exactly
// as seL4's capabilities carry them.

/// The physical address of a kernel object.
public typealias ObjectRef = UInt64

/// A capability (MCS object kinds; no architecture caps yet).
public enum Capability: Hashable, Sendable, Codable {
  /// The empty slot.
  case null
  /// Authority over a power-of-two region of memory: `[base, base + 2^sizeBits)`. `freeIndex` is
  /// the watermark in bytes from `base`: memory below it may be in use by retyped objects.
  case untyped(base: UInt64, sizeBits: UInt64, isDevice: Bool, freeIndex: UInt64)
  /// An endpoint; `badge` 0 is unbadged. Rights: all four.
  case endpoint(ObjectRef, badge: UInt64, rights: CapRights)
  /// A notification; rights Write and Read only.
  case notification(ObjectRef, badge: UInt64, rights: CapRights)
  /// An MCS reply object; `canGrant` is the Grant right the reply carries.
  case reply(ObjectRef, canGrant: Bool)
  /// A CNode of `2^radix` slots with a guard of `guardSize` bits.
  case cnode(ObjectRef, radix: UInt64, guardSize: UInt64, guard: UInt64)
  /// A thread control block.
  case thread(ObjectRef)
  /// A scheduling context of `2^sizeBits` bytes.
  case schedContext(ObjectRef, sizeBits: UInt64)
  /// Authority to configure scheduling contexts on one core.
  case schedControl(core: UInt64)
  /// Authority to create IRQ handler caps.
  case irqControl
  /// Authority over one interrupt line.
  case irqHandler(irq: UInt64)
  /// Authority to set threads' domains.
  case domain

  /// The object the capability names, for caps that name one.
  public var objectRef: ObjectRef? {
    switch self {
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .cnode(let r, _, _, _),
      .thread(let r), .schedContext(let r, _):
      return r
    case .untyped(let base, _, _, _): return base
    case .null, .schedControl, .irqControl, .irqHandler, .domain: return nil
    }
  }

  public var isNull: Bool { self == .null }

  /// The badge of an endpoint or notification cap (0: unbadged); nil for caps that carry none.
  public var badge: UInt64? {
    switch self {
    case .endpoint(_, let badge, _), .notification(_, let badge, _): badge
    default: nil
    }
  }
}

/// A capability slot: slot `index` of the CNode (or TCB) at `container`.
public struct SlotRef: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  /// The address of the CNode or TCB holding the slot.
  public var container: ObjectRef
  public var index: UInt64

  public init(_ container: ObjectRef, _ index: UInt64) {
    self.container = container
    self.index = index
  }

  public static func < (a: SlotRef, b: SlotRef) -> Bool {
    (a.container, a.index) < (b.container, b.index)
  }

  public var description: String { "(0x\(String(container, radix: 16)), \(index))" }
}

/// The capability slots of a TCB (MCS `tcb_cap_cases` order).
public enum TCBSlot: UInt64, CaseIterable, Sendable, Codable {
  /// The thread's CSpace root (a CNode cap).
  case cspace = 0
  /// The thread's VSpace root.
  case vspace = 1
  /// The IPC buffer frame.
  case ipcBuffer = 2
  /// The fault handler endpoint.
  case faultHandler = 3
  /// The timeout handler endpoint.
  case timeoutHandler = 4

  public static let count: UInt64 = 5
}

extension Capability {
  /// The region (base, log2 size) of an untyped cap; nil for every other cap.
  public var untypedRegion: (base: UInt64, sizeBits: UInt64)? {
    if case .untyped(let base, let sizeBits, _, _) = self { (base, sizeBits) } else { nil }
  }
}

// Capabilities as the kernel stores them: two packed 64-bit words per slot.
//
// Kernel only: the spec layers hold caps as `Capability` values, so this file has no twin there.
//
// As in seL4 (`structures_64.bf`), word 0 carries the capability type tag in its top five bits and,
// for caps that name an object, the object's 48-bit address in its low bits; word 1 carries a full
// word where the cap has one (badge, guard, core, IRQ) or the untyped cap's free index, device bit
// and block size. Each cap type's two words are declared once as `BitLayout`s; encoding, decoding
// and the padding check all read field positions from those declarations. The untyped free index
// is stored in 2^MinUntypedBits-byte units, as the C kernel does.
//
// `decodeCap` accepts exactly the encodings `encodeCap` produces for well-formed caps: a known tag,
// zero padding, a CNode whose guard size and radix fit in a word, an object address aligned to its
// object's size, an untyped free index within the block. Anything else is not a capability (nil).

public import Bitwise
public import KernelABI

/// The type tag in a capability's word 0 (seL4 `cap_tag_t`; even numbers, arch caps are odd).
public enum CapTag: UInt64, CaseIterable, Sendable {
  case null = 0
  case untyped = 2
  case endpoint = 4
  case notification = 6
  case reply = 8
  case cnode = 10
  case thread = 12
  case irqControl = 14
  case irqHandler = 16
  case domain = 20
  case schedContext = 22
  case schedControl = 24
}

/// The packed layouts of capability words.
public enum CapWordLayout {
  // MARK: Fields

  /// Word 0 of every cap: the type tag.
  public static let capType = BitField("capType", offset: 59, width: 5)
  /// Word 0: a 48-bit object address (untyped base, EP, Ntfn, Reply, TCB, SC).
  public static let capPtr = BitField("capPtr", offset: 0, width: 48)
  /// Word 0 of EP and Ntfn caps: the rights word (bit order of `seL4_CapRights`).
  public static let capRights = BitField("capRights", offset: 55, width: 4)
  /// Word 0 of Reply caps: the Grant right.
  public static let capReplyCanGrant = BitField("capReplyCanGrant", offset: 58, width: 1)
  /// Word 0 of CNode caps: guard size, radix, and address bits 47..1 (CNodes are 32-byte aligned).
  public static let capCNodeGuardSize = BitField("capCNodeGuardSize", offset: 53, width: 6)
  public static let capCNodeRadix = BitField("capCNodeRadix", offset: 47, width: 6)
  public static let capCNodePtr = BitField("capCNodePtr", offset: 0, width: 47)
  /// Word 0 of SC caps: log2 of the SC's size.
  public static let capSCSizeBits = BitField("capSCSizeBits", offset: 53, width: 6)
  /// Word 1 of EP/Ntfn caps: the badge; of CNode caps: the guard; SchedControl: the core; IRQHandler: the IRQ.
  public static let capBadge = BitField("capBadge", offset: 0, width: 64)
  public static let capCNodeGuard = BitField("capCNodeGuard", offset: 0, width: 64)
  public static let capCore = BitField("capCore", offset: 0, width: 64)
  public static let capIRQ = BitField("capIRQ", offset: 0, width: 64)
  /// Word 1 of untyped caps: free index in 16-byte units, device bit, block size.
  public static let capFreeIndex = BitField("capFreeIndex", offset: 16, width: 48)
  public static let capIsDevice = BitField("capIsDevice", offset: 6, width: 1)
  public static let capBlockSize = BitField("capBlockSize", offset: 0, width: 6)

  // MARK: Layouts, one pair per cap type

  public static let nullCap = (BitLayout("null_cap[0]", [capType]), BitLayout("null_cap[1]", []))
  public static let untypedCap = (
    BitLayout("untyped_cap[0]", [capType, capPtr]),
    BitLayout("untyped_cap[1]", [capFreeIndex, capIsDevice, capBlockSize])
  )
  public static let endpointCap = (
    BitLayout("endpoint_cap[0]", [capType, capRights, capPtr]), BitLayout("endpoint_cap[1]", [capBadge])
  )
  public static let notificationCap = (
    BitLayout("notification_cap[0]", [capType, capRights, capPtr]),
    BitLayout("notification_cap[1]", [capBadge])
  )
  public static let replyCap = (
    BitLayout("reply_cap[0]", [capType, capReplyCanGrant, capPtr]), BitLayout("reply_cap[1]", [])
  )
  public static let cnodeCap = (
    BitLayout("cnode_cap[0]", [capType, capCNodeGuardSize, capCNodeRadix, capCNodePtr]),
    BitLayout("cnode_cap[1]", [capCNodeGuard])
  )
  public static let threadCap = (BitLayout("thread_cap[0]", [capType, capPtr]), BitLayout("thread_cap[1]", []))
  public static let irqControlCap = (BitLayout("irq_control_cap[0]", [capType]), BitLayout("irq_control_cap[1]", []))
  public static let irqHandlerCap = (
    BitLayout("irq_handler_cap[0]", [capType]), BitLayout("irq_handler_cap[1]", [capIRQ])
  )
  public static let domainCap = (BitLayout("domain_cap[0]", [capType]), BitLayout("domain_cap[1]", []))
  public static let schedContextCap = (
    BitLayout("sched_context_cap[0]", [capType, capSCSizeBits, capPtr]), BitLayout("sched_context_cap[1]", [])
  )
  public static let schedControlCap = (
    BitLayout("sched_control_cap[0]", [capType]), BitLayout("sched_control_cap[1]", [capCore])
  )

  /// The two word layouts of caps with tag `tag`.
  public static func layouts(for tag: CapTag) -> (BitLayout, BitLayout) {
    switch tag {
    case .null: nullCap
    case .untyped: untypedCap
    case .endpoint: endpointCap
    case .notification: notificationCap
    case .reply: replyCap
    case .cnode: cnodeCap
    case .thread: threadCap
    case .irqControl: irqControlCap
    case .irqHandler: irqHandlerCap
    case .domain: domainCap
    case .schedContext: schedContextCap
    case .schedControl: schedControlCap
    }
  }

  /// The untyped free index in bytes as stored (16-byte units, rounded up) and back.
  @inlinable
  public static func freeIndexToUnits<W: MachineWord>(_ bytes: W) -> W {
    (bytes &+ W(constant: 15)) >> W(constant: KernelConstants.minUntypedBits)
  }
  @inlinable
  public static func freeIndexToBytes<W: MachineWord>(_ units: W) -> W {
    units << W(constant: KernelConstants.minUntypedBits)
  }
}

extension KernelState {
  /// The two words that store `cap`. Pointers are kept to 48 bits, CNode guard size and radix and
  /// SC size to 6 bits; caps within those bounds (every cap a valid plan or the kernel makes)
  /// round-trip through `decodeCap`.
  public static func encodeCap(_ cap: Capability) -> (UInt64, UInt64) {
    typealias L = CapWordLayout
    func tagged(_ tag: CapTag) -> UInt64 { L.capType.set(0, to: tag.rawValue) }
    switch cap {
    case .null:
      return (0, 0)
    case .untyped(let base, let sizeBits, let isDevice, let freeIndex):
      var w1 = L.capFreeIndex.set(0, to: L.freeIndexToUnits(freeIndex))
      w1 = L.capIsDevice.set(w1, to: isDevice ? 1 : 0)
      w1 = L.capBlockSize.set(w1, to: sizeBits)
      return (L.capPtr.set(tagged(.untyped), to: base), w1)
    case .endpoint(let ptr, let badge, let rights):
      let w0 = L.capRights.set(L.capPtr.set(tagged(.endpoint), to: ptr), to: rights.rawValue)
      return (w0, L.capBadge.set(0, to: badge))
    case .notification(let ptr, let badge, let rights):
      let w0 = L.capRights.set(L.capPtr.set(tagged(.notification), to: ptr), to: rights.rawValue)
      return (w0, L.capBadge.set(0, to: badge))
    case .reply(let ptr, let canGrant):
      return (L.capReplyCanGrant.set(L.capPtr.set(tagged(.reply), to: ptr), to: canGrant ? 1 : 0), 0)
    case .cnode(let ptr, let radix, let guardSize, let capGuard):
      var w0 = L.capCNodePtr.set(tagged(.cnode), to: ptr >> 1)
      w0 = L.capCNodeRadix.set(w0, to: radix)
      w0 = L.capCNodeGuardSize.set(w0, to: guardSize)
      return (w0, L.capCNodeGuard.set(0, to: capGuard))
    case .thread(let ptr):
      return (L.capPtr.set(tagged(.thread), to: ptr), 0)
    case .schedContext(let ptr, let sizeBits):
      return (L.capSCSizeBits.set(L.capPtr.set(tagged(.schedContext), to: ptr), to: sizeBits), 0)
    case .schedControl(let core):
      return (tagged(.schedControl), L.capCore.set(0, to: core))
    case .irqControl:
      return (tagged(.irqControl), 0)
    case .irqHandler(let irq):
      return (tagged(.irqHandler), L.capIRQ.set(0, to: irq))
    case .domain:
      return (tagged(.domain), 0)
    }
  }

  /// The capability two stored words encode; nil when they encode none.
  public static func decodeCap(_ w0: UInt64, _ w1: UInt64) -> Capability? {
    typealias L = CapWordLayout
    guard let tag = CapTag(rawValue: L.capType.get(w0)) else { return nil }
    let (layout0, layout1) = L.layouts(for: tag)
    guard w0 & layout0.unusedMask == 0, w1 & layout1.unusedMask == 0 else { return nil }
    func aligned(_ ptr: UInt64, _ bits: UInt64) -> Bool { UInt64.isAligned(ptr, bits: bits) }
    switch tag {
    case .null:
      return .null
    case .untyped:
      let base = L.capPtr.get(w0)
      let sizeBits = L.capBlockSize.get(w1)
      let freeIndex = L.freeIndexToBytes(L.capFreeIndex.get(w1))
      guard aligned(base, sizeBits), sizeBits < 64, freeIndex <= (1 << sizeBits) else { return nil }
      return .untyped(base: base, sizeBits: sizeBits, isDevice: L.capIsDevice.get(w1) == 1, freeIndex: freeIndex)
    case .endpoint:
      let ptr = L.capPtr.get(w0)
      guard aligned(ptr, ObjectType.endpointBits) else { return nil }
      return .endpoint(ptr, badge: L.capBadge.get(w1), rights: CapRights(rawValue: L.capRights.get(w0)))
    case .notification:
      let ptr = L.capPtr.get(w0)
      guard aligned(ptr, ObjectType.notificationBits) else { return nil }
      return .notification(ptr, badge: L.capBadge.get(w1), rights: CapRights(rawValue: L.capRights.get(w0)))
    case .reply:
      let ptr = L.capPtr.get(w0)
      guard aligned(ptr, ObjectType.replyBits) else { return nil }
      return .reply(ptr, canGrant: L.capReplyCanGrant.get(w0) == 1)
    case .cnode:
      let ptr = L.capCNodePtr.get(w0) << 1
      let radix = L.capCNodeRadix.get(w0)
      let guardSize = L.capCNodeGuardSize.get(w0)
      guard guardSize &+ radix <= 64, aligned(ptr, radix &+ KernelConstants.slotBits) else { return nil }
      return .cnode(ptr, radix: radix, guardSize: guardSize, guard: L.capCNodeGuard.get(w1))
    case .thread:
      let ptr = L.capPtr.get(w0)
      guard aligned(ptr, ObjectType.tcbBits) else { return nil }
      return .thread(ptr)
    case .schedContext:
      let ptr = L.capPtr.get(w0)
      let sizeBits = L.capSCSizeBits.get(w0)
      guard aligned(ptr, sizeBits) else { return nil }
      return .schedContext(ptr, sizeBits: sizeBits)
    case .schedControl:
      return .schedControl(core: L.capCore.get(w1))
    case .irqControl:
      return .irqControl
    case .irqHandler:
      return .irqHandler(irq: L.capIRQ.get(w1))
    case .domain:
      return .domain
    }
  }
}

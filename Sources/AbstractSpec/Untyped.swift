// Untyped_Retype: turning untyped memory into kernel objects.
//
// An untyped cap grants a power-of-two region of memory. Retype carves `count` objects of one
// type and size out of it, at the first suitably aligned address above the region's watermark
// (`freeIndex`), and puts an original cap to each into consecutive empty slots of a destination
// CNode; every new cap is a child of the untyped cap in the derivation tree. When the untyped cap
// has no children left (everything made from it was revoked), the region is reset first and the
// watermark starts again from the bottom. Placement is not a choice: it is the aligned watermark.
// (`seL4:src/object/untyped.c`, `l4v:spec/abstract/Decode_A.thy` `decode_untyped_invocation`,
// `Retype_A.thy` `retype_region`, `create_cap`.) Twins: `ExecutableSpec/Untyped.swift`,
// `Kernel/Untyped.swift`.

public import KernelABI

/// A decoded Untyped_Retype: everything `invokeUntyped` needs.
public struct RetypeInvocation: Hashable, Sendable {
  /// The untyped cap's slot, and whether its region is reset (it has no children).
  public var untypedSlot: SlotRef
  public var reset: Bool
  public var type: ObjectType
  /// The caller's size_bits, and log2 of each object's size.
  public var userSizeBits: UInt64
  public var objectSizeBits: UInt64
  /// The first new object's address.
  public var start: UInt64
  /// The destination slots, in creation order.
  public var destSlots: [SlotRef]
}

extension AbstractState {
  /// Decode Untyped_Retype on the cap in `untypedSlot` (`decode_untyped_invocation`), in §7's order.
  /// Arguments: 0 type, 1 size_bits, 2 node index, 3 node depth, 4 node offset, 5 count; extra cap 0
  /// is the CSpace root the node index is resolved in.
  public func decodeUntypedInvocation(_ args: InvocationArguments, _ untypedSlot: SlotRef)
    throws(SyscallError) -> RetypeInvocation
  {
    guard case .untyped(let base, let blockBits, let isDevice, let freeIndex) = getCap(untypedSlot) else {
      throw .invalidCapability(index: 0)
    }
    guard args.label == InvocationLabel.untypedRetype.rawValue else { throw .illegalOperation }
    guard args.length >= 6, let root = args.extraCaps.first else { throw .truncatedMessage }
    let r = args.registers
    let (userSizeBits, nodeIndex, nodeDepth, offset, count) = (r[1], r[2], r[3], r[4], r[5])
    guard let type = ObjectType(rawValue: r[0]) else { throw .invalidArgument(argument: 0) }
    let objectSizeBits = type.objectSizeBits(userSizeBits: userSizeBits)
    let wordBits = UInt64(KernelConstants.wordBits)
    guard userSizeBits < wordBits && objectSizeBits <= KernelConstants.maxUntypedBits else {
      throw .rangeError(min: 0, max: KernelConstants.maxUntypedBits)
    }
    guard !type.userSizeBitsBelowMinimum(userSizeBits) else { throw .invalidArgument(argument: 1) }
    let node = try destinationCNode(root, nodeIndex, depth: nodeDepth)
    let destSlots = try destinationSlots(node, offset: offset, count: count)
    // A region with nothing made from it still alive starts again from its bottom.
    let reset = !hasChildren(untypedSlot)
    let usedBytes = reset ? 0 : freeIndex
    let freeBytes = bit(blockBits) &- usedBytes
    guard (freeBytes >> objectSizeBits) >= count else { throw .notEnoughMemory(freeBytes: freeBytes) }
    // Device memory may only become frames or smaller untyped regions.
    guard !isDevice || type == .untyped else { throw .invalidArgument(argument: 1) }
    let start = alignUp(base &+ usedBytes, bits: objectSizeBits)
    return RetypeInvocation(
      untypedSlot: untypedSlot, reset: reset, type: type, userSizeBits: userSizeBits,
      objectSizeBits: objectSizeBits, start: start, destSlots: destSlots)
  }

  /// The CNode that receives Retype's caps (§7 steps 6–7): the root itself at depth 0, else the cap
  /// in the slot the index names.
  func destinationCNode(_ root: Capability, _ index: UInt64, depth: UInt64) throws(SyscallError) -> (
    ObjectRef, radix: UInt64
  ) {
    let nodeCap = depth == 0 ? root : getCap(try lookupSlotForCNodeOp(isSource: false, root, index, depth: depth))
    guard case .cnode(let node, let radix, _, _) = nodeCap else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: depth))
    }
    return (node, radix)
  }

  /// The `count` destination slots from `offset` (§7 steps 8–11): within the CNode, within the
  /// fan-out limit, and all empty.
  func destinationSlots(_ node: (ObjectRef, radix: UInt64), offset: UInt64, count: UInt64) throws(SyscallError)
    -> [SlotRef]
  {
    let slotCount = bit(node.radix)
    guard offset <= slotCount &- 1 else { throw .rangeError(min: 0, max: slotCount &- 1) }
    let limit = KernelConstants.retypeFanOutLimit
    guard count >= 1 && count <= limit else { throw .rangeError(min: 1, max: limit) }
    guard count <= slotCount &- offset else { throw .rangeError(min: 1, max: slotCount &- offset) }
    let slots = (0..<count).map { SlotRef(node.0, offset &+ $0) }
    for slot in slots { try ensureEmptySlot(slot) }
    return slots
  }

  /// Perform a decoded Retype (`invoke_untyped` with `retype_region` and `create_cap`): reset the
  /// region if asked, raise the watermark past the new objects, then create each object and its cap.
  public mutating func invokeUntyped(_ retype: RetypeInvocation) {
    guard case .untyped(let base, let blockBits, let isDevice, _) = getCap(retype.untypedSlot) else { return }
    let objectSize = bit(retype.objectSizeBits)
    let end = retype.start &+ objectSize &* UInt64(retype.destSlots.count)
    setCap(retype.untypedSlot, .untyped(base: base, sizeBits: blockBits, isDevice: isDevice, freeIndex: end &- base))
    for (i, dest) in retype.destSlots.enumerated() {
      let address = retype.start &+ objectSize &* UInt64(i)
      if let object = AbstractState.defaultObject(retype.type, retype.userSizeBits) { kheap[address] = object }
      insertNewCap(
        parent: retype.untypedSlot, slot: dest,
        AbstractState.newCap(retype.type, address, retype.userSizeBits, isDevice: isDevice))
    }
  }

  /// A fresh object of `type` (`default_object`); nil for Untyped, which makes no object.
  static func defaultObject(_ type: ObjectType, _ userSizeBits: UInt64) -> KernelObject? {
    switch type {
    case .untyped: nil
    case .tcb: .tcb(TCB(state: .inactive, priority: 0, maxControlledPriority: 0))
    case .endpoint: .endpoint(Endpoint())
    case .notification: .notification(Notification())
    case .capTable: .cnode(CNode(radix: userSizeBits))
    case .schedContext: .schedContext(SchedContext(sizeBits: userSizeBits))
    case .reply: .reply(Reply())
    }
  }

  /// The cap to a new object of `type` at `address` (`default_cap`).
  static func newCap(_ type: ObjectType, _ address: UInt64, _ userSizeBits: UInt64, isDevice: Bool) -> Capability {
    switch type {
    case .untyped: .untyped(base: address, sizeBits: userSizeBits, isDevice: isDevice, freeIndex: 0)
    case .tcb: .thread(address)
    case .endpoint: .endpoint(address, badge: 0, rights: .all)
    case .notification: .notification(address, badge: 0, rights: [.read, .write])
    case .capTable: .cnode(address, radix: userSizeBits, guardSize: 0, guard: 0)
    case .schedContext: .schedContext(address, sizeBits: userSizeBits)
    case .reply: .reply(address, canGrant: true)
    }
  }
}

/// `x` rounded up to a multiple of `2^bits` (`alignUp`): `(x + 2^bits − 1) & ~(2^bits − 1)`.
func alignUp(_ x: UInt64, bits: UInt64) -> UInt64 {
  (x &+ mask(bits)) & ~mask(bits)
}

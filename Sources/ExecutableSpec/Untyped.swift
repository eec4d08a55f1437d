// Untyped_Retype (`decodeUntypedInvocation`, `invokeUntyped`, `createNewObjects` in
// `SEL4.Object.Untyped` and `SEL4.Object.ObjectType`).
//
// Decoding runs the fifteen checks of the reference (§7) in order. An untyped with no MDB
// children is reset first: its free index restarts at 0 (memory contents are not modelled). New
// objects are placed from the aligned free pointer, one after another; each new cap goes into slot
// `offset + i` of the destination CNode and is inserted right after the untyped in the list, in
// creation order, so the last object created comes first. The untyped's free index becomes the end
// of the last object, in bytes from its base.
// Twins: `AbstractSpec/Untyped.swift`, `Kernel/Untyped.swift`.

public import KernelABI

/// A decoded Retype (`Retype` in the Haskell model's `UntypedInvocation`).
public struct RetypeInvocation: Hashable, Sendable {
  /// The untyped cap's slot.
  public var untypedSlot: SlotRef
  /// The untyped has no children: reset its free index to 0 first.
  public var reset: Bool
  /// The address of the first new object (aligned to the object size).
  public var start: UInt64
  public var type: ObjectType
  public var userSizeBits: UInt64
  /// The destination slots, one per object, in creation order.
  public var destSlots: [SlotRef]
  public var isDevice: Bool
}

extension ExecState {
  /// `decodeUntypedInvocation`: Retype's checks in reference order.
  /// - Parameters: as `decodeCNodeInvocation`; `slot` is where the invoked untyped cap lives.
  /// - Throws: the first failing check's error (§7 steps 1–14).
  public func decodeUntypedInvocation(
    label: UInt64, args: [UInt64], slot: SlotRef, cap: Capability, extraCaps: [Capability]
  ) throws(SyscallError) -> RetypeInvocation {
    guard label == InvocationLabel.untypedRetype.rawValue else { throw .illegalOperation }
    guard args.count >= 6, let rootCap = extraCaps.first else { throw .truncatedMessage }
    guard case .untyped(let base, let blockSize, let isDevice, let capFreeIndex) = cap else { throw .illegalOperation }
    guard let type = ObjectType(rawValue: args[0]) else { throw .invalidArgument(argument: 0) }
    let userSize = args[1]
    let wordBits = UInt64(KernelConstants.wordBits)
    let maxUntypedBits = KernelConstants.maxUntypedBits
    guard userSize < wordBits, type.objectSizeBits(userSizeBits: userSize) <= maxUntypedBits else {
      throw .rangeError(min: 0, max: maxUntypedBits)
    }
    let objectSize = type.objectSizeBits(userSizeBits: userSize)
    guard !type.userSizeBitsBelowMinimum(userSize) else { throw .invalidArgument(argument: 1) }
    let (nodeIndex, nodeDepth, nodeOffset, nodeWindow) = (args[2], args[3], args[4], args[5])
    // The destination CNode: the root cap itself at depth 0, else the cap in the slot it names.
    let nodeCap: Capability
    if nodeDepth == 0 {
      nodeCap = rootCap
    } else {
      nodeCap = getCap(try lookupSlotForCNodeOp(isSource: false, rootCap, nodeIndex, depth: nodeDepth))
    }
    guard case .cnode(let nodeRef, let radix, _, _) = nodeCap else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: nodeDepth))
    }
    let nodeSize = UInt64(1) << radix
    guard nodeOffset <= nodeSize &- 1 else { throw .rangeError(min: 0, max: nodeSize &- 1) }
    let fanOut = KernelConstants.retypeFanOutLimit
    guard nodeWindow >= 1, nodeWindow <= fanOut else { throw .rangeError(min: 1, max: fanOut) }
    guard nodeWindow <= nodeSize &- nodeOffset else { throw .rangeError(min: 1, max: nodeSize &- nodeOffset) }
    let slots = (0..<nodeWindow).map { SlotRef(nodeRef, nodeOffset &+ $0) }
    for destination in slots { try ensureEmptySlot(destination) }
    // An untyped without children may be reset: everything in it is gone.
    let reset = !hasChildren(slot)
    let freeIndex = reset ? 0 : capFreeIndex
    let freeBytes = (UInt64(1) << blockSize) &- freeIndex
    guard freeBytes >> objectSize >= nodeWindow else { throw .notEnoughMemory(freeBytes: freeBytes) }
    guard !isDevice || type == .untyped else { throw .invalidArgument(argument: 1) }
    let start = UInt64.alignUp(base &+ freeIndex, bits: objectSize)
    return RetypeInvocation(
      untypedSlot: slot, reset: reset, start: start, type: type, userSizeBits: userSize, destSlots: slots,
      isDevice: isDevice)
  }

  /// `invokeUntyped (Retype …)`: reset if asked, advance the free index past the new objects, then
  /// create them and their caps.
  public mutating func invokeUntyped(_ retype: RetypeInvocation) {
    guard case .untyped(let base, let blockSize, let isDevice, _) = getCap(retype.untypedSlot) else {
      return
    }
    let objectSize = retype.type.objectSizeBits(userSizeBits: retype.userSizeBits)
    let total = UInt64(truncatingIfNeeded: retype.destSlots.count) << objectSize
    let newFreeIndex = retype.start &+ total &- base
    setCap(
      retype.untypedSlot, .untyped(base: base, sizeBits: blockSize, isDevice: isDevice, freeIndex: newFreeIndex))
    for (i, slot) in retype.destSlots.enumerated() {
      let address = retype.start &+ (UInt64(truncatingIfNeeded: i) << objectSize)
      let cap = createObject(retype.type, at: address, userSizeBits: retype.userSizeBits, isDevice: isDevice)
      insertNewCap(parent: retype.untypedSlot, slot: slot, cap)
    }
  }

  /// `createObject`: place a fresh object of `type` at `address` and return the cap to it.
  mutating func createObject(_ type: ObjectType, at address: UInt64, userSizeBits: UInt64, isDevice: Bool) -> Capability
  {
    switch type {
    case .untyped:
      return .untyped(base: address, sizeBits: userSizeBits, isDevice: isDevice, freeIndex: 0)
    case .tcb:
      ksPSpace[address] = .tcb(.fresh)
      return .thread(address)
    case .endpoint:
      ksPSpace[address] = .endpoint(.idleEP)
      return .endpoint(address, badge: 0, rights: .all)
    case .notification:
      ksPSpace[address] = .notification(Notification())
      return .notification(address, badge: 0, rights: [.read, .write])
    case .capTable:
      ksPSpace[address] = .cnode(CNode(radix: userSizeBits))
      return .cnode(address, radix: userSizeBits, guardSize: 0, guard: 0)
    case .schedContext:
      ksPSpace[address] = .schedContext(SchedContext(sizeBits: userSizeBits))
      return .schedContext(address, sizeBits: userSizeBits)
    case .reply:
      ksPSpace[address] = .reply(Reply())
      return .reply(address, canGrant: true)
    }
  }
}

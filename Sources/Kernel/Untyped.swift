// Untyped_Retype (seL4 `src/object/untyped.c`, `src/object/objecttype.c createObject`): carving new
// objects out of an untyped region.
//
// Objects are placed from the region's free index upwards, the first aligned to the object size;
// each gets an original cap in consecutive destination slots, inserted right after the untyped's
// node in creation order (so the last object's cap ends up first). The placement arithmetic is
// written once over `MachineWord` (`RetypeArithmetic`). Twins: `AbstractSpec/Untyped.swift`,
// `ExecutableSpec/Untyped.swift`.

public import Bitwise
import KernelABI

/// Retype's placement arithmetic, generic over the word.
public enum RetypeArithmetic {
  /// Free bytes in a block of `2^blockBits` bytes whose first `freeOffset` bytes are used.
  @inlinable
  public static func freeBytes<W: MachineWord>(blockBits: W, freeOffset: W) -> W {
    (W(constant: 1) << blockBits) &- freeOffset
  }

  /// True iff `count` objects of `2^objectBits` bytes fit in `freeBytes` (the block's base is
  /// block-aligned, so aligned placement loses nothing the quotient counts).
  @inlinable
  public static func enoughMemory<W: MachineWord>(freeBytes: W, objectBits: W, count: W) -> W.Condition {
    (objectBits .< W(constant: 64)) .&& ((freeBytes >> objectBits) .>= count)
  }

  /// The first object's address: the free watermark rounded up to the object size.
  @inlinable
  public static func start<W: MachineWord>(base: W, freeOffset: W, objectBits: W) -> W {
    W.alignUp(base &+ freeOffset, bits: objectBits)
  }

  /// Object i's address.
  @inlinable
  public static func objectAddress<W: MachineWord>(start: W, index: W, objectBits: W) -> W {
    start &+ (index << objectBits)
  }

  /// The untyped's new free offset in bytes after placing `count` objects from `start`.
  @inlinable
  public static func newFreeOffset<W: MachineWord>(base: W, start: W, count: W, objectBits: W) -> W {
    start &+ (count << objectBits) &- base
  }
}

/// A decoded Retype: everything `invokeUntyped` needs (slots are CTE addresses).
struct RetypeInvocation {
  /// The untyped cap's CTE.
  var untypedSlot: UInt64
  /// The address of the first new object (aligned to the object size).
  var start: UInt64
  var type: ObjectType
  var userSizeBits: UInt64
  /// log2 of each object's size.
  var objectBits: UInt64
  /// The destination CNode and the first of the `count` consecutive slots that receive the caps.
  var destCNode: ObjectRef
  var destOffset: UInt64
  var count: UInt64
}

extension KernelState {
  /// `decodeUntypedInvocation`: Retype's checks in seL4's order; it writes nothing.
  func decodeUntypedInvocation(_ label: UInt64, _ untypedSlot: UInt64, _ message: Message)
    throws(SyscallError) -> RetypeInvocation
  {
    guard label == InvocationLabel.untypedRetype.rawValue else { throw .illegalOperation }
    guard message.length >= 6, let rootSlot = message.extraCap(0) else { throw .truncatedMessage }
    let newType = message.arg(0)
    let userSize = message.arg(1)
    let nodeIndex = message.arg(2)
    let nodeDepth = message.arg(3)
    let nodeOffset = message.arg(4)
    let nodeWindow = message.arg(5)

    guard let type = ObjectType(rawValue: newType) else { throw .invalidArgument(argument: 0) }
    let objectBits = ObjectType.objectSizeBits(type: newType, userSizeBits: userSize)
    guard userSize < UInt64(KernelConstants.wordBits), objectBits <= KernelConstants.maxUntypedBits else {
      throw .rangeError(min: 0, max: KernelConstants.maxUntypedBits)
    }
    guard !ObjectType.userSizeBitsBelowMinimum(type: newType, userSizeBits: userSize) else {
      throw .invalidArgument(argument: 1)
    }

    // The destination CNode: the root cap itself at depth 0, else a slot named by index and depth.
    let rootCap = getCap(rootSlot)
    let nodeCap =
      nodeDepth == 0 ? rootCap : getCap(try lookupSlotForCNodeOp(isSource: false, rootCap, nodeIndex, depth: nodeDepth))
    guard case .cnode(let cnode, let radix, _, _) = nodeCap else {
      throw .failedLookup(source: false, failure: .missingCapability(bitsLeft: nodeDepth))
    }
    let nodeSize: UInt64 = 1 << radix
    guard nodeOffset <= nodeSize &- 1 else { throw .rangeError(min: 0, max: nodeSize &- 1) }
    guard nodeWindow >= 1, nodeWindow <= KernelConstants.retypeFanOutLimit else {
      throw .rangeError(min: 1, max: KernelConstants.retypeFanOutLimit)
    }
    guard nodeWindow <= nodeSize &- nodeOffset else { throw .rangeError(min: 1, max: nodeSize &- nodeOffset) }
    for i in 0..<nodeWindow {
      let slot = CSpaceArithmetic.slotAddress(cnode: cnode, index: nodeOffset &+ i)
      try ensureEmptySlot(slot)
    }

    guard case .untyped(let base, let blockBits, let isDevice, let freeIndex) = getCap(untypedSlot) else {
      throw .invalidCapability(index: 0)
    }
    // With no children the untyped is reset: its whole block is free again.
    let reset = !hasChildren(untypedSlot)
    let freeOffset = reset ? 0 : (seams.retypeFreeIndex?(freeIndex) ?? freeIndex)
    let free = RetypeArithmetic.freeBytes(blockBits: blockBits, freeOffset: freeOffset)
    guard RetypeArithmetic.enoughMemory(freeBytes: free, objectBits: objectBits, count: nodeWindow) else {
      throw .notEnoughMemory(freeBytes: free)
    }
    // Device memory can only become frames or smaller untypeds.
    guard !isDevice || type == .untyped else { throw .invalidArgument(argument: 1) }

    let start = RetypeArithmetic.start(base: base, freeOffset: freeOffset, objectBits: objectBits)
    return RetypeInvocation(
      untypedSlot: untypedSlot, start: start, type: type, userSizeBits: userSize, objectBits: objectBits,
      destCNode: cnode, destOffset: nodeOffset, count: nodeWindow)
  }

  /// `invokeUntyped_Retype`: advance the untyped's free index past the new objects, then create
  /// them and their caps.
  mutating func invokeUntyped(_ retype: RetypeInvocation) {
    guard case .untyped(let base, let blockBits, let isDevice, _) = getCap(retype.untypedSlot) else { return }
    let objectBits = retype.objectBits
    let newFree = RetypeArithmetic.newFreeOffset(
      base: base, start: retype.start, count: retype.count, objectBits: objectBits)
    setCap(retype.untypedSlot, .untyped(base: base, sizeBits: blockBits, isDevice: isDevice, freeIndex: newFree))
    for i in 0..<retype.count {
      let address = RetypeArithmetic.objectAddress(start: retype.start, index: i, objectBits: objectBits)
      let cap = createObject(retype.type, address, userSize: retype.userSizeBits, isDevice: isDevice)
      let slot = CSpaceArithmetic.slotAddress(cnode: retype.destCNode, index: retype.destOffset &+ i)
      insertNewCap(parent: retype.untypedSlot, slot: slot, cap)
    }
  }

  /// `createObject`: a zeroed object of `type` at `address`, and the original cap to it.
  mutating func createObject(_ type: ObjectType, _ address: UInt64, userSize: UInt64, isDevice: Bool)
    -> Capability
  {
    switch type {
    // A child untyped touches no memory.
    case .untyped:
      return .untyped(base: address, sizeBits: userSize, isDevice: isDevice, freeIndex: 0)
    // A zeroed TCB is Inactive with priority and MCP 0 and empty slots.
    case .tcb:
      place(address, .tcb)
      return .thread(address)
    case .endpoint:
      place(address, .endpoint)
      return .endpoint(address, badge: 0, rights: .all)
    case .notification:
      place(address, .notification)
      return .notification(address, badge: 0, rights: [.read, .write])
    case .capTable:
      place(address, .cnode(radix: userSize))
      return .cnode(address, radix: userSize, guardSize: 0, guard: 0)
    case .schedContext:
      place(address, .schedContext(sizeBits: userSize))
      return .schedContext(address, sizeBits: userSize)
    case .reply:
      place(address, .reply)
      return .reply(address, canGrant: true)
    }
  }

  private mutating func place(_ address: ObjectRef, _ kind: KernelObjectKind) {
    memory.zero(address, bits: kind.sizeBits)
    objects[address] = kind
  }
}

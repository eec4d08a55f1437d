// The slots a thread can name: every slot reachable through CNode caps from a root cap, with the
// (index, depth) that addresses it in a CNode operation and, when a full 64-bit lookup stops
// there, the cptr that invokes its capability. The event generator reads the abstract state
// through this view so that most generated addresses are valid.

public import AbstractSpec
public import KernelABI

/// One addressable slot.
public struct ReachableSlot: Hashable, Sendable {
  public let slot: SlotRef
  /// The address bits naming the slot from the root (`depth` bits).
  public let index: UInt64
  public let depth: UInt64
  public let cap: Capability

  /// The cptr that invokes this slot's cap with a 64-bit lookup, if the walk stops here.
  public var invocationCptr: UInt64? {
    switch cap {
    case .cnode: return depth == 64 ? index : nil
    default: return depth == 64 ? index : (depth == 0 ? nil : index << (64 - depth))
    }
  }
}

extension AbstractState {
  /// The capability in `slot` (null when empty or not a slot).
  public func capability(at slot: SlotRef) -> Capability {
    switch kheap[slot.container] {
    case .cnode(let cnode)?: cnode.slots[slot.index] ?? .null
    case .tcb(let tcb)?: tcb.slots[slot.index] ?? .null
    default: .null
    }
  }

  /// Slots reachable from `root` (a CNode cap), at most `limit` of them, in address order. A CNode
  /// of up to 2^`denseRadix` slots lists every slot; a larger one lists its filled slots and its
  /// `emptySample` lowest empty ones (listing all of a 2^20-slot CNode would cost each event a
  /// million entries; skipping it, as once done, left a thread with such a root nothing to name,
  /// so its traces faulted and ended after a step or two).
  public func reachableSlots(from root: Capability, limit: Int = 4096) -> [ReachableSlot] {
    var result: [ReachableSlot] = []
    func walk(_ cap: Capability, prefix: UInt64, depth: UInt64, path: Set<ObjectRef>) {
      guard case .cnode(let ref, let radix, let guardSize, let guardValue) = cap,
        case .cnode(let cnode)? = kheap[ref], radix < 64, !path.contains(ref)
      else { return }
      let levelBits = radix &+ guardSize
      guard levelBits > 0, depth &+ levelBits <= 64 else { return }
      let newDepth = depth + levelBits
      let base = (levelBits >= 64 ? 0 : prefix << levelBits) | (guardValue << radix)
      // A CNode listed slot by slot is read in one pass over its caps, not a lookup a slot.
      var dense: [Capability] = []
      if radix <= AbstractState.denseRadix {
        dense = Array(repeating: .null, count: 1 << radix)
        for (i, cap) in cnode.slots where i < UInt64(dense.count) { dense[Int(i)] = cap }
      }
      for i in AbstractState.listedIndices(cnode, radix: radix) {
        guard result.count < limit else { return }
        let slotCap = i < UInt64(dense.count) ? dense[Int(i)] : cnode.slots[i] ?? .null
        let index = base | i
        result.append(ReachableSlot(slot: SlotRef(ref, i), index: index, depth: newDepth, cap: slotCap))
        if case .cnode = slotCap, newDepth < 64 {
          walk(slotCap, prefix: index, depth: newDepth, path: path.union([ref]))
        }
      }
    }
    walk(root, prefix: 0, depth: 0, path: [])
    return result
  }

  /// CNodes of up to 2^12 slots are listed slot by slot.
  public static let denseRadix: UInt64 = 12
  /// How many empty slots of a larger CNode are listed (its lowest ones).
  public static let emptySample = 64

  /// The indices `reachableSlots` lists of a CNode of `radix` (< 64), ascending.
  static func listedIndices(_ cnode: AbstractSpec.CNode, radix: UInt64) -> [UInt64] {
    if radix <= denseRadix { return Array(0..<(UInt64(1) << radix)) }
    var listed = cnode.slots.filter { !$0.value.isNull }.map(\.key)
    var i: UInt64 = 0
    var empty = 0
    while empty < emptySample && i < UInt64(1) << radix {
      if cnode.slots[i]?.isNull ?? true {
        listed.append(i)
        empty += 1
      }
      i += 1
    }
    return listed.sorted()
  }

  /// The current thread's CSpace root cap, if it has a thread and the root is a CNode.
  public var currentRoot: Capability? {
    guard case .tcb(let tcb)? = kheap[currentThread],
      let root = tcb.slots[TCBSlot.cspace.rawValue], case .cnode = root
    else { return nil }
    return root
  }
}

// R1: the kernel's memory, read back as the executable specification's state.
//
// `lift` decodes every live object the kernel's heap type description lists: CNodes and TCBs
// slot by slot (capability words and MDB words), thread fields from the TCB's words, and the
// other objects by kind. The relation holds when the lifted state equals the executable spec's.

public import ExecutableSpec
public import Kernel
import KernelABI

extension KernelState {
  /// The executable-spec state this kernel state stands for; nil fields become failures in the
  /// returned list (a slot whose words do not decode, a thread whose fields do not).
  public func lift() -> (state: ExecState, problems: [String]) {
    var problems: [String] = []
    var space: [ObjectRef: ExecutableSpec.KernelObject] = [:]
    let locator = cteLocator  // resolves MDB links in a few lookups; `objects` does not change here
    for (address, kind) in objects {
      space[address] = liftObject(at: address, kind, locator: locator, problems: &problems)
    }
    let state = ExecState(
      memoryBase: memoryBase, memorySizeBits: memorySizeBits, ksPSpace: space, ksCurThread: ksCurThread)
    return (state, problems)
  }

  /// The executable-spec object the kernel object of `kind` at `address` stands for, decoded from
  /// its words alone (MDB links resolved by `locator`, made from this state); what does not decode
  /// is added to `problems`.
  func liftObject(
    at address: ObjectRef, _ kind: KernelObjectKind, locator: CTELocator, problems: inout [String]
  ) -> ExecutableSpec.KernelObject {
    func cte(_ slot: SlotRef) -> CTE {
      guard let cap = capability(at: slot), let node = mdbNode(at: slot, locator: locator) else {
        problems.append("slot \(slot) does not decode")
        return CTE(cap: .null, mdb: .null)
      }
      return CTE(
        cap: cap,
        mdb: MDBNode(prev: node.prev, next: node.next, revocable: node.revocable, firstBadged: node.firstBadged)
      )
    }
    func ctes(_ container: ObjectRef, count: UInt64) -> [CTE] {
      (0..<count).map { cte(SlotRef(container, $0)) }
    }
    // A CNode's slots in memory never written read as zero words: the null cap, unlinked. Only
    // the slots in backed pages are decoded, so a large CNode lifts in the time its use takes.
    func sparseCTEs(_ container: ObjectRef, radix: UInt64) -> SlotTable {
      var table = SlotTable(count: radix < 63 ? Int(truncatingIfNeeded: UInt64(1) << radix) : 0)
      for address in backedCTEs(of: container) {
        let index = (address &- container) >> KernelConstants.slotBits
        table[Int(truncatingIfNeeded: index)] = cte(SlotRef(container, index))
      }
      return table
    }
    switch kind {
    case .cnode(let radix):
      return .cnode(ExecutableSpec.CNode(radix: radix, ctes: sparseCTEs(address, radix: radix)))
    case .tcb:
      let state: ExecutableSpec.ThreadState
      switch threadState(of: address) {
      case .running?: state = .running
      case .restart?: state = .restart
      case .inactive?: state = .inactive
      case nil:
        problems.append("thread 0x\(String(address, radix: 16)) has no decodable state")
        state = .inactive
      }
      return .tcb(
        ExecutableSpec.TCB(
          state: state, priority: priority(of: address) ?? 0,
          maxControlledPriority: maxControlledPriority(of: address) ?? 0,
          ctes: ctes(address, count: TCBSlot.count)))
    case .endpoint: return .endpoint
    case .notification: return .notification
    case .reply: return .reply
    case .schedContext(let sizeBits): return .schedContext(sizeBits: sizeBits)
    case .opaque(let kind, let sizeBits): return .opaque(kind: kind, sizeBits: sizeBits)
    }
  }
}

extension KernelState {
  /// The executable-spec entry the CTE of `slot` stands for; nil when its words do not decode.
  func liftCTE(_ slot: SlotRef, locator: CTELocator) -> CTE? {
    guard let cap = capability(at: slot), let node = mdbNode(at: slot, locator: locator) else { return nil }
    return CTE(
      cap: cap, mdb: MDBNode(prev: node.prev, next: node.next, revocable: node.revocable, firstBadged: node.firstBadged)
    )
  }

  /// Whether the kernel object at `address` lifts to `object`, looking only at what may differ
  /// from `before` (what the object lifted to, and equalled, in a state whose memory differs from
  /// this one only in `writtenCTEs` and the object's non-slot fields): the slots `object` changed,
  /// the CTEs in `writtenCTEs`, the slots in `alsoSlots` (those linked to a removed object's
  /// slots: their links decode differently now), and the thread fields.
  func liftsTo(
    _ object: ExecutableSpec.KernelObject, at address: ObjectRef, _ kind: KernelObjectKind,
    before: ExecutableSpec.KernelObject, writtenCTEs: Set<UInt64>, alsoSlots: [SlotRef], locator: CTELocator
  ) -> Bool {
    let count: UInt64
    switch (kind, object, before) {
    case (.cnode(let radix), .cnode(let node), .cnode(let old)):
      guard node.radix == radix, old.radix == radix, node.ctes.count == old.ctes.count else { return false }
      count = UInt64(node.ctes.count)
    case (.tcb, .tcb(let tcb), .tcb(let old)):
      let state: ExecutableSpec.ThreadState
      switch threadState(of: address) {
      case .running?: state = .running
      case .restart?: state = .restart
      case .inactive?: state = .inactive
      case nil: return false
      }
      guard tcb.state == state, tcb.priority == priority(of: address) ?? 0,
        tcb.maxControlledPriority == maxControlledPriority(of: address) ?? 0, tcb.ctes.count == old.ctes.count
      else { return false }
      count = UInt64(tcb.ctes.count)
    default:
      var problems: [String] = []
      return liftObject(at: address, kind, locator: locator, problems: &problems) == object && problems.isEmpty
    }
    var indices = Set(object.changedSlotIndices(from: before))
    for cte in writtenCTEs where cte >= address {
      let index = (cte &- address) >> KernelConstants.slotBits
      if index < count { indices.insert(index) }
    }
    for slot in alsoSlots where slot.container == address && slot.index < count {
      indices.insert(slot.index)
    }
    for index in indices {
      let expected: CTE
      switch object {
      case .cnode(let node): expected = node.ctes[Int(truncatingIfNeeded: index)]
      case .tcb(let tcb): expected = tcb.ctes[Int(truncatingIfNeeded: index)]
      case .endpoint, .notification, .reply, .schedContext, .opaque: return false
      }
      guard liftCTE(SlotRef(address, index), locator: locator) == expected else { return false }
    }
    return true
  }
}

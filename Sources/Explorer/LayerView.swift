// One face for the three layers' states, so that every inspection command works on any layer.
//
// The abstract spec is read as it is (`kheap`, `cdt`, `is_original_cap`); the executable spec
// with its MDB nodes, and its derivation tree as R2 reads the MDB list; the kernel by decoding its
// memory slot by slot (the kernel's own readers: `capability(at:)`, `mdbNode(at:)`,
// `threadState(of:)`), with the address of every CTE. Nothing here changes a state.
//
// A view holds only the slots that are not empty: a CNode of 2^20 slots costs what it holds, not
// a million entries per command. Any one slot, empty or not, is still there to look up.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import Refinement

/// Which layer a command looks at.
public enum Layer: String, CaseIterable, Sendable {
  case abstract, exec, kernel

  /// The name the lockstep checker uses in failures.
  var checkerName: String {
    switch self {
    case .abstract: "AbstractSpec"
    case .exec: "ExecutableSpec"
    case .kernel: "Kernel"
    }
  }
}

/// An MDB node as a slot list (executable spec and kernel).
struct MDBView: Hashable {
  var prev: SlotRef?
  var next: SlotRef?
  var revocable: Bool
  var firstBadged: Bool
}

/// One slot of a CNode or TCB.
struct SlotView: Hashable {
  var index: UInt64
  var cap: Capability
  var mdb: MDBView?
  /// The CTE's address (kernel only).
  var cteAddress: UInt64?
  /// The kernel's words did not decode.
  var undecodable = false
}

/// A thread's fields.
struct ThreadView: Hashable {
  var state: String
  var priority: UInt64
  var maxControlledPriority: UInt64
}

/// One object.
struct ObjectView {
  var address: ObjectRef
  var kind: String
  var sizeBits: UInt64
  /// How many slots it has: 2^radix for a CNode, 5 for a TCB, none for other objects.
  var slotCount: UInt64 = 0
  /// The slots that are not empty (a cap, MDB links, or words that decode to nothing), by index;
  /// every other slot below `slotCount` is empty.
  var occupied: [UInt64: SlotView] = [:]
  /// Whether this layer's slots have MDB nodes (an empty slot's is the null node).
  var hasMDB = false
  /// Whether this layer's slots have CTE addresses (the kernel: `address + index << slotBits`).
  var hasCTEs = false
  var thread: ThreadView?

  /// Slot `index`, empty or not; nil when the object has no such slot.
  func slot(_ index: UInt64) -> SlotView? {
    guard index < slotCount else { return nil }
    if let s = occupied[index] { return s }
    return SlotView(
      index: index, cap: .null,
      mdb: hasMDB ? MDBView(prev: nil, next: nil, revocable: false, firstBadged: false) : nil,
      cteAddress: hasCTEs ? address &+ (index << KernelConstants.slotBits) : nil)
  }

  /// The slots that are not empty, in index order.
  var occupiedSlots: [SlotView] { occupied.values.sorted { $0.index < $1.index } }
}

/// A layer's state in the explorer's terms.
struct LayerView {
  var layer: Layer
  var objects: [ObjectRef: ObjectView]
  var current: ObjectRef?
  /// child → parent.
  var cdt: [SlotRef: SlotRef]
  var originals: Set<SlotRef>

  var sortedObjects: [ObjectView] { objects.values.sorted { $0.address < $1.address } }

  func cap(at slot: SlotRef) -> Capability { slotView(slot)?.cap ?? .null }

  func slotView(_ slot: SlotRef) -> SlotView? { objects[slot.container]?.slot(slot.index) }

  /// Every non-null cap with its slot, in slot order.
  var caps: [(slot: SlotRef, cap: Capability)] {
    sortedObjects.flatMap { o in
      o.occupiedSlots.filter { !$0.cap.isNull }.map { (SlotRef(o.address, $0.index), $0.cap) }
    }
  }
}

extension LayerView {
  init(_ checker: LockstepChecker, _ layer: Layer) {
    switch layer {
    case .abstract: self.init(abstract: checker.abstract)
    case .exec: self.init(exec: checker.exec)
    case .kernel: self.init(kernel: checker.kernel)
    }
  }

  init(abstract s: AbstractState) {
    var objects: [ObjectRef: ObjectView] = [:]
    for (address, object) in s.kheap {
      // The abstract spec stores only non-null slots already.
      func occupied(_ map: [UInt64: Capability]) -> [UInt64: SlotView] {
        var result: [UInt64: SlotView] = [:]
        for (index, cap) in map where !cap.isNull { result[index] = SlotView(index: index, cap: cap) }
        return result
      }
      var view = ObjectView(address: address, kind: LayerView.kindName(object), sizeBits: object.sizeBits)
      switch object {
      case .cnode(let c):
        view.slotCount = c.radix < 64 ? UInt64(1) << c.radix : 0
        view.occupied = occupied(c.slots)
      case .tcb(let t):
        view.slotCount = TCBSlot.count
        view.occupied = occupied(t.slots)
        view.thread = ThreadView(
          state: "\(t.state)", priority: t.priority, maxControlledPriority: t.maxControlledPriority)
      case .endpoint, .notification, .reply, .schedContext, .opaque: break
      }
      objects[address] = view
    }
    self.init(
      layer: .abstract, objects: objects, current: s.currentThread, cdt: s.cdt.dictionary,
      originals: s.isOriginalCap.set)
  }

  static func kindName(_ o: AbstractSpec.KernelObject) -> String {
    switch o {
    case .cnode(let c): "cnode(radix: \(c.radix))"
    case .tcb: "tcb"
    case .endpoint: "endpoint"
    case .notification: "notification"
    case .reply: "reply"
    case .schedContext(let bits): "schedContext(sizeBits: \(bits))"
    case .opaque(let kind, let bits): "\(kind)(sizeBits: \(bits))"
    }
  }

  static func kindName(_ o: ExecutableSpec.KernelObject) -> String {
    switch o {
    case .cnode(let c): "cnode(radix: \(c.radix))"
    case .tcb: "tcb"
    case .endpoint: "endpoint"
    case .notification: "notification"
    case .reply: "reply"
    case .schedContext(let bits): "schedContext(sizeBits: \(bits))"
    case .opaque(let kind, let bits): "\(kind)(sizeBits: \(bits))"
    }
  }

  init(exec s: ExecState, layer: Layer = .exec, cteAddress: ((SlotRef) -> UInt64?)? = nil) {
    var objects: [ObjectRef: ObjectView] = [:]
    var originals: Set<SlotRef> = []
    for (address, object) in s.ksPSpace {
      // Only the entries that are not `.null` (a cap or MDB links): a CNode's table is sparse.
      func occupied(_ ctes: [(index: UInt64, entry: CTE)]) -> [UInt64: SlotView] {
        var result: [UInt64: SlotView] = [:]
        for (index, cte) in ctes where cte != .null {
          let slot = SlotRef(address, index)
          if cte.mdb.revocable && !cte.cap.isNull { originals.insert(slot) }
          result[index] = SlotView(
            index: index, cap: cte.cap,
            mdb: MDBView(
              prev: cte.mdb.prev, next: cte.mdb.next, revocable: cte.mdb.revocable, firstBadged: cte.mdb.firstBadged),
            cteAddress: cteAddress?(slot))
        }
        return result
      }
      var view = ObjectView(
        address: address, kind: LayerView.kindName(object), sizeBits: object.sizeBits, hasMDB: true,
        hasCTEs: cteAddress != nil)
      switch object {
      case .cnode(let c):
        view.slotCount = UInt64(c.ctes.count)
        view.occupied = occupied(c.ctes.occupied)
      case .tcb(let t):
        view.slotCount = UInt64(t.ctes.count)
        view.occupied = occupied(t.ctes.enumerated().map { (UInt64($0.offset), $0.element) })
        view.thread = ThreadView(
          state: "\(t.state)", priority: t.priority, maxControlledPriority: t.maxControlledPriority)
      case .endpoint, .notification, .reply, .schedContext, .opaque: break
      }
      objects[address] = view
    }
    self.init(
      layer: layer, objects: objects, current: s.ksCurThread, cdt: s.abstraction().cdt.dictionary, originals: originals)
  }

  /// The kernel, decoded from memory (R1's lift), with CTE addresses and undecodable slots marked.
  init(kernel k: KernelState) {
    let lifted = k.lift().state
    self.init(exec: lifted, layer: .kernel, cteAddress: { k.cteAddress(of: $0) })
    // A slot whose words decode to no cap lifts as an empty one; only slots in backed memory can
    // hold such words (the rest read as zeros, the null cap).
    for (address, var object) in objects {
      for cte in k.backedCTEs(of: address) {
        let index = (cte &- address) >> KernelConstants.slotBits
        guard k.capability(at: SlotRef(address, index)) == nil, var slot = object.slot(index) else { continue }
        slot.undecodable = true
        object.occupied[index] = slot
      }
      objects[address] = object
    }
  }
}

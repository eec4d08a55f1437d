// One face for the three layers' states, so that every inspection command works on any layer.
//
// The abstract spec is read as it is (`kheap`, `cdt`, `is_original_cap`); the executable spec
// with its MDB nodes, and its derivation tree as R2 reads the MDB list; the kernel by decoding its
// memory slot by slot (the kernel's own readers: `capability(at:)`, `mdbNode(at:)`,
// `threadState(of:)`), with the address of every CTE. Nothing here changes a state.

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
  /// Every slot (CNodes: 2^radix, TCBs: 5).
  var slots: [SlotView]
  var thread: ThreadView?
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

  func cap(at slot: SlotRef) -> Capability {
    guard let o = objects[slot.container], slot.index < UInt64(o.slots.count) else { return .null }
    return o.slots[Int(slot.index)].cap
  }

  func slotView(_ slot: SlotRef) -> SlotView? {
    guard let o = objects[slot.container], slot.index < UInt64(o.slots.count) else { return nil }
    return o.slots[Int(slot.index)]
  }

  /// Every non-null cap with its slot, in slot order.
  var caps: [(slot: SlotRef, cap: Capability)] {
    sortedObjects.flatMap { o in
      o.slots.filter { !$0.cap.isNull }.map { (SlotRef(o.address, $0.index), $0.cap) }
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
      func slots(_ count: UInt64, _ map: [UInt64: Capability]) -> [SlotView] {
        (0..<count).map { SlotView(index: $0, cap: map[$0] ?? .null) }
      }
      switch object {
      case .cnode(let c):
        objects[address] = ObjectView(
          address: address, kind: "cnode(radix: \(c.radix))", sizeBits: object.sizeBits,
          slots: slots(c.radix < 20 ? 1 << c.radix : 0, c.slots))
      case .tcb(let t):
        objects[address] = ObjectView(
          address: address, kind: "tcb", sizeBits: object.sizeBits, slots: slots(TCBSlot.count, t.slots),
          thread: ThreadView(state: "\(t.state)", priority: t.priority, maxControlledPriority: t.maxControlledPriority))
      default:
        objects[address] = ObjectView(
          address: address, kind: LayerView.kindName(object), sizeBits: object.sizeBits, slots: [])
      }
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

  init(exec s: ExecState, layer: Layer = .exec, cteAddress: ((SlotRef) -> UInt64?)? = nil) {
    var objects: [ObjectRef: ObjectView] = [:]
    var originals: Set<SlotRef> = []
    for (address, object) in s.ksPSpace {
      func slots(_ ctes: [CTE]) -> [SlotView] {
        ctes.enumerated().map { index, cte in
          let slot = SlotRef(address, UInt64(index))
          if cte.mdb.revocable && !cte.cap.isNull { originals.insert(slot) }
          return SlotView(
            index: UInt64(index), cap: cte.cap,
            mdb: MDBView(
              prev: cte.mdb.prev, next: cte.mdb.next, revocable: cte.mdb.revocable, firstBadged: cte.mdb.firstBadged),
            cteAddress: cteAddress?(slot))
        }
      }
      switch object {
      case .cnode(let c):
        objects[address] = ObjectView(
          address: address, kind: "cnode(radix: \(c.radix))", sizeBits: object.sizeBits, slots: slots(Array(c.ctes)))
      case .tcb(let t):
        objects[address] = ObjectView(
          address: address, kind: "tcb", sizeBits: object.sizeBits, slots: slots(t.ctes),
          thread: ThreadView(state: "\(t.state)", priority: t.priority, maxControlledPriority: t.maxControlledPriority))
      case .endpoint:
        objects[address] = ObjectView(address: address, kind: "endpoint", sizeBits: object.sizeBits, slots: [])
      case .notification:
        objects[address] = ObjectView(address: address, kind: "notification", sizeBits: object.sizeBits, slots: [])
      case .reply: objects[address] = ObjectView(address: address, kind: "reply", sizeBits: object.sizeBits, slots: [])
      case .schedContext(let bits):
        objects[address] = ObjectView(
          address: address, kind: "schedContext(sizeBits: \(bits))", sizeBits: object.sizeBits, slots: [])
      case .opaque(let kind, let bits):
        objects[address] = ObjectView(
          address: address, kind: "\(kind)(sizeBits: \(bits))", sizeBits: object.sizeBits, slots: [])
      }
    }
    self.init(
      layer: layer, objects: objects, current: s.ksCurThread, cdt: s.abstraction().cdt.dictionary, originals: originals)
  }

  /// The kernel, decoded from memory (R1's lift), with CTE addresses and undecodable slots marked.
  init(kernel k: KernelState) {
    let lifted = k.lift().state
    self.init(exec: lifted, layer: .kernel, cteAddress: { k.cteAddress(of: $0) })
    for (address, var object) in objects {
      for i in object.slots.indices where k.capability(at: SlotRef(address, UInt64(i))) == nil {
        object.slots[i].undecodable = true
      }
      objects[address] = object
    }
  }
}

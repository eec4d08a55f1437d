// The mapping database (seL4 `src/kernel/cspace.c`, `src/object/cnode.c`): the capability
// derivation tree stored as a doubly linked list through the CTEs, in prefix order.
//
// A node's children follow it in the list; `isMDBParentOf` tells whether a node is the parent of
// the next. `mdbRevocable` marks original caps; `mdbFirstBadged` marks the first cap of a badge
// run, so that two runs of the same badge under one unbadged EP cap stay siblings.
// Twins: `AbstractSpec/CDT.swift` (the tree as a map), `ExecutableSpec/MDB.swift` (the list in slots).

import Bitwise
import KernelABI

/// One MDB node as the kernel reads it: links are CTE addresses, 0 is the null link.
struct MDBNode: Equatable {
  var prev: UInt64
  var next: UInt64
  var revocable: Bool
  var firstBadged: Bool

  static let null = MDBNode(prev: 0, next: 0, revocable: false, firstBadged: false)
}

extension KernelState {
  // MARK: Node words

  func readMDB(_ cte: UInt64) -> MDBNode {
    let w0 = memory.word(cte &+ ObjectLayout.cteMDBWord0)
    let w1 = memory.word(cte &+ ObjectLayout.cteMDBWord1)
    return MDBNode(
      prev: ObjectLayout.mdbPrev.get(w0), next: KernelState.canonicalMDBNext(ObjectLayout.mdbNext.get(w1) << 2),
      revocable: ObjectLayout.mdbRevocable.get(w1) == 1, firstBadged: ObjectLayout.mdbFirstBadged.get(w1) == 1)
  }

  mutating func writeMDB(_ cte: UInt64, _ node: MDBNode) {
    var w1 = ObjectLayout.mdbNext.set(0, to: node.next >> 2)
    w1 = ObjectLayout.mdbRevocable.set(w1, to: node.revocable ? 1 : 0)
    w1 = ObjectLayout.mdbFirstBadged.set(w1, to: node.firstBadged ? 1 : 0)
    memory.store(cte &+ ObjectLayout.cteMDBWord0, ObjectLayout.mdbPrev.set(0, to: node.prev))
    memory.store(cte &+ ObjectLayout.cteMDBWord1, w1)
  }

  @inline(__always) func mdbNext(_ cte: UInt64) -> UInt64 {
    KernelState.canonicalMDBNext(ObjectLayout.mdbNext.get(memory.word(cte &+ ObjectLayout.cteMDBWord1)) << 2)
  }

  /// The 48-bit `mdbNext` field read back as the address it links to. seL4's generated
  /// `mdb_node_get_mdbNext` sign-extends bit 47 (AArch64 `canonical_size` 48: every CTE is a
  /// kernel address); here objects lie at addresses below 2^48, bit 47 included, so only a link
  /// whose 48 bits are those of an IRQ node CTE (`IRQConstants.irqNodePtr`, in the globals frame)
  /// is extended. Known limit: a plan CTE at exactly those 48 bits (0xFF80_0002_8000 ..< +0x100)
  /// would read back as the IRQ node's; no plan the project ships comes near.
  @inline(__always) public static func canonicalMDBNext(_ next: UInt64) -> UInt64 {
    let extended = next | 0xFFFF_0000_0000_0000
    return extended &- IRQConstants.irqNodePtr < IRQConstants.irqNodeBytes ? extended : next
  }

  @inline(__always) func mdbPrev(_ cte: UInt64) -> UInt64 {
    ObjectLayout.mdbPrev.get(memory.word(cte &+ ObjectLayout.cteMDBWord0))
  }

  mutating func setMDBNext(_ cte: UInt64, _ next: UInt64) {
    let address = cte &+ ObjectLayout.cteMDBWord1
    memory.store(address, ObjectLayout.mdbNext.set(memory.word(address), to: next >> 2))
  }

  mutating func setMDBPrev(_ cte: UInt64, _ prev: UInt64) {
    memory.store(cte &+ ObjectLayout.cteMDBWord0, ObjectLayout.mdbPrev.set(0, to: prev))
  }

  mutating func setMDBFirstBadged(_ cte: UInt64, _ value: Bool) {
    let address = cte &+ ObjectLayout.cteMDBWord1
    memory.store(address, ObjectLayout.mdbFirstBadged.set(memory.word(address), to: value ? 1 : 0))
  }

  // MARK: The tree

  /// `isMDBParentOf(a, b)`: a is revocable, b lies in a's region, and if a is a badged EP/Ntfn
  /// cap, b has the same badge and does not start a badge run of its own.
  func isMDBParentOf(_ a: UInt64, _ b: UInt64) -> Bool {
    let nodeA = readMDB(a)
    guard nodeA.revocable else { return false }
    let capA = getCap(a)
    let capB = getCap(b)
    guard KernelState.sameRegionAs(capA, capB) else { return false }
    switch capA {
    case .endpoint(_, let badge, _):
      guard badge != 0 else { return true }
      guard case .endpoint(_, let badgeB, _) = capB else { return false }
      let firstBadged = readMDB(b).firstBadged
      return seams.isMDBParentOfBadgedEndpoint?(badge, badgeB, firstBadged) ?? (badge == badgeB && !firstBadged)
    case .notification(_, let badge, _):
      guard badge != 0 else { return true }
      guard case .notification(_, let badgeB, _) = capB else { return false }
      let firstBadged = readMDB(b).firstBadged
      return seams.isMDBParentOfBadgedNotification?(badge, badgeB, firstBadged) ?? (badge == badgeB && !firstBadged)
    case .null, .untyped, .reply, .cnode, .thread, .schedContext, .schedControl, .irqControl, .irqHandler,
      .domain:
      return true
    }
  }

  /// True iff the cap in `slot` has a CDT child: the next node is its child.
  func hasChildren(_ slot: UInt64) -> Bool {
    let next = mdbNext(slot)
    return next != 0 && isMDBParentOf(slot, next)
  }

  /// `ensureNoChildren(slot)`: RevokeFirst when the cap in `slot` has a CDT child.
  func ensureNoChildren(_ slot: UInt64) throws(SyscallError) {
    if hasChildren(slot) { throw .revokeFirst }
  }

  /// `ensureEmptySlot(slot)`: DeleteFirst when `slot` holds a cap.
  func ensureEmptySlot(_ slot: UInt64) throws(SyscallError) {
    if getCap(slot) != .null { throw .deleteFirst }
  }

  /// `setUntypedCapAsFull`: a new untyped cap covering exactly the source's block marks the
  /// source full, so the two cannot both retype the same memory.
  mutating func setUntypedCapAsFull(_ source: Capability, _ new: Capability, _ sourceSlot: UInt64) {
    guard case .untyped(let base, let sizeBits, let isDevice, _) = source,
      case .untyped(let newBase, let newSizeBits, _, _) = new, base == newBase, sizeBits == newSizeBits
    else { return }
    setCap(sourceSlot, .untyped(base: base, sizeBits: sizeBits, isDevice: isDevice, freeIndex: 1 << sizeBits))
  }

  /// `cteInsert(newCap, src, dest)`: put `newCap` in the empty `dest`, right after `src` in the list.
  mutating func cteInsert(_ newCap: Capability, from src: UInt64, to dest: UInt64) {
    let srcCap = getCap(src)
    let srcNode = readMDB(src)
    let revocable = KernelState.isCapRevocable(newCap, srcCap)
    setUntypedCapAsFull(srcCap, newCap, src)
    setCap(dest, newCap)
    writeMDB(dest, MDBNode(prev: src, next: srcNode.next, revocable: revocable, firstBadged: revocable))
    setMDBNext(src, dest)
    if srcNode.next != 0 { setMDBPrev(srcNode.next, dest) }
  }

  /// `insertNewCap(parent, slot, cap)`: a freshly retyped object's cap, original, right after its
  /// untyped parent.
  mutating func insertNewCap(parent: UInt64, slot: UInt64, _ cap: Capability) {
    let next = mdbNext(parent)
    setCap(slot, cap)
    writeMDB(slot, MDBNode(prev: parent, next: next, revocable: true, firstBadged: true))
    if next != 0 { setMDBPrev(next, slot) }
    setMDBNext(parent, slot)
  }

  /// `cteMove(newCap, src, dest)`: `dest` (empty) takes `src`'s place in the list with `newCap`.
  mutating func cteMove(_ newCap: Capability, from src: UInt64, to dest: UInt64) {
    let node = readMDB(src)
    setCap(dest, newCap)
    setCap(src, .null)
    writeMDB(dest, node)
    writeMDB(src, .null)
    if node.prev != 0 { setMDBNext(node.prev, dest) }
    if node.next != 0 { setMDBPrev(node.next, dest) }
  }

  /// `cteSwap(cap1, slot1, cap2, slot2)`: exchange two caps and their list positions.
  mutating func cteSwap(_ cap1: Capability, _ slot1: UInt64, _ cap2: Capability, _ slot2: UInt64) {
    setCap(slot1, cap2)
    setCap(slot2, cap1)
    let node1 = readMDB(slot1)
    if node1.prev != 0 { setMDBNext(node1.prev, slot2) }
    if node1.next != 0 { setMDBPrev(node1.next, slot2) }
    let node2 = readMDB(slot2)
    writeMDB(slot1, node2)
    writeMDB(slot2, node1)
    if node2.prev != 0 { setMDBNext(node2.prev, slot1) }
    if node2.next != 0 { setMDBPrev(node2.next, slot1) }
  }

  /// `emptySlot(slot)`: unlink the node and clear the slot; the next node inherits
  /// `mdbFirstBadged`.
  mutating func emptySlot(_ slot: UInt64) {
    guard getCap(slot) != .null else { return }
    let node = readMDB(slot)
    if node.prev != 0 { setMDBNext(node.prev, node.next) }
    if node.next != 0 {
      setMDBPrev(node.next, node.prev)
      setMDBFirstBadged(node.next, readMDB(node.next).firstBadged || node.firstBadged)
    }
    setCap(slot, .null)
    writeMDB(slot, .null)
  }
}

// The capability derivation tree: where each capability came from.
//
// The tree is a map from a derived slot to the slot it was derived from. Copying a cap adds a
// slot to the tree, next to or below its source (`cteInsert`); moving a cap carries its place in
// the tree to the new slot (`cteMove`); swapping two caps swaps their places (`cteSwap`). Revoking
// a cap deletes its descendants, the slots below it (`descendantsOf`). The tree never mentions an
// empty slot. (`l4v:spec/abstract/CSpace_A.thy`, `cap_insert`, `cap_move`, `cap_swap`.)
// Twins: `ExecutableSpec/MDB.swift` and `Kernel/MDB.swift`, where the same tree is the mapping
// database, a doubly linked list through the slots.

public import KernelABI

// MARK: - Reading the tree

extension AbstractState {
  /// The slots whose parent is `slot`, in slot order.
  public func childrenOf(_ slot: SlotRef) -> [SlotRef] {
    cdt.filter { $0.value == slot }.map { $0.key }.sorted()
  }

  /// Every slot below `slot` in the tree (`descendants_of`).
  /// - Complexity: O(n) visits for n tree entries, each slot once.
  public func descendantsOf(_ slot: SlotRef) -> Set<SlotRef> {
    descendantsOf(slot, children: childrenMap())
  }

  /// Every parent's children (`cdt` inverted), for asking `descendantsOf` about many slots.
  func childrenMap() -> [SlotRef: [SlotRef]] {
    var children: [SlotRef: [SlotRef]] = Dictionary(minimumCapacity: cdt.count)
    for (child, parent) in cdt { children[parent, default: []].append(child) }
    return children
  }

  /// `descendantsOf(slot)` given `childrenMap()`.
  func descendantsOf(_ slot: SlotRef, children: [SlotRef: [SlotRef]]) -> Set<SlotRef> {
    var found: Set<SlotRef> = []
    var frontier = children[slot] ?? []
    while let next = frontier.popLast() {
      guard next != slot, found.insert(next).inserted else { continue }
      frontier += children[next] ?? []
    }
    return found
  }
}

// MARK: - Checks before a change

extension AbstractState {
  /// True iff some slot was derived from `slot`.
  public func hasChildren(_ slot: SlotRef) -> Bool {
    cdt.values.contains(slot)
  }

  /// RevokeFirst when some slot was derived from `slot` (`ensure_no_children`).
  func ensureNoChildren(_ slot: SlotRef) throws(SyscallError) {
    if hasChildren(slot) { throw .revokeFirst }
  }

  /// DeleteFirst when `slot` holds a cap (`ensure_empty`).
  func ensureEmptySlot(_ slot: SlotRef) throws(SyscallError) {
    if !getCap(slot).isNull { throw .deleteFirst }
  }
}

// MARK: - Changing the tree

extension AbstractState {
  /// Mark the untyped cap in `slot` full when `newCap` is an untyped cap for exactly its memory
  /// (`set_untyped_cap_as_full`).
  mutating func setUntypedCapAsFull(_ sourceCap: Capability, _ newCap: Capability, _ slot: SlotRef) {
    guard case .untyped(let base, let sizeBits, let isDevice, _) = sourceCap,
      case .untyped(let newBase, let newSizeBits, _, _) = newCap,
      base == newBase && sizeBits == newSizeBits
    else { return }
    setCap(slot, .untyped(base: base, sizeBits: sizeBits, isDevice: isDevice, freeIndex: bit(sizeBits)))
  }

  /// Put `newCap`, made from the cap in `source`, into the empty slot `dest` (`cap_insert`). The new
  /// slot is original by `isCapRevocable`; it becomes the source's child when `shouldBeParentOf`
  /// holds and the source's sibling otherwise. An untyped copy of a whole untyped cap marks the
  /// source full (`set_untyped_cap_as_full`), so the memory is handed out only once.
  public mutating func cteInsert(_ newCap: Capability, from source: SlotRef, to dest: SlotRef) {
    let sourceCap = getCap(source)
    let destIsOriginal = AbstractState.isCapRevocable(newCap, source: sourceCap)
    let parented = AbstractState.shouldBeParentOf(
      sourceCap, sourceIsOriginal: isOriginalCap.contains(source), newCap, newIsOriginal: destIsOriginal)
    setUntypedCapAsFull(sourceCap, newCap, source)
    setCap(dest, newCap)
    setOriginal(dest, destIsOriginal)
    cdt[dest] = parented ? source : cdt[source]
  }

  /// Put the cap to a freshly retyped object into the empty `slot`, an original child of the
  /// untyped cap in `parent` (`create_cap`).
  mutating func insertNewCap(parent: SlotRef, slot: SlotRef, _ cap: Capability) {
    setCap(slot, cap)
    isOriginalCap.insert(slot)
    cdt[slot] = parent
  }

  /// Move the cap in `source` to the empty slot `dest` as `newCap` (`cap_move`): the new slot takes
  /// the old one's place in the tree (its parent, its children, its original flag).
  public mutating func cteMove(_ newCap: Capability, from source: SlotRef, to dest: SlotRef) {
    if let replaced = seams.cteMove { return replaced(&self, newCap, source, dest) }
    renameSlots(source, dest)
    setCap(source, .null)
    setCap(dest, newCap)
  }

  /// Exchange two slots' places: `cap1` (from `slot1`) goes to `slot2` and `cap2` to `slot1`, and
  /// the two slots trade their parents, children and original flags (`cap_swap`).
  public mutating func cteSwap(_ cap1: Capability, _ slot1: SlotRef, _ cap2: Capability, _ slot2: SlotRef) {
    renameSlots(slot1, slot2)
    setCap(slot1, cap2)
    setCap(slot2, cap1)
  }

  /// Exchange the names `a` and `b` everywhere in the tree and in the original flags; the one
  /// bookkeeping step behind moving and swapping.
  mutating func renameSlots(_ a: SlotRef, _ b: SlotRef) {
    func rename(_ s: SlotRef) -> SlotRef { s == a ? b : s == b ? a : s }
    // Only the edges that mention `a` or `b` change (so only they are written).
    let edges = cdt.filter { [a, b].contains($0.key) || [a, b].contains($0.value) }
    for (child, _) in edges { cdt.removeValue(forKey: child) }
    for (child, parent) in edges { cdt[rename(child)] = rename(parent) }
    let (aIsOriginal, bIsOriginal) = (isOriginalCap.contains(a), isOriginalCap.contains(b))
    setOriginal(a, bIsOriginal)
    setOriginal(b, aIsOriginal)
  }

  /// Record whether `slot` holds an original cap (`is_original_cap`).
  mutating func setOriginal(_ slot: SlotRef, _ isOriginal: Bool) {
    if isOriginal { isOriginalCap.insert(slot) } else { isOriginalCap.remove(slot) }
  }

  /// Empty `slot` and take it out of the derivation tree (`empty_slot`).
  mutating func emptySlot(_ slot: SlotRef) {
    removeFromTree(slot)
    setCap(slot, .null)
  }

  /// Take `slot` out of the tree (`cdt_del` plus clearing its flag): its children become children
  /// of its parent.
  mutating func removeFromTree(_ slot: SlotRef) {
    let parent = cdt[slot]
    for child in childrenOf(slot) { cdt[child] = parent }
    cdt[slot] = nil
    isOriginalCap.remove(slot)
  }
}

// The capability derivation tree, the twin of `AbstractSpec/CDT.swift`: a subset of its operations,
// in its order, with the abstract spec's doc comments, over the twin's words. Not twinned yet: the
// tree readers `childrenOf`, `descendantsOf`, `childrenMap` (revoke's) and `insertNewCap`
// (retype's insertion).
//
// Each operation here is straight-line: both sides of every choice write the same fields, so a
// choice is a `select` and a symbolic run gives one path. The maps become closed forms over the
// slot array: renaming two slots is `parent'[k] = rename(parent[rename(k)])`, and taking a slot out
// of the tree is `parent'[k] = parent[k] == s ? parent[s] : parent[k]`.
// (`l4v:spec/abstract/CSpace_A.thy`, `cap_insert`, `cap_move`, `cap_swap`, `empty_slot`; the
// lemmas these obligations restate are CSpace_AI.thy's `cap_insert_mdb`, `cap_insert_valid_ioc`,
// `cap_move_mdb`, CNodeInv_AI.thy's `cap_move_valid_ioc`, `cap_swap_mdb`, `cap_swap_valid_ioc`, and
// for `empty_slot` Finalise_AI.thy's `mdb_empty_abs` locale behind `empty_slot_invs`.)

public import Bitwise

// MARK: - Reading the tree

extension TwinState {
  /// True iff some slot's parent is `slot` (`has_children`).
  public func hasChildren(_ slot: Word) -> Word.Condition {
    Self.any(slots.map { $0.parent .== slot })
  }

  /// RevokeFirst when `slot` has children (`ensure_no_children`).
  func ensureNoChildren(_ slot: Word) throws(SyscallFailed) {
    if domain.decide(hasChildren(slot)) { throw SyscallFailed(.revokeFirst) }
  }

  /// DeleteFirst when `slot` holds a cap (`ensure_empty`).
  func ensureEmptySlot(_ slot: Word) throws(SyscallFailed) {
    if !domain.decide(getCap(slot).isNull) { throw SyscallFailed(.deleteFirst) }
  }
}

// MARK: - Changing the tree

extension TwinState {
  /// Mark the untyped cap in `slot` full when `newCap` is an untyped cap for exactly its memory
  /// (`set_untyped_cap_as_full`).
  mutating func setUntypedCapAsFull(_ sourceCap: TwinCap<Word>, _ newCap: TwinCap<Word>, _ slot: Word) {
    let whole =
      sourceCap.is(.untyped) .&& newCap.is(.untyped) .&& (sourceCap.ref .== newCap.ref)
      .&& (sourceCap.w1 .== newCap.w1)
    var full = sourceCap
    full.w3 = seams.fullWatermark?(sourceCap) ?? (1 << sourceCap.w1)
    setCap(slot, .select(whole, full, sourceCap))
  }

  /// Put `newCap`, made from the cap in `source`, into the empty slot `dest` (`cap_insert`). The new
  /// slot is original by `isCapRevocable`; it becomes the source's child when `shouldBeParentOf`
  /// holds and the source's sibling otherwise. An untyped copy of a whole untyped cap marks the
  /// source full (`set_untyped_cap_as_full`), so the memory is handed out only once.
  public mutating func cteInsert(_ newCap: TwinCap<Word>, from source: Word, to dest: Word) {
    let sourceCap = getCap(source)
    let destIsOriginal = seams.isCapRevocable?(newCap, sourceCap) ?? Self.isCapRevocable(newCap, source: sourceCap)
    let parented = Self.shouldBeParentOf(
      sourceCap, sourceIsOriginal: lookup(source).original .!= 0, newCap, newIsOriginal: destIsOriginal)
    setUntypedCapAsFull(sourceCap, newCap, source)
    setCap(dest, newCap)
    setOriginal(dest, destIsOriginal)
    let sourceParent = lookup(source).parent
    update(dest) { $0.parent = Word.select(parented, source, sourceParent) }
  }

  /// Move the cap in `source` to the empty slot `dest` as `newCap` (`cap_move`): the new slot takes
  /// the old one's place in the tree (its parent, its children, its original flag).
  public mutating func cteMove(_ newCap: TwinCap<Word>, from source: Word, to dest: Word) {
    if let replaced = seams.cteMove { return replaced(&self, newCap, source, dest) }
    renameSlots(source, dest)
    setCap(source, .null)
    setCap(dest, newCap)
  }

  /// Exchange two slots' places: `cap1` (from `slot1`) goes to `slot2` and `cap2` to `slot1`, and
  /// the two slots trade their parents, children and original flags (`cap_swap`).
  public mutating func cteSwap(_ cap1: TwinCap<Word>, _ slot1: Word, _ cap2: TwinCap<Word>, _ slot2: Word) {
    renameSlots(slot1, slot2)
    if let replaced = seams.swapCaps { return replaced(&self, cap1, slot1, cap2, slot2) }
    setCap(slot1, cap2)
    setCap(slot2, cap1)
  }

  /// Exchange the names `a` and `b` everywhere in the tree and in the original flags; the one
  /// bookkeeping step behind moving and swapping.
  mutating func renameSlots(_ a: Word, _ b: Word) {
    if let replaced = seams.renameSlots { return replaced(&self, a, b) }
    func rename(_ s: Word) -> Word { Word.select(s .== a, b, Word.select(s .== b, a, s)) }
    let before = self
    for k in slots.indices { slots[k].parent = rename(before.lookup(rename(id(k))).parent) }
    let (aIsOriginal, bIsOriginal) = (before.lookup(a).original, before.lookup(b).original)
    setOriginal(a, bIsOriginal .!= 0)
    setOriginal(b, aIsOriginal .!= 0)
  }

  /// Record whether `slot` holds an original cap (`is_original_cap`).
  mutating func setOriginal(_ slot: Word, _ isOriginal: Word.Condition) {
    update(slot) { $0.original = Word.select(isOriginal, 1, 0) }
  }

  /// Empty `slot` and take it out of the derivation tree (`empty_slot`).
  public mutating func emptySlot(_ slot: Word) {
    removeFromTree(slot)
    setCap(slot, .null)
  }

  /// Take `slot` out of the tree (`cdt_del` plus clearing its flag): its children become children
  /// of its parent.
  mutating func removeFromTree(_ slot: Word) {
    if let replaced = seams.removeFromTree { return replaced(&self, slot) }
    let parent = lookup(slot).parent
    for k in slots.indices { slots[k].parent = Word.select(slots[k].parent .== slot, parent, slots[k].parent) }
    update(slot) {
      $0.parent = Word(constant: noSlot)
      $0.original = 0
    }
  }
}

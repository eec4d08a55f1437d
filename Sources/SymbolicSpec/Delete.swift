// Deleting capabilities: the twin of `AbstractSpec/Delete.swift` for a cap that is not the last
// one to its object (`isFinalCapability`, `cteDelete`). Destroying the object with the last cap
// (`finaliseCap`, `deleteContents`, `cteRevoke`) reaches threads, queues and the heap, which the
// twin does not model yet: `cteDelete` of a final cap reports that and changes nothing.
// (`l4v:spec/abstract/CSpace_A.thy`: `cap_delete`, `rec_del`, `empty_slot`.)

public import Bitwise

extension TwinState {
  /// True iff no slot other than `slot` holds a cap to the object of `slot`'s cap (`is_final_cap`).
  /// Null and untyped caps name no object, so they are never final. (A twin of a campaign's state
  /// holds every filled slot, so "every other slot" is every other slot of the twin.)
  public func isFinalCapability(_ slot: Word) -> Word.Condition {
    let cap = getCap(slot)
    let namesObject = .!cap.isNull .&& .!cap.is(.untyped)
    return namesObject .&& Self.all(slots.indices.map { k in (id(k) .== slot) .|| .!cap.sameObjectAs(slots[k].cap) })
  }

  /// Delete the cap in `slot` (`cap_delete`); an empty slot is left as it is. Returns false, having
  /// changed nothing, when the cap is the final cap to its object: destroying the object
  /// (`finaliseCap`) is not twinned.
  public mutating func cteDelete(_ slot: Word) -> Bool {
    let cap = getCap(slot)
    guard !domain.decide(cap.isNull) else { return true }
    guard !domain.decide(isFinalCapability(slot)) else { return false }
    if let replaced = seams.deleteEmpties { replaced(&self, slot) } else { emptySlot(slot) }
    return true
  }
}

// The conjuncts of `AbstractSpec/Invariants.swift` that read only caps and the slots they sit in,
// as formulas over the twin's words (the list of every conjunct the twin states is in
// `Invariants+MDB.swift`). The twin has no objects, so `valid_caps` is its well-formedness part
// only: that a cap names a live object of its kind and size is not stated (for the proofs' shape,
// `cnodeCapsNameTheShape` assumes it of CNode caps). (`l4v:proof/invariant-abstract/Invariants_AI.thy`:
// `valid_cap`, `if_unsafe_then_cap`, `no_cap_to_obj_with_diff_ref`.)

public import Bitwise
import KernelABI

extension TwinState {
  /// `valid_caps` without liveness: every untyped cap is of a size in 2^4...2^47, aligned to it,
  /// with its watermark inside; every notification cap has no rights beyond Read and Write; every
  /// CNode cap has guard size plus radix at most 64 and a guard that fits its guard size.
  public func validCaps() -> Word.Condition { Self.all(slots.map { $0.cap.isWellFormed }) }

  /// `if_unsafe_then_cap`: every filled slot belongs to a CNode or TCB that some cap names. A slot
  /// of the IRQ node (known from its constant address) is named instead by an IRQHandler cap of
  /// its line, as in `AbstractSpec/Invariants.swift` (l4v: `cte_refs (IRQHandlerCap irq)`).
  public func ifUnsafeThenCap() -> Word.Condition {
    Self.all(
      slots.indices.map { k in
        let named: Word.Condition
        if slotRefs[k].container == IRQConstants.irqNodePtr {
          let irq = Word(constant: slotRefs[k].index)
          named = Self.any(slots.map { $0.cap.is(.irqHandler) .&& ($0.cap.ref .== irq) })
        } else {
          let container = Word(constant: slotRefs[k].container)
          named = Self.any(slots.map { ($0.cap.is(.cnode) .|| $0.cap.is(.thread)) .&& ($0.cap.ref .== container) })
        }
        return slots[k].cap.isNull .|| named
      })
  }

  /// `no_cap_to_obj_with_diff_ref`: caps to objects at one address agree on what lives there (the
  /// same object, of the same size). Stated pairwise; for these caps `sameObjectAs` is an
  /// equivalence, so this is the table's check against the first cap seen at the address.
  public func noCapToObjWithDiffRef() -> Word.Condition {
    var conditions: [Word.Condition] = []
    for i in slots.indices {
      for j in slots.indices where i < j {
        let (a, b) = (slots[i].cap, slots[j].cap)
        let (ra, rb) = (a.memoryRange, b.memoryRange)
        let both = a.hasObjectRef .&& b.hasObjectRef .&& (ra.base .== rb.base)
        conditions.append(both .=> (a.sameObjectAs(b) .&& (ra.sizeBits .== rb.sizeBits)))
      }
    }
    return Self.all(conditions)
  }
}

extension TwinCap {
  /// The object-free part of `valid_cap` for this cap (see `validCaps`).
  public var isWellFormed: W.Condition {
    let sizeOK =
      (W(constant: KernelConstants.minUntypedBits) .<= w1) .&& (w1 .<= W(constant: KernelConstants.maxUntypedBits))
    let untyped = sizeOK .&& W.isAligned(ref, bits: w1) .&& (w3 .<= (1 << w1))
    // The rights word as `CapRights` reads it (its low four bits): no Grant, no GrantReply.
    let notification = (w2 & W(constant: CapRights([.grant, .grantReply]).rawValue)) .== 0
    let cnode =
      .!((w2 &+ w1) .> W(constant: UInt64(KernelConstants.wordBits))) .&& ((w3 & ~W.mask(bits: w2)) .== 0)
    return (`is`(.untyped) .=> untyped) .&& (`is`(.notification) .=> notification) .&& (`is`(.cnode) .=> cnode)
  }
}

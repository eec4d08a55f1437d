// The kernel's invariants on scheduling contexts' refill buffers, on words: the executable spec's
// (`ExecutableSpec/Invariants+Sporadic.swift`), read from the header words `scRefillMax`,
// `scRefillHead`, `scRefillTail`, `scPeriod` and the refill slots (`ObjectLayout`):
// - `valid_sched_context'` (l4v-rt `proof/refine/Invariants_H.thy`; its refill part
//   `valid_refills'`, l4v-rt `proof/refine/StateRelation.thy`): the object's size is one a
//   scheduling context may have, `scRefillMax` is at most the object's `refill_absolute_max`, and
//   an active context has `scRefillHead` and `scRefillTail` below `scRefillMax` and a
//   `refill_size` of at most `scRefillMax`;
// - `active_sc_valid_refills'`: the abstract `active_sc_valid_refills` on the live window of every
//   active context whose header words are well formed (clauses in `KernelABI/RefillValidity.swift`;
//   the budget is the window's sum, as the kernel keeps no ghost).
// Every slot is read through `refill(of:at:)`, which refuses an index past the object's
// `refill_absolute_max`, and a window is read only after its indices were checked against
// `scRefillMax`, so no word outside the object is read whatever the header words hold.
// Entries of `invariants` (`Invariants.swift`), checked with the scheduler's invariants.
// Twins: `AbstractSpec/Invariants+Sporadic.swift`, `ExecutableSpec/Invariants+Sporadic.swift`.

public import Bitwise
public import KernelABI

extension KernelState {
  /// The conjuncts of `valid_sched_context'` the scheduling context of 2^`sizeBits` bytes at
  /// `address` breaks.
  func validSchedContext(_ address: ObjectRef, sizeBits: UInt64) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(
        InvariantViolation("valid_sched_context'", conjunct: conjunct, "scheduling context \(hex(address)): \(text)"))
    }
    if sizeBits < KernelConstants.minSchedContextBits || sizeBits > KernelConstants.maxUntypedBits {
      fail("valid_sched_context_size'", "2^\(sizeBits) bytes is no scheduling context's size")
    }
    let absoluteMax = KernelState.refillAbsoluteMax(sizeBits: sizeBits)
    let refillMax = scWord(of: address, ObjectLayout.scRefillMax) ?? 0
    if refillMax > absoluteMax {
      fail("valid_refills'", "scRefillMax \(refillMax) exceeds refill_absolute_max \(absoluteMax)")
    }
    guard refillMax > 0 else { return found }
    let head = scWord(of: address, ObjectLayout.scRefillHead) ?? 0
    let tail = scWord(of: address, ObjectLayout.scRefillTail) ?? 0
    if head >= refillMax { fail("valid_refills'", "scRefillHead \(head) is not below scRefillMax \(refillMax)") }
    if tail >= refillMax { fail("valid_refills'", "scRefillTail \(tail) is not below scRefillMax \(refillMax)") }
    // Implied by the two above (l4v states it all the same).
    let size = RefillBuffer<UInt64>(refillMax: refillMax, head: head, tail: tail, slots: []).refillSize
    if size > refillMax { fail("valid_refills'", "refill_size \(size) exceeds scRefillMax \(refillMax)") }
    return found
  }

  /// `valid_sched_context'` and `active_sc_valid_refills'` of every scheduling context of
  /// `schedObjects` (`schedulerObjects()`), in address order.
  func schedContextViolations(_ schedObjects: [(address: ObjectRef, kind: KernelObjectKind)]) -> [InvariantViolation] {
    var shape: [InvariantViolation] = []
    var refills: [InvariantViolation] = []
    for (address, kind) in schedObjects {
      guard case .schedContext(let sizeBits) = kind else { continue }
      let broken = validSchedContext(address, sizeBits: sizeBits)
      shape += broken
      guard broken.isEmpty, let refillMax = scRefillMax(of: address), refillMax > 0 else { continue }
      let window = refillWindow(of: address)
      refills += RefillValidity.activeSCValidRefills(
        "active_sc_valid_refills'", at: address, window, refillMax: refillMax,
        period: scPeriod(of: address) ?? 0, budget: UInt64(clamping: RefillValidity.refillsSum(window)))
    }
    return shape + refills
  }

  /// The live refills of the scheduling context at `sc`, head first: `refill_size` of them from
  /// `scRefillHead`, wrapping after `scRefillMax − 1`. For a context that holds
  /// `valid_sched_context'` (each index below `scRefillMax` ≤ `refill_absolute_max`); a slot
  /// `refill(of:at:)` refuses ends the window early.
  public func refillWindow(of sc: ObjectRef) -> [Refill<UInt64>] {
    let buffer = RefillBuffer<UInt64>(
      refillMax: scRefillMax(of: sc) ?? 0, head: scRefillHead(of: sc) ?? 0, tail: scRefillTail(of: sc) ?? 0,
      slots: [])
    guard buffer.refillMax > 0, buffer.head < buffer.refillMax, buffer.tail < buffer.refillMax else { return [] }
    var window: [Refill<UInt64>] = []
    var index = buffer.head
    for _ in 0..<buffer.refillSize {
      guard let refill = refill(of: sc, at: index) else { break }
      window.append(refill)
      index = buffer.refillNext(index)
    }
    return window
  }
}

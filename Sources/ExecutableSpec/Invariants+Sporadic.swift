// The executable spec's invariants on scheduling contexts' refill buffers:
// - `valid_sched_context'` (l4v-rt `proof/refine/Invariants_H.thy`, with `valid_sched_context_size'`
//   and `sc_size_bounds`; its refill part is `sc_valid_refills'`, which `valid_refills'` in
//   l4v-rt `proof/refine/StateRelation.thy` names): the object's size is one a scheduling context
//   may have (2^7 up to the largest untyped); the buffer (`scRefills`, the slots written) fits in
//   the object's `refill_absolute_max` slots and `scRefillMax` does too; and an active context
//   (`scRefillMax` > 0) has `scRefillHead` and `scRefillTail` below `scRefillMax` and a
//   `refill_size` of at most `scRefillMax`: what `wrap_slice` needs to read a window.
// - `active_sc_valid_refills'`: the abstract spec's `active_sc_valid_refills` on the live window
//   (`refills_map`) of every active context whose buffer is well formed, the clauses stated once
//   in `KernelABI/RefillValidity.swift`. l4v keeps this at the abstract level only (carried down
//   by `sc_relation`); it is checked here too so that a buffer the shared refill core breaks is
//   reported in this layer by name. No concrete layer holds the abstract ghost `sc_budget`, so
//   the budget compared with is the window's own sum and that clause cannot fail here (the
//   abstract spec's can).
// Entries of `invariants` (`Invariants.swift`), run with the scheduler's invariants.
// Twins: `AbstractSpec/Invariants+Sporadic.swift`, `Kernel/Invariants+Sporadic.swift`.

import Bitwise
import KernelABI

extension ExecState {
  /// The conjuncts of `valid_sched_context'` the context `sc` at `address` breaks: its size
  /// (`valid_sched_context_size'`) and its buffer's shape (`valid_refills'`).
  static func validSchedContext(_ address: ObjectRef, _ sc: SchedContext) -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    func fail(_ conjunct: String, _ text: String) {
      found.append(
        InvariantViolation("valid_sched_context'", conjunct: conjunct, "scheduling context \(hex(address)): \(text)"))
    }
    if sc.sizeBits < KernelConstants.minSchedContextBits || sc.sizeBits > KernelConstants.maxUntypedBits {
      fail("valid_sched_context_size'", "2^\(sc.sizeBits) bytes is no scheduling context's size")
    }
    let absoluteMax = sc.refillAbsoluteMax
    if UInt64(sc.scRefills.count) > absoluteMax {
      fail("valid_refills'", "\(sc.scRefills.count) refill slots written, the object holds \(absoluteMax)")
    }
    if sc.refillMax > absoluteMax {
      fail("valid_refills'", "scRefillMax \(sc.refillMax) exceeds refill_absolute_max \(absoluteMax)")
    }
    guard sc.refillMax > 0 else { return found }
    if sc.scRefillHead >= sc.refillMax {
      fail("valid_refills'", "scRefillHead \(sc.scRefillHead) is not below scRefillMax \(sc.refillMax)")
    }
    if sc.scRefillTail >= sc.refillMax {
      fail("valid_refills'", "scRefillTail \(sc.scRefillTail) is not below scRefillMax \(sc.refillMax)")
    }
    // Implied by the two above (l4v states it all the same): with both indices below
    // scRefillMax the window cannot be longer.
    let size = RefillBuffer<UInt64>(refillMax: sc.refillMax, head: sc.scRefillHead, tail: sc.scRefillTail, slots: [])
      .refillSize
    if size > sc.refillMax {
      fail("valid_refills'", "refill_size \(size) exceeds scRefillMax \(sc.refillMax)")
    }
    return found
  }

  /// `valid_sched_context'` of every scheduling context.
  func validSchedContexts() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      guard case .schedContext(let sc) = object else { continue }
      found += ExecState.validSchedContext(address, sc)
    }
    return found
  }

  /// `active_sc_valid_refills'`: every active scheduling context whose buffer is well formed
  /// (`valid_sched_context'`; a malformed one is reported there) holds a valid live window.
  func activeSCValidRefills() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace.sorted(by: { $0.key < $1.key }) {
      guard case .schedContext(let sc) = object, sc.refillMax > 0,
        ExecState.validSchedContext(address, sc).isEmpty
      else { continue }
      let window = ExecState.refillWindow(sc)
      found += RefillValidity.activeSCValidRefills(
        "active_sc_valid_refills'", at: address, window, refillMax: sc.refillMax, period: sc.scPeriod,
        budget: UInt64(clamping: RefillValidity.refillsSum(window)))
    }
    return found
  }

  /// The live refills of `sc`, head first: `refill_size` of them from `scRefillHead`, wrapping
  /// after `scRefillMax − 1` (`refill_next`). The caller has checked `valid_sched_context'`, so
  /// every index is below `scRefillMax`.
  static func refillWindow(_ sc: SchedContext) -> [Refill<UInt64>] {
    let buffer = RefillBuffer<UInt64>(refillMax: sc.refillMax, head: sc.scRefillHead, tail: sc.scRefillTail, slots: [])
    var window: [Refill<UInt64>] = []
    var index = sc.scRefillHead
    for _ in 0..<buffer.refillSize {
      window.append(sc.refill(at: index))
      index = buffer.refillNext(index)
    }
    return window
  }
}

extension ExecState {
  /// `active_scs_valid'`: what l4v-rt's `active_scs_valid` says besides the refills, as this
  /// layer holds it: a sporadic scheduling context (`scSporadic`) is active. Its other clause, an
  /// inactive context has budget 0, cannot fail here: no concrete layer keeps a budget, and the
  /// abstraction's (`sc_budget`, the live window's sum) of an inactive context (`scRefillMax` 0,
  /// an empty window) is 0.
  func activeSCsValid() -> [InvariantViolation] {
    var found: [InvariantViolation] = []
    for (address, object) in ksPSpace {
      guard case .schedContext(let sc) = object, sc.refillMax == 0, sc.scSporadic else { continue }
      found.append(
        InvariantViolation("active_scs_valid'", "scheduling context \(hex(address)) is sporadic but inactive"))
    }
    return found.sorted { $0.explanation < $1.explanation }
  }
}

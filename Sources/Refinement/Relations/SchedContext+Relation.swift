// `sc_relation` (l4v `proof/refine/StateRelation.thy`, MCS): a scheduling context. Until time is
// modelled only its size, its thread (`scTcb`) and its refill capacity (`scRefillMax`) are: the
// kernel's words lift to the executable spec's fields, and those are the abstract spec's.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The scheduling context of 2^`sizeBits` bytes at `address`.
  func liftSchedContext(at address: ObjectRef, sizeBits: UInt64) -> ExecutableSpec.KernelObject {
    let tcb = scTcb(of: address) ?? 0
    return .schedContext(
      ExecutableSpec.SchedContext(
        sizeBits: sizeBits, tcb: tcb == 0 ? nil : tcb, refillMax: scRefillMax(of: address) ?? 0))
  }
}

extension ExecState {
  /// The abstract scheduling context an executable-spec one stands for: the same fields.
  func abstractSchedContext(_ sc: ExecutableSpec.SchedContext) -> AbstractSpec.KernelObject {
    .schedContext(AbstractSpec.SchedContext(sizeBits: sc.sizeBits, tcb: sc.tcb, refillMax: sc.refillMax))
  }
}

// `sc_relation` (l4v `proof/refine/StateRelation.thy`, MCS): a scheduling context. In the
// capability core only its size is modelled (budgets and refills come with time), so the relation
// is that an object of that size is there in every layer.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The scheduling context of 2^`sizeBits` bytes at `address`.
  func liftSchedContext(at address: ObjectRef, sizeBits: UInt64) -> ExecutableSpec.KernelObject {
    .schedContext(sizeBits: sizeBits)
  }
}

extension ExecState {
  /// The abstract scheduling context an executable-spec one of 2^`sizeBits` bytes stands for.
  func abstractSchedContext(sizeBits: UInt64) -> AbstractSpec.KernelObject { .schedContext(sizeBits: sizeBits) }
}

// `sc_relation` (l4v `proof/refine/StateRelation.thy`, MCS): a scheduling context. Until time is
// modelled only its size, its thread (`scTcb`), its refill capacity (`scRefillMax`) and the head
// of its call stack (`scReply`) are: the kernel's words lift to the executable spec's fields, and
// those are the abstract spec's, with the call stack read off the replies' `replyPrev` links
// from `scReply` (l4v-rt `sc_replies`; `ExecState.callStack(from:)`).

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The scheduling context of 2^`sizeBits` bytes at `address`.
  func liftSchedContext(at address: ObjectRef, sizeBits: UInt64) -> ExecutableSpec.KernelObject {
    let tcb = scTcb(of: address) ?? 0
    let reply = scReply(of: address) ?? 0
    return .schedContext(
      ExecutableSpec.SchedContext(
        sizeBits: sizeBits, tcb: tcb == 0 ? nil : tcb, refillMax: scRefillMax(of: address) ?? 0,
        scReply: reply == 0 ? nil : reply))
  }
}

extension ExecState {
  /// The abstract scheduling context an executable-spec one stands for: the same fields, and the
  /// call stack from `scReply`.
  func abstractSchedContext(_ sc: ExecutableSpec.SchedContext) -> AbstractSpec.KernelObject {
    .schedContext(
      AbstractSpec.SchedContext(
        sizeBits: sc.sizeBits, tcb: sc.tcb, refillMax: sc.refillMax, replies: callStack(from: sc.scReply)))
  }
}

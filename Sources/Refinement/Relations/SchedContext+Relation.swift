// `sc_relation` (l4v `proof/refine/ARM/StateRelation.thy`, HE_proofs): a scheduling context.
//
// R1: the kernel's twelve header words and its refill slots (`ObjectLayout`: refill i at
// 96 + 16·i) lift to the executable spec's fields one for one, and the slots to `scRefills`, the
// garbage outside the live window included (the executable spec keeps it too, as the Haskell
// model's list does). `scSporadic` is a `bool_t` word: anything but 0 or 1 does not decode.
// `scCore` and `scNotification` are not modelled yet (one core; no notification binding of
// scheduling contexts).
//
// R2: the executable spec's fields are the abstract spec's one for one, except the refills: the
// abstract list is the buffer's live window (`refills_map`: from `scRefillHead`, `refill_size`
// of them, wrapping at `scRefillMax`; l4v's `wrap_slice`), and the garbage is forgotten. The call
// stack is read off the replies' `replyPrev` links from `scReply` (l4v-rt `sc_replies`;
// `ExecState.callStack(from:)`).

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The scheduling context of 2^`sizeBits` bytes at `address`; a `scSporadic` word that is no
  /// `bool_t` is added to `problems`.
  func liftSchedContext(at address: ObjectRef, sizeBits: UInt64, problems: inout [String])
    -> ExecutableSpec.KernelObject
  {
    func reference(_ word: UInt64?) -> ObjectRef? { (word ?? 0) == 0 ? nil : word }
    let sporadic = scSporadic(of: address) ?? 0
    if sporadic > 1 {
      problems.append("scheduling context \(hex(address)): scSporadic is \(sporadic), no bool_t")
    }
    return .schedContext(
      ExecutableSpec.SchedContext(
        sizeBits: sizeBits, scPeriod: scPeriod(of: address) ?? 0, scConsumed: scConsumed(of: address) ?? 0,
        tcb: reference(scTcb(of: address)), scRefills: writtenRefills(of: address),
        refillMax: scRefillMax(of: address) ?? 0, scBadge: scBadge(of: address) ?? 0,
        scYieldFrom: reference(scYieldFrom(of: address)), scReply: reference(scReply(of: address)),
        scRefillHead: scRefillHead(of: address) ?? 0, scRefillTail: scRefillTail(of: address) ?? 0,
        scSporadic: sporadic == 1))
  }
}

extension ExecState {
  /// The abstract scheduling context an executable-spec one stands for: the same fields, the
  /// live window of the refill buffer (`refillsMap`), and the call stack from `scReply`.
  func abstractSchedContext(_ sc: ExecutableSpec.SchedContext) -> AbstractSpec.KernelObject {
    .schedContext(
      AbstractSpec.SchedContext(
        sizeBits: sc.sizeBits, period: sc.scPeriod, consumed: sc.scConsumed, tcb: sc.tcb,
        refills: ExecState.refillsMap(sc), refillMax: sc.refillMax, badge: sc.scBadge, yieldFrom: sc.scYieldFrom,
        replies: callStack(from: sc.scReply), sporadic: sc.scSporadic))
  }

  /// l4v's `refills_map start count mx` over the buffer (`refill_map` is the identity here: both
  /// layers hold `Refill<UInt64>`): `wrap_slice (min head mx) (min size mx) mx` of the slots,
  /// where size is `refill_size` (tail − head + 1, or tail + 1 + mx − head when the window wraps).
  /// An inactive context (`scRefillMax` 0) has none.
  static func refillsMap(_ sc: ExecutableSpec.SchedContext) -> [Refill<UInt64>] {
    let mx = sc.refillMax
    let (head, tail) = (sc.scRefillHead, sc.scRefillTail)
    let size = head <= tail ? tail &- head &+ 1 : tail &+ 1 &+ (mx &- head)
    return wrapSlice(start: min(head, mx), count: min(size, mx), mx: mx, sc.refill(at:))
  }

  /// l4v's `wrap_slice start count mx xs`: `count` elements from `start`, wrapping to the
  /// beginning at `mx` (the caller keeps start and count ≤ mx).
  static func wrapSlice<T>(start: UInt64, count: UInt64, mx: UInt64, _ element: (UInt64) -> T) -> [T] {
    if start &+ count <= mx { return (start..<start &+ count).map(element) }
    return (start..<mx).map(element) + (0..<(start &+ count &- mx)).map(element)
  }
}

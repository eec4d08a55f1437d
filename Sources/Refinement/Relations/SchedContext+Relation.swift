// `sc_relation` (l4v `proof/refine/ARM/StateRelation.thy`, HE_proofs): a scheduling context.
//
// R1: the kernel's twelve header words and its refill slots (`ObjectLayout`: refill i at
// 96 + 16·i) lift to the executable spec's fields one for one, and the slots to `scRefills`, the
// garbage outside the live window included (the executable spec keeps it too, as the Haskell
// model's list does). `scSporadic` is a `bool_t` word: anything but 0 or 1 does not decode.
// `scCore` is not modelled (one core); `scNotification` lifts to `scNtfn`.
//
// R2: the executable spec's fields are the abstract spec's one for one, except the refills: the
// abstract list is the buffer's live window (`refills_map`: from `scRefillHead`, `refill_size`
// of them, wrapping at `scRefillMax`; l4v's `wrap_slice`), and the garbage is forgotten. The call
// stack is read off the replies' `replyPrev` links from `scReply` (l4v-rt `sc_replies`;
// `ExecState.callStack(from:)`).
//
// The abstract ghost `sc_budget` has no concrete counterpart and R2 does not relate it (l4v's
// `sc_relation` does not mention it either): the abstraction fills it with the window's sum, the
// value `active_sc_valid_refills` requires of a valid abstract state, and the checker compares
// with the abstract state's own ghost put in (`withGhosts(of:)`), so the ghost never makes R2
// fail or hold.

public import AbstractSpec
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
        scSporadic: sporadic == 1, scNtfn: reference(scNotification(of: address))))
  }
}

extension ExecState {
  /// The abstract scheduling context an executable-spec one stands for: the same fields, the
  /// live window of the refill buffer (`refillsMap`), the call stack from `scReply`, and as the
  /// ghost `sc_budget` the window's sum (clamped to a word), which is what a valid abstract state
  /// holds there (the checker puts the abstract state's own ghost in before comparing).
  func abstractSchedContext(_ sc: ExecutableSpec.SchedContext) -> AbstractSpec.KernelObject {
    let refills = ExecState.refillsMap(sc)
    return .schedContext(
      AbstractSpec.SchedContext(
        sizeBits: sc.sizeBits, period: sc.scPeriod, budget: UInt64(clamping: RefillValidity.refillsSum(refills)),
        consumed: sc.scConsumed, tcb: sc.tcb, refills: refills, refillMax: sc.refillMax, badge: sc.scBadge,
        yieldFrom: sc.scYieldFrom, replies: callStack(from: sc.scReply), sporadic: sc.scSporadic, ntfn: sc.scNtfn))
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

extension AbstractSpec.KernelObject {
  /// This object with the ghost fields of `other` when both are scheduling contexts (`sc_budget`),
  /// otherwise itself: R2 compares an abstraction with the abstract state's object this way, so
  /// that the ghost, which no concrete word holds, is left unrelated.
  func withGhosts(of other: AbstractSpec.KernelObject?) -> AbstractSpec.KernelObject {
    guard case .schedContext(var sc) = self, case .schedContext(let ghost)? = other else { return self }
    sc.budget = ghost.budget
    return .schedContext(sc)
  }
}

extension AbstractState {
  /// This state with the ghost fields (`sc_budget`) of `other`'s scheduling contexts at the same
  /// addresses: what `abstraction()` is compared as (see the top of this file).
  public func withGhosts(of other: AbstractState) -> AbstractState {
    var state = self
    for (address, object) in kheap {
      guard case .schedContext = object, case .schedContext? = other.kheap[address] else { continue }
      state.kheap[address] = object.withGhosts(of: other.kheap[address])
    }
    return state
  }
}

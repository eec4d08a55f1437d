// Deleting capabilities, and the objects that go with the last one.
//
// Deleting a cap empties its slot and takes the slot out of the derivation tree, handing its
// children to its parent. If no other slot holds a cap to the same object, the cap was final
// (`isFinalCapability`) and the object is destroyed with it (`finaliseCap`): a CNode or TCB first
// has every cap in its own slots deleted the same way, so deletion can recurse through a whole
// tree of CNodes. Revoking a cap deletes every cap derived from it (`cteRevoke`). There is no
// preemption and there are no Zombies in this slice: each operation finishes in one step, and the
// result does not depend on the order in which a revoke visits the descendants.
// (`l4v:spec/abstract/CSpace_A.thy`: `cap_delete`, `rec_del`, `empty_slot`, `cap_revoke`;
// `Finalise_A.thy`: `finalise_cap`.) Twins: `ExecutableSpec/Delete.swift`, `Kernel/Delete.swift`.

public import KernelABI

extension AbstractState {
  /// True iff no slot other than `slot` holds a cap to the object of `slot`'s cap (`is_final_cap`).
  /// Null and untyped caps name no object, so they are never final.
  public func isFinalCapability(_ slot: SlotRef) -> Bool {
    let cap = getCap(slot)
    switch cap {
    case .null, .untyped: return false
    default:
      // A copy's tree parent usually names its object: asked first, only because it is quick.
      if let parent = cdt[slot], cap.sameObjectAs(getCap(parent)) { return false }
      // Every slot of every object, unsorted (`capsOfState` sorts them): finality asks "any other?".
      for (address, object) in kheap {
        guard let caps = object.capSlots else { continue }
        for (index, other) in caps where cap.sameObjectAs(other) && SlotRef(address, index) != slot { return false }
      }
      return true
    }
  }

  /// Delete the cap in `slot` (`cap_delete`); an empty slot is left as it is. When the cap was the
  /// final cap to its object, the object is destroyed (`finaliseCap`).
  /// - Complexity: each nested call deletes at least one cap, so the recursion is bounded by the
  ///   number of caps in the state.
  public mutating func cteDelete(_ slot: SlotRef) {
    let cap = getCap(slot)
    guard !cap.isNull else { return }
    let isFinal = isFinalCapability(slot)
    if let replaced = seams.deleteEmpties { replaced(&self, slot) } else { emptySlot(slot) }
    if isFinal { finaliseCap(cap) }
  }

  /// Destroy the object `cap` was the final cap to (`finalise_cap`, then the object's removal).
  public mutating func finaliseCap(_ cap: Capability) {
    if let replaced = seams.finaliseCap { return replaced(&self, cap) }
    switch cap {
    // A CNode's caps go first, each deleted as if by the user; then the CNode itself.
    case .cnode(let r, _, _, _):
      deleteContents(of: r)
      kheap[r] = nil
    // A thread stops running, its caps are deleted, and its TCB goes.
    // MCS: it lets go of its bound notification and its scheduling context (answering a thread
    // that yielded to that context), stops and leaves its ready queue and any notification queue
    // (`suspend`).
    case .thread(let r):
      unbindNotification(r)
      if let sc = tcb(at: r)?.schedContext {
        schedContextUnbindTCB(sc)
        if let from = schedContext(at: sc)?.yieldFrom { schedContextCompleteYieldTo(from) }
      }
      suspend(r)
      if currentThread == r { currentThread = idleThread }
      deleteContents(of: r)
      kheap[r] = nil
    // A scheduling context lets its thread go (`sched_context_unbind_all_tcbs`), its notification
    // (`sched_context_unbind_ntfn`) and its call stack (`sched_context_unbind_reply`), answers a
    // thread that yielded to it (`complete_yield_to`), then goes.
    case .schedContext(let r, _):
      schedContextUnbindAllTCBs(r)
      schedContextUnbindNtfn(r)
      schedContextUnbindReply(r)
      if let from = schedContext(at: r)?.yieldFrom { schedContextCompleteYieldTo(from) }
      kheap[r] = nil
    // A notification lets its scheduling context go (`sched_context_maybe_unbind_ntfn`) and its
    // thread, and wakes its waiters (`unbind_maybe_notification`, `cancel_all_signals`), then goes.
    case .notification(let r, _, _):
      schedContextMaybeUnbindNtfn(r)
      unbindMaybeNotification(r)
      cancelAllSignals(r)
      kheap[r] = nil
    // An endpoint restarts every thread queued on it (`cancel_all_ipc`), then goes.
    case .endpoint(let r, _, _):
      cancelAllIPC(r)
      kheap[r] = nil
    // A reply cuts off the thread tied to it: a caller waiting for the reply (`reply_remove`),
    // or a receiver queued with it (`cancel_ipc`); then it goes (MCS `finaliseCap`).
    case .reply(let r, _):
      if let thread = reply(at: r)?.tcb {
        switch tcb(at: thread)?.state {
        case .blockedOnReply?: replyRemove(r, thread)
        case .blockedOnReceive?: cancelIPC(thread)
        default: break
        }
      }
      kheap[r] = nil
    // The last handler cap of a line: its IRQ node slot is emptied and the line becomes
    // IRQInactive (`deleting_irq_handler`, `deleted_irq_handler`: `Interrupt.swift`).
    case .irqHandler(let irq):
      deletingIRQHandler(irq)
    // Untyped memory and the control caps name no object to destroy.
    case .null, .untyped, .schedControl, .irqControl, .domain:
      return
    }
  }

  /// Delete every cap held in the CNode or TCB at `container`, in slot order.
  mutating func deleteContents(of container: ObjectRef) {
    let indices = kheap[container]?.capSlots?.keys.sorted() ?? []
    for index in indices { cteDelete(SlotRef(container, index)) }
  }

  /// Delete every cap derived from the cap in `slot` (`cap_revoke`); the cap itself stays. An empty
  /// slot has nothing derived from it.
  ///
  /// l4v lets the kernel pick any descendant next (`select_ext`); without preemption every order
  /// reaches the same state, so this takes the smallest child each time. A child's own children
  /// become children of `slot` when it goes, so the loop ends when `slot` has no children left.
  /// - Complexity: each round deletes at least one cap, so at most as many rounds as caps.
  public mutating func cteRevoke(_ slot: SlotRef) {
    // Each round takes at least the deleted child out of the tree, so the tree's size bounds them.
    let rounds = cdt.count
    for _ in 0..<rounds {
      guard !getCap(slot).isNull, let child = childrenOf(slot).first else { return }
      cteDelete(child)
    }
  }

  /// `cap_revoke` with its choices made by a witness: delete the caps in `witness` in that order
  /// (a lower layer's deletion order, for instance). Each must be a descendant of `slot` when its
  /// turn comes, and none may remain afterwards; otherwise the witness is one the abstract spec
  /// does not allow, and the state is left unchanged.
  /// - Returns: whether the witness was allowed (and performed).
  public mutating func cteRevoke(_ slot: SlotRef, witness: [SlotRef]) -> Bool {
    var revoked = self
    for next in witness {
      guard revoked.descendantsOf(slot).contains(next) else { return false }
      revoked.cteDelete(next)
    }
    guard revoked.descendantsOf(slot).isEmpty else { return false }
    self = revoked
    return true
  }
}

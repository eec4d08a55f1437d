// Deleting and revoking capabilities (`cteDelete`, `finaliseSlot`, `finaliseCap`, `cteRevoke` in
// the Haskell model), without Zombies or preemption: in this slice a delete finishes in one step.
//
// Deleting a cap removes it from its slot and the MDB list. When it was the last cap to its object
// (`isFinalCapability`, decided as seL4 decides it: by the list neighbours, since caps to one object
// are contiguous), the object is finalised: a CNode or TCB first has every cap in its slots deleted
// the same way, from the last slot down (the order in which seL4's Zombie reduces them), and then it
// leaves `ksPSpace`; an endpoint restarts its queued threads (`cancelAllIPC`), and it, a
// notification, reply or scheduling context leaves it.
// Untyped, SchedControl, IRQ and Domain caps name no object to destroy.
// Twins: `AbstractSpec/Delete.swift`, `Kernel/Delete.swift`.

public import KernelABI

extension ExecState {
  /// `isFinalCapability`: no list neighbour of `slot` holds a cap to the same object.
  public func isFinalCapability(_ slot: SlotRef) -> Bool {
    guard let entry = cte(at: slot) else { return false }
    if let prev = entry.mdb.prev, getCap(prev).sameObjectAs(entry.cap) { return false }
    if let next = entry.mdb.next, entry.cap.sameObjectAs(getCap(next)) { return false }
    return true
  }

  /// `cteDelete slot True`: delete the cap in `slot`, finalising its object if the cap was final.
  /// An empty slot is left alone.
  public mutating func cteDelete(_ slot: SlotRef) {
    var inProgress: Set<SlotRef> = []
    finaliseSlot(slot, inProgress: &inProgress)
  }

  /// `finaliseSlot`: finalise the object of the cap in `slot` if the cap is final, then empty the
  /// slot. `inProgress` holds the slots whose deletion is under way further up the recursion (seL4
  /// would hold Zombies there), so that an object holding a cap to itself is not entered twice.
  mutating func finaliseSlot(_ slot: SlotRef, inProgress: inout Set<SlotRef>) {
    guard let entry = cte(at: slot), !entry.cap.isNull, inProgress.insert(slot).inserted else { return }
    if isFinalCapability(slot) {
      finaliseCap(entry.cap, inProgress: &inProgress)
    }
    emptySlot(slot)
    inProgress.remove(slot)
  }

  /// `finaliseCap cap final=True`: destroy the object of the final cap `cap`.
  mutating func finaliseCap(_ cap: Capability, inProgress: inout Set<SlotRef>) {
    switch cap {
    // A CNode's caps go first, from its last slot down; then the CNode itself.
    case .cnode(let ref, _, _, _):
      guard case .cnode = ksPSpace[ref] else { return }
      deleteContents(of: ref, inProgress: &inProgress)
      ksPSpace[ref] = nil
    // A thread lets go of its bound notification and its scheduling context (MCS), stops and
    // leaves its ready queue and any notification queue (`suspend`) before its slots are emptied
    // and its TCB goes.
    case .thread(let ref):
      guard case .tcb(let tcb) = ksPSpace[ref] else { return }
      unbindNotification(ref)
      if let sc = tcb.schedContext {
        schedContextUnbindTCB(sc)
        if let from = schedContext(at: sc)?.scYieldFrom { schedContextCompleteYieldTo(from) }
      }
      suspend(ref)
      if ksCurThread == ref { ksCurThread = ksIdleThread }
      deleteContents(of: ref, inProgress: &inProgress)
      ksPSpace[ref] = nil
    // A scheduling context lets its thread go (`schedContext_unbindAllTCBs`), its notification
    // (`schedContext_unbindNtfn`) and its call stack (`schedContext_unbindReply`), answers a
    // thread that yielded to it (`schedContext_completeYieldTo`), then goes.
    case .schedContext(let ref, _):
      schedContextUnbindAllTCBs(ref)
      schedContextUnbindNtfn(ref)
      schedContextUnbindReply(ref)
      if let from = schedContext(at: ref)?.scYieldFrom { schedContextCompleteYieldTo(from) }
      ksPSpace[ref] = nil
    // A notification lets its scheduling context go (`schedContextMaybeUnbindNtfn`) and its
    // thread, and wakes its waiters (`unbindMaybeNotification`, `cancelAllSignals`), then goes.
    case .notification(let ref, _, _):
      schedContextMaybeUnbindNtfn(ref)
      unbindMaybeNotification(ref)
      cancelAllSignals(ref)
      ksPSpace[ref] = nil
    // An endpoint restarts every thread queued on it (`cancelAllIPC`), then goes.
    case .endpoint(let ref, _, _):
      cancelAllIPC(ref)
      ksPSpace[ref] = nil
    // A reply cuts off the thread tied to it (`replyRemove` for a caller, `cancelIPC` for a
    // receiver), then goes.
    case .reply(let ref, _):
      if let thread = reply(at: ref)?.replyTCB {
        switch tcb(at: thread)?.state {
        case .blockedOnReply?: replyRemove(ref, thread)
        case .blockedOnReceive?: cancelIPC(thread)
        default: break
        }
      }
      ksPSpace[ref] = nil
    // The last handler cap of a line: its IRQ node slot is emptied (`cteDeleteOne`) and the line
    // becomes IRQInactive (`deletingIRQHandler`, `Interrupt.swift`).
    case .irqHandler(let irq):
      deletingIRQHandler(irq, inProgress: &inProgress)
    // These caps name no object the kernel frees.
    case .null, .untyped, .schedControl, .irqControl, .domain:
      return
    }
  }

  /// Delete every cap in the slots of the container at `ref`, last slot first. A slot whose own
  /// deletion is under way higher up (the container holds the cap being deleted) is only unlinked
  /// here, so that no list node is left pointing into a destroyed object.
  /// Only the slots that hold a cap when it starts are visited (deletion empties slots, never
  /// fills them), so a large CNode costs what it holds.
  mutating func deleteContents(of ref: ObjectRef, inProgress: inout Set<SlotRef>) {
    let held = (ksPSpace[ref]?.execSlots ?? []).filter { !$0.entry.cap.isNull }.map(\.index)
    for index in held.reversed() {
      finaliseSlot(SlotRef(ref, index), inProgress: &inProgress)
    }
    for slot in inProgress where slot.container == ref { emptySlot(slot) }
  }

  /// `cteRevoke slot`: delete the node after `slot` while it is a descendant of `slot`'s cap. The
  /// descendants form one run after the node, so this deletes exactly the subtree, and the list
  /// ends up relinked around it. Stops if the revoked slot itself disappears (its container was a
  /// descendant's final object). The deletion order is the choice `cap_revoke` leaves free: it is
  /// recorded in `choiceLog` for the abstract spec to follow.
  public mutating func cteRevoke(_ slot: SlotRef) {
    var deleted: [SlotRef] = []
    while let root = cte(at: slot), !root.cap.isNull, let next = root.mdb.next, let nextEntry = cte(at: next),
      ExecState.isMDBParentOf(root, nextEntry)
    {
      cteDelete(next)
      deleted.append(next)
    }
    choiceLog.append(.revokeOrder(revoked: slot, deleted: deleted))
  }
}

// Deleting and revoking capabilities (seL4 `src/kernel/cspace.c`: `cteDelete`, `finaliseSlot`,
// `cteRevoke`; `src/object/objecttype.c`: `finaliseCap`).
//
// Deleting a cap removes it from its slot and from the MDB list. When it was the final cap to its
// object (no MDB neighbour holds a cap to the same object), the object is destroyed: a CNode or TCB
// first has every cap in its slots deleted the same way. This slice has no preemption and no
// Zombies, so a delete finishes in one step; nested deletions run from an explicit work list
// rather than by recursion, so deep CSpaces cannot exhaust the stack. A slot is emptied before its
// object is destroyed, so a CNode holding its own final cap is torn down once.
// Twins: `AbstractSpec/Delete.swift`, `ExecutableSpec/Delete.swift`.

import KernelABI

/// One piece of pending deletion work.
enum DeleteWork {
  /// Delete the cap in the CTE at this address.
  case slot(UInt64)
  /// Delete the caps in `count` consecutive CTEs from `first` (highest first, as seL4's Zombie does).
  case slots(first: UInt64, count: UInt64)
  /// Zero the destroyed object's memory once its slots are all empty.
  case clear(UInt64, bits: UInt64)
  /// Make the line IRQInactive once its node CTE's cap is gone (`deletedIRQHandler`).
  case irqInactive(UInt64)
}

extension KernelState {
  /// `isFinalCapability(slot)`: neither MDB neighbour holds a cap to the same object.
  func isFinalCapability(_ slot: UInt64, _ cap: Capability) -> Bool {
    let prev = mdbPrev(slot)
    if prev != 0 && KernelState.sameObjectAs(getCap(prev), cap) { return false }
    let next = mdbNext(slot)
    if next == 0 { return true }
    return !KernelState.sameObjectAs(cap, getCap(next))
  }

  /// `cteDelete(slot, exposed = true)`: delete the cap in `slot`, destroying its object if final.
  mutating func cteDelete(_ slot: UInt64) {
    var work: [DeleteWork] = [.slot(slot)]
    while let item = work.popLast() {
      switch item {
      case .slot(let cte):
        let cap = getCap(cte)
        guard cap != .null else { continue }
        let final = isFinalCapability(cte, cap)
        emptySlot(cte)
        if final { finaliseCap(cap, &work) }
      case .slots(let first, let count):
        guard count > 0 else { continue }
        let last = count &- 1
        work.append(.slots(first: first, count: last))
        work.append(.slot(first &+ (last << KernelConstants.slotBits)))
      case .clear(let address, let bits):
        memory.zero(address, bits: bits)
      case .irqInactive(let irq):
        setIRQState(.irqInactive, irq)
      }
    }
  }

  /// `finaliseCap(cap, final = true)`: destroy the object of a final cap, queueing the deletion of
  /// the caps it holds.
  mutating func finaliseCap(_ cap: Capability, _ work: inout [DeleteWork]) {
    switch cap {
    // A CNode: every slot's cap goes, then the object.
    case .cnode(let ptr, let radix, _, _):
      guard objects[ptr] == .cnode(radix: radix) else { return }
      // Slots in memory never written hold the null cap: only the backed ones are visited, highest
      // first as `.slots` would, so a large CNode costs what it holds.
      let backed = backedCTEs(of: ptr)
      objects[ptr] = nil
      let bits = radix &+ KernelConstants.slotBits
      work.append(.clear(ptr, bits: bits))
      for cte in backed { work.append(.slot(cte)) }
    // A TCB: the thread lets go of its bound notification (`unbindNotification`) and its
    // scheduling context (MCS), stops and leaves its ready queue and any notification queue
    // (`suspend`; the current thread leaves the CPU), its slots' caps go, then the object.
    case .thread(let ptr):
      guard objects[ptr] == .tcb else { return }
      unbindNotification(ptr)
      if let sc = schedContextWord(of: ptr), sc != 0 {
        schedContextUnbindTCB(sc)
        if let from = scYieldFrom(of: sc), from != 0 { schedContextCompleteYieldTo(from) }
      }
      suspend(ptr)
      if ksCurThread == ptr { ksCurThread = ksIdleThread }
      objects[ptr] = nil
      work.append(.clear(ptr, bits: ObjectType.tcbBits))
      work.append(.slots(first: ptr, count: TCBSlot.count))
    // An endpoint restarts every thread queued on it (`cancelAllIPC`), then goes.
    case .endpoint(let ptr, _, _):
      guard objects[ptr] == .endpoint else { return }
      cancelAllIPC(ptr)
      destroy(ptr, .endpoint)
    // A notification lets its scheduling context go (`schedContextMaybeUnbindNtfn`) and its
    // thread, and wakes its waiters, then goes.
    case .notification(let ptr, _, _):
      guard objects[ptr] == .notification else { return }
      schedContextMaybeUnbindNtfn(ptr)
      unbindMaybeNotification(ptr)
      cancelAllSignals(ptr)
      destroy(ptr, .notification)
    // A reply cuts off the thread tied to it (`reply_remove` for a caller, `cancelIPC` for a
    // receiver), then goes (MCS `finaliseCap`).
    case .reply(let ptr, _):
      guard objects[ptr] == .reply else { return }
      if let thread = replyTCB(of: ptr), thread != 0 {
        switch threadState(of: thread) {
        case .blockedOnReply?: replyRemove(ptr, thread)
        case .blockedOnReceive?: cancelIPC(thread)
        default: break
        }
      }
      destroy(ptr, .reply)
    // A scheduling context lets its thread go (`schedContext_unbindAllTCBs`), its notification
    // (`schedContext_unbindNtfn`) and its call stack (`schedContext_unbindReply`), answers a
    // thread that yielded to it (`schedContext_completeYieldTo`), then goes.
    case .schedContext(let ptr, let sizeBits):
      guard objects[ptr] == .schedContext(sizeBits: sizeBits) else { return }
      schedContextUnbindAllTCBs(ptr)
      schedContextUnbindNtfn(ptr)
      schedContextUnbindReply(ptr)
      if let from = scYieldFrom(of: ptr), from != 0 { schedContextCompleteYieldTo(from) }
      destroy(ptr, .schedContext(sizeBits: sizeBits))
    // The last handler cap of a line: its IRQ node CTE's cap goes and the line becomes
    // IRQInactive (`deletingIRQHandler`, `Interrupt.swift`).
    case .irqHandler(let irq):
      deletingIRQHandler(irq, &work)
    // Untyped memory and the control caps name no object to destroy.
    case .null, .untyped, .schedControl, .irqControl, .domain:
      return
    }
  }

  private mutating func destroy(_ ptr: ObjectRef, _ kind: KernelObjectKind) {
    guard objects[ptr] == kind else { return }
    objects[ptr] = nil
    memory.zero(ptr, bits: kind.sizeBits)
  }

  /// `cteRevoke(slot)`: delete every CDT descendant of the cap in `slot`. Each pass deletes one
  /// non-null cap, so the loop ends.
  mutating func cteRevoke(_ slot: UInt64) {
    while true {
      let next = mdbNext(slot)
      guard next != 0, isMDBParentOf(slot, next) else { return }
      guard seams.cteRevokeContinues?(self, slot, next) ?? true else { return }
      cteDelete(next)
    }
  }
}

// `if_live_then_nonz_cap'` of the kernel, on words: the executable spec's
// (`ExecutableSpec/Invariants+Live.swift`). Every live object has a cap to it, decoded from the
// words of some live CNode's or TCB's slot.
//
// Live in this slice (l4v branch `rt`, `live0'`, `live_sc'`): a TCB whose state word is neither
// Inactive nor IdleThreadState, or whose bound-notification word is not 0, or whose
// scheduling-context word is neither 0 nor the idle scheduling context's; a notification that is
// Waiting or whose bound-thread word is not 0; a scheduling context whose thread word is neither 0
// nor the idle thread's. So the idle objects are not live (`Invariants+Idle.swift`). The caps that name an object: endpoint,
// notification, reply, CNode, thread and scheduling-context caps.
//
// The lockstep checker does not re-run this check after a step in which R1 holds: each word it
// reads lifts to the executable spec's field of the same name (a thread's state, bound
// notification and scheduling context; a notification's state and bound thread; a scheduling
// context's thread; every slot's cap), so the kernel's state satisfies it exactly when the
// executable spec's does, and the executable spec's is checked (`Lockstep+Incremental.swift`).
// Twins: `AbstractSpec/Invariants+Live.swift`, `ExecutableSpec/Invariants+Live.swift`.

public import KernelABI

extension KernelState {
  /// Whether the object at `address` is live (see the top of this file).
  public func isLive(_ address: ObjectRef) -> Bool {
    switch objects[address] {
    case .tcb?:
      (threadState(of: address) != .inactive && threadState(of: address) != .idleThreadState)
        || boundNotificationWord(of: address) != 0
        || (schedContextWord(of: address) != 0 && schedContextWord(of: address) != KernelConstants.idleSCPtr)
    case .notification?: ntfnState(of: address) == .waiting || ntfnBoundTCB(of: address) != 0
    case .schedContext?: scTcb(of: address) != 0 && scTcb(of: address) != KernelConstants.idleThreadPtr
    case .endpoint?: epState(of: address) != .idle
    case .reply?: (replyTCB(of: address) ?? 0) != 0
    case .cnode?, .opaque?, nil: false
    }
  }

  /// `if_live_then_nonz_cap'`: every live object, in address order, that no cap names.
  func ifLiveThenNonzCapViolations() -> [InvariantViolation] {
    var named: Set<ObjectRef> = []
    // The IRQ node's CTEs hold caps too (l4v `ex_nonz_cap_to'` reads every CTE, the IRQ node's
    // included): a notification whose only cap is the one SetIRQHandler copied into the node is
    // named, as the executable spec, whose IRQ node is an object of its heap, counts it.
    for (container, kind) in objects where liesInMemory(container, kind) || KernelState.isIRQNode(container, kind) {
      for cte in backedCTEs(of: container) {
        guard let cap = KernelState.decodeCap(memory.word(cte), memory.word(cte &+ ObjectLayout.cteCapWord1))
        else { continue }
        switch cap {
        case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .cnode(let r, _, _, _),
          .thread(let r), .schedContext(let r, _):
          named.insert(r)
        case .untyped, .null, .schedControl, .irqControl, .irqHandler, .domain:
          continue
        }
      }
    }
    var unnamed: [ObjectRef] = []
    for (address, _) in objects where isLive(address) && !named.contains(address) { unnamed.append(address) }
    return unnamed.sorted().map { address in
      InvariantViolation(
        "if_live_then_nonz_cap'",
        "\(objects[address].map { "\($0)" } ?? "object") \(hex(address)) is live but no cap names it")
    }
  }
}

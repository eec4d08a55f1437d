// Sample systems and their initial states, the same for every layer: `AbstractState.sample`,
// `ExecState.sample` and `KernelState.sample` all start from `SystemPlan.sample`, whose aux slot 2
// already holds a root CNode cap the thread can invoke (`rootCNodeCptr`).

public import KernelABI

extension KernelModel {
  /// This layer's initial state of the sample system.
  public static var sample: Self { Self(plan: .sample) }
}

extension SystemPlan {
  /// The sample with an endpoint cap (a copy of root slot 3's) as the main thread's fault handler,
  /// so that its faults become fault IPC instead of stopping it.
  public static var sampleWithFaultHandler: SystemPlan {
    var plan = SystemPlan.sample
    plan.caps[mainSlot(.faultHandler)] = .endpoint(S.endpoint, badge: 0, rights: .all)
    plan.cdtParent[mainSlot(.faultHandler)] = S.root(3)
    return plan
  }

  /// The sample with no thread running (the idle thread).
  public static var idleSample: SystemPlan {
    var plan = SystemPlan.sample
    plan.currentThread = nil
    return plan
  }
}

/// The TCB slot `slot` of the sample's main thread.
public func mainSlot(_ slot: TCBSlot) -> SlotRef { SlotRef(S.mainTCB, slot.rawValue) }

extension SystemPlan {
  /// Addresses of `threeThreads`' other threads and their scheduling contexts.
  public enum Threads {
    /// A second thread at the main thread's priority (100), queued at step 0.
    public static let second: ObjectRef = 0x10_4000
    /// A thread at priority 50, queued at step 0.
    public static let low: ObjectRef = 0x10_4800
    public static let secondSC: ObjectRef = 0x10_5000
    public static let lowSC: ObjectRef = 0x10_5100
    /// Root slots of the caps to them: the threads (20, 21) and their SCs (22, 23).
    public static let secondSlot: UInt64 = 20
    public static let lowSlot: UInt64 = 21
    public static let secondSCSlot: UInt64 = 22
    public static let lowSCSlot: UInt64 = 23
    /// The root slot of the badged notification cap (badge 6, Read and Write) the three threads
    /// share (the sample's root slot 15): `cptr(root: ntfnSlot)`.
    public static let ntfnSlot: UInt64 = 15
  }

  /// The sample with two more threads sharing the main thread's CSpace, each bound to a
  /// configured scheduling context of its own: `second` at priority 100 (the main thread's) and
  /// `low` at 50, both ready at step 0 (the main thread runs). Caps to the threads and their SCs
  /// sit in root slots 20–23; all three hold the sample's badged notification cap (root slot 15)
  /// and its unbadged one (root slot 4).
  public static var threeThreads: SystemPlan {
    typealias T = Threads
    var plan = SystemPlan.sample
    for (name, address) in [("second", T.second), ("low", T.low)] {
      plan.objects.append(Object(name: name, address: address, kind: .tcb))
      let cspace = SlotRef(address, TCBSlot.cspace.rawValue)
      plan.caps[cspace] = S.rootCap
      plan.cdtParent[cspace] = S.root(2)
    }
    plan.objects.append(Object(name: "second_sc", address: T.secondSC, kind: .schedContext(sizeBits: 8)))
    plan.objects.append(Object(name: "low_sc", address: T.lowSC, kind: .schedContext(sizeBits: 8)))
    for (slot, cap) in [
      (T.secondSlot, Capability.thread(T.second)), (T.lowSlot, .thread(T.low)),
      (T.secondSCSlot, .schedContext(T.secondSC, sizeBits: 8)), (T.lowSCSlot, .schedContext(T.lowSC, sizeBits: 8)),
    ] {
      plan.caps[S.root(slot)] = cap
      plan.originals.insert(S.root(slot))
    }
    plan.threads += [
      Thread(tcb: T.second, priority: 100, schedContext: T.secondSC),
      Thread(tcb: T.low, priority: 50, schedContext: T.lowSC),
    ]
    for sc in [T.secondSC, T.lowSC] { plan.schedContexts[sc] = SchedContextConfiguration(budget: 1_000, period: 1_000) }
    return plan
  }
}

/// `seL4_Yield()`.
public let yieldEvent = Event.syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0))

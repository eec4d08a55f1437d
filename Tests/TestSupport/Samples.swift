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

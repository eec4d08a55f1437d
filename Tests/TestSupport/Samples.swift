// Sample systems and their initial states, the same for every layer. A layer's own tests of the
// capability core start from `AbstractState.sample`, `ExecState.sample` or `KernelState.sample`:
// the sample with only its main thread (`SystemPlan.oneThread`), so that a thread that stops
// leaves the idle thread running; lockstep and scheduler tests use `SystemPlan.sample` itself,
// with its three threads. In both, aux slot 2 holds a root CNode cap the thread can invoke
// (`rootCNodeCptr`).

public import KernelABI

extension KernelModel {
  /// This layer's initial state of the sample system with only its main thread.
  public static var sample: Self { Self(plan: .oneThread) }
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

  /// The sample with a fault handler for `thread`: a copy of the endpoint cap in `source` (root
  /// slot 3's, unbadged with every right, unless told; aux slot 0 holds one with badge 5 and
  /// Read, Write and Grant) with its rights masked by `rights`, in its fault-handler slot, so that
  /// its faults go to the endpoint as fault IPC (or stop it, for a cap that is no valid handler).
  public static func sample(
    faultHandlerOf thread: ObjectRef, copyOf source: SlotRef = S.root(3), rights: CapRights = .all
  )
    -> SystemPlan
  {
    var plan = SystemPlan.sample
    let slot = SlotRef(thread, TCBSlot.faultHandler.rawValue)
    if case .endpoint(let ep, let badge, let sourceRights)? = plan.caps[source] {
      plan.caps[slot] = .endpoint(ep, badge: badge, rights: sourceRights.intersection(rights))
    }
    plan.cdtParent[slot] = source
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
  /// Addresses of the sample's other threads and their scheduling contexts (`SystemPlan.Sample`).
  public enum Threads {
    /// A second thread at the main thread's priority (100), queued at step 0.
    public static let second: ObjectRef = S.secondTCB
    /// A thread at priority 50, queued at step 0.
    public static let low: ObjectRef = S.lowTCB
    public static let secondSC: ObjectRef = S.secondSC
    public static let lowSC: ObjectRef = S.lowSC
    /// Root slots of the caps to the threads (240, 241) and their SCs (242, 243).
    public static let secondSlot: UInt64 = S.secondSlot
    public static let lowSlot: UInt64 = S.lowSlot
    public static let secondSCSlot: UInt64 = S.secondSCSlot
    public static let lowSCSlot: UInt64 = S.lowSCSlot
    /// The root slot of the badged notification cap (badge 6, Read and Write) the three threads
    /// share (the sample's root slot 15): `cptr(root: ntfnSlot)`.
    public static let ntfnSlot: UInt64 = 15
  }

  /// The sample with only its main thread: the other two threads, their scheduling contexts and
  /// the caps to them are gone, so that a thread that stops leaves the idle thread running.
  public static var oneThread: SystemPlan {
    typealias T = Threads
    var plan = SystemPlan.sample
    let gone: Set<ObjectRef> = [T.second, T.low, T.secondSC, T.lowSC]
    plan.objects.removeAll { gone.contains($0.address) }
    let slots = [T.secondSlot, T.lowSlot, T.secondSCSlot, T.lowSCSlot].map(S.root)
    for slot in plan.caps.keys where gone.contains(slot.container) || slots.contains(slot) {
      plan.caps[slot] = nil
      plan.cdtParent[slot] = nil
      plan.originals.remove(slot)
    }
    plan.threads.removeAll { gone.contains($0.tcb) }
    for sc in [T.secondSC, T.lowSC] { plan.schedContexts[sc] = nil }
    return plan
  }
}

/// `seL4_Yield()`.
public let yieldEvent = Event.syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0))

extension SystemPlan {
  /// The sample with its second thread's scheduling context a sporadic server (budget 250 µs in
  /// every 1,000 µs, four refills) where the others stay round robin (budget = period = 1,000 µs):
  /// boot gives each kind its own `refill_new`.
  public static var sampleWithSporadicSC: SystemPlan {
    var plan = SystemPlan.sample
    plan.schedContexts[S.secondSC] = SchedContextConfiguration(budget: 250, period: 1_000, refillMax: 4)
    return plan
  }
}

// The large-CSpace benchmark (`refine-check bench --large-cspace N`): does the checked cost of a
// step grow with the state?
//
// One thread whose root CNode has 2^12 slots; N CNode_Copy invocations copy one endpoint cap into
// slots 20, 21, ... Every copy is a child of the same original and lies in the same MDB list and
// derivation tree as the copies before it, so a check that looks at a whole list, a whole tree or
// every cap to the object pays in proportion to the copies made so far, and a campaign on a real
// system with thousands of caps becomes quadratic. The benchmark times every step of the trace and
// compares the mean checked time of the first `window` copies with that of the last `window`:
// within one run, so that a noisy machine slows both alike. A growth near 1 means the per-step
// cost does not depend on the size of the state.

public import KernelABI

/// The large-CSpace system and its copies.
public enum LargeCSpaceWorkload {
  /// Slots of the root CNode (its radix is 12).
  public static let radix: UInt64 = 12
  public static let rootCNode: ObjectRef = 0x10_0000  // 2^12 slots of 32 bytes: 128 KiB
  public static let mainTCB: ObjectRef = 0x12_0000
  public static let endpoint: ObjectRef = 0x12_1000
  /// The thread's scheduling context (round robin, as the sample's): in MCS only a thread with one
  /// runs, and l4v-rt's `cur_sc_chargeable` holds only for such a current thread.
  public static let schedContext: ObjectRef = 0x12_2000
  /// The first slot a copy lands in.
  public static let firstCopySlot: UInt64 = 20
  /// The most copies the CNode has room for.
  public static var maxCopies: Int { Int((UInt64(1) << radix) - firstCopySlot) }

  /// The system: the root CNode (guard 52 bits of 0, so that cptr i names slot i), the thread, and
  /// one endpoint cap with every right in slot 3; the thread runs on its own scheduling context
  /// (its cap in slot 4).
  public static var plan: SystemPlan {
    let rootCap = Capability.cnode(rootCNode, radix: radix, guardSize: 64 - radix, guard: 0)
    let caps: [SlotRef: Capability] = [
      SlotRef(rootCNode, 1): .thread(mainTCB),
      SlotRef(rootCNode, 2): rootCap,
      SlotRef(rootCNode, 3): .endpoint(endpoint, badge: 0, rights: .all),
      SlotRef(rootCNode, 4): .schedContext(schedContext, sizeBits: 8),
      SlotRef(mainTCB, TCBSlot.cspace.rawValue): rootCap,
    ]
    var originals = Set(caps.keys)
    originals.remove(SlotRef(mainTCB, TCBSlot.cspace.rawValue))
    return SystemPlan(
      memoryBase: 0x10_0000, memorySizeBits: 21,
      objects: [
        .init(name: "root_cnode", address: rootCNode, kind: .cnode(radix: radix)),
        .init(name: "main", address: mainTCB, kind: .tcb),
        .init(name: "ep", address: endpoint, kind: .endpoint),
        .init(name: "sc", address: schedContext, kind: .schedContext(sizeBits: 8)),
      ],
      caps: caps, cdtParent: [SlotRef(mainTCB, TCBSlot.cspace.rawValue): SlotRef(rootCNode, 2)],
      originals: originals, threads: [.init(tcb: mainTCB, schedContext: schedContext)], currentThread: mainTCB,
      schedContexts: [schedContext: SystemPlan.SchedContextConfiguration(budget: 1_000, period: 1_000)])
  }

  /// `copies` CNode_Copy calls (clamped to `maxCopies`): copy i puts the endpoint cap, with Read
  /// and Write, into slot `firstCopySlot + i`.
  public static func events(copies: Int) -> [Event] {
    (0..<min(max(0, copies), maxCopies)).map { i in
      invocationEvent(
        2, label: InvocationLabel.cnodeCopy.rawValue,
        [firstCopySlot + UInt64(i), 64, 3, 64, CapRights([.read, .write]).rawValue], extraCaps: [2])
    }
  }
}

/// What the large-CSpace benchmark measured.
public struct LargeCSpaceReport: Sendable, Codable {
  /// Copies made (steps in the trace).
  public var copies: Int
  /// Steps averaged at each end.
  public var window: Int
  /// Median over the repetitions of the mean checked time of the first `window` steps, and of the
  /// last `window`, in microseconds.
  public var earlyMicrosecondsPerStep: Double
  public var lateMicrosecondsPerStep: Double
  /// Median over the repetitions of late / early (each ratio from one run).
  public var growth: Double
  /// Every repetition's early and late means, in the order run.
  public var earlyRuns: [Double]
  public var lateRuns: [Double]
  /// Steps the incremental check handed to the full check.
  public var stepsCheckedInFull: Int
  /// The first failure the check reported (a correct build has none).
  public var failure: LockstepFailure?
}

/// Run the large-CSpace trace `repetitions` times under the incremental lockstep check, timing
/// each step.
public func runLargeCSpaceBench(copies: Int, window: Int = 500, repetitions: Int = 3) -> LargeCSpaceReport {
  let events = LargeCSpaceWorkload.events(copies: copies)
  let window = max(1, min(window, events.count / 2))
  let clock = ContinuousClock()
  var earlyRuns: [Double] = []
  var lateRuns: [Double] = []
  var ratios: [Double] = []
  var fullChecks = 0
  var firstFailure: LockstepFailure?
  for _ in 0..<max(1, repetitions) {
    var checker = LockstepChecker(plan: LargeCSpaceWorkload.plan)
    var failure = checker.verify()
    var times: [Duration] = []
    times.reserveCapacity(events.count)
    for event in events where failure == nil {
      let start = clock.now
      failure = checker.step(event).failure
      times.append(clock.now - start)
    }
    if let failure {
      firstFailure = failure
      break
    }
    fullChecks = checker.fullChecks
    let early = seconds(times.prefix(window).reduce(.zero, +)) / Double(window) * 1e6
    let late = seconds(times.suffix(window).reduce(.zero, +)) / Double(window) * 1e6
    earlyRuns.append(early)
    lateRuns.append(late)
    ratios.append(early > 0 ? late / early : 0)
  }
  return LargeCSpaceReport(
    copies: events.count, window: window, earlyMicrosecondsPerStep: median(earlyRuns),
    lateMicrosecondsPerStep: median(lateRuns), growth: median(ratios), earlyRuns: earlyRuns, lateRuns: lateRuns,
    stepsCheckedInFull: fullChecks, failure: firstFailure)
}

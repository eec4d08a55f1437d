// SchedControl_ConfigureFlags for every test target: the event, a sample with a spare scheduling
// context bound to no thread, and the decoding checks in seL4's order as a table of events that
// fail each check (alone, and together with the next one), with the error each must give.
// (`seL4:src/object/schedcontrol.c` `decodeSchedControl_ConfigureFlags`.)

public import Bitwise
public import KernelABI
public import Testing

/// The sample's SchedControl cap (root slot 7).
public let schedControlCptr = S.cptr(root: 7)

/// The main thread's scheduling context's cap (root slot 6; 2^8 bytes: 10 refills fit, so up to 8
/// extra).
public let mainSCCptr = S.cptr(root: 6)

/// A scheduling context no thread is bound to and SchedControl has never configured, in the
/// sample with a spare one (`SystemPlan.sampleWithSpareSC`): the smallest size, 2^7 bytes, with
/// room for MIN_REFILLS refills and no extra one.
public enum SpareSC {
  public static let address: ObjectRef = 0x10_5200
  public static let sizeBits: UInt64 = 7
  public static let slot: UInt64 = 32
  public static let cptr = S.cptr(root: slot)
}

extension SystemPlan {
  /// `SystemPlan.sample` (three threads, each on its own configured scheduling context) with a
  /// spare, unconfigured scheduling context (`SpareSC`) and its cap in root slot 32.
  public static var sampleWithSpareSC: SystemPlan {
    var plan = SystemPlan.sample
    plan.objects.append(
      Object(name: "spare_sc", address: SpareSC.address, kind: .schedContext(sizeBits: SpareSC.sizeBits)))
    let slot = S.root(SpareSC.slot)
    plan.caps[slot] = .schedContext(SpareSC.address, sizeBits: SpareSC.sizeBits)
    plan.originals.insert(slot)
    return plan
  }
}

/// SchedControl_ConfigureFlags on `control` (the sample's SchedControl cap unless told): MR0 the
/// budget and MR1 the period in µs, MR2 the extra refills, MR3 the badge, MR4 the flags; the
/// extra cap `sc` (none when nil). `label` and `length` make malformed messages.
public func configureFlags(
  _ sc: UInt64?, budget: UInt64, period: UInt64, extraRefills: UInt64 = 0, badge: UInt64 = 0, flags: UInt64 = 0,
  control: UInt64 = schedControlCptr, label: UInt64 = InvocationLabel.schedControlConfigureFlags.rawValue,
  length: UInt64? = nil
) -> Event {
  invoke(
    control, label: label, [budget, period, extraRefills, badge, flags], caps: sc.map { [$0] } ?? [], length: length)
}

/// The decoding checks of SchedControl_ConfigureFlags in seL4's order, each with an event that fails
/// it and passes every check before it, and an event that fails it and the next check too; both
/// must give the check's error. A valid call (on the main thread's 2^8-byte scheduling context:
/// budget 500 µs, period 1,000 µs, 2 extra refills) is changed one part at a time.
public enum ConfigureFlagsChecks {
  /// One check: its name, the error it gives, and how a valid call is changed to fail it.
  public struct Check: Sendable, CustomStringConvertible {
    public let name: String
    public let error: SyscallError
    public let fail: @Sendable (inout Call) -> Void
    public var description: String { name }
  }

  /// The parts of a call the checks look at.
  public struct Call: Sendable {
    public var label = InvocationLabel.schedControlConfigureFlags.rawValue
    public var sc: UInt64? = mainSCCptr
    public var length: UInt64 = 5
    public var budget: UInt64 = 500
    public var period: UInt64 = 1_000
    public var extraRefills: UInt64 = 2

    public init() {}

    public var event: Event {
      configureFlags(
        sc, budget: budget, period: period, extraRefills: extraRefills, badge: 7, flags: 1, label: label,
        length: length)
    }
  }

  static let outOfRange = SyscallError.rangeError(
    min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds)

  /// The checks in seL4's order. The two below MIN_BUDGET are made with 1 µs (10 ticks < 20); the
  /// period one keeps the budget at MIN_BUDGET_US, above that period (the next check, not reached).
  public static let checks: [Check] = [
    Check(name: "a label that is no SchedControl method", error: .illegalOperation) {
      $0.label = InvocationLabel.schedContextBind.rawValue
    },
    Check(name: "no extra cap", error: .truncatedMessage) { $0.sc = nil },
    Check(name: "fewer than five registers", error: .truncatedMessage) { $0.length = 4 },
    Check(name: "budget above MAX_PERIOD_US", error: outOfRange) { $0.budget = TimeConfig.maxPeriodMicroseconds + 1 },
    Check(name: "period above MAX_PERIOD_US", error: outOfRange) { $0.period = UInt64.max },
    Check(name: "budget below MIN_BUDGET", error: outOfRange) { $0.budget = 1 },
    Check(name: "period below MIN_BUDGET", error: outOfRange) {
      $0.period = 1
      $0.budget = TimeConfig.minBudgetMicroseconds
    },
    Check(name: "budget above period", error: .rangeError(min: TimeConfig.minBudgetMicroseconds, max: 400)) {
      $0.budget = 500
      $0.period = 400
    },
    Check(name: "extra cap no scheduling-context cap", error: .invalidCapability(index: 1)) {
      $0.sc = S.cptr(root: 3)
    },
    Check(name: "more extra refills than fit", error: .rangeError(min: 0, max: 8)) { $0.extraRefills = 9 },
  ]

  /// The event failing check `index` alone (every earlier check passes).
  public static func failing(_ index: Int) -> Event {
    var call = Call()
    checks[index].fail(&call)
    return call.event
  }

  /// The event failing check `index` and check `index + 1` (applied first, so that where both
  /// change the same part, check `index` wins).
  public static func failingWithNext(_ index: Int) -> Event {
    var call = Call()
    checks[index + 1].fail(&call)
    checks[index].fail(&call)
    return call.event
  }
}

extension ConfigureFlagsChecks {
  /// Check `index` failing alone gives its error in `layer`.
  public static func expectFailsAlone(
    _ layer: Layer, _ index: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var state = LayerUnderTest(layer, plan: .sampleWithSpareSC)
    state.expectError(failing(index), checks[index].error, sourceLocation: sourceLocation)
  }

  /// Check `index` failing with the next one gives its own error in `layer` (it comes first).
  public static func expectComesBeforeTheNext(
    _ layer: Layer, _ index: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var state = LayerUnderTest(layer, plan: .sampleWithSpareSC)
    state.expectError(failingWithNext(index), checks[index].error, sourceLocation: sourceLocation)
  }

  /// In `layer`, the smallest scheduling context (`SpareSC`, 2^7 bytes) takes no extra refill,
  /// and a budget of `UInt64.max` µs is refused before it is converted to ticks.
  public static func expectTheSmallestContextTakesNoExtraRefill(
    _ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var state = LayerUnderTest(layer, plan: .sampleWithSpareSC)
    state.expectError(
      configureFlags(SpareSC.cptr, budget: 40, period: 100, extraRefills: 1), .rangeError(min: 0, max: 0),
      sourceLocation: sourceLocation)
    state.expectError(
      configureFlags(SpareSC.cptr, budget: .max, period: 100),
      .rangeError(min: TimeConfig.minBudgetMicroseconds, max: TimeConfig.maxPeriodMicroseconds),
      sourceLocation: sourceLocation)
  }
}

extension RefillBuffer where Word == UInt64 {
  /// The live refills, head first: from `head` to `tail` by `refillNext` (the window l4v's
  /// `refills_map` reads), none when `refillMax` is 0.
  public var liveRefills: [Refill<UInt64>] {
    guard refillMax > 0 else { return [] }
    var refills = [refill(at: head)]
    var index = head
    while index != tail && refills.count < slots.count {
      index = refillNext(index)
      refills.append(refill(at: index))
    }
    return refills
  }
}

/// Refills written as (rTime, rAmount) pairs.
public func refills(_ pairs: [(UInt64, UInt64)]) -> [Refill<UInt64>] {
  pairs.map { Refill(rTime: $0.0, rAmount: $0.1) }
}

/// What a ConfigureFlags case reads of a scheduling context, in any layer: the live refills (head
/// first; the buffer's window in the concrete layers), the period, the refill limit, the badge
/// and the sporadic flag.
public struct ConfiguredContext: Equatable, Sendable {
  public var refills: [Refill<UInt64>]
  public var period: UInt64
  public var refillMax: UInt64
  public var badge: UInt64
  public var sporadic: Bool

  public init(refills: [Refill<UInt64>], period: UInt64, refillMax: UInt64, badge: UInt64, sporadic: Bool) {
    self.refills = refills
    self.period = period
    self.refillMax = refillMax
    self.badge = badge
    self.sporadic = sporadic
  }
}

/// What a ConfigureFlags case reads of one layer's state: its scheduling contexts, current thread,
/// ready queues and `tcbQueued` flags. Each layer's `SchedControlTests` says how it reads them.
public struct SchedControlReading {
  public var context: (ObjectRef) -> ConfiguredContext?
  public var currentThread: ObjectRef
  public var readyQueues: [ReadyQueueIndex: [ObjectRef]]
  public var isQueued: (ObjectRef) -> Bool

  public init(
    context: @escaping (ObjectRef) -> ConfiguredContext?, currentThread: ObjectRef,
    readyQueues: [ReadyQueueIndex: [ObjectRef]], isQueued: @escaping (ObjectRef) -> Bool
  ) {
    self.context = context
    self.currentThread = currentThread
    self.readyQueues = readyQueues
    self.isQueued = isQueued
  }
}

/// SchedControl_ConfigureFlags calls that succeed, as a table every layer runs from
/// `SystemPlan.sampleWithSpareSC`: round robin and sporadic configurations, a running context
/// reconfigured (`refill_update`), a waiting or stopped thread's context, the badge and the
/// sporadic flag, each step with what must hold after it. No time passes, so every refill
/// starts at 0.
public enum ConfigureFlagsCases {
  typealias T = SystemPlan.Threads

  /// One thing that must hold after a step.
  public enum Expectation: Sendable {
    case refills(ObjectRef, [Refill<UInt64>])
    case period(ObjectRef, UInt64)
    case refillMax(ObjectRef, UInt64)
    case badge(ObjectRef, UInt64)
    case sporadic(ObjectRef, Bool)
    case currentThread(ObjectRef)
    /// Ready queue (domain 0, `priority`) holds `threads`, head first.
    case readyQueue(priority: UInt64, [ObjectRef])
    /// Every ready queue is as it was before the first step.
    case readyQueuesAsAtStart
    case queued(ObjectRef, Bool)
  }

  /// An event that must succeed, and what must hold after it.
  public struct Step: Sendable {
    public let event: Event
    public let expected: [Expectation]
  }

  /// A named sequence of steps.
  public struct Case: Sendable, CustomStringConvertible {
    public let name: String
    public let steps: [Step]
    public var description: String { name }
  }

  static func step(_ event: Event, _ expected: Expectation...) -> Step { Step(event: event, expected: expected) }

  public static let cases: [Case] = [
    Case(
      name: "budget equal to period is round robin",
      steps: [
        step(
          configureFlags(SpareSC.cptr, budget: 100, period: 100, badge: 0xBAD, flags: 1),
          .refills(SpareSC.address, refills([(0, 1_000), (0, 0)])), .period(SpareSC.address, 0),
          .refillMax(SpareSC.address, KernelConstants.minRefills), .badge(SpareSC.address, 0xBAD),
          .sporadic(SpareSC.address, true), .currentThread(S.mainTCB), .readyQueuesAsAtStart)
      ]),
    Case(
      name: "budget below period is a sporadic server starting now",
      steps: [
        step(
          configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: 3, flags: 0),
          .refills(SpareSC.address, refills([(0, 400)])), .period(SpareSC.address, 1_000),
          .refillMax(SpareSC.address, 2), .badge(SpareSC.address, 3), .sporadic(SpareSC.address, false)),
        // Extra refills raise the limit (the main thread's 2^8-byte context has room for 8 more).
        step(configureFlags(mainSCCptr, budget: 100, period: 100)),
        step(
          configureFlags(mainSCCptr, budget: 300, period: 1_000, extraRefills: 8), .refillMax(S.schedContext, 10)),
      ]),
    // Round robin first (refill_new), then three sporadic reconfigurations of the running thread's
    // own context (active, its thread runnable: refill_update).
    Case(
      name: "a running context keeps its head's bandwidth",
      steps: [
        step(
          configureFlags(mainSCCptr, budget: 1_000, period: 1_000),
          .refills(S.schedContext, refills([(0, 10_000), (0, 0)]))),
        // The head holds 10,000 ≥ 5,000: trimmed to the new budget, alone.
        step(
          configureFlags(mainSCCptr, budget: 500, period: 1_000, extraRefills: 2),
          .refills(S.schedContext, refills([(0, 5_000)])), .refillMax(S.schedContext, 4),
          .period(S.schedContext, 10_000)),
        // The head holds 5,000 < 8,000: the other 3,000 come one period after it.
        step(
          configureFlags(mainSCCptr, budget: 800, period: 1_000, extraRefills: 2),
          .refills(S.schedContext, refills([(0, 5_000), (10_000, 3_000)]))),
        // Back to 200 µs: only the head is kept, cut to 2,000. The current thread was dequeued
        // and the scheduler chose afresh: main, at the head of its priority, runs on; `second`
        // still waits.
        step(
          configureFlags(mainSCCptr, budget: 200, period: 1_000),
          .refills(S.schedContext, refills([(0, 2_000)])), .refillMax(S.schedContext, 2),
          .currentThread(S.mainTCB), .readyQueue(priority: 100, [T.second])),
      ]),
    Case(
      name: "a waiting thread's context is offered to the scheduler again",
      steps: [
        step(
          configureFlags(S.cptr(root: T.lowSCSlot), budget: 100, period: 100),
          .refills(T.lowSC, refills([(0, 1_000), (0, 0)])), .readyQueue(priority: 50, [T.low]),
          .currentThread(S.mainTCB))
      ]),
    // Active, but its thread cannot run: refill_new, and the thread is not queued.
    Case(
      name: "a stopped thread's context starts afresh",
      steps: [
        step(invoke(S.cptr(root: T.secondSlot), .tcbSuspend, [])),
        step(
          configureFlags(S.cptr(root: T.secondSCSlot), budget: 300, period: 1_000, extraRefills: 1),
          .refills(T.secondSC, refills([(0, 3_000)])), .refillMax(T.secondSC, 3), .queued(T.second, false)),
      ]),
    Case(
      name: "the sporadic flag is bit zero and the badge a word",
      steps: [(UInt64(3), true), (2, false), (1, true), (0, false)].map { flags, sporadic in
        step(
          configureFlags(SpareSC.cptr, budget: 40, period: 100, badge: .max &- flags, flags: flags),
          .sporadic(SpareSC.address, sporadic), .badge(SpareSC.address, .max &- flags))
      }),
  ]

  /// Run `testCase` from `state`: each step's event through `step` must succeed, and then each of
  /// its expectations hold of `read` of the state.
  public static func run<State>(
    _ testCase: Case, from state: State, step: (inout State, Event) -> Observation,
    read: (State) -> SchedControlReading, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var state = state
    let start = read(state).readyQueues
    for (number, next) in testCase.steps.enumerated() {
      expectSuccess(step(&state, next.event), sourceLocation: sourceLocation)
      let reading = read(state)
      for expectation in next.expected {
        let holds: Bool
        switch expectation {
        case .refills(let sc, let refills): holds = reading.context(sc)?.refills == refills
        case .period(let sc, let period): holds = reading.context(sc)?.period == period
        case .refillMax(let sc, let refillMax): holds = reading.context(sc)?.refillMax == refillMax
        case .badge(let sc, let badge): holds = reading.context(sc)?.badge == badge
        case .sporadic(let sc, let sporadic): holds = reading.context(sc)?.sporadic == sporadic
        case .currentThread(let thread): holds = reading.currentThread == thread
        case .readyQueue(let priority, let threads):
          holds = reading.readyQueues[ReadyQueueIndex(domain: 0, priority: priority)] ?? [] == threads
        case .readyQueuesAsAtStart: holds = reading.readyQueues == start
        case .queued(let thread, let queued): holds = reading.isQueued(thread) == queued
        }
        #expect(holds, "\(testCase.name), step \(number + 1): \(expectation)", sourceLocation: sourceLocation)
      }
    }
  }
}

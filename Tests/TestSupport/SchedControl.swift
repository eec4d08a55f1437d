// SchedControl_ConfigureFlags for every test target: the event, a sample with a spare scheduling
// context bound to no thread, and the decoding checks in seL4's order as a table of events that
// fail each check (alone, and together with the next one), with the error each must give.
// (`seL4:src/object/schedcontrol.c` `decodeSchedControl_ConfigureFlags`.)

public import Bitwise
public import KernelABI

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

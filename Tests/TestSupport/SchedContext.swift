// The SchedContext methods for every test target: a sample with the passive server, a spare
// unconfigured scheduling context and a spare configured one, the events, and the decoding checks
// in seL4's order as a table of events that fail each check (alone, and together with the next
// one), with the error each must give. (`seL4:src/object/schedcontext.c`
// `decodeSchedContextInvocation`, `decodeSchedContext_Bind`, `decodeSchedContext_UnbindObject`,
// `decodeSchedContext_YieldTo`.)

public import KernelABI
public import Testing

/// A configured (round robin, 1,000 µs) scheduling context bound to nothing, in
/// `SystemPlan.sampleForSchedContext`: its head refill is ready, so it is released.
public enum ReadySC {
  public static let address: ObjectRef = 0x10_5300
  public static let sizeBits: UInt64 = 8
  public static let slot: UInt64 = 33
  public static let cptr = S.cptr(root: slot)
}

/// Caps of `SystemPlan.sampleForSchedContext` the checks use, by cptr.
public enum SCCaps {
  public typealias P = SystemPlan.SampleServer
  /// The main thread (priority 100, MCP 255), the caller.
  public static let main = S.cptr(root: 1)
  /// `second` (priority 100, on `secondSC`) and `low` (priority 50, on `lowSC`).
  public static let second = S.cptr(root: S.secondSlot)
  public static let low = S.cptr(root: S.lowSlot)
  public static let secondSC = S.cptr(root: S.secondSCSlot)
  public static let lowSC = S.cptr(root: S.lowSCSlot)
  /// The passive server: BlockedOnReceive, no scheduling context.
  public static let server = S.cptr(root: P.serverSlot)
  /// The sample's notification (no scheduling context bound) and endpoint.
  public static let ntfn = S.cptr(root: 4)
  public static let endpoint = S.cptr(root: 3)
}

extension SystemPlan {
  /// `sampleWithServer` with `SpareSC` (unconfigured, root slot 32) and `ReadySC` (configured,
  /// root slot 33), neither bound.
  public static var sampleForSchedContext: SystemPlan {
    var plan = SystemPlan.sampleWithServer
    plan.objects.append(
      Object(name: "spare_sc", address: SpareSC.address, kind: .schedContext(sizeBits: SpareSC.sizeBits)))
    plan.objects.append(
      Object(name: "ready_sc", address: ReadySC.address, kind: .schedContext(sizeBits: ReadySC.sizeBits)))
    plan.caps[S.root(SpareSC.slot)] = .schedContext(SpareSC.address, sizeBits: SpareSC.sizeBits)
    plan.caps[S.root(ReadySC.slot)] = .schedContext(ReadySC.address, sizeBits: ReadySC.sizeBits)
    plan.originals.insert(S.root(SpareSC.slot))
    plan.originals.insert(S.root(ReadySC.slot))
    plan.schedContexts[ReadySC.address] = SchedContextConfiguration(budget: 1_000, period: 1_000)
    return plan
  }
}

/// A SchedContext method on the context `sc` (a cptr) with the extra cap `cap` (none when nil).
public func schedContextCall(
  _ label: InvocationLabel, _ sc: UInt64, _ cap: UInt64? = nil, syscall: Syscall = .call
) -> Event {
  invoke(sc, label, [], caps: cap.map { [$0] } ?? [], syscall: syscall)
}

/// TCB_SetMCPriority of the main thread on itself (it has MCP 255).
public func lowerMainMCP(to mcp: UInt64) -> Event {
  invoke(SCCaps.main, .tcbSetMCPriority, [mcp], caps: [SCCaps.main])
}

/// The decoding checks of each SchedContext method in seL4's order, each with the events that fail
/// it and pass every check before it (after a setup that succeeds), and the events that fail it
/// and the next check of the same method too; both must give the check's error.
public enum SchedContextChecks {
  /// One check: its name, the error it gives, the setup, and the event failing it (alone), and the
  /// setup and event failing it and the next check together (nil for a method's last check).
  public struct Check: Sendable, CustomStringConvertible {
    public let name: String
    public let error: SyscallError
    public let setup: [Event]
    public let alone: Event
    public let withNextSetup: [Event]
    public let withNext: Event?
    public var description: String { name }

    init(
      _ name: String, _ error: SyscallError, setup: [Event] = [], _ alone: Event, withNextSetup: [Event]? = nil,
      withNext: Event? = nil
    ) {
      self.name = name
      self.error = error
      self.setup = setup
      self.alone = alone
      self.withNextSetup = withNextSetup ?? setup
      self.withNext = withNext
    }
  }

  static let bind = InvocationLabel.schedContextBind
  static let unbindObject = InvocationLabel.schedContextUnbindObject

  /// The checks, method by method (each method's valid call: Bind `ReadySC` to the blocked server
  /// or `SpareSC` to the notification; UnbindObject `second` or the notification; Unbind
  /// `secondSC`; YieldTo `secondSC`).
  public static let checks: [Check] = [
    // The label, before anything else (every method).
    Check(
      "a label that is no SchedContext method", .illegalOperation,
      invoke(ReadySC.cptr, label: InvocationLabel.schedControlConfigureFlags.rawValue, [], caps: [SCCaps.server]),
      withNext: invoke(ReadySC.cptr, label: InvocationLabel.schedControlConfigureFlags.rawValue, [])),
    // Bind to a thread.
    Check(
      "Bind: no extra cap", .truncatedMessage, schedContextCall(bind, ReadySC.cptr),
      withNext: schedContextCall(bind, mainSCCptr)),
    Check(
      "Bind: the context has a thread", .illegalOperation, schedContextCall(bind, SCCaps.secondSC, SCCaps.server),
      withNext: schedContextCall(bind, SCCaps.secondSC, SCCaps.low)),
    Check(
      "Bind: the thread has a context", .illegalOperation, schedContextCall(bind, ReadySC.cptr, SCCaps.low),
      withNextSetup: [schedContextCall(bind, ReadySC.cptr, SCCaps.server)],
      withNext: schedContextCall(bind, SpareSC.cptr, SCCaps.server)),
    Check(
      "Bind: the thread blocked and the context not released", .illegalOperation,
      schedContextCall(bind, SpareSC.cptr, SCCaps.server)),
    // Bind to a notification.
    Check(
      "Bind: the context has a notification", .illegalOperation,
      setup: [schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn)], schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn),
      withNext: schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn)),
    Check(
      "Bind: the notification has a context", .illegalOperation,
      setup: [schedContextCall(bind, ReadySC.cptr, SCCaps.ntfn)], schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn)),
    Check(
      "Bind: a cap that is neither", .invalidCapability(index: 1),
      schedContextCall(bind, ReadySC.cptr, SCCaps.endpoint)),
    // UnbindObject.
    Check(
      "UnbindObject: no extra cap", .truncatedMessage, schedContextCall(unbindObject, SCCaps.secondSC)),
    Check(
      "UnbindObject: not the context's thread", .illegalOperation,
      schedContextCall(unbindObject, SCCaps.secondSC, SCCaps.low),
      withNext: schedContextCall(unbindObject, mainSCCptr, SCCaps.low)),
    Check(
      "UnbindObject: the context's thread is the caller", .illegalOperation,
      schedContextCall(unbindObject, mainSCCptr, SCCaps.main)),
    Check(
      "UnbindObject: not the context's notification", .illegalOperation,
      setup: [schedContextCall(bind, ReadySC.cptr, SCCaps.ntfn)],
      schedContextCall(unbindObject, SpareSC.cptr, SCCaps.ntfn)),
    Check(
      "UnbindObject: a cap that is neither", .invalidCapability(index: 1),
      schedContextCall(unbindObject, SCCaps.secondSC, SCCaps.endpoint)),
    // Unbind.
    Check(
      "Unbind: the context's thread is the caller", .illegalOperation,
      schedContextCall(.schedContextUnbind, mainSCCptr)),
    // YieldTo.
    Check(
      "YieldTo: the context has no thread", .illegalOperation, schedContextCall(.schedContextYieldTo, SpareSC.cptr)),
    Check(
      "YieldTo: the context's thread is the caller", .illegalOperation,
      schedContextCall(.schedContextYieldTo, mainSCCptr), withNextSetup: [lowerMainMCP(to: 50)],
      withNext: schedContextCall(.schedContextYieldTo, mainSCCptr)),
    Check(
      "YieldTo: the thread's priority above the caller's MCP", .illegalOperation,
      setup: [lowerMainMCP(to: 50)], schedContextCall(.schedContextYieldTo, SCCaps.secondSC)),
  ]

  /// The calls that pass every check, with their setups: the checks above change these.
  public static let valid: [(setup: [Event], event: Event)] = [
    ([], schedContextCall(bind, ReadySC.cptr, SCCaps.server)),
    ([], schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn)),
    ([], schedContextCall(unbindObject, SCCaps.secondSC, SCCaps.second)),
    ([schedContextCall(bind, SpareSC.cptr, SCCaps.ntfn)], schedContextCall(unbindObject, SpareSC.cptr, SCCaps.ntfn)),
    ([], schedContextCall(.schedContextUnbind, SCCaps.secondSC)),
    ([], schedContextCall(.schedContextUnbind, SpareSC.cptr)),
    ([], schedContextCall(.schedContextConsumed, SCCaps.secondSC)),
    ([], schedContextCall(.schedContextYieldTo, SCCaps.secondSC)),
    ([lowerMainMCP(to: 50)], schedContextCall(.schedContextYieldTo, SCCaps.lowSC)),
  ]

  /// The indices of the checks that have a "with the next" event.
  public static let pairedIndices: [Int] = checks.indices.filter { checks[$0].withNext != nil }

  /// Check `index` failing alone gives its error in `layer`, changing nothing but the caller's
  /// user context.
  public static func expectFailsAlone(_ layer: Layer, _ index: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    var state = LayerUnderTest(layer, plan: .sampleForSchedContext)
    for event in checks[index].setup { state.expectSuccess(event, sourceLocation: sourceLocation) }
    state.expectError(checks[index].alone, checks[index].error, sourceLocation: sourceLocation)
  }

  /// Check `index` failing with the next check gives its own error in `layer` (it comes first).
  public static func expectComesBeforeTheNext(
    _ layer: Layer, _ index: Int, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let event = checks[index].withNext else { return }
    var state = LayerUnderTest(layer, plan: .sampleForSchedContext)
    for event in checks[index].withNextSetup { state.expectSuccess(event, sourceLocation: sourceLocation) }
    state.expectError(event, checks[index].error, sourceLocation: sourceLocation)
  }

  /// Every valid call passes decoding in `layer` (it is answered, with no error).
  public static func expectValidCallsPass(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    for (setup, event) in valid {
      var state = LayerUnderTest(layer, plan: .sampleForSchedContext)
      for event in setup { state.expectSuccess(event, sourceLocation: sourceLocation) }
      let answer = state.answer(event, sourceLocation: sourceLocation)
      if case .error(let error) = answer {
        Issue.record("\(layer): \(event) failed with \(error)", sourceLocation: sourceLocation)
      }
    }
  }
}

/// What the SchedContext cases read of one layer's state (each layer's `SchedContextTests` says
/// how): the links SchedContext methods set, consumed time, the current thread, a thread's reply.
public struct SchedContextReading {
  /// A thread's scheduling context; a context's thread, notification and yielder; a notification's
  /// context; a thread's yield target.
  public var threadSC: (ObjectRef) -> ObjectRef?
  public var scThread: (ObjectRef) -> ObjectRef?
  public var scNtfn: (ObjectRef) -> ObjectRef?
  public var ntfnSC: (ObjectRef) -> ObjectRef?
  public var yieldTo: (ObjectRef) -> ObjectRef?
  public var yieldFrom: (ObjectRef) -> ObjectRef?
  /// A context's consumed ticks.
  public var consumed: (ObjectRef) -> UInt64?
  public var currentThread: ObjectRef
  /// The reply in a thread's registers (as `observe` reads it).
  public var reply: (ObjectRef) -> ReplyMessage?

  public init(
    threadSC: @escaping (ObjectRef) -> ObjectRef?, scThread: @escaping (ObjectRef) -> ObjectRef?,
    scNtfn: @escaping (ObjectRef) -> ObjectRef?, ntfnSC: @escaping (ObjectRef) -> ObjectRef?,
    yieldTo: @escaping (ObjectRef) -> ObjectRef?, yieldFrom: @escaping (ObjectRef) -> ObjectRef?,
    consumed: @escaping (ObjectRef) -> UInt64?, currentThread: ObjectRef,
    reply: @escaping (ObjectRef) -> ReplyMessage?
  ) {
    self.threadSC = threadSC
    self.scThread = scThread
    self.scNtfn = scNtfn
    self.ntfnSC = ntfnSC
    self.yieldTo = yieldTo
    self.yieldFrom = yieldFrom
    self.consumed = consumed
    self.currentThread = currentThread
    self.reply = reply
  }
}

/// The SchedContext methods' effects, run by every layer from `SystemPlan.sampleForSchedContext`
/// with its invariants after every step; `read` reads the layer's state, `setConsumed` writes a
/// context's consumed ticks and `setYieldTo` a thread's yield target (states no event reaches
/// directly: time consumed, and a current thread already yielding).
public enum SchedContextCases {
  public typealias P = SystemPlan.SampleServer

  /// Bind and unbind a thread and a notification; Unbind lets go of everything.
  public static func bindAndUnbind<M: KernelModel>(
    _ initial: M, read: (M) -> SchedContextReading, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var k = initial
    expectSuccess(k.run(schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.server)))
    #expect(read(k).threadSC(P.serverTCB) == ReadySC.address, sourceLocation: sourceLocation)
    #expect(read(k).scThread(ReadySC.address) == P.serverTCB, sourceLocation: sourceLocation)
    expectSuccess(k.run(schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.ntfn)))
    #expect(read(k).scNtfn(ReadySC.address) == S.notification, sourceLocation: sourceLocation)
    #expect(read(k).ntfnSC(S.notification) == ReadySC.address, sourceLocation: sourceLocation)
    expectSuccess(k.run(schedContextCall(.schedContextUnbindObject, ReadySC.cptr, SCCaps.ntfn)))
    #expect(read(k).scNtfn(ReadySC.address) == nil, sourceLocation: sourceLocation)
    #expect(read(k).ntfnSC(S.notification) == nil, sourceLocation: sourceLocation)
    #expect(read(k).scThread(ReadySC.address) == P.serverTCB, sourceLocation: sourceLocation)
    expectSuccess(k.run(schedContextCall(.schedContextBind, ReadySC.cptr, SCCaps.ntfn)))
    expectSuccess(k.run(schedContextCall(.schedContextUnbind, ReadySC.cptr)))
    let after = read(k)
    #expect(
      after.scThread(ReadySC.address) == nil && after.threadSC(P.serverTCB) == nil
        && after.scNtfn(ReadySC.address) == nil && after.ntfnSC(S.notification) == nil,
      sourceLocation: sourceLocation)
    // UnbindObject of a thread: `low` loses its context; bound again, it has it back.
    expectSuccess(k.run(schedContextCall(.schedContextUnbindObject, SCCaps.lowSC, SCCaps.low)))
    #expect(read(k).threadSC(S.lowTCB) == nil && read(k).scThread(S.lowSC) == nil, sourceLocation: sourceLocation)
    expectSuccess(k.run(schedContextCall(.schedContextBind, SCCaps.lowSC, SCCaps.low)))
    #expect(read(k).threadSC(S.lowTCB) == S.lowSC, sourceLocation: sourceLocation)
  }

  /// Consumed answers with the µs and resets the ticks (all of `UInt64.max`: `getMaxTicksToUs`).
  public static func consumed<M: KernelModel>(
    _ initial: M, read: (M) -> SchedContextReading, setConsumed: (inout M, ObjectRef, UInt64) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (ticks, us) in [(12_345, 1_234), (0, 0), (UInt64.max, UInt64.max / TimeConfig.ticksPerMicrosecond)] {
      var k = initial
      setConsumed(&k, S.secondSC, UInt64(ticks))
      let observation = k.run(schedContextCall(.schedContextConsumed, SCCaps.secondSC))
      #expect(observation.reply == .consumed(microseconds: UInt64(us)), sourceLocation: sourceLocation)
      #expect(read(k).consumed(S.secondSC) == 0, sourceLocation: sourceLocation)
      // A Send is not answered, and still resets.
      var sent = initial
      setConsumed(&sent, S.secondSC, UInt64(ticks))
      let none = sent.run(schedContextCall(.schedContextConsumed, SCCaps.secondSC, syscall: .send))
      #expect(none.reply == nil, sourceLocation: sourceLocation)
      #expect(read(sent).consumed(S.secondSC) == 0, sourceLocation: sourceLocation)
    }
  }

  /// YieldTo a thread of the caller's priority: it runs, the yield is recorded, and the caller is
  /// answered with the consumed time when it runs again (`activateThread`); the yield then ends.
  /// YieldTo a lower-priority thread answers at once. Suspending the yielder ends the yield.
  public static func yieldTo<M: KernelModel>(
    _ initial: M, read: (M) -> SchedContextReading, setConsumed: (inout M, ObjectRef, UInt64) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var k = initial
    setConsumed(&k, S.secondSC, 5_000)
    expectSuccess(k.run(schedContextCall(.schedContextYieldTo, SCCaps.secondSC)))
    #expect(read(k).currentThread == S.secondTCB, sourceLocation: sourceLocation)
    #expect(read(k).yieldTo(S.mainTCB) == S.secondSC, sourceLocation: sourceLocation)
    #expect(read(k).yieldFrom(S.secondSC) == S.mainTCB, sourceLocation: sourceLocation)
    k.run(yieldEvent)
    #expect(read(k).currentThread == S.mainTCB, sourceLocation: sourceLocation)
    #expect(read(k).reply(S.mainTCB) == .consumed(microseconds: 500), sourceLocation: sourceLocation)
    #expect(
      read(k).yieldTo(S.mainTCB) == nil && read(k).yieldFrom(S.secondSC) == nil, sourceLocation: sourceLocation)
    #expect(read(k).consumed(S.secondSC) == 0, sourceLocation: sourceLocation)
    // A lower-priority thread's context: answered now, nothing recorded, main runs on.
    var low = initial
    setConsumed(&low, S.lowSC, 70)
    let observation = low.run(schedContextCall(.schedContextYieldTo, SCCaps.lowSC))
    #expect(observation.reply == .consumed(microseconds: 7), sourceLocation: sourceLocation)
    #expect(read(low).currentThread == S.mainTCB && read(low).yieldTo(S.mainTCB) == nil, sourceLocation: sourceLocation)
    // The yielder suspended (by second, running): the yield ends unanswered.
    var suspended = initial
    expectSuccess(suspended.run(schedContextCall(.schedContextYieldTo, SCCaps.secondSC)))
    suspended.run(invoke(SCCaps.main, .tcbSuspend, []))
    #expect(
      read(suspended).yieldTo(S.mainTCB) == nil && read(suspended).yieldFrom(S.secondSC) == nil,
      sourceLocation: sourceLocation)
  }

  /// A caller already yielding is refused (seL4's assertion's twin), the last YieldTo check: the
  /// call that would make `second` run leaves main current and records nothing. (The error reply
  /// is not what main sees: `activateThread` completes the pending yield, its consumed-time reply
  /// written over the error, as seL4 would in that state.)
  public static func alreadyYielding<M: KernelModel>(
    _ initial: M, read: (M) -> SchedContextReading, setYieldTo: (inout M, ObjectRef, ObjectRef) -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var yielding = initial
    setYieldTo(&yielding, S.mainTCB, ReadySC.address)
    _ = yielding.step(schedContextCall(.schedContextYieldTo, SCCaps.secondSC))
    #expect(read(yielding).currentThread == S.mainTCB, sourceLocation: sourceLocation)
    #expect(read(yielding).yieldFrom(S.secondSC) == nil, sourceLocation: sourceLocation)
    #expect(read(yielding).reply(S.mainTCB) == .consumed(microseconds: 0), sourceLocation: sourceLocation)
    // Not yielding, the same call makes `second` run.
    var free = initial
    _ = free.step(schedContextCall(.schedContextYieldTo, SCCaps.secondSC))
    #expect(read(free).currentThread == S.secondTCB, sourceLocation: sourceLocation)
  }
}

// The describer's text is scenario text: every capability kind, described, parses as an
// `expect slot` pattern that pins exactly that cap, and every observation shape, described,
// parses as the `->` outcome that expects exactly it. The explorer and scenario failure messages
// print with this describer, so what they print can be pasted back into a script.

import KernelABI
import Refinement
import Scenario
import Testing

@Suite struct DescribeRoundTripTests {
  static let names: [String: NamedObject] = [
    "ep": .object(0x1000), "ntfn": .object(0x1100), "rep": .object(0x1200), "cn": .object(0x2000),
    "t1": .object(0x3000), "sc": .object(0x4000), "ut": .untyped(base: 0x10_0000, sizeBits: 16),
  ]
  let describer = Describer(names: names)

  /// One cap of every kind, with named and unnamed objects and every field away from its default.
  static let caps: [Capability] = [
    .null,
    .untyped(base: 0x10_0000, sizeBits: 16, isDevice: true, freeIndex: 4096),
    .untyped(base: 0x10_0000, sizeBits: 16, isDevice: false, freeIndex: 0),
    .untyped(base: 0x20_0000, sizeBits: 12, isDevice: false, freeIndex: 16),
    .endpoint(0x1000, badge: 5, rights: [.read, .write, .grant, .grantReply]),
    .endpoint(0x9000, badge: 0, rights: []),
    .notification(0x1100, badge: 7, rights: [.write]),
    .reply(0x1200, canGrant: true),
    .reply(0x1200, canGrant: false),
    .cnode(0x2000, radix: 8, guardSize: 3, guard: 5),
    .thread(0x3000),
    .schedContext(0x4000, sizeBits: 8),
    .schedControl(core: 1),
    .irqControl,
    .irqHandler(irq: 9),
    .domain,
  ]

  static func kind(_ c: Capability) -> CapKind {
    switch c {
    case .null: .null
    case .untyped: .untyped
    case .endpoint: .endpoint
    case .notification: .notification
    case .reply: .reply
    case .cnode: .cnode
    case .thread: .thread
    case .schedContext: .schedContext
    case .schedControl: .schedControl
    case .irqControl: .irqControl
    case .irqHandler: .irqHandler
    case .domain: .domain
    }
  }

  /// The statement of the one line after `system builtin`.
  static func statement(_ line: String) throws -> Statement {
    let script = try ScenarioScript.parse("system builtin\n\(line)\n", file: "d.scenario")
    return try #require(script.lines.first?.statement)
  }

  /// The capability a complete pattern names (nil when a field it needs is missing).
  func capability(_ p: CapPattern) -> Capability? {
    func object() -> UInt64? {
      switch p.object {
      case .number(let n)?: n.magnitude
      case .name(let n)?:
        switch describer.names[n.text] {
        case .object(let r)?: r
        case .untyped(let base, _)?: base
        case nil: nil
        }
      default: nil
      }
    }
    switch p.kind {
    case .null: return .null
    case .untyped:
      guard let base = object(), let size = p.sizeBits, let device = p.device, let free = p.freeIndex else {
        return nil
      }
      return .untyped(base: base, sizeBits: size, isDevice: device, freeIndex: free)
    case .endpoint, .notification:
      guard let r = object(), let badge = p.badge, let rights = p.rights else { return nil }
      return p.kind == .endpoint
        ? .endpoint(r, badge: badge, rights: rights) : .notification(r, badge: badge, rights: rights)
    case .reply:
      guard let r = object(), let rights = p.rights, rights == .grant || rights.isEmpty else { return nil }
      return .reply(r, canGrant: rights == .grant)
    case .cnode:
      guard let r = object(), let radix = p.radix, let size = p.guardSize, let value = p.guardValue else { return nil }
      return .cnode(r, radix: radix, guardSize: size, guard: value)
    case .thread: return object().map { .thread($0) }
    case .schedContext:
      guard let r = object(), let size = p.sizeBits else { return nil }
      return .schedContext(r, sizeBits: size)
    case .schedControl: return object().map { .schedControl(core: $0) }
    case .irqControl: return .irqControl
    case .irqHandler: return object().map { .irqHandler(irq: $0) }
    case .domain: return .domain
    }
  }

  @Test func theCapsCoverEveryKind() {
    #expect(Set(Self.caps.map(Self.kind)) == Set(CapKind.allCases))
  }

  @Test(arguments: caps)
  func everyCapParsesBackToItself(_ cap: Capability) throws {
    let text = describer.cap(cap)
    guard case .expect(.slot(_, let pattern)) = try Self.statement("expect slot(root_cnode, 0) == \(text)") else {
      Issue.record("not an expect slot line: \(text)")
      return
    }
    #expect(capability(pattern) == cap, "\(text)")
  }

  @Test func theDeviceFlagIsWrittenAsTheGrammarReadsIt() {
    // The explorer once wrote a device untyped as `... free 0 device`, which no script accepts.
    #expect(
      describer.cap(.untyped(base: 0x10_0000, sizeBits: 16, isDevice: true, freeIndex: 0)).hasSuffix(" device true"))
    #expect(throws: ScenarioError.self) {
      try Self.statement("expect slot(root_cnode, 0) == untyped(ut) size 16 free 0 device")
    }
  }

  // MARK: Observations

  static let lookupFailures: [LookupFailure] = [
    .invalidRoot, .missingCapability(bitsLeft: 8), .depthMismatch(bitsLeft: 3, bitsFound: 4),
    .guardMismatch(bitsLeft: 60, guardFound: 2, bitsFound: 3),
  ]

  static let errors: [SyscallError] =
    [
      .invalidArgument(argument: 2), .invalidCapability(index: 1), .illegalOperation,
      .rangeError(min: 1, max: 64), .alignmentError, .truncatedMessage, .deleteFirst, .revokeFirst,
      .notEnoughMemory(freeBytes: 4096),
    ]
    + lookupFailures.flatMap {
      [SyscallError.failedLookup(source: true, failure: $0), .failedLookup(source: false, failure: $0)]
    }

  /// Every shape an event's result takes: no reply, the success reply, each error, each fault,
  /// an unmodelled operation.
  static let observations: [Observation] =
    [
      Observation(caller: 0x3000, current: 0x3000),
      Observation(caller: 0x3000, reply: .success, current: 0x3000),
      Observation(caller: 0x3000, current: 0x3000, notModelled: .tcbInvocation),
      Observation(caller: 0x3000, current: 0x3000, notModelled: .syscall(.recv)),
      Observation(caller: 0x3000, fault: .unknownSyscall(number: -9), current: 0x3000),
      Observation(caller: 0x3000, fault: .unknownSyscall(number: 42), current: 0x3000),
    ]
    + errors.map { Observation(caller: 0x3000, reply: ReplyMessage(error: $0), current: 0x3000) }
    + lookupFailures.flatMap { failure in
      [true, false].map {
        Observation(
          caller: 0x3000, fault: .capFault(address: 0xdead, inReceivePhase: $0, failure: failure), current: 0x3000)
      }
    }

  @Test func theErrorsCoverEveryCode() {
    #expect(Set(Self.errors.map(\.code)) == Set(SeL4Error.allCases).subtracting([.noError]))
  }

  @Test(arguments: observations)
  func everyObservationParsesBackAsTheOutcomeThatExpectsIt(_ o: Observation) throws {
    let text = describer.observation(o)
    guard case .step(_, _, let outcome?) = try Self.statement("time 1 -> \(text)") else {
      Issue.record("no outcome: \(text)")
      return
    }
    #expect(outcome == Outcome(exactly: o), "\(text)")
    #expect(outcome.matches(o), "\(text)")
  }

  @Test func aChangeOfCurrentThreadIsWrittenAsExpectCurrentReadsIt() throws {
    for (current, name) in [(ObjectRef?.some(0x3000), "t1"), (nil, "idle")] {
      let text = describer.observation(Observation(caller: 0x1234, reply: .success, current: current))
      let parts = text.split(separator: "; current is now ", omittingEmptySubsequences: false)
      #expect(parts.count == 2 && parts.first == "NoError", "\(text)")
      guard case .expect(.current(let n)) = try Self.statement("expect current == \(parts.last ?? "")") else {
        Issue.record("not an expect current line: \(text)")
        continue
      }
      #expect(n?.text == (name == "idle" ? nil : name))
    }
  }
}

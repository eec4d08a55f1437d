// Running a loaded script: every step on all three layers in lockstep (`LockstepChecker`), every
// outcome and expectation checked on the abstract state. The first failure ends the scenario with
// the script line, what was expected, what happened, and the objects involved. Steps that reached
// an operation the layers do not model are listed in the result's notes whatever was expected.

public import AbstractSpec
public import KernelABI
import Refinement

/// How one scenario went.
public struct ScenarioResult: Hashable, Sendable, Codable {
  public var name: String
  public var file: String
  public var passed: Bool
  /// Why it failed (nil when it passed).
  public var message: String?
  /// Steps that reached unmodelled operations, and similar remarks.
  public var notes: [String]
  /// Events applied.
  public var steps: Int
}

/// A failure while running, already phrased for the report.
struct RunFailure: Error {
  var message: String
}

extension LoadedScenario {
  /// Run the script on the three layers in lockstep. `plantedBug` (tests only) plants a bug in
  /// the kernel, to show which scripts catch it.
  public func run(plantedBug: PlantedBug? = nil) -> ScenarioResult {
    run(plantedBug: plantedBug, plantingAbstractSlip: nil)
  }

  /// Run the script with `slip` planted in AbstractSpec (nil: every layer's own code), as a refuted
  /// event obligation's scenario is replayed to show that it reproduces the failure.
  public func run(plantedBug: PlantedBug? = nil, plantingAbstractSlip slip: AbstractSlip?) -> ScenarioResult {
    var runner = Runner(scenario: self, plantedBug: plantedBug)
    if let slip { runner.checker.plantInAbstract(slip) }
    let failure = runner.runAll()
    return ScenarioResult(
      name: name, file: script.file, passed: failure == nil, message: failure?.message, notes: runner.notes,
      steps: runner.checker.steps)
  }
}

struct Runner {
  let scenario: LoadedScenario
  var checker: LockstepChecker
  var describer: Describer
  var notes: [String] = []
  var line: Line?

  init(scenario: LoadedScenario, plantedBug: PlantedBug? = nil) {
    self.scenario = scenario
    checker = LockstepChecker(plan: scenario.plan, plantedBug: plantedBug)
    describer = Describer(names: scenario.names)
  }

  var state: AbstractState { checker.abstract }

  mutating func runAll() -> RunFailure? {
    if let f = checker.check() {
      return RunFailure(message: "\(scenario.script.file): the initial state fails the lockstep check: \(f)")
    }
    for l in scenario.script.lines {
      line = l
      do throws(RunFailure) {
        try run(l)
      } catch {
        return error
      }
    }
    return nil
  }

  /// A failure at the current line: `file:line: text` then indented details.
  func fail(_ details: [String]) -> RunFailure {
    let place = line.map { "\(scenario.script.file):\($0.position.line): \($0.text)" } ?? scenario.script.file
    return RunFailure(message: ([place] + details.map { "  " + $0 }).joined(separator: "\n"))
  }

  mutating func run(_ l: Line) throws(RunFailure) {
    switch l.statement {
    case .bind(let n, let s):
      let slot = try slotRef(s)
      let cap = state.getCap(slot)
      switch cap {
      case .untyped(let base, let sizeBits, _, _):
        describer.names[n.text] = .untyped(base: base, sizeBits: sizeBits)
      default:
        guard let r = cap.objectRef else {
          throw fail(["cannot name the object of \(describer.slotDetails(slot, in: state)): the cap names no object"])
        }
        describer.names[n.text] = .object(r)
      }
    case .step(let thread, let action, let outcome):
      if let thread { try checkCurrent(thread) }
      let event = try self.event(action)
      let (observation, failure) = checker.step(event)
      if let failure {
        throw fail(["event: \(event)", "lockstep failure (\(failure.kind.rawValue)): \(failure)"])
      }
      if let n = observation.notModelled {
        if case .notModelled? = outcome {
        } else {
          notes.append("\(scenario.script.file):\(l.position.line): not modelled \"\(n)\": \(l.text)")
        }
      }
      if let outcome, !outcome.matches(observation) {
        throw fail([
          "expected: \(Describer.outcome(outcome))", "actual:   \(describer.observation(observation))",
          "event:    \(event)",
        ])
      }
    case .expect(let e):
      try check(e)
    }
  }

  // MARK: Names

  func named(_ n: Name) throws(RunFailure) -> NamedObject {
    guard let o = describer.names[n.text] else { throw fail(["'\(n)' is not defined"]) }
    return o
  }

  func objectRef(_ n: Name) throws(RunFailure) -> ObjectRef {
    guard case .object(let r) = try named(n) else { throw fail(["'\(n)' names an untyped region, not an object"]) }
    return r
  }

  /// The slot `s` names, which must exist now: an expectation about a slot that is not there would
  /// read it as empty and pass. (Slots of system objects are checked at load; this catches names
  /// bound by `name` lines and objects deleted since.)
  func slotRef(_ s: SlotExpr) throws(RunFailure) -> SlotRef {
    let r = SlotRef(try objectRef(s.container), s.index)
    guard !state.slotExists(r) else { return r }
    let why: String
    switch state.kheap[r.container] {
    case .cnode(let cnode):
      why = "index \(s.index) is out of range of \(s.container), a 2^\(cnode.radix)-slot CNode"
    case .tcb: why = "index \(s.index) is out of range of \(s.container), a TCB (\(TCBSlot.count) slots)"
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      why = "\(s.container) has no slots, not being a CNode or TCB (\(describer.object(r.container, in: state)))"
    case nil: why = "\(s.container) no longer exists"
    }
    throw fail(["\(s) does not exist: \(why)"])
  }

  func checkCurrent(_ thread: Name) throws(RunFailure) {
    let expected: ObjectRef? = thread.text == "idle" ? nil : try objectRef(thread)
    let current: ObjectRef? = state.isIdle(state.currentThread) ? nil : state.currentThread
    guard current == expected else {
      let actual = current.map { describer.name(of: $0) } ?? "idle"
      throw fail(["expected \(thread) to be the current thread, but the current thread is \(actual)"])
    }
  }

  /// The cptr that names `v` in the current thread's CSpace.
  func cptr(_ v: Value) throws(RunFailure) -> UInt64 {
    let matches: (ReachableSlot) -> Bool
    let what: String
    switch v {
    case .number(let n): return n.magnitude
    case .list: throw fail(["a list is not a capability"])
    case .slot(let s):
      let target = try slotRef(s)
      matches = { $0.slot == target }
      what = "\(s)"
    case .name(let n):
      switch try named(n) {
      case .object(let r):
        matches = { reach in
          if case .untyped = reach.cap { return false }
          return reach.cap.objectRef == r
        }
      case .untyped(let base, let sizeBits):
        matches = { reach in
          if case .untyped(base, sizeBits, _, _) = reach.cap { return true }
          return false
        }
      }
      what = "a cap to \(n)"
    }
    guard let root = state.currentRoot else {
      throw fail(["cannot resolve \(what): no current thread with a CNode root"])
    }
    for reach in state.reachableSlots(from: root) where matches(reach) {
      if let c = reach.invocationCptr { return c }
    }
    throw fail(["no slot reachable by a full 64-bit lookup from the current thread's CSpace holds \(what)"])
  }

  // MARK: Events

  mutating func event(_ action: Action) throws(RunFailure) -> Event {
    switch action {
    case .time(let n): return .timerTick(ticks: n)
    case .irq(let n): return .interrupt(irq: n)
    case .syscallNumber(let n): return .syscall(number: n, arguments: SyscallArguments(capRegister: 0, messageInfo: 0))
    case .userException(let number, let code): return .userException(number: number, code: code)
    case .syscall(let call, let raw):
      let caps = try raw.extraCaps.map { (v) throws(RunFailure) in try cptr(v) }
      let info = MessageInfo(
        label: raw.label, extraCaps: UInt64(caps.count), length: UInt64(raw.messageRegisters.count))
      return .syscall(
        call,
        SyscallArguments(
          capRegister: try raw.cap.map { (v) throws(RunFailure) in try cptr(v) } ?? 0, messageInfo: info.word,
          messageRegisters: raw.messageRegisters, extraCaps: caps,
          replyRegister: try raw.reply.map { (v) throws(RunFailure) in try cptr(v) } ?? 0,
          nbSendRecvDestination: try raw.dest.map { (v) throws(RunFailure) in try cptr(v) } ?? 0,
          receiveSlot: try raw.receivePath.map { (p) throws(RunFailure) in
            ReceiveSlot(cnode: try cptr(p.cnode), index: p.index, depth: p.depth)
          }))
    case .invoke(let label, let values):
      guard let service = values.first else { throw fail(["no service"]) }
      var caps: [UInt64] = []
      var words: [[UInt64]] = []
      for (p, v) in zip(label.parameters, values.dropFirst()) {
        switch (p.kind, v) {
        case (.cap, _): caps.append(try cptr(v))
        case (.rights, .name(let n)): words.append([rights(letters: n.text)?.rawValue ?? 0])
        case (.type, .name(let n)): words.append([objectTypeNames[n.text]?.rawValue ?? 0])
        case (.words, .list(let items, _)):
          words.append(items.compactMap { if case .number(let n) = $0 { n.magnitude } else { nil } })
        case (_, .number(let n)): words.append([n.magnitude])
        default: throw fail(["argument \(p.name) has the wrong form"])
        }
      }
      let mrs = label.messageRegisters(words)
      let info = MessageInfo(label: label.rawValue, extraCaps: UInt64(caps.count), length: UInt64(mrs.count))
      return .syscall(
        .call,
        SyscallArguments(
          capRegister: try cptr(service), messageInfo: info.word, messageRegisters: mrs, extraCaps: caps))
    }
  }
}

// Running events on the layers: each layer's state steps with its invariants checked after every
// step (`run`), answers are decoded (`Answer`), and `everyLayer` runs one expectation on the three
// layers in turn, naming the layer in every failure. Layer-specific state inspection stays in each
// layer's tests.

import AbstractSpec
import ExecutableSpec
import Kernel
public import KernelABI
public import Testing

// MARK: - Answers

/// How the caller was answered.
public enum Answer: Hashable, Sendable, CustomStringConvertible {
  /// An empty reply: the invocation succeeded.
  case success
  /// An error reply carrying this error and its payload.
  case error(SyscallError)
  /// No reply at all: Send or NBSend, a fault, an operation not modelled, or the caller stopped.
  case noReply
  /// A reply that is neither success nor an error `SyscallError` can decode.
  case undecodable(ReplyMessage)

  /// The answer an observation carries.
  public init(_ observation: Observation) {
    guard let reply = observation.reply else {
      self = .noReply
      return
    }
    if reply == .success {
      self = .success
    } else if let error = SyscallError(label: reply.info.label, messageRegisters: reply.registers) {
      self = .error(error)
    } else {
      self = .undecodable(reply)
    }
  }

  public var description: String {
    switch self {
    case .success: "success"
    case .error(let error): "\(error)"
    case .noReply: "no reply"
    case .undecodable(let reply): "undecodable reply \(reply)"
    }
  }
}

/// Expect `observation` to be an error reply carrying exactly `error`, the caller still current.
public func expectError(
  _ observation: Observation, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(observation.reply == ReplyMessage(error: error), sourceLocation: sourceLocation)
  #expect(observation.fault == nil, sourceLocation: sourceLocation)
  #expect(observation.current == observation.caller, sourceLocation: sourceLocation)
}

/// Expect `observation` to be the empty reply of a successful Call.
public func expectSuccess(_ observation: Observation, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(observation.reply == .success, sourceLocation: sourceLocation)
  #expect(observation.fault == nil, sourceLocation: sourceLocation)
  #expect(observation.notModelled == nil, sourceLocation: sourceLocation)
}

// MARK: - One layer

extension KernelModel {
  /// Apply `event` and expect every invariant to hold afterwards.
  @discardableResult
  public mutating func run(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Observation {
    let observation = step(event)
    let violations = invariantViolations()
    #expect(violations == [], "\(Layer(of: Self.self)): after \(event)", sourceLocation: sourceLocation)
    return observation
  }

  /// Apply `event` (invariants checked) and say how the caller was answered.
  @discardableResult
  public mutating func answer(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Answer {
    Answer(run(event, sourceLocation: sourceLocation))
  }
}

extension KernelModel where Self: Equatable {
  /// Expect `event` to fail with `error` and to leave the state exactly as it was.
  public mutating func expectError(
    _ event: Event, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let before = self
    let answer = answer(event, sourceLocation: sourceLocation)
    #expect(answer == .error(error), "\(Layer(of: Self.self)): \(event)", sourceLocation: sourceLocation)
    #expect(
      self == before, "\(Layer(of: Self.self)): a failed invocation changed the state", sourceLocation: sourceLocation)
  }
}

// MARK: - Every layer

/// One of the three layers.
public enum Layer: String, CaseIterable, Sendable, CustomStringConvertible {
  case abstract = "AbstractSpec"
  case executable = "ExecutableSpec"
  case kernel = "Kernel"

  /// The layer whose state type is `type`.
  init(of type: any KernelModel.Type) {
    self =
      if type == AbstractState.self { .abstract } else if type == ExecState.self { .executable } else { .kernel }
  }

  public var description: String { rawValue }
}

/// One layer's state behind the face the three share, for expectations written once.
public struct LayerUnderTest {
  /// Which layer this is; every failure names it.
  public let layer: Layer
  /// The layer's state.
  public private(set) var state: any KernelModel & Equatable
  /// The answers so far, one per event.
  public private(set) var answers: [Answer] = []

  /// The initial state of `plan` in `layer`.
  public init(_ layer: Layer, plan: SystemPlan) {
    self.layer = layer
    switch layer {
    case .abstract: state = AbstractState(plan: plan)
    case .executable: state = ExecState(plan: plan)
    case .kernel: state = KernelState(plan: plan)
    }
  }

  /// Apply `event`, expect this layer's invariants to hold afterwards, and return the observation.
  @discardableResult
  public mutating func run(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Observation {
    let observation = state.step(event)
    let violations = state.invariantViolations()
    #expect(violations == [], "\(layer): after \(event)", sourceLocation: sourceLocation)
    answers.append(Answer(observation))
    return observation
  }

  /// Apply `event` (invariants checked) and say how the caller was answered.
  @discardableResult
  public mutating func answer(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Answer {
    Answer(run(event, sourceLocation: sourceLocation))
  }

  /// Expect `event` to succeed on this layer.
  public mutating func expectSuccess(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) {
    let answer = answer(event, sourceLocation: sourceLocation)
    #expect(answer == .success, "\(layer): \(event)", sourceLocation: sourceLocation)
  }

  /// Expect `event` to fail with exactly `error` on this layer, the error reply to be in the
  /// caller's user context (`replyFromKernel`: badge register 0, the error's label and message
  /// registers), and nothing else to have changed.
  public mutating func expectError(
    _ event: Event, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let before = state
    let observation = run(event, sourceLocation: sourceLocation)
    #expect(Answer(observation) == .error(error), "\(layer): \(event)", sourceLocation: sourceLocation)
    guard let caller = observation.caller else {
      Issue.record("\(layer): \(event) had no caller", sourceLocation: sourceLocation)
      return
    }
    let context = userContext(of: caller)
    #expect(
      context?.reply == ReplyMessage(error: error) && context?.badgeRegister == 0,
      "\(layer): the caller's user context does not hold the error reply: \(String(describing: context))",
      sourceLocation: sourceLocation)
    let unchanged = Self.same(state, before, apartFromContextOf: caller)
    #expect(
      unchanged, "\(layer): a failed invocation changed more than the caller's user context",
      sourceLocation: sourceLocation)
  }

  /// The user context of `thread` in this layer's state: its reply (as `observe` reads it), its
  /// badge register, and its message registers up to the last non-zero one.
  public func userContext(of thread: ObjectRef) -> (
    reply: ReplyMessage?, badgeRegister: UInt64, msgRegisters: [UInt64]
  )? {
    switch state {
    case let s as AbstractState:
      s.tcb(at: thread).map { (s.replyMessage(of: thread), $0.context.badgeRegister, $0.context.msgRegisters) }
    case let s as ExecState:
      s.tcb(at: thread).map { (s.replyMessage(of: thread), $0.context.badgeRegister, $0.context.msgRegisters) }
    case let s as KernelState:
      s.userContext(of: thread).map { (s.replyMessage(of: thread), $0.badgeRegister, $0.msgRegisters) }
    default: nil
    }
  }

  /// Whether `state` equals `other` once the user context of `thread` in `other` is replaced by
  /// the one in `state`.
  private static func same(
    _ state: any KernelModel & Equatable, _ other: any KernelModel & Equatable, apartFromContextOf thread: ObjectRef
  ) -> Bool {
    switch (state, other) {
    case (let s as AbstractState, var o as AbstractState):
      if let context = s.tcb(at: thread)?.context, case .tcb(var tcb)? = o.kheap[thread] {
        tcb.context = context
        o.kheap[thread] = .tcb(tcb)
      }
      return s == o
    case (let s as ExecState, var o as ExecState):
      if let context = s.tcb(at: thread)?.context, case .tcb(var tcb)? = o.ksPSpace[thread] {
        tcb.context = context
        o.ksPSpace[thread] = .tcb(tcb)
      }
      return s == o
    case (let s as KernelState, var o as KernelState):
      var at = thread &+ ObjectLayout.tcbMsgInfoRegister
      while at < thread &+ ObjectLayout.tcbRegistersEnd {
        o.store(at, s.load(at) ?? 0)
        at &+= 8
      }
      return s == o
    default:
      return false
    }
  }
}

/// Run `body` once for each layer, on that layer's initial state of `plan`.
public func everyLayer(_ plan: SystemPlan = .sample, _ body: (inout LayerUnderTest) throws -> Void) rethrows {
  for layer in Layer.allCases {
    var run = LayerUnderTest(layer, plan: plan)
    try body(&run)
  }
}

/// Expect, on every layer: `setup` succeeds event by event, then `event` fails with exactly `error`
/// and changes nothing.
public func expectErrorOnEveryLayer(
  _ plan: SystemPlan = .sample, after setup: [Event] = [], _ event: Event, _ error: SyscallError,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  everyLayer(plan) { layer in
    for step in setup { layer.expectSuccess(step, sourceLocation: sourceLocation) }
    layer.expectError(event, error, sourceLocation: sourceLocation)
  }
}

// Exhaustive bounded exploration (the TLC approach): every sequence of alphabet events up to a
// depth, breadth first from the initial state, with every relation and invariant checked on every
// transition and states already seen not expanded again.
//
// A state is identified by all three layers: the abstract and executable states as they are, and
// the kernel's ghost object table, current thread and the words of every live object's memory.
// Memory outside live objects (free untyped memory, what deleted objects left behind) is not part
// of the key: the kernel zeroes an object's memory when it retypes it, so those words cannot
// influence what a correct kernel does next (docs/campaigns.md).
//
// Breadth first means the first violation found has a shortest path over the alphabet. The search
// is deterministic for any number of jobs: workers expand a batch of frontier states in parallel,
// and their successors are merged in frontier order, then alphabet order.

public import AbstractSpec
internal import Dispatch
import ExecutableSpec
import Kernel
public import KernelABI
internal import Synchronization

/// What an exhaustive exploration is asked to do.
public struct ExhaustiveOptions: Sendable {
  /// The longest event sequence explored.
  public var depth: Int
  public var jobs: Int
  /// Stop starting new batches after this many seconds (nil: no limit).
  public var timeLimit: Double?
  /// Test and demonstration only: run the layers with this bug planted.
  public var plantedBug: PlantedBug?
  /// Only these operations' alphabet events (nil: the whole alphabet).
  public var operations: Set<GeneratedOperation>?
  /// Stop at the first state (breadth first: one a shortest sequence reaches) of which this
  /// holds, and report the sequence (`ExhaustiveReport.goalPath`).
  public var goal: (@Sendable (AbstractState) -> Bool)?

  public init(
    depth: Int = 2, jobs: Int = 1, timeLimit: Double? = nil, plantedBug: PlantedBug? = nil,
    operations: Set<GeneratedOperation>? = nil, goal: (@Sendable (AbstractState) -> Bool)? = nil
  ) {
    self.depth = depth
    self.jobs = max(1, jobs)
    self.timeLimit = timeLimit
    self.plantedBug = plantedBug
    self.operations = operations
    self.goal = goal
  }
}

/// The violation an exploration found: a shortest event sequence leading to it.
public struct ExhaustiveViolation: Sendable, Codable {
  public var events: [Event]
  public var failure: LockstepFailure
  /// The trace file written for it, if any.
  public var traceFile: String?
}

/// The result of an exhaustive exploration (`check --exhaustive --json` prints it).
public struct ExhaustiveReport: Sendable, Codable {
  public var system: String?
  /// The depth asked for, and the depth up to which every sequence was explored.
  public var depth: Int
  public var depthCompleted: Int
  /// Every sequence up to `depth` explored and nothing failed.
  public var complete: Bool
  /// Distinct states reached (the initial state included).
  public var states: Int
  /// Transitions taken and checked (each an event from an expanded state).
  public var transitions: Int
  /// New distinct states first reached at each depth (index 0: the initial state).
  public var statesPerDepth: [Int]
  public var seconds: Double
  public var statesPerSecond: Double
  public var transitionsPerSecond: Double
  /// (operation, outcome) counts over all transitions, as in a random campaign.
  public var coverage: [String: Int]
  public var violation: ExhaustiveViolation?
  /// A shortest event sequence to a state the goal (`ExhaustiveOptions.goal`) holds of, if one
  /// was reached.
  public var goalPath: [Event]?
  /// Why the exploration stopped early: "violation", "goal" or "time" (nil: it did not).
  public var stoppedBy: String?
}

/// The identity of a three-layer state for the visited set.
struct ExplorationKey: Hashable, Sendable {
  let abstract: AbstractState
  let exec: ExecState
  let objects: LoggedDictionary<ObjectRef, KernelObjectKind>
  let current: ObjectRef?
  /// The non-zero words of every live kernel object, objects in address order.
  let words: [UInt64]

  init(_ checker: LockstepChecker) {
    abstract = checker.abstract
    exec = checker.exec
    let kernel = checker.kernel
    objects = kernel.objects
    current = kernel.ksCurThread
    // Each object's address and count of non-zero words, then those words with their addresses:
    // canonical (unwritten and zero words alike left out), and read only from backed pages, so a
    // huge object costs what was written to it.
    var words: [UInt64] = []
    for (address, kind) in kernel.objects.sorted(by: { $0.key < $1.key }) {
      let nonZero = kernel.nonZeroWords(address, bits: kind.sizeBits)
      words.append(address)
      words.append(UInt64(nonZero.count))
      for (at, value) in nonZero {
        words.append(at)
        words.append(value)
      }
    }
    self.words = words
  }
}

/// A frontier state: the three layers after `path`. All of its stored properties are values of
/// Sendable types; `LockstepChecker` just does not say so.
struct FrontierNode: @unchecked Sendable {
  var checker: LockstepChecker
  var path: [Event]
}

/// One transition out of a frontier state.
struct Successor: @unchecked Sendable {
  var event: Event
  var operation: GeneratedOperation
  var outcome: String
  var failure: LockstepFailure?
  /// The state reached and its key (nil after a failure).
  var checker: LockstepChecker?
  var key: ExplorationKey?
}

/// Explore every alphabet event sequence up to `options.depth` from `plan`. `progress` is called
/// after each batch with the depth being explored, the distinct states and the transitions so far.
public func exploreExhaustively(
  plan: SystemPlan, options: ExhaustiveOptions,
  progress: @escaping @Sendable (_ depth: Int, _ states: Int, _ transitions: Int) -> Void = { _, _, _ in }
) -> ExhaustiveReport {
  let clock = ContinuousClock()
  let start = clock.now
  func elapsed() -> Double {
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
  var kernel: KernelState?
  if let bug = options.plantedBug {
    kernel = KernelState(plan: plan)
    kernel?.plantedBug = bug
  }
  let initial = LockstepChecker(plan: plan, kernel: kernel)
  var report = ExhaustiveReport(
    depth: options.depth, depthCompleted: 0, complete: false, states: 1, transitions: 0, statesPerDepth: [1],
    seconds: 0, statesPerSecond: 0, transitionsPerSecond: 0, coverage: [:])
  func finish() -> ExhaustiveReport {
    report.seconds = elapsed()
    report.statesPerSecond = report.seconds > 0 ? Double(report.states) / report.seconds : 0
    report.transitionsPerSecond = report.seconds > 0 ? Double(report.transitions) / report.seconds : 0
    report.complete = report.stoppedBy == nil
    return report
  }
  if let failure = initial.check() {
    report.violation = ExhaustiveViolation(events: [], failure: failure)
    report.stoppedBy = "violation"
    return finish()
  }
  if let goal = options.goal, goal(initial.abstract) {
    report.goalPath = []
    report.stoppedBy = "goal"
    return finish()
  }
  var visited: Set<ExplorationKey> = [ExplorationKey(initial)]
  var frontier = [FrontierNode(checker: initial, path: [])]
  var coverage = Coverage()
  let batchSize = options.jobs * 8
  var depth = 1
  levels: while depth <= options.depth && !frontier.isEmpty {
    let keepNodes = depth < options.depth
    var next: [FrontierNode] = []
    var found = 0
    var first = 0
    while first < frontier.count {
      if let limit = options.timeLimit, elapsed() >= limit {
        report.stoppedBy = "time"
        break levels
      }
      let batch = Array(frontier[first..<min(first + batchSize, frontier.count)])
      first += batchSize
      for (n, successors) in expand(batch, jobs: options.jobs, operations: options.operations).enumerated() {
        for s in successors {
          report.transitions += 1
          coverage.record(s.operation, s.outcome)
          if let failure = s.failure {
            report.violation = ExhaustiveViolation(events: batch[n].path + [s.event], failure: failure)
            report.stoppedBy = "violation"
            report.coverage = coverage.counts
            break levels
          }
          if let key = s.key, let checker = s.checker, visited.insert(key).inserted {
            found += 1
            report.states += 1
            if keepNodes { next.append(FrontierNode(checker: checker, path: batch[n].path + [s.event])) }
            if let goal = options.goal, goal(checker.abstract) {
              report.goalPath = batch[n].path + [s.event]
              report.stoppedBy = "goal"
              report.coverage = coverage.counts
              break levels
            }
          }
        }
      }
      progress(depth, report.states, report.transitions)
    }
    report.statesPerDepth.append(found)
    report.depthCompleted = depth
    frontier = next
    depth += 1
  }
  // Nothing new at some depth: every reachable state is explored, so deeper is done too.
  if report.stoppedBy == nil { report.depthCompleted = options.depth }
  report.coverage = coverage.counts
  return finish()
}

/// The successors of each node of `batch`, in batch order then alphabet order (only `operations`'
/// events, when given); a node's list ends at its first failing transition.
func expand(_ batch: [FrontierNode], jobs: Int, operations: Set<GeneratedOperation>?) -> [[Successor]] {
  let results = Mutex([[Successor]](repeating: [], count: batch.count))
  let next = Atomic<Int>(0)
  DispatchQueue.concurrentPerform(iterations: min(jobs, batch.count)) { _ in
    while true {
      let n = next.add(1, ordering: .relaxed).oldValue
      guard n < batch.count else { return }
      let node = batch[n]
      var successors: [Successor] = []
      if !node.checker.abstract.isIdle(node.checker.abstract.currentThread) {
        for letter in node.checker.abstract.exhaustiveAlphabet()
        where operations.map({ $0.contains(letter.operation) }) ?? true {
          var checker = node.checker
          let (observation, failure) = checker.step(letter.event)
          let outcome = Coverage.outcome(observation)
          if let failure {
            successors.append(
              Successor(event: letter.event, operation: letter.operation, outcome: outcome, failure: failure))
            break
          }
          successors.append(
            Successor(
              event: letter.event, operation: letter.operation, outcome: outcome, failure: nil,
              checker: checker, key: ExplorationKey(checker)))
        }
      }
      results.withLock { $0[n] = successors }
    }
  }
  return results.withLock { $0 }
}

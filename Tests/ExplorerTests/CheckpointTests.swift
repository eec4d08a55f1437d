// Issue 11: the explorer keeps a bounded number of states however long the trace (main kept one
// every 16 steps, 2 MiB each for the sample system: ~26 GB for 200,000 events), and rebuilding a
// state from a checkpoint gives exactly what a dense run kept. Asserted on states kept and events
// re-run, never on time or memory.

import Foundation
import Kernel
import KernelABI
import Refinement
import Testing

@testable import Explorer

/// `count` generated events from the sample system (seeded): the campaign's generator, driven by
/// the abstract state as a campaign drives it, with a timer tick when no thread is runnable.
func generatedEvents(_ count: Int, seed: UInt64) -> [Event] {
  var checker = LockstepChecker(plan: .sample)
  checker.checksInvariants = false
  var generator = EventGenerator(seed: seed)
  var events: [Event] = []
  events.reserveCapacity(count)
  while events.count < count {
    let event: Event
    if checker.abstract.currentThread == KernelConstants.idleThreadPtr {
      event = .timerTick(ticks: 1)
    } else {
      event = generator.next(for: checker.abstract).1
    }
    events.append(event)
    _ = checker.step(event)
  }
  return events
}

/// A session on the sample system with `events`, its timeline built with `interval` (nil: the
/// automatic choice).
func session(_ events: [Event], interval: Int?) -> Session {
  var s = Session(
    plan: .sample, events: [], source: SessionSource(description: "generated", systemPath: "builtin"),
    names: Session.sampleNames)
  s.timeline = Timeline(plan: .sample, kernel: nil, events: events, interval: interval)
  return s
}

@Suite struct CheckpointTests {
  /// States rebuilt from sparse checkpoints are the states a dense run keeps, and every command's
  /// reply is the same, at steps visited in a seeded random order (forward, back, jumps).
  @Test func sparseCheckpointsAnswerExactlyAsADenseRun() {
    let events = generatedEvents(250, seed: 0x5EED)
    var dense = session(events, interval: 1)
    // An interval of 2 for 250 events is more than the budget allows: thinned to 4.
    var sparse = session(events, interval: 2)
    #expect(sparse.timeline.interval == 4)
    #expect(dense.timeline.interval == 1)
    var random = SplitMix64(seed: 0xC0FFEE)
    var visited = 0
    for _ in 0..<60 {
      let commands: [String]
      switch random.next() % 4 {
      case 0: commands = ["goto \(random.next() % 251)", "kernel diff"]
      case 1: commands = ["back \(random.next() % 5)", "diff", "where"]
      case 2: commands = ["step \(random.next() % 3)", "abstract diff", "check"]
      default: commands = ["back", "kernel memory root_cnode+0x60 4", "show thread main", "cdt"]
      }
      for command in commands {
        #expect(dense.say(command) == sparse.say(command), "\(command)")
      }
      let step = sparse.cursor
      let a = dense.timeline.checker(at: step)
      let b = sparse.timeline.checker(at: step)
      #expect(a.abstract == b.abstract && a.exec == b.exec && a.kernel.lift().state == b.kernel.lift().state)
      visited += 1
    }
    #expect(visited == 60)
    #expect(sparse.timeline.restepped > 0, "the sparse run rebuilt states")
    #expect(dense.timeline.restepped == 0)
  }

  /// However long the trace, the states kept stay within the budget (main kept one every 16 steps:
  /// 125 for these 2,000 events), and going back one step at a time re-runs at most a sixteenth of
  /// an interval each time once the segment's states are kept.
  @Test func checkpointsStayWithinTheBudgetAndGoingBackIsCheap() {
    let events = generatedEvents(2_000, seed: 0xB0B)
    var s = session(events, interval: nil)
    let interval = s.timeline.interval
    #expect(interval == 32)
    #expect(s.timeline.savedStates <= Timeline.checkpointBudget)
    _ = s.say("goto 1500")
    #expect(s.timeline.restepped <= interval)
    // 40 steps back from 1500 cross into the interval before (1440...1471): entering it re-runs
    // up to one interval; every other step re-runs at most the spacing of the kept states.
    let spacing = interval / Timeline.nearbyBudget
    let start = s.timeline.restepped
    for _ in 0..<40 {
      let before = s.timeline.restepped
      _ = s.say("back")
      #expect(s.timeline.restepped - before <= interval)
    }
    #expect(s.timeline.restepped - start <= 40 * spacing + interval)
    #expect(s.timeline.savedStates <= Timeline.checkpointBudget + Timeline.nearbyBudget)
    // `do` at the end of a long trace keeps the bound too.
    _ = s.say("last")
    _ = s.say("do time 1")
    #expect(s.timeline.savedStates <= Timeline.checkpointBudget + Timeline.nearbyBudget)
  }

  /// Writes a 200,000-event trace of the sample system for the memory measurement in
  /// BENCHMARKS.md, when `EXPLORE_LONG_TRACE` names the file to write (skipped otherwise).
  @Test(.enabled(if: ProcessInfo.processInfo.environment["EXPLORE_LONG_TRACE"] != nil))
  func writeLongTraceForTheMemoryMeasurement() throws {
    let path = try #require(ProcessInfo.processInfo.environment["EXPLORE_LONG_TRACE"])
    let count = Int(ProcessInfo.processInfo.environment["EXPLORE_LONG_TRACE_EVENTS"] ?? "") ?? 200_000
    let events = generatedEvents(count, seed: 11)
    let trace = TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: 11, traceSeed: nil, traceIndex: nil, originalLength: nil,
      events: events, expected: .init(kind: .r1, name: "none", step: count, layer: nil), plantedBug: nil)
    try trace.encoded().write(to: URL(fileURLWithPath: path))
    let written = try TraceFile.decode(try Data(contentsOf: URL(fileURLWithPath: path)), file: path)
    #expect(written.events.count == count)
  }
}

// Time passing, for every test target: a sample whose main thread runs on a sporadic server
// (budget 200 µs every 1,000 µs: 2,000 ticks every 10,000) above a round-robin thread at
// priority 50, and the events that let time pass. (`seL4:src/kernel/thread.c` `chargeBudget`,
// `endTimeslice`, `postpone`, `awaken`; docs/time.md.)

import AbstractSpec
public import Bitwise
import ExecutableSpec
import Kernel
public import KernelABI
public import Testing

/// The sporadic sample's numbers and events.
public enum Budget {
  /// The main thread's budget, in ticks (200 µs).
  public static let budget: UInt64 = 2_000
  /// The main thread's period, in ticks (1,000 µs).
  public static let period: UInt64 = 10_000
  /// The round-robin timeslice of the other threads, in ticks (1,000 µs).
  public static let timeslice: UInt64 = 10_000
  /// The current thread runs until the timer fires (one kernel entry at the deadline).
  public static let untilTimer = Event.timerTick(ticks: .max)
  /// The current thread yields (MCS: the rest of its head refill is charged).
  public static let yield = Event.syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0))
  /// The current thread signals the sample's notification (a system call that changes no thread).
  public static let signal = invoke(S.cptr(root: 4), label: 0, [], syscall: .send)
}

extension SystemPlan {
  /// `SystemPlan.sample` with the main thread (priority 100) on a sporadic server of `Budget.budget`
  /// every `Budget.period` ticks (4 refills), the low thread (priority 50) on its round-robin
  /// context, and the second thread moved below it (priority 40), so that the main thread's
  /// exhaustion hands the processor to the low thread and its replenishment takes it back.
  public static var sporadicSample: SystemPlan {
    var plan = SystemPlan.sample
    plan.schedContexts[S.schedContext] = SchedContextConfiguration(
      budget: Budget.budget / TimeConfig.ticksPerMicrosecond, period: Budget.period / TimeConfig.ticksPerMicrosecond,
      refillMax: 4)
    for (i, thread) in plan.threads.enumerated() where thread.tcb == S.secondTCB {
      plan.threads[i].priority = 40
    }
    return plan
  }

  /// `sporadicPair` with the main thread on the seed's control loop's server, 2 µs every 3 µs
  /// (20 ticks every 30: one MIN_BUDGET): any system call it makes after running 1 to 19 ticks
  /// leaves its head refill below MIN_BUDGET, so `refill_budget_check` merges it into the next.
  public static var controlLoopPair: SystemPlan {
    var plan = SystemPlan.sporadicPair
    plan.schedContexts[S.schedContext] = SchedContextConfiguration(budget: 2, period: 3, refillMax: 4)
    return plan
  }

  /// `sporadicSample` with the low thread on a sporadic server too (300 µs every 500 µs, 4
  /// refills): two threads can wait in the release queue at once, so its order shows.
  public static var sporadicPair: SystemPlan {
    var plan = SystemPlan.sporadicSample
    plan.schedContexts[S.lowSC] = SchedContextConfiguration(budget: 300, period: 500, refillMax: 4)
    return plan
  }
}

// MARK: - What time did, in any layer

/// The part of a layer's state time changes, read the same way from the three layers: the current
/// thread, the machine's clock, the release queue, and each of the sample's scheduling contexts'
/// live refills (head first) and consumed time, and which threads are in a ready queue.
public struct TimeView: Equatable, Sendable {
  public var current: ObjectRef
  public var clock: UInt64
  public var releaseQueue: [ObjectRef]
  public var refills: [ObjectRef: [Refill<UInt64>]]
  public var consumed: [ObjectRef: UInt64]
  public var queued: Set<ObjectRef>

  /// The sample's scheduling contexts and threads.
  static let schedContexts = [S.schedContext, S.secondSC, S.lowSC]
  static let threads = [S.mainTCB, S.secondTCB, S.lowTCB]
}

/// The live refills of a buffer, head to tail (`refills_map`); at most `refillMax` of them.
public func liveRefills(_ buffer: RefillBuffer<UInt64>) -> [Refill<UInt64>] {
  guard buffer.refillMax > 0 else { return [] }
  var result: [Refill<UInt64>] = []
  var index = buffer.head
  while UInt64(result.count) < buffer.refillMax {
    result.append(buffer.refill(at: index))
    if index == buffer.tail { break }
    index = buffer.refillNext(index)
  }
  return result
}

extension LayerUnderTest {
  /// What time did to this layer's state.
  public var time: TimeView {
    var view = TimeView(current: 0, clock: 0, releaseQueue: [], refills: [:], consumed: [:], queued: [])
    switch state {
    case let s as AbstractState:
      view.current = s.currentThread
      view.clock = s.clock
      view.releaseQueue = s.releaseQueue
      for sc in TimeView.schedContexts {
        view.refills[sc] = s.schedContext(at: sc)?.refills
        view.consumed[sc] = s.schedContext(at: sc)?.consumed
      }
      view.queued = Set(TimeView.threads.filter { s.isQueued($0) })
    case let s as ExecState:
      view.current = s.ksCurThread
      view.clock = s.clock
      view.releaseQueue = s.ksReleaseQueue
      for sc in TimeView.schedContexts {
        view.refills[sc] = s.schedContext(at: sc).map { liveRefills($0.refillBuffer) }
        view.consumed[sc] = s.schedContext(at: sc)?.scConsumed
      }
      view.queued = Set(TimeView.threads.filter { s.tcb(at: $0)?.tcbQueued == true })
    case let s as KernelState:
      view.current = s.ksCurThread
      view.clock = s.clock
      view.releaseQueue = s.releaseQueueWalk().threads
      for sc in TimeView.schedContexts {
        view.refills[sc] = s.refillBuffer(of: sc).map(liveRefills)
        view.consumed[sc] = s.scConsumed(of: sc)
      }
      view.queued = Set(TimeView.threads.filter { s.isQueued($0) })
    default:
      break
    }
    return view
  }
}

// MARK: - The scenarios every layer's BudgetTests runs

/// Budget exhaustion and replenishment, run the same way on each layer (`BudgetTests` in the
/// AbstractSpec, ExecutableSpec and Kernel test targets), invariants checked after every step.
public enum BudgetScenarios {
  /// Round robin: the main and second threads (priority 100, budget = period = 10,000 ticks) take
  /// turns, each timer interrupt ending one timeslice, for 200 timeslices (100 periods each); the
  /// low thread never runs. Each context is charged exactly its timeslices; the refills stay the
  /// round-robin pair (the whole budget at the head, an empty tail).
  public static func roundRobin(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sample)
    for slice in 0..<200 {
      let expected = slice % 2 == 0 ? S.mainTCB : S.secondTCB
      #expect(run.time.current == expected, "\(layer): timeslice \(slice)", sourceLocation: sourceLocation)
      run.run(Budget.untilTimer, sourceLocation: sourceLocation)
      #expect(run.time.clock == UInt64(slice + 1) * Budget.timeslice, "\(layer)", sourceLocation: sourceLocation)
    }
    let time = run.time
    let pair = [Refill<UInt64>(rTime: 0, rAmount: Budget.timeslice), Refill(rTime: 0, rAmount: 0)]
    #expect(time.consumed[S.schedContext] == 100 * Budget.timeslice, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.consumed[S.secondSC] == 100 * Budget.timeslice, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.consumed[S.lowSC] == 0, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.refills[S.schedContext] == pair, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
  }

  /// A sporadic server: for 100 periods the main thread runs its 2,000 ticks from the start of its
  /// period, is postponed to the release queue with its one refill a period later, the low thread
  /// runs until then, and the release (`awaken`) preempts it. The main context is charged exactly
  /// its budget per period.
  public static func sporadic(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sporadicSample)
    for k in UInt64(0)..<100 {
      var time = run.time
      #expect(
        time.current == S.mainTCB && time.clock == k * Budget.period, "\(layer): period \(k)",
        sourceLocation: sourceLocation)
      run.run(Budget.untilTimer, sourceLocation: sourceLocation)
      time = run.time
      #expect(time.clock == k * Budget.period + Budget.budget, "\(layer): period \(k)", sourceLocation: sourceLocation)
      #expect(time.current == S.lowTCB, "\(layer): period \(k)", sourceLocation: sourceLocation)
      #expect(time.releaseQueue == [S.mainTCB], "\(layer): period \(k)", sourceLocation: sourceLocation)
      #expect(
        time.refills[S.schedContext] == [Refill(rTime: (k + 1) * Budget.period, rAmount: Budget.budget)],
        "\(layer): period \(k)", sourceLocation: sourceLocation)
      // The low thread runs (its own timeslices may end on the way) until the release.
      var entries = 0
      while run.time.clock < (k + 1) * Budget.period && entries < 4 {
        run.run(Budget.untilTimer, sourceLocation: sourceLocation)
        entries += 1
      }
      #expect(run.time.clock == (k + 1) * Budget.period, "\(layer): period \(k)", sourceLocation: sourceLocation)
    }
    let time = run.time
    #expect(time.consumed[S.schedContext] == 100 * Budget.budget, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.current == S.mainTCB && time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
  }

  /// The release preempts a lower-priority thread: the low thread, running while the main thread
  /// waits for its refill, goes back to the head of its ready queue when the main thread's refill
  /// becomes ready, and the main thread runs.
  public static func awakenPreempts(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sporadicSample)
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(run.time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(!run.time.queued.contains(S.lowTCB), "\(layer)", sourceLocation: sourceLocation)
    // A system call before the release changes nothing of this.
    run.run(Budget.signal, sourceLocation: sourceLocation)
    #expect(
      run.time.current == S.lowTCB && run.time.releaseQueue == [S.mainTCB], "\(layer)",
      sourceLocation: sourceLocation)
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    let time = run.time
    #expect(time.clock == Budget.period, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.current == S.mainTCB && time.releaseQueue.isEmpty, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.queued.contains(S.lowTCB), "\(layer)", sourceLocation: sourceLocation)
  }

  /// Yield charges the whole head refill: after 500 ticks the main thread yields; its whole 2,000-
  /// tick head comes back a period later, so it waits in the release queue, while its consumed
  /// time grows only by the 500 ticks it ran.
  public static func yieldChargesTheHead(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sporadicSample)
    run.run(.timerTick(ticks: 500), sourceLocation: sourceLocation)
    #expect(run.time.current == S.mainTCB && run.time.clock == 500, "\(layer)", sourceLocation: sourceLocation)
    run.run(Budget.yield, sourceLocation: sourceLocation)
    let time = run.time
    #expect(time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.releaseQueue == [S.mainTCB], "\(layer)", sourceLocation: sourceLocation)
    #expect(
      time.refills[S.schedContext] == [Refill(rTime: Budget.period, rAmount: Budget.budget)], "\(layer)",
      sourceLocation: sourceLocation)
    #expect(time.consumed[S.schedContext] == 500, "\(layer)", sourceLocation: sourceLocation)
  }

  /// The release queue is sorted by release time: with the low thread on a sporadic server too
  /// (300 µs every 500 µs), it runs from 2,000 (its head moved to then when it was switched to,
  /// `refill_unblock_check`) to 5,000 and is released at 7,000, before the main thread (10,000),
  /// though it joined the queue after it.
  public static func releaseOrder(_ layer: Layer, sourceLocation: SourceLocation = #_sourceLocation) {
    var run = LayerUnderTest(layer, plan: .sporadicPair)
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    #expect(
      run.time.current == S.lowTCB && run.time.releaseQueue == [S.mainTCB], "\(layer)",
      sourceLocation: sourceLocation)
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    var time = run.time
    #expect(time.clock == 5_000, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.releaseQueue == [S.lowTCB, S.mainTCB], "\(layer)", sourceLocation: sourceLocation)
    #expect(time.current == S.secondTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(
      time.refills[S.lowSC] == [Refill(rTime: 7_000, rAmount: 3_000)], "\(layer)", sourceLocation: sourceLocation)
    // The first release wakes the low thread, which preempts the second.
    run.run(Budget.untilTimer, sourceLocation: sourceLocation)
    time = run.time
    #expect(time.clock == 7_000 && time.current == S.lowTCB, "\(layer)", sourceLocation: sourceLocation)
    #expect(time.releaseQueue == [S.mainTCB], "\(layer)", sourceLocation: sourceLocation)
  }
}

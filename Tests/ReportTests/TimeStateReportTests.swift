// The state dumps the trace report and its HTML page show carry the kernel's time: the clock and
// the time consumed, each scheduling context's budget, period, sporadic flag and refills in
// order, the release queue in order, the current domain and its time left, and the interrupt
// lines in use with their state. Each field is planted with a value no boot gives it, in the
// abstract spec and in the executable spec, and read back from the dump.

import AbstractSpec
import ExecutableSpec
import Foundation
import KernelABI
import Refinement
import Report
import TestSupport
import Testing

@Suite struct TimeStateReportTests {
  typealias S = SystemPlan.Sample

  static let refills = [Refill<UInt64>(rTime: 1_100, rAmount: 7), Refill<UInt64>(rTime: 1_130, rAmount: 13)]

  /// A dump line's text by label.
  static func text(_ lines: [DumpLine], _ label: String) -> String? { lines.first { $0.label == label }?.text }

  static func expectTime(_ lines: [DumpLine], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(text(lines, "time") == "cur_time 1234 ticks, consumed 56 ticks", sourceLocation: sourceLocation)
    #expect(text(lines, "release queue") == "[low, main]", sourceLocation: sourceLocation)
    #expect(text(lines, "domain") == "domain 0, 777 ticks left", sourceLocation: sourceLocation)
    #expect(
      text(lines, "interrupts")?.contains("line 5: IRQSignal; line 9: IRQReserved") == true,
      "\(text(lines, "interrupts") ?? "none")", sourceLocation: sourceLocation)
    #expect(
      text(lines, "refills(sc)")
        == "period 300 ticks, sporadic, budget 20, refillMax 4, consumed 9, refills [(1100, 7), (1130, 13)]",
      sourceLocation: sourceLocation)
  }

  @Test func theAbstractDumpShowsTimeRefillsReleaseQueueDomainAndInterrupts() {
    var s = AbstractState(plan: .controlLoopPair)
    s.curTime = 1_234
    s.consumedTime = 56
    s.releaseQueue = [S.lowTCB, S.mainTCB]
    s.domainTime = 777
    s.interruptStates[5] = .irqSignal
    s.interruptStates[9] = .irqReserved
    guard case .schedContext(var sc)? = s.kheap[S.schedContext] else {
      Issue.record("no scheduling context at S.schedContext")
      return
    }
    (sc.period, sc.budget, sc.consumed, sc.sporadic, sc.refills) = (300, 20, 9, true, Self.refills)
    s.kheap[S.schedContext] = .schedContext(sc)
    let lines = Describer(plan: .controlLoopPair).dump(StateView(abstract: s))
    Self.expectTime(lines)
  }

  @Test func theExecutableDumpShowsTheSameFields() {
    var abstract = AbstractState(plan: .controlLoopPair)
    guard case .schedContext(var sc)? = abstract.kheap[S.schedContext] else {
      Issue.record("no scheduling context at S.schedContext")
      return
    }
    var s = ExecState(plan: .controlLoopPair)
    s.ksCurTime = 1_234
    s.ksConsumed = 56
    s.ksReleaseQueue = [S.lowTCB, S.mainTCB]
    s.ksDomainTime = 777
    s.intStateIRQTable[5] = .irqSignal
    s.intStateIRQTable[9] = .irqReserved
    // The executable spec's refills live in its circular buffer; the view reads them through the
    // abstraction, so they are planted through the abstract context's words.
    (sc.period, sc.budget, sc.consumed, sc.sporadic, sc.refills) = (300, 20, 9, true, Self.refills)
    abstract.kheap[S.schedContext] = .schedContext(sc)
    var view = StateView(exec: s)
    view.objects[S.schedContext]?.schedContext = StateView(abstract: abstract).objects[S.schedContext]?.schedContext
    Self.expectTime(Describer(plan: .controlLoopPair).dump(view))
  }

  /// The HTML page embeds every layer's dump: the time lines are in it.
  @Test func theHTMLPageCarriesTheTimeLines() throws {
    let trace = TraceFile(
      system: .init(path: "builtin", plan: .controlLoopPair), seed: 0, traceSeed: nil, traceIndex: 0,
      originalLength: nil, events: [yieldEvent], expected: .init(kind: .r1, name: "none", step: 0, layer: nil))
    let timeline = TraceTimeline(trace: trace, plan: .controlLoopPair, file: "time.json")
    for layer in 0..<3 {
      let lines = timeline.initial[layer]
      #expect(Self.text(lines, "time") == "cur_time 0 ticks, consumed 0 ticks")
      #expect(Self.text(lines, "release queue") == "empty")
      #expect(Self.text(lines, "domain")?.hasPrefix("domain 0, ") == true)
      #expect(Self.text(lines, "refills(sc)")?.contains("budget \(2 * TimeConfig.ticksPerMicrosecond)") == true)
      #expect(Self.text(lines, "refills(sc)")?.contains("period \(3 * TimeConfig.ticksPerMicrosecond) ticks") == true)
    }
    let html = try timeline.html()
    for needle in ["cur_time 0 ticks", "release queue", "ticks left", "refills(sc)"] {
      #expect(html.contains(needle), "\(needle)")
    }
  }
}

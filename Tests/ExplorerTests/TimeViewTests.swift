// The explorer shows the kernel's time: `where` gives the clock and the time consumed, the release
// queue, the domain and its time left, and the interrupt lines in use; `show object` and `show
// refills` give a scheduling context's budget, period, sporadic flag and refills in order.

import AbstractSpec
import Kernel
import KernelABI
import Refinement
import Scenario
import TestSupport
import Testing

@testable import Explorer

@Suite struct TimeViewTests {
  /// On the control-loop pair (main's context: 2 µs every 3 µs, sporadic, 4 refills) at boot.
  @Test func whereAndShowGiveTheClockDomainInterruptsAndRefills() {
    let plan = SystemPlan.controlLoopPair
    let boot = AbstractState(plan: plan)
    var session = Session(
      plan: plan, events: [], source: SessionSource(description: "control loop", systemPath: "builtin"),
      kernel: KernelState(plan: plan))
    for layer in ["abstract", "exec", "kernel"] {
      let whereText = session.say("\(layer) where")
      #expect(whereText.contains("time:    cur_time 0 ticks, consumed 0 ticks"), "\(whereText)")
      #expect(whereText.contains("release: empty"), "\(whereText)")
      #expect(whereText.contains("domain:  domain 0, \(boot.domainTime) ticks left"), "\(whereText)")
      let lines = boot.interruptStates.enumerated().filter { $0.element != .irqInactive }
      #expect(!lines.isEmpty)
      for (line, state) in lines {
        #expect(whereText.contains("line \(line): \(state)"), "\(whereText)")
      }
      let budget = 2 * TimeConfig.ticksPerMicrosecond
      let period = 3 * TimeConfig.ticksPerMicrosecond
      let refills = session.say("\(layer) show refills sc")
      #expect(refills.contains("period \(period) ticks, not sporadic, budget \(budget), refillMax 4"), "\(refills)")
      #expect(refills.contains("refills [(0, \(budget))]"), "\(refills)")
      let object = session.say("\(layer) show object sc")
      #expect(object.contains("budget \(budget)"), "\(object)")
      #expect(object.contains("refills [(0, \(budget))]"), "\(object)")
    }
  }
}

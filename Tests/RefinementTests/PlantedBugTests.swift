import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import Refinement
import TestSupport
import Testing

/// The checker is the thing under test here: a layer with a planted bug (in the kernel or in either
/// spec) must be caught by the same campaign that passes on the real layers, quickly, and shrunk
/// to a short trace.
@Suite struct PlantedBugTests {
  @Test func everyLayerHasAPlantedBug() {
    #expect(Set(PlantedBug.allCases.map(\.layer)) == ["Kernel", "ExecutableSpec", "AbstractSpec"])
  }

  /// A planted bug is a set of seams (each layer's `PlantedBugs.swift`), not part of the state:
  /// every layer keeps its name, and a state with it equals the same state without it.
  @Test(arguments: PlantedBug.allCases)
  func plantedBugIsKeptButOutsideEquality(_ bug: PlantedBug) {
    var kernel = KernelState(plan: .sample)
    var exec = ExecState(plan: .sample)
    var abstract = AbstractState(plan: .sample)
    kernel.plantedBug = bug
    exec.plantedBug = bug
    abstract.plantedBug = bug
    #expect(kernel.plantedBug == bug && exec.plantedBug == bug && abstract.plantedBug == bug)
    #expect(kernel == KernelState(plan: .sample))
    #expect(exec == ExecState(plan: .sample) && exec.hashValue == ExecState(plan: .sample).hashValue)
    #expect(abstract == AbstractState(plan: .sample) && abstract.hashValue == AbstractState(plan: .sample).hashValue)
    kernel.plantedBug = nil
    #expect(kernel.plantedBug == nil)
  }

  /// The system a bug's search runs on: the default run's (the sample with its client and passive
  /// server) for the bugs that show only through endpoint IPC, the sample with two sporadic
  /// servers, the main thread's the seed's control loop's (`SystemPlan.controlLoopPair`), for the
  /// ones that need sporadic time, the sample for the others. Measured with this search
  /// (2026-12-07): on `controlLoopPair`, mergeLosesBudget is caught after 167 events (R1, shrunk
  /// to 2: a tick and a Call) and releaseQueueOutOfOrder after 816 (R1, shrunk to 4); on
  /// `sporadicPair` (the main thread's 200 µs every 1,000 µs) after 6,840 (shrunk to 4) and 13
  /// (shrunk to 2, two Yields); on `sporadicSample` mergeLosesBudget after 5,438 (shrunk to 15)
  /// and releaseQueueOutOfOrder never in 14,375 (one sporadic context: the queue never holds two).
  /// The generator does not yet aim ticks at a refill's end, so a merge on a 2,000-tick head needs
  /// a call within 19 ticks of its end, which random ticks of up to 999 seldom give.
  static func plan(for bug: PlantedBug) -> SystemPlan {
    if bug.needsSporadicTime { return .controlLoopPair }
    return bug.needsEndpointIPC ? .sampleWithServer : .sample
  }

  /// `ackLeavesLineMasked` too, on the sample: the generator issues IRQ handlers through its
  /// IRQControl cap, aims interrupts at their lines and acks them (`EventGenerator+Interrupt.swift`).
  @Test(arguments: PlantedBug.allCases)
  func plantedBugIsCaughtAndShrunk(_ bug: PlantedBug) throws {
    let plan = Self.plan(for: bug)
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = bug
    var events = 0
    for i in UInt64(0)..<400 {
      let result = runTrace(plan: plan, seed: 0xB06_0000 &+ i, length: 250, kernel: kernel)
      events += result.events.count
      guard let failure = result.failure else { continue }
      // Caught within 5,000 events (issue 13): a fraction of a second of checking. The badge-run
      // bugs need a badge minted again and the new run revoked; the generator revokes the last
      // badgeable mint first (`lastBadgeableMint`). Measured with this search, 2026-12-06: at most
      // 4,312 events (mdbNotificationIgnoresFirstBadged), every other bug within 1,040; before
      // that aim the badge-run bugs took up to 10,509. When the register methods joined the
      // generator at weight 1 against 4 for every other operation, mdbEndpointIgnoresFirstBadged
      // took 6,248 (the worst badge-run bug of the same search from seeds 1,000, 2,000, 3,000
      // further on: 7,432, 3,363, 3,056); with CNode's methods at weight 6
      // (`OperationEntry.weight`): at most 1,337 (mdbNotificationIgnoresFirstBadged), every other
      // bug within 705 (from the other three seeds: 1,028, 3,831, 5,101). Since Configure,
      // SetSpace and SetFlags joined the generator (weight 1): at most 3,958
      // (mdbEndpointIgnoresFirstBadged; mdbNotificationIgnoresFirstBadged 3,458), every other bug
      // within 266. Since Call, ReplyRecv, Recv with a reply cap, NBSendRecv and Grant sends
      // joined the generator with its rendezvous aim (2026-12-07): at most 791
      // (mdbNotificationIgnoresFirstBadged; mdbEndpointIgnoresFirstBadged 353), every other bug
      // within 584 (retypeIgnoresWatermark). The endpoint-IPC bugs on the default run's system
      // (`plan(for:)`, 2026-12-07): ipcWrongBadge and ipcDropsBadge 107, deleteLeavesQueueDangling
      // 44, fastpathForgetsSwitch 1,257, replyKeepsDonatedSC 1,258; the others (on the sample) at
      // most 746 (mdbNotificationIgnoresFirstBadged). Since the irq, interrupt and domain
      // operations joined (weight 1 each, last in the table; 2026-12-08): ackLeavesLineMasked 266
      // (R1, shrunk to 7), at most 3,478 (mdbEndpointIgnoresFirstBadged; mdbEndpointIgnoresBadge
      // 2,294, mdbNotificationIgnoresFirstBadged 1,032), every other bug within 888. At weight 2
      // for irq and interrupt, mdbEndpointIgnoresBadge took 10,122 and yieldToKeepsYieldFrom
      // 5,683 (with the three operations before `garbage` in the table) or 9,524 and 12,669 (last).
      #expect(events <= 5_000, "caught only after \(events) events")
      let shrunk = shrink(plan: plan, events: result.events, failure: failure, kernel: kernel)
      // At most 10 events (measured: at most 5, with the register methods too; at most 4 since
      // Configure, SetSpace and SetFlags joined; at most 5 (retypeIgnoresWatermark) since the
      // IPC operations joined; at most 7 (deleteLeavesQueueDangling) with the endpoint-IPC bugs;
      // at most 7 (ackLeavesLineMasked: Get, interrupt and Ack among its setup) since the IRQ
      // operations joined).
      #expect(shrunk.events.count <= 10, "shrunk trace still has \(shrunk.events.count) events")
      // The shrunk trace fails the same way, and only because of the bug.
      #expect(shrunk.failure.kind == failure.kind && shrunk.failure.name == failure.name)
      #expect(replay(plan: plan, events: shrunk.events) == nil)
      return
    }
    Issue.record("\(bug) was not caught in \(events) events")
  }
}

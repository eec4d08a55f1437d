import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI
import Refinement
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

  @Test(arguments: PlantedBug.allCases)
  func plantedBugIsCaughtAndShrunk(_ bug: PlantedBug) throws {
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = bug
    var events = 0
    for i in UInt64(0)..<400 {
      let result = runTrace(plan: .sample, seed: 0xB06_0000 &+ i, length: 250, kernel: kernel)
      events += result.events.count
      guard let failure = result.failure else { continue }
      // Caught within a few thousand events: a fraction of a second of checking (badge-run bugs
      // need a badge minted twice and then revoked: within 20,000; 12,000 before Signal, Wait,
      // Poll, Suspend, Resume and SetPriority joined the operations, which dilute the CNode
      // operations and changed every seed's stream).
      let bound = bug.needsBadgeRuns ? 20_000 : 5_000
      #expect(events <= bound, "caught only after \(events) events")
      let shrunk = shrink(plan: .sample, events: result.events, failure: failure, kernel: kernel)
      // At most 10 events; a badge-run bug's trace also builds the slots its mints and revoke
      // address (moves and copies of CNode caps the shrinker cannot fold into one address), and
      // the first trace of this search that catches mdbEndpointIgnoresFirstBadged shrinks to 11.
      let shrunkBound = bug.needsBadgeRuns ? 12 : 10
      #expect(shrunk.events.count <= shrunkBound, "shrunk trace still has \(shrunk.events.count) events")
      // The shrunk trace fails the same way, and only because of the bug.
      #expect(shrunk.failure.kind == failure.kind && shrunk.failure.name == failure.name)
      #expect(replay(plan: .sample, events: shrunk.events) == nil)
      return
    }
    Issue.record("\(bug) was not caught in \(events) events")
  }
}

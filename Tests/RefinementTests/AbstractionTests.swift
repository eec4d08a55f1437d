import AbstractSpec
import CustomDump
import ExecutableSpec
import KernelABI
import Refinement
import Testing

/// R2 on its own: the executable spec abstracts to the abstract spec, event by event.
@Suite struct AbstractionTests {
  @Test func sampleAbstractsAtStepZero() {
    #expect(ExecState(plan: .sample).abstraction() == AbstractState(plan: .sample))
  }

  @Test func twoLayersAgreeOnRandomEvents() {
    var events = 0
    for seed in UInt64(1)...UInt64(120) {
      var abstract = AbstractState(plan: .sample)
      var exec = ExecState(plan: .sample)
      var generator = EventGenerator(seed: seed)
      for i in 0..<200 {
        guard abstract.currentThread != KernelConstants.idleThreadPtr else { break }
        let (_, event) = generator.next(for: abstract)
        let e = exec.step(event)
        let (a, refused) = abstract.step(event, following: exec)
        guard refused.isEmpty else {
          Issue.record("seed \(seed) step \(i) \(event): witness refused: \(refused)")
          return
        }
        events += 1
        guard a == e else {
          Issue.record("seed \(seed) step \(i) \(event): observations differ: abstract \(a) exec \(e)")
          return
        }
        let lifted = exec.abstraction()
        guard lifted == abstract else {
          let missing = abstract.cdt.filter { lifted.cdt[$0.key] != $0.value }
          let extra = lifted.cdt.filter { abstract.cdt[$0.key] != $0.value }
          Issue.record(
            "seed \(seed) step \(i) \(event): R2 fails; cdt only in abstract \(missing), only in exec \(extra); kheap equal \(lifted.kheap == abstract.kheap); originals equal \(lifted.isOriginalCap == abstract.isOriginalCap)\n\(diff(abstract, lifted) ?? "")"
          )
          return
        }
        let va = abstract.invariantViolations()
        let ve = exec.invariantViolations()
        guard va.isEmpty, ve.isEmpty else {
          Issue.record("seed \(seed) step \(i) \(event): invariants: abstract \(va.prefix(2)) exec \(ve.prefix(2))")
          return
        }
      }
    }
    #expect(events > 1000)
  }
}

// The discharger hands out work longest first by the record's solver times (docs/abstract-proofs.md,
// "Solver time"), and still returns the results in the input order.

import Refinement
import SMT
import Synchronization
import Testing

@Suite struct DischargeOrderTests {
  @Test func longestFirstResultsInInputOrder() {
    let obligations = ["a", "b", "c", "d"].map { name in
      Obligation("test.\(name)", "x = x") { scope in
        let x = scope.word("x")
        return x .== x
      }
    }
    let started = Mutex<[String]>([])
    // One worker, so the order of progress is the order of work; "test.d" has no record and goes
    // first, then the longest recorded, ties in input order.
    let results = Discharger(jobs: 1).discharge(
      obligations, expectedSeconds: ["test.a": 0.5, "test.b": 3, "test.c": 0.5]
    ) { result in started.withLock { $0.append(result.name) } }
    #expect(started.withLock { $0 } == ["test.d", "test.b", "test.a", "test.c"])
    #expect(results.map(\.name) == ["test.a", "test.b", "test.c", "test.d"])
    #expect(results.allSatisfy { $0.status == .proved })
  }
}

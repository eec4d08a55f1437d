import AbstractSpec
import ExecutableSpec
import KernelABI
import Refinement
import Testing

@Test func coverageProbe() {
  var counts: [String: Int] = [:]
  var lengths: [Int] = []
  for seed in UInt64(1)...UInt64(60) {
    var abstract = AbstractState(plan: .sample)
    var generator = EventGenerator(seed: seed)
    var n = 0
    for _ in 0..<200 {
      guard abstract.currentThread != nil else { break }
      let (op, event) = generator.next(for: abstract)
      let o = abstract.step(event)
      n += 1
      if abstract.currentThread == nil { print("DEATH", op, Coverage.outcome(o), o.fault.map { "\($0)" } ?? "", event) }
      counts["\(op.rawValue)/\(Coverage.outcome(o))", default: 0] += 1
    }
    lengths.append(n)
  }
  print("LENGTHS", lengths)
  for (k, v) in counts.sorted(by: { $0.key < $1.key }) { print("COV", k, v) }
}

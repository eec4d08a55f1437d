import AbstractSpec
import CustomDump
import ExecutableSpec
import Foundation
import Kernel
import KernelABI
import Refinement
import Testing

/// A debugging aid: runs lockstep traces over a range of seeds and, on the first failure, shrinks
/// the events (same failure kind and name) and prints what differs. Does nothing unless the
/// environment sets `LOCKSTEP_PROBE` (to "first-last" seeds, e.g. `LOCKSTEP_PROBE=0-200`).
@Test(.enabled(if: ProcessInfo.processInfo.environment["LOCKSTEP_PROBE"] != nil, "set LOCKSTEP_PROBE=first-last to probe seeds"))
func lockstepProbe() {
  guard let spec = ProcessInfo.processInfo.environment["LOCKSTEP_PROBE"] else { return }
  let bounds = spec.split(separator: "-").compactMap { UInt64($0) }
  let first = bounds.first ?? 0, last = bounds.count > 1 ? bounds[1] : first
  for offset in first...last {
    let seed = offset < 0x1000 ? 0x5EED_0001 &+ offset : offset
    let result = runTrace(plan: .sample, seed: seed, length: 250)
    guard let failure = result.failure else { continue }
    print("PROBE seed \(seed) fails at step \(failure.step): \(failure.kind.rawValue) \(failure.layer ?? "") \(failure.name)")
    func replay(_ events: [Event]) -> (LockstepChecker, LockstepFailure?, [Observation]) {
      var checker = LockstepChecker(plan: .sample)
      var observations: [Observation] = []
      if let f = checker.check() { return (checker, f, []) }
      for event in events {
        let (o, f) = checker.step(event)
        observations.append(o)
        if let f { return (checker, f, observations) }
      }
      return (checker, nil, observations)
    }
    let small = shrinkEvents(result.events) { candidate in
      guard let f = replay(candidate).1 else { return false }
      return f.kind == failure.kind && f.name == failure.name && f.layer == failure.layer
    }
    print("PROBE shrunk \(result.events.count) -> \(small.count)")
    // Step the three layers separately to print each one's observation.
    var a = AbstractState(plan: .sample), e = ExecState(plan: .sample), k = KernelState(plan: .sample)
    for event in small {
      print("PROBE event \(event)")
      let before = e
      let ok = k.step(event), oe = e.step(event), oa = a.step(event, resolvingChoicesWith: before).0
      print("PROBE   kernel   \(ok)")
      print("PROBE   exec     \(oe)")
      print("PROBE   abstract \(oa)")
    }
    let (_, f, _) = replay(small)
    print("PROBE failure: \(f.map { "\($0.kind.rawValue) \($0.layer ?? "") \($0.name): \($0.explanation)" } ?? "none")")
    // R1 parts.
    let lifted = k.lift().state
    for slot in Set(e.allSlots + lifted.allSlots).sorted() where e.cte(at: slot) != lifted.cte(at: slot) {
      print("PROBE R1 slot \(slot)\n  exec   \(String(describing: e.cte(at: slot)))\n  kernel \(String(describing: lifted.cte(at: slot)))")
    }
    for key in Set(e.ksPSpace.keys).union(lifted.ksPSpace.keys).sorted() {
      let x = e.ksPSpace[key], y = lifted.ksPSpace[key]
      switch (x, y) {
      case (.cnode?, .cnode?), (.tcb(_)?, .tcb(_)?):
        if case .tcb(let tx)? = x, case .tcb(let ty)? = y, tx.state != ty.state || tx.priority != ty.priority {
          print("PROBE R1 tcb 0x\(String(key, radix: 16)) exec \(tx.state) kernel \(ty.state)")
        }
      default:
        if x != y { print("PROBE R1 object 0x\(String(key, radix: 16)) exec \(String(describing: x)) kernel \(String(describing: y))") }
      }
    }
    if e.ksCurThread != lifted.ksCurThread { print("PROBE R1 cur exec \(String(describing: e.ksCurThread)) kernel \(String(describing: lifted.ksCurThread))") }
    // R2 parts.
    let abstracted = e.abstraction()
    for slot in Set(a.cdt.keys).union(abstracted.cdt.keys).sorted() where a.cdt[slot] != abstracted.cdt[slot] {
      print("PROBE R2 cdt \(slot): abstract parent \(a.cdt[slot].map { "\($0)" } ?? "-") exec parent \(abstracted.cdt[slot].map { "\($0)" } ?? "-")")
    }
    print("PROBE R2 originals only abstract \(a.isOriginalCap.subtracting(abstracted.isOriginalCap).sorted())")
    print("PROBE R2 originals only exec \(abstracted.isOriginalCap.subtracting(a.isOriginalCap).sorted())")
    for key in Set(a.kheap.keys).union(abstracted.kheap.keys).sorted() where a.kheap[key] != abstracted.kheap[key] {
      print("PROBE R2 object 0x\(String(key, radix: 16)):\n" + (diff(a.kheap[key], abstracted.kheap[key]) ?? ""))
    }
    if a.currentThread != abstracted.currentThread { print("PROBE R2 cur abstract \(String(describing: a.currentThread)) exec \(String(describing: abstracted.currentThread))") }
    // The exec MDB chains that touch differing slots.
    for slot in e.occupiedSlots {
      let c = e.cte(at: slot)!
      print("PROBE exec slot \(slot) \(c.cap) prev \(c.mdb.prev.map { "\($0)" } ?? "-") next \(c.mdb.next.map { "\($0)" } ?? "-") rev \(c.mdb.revocable) fb \(c.mdb.firstBadged)")
    }
    return
  }
  print("PROBE no failure in seeds \(first)...\(last)")
}

/// Where the lockstep's time goes (runs only with `LOCKSTEP_TIMING` set).
@Test(.enabled(if: ProcessInfo.processInfo.environment["LOCKSTEP_TIMING"] != nil, "set LOCKSTEP_TIMING=1 to time the lockstep"))
func lockstepTiming() {
  var t: [String: Duration] = [:]
  let clock = ContinuousClock()
  var events = 0
  for seed in UInt64(0x5EED_0001)..<UInt64(0x5EED_0001 + 20) {
    var checker = LockstepChecker(plan: .sample)
    var generator = EventGenerator(seed: seed)
    for _ in 0..<250 {
      guard checker.abstract.currentThread != nil else { break }
      var ev: Event = .timerTick(ticks: 0)
      t["gen", default: .zero] += clock.measure { ev = generator.next(for: checker.abstract).1 }
      t["step", default: .zero] += clock.measure { _ = checker.step(ev) }
      events += 1
      var k = checker.kernel, e = checker.exec, a = checker.abstract
      t["kernel.step", default: .zero] += clock.measure { _ = k.step(ev) }
      t["exec.step", default: .zero] += clock.measure { _ = e.step(ev) }
      t["abstract.step", default: .zero] += clock.measure { _ = a.step(ev) }
      t["lift", default: .zero] += clock.measure { _ = checker.kernel.lift() }
      t["abstraction", default: .zero] += clock.measure { _ = checker.exec.abstraction() }
      t["inv.abstract", default: .zero] += clock.measure { _ = checker.abstract.invariantViolations() }
      t["inv.exec", default: .zero] += clock.measure { _ = checker.exec.invariantViolations() }
      t["inv.kernel", default: .zero] += clock.measure { _ = checker.kernel.invariantViolations() }
      t["eq.exec", default: .zero] += clock.measure { _ = checker.kernel.lift().state == checker.exec }
    }
  }
  print("TIMING events \(events)")
  for (k, v) in t.sorted(by: { $0.value > $1.value }) { print("TIMING \(k) \(v)") }
}

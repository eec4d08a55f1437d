import AbstractSpec
import CustomDump
import ExecutableSpec
import KernelABI
import Refinement
import Testing

/// Replays generated traces on the two spec layers and prints a shrunk failing trace.
@Test func debugProbe() {
  func fails(_ events: [Event]) -> Bool {
    var a = AbstractState(plan: .sample), e = ExecState(plan: .sample)
    for ev in events {
      let before = e
      if a.step(ev, resolvingChoicesWith: before).0 != e.step(ev) { return true }
      if e.abstraction() != a { return true }
    }
    return false
  }
  let seed: UInt64 = 50
  var a = AbstractState(plan: .sample)
  var generator = EventGenerator(seed: seed)
  var events: [Event] = []
  for _ in 0..<200 {
    guard a.currentThread != nil else { break }
    let (_, ev) = generator.next(for: a)
    _ = a.step(ev)
    events.append(ev)
  }
  guard fails(events) else { print("PROBE no failure"); return }
  let small = shrinkEvents(events, fails: fails)
  print("PROBE shrunk \(events.count) -> \(small.count)")
  var a2 = AbstractState(plan: .sample), e2 = ExecState(plan: .sample)
  for ev in small {
    print("PROBE event", ev)
    let before = e2
    let oa = a2.step(ev, resolvingChoicesWith: before).0, oe = e2.step(ev)
    print("PROBE   abstract:", oa.reply.map { "\($0)" } ?? "-", oa.fault.map { "\($0)" } ?? "")
    print("PROBE   exec:    ", oe.reply.map { "\($0)" } ?? "-", oe.fault.map { "\($0)" } ?? "")
  }
  let lifted = e2.abstraction()
  print("PROBE cdt only abstract", a2.cdt.filter { lifted.cdt[$0.key] != $0.value }.sorted { $0.key < $1.key })
  print("PROBE cdt only exec", lifted.cdt.filter { a2.cdt[$0.key] != $0.value }.sorted { $0.key < $1.key })
  print("PROBE orig only abstract", a2.isOriginalCap.subtracting(lifted.isOriginalCap).sorted())
  print("PROBE orig only exec", lifted.isOriginalCap.subtracting(a2.isOriginalCap).sorted())
  for (addr, obj) in e2.ksPSpace.sorted(by: { $0.key < $1.key }) {
    if case .cnode(let c) = obj { for (i, cte) in c.ctes.enumerated() where !cte.cap.isNull { print("PROBE slot", SlotRef(addr, UInt64(i)), cte.cap, "prev", cte.mdb.prev.map { "\($0)" } ?? "-", "next", cte.mdb.next.map { "\($0)" } ?? "-", cte.mdb.revocable, cte.mdb.firstBadged, "abs parent", a2.cdt[SlotRef(addr, UInt64(i))].map { "\($0)" } ?? "-") } }
  }
}

// `check --system` on capDL descriptions the loader grows or refuses (issue 17): an untyped
// declared smaller than its contents loads with a note naming it, and a description seL4 could
// not build is bad input (exit 65) with the place and the reason.

import Foundation
import Testing

@Suite struct CapDLLoadCommandTests {
  static func system(_ body: String, untyped: String = "u = ut (16 bits) { e = ep }") -> String {
    """
    arch arm11
    objects {
      main = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
      main_sc = sc (period: 1000, budget: 1000)
      c = cnode (8 bits)
      \(untyped)
    }
    caps {
      main { cspace: c (guard: 0, guard_size: 24); sc_slot: main_sc }
      c { 1: main  2: c (guard: 0, guard_size: 24)  \(body) }
    }
    """
  }

  @Test func anUndersizedUntypedLoadsWithANote() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(
      Self.system("3: u  4: k", untyped: "u = ut (5 bits) { k = cnode (4 bits) }"), to: "small.cdl", in: dir)
    let result = try CLI.run(["check", "--system", file, "--traces", "2", "--steps", "5", "--jobs", "1"])
    #expect(result.status == 0, "\(result)")
    #expect(
      result.stderr.contains(
        "note: \(file):6:3: untyped 'u' is declared 5 bits but its contents need 8: placed as 8 bits"),
      "\(result)")
  }

  @Test func twoOriginalCapsToOneObjectAreBadInputWithTheirPlace() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(
      Self.system("3: u  4: e - child_of (c, 3)  5: e - child_of (c, 3)"), to: "two.cdl", in: dir)
    let result = try CLI.run(["check", "--system", file, "--traces", "1", "--steps", "1"])
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("\(file):10:79: two original caps to one object, (c, 4) and (c, 5)"), "\(result)")
  }
}

// `refine-check boot FILE.cdl` (issue 17): the exit codes a user sees for a description that
// boots and is realised, one the booted state does not realise, and one that is bad input.

import Foundation
import Testing

@Suite struct BootCommandTests {
  static let realised = """
    arch aarch64
    objects {
      e = ep
      c = cnode (3 bits)
      t = tcb (addr: 0, ip: 0, sp: 0, prio: 10, max_prio: 10, affinity: 0)
    }
    caps {
      c { 0: e (RW, badge: 3)  1: t  2: c (guard: 1, guard_size: 2) }
    }
    """

  @Test func aRealisedDescriptionExitsZeroWithItsJSONReport() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(Self.realised, to: "ok.cdl", in: dir)
    let result = try CLI.run(["boot", file, "--json"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("\"realisation\" : \"realised\""), "\(result)")
    #expect(result.stdout.contains("\"lockstep\" : \"held\""), "\(result)")
    #expect(result.stdout.contains("\"events\" : "), "\(result)")
    #expect(result.stdout.contains("\"seconds\" : "), "\(result)")
    // The comparison with the loader's direct construction, with its differences.
    #expect(result.stdout.contains("\"matchesDirectConstruction\" : "), "\(result)")
    #expect(result.stdout.contains("\"explained\" : ["), "\(result)")
    #expect(result.stdout.contains("\"differences\" : ["), "\(result)")
  }

  /// Two caps to one untyped: the initialiser moves the first, and seL4 derives no copy of an
  /// untyped cap with children, so the second slot stays empty: not realised, exit 3.
  @Test func anUnrealisedDescriptionExitsThree() throws {
    let dir = try CLI.temporaryDirectory()
    let text = """
      arch aarch64
      objects {
        u = ut (12 bits) { e }
        e = ep
        c = cnode (2 bits)
      }
      caps {
        c { 0: u  1: u  2: e (RW) }
      }
      """
    let file = try CLI.write(text, to: "two.cdl", in: dir)
    let result = try CLI.run(["boot", file])
    #expect(result.status == 3, "\(result)")
    #expect(result.stdout.contains("not realised: \(file):8:13: slot 1 of 'c'"), "\(result)")
  }

  /// A bug planted in the kernel's retype fails the boot's lockstep (exit 1); the shrunk trace it
  /// writes carries the root task's start state and replays to the same failure.
  @Test func aLockstepFailureExitsOneWithAReplayableTrace() throws {
    let dir = try CLI.temporaryDirectory()
    let file = try CLI.write(Self.realised, to: "ok.cdl", in: dir)
    let out = dir.appendingPathComponent("failures").path
    let result = try CLI.run(["boot", file, "--plant-bug", "retypeIgnoresWatermark", "--out", out])
    #expect(result.status == 1, "\(result)")
    #expect(result.stdout.contains("R1 lift(kernel) == exec"), "\(result)")
    let trace = out + "/boot-ok.json"
    #expect(FileManager.default.fileExists(atPath: trace), "\(result)")
    let replayed = try CLI.run(["replay", trace])
    #expect(replayed.status == 1, "\(replayed)")
    #expect(replayed.stdout.contains("reproduced: the trace fails as recorded"), "\(replayed)")
  }

  @Test func aDescriptionTheLoaderRefusesIsBadInput() throws {
    let dir = try CLI.temporaryDirectory()
    let text = """
      arch aarch64
      objects {
        t = tcb
        n = notification
      }
      caps {
        t { fault_ep_slot: n (RW) }
      }
      """
    let file = try CLI.write(text, to: "bad.cdl", in: dir)
    let result = try CLI.run(["boot", file])
    #expect(result.status == 65, "\(result)")
    #expect(result.stderr.contains("\(file):7:7: fault_ep_slot of tcb 't'"), "\(result)")
  }
}

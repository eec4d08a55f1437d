// `refine-check boot FILE.cdl` (issue 17): the exit codes a user sees for a description that
// boots and is realised, one the booted state does not realise, and one that is bad input.

import Foundation
import Testing

/// The real capDL corpus, found as `Tests/TestSupport/Corpus.swift` finds it (CLITests runs the
/// binary and links no test support): `CAPDL_CORPUS`, else `../shared/capdl` beside the package.
private enum BootCorpus {
  static let stems = [
    "camkes-adder-arm", "cap-dist-elf-simpleserver", "example-aarch64", "example-arm", "example-ia32",
  ]
  static var directory: URL? {
    if let path = ProcessInfo.processInfo.environment["CAPDL_CORPUS"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    let sibling = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/capdl")
    return FileManager.default.fileExists(atPath: sibling.path) ? sibling : nil
  }
  static var enabled: ConditionTrait {
    .enabled(
      if: directory != nil,
      "needs the real capDL corpus: set CAPDL_CORPUS=DIR or place it at ../shared/capdl beside the package")
  }
}

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

  /// Two IRQ control caps: seL4 derives no copy of IRQ control, so the initialiser moves the root
  /// task's one cap to the first slot and the second stays empty: not realised, exit 3. (Two caps
  /// to one untyped used to be the example; the boot now retypes the second from the first.)
  @Test func anUnrealisedDescriptionExitsThree() throws {
    let dir = try CLI.temporaryDirectory()
    let text = """
      arch aarch64
      objects {
        c = cnode (2 bits)
      }
      caps {
        c { 0: irq_control  1: irq_control  2: c }
      }
      """
    let file = try CLI.write(text, to: "two.cdl", in: dir)
    let result = try CLI.run(["boot", file])
    #expect(result.status == 3, "\(result)")
    #expect(result.stdout.contains("not realised: \(file):6:23: slot 1 of 'c'"), "\(result)")
  }

  /// Every real capDL file boots from the command line (exit 0), and its JSON report gives the
  /// number of boot events, the time, and the realisation verdict; `example-arm`'s notes say
  /// where its slot-512 caps went and which cdt link was left out.
  @Test(BootCorpus.enabled, arguments: BootCorpus.stems)
  func everyCorpusFileBootsFromTheCommandLine(_ stem: String) throws {
    let file = try #require(BootCorpus.directory).appendingPathComponent("\(stem).cdl").path
    let result = try CLI.run(["boot", file, "--json"])
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.contains("\"lockstep\" : \"held\""), "\(result)")
    #expect(result.stdout.contains("\"realisation\" : \"realised except what is not modelled\""), "\(result)")
    #expect(result.stdout.contains("\"problems\" : [\n\n  ]"), "\(result)")
    #expect(result.stdout.contains("\"events\" : "), "\(result)")
    #expect(result.stdout.contains("\"seconds\" : "), "\(result)")
    if stem == "example-arm" {
      #expect(result.stderr.contains("slot 512 of 'test[1]' is beyond its CNode's radix"), "\(result)")
      #expect(result.stderr.contains("the cdt makes (rm_cn, 302) a child of (test[1], 512)"), "\(result)")
    }
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

import CapDL
import Foundation
import KernelABI
import Refinement
import TestSupport
import Testing

/// Starting states (issue 11): valid systems of any described size start in agreement, invalid
/// ones are refused before any step, and the loader never traps on the numbers it is given.
@Suite struct StartingStateTests {
  /// A thread whose CSpace is a `radix`-bit CNode, with `body` added to the objects and `slots`
  /// to the CNode's caps.
  static func system(radix: Int = 8, objects body: String = "", slots: String = "", extra: String = "") -> String {
    """
    arch aarch64
    objects {
      main = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
      main_sc = sc (period: 1000, budget: 1000)
      root_cnode = cnode (\(radix) bits)
    \(body)
    }
    caps {
      main { cspace: root_cnode (guard: 0, guard_size: \(64 - radix)); sc_slot: main_sc }
      root_cnode {
        1: main
        2: root_cnode (guard: 0, guard_size: \(64 - radix))
    \(slots)
      }
    \(extra)
    }
    """
  }

  static func plan(_ text: String, file: String = "test.cdl") throws -> SystemPlan {
    try loadSystemPlan(from: try CapDLModel.parse(text, file: file)).plan
  }

  static func startFailure(_ plan: SystemPlan) -> LockstepFailure? {
    var checker = LockstepChecker(plan: plan)
    return checker.verify()
  }

  // MARK: - Built-in plans

  /// The built-in plans are valid starting states: the command line sends them through the same
  /// validation as a loaded system and refuses one that fails it as bad input (exit 65), so this is
  /// what keeps `check --exhaustive` (`SystemPlan.smallIPC`) and `system builtin` (`.sample`)
  /// running; `SystemPlan.small` is the tests' exhaustive system.
  @Test func builtInPlansAreValidStartingStates() {
    let small = validateStartingState(.small)
    #expect(small.isEmpty, "\(small)")
    let smallIPC = validateStartingState(.smallIPC)
    #expect(smallIPC.isEmpty, "\(smallIPC)")
    let sample = validateStartingState(.sample)
    #expect(sample.isEmpty, "\(sample)")
  }

  // MARK: - Valid systems of any size start in agreement

  /// Kernel memory was backed only up to 1 GiB: an untyped of 2^30 bytes or more failed R1.
  @Test(arguments: [30, 36, 40, 46])
  func largeUntypedsStartInAgreement(_ bits: Int) throws {
    let plan = try Self.plan(Self.system(objects: "  ut = ut (\(bits) bits) { e = ep }", slots: "    3: ut\n    4: e"))
    #expect(plan.objects.contains { $0.address >= 1 << 30 })
    let failure = Self.startFailure(plan)
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
  }

  /// The done-when system of issue 11: an untyped of 2^40 bytes, a CNode of 2^20 slots and
  /// 10,000 objects (endpoints named from the big CNode) loads, starts in agreement, and a short
  /// seeded campaign on it finds nothing.
  @Test func largeSystemLoadsAndRuns() throws {
    let count = 10_000
    let objects =
      (0..<count).map { "  e\($0) = ep" }.joined(separator: "\n") + "\n  ut = ut (40 bits) {}"
    let slots = (0..<count).map { "    \($0 + 16): e\($0)" }.joined(separator: "\n") + "\n    3: ut"
    let plan = try Self.plan(Self.system(radix: 20, objects: objects, slots: slots))
    // The endpoints, the untyped, main, its SC and the root CNode, and the initialiser's CSpace
    // with the cap to main's SC that no described cap names (docs/capdl.md).
    #expect(plan.objects.count == count + 4)
    #expect(Self.startFailure(plan) == nil)
    // (About a quarter of a second a step in a debug build on this system, so a few steps a trace.)
    let report = runCampaign(plan: plan, options: CampaignOptions(seed: 7, traces: 4, stepsPerTrace: 10, jobs: 1))
    #expect(report.traces == 4)
    #expect(report.violations.isEmpty, "\(report.violations.first.map { "\($0)" } ?? "")")
    // It tested something: the generator names slots of the 2^20-slot root (it skipped CNodes of
    // more than 2^12 slots, so every event faulted the thread and each trace ended at once).
    #expect(report.steps >= 4 * 5, "\(report.steps) steps")
  }

  /// `Systems/sample.cdl` with a root CNode of 2^20 slots: random traces run about as long as on
  /// the sample (they ended after one or two steps, the thread faulting on a random cptr).
  @Test func tracesFromAHugeRootCNodeRunTheirLength() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Systems/sample.cdl")
    let text = try String(contentsOf: url, encoding: .utf8)
      .replacingOccurrences(of: "root_cnode = cnode (8 bits)", with: "root_cnode = cnode (20 bits)")
      .replacingOccurrences(of: "root_cnode (guard: 0, guard_size: 48)", with: "root_cnode (guard: 0, guard_size: 36)")
    let plan = try Self.plan(text)
    #expect(plan.objects.contains { $0.kind == .cnode(radix: 20) })
    let options = CampaignOptions(seed: 1, traces: 8, stepsPerTrace: 60, jobs: 1)
    let huge = runCampaign(plan: plan, options: options)
    let sample = runCampaign(plan: try Self.plan(try String(contentsOf: url, encoding: .utf8)), options: options)
    #expect(huge.violations.isEmpty, "\(huge.violations.first.map { "\($0)" } ?? "")")
    #expect(huge.steps * 2 >= sample.steps, "\(huge.steps) steps on the huge root, \(sample.steps) on the sample")
  }

  /// Two threads share an endpoint, one cap badged and one not: the loader's CDT link between
  /// them must be one the executable spec's MDB reproduces (R2 failed before the fix on main).
  @Test func badgedAndUnbadgedCapsToOneEndpointStartInAgreement() throws {
    let text = """
      arch aarch64
      objects {
        a = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
        b = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
        ca = cnode (4 bits)
        cb = cnode (4 bits)
        ep = ep
      }
      caps {
        a { cspace: ca (guard: 0, guard_size: 60) }
        b { cspace: cb (guard: 0, guard_size: 60) }
        ca { 1: a  2: ca (guard: 0, guard_size: 60)  3: ep (RW, badge: 7) }
        cb { 1: b  2: cb (guard: 0, guard_size: 60)  3: ep (RW) }
      }
      """
    let failure = Self.startFailure(try Self.plan(text))
    #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
  }

  // MARK: - Invalid starting states are refused

  /// Each of these plans breaks a promise a starting state must keep; `validate()` used to let
  /// them through, and the lockstep check then blamed the kernel at step 0.
  @Test(arguments: StructuralCase.all)
  func structurallyInvalidPlansAreRefused(_ c: StructuralCase) {
    var plan = SystemPlan.sample
    c.corrupt(&plan)
    let problems = plan.validate()
    #expect(problems.contains { $0.contains(c.fragment) }, "\(problems)")
  }

  typealias S = SystemPlan.Sample

  struct StructuralCase: Sendable, CustomTestStringConvertible {
    var name: String
    var fragment: String
    var corrupt: @Sendable (inout SystemPlan) -> Void
    var testDescription: String { name }

    static let all: [StructuralCase] = [
      .init(name: "priority above 255", fragment: "priority 300") { $0.threads[0].priority = 300 },
      .init(name: "thread listed twice", fragment: "listed twice") { $0.threads.append($0.threads[0]) },
      .init(name: "64-bit memory", fragment: "larger than") { $0.memorySizeBits = 64 },
      .init(name: "guard wider than its size", fragment: "wider than") { plan in
        plan.caps[SlotRef(S.rootCNode, 2)] = .cnode(S.rootCNode, radix: 8, guardSize: 4, guard: 0xFF)
      },
      .init(name: "endpoint cap as a thread's CSpace", fragment: "not a CNode cap") { plan in
        plan.caps[SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)] = .endpoint(S.endpoint, badge: 0, rights: .all)
        plan.cdtParent[SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)] = nil
      },
      .init(name: "cdt link between caps to different objects", fragment: "a cap to another object") { plan in
        plan.cdtParent[SlotRef(S.rootCNode, 14)] = SlotRef(S.rootCNode, 4)
      },
    ]
  }

  /// A refusal of a capDL system names `file:line:col` of the cap that causes it.
  @Test func aCapDLRefusalNamesTheCapsPosition() throws {
    let text = Self.system(objects: "  e = ep", slots: "    3: e\n    4: root_cnode (guard: 5, guard_size: 2)")
    do {
      _ = try Self.plan(text, file: "wide-guard.cdl")
      Issue.record("a guard wider than its guard size was accepted")
    } catch {
      #expect("\(error)".contains("wide-guard.cdl:14:"), "\(error)")
    }
  }

  /// A CNode or TCB placed at address 0 is refused, with its place, as a structural problem
  /// (found by the long fuzz run: `paddr: 0` on an untyped put a TCB at 0, whose first slot's links
  /// the kernel reads as "no slot"; the system was refused as "lift(kernel) == exec fails" with no
  /// line).
  @Test func slotsAtAddressZeroAreRefusedWithTheirPlace() throws {
    let text = try Fixtures.capDL("camkes-echo").replacingOccurrences(of: "paddr: 0x10000000", with: "paddr: 0")
    #expect(text.contains("paddr: 0)"))
    do {
      _ = try Self.plan(text, file: "echo.cdl")
      Issue.record("a TCB at address 0 was accepted")
    } catch {
      // The TCB's declaration (line 12 of the fixture), and why.
      #expect("\(error)".contains("echo.cdl:12:"), "\(error)")
      #expect("\(error)".contains("echo_0_control_tcb holds capability slots at address 0"), "\(error)")
    }
  }

  /// Objects above 2^48 are refused, located: the kernel's caps hold 48-bit addresses (found by
  /// the long fuzz run: an untyped at `paddr: 0x8000000000000000` was refused as "lift(kernel) ==
  /// exec fails in the starting state", naming no line).
  @Test func objectsAbove48BitAddressesAreRefusedWithTheirPlace() throws {
    let text = try Fixtures.capDL("arm-untyped-tree").replacingOccurrences(
      of: "paddr: 0x40000000", with: "paddr: 0x8000000000000000")
    #expect(text.contains("0x8000000000000000"))
    do {
      _ = try Self.plan(text, file: "tree.cdl")
      Issue.record("objects above 2^48 were accepted")
    } catch {
      #expect("\(error)".contains("tree.cdl:"), "\(error)")
      // The fixture is a 32-bit (arm11) description: refused before the 48-bit check.
      #expect("\(error)".contains("beyond the 32-bit physical addresses of arm11"), "\(error)")
    }
    let wide = text.replacingOccurrences(of: "arch arm11", with: "arch aarch64")
    #expect(wide.contains("arch aarch64"))
    do {
      _ = try Self.plan(wide, file: "tree.cdl")
      Issue.record("objects above 2^48 were accepted")
    } catch {
      #expect("\(error)".contains("tree.cdl:"), "\(error)")
      #expect("\(error)".contains("lies above 2^48"), "\(error)")
    }
  }

  // MARK: - No trap on the loader's numbers

  /// Numbers at the edges of `UInt64` are refused with a message (each of these trapped or
  /// asked for terabytes on main).
  @Test(arguments: [
    ("  big = cnode (18446744073709551615 bits)", "    3: big", "cnode 'big'"),
    ("  big = cnode (50 bits)", "    3: big", "cnode 'big'"),
    ("  e = ep", "    3: root_cnode (guard: 0, guard_size: 18446744073709551615)", "guard size"),
    ("  f = frame (size: 0)", "    3: f", "frame size 0"),
    ("  e = ep (paddr: 0xfffffffffffffff0)", "    3: e", "paddr"),
    ("  u = ut (20 bits, paddr: 0xfffffffffff00000) { e = ep (paddr: 0xfffffffffffffff0) }", "    3: u", "paddr"),
    // Found by the long fuzz run: memory of 2^48 bytes was refused naming no line.
    ("  u = ut (47 bits) {}", "    3: u", "ends beyond the 2^47 bytes of memory"),
  ])
  func hugeNumbersAreRefusedWithAMessage(_ object: String, _ slot: String, _ fragment: String) {
    do {
      _ = try Self.plan(Self.system(objects: object, slots: slot))
      Issue.record("accepted: \(object)")
    } catch {
      #expect("\(error)".contains(fragment), "\(error)")
    }
  }

  /// A 30-bit CNode (2^35 bytes) is valid and, stored sparsely, starts in agreement.
  @Test func aLargeButValidCNodeIsSparse() throws {
    let plan = try Self.plan(
      Self.system(objects: "  big = cnode (30 bits)", slots: "    3: big (guard: 0, guard_size: 34)"))
    #expect(plan.objects.contains { $0.kind == .cnode(radix: 30) })
    #expect(Self.startFailure(plan) == nil)
  }
}

// Every system in Systems/ still validates now that configured scheduling contexts are checked
// as SchedControl_ConfigureFlags checks them, and its three layers start related (R1, R2) and
// sound, with the refills boot gives them.

import CapDL
import Foundation
import KernelABI
import Refinement
import TestSupport
import Testing

@Suite struct SchedContextBootTests {
  static let systems: [String] = {
    let directory = Corpus.packageRoot.appendingPathComponent("Systems")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".cdl") }.sorted()
  }()

  @Test func thereAreSystems() { #expect(Self.systems.contains("sample.cdl")) }

  @Test(arguments: systems)
  func aSystemValidatesAndStartsRelated(file: String) throws {
    let url = Corpus.packageRoot.appendingPathComponent("Systems").appendingPathComponent(file)
    let model = try CapDLModel.parse(try String(contentsOf: url, encoding: .utf8), file: file)
    let plan = try loadSystemPlan(from: model).plan
    #expect(plan.validate() == [])
    #expect(!plan.schedContexts.isEmpty)
    var checker = LockstepChecker(plan: plan)
    #expect(checker.verify() == nil)
  }

  /// A capDL `sc` ConfigureFlags would refuse (budget above its period) is refused when loaded.
  @Test func aSystemWithARefusedConfigurationDoesNotLoad() throws {
    let text = """
      arch aarch64
      objects {
        main = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
        main_sc = sc (period: 1000, budget: 2000)
        root_cnode = cnode (8 bits)
      }
      caps {
        main { cspace: root_cnode (guard: 0, guard_size: 56); sc_slot: main_sc }
        root_cnode {
          1: main
        }
      }
      """
    let message = refusal(text)
    #expect(message?.contains("budget 2000 µs is above its period 1000 µs") == true, "\(message ?? "booted")")
  }
}

import CapDL
import Foundation
import KernelABI
import Refinement
import TestSupport
import Testing

/// Loading a capDL description builds a related initial state in all three layers: the lockstep
/// checker's relations and invariants hold at step 0 for every system the loader accepts, and
/// each file is known to load or to be refused (so a change in either direction fails).
@Suite struct SystemLoadingTests {
  static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// What loading a file (with undersized untypeds grown) must give.
  enum Outcome: Sendable, CustomStringConvertible {
    /// Loads; every CNode and TCB holding caps is named by a cap, so all checks hold at step 0.
    case loads
    /// Loads, and some CNodes or TCBs holding caps are named only by the capDL loader's own
    /// CSpace, which the plan models (`initialiserCSpace`): all checks hold at step 0 (on main,
    /// `if_unsafe_then_cap` failed).
    case loadsWithUnnamedContainers
    /// Refused, with this fragment in the message.
    case refused(String)

    var description: String {
      switch self {
      case .loads: "loads"
      case .loadsWithUnnamedContainers: "loads with unnamed containers"
      case .refused(let m): "refused (\(m))"
      }
    }
  }

  struct System: Sendable, CustomTestStringConvertible {
    var name: String
    var text: @Sendable () throws -> String
    var outcome: Outcome
    var testDescription: String { "\(name): \(outcome)" }
  }

  /// The package's own systems: always there.
  static let own: [System] =
    [
      System(
        name: "Systems/sample.cdl",
        text: { try String(contentsOf: package.appendingPathComponent("Systems/sample.cdl"), encoding: .utf8) },
        outcome: .loads)
    ]
    + [
      ("arm-untyped-tree", Outcome.loadsWithUnnamedContainers), ("camkes-echo", .loads), ("mcs-server", .loads),
      ("x86-io", .loadsWithUnnamedContainers),
    ]
    .map { stem, outcome in System(name: "\(stem).cdl", text: { try Fixtures.capDL(stem) }, outcome: outcome) }

  /// The real corpus: only with `Corpus.enabled`.
  static let corpus: [System] = [
    ("camkes-adder-arm", Outcome.loads),
    ("cap-dist-elf-simpleserver", .loads),
    ("example-aarch64", .loadsWithUnnamedContainers),
    ("example-arm", .loadsWithUnnamedContainers),
    ("example-ia32", .loadsWithUnnamedContainers),
  ].map { stem, outcome in System(name: "\(stem).cdl", text: { try Corpus.text("\(stem).cdl") }, outcome: outcome) }

  @Test(Corpus.enabled) func theCorpusTableListsEveryCorpusFile() {
    #expect(Self.corpus.map(\.name) == Corpus.stems.map { "\($0).cdl" })
  }

  static func check(_ system: System) throws {
    let model = try CapDLModel.parse(try system.text(), file: system.name)
    let loaded: CapDLLoadResult
    do {
      // As the command line loads: `example-arm`'s cdt link between caps to two objects is left out.
      loaded = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    } catch {
      guard case .refused(let fragment) = system.outcome else {
        Issue.record("\(system.name) was refused: \(error)")
        return
      }
      #expect(error.message.contains(fragment), "\(error)")
      return
    }
    let checker = LockstepChecker(plan: loaded.plan)
    let failure = checker.check()
    switch system.outcome {
    case .refused(let fragment):
      Issue.record("\(system.name) loaded; expected it refused with '\(fragment)'")
    case .loads:
      #expect(loaded.unnamedContainers.isEmpty)
      #expect(failure == nil, "\(system.name): \(failure.map { "\($0)" } ?? "")")
    case .loadsWithUnnamedContainers:
      #expect(!loaded.unnamedContainers.isEmpty)
      #expect(failure == nil, "\(system.name): \(failure.map { "\($0)" } ?? "")")
    }
  }

  @Test(arguments: own)
  func relationsHoldAtStepZero(_ system: System) throws { try Self.check(system) }

  @Test(Corpus.enabled, arguments: corpus)
  func relationsHoldAtStepZeroOnTheCorpus(_ system: System) throws { try Self.check(system) }

  @Test func theBuiltInSystemLoads() throws {
    let file = Self.package.appendingPathComponent("Systems/sample.cdl")
    let plan = try systemPlan(from: CapDLModel.parse(String(contentsOf: file, encoding: .utf8), file: "sample.cdl"))
    // The same plan as the built-in sample, up to what capDL cannot say (see the file's header).
    // One more: the initialiser's CSpace, which keeps the root task's SchedControl and domain caps
    // (root slots 7 and 9 are copies of them) and retype's cap to `rpc_ep` (the server's has Read
    // alone, so it is a copy, and the client's badged cap a mint, of the kept cap).
    #expect(plan.objects.count == SystemPlan.sampleWithServer.objects.count + 1)
    #expect(plan.threads.count == 5 && plan.currentThread == plan.threads.first?.tcb)
    // The passive server starts blocked in Recv on its endpoint with its reply object, and has no
    // scheduling context.
    let server = try #require(plan.threads.last)
    #expect(server.schedContext == nil && server.receive?.reply != nil)
    #expect(plan.threads.filter { $0.receive != nil }.map(\.tcb) == [server.tcb])
    #expect(LockstepChecker(plan: plan).check() == nil)
  }
}

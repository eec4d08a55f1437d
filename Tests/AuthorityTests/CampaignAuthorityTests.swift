// The authority graph against what threads really do: seeded lockstep campaigns on a CAmkES-style
// MCS client/server system (written below: the client Calls the echo server through a badged WP
// endpoint cap, the server answers on its reply object and signals the client's notification) and
// on the MCS fixture `mcs-server.cdl`; every IPC a campaign achieves between two threads
// (`IPCObserver`) must be an edge of the graph, of the same kind, through the same object
// (docs/authority.md, "Checked against campaigns"). Two planted bugs show the check can fail: a
// graph with the client's Call edge removed, and an observer that reports each flow the wrong way
// round.

import AbstractSpec
import Authority
import CapDL
import KernelABI
import Refinement
import TestSupport
import Testing

@Suite struct CampaignAuthorityTests {
  /// A system: its capDL model (for the graph), its plan (for the campaign) and the capDL name
  /// of every object the plan places.
  struct System {
    var model: CapDLModel
    var plan: SystemPlan
    var names: [ObjectRef: String]
  }

  /// The CAmkES echo system (`camkes-echo.cdl`) as CAmkES lays it out for an MCS kernel, cut to
  /// the components' control threads: each component a CNode of its own, the client Calling the
  /// echo interface through a badged WP endpoint cap, the echo server receiving on it (R) with a
  /// reply object of its own and signalling the client through a badged notification (W) the
  /// client waits on (R); each control thread runs on a configured scheduling context, capped in
  /// its CNode. No cap has Grant and neither component holds a cap to the other's thread or
  /// CNode, so the graph has no derived edge: the client may Send, Call and Wait, the server
  /// Receive, Reply and Signal, and nothing else crosses.
  static let camkesEchoMCS = """
    arch aarch64

    objects {
      echo_0_control_tcb = tcb (addr: 0x120000, ip: 0x10400, sp: 0x11e000, prio: 200, max_prio: 200, affinity: 0)
      echo_0_control_sc = sc (period: 10000, budget: 2500, bits: 8)
      echo_cnode = cnode (4 bits)
      echo_reply = rtreply
      client_0_control_tcb = tcb (addr: 0x220000, ip: 0x20400, sp: 0x21e000, prio: 200, max_prio: 200, affinity: 0)
      client_0_control_sc = sc (period: 10000, budget: 2500, bits: 8)
      client_cnode = cnode (4 bits)
      rpc_echo_ep = ep
      done_ntfn = notification
    }

    caps {
      echo_0_control_tcb {
        cspace: echo_cnode (guard: 0, guard_size: 60)
        sc_slot: echo_0_control_sc
      }
      echo_cnode {
        0x1: echo_0_control_tcb
        0x3: echo_0_control_sc
        0x6: rpc_echo_ep (R)
        0x7: done_ntfn (W, badge: 4)
        0x8: echo_reply
      }
      client_0_control_tcb {
        cspace: client_cnode (guard: 0, guard_size: 60)
        sc_slot: client_0_control_sc
      }
      client_cnode {
        0x1: client_0_control_tcb
        0x3: client_0_control_sc
        0x6: rpc_echo_ep (WP, badge: 7)
        0x7: done_ntfn (R)
      }
    }
    """

  static let client = "client_0_control_tcb"
  static let server = "echo_0_control_tcb"

  /// A capDL text loaded, with every thread in domain 0 and every bound scheduling context
  /// configured (budget 2,500 of a 10,000 period where the file gives none): the layers run only
  /// the current domain, 0, and no event advances the domain schedule, so a thread of another
  /// domain would never run; nor would one on an unconfigured scheduling context (MCS runs a
  /// thread only on a configured one). Neither domains nor budgets confer authority, so the
  /// graph is the file's.
  static func system(_ text: String, file: String) throws -> System {
    let model = try CapDLModel.parse(text, file: file)
    let loaded = try loadSystemPlan(from: model)
    var plan = loaded.plan
    for i in plan.threads.indices {
      plan.threads[i].domain = 0
      if let sc = plan.threads[i].schedContext, plan.schedContexts[sc] == nil {
        plan.schedContexts[sc] = SystemPlan.SchedContextConfiguration(budget: 2_500, period: 10_000)
      }
    }
    #expect(validateStartingState(plan).isEmpty)
    let names = Dictionary(loaded.addresses.map { ($0.value, $0.key.description) }, uniquingKeysWith: { a, _ in a })
    return System(model: model, plan: plan, names: names)
  }

  static func camkesEcho() throws -> System { try system(camkesEchoMCS, file: "camkes-echo-mcs.cdl") }

  /// The CAmkES system and what its campaign achieved, computed once for the tests that read it
  /// (nil when the text does not load, which the first test reports).
  static let echoRun: (system: System, flows: [AchievedIPC: Int], failures: [LockstepFailure])? = {
    guard let system = try? camkesEcho() else { return nil }
    let (flows, failures) = campaign(system.plan, traces: traces, length: length)
    return (system, flows, failures)
  }()

  /// Every IPC a seeded campaign (`traces` traces of `length` events, seeds 1...`traces`) achieves
  /// between two threads, with how often; and the lockstep failures met (none expected).
  static func campaign(_ plan: SystemPlan, traces: UInt64, length: Int, swarm: Swarm? = talking) -> (
    flows: [AchievedIPC: Int], failures: [LockstepFailure]
  ) {
    var flows: [AchievedIPC: Int] = [:]
    var failures: [LockstepFailure] = []
    let start = LockstepChecker(plan: plan)
    for seed in 1...traces {
      var checker = start
      var generator = EventGenerator(seed: seed, swarm: swarm)
      var observer = IPCObserver()
      for _ in 0..<length {
        guard !checker.abstract.isIdle(checker.abstract.currentThread) else { break }
        let before = checker.abstract
        let (_, event) = generator.next(for: before)
        if let failure = checker.step(event).failure {
          failures.append(failure)
          break
        }
        for flow in observer.observe(before: before, event: event, after: checker.abstract) {
          flows[flow, default: 0] += 1
        }
      }
    }
    return (flows, failures)
  }

  /// The flows no edge of `graph` allows: an edge from the sender to the receiver of the same
  /// kind, through the same object (a reply goes through a reply object, which the graph does
  /// not name: its edge is the reply path of the endpoint the caller called).
  static func unauthorised(_ flows: some Sequence<AchievedIPC>, _ graph: AuthorityGraph, _ names: [ObjectRef: String])
    -> [AchievedIPC]
  {
    flows.filter { flow in
      !graph.edges.contains { edge in
        edge.from == names[flow.from] && edge.to == names[flow.to] && edge.kind.rawValue == flow.kind.rawValue
          && (flow.kind == .reply || edge.object == names[flow.object])
      }
    }
  }

  static let traces: UInt64 = 300
  static let length = 100

  /// The campaign's swarm: the IPC and notification operations and Yield. The CAmkES system's
  /// threads hold no CNode, untyped or other thread's cap for the other operations to use, and a
  /// random invocation or a receive on a cap without Read faults a thread that has no fault
  /// handler, which stops it for the rest of the trace.
  static let talking = Swarm(
    enabled: Operations.operations(of: .ipc) + Operations.operations(of: .notification) + [.yield])

  /// The flows `flows` holds, as `from Kind to` with capDL names.
  static func named(_ flows: some Sequence<AchievedIPC>, _ names: [ObjectRef: String]) -> Set<String> {
    Set(flows.map { "\(names[$0.from] ?? "?") \($0.kind.rawValue) \(names[$0.to] ?? "?")" })
  }

  @Test func everyIPCTheCampaignAchievesOnTheCAmkESSystemIsAnEdgeOfTheGraph() throws {
    _ = try Self.camkesEcho()
    let (system, flows, failures) = try #require(Self.echoRun)
    let graph = AuthorityGraph(model: system.model)
    #expect(Set(graph.threads) == [Self.client, Self.server])
    #expect(!graph.edges.contains { $0.isDerived || $0.kind == .grant || $0.kind == .control })
    #expect(failures.isEmpty, "\(failures.first.map { "\($0)" } ?? "")")
    // The campaign reaches each flow the system is built for, and no other.
    let c = Self.client
    let s = Self.server
    #expect(
      Self.named(flows.keys, system.names) == [
        "\(c) Send \(s)", "\(c) Call \(s)", "\(s) Reply \(c)", "\(s) Signal \(c)",
      ])
    let bad = Self.unauthorised(flows.keys, graph, system.names)
    #expect(bad.isEmpty, "\(bad)")
  }

  /// The MCS client/server fixture (`mcs-server.cdl`): the server holds the client's TCB and
  /// CNode caps and a Grant cap to the endpoint, so every kind of flow is an edge both ways, some
  /// of them derived; the campaign (random swarms: CNode methods too) achieves a derived one too
  /// (the server sending to a client that holds, by then, a cap with Read the server put in its
  /// CNode: a flow only a derived edge allows), and each is an edge. Which derived flow the seeds
  /// reach depends on the starting state and on time: the server's Send until the starting
  /// threads were made Restart in seL4's queue order and time passed (2026-12-07), its Call since.
  @Test func everyIPCTheCampaignAchievesOnTheMCSServerIsAnEdgeOfTheGraph() throws {
    let system = try Self.system(try Fixtures.capDL("mcs-server"), file: "mcs-server.cdl")
    let graph = AuthorityGraph(model: system.model)
    let (flows, failures) = Self.campaign(system.plan, traces: Self.traces, length: Self.length, swarm: nil)
    #expect(failures.isEmpty, "\(failures.first.map { "\($0)" } ?? "")")
    #expect(
      Self.named(flows.keys, system.names).isSuperset(of: [
        "client Call server", "server Reply client", "client Signal server",
      ]))
    #expect(graph.edges.contains { $0.from == "server" && $0.kind == .send && $0.to == "client" && $0.isDerived })
    // At least one achieved flow is allowed by a derived edge and by no direct one.
    var direct = graph
    direct.edges.removeAll { $0.isDerived }
    let onlyDerived = Self.unauthorised(flows.keys, direct, system.names)
    #expect(Self.named(onlyDerived, system.names).contains { $0.hasPrefix("server ") && $0.hasSuffix(" client") })
    let bad = Self.unauthorised(flows.keys, graph, system.names)
    #expect(bad.isEmpty, "\(bad)")
  }

  /// Planted: the graph without the client's Call edge; the Calls the campaign achieved are
  /// reported, and nothing else.
  @Test func aGraphWithoutTheCallEdgeIsCaught() throws {
    let (system, flows, _) = try #require(Self.echoRun)
    var graph = AuthorityGraph(model: system.model)
    graph.edges.removeAll { $0.from == Self.client && $0.kind == .call && $0.to == Self.server }
    let bad = Self.unauthorised(flows.keys, graph, system.names)
    #expect(!bad.isEmpty)
    #expect(Self.named(bad, system.names) == ["\(Self.client) Call \(Self.server)"])
  }

  /// Planted: an observer that reports each flow from its receiver to its sender (the server
  /// Calling its client, the client replying to and signalling its server) fabricates flows the
  /// graph forbids, every one of them.
  @Test func anObserverThatFabricatesFlowsIsCaught() throws {
    let (system, flows, _) = try #require(Self.echoRun)
    let graph = AuthorityGraph(model: system.model)
    let reversed = flows.keys.map { AchievedIPC(from: $0.to, kind: $0.kind, to: $0.from, object: $0.object) }
    let bad = Self.unauthorised(reversed, graph, system.names)
    #expect(!reversed.isEmpty && bad.count == reversed.count)
  }
}

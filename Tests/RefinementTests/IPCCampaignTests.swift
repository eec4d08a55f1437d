// The generator's endpoint IPC (`EventGenerator+Endpoint.swift`) in a seeded campaign on the
// sample system: Calls that meet a waiting receiver and block on its reply object, ReplyRecvs that
// reply to the caller waiting on their reply object, and Grant sends and Calls whose extra caps
// move a cap into the receiver's receive slot, among capability, thread and notification events,
// with every step checked in lockstep. Each count is read off the abstract state around the
// event, not only off the generator's path name, so that a path named but not taken is not
// counted. (docs/campaigns.md gives the 100,000-event figure of the same mix and its command.)

import AbstractSpec
import KernelABI
import TestSupport
import Testing

@testable import Refinement

@Suite struct IPCCampaignTests {
  struct Counts {
    var events = 0
    var ipcEvents = 0
    var callRendezvous = 0
    var repliesToCallers = 0
    var capsMoved = 0
    var capsUnwrapped = 0
    var failures: [String] = []
  }

  /// `seeds` traces of up to `length` events on the sample system, counted.
  static func campaign(seeds: Range<UInt64>, length: Int) -> Counts {
    var counts = Counts()
    for seed in seeds {
      var checker = LockstepChecker(plan: .sample)
      var generator = EventGenerator(seed: 0x14_0000 &+ seed)
      for _ in 0..<length {
        let before = checker.abstract
        guard !before.isIdle(before.currentThread) else { break }
        let caller = before.currentThread
        let (operation, event) = generator.next(for: before)
        let path = generator.lastPath ?? ""
        counts.events += 1
        if Operations.entry(operation).concept == .ipc { counts.ipcEvents += 1 }
        // The caller of the reply object a ReplyRecv replies through.
        var replied: ObjectRef? = nil
        if path == "replyRecv.reply.caller", case .syscall(.replyRecv, let args) = event,
          case .reply(let reply, _)? = try? before.lookupCap(caller, args.replyRegister).cap
        {
          replied = before.reply(at: reply)?.tcb
        }
        let (_, failure) = checker.step(event)
        if let failure {
          counts.failures.append("seed \(seed), event \(counts.events): \(failure)")
          break
        }
        let after = checker.abstract
        if operation == .call, path.hasPrefix("call."), path.contains(".recv"),
          case .blockedOnReply? = after.tcb(at: caller)?.state
        {
          counts.callRendezvous += 1
        }
        if let replied, case .blockedOnReply? = before.tcb(at: replied)?.state {
          if case .blockedOnReply? = after.tcb(at: replied)?.state {} else { counts.repliesToCallers += 1 }
        }
        // A Grant send or Call that met a receiver: a cap derived into its receive slot is a
        // new CDT child; an endpoint cap to the same endpoint is unwrapped into its badge.
        if path.contains(".recv.grant"), case .syscall(_, let args) = event,
          case .endpoint(let ep, _, _)? = try? before.lookupCap(caller, args.capRegister).cap,
          case .recv(let receivers)? = before.endpoint(at: ep)?.state, let receiver = receivers.first
        {
          if after.cdt.count > before.cdt.count { counts.capsMoved += 1 }
          if let word = after.tcb(at: receiver)?.context.msgInfoRegister, MessageInfo(word: word).capsUnwrapped != 0 {
            counts.capsUnwrapped += 1
          }
        }
      }
    }
    return counts
  }

  /// A seeded campaign of mixed events on the sample system, endpoint IPC among them, passes
  /// every lockstep check, and its Calls, ReplyRecvs and Grant transfers take the branches they
  /// are named for.
  @Test func callsRepliesAndGrantTransfersHappenInAMixedCampaign() {
    let counts = Self.campaign(seeds: 0..<300, length: 250)
    #expect(counts.failures.isEmpty, "\(counts.failures)")
    // Measured 2026-12-07 (seeds 0x14_0000 + 0..<300, 250 events at most): 23,447 events, 2,487
    // of them endpoint IPC, 154 Calls that met a receiver and blocked on its reply object, 107
    // ReplyRecvs that replied to their caller, 27 Grant transfers that moved a cap and 6 that
    // unwrapped one, no failure.
    #expect(counts.events >= 20_000, "only \(counts.events) events")
    #expect(counts.ipcEvents >= 2_000, "only \(counts.ipcEvents) IPC events")
    #expect(counts.callRendezvous >= 120, "only \(counts.callRendezvous) Calls met a receiver")
    #expect(counts.repliesToCallers >= 80, "only \(counts.repliesToCallers) ReplyRecvs replied to a caller")
    #expect(counts.capsMoved >= 20, "only \(counts.capsMoved) Grant transfers moved a cap")
    #expect(counts.capsUnwrapped >= 5, "only \(counts.capsUnwrapped) Grant transfers unwrapped a cap")
  }
}

/// The default run's system (`SystemPlan.sampleWithServer`, the twin of `Systems/sample.cdl`):
/// its client Calls the passive server, the server runs on the client's scheduling context and
/// replies with it, and the Kernel takes its fastpath for both halves, in a seeded random campaign
/// of the generator's mixed events, every step checked in lockstep.
@Suite struct DefaultSystemIPCTests {
  struct Counts {
    var events = 0
    var callsToServer = 0
    var donations = 0
    var returns = 0
    var fastpathHits: [Syscall: Int] = [:]
    var fallbacks: Set<String> = []
    var failures: [String] = []
  }

  static func campaign(seeds: Range<UInt64>, length: Int) -> Counts {
    typealias P = SystemPlan.SampleServer
    var counts = Counts()
    for seed in seeds {
      var checker = LockstepChecker(plan: .sampleWithServer)
      var generator = EventGenerator(seed: 0xDEF_0000 &+ seed)
      for _ in 0..<length {
        let before = checker.abstract
        guard !before.isIdle(before.currentThread) else { break }
        let caller = before.currentThread
        let (_, event) = generator.next(for: before)
        counts.events += 1
        if let decision = checker.kernel.fastpathDecision(for: event), case .syscall(let call, _) = event {
          if decision == .hit { counts.fastpathHits[call, default: 0] += 1 }
          if case .fallback = decision { counts.fallbacks.insert(decision.pathName(call)) }
        }
        let (_, failure) = checker.step(event)
        if let failure {
          counts.failures.append("seed \(seed), event \(counts.events): \(failure)")
          break
        }
        let after = checker.abstract
        // The client's Call met the waiting server (which runs next; main may have given the
        // client another CSpace, `TCB_SetSpace`, and other endpoints): the client waits for the
        // reply, and the passive server runs on the client's scheduling context.
        if caller == P.clientTCB, case .syscall(.call, _) = event, case .blockedOnReply? = after.tcb(at: caller)?.state,
          before.tcb(at: P.serverTCB)?.schedContext == nil, before.tcb(at: caller)?.schedContext == P.clientSC,
          case .blockedOnReceive? = before.tcb(at: P.serverTCB)?.state, after.currentThread == P.serverTCB
        {
          counts.callsToServer += 1
          if after.tcb(at: P.serverTCB)?.schedContext == P.clientSC { counts.donations += 1 }
        }
        // The server replied: the client runs again, on its scheduling context given back.
        if caller == P.serverTCB, case .blockedOnReply? = before.tcb(at: P.clientTCB)?.state,
          before.tcb(at: P.clientTCB)?.schedContext == nil, after.tcb(at: P.clientTCB)?.schedContext == P.clientSC
        {
          counts.returns += 1
        }
      }
    }
    return counts
  }

  @Test func theClientCallsThePassiveServerWhichRepliesWithTheDonatedContext() {
    let counts = Self.campaign(seeds: 0..<200, length: 250)
    #expect(counts.failures.isEmpty, "\(counts.failures)")
    // Measured 2026-12-07 (seeds 0xDEF_0000 + 0..<200, 250 events at most): 14,350 events, 55
    // Calls by the client that met the waiting server and donated the client's scheduling
    // context, 20 replies that gave it back, fastpath hits 31 Call and 5 ReplyRecv, fallbacks for
    // endpointCap, endpointNotRecv, messageInfo, receiverHasSchedContext, receiverPriority
    // (Call) and boundNotificationActive, endpointSend, messageInfo, replyNotHead (ReplyRecv).
    // Since the irq, interrupt and domain operations joined (2026-12-08): fastpath hits 22 Call
    // and 5 ReplyRecv (the other bounds still hold; their figures not re-measured), hence 20.
    #expect(counts.callsToServer >= 45, "only \(counts.callsToServer) Calls met the server")
    #expect(counts.donations == counts.callsToServer, "\(counts.donations) donations")
    #expect(counts.returns >= 15, "only \(counts.returns) replies returned the scheduling context")
    #expect((counts.fastpathHits[.call] ?? 0) >= 20, "\(counts.fastpathHits)")
    #expect((counts.fastpathHits[.replyRecv] ?? 0) >= 4, "\(counts.fastpathHits)")
    let expected: Set = ["fastpath.call.receiverHasSchedContext", "fastpath.replyRecv.replyNotHead"]
    #expect(counts.fallbacks.isSuperset(of: expected), "\(counts.fallbacks)")
  }

  /// A campaign on the default run's system counts the Kernel's fastpath decisions among its
  /// kernel paths: hits of both calls, fallbacks by reason, beside the generator's slowpath
  /// branches of Call and ReplyRecv.
  @Test func theCampaignCountsFastpathDecisionsAsKernelPaths() {
    let report = runCampaign(
      plan: .sampleWithServer, options: CampaignOptions(seed: 1, traces: 200, stepsPerTrace: 250, jobs: 2))
    #expect(report.violations.isEmpty)
    let paths = report.kernelPaths ?? [:]
    func count(_ prefix: String) -> Int { paths.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +) }
    // Measured 2026-12-07: 18,754 steps; fastpath.call.hit 16, fastpath.replyRecv.hit 5,
    // receiverHasSchedContext 47, replyNotHead 76; call.endpoint.recv* 51, replyRecv.reply.caller 80.
    #expect(count("fastpath.call.hit/") > 0 && count("fastpath.replyRecv.hit/") > 0)
    #expect(count("fastpath.call.receiverHasSchedContext/") > 0 && count("fastpath.replyRecv.replyNotHead/") > 0)
    #expect(count("call.endpoint.recv") > 0 && count("replyRecv.reply.caller") > 0)
  }
}

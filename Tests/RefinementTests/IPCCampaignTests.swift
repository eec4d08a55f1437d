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

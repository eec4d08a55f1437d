import AbstractSpec
import Kernel
import KernelABI
import Refinement
import Testing

/// Exhaustive bounded exploration: counts that can be checked by hand, determinism, and planted
/// bugs caught at small depth with a replayable trace.
@Suite struct ExhaustiveTests {
  /// One thread whose CSpace is a four-slot CNode: slot 0 holds the CNode's own cap (62 guard
  /// bits, so cptr 0 invokes it), slot 1 the thread's cap, slot 2 is empty, slot 3 a cap to the
  /// configured scheduling context the thread runs on (bound, so live: `if_live_then_nonz_cap`
  /// wants a cap to it); the thread's CSpace root is a child of slot 0.
  static var tiny: SystemPlan {
    let cnode: ObjectRef = 0x1_0000
    let sc: ObjectRef = 0x1_0400
    let tcb: ObjectRef = 0x1_0800
    let cap = Capability.cnode(cnode, radix: 2, guardSize: 62, guard: 0)
    let cspace = SlotRef(tcb, TCBSlot.cspace.rawValue)
    return SystemPlan(
      memoryBase: 0x1_0000, memorySizeBits: 12,
      objects: [
        .init(name: "cnode", address: cnode, kind: .cnode(radix: 2)), .init(name: "main", address: tcb, kind: .tcb),
        .init(name: "sc", address: sc, kind: .schedContext(sizeBits: 7)),
      ],
      caps: [
        SlotRef(cnode, 0): cap, SlotRef(cnode, 1): .thread(tcb), SlotRef(cnode, 3): .schedContext(sc, sizeBits: 7),
        cspace: cap,
      ],
      cdtParent: [cspace: SlotRef(cnode, 0)], originals: [SlotRef(cnode, 0), SlotRef(cnode, 1), SlotRef(cnode, 3)],
      threads: [.init(tcb: tcb, schedContext: sc)], currentThread: tcb,
      schedContexts: [sc: .init(budget: 1_000, period: 1_000)])
  }

  @Test func depthOneOfATinySystemMatchesAHandCount() {
    #expect(Self.tiny.validate().isEmpty)
    // The alphabet (docs/campaigns.md) at the initial state: one invocable CNode (cptr 0), full
    // slots 0, 1 and 3, first empty slot 2. Per full slot Copy x2 rights masks, Mint x2, Move,
    // Mutate: 18; Rotate, each full slot as pivot: 3; Delete, Revoke per full slot: 6;
    // CancelBadgedSends needs an endpoint: 0; the malformed variants of the eight CNode methods:
    // 8; the thread cap: TCB_Suspend, TCB_Resume, TCB_SetPriority and TCB_SetMCPriority each of 0
    // and of 256, with itself as the authority, and its plain invocation: 7; the SC cap's plain
    // invocation: 1; TCB_SetSchedParams (naming slot 3's SC), TCB_UnbindNotification and
    // TCB_SetTimeoutEndpoint (no endpoint: the empty slot); TCB_BindNotification needs a
    // notification cap: 3; SchedContext_Consumed and SchedContext_YieldTo of slot 3's SC: 2;
    // Yield: 1. 49 events (37 before the SC cap: its six CNode copies and moves, a Rotate, Delete,
    // Revoke and plain invocation are the 10 more; 47 before the SchedContext methods).
    #expect(AbstractState(plan: Self.tiny).exhaustiveAlphabet().count == 49)
    let report = exploreExhaustively(plan: Self.tiny, options: ExhaustiveOptions(depth: 1, jobs: 2))
    #expect(report.violation == nil, "\(String(describing: report.violation?.failure))")
    #expect(report.transitions == 49)
    // New states, by hand. From slot 0 (the CNode cap): both Copies put the same cap in slot 2 (a
    // CNode cap has no rights to mask); both Mints a cap with guard size 1 (data word 1); Move and
    // Mutate (guard size 0) empty slot 0 in two different ways; Delete empties it; Revoke deletes
    // the thread's CSpace root: 5. From slot 1 (the thread cap): Copy and Mint, whatever the mask
    // and data, all put the same thread cap in slot 2 as a child: 1; Move and Mutate both move
    // it: 1; Delete removes the last cap to the thread: 1; Revoke finds no children: 0. From slot
    // 3 (the SC cap): Copy and Mint put the same SC cap in slot 2: 1; Move and Mutate move it: 1;
    // Delete removes the last cap to the SC, which goes and leaves the thread unbound: 1; Revoke
    // finds no children: 0. The three Rotates: 3. SetSchedParams of the SC the thread is bound to
    // already sets its priority and MCP to 0: 1. SetMCPriority(0) lowers the thread's MCP: 1.
    // SetPriority(0) lowers its
    // priority: 1. Suspend stops it (no reply; the idle thread runs): 1. Resume of a running thread
    // changes nothing: 0. The events that fail change only
    // the thread's user context, where their error reply is written (`replyFromKernel`); one new
    // state per distinct reply: DeleteFirst (a Copy, Mint, Move or Mutate into a full slot), the
    // RangeError(1, 64) of the malformed Delete, Revoke and Rotate, IllegalOperation
    // (CancelBadgedSends, and the thread cap's plain invocation, whose label is no TCB method),
    // SetMCPriority(256)'s and SetPriority(256)'s RangeError(0, 255): 4 (the SC cap's plain
    // invocation and UnbindNotification of an unbound thread are IllegalOperations too;
    // SetTimeoutEndpoint of a Null cap empties an empty slot: no change). Yield leaves the thread,
    // alone at its priority, running, and its queue empty again: 0. Consumed replies with the time
    // consumed, a new reply: 1; YieldTo of the caller's own SC is an IllegalOperation: 0. 1 + 5 + 1
    // + 1 + 1 + 3 + 3 + 1 + 1 + 1 + 1 + 4 + 1 = 24 new states.
    #expect(report.statesPerDepth == [1, 24])
    #expect(report.states == 25)
    #expect(report.coverage["schedContext/ok"] == 1 && report.coverage["schedContext/illegalOperation"] == 1)
    #expect(report.complete && report.depthCompleted == 1)
    #expect(report.coverage["copy/deleteFirst"] == 1 && report.coverage["delete/rangeError"] == 1)
  }

  @Test func explorationIsTheSameForAnyNumberOfJobs() {
    let one = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 2, jobs: 1))
    let two = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 2, jobs: 2))
    let again = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 2, jobs: 2))
    for other in [two, again] {
      #expect(other.states == one.states)
      #expect(other.transitions == one.transitions)
      #expect(other.statesPerDepth == one.statesPerDepth)
      #expect(other.coverage == one.coverage)
    }
    #expect(one.complete && one.violation == nil)
    // Depth 1 of the small system: its 117 alphabet events (docs/campaigns.md) reach 59 new states.
    // With one thread and no notification cap it was 56 events (Yield included) and 31 states (25
    // that change caps, 1 that lowers the thread's MCP, and 5 distinct error replies left in the
    // caller's user context).
    // The notification cap (slot 5) adds 13 events: its Copy x2, Mint x2, Move, Mutate, Delete and
    // Revoke, one more Rotate (slot 5 is a pivot too), its plain invocation (a Call with the
    // invalid label: a Signal), and a Signal, a Wait and a Poll; and 5 states.
    // The other thread's cap (slot 6) adds nine CNode events (Copy x2, Mint x2, Move, Mutate,
    // Rotate, Delete, Revoke); each thread cap has Suspend, Resume, SetPriority x2 (and the other's
    // SetMCPriority x2 and plain invocation): 4 + 7 events.
    // Each thread cap has SetSchedParams (itself as authority, 0 and 0, Null SC, the endpoint as
    // fault handler), BindNotification (slot 5), UnbindNotification and SetTimeoutEndpoint (the
    // endpoint): 8 events, 97 in all. For the caller, SetSchedParams (Null SC for itself) and
    // UnbindNotification are IllegalOperations (a reply already counted); Bind and
    // SetTimeoutEndpoint are new states. For the other thread, only UnbindNotification changes
    // nothing: 2 + 3 = 5 new states, 51.
    // The caps to the two scheduling contexts (slots 7 and 8, which `if_live_then_nonz_cap` wants:
    // each is bound to a thread) add, each, Copy x2, Mint x2, Move, Mutate, Delete, Revoke, a
    // Rotate and a plain invocation: 20 events, 117. Each adds 3 states (its copy in slot 0, its
    // move there, its Delete: the SC goes and its thread is unbound) and its Rotate one: 8. And
    // SetSchedParams now names slot 7's SC instead of Null: for the caller, bound to it, it sets
    // priority and MCP to 0 (a new state, where Null was refused); for the other thread, whose SC
    // is another, it is refused (a reply already counted, where Null unbound its SC): 59.
    // The register methods add one event each, of the other thread's cap only (the caller's own
    // ReadRegisters and WriteRegisters would be IllegalOperations): ReadRegisters of all 36 (a
    // reply in the caller's registers), WriteRegisters of the PC and SP with resume, CopyRegisters
    // of the first thread cap's (main's) frame and integer registers, SetIPCBuffer(0) with the
    // empty slot 0, SetTLSBase: 122 events. ReadRegisters, WriteRegisters and SetTLSBase are new
    // states; CopyRegisters copies registers that are all 0 onto registers that are all 0, and the
    // other thread has no IPC buffer to remove: 62.
    // Configure, SetSpace and SetFlags add one event each, of the other thread's cap: Configure
    // with slot 1's CNode cap as CSpace root and slot 4's untyped as VSpace root, SetSpace with the
    // endpoint as fault handler, the untyped as CSpace root and the CNode as VSpace root, SetFlags
    // clearing and setting every flag: 125 events. Configure and SetSpace are IllegalOperations
    // (no VSpace root; the untyped is no CNode), a reply already counted; SetFlags gives the other
    // thread its one flag, a new state: 63. (After a Retype the untyped has a child, and both are
    // RevokeFirsts at depth 2.) Since Call is modelled (reply objects, docs/ipc.md), the endpoint
    // cap's plain invocation, a Call with no receiver waiting, queues the caller on the endpoint
    // (BlockedOnSend, isCall), where it was reported as not modelled and changed nothing: 64.
    // Endpoint IPC in the alphabet adds, of the endpoint cap (slot 3; no reply cap, so no Recv,
    // NBRecv, ReplyRecv or NBSendRecv): Send, NBSend, Call, Wait, NBWait and NBSendWait: 131
    // events. Send and Call queue the caller on the endpoint (the Call's message differs from the
    // plain invocation's), Wait and NBSendWait (its send dropped, then a Wait) queue it as a
    // receiver, with different message registers; NBSend, dropped, leaves its message in the
    // caller's registers: 5 new states; NBWait, with no sender, changes nothing: 69.
    // The SchedContext methods add Consumed and YieldTo of slot 7's SC, the caller's own: 133
    // events. Consumed's reply (the time consumed) is a new state; YieldTo to the caller's own SC
    // is an IllegalOperation, a reply already counted: 70.
    #expect(AbstractState(plan: .small).exhaustiveAlphabet().count == 133)
    #expect(one.statesPerDepth.prefix(2) == [1, 70])
    // The untyped has a child in the five states a well-formed Retype reached at depth 1: there,
    // and only there, Configure's VSpace root and SetSpace's CSpace root do not derive.
    #expect(one.coverage["configure/revokeFirst"] == 5 && one.coverage["setSpace/revokeFirst"] == 5)
    #expect(one.transitions > one.states)
  }

  /// A Call rendezvous between the two threads of the small systems: one BlockedOnReply on a
  /// reply object that names it (`reply_tcb`), the other, the receiver, running on a scheduling
  /// context.
  static func callRendezvous(_ s: AbstractState) -> Bool {
    let threads = [SystemPlan.SmallIPC.server, SystemPlan.SmallIPC.client]
    return threads.contains { caller in
      guard case .blockedOnReply(let reply)? = s.tcb(at: caller)?.state, s.reply(at: reply)?.tcb == caller else {
        return false
      }
      return threads.contains { receiver in
        receiver != caller && s.tcb(at: receiver)?.state == .running && s.tcb(at: receiver)?.schedContext != nil
      }
    }
  }

  /// The IPC operations and Yield: the alphabet of a client and a server that only talk.
  static let talking = Set(Operations.operations(of: .ipc)).union([.yield])

  /// Every IPC system call is in the alphabet of the small client/server system, for each of its
  /// runnable threads (the server at step 0; the client once the server yields).
  @Test func theClientServerAlphabetHasEveryIPCCall() throws {
    let start = AbstractState(plan: .smallIPC)
    var afterYield = LockstepChecker(plan: .smallIPC)
    #expect(afterYield.step(.syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0))).failure == nil)
    #expect(start.currentThread == SystemPlan.SmallIPC.server)
    #expect(afterYield.abstract.currentThread == SystemPlan.SmallIPC.client)
    for state in [start, afterYield.abstract] {
      let events = state.exhaustiveAlphabet().filter { Self.talking.contains($0.operation) }.map(\.event)
      var calls: [Syscall: Set<UInt64>] = [:]
      for case .syscall(let call, let args) in events { calls[call, default: []].insert(args.capRegister) }
      // Through the endpoint (cptr 3): every IPC call; through the reply cap (cptr 9): its own
      // invocation, a Send or NBSend.
      #expect(
        calls == [
          .send: [3, 9], .nbSend: [3, 9], .call: [3], .wait: [3], .nbWait: [3], .recv: [3], .nbRecv: [3],
          .replyRecv: [3], .nbSendRecv: [3], .nbSendWait: [3], .yield: [0],
        ])
      // Recv, NBRecv, ReplyRecv and NBSendRecv name the reply cap in the reply register.
      for case .syscall(let call, let args) in events where [.recv, .nbRecv, .replyRecv, .nbSendRecv].contains(call) {
        #expect(args.replyRegister == 9, "\(call)")
      }
    }
    // The reply cap (slot 9) adds, to `small`'s 133 events, nine CNode events and a plain
    // invocation (Copy x2, Mint x2, Move, Mutate, Delete, Revoke, a Rotate, label 0), Recv,
    // NBRecv, ReplyRecv and NBSendRecv with it, and its own Send and NBSend: 149. At depth 1 they
    // add 7 states: its Copy (with Grant, and without: the read-only mask drops it), Move, Delete
    // and the Rotate with it as pivot; Recv with the reply object and ReplyRecv (no caller to
    // reply to, then that Recv, its message in the registers) queue the server as a receiver. The
    // Rotate with slot 8 as pivot now moves slot 9, not slot 1, into slot 8: a different state in
    // place of one. NBRecv and NBSendRecv (its send dropped, then ReplyRecv's state), its Mints,
    // Mutate and Revoke, and the reply cap's invocations (no caller: nothing) are not new: 70 + 7
    // = 77.
    #expect(start.exhaustiveAlphabet().count == 149)
    let one = exploreExhaustively(plan: .smallIPC, options: ExhaustiveOptions(depth: 1, jobs: 2))
    #expect(one.violation == nil && one.complete)
    #expect(one.statesPerDepth == [1, 77])
    #expect(one.transitions == 149)
  }

  /// The small client/server system reaches a Call rendezvous within depth 3 (in fact 2: the
  /// endpoint cap's plain invocation, a Call with label 0 that queues the caller, then a Recv
  /// with the reply cap); with only the talking operations, the alphabet's own Call, then the Recv. Without
  /// Call, or without the server's reply object (`small`), no sequence of depth 3 reaches one.
  @Test func aCallRendezvousIsReachedWithinDepthThree() throws {
    let full = exploreExhaustively(
      plan: .smallIPC, options: ExhaustiveOptions(depth: 3, jobs: 2, goal: Self.callRendezvous))
    #expect(full.violation == nil && full.stoppedBy == "goal")
    let path = try #require(full.goalPath)
    let queueThenReceive: [Event] = [
      .syscall(.call, SyscallArguments(capRegister: 3, messageInfo: 0)),
      .syscall(.recv, SyscallArguments(capRegister: 3, messageInfo: 0, replyRegister: 9)),
    ]
    #expect(path == queueThenReceive)
    var checker = LockstepChecker(plan: .smallIPC)
    for event in path { #expect(checker.step(event).failure == nil) }
    #expect(Self.callRendezvous(checker.abstract))
    // The server (main) called and waits on its own reply object, held for it by the client:
    // either thread can take either part in a shared CSpace.
    #expect(checker.abstract.tcb(at: SystemPlan.SmallIPC.server)?.state == .blockedOnReply(SystemPlan.SmallIPC.reply))

    let talking = exploreExhaustively(
      plan: .smallIPC,
      options: ExhaustiveOptions(depth: 3, jobs: 2, operations: Self.talking, goal: Self.callRendezvous))
    let talk = try #require(talking.goalPath)
    #expect(talk.count == 2)
    let calls: [Syscall?] = talk.map { event in
      guard case .syscall(let call, _) = event else { return nil }
      return call
    }
    #expect(calls == [.call, .recv])

    let noCall = exploreExhaustively(
      plan: .smallIPC,
      options: ExhaustiveOptions(
        depth: 3, jobs: 2, operations: Self.talking.subtracting([.call]), goal: Self.callRendezvous))
    #expect(noCall.goalPath == nil && noCall.complete && noCall.violation == nil)
    #expect(noCall.depthCompleted == 3 && noCall.transitions > 0)
    let noServer = exploreExhaustively(
      plan: .small, options: ExhaustiveOptions(depth: 3, jobs: 2, operations: Self.talking, goal: Self.callRendezvous))
    #expect(noServer.goalPath == nil && noServer.complete && noServer.violation == nil)
    #expect(noServer.depthCompleted == 3 && noServer.transitions > 0)
  }

  /// The endpoint badge-run bugs need three events (mint a badge, mint it again, revoke the
  /// second); the notification ones cannot be reached from the small system, whose only
  /// notification cap is already badged (a badged cap is never minted with another badge; the
  /// default campaign catches them, DefaultCampaignTests).
  @Test(arguments: PlantedBug.allCases.filter { $0.needsBadgeRuns && $0.rawValue.hasPrefix("mdbEndpoint") })
  func badgeRunBugIsCaughtAtDepthThree(_ bug: PlantedBug) throws {
    let report = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 3, jobs: 2, plantedBug: bug))
    let v = try #require(report.violation, "\(bug) not caught at depth 3")
    #expect(v.events.count == 3)
    let clean = exploreExhaustively(plan: .small, options: ExhaustiveOptions(depth: 2, jobs: 2, plantedBug: bug))
    #expect(clean.violation == nil, "a badge-run bug needs two mints and a revoke")
  }

  /// (`ipcWrongBadge` too, alone of the `needsEndpointIPC` bugs, since endpoint IPC is in the
  /// alphabet: a Call queues the caller, a Wait takes it, and the badge delivered, 0, arrives as 1.
  /// Not the `needsSporadicTime` bugs: the small system is round robin. Not `yieldToKeepsYieldFrom`:
  /// the alphabet yields only to the caller's own scheduling context, which is refused; the random
  /// generator catches it.)
  @Test(
    arguments: PlantedBug.allCases.filter {
      !$0.needsBadgeRuns && !$0.needsSporadicTime && (!$0.needsEndpointIPC || $0 == .ipcWrongBadge)
        && !$0.needsSchedContextYield && !$0.needsInterrupts
    })
  func plantedBugIsCaughtAtSmallDepthAndReplays(_ bug: PlantedBug) throws {
    let options = ExhaustiveOptions(depth: 2, jobs: 2, plantedBug: bug)
    let report = exploreExhaustively(plan: .small, options: options)
    let v = try #require(report.violation, "\(bug) not caught at depth 2")
    #expect(v.events.count <= 2 && v.events.count >= 1)
    #expect(report.stoppedBy == "violation" && !report.complete)
    // The same violation on a second run: the search is deterministic.
    let again = exploreExhaustively(plan: .small, options: options)
    #expect(again.violation?.events == v.events && again.transitions == report.transitions)
    // Written as `check --exhaustive` writes it, the trace replays to the same failure; without
    // the bug the same events pass.
    let trace = TraceFile(
      system: .init(path: "builtin-small", plan: .small), seed: 0, traceSeed: nil, traceIndex: nil,
      originalLength: v.events.count, events: v.events, expected: .init(v.failure), plantedBug: bug)
    let back = try TraceFile.decode(try trace.encoded(), file: "exhaustive.json")
    let failure = try #require(back.replay(plan: back.system.plan ?? .sample))
    #expect(back.expected.matches(failure))
    #expect(replay(plan: .small, events: v.events) == nil)
  }
}

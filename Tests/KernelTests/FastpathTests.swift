// The kernel's IPC fastpath (`Sources/Kernel/Fastpath.swift`) against its slowpath. Each event runs
// on two copies of one state, one with the fastpath, one without (`fastpathEnabled`), and the two
// results must be the same: every memory word (the globals frame included) and every object, and
// the observation. (a) Client/server round trips (a passive server waiting on the endpoint with a
// reply object, clients calling it, the server answering with ReplyRecv) over random priorities,
// labels, lengths, badges, registers and receive slots: ≥ 10,000 fastpath hits, all identical.
// (b) Every fastpath check, skipped (`FastpathBug.skips`), and a fastpath that forgets to switch,
// is caught by the same comparison on some event of a mixed random run that also makes each check
// fail; `noSchedContext` (model only) is unreachable, and shown never to fail. (c) The lockstep
// checker runs Call/ReplyRecv round trips through the fastpath: R1/R2 and every invariant hold.
// (d) Several receivers queued on the endpoint, a nested call stack between two passive servers
// and a ReplyRecv into a non-empty receive queue: every event a hit, equal to the slowpath; a
// fastpath missing one of those branches' writes (`FastpathBug.writes`) is caught there.
// (e) Planted bugs and seams on the slowpath's route make the fastpath fall back.

import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct FastpathTests {
  typealias T = SystemPlan.Threads
  static let ep = S.cptr(root: 3)
  static let reply = S.cptr(root: 5)
  /// The clients' thread caps, by thread.
  static let threadCap: [ObjectRef: UInt64] = [
    S.mainTCB: S.cptr(root: 1), T.second: S.cptr(root: T.secondSlot), T.low: S.cptr(root: T.lowSlot),
  ]
  /// Root slots the runs mint badged endpoint caps into.
  static let mintSlots: [UInt64] = [20, 21, 22, 23]

  /// One event run with the fastpath and without.
  struct Both {
    var fast: KernelState
    var slow: KernelState
    var fastObservation: Observation
    var slowObservation: Observation
    var decision: FastpathDecision?

    var same: Bool {
      fast == slow && fastObservation == slowObservation && fast.ksCurThread == slow.ksCurThread
        && fast.ksSchedulerAction == slow.ksSchedulerAction
    }
  }

  static func both(_ state: KernelState, _ event: Event) -> Both {
    var fast = state
    var slow = state
    fast.fastpathEnabled = true
    slow.fastpathEnabled = false
    let decision = fast.fastpathDecision(for: event)
    let fastObservation = fast.step(event)
    let slowObservation = slow.step(event)
    return Both(
      fast: fast, slow: slow, fastObservation: fastObservation, slowObservation: slowObservation, decision: decision)
  }

  /// The two kernel invariants the fastpath's equality with the slowpath rests on (docs/ipc.md,
  /// "Fastpath"), as explanations (empty: both hold). With a current thread that is not idle: no
  /// ready thread of the current domain outranks it (Call's priority check, `isHighestPrio`, then
  /// picks the thread `schedule` would); and the reply that heads its scheduling context's call
  /// stack names a caller BlockedOnReply on that reply (l4v `valid_replies`, `sym_refs`:
  /// ReplyRecv's head check then finds the caller `doReplyTransfer` wakes).
  static func fastpathInvariantViolations(_ k: KernelState) -> [String] {
    let current = k.ksCurThread
    guard !k.isIdle(current), let priority = k.priority(of: current) else { return [] }
    var violations: [String] = []
    let domain = KernelConstants.numDomains > 1 ? k.ksCurDomain : 0
    if !k.isHighestPrio(domain, priority) {
      violations.append("a ready thread outranks the current thread \(current) (priority \(priority))")
    }
    if let sc = k.schedContextWord(of: current), sc != 0, let head = k.scReply(of: sc), head != 0 {
      let caller = k.replyTCB(of: head) ?? 0
      if caller == 0 || k.threadState(of: caller) != .blockedOnReply || k.blockingReplyObject(of: caller) != head {
        violations.append("the head reply \(head) of \(sc)'s call stack names no caller BlockedOnReply on it")
      }
    }
    return violations
  }

  // MARK: Event makers

  /// A random message: label (52 bits), length 0...`maxLength`, registers (sometimes fewer than
  /// the length: the rest read as 0), junk in the `caps_or_badges` words and a receive slot
  /// (neither named by the info word), and `extraCaps` extra caps named.
  static func message(
    _ syscall: Syscall, cap: UInt64, reply: UInt64 = 0, maxLength: UInt64 = 4, extraCaps: UInt64 = 0,
    _ rng: inout SplitMix64
  ) -> Event {
    let length = UInt64.random(in: 0...maxLength, using: &rng)
    let given = Bool.random(using: &rng) ? length : UInt64.random(in: 0...length, using: &rng)
    let registers = (0..<given).map { _ in rng.next() }
    var caps = (0..<3).map { _ in rng.next() }
    if extraCaps > 0 { caps[0] = S.cptr(root: 4) }
    let info = MessageInfo(label: rng.next() >> 12, extraCaps: extraCaps, length: length)
    let slot: ReceiveSlot? =
      Bool.random(using: &rng) ? ReceiveSlot(cnode: rng.next(), index: rng.next(), depth: rng.next() & 127) : nil
    return .syscall(
      syscall,
      SyscallArguments(
        capRegister: cap, messageInfo: info.word, messageRegisters: registers, extraCaps: caps,
        replyRegister: reply, receiveSlot: slot))
  }

  /// The sample with random priorities for its three threads (main stays the highest at first,
  /// so that it runs first and becomes the server).
  static func plan(_ rng: inout SplitMix64) -> SystemPlan {
    var plan = SystemPlan.sample
    let server = UInt64.random(in: 1...255, using: &rng)
    for index in plan.threads.indices {
      plan.threads[index].maxControlledPriority = 255
      if plan.threads[index].tcb == S.mainTCB {
        plan.threads[index].priority = server
      } else {
        plan.threads[index].priority = UInt64.random(in: 0...server, using: &rng)
      }
    }
    return plan
  }

  /// An empty root slot: the null cap.
  static let nullCap = S.cptr(root: 200)

  /// TCB_SetSchedParams on the thread `cap` names (priority kept), binding the scheduling context
  /// `sc` names (the null cap: unbinding it). Main's SchedContext_Unbind and _Bind are not modelled;
  /// this is the modelled way to the same bindings.
  static func setSchedContext(_ k: KernelState, _ thread: ObjectRef, sc: UInt64) -> Event {
    invoke(
      threadCap[thread] ?? nullCap, .tcbSetSchedParams, [255, k.priority(of: thread) ?? 0],
      caps: [S.cptr(root: 1), sc, nullCap])
  }

  /// Main loses its scheduling context (the one root slot 6 names), by the thread that runs.
  static func unbindMain(_ k: KernelState) -> Event { setSchedContext(k, S.mainTCB, sc: nullCap) }

  /// Run `event` on `state` (fastpath on).
  static func run(_ state: inout KernelState, _ event: Event) {
    _ = state.step(event)
  }

  /// The server setup: main waits on the endpoint with the reply object, then the client that
  /// runs takes main's scheduling context away (TCB_SetSchedParams), so main is passive; badged
  /// endpoint caps with random badges and rights (always Write, and Grant or GrantReply unless
  /// `anyRights`) are minted into `mintSlots`.
  static func serverState(_ rng: inout SplitMix64, anyRights: Bool = false) -> KernelState {
    var k = KernelState(plan: plan(&rng))
    run(&k, receiveEvent(ep, syscall: .recv, reply: reply))
    run(&k, unbindMain(k))
    for slot in mintSlots {
      var rights: CapRights = anyRights ? CapRights(rawValue: rng.next() & 15) : [.write]
      if !anyRights { rights.insert(Bool.random(using: &rng) ? .grant : .grantReply) }
      if !anyRights, Bool.random(using: &rng) { rights.insert(.read) }
      run(&k, cnodeMint(.root(slot), from: .root(3), rights: rights, data: rng.next() & 0xFFFF_FFFF))
    }
    return k
  }

  /// The round trip's next event: the server answers (ReplyRecv), a client calls through a
  /// random cap that allows the fastpath.
  static func eligibleEvent(_ k: KernelState, _ rng: inout SplitMix64) -> Event {
    if k.ksCurThread == S.mainTCB {
      return message(.replyRecv, cap: ep, reply: reply, &rng)
    }
    let caps = [ep, S.cptr(aux: 0)] + mintSlots.map { S.cptr(root: $0) }
    return message(.call, cap: caps.randomElement(using: &rng) ?? ep, &rng)
  }

  // MARK: (a) Equivalence

  @Test func theFastpathAndTheSlowpathGiveTheSameStateOnEveryRoundTrip() {
    var hits = 0
    var events = 0
    var differences: [String] = []
    var decisions: [String: Int] = [:]
    for seed in 1...24 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed)
      var k = Self.serverState(&rng)
      #expect(Self.fastpathInvariantViolations(k).isEmpty, "seed \(seed)")
      for step in 0..<500 {
        if k.isIdle(k.ksCurThread) { break }
        let event = Self.eligibleEvent(k, &rng)
        let both = Self.both(k, event)
        events += 1
        if let decision = both.decision {
          let call: Syscall = if case .syscall(let c, _) = event { c } else { .call }
          decisions[decision.pathName(call), default: 0] += 1
          if decision == .hit { hits += 1 }
        }
        if !both.same, differences.count < 5 { differences.append("seed \(seed) step \(step): \(event)") }
        let violations = Self.fastpathInvariantViolations(both.fast)
        #expect(violations.isEmpty, "seed \(seed) step \(step): \(violations)")
        #expect(both.fast.invariantViolations().isEmpty, "seed \(seed) step \(step)")
        k = both.fast
      }
    }
    #expect(differences.isEmpty, "\(differences)")
    #expect(hits >= 10_000, "\(hits) hits of \(events) events: \(decisions)")
  }

  /// The decision is the path taken: a hit leaves the server current after a Call without going
  /// through the scheduler, a fallback leaves the event to the slowpath.
  @Test func aCallToAPassiveServerIsAHitAndItsReplyRecvToo() {
    var rng = SplitMix64(seed: 7)
    var k = Self.serverState(&rng)
    let call = sendEvent(Self.ep, label: 9, [1, 2, 3], syscall: .call)
    #expect(k.fastpathDecision(for: call) == .hit)
    let client = k.ksCurThread
    _ = k.step(call)
    #expect(k.ksCurThread == S.mainTCB)
    #expect(k.userContext(of: S.mainTCB)?.msgRegisters == [1, 2, 3])
    #expect(k.threadState(of: client) == .blockedOnReply)
    let replyRecv = replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7])
    #expect(k.fastpathDecision(for: replyRecv) == .hit)
    _ = k.step(replyRecv)
    #expect(k.ksCurThread == client)
    #expect(k.userContext(of: client)?.msgRegister(0) == 7)
    #expect(MessageInfo(word: k.userContext(of: client)?.msgInfoRegister ?? 0) == MessageInfo(label: 4, length: 1))
    #expect(k.fastpathDecision(for: sendEvent(Self.ep, [1, 2, 3, 4, 5], syscall: .call)) == .fallback(.messageInfo))
    #expect(k.fastpathDecision(for: sendEvent(S.cptr(root: 14), syscall: .call)) == .fallback(.noGrant))
    #expect(k.invariantViolations().isEmpty)
  }

  /// Time (docs/time.md, docs/time-plan.md risk R3): the model's fastpath reads the clock first and
  /// runs only when the budget covers the time used. The client runs until its head refill holds
  /// exactly MIN_BUDGET more than it used: the Call is a fastpath hit; one tick more and the head
  /// is insufficient, so the slowpath charges the budget and restarts the caller instead of
  /// sending. Both equal the slowpath, word for word.
  @Test(arguments: [(TimeConfig.minBudget, true), (TimeConfig.minBudget - 1, false)])
  func atABudgetBoundaryTheFastpathAgreesWithTheSlowpath(left: UInt64, sends: Bool) throws {
    var rng = SplitMix64(seed: 7)
    var k = Self.serverState(&rng)
    let client = k.ksCurThread
    let sc = k.ksCurSC
    let index = try #require(k.scRefillHead(of: sc))
    let head = try #require(k.refill(of: sc, at: index))
    let ticks = head.rAmount - left
    try #require(k.clock + ticks < k.deadline, "the ticks must not reach the timer")
    _ = k.step(.timerTick(ticks: ticks))
    let call = sendEvent(Self.ep, label: 9, [1, 2, 3], syscall: .call)
    // The fastpath's own checks pass; time decides: the hit is taken exactly when the budget covers.
    #expect(k.fastpathDecision(for: call) == .hit)
    var probe = k
    probe.updateTimestamp()
    #expect(probe.fastpathTimeAllows() == sends)
    let result = Self.both(k, call)
    #expect(result.same)
    #expect((result.fast.threadState(of: client) == .blockedOnReply) == sends)
    #expect(result.fast.invariantViolations().isEmpty)
  }

  @Test func theMessageInfoCheckIsSeL4s() {
    let words: [UInt64] = [0, 4, 5, 1 << 7, 0xFFF0_0004, 0xFFF0_0005, 127, 1 << 9 | 3, 3 << 7 | 4]
    for word in words {
      let info = MessageInfo(word: word)
      #expect(KernelState.fastpathMessageInfoFails(word) == (info.extraCaps != 0 || (word & 127) > 4), "\(word)")
    }
  }

  // MARK: (b) Planted fastpath bugs

  /// The variants of an event a probe tries on a copy of a round trip's state, each making one
  /// check fail (or none: `plain`).
  enum Probe: CaseIterable {
    case plain, extraCap, ownFault, capWithoutRight
    // Call
    case idleEndpoint, passiveSenderEndpoint, capWithoutGrant, receiverOutranked, receiverDomain, receiverNoReply
    // ReplyRecv
    case notReplyCap, activeNotification, queuedSender, callerLostSchedContext, callerFault, callerOutranked
    case callerDomain, callerSchedContext
  }

  /// The probe `probe` on a copy of `k`: the state changed as the probe needs and its event; nil
  /// when the probe does not apply to this state. The changes are ones the kernel itself makes
  /// (through its own operations) or words no other word depends on (a blocked thread's domain,
  /// a fault).
  static func probe(_ probe: Probe, _ k: KernelState, _ rng: inout SplitMix64) -> (KernelState, Event)? {
    var p = k
    let current = p.ksCurThread
    let server = current == S.mainTCB
    let other = [T.second, T.low].first { $0 != current && p.replyTCB(of: S.reply) != $0 } ?? T.low
    let caller = p.replyTCB(of: S.reply) ?? 0
    var event = eligibleEvent(p, &rng)
    switch probe {
    case .plain:
      break
    case .extraCap:
      event = message(server ? .replyRecv : .call, cap: ep, reply: server ? reply : 0, extraCaps: 1, &rng)
    case .ownFault:
      p.setTCBFault(current, .unknownSyscall(number: 4))
    case .capWithoutRight:
      // Root slot 14: Write only (no Read for ReplyRecv); slot 24: Read and Grant (no Write).
      event = message(server ? .replyRecv : .call, cap: S.cptr(root: server ? 14 : 24), reply: reply, &rng)
    case .idleEndpoint, .passiveSenderEndpoint:
      guard !server else { return nil }
      // The second endpoint (root slot 26): idle, or with a client queued on it as a Call that
      // lost its scheduling context.
      if probe == .passiveSenderEndpoint {
        // The current client calls the server and is answered (its `tcbBlockingReplyObject` word
        // still names the reply object: the model's `reply_unlink` keeps it), then calls the
        // second endpoint, where nobody waits, and loses its scheduling context there; the other
        // client runs and calls the second endpoint too.
        guard p.threadState(of: S.mainTCB) == .blockedOnReceive, p.isQueued(other) else { return nil }
        _ = p.step(message(.call, cap: ep, &rng))
        guard p.ksCurThread == S.mainTCB else { return nil }
        _ = p.step(message(.replyRecv, cap: ep, reply: reply, &rng))
        guard p.ksCurThread == current else { return nil }
        _ = p.step(message(.call, cap: S.cptr(root: 26), &rng))
        guard p.ksCurThread == other, let sc = p.schedContextWord(of: current), sc != 0 else { return nil }
        p.schedContextUnbindTCB(sc)
      }
      event = message(.call, cap: S.cptr(root: 26), &rng)
    case .capWithoutGrant:
      // Root slot 14: Write only.
      guard !server else { return nil }
      event = message(.call, cap: S.cptr(root: 14), &rng)
    case .receiverOutranked:
      // The client lowers the passive server below itself and raises the other client, ready, to
      // its own priority (TCB_SetPriority): a ready thread outranks the receiver, and the caller
      // keeps running (a tie).
      guard !server, p.threadState(of: S.mainTCB) == .blockedOnReceive, p.isQueued(other),
        let prio = p.priority(of: current), prio > 0
      else { return nil }
      _ = p.step(invoke(threadCap[S.mainTCB] ?? nullCap, .tcbSetPriority, [prio - 1], caps: [S.cptr(root: 1)]))
      _ = p.step(invoke(threadCap[other] ?? nullCap, .tcbSetPriority, [prio], caps: [S.cptr(root: 1)]))
      guard p.ksCurThread == current, p.priority(of: other) == prio, p.priority(of: S.mainTCB) == prio - 1 else {
        return nil
      }
    case .receiverDomain:
      guard !server else { return nil }
      p.store(S.mainTCB &+ ObjectLayout.tcbDomain, 1)
    case .receiverNoReply:
      // As if main had waited without a reply object.
      guard !server, p.threadState(of: S.mainTCB) == .blockedOnReceive else { return nil }
      p.store(S.mainTCB &+ ObjectLayout.tcbBlockingReplyObject, 0)
      p.store(S.reply &+ ObjectLayout.replyTCB, 0)
    case .notReplyCap:
      guard server else { return nil }
      event = message(
        .replyRecv, cap: ep, reply: [S.cptr(root: 4), ep, nullCap].randomElement(using: &rng) ?? ep, &rng)
    case .activeNotification:
      guard server, p.boundNotificationWord(of: current) == S.notification else { return nil }
      _ = p.step(sendEvent(S.cptr(root: 15)))
    case .queuedSender:
      guard server, p.isQueued(other) else { return nil }
      p.tcbSchedDequeue(other)
      p.sendIPC(true, true, 0, true, true, true, other, S.endpoint)
    case .callerLostSchedContext:
      // An active server's caller (no donation: the reply heads no call stack) without its own
      // scheduling context any more.
      guard server, caller != 0, let sc = p.schedContextWord(of: caller), sc != 0 else { return nil }
      p.schedContextUnbindTCB(sc)
    case .callerFault:
      guard server, caller != 0 else { return nil }
      p.setTCBFault(caller, .unknownSyscall(number: 3))
    case .callerOutranked:
      guard server, caller != 0, let prio = p.priority(of: caller), prio < 255, p.isQueued(other) else { return nil }
      _ = p.step(invoke(threadCap[other] ?? nullCap, .tcbSetPriority, [prio + 1], caps: [S.cptr(root: 1)]))
      guard p.ksCurThread == S.mainTCB else { return nil }
    case .callerDomain:
      guard server, caller != 0 else { return nil }
      p.store(caller &+ ObjectLayout.tcbDomain, 1)
    case .callerSchedContext:
      guard server, caller != 0, p.scTcb(of: S.schedContext) == 0 else { return nil }
      p.schedContextBindTCB(S.schedContext, caller)
    }
    return (p, event)
  }

  /// The second endpoint, retyped into root slot 26 by `probeState`.
  static let secondEndpoint: ObjectRef = S.smallUntyped

  /// A state for probes: the server setup over independent random priorities, main bound to the
  /// notification in odd seeds and an active server (its scheduling context kept) in every third;
  /// a cap with Read and Grant but no Write in root slot 24, a second endpoint in root slot 26.
  static func probeState(_ seed: UInt64, _ rng: inout SplitMix64) -> KernelState {
    var plan = SystemPlan.sample
    for index in plan.threads.indices {
      plan.threads[index].maxControlledPriority = 255
      plan.threads[index].priority = UInt64.random(in: 0...255, using: &rng)
      // In half the runs the two clients share a priority, so that both run (they yield).
      if seed % 4 < 2, plan.threads[index].tcb == T.low { plan.threads[index].priority = plan.threads[1].priority }
      if seed % 2 == 1, plan.threads[index].tcb == S.mainTCB { plan.threads[index].boundNotification = S.notification }
    }
    var k = KernelState(plan: plan)
    run(&k, retype(10, .endpoint, offset: 26))
    run(&k, cnodeMint(.root(24), from: .root(3), rights: [.read, .grant], data: 0))
    run(&k, receiveEvent(ep, syscall: .recv, reply: reply))
    if seed % 3 != 0 { run(&k, unbindMain(k)) }
    for slot in mintSlots {
      run(&k, cnodeMint(.root(slot), from: .root(3), rights: .all, data: rng.next() & 0xFFFF_FFFF))
    }
    return k
  }

  /// The first probe on which the fastpath with `bug` and the slowpath differ, along round trips
  /// of `seeds` × `steps` (nil: none).
  static func firstDifference(
    _ bug: FastpathBug?, seeds: ClosedRange<UInt64>, steps: Int, probes: [Probe] = Probe.allCases
  ) -> String? {
    for seed in seeds {
      var rng = SplitMix64(seed: seed &* 7919)
      var k = probeState(seed, &rng)
      for step in 0..<steps {
        if k.isIdle(k.ksCurThread) { break }
        for kind in probes {
          guard let (probed, event) = probe(kind, k, &rng) else { continue }
          var p = probed
          p.fastpathBug = bug
          if !both(p, event).same { return "seed \(seed) step \(step) \(kind): \(event)" }
        }
        let yields = k.ksCurThread != S.mainTCB && UInt64.random(in: 0..<10, using: &rng) == 0
        k = both(k, yields ? yieldEvent : eligibleEvent(k, &rng)).slow
      }
    }
    return nil
  }

  @Test func withoutAPlantedBugNoProbeShowsADifference() {
    #expect(Self.firstDifference(nil, seeds: 1...12, steps: 40) == nil)
  }

  /// A check a later check covers on every probe: a cap that is no reply cap names an object
  /// whose words at the reply's offsets never head the current scheduling context's call stack.
  static let subsumed: [FastpathBug] = [.skips(.replyCap)]

  /// A check no real state fails (model only, no check of seL4's): a running MCS thread always has
  /// a scheduling context (losing it makes `schedule` choose another thread), and on ReplyRecv a
  /// thread without one fails `replyNotHead` first (a head link never points to 0). A probe
  /// could only forge the state (unbind and still run), so none does.
  static let unreachable: [FastpathBug] = [.skips(.noSchedContext)]

  @Test(arguments: FastpathBug.all.filter { !subsumed.contains($0) && !unreachable.contains($0) })
  func eachSkippedCheckIsCaught(_ bug: FastpathBug) {
    let found = Self.firstDifference(bug, seeds: 1...12, steps: 40)
    #expect(found != nil, "\(bug) not caught")
  }

  /// A subsumed check, skipped, is still reached and failed on the probes, and the event still
  /// falls back (to a later check) every time: the fastpath never runs without it.
  @Test(arguments: subsumed)
  func aSubsumedCheckSkippedStillFallsBack(_ bug: FastpathBug) {
    guard case .skips(let check) = bug else { return }
    var reached = 0
    var hits = 0
    for seed in 1...12 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed &* 7919)
      var k = Self.probeState(seed, &rng)
      for _ in 0..<40 {
        if k.isIdle(k.ksCurThread) { break }
        for kind in Probe.allCases {
          guard let (probed, event) = Self.probe(kind, k, &rng) else { continue }
          guard probed.fastpathDecision(for: event) == .fallback(check) else { continue }
          var p = probed
          p.fastpathBug = bug
          reached += 1
          if p.fastpathDecision(for: event) == .hit { hits += 1 }
        }
        k = Self.both(k, Self.eligibleEvent(k, &rng)).slow
      }
    }
    #expect(reached > 0)
    #expect(hits == 0)
  }

  /// An unreachable check never fails on a probe or along the round trips (whose every Call and
  /// ReplyRecv is decided), while the probes reach the fastpath's end (hits).
  @Test(arguments: unreachable)
  func anUnreachableCheckNeverFails(_ bug: FastpathBug) {
    guard case .skips(let check) = bug else { return }
    var failed = 0
    var hits = 0
    for seed in 1...12 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed &* 7919)
      var k = Self.probeState(seed, &rng)
      for _ in 0..<40 {
        if k.isIdle(k.ksCurThread) { break }
        for kind in Probe.allCases {
          guard let (probed, event) = Self.probe(kind, k, &rng) else { continue }
          let decision = probed.fastpathDecision(for: event)
          if decision == .fallback(check) { failed += 1 }
          if decision == .hit { hits += 1 }
        }
        k = Self.both(k, Self.eligibleEvent(k, &rng)).slow
      }
    }
    #expect(failed == 0)
    #expect(hits > 0)
  }

  /// The receiver-priority check is caught on its own probe (a ready client above the passive
  /// server, below the caller), where the check fails; without the bug the probe shows no
  /// difference.
  @Test func aSkippedReceiverPriorityCheckIsCaughtWhereAReadyThreadOutranksTheReceiver() {
    var reached = 0
    for seed in 1...12 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed &* 7919)
      var k = Self.probeState(seed, &rng)
      for _ in 0..<40 {
        if k.isIdle(k.ksCurThread) { break }
        if let (probed, event) = Self.probe(.receiverOutranked, k, &rng),
          probed.fastpathDecision(for: event) == .fallback(.receiverPriority)
        {
          reached += 1
        }
        k = Self.both(k, Self.eligibleEvent(k, &rng)).slow
      }
    }
    #expect(reached > 0)
    let probes: [Probe] = [.receiverOutranked]
    #expect(Self.firstDifference(nil, seeds: 1...12, steps: 40, probes: probes) == nil)
    #expect(Self.firstDifference(.skips(.receiverPriority), seeds: 1...12, steps: 40, probes: probes) != nil)
  }

  // MARK: (c) Lockstep

  /// Round trips through the lockstep checker: the kernel takes the fastpath (counted), the spec
  /// layers their Call and ReplyRecv; R1, R2 and every invariant hold at every step.
  @Test func roundTripsThroughTheFastpathPassTheLockstepChecker() {
    var hits = 0
    for seed in 1...4 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed)
      let plan = Self.plan(&rng)
      var checker = LockstepChecker(plan: plan)
      for event in [
        receiveEvent(Self.ep, syscall: .recv, reply: Self.reply), Self.unbindMain(checker.kernel),
      ] {
        let (_, failure) = checker.step(event)
        #expect(failure == nil)
      }
      for _ in 0..<60 {
        if checker.kernel.isIdle(checker.kernel.ksCurThread) { break }
        let event = Self.eligibleEvent(checker.kernel, &rng)
        if checker.kernel.fastpathDecision(for: event) == .hit { hits += 1 }
        let (observation, failure) = checker.step(event)
        #expect(failure == nil, "seed \(seed): \(failure.map { "\($0)" } ?? "")")
        #expect(observation.notModelled == nil)
        if failure != nil { break }
      }
    }
    #expect(hits >= 100, "\(hits)")
  }

  /// The lockstep checker catches the fastpath bugs too: a forgotten switch, a skipped Grant
  /// check and a skipped receiver-scheduling-context check, each on a Call the spec layers answer
  /// differently (the check fails on that event, not before).
  @Test(arguments: [FastpathBug.forgetsSwitch, .skips(.noGrant), .skips(.receiverHasSchedContext)])
  func theLockstepCheckerCatchesAFastpathBug(_ bug: FastpathBug) {
    var kernel = KernelState(plan: .sample)
    kernel.fastpathBug = bug
    var checker = LockstepChecker(plan: .sample, kernel: kernel)
    var setup = [receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)]
    if bug != .skips(.receiverHasSchedContext) { setup.append(Self.unbindMain(checker.kernel)) }
    for event in setup { #expect(checker.step(event).failure == nil) }
    // Root slot 14: Write only; root slot 3: every right.
    let cap = bug == .skips(.noGrant) ? S.cptr(root: 14) : Self.ep
    let (_, failure) = checker.step(sendEvent(cap, label: 2, [5], syscall: .call))
    #expect(failure != nil)
  }

  // MARK: (d) Several receivers, nested calls, a non-empty receive queue

  /// The root slot of a second reply object, retyped by `twoServersSetup` (the untyped's first
  /// object: at its base).
  static let reply2Slot: UInt64 = 30
  static let reply2 = S.cptr(root: reply2Slot)
  static let reply2Object: ObjectRef = S.smallUntyped

  /// The sample with `main` and `low` at the given priorities (both above `second`'s 100) and
  /// every maximum controlled priority 255.
  static func twoServersPlan(main: UInt64, low: UInt64) -> SystemPlan {
    var plan = SystemPlan.sample
    for index in plan.threads.indices {
      plan.threads[index].maxControlledPriority = 255
      switch plan.threads[index].tcb {
      case S.mainTCB: plan.threads[index].priority = main
      case T.low: plan.threads[index].priority = low
      default: plan.threads[index].priority = 100
      }
    }
    return plan
  }

  /// Two passive servers on the endpoint: `main` retypes a second reply object and waits with
  /// the sample's, `low` (next to run) waits with the second, then `second`, the client, takes
  /// both scheduling contexts away (TCB_SetSchedParams).
  static func twoServersSetup(main: UInt64, low: UInt64) -> [Event] {
    let unbind = { (thread: ObjectRef, priority: UInt64) in
      invoke(
        Self.threadCap[thread] ?? Self.nullCap, .tcbSetSchedParams, [255, priority],
        caps: [S.cptr(root: 1), Self.nullCap, Self.nullCap])
    }
    return [
      retype(10, .reply, offset: reply2Slot), receiveEvent(ep, syscall: .recv, reply: reply),
      receiveEvent(ep, syscall: .recv, reply: reply2), unbind(S.mainTCB, main), unbind(T.low, low),
    ]
  }

  /// `second` calls the server at the head of the receive queue, the other still queued behind
  /// it; that server calls the other through the same endpoint, so the call stack on `second`'s
  /// scheduling context is two deep; the replies unwind it, and each ReplyRecv queues its server
  /// again, the second one into a non-empty queue (in priority order: at the head, or behind an
  /// equal). Three rounds, for ties and either server above the other. Every event is a fastpath
  /// hit, equal word for word to the slowpath, the fastpath's invariants and the kernel's hold,
  /// and the lockstep checker passes the whole run.
  @Test(arguments: zip([150, 200, 150] as [UInt64], [150, 150, 200] as [UInt64]))
  func severalReceiversAndANestedCallStackAreHitsEqualToTheSlowpath(_ mainPriority: UInt64, _ lowPriority: UInt64) {
    let plan = Self.twoServersPlan(main: mainPriority, low: lowPriority)
    var k = KernelState(plan: plan)
    let setup = Self.twoServersSetup(main: mainPriority, low: lowPriority)
    for event in setup { Self.run(&k, event) }
    #expect(k.ksCurThread == T.second)
    #expect(k.schedContextWord(of: S.mainTCB) == 0 && k.schedContextWord(of: T.low) == 0)
    #expect(k.replyTCB(of: Self.reply2Object) == T.low && k.replyTCB(of: S.reply) == S.mainTCB)
    let priority: [ObjectRef: UInt64] = [S.mainTCB: mainPriority, T.low: lowPriority]
    let replyCap: [ObjectRef: UInt64] = [S.mainTCB: Self.reply, T.low: Self.reply2]
    let replyObject: [ObjectRef: ObjectRef] = [S.mainTCB: S.reply, T.low: Self.reply2Object]
    /// The receive queue as `tcbAppend` orders it: a thread goes behind those of at least its
    /// priority.
    func append(_ thread: ObjectRef, _ queue: inout [ObjectRef]) {
      let index = queue.firstIndex { (priority[$0] ?? 0) < (priority[thread] ?? 0) } ?? queue.count
      queue.insert(thread, at: index)
    }
    var queue: [ObjectRef] = []
    append(S.mainTCB, &queue)
    append(T.low, &queue)
    var rng = SplitMix64(seed: mainPriority &* 1_000 &+ lowPriority)
    var events: [Event] = []
    func step(_ event: Event, _ what: String, then current: ObjectRef) {
      let both = Self.both(k, event)
      #expect(both.decision == .hit, "\(what): \(both.decision.map { "\($0)" } ?? "nil")")
      #expect(both.same, "\(what): the fastpath and the slowpath differ")
      #expect(both.fast.ksCurThread == current, "\(what)")
      #expect(both.fast.invariantViolations().isEmpty, "\(what)")
      #expect(Self.fastpathInvariantViolations(both.fast).isEmpty, "\(what)")
      events.append(event)
      k = both.fast
    }
    for round in 0..<3 {
      // Several receivers queued: the head is dequeued, the other stays.
      let outer = queue.removeFirst()
      let inner = queue.removeFirst()
      step(Self.message(.call, cap: Self.ep, &rng), "round \(round): second calls", then: outer)
      #expect(k.memory.word(S.endpoint &+ ObjectLayout.epQueueHead) == inner)
      #expect(k.scReply(of: T.secondSC) == replyObject[outer])
      // Nested: the first server calls the second; the call stack is two deep.
      step(Self.message(.call, cap: Self.ep, &rng), "round \(round): the outer server calls", then: inner)
      #expect(k.schedContextWord(of: inner) == T.secondSC)
      #expect(k.scReply(of: T.secondSC) == replyObject[inner])
      let innerReply = replyObject[inner] ?? 0
      #expect(k.replyCallStack(of: innerReply)?.prev.ptr == replyObject[outer])
      // The replies unwind it: the inner into an empty queue, the outer into a non-empty one.
      step(
        Self.message(.replyRecv, cap: Self.ep, reply: replyCap[inner] ?? 0, &rng), "round \(round): inner replies",
        then: outer)
      append(inner, &queue)
      #expect(k.scReply(of: T.secondSC) == replyObject[outer])
      step(
        Self.message(.replyRecv, cap: Self.ep, reply: replyCap[outer] ?? 0, &rng), "round \(round): outer replies",
        then: T.second)
      append(outer, &queue)
      #expect(k.memory.word(S.endpoint &+ ObjectLayout.epQueueHead) == queue.first)
      #expect(k.scReply(of: T.secondSC) == 0 && k.schedContextWord(of: T.second) == T.secondSC)
    }
    var checker = LockstepChecker(plan: plan)
    for (index, event) in (setup + events).enumerated() {
      let (_, failure) = checker.step(event)
      #expect(failure == nil, "event \(index): \(failure.map { "\($0)" } ?? "")")
      if failure != nil { break }
    }
  }

  /// A fastpath that leaves out one write of those branches (`FastpathBug.writes`) is caught by
  /// the same scenario's comparison with the slowpath.
  @Test(arguments: FastpathBug.writes)
  func aMissedWriteInTheseBranchesIsCaught(_ bug: FastpathBug) {
    var caught = 0
    for (mainPriority, lowPriority) in zip([150, 200, 150] as [UInt64], [150, 150, 200] as [UInt64]) {
      var k = KernelState(plan: Self.twoServersPlan(main: mainPriority, low: lowPriority))
      for event in Self.twoServersSetup(main: mainPriority, low: lowPriority) { Self.run(&k, event) }
      k.fastpathBug = bug
      var rng = SplitMix64(seed: 5)
      let replies: [ObjectRef: UInt64] = [S.mainTCB: Self.reply, T.low: Self.reply2]
      // The scenario's rounds: `second` calls, that server calls the other, both reply.
      let calls: [Bool] = [true, true, false, false, true, true, false, false]
      for call in calls {
        let event =
          call
          ? Self.message(.call, cap: Self.ep, &rng)
          : Self.message(.replyRecv, cap: Self.ep, reply: replies[k.ksCurThread] ?? 0, &rng)
        let both = Self.both(k, event)
        if !both.same {
          caught += 1
          break
        }
        k = both.slow
      }
    }
    #expect(caught == 3, "\(bug) caught in \(caught) of 3 priority setups")
  }

  // MARK: (e) Seams on the slowpath's route

  /// With `dequeueKeepsBitmap` planted (`tcbSchedDequeue`'s `dequeueClearsBitmap` seam), a Call
  /// rendezvous the fastpath would take falls back (`plantedSeam`), so the slowpath runs the seam;
  /// the seam is on that route: the slowpath with the bug ends in another state than without it
  /// (a stale bitmap bit), which a fastpath hit would have hidden.
  @Test func aCallFallsBackWhenABugIsPlantedOnItsSlowpathRoute() {
    var differs = 0
    for seed in 1...8 as ClosedRange<UInt64> {
      var rng = SplitMix64(seed: seed)
      let k = Self.serverState(&rng)
      let call = Self.message(.call, cap: Self.ep, &rng)
      #expect(k.fastpathDecision(for: call) == .hit)
      var planted = k
      planted.plantedBug = .dequeueKeepsBitmap
      #expect(planted.fastpathDecision(for: call) == .fallback(.plantedSeam))
      let both = Self.both(planted, call)
      #expect(both.same)
      var clean = k
      _ = clean.step(call)
      if both.slow != clean { differs += 1 }
    }
    #expect(differs > 0)
  }

  /// Every seam the kernel has, planted with a non-seL4 step, and every planted bug: along round
  /// trips the fastpath and the slowpath still give the same state and observation (a seam on the
  /// route makes the fastpath fall back, one off the route is never reached by an event the
  /// fastpath takes, `ipcBadge` is applied by both), and a seam on the route falls back.
  @Test func withEverySeamPlantedTheFastpathAndTheSlowpathAgree() {
    typealias Seams = KernelState.Seams
    var plantings: [(String, (inout Seams) -> Void)] = [
      ("cnodeMintMaskCapRights", { $0.cnodeMintMaskCapRights = { _, cap in cap } }),
      ("isMDBParentOfBadgedEndpoint", { $0.isMDBParentOfBadgedEndpoint = { _, _, _ in false } }),
      ("isMDBParentOfBadgedNotification", { $0.isMDBParentOfBadgedNotification = { _, _, _ in false } }),
      ("retypeFreeIndex", { $0.retypeFreeIndex = { _ in 0 } }),
      ("cteRevokeContinues", { $0.cteRevokeContinues = { _, _, _ in false } }),
      ("checkPrioAllows", { $0.checkPrioAllows = { _, _ in false } }),
      ("dequeueClearsBitmap", { $0.dequeueClearsBitmap = { false } }),
      ("restartSwitchesTo", { $0.restartSwitchesTo = { false } }),
      ("signalBadge", { $0.signalBadge = { _ in 0 } }),
      ("ipcBadge", { $0.ipcBadge = { $0 ^ 1 } }),
      ("transferUnwraps", { $0.transferUnwraps = { false } }),
      ("replyWakesCaller", { $0.replyWakesCaller = { false } }),
      ("faultLabel", { $0.faultLabel = { _ in 0 } }),
      ("faultReplyRestarts", { $0.faultReplyRestarts = { false } }),
      ("popReturnsSchedContext", { $0.popReturnsSchedContext = { false } }),
      ("nbSendRecvDest", { $0.nbSendRecvDest = { _ in 0 } }),
      ("blockedCancelDequeues", { $0.blockedCancelDequeues = { false } }),
    ]
    // Not `fastpathForgetsSwitch`: a bug in the fastpath itself, which this test's equality catches
    // (`theLockstepCheckerCatchesAFastpathBug` and the default campaign catch it too).
    for bug in PlantedBug.allCases where bug != .fastpathForgetsSwitch {
      plantings.append(("\(bug)", { $0 = Seams(plantedBug: bug) }))
    }
    let onTheRoute: Set<String> = [
      "dequeueClearsBitmap", "dequeueKeepsBitmap", "replyWakesCaller", "popReturnsSchedContext",
      "replyKeepsDonatedSC",
    ]
    for (name, plant) in plantings {
      var differences = 0
      var hits = 0
      var fallbacks = 0
      for seed in 1...3 as ClosedRange<UInt64> {
        var rng = SplitMix64(seed: seed)
        var k = Self.serverState(&rng)
        plant(&k.seams)
        for _ in 0..<40 {
          if k.isIdle(k.ksCurThread) { break }
          let both = Self.both(k, Self.eligibleEvent(k, &rng))
          if !both.same { differences += 1 }
          if both.decision == .hit { hits += 1 }
          if both.decision == .fallback(.plantedSeam) { fallbacks += 1 }
          k = both.slow
        }
      }
      #expect(differences == 0, "\(name): \(differences) differences")
      if onTheRoute.contains(name) {
        #expect(hits == 0 && fallbacks > 0, "\(name): \(hits) hits, \(fallbacks) fallbacks")
      }
    }
  }

  // MARK: The benchmark's round trip

  /// `refine-check bench`'s round trip (`RoundTripBench`): two threads in different CSpaces, the
  /// server passive after the setup; every Call and ReplyRecv is a fastpath hit, the slowpath ends
  /// in the same state, and the lockstep checker passes it.
  @Test func theBenchmarkRoundTripIsAFastpathRoundTripBetweenTwoCSpaces() {
    var fast = RoundTripBench.kernel(fastpath: true)
    var slow = RoundTripBench.kernel(fastpath: false)
    #expect(fast.ksCurThread == T.second && fast.schedContextWord(of: S.mainTCB) == 0)
    #expect(fast.getCap(KernelState.tcbCTE(T.second, .cspace)) != fast.getCap(KernelState.tcbCTE(S.mainTCB, .cspace)))
    for _ in 0..<50 {
      #expect(fast.fastpathDecision(for: RoundTripBench.call) == .hit)
      _ = fast.step(RoundTripBench.call)
      _ = slow.step(RoundTripBench.call)
      #expect(fast.fastpathDecision(for: RoundTripBench.replyRecv) == .hit)
      _ = fast.step(RoundTripBench.replyRecv)
      _ = slow.step(RoundTripBench.replyRecv)
    }
    #expect(fast == slow && fast.ksCurThread == T.second)
    var checker = LockstepChecker(plan: RoundTripBench.plan)
    for event in RoundTripBench.setup + (0..<10).flatMap({ _ in [RoundTripBench.call, RoundTripBench.replyRecv] }) {
      let (_, failure) = checker.step(event)
      #expect(failure == nil, "\(failure.map { "\($0)" } ?? "")")
    }
  }
}

// MCS scheduling-context donation through reply objects, in all three layers through the lockstep
// checker (`reply_push`, `reply_pop`, `reply_remove`, `reply_remove_tcb`, `schedContext_donate`,
// `schedContext_unbindReply`; `seL4:src/object/reply.c`, `src/object/schedcontext.c`): a Call to a
// passive server donates the caller's scheduling context and ReplyRecv returns it; a passive
// server's Recv that takes a queued Call gets the caller's; a call stack of two unwinds in order;
// deleting the reply object at the head or further down, the server, or the scheduling context
// mid-call keeps the links symmetric (the invariants run at every step). Each layer's call stack
// is read in its own representation: the abstract `sc_replies`, the executable spec's `scReply`
// and `replyPrev` chain, the kernel's `scReply` and call-stack words. A kernel that keeps the
// scheduling context at the reply is caught; a broken link in any layer breaks `sym_refs`.

import AbstractSpec
import ExecutableSpec
import KernelABI
import TestSupport
import Testing

@testable import Kernel
@testable import Refinement

@Suite struct DonationTests {
  typealias T = SystemPlan.Threads
  static let ep = S.cptr(root: 3)
  static let reply = S.cptr(root: 5)
  static let ntfn = S.cptr(root: T.ntfnSlot)
  /// Where the tests retype a second reply object and a second endpoint (from root slot 10).
  static let reply2Slot: UInt64 = 20
  static let ep2Slot: UInt64 = 21

  /// The call stack of the scheduling context at `sc`, newest first, in each layer.
  func stack(_ checker: LockstepChecker, _ sc: ObjectRef) -> [[ObjectRef]] {
    var kernel: [ObjectRef] = []
    var at = checker.kernel.scReply(of: sc) ?? 0
    while at != 0, kernel.count < 8 {
      kernel.append(at)
      at = checker.kernel.replyCallStack(of: at)?.prev.ptr ?? 0
    }
    return [
      checker.abstract.schedContext(at: sc)?.replies ?? [],
      checker.exec.callStack(from: checker.exec.schedContext(at: sc)?.scReply), kernel,
    ]
  }

  /// The abstract `reply_sc` of the reply object at `reply`.
  func replySC(_ checker: LockstepChecker, _ reply: ObjectRef) -> ObjectRef? {
    checker.abstract.reply(at: reply)?.sc
  }

  /// The object the cap in root slot `slot` names (abstract spec).
  func object(_ checker: LockstepChecker, root slot: UInt64) -> ObjectRef? {
    switch checker.abstract.getCap(S.root(slot)) {
    case .reply(let r, _), .endpoint(let r, _, _): r
    default: nil
    }
  }

  /// `main` waits on the endpoint with the reply object and loses its scheduling context
  /// (`second` deletes the cap): a passive server. `second` calls: its scheduling context goes
  /// to `main` with the reply object on its call stack, and `main` runs on it.
  func passiveServerCalled() -> LockstepChecker {
    var checker = LockstepChecker(plan: .sample)
    lockstepStep(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    lockstepStep(&checker, cnodeDelete(.root(6)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(checker.currentThreads == inEveryLayer(T.second))
    lockstepStep(&checker, sendEvent(Self.ep, label: 9, [1, 2], syscall: .call))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(T.secondSC))
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(nil))
    #expect(checker.threadOfSchedContext(T.secondSC) == inEveryLayer(S.mainTCB))
    #expect(stack(checker, T.secondSC) == inEveryLayer([S.reply]))
    #expect(replySC(checker, S.reply) == T.secondSC)
    #expect(checker.threadStateNames(T.second)[2] == "blockedOnReply")
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
    return checker
  }

  @Test func aCallToAPassiveServerDonatesAndReplyRecvReturnsTheSchedulingContext() {
    var checker = passiveServerCalled()
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7]))
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(T.secondSC))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(checker.threadOfSchedContext(T.secondSC) == inEveryLayer(T.second))
    #expect(stack(checker, T.secondSC) == inEveryLayer([]))
    #expect(replySC(checker, S.reply) == nil)
    // The server waits again, passive; the caller runs with the reply.
    #expect(checker.threadStateNames(S.mainTCB)[2] == "blockedOnReceive")
    #expect(checker.currentThreads == inEveryLayer(T.second))
    // A second Call donates again.
    lockstepStep(&checker, sendEvent(Self.ep, label: 3, [], syscall: .call))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(T.secondSC))
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
  }

  /// A passive server's Recv (ReplyRecv's second phase) takes a Call queued while it ran: the
  /// reply phase gives the first caller's scheduling context back, the receive phase gets the
  /// queued caller's.
  @Test func aPassiveServerTakingAQueuedCallGetsTheCallersSchedulingContext() {
    var checker = LockstepChecker(plan: .sample)
    lockstepStep(&checker, retype(10, .reply, offset: Self.reply2Slot))
    lockstepStep(&checker, retype(10, .endpoint, offset: Self.ep2Slot))
    let reply2 = object(checker, root: Self.reply2Slot) ?? 0
    let ep2 = S.cptr(root: Self.ep2Slot)
    // `main` lets `second` run, which waits on the notification; `main` calls `low` through the
    // second endpoint; `low` takes the call and, replying, waits on the first endpoint with the
    // new reply object.
    lockstepStep(&checker, EventGenerator.yieldEvent)
    #expect(checker.currentThreads == inEveryLayer(T.second))
    lockstepStep(&checker, receiveEvent(Self.ntfn))
    lockstepStep(&checker, sendEvent(ep2, label: 1, [], syscall: .call))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    lockstepStep(&checker, receiveEvent(ep2, syscall: .recv, reply: S.cptr(root: Self.reply2Slot)))
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: S.cptr(root: Self.reply2Slot)))
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
    // `low` made passive; `main` calls it and `low` runs on `main`'s scheduling context.
    lockstepStep(&checker, cnodeDelete(.root(T.lowSCSlot)))
    lockstepStep(&checker, sendEvent(Self.ep, label: 2, [], syscall: .call))
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(S.schedContext))
    #expect(stack(checker, S.schedContext) == inEveryLayer([reply2]))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    // `low` wakes `second`, which calls while `low` is not waiting: it is queued.
    lockstepStep(&checker, sendEvent(Self.ntfn))
    #expect(checker.currentThreads == inEveryLayer(T.second))
    lockstepStep(&checker, sendEvent(Self.ep, label: 5, [6], syscall: .call))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    // `low` replies to `main` (its scheduling context goes back) and takes `second`'s call.
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: S.cptr(root: Self.reply2Slot)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(S.schedContext))
    #expect(stack(checker, S.schedContext) == inEveryLayer([]))
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(T.secondSC))
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(nil))
    #expect(stack(checker, T.secondSC) == inEveryLayer([reply2]))
    #expect(replySC(checker, reply2) == T.secondSC)
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
  }

  /// Both servers passive, waiting on the first endpoint (`main` with the sample's reply object,
  /// `low` with a second one); `second` calls `main`, which calls `low`: a call stack of two on
  /// `second`'s scheduling context, which `low` runs on. Set up as in the test above, then
  /// `main` waits too.
  func nestedCall() -> (checker: LockstepChecker, reply2: ObjectRef) {
    var checker = LockstepChecker(plan: .sample)
    lockstepStep(&checker, retype(10, .reply, offset: Self.reply2Slot))
    lockstepStep(&checker, retype(10, .endpoint, offset: Self.ep2Slot))
    let reply2 = object(checker, root: Self.reply2Slot) ?? 0
    let ep2 = S.cptr(root: Self.ep2Slot)
    let reply2Cptr = S.cptr(root: Self.reply2Slot)
    // `main` waits on the first endpoint; `second` calls `low` through the second endpoint.
    lockstepStep(&checker, receiveEvent(Self.ep, syscall: .recv, reply: Self.reply))
    #expect(checker.currentThreads == inEveryLayer(T.second))
    lockstepStep(&checker, sendEvent(ep2, label: 1, [], syscall: .call))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    lockstepStep(&checker, receiveEvent(ep2, syscall: .recv, reply: reply2Cptr))
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: reply2Cptr))
    #expect(checker.currentThreads == inEveryLayer(T.second))
    // Both servers made passive.
    lockstepStep(&checker, cnodeDelete(.root(6)))
    lockstepStep(&checker, cnodeDelete(.root(T.lowSCSlot)))
    lockstepStep(&checker, sendEvent(Self.ep, label: 2, [], syscall: .call))
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
    lockstepStep(&checker, sendEvent(Self.ep, label: 3, [], syscall: .call))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(T.secondSC))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(nil))
    #expect(stack(checker, T.secondSC) == inEveryLayer([reply2, S.reply]))
    #expect(replySC(checker, reply2) == T.secondSC)
    #expect(replySC(checker, S.reply) == nil)
    return (checker, reply2)
  }

  @Test func aCallStackOfTwoUnwindsInOrder() {
    var (checker, reply2) = nestedCall()
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: S.cptr(root: Self.reply2Slot)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(T.secondSC))
    #expect(stack(checker, T.secondSC) == inEveryLayer([S.reply]))
    #expect(replySC(checker, S.reply) == T.secondSC)
    #expect(replySC(checker, reply2) == nil)
    #expect(checker.currentThreads == inEveryLayer(S.mainTCB))
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: Self.reply))
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(T.secondSC))
    #expect(stack(checker, T.secondSC) == inEveryLayer([]))
    #expect(checker.currentThreads == inEveryLayer(T.second))
  }

  /// The reply object at the head deleted (by the running server): popped, the scheduling
  /// context goes back to its caller (`main`), which stops; the one below heads the stack.
  @Test func deletingTheHeadReplyObjectPopsTheStack() {
    var (checker, _) = nestedCall()
    lockstepStep(&checker, cnodeDelete(.root(Self.reply2Slot)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(T.secondSC))
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(nil))
    #expect(checker.threadStateNames(S.mainTCB) == ["inactive", "inactive", "inactive"])
    #expect(stack(checker, T.secondSC) == inEveryLayer([S.reply]))
    #expect(replySC(checker, S.reply) == T.secondSC)
  }

  /// The reply object further down deleted: the stack is cut there, its caller stops, the head
  /// and the server keep the scheduling context.
  @Test func deletingAReplyObjectFurtherDownCutsTheStack() {
    var (checker, reply2) = nestedCall()
    lockstepStep(&checker, cnodeDelete(.root(5)))
    #expect(checker.threadStateNames(T.second) == ["inactive", "inactive", "inactive"])
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(T.secondSC))
    #expect(stack(checker, T.secondSC) == inEveryLayer([reply2]))
    // The head still returns the scheduling context to `main`.
    lockstepStep(&checker, replyRecvEvent(Self.ep, reply: S.cptr(root: Self.reply2Slot)))
    #expect(checker.schedContextOfThread(S.mainTCB) == inEveryLayer(T.secondSC))
    #expect(stack(checker, T.secondSC) == inEveryLayer([]))
  }

  /// The middle server (`main`, BlockedOnReply at the head) deleted: `reply_remove_tcb` cuts the
  /// stack at its reply, giving nothing back; `low` keeps running on the scheduling context.
  @Test func deletingACallerMidCallCutsTheStackAtItsReply() {
    var (checker, _) = nestedCall()
    lockstepStep(&checker, cnodeDelete(.root(1)))
    #expect(checker.abstract.tcb(at: S.mainTCB) == nil)
    #expect(stack(checker, T.secondSC) == inEveryLayer([]))
    #expect(checker.schedContextOfThread(T.low) == inEveryLayer(T.secondSC))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    // `second` still waits on the sample's reply object, now on no stack.
    #expect(checker.threadStateNames(T.second)[2] == "blockedOnReply")
  }

  /// The server running on a donated scheduling context deleted: the scheduling context is
  /// unbound and keeps its call stack; the reply gives it back to the caller.
  @Test func deletingTheServerLeavesTheStackForTheReply() {
    var checker = passiveServerCalled()
    // `main` deletes its own TCB; `low` runs.
    lockstepStep(&checker, cnodeDelete(.root(1)))
    #expect(checker.threadOfSchedContext(T.secondSC) == inEveryLayer(nil))
    #expect(stack(checker, T.secondSC) == inEveryLayer([S.reply]))
    #expect(checker.currentThreads == inEveryLayer(T.low))
    lockstepStep(&checker, sendEvent(Self.reply, label: 1, []))
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(T.secondSC))
    #expect(stack(checker, T.secondSC) == inEveryLayer([]))
    #expect(checker.currentThreads == inEveryLayer(T.second))
  }

  /// The donated scheduling context deleted mid-call: it lets go of its stack
  /// (`schedContext_unbindReply`); the reply wakes the caller with no scheduling context.
  @Test func deletingTheSchedulingContextMidCallUnbindsItsStack() {
    var checker = passiveServerCalled()
    lockstepStep(&checker, cnodeDelete(.root(T.secondSCSlot)))
    #expect(checker.abstract.schedContext(at: T.secondSC) == nil)
    #expect(replySC(checker, S.reply) == nil)
    #expect(checker.currentThreads == inEveryLayer(T.low))
    lockstepStep(&checker, sendEvent(Self.reply, label: 1, []))
    #expect(checker.threadStateNames(T.second)[2] == "running")
    #expect(checker.schedContextOfThread(T.second) == inEveryLayer(nil))
  }

  /// A kernel whose reply keeps the donated scheduling context with the replier is caught.
  @Test func aReplyThatKeepsTheSchedulingContextIsCaught() {
    var kernel = KernelState(plan: .sample)
    kernel.seams.popReturnsSchedContext = { false }
    var checker = LockstepChecker(plan: .sample, kernel: kernel)
    #expect(checker.step(receiveEvent(Self.ep, syscall: .recv, reply: Self.reply)).failure == nil)
    #expect(checker.step(cnodeDelete(.root(6))).failure == nil)
    #expect(checker.step(sendEvent(Self.ep, label: 9, [1], syscall: .call)).failure == nil)
    #expect(checker.step(replyRecvEvent(Self.ep, reply: Self.reply, label: 4, [7])).failure != nil)
  }

  // MARK: - sym_refs, SC ⇄ reply: each layer's check fails on a broken link

  @Test func aBrokenCallStackLinkBreaksSymRefsInEveryLayer() {
    let checker = passiveServerCalled()
    // Abstract: the stack's head no longer names the scheduling context.
    var abstract = checker.abstract
    #expect(!abstract.invariantViolations().contains { $0.conjunct == "sc_replies" })
    abstract.kheap[S.reply] = .reply(AbstractSpec.Reply(tcb: T.second, sc: nil))
    #expect(abstract.invariantViolations().contains { $0.invariant == "sym_refs" && $0.conjunct == "sc_replies" })
    // Executable spec: the scheduling context's `scReply` dropped, the reply still heads it.
    var exec = checker.exec
    #expect(!exec.invariantViolations().contains { $0.conjunct == "sc_replies'" })
    exec.ksPSpace[T.secondSC] = .schedContext(
      ExecutableSpec.SchedContext(sizeBits: 8, tcb: S.mainTCB, refillMax: 2, scReply: nil))
    #expect(exec.invariantViolations().contains { $0.invariant == "sym_refs'" && $0.conjunct == "sc_replies'" })
    // Kernel: the reply's head link without isHead.
    var kernel = checker.kernel
    #expect(!kernel.invariantViolations().contains { $0.conjunct == "sc_replies'" })
    kernel.memory.store(S.reply &+ ObjectLayout.replyNext, ObjectLayout.packCallStack(ptr: T.secondSC, isHead: 0))
    #expect(kernel.invariantViolations().contains { $0.invariant == "sym_refs'" && $0.conjunct == "sc_replies'" })
  }

  // MARK: - valid_replies: a reply left on a call stack with no caller waiting on it

  /// l4v-rt `valid_replies_2`: every reply on a scheduling context's call stack has a caller
  /// BlockedOnReply on it. Planted in each layer after a donated Call: the caller no longer waits
  /// and the reply no longer names it (so `sym_refs` still holds both ways), but the reply stays
  /// on the stack. Each layer's table, and the full and incremental checks alike, catch it.
  @Test func aReplyLeftOnACallStackWithoutItsCallerBreaksValidReplies() {
    let checker = passiveServerCalled()
    let event = sendEvent(Self.ep, label: 9, [1, 2], syscall: .call)
    var corrupted: [(String, LockstepChecker)] = []
    var abstract = checker
    if case .tcb(var tcb)? = abstract.abstract.kheap[T.second] {
      tcb.state = .inactive
      abstract.abstract.kheap[T.second] = .tcb(tcb)
    }
    if case .reply(var reply)? = abstract.abstract.kheap[S.reply] {
      reply.tcb = nil
      abstract.abstract.kheap[S.reply] = .reply(reply)
    }
    #expect(abstract.abstract.validReplies().contains { $0.explanation.contains("no thread is BlockedOnReply") })
    #expect(abstract.abstract.symRefsReplies().isEmpty)
    corrupted.append(("AbstractSpec", abstract))
    var exec = checker
    if case .tcb(var tcb)? = exec.exec.ksPSpace[T.second] {
      tcb.state = .inactive
      exec.exec.ksPSpace[T.second] = .tcb(tcb)
    }
    if case .reply(var reply)? = exec.exec.ksPSpace[S.reply] {
      reply.replyTCB = nil
      exec.exec.ksPSpace[S.reply] = .reply(reply)
    }
    #expect(exec.exec.validReplies().contains { $0.explanation.contains("no thread is BlockedOnReply") })
    #expect(exec.exec.symRefsReplies().isEmpty)
    corrupted.append(("ExecutableSpec", exec))
    var kernel = checker
    kernel.kernel.store(T.second &+ ObjectLayout.tcbBlockingReplyObject, 0)
    kernel.kernel.store(T.second &+ ObjectLayout.tcbState, KernelThreadState.inactive.rawValue)
    kernel.kernel.store(S.reply &+ ObjectLayout.replyTCB, 0)
    #expect(
      kernel.kernel.invariantViolations().contains {
        $0.invariant == "valid_replies'" && $0.explanation.contains("no thread is BlockedOnReply")
      })
    corrupted.append(("Kernel", kernel))
    for (layer, broken) in corrupted {
      var invariantsOnly = broken
      invariantsOnly.checksRelations = false
      var incremental = invariantsOnly
      let full = invariantsOnly.checkFull(event: event)
      #expect(
        full?.layer == layer && (full?.name ?? "").hasPrefix("valid_replies"), "\(layer): \(String(describing: full))")
      #expect(incremental.checkIncremental(event: event) == full, "\(layer)")
    }
    var intact = checker
    intact.checksRelations = false
    #expect(intact.checkFull(event: event) == nil)
  }
}

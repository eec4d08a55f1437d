// The symbolic twin's notification operations and object conjuncts agree with AbstractSpec
// (differential): from states built on the sample system, with two of its threads, the idle thread
// and one notification set to every mix of waiters, bindings and states the twin holds, Signal,
// Wait, Poll, BindNotification, UnbindNotification and Suspend leave the same threads and notification in
// both layers, and each object conjunct's twin verdict is the abstract invariant table's, on clean
// and on corrupted states. The tested half of the notification obligations
// (docs/abstract-proofs.md, "Objects").

import KernelABI
import Refinement
import SymbolicSpec
import Testing

@testable import AbstractSpec

@Suite struct TwinNotificationAgreementTests {
  /// The sample system's objects the tests set: two threads bound to nothing and named by no
  /// notification, and a notification with no bound thread and no scheduling context.
  struct Objects {
    let base: AbstractState
    let t0: ObjectRef
    let t1: ObjectRef
    let ntfn: ObjectRef
    var threadRefs: [ObjectRef] { [t0, t1, KernelConstants.idleThreadPtr] }
  }

  static func objects() throws -> Objects {
    let base = AbstractState(plan: .sample)
    let bound = Set(base.kheap.values.compactMap { if case .notification(let n) = $0 { n.boundTCB } else { nil } })
    let threads = base.kheap.keys.sorted().filter { address in
      guard let tcb = base.tcb(at: address), address != KernelConstants.idleThreadPtr else { return false }
      return tcb.boundNotification == nil && !bound.contains(address)
    }
    let ntfn = try #require(
      base.kheap.keys.sorted().first { base.notification(at: $0).map { $0.boundTCB == nil && $0.sc == nil } ?? false })
    #expect(threads.count >= 2)
    return Objects(base: base, t0: threads[0], t1: threads[1], ntfn: ntfn)
  }

  /// A state of `objects.base` with the threads and the notification set by `choices`: a
  /// notification Idle, Active or Waiting (one or two waiters, either order), threads blocked on it
  /// (usually where queued), Running, Inactive or Restart, bindings both-sided or (rarely) one-sided,
  /// priorities 1 or 2, and any badge registers.
  static func configure(_ objects: Objects, _ choices: inout TwinAgreementTests.Choices) -> AbstractState {
    var state = objects.base
    let (t0, t1, n) = (objects.t0, objects.t1, objects.ntfn)
    let queues: [[ObjectRef]] = [[t0], [t1], [t0, t1], [t1, t0]]
    var queue: [ObjectRef] = []
    state.updateNotification(n) { ntfn in
      switch choices.next(3) {
      case 0: ntfn.state = .idle
      case 1: ntfn.state = .active(UInt64(choices.next(4)))
      default:
        queue = queues[choices.next(queues.count)]
        ntfn.state = .waiting(queue)
      }
    }
    for t in [t0, t1] {
      state.updateTCB(t) { tcb in
        tcb.priority = UInt64(1 + choices.next(2))
        tcb.context.badgeRegister = UInt64(choices.next(8))
        if queue.contains(t) && choices.next(8) != 0 {
          tcb.state = .blockedOnNotification(n)
        } else {
          tcb.state = [.running, .inactive, .restart, .blockedOnNotification(n)][choices.next(4)]
        }
      }
    }
    switch choices.next(6) {
    case 0, 1:
      let t = [t0, t1][choices.next(2)]
      state.updateNotification(n) { $0.boundTCB = t }
      state.updateTCB(t) { $0.boundNotification = n }
    case 2:
      state.updateNotification(n) { $0.boundTCB = t1 }
    case 3:
      state.updateTCB(t0) { $0.boundNotification = n }
    default: break
    }
    return state
  }

  /// The twin of `state` (all its slots, and `objects`' threads and notification) in `domain`.
  static func twin<D: SpecDomain>(_ state: AbstractState, _ objects: Objects, _ domain: D) throws -> TwinState<D>
  where D.Word == UInt64 {
    var twin = TwinState(importing: state, domain: domain)
    let imported = twin.importObjects(from: state, threadRefs: objects.threadRefs, notificationRefs: [objects.ntfn])
    #expect(imported)
    return twin
  }

  /// Where the twin's objects differ from the projection of `abstract`'s.
  static func differences<D: SpecDomain>(_ abstract: AbstractState, _ twin: TwinState<D>, _ objects: Objects)
    -> [String]
  where D.Word == UInt64 {
    var projected = TwinState(domain: twin.domain, slotRefs: [], slots: [])
    guard projected.importObjects(from: abstract, threadRefs: objects.threadRefs, notificationRefs: [objects.ntfn])
    else { return ["AbstractSpec's notification queues more than two threads"] }
    var found: [String] = []
    for k in twin.threads.indices where twin.threads[k] != projected.threads[k] {
      found.append("thread \(k): AbstractSpec \(projected.threads[k]), twin \(twin.threads[k])")
    }
    if twin.notifications != projected.notifications {
      found.append("notification: AbstractSpec \(projected.notifications), twin \(twin.notifications)")
    }
    return found
  }

  /// Each operation on both layers from `count` configured states, the twin with `mutant`
  /// planted; returns how many runs were compared and how many of them differed.
  func runOperations<D: SpecDomain>(_ domain: D, count: Int, mutant: TwinObjectMutant? = nil) throws -> (
    compared: Int, differing: Int
  ) where D.Word == UInt64 {
    let objects = try Self.objects()
    var choices = TwinAgreementTests.Choices(state: 16)
    var compared = 0
    var differing = 0
    for _ in 0..<count {
      let pre = Self.configure(objects, &choices)
      let badge = UInt64(1 << choices.next(4))
      let runs: [(String, (inout AbstractState) -> Void, (inout TwinState<D>) -> Void)] =
        [
          (
            "signal", { (a: inout AbstractState) in a.sendSignal(objects.ntfn, badge) },
            { (s: inout TwinState<D>) in s.sendSignal(objects.ntfn, badge) }
          )
        ]
        + [objects.t0, objects.t1].flatMap { t in
          [
            (
              "wait \(t)", { (a: inout AbstractState) in a.receiveSignal(t, objects.ntfn, isBlocking: true) },
              { (s: inout TwinState<D>) in s.receiveSignal(t, objects.ntfn, isBlocking: true) }
            ),
            (
              "poll \(t)", { (a: inout AbstractState) in a.receiveSignal(t, objects.ntfn, isBlocking: false) },
              { (s: inout TwinState<D>) in s.receiveSignal(t, objects.ntfn, isBlocking: false) }
            ),
            (
              "bind \(t)", { (a: inout AbstractState) in a.bindNotification(t, objects.ntfn) },
              { (s: inout TwinState<D>) in s.bindNotification(t, objects.ntfn) }
            ),
            (
              "unbind \(t)", { (a: inout AbstractState) in a.unbindNotification(t) },
              { (s: inout TwinState<D>) in s.unbindNotification(t) }
            ),
            (
              "suspend \(t)", { (a: inout AbstractState) in a.suspend(t) },
              { (s: inout TwinState<D>) in s.suspend(t) }
            ),
          ]
        }
      for (what, abstractRun, twinRun) in runs {
        var abstract = pre
        abstractRun(&abstract)
        var twin = try Self.twin(pre, objects, domain)
        twin.plant(mutant)
        twinRun(&twin)
        // A third waiter (a thread queued twice): outside the twin, which says so.
        if twin.objectBoundReached { continue }
        let found = Self.differences(abstract, twin, objects)
        if mutant == nil { #expect(found.isEmpty, "\(what): \(found)") }
        compared += 1
        if !found.isEmpty { differing += 1 }
      }
    }
    return (compared, differing)
  }

  @Test func operationsAgreeOnConfiguredStates() throws {
    let concrete = try runOperations(Concrete(), count: 150)
    #expect(concrete.compared >= 1_500 && concrete.differing == 0)
    let opaque = try runOperations(Opaque(), count: 60)
    #expect(opaque.compared >= 600 && opaque.differing == 0)
  }

  /// The comparison can fail: each planted slip shows as a difference from AbstractSpec.
  @Test(arguments: TwinObjectMutant.allCases)
  func slipsDiffer(_ mutant: TwinObjectMutant) throws {
    #expect(try runOperations(Concrete(), count: 60, mutant: mutant).differing >= 1)
  }

  /// The twin's verdict on each object conjunct is the table's, on configured states (valid or
  /// not) and on states with the notification's and the second thread's caps deleted (for
  /// `if_live_then_nonz_cap`), the idle thread running (`valid_idle`), or the second thread in
  /// IdleThreadState (`only_idle`); every conjunct is seen both ways.
  @Test func objectConjunctVerdictsAreTheTables() throws {
    let objects = try Self.objects()
    var choices = TwinAgreementTests.Choices(state: 61)
    var broken: [String: Int] = [:]
    var held: [String: Int] = [:]
    let names = TwinState<Concrete>.objectConjuncts.map(\.name)
    for n in 0..<120 {
      let state = Self.configure(objects, &choices)
      var variants = [("configured", state)]
      var capless = state
      for (slot, cap) in state.capsOfState where [objects.ntfn, objects.t1].contains(AbstractState.zobjRef(cap)) {
        capless.setCap(slot, .null)
      }
      variants.append(("caps deleted", capless))
      var idleRuns = state
      idleRuns.updateTCB(KernelConstants.idleThreadPtr) { $0.state = .running }
      variants.append(("idle thread running", idleRuns))
      var secondIdle = state
      secondIdle.updateTCB(objects.t1) { $0.state = .idleThreadState }
      variants.append(("second thread idle", secondIdle))
      for (what, variant) in variants {
        let violated = Set(variant.invariantViolations().map(\.conjunct)).intersection(names)
        for domainName in ["Concrete", "Opaque"] {
          let verdicts: [(String, Bool)]
          if domainName == "Concrete" {
            let twin = try Self.twin(variant, objects, Concrete())
            verdicts = TwinState<Concrete>.objectConjuncts.map { ($0.name, $0.holds(twin)) }
          } else {
            let twin = try Self.twin(variant, objects, Opaque())
            verdicts = TwinState<Opaque>.objectConjuncts.map { ($0.name, $0.holds(twin)) }
          }
          for (name, holds) in verdicts {
            #expect(holds == !violated.contains(name), "state \(n), \(what), \(domainName): \(name) twin \(holds)")
          }
        }
        for name in names {
          if violated.contains(name) { broken[name, default: 0] += 1 } else { held[name, default: 0] += 1 }
        }
      }
    }
    for name in names {
      #expect(broken[name, default: 0] >= 1, "\(name) never broken: \(broken)")
      #expect(held[name, default: 0] >= 1, "\(name) never holds: \(held)")
    }
  }
}

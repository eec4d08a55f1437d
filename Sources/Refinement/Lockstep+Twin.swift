// The symbolic twin as the lockstep checker's fourth layer.
//
// The proofs `abstract.<op>.preserves.<conjunct>` are about the twin (`SymbolicSpec`), not about
// AbstractSpec; they say something about AbstractSpec only as far as the twin computes what
// AbstractSpec computes. So the checker runs the twin (on `UInt64`, the `Concrete` domain) beside
// the other three layers on every step:
// - an event the twin covers (a Send, NBSend or Call invoking a CNode cap with Copy, Mint, Move,
//   Mutate, Rotate, Delete of a cap that is not the last to its object, or a label that fails to
//   decode) is stepped by the twin from its own state, and its post-state is compared with
//   AbstractSpec's (`twin_relation`) on every slot either side changed: the cap, the tree parent
//   and the original flag; for a Call, the answer the twin computed (an error or success) is
//   compared with the message-info word AbstractSpec wrote to the caller. A difference is a
//   `LockstepFailure` of kind `twin`.
// - after any other event the twin is brought up to date from AbstractSpec (a resync): only the
//   slots AbstractSpec's logs say were written (`slotLog`, the tree's and the flags' logs, the
//   objects replaced whole), or everything when a log overflowed.
// The run counts both, and the trust report says "proved on the symbolic twin, twin agrees with
// AbstractSpec on N steps (tested)" with N the covered steps.

public import AbstractSpec
import KernelABI
public import SymbolicSpec

/// The twin's state in the checker, with what it has done.
public struct TwinLayer: @unchecked Sendable {
  // (@unchecked: `TwinState` carries the seams' closures, which are nil in every real use and
  // otherwise pure functions of their arguments, set once when a test plants a mutant.)

  /// The twin of the abstract state (its CSpace and derivation tree).
  public internal(set) var state: TwinState<Concrete>
  /// Events the twin stepped and compared.
  public internal(set) var steps = 0
  /// Events it did not cover, after which it was brought up to date from AbstractSpec.
  public internal(set) var resyncs = 0
  /// Of the resyncs, those that re-imported every slot (a log had overflowed).
  public internal(set) var fullResyncs = 0
  /// Tests only: the twin slip planted in the twin (kept across re-imports).
  public internal(set) var mutant: TwinMutant?
  /// Tests only: the invocation slip planted in the twin (kept across re-imports).
  public internal(set) var eventMutant: TwinEventMutant?
  /// The objects the twin holds slots of, and how many of `state`'s slots that counts.
  var containers: Set<ObjectRef> = []
  var containersCounted = 0

  /// The twin of `abstract`, with `mutant` planted (tests only).
  public init(importing abstract: AbstractState, mutant: TwinMutant? = nil) {
    state = TwinState(importing: abstract)
    self.mutant = mutant
    state.plant(mutant)
    countContainers()
  }

  /// The twin of `abstract`, with the invocation slip `eventMutant` planted (tests only).
  public init(importing abstract: AbstractState, eventMutant: TwinEventMutant?) {
    self.init(importing: abstract)
    self.eventMutant = eventMutant
    state.plant(eventMutant)
  }

  /// Bring `containers` up to date with the slots `state` gained.
  mutating func countContainers() {
    let refs = state.slotRefs
    guard containersCounted < refs.count else { return }
    for k in containersCounted..<refs.count { containers.insert(refs[k].container) }
    containersCounted = refs.count
  }

  /// What the twin computed for a covered event, before it is compared.
  struct Run {
    var post: TwinState<Concrete>
    var outcome: TwinInvocationOutcome<UInt64>
    var thread: ObjectRef
    var isCall: Bool
  }

  /// Step the twin's state through `event`, made in `abstract` (the state before the event); nil
  /// when the event is not one the twin covers (nor one the budget refuses at the kernel entry,
  /// `budgetCoversEntry`: the twin knows no time). The abstract state only says which thread calls
  /// and whether the cap it invokes is a CNode cap; the twin looks everything up itself.
  func run(_ event: Event, in abstract: AbstractState) -> Run? {
    guard case .syscall(let call, let arguments) = event, call == .send || call == .nbSend || call == .call,
      !abstract.isIdle(abstract.currentThread), abstract.budgetCoversEntry(),
      case .cnode? = try? abstract.lookupCap(abstract.currentThread, arguments.capRegister).cap
    else { return nil }
    let info = arguments.info
    let registers = (0..<Int(info.length)).map {
      $0 < arguments.messageRegisters.count ? arguments.messageRegisters[$0] : 0
    }
    let extraCaps = (0..<Int(info.extraCaps)).map { $0 < arguments.extraCaps.count ? arguments.extraCaps[$0] : 0 }
    var post = state
    let outcome = post.handleInvocation(
      abstract.currentThread, capRegister: arguments.capRegister, label: info.label, registers: registers,
      extraCapPointers: extraCaps)
    if case .uncovered = outcome { return nil }
    return Run(post: post, outcome: outcome, thread: abstract.currentThread, isCall: call == .call)
  }

  /// After a covered event: take the twin's post-state and compare it with `abstract`'s (the
  /// state after the event, its logs not yet cleared). Returns the differences (empty: agreed).
  mutating func finish(_ run: Run, against abstract: AbstractState) -> [String] {
    steps += 1
    let before = state
    state = run.post
    var differences: [String] = []
    // The slots either side wrote: AbstractSpec's logs, and the twin's changed or added slots.
    var touched = Set<SlotRef>()
    if let logged = loggedSlots(abstract, twin: before) {
      touched = logged
    } else {
      touched.formUnion(TwinState(importing: abstract).slotRefs)
      touched.formUnion(state.slotRefs)
    }
    for k in state.slots.indices where k >= before.slots.count || state.slots[k] != before.slots[k] {
      touched.insert(state.slotRefs[k])
    }
    for slot in touched.sorted() {
      if let difference = Self.difference(at: slot, abstract, state) { differences.append(difference) }
    }
    // The caller's answer: a Call is answered with the error, or with an empty success.
    if run.isCall, let tcb = abstract.tcb(at: run.thread) {
      let expected: ReplyMessage
      switch run.outcome {
      case .failed(let error): expected = ReplyMessage(error: error.concrete)
      case .done, .uncovered: expected = .success
      }
      if tcb.context.msgInfoRegister != expected.info.word {
        differences.append(
          "the caller's answer: AbstractSpec's message info \(MessageInfo(word: tcb.context.msgInfoRegister)), the twin's \(expected)"
        )
      }
    }
    if !differences.isEmpty { reimport(abstract) }
    countContainers()
    return differences
  }

  /// After an event the twin does not cover: bring the twin up to date from `abstract` (the state
  /// after the event, its logs not yet cleared), slot by slot where the logs say what was
  /// written, wholly otherwise.
  mutating func resync(_ abstract: AbstractState) {
    resyncs += 1
    guard let touched = loggedSlots(abstract, twin: state) else {
      fullResyncs += 1
      reimport(abstract)
      return
    }
    for slot in touched { refresh(slot, from: abstract) }
    countContainers()
  }

  /// Import the whole twin state from `abstract` again (with the planted mutant, if any).
  mutating func reimport(_ abstract: AbstractState) {
    state = TwinState(importing: abstract)
    state.plant(mutant)
    if let eventMutant { state.plant(eventMutant) }
    (containers, containersCounted) = ([], 0)
    countContainers()
  }

  /// Make the twin's slot `slot` what `abstract` has there (adding it, and its parent, if the twin
  /// does not hold them).
  mutating func refresh(_ slot: SlotRef, from abstract: AbstractState) {
    var parent = noSlot
    if let linked = abstract.cdt[slot] { parent = state.slot(linked.container, linked.index) }
    let original: UInt64 = abstract.isOriginalCap.contains(slot) ? 1 : 0
    let cap = TwinCap(abstract.getCap(slot))
    let id = state.slot(slot.container, slot.index)
    state.update(id) { $0 = TwinSlot(cap: cap, parent: parent, original: original) }
  }

  /// The slots `abstract`'s logs say were written since they were last cleared: by `setCap`, in
  /// the tree, in the original flags, and every slot of an object replaced whole (those `twin`
  /// holds, and those the new object has); nil when a log overflowed. (Objects without slots, as
  /// endpoints and notifications, are replaced whole on most IPC steps: they cost a set lookup.)
  func loggedSlots(_ abstract: AbstractState, twin: TwinState<Concrete>) -> Set<SlotRef>? {
    let (slotLog, replaced) = (abstract.slotLog, abstract.kheap.replaced)
    let (treeLog, flagLog) = (abstract.cdt.log, abstract.isOriginalCap.log)
    guard slotLog.isComplete, replaced.isComplete, treeLog.isComplete, flagLog.isComplete else { return nil }
    var touched = Set<SlotRef>()
    for slot in slotLog.keys { touched.insert(slot) }
    for slot in treeLog.keys { touched.insert(slot) }
    for slot in flagLog.keys { touched.insert(slot) }
    var heldReplaced = false
    for address in replaced.keys {
      if containers.contains(address) { heldReplaced = true }
      guard let slots = abstract.kheap[address]?.capSlots else { continue }
      for (index, _) in slots { touched.insert(SlotRef(address, index)) }
    }
    if heldReplaced {
      for slot in twin.slotRefs where replaced.contains(slot.container) { touched.insert(slot) }
    }
    return touched
  }

  /// How `twin`'s slot `slot` differs from `abstract`'s (nil: the same cap, parent and flag). A
  /// slot the twin does not hold is empty, unlinked and not original.
  static func difference(at slot: SlotRef, _ abstract: AbstractState, _ twin: TwinState<Concrete>) -> String? {
    let cap = abstract.getCap(slot)
    let parent = abstract.cdt[slot]
    let original = abstract.isOriginalCap.contains(slot)
    var twinCap = Capability.null
    var twinParent: SlotRef?
    var twinOriginal = false
    if let k = twin.slotIDs[slot] {
      let held = twin.slots[k]
      twinCap = held.cap.capability ?? .null
      twinParent = held.parent < UInt64(twin.slotRefs.count) ? twin.slotRefs[Int(held.parent)] : nil
      twinOriginal = held.original != 0
      guard TwinCap(cap) == held.cap, parent == twinParent, original == twinOriginal else {
        return "\(slot): AbstractSpec \(cap), parent \(parent.map { "\($0)" } ?? "none"), original \(original); "
          + "twin \(twinCap) (words \(held.cap)), parent \(twinParent.map { "\($0)" } ?? "none"), original \(twinOriginal)"
      }
      return nil
    }
    guard cap.isNull, parent == nil, !original else {
      return "\(slot): AbstractSpec \(cap), parent \(parent.map { "\($0)" } ?? "none"), original \(original); "
        + "not a slot of the twin"
    }
    return nil
  }
}

extension LockstepChecker {
  /// The twin's part of a step: `run` is what `TwinLayer.run` computed on the state before
  /// `event` (nil: not covered). Compares after a covered event, resyncs after any other; a
  /// difference is the failure returned.
  mutating func stepTwin(_ run: TwinLayer.Run?, _ event: Event) -> LockstepFailure? {
    guard var layer = twin.take() else { return nil }
    defer { twin = layer }
    guard let run else {
      layer.resync(abstract)
      return nil
    }
    let differences = layer.finish(run, against: abstract)
    guard let first = differences.first else { return nil }
    return LockstepFailure(
      step: steps, event: event, kind: .twin, layer: "SymbolicSpec", name: "twin_relation",
      explanation: "the symbolic twin computed a different CSpace or answer than AbstractSpec: " + first
        + (differences.count > 1 ? " (and \(differences.count - 1) more)" : ""),
      diff: differences.count > 1 ? differences.joined(separator: "\n") : nil)
  }
}

// The twin's seams, and the mutants a proof test plants through them: the twin of
// `AbstractSpec/PlantedBugs.swift`. A seam is one step of the twin's code a test may replace; it is
// nil (the twin's code) in every real use. Each `TwinMutant` is a realistic slip in the derivation
// tree's bookkeeping, and names the obligation that must catch it
// (`Tests/RefinementTests/AbstractObligationTests.swift`). Each `TwinEventMutant` is a slip in a
// whole CNode invocation (its decoder or the operation it performs), named by the event obligation
// that must catch it and mirrored by an `AbstractSlip` of the same name in the abstract spec, so
// that the refutation's scenario replays the slip on AbstractSpec
// (`Tests/RefinementTests/CounterexampleTests.swift`). A mutant is a value planted in one state's
// seams, never global: only the state a test plants it in runs it.

import Bitwise
import KernelABI

/// A deliberate slip in the twin's CDT code.
public enum TwinMutant: String, CaseIterable, Sendable {
  /// `cap_insert` never marks the new cap original (`is_cap_revocable` always false).
  case insertForgetsOriginal
  /// `cap_move` moves the cap but leaves the tree and the flags where they were.
  case moveKeepsTree
  /// The rename behind `cap_swap` maps `a` to `b` but not `b` to `a`.
  case swapRenamesOneWay
  /// `cap_swap` trades the slots' places in the tree but not their original flags.
  case swapDropsOriginals
  /// `empty_slot` takes the slot out of the tree but leaves it marked original.
  case emptySlotKeepsOriginal
  /// `empty_slot` forgets to hand the slot's children to its parent.
  case emptySlotOrphansChildren
  /// `set_untyped_cap_as_full` sets the watermark to the region's end address (base + size) where
  /// the cap keeps an offset from the base: the source's free index then lies past its region.
  case insertMarksFullAtEndAddress
  /// `cap_swap` without a temporary: it writes the second cap into the first slot, then copies the
  /// first slot (now the second cap) into the second, so the first cap is lost.
  case swapRereadsFirstSlot

  /// The obligation this mutant must turn `refuted`.
  public var refutes: String {
    switch self {
    case .insertForgetsOriginal: "abstract.cteInsert.preserves.ut_revocable"
    case .moveKeepsTree: "abstract.cteMove.preserves.mdb_cte_at"
    case .swapRenamesOneWay: "abstract.cteSwap.preserves.no_mloop"
    case .swapDropsOriginals: "abstract.cteSwap.preserves.irq_revocable"
    case .emptySlotKeepsOriginal: "abstract.emptySlot.preserves.valid_ioc"
    case .emptySlotOrphansChildren: "abstract.emptySlot.preserves.mdb_cte_at"
    case .insertMarksFullAtEndAddress: "abstract.cteInsert.preserves.valid_caps"
    case .swapRereadsFirstSlot: "abstract.cteSwap.preserves.if_unsafe_then_cap"
    }
  }
}

/// A deliberate slip in one CNode invocation of the twin (decoder or operation), caught by an event
/// obligation `abstract.<event>.preserves.<conjunct>`.
public enum TwinEventMutant: String, CaseIterable, Sendable {
  /// CNode_Copy skips `ensure_empty`: a copy overwrites a full destination, which keeps its place
  /// in the tree.
  case copySkipsEnsureEmpty
  /// CNode_Mint skips `derive_cap`, so the IRQControl cap is minted (as a non-original copy).
  case mintSkipsDeriveCap
  /// `cap_move` fills the destination but leaves the source's cap where it was.
  case moveKeepsSource
  /// CNode_Mutate skips the Null check of `update_cap_data`'s result and moves a Null cap.
  case mutateSkipsNullCheck
  /// CNode_Rotate makes its two moves in the wrong order: the source onto the (full) pivot first.
  case rotateMovesSourceFirst
  /// CNode_Delete of a non-final cap empties the slot but leaves its CDT links and flag.
  case deleteKeepsCDTLink
  /// CNode_Copy inserts into the slot after the destination (an off-by-one slot id): it writes a
  /// slot the invocation does not name. Caught by integrity; no `AbstractSlip` mirrors it.
  case copyWritesNextSlot
  /// CNode_Mint unites the cap's rights with the mask instead of intersecting them: the minted
  /// endpoint cap can hold rights no cap had. Caught by authority confinement; no `AbstractSlip`.
  case mintUnitesRights

  /// The slips that break an invariant conjunct, each mirrored by an `AbstractSlip` of the same
  /// name so that its refutation replays as a scenario (`RefutationScenarioTests`).
  public static var invariantSlips: [TwinEventMutant] { allCases.filter { !$0.isAuthoritySlip } }

  /// True for the slips that write outside the invoker's authority (caught by
  /// `abstract.<event>.integrity` or `.authorityConfinement`; no scenario writer yet).
  public var isAuthoritySlip: Bool { self == .copyWritesNextSlot || self == .mintUnitesRights }

  /// The event obligation this mutant must turn `refuted`.
  public var refutes: String {
    switch self {
    case .copyWritesNextSlot: "abstract.copy.integrity"
    case .mintUnitesRights: "abstract.mint.authorityConfinement"
    case .copySkipsEnsureEmpty: "abstract.copy.preserves.no_mloop"
    case .mintSkipsDeriveCap: "abstract.mint.preserves.irq_revocable"
    case .moveKeepsSource: "abstract.move.preserves.ut_revocable"
    case .mutateSkipsNullCheck: "abstract.mutate.preserves.valid_ioc"
    case .rotateMovesSourceFirst: "abstract.rotate.preserves.mdb_cte_at"
    case .deleteKeepsCDTLink: "abstract.delete.preserves.mdb_cte_at"
    }
  }

  /// Further event obligations the same slip turns `refuted`: a cap overwritten by Copy or by
  /// Rotate's first move can be the only cap naming a CNode whose other slots are filled
  /// (`if_unsafe_then_cap`). The scenario tests replay `refutes` only.
  public var alsoRefutes: [String] {
    switch self {
    case .copySkipsEnsureEmpty: ["abstract.copy.preserves.if_unsafe_then_cap"]
    case .rotateMovesSourceFirst: ["abstract.rotate.preserves.if_unsafe_then_cap"]
    default: []
    }
  }
}

/// A deliberate slip in the twin's notification operations (`Notification.swift`), caught by an
/// obligation `abstract.<event>.preserves.<conjunct>` of `Obligation.abstractNotifications`.
public enum TwinObjectMutant: String, CaseIterable, Sendable {
  /// `send_signal` wakes the first waiter but leaves it in the queue.
  case signalSkipsDequeue
  /// `receive_signal` queues a blocking waiter without setting its state.
  case waitSkipsBlockedState
  /// `receive_signal` queues a polling thread (`isBlocking` ignored), which keeps running.
  case pollQueuesThread
  /// `bind_notification` sets the notification's bound thread but not the thread's notification.
  case bindOneSided
  /// `unbind_notification` clears the notification's bound thread but not the thread's side.
  case unbindForgetsTCBSide
  /// `suspend` makes the thread Inactive without `cancelIPC`: a waiter stays in its queue.
  case suspendSkipsCancelIPC
  /// `tcbEPDequeue` leaves a notification whose last waiter leaves Waiting (with an empty queue),
  /// where seL4 makes it Idle: a Signal to a notification with one waiter leaves it Waiting on no one.
  case dequeueKeepsWaiting
  /// `suspend` writes IdleThreadState where seL4 writes Inactive (the neighbouring constant): a
  /// suspended thread looks like a second idle thread.
  case suspendWritesIdleState

  /// The obligation this mutant must turn `refuted`.
  public var refutes: String {
    switch self {
    case .signalSkipsDequeue: "abstract.signal.preserves.ntfn_queue"
    case .waitSkipsBlockedState: "abstract.wait.preserves.ntfn_queue"
    case .pollQueuesThread: "abstract.poll.preserves.ntfn_queue"
    case .bindOneSided: "abstract.bindNotification.preserves.ntfn_bound"
    case .unbindForgetsTCBSide: "abstract.unbindNotification.preserves.ntfn_bound"
    case .suspendSkipsCancelIPC: "abstract.suspend.preserves.ntfn_queue"
    case .dequeueKeepsWaiting: "abstract.signal.preserves.valid_ntfn"
    case .suspendWritesIdleState: "abstract.suspend.preserves.only_idle"
    }
  }
}

extension TwinState {
  /// The steps of the twin's code a mutant can replace, each nil (the twin's code) unless one is planted.
  public struct Seams {
    /// `is_cap_revocable` in `cteInsert`.
    var isCapRevocable: ((_ newCap: TwinCap<Word>, _ sourceCap: TwinCap<Word>) -> Word.Condition)?
    /// `renameSlots`.
    var renameSlots: ((_ state: inout TwinState, _ a: Word, _ b: Word) -> Void)?
    /// `removeFromTree`.
    var removeFromTree: ((_ state: inout TwinState, _ slot: Word) -> Void)?
    /// The watermark `setUntypedCapAsFull` gives a full untyped cap.
    var fullWatermark: ((_ cap: TwinCap<Word>) -> Word)?
    /// The two cap writes of `cteSwap`.
    var swapCaps:
      ((_ state: inout TwinState, _ cap1: TwinCap<Word>, _ slot1: Word, _ cap2: TwinCap<Word>, _ slot2: Word) -> Void)?
    /// Whether Copy, Mint, Move and Mutate of `label` check that the destination is empty.
    var checksEmptyDestination: ((_ label: InvocationLabel) -> Bool)?
    /// Whether Copy and Mint of `label` call `deriveCap`.
    var derivesCap: ((_ label: InvocationLabel) -> Bool)?
    /// Whether Copy, Mint, Move and Mutate of `label` refuse a Null new cap.
    var refusesNullCap: ((_ label: InvocationLabel) -> Bool)?
    /// `cteMove`.
    var cteMove: ((_ state: inout TwinState, _ newCap: TwinCap<Word>, _ source: Word, _ dest: Word) -> Void)?
    /// Rotate's two moves (when the source is not the destination).
    var rotateMoves:
      (
        (
          _ state: inout TwinState, _ newSource: TwinCap<Word>, _ newPivot: TwinCap<Word>, _ source: Word,
          _ pivot: Word, _ dest: Word
        ) -> Void
      )?
    /// `emptySlot` in `cteDelete`.
    var deleteEmpties: ((_ state: inout TwinState, _ slot: Word) -> Void)?
    /// The slot Copy, Mint, Move and Mutate of `label` fill, given the destination they looked up.
    var destination: ((_ label: InvocationLabel, _ dest: Word) -> Word)?
    /// `maskCapRights` of `cap` with the rights word `rights`, as Copy and Mint of `label` take it.
    var maskRights: ((_ label: InvocationLabel, _ cap: TwinCap<Word>, _ rights: Word) -> TwinCap<Word>)?
    /// The slip planted in the notification operations, if any.
    var objectMutant: TwinObjectMutant?

    /// No seam replaced.
    public init() {}

    /// The seams that plant `mutant` (none for nil).
    public init(planting mutant: TwinMutant?) {
      switch mutant {
      case .insertForgetsOriginal?:
        isCapRevocable = { _, _ in Word.Condition(constant: false) }
      case .moveKeepsTree?:
        renameSlots = { _, _, _ in }
      case .swapRenamesOneWay?:
        renameSlots = { state, a, b in
          func rename(_ s: Word) -> Word { Word.select(s .== a, b, s) }
          let before = state
          for k in state.slots.indices {
            state.slots[k].parent = rename(before.lookup(rename(state.id(k))).parent)
          }
          state.setOriginal(a, before.lookup(b).original .!= 0)
          state.setOriginal(b, before.lookup(a).original .!= 0)
        }
      case .swapDropsOriginals?:
        renameSlots = { state, a, b in
          func rename(_ s: Word) -> Word { Word.select(s .== a, b, Word.select(s .== b, a, s)) }
          let before = state
          for k in state.slots.indices {
            state.slots[k].parent = rename(before.lookup(rename(state.id(k))).parent)
          }
        }
      case .emptySlotKeepsOriginal?:
        removeFromTree = { state, slot in
          let parent = state.lookup(slot).parent
          for k in state.slots.indices {
            state.slots[k].parent = Word.select(state.slots[k].parent .== slot, parent, state.slots[k].parent)
          }
          state.update(slot) { $0.parent = Word(constant: noSlot) }
        }
      case .emptySlotOrphansChildren?:
        removeFromTree = { state, slot in
          state.update(slot) {
            $0.parent = Word(constant: noSlot)
            $0.original = 0
          }
        }
      case .insertMarksFullAtEndAddress?:
        fullWatermark = { $0.ref &+ (1 << $0.w1) }
      case .swapRereadsFirstSlot?:
        swapCaps = { state, _, slot1, cap2, slot2 in
          state.setCap(slot1, cap2)
          state.setCap(slot2, state.getCap(slot1))
        }
      case nil:
        break
      }
    }
  }

  /// Plant `mutant` (nil: the twin's own code).
  public mutating func plant(_ mutant: TwinMutant?) { seams = Seams(planting: mutant) }

  /// Plant the event mutant `mutant` (nil: the twin's own code).
  public mutating func plant(_ mutant: TwinEventMutant?) { seams = Seams(planting: mutant) }

  /// Plant the notification mutant `mutant` (nil: the twin's own code).
  public mutating func plant(_ mutant: TwinObjectMutant?) {
    seams = Seams()
    seams.objectMutant = mutant
  }
}

extension TwinState.Seams {
  /// The seams that plant the event mutant `mutant` (none for nil).
  public init(planting mutant: TwinEventMutant?) {
    self.init()
    switch mutant {
    case .copySkipsEnsureEmpty?:
      checksEmptyDestination = { $0 != .cnodeCopy }
    case .mintSkipsDeriveCap?:
      derivesCap = { $0 != .cnodeMint }
    case .moveKeepsSource?:
      cteMove = { state, newCap, source, dest in
        state.renameSlots(source, dest)
        state.setCap(dest, newCap)
      }
    case .mutateSkipsNullCheck?:
      refusesNullCap = { $0 != .cnodeMutate }
    case .rotateMovesSourceFirst?:
      rotateMoves = { state, newSource, newPivot, source, pivot, dest in
        state.cteMove(newSource, from: source, to: pivot)
        state.cteMove(newPivot, from: pivot, to: dest)
      }
    case .deleteKeepsCDTLink?:
      deleteEmpties = { state, slot in state.setCap(slot, .null) }
    case .copyWritesNextSlot?:
      destination = { label, dest in label == .cnodeCopy ? dest &+ 1 : dest }
    case .mintUnitesRights?:
      maskRights = { label, cap, rights in
        guard label == .cnodeMint else { return cap.maskCapRights(rights) }
        var united = cap
        united.w2 = D.Word.select(
          cap.is(.endpoint), cap.w2 | (rights & D.Word(constant: CapRights.all.rawValue)), cap.w2)
        return united
      }
    case nil:
      break
    }
  }
}

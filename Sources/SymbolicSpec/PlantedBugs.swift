// The twin's seams, and the mutants a proof test plants through them: the twin of
// `AbstractSpec/PlantedBugs.swift`. A seam is one step of the twin's code a test may replace; it is
// nil (the twin's code) in every real use. Each `TwinMutant` is a realistic slip in the derivation
// tree's bookkeeping, and names the obligation that must catch it
// (`Tests/RefinementTests/AbstractObligationTests.swift`).

import Bitwise

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

  /// The obligation this mutant must turn `refuted`.
  public var refutes: String {
    switch self {
    case .insertForgetsOriginal: "abstract.cteInsert.preserves.ut_revocable"
    case .moveKeepsTree: "abstract.cteMove.preserves.mdb_cte_at"
    case .swapRenamesOneWay: "abstract.cteSwap.preserves.no_mloop"
    case .swapDropsOriginals: "abstract.cteSwap.preserves.irq_revocable"
    case .emptySlotKeepsOriginal: "abstract.emptySlot.preserves.valid_ioc"
    case .emptySlotOrphansChildren: "abstract.emptySlot.preserves.mdb_cte_at"
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
      case nil:
        break
      }
    }
  }

  /// Plant `mutant` (nil: the twin's own code).
  public mutating func plant(_ mutant: TwinMutant?) { seams = Seams(planting: mutant) }
}

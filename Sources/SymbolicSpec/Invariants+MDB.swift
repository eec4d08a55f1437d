// `valid_mdb` and `valid_ioc` as formulas over the twin's words: the twin of
// `AbstractSpec/Invariants+MDB.swift` for the conjuncts that read only slots, parents and flags.
//
// Each conjunct is one condition (no `decide`): on the concrete domain a `Bool`, the verdict the
// differential tests compare with the abstract invariant table's; on a symbolic domain the formula
// an obligation assumes of the pre-state and asserts of the post-state. `no_mloop` is unrolled: a
// slot is no ancestor of itself within n steps up the tree, n the number of slots (a cycle has at
// most n slots). (`l4v:proof/invariant-abstract/Invariants_AI.thy`: `mdb_cte_at`, `no_mloop`,
// `ut_revocable`, `irq_revocable`, `valid_ioc`.)

public import Bitwise

/// One conjunct of an abstract invariant, as a formula over the twin.
public struct TwinConjunct<D: SpecDomain> {
  /// The l4v name of the conjunct (an entry of `AbstractState.invariantCatalogue` or one of its conjuncts).
  public let name: String
  /// The invariant it belongs to (`valid_mdb`, `valid_ioc`).
  public let invariant: String
  /// True iff the state satisfies it.
  public let holds: (TwinState<D>) -> D.Word.Condition
}

extension TwinState {
  /// The conjuncts the twin states: `valid_mdb`'s conjuncts in the abstract table's order, with
  /// `valid_ioc` (which the table lists before `valid_mdb`) after `mdb_cte_at`, as issue 16 names them.
  public static var conjuncts: [TwinConjunct<D>] {
    [
      TwinConjunct(name: "mdb_cte_at", invariant: "valid_mdb") { $0.mdbCteAt() },
      TwinConjunct(name: "valid_ioc", invariant: "valid_ioc") { $0.validIOC() },
      TwinConjunct(name: "no_mloop", invariant: "valid_mdb") { $0.noMloop() },
      TwinConjunct(name: "ut_revocable", invariant: "valid_mdb") { $0.revocable(.untyped) },
      TwinConjunct(name: "irq_revocable", invariant: "valid_mdb") { $0.revocable(.irqControl) },
    ]
  }

  /// The conjunction of `conditions` (true for none).
  static func all(_ conditions: [Word.Condition]) -> Word.Condition {
    conditions.reduce(Word.Condition(constant: true)) { $0 .&& $1 }
  }

  /// The disjunction of `conditions` (false for none).
  static func any(_ conditions: [Word.Condition]) -> Word.Condition {
    conditions.reduce(Word.Condition(constant: false)) { $0 .|| $1 }
  }

  /// `mdb_cte_at`: the tree links only filled slots.
  public func mdbCteAt() -> Word.Condition {
    Self.all(
      slots.map { slot in
        (slot.parent .!= Word(constant: noSlot)) .=> (.!slot.cap.isNull .&& .!getCap(slot.parent).isNull)
      })
  }

  /// `valid_ioc`: only filled slots are marked original.
  public func validIOC() -> Word.Condition {
    Self.all(slots.map { slot in (slot.original .!= 0) .=> .!slot.cap.isNull })
  }

  /// `no_mloop`: no slot is its own ancestor.
  public func noMloop() -> Word.Condition {
    Self.all(
      slots.indices.map { k in
        var conditions: [Word.Condition] = []
        var ancestor = slots[k].parent
        for _ in slots.indices {
          conditions.append(ancestor .!= id(k))
          ancestor = lookup(ancestor).parent
        }
        return Self.all(conditions)
      })
  }

  /// `ut_revocable` (`tag` untyped) and `irq_revocable` (`tag` IRQControl): caps of the kind are original.
  public func revocable(_ tag: TwinCapTag) -> Word.Condition {
    Self.all(slots.map { slot in slot.cap.is(tag) .=> (slot.original .!= 0) })
  }

  /// Every conjunct.
  public func invariantsHold() -> Word.Condition { Self.all(Self.conjuncts.map { $0.holds(self) }) }
}

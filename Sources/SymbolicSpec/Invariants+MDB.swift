// `valid_mdb` and `valid_ioc` as formulas over the twin's words: the twin of
// `AbstractSpec/Invariants+MDB.swift`, every conjunct of it (they read only slots, parents, flags).
// The conjuncts of `AbstractSpec/Invariants.swift` that read only caps are in the twin's
// `Invariants.swift`; the list of every conjunct the twin states is here.
//
// Each conjunct is one condition (no `decide`): on the concrete domain a `Bool`, the verdict the
// differential tests compare with the abstract invariant table's; on a symbolic domain the formula
// an obligation assumes of the pre-state and asserts of the post-state. `no_mloop` is unrolled: a
// slot is no ancestor of itself within n steps up the tree, n the number of slots (a cycle has at
// most n slots); so is `descendants_of` (`ancestors`). (`l4v:proof/invariant-abstract/Invariants_AI.thy`:
// `mdb_cte_at`, `no_mloop`, `ut_revocable`, `irq_revocable`, `valid_ioc`, `untyped_mdb`,
// `untyped_inc`, `descendants_inc`.)

public import Bitwise

/// One conjunct of an abstract invariant, as a formula over the twin.
public struct TwinConjunct<D: SpecDomain> {
  /// The l4v name of the conjunct (an entry of `AbstractState.invariantCatalogue` or one of its conjuncts).
  public let name: String
  /// The invariant it belongs to (`valid_mdb`, `valid_ioc`).
  public let invariant: String
  /// True for slice 1's five conjuncts, which every obligation assumes of the pre-state; their own
  /// obligations assume nothing else (so their recorded queries stay as they were), a later
  /// conjunct's assume it too.
  public let core: Bool
  /// True iff the state satisfies it.
  public let holds: (TwinState<D>) -> D.Word.Condition

  public init(
    name: String, invariant: String, core: Bool = false, holds: @escaping (TwinState<D>) -> D.Word.Condition
  ) {
    self.name = name
    self.invariant = invariant
    self.core = core
    self.holds = holds
  }
}

extension TwinState {
  /// The conjuncts the obligations prove. Slice 1's five first (`valid_mdb`'s tree conjuncts in the
  /// abstract table's order, with `valid_ioc` after `mdb_cte_at`, as issue 16 names them), then the
  /// invariants of the table that read only caps and slots: `valid_caps` (its well-formedness part:
  /// the twin has no objects to be live) and `if_unsafe_then_cap`.
  public static var conjuncts: [TwinConjunct<D>] {
    [
      TwinConjunct(name: "mdb_cte_at", invariant: "valid_mdb", core: true) { $0.mdbCteAt() },
      TwinConjunct(name: "valid_ioc", invariant: "valid_ioc", core: true) { $0.validIOC() },
      TwinConjunct(name: "no_mloop", invariant: "valid_mdb", core: true) { $0.noMloop() },
      TwinConjunct(name: "ut_revocable", invariant: "valid_mdb", core: true) { $0.revocable(.untyped) },
      TwinConjunct(name: "irq_revocable", invariant: "valid_mdb", core: true) { $0.revocable(.irqControl) },
      TwinConjunct(name: "valid_caps", invariant: "valid_caps") { $0.validCaps() },
      TwinConjunct(name: "if_unsafe_then_cap", invariant: "if_unsafe_then_cap") { $0.ifUnsafeThenCap() },
    ]
  }

  /// Every conjunct the twin states: the proved ones, then the rest of `valid_mdb`
  /// (`descendants_inc`, `untyped_mdb`, `untyped_inc`) and `no_cap_to_obj_with_diff_ref`. The
  /// latter four are compared with the abstract table on reached and corrupted states
  /// (`TwinAgreementTests`) but are in no obligation: Z3 did not prove their obligations within the
  /// proof gate's budget (docs/abstract-proofs.md, "Conjuncts stated but not proved").
  public static var statedConjuncts: [TwinConjunct<D>] {
    conjuncts + [
      TwinConjunct(name: "descendants_inc", invariant: "valid_mdb") { $0.descendantsInc() },
      TwinConjunct(name: "untyped_mdb", invariant: "valid_mdb") { $0.untypedMDB() },
      TwinConjunct(name: "untyped_inc", invariant: "valid_mdb") { $0.untypedInc() },
      TwinConjunct(name: "no_cap_to_obj_with_diff_ref", invariant: "no_cap_to_obj_with_diff_ref") {
        $0.noCapToObjWithDiffRef()
      },
    ]
  }

  /// The conjuncts an obligation whose goal is `goal` assumes of the pre-state: slice 1's five, and
  /// for a later conjunct itself too (fewer hypotheses keep the queries small), in the list's order.
  public static func hypotheses(for goal: String) -> [TwinConjunct<D>] {
    conjuncts.filter { $0.core || $0.name == goal }
  }

  /// True iff the state satisfies the hypotheses of the obligations for `goal`.
  public func hypothesesHold(for goal: String) -> Word.Condition {
    Self.all(Self.hypotheses(for: goal).map { $0.holds(self) })
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

  /// For each slot, the ids of its ancestors, nearest first, as many as there are slots (`noSlot`
  /// once the root is passed): slot `k` descends from slot `a` iff one of them is `a`
  /// (`descendants_of`, unrolled as `no_mloop` is).
  func ancestors() -> [[Word]] {
    slots.indices.map { k in
      var chain: [Word] = []
      var ancestor = slots[k].parent
      for _ in slots.indices {
        chain.append(ancestor)
        ancestor = lookup(ancestor).parent
      }
      return chain
    }
  }

  /// True iff slot `k` descends from slot `a`, given the slots' `ancestors()`.
  func descends(_ k: Int, from a: Int, _ ancestors: [[Word]]) -> Word.Condition {
    Self.any(ancestors[k].map { $0 .== id(a) })
  }

  /// `descendants_inc`: a child is of its parent's class (`cap_class`) and its range lies in the
  /// parent's (`cap_range`).
  public func descendantsInc() -> Word.Condition {
    Self.all(
      slots.map { slot in
        let parentCap = getCap(slot.parent)
        return (slot.parent .!= Word(constant: noSlot))
          .=> (slot.cap.sameClass(parentCap) .&& slot.cap.rangeInside(parentCap))
      })
  }

  /// `untyped_mdb`: a cap to an object inside an untyped region descends from the region's cap.
  public func untypedMDB() -> Word.Condition {
    let ancestors = ancestors()
    return Self.all(
      slots.indices.flatMap { u in
        let untyped = slots[u].cap
        let top = untyped.ref &+ Word.mask(bits: untyped.w1)
        return slots.indices.filter { $0 != u }.map { k in
          let cap = slots[k].cap
          let inside = untyped.is(.untyped) .&& cap.hasObjectRef .&& (untyped.ref .<= cap.ref) .&& (cap.ref .<= top)
          return inside .=> descends(k, from: u, ancestors)
        }
      })
  }

  /// `untyped_inc`: two untyped regions nest or are disjoint; a region strictly inside another
  /// that is not derived from it keeps clear of the other's free memory, and never is its ancestor;
  /// of two caps to one region, one is the other's ancestor and the ancestor is full. A region is
  /// full when its free index is past its size (l4v's `usable_untyped_range` is empty), decided on
  /// the index as AbstractSpec's `untypedInc` does, not on the free address `base + freeIndex`,
  /// which wraps to 0 for a full region ending at the top of memory.
  public func untypedInc() -> Word.Condition {
    let ancestors = ancestors()
    let regions = slots.map { slot in
      let size = Word.mask(bits: slot.cap.w1)
      return (
        isUntyped: slot.cap.is(.untyped), base: slot.cap.ref, top: slot.cap.ref &+ size,
        full: slot.cap.w3 .> size, free: slot.cap.ref &+ slot.cap.w3
      )
    }
    var conditions: [Word.Condition] = []
    for a in slots.indices {
      for b in slots.indices where a != b {
        let (ra, rb) = (regions[a], regions[b])
        let aInB = (rb.base .<= ra.base) .&& (ra.top .<= rb.top)
        let bInA = (ra.base .<= rb.base) .&& (rb.top .<= ra.top)
        let disjoint = (ra.top .< rb.base) .|| (rb.top .< ra.base)
        let bBelowA = descends(b, from: a, ancestors)
        let aBelowB = descends(a, from: b, ancestors)
        let nested = aInB .|| bInA .|| disjoint
        let inside = (bInA .&& .!aInB) .=> ((bBelowA .|| ra.full .|| (rb.top .< ra.free)) .&& .!aBelowB)
        // Same region (each pair once): one derives from the other, which is full.
        let sameRegion =
          a > b
          ? Word.Condition(constant: true)
          : ((aInB .&& bInA) .=> ((bBelowA .&& ra.full) .|| (aBelowB .&& rb.full)))
        conditions.append((ra.isUntyped .&& rb.isUntyped) .=> (nested .&& inside .&& sameRegion))
      }
    }
    return Self.all(conditions)
  }

  /// Every conjunct.
  public func invariantsHold() -> Word.Condition { Self.all(Self.conjuncts.map { $0.holds(self) }) }
}

extension TwinCap {
  /// The cap names an object other than an untyped region (`objectRef` of a non-untyped cap).
  var hasObjectRef: W.Condition {
    `is`(.endpoint) .|| `is`(.notification) .|| `is`(.reply) .|| `is`(.cnode) .|| `is`(.thread)
      .|| `is`(.schedContext)
  }

  /// True iff the two caps are of one class (`cap_class`): caps to memory, to interrupts, to
  /// scheduling control, to domains, or both Null.
  func sameClass(_ other: TwinCap) -> W.Condition {
    let memory = memoryRange.hasRange .&& other.memoryRange.hasRange
    let irq = (`is`(.irqControl) .|| `is`(.irqHandler)) .&& (other.is(.irqControl) .|| other.is(.irqHandler))
    let single = (tag .== other.tag) .&& (`is`(.schedControl) .|| `is`(.domain) .|| isNull)
    return memory .|| irq .|| single
  }

  /// True iff this cap's range (`cap_range`: an untyped region, or an object's address) lies in
  /// `outer`'s; a cap with no range lies in every cap's, none lies in a cap with no range.
  func rangeInside(_ outer: TwinCap) -> W.Condition {
    let (i, o) = (memoryRange, outer.memoryRange)
    let innerTop = W.select(`is`(.untyped), i.base &+ W.mask(bits: i.sizeBits), i.base)
    let outerTop = W.select(outer.is(.untyped), o.base &+ W.mask(bits: o.sizeBits), o.base)
    return .!i.hasRange .|| (o.hasRange .&& (o.base .<= i.base) .&& (innerTop .<= outerTop))
  }
}

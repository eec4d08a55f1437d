// Obligations that the abstract spec's operations preserve its invariants, for every state of a
// bounded shape: `abstract.<operation>.preserves.<conjunct>`.
//
// The operations and the conjuncts are the symbolic twin's (`SymbolicSpec`), run on `PathDomain`:
// a pre-state whose every field is a named word (`pre.s2.tag`, `pre.s2.parent`, ...), the
// operation's arguments as words (`arg.source`, `arg.newCap.tag`, ...), and as hypotheses the
// encoding's type constraints, the twin conjuncts of the pre-state (`TwinState.hypotheses(for:)`:
// slice 1's five, and a later goal itself) and the guarantees the operation's decoder gives (for a
// later goal also `TwinOperation.derivation`) (`AbstractSpec/CNode.swift`, `decodeCNodeCopyOrMove`,
// `decodeCNodeRotate`). The goal is the conjunct of the post-state. These are the l4v lemmas
// `cap_insert_mdb`, `cap_insert_valid_ioc`, `cap_move_mdb` (CSpace_AI.thy), `cap_move_valid_ioc`,
// `cap_swap_mdb`, `cap_swap_valid_ioc` (CNodeInv_AI.thy) and, for `empty_slot`, the `mdb_empty_abs`
// part of `empty_slot_invs` (Finalise_AI.thy), one conjunct at a time. The proof is about the twin; that the twin computes what
// AbstractSpec computes is tested (`TwinAgreementTests`), not proved (docs/abstract-proofs.md).

import Bitwise
import SMT
public import SymbolicSpec

/// One twin operation as the obligations run it: its arguments and its decoder's guarantees.
public struct TwinOperation: Sendable {
  /// AbstractSpec's identifier for it (`cteInsert`, ...).
  public let name: String
  /// What the decoder guarantees, for the statement.
  public let guarantees: String
  /// What the callers further guarantee that only the later conjuncts' obligations assume (the
  /// slice-1 obligations were proved, and recorded, without it).
  public let derivation: String
  /// Declare the arguments in `scope`, assume their guarantees of `state` (with `derived`, the
  /// `derivation` too), and run the operation.
  let run: @Sendable (_ state: inout TwinState<PathDomain>, _ scope: ProofScope, _ derived: Bool) -> Void

  /// Slice 1's operations: the derivation tree's core, in `AbstractSpec/CDT.swift`'s order.
  public static let cdtCore: [TwinOperation] = [
    TwinOperation(
      name: "cteInsert",
      guarantees:
        "source ≠ destination, both slots of the shape, destination empty, source and new cap not Null, new cap not IRQControl (Copy, Mint: `deriveCap` makes IRQControl Null; installTCBCap: `cteDelete` empties the thread's slot, the new cap is not Null and `sameObjectAs` a cap in the source, the handler caps are endpoints)",
      derivation:
        "the new cap is derived from the source's (same kind, object and size, rights and grant no more than its, an untyped cap unchanged) and well formed, and an untyped source has no children (Copy, Mint: `deriveCap`'s `ensureNoChildren`, `maskCapRights`, `updateCapData` making a bad guard Null; installTCBCap's destination is a TCB slot, outside the shape)"
    ) { state, scope, derived in
      let (newCap, source, dest) = (cap("arg.newCap", scope), word("arg.source", scope), word("arg.dest", scope))
      scope.assume(slotPair(source, dest, state))
      scope.assume(state.getCap(dest).isNull .&& .!state.getCap(source).isNull)
      scope.assume(.!newCap.isNull .&& .!newCap.is(.irqControl))
      if derived {
        let sourceCap = state.getCap(source)
        scope.assume(isDerived(newCap, from: sourceCap) .&& newCap.isWellFormed)
        scope.assume(.!sourceCap.is(.untyped) .|| .!state.hasChildren(source))
      }
      state.cteInsert(newCap, from: source, to: dest)
    },
    TwinOperation(
      name: "cteMove",
      guarantees:
        "source ≠ destination, both slots of the shape, destination empty, source not Null, new cap of the source's kind (Move, Mutate; Rotate's two moves: pivot ≠ destination, destination empty, then the pivot emptied by the first move, `updateCapData(preserve:)` keeping each kind and refusing Null)",
      derivation:
        "the new cap is derived from the source's (same kind, object and size, rights and grant no more than its, an untyped cap unchanged) and well formed (Move moves the cap itself; Mutate's and Rotate's `updateCapData(preserve: true)` changes only a CNode cap's guard, making a bad one Null)"
    ) { state, scope, derived in
      let (newCap, source, dest) = (cap("arg.newCap", scope), word("arg.source", scope), word("arg.dest", scope))
      scope.assume(slotPair(source, dest, state))
      scope.assume(state.getCap(dest).isNull .&& .!state.getCap(source).isNull)
      scope.assume(newCap.tag .== state.getCap(source).tag)
      if derived { scope.assume(isDerived(newCap, from: state.getCap(source)) .&& newCap.isWellFormed) }
      state.cteMove(newCap, from: source, to: dest)
    },
    TwinOperation(
      name: "cteSwap",
      guarantees:
        "two different slots of the shape, both not Null, each new cap of its slot's kind (Rotate onto the source's own slot)",
      derivation:
        "each new cap is derived from its slot's (same kind, object and size, rights and grant no more than its, an untyped cap unchanged) and well formed (Rotate's `updateCapData(preserve: true)`)"
    ) { state, scope, derived in
      let (cap1, slot1) = (cap("arg.cap1", scope), word("arg.slot1", scope))
      let (cap2, slot2) = (cap("arg.cap2", scope), word("arg.slot2", scope))
      scope.assume(slotPair(slot1, slot2, state))
      scope.assume(.!state.getCap(slot1).isNull .&& .!state.getCap(slot2).isNull)
      scope.assume((cap1.tag .== state.getCap(slot1).tag) .&& (cap2.tag .== state.getCap(slot2).tag))
      if derived {
        scope.assume(isDerived(cap1, from: state.getCap(slot1)) .&& cap1.isWellFormed)
        scope.assume(isDerived(cap2, from: state.getCap(slot2)) .&& cap2.isWellFormed)
      }
      state.cteSwap(cap1, slot1, cap2, slot2)
    },
    TwinOperation(
      name: "emptySlot", guarantees: "any slot of the shape",
      derivation:
        "the slot's cap is not the final cap to its object (`cteDelete` empties the slot of a final cap only after `finaliseCap` has destroyed the object, which the twin does not model)"
    ) { state, scope, derived in
      let slot = word("arg.slot", scope)
      scope.assume(slot .< state.id(state.count))
      if derived { scope.assume(.!state.isFinalCapability(slot)) }
      state.emptySlot(slot)
    },
  ]

  /// A capability argument: five fresh words, its tag a `Capability` case.
  static func cap(_ name: String, _ scope: ProofScope) -> TwinCap<SymbolicWord> {
    let cap = TwinCap(
      tag: scope.word("\(name).tag"), ref: scope.word("\(name).ref"), w1: scope.word("\(name).w1"),
      w2: scope.word("\(name).w2"), w3: scope.word("\(name).w3"))
    scope.assume(cap.tag .< SymbolicWord(constant: UInt64(TwinCapTag.allCases.count)))
    return cap
  }

  /// True iff `newCap` could be derived from `old` by the CNode operations: the same kind and
  /// object (`tag`, `ref`), the same size and region (`w1`, except the badge of an endpoint or
  /// notification and a reply's grant, which may only shrink), rights no more than `old`'s, and an
  /// untyped cap unchanged (`derive_cap`, `mask_cap`, `update_cap_data`).
  static func isDerived(_ newCap: TwinCap<SymbolicWord>, from old: TwinCap<SymbolicWord>) -> SymbolicBool {
    let badged = old.is(.endpoint) .|| old.is(.notification)
    let sameSize = badged .|| old.is(.reply) .|| (newCap.w1 .== old.w1)
    let rights = .!badged .|| ((newCap.w2 & ~old.w2) .== 0)
    let grant = .!old.is(.reply) .|| (newCap.w1 .<= old.w1)
    let untyped = .!old.is(.untyped) .|| ((newCap.w2 .== old.w2) .&& (newCap.w3 .== old.w3))
    return (newCap.tag .== old.tag) .&& (newCap.ref .== old.ref) .&& sameSize .&& rights .&& grant .&& untyped
  }

  /// A slot-id argument.
  static func word(_ name: String, _ scope: ProofScope) -> SymbolicWord { scope.word(name) }

  /// Two different slots of the state.
  static func slotPair(_ a: SymbolicWord, _ b: SymbolicWord, _ state: TwinState<PathDomain>) -> SymbolicBool {
    (a .< state.id(state.count)) .&& (b .< state.id(state.count)) .&& (a .!= b)
  }
}

extension Obligation {
  /// `abstract.<op>.preserves.<conjunct>` for every slice-1 operation and twin conjunct, over
  /// `shape`; with `mutant` planted in the twin, or with every post-state replaced by fresh words
  /// (`havoc`, the mutation test's catch-all).
  public static func abstractInvariants(
    shape: AbstractShape = .default, mutant: TwinMutant? = nil, havoc: Bool = false
  ) -> [Obligation] {
    let conjuncts = TwinState<PathDomain>.conjuncts.map(\.name)
    let bound =
      "for every state of \(shape) of the symbolic twin (SymbolicSpec; its agreement with AbstractSpec is tested, not proved)"
    return TwinOperation.cdtCore.flatMap { operation in
      conjuncts.indices.map { index in
        let core = TwinState<PathDomain>.conjuncts[index].core
        let statement =
          core
          ? "for every state of \(shape) satisfying the twin's invariants (mdb_cte_at, valid_ioc, no_mloop, ut_revocable, irq_revocable), \(operation.name) under its decode guarantees (\(operation.guarantees)) preserves \(conjuncts[index])"
          : "for every state of \(shape) satisfying the twin invariants \(TwinState<PathDomain>.hypotheses(for: conjuncts[index]).map(\.name).joined(separator: ", ")), \(operation.name) under its decode guarantees (\(operation.guarantees); \(operation.derivation)) preserves \(conjuncts[index])"
        return Obligation(
          "abstract.\(operation.name).preserves.\(conjuncts[index])", statement, bound: bound, shape: shape
        ) {
          scope in
          let domain = PathDomain()
          var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("pre.\($0)") }
          state.plant(mutant)
          scope.assume(state.typeOK())
          for conjunct in TwinState<PathDomain>.hypotheses(for: conjuncts[index]) {
            scope.assume(conjunct.holds(state))
          }
          operation.run(&state, scope, !core)
          if havoc { state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("post.\($0)") } }
          let goal = TwinState<PathDomain>.conjuncts[index].holds(state)
          // The CDT operations are straight-line: a symbolic decision here would need the path
          // explorer (`abstractEvents`); the obligation is then an error, never proved by mistake.
          if !domain.decisions.isEmpty { scope.fail("\(operation.name) forked on a symbolic condition") }
          return goal
        }
      }
    }
  }
}

extension Obligation {
  /// Non-vacuity witnesses for the abstract obligations (not in the catalogue; a test discharges
  /// them): for each slice-1 operation, its slice-1 obligations' hypotheses (type constraints, the
  /// five slice-1 conjuncts of the pre-state, the decode guarantees) together with a pre-state that is not
  /// trivial: an original untyped cap in slot 0 with a child in slot 1, an original IRQControl cap
  /// in slot 3, slot 2 empty. The goal is false, so `refuted` (with a model) shows that the
  /// hypotheses admit such a state, and `vacuous` would show that they do not.
  public static func abstractWitnesses(shape: AbstractShape = .default) -> [Obligation] {
    TwinOperation.cdtCore.map { operation in
      Obligation(
        "witness.abstract.\(operation.name)",
        "the hypotheses of abstract.\(operation.name).preserves.* admit a linked tree with an untyped and an IRQControl cap"
      ) { scope in
        let domain = PathDomain()
        var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("pre.\($0)") }
        scope.assume(state.typeOK())
        for conjunct in TwinState<PathDomain>.hypotheses(for: "mdb_cte_at") { scope.assume(conjunct.holds(state)) }
        let s = state.slots
        scope.assume(
          s[0].cap.is(.untyped) .&& (s[0].original .== 1) .&& (s[0].parent .== SymbolicWord(constant: noSlot)))
        scope.assume(.!s[1].cap.isNull .&& (s[1].parent .== 0))
        scope.assume(s[2].cap.isNull)
        scope.assume(s[3].cap.is(.irqControl) .&& (s[3].original .== 1))
        operation.run(&state, scope, false)
        return .known(false)
      }
    }
  }
}

// Obligations that the abstract spec's operations preserve its invariants, for every state of a
// bounded shape: `abstract.<operation>.preserves.<conjunct>`.
//
// The operations and the conjuncts are the symbolic twin's (`SymbolicSpec`), run on `PathDomain`:
// a pre-state whose every field is a named word (`pre.s2.tag`, `pre.s2.parent`, ...), the
// operation's arguments as words (`arg.source`, `arg.newCap.tag`, ...), and as hypotheses the
// encoding's type constraints, every twin conjunct of the pre-state and the guarantees the
// operation's decoder gives (`AbstractSpec/CNode.swift`, `decodeCNodeCopyOrMove`,
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
  /// Declare the arguments in `scope`, assume their guarantees of `state`, and run the operation.
  let run: @Sendable (_ state: inout TwinState<PathDomain>, _ scope: ProofScope) -> Void

  /// Slice 1's operations: the derivation tree's core, in `AbstractSpec/CDT.swift`'s order.
  public static let cdtCore: [TwinOperation] = [
    TwinOperation(
      name: "cteInsert",
      guarantees:
        "source ≠ destination, both slots of the shape, destination empty, source and new cap not Null, new cap not IRQControl (Copy, Mint: `deriveCap` makes IRQControl Null; installTCBCap: `cteDelete` empties the thread's slot, the new cap is not Null and `sameObjectAs` a cap in the source, the handler caps are endpoints)"
    ) { state, scope in
      let (newCap, source, dest) = (cap("arg.newCap", scope), word("arg.source", scope), word("arg.dest", scope))
      scope.assume(slotPair(source, dest, state))
      scope.assume(state.getCap(dest).isNull .&& .!state.getCap(source).isNull)
      scope.assume(.!newCap.isNull .&& .!newCap.is(.irqControl))
      state.cteInsert(newCap, from: source, to: dest)
    },
    TwinOperation(
      name: "cteMove",
      guarantees:
        "source ≠ destination, both slots of the shape, destination empty, source not Null, new cap of the source's kind (Move, Mutate; Rotate's two moves: pivot ≠ destination, destination empty, then the pivot emptied by the first move, `updateCapData(preserve:)` keeping each kind and refusing Null)"
    ) { state, scope in
      let (newCap, source, dest) = (cap("arg.newCap", scope), word("arg.source", scope), word("arg.dest", scope))
      scope.assume(slotPair(source, dest, state))
      scope.assume(state.getCap(dest).isNull .&& .!state.getCap(source).isNull)
      scope.assume(newCap.tag .== state.getCap(source).tag)
      state.cteMove(newCap, from: source, to: dest)
    },
    TwinOperation(
      name: "cteSwap",
      guarantees:
        "two different slots of the shape, both not Null, each new cap of its slot's kind (Rotate onto the source's own slot)"
    ) { state, scope in
      let (cap1, slot1) = (cap("arg.cap1", scope), word("arg.slot1", scope))
      let (cap2, slot2) = (cap("arg.cap2", scope), word("arg.slot2", scope))
      scope.assume(slotPair(slot1, slot2, state))
      scope.assume(.!state.getCap(slot1).isNull .&& .!state.getCap(slot2).isNull)
      scope.assume((cap1.tag .== state.getCap(slot1).tag) .&& (cap2.tag .== state.getCap(slot2).tag))
      state.cteSwap(cap1, slot1, cap2, slot2)
    },
    TwinOperation(name: "emptySlot", guarantees: "any slot of the shape") { state, scope in
      let slot = word("arg.slot", scope)
      scope.assume(slot .< state.id(state.count))
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
        Obligation(
          "abstract.\(operation.name).preserves.\(conjuncts[index])",
          "for every state of \(shape) satisfying the twin's invariants (mdb_cte_at, valid_ioc, no_mloop, ut_revocable, irq_revocable), \(operation.name) under its decode guarantees (\(operation.guarantees)) preserves \(conjuncts[index])",
          bound: bound, shape: shape
        ) { scope in
          let domain = PathDomain()
          var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("pre.\($0)") }
          state.plant(mutant)
          scope.assume(state.typeOK())
          for conjunct in TwinState<PathDomain>.conjuncts { scope.assume(conjunct.holds(state)) }
          operation.run(&state, scope)
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
  /// them): for each slice-1 operation, its obligations' hypotheses (type constraints, every twin
  /// conjunct of the pre-state, the decode guarantees) together with a pre-state that is not
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
        for conjunct in TwinState<PathDomain>.conjuncts { scope.assume(conjunct.holds(state)) }
        let s = state.slots
        scope.assume(
          s[0].cap.is(.untyped) .&& (s[0].original .== 1) .&& (s[0].parent .== SymbolicWord(constant: noSlot)))
        scope.assume(.!s[1].cap.isNull .&& (s[1].parent .== 0))
        scope.assume(s[2].cap.isNull)
        scope.assume(s[3].cap.is(.irqControl) .&& (s[3].original .== 1))
        operation.run(&state, scope)
        return .known(false)
      }
    }
  }
}

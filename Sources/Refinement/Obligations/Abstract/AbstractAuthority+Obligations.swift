// Obligations that whole CNode invocations respect authority, for every state of a bounded shape
// and every argument: `abstract.<event>.integrity` and `abstract.<event>.authorityConfinement` for
// the events the twin performs (Copy, Mint, Move, Mutate, Rotate, Delete).
//
// Each explores the event's paths exactly as its `abstract.<event>.preserves.*` obligations do
// (`AbstractEvents+Obligations.swift`: the same pre-state, arguments and paths), with fewer
// hypotheses: the encoding's type constraints and `valid_cap` for CNode caps, no invariant (neither
// property needs one). It states, for every path the twin models and that writes anything, a
// property of the pair (pre-state, post-state):
//
// - integrity (after l4v's `integrity_subjects`, `proof/access-control/Access.thy`, restricted to
//   what the shape has: capability slots, their CDT parents and original flags): a slot whose cap,
//   parent or original flag changes is a slot the invocation names, reached by a one-level walk
//   through a CNode cap the thread presents (the invoked cap for the destination, the extra caps
//   for the source and pivot) with the index and depth its registers give; or it keeps its cap and
//   flag and only its parent changes, and that parent was a named slot (the slot's CDT ancestor is
//   the subject's, as `cdt_change_allowed` allows: a child relinked by a move or a delete). The
//   named slots are computed from the pre-state's caps and the registers by a closed formula, not
//   by the twin's own walk, so a slip that writes elsewhere is caught.
// - authority confinement: every non-null cap after the step is dominated by a cap before it (the
//   one in the same slot or in a named slot; stating which spares the solver a search): the
//   same kind and object, rights no more than its rights, its badge unless that cap was unbadged,
//   the same region for an untyped cap (its free index is bookkeeping) and the same radix for a
//   CNode cap (a new guard changes addressing, not authority). So the post-state's authority graph,
//   and its take-grant closure, lie within the pre-state's.
//
// docs/abstract-proofs.md ("Integrity and authority confinement") says what l4v's versions have
// that these lack.

public import Bitwise
import KernelABI
import SMT
public import SymbolicSpec

extension Obligation {
  /// The two authority properties an event obligation can state.
  public enum AuthorityProperty: String, CaseIterable, Sendable {
    case integrity
    case authorityConfinement
  }

  /// `abstract.<event>.integrity` for every CNode event, then `abstract.<event>.authorityConfinement`
  /// for every one, over `shape`; with `eventMutant` planted in the twin, or with every path's
  /// post-state replaced by fresh words (`havoc`, the mutation test's catch-all).
  public static func abstractAuthority(
    shape: AbstractShape = .default, eventMutant: TwinEventMutant? = nil, havoc: Bool = false
  ) -> [Obligation] {
    let bound =
      "for every state of \(shape) of the symbolic twin (SymbolicSpec; its agreement with AbstractSpec is tested, not proved), CNode caps naming \(shape.itsCNodes) with its radix, every argument word, CSpace walks of \(TwinEvent.walkBound)"
    return AuthorityProperty.allCases.flatMap { property in
      TwinEvent.cnodeEvents.map { event in
        Obligation(
          "abstract.\(event.name).\(property.rawValue)",
          statement(property, event, shape),
          bound: bound, shape: shape
        ) { scope in
          let domain = PathDomain()
          var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("pre.\($0)") }
          if let eventMutant { state.plant(eventMutant) }
          scope.assume(state.typeOK())
          scope.assume(cnodeCapsNameTheShape(state, shape))
          let explored: (arguments: TwinEvent.Arguments, paths: [PathDomain.Path<TwinEvent.PathResult>])
          do throws(PathDomain.TooManyPaths) {
            explored = try event.explore(state, declaring: scope)
          } catch {
            scope.fail("abstract.\(event.name): \(error)")
            return .known(false)
          }
          let havocked = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("post.\($0)") }
          // Paths not modelled are simply not in the goal (the bound says so): the paths' conditions
          // are disjoint, so on a left-out path every conjunct below holds vacuously. (Unlike the
          // `preserves` obligations, no hypothesis excludes them: the query is smaller.)
          let arguments = explored.arguments
          let named = namedSlots(
            event, invoked: arguments.invoked, extraCapSlots: arguments.extraCapSlots,
            registers: arguments.registers, state, shape)
          // A path that wrote nothing (an error, a Delete of an empty slot) has the very pre-state's
          // words as its post-state, which both properties hold of (every slot unchanged, every cap
          // dominated by itself): left out of the goal, which spares the solver.
          let changing = explored.paths.filter { !$0.result.leftOut && (havoc || !unchanged(state, $0.result.state)) }
          return changing.reduce(SymbolicBool.known(true)) { goal, path in
            let post = havoc ? havocked : path.result.state
            let holds =
              switch property {
              case .integrity: integrity(pre: state, post: post, named: named)
              case .authorityConfinement: authorityConfined(pre: state, post: post, named: named)
              }
            return goal .&& (.!path.condition .|| holds)
          }
        }
      }
    }
  }

  /// True iff every word of `post` is the very term of `pre`'s (nothing was written).
  static func unchanged(_ pre: TwinState<PathDomain>, _ post: TwinState<PathDomain>) -> Bool {
    func same(_ a: SymbolicWord, _ b: SymbolicWord) -> Bool {
      switch (a, b) {
      case (.known(let x), .known(let y)): x == y
      case (.term(let x), .term(let y)): x === y
      default: false
      }
    }
    return pre.slots.count == post.slots.count
      && zip(pre.slots, post.slots).allSatisfy { a, b in
        [a.cap.tag, a.cap.ref, a.cap.w1, a.cap.w2, a.cap.w3, a.parent, a.original].elementsEqual(
          [b.cap.tag, b.cap.ref, b.cap.w1, b.cap.w2, b.cap.w3, b.parent, b.original], by: same)
      }
  }

  static func statement(_ property: AuthorityProperty, _ event: TwinEvent, _ shape: AbstractShape) -> String {
    let given =
      "for every well-typed state of \(shape) (no invariant assumed), its CNode caps naming \(shape.itsCNodes) with its radix, and every invoked slot, extra-cap slot and message word (\(event.registers.joined(separator: ", "))), the CNode \(event.name) invocation (CSpace walks of \(TwinEvent.walkBound))"
    let lookups = event.namedLookups.map { "\($0.root ?? "the invoked cap") with \($0.index), \($0.depth)" }
    switch property {
    case .integrity:
      return
        "\(given) changes the cap, CDT parent or original flag only of the slots it names (reached in one level through \(lookups.joined(separator: "; "))), and otherwise only the CDT parent of a slot whose parent was a named slot (l4v integrity, restricted to slots and the CDT); not covered: longer walks, a non-CNode invoked cap, the Delete of a final cap"
    case .authorityConfinement:
      return
        "\(given) leaves every non-null cap dominated by the pre-state's cap in the same slot or in a slot the invocation names: same kind and object, rights within its rights, its badge unless it was unbadged, the same region (untyped) or radix (CNode), so the post-state's authority graph and its take-grant closure lie within the pre-state's; not covered: longer walks, a non-CNode invoked cap, the Delete of a final cap"
    }
  }

  /// For each slot of the shape, whether the invocation names it: some lookup of the event reaches
  /// it in one level from the pre-state's cap in the lookup's root slot (the invoked slot or an
  /// extra cap's slot), with the lookup's index and depth registers. Generic, so that a test can
  /// evaluate it on a concrete counterexample.
  public static func namedSlots<D: SpecDomain>(
    _ event: TwinEvent, invoked: D.Word, extraCapSlots: [D.Word], registers: [D.Word], _ pre: TwinState<D>,
    _ shape: AbstractShape
  ) -> [D.Word.Condition] {
    let byName = Dictionary(uniqueKeysWithValues: zip(event.registers, registers))
    let roots = Dictionary(uniqueKeysWithValues: zip(event.extraCaps, extraCapSlots))
    let lookups = event.namedLookups.compactMap { lookup -> (TwinCap<D.Word>, D.Word, D.Word)? in
      guard let index = byName[lookup.index], let depth = byName[lookup.depth] else { return nil }
      guard let root = lookup.root else { return (pre.getCap(invoked), index, depth) }
      return roots[root].map { (pre.getCap($0), index, depth) }
    }
    return shape.slotRefs.map { ref in
      lookups.reduce(D.Word.Condition(constant: false)) { any, lookup in
        any .|| reaches(lookup.0, index: lookup.1, depth: lookup.2, ref)
      }
    }
  }

  /// True iff a walk of one level from `cap` with `depth` bits of `index` ends at `slot` and resolves
  /// every bit (what `lookupSlotForCNodeOp` succeeds with in one level): `cap` is a CNode cap, its
  /// guard and radix take exactly `depth` bits (1 to 64), the guard bits of `index` match its guard,
  /// and the low `radix` bits of `index` are the slot's index in the cap's CNode.
  static func reaches<W: MachineWord>(_ cap: TwinCap<W>, index: W, depth: W, _ slot: SlotRef) -> W.Condition {
    let (radix, guardSize, capGuard) = (cap.w1, cap.w2, cap.w3)
    let wordBits = W(constant: UInt64(KernelConstants.wordBits))
    return cap.is(.cnode) .&& (depth .>= 1) .&& (depth .<= wordBits) .&& (guardSize .<= depth)
      .&& (depth .== radix &+ guardSize)
      .&& (((index >> radix) & W.mask(bits: guardSize)) .== capGuard)
      .&& (cap.ref .== W(constant: slot.container))
      .&& ((index & W.mask(bits: radix)) .== W(constant: slot.index))
  }

  /// Integrity: every slot of `post` is `pre`'s, or named, or keeps its cap and flag and changes
  /// only its parent, which was a named slot.
  public static func integrity<D: SpecDomain>(pre: TwinState<D>, post: TwinState<D>, named: [D.Word.Condition])
    -> D.Word.Condition
  {
    pre.slots.indices.reduce(D.Word.Condition(constant: true)) { all, k in
      let (before, after) = (pre.slots[k], post.slots[k])
      let sameCap = capsEqual(before.cap, after.cap)
      let unchanged = sameCap .&& (before.parent .== after.parent) .&& (before.original .== after.original)
      let parentWasNamed = named.indices.reduce(D.Word.Condition(constant: false)) { any, j in
        any .|| (named[j] .&& (before.parent .== pre.id(j)))
      }
      let relinked = sameCap .&& (before.original .== after.original) .&& parentWasNamed
      return all .&& (unchanged .|| named[k] .|| relinked)
    }
  }

  static func capsEqual<W: MachineWord>(_ a: TwinCap<W>, _ b: TwinCap<W>) -> W.Condition {
    (a.tag .== b.tag) .&& (a.ref .== b.ref) .&& (a.w1 .== b.w1) .&& (a.w2 .== b.w2) .&& (a.w3 .== b.w3)
  }

  /// Authority confinement: every non-null cap of `post` is dominated by the cap `pre` held in the
  /// same slot or in a slot the invocation names (`named`), hence by some cap of `pre`.
  public static func authorityConfined<D: SpecDomain>(
    pre: TwinState<D>, post: TwinState<D>, named: [D.Word.Condition]
  ) -> D.Word.Condition {
    post.slots.indices.reduce(D.Word.Condition(constant: true)) { all, k in
      let cap = post.slots[k].cap
      let dominated = pre.slots.indices.reduce(D.Word.Condition(constant: false)) { any, j in
        // Only a named slot's cap, or the slot's own, can be a new cap's source.
        any .|| ((j == k ? D.Word.Condition(constant: true) : named[j]) .&& dominates(pre.slots[j].cap, cap))
      }
      return all .&& (cap.isNull .|| dominated)
    }
  }

  /// True iff `cap` gives no authority that `source` does not (derivation only diminishes): the same
  /// kind and object (`tag`, `ref`), and by kind: endpoint and notification rights within `source`'s
  /// and its badge unless `source` is unbadged; a reply's grant only if `source` has it; an untyped
  /// cap's base, size and device flag (`ref`, `w1`, `w2`; not its free index `w3`); a CNode cap's
  /// radix (`w1`; not its guard size and guard `w2`, `w3`); every other kind its first word `w1` (a
  /// scheduling context's size; 0 for the kinds that use only `ref`). A word its kind does not use
  /// (`TwinCap`'s table: endpoint `w3`, reply `w2`, `w3`, and every word after `w1` of the other
  /// kinds) is not compared: it carries no authority, and the symbolic state leaves it unconstrained.
  public static func dominates<W: MachineWord>(_ source: TwinCap<W>, _ cap: TwinCap<W>) -> W.Condition {
    func choose(_ c: W.Condition, _ a: W.Condition, _ b: W.Condition) -> W.Condition { (c .&& a) .|| (.!c .&& b) }
    let sendCap = source.is(.endpoint) .|| source.is(.notification)
    // The first word: a badge (kept unless the source is unbadged), a reply's grant (only if the
    // source has it), and otherwise a size or radix (the same).
    let badge = (source.w1 .== 0) .|| (cap.w1 .== source.w1)
    let grant = (cap.w1 & source.w1) .== cap.w1
    let firstWord = choose(sendCap, badge, choose(source.is(.reply), grant, cap.w1 .== source.w1))
    // The second word: rights (within the source's) and an untyped cap's device flag (the same).
    let rights = (cap.w2 & source.w2) .== cap.w2
    let secondWord = choose(sendCap, rights, source.is(.untyped) .=> (cap.w2 .== source.w2))
    return (cap.tag .== source.tag) .&& (cap.ref .== source.ref) .&& firstWord .&& secondWord
  }

}

// Obligations that whole CNode invocations preserve the abstract invariants, for every state of a
// bounded shape and every argument: `abstract.<event>.preserves.<conjunct>` for the events Copy,
// Mint, Move, Mutate, Rotate and Delete.
//
// Each runs the twin's syscall path after the cap lookups (`TwinState.invokeCap`: the invoked
// cap's kind, `decodeCNodeInvocation` with its CSpace walks and every error in the kernel's order,
// and `invokeCNode` with the CDT operations) on `PathDomain`, once per path (`PathDomain.explore`).
// The pre-state is every field of the shape's slots; the event's arguments are words: the invoked
// slot and the extra caps' slots (any slot of the shape, or one outside it, which reads empty: the
// thread's CSpace walk that finds them changes nothing and can only end in such a slot), and every
// message register (indices, depths, rights, badge and guard words). The hypotheses are the
// encoding's type constraints, every twin conjunct of the pre-state, and that every CNode cap
// names a CNode of the shape with its radix (`valid_cap`, the shape being the whole state); the goal is, for every
// path, its path condition implies the conjunct of the path's post-state (one query per
// obligation; docs/abstract-proofs.md says why). Paths the twin does not model are left out, as
// hypotheses that say so: a CSpace walk longer than `TwinEvent.walkLevels` levels, an invoked cap
// that is not a CNode cap (another object's invocation), and the Delete of a final cap.

import Bitwise
public import KernelABI
public import SMT
public import SymbolicSpec

/// A CNode invocation as the event obligations run it.
public struct TwinEvent: Sendable {
  /// The event's name in obligation names (`copy`, ...).
  public let name: String
  public let label: InvocationLabel
  /// The message registers' names, in register order (their count is the message length).
  public let registers: [String]
  /// The extra caps' names, in order.
  public let extraCaps: [String]

  /// The most levels a CNode operation's CSpace walk may take in these proofs; longer walks are
  /// left out (in a shape of one CNode, a walk of more levels runs through a CNode cap to its own
  /// CNode again).
  public static let walkLevels = 1
  /// `walkLevels` in words.
  static var walkBound: String { walkLevels == 1 ? "one level" : "at most \(walkLevels) levels" }
  /// The most paths one event may have; more makes the obligation an error, never a proof.
  public static let maxPaths = 500

  /// The CNode invocations the twin performs, in `AbstractSpec/CNode.swift`'s order of labels.
  public static let cnodeEvents: [TwinEvent] = [
    TwinEvent(
      name: "copy", label: .cnodeCopy,
      registers: ["destIndex", "destDepth", "srcIndex", "srcDepth", "rights"], extraCaps: ["srcRoot"]),
    TwinEvent(
      name: "mint", label: .cnodeMint,
      registers: ["destIndex", "destDepth", "srcIndex", "srcDepth", "rights", "data"], extraCaps: ["srcRoot"]),
    TwinEvent(
      name: "move", label: .cnodeMove, registers: ["destIndex", "destDepth", "srcIndex", "srcDepth"],
      extraCaps: ["srcRoot"]),
    TwinEvent(
      name: "mutate", label: .cnodeMutate,
      registers: ["destIndex", "destDepth", "srcIndex", "srcDepth", "data"], extraCaps: ["srcRoot"]),
    TwinEvent(
      name: "rotate", label: .cnodeRotate,
      registers: [
        "destIndex", "destDepth", "pivotData", "pivotIndex", "pivotDepth", "srcData", "srcIndex", "srcDepth",
      ],
      extraCaps: ["pivotRoot", "srcRoot"]),
    TwinEvent(name: "delete", label: .cnodeDelete, registers: ["destIndex", "destDepth"], extraCaps: []),
  ]

  /// What one path of the event did.
  public struct PathResult {
    public let state: TwinState<PathDomain>
    /// What the invocation answered on this path.
    public let outcome: TwinInvocationOutcome<SymbolicWord>
    /// The twin does not model this path (a walk past `walkLevels`, not a CNode invocation, the
    /// Delete of a final cap).
    public let leftOut: Bool
  }

  /// The event's arguments as words: the invoked slot, the extra caps' slots and the registers.
  public struct Arguments {
    public let invoked: SymbolicWord
    /// By name (`srcRoot`, ...), in `extraCaps`' order.
    public let extraCapSlots: [SymbolicWord]
    /// In `registers`' order.
    public let registers: [SymbolicWord]
  }

  /// The slots the invocation names, each as (the cap it is reached through, its index register,
  /// its depth register): the destination through the invoked cap, and one slot through each extra
  /// cap (`srcRoot` with `srcIndex` and `srcDepth`, `pivotRoot` with `pivotIndex` and `pivotDepth`).
  /// `nil` for the root is the invoked cap.
  public var namedLookups: [(root: String?, index: String, depth: String)] {
    [(nil, "destIndex", "destDepth")]
      + extraCaps.map { root in
        let prefix = root.hasSuffix("Root") ? String(root.dropLast(4)) : root
        return (root, "\(prefix)Index", "\(prefix)Depth")
      }
  }

  /// Declare the event's arguments in `scope` and explore every path of it from `state`.
  /// - Throws: `PathDomain.TooManyPaths` beyond `maxPaths`.
  public func explore(_ state: TwinState<PathDomain>, _ scope: ProofScope) throws(PathDomain.TooManyPaths)
    -> [PathDomain.Path<PathResult>]
  {
    try explore(state, declaring: scope).paths
  }

  /// Declare the event's arguments in `scope` (each slot in the shape or outside it), and explore
  /// every path of it from `state`; the arguments are returned for goals that read them.
  /// - Throws: `PathDomain.TooManyPaths` beyond `maxPaths`.
  public func explore(_ state: TwinState<PathDomain>, declaring scope: ProofScope) throws(PathDomain.TooManyPaths)
    -> (arguments: Arguments, paths: [PathDomain.Path<PathResult>])
  {
    let inShape = { (slot: SymbolicWord) in
      (slot .< state.id(state.count)) .|| (slot .== SymbolicWord(constant: noSlot))
    }
    let invoked = scope.word("arg.invoked")
    scope.assume(inShape(invoked))
    let extraCapSlots = extraCaps.map { scope.word("arg.\($0)") }
    for slot in extraCapSlots { scope.assume(inShape(slot)) }
    let registerWords = registers.map { scope.word("arg.\($0)") }
    let arguments = Arguments(invoked: invoked, extraCapSlots: extraCapSlots, registers: registerWords)
    var start = state
    start.maxWalkLevels = Self.walkLevels
    let paths = try state.domain.explore(maxPaths: Self.maxPaths) {
      var post = start
      let outcome = post.invokeCap(
        invoked, label: label.rawValue, registers: registerWords, extraCapSlots: extraCapSlots)
      let uncovered: Bool
      if case .uncovered = outcome { uncovered = true } else { uncovered = false }
      return PathResult(state: post, outcome: outcome, leftOut: uncovered || post.walkBoundReached)
    }
    return (arguments, paths)
  }
}

extension Obligation {
  /// The shape is the whole state, and its caps are valid (`valid_cap`): every CNode cap names one
  /// of the shape's CNodes and has its radix. Without this a walk through a CNode cap to an address
  /// outside the shape ends in a slot the symbolic state does not have (`noSlot`), where a move
  /// would drop its cap: an artifact of the bound, not of the twin (a concrete twin adds the slot).
  static func cnodeCapsNameTheShape(_ state: TwinState<PathDomain>, _ shape: AbstractShape) -> SymbolicBool {
    let containers = Set(shape.slotRefs.map(\.container)).sorted()
    let radix = SymbolicWord(constant: UInt64(shape.slotsPerCNode.trailingZeroBitCount))
    return state.slots.reduce(.known(true)) { all, slot in
      let named = containers.reduce(SymbolicBool.known(false)) { $0 .|| (slot.cap.ref .== SymbolicWord(constant: $1)) }
      return all .&& (.!slot.cap.is(.cnode) .|| (named .&& (slot.cap.w1 .== radix)))
    }
  }

  /// `abstract.<event>.preserves.<conjunct>` for every CNode event and twin conjunct, over `shape`;
  /// with `mutant` (a CDT slip) or `eventMutant` (a slip in an invocation) planted in the twin, or
  /// with every path's post-state replaced by fresh words (`havoc`, the mutation test's catch-all).
  public static func abstractEvents(
    shape: AbstractShape = .default, mutant: TwinMutant? = nil, eventMutant: TwinEventMutant? = nil,
    havoc: Bool = false
  ) -> [Obligation] {
    let conjuncts = TwinState<PathDomain>.conjuncts.map(\.name)
    let bound =
      "for every state of \(shape) of the symbolic twin (SymbolicSpec; its agreement with AbstractSpec is tested, not proved), CNode caps naming \(shape.itsCNodes) with its radix, every argument word, CSpace walks of \(TwinEvent.walkBound)"
    return TwinEvent.cnodeEvents.flatMap { event in
      conjuncts.indices.map { index in
        let invariants =
          TwinState<PathDomain>.conjuncts[index].core
          ? "the twin's invariants (mdb_cte_at, valid_ioc, no_mloop, ut_revocable, irq_revocable)"
          : "the twin invariants \(TwinState<PathDomain>.hypotheses(for: conjuncts[index]).map(\.name).joined(separator: ", "))"
        return Obligation(
          "abstract.\(event.name).preserves.\(conjuncts[index])",
          "for every state of \(shape) satisfying \(invariants), its CNode caps naming \(shape.itsCNodes) with its radix, and every invoked slot, extra-cap slot and message word (\(event.registers.joined(separator: ", "))), the CNode \(event.name) invocation (decode, CSpace walks of \(TwinEvent.walkBound), errors, the CDT operation) preserves \(conjuncts[index]); not covered: longer walks, a non-CNode invoked cap, the Delete of a final cap",
          bound: bound, shape: shape
        ) { scope in
          let domain = PathDomain()
          var state = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("pre.\($0)") }
          state.plant(mutant)
          if let eventMutant { state.plant(eventMutant) }
          scope.assume(state.typeOK())
          for conjunct in TwinState<PathDomain>.hypotheses(for: conjuncts[index]) {
            scope.assume(conjunct.holds(state))
          }
          scope.assume(cnodeCapsNameTheShape(state, shape))
          let paths: [PathDomain.Path<TwinEvent.PathResult>]
          do throws(PathDomain.TooManyPaths) {
            paths = try event.explore(state, scope)
          } catch {
            scope.fail("abstract.\(event.name): \(error)")
            return .known(false)
          }
          let havocked = TwinState(domain: domain, slotRefs: shape.slotRefs) { scope.word("post.\($0)") }
          // Paths not modelled: the bound says so, and the hypotheses leave them out.
          for path in paths where path.result.leftOut { scope.assume(.!path.condition) }
          let conjunct = TwinState<PathDomain>.conjuncts[index]
          return paths.filter { !$0.result.leftOut }.reduce(SymbolicBool.known(true)) { goal, path in
            goal .&& (.!path.condition .|| conjunct.holds(havoc ? havocked : path.result.state))
          }
        }
      }
    }
  }
}

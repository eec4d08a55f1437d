// The path explorer behind the event obligations (`PathDomain.explore`) and the event obligations
// built from it (`abstract.<event>.preserves.<conjunct>`, docs/abstract-proofs.md).

import Bitwise
import KernelABI
import Refinement
import SMT
import SymbolicSpec
import Testing

@Suite struct PathExplorerTests {
  /// Two nested symbolic decisions and a known one: three paths, true sides first, each with its
  /// own condition; the known condition forks nothing.
  @Test func exploresEveryPathOnceTrueSidesFirst() throws {
    let scope = ProofScope(context: Context())
    let (a, b) = (scope.word("a"), scope.word("b"))
    let domain = PathDomain()
    let paths = try domain.explore(maxPaths: 10) { () -> Int in
      guard domain.decide(SymbolicWord(constant: 1) .== 1) else { return 0 }
      if domain.decide(a .== 0) { return domain.decide(b .== 0) ? 1 : 2 }
      return 3
    }
    #expect(paths.map(\.result) == [1, 2, 3])
    #expect(
      paths.map { $0.condition.description } == [
        (a .== 0 .&& b .== 0).description, (a .== 0 .&& .!(b .== 0)).description, (.!(a .== 0)).description,
      ])
  }

  /// Past its bound the explorer throws, and an obligation that gives up is an error, never a proof.
  @Test func tooManyPathsIsAnErrorNeverAProof() throws {
    let domain = PathDomain()
    #expect(throws: PathDomain.TooManyPaths.self) {
      let scope = ProofScope(context: Context())
      let words = (0..<3).map { scope.word("w\($0)") }
      _ = try domain.explore(maxPaths: 7) { words.map { domain.decide($0 .== 0) } }
    }
    let givesUp = Obligation("test.givesUp", "gives up") { scope in
      scope.fail("more than 7 paths")
      return .known(true)
    }
    let result = Discharger(jobs: 1).discharge(givesUp)
    #expect(result.status == .error)
    #expect(result.detail?.contains("more than 7 paths") == true)
  }

  /// Every event has paths that perform it and paths that fail, well within the bound; the
  /// counts are measured (docs/abstract-proofs.md records them).
  @Test func everyEventPerformsAndFailsWithinTheBound() throws {
    var counts: [String: Int] = [:]
    for event in TwinEvent.cnodeEvents {
      let scope = ProofScope(context: Context())
      let state = TwinState(domain: PathDomain(), slotRefs: AbstractShape.default.slotRefs) { scope.word("pre.\($0)") }
      let paths = try event.explore(state, scope)
      counts[event.name] = paths.count
      #expect(paths.count < TwinEvent.maxPaths)
      #expect(paths.contains { if case .done = $0.result.outcome { !$0.result.leftOut } else { false } })
      #expect(paths.contains { if case .failed = $0.result.outcome { true } else { false } })
    }
    #expect(counts == ["copy": 22, "mint": 22, "move": 19, "mutate": 19, "rotate": 34, "delete": 11])
  }

  /// The event obligations: six events × every twin conjunct, each bounded by the shape and the
  /// walk, with its SMT-LIB2 text small enough to keep.
  @Test func eventObligationsCoverEveryEventAndConjunct() throws {
    let obligations = Obligation.abstractEvents()
    let conjuncts = TwinState<Concrete>.conjuncts.map(\.name)
    #expect(
      obligations.map(\.name)
        == TwinEvent.cnodeEvents.flatMap { e in conjuncts.map { "abstract.\(e.name).preserves.\($0)" } })
    for obligation in obligations {
      #expect(obligation.bound?.contains("shape (1 CNode × 4 slots)") == true)
      #expect(obligation.bound?.contains("CSpace walks of one level") == true)
    }
    let text = try Discharger.smtFile(
      of: try #require(obligations.first { $0.name == "abstract.rotate.preserves.no_mloop" }))
    #expect(text.utf8.count < 2_000_000, "\(text.utf8.count) bytes")
  }
}

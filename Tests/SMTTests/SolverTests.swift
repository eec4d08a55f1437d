import Bitwise
import SMT
import Testing

@Suite struct SolverTests {
  @Test func bitVectorArithmeticWrapsAndIsSatisfiable() throws {
    let ctx = Context()
    let x = ctx.bitVector("x", width: 8)
    let solver = Solver(ctx)
    try solver.add(x + ctx.literal(1, width: 8) .== ctx.literal(0, width: 8))
    guard case .sat(let model) = try solver.check() else {
      Issue.record("expected sat")
      return
    }
    #expect(try model.uint64(x) == 255)
  }

  @Test func contradictionIsUnsatWithCore() throws {
    let ctx = Context()
    let x = ctx.int("x")
    let solver = Solver(ctx)
    try solver.add(x .> ctx.literal(Int64(10)), named: "big")
    try solver.add(x .< ctx.literal(Int64(5)), named: "small")
    try solver.add(x .!= ctx.literal(Int64(7)), named: "irrelevant")
    #expect(try solver.check().isUnsat)
    let core = try solver.unsatCore()
    #expect(Set(core) == ["big", "small"])
  }

  @Test func quantifiedArrayFact() throws {
    let ctx = Context()
    let bv = Sort.bitVector(width: 8)
    let a = ctx.constant("a", .array(domain: bv, range: bv))
    let i = ctx.bitVector("i", width: 8)
    let j = ctx.bitVector("j", width: 8)
    // ∀ i j. i ≠ j → store(a, i, v)[j] == a[j]: refuted never, so its negation is unsat.
    let v = ctx.bitVector("v", width: 8)
    let fact = ctx.forall([i, j], (i .!= j) .=> (a.storing(v, at: i)[j] .== a[j]))
    let solver = Solver(ctx)
    try solver.add(.!fact)
    #expect(try solver.check().isUnsat)
    // A constant array reads back its value everywhere.
    let c = ctx.constantArray(domain: bv, value: ctx.literal(3, width: 8))
    let s2 = Solver(ctx)
    try s2.add(c[j] .!= ctx.literal(3, width: 8))
    #expect(try s2.check().isUnsat)
  }

  @Test func existentialAndIntegers() throws {
    let ctx = Context()
    let n = ctx.int("n")
    let s = Solver(ctx)
    try s.add(ctx.exists([n], n * n .== ctx.literal(Int64(49))))
    #expect(try s.check().isSat)
  }

  @Test func widthMismatchIsASwiftError() throws {
    let ctx = Context()
    let a = ctx.bitVector("a", width: 8)
    let b = ctx.bitVector("b", width: 16)
    let sum = a + b
    #expect(!sum.isValid)
    #expect(ctx.firstError?.kind == .z3)
    let solver = Solver(ctx)
    #expect(throws: SMTError.self) { try solver.add(sum .== sum) }
    #expect(throws: SMTError.self) { try solver.check() }
  }

  @Test func boolWhereBitVectorNeededIsASwiftError() throws {
    let ctx = Context()
    let p = ctx.bool("p")
    let bad = p & ctx.literal(1, width: 8)
    #expect(!bad.isValid)
    #expect(throws: SMTError.self) { try ctx.validate() }
    #expect(throws: SMTError.self) { try ctx.smtlib2(asserting: [bad .== bad]) }
  }

  @Test func invalidSortAndExtractAreSwiftErrors() throws {
    let zeroWidth = Context()
    #expect(!zeroWidth.bitVector("z", width: 0).isValid)
    #expect(throws: SMTError.self) { try zeroWidth.validate() }
    let ctx = Context()
    let x = ctx.bitVector("x", width: 8)
    #expect(!x.extract(high: 2, low: 5).isValid)
    #expect(throws: SMTError.self) { try ctx.validate() }
  }

  @Test func termsFromAnotherContextAreRefused() throws {
    let one = Context()
    let two = Context()
    let x = one.bitVector("x", width: 8)
    let y = two.bitVector("y", width: 8)
    let mixed = x + y
    #expect(!mixed.isValid)
    #expect(one.firstError?.kind == .foreignContext)
    let solver = Solver(two)
    #expect(throws: SMTError.self) { try solver.add(x .== x) }
  }

  @Test func resourceLimitGivesUnknownNotAProof() throws {
    let ctx = Context()
    // Factoring a 64-bit semiprime by bit-blasting is far beyond 2,000 resource units.
    let p = ctx.bitVector("p", width: 64)
    let q = ctx.bitVector("q", width: 64)
    let one = ctx.literal(1, width: 64)
    let limit: UInt64 = 1 << 32
    let solver = Solver(ctx, limits: SolverLimits(resourceLimit: 2_000, wallClockSeconds: 30))
    try solver.add(p * q .== ctx.literal(0xFFFF_FFFB_0000_0013, width: 64))
    try solver.add(p .> one .&& q .> one .&& p .< ctx.literal(limit, width: 64) .&& q .< ctx.literal(limit, width: 64))
    guard case .unknown(let reason) = try solver.check() else {
      Issue.record("expected unknown under a tiny resource limit")
      return
    }
    #expect(!reason.isEmpty)
  }

  @Test func modelReadsNeedSat() throws {
    let ctx = Context()
    let x = ctx.bitVector("x", width: 70)
    let s = Solver(ctx)
    try s.add(x .== ctx.numeral("1180591620717411303424", .bitVector(width: 70)))  // 2^70 / 1... = 2^70? no: 2^70 wraps
    guard case .sat(let model) = try s.check() else {
      Issue.record("expected sat")
      return
    }
    #expect(try model.decimal(x) == "0")  // 2^70 is 0 modulo 2^70
    #expect(throws: SMTError.self) { try model.uint64(ctx.bool("p")) }
  }

  @Test func smtlibTextIsCompleteAndDeterministic() throws {
    func script() throws -> String {
      let ctx = Context()
      let x = ctx.bitVector("x", width: 64)
      return try ctx.smtlib2(
        asserting: [x .> ctx.literal(3, width: 64), x .< ctx.literal(2, width: 64)], logic: "QF_BV")
    }
    let text = try script()
    #expect(text.contains("(declare-fun x () (_ BitVec 64))"))
    #expect(text.contains("(check-sat)"))
    #expect(text.contains("QF_BV"))
    #expect(try script() == text)
  }

  /// The text depends on the formula, not on the order its terms were made: Z3 names `let`
  /// bindings after term ids, so a context that made other terms first printed other names (a
  /// release build's proofs hashed differently from a debug build's).
  @Test func smtlibTextDoesNotDependOnTermOrder() throws {
    func script(makeOthersFirst: Bool) throws -> String {
      let ctx = Context()
      let z = ctx.bitVector("z", width: 64)
      if makeOthersFirst {
        for k in UInt64(1)...40 {
          let other = (z * ctx.literal(k, width: 64)) .== ctx.literal(k + 1, width: 64)
          #expect(other.context === ctx)
        }
      }
      let x = ctx.bitVector("x", width: 64)
      let y = ctx.bitVector("y", width: 64)
      let shared = (x + y) * (x + y)
      let again = shared + shared
      return try ctx.smtlib2(
        asserting: [again .> shared, (again * again) .== (shared * again), shared .< z], logic: "QF_BV")
    }
    let plain = try script(makeOthersFirst: false)
    #expect(plain.contains("(let"), "the formula must share subterms so that Z3 names let bindings")
    #expect(try script(makeOthersFirst: true) == plain)
  }
}

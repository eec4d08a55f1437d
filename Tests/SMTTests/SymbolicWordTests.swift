import Bitwise
import SMT
import Testing

/// The symbolic word must agree with UInt64 on every operation: evaluate both on the same inputs.
@Suite struct SymbolicWordTests {
  static let samples: [UInt64] = [0, 1, 2, 3, 63, 64, 65, 0x7F, 0x8000_0000_0000_0000, ~0, 0xDEAD_BEEF_CAFE_F00D, 12]

  /// Build `op` over two symbolic variables, fix them to a and b, and read the result from a model.
  func symbolic(_ a: UInt64, _ b: UInt64, _ op: (SymbolicWord, SymbolicWord) -> SymbolicWord) throws -> UInt64 {
    let ctx = Context()
    let x = SymbolicWord.variable("x", in: ctx)
    let y = SymbolicWord.variable("y", in: ctx)
    let result = op(x, y).term(in: ctx)
    let solver = Solver(ctx)
    try solver.add(x.term(in: ctx) .== ctx.literal(a, width: 64))
    try solver.add(y.term(in: ctx) .== ctx.literal(b, width: 64))
    guard case .sat(let model) = try solver.check() else { throw SMTError(.noModel, "unsat") }
    return try model.uint64(result)
  }

  func agree(_ name: String, _ op: (SymbolicWord, SymbolicWord) -> SymbolicWord, _ concrete: (UInt64, UInt64) -> UInt64)
    throws
  {
    for a in Self.samples {
      for b in Self.samples.prefix(6) {
        let got = try symbolic(a, b, op)
        #expect(got == concrete(a, b), "\(name)(\(a), \(b))")
        // Constant folding runs the UInt64 code itself.
        if case .known(let folded) = op(.known(a), .known(b)) {
          #expect(folded == concrete(a, b))
        } else {
          Issue.record("constants did not fold for \(name)")
        }
      }
    }
  }

  @Test func operationsAgreeWithUInt64() throws {
    try agree("&", { $0 & $1 }, { $0 & $1 })
    try agree("|", { $0 | $1 }, { $0 | $1 })
    try agree("^", { $0 ^ $1 }, { $0 ^ $1 })
    try agree("&+", { $0 &+ $1 }, { $0 &+ $1 })
    try agree("&-", { $0 &- $1 }, { $0 &- $1 })
    try agree("&*", { $0 &* $1 }, { $0 &* $1 })
    try agree("<<", { $0 << $1 }, { $0 << $1 })
    try agree(">>", { $0 >> $1 }, { $0 >> $1 })
    try agree("select(<)", { .select($0 .< $1, $0, $1) }, { $0 < $1 ? $0 : $1 })
    try agree("alignUp", { .alignUp($0, bits: $1) }, { .alignUp($0, bits: $1) })
  }

  @Test func knownConditionsShortCircuit() {
    let ctx = Context()
    let x = SymbolicWord.variable("x", in: ctx)
    let c = (x .== 3) .&& .known(false)
    guard case .known(false) = c else {
      Issue.record("false ∧ p should fold to false")
      return
    }
    guard case .term = (x .== 3) .&& .known(true) else {
      Issue.record("true ∧ p should be p")
      return
    }
  }
}

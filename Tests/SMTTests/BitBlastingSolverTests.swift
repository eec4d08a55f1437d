// The bit-blasting tactic pipeline the symbolic twin's obligations are solved with
// (`Solver.bitBlasting`, docs/abstract-proofs.md "Solver time"): it answers sat with a model of every
// variable (eliminated ones too, through the tactics' model converters), unsat, and unknown when
// the resource limit or the wall-clock guard ends it, never a wrong answer.

import Bitwise
import SMT
import Testing

@Suite struct BitBlastingSolverTests {
  /// A model that satisfies the query, including variables the pipeline eliminates (`y` is solved
  /// by `solve-eqs`, `z` is unconstrained).
  @Test func satisfiableQueriesHaveAModelOfEveryVariable() throws {
    let ctx = Context()
    let (x, y, z) = (ctx.bitVector("x", width: 64), ctx.bitVector("y", width: 64), ctx.bitVector("z", width: 64))
    let solver = Solver.bitBlasting(ctx)
    try solver.add(y .== x + ctx.literal(3, width: 64))
    try solver.add((x & ctx.literal(0xFF, width: 64)) .== ctx.literal(0x2A, width: 64))
    try solver.add(y .> ctx.literal(0x1000, width: 64))
    try solver.add((z ^ z) .== ctx.literal(0, width: 64))
    guard case .sat(let model) = try solver.check() else {
      Issue.record("expected sat")
      return
    }
    let (vx, vy) = (try model.uint64(x), try model.uint64(y))
    #expect(vx & 0xFF == 0x2A && vy == vx &+ 3 && vy > 0x1000)
    _ = try model.uint64(z)
  }

  @Test func contradictionsAreUnsat() throws {
    let ctx = Context()
    let x = ctx.bitVector("x", width: 64)
    let solver = Solver.bitBlasting(ctx)
    try solver.add(x .< ctx.literal(3, width: 64))
    try solver.add(x * ctx.literal(2, width: 64) .== ctx.literal(9, width: 64))
    #expect(try solver.check().isUnsat)
  }

  /// 2^63 − 25 is prime: no 32-bit factors, but bit-blasting cannot show it within either limit.
  @Test(arguments: [
    SolverLimits(resourceLimit: 1_000, wallClockSeconds: 30), SolverLimits(resourceLimit: nil, wallClockSeconds: 0.2),
  ])
  func limitsGiveUnknown(limits: SolverLimits) throws {
    let ctx = Context()
    let (p, q) = (ctx.bitVector("p", width: 64), ctx.bitVector("q", width: 64))
    let (one, bound) = (ctx.literal(1, width: 64), ctx.literal(0x1_0000_0000, width: 64))
    let solver = Solver.bitBlasting(ctx, limits: limits)
    try solver.add(p .> one .&& q .> one .&& p .< bound .&& q .< bound)
    try solver.add(p * q .== ctx.literal(0x7FFF_FFFF_FFFF_FFE7, width: 64))
    guard case .unknown(let reason) = try solver.check() else {
      Issue.record("expected unknown")
      return
    }
    #expect(!reason.isEmpty)
  }
}

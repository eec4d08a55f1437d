import Bitwise
import Foundation
import KernelABI
import Refinement
import SMT
import Testing

@Suite struct ObligationTests {
  /// The default resource limit (deterministic: the same answer on every machine), and a
  /// wall-clock guard well above it: under a fully loaded test run on 2 cores the retype
  /// obligations took over the default 60 s and came back unknown.
  let discharger = Discharger(limits: SolverLimits(wallClockSeconds: 600), jobs: 2)

  /// "A 63-bit prime has no two 32-bit factors": true, with no model to find, but proving it
  /// means showing the number prime by bit-blasting, far beyond a small resource or time budget.
  func hardFactoring(_ name: String) -> Obligation {
    // 2^63 − 25 is prime and below (2^32 − 1)^2, so no pair of 32-bit factors reaches it: the goal
    // is true, and no model exists, yet a proof means showing a 63-bit number prime by
    // bit-blasting, far beyond these limits: the guards must give unknown. (0xffffffea00000055,
    // used first, is (2^32 − 5)(2^32 − 17): Z3 sometimes found those factors within the
    // wall-clock guard, so CI got "refuted". 2^64 − 59, used next, is above (2^32 − 1)^2: Z3
    // sometimes proved the goal from the bounds alone, "proved".)
    Obligation(name, "2^63 − 25 has no factors in 2...2^32−1") { s in
      let p = s.word("p")
      let q = s.word("q")
      s.assume(p .> 1 .&& q .> 1 .&& p .< 0x1_0000_0000 .&& q .< 0x1_0000_0000)
      return p &* q .!= 0x7FFF_FFFF_FFFF_FFE7
    }
  }

  @Test func catalogueNamesAreUniqueAndNumerous() {
    let names = Obligation.catalogue.map(\.name)
    #expect(Set(names).count == names.count)
    #expect(names.count >= 12)
  }

  @Test func everyObligationHoldsForTheKernelCode() {
    let results = discharger.discharge(Obligation.catalogue)
    for r in results {
      #expect(r.status == .proved, "\(r.name): \(r.status) \(r.detail ?? "") \(r.counterexample ?? [])")
    }
    #expect(results.count == Obligation.catalogue.count)
  }

  /// The mutation test: every obligation in the catalogue is refuted by at least one broken
  /// version of the code, so none of them is true of any code whatever.
  @Test func everyObligationCanFail() {
    let mutated = Mutants.all
    let results = discharger.discharge(mutated.map(\.obligation))
    var refutedNames = Set<String>()
    for (r, m) in zip(results, mutated) where r.status == .refuted {
      refutedNames.insert(r.name)
      // A refutation always comes with a counterexample.
      #expect(!(r.counterexample ?? []).isEmpty, "\(m.mutant): \(r.name) refuted without a counterexample")
    }
    for r in results {
      #expect(r.status == .proved || r.status == .refuted, "\(r.name): unexpected \(r.status)")
    }
    let missing = Set(Obligation.catalogue.map(\.name)).subtracting(refutedNames)
    #expect(missing.isEmpty, "no mutant refutes: \(missing.sorted())")
  }

  @Test func counterexampleIsDecodedIntoFields() throws {
    let clampless = Mutants.messageInfo(clamp: nil)
    let obligation = try #require(Obligation.messageInfo(clampless).first { $0.name == "messageInfo.lengthClamped" })
    let result = discharger.discharge(obligation)
    #expect(result.status == .refuted)
    let word = try #require(result.counterexample?.first { $0.name == "word" })
    let length = try #require(word.fields?.first { $0.name == "length" })
    // The only way to refute it: a raw length above 120 that was not clamped.
    #expect(length.value > 120)
    #expect(word.description.contains("length: \(length.value)"))
  }

  @Test func contradictoryHypothesesAreVacuous() {
    let obligation = Obligation("test.vacuous", "x < 3 and x > 5 prove anything") { s in
      let x = s.word("x")
      s.assume(x .< 3)
      s.assume(x .> 5)
      return x .== 42
    }
    let result = discharger.discharge(obligation)
    #expect(result.status == .vacuous)
  }

  @Test func resourceExhaustionIsUnknownNeverProved() {
    let obligation = hardFactoring("test.hard")
    let tiny = Discharger(limits: SolverLimits(resourceLimit: 1_000, wallClockSeconds: 30), jobs: 1)
    let result = tiny.discharge(obligation)
    #expect(result.status == .unknown)
    #expect(result.detail != nil)
  }

  @Test func wallClockGuardGivesUnknown() {
    let obligation = hardFactoring("test.slow")
    let hurried = Discharger(limits: SolverLimits(resourceLimit: nil, wallClockSeconds: 0.2), jobs: 1)
    let result = hurried.discharge(obligation)
    #expect(result.status == .unknown)
    #expect(result.detail?.contains("wall-clock") == true)
  }

  @Test func buildErrorsAreReportedNotCrashes() {
    let obligation = Obligation("test.illSorted", "a goal built from mismatched widths") { s in
      let x = s.word("x")
      let narrow = SymbolicWord.term(s.context.bitVector("narrow", width: 8))
      return x .== narrow
    }
    let result = discharger.discharge(obligation)
    #expect(result.status == .error)
    #expect(result.detail?.isEmpty == false)
  }

  @Test func smtTextIsDeterministic() throws {
    for o in Obligation.catalogue.prefix(6) {
      #expect(try Discharger.smtFile(of: o) == Discharger.smtFile(of: o))
    }
  }

  @Test func sha256KnownAnswers() {
    #expect(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(sha256Hex(String(repeating: "a", count: 1000)).count == 64)
  }
}

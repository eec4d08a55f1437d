// Seeded mutations of the real files: the parser returns a model or an error positioned inside
// the text, and never crashes or hangs.

import CapDL
import KernelABI
import TestSupport
import Testing

enum Mutator {
  /// Rough token boundaries: runs of identifier characters, or single other characters.
  static func tokens(_ s: [Character]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var i = 0
    while i < s.count {
      if s[i].isWhitespace {
        i += 1
        continue
      }
      var j = i + 1
      if s[i].isLetter || s[i].isNumber || s[i] == "_" {
        while j < s.count, s[j].isLetter || s[j].isNumber || s[j] == "_" { j += 1 }
      }
      out.append(i..<j)
      i = j
    }
    return out
  }

  static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
    var s = Array(text)
    let toks = tokens(s)
    guard !toks.isEmpty else { return text }
    let t = toks[Int.random(in: 0..<toks.count, using: &rng)]
    switch rng.next() % 6 {
    case 0: s.removeSubrange(t)  // delete a token
    case 1: s.insert(contentsOf: s[t] + [" "], at: t.lowerBound)  // duplicate a token
    case 2:  // swap two tokens
      let u = toks[Int.random(in: 0..<toks.count, using: &rng)]
      let (a, b) = t.lowerBound < u.lowerBound ? (t, u) : (u, t)
      if a.upperBound <= b.lowerBound {
        let first = Array(s[a])
        let second = Array(s[b])
        s.replaceSubrange(b, with: first)
        s.replaceSubrange(a, with: second)
      }
    case 3:  // flip a character
      let i = Int.random(in: 0..<s.count, using: &rng)
      s[i] = Character(Unicode.Scalar(UInt8(rng.next() % 128)))
    case 4: s.removeSubrange(Int.random(in: 0..<s.count, using: &rng)..<s.count)  // truncate
    default:  // insert random bytes (decoded leniently, so invalid UTF-8 becomes U+FFFD)
      let bytes = (0..<Int(rng.next() % 8 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      s.insert(contentsOf: Array(String(decoding: bytes, as: UTF8.self)), at: Int.random(in: 0...s.count, using: &rng))
    }
    return String(s)
  }
}

@Suite struct FuzzTests {
  /// Mutates `texts` (one to three mutations each, round robin) `count` times: what parses prints
  /// and parses back to itself, and loads or is refused with a message; what fails names a place
  /// inside the text. Returns how many mutants parsed, failed to parse, and loaded.
  static func mutants(of texts: [String], count: Int, seed: UInt64) -> (parsed: Int, failed: Int, loaded: Int) {
    var rng = SplitMix64(seed: seed)
    var (parsed, failed, loaded) = (0, 0, 0)
    for n in 0..<count {
      var text = texts[n % texts.count]
      for _ in 0..<Int(rng.next() % 3 + 1) { text = Mutator.mutate(text, &rng) }
      do {
        let model = try CapDLModel.parse(text, file: "mutant\(n)")
        parsed += 1
        // What parses must print and parse back to itself.
        #expect(try CapDLModel.parse(model.description) == model, "mutant \(n)")
        do {
          let result = try loadSystemPlan(from: model, growUndersizedUntypeds: true)
          loaded += 1
          #expect(LoadedPlanFacts.problems(model, result) == [], "mutant \(n)")
        } catch {
          #expect(!error.message.isEmpty, "mutant \(n)")
        }
      } catch {
        failed += 1
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(error.line >= 1 && error.line <= lines.count, "mutant \(n): \(error)")
        if error.line >= 1 && error.line <= lines.count {
          let length = lines[error.line - 1].unicodeScalars.count
          #expect(error.column >= 1 && error.column <= length + 1, "mutant \(n): \(error)")
        }
        #expect(!error.message.isEmpty)
      }
    }
    #expect(parsed + failed == count)
    return (parsed, failed, loaded)
  }

  @Test(Corpus.enabled) func mutantsParseOrFailInsideTheText() throws {
    let texts = try Corpus.files.map { try Corpus.text($0) }
    let (parsed, failed, _) = Self.mutants(of: texts, count: 2_400, seed: 0xC0FF_EE00_CAFE)
    // 52 parse and 2,348 fail with this seed: both sides must stay well exercised.
    #expect(failed >= 2_000 && parsed >= 30, "parsed \(parsed), failed \(failed)")
  }

  @Test func mutantsOfTheFixturesParseOrFailInsideTheText() throws {
    let texts = try Fixtures.capDLStems.map { try Fixtures.capDL($0) }
    let (parsed, failed, loaded) = Self.mutants(of: texts, count: 1_600, seed: 0xF1C5_7735)
    // 105 parse (104 of them load) and 1,495 fail with this seed.
    #expect(failed >= 1_200 && parsed >= 80 && loaded >= 70, "parsed \(parsed), failed \(failed), loaded \(loaded)")
  }

  @Test func deepUntypedNestingIsAnErrorNotACrash() {
    let text = "arch arm11 objects { " + String(repeating: "u = ut { ", count: 5_000)
    #expect(failure(text)?.contains("nesting deeper than 256 levels") == true)
  }

  /// Plans loaded from single mutations of a loadable system: enough of them load for the
  /// property to mean something, and each has every object placed where the side tables say,
  /// inside its untyped, and passes `validate()`.
  static func loadedMutants(of text: String, seed: UInt64) -> Int {
    var rng = SplitMix64(seed: seed)
    var loaded = 0
    for n in 0..<400 {
      let mutant = Mutator.mutate(text, &rng)
      guard let model = try? CapDLModel.parse(mutant), let result = try? loadSystemPlan(from: model) else { continue }
      loaded += 1
      #expect(LoadedPlanFacts.problems(model, result) == [], "mutant \(n)")
    }
    return loaded
  }

  @Test func loadedPlansFromValidInputAlwaysValidate() throws {
    let loaded = Self.loadedMutants(of: try Fixtures.capDL("mcs-server"), seed: 7)
    // 64 of 400 load with this seed (66 before the loader refused fault handlers without Write and Grant/GrantReply).
    #expect(loaded >= 50, "only \(loaded) of 400 mutants loaded")
  }

  @Test(Corpus.enabled) func loadedPlansFromTheCorpusAlwaysValidate() throws {
    let loaded = Self.loadedMutants(of: try Corpus.text("cap-dist-elf-simpleserver.cdl"), seed: 7)
    // 46 of 400 load with this seed.
    #expect(loaded >= 30, "only \(loaded) of 400 mutants loaded")
  }
}

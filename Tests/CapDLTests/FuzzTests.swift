// Seeded mutations of the real files: the parser returns a model or an error positioned inside
// the text, and never crashes or hangs.

import CapDL
import KernelABI
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
        let first = Array(s[a]), second = Array(s[b])
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
  @Test func mutantsParseOrFailInsideTheText() throws {
    var rng = SplitMix64(seed: 0xC0FF_EE00_CAFE)
    let texts = try SharedFiles.all.map { try SharedFiles.text($0) }
    var parsed = 0
    var failed = 0
    for n in 0..<2_400 {
      var text = texts[n % texts.count]
      for _ in 0..<Int(rng.next() % 3 + 1) { text = Mutator.mutate(text, &rng) }
      do {
        let model = try CapDLModel.parse(text, file: "mutant\(n)")
        parsed += 1
        // What parses must print and parse back to itself.
        #expect(try CapDLModel.parse(model.description) == model, "mutant \(n)")
        _ = try? loadSystemPlan(from: model, growUndersizedUntypeds: true)
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
    #expect(parsed + failed == 2_400)
    #expect(failed > 0 && parsed > 0)
  }

  @Test func deepUntypedNestingIsAnErrorNotACrash() {
    let text = "arch arm11 objects { " + String(repeating: "u = ut { ", count: 5_000)
    #expect(failure(text)?.contains("nesting deeper than 256 levels") == true)
  }

  @Test func loadedPlansFromValidInputAlwaysValidate() throws {
    // Any plan the loader returns has passed `validate()`; check the property directly too.
    var rng = SplitMix64(seed: 7)
    let text = try SharedFiles.text("cap-dist-elf-simpleserver.cdl")
    for _ in 0..<200 {
      guard let model = try? CapDLModel.parse(Mutator.mutate(text, &rng)) else { continue }
      if let plan = try? systemPlan(from: model) { #expect(plan.validate() == []) }
    }
  }
}

// Issue 11: the "did you mean" search does bounded work whatever the length of what was typed
// (main ran full edit distance over a whole 200,000-character token: 12 s). Asserted on the cells
// of the edit-distance table computed, not on time.

import KernelABI
import Testing

@testable import Explorer

@Suite struct SuggestionTests {
  /// The "did you mean" search ran full edit distance over a 200,000-character token against every
  /// name (about 16 million cells for the command names); now a length check skips it.
  @Test func suggestionSearchSkipsTokensFarLongerThanAnyName() {
    let names = Commands.all.map(\.name)
    let long = String(repeating: "stpe", count: 50_000)
    let (guess, cells) = closestWithWork(to: long, in: names)
    #expect(guess == nil)
    #expect(cells == 0)
    var s = Session(
      plan: .sample, events: [], source: SessionSource(description: "sample", systemPath: "builtin"),
      names: Session.sampleNames)
    #expect(s.say(long).hasPrefix("unknown command 'stpestpe"))
    #expect(s.say("show object " + long).hasPrefix("no object named"))
    // A short typo still finds its command, in a band: at most 7 cells a row.
    let (typo, typoCells) = closestWithWork(to: "stpe", in: names)
    #expect(typo == "step")
    #expect(typoCells <= names.count * 4 * 7)
  }

  /// The banded distance agrees with the full table wherever the full distance is within the
  /// limit, and says "more" (nil) exactly when it is not (seeded random words over a small
  /// alphabet, so that near misses and swaps are common).
  @Test func boundedEditDistanceAgreesWithTheFullTable() {
    func full(_ x: [Character], _ y: [Character]) -> Int {
      if x.isEmpty { return y.count }
      if y.isEmpty { return x.count }
      var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
      for i in 0...x.count { d[i][0] = i }
      for j in 0...y.count { d[0][j] = j }
      for i in 1...x.count {
        for j in 1...y.count {
          d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
          if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
        }
      }
      return d[x.count][y.count]
    }
    var random = SplitMix64(seed: 0xED17)
    let alphabet: [Character] = ["a", "b", "c"]
    var withinLimit = 0
    for _ in 0..<3_000 {
      let x = (0..<Int(random.next() % 9)).map { _ in alphabet[Int(random.next() % 3)] }
      let y = (0..<Int(random.next() % 9)).map { _ in alphabet[Int(random.next() % 3)] }
      let limit = 1 + Int(random.next() % 3)
      let reference = full(x, y)
      let bounded = boundedEditDistance(x, y, limit: limit).distance
      #expect(bounded == (reference <= limit ? reference : nil), "\(String(x)) \(String(y)) limit \(limit)")
      if bounded != nil { withinLimit += 1 }
    }
    #expect(withinLimit > 500, "the random words exercise both answers")
  }
}

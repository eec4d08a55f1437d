// The logged collections' catch-up (`LoggedDictionary.catchUp(with:)`, `LoggedSet.catchUp(with:)`):
// a version caught up with a later one, through the keys the later one logged, equals it, on
// seeded random writes and removals; and when the later one's log gave up, it is taken whole.

import KernelABI
import Testing

@Suite struct LoggedTests {
  @Test func aDictionaryCaughtUpWithItsLoggedKeysEqualsTheLaterVersion() {
    var rng = SplitMix64(seed: 7)
    var newer: LoggedDictionary<UInt64, [UInt64]> = [:]
    for key in UInt64(0)..<200 { newer[key] = [key] }
    var older = newer
    for _ in 0..<50 {
      newer.clearLog()
      for _ in 0..<(1 + rng.next() % 20) {
        let key = rng.next() % 260
        switch rng.next() % 3 {
        case 0: newer[key] = nil
        case 1: newer.update(key) { $0.append(key) }
        default: newer[key] = [rng.next()]
        }
      }
      older.catchUp(with: newer)
      #expect(older == newer)
      #expect(older.count == newer.count)
      #expect(Dictionary(uniqueKeysWithValues: older.map { ($0.key, $0.value) }) == newer.dictionary)
    }
  }

  @Test func aDictionaryWhoseLogGaveUpIsTakenWhole() {
    var newer: LoggedDictionary<UInt64, UInt64> = [1: 1]
    var older = newer
    newer.clearLog()
    for key in UInt64(0)...UInt64(KeyLog<UInt64>.limit) { newer[key] = key &+ 1 }
    #expect(!newer.log.isComplete)
    older.catchUp(with: newer)
    #expect(older == newer)
  }

  @Test func aSetCaughtUpWithItsLoggedElementsEqualsTheLaterVersion() {
    var rng = SplitMix64(seed: 11)
    var newer = LoggedSet<UInt64>(Set(0..<100))
    var older = newer
    for _ in 0..<50 {
      newer.clearLog()
      for _ in 0..<(1 + rng.next() % 20) {
        let element = rng.next() % 150
        if rng.next() % 2 == 0 { newer.insert(element) } else { newer.remove(element) }
      }
      older.catchUp(with: newer)
      #expect(older == newer)
      #expect(older.set == newer.set)
    }
  }
}

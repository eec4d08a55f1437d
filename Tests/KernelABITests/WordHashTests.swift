// The cheap hash of word keys (`WordHash.swift`): equal keys hash equal under every seed, aligned
// addresses and a CNode's slots spread over a hash trie's first level, and the logged collections
// that keep their keys wrapped give back the keys they were given.

import KernelABI
import Testing

@Suite struct WordHashTests {
  @Test func equalKeysHashEqualAndTheMixIsOneToOne() {
    var rng = SplitMix64(seed: 3)
    var seen: Set<UInt64> = []
    for _ in 0..<10_000 {
      let word = rng.next()
      let seed = Int(truncatingIfNeeded: rng.next())
      #expect(word.wordHash(seed: seed) == (word &+ 0).wordHash(seed: seed))
      let slot = SlotRef(word & ~0xfff, word & 0xff)
      #expect(slot._rawHashValue(seed: seed) == SlotRef(slot.container, slot.index)._rawHashValue(seed: seed))
      seen.insert(mixWord(word))
    }
    // A bijection: 10,000 distinct words (SplitMix64 repeats none this soon) mix to 10,000 values.
    #expect(seen.count == 10_000)
  }

  @Test func alignedAddressesAndSlotsSpreadOverATriesFirstLevel() {
    // A hash trie takes 5 bits a level: 4 KiB-aligned addresses, whose low 12 bits are zero, and
    // the 256 slots of one CNode each reach every one of the 32 branches.
    let addresses = (UInt64(0)..<256).map { 0x10_0000 &+ $0 << 12 }
    #expect(Set(addresses.map { $0.wordHash(seed: 0) & 31 }).count == 32)
    let slots = (UInt64(0)..<256).map { SlotRef(0x20_0000, $0) }
    #expect(Set(slots.map { $0.wordHash(seed: 0) & 31 }).count == 32)
  }

  @Test func loggedCollectionsGiveBackTheirKeys() {
    var dictionary: LoggedDictionary<UInt64, String> = [:]
    for key in UInt64(0)..<100 { dictionary[key << 12] = "\(key)" }
    #expect(Set(dictionary.keys) == Set((UInt64(0)..<100).map { $0 << 12 }))
    #expect(dictionary.log.contains(5 << 12) && !dictionary.log.contains(5))
    #expect(Set(dictionary.log.keys) == Set(dictionary.keys))
    for (key, value) in dictionary { #expect(value == "\(key >> 12)") }
    var set = LoggedSet<SlotRef>()
    for index in UInt64(0)..<10 { set.insert(SlotRef(0x1000, index)) }
    #expect(set.set == Set((UInt64(0)..<10).map { SlotRef(0x1000, $0) }))
    #expect(Set(set) == set.set && set.contains(SlotRef(0x1000, 9)) && !set.contains(SlotRef(0x1000, 10)))
  }
}

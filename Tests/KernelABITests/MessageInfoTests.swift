// Tests for the message-info word: field positions, packing, the kernel's decode with its length
// clamp, and round trips over seeded random words.

import Bitwise
import KernelABI
import Testing

// MARK: - A seeded generator shared by the randomized tests

// MARK: - Layout

@Suite("MessageInfo")
struct MessageInfoTests {
  @Test("each field sits at the seL4 bit position")
  func fieldPositions() {
    #expect(MessageInfo(label: 1, length: 0).word == 1 << 12)
    #expect(MessageInfo(label: 0, capsUnwrapped: 1, length: 0).word == 1 << 9)
    #expect(MessageInfo(label: 0, extraCaps: 1, length: 0).word == 1 << 7)
    #expect(MessageInfo(label: 0, length: 1).word == 1)
    #expect(MessageInfo.labelField.offset == 12 && MessageInfo.labelField.width == 52)
    #expect(MessageInfo.capsUnwrappedField.offset == 9 && MessageInfo.capsUnwrappedField.width == 3)
    #expect(MessageInfo.extraCapsField.offset == 7 && MessageInfo.extraCapsField.width == 2)
    #expect(MessageInfo.lengthField.offset == 0 && MessageInfo.lengthField.width == 7)
  }

  @Test("the four fields cover the whole word without overlap")
  func layoutIsComplete() {
    #expect(MessageInfo.layout.unusedMask == 0)
    let total = MessageInfo.layout.fields.reduce(UInt64(0)) { $0 + $1.width }
    #expect(total == 64)
  }

  @Test("a packed word matches a hand computation")
  func packedWord() {
    let info = MessageInfo(label: 0x2A, capsUnwrapped: 5, extraCaps: 2, length: 9)
    #expect(info.word == (0x2A << 12) | (5 << 9) | (2 << 7) | 9)
    #expect(MessageInfo(label: 22, extraCaps: 1, length: 6).word == 0x16086)
  }

  @Test("pack truncates each field to its width")
  func packTruncates() {
    let word = MessageInfo.pack(label: UInt64.max, capsUnwrapped: 0xFF, extraCaps: 0xFF, length: 0xFF)
    #expect(word == UInt64.max)
    #expect(MessageInfo.pack(label: 1 << 52, capsUnwrapped: 8, extraCaps: 4, length: 128) == 0)
  }

  // MARK: Kernel decode

  @Test("decoding a word reads each field")
  func decode() {
    let info = MessageInfo(word: (7 << 12) | (3 << 9) | (1 << 7) | 4)
    #expect(info == MessageInfo(label: 7, capsUnwrapped: 3, extraCaps: 1, length: 4))
  }

  @Test("lengths 121...127 clamp to 120 and keep the other fields", arguments: UInt64(121)...127)
  func clampsLength(length: UInt64) {
    var rng = SplitMix64(seed: 0xC1A4_0000 &+ length)
    for _ in 0..<64 {
      let label = rng.next() & MessageInfo.labelField.valueMask
      let capsUnwrapped = rng.next() & 7
      let extraCaps = rng.next() & 3
      let word = MessageInfo.pack(label: label, capsUnwrapped: capsUnwrapped, extraCaps: extraCaps, length: length)
      let info = MessageInfo(word: word)
      #expect(info.length == 120)
      #expect(info.label == label)
      #expect(info.capsUnwrapped == capsUnwrapped)
      #expect(info.extraCaps == extraCaps)
    }
  }

  @Test("length 120 is kept, not clamped")
  func maxLengthKept() {
    #expect(MessageInfo(word: 120).length == 120)
    #expect(MessageInfo(word: 119).length == 119)
    #expect(MessageInfo.clampLength(UInt64(127)) == 120)
    #expect(MessageInfo.clampLength(UInt64(0)) == 0)
  }

  // MARK: Round trips

  @Test("words with length at most 120 survive decode then encode")
  func wordRoundTrip() {
    var rng = SplitMix64(seed: 0x5EED_0001)
    for _ in 0..<2000 {
      let raw = rng.next()
      let length = raw & 0x7F
      let word = length > 120 ? (raw & ~0x7F) | (length % 121) : raw
      #expect(MessageInfo(word: word).word == word)
    }
  }

  @Test("in-range infos survive encode then decode")
  func infoRoundTrip() {
    var rng = SplitMix64(seed: 0x5EED_0002)
    for _ in 0..<2000 {
      let info = MessageInfo(
        label: rng.next() >> 12, capsUnwrapped: rng.next() & 7, extraCaps: rng.next() & 3,
        length: rng.next() % 121)
      #expect(MessageInfo(word: info.word) == info)
    }
  }

  @Test("the generic decode agrees with the concrete one")
  func genericDecodeAgrees() {
    var rng = SplitMix64(seed: 0x5EED_0003)
    for _ in 0..<500 {
      let word = rng.next()
      let fields = MessageInfo.fromWord(word)
      let info = MessageInfo(word: word)
      #expect(fields.label == info.label)
      #expect(fields.capsUnwrapped == info.capsUnwrapped)
      #expect(fields.extraCaps == info.extraCaps)
      #expect(fields.length == info.length)
      #expect(fields.length <= 120)
    }
  }

  @Test("description names every field")
  func description() {
    let info = MessageInfo(label: 3, capsUnwrapped: 1, extraCaps: 2, length: 5)
    #expect(info.description == "MessageInfo(label: 3, capsUnwrapped: 1, extraCaps: 2, length: 5)")
  }
}

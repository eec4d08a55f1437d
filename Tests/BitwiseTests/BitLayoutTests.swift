import Bitwise
import Testing

@Suite struct BitLayoutTests {
  let low = BitField("low", offset: 0, width: 4)
  let high = BitField("high", offset: 60, width: 4)
  let whole = BitField("whole", offset: 0, width: 64)

  @Test func masks() {
    #expect(low.wordMask == 0xF)
    #expect(high.wordMask == 0xF000_0000_0000_0000)
    #expect(whole.valueMask == ~0)
    #expect(BitLayout("t", [low, high]).unusedMask == 0x0FFF_FFFF_FFFF_FFF0)
  }

  @Test func setTruncatesAndLeavesOtherBits() {
    let word: UInt64 = 0x1234_5678_9ABC_DEF0
    #expect(high.set(word, to: 0x1F) == 0xF234_5678_9ABC_DEF0)
    #expect(high.get(high.set(word, to: 0x1F)) == 0xF)
    #expect(low.get(low.set(word, to: 7)) == 7)
    #expect(whole.set(word, to: 5) == 5)
  }

  @Test func describeNamesFields() {
    #expect(BitLayout("t", [high, low]).describe(0xA000_0000_0000_0003) == "{high: 10, low: 3}")
  }

  @Test func wordHelpers() {
    #expect(UInt64.mask(bits: 0) == 0)
    #expect(UInt64.mask(bits: 12) == 0xFFF)
    #expect(UInt64.mask(bits: 64) == ~0)
    #expect(UInt64.mask(bits: 200) == ~0)
    #expect(UInt64.alignUp(0x1001, bits: 12) == 0x2000)
    #expect(UInt64.alignUp(0x1000, bits: 12) == 0x1000)
    #expect(UInt64.isAligned(0x3000, bits: 12))
    #expect(!UInt64.isAligned(0x3008, bits: 12))
    #expect(UInt64(1) << UInt64(64) == 0)
    #expect(UInt64.max >> UInt64(64) == 0)
    #expect(UInt64.additionOverflows(.max, 1))
    #expect(!UInt64.additionOverflows(.max, 0))
  }
}

// The priority bitmap run on `UInt64`, against the set of priorities it stands for. (Its
// obligations, `PriorityBitmap+Obligations.swift`, prove the same for every bitmap; this shows the
// executing instantiation agrees, on seeded random sequences of additions and removals.)

import KernelABI
import Testing

@Suite struct PriorityBitmapTests {
  @Test func anEmptyBitmapHasNoPriorityAndEveryPriorityIsHighest() {
    let bitmap = PriorityBitmap<UInt64>()
    #expect(bitmap.isEmpty)
    #expect(bitmap.wellFormed)
    for prio in UInt64(0)...255 {
      #expect(!bitmap.contains(prio))
      #expect(bitmap.isHighestPrio(prio))
    }
  }

  /// seL4's layout: priority 255 is bit 63 of L2 word 0 and L1 bit 3; priority 0 is bit 0 of L2
  /// word 3 and L1 bit 0 (`invert_l1index`).
  @Test func theLayoutIsSeL4s() {
    var bitmap = PriorityBitmap<UInt64>()
    bitmap.addToBitmap(255)
    #expect(bitmap.l1 == 0b1000 && bitmap.l2.0 == 1 << 63 && bitmap.l2.3 == 0)
    bitmap.addToBitmap(0)
    #expect(bitmap.l1 == 0b1001 && bitmap.l2.3 == 1)
    bitmap.addToBitmap(100)
    #expect(bitmap.l1 == 0b1011 && bitmap.l2.2 == 1 << 36)
    #expect(bitmap.getHighestPrio() == 255)
    bitmap.removeFromBitmap(255)
    #expect(bitmap.getHighestPrio() == 100)
    #expect(bitmap.l1 == 0b0011)
  }

  @Test func randomAdditionsAndRemovalsAgreeWithTheSet() {
    var rng = SplitMix64(seed: 0xB17_3A9)
    for _ in 0..<200 {
      var bitmap = PriorityBitmap<UInt64>()
      var present: Set<UInt64> = []
      for _ in 0..<64 {
        // Mostly a few priorities, so that groups fill and empty.
        let prio = rng.next() % 2 == 0 ? [0, 63, 64, 100, 127, 128, 200, 255][Int(rng.next() % 8)] : rng.next() % 256
        if rng.next() % 3 == 0 {
          bitmap.removeFromBitmap(prio)
          present.remove(prio)
        } else {
          bitmap.addToBitmap(prio)
          present.insert(prio)
        }
        #expect(bitmap.wellFormed)
        #expect(bitmap.isEmpty == present.isEmpty)
        if let highest = present.max() {
          #expect(bitmap.getHighestPrio() == highest)
        }
        for _ in 0..<8 {
          let probe = rng.next() % 256
          #expect(bitmap.contains(probe) == present.contains(probe))
          #expect(bitmap.isHighestPrio(probe) == present.allSatisfy { $0 <= probe })
        }
      }
    }
  }

  @Test func mostSignificantBitIsTheIndexOfTheTopBit() {
    #expect(UInt64.mostSignificantBit(0) == 0)
    for bit in UInt64(0)..<64 {
      #expect(UInt64.mostSignificantBit(1 << bit) == bit)
      #expect(UInt64.mostSignificantBit((1 << bit) | 1) == bit)
      #expect(UInt64.mostSignificantBit(UInt64.max >> (63 - bit)) == bit)
    }
  }
}

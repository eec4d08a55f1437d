import Bitwise
import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct CapabilityWordsTests {
  static let samples: [Capability] = [
    .null,
    .untyped(base: 0x20_0000, sizeBits: 20, isDevice: false, freeIndex: 0),
    .untyped(base: 0x11_0000, sizeBits: 16, isDevice: true, freeIndex: 0x1230),
    .untyped(base: 0x8000_0000_0000 - 0x10, sizeBits: 4, isDevice: false, freeIndex: 16),
    .endpoint(0x10_3000, badge: 0, rights: .all),
    .endpoint(0xFFFF_FFFF_FFF0, badge: UInt64.max, rights: [.write, .grantReply]),
    .notification(0x10_3040, badge: 5, rights: [.read, .write]),
    .notification(0x40, badge: 0, rights: .none),
    .reply(0x10_3080, canGrant: true),
    .reply(0x20, canGrant: false),
    .cnode(0x10_0000, radix: 8, guardSize: 48, guard: 0),
    .cnode(0x10_2000, radix: 4, guardSize: 4, guard: 0xA),
    .cnode(0xFFFF_FFFF_FFE0, radix: 0, guardSize: 63, guard: UInt64.max),
    .thread(0x10_2800),
    .schedContext(0x10_3100, sizeBits: 8),
    .schedControl(core: 0), .schedControl(core: UInt64.max),
    .irqControl,
    .irqHandler(irq: 0), .irqHandler(irq: 1023),
    .domain,
  ]

  @Test(arguments: samples) func roundTrip(_ cap: Capability) {
    let (w0, w1) = KernelState.encodeCap(cap)
    #expect(KernelState.decodeCap(w0, w1) == cap)
  }

  @Test func everyCapKindIsSampled() {
    let tags = Set(Self.samples.map { KernelState.encodeCap($0).0 >> 59 })
    #expect(tags == Set(CapTag.allCases.map(\.rawValue)))
  }

  @Test func tagSitsInTheTopBitsAndNullIsAllZero() {
    #expect(KernelState.encodeCap(.null) == (0, 0))
    #expect(KernelState.encodeCap(.thread(0x800)).0 >> 59 == CapTag.thread.rawValue)
    #expect(KernelState.encodeCap(.endpoint(0x10, badge: 7, rights: .all)).1 == 7)
  }

  @Test func untypedFreeIndexIsStoredIn16ByteUnits() {
    let (_, w1) = KernelState.encodeCap(.untyped(base: 0x20_0000, sizeBits: 20, isDevice: true, freeIndex: 0x300))
    #expect(CapWordLayout.capFreeIndex.get(w1) == 0x30)
    #expect(CapWordLayout.capIsDevice.get(w1) == 1)
    #expect(CapWordLayout.capBlockSize.get(w1) == 20)
  }

  @Test func layoutsDeclareDisjointFields() {
    for tag in CapTag.allCases {
      let (l0, l1) = CapWordLayout.layouts(for: tag)
      for layout in [l0, l1] {
        var seen: UInt64 = 0
        for field in layout.fields {
          #expect(seen & field.wordMask == 0, "\(layout.name): \(field.name) overlaps")
          seen |= field.wordMask
        }
      }
    }
  }

  @Test func decodeRejectsGarbage() {
    // An unknown (odd, architecture) tag.
    #expect(KernelState.decodeCap(1 << 59, 0) == nil)
    #expect(KernelState.decodeCap(31 << 59, 0) == nil)
    // Null with a stray bit in either word.
    #expect(KernelState.decodeCap(1, 0) == nil)
    #expect(KernelState.decodeCap(0, 1) == nil)
    // Padding bits set in a thread cap.
    let (t0, _) = KernelState.encodeCap(.thread(0x800))
    #expect(KernelState.decodeCap(t0 | (1 << 50), 0) == nil)
    #expect(KernelState.decodeCap(t0, 5) == nil)
    // A misaligned object address.
    let (e0, e1) = KernelState.encodeCap(.endpoint(0x10, badge: 0, rights: .all))
    #expect(KernelState.decodeCap(e0 | 0x8, e1) == nil)
    // A CNode whose guard size and radix exceed a word.
    let (c0, c1) = KernelState.encodeCap(.cnode(0, radix: 40, guardSize: 40, guard: 0))
    #expect(KernelState.decodeCap(c0, c1) == nil)
    // An untyped whose free index lies beyond its block.
    let (u0, u1) = KernelState.encodeCap(.untyped(base: 0x1000, sizeBits: 12, isDevice: false, freeIndex: 0x1000))
    #expect(KernelState.decodeCap(u0, u1) != nil)
    #expect(KernelState.decodeCap(u0, CapWordLayout.capFreeIndex.set(u1, to: 0x101)) == nil)
  }

  @Test func randomWordsNeverTrapAndDecodedCapsReencodeIdentically() {
    var rng = SplitMix64(seed: 7)
    var decoded = 0
    for _ in 0..<50_000 {
      var w0 = rng.next()
      var w1 = rng.next()
      if rng.next() % 2 == 0 { w0 = (w0 & ~(0x1F << 59)) | ((rng.next() % 13 * 2) << 59) }
      if rng.next() % 2 == 0 {
        w0 &= 0xF800_FFFF_FFFF_FFF0
        w1 &= 0xFFFF
      }
      if let cap = KernelState.decodeCap(w0, w1) {
        decoded += 1
        #expect(KernelState.encodeCap(cap) == (w0, w1))
      }
    }
    #expect(decoded > 0)
  }
}

// The kernel's fault words (`ObjectLayout.tcbFault`, `tcbLookupFailure`): every fault the
// kernel raises reads back as written, whatever the words held before; clearing it writes
// NullFault; and the words sit where seL4's `structures_64.bf` puts the fields.

import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct FaultTests {
  static let faults: [ThreadFault] = [
    .unknownSyscall(number: -1), .unknownSyscall(number: 0),
    .userException(number: 0xFFFF_FFFF, code: 0xFFF_FFFF), .userException(number: 0x200_0000, code: 0),
    .capFault(address: 0, inReceivePhase: false, failure: .invalidRoot),
    .capFault(address: ~0, inReceivePhase: true, failure: .missingCapability(bitsLeft: 64)),
    .capFault(address: 0x1234, inReceivePhase: false, failure: .depthMismatch(bitsLeft: 13, bitsFound: 7)),
    .capFault(
      address: 0xFF << 56, inReceivePhase: true, failure: .guardMismatch(bitsLeft: 64, guardFound: ~0, bitsFound: 48)),
  ]

  @Test(arguments: faults)
  func aFaultReadsBackAsWritten(_ fault: ThreadFault) {
    var k = KernelState.sample
    #expect(k.tcbFault(of: S.mainTCB) == nil)
    // Over every other fault first, so that no word keeps a stale bit that matters.
    for other in Self.faults {
      k.setTCBFault(S.mainTCB, other)
      k.setTCBFault(S.mainTCB, fault)
      #expect(k.tcbFault(of: S.mainTCB) == fault)
    }
    k.setTCBFault(S.mainTCB, nil)
    #expect(k.tcbFault(of: S.mainTCB) == nil)
  }

  /// seL4's packing: the type in bits 3..0 and `inReceivePhase` in bit 63 of the second fault
  /// word; a guard mismatch's guard in the first lookup-failure word, `bitsLeft` in bits 15..9
  /// and `bitsFound` in bits 8..2 of the second, `lufType` 3 in bits 1..0.
  @Test func theWordsAreSeL4s() {
    var k = KernelState.sample
    k.setTCBFault(
      S.mainTCB,
      .capFault(address: 9, inReceivePhase: true, failure: .guardMismatch(bitsLeft: 5, guardFound: 6, bitsFound: 7)))
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbFault) == 9)
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbFault + 8) == (UInt64(1) << 63) | 1)
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbLookupFailure) == 6)
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbLookupFailure + 8) == (5 << 9) | (7 << 2) | 3)
  }

  /// A UserException: the first fault word is padding (0), the second holds the number in bits
  /// 63..32, the code in bits 31..4 and type 3 in bits 3..0.
  @Test func aUserExceptionsWordsAreSeL4s() {
    var k = KernelState.sample
    k.setTCBFault(S.mainTCB, .unknownSyscall(number: -1))
    k.setTCBFault(S.mainTCB, .userException(number: 0x8000_0001, code: 0xABC_DEF1))
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbFault) == 0)
    #expect(k.memory.word(S.mainTCB + ObjectLayout.tcbFault + 8) == 0x8000_0001_ABCD_EF13)
  }
}

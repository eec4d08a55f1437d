// Tests for error codes, lookup-failure blocks and error replies: exact numbers, register layouts,
// malformed replies, and round trips over seeded random payloads.

import Foundation
import KernelABI
import Testing

@Suite("SyscallError")
struct SyscallErrorTests {
  // MARK: Codes

  @Test("error codes 0...10 in seL4 order")
  func codes() {
    #expect(SeL4Error.noError.rawValue == 0)
    #expect(SeL4Error.invalidArgument.rawValue == 1)
    #expect(SeL4Error.invalidCapability.rawValue == 2)
    #expect(SeL4Error.illegalOperation.rawValue == 3)
    #expect(SeL4Error.rangeError.rawValue == 4)
    #expect(SeL4Error.alignmentError.rawValue == 5)
    #expect(SeL4Error.failedLookup.rawValue == 6)
    #expect(SeL4Error.truncatedMessage.rawValue == 7)
    #expect(SeL4Error.deleteFirst.rawValue == 8)
    #expect(SeL4Error.revokeFirst.rawValue == 9)
    #expect(SeL4Error.notEnoughMemory.rawValue == 10)
    #expect(SeL4Error.allCases.map(\.rawValue) == Array(0...10))
    #expect(SeL4Error(rawValue: 11) == nil)
  }

  @Test("seL4 constant names")
  func names() {
    #expect(SeL4Error.noError.seL4Name == "seL4_NoError")
    #expect(SeL4Error.invalidArgument.seL4Name == "seL4_InvalidArgument")
    #expect(SeL4Error.failedLookup.seL4Name == "seL4_FailedLookup")
    #expect(SeL4Error.notEnoughMemory.seL4Name == "seL4_NotEnoughMemory")
    #expect(Set(SeL4Error.allCases.map(\.seL4Name)).count == 11)
  }

  @Test("each error reports its code")
  func errorCodes() {
    #expect(SyscallError.invalidArgument(argument: 0).code == .invalidArgument)
    #expect(SyscallError.invalidCapability(index: 1).code == .invalidCapability)
    #expect(SyscallError.illegalOperation.code == .illegalOperation)
    #expect(SyscallError.rangeError(min: 0, max: 1).code == .rangeError)
    #expect(SyscallError.alignmentError.code == .alignmentError)
    #expect(SyscallError.failedLookup(source: false, failure: .invalidRoot).code == .failedLookup)
    #expect(SyscallError.truncatedMessage.code == .truncatedMessage)
    #expect(SyscallError.deleteFirst.code == .deleteFirst)
    #expect(SyscallError.revokeFirst.code == .revokeFirst)
    #expect(SyscallError.notEnoughMemory(freeBytes: 5).code == .notEnoughMemory)
  }

  // MARK: Lookup-failure block

  @Test("lookup-failure blocks: type code 1...4 then the fields")
  func lookupBlocks() {
    #expect(LookupFailure.invalidRoot.words == [1])
    #expect(LookupFailure.missingCapability(bitsLeft: 7).words == [2, 7])
    #expect(LookupFailure.depthMismatch(bitsLeft: 52, bitsFound: 64).words == [3, 52, 64])
    #expect(LookupFailure.guardMismatch(bitsLeft: 3, guardFound: 5, bitsFound: 2).words == [4, 3, 5, 2])
    #expect(LookupFailure.noFailureCode == 0)
  }

  @Test("malformed blocks decode to nil")
  func badBlocks() {
    let bad: [[UInt64]] = [[], [0], [5], [UInt64.max], [1, 0], [2], [2, 1, 1], [3, 1], [4, 1, 2], [4, 1, 2, 3, 4]]
    for words in bad {
      #expect(LookupFailure(words: words) == nil, "\(words)")
    }
  }

  @Test("lookup failures round-trip through their blocks")
  func lookupRoundTrip() {
    var rng = SplitMix64(seed: 0x100C_0F)
    for _ in 0..<500 {
      for failure in Self.randomFailures(&rng) {
        #expect(LookupFailure(words: failure.words) == failure)
        #expect(failure.wordCount == Int(failure.typeCode))
      }
    }
  }

  // MARK: Reply registers

  @Test("reply registers follow setMRs_syscall_error")
  func registerLayouts() {
    #expect(SyscallError.invalidArgument(argument: 3).messageRegisters == [3])
    #expect(SyscallError.invalidCapability(index: 1).messageRegisters == [1])
    #expect(SyscallError.rangeError(min: 1, max: 64).messageRegisters == [1, 64])
    #expect(SyscallError.notEnoughMemory(freeBytes: 4096).messageRegisters == [4096])
    #expect(SyscallError.illegalOperation.messageRegisters.isEmpty)
    #expect(SyscallError.alignmentError.messageRegisters.isEmpty)
    #expect(SyscallError.truncatedMessage.messageRegisters.isEmpty)
    #expect(SyscallError.deleteFirst.messageRegisters.isEmpty)
    #expect(SyscallError.revokeFirst.messageRegisters.isEmpty)
  }

  @Test("FailedLookup puts the source flag in MR0 and the block from MR1")
  func failedLookupLayout() {
    let guardMismatch = SyscallError.failedLookup(
      source: true, failure: .guardMismatch(bitsLeft: 3, guardFound: 5, bitsFound: 2))
    #expect(guardMismatch.messageRegisters == [1, 4, 3, 5, 2])
    #expect(SyscallError.failedLookup(source: false, failure: .invalidRoot).messageRegisters == [0, 1])
    #expect(
      SyscallError.failedLookup(source: false, failure: .depthMismatch(bitsLeft: 0, bitsFound: 12))
        .messageRegisters == [0, 3, 0, 12])
    #expect(
      SyscallError.failedLookup(source: true, failure: .missingCapability(bitsLeft: 64))
        .messageRegisters == [1, 2, 64])
  }

  @Test("the reply's message info carries the code as label and the register count as length")
  func replyInfo() {
    let info = SyscallError.rangeError(min: 0, max: 255).replyInfo
    #expect(info.label == 4)
    #expect(info.length == 2)
    #expect(info.extraCaps == 0)
    let lookup = SyscallError.failedLookup(
      source: true, failure: .guardMismatch(bitsLeft: 1, guardFound: 2, bitsFound: 3))
    #expect(lookup.replyInfo.label == 6)
    #expect(lookup.replyInfo.length == 5)
    #expect(SyscallError.deleteFirst.replyInfo.word == 8 << 12)
  }

  // MARK: Decoding replies

  @Test("errors round-trip through code and registers")
  func errorRoundTrip() {
    var rng = SplitMix64(seed: 0xE770_0001)
    for _ in 0..<300 {
      for error in Self.randomErrors(&rng) {
        #expect(SyscallError(code: error.code, messageRegisters: error.messageRegisters) == error, "\(error)")
        #expect(SyscallError(label: error.code.rawValue, messageRegisters: error.messageRegisters) == error)
      }
    }
  }

  @Test("malformed replies decode to nil")
  func badReplies() {
    #expect(SyscallError(code: .noError, messageRegisters: []) == nil)
    #expect(SyscallError(code: .invalidArgument, messageRegisters: []) == nil)
    #expect(SyscallError(code: .invalidArgument, messageRegisters: [1, 2]) == nil)
    #expect(SyscallError(code: .rangeError, messageRegisters: [1]) == nil)
    #expect(SyscallError(code: .illegalOperation, messageRegisters: [0]) == nil)
    #expect(SyscallError(code: .notEnoughMemory, messageRegisters: []) == nil)
    #expect(SyscallError(code: .failedLookup, messageRegisters: [1]) == nil)
    #expect(SyscallError(code: .failedLookup, messageRegisters: [2, 1]) == nil)
    #expect(SyscallError(code: .failedLookup, messageRegisters: [0, 0]) == nil)
    #expect(SyscallError(code: .failedLookup, messageRegisters: [0, 4, 1, 2]) == nil)
    #expect(SyscallError(label: 11, messageRegisters: []) == nil)
    #expect(SyscallError(label: 0, messageRegisters: []) == nil)
    #expect(
      SyscallError(code: .failedLookup, messageRegisters: [0, 1]) == .failedLookup(source: false, failure: .invalidRoot)
    )
  }

  // MARK: Text and coding

  @Test("descriptions read like the seL4 error with its payload")
  func descriptions() {
    #expect(SyscallError.rangeError(min: 1, max: 64).description == "RangeError(min: 1, max: 64)")
    #expect(SyscallError.invalidArgument(argument: 0).description == "InvalidArgument(argument: 0)")
    #expect(SyscallError.invalidCapability(index: 2).description == "InvalidCapability(index: 2)")
    #expect(SyscallError.notEnoughMemory(freeBytes: 16).description == "NotEnoughMemory(freeBytes: 16)")
    #expect(SyscallError.truncatedMessage.description == "TruncatedMessage")
    #expect(SyscallError.illegalOperation.description == "IllegalOperation")
    #expect(
      SyscallError.failedLookup(source: true, failure: .guardMismatch(bitsLeft: 3, guardFound: 5, bitsFound: 2))
        .description == "FailedLookup(source: true, failure: GuardMismatch(bitsLeft: 3, guardFound: 5, bitsFound: 2))")
    #expect(LookupFailure.missingCapability(bitsLeft: 4).description == "MissingCapability(bitsLeft: 4)")
    #expect(
      LookupFailure.depthMismatch(bitsLeft: 0, bitsFound: 8).description == "DepthMismatch(bitsLeft: 0, bitsFound: 8)")
    #expect(LookupFailure.invalidRoot.description == "InvalidRoot")
  }

  @Test("errors round-trip through JSON")
  func jsonRoundTrip() throws {
    var rng = SplitMix64(seed: 0xE770_0002)
    let errors = Self.randomErrors(&rng)
    let data = try JSONEncoder().encode(errors)
    #expect(try JSONDecoder().decode([SyscallError].self, from: data) == errors)
  }

  // MARK: Generators

  static func randomFailures(_ rng: inout SplitMix64) -> [LookupFailure] {
    [
      .invalidRoot,
      .missingCapability(bitsLeft: rng.next() % 65),
      .depthMismatch(bitsLeft: rng.next() % 65, bitsFound: rng.next() % 65),
      .guardMismatch(bitsLeft: rng.next() % 65, guardFound: rng.next(), bitsFound: rng.next() % 65),
    ]
  }

  static func randomErrors(_ rng: inout SplitMix64) -> [SyscallError] {
    var errors: [SyscallError] = [
      .invalidArgument(argument: rng.next()),
      .invalidCapability(index: rng.next() % 4),
      .illegalOperation,
      .rangeError(min: rng.next(), max: rng.next()),
      .alignmentError,
      .truncatedMessage,
      .deleteFirst,
      .revokeFirst,
      .notEnoughMemory(freeBytes: rng.next()),
    ]
    for failure in randomFailures(&rng) {
      errors.append(.failedLookup(source: rng.next() & 1 == 1, failure: failure))
    }
    return errors
  }
}

// Known answers for the shared ABI code (KernelABI) that every layer trusts.
//
// Lockstep comparison cannot see a mistake that all three layers make alike, and every layer
// masks rights, decodes message-info words, encodes error replies and sizes objects through the
// same KernelABI functions. Each fact here states one behaviour of seL4 as its sources give it,
// with literal words (never recomputed by the code under test), and checks the shared function
// against it. The default run evaluates them all (`refine-check`), so a bug in shared code fails it.
//
// Sources: `../shared/reference/SEL4-SEMANTICS.md` §2–4 and the seL4 files cited per fact
// (`seL4:` = seL4/seL4 master, MCS configuration, 64-bit).

public import KernelABI

/// The shared functions under test; `.shared` is the code that runs. Tests substitute broken
/// versions to show that the facts catch them.
public struct ABICode: Sendable {
  /// `maskCapRights` on a rights word: the rights a cap keeps when copied with `mask`.
  public var maskRights: @Sendable (_ rights: UInt64, _ mask: UInt64) -> UInt64
  /// `rightsFromWord`: the rights a user-supplied word denotes.
  public var rightsFromWord: @Sendable (UInt64) -> UInt64
  /// `messageInfoFromWord`: (label, capsUnwrapped, extraCaps, length).
  public var decodeMessageInfo: @Sendable (UInt64) -> [UInt64]
  /// `wordFromMessageInfo` of (label, capsUnwrapped, extraCaps, length).
  public var encodeMessageInfo:
    @Sendable (_ label: UInt64, _ capsUnwrapped: UInt64, _ extraCaps: UInt64, _ length: UInt64) -> UInt64
  /// The error reply for an error: (label, length, message registers).
  public var errorReply: @Sendable (SyscallError) -> (label: UInt64, length: UInt64, registers: [UInt64])
  /// The error an error reply (label, registers) decodes to.
  public var decodeErrorReply: @Sendable (_ label: UInt64, _ registers: [UInt64]) -> SyscallError?
  /// `getObjectSize`: log2 bytes of an object of a type word made with a user size.
  public var objectSizeBits: @Sendable (_ type: UInt64, _ userSizeBits: UInt64) -> UInt64
  /// The number of an object type, an invocation label, a system call.
  public var objectTypeNumber: @Sendable (ObjectType) -> UInt64
  public var invocationLabelNumber: @Sendable (InvocationLabel) -> UInt64
  public var syscallNumber: @Sendable (Syscall) -> Int64

  public init(
    maskRights: @escaping @Sendable (UInt64, UInt64) -> UInt64,
    rightsFromWord: @escaping @Sendable (UInt64) -> UInt64,
    decodeMessageInfo: @escaping @Sendable (UInt64) -> [UInt64],
    encodeMessageInfo: @escaping @Sendable (UInt64, UInt64, UInt64, UInt64) -> UInt64,
    errorReply: @escaping @Sendable (SyscallError) -> (label: UInt64, length: UInt64, registers: [UInt64]),
    decodeErrorReply: @escaping @Sendable (UInt64, [UInt64]) -> SyscallError?,
    objectSizeBits: @escaping @Sendable (UInt64, UInt64) -> UInt64,
    objectTypeNumber: @escaping @Sendable (ObjectType) -> UInt64,
    invocationLabelNumber: @escaping @Sendable (InvocationLabel) -> UInt64,
    syscallNumber: @escaping @Sendable (Syscall) -> Int64
  ) {
    self.maskRights = maskRights
    self.rightsFromWord = rightsFromWord
    self.decodeMessageInfo = decodeMessageInfo
    self.encodeMessageInfo = encodeMessageInfo
    self.errorReply = errorReply
    self.decodeErrorReply = decodeErrorReply
    self.objectSizeBits = objectSizeBits
    self.objectTypeNumber = objectTypeNumber
    self.invocationLabelNumber = invocationLabelNumber
    self.syscallNumber = syscallNumber
  }

  /// The KernelABI code every layer runs.
  public static let shared = ABICode(
    maskRights: { CapRights(rawValue: $0).masked(by: CapRights(rawValue: $1)).rawValue },
    rightsFromWord: { CapRights(word: $0).rawValue },
    decodeMessageInfo: { word in
      let info = MessageInfo(word: word)
      return [info.label, info.capsUnwrapped, info.extraCaps, info.length]
    },
    encodeMessageInfo: { MessageInfo(label: $0, capsUnwrapped: $1, extraCaps: $2, length: $3).word },
    errorReply: { error in
      let reply = ReplyMessage(error: error)
      return (reply.info.label, reply.info.length, reply.registers)
    },
    decodeErrorReply: { SyscallError(label: $0, messageRegisters: $1) },
    objectSizeBits: { ObjectType.objectSizeBits(type: $0, userSizeBits: $1) },
    objectTypeNumber: { $0.rawValue },
    invocationLabelNumber: { $0.rawValue },
    syscallNumber: { $0.rawValue })
}

/// One stated behaviour of seL4 and its check against the shared code.
public struct ABIFact: Sendable {
  /// A stable name, `area.fact`.
  public var name: String
  /// Where seL4 says so.
  public var source: String
  /// What seL4 does, in a sentence.
  public var statement: String
  /// nil when `code` behaves so; otherwise what it did instead.
  public var check: @Sendable (ABICode) -> String?

  public init(_ name: String, _ source: String, _ statement: String, check: @escaping @Sendable (ABICode) -> String?) {
    self.name = name
    self.source = source
    self.statement = statement
    self.check = check
  }
}

/// The outcome of one fact.
public struct ABIFactResult: Hashable, Sendable, Codable {
  public var name: String
  public var source: String
  public var statement: String
  /// nil: held.
  public var failure: String?
}

/// The outcome of the whole catalogue.
public struct ABIConformanceReport: Hashable, Sendable, Codable {
  public var facts: [ABIFactResult]
  public var failed: [ABIFactResult] { facts.filter { $0.failure != nil } }
  public var passed: Bool { !facts.isEmpty && failed.isEmpty }
}

extension ABIFact {
  /// Evaluate every fact against `code`.
  public static func evaluate(_ code: ABICode = .shared, facts: [ABIFact] = catalogue) -> ABIConformanceReport {
    ABIConformanceReport(
      facts: facts.map {
        ABIFactResult(name: $0.name, source: $0.source, statement: $0.statement, failure: $0.check(code))
      })
  }

  /// Compare `actual` with `expected`, describing the first difference.
  static func expect<T: Equatable>(_ what: String, _ actual: T, _ expected: T) -> String? {
    actual == expected ? nil : "\(what): got \(actual), seL4 gives \(expected)"
  }

  /// The first failure among `checks`.
  static func first(_ checks: [String?]) -> String? { checks.lazy.compactMap { $0 }.first }

  // Bit values of the rights, written out (seL4_CapRights_t: bit 0 Write, 1 Read, 2 Grant, 3 GrantReply).
  static let write: UInt64 = 0b0001, read: UInt64 = 0b0010, grant: UInt64 = 0b0100, grantReply: UInt64 = 0b1000

  /// Every fact.
  public static let catalogue: [ABIFact] = rights + messageInfo + errorReplies + objects + numbering

  // MARK: - Rights

  static let rights: [ABIFact] = [
    ABIFact(
      "rights.maskIsIntersection", "seL4:src/object/objecttype.c maskCapRights; SEL4-SEMANTICS §4",
      "copying an endpoint cap with a rights mask keeps exactly the rights in both (bitwise AND, all 16 x 16 pairs)"
    ) { code in
      for rights in UInt64(0)..<16 {
        for mask in UInt64(0)..<16 {
          if let f = expect("maskCapRights(\(rights), mask \(mask))", code.maskRights(rights, mask), rights & mask) {
            return f
          }
        }
      }
      return nil
    },
    ABIFact(
      "rights.maskExamples", "seL4:src/object/objecttype.c maskCapRights",
      "RWGP masked by RW is RW; RW masked by W is W; any rights masked by none is none"
    ) { code in
      first([
        expect("RWGP & RW", code.maskRights(write | read | grant | grantReply, write | read), write | read),
        expect("RW & W", code.maskRights(write | read, write), write),
        expect("RWG & none", code.maskRights(write | read | grant, 0), 0),
        expect("R & GP", code.maskRights(read, grant | grantReply), 0),
      ])
    },
    ABIFact(
      "rights.fromWordLowFourBits", "seL4:libsel4/include/sel4/shared_types.bf seL4_CapRights; rightsFromWord",
      "a user's rights word keeps bit 0 Write, 1 Read, 2 Grant, 3 GrantReply and ignores every other bit"
    ) { code in
      first([
        expect("rightsFromWord(0xF)", code.rightsFromWord(0xF), write | read | grant | grantReply),
        expect("rightsFromWord(0xFFFF_FFFF_FFFF_FFF0)", code.rightsFromWord(0xFFFF_FFFF_FFFF_FFF0), 0),
        expect("rightsFromWord(0x12)", code.rightsFromWord(0x12), read),
        expect("rightsFromWord(0x8000_0000_0000_0005)", code.rightsFromWord(0x8000_0000_0000_0005), write | grant),
      ])
    },
  ]

  // MARK: - Message info

  static let messageInfo: [ABIFact] = [
    ABIFact(
      "messageInfo.layout", "seL4:libsel4/include/sel4/shared_types.bf seL4_MessageInfo (64-bit)",
      "label bits 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0"
    ) { code in
      first([
        expect("seL4_MessageInfo_new(0x1234, 5, 2, 7)", code.encodeMessageInfo(0x1234, 5, 2, 7), 0x0123_4B07),
        expect("seL4_MessageInfo_new(1, 0, 1, 6)", code.encodeMessageInfo(1, 0, 1, 6), 0x1086),
        expect(
          "seL4_MessageInfo_new(2^52-1, 0, 0, 0)", code.encodeMessageInfo(0xF_FFFF_FFFF_FFFF, 0, 0, 0),
          0xFFFF_FFFF_FFFF_F000),
        expect("decode 0x0123_4B07", code.decodeMessageInfo(0x0123_4B07), [0x1234, 5, 2, 7]),
        expect("decode 0x1086", code.decodeMessageInfo(0x1086), [1, 0, 1, 6]),
        expect("decode 0x5_0180", code.decodeMessageInfo(0x5_0180), [0x50, 0, 3, 0]),
      ])
    },
    ABIFact(
      "messageInfo.lengthClamped", "seL4:src/api/syscall.c messageInfoFromWord (seL4_MsgMaxLength 120)",
      "the kernel clamps a length above 120 to 120 and takes every other field as it is"
    ) { code in
      first([
        expect("decode length 121", code.decodeMessageInfo(121), [0, 0, 0, 120]),
        expect("decode length 127", code.decodeMessageInfo(127), [0, 0, 0, 120]),
        expect("decode length 120", code.decodeMessageInfo(120), [0, 0, 0, 120]),
        expect("decode all ones", code.decodeMessageInfo(UInt64.max), [0xF_FFFF_FFFF_FFFF, 7, 3, 120]),
      ])
    },
  ]

  // MARK: - Error replies

  /// Each error with the label and message registers seL4 writes for it (`setMRs_syscall_error`,
  /// `setMRs_lookup_failure`), written out.
  static let replies: [(SyscallError, UInt64, [UInt64])] = [
    (.invalidArgument(argument: 3), 1, [3]),
    (.invalidCapability(index: 1), 2, [1]),
    (.illegalOperation, 3, []),
    (.rangeError(min: 1, max: 64), 4, [1, 64]),
    (.alignmentError, 5, []),
    (.failedLookup(source: true, failure: .invalidRoot), 6, [1, 1]),
    (.failedLookup(source: false, failure: .missingCapability(bitsLeft: 8)), 6, [0, 2, 8]),
    (.failedLookup(source: true, failure: .depthMismatch(bitsLeft: 0, bitsFound: 8)), 6, [1, 3, 0, 8]),
    (
      .failedLookup(source: false, failure: .guardMismatch(bitsLeft: 56, guardFound: 3, bitsFound: 48)), 6,
      [0, 4, 56, 3, 48]
    ),
    (.truncatedMessage, 7, []),
    (.deleteFirst, 8, []),
    (.revokeFirst, 9, []),
    (.notEnoughMemory(freeBytes: 4096), 10, [4096]),
  ]

  static let errorReplies: [ABIFact] = [
    ABIFact(
      "errorReply.encoding", "seL4:src/object/tcb.c setMRs_syscall_error; seL4:src/api/faults.c setMRs_lookup_failure",
      "an error reply's label is the error code, its length the registers written, its registers the error's details (FailedLookup: MR0 source flag, MR1 failure type + 1, then the failure's fields)"
    ) { code in
      for (error, label, registers) in replies {
        let reply = code.errorReply(error)
        if let f = first([
          expect("\(error) label", reply.label, label),
          expect("\(error) registers", reply.registers, registers),
          expect("\(error) length", reply.length, UInt64(registers.count)),
        ]) {
          return f
        }
      }
      return nil
    },
    ABIFact(
      "errorReply.decoding", "seL4:libsel4 seL4_GetMR after an error reply; seL4:src/api/faults.c",
      "the registers of each error reply read back as exactly that error"
    ) { code in
      for (error, label, registers) in replies {
        if let f = expect("decode label \(label) \(registers)", code.decodeErrorReply(label, registers), error) {
          return f
        }
      }
      return expect("decode label 0", code.decodeErrorReply(0, []), nil)
    },
  ]

  // MARK: - Objects

  static let objects: [ABIFact] = [
    ABIFact(
      "objects.sizes", "seL4:include/object/structures.h, libsel4 sel4/constants.h (MCS, 64-bit); SEL4-SEMANTICS §4",
      "TCB 2^11, Endpoint 2^4, Notification 2^6 (MCS), Reply 2^5, CapTable 2^(size_bits+5), Untyped and SchedContext 2^size_bits"
    ) { code in
      first([
        expect("untyped 12", code.objectSizeBits(0, 12), 12),
        expect("tcb", code.objectSizeBits(1, 0), 11),
        expect("endpoint", code.objectSizeBits(2, 0), 4),
        expect("notification", code.objectSizeBits(3, 0), 6),
        expect("capTable 4", code.objectSizeBits(4, 4), 9),
        expect("schedContext 8", code.objectSizeBits(5, 8), 8),
        expect("reply", code.objectSizeBits(6, 0), 5),
        expect("tcb ignores size_bits", code.objectSizeBits(1, 30), 11),
      ])
    }
  ]

  // MARK: - Numbering

  static let numbering: [ABIFact] = [
    ABIFact(
      "numbering.objectTypes", "seL4:libsel4/include/sel4/object_types.h (MCS)",
      "Untyped 0, TCB 1, Endpoint 2, Notification 3, CapTable 4, SchedContext 5, Reply 6"
    ) { code in
      let order: [ObjectType] = [.untyped, .tcb, .endpoint, .notification, .capTable, .schedContext, .reply]
      return first(order.enumerated().map { n, type in expect("\(type)", code.objectTypeNumber(type), UInt64(n)) })
    },
    ABIFact(
      "numbering.invocationLabels", "seL4:libsel4/include/interfaces/object-api.xml (MCS, no SMP or debug)",
      "Untyped_Retype 1, TCB_SetTimeoutEndpoint 9, TCB_SetFlags 17, CNode Revoke..Rotate 18..25, IRQ 26..29, Domain 30..32, SchedControl/SchedContext 33..38"
    ) { code in
      let expected: [(InvocationLabel, UInt64)] = [
        (.invalidInvocation, 0), (.untypedRetype, 1), (.tcbSetTimeoutEndpoint, 9), (.tcbSetIPCBuffer, 10),
        (.cnodeRevoke, 18), (.cnodeDelete, 19), (.cnodeCancelBadgedSends, 20), (.cnodeCopy, 21), (.cnodeMint, 22),
        (.cnodeMove, 23), (.cnodeMutate, 24), (.cnodeRotate, 25),
      ]
      return first(expected.map { label, n in expect("\(label)", code.invocationLabelNumber(label), n) })
    },
    ABIFact(
      "numbering.syscalls", "seL4:libsel4/include/api/syscall.xml (MCS)",
      "Call -1, ReplyRecv -2, NBSendRecv -3, NBSendWait -4, Send -5, NBSend -6, Recv -7, NBRecv -8, Wait -9, NBWait -10, Yield -11"
    ) { code in
      let order: [Syscall] = [
        .call, .replyRecv, .nbSendRecv, .nbSendWait, .send, .nbSend, .recv, .nbRecv, .wait, .nbWait, .yield,
      ]
      return first(order.enumerated().map { n, call in expect("\(call)", code.syscallNumber(call), -Int64(n) - 1) })
    },
  ]
}

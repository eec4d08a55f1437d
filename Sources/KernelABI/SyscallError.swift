// Syscall errors and the reply message that reports them.
//
// When decoding an invocation fails and the caller used Call, the kernel replies with the error code
// as the message label and the error's details in the message registers, as many as it wrote
// (`setMRs_syscall_error`). Only four errors carry details: InvalidArgument and InvalidCapability
// name an index, RangeError a bound pair, NotEnoughMemory the free bytes, and FailedLookup says in
// MR0 whether the source (or pivot) lookup failed, followed from MR1 by the lookup-failure block: a
// type code 1...4 (0 would mean no failure) and then that failure's fields.

// MARK: - Error codes

/// The error code of a syscall reply (`seL4_Error`); the reply's label.
public enum SeL4Error: UInt64, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
  /// `seL4_NoError`: the invocation succeeded.
  case noError = 0
  /// `seL4_InvalidArgument`: a message register held an unacceptable value.
  case invalidArgument = 1
  /// `seL4_InvalidCapability`: the invoked cap or an extra cap has the wrong type or rights.
  case invalidCapability = 2
  /// `seL4_IllegalOperation`: the operation is not allowed on this object or in this state.
  case illegalOperation = 3
  /// `seL4_RangeError`: an argument lies outside a permitted range.
  case rangeError = 4
  /// `seL4_AlignmentError`: an address is not suitably aligned.
  case alignmentError = 5
  /// `seL4_FailedLookup`: a capability-space lookup named by the arguments failed.
  case failedLookup = 6
  /// `seL4_TruncatedMessage`: too few message registers or extra caps.
  case truncatedMessage = 7
  /// `seL4_DeleteFirst`: a destination slot is occupied.
  case deleteFirst = 8
  /// `seL4_RevokeFirst`: the capability has derived children that must go first.
  case revokeFirst = 9
  /// `seL4_NotEnoughMemory`: the untyped region has too little free space.
  case notEnoughMemory = 10

  /// The libsel4 constant name, e.g. `seL4_InvalidArgument`.
  public var seL4Name: String { "seL4_" + shortName }

  /// The name without the `seL4_` prefix, e.g. `RangeError`.
  public var shortName: String {
    switch self {
    case .noError: "NoError"
    case .invalidArgument: "InvalidArgument"
    case .invalidCapability: "InvalidCapability"
    case .illegalOperation: "IllegalOperation"
    case .rangeError: "RangeError"
    case .alignmentError: "AlignmentError"
    case .failedLookup: "FailedLookup"
    case .truncatedMessage: "TruncatedMessage"
    case .deleteFirst: "DeleteFirst"
    case .revokeFirst: "RevokeFirst"
    case .notEnoughMemory: "NotEnoughMemory"
    }
  }

  public var description: String { seL4Name }
}

// MARK: - Lookup failures

/// Why resolving a capability address failed (`lookup_fault_t`).
public enum LookupFailure: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The root capability is not a CNode.
  case invalidRoot
  /// The walk reached an empty slot, or a non-CNode with `bitsLeft` bits still to resolve.
  case missingCapability(bitsLeft: UInt64)
  /// A level needed `bitsFound` bits but only `bitsLeft` remained (or bits were left over).
  case depthMismatch(bitsLeft: UInt64, bitsFound: UInt64)
  /// The address bits did not match the CNode's guard; `guardFound` is the cap's own guard.
  case guardMismatch(bitsLeft: UInt64, guardFound: UInt64, bitsFound: UInt64)

  // MARK: Type codes

  /// The block's first word when there is no failure (never produced by a `LookupFailure`).
  public static let noFailureCode: UInt64 = 0

  /// The block's first word: 1 InvalidRoot, 2 MissingCapability, 3 DepthMismatch, 4 GuardMismatch.
  public var typeCode: UInt64 {
    switch self {
    case .invalidRoot: 1
    case .missingCapability: 2
    case .depthMismatch: 3
    case .guardMismatch: 4
    }
  }

  /// The number of words the block occupies, type code included.
  public var wordCount: Int { words.count }

  // MARK: Block codec

  /// The lookup-failure block as the kernel writes it: the type code, then the fields.
  public var words: [UInt64] {
    switch self {
    case .invalidRoot:
      [typeCode]
    case .missingCapability(let bitsLeft):
      [typeCode, bitsLeft]
    case .depthMismatch(let bitsLeft, let bitsFound):
      [typeCode, bitsLeft, bitsFound]
    case .guardMismatch(let bitsLeft, let guardFound, let bitsFound):
      [typeCode, bitsLeft, guardFound, bitsFound]
    }
  }

  /// Decode a block that is exactly `words`; nil for an unknown type code or a wrong word count.
  public init?(words: some Collection<UInt64>) {
    let w = Array(words)
    guard let code = w.first else { return nil }
    switch (code, w.count) {
    case (1, 1): self = .invalidRoot
    case (2, 2): self = .missingCapability(bitsLeft: w[1])
    case (3, 3): self = .depthMismatch(bitsLeft: w[1], bitsFound: w[2])
    case (4, 4): self = .guardMismatch(bitsLeft: w[1], guardFound: w[2], bitsFound: w[3])
    default: return nil
    }
  }

  public var description: String {
    switch self {
    case .invalidRoot:
      "InvalidRoot"
    case .missingCapability(let bitsLeft):
      "MissingCapability(bitsLeft: \(bitsLeft))"
    case .depthMismatch(let bitsLeft, let bitsFound):
      "DepthMismatch(bitsLeft: \(bitsLeft), bitsFound: \(bitsFound))"
    case .guardMismatch(let bitsLeft, let guardFound, let bitsFound):
      "GuardMismatch(bitsLeft: \(bitsLeft), guardFound: \(guardFound), bitsFound: \(bitsFound))"
    }
  }
}

// MARK: - Syscall errors with their payloads

/// A failed invocation as its error reply reports it: the code and the details in the registers.
public enum SyscallError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
  /// Argument number `argument` (a message-register index) is invalid.
  case invalidArgument(argument: UInt64)
  /// Capability `index` is unsuitable: 0 the invoked cap, 1 the first extra cap, and so on.
  case invalidCapability(index: UInt64)
  /// The operation is not permitted.
  case illegalOperation
  /// An argument must lie in `min...max`.
  case rangeError(min: UInt64, max: UInt64)
  /// An argument is misaligned.
  case alignmentError
  /// A lookup failed; `source` is true for a source or pivot lookup, false for a destination.
  case failedLookup(source: Bool, failure: LookupFailure)
  /// The message has too few registers or extra caps.
  case truncatedMessage
  /// A destination slot must be emptied first.
  case deleteFirst
  /// The capability's children must be revoked first.
  case revokeFirst
  /// The untyped has only `freeBytes` bytes free.
  case notEnoughMemory(freeBytes: UInt64)

  /// The error code the reply carries as its label.
  public var code: SeL4Error {
    switch self {
    case .invalidArgument: .invalidArgument
    case .invalidCapability: .invalidCapability
    case .illegalOperation: .illegalOperation
    case .rangeError: .rangeError
    case .alignmentError: .alignmentError
    case .failedLookup: .failedLookup
    case .truncatedMessage: .truncatedMessage
    case .deleteFirst: .deleteFirst
    case .revokeFirst: .revokeFirst
    case .notEnoughMemory: .notEnoughMemory
    }
  }

  /// The reply's message registers from MR0; their count is the reply's length.
  public var messageRegisters: [UInt64] {
    switch self {
    case .invalidArgument(let argument): [argument]
    case .invalidCapability(let index): [index]
    case .rangeError(let min, let max): [min, max]
    case .failedLookup(let source, let failure): [source ? 1 : 0] + failure.words
    case .notEnoughMemory(let freeBytes): [freeBytes]
    case .illegalOperation, .alignmentError, .truncatedMessage, .deleteFirst, .revokeFirst: []
    }
  }

  /// The message-info word of the error reply: label = code, length = registers written.
  public var replyInfo: MessageInfo {
    MessageInfo(label: code.rawValue, length: UInt64(truncatingIfNeeded: messageRegisters.count))
  }

  /// Decode an error reply; nil for NoError, a wrong register count, or a malformed payload.
  public init?(code: SeL4Error, messageRegisters mrs: [UInt64]) {
    switch (code, mrs.count) {
    case (.invalidArgument, 1): self = .invalidArgument(argument: mrs[0])
    case (.invalidCapability, 1): self = .invalidCapability(index: mrs[0])
    case (.illegalOperation, 0): self = .illegalOperation
    case (.rangeError, 2): self = .rangeError(min: mrs[0], max: mrs[1])
    case (.alignmentError, 0): self = .alignmentError
    case (.failedLookup, 2...):
      let source: Bool
      switch mrs[0] {
      case 0: source = false
      case 1: source = true
      default: return nil
      }
      guard let failure = LookupFailure(words: mrs.dropFirst()) else { return nil }
      self = .failedLookup(source: source, failure: failure)
    case (.truncatedMessage, 0): self = .truncatedMessage
    case (.deleteFirst, 0): self = .deleteFirst
    case (.revokeFirst, 0): self = .revokeFirst
    case (.notEnoughMemory, 1): self = .notEnoughMemory(freeBytes: mrs[0])
    default: return nil
    }
  }

  /// Decode an error reply from its raw label; nil for an unknown label or as for `init(code:messageRegisters:)`.
  public init?(label: UInt64, messageRegisters mrs: [UInt64]) {
    guard let code = SeL4Error(rawValue: label) else { return nil }
    self.init(code: code, messageRegisters: mrs)
  }

  /// Reads like `RangeError(min: 1, max: 64)`.
  public var description: String {
    switch self {
    case .invalidArgument(let argument):
      "InvalidArgument(argument: \(argument))"
    case .invalidCapability(let index):
      "InvalidCapability(index: \(index))"
    case .rangeError(let min, let max):
      "RangeError(min: \(min), max: \(max))"
    case .failedLookup(let source, let failure):
      "FailedLookup(source: \(source), failure: \(failure))"
    case .notEnoughMemory(let freeBytes):
      "NotEnoughMemory(freeBytes: \(freeBytes))"
    case .illegalOperation, .alignmentError, .truncatedMessage, .deleteFirst, .revokeFirst:
      code.shortName
    }
  }
}

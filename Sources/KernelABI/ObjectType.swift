// Kernel object types as Untyped_Retype names them, and how large each object is.
//
// The modelled kernel is MCS with no architecture-specific objects, so the type numbers run from
// Untyped 0 to Reply 6 and any larger number is invalid (Retype answers InvalidArgument(0)). The size
// of an object is a power of two; for Untyped, CapTable and SchedContext it follows from the size_bits
// argument the caller supplies, for the rest it is fixed and the argument is ignored. The size
// function is written once over `MachineWord`, as a chain of selections on the type word, so that the
// code that executes on `UInt64` is also the term the proofs reason about.

public import Bitwise

// MARK: - Object types

/// A kernel object type (`seL4_ObjectType`), MCS numbering without architecture objects.
public enum ObjectType: UInt64, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
  /// `seL4_UntypedObject`: a region of memory from which other objects are made.
  case untyped = 0
  /// `seL4_TCBObject`: a thread control block.
  case tcb = 1
  /// `seL4_EndpointObject`: a synchronous IPC rendezvous.
  case endpoint = 2
  /// `seL4_NotificationObject`: an asynchronous signal word.
  case notification = 3
  /// `seL4_CapTableObject`: a CNode of 2^size_bits capability slots.
  case capTable = 4
  /// `seL4_SchedContextObject`: an MCS scheduling context of 2^size_bits bytes.
  case schedContext = 5
  /// `seL4_ReplyObject`: an MCS reply object.
  case reply = 6

  /// The number of object types in this model; a type word at or above it is invalid.
  public static let count: UInt64 = 7

  /// The libsel4 constant name, e.g. `seL4_TCBObject`.
  public var libsel4Name: String {
    switch self {
    case .untyped: "seL4_UntypedObject"
    case .tcb: "seL4_TCBObject"
    case .endpoint: "seL4_EndpointObject"
    case .notification: "seL4_NotificationObject"
    case .capTable: "seL4_CapTableObject"
    case .schedContext: "seL4_SchedContextObject"
    case .reply: "seL4_ReplyObject"
    }
  }

  /// The object type whose libsel4 constant is called `libsel4Name`, if any.
  public init?(libsel4Name: String) {
    guard let found = ObjectType.allCases.first(where: { $0.libsel4Name == libsel4Name }) else {
      return nil
    }
    self = found
  }

  public var description: String { libsel4Name }
}

// MARK: - Fixed sizes

extension ObjectType {
  /// `seL4_TCBBits`: a TCB occupies 2^11 bytes (no hardware-debug or hypervisor extras).
  public static let tcbBits: UInt64 = 11
  /// `seL4_EndpointBits`.
  public static let endpointBits: UInt64 = 4
  /// `seL4_NotificationBits` on MCS (the notification also records a bound SC).
  public static let notificationBits: UInt64 = 6
  /// `seL4_ReplyBits`.
  public static let replyBits: UInt64 = 5

  /// True iff the caller's size_bits argument determines the object's size.
  public var hasUserSize: Bool {
    switch self {
    case .untyped, .capTable, .schedContext: true
    case .tcb, .endpoint, .notification, .reply: false
    }
  }

  /// The smallest size_bits Retype accepts for this type, or nil where size_bits is ignored.
  public var minimumUserSizeBits: UInt64? {
    switch self {
    case .untyped: KernelConstants.minUntypedBits
    case .capTable: 1
    case .schedContext: KernelConstants.minSchedContextBits
    case .tcb, .endpoint, .notification, .reply: nil
    }
  }
}

// MARK: - Generic size arithmetic: executed on UInt64, proved on symbolic words

extension ObjectType {
  /// `getObjectSize`: log2 of the size in bytes of an object of type word `type` made with
  /// `userSizeBits`. CapTable adds `seL4_SlotBits` (wrapping, as the C does; Retype bounds
  /// size_bits first). A type word outside 0...6 gives 0.
  @inlinable
  public static func objectSizeBits<W: MachineWord>(type: W, userSizeBits: W) -> W {
    W.select(
      type .== W(constant: ObjectType.untyped.rawValue), userSizeBits,
      W.select(
        type .== W(constant: ObjectType.tcb.rawValue), W(constant: tcbBits),
        W.select(
          type .== W(constant: ObjectType.endpoint.rawValue), W(constant: endpointBits),
          W.select(
            type .== W(constant: ObjectType.notification.rawValue), W(constant: notificationBits),
            W.select(
              type .== W(constant: ObjectType.capTable.rawValue),
              userSizeBits &+ W(constant: KernelConstants.slotBits),
              W.select(
                type .== W(constant: ObjectType.schedContext.rawValue), userSizeBits,
                W.select(
                  type .== W(constant: ObjectType.reply.rawValue), W(constant: replyBits),
                  W(constant: 0))))))))
  }

  /// Retype's size_bits floor (its InvalidArgument(1) check): CapTable 0, Untyped below
  /// `seL4_MinUntypedBits`, SchedContext below `seL4_MinSchedContextBits`. Other types never fail it.
  @inlinable
  public static func userSizeBitsBelowMinimum<W: MachineWord>(type: W, userSizeBits: W) -> W.Condition {
    let untypedTooSmall =
      (type .== W(constant: ObjectType.untyped.rawValue))
      .&& (userSizeBits .< W(constant: KernelConstants.minUntypedBits))
    let capTableTooSmall =
      (type .== W(constant: ObjectType.capTable.rawValue)) .&& (userSizeBits .< W(constant: 1))
    let schedContextTooSmall =
      (type .== W(constant: ObjectType.schedContext.rawValue))
      .&& (userSizeBits .< W(constant: KernelConstants.minSchedContextBits))
    return untypedTooSmall .|| capTableTooSmall .|| schedContextTooSmall
  }

  // MARK: Concrete convenience

  /// Log2 of the size in bytes of one object of this type made with `userSizeBits`.
  @inlinable
  public func objectSizeBits(userSizeBits: UInt64) -> UInt64 {
    ObjectType.objectSizeBits(type: rawValue, userSizeBits: userSizeBits)
  }

  /// True iff Retype rejects `userSizeBits` for this type as too small.
  @inlinable
  public func userSizeBitsBelowMinimum(_ userSizeBits: UInt64) -> Bool {
    ObjectType.userSizeBitsBelowMinimum(type: rawValue, userSizeBits: userSizeBits)
  }
}

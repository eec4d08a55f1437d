// Capability rights (`seL4_CapRights_t`): bit 0 Write, bit 1 Read, bit 2 Grant, bit 3 GrantReply.
//
// The kernel reads a rights word from user space with `rightsFromWord`, keeping the low four bits.
// `maskCapRights` intersects a capability's rights with a mask; for the caps that carry rights
// (EP keeps all four, Notification keeps Write and Read, Reply keeps Grant) that is a bitwise AND.

public import Bitwise

/// A set of capability rights.
public struct CapRights: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
  public let rawValue: UInt64
  @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue & CapRights.allRightsWord }

  public static let write = CapRights(rawValue: 1 << 0)
  public static let read = CapRights(rawValue: 1 << 1)
  public static let grant = CapRights(rawValue: 1 << 2)
  public static let grantReply = CapRights(rawValue: 1 << 3)
  /// `seL4_AllRights`.
  public static let all: CapRights = [.write, .read, .grant, .grantReply]
  public static let none: CapRights = []

  /// Abstract-spec aliases: `AllowSend` is Write, `AllowRecv` is Read.
  public static let allowSend = CapRights.write
  public static let allowRecv = CapRights.read

  // MARK: The one declaration of the layout

  @inlinable public static var writeField: BitField { BitField("write", offset: 0, width: 1) }
  @inlinable public static var readField: BitField { BitField("read", offset: 1, width: 1) }
  @inlinable public static var grantField: BitField { BitField("grant", offset: 2, width: 1) }
  @inlinable public static var grantReplyField: BitField { BitField("grantReply", offset: 3, width: 1) }
  @inlinable static var allRightsWord: UInt64 { 0xF }

  public static let layout = BitLayout("seL4_CapRights", [grantReplyField, grantField, readField, writeField])

  // MARK: Generic codec

  /// `rightsFromWord`: the rights a user-supplied word denotes (all other bits ignored).
  @inlinable
  public static func fromWord<W: MachineWord>(_ word: W) -> W {
    var rights: W = 0
    for field in [writeField, readField, grantField, grantReplyField] {
      rights = field.set(rights, to: field.get(word))
    }
    return rights
  }

  /// `seL4_CapRights_new(grantReply, grant, read, write)`: each argument's low bit.
  @inlinable
  public static func pack<W: MachineWord>(grantReply: W, grant: W, read: W, write: W) -> W {
    var rights: W = 0
    rights = grantReplyField.set(rights, to: grantReply)
    rights = grantField.set(rights, to: grant)
    rights = readField.set(rights, to: read)
    rights = writeField.set(rights, to: write)
    return rights
  }

  /// `maskCapRights` for a capability that keeps all four rights: the intersection.
  @inlinable
  public static func mask<W: MachineWord>(_ rights: W, with mask: W) -> W {
    fromWord(rights) & fromWord(mask)
  }

  /// Rights from a user word, as the kernel reads it.
  @inlinable public init(word: UInt64) { self.init(rawValue: CapRights.fromWord(word)) }

  /// The rights in `self` that `mask` also allows.
  @inlinable public func masked(by mask: CapRights) -> CapRights {
    CapRights(rawValue: CapRights.mask(rawValue, with: mask.rawValue))
  }

  /// capDL letters: `R`, `W`, `G`, `P` in that order (empty for no rights).
  public var description: String {
    var s = ""
    if contains(.read) { s += "R" }
    if contains(.write) { s += "W" }
    if contains(.grant) { s += "G" }
    if contains(.grantReply) { s += "P" }
    return s
  }
}

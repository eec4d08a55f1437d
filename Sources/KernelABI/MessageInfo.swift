// The message-info word (`seL4_MessageInfo_t`): what a thread says about the message it sends.
//
// Layout (64-bit, `seL4:libsel4/include/sel4/shared_types.bf`): label bits 63..12, capsUnwrapped
// 11..9, extraCaps 8..7, length 6..0. The kernel reads a word from user space with
// `messageInfoFromWord`, which clamps `length` to `seL4_MsgMaxLength` (120); every other bit
// pattern is taken as it is.

public import Bitwise

/// A decoded message-info word.
public struct MessageInfo: Hashable, Sendable, Codable, CustomStringConvertible {
  /// User-defined label (52 bits); the invocation label for kernel objects, the error on replies.
  public var label: UInt64
  /// Bit i set: extra cap i was unwrapped to a badge on receive (3 bits).
  public var capsUnwrapped: UInt64
  /// Number of extra capabilities transferred (0...3).
  public var extraCaps: UInt64
  /// Number of message registers (0...120).
  public var length: UInt64

  public init(label: UInt64, capsUnwrapped: UInt64 = 0, extraCaps: UInt64 = 0, length: UInt64) {
    self.label = label
    self.capsUnwrapped = capsUnwrapped
    self.extraCaps = extraCaps
    self.length = length
  }

  public var description: String {
    "MessageInfo(label: \(label), capsUnwrapped: \(capsUnwrapped), extraCaps: \(extraCaps), length: \(length))"
  }
}

extension MessageInfo {
  // MARK: The one declaration of the layout

  @inlinable public static var labelField: BitField { BitField("label", offset: 12, width: 52) }
  @inlinable public static var capsUnwrappedField: BitField { BitField("capsUnwrapped", offset: 9, width: 3) }
  @inlinable public static var extraCapsField: BitField { BitField("extraCaps", offset: 7, width: 2) }
  @inlinable public static var lengthField: BitField { BitField("length", offset: 0, width: 7) }

  /// The packed layout, most significant field first.
  public static let layout = BitLayout(
    "seL4_MessageInfo", [labelField, capsUnwrappedField, extraCapsField, lengthField])

  // MARK: Generic codec: executed on UInt64, proved on symbolic words

  /// `seL4_MessageInfo_new`: pack the four fields; each is truncated to its width.
  @inlinable
  public static func pack<W: MachineWord>(label: W, capsUnwrapped: W, extraCaps: W, length: W) -> W {
    var word: W = 0
    word = labelField.set(word, to: label)
    word = capsUnwrappedField.set(word, to: capsUnwrapped)
    word = extraCapsField.set(word, to: extraCaps)
    word = lengthField.set(word, to: length)
    return word
  }

  /// The length the kernel uses for a raw length field: clamped to `seL4_MsgMaxLength`.
  @inlinable
  public static func clampLength<W: MachineWord>(_ length: W) -> W {
    let max = W(constant: UInt64(KernelConstants.msgMaxLength))
    return W.select(length .> max, max, length)
  }

  /// `messageInfoFromWord` as the kernel reads a user's word: fields as they are, length clamped.
  @inlinable
  public static func fromWord<W: MachineWord>(_ word: W) -> (label: W, capsUnwrapped: W, extraCaps: W, length: W) {
    (
      labelField.get(word), capsUnwrappedField.get(word), extraCapsField.get(word),
      clampLength(lengthField.get(word))
    )
  }

  // MARK: The fastpath's reading (Kernel layer): executed on UInt64, proved on symbolic words

  /// The message registers seL4's fastpath copies (`n_msgRegisters`, 4 on x86-64 and AArch64,
  /// which `fastpath_mi_check` assumes).
  @inlinable public static var fastpathMessageRegisters: UInt64 { 4 }

  /// `fastpath_mi_check(msgInfo)` (`seL4:include/arch/arm/arch/64/mode/fastpath/fastpath.h`):
  /// true (the fastpath falls back) unless `extraCaps` is 0 and `length` is at most
  /// `fastpathMessageRegisters`. Like seL4 it masks the length and extraCaps bits together
  /// (`MASK(seL4_MsgLengthBits + seL4_MsgExtraCapBits)`, the two fields being the word's low
  /// bits) and compares once: any extra cap makes the masked value at least 128.
  @inlinable
  public static func fastpathMessageInfoFails<W: MachineWord>(_ word: W) -> W.Condition {
    let lengthAndExtraCaps = word & W(constant: UInt64.mask(bits: lengthField.width &+ extraCapsField.width))
    return lengthAndExtraCaps .> W(constant: fastpathMessageRegisters)
  }

  /// The length the fastpath copies: `seL4_MessageInfo_get_length(messageInfoFromWord_raw(w))`,
  /// the raw field, unclamped (`seL4:src/fastpath/fastpath.c`).
  @inlinable
  public static func fastpathLength<W: MachineWord>(_ word: W) -> W { lengthField.get(word) }

  /// The message-info word the fastpath gives the receiver:
  /// `wordFromMessageInfo(seL4_MessageInfo_set_capsUnwrapped(info, 0))`, the sender's word with
  /// capsUnwrapped cleared.
  @inlinable
  public static func fastpathDeliveredWord<W: MachineWord>(_ word: W) -> W { capsUnwrappedField.set(word, to: 0) }

  // MARK: Concrete convenience

  /// Decode a word as the kernel does (`messageInfoFromWord`).
  @inlinable
  public init(word: UInt64) {
    let f = MessageInfo.fromWord(word)
    self.init(label: f.label, capsUnwrapped: f.capsUnwrapped, extraCaps: f.extraCaps, length: f.length)
  }

  /// The packed word (`wordFromMessageInfo`).
  @inlinable
  public var word: UInt64 {
    MessageInfo.pack(label: label, capsUnwrapped: capsUnwrapped, extraCaps: extraCaps, length: length)
  }
}
